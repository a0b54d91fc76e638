// Entry point of component validation: a decoded component (component/ir) in, a
// ValidatedComponent (validated.h) or the first rule it breaks out.
//
// Errors: ErrorCode::kInvalid for a component that breaks a rule of the component model, or one
// of the rules ValidateOptions adds (a gated feature or core proposal turned off, the root rules
// of an embedder), with a message that starts with the offset of the offending item
// ("offset 0x1a3: canon lift: ..."); ErrorCode::kUnsupported for a component that uses a feature
// berth does not implement (the asynchronous component model, values and start functions, maps,
// 64-bit memories, GC types, ...).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "berth/result.h"
#include "component/ir/common.h"
#include "component/ir/component.h"
#include "component/validate/validated.h"

namespace berth::component {

// The gated features validation implements; the others are always kUnsupported. Of 🔀 kAsync
// only `async` function types are implemented (lifted and lowered without the `async` option);
// async options, streams, futures and the concurrency built-ins are always kUnsupported.
inline constexpr binary::FeatureSet kValidatorFeatures =
    binary::FeatureSet::none()
        .add(binary::Feature::kAsync)
        .add(binary::Feature::kFixedLengthLists)
        .add(binary::Feature::kImplements)
        .add(binary::Feature::kCanonicalInterfaceNames);

struct ValidateOptions {
  // Gated features to accept; anything outside kValidatorFeatures is refused regardless (as
  // kUnsupported). A feature of kValidatorFeatures left out here makes a component that uses it
  // invalid.
  binary::FeatureSet features = kValidatorFeatures;
  // 🪺 several namespaces and projections in interface names (`a:b:c/d/e`).
  bool nested_names = false;
  // Core proposals that core types and core modules may use (both are part of WebAssembly 2.0):
  // `v128` needs simd; reference types as parameters, results or globals, and tables of other
  // references than `funcref`, need reference_types.
  bool simd = true;
  bool reference_types = true;
  // Rules that an embedder may put on the root component beyond the component model, because it
  // cannot provide or receive such items (wasmtime enforces all three, and its test scripts
  // expect them): no import of a component, no export of a component, and no function export
  // that is one of the component's own function imports (directly, or as an export of an
  // imported instance). Components breaking them are valid, so this is off by default.
  bool root_embedder_rules = false;
};

// Validates `component`, which was decoded from `input` (the core modules are read from it).
// The result refers to `component`, which must outlive it.
Result<std::shared_ptr<const ValidatedComponent>> validate_component(
    const binary::Component& component, std::span<const uint8_t> input,
    const ValidateOptions& options = {});

}  // namespace berth::component
