// Fuzzes berth's core module reader and the memory-limit rewrite built on it.
#include <cstddef>
#include <cstdint>
#include <span>

#include "berth/engine/module_info.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  auto info = berth::engine::read_module_info(bytes);
  auto capped = berth::engine::cap_defined_memories(bytes, 4);
  // A rewritten module must still read, with every defined memory capped.
  if (info && capped) {
    auto again = berth::engine::read_module_info(*capped);
    if (!again) __builtin_trap();
  }
  return 0;
}
