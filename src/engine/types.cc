#include "berth/engine/types.h"

#include <fmt/format.h>

#include "berth/engine/engine.h"

namespace berth::engine {

std::string to_string(ValType type) {
  switch (type) {
    case ValType::kI32:
      return "i32";
    case ValType::kI64:
      return "i64";
    case ValType::kF32:
      return "f32";
    case ValType::kF64:
      return "f64";
    case ValType::kV128:
      return "v128";
    case ValType::kFuncRef:
      return "funcref";
    case ValType::kExternRef:
      return "externref";
  }
  return "?";
}

std::string to_string(ExternKind kind) {
  switch (kind) {
    case ExternKind::kFunc:
      return "function";
    case ExternKind::kTable:
      return "table";
    case ExternKind::kMemory:
      return "memory";
    case ExternKind::kGlobal:
      return "global";
    case ExternKind::kTag:
      return "tag";
  }
  return "?";
}

namespace {

std::string join(const std::vector<ValType>& types) {
  std::string out;
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) out += ", ";
    out += to_string(types[i]);
  }
  return out;
}

std::string limits_string(const Limits& limits) {
  return limits.max ? fmt::format("{}..{}", limits.min, *limits.max)
                    : fmt::format("{}..", limits.min);
}

}  // namespace

std::string FuncType::to_string() const {
  return fmt::format("({}) -> ({})", join(params), join(results));
}

std::string ExternType::to_string() const {
  switch (kind) {
    case ExternKind::kFunc:
      return "func " + func.to_string();
    case ExternKind::kTag:
      return "tag " + func.to_string();
    case ExternKind::kMemory:
      return fmt::format("memory {} pages{}", limits_string(memory.limits),
                         memory.shared ? " shared" : "");
    case ExternKind::kTable:
      return fmt::format("table {} {}", limits_string(table.limits),
                         engine::to_string(table.element));
    case ExternKind::kGlobal:
      return fmt::format("global {}{}", global.is_mutable ? "mut " : "",
                         engine::to_string(global.type));
  }
  return "?";
}

Result<void> Store::memory_read(Memory memory, uint64_t offset, std::span<uint8_t> out) {
  MemoryView view = memory_view(memory);
  if (offset > view.size || out.size() > view.size - offset) {
    return Error(ErrorCode::kTrap,
                 fmt::format("memory read of {} bytes at {} is out of bounds (memory size {})",
                             out.size(), offset, view.size));
  }
  std::copy_n(view.data + offset, out.size(), out.data());
  return {};
}

Result<void> Store::memory_write(Memory memory, uint64_t offset, std::span<const uint8_t> bytes) {
  MemoryView view = memory_view(memory);
  if (offset > view.size || bytes.size() > view.size - offset) {
    return Error(ErrorCode::kTrap,
                 fmt::format("memory write of {} bytes at {} is out of bounds (memory size {})",
                             bytes.size(), offset, view.size));
  }
  std::copy(bytes.begin(), bytes.end(), view.data + offset);
  return {};
}

}  // namespace berth::engine
