// Fuzzes the --invoke call expression parser and the core value literals.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/invoke_expr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto expr = berth::cli::parse_invoke_expr(text);
  if (!expr) return 0;
  for (const auto& arg : expr->arguments) {
    for (auto type : {berth::engine::ValType::kI32, berth::engine::ValType::kI64,
                      berth::engine::ValType::kF32, berth::engine::ValType::kF64}) {
      auto value = berth::cli::parse_core_value(arg, type);
      if (value) berth::cli::format_core_value(*value);
    }
  }
  return 0;
}
