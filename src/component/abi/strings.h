// Strings in linear memory: load_string / store_string of CanonicalABI.md for the utf8, utf16 and
// latin1+utf16 encodings, with the spec's allocation (realloc) sequence for every pair of
// encodings. Internal to the abi library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "berth/result.h"
#include "component/abi/canon_options.h"

namespace berth::component::abi {

// Reads the string at (ptr, tagged_code_units) in the context's encoding and returns it as UTF-8.
// Expects refresh_memory() to have run.
Result<std::string> load_string_from_range(LiftLowerContext& cx, uint32_t ptr,
                                           uint32_t tagged_code_units);

// The same string without a copy when the encoding is UTF-8: a view into linear memory, valid
// until guest code runs again. Other encodings are transcoded into `transcoded`, which the view
// then points to.
Result<std::string_view> view_string_from_range(LiftLowerContext& cx, uint32_t ptr,
                                                uint32_t tagged_code_units,
                                                std::string& transcoded);

// Stores a UTF-8 string (the encoding of Val::str) and returns (ptr, tagged code units).
// Fails with kInvalid if `utf8` is not valid UTF-8.
Result<std::pair<uint32_t, uint32_t>> store_string_into_range(LiftLowerContext& cx,
                                                              std::string_view utf8);

}  // namespace berth::component::abi
