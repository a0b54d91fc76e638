// V8 10.2, the engine berth links, knows only the first, "legacy" form of wasm exception
// handling (`try` ... `catch` ... `end`), while today's toolchains emit `try_table`. Most of
// `try_table` has an exact legacy equivalent, which this rewrite produces:
//
//   try_table bt (catch $t $l) (catch_all $l') body end
//   =>
//   try bt body catch $t br ($l+1) catch_all br ($l'+1) end
//
// (inside a legacy handler the `try` is the innermost label, hence the +1). The clauses that
// hand over an `exnref` (catch_ref, catch_all_ref) have none: such modules are left alone.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "berth/result.h"

namespace berth::engine {

// The module with every `try_table` turned into a legacy `try`; nullopt when it has none, or
// when one of them has a clause that needs `exnref`. Fails on a malformed code section.
Result<std::optional<std::vector<uint8_t>>> lower_try_table(std::span<const uint8_t> wasm);

}  // namespace berth::engine
