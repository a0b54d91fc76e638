// Fuzzes berth's core module reader and the rewrites built on it: the memory-limit cap and the
// lowering of try_table to the legacy exception instructions.
#include <cstddef>
#include <cstdint>
#include <span>

#include "berth/engine/module_info.h"
#include "engine/legacy_exceptions.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  auto info = berth::engine::read_module_info(bytes);
  auto capped = berth::engine::cap_defined_memories(bytes, 4);
  // A rewritten module must still read, with every defined memory capped.
  if (info && capped) {
    auto again = berth::engine::read_module_info(*capped);
    if (!again) __builtin_trap();
  }
  auto lowered = berth::engine::lower_try_table(bytes);
  if (lowered && *lowered) {
    // Only code changes: the interface reads the same, and nothing is left to lower.
    if (info && !berth::engine::read_module_info(**lowered)) __builtin_trap();
    auto twice = berth::engine::lower_try_table(**lowered);
    if (!twice || *twice) __builtin_trap();
  }
  return 0;
}
