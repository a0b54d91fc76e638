// Entry points of the component binary decoder: bytes in, IR (component/ir/component.h) out.
// Decoding checks the binary format only; validation (types, indices, names) comes after.
#pragma once

#include <cstdint>
#include <span>

#include "berth/result.h"
#include "component/ir/component.h"

namespace berth::component::binary {

struct DecodeOptions {
  // Gated productions of a disabled feature are rejected as malformed. All are on by default;
  // Component::features says which ones a binary used.
  FeatureSet features = FeatureSet::all();
  // Nested components, component/instance types and module types deeper than this are
  // rejected, which bounds the decoder's recursion.
  uint32_t max_nesting_depth = 100;
};

// Looks at the 8-byte preamble only: component (version 0x0d, layer 1) or core module
// (version 1, layer 0).
Result<BinaryKind> detect_kind(std::span<const uint8_t> bytes);

// Decodes a component, or for a core module checks its section headers and says it is one.
Result<DecodedBinary> decode(std::span<const uint8_t> bytes, const DecodeOptions& options = {});

// Decodes a component; a core module is an error ("... is a core module, not a component").
Result<Component> decode_component(std::span<const uint8_t> bytes,
                                   const DecodeOptions& options = {});

// Parses the payload of a `component-name` custom section (after its name). The decoder does
// this itself and drops the result when it fails, since a bad name section must not make a
// component unusable.
Result<ComponentNames> decode_component_names(std::span<const uint8_t> input, ByteRange payload);

}  // namespace berth::component::binary
