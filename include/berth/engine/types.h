// Core WebAssembly types and values as the engine layer exposes them, independent of any engine.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace berth::engine {

enum class ValType : uint8_t { kI32, kI64, kF32, kF64, kV128, kFuncRef, kExternRef };

std::string to_string(ValType type);

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;

  bool operator==(const FuncType&) const = default;
  // "(i32, i64) -> (f32)"
  std::string to_string() const;
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool operator==(const Limits&) const = default;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
  bool shared = false;
  bool memory64 = false;
  bool operator==(const MemoryType&) const = default;
};

struct TableType {
  ValType element = ValType::kFuncRef;
  Limits limits;
  bool operator==(const TableType&) const = default;
};

struct GlobalType {
  ValType type = ValType::kI32;
  bool is_mutable = false;
  bool operator==(const GlobalType&) const = default;
};

enum class ExternKind : uint8_t { kFunc, kTable, kMemory, kGlobal, kTag };

std::string to_string(ExternKind kind);

struct ExternType {
  ExternKind kind = ExternKind::kFunc;
  FuncType func;  // for kFunc and kTag
  TableType table;
  MemoryType memory;
  GlobalType global;

  std::string to_string() const;
};

struct ImportType {
  std::string module;
  std::string name;
  ExternType type;
};

struct ExportType {
  std::string name;
  ExternType type;
};

inline constexpr uint64_t kWasmPageSize = 65536;

// A core value. References are opaque handles owned by the store that produced them
// (0 is the null reference).
struct Value {
  ValType type = ValType::kI32;
  union {
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    uint8_t v128[16];
    uint32_t ref;
  };

  Value() : i64(0) {}
  static Value from_i32(int32_t v) {
    Value x;
    x.type = ValType::kI32;
    x.i32 = v;
    return x;
  }
  static Value from_i64(int64_t v) {
    Value x;
    x.type = ValType::kI64;
    x.i64 = v;
    return x;
  }
  static Value from_f32(float v) {
    Value x;
    x.type = ValType::kF32;
    x.f32 = v;
    return x;
  }
  static Value from_f64(double v) {
    Value x;
    x.type = ValType::kF64;
    x.f64 = v;
    return x;
  }
  static Value null_ref(ValType t) {
    Value x;
    x.type = t;
    x.ref = 0;
    return x;
  }
  static Value zero(ValType t) {
    Value x;
    x.type = t;
    std::memset(x.v128, 0, sizeof x.v128);
    return x;
  }
};

}  // namespace berth::engine
