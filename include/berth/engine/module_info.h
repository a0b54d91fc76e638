// What berth needs to know about a core module before handing it to an engine: its types,
// imports and exports. Read by berth itself so that every engine reports the same signatures.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "berth/engine/types.h"
#include "berth/result.h"

namespace berth::engine {

struct ModuleInfo {
  std::vector<FuncType> types;
  std::vector<ImportType> imports;
  std::vector<ExportType> exports;
  std::vector<uint32_t> func_type_indices;  // every function, imported ones first
  std::vector<MemoryType> memories;         // imported ones first
  std::optional<uint32_t> start;

  const ExportType* find_export(std::string_view name) const;
};

// Reads the sections that describe the module's interface. Function bodies are not validated
// here; the engine does that when it compiles.
Result<ModuleInfo> read_module_info(std::span<const uint8_t> wasm);

// A copy of `wasm` whose defined memories may grow to at most `max_pages`. Fails when a memory
// needs more than that initially.
Result<std::vector<uint8_t>> cap_defined_memories(std::span<const uint8_t> wasm,
                                                  uint64_t max_pages);

}  // namespace berth::engine
