// Core WebAssembly types as they appear inside components: the core type section (function and
// GC types, rec groups) and core module types with their import/export declarations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "component/ir/common.h"

namespace berth::component::binary {

// Abstract heap types, by their binary code (the one-byte reference type shorthands share them).
enum class CoreAbstractHeap : uint8_t {
  kNoExn = 0x74,
  kNoFunc = 0x73,
  kNoExtern = 0x72,
  kNone = 0x71,
  kFunc = 0x70,
  kExtern = 0x6f,
  kAny = 0x6e,
  kEq = 0x6d,
  kI31 = 0x6c,
  kStruct = 0x6b,
  kArray = 0x6a,
  kExn = 0x69,
  kCont = 0x68,
  kNoCont = 0x75,
};

struct CoreHeapType {
  bool is_index = false;  // a concrete type index rather than an abstract heap type
  bool shared = false;    // 0x65 prefix (shared-everything-threads)
  CoreAbstractHeap abstract = CoreAbstractHeap::kFunc;
  uint32_t index = 0;

  bool operator==(const CoreHeapType&) const = default;
};

enum class CoreValTypeKind : uint8_t {
  kI32 = 0x7f,
  kI64 = 0x7e,
  kF32 = 0x7d,
  kF64 = 0x7c,
  kV128 = 0x7b,
  kRef = 0x64,  // (ref null? ht); the shorthands (funcref, ...) decode to this too
};

struct CoreValType {
  CoreValTypeKind kind = CoreValTypeKind::kI32;
  bool nullable = false;  // for kRef
  CoreHeapType heap;      // for kRef

  bool operator==(const CoreValType&) const = default;
};

enum class CorePackedType : uint8_t { kNone = 0, kI8 = 0x78, kI16 = 0x77 };

struct CoreFieldType {
  CorePackedType packed = CorePackedType::kNone;  // kNone: the storage type is `type`
  CoreValType type;
  bool is_mutable = false;
};

struct CoreFuncType {
  std::vector<CoreValType> params;
  std::vector<CoreValType> results;
};
struct CoreStructType {
  std::vector<CoreFieldType> fields;
};
struct CoreArrayType {
  CoreFieldType element;
};
struct CoreContType {
  uint32_t func_type = 0;
};

struct CoreCompositeType {
  bool shared = false;  // 0x65 prefix
  std::variant<CoreFuncType, CoreStructType, CoreArrayType, CoreContType> type;
};

struct CoreSubType {
  size_t offset = 0;
  // false for a bare composite type, which is final with no supertypes.
  bool has_sub_prefix = false;
  bool is_final = true;
  std::vector<uint32_t> supertypes;
  CoreCompositeType composite;
};

// A rec group; a lone subtype outside `(rec ...)` is a group of one with explicit_rec == false.
struct CoreRecGroup {
  bool explicit_rec = false;
  std::vector<CoreSubType> types;
};

struct CoreLimits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool is_64 = false;
  bool shared = false;
  std::optional<uint32_t> page_size_log2;  // custom-page-sizes
};

struct CoreTableType {
  CoreValType element;
  CoreLimits limits;
};
struct CoreMemoryType {
  CoreLimits limits;
};
struct CoreGlobalType {
  CoreValType type;
  bool is_mutable = false;
  bool shared = false;
};
struct CoreTagType {
  uint32_t func_type = 0;
};
struct CoreFuncRef {
  uint32_t type_index = 0;
};

// core:externtype, in binary order of its discriminant (func, table, memory, global, tag).
using CoreExternType =
    std::variant<CoreFuncRef, CoreTableType, CoreMemoryType, CoreGlobalType, CoreTagType>;

struct CoreImport {
  size_t offset = 0;
  std::string module;
  std::string name;
  CoreExternType type;
};

struct CoreExportDecl {
  size_t offset = 0;
  std::string name;
  CoreExternType type;
};

// core:alias inside a module type: always `(alias outer ct idx (type))`.
struct CoreOuterTypeAlias {
  size_t offset = 0;
  uint32_t count = 0;
  uint32_t index = 0;
};

struct CoreTypeDef;

struct CoreModuleDecl {
  size_t offset = 0;
  std::variant<CoreImport, Box<CoreTypeDef>, CoreOuterTypeAlias, CoreExportDecl> item;
};

struct CoreModuleType {
  std::vector<CoreModuleDecl> decls;
};

// core:type: a rec group (WebAssembly 3.0 types) or a module type.
struct CoreTypeDef {
  size_t offset = 0;
  // A module type can only appear here at the top of the core type section; inside a module
  // type's declarators the binary can still express one (spec tests do) and validation rejects it.
  std::variant<CoreRecGroup, CoreModuleType> type;
};

}  // namespace berth::component::binary
