// The validation options a script of the component-model corpora asks for: wasm-tools scripts
// turn features on and off on their RUN line, wasmtime scripts with `;;! name = true|false`
// lines, and the component-model spec tests use what berth implements. Header-only, shared by
// the validator's corpus test and the conformance runner (tests/conformance/runner.cc).
#pragma once

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>

#include "component/validate/validator.h"

namespace berth::component::testing {

// The text of `source` up to its first empty line: the RUN line with its continuations.
inline std::string_view script_header(std::string_view source) {
  return source.substr(0, source.find("\n\n"));
}

// Applies one item of a wasm-tools `-f` list ("cm-implements", "-simd", ...).
inline void apply_wasm_tools_feature(std::string_view item, ValidateOptions& options) {
  const bool on = item.empty() || item[0] != '-';
  if (!on) item.remove_prefix(1);
  std::optional<binary::Feature> feature;
  if (item == "cm-async") feature = binary::Feature::kAsync;
  if (item == "cm-implements") feature = binary::Feature::kImplements;
  if (item == "cm-canon-names") feature = binary::Feature::kCanonicalInterfaceNames;
  if (item == "cm-fixed-length-lists" || item == "cm-fixed-size-list") {
    feature = binary::Feature::kFixedLengthLists;
  }
  if (item == "cm-nested-names") options.nested_names = on;
  if (item == "simd") options.simd = on;
  if (item == "reference-types") options.reference_types = on;
  if (!feature) return;
  if (on) {
    options.features.add(*feature);
  } else {
    options.features.remove(*feature);
  }
}

// wasm-tools scripts: `-f LIST`, `-f=LIST` or `--features=LIST` on the RUN line. Of the features
// berth implements beyond WASI 0.2, only async is on by default.
inline ValidateOptions wasm_tools_script_options(std::string_view source) {
  ValidateOptions options;
  options.features = binary::FeatureSet::none().add(binary::Feature::kAsync);
  const std::string_view run = script_header(source);
  size_t pos = 0;
  while ((pos = run.find("-f", pos)) != std::string_view::npos) {
    pos += 2;
    if (run.compare(pos, 7, "eatures") == 0) pos += 7;
    while (pos < run.size() && (run[pos] == '=' || run[pos] == ' ')) ++pos;
    const size_t end = std::min(run.find_first_of(" \n\\", pos), run.size());
    const std::string_view list = run.substr(pos, end - pos);
    size_t start = 0;
    while (start <= list.size()) {
      const size_t comma = std::min(list.find(',', start), list.size());
      apply_wasm_tools_feature(list.substr(start, comma - start), options);
      start = comma + 1;
    }
    pos = end;
  }
  return options;
}

// wasmtime scripts: `;;! component_model_x = true` lines turn features on (only async is on
// without one). wasmtime also refuses root components that import or export components or
// reexport imported functions, and its scripts expect that: the root embedder rules.
inline ValidateOptions wasmtime_script_options(std::string_view source) {
  ValidateOptions options;
  options.features = binary::FeatureSet::none().add(binary::Feature::kAsync);
  options.root_embedder_rules = true;
  auto on = [&](std::string_view key) {
    return source.find(";;! " + std::string(key) + " = true") != std::string_view::npos;
  };
  if (on("component_model_implements")) options.features.add(binary::Feature::kImplements);
  if (on("component_model_fixed_length_lists")) {
    options.features.add(binary::Feature::kFixedLengthLists);
  }
  return options;
}

// The component-model spec tests use every gated feature berth implements except 🪺 nested
// names, which they expect to be rejected: the defaults.
inline ValidateOptions spec_script_options() {
  return ValidateOptions{};
}

// The options for the script with text `source` of corpus `corpus` ("spec", "wasmtime" or
// "wasm-tools").
inline ValidateOptions script_options(std::string_view corpus, std::string_view source) {
  if (corpus == "wasm-tools") return wasm_tools_script_options(source);
  if (corpus == "wasmtime") return wasmtime_script_options(source);
  return spec_script_options();
}

}  // namespace berth::component::testing
