// Component-level IR pieces shared by definitions and type declarators: sorts, extern names,
// aliases, extern types and the component type definitions (value, function, component,
// instance and resource types).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "component/ir/common.h"
#include "component/ir/core_types.h"

namespace berth::component::binary {

// One index space per sort. The binary encodes `sort` as 0x00 <core:sort> | 0x01..0x05; the IR
// flattens the pair so every index space has one enumerator.
enum class Sort : uint8_t {
  kCoreFunc,
  kCoreTable,
  kCoreMemory,
  kCoreGlobal,
  kCoreTag,
  kCoreType,
  kCoreModule,
  kCoreInstance,
  kFunc,
  kValue,  // 🪙
  kType,
  kComponent,
  kInstance,
};
inline constexpr size_t kSortCount = static_cast<size_t>(Sort::kInstance) + 1;

inline bool is_core(Sort sort) {
  return sort <= Sort::kCoreInstance;
}
std::string_view to_string(Sort sort);  // "core func", "func", "instance", ...

struct SortIndex {
  Sort sort = Sort::kFunc;
  uint32_t index = 0;
};

// `nameattributes`: the name of an import or export plus its attributes. The name text is kept
// as it is; parsing and checking it against the name grammar is validation's job (see names.h).
enum class NameForm : uint8_t {
  kPlain = 0x00,
  kLegacy = 0x01,          // same meaning as kPlain (a pre-1.0 wart kept for old binaries)
  kWithAttributes = 0x02,  // 🏷️/🔗
};

enum class NameAttributeKind : uint8_t {
  kImplements = 0x00,     // 🏷️ value is an interface name
  kVersionSuffix = 0x01,  // 🔗 value is a semver suffix
  kExternalId = 0x02,     // 🏷️ value is any string
};

struct NameAttribute {
  size_t offset = 0;
  NameAttributeKind kind = NameAttributeKind::kImplements;
  std::string value;
};

struct ExternName {
  size_t offset = 0;
  NameForm form = NameForm::kPlain;
  std::string name;
  // In binary order; duplicates are kept for validation to report.
  std::vector<NameAttribute> attributes;

  const NameAttribute* find(NameAttributeKind kind) const;
};

enum class AliasKind : uint8_t {
  kInstanceExport = 0x00,      // (alias export i "n" (sort))
  kCoreInstanceExport = 0x01,  // (alias core export i "n" (sort))
  kOuter = 0x02,               // (alias outer ct idx (sort))
};

struct Alias {
  size_t offset = 0;
  Sort sort = Sort::kFunc;
  AliasKind kind = AliasKind::kInstanceExport;
  uint32_t instance = 0;     // export kinds
  std::string name;          // export kinds
  uint32_t outer_count = 0;  // kOuter: number of enclosing scopes to skip
  uint32_t outer_index = 0;  // kOuter: index in the target scope's index space
};

enum class PrimValType : uint8_t {
  kBool = 0x7f,
  kS8 = 0x7e,
  kU8 = 0x7d,
  kS16 = 0x7c,
  kU16 = 0x7b,
  kS32 = 0x7a,
  kU32 = 0x79,
  kS64 = 0x78,
  kU64 = 0x77,
  kF32 = 0x76,
  kF64 = 0x75,
  kChar = 0x74,
  kString = 0x73,
  kErrorContext = 0x64,  // 📝
};
std::string_view to_string(PrimValType type);

// valtype: a primitive or an index into the type index space.
struct ValType {
  bool is_index = false;
  PrimValType primitive = PrimValType::kBool;
  uint32_t index = 0;

  static ValType of(PrimValType p) { return ValType{false, p, 0}; }
  static ValType at(uint32_t type_index) { return ValType{true, PrimValType::kBool, type_index}; }
  bool operator==(const ValType&) const = default;
};

struct LabeledValType {
  std::string label;
  ValType type;
};

struct RecordType {
  std::vector<LabeledValType> fields;
};
struct VariantCase {
  std::string label;
  std::optional<ValType> type;
};
struct VariantType {
  std::vector<VariantCase> cases;
};
struct ListType {
  ValType element;
  std::optional<uint32_t> fixed_length;  // 🔧 (list t len), opcode 0x67
};
struct TupleType {
  std::vector<ValType> types;
};
struct FlagsType {
  std::vector<std::string> labels;
};
struct EnumType {
  std::vector<std::string> labels;
};
struct OptionType {
  ValType type;
};
struct ResultType {
  std::optional<ValType> ok;
  std::optional<ValType> error;
};
struct OwnType {
  uint32_t resource = 0;
};
struct BorrowType {
  uint32_t resource = 0;
};
struct StreamType {  // 🔀
  std::optional<ValType> element;
};
struct FutureType {  // 🔀
  std::optional<ValType> value;
};
struct MapType {  // 🗺️
  ValType key;
  ValType value;
};

// defvaltype, one alternative per binary production.
using DefValType =
    std::variant<PrimValType, RecordType, VariantType, ListType, TupleType, FlagsType, EnumType,
                 OptionType, ResultType, OwnType, BorrowType, StreamType, FutureType, MapType>;

struct FuncType {
  bool is_async = false;  // 🔀 opcode 0x43
  std::vector<LabeledValType> params;
  std::optional<ValType> result;  // resultlist: 0x00 t | 0x01 0x00 (none)
};

struct ResourceType {
  CoreValType rep;
  std::optional<uint32_t> destructor;  // core func index
};

enum class ExternKind : uint8_t {
  kCoreModule = 0x00,
  kFunc = 0x01,
  kValue = 0x02,  // 🪙
  kType = 0x03,
  kComponent = 0x04,
  kInstance = 0x05,
};

struct TypeBound {
  enum class Kind : uint8_t { kEq = 0x00, kSubResource = 0x01 };
  Kind kind = Kind::kEq;
  uint32_t type_index = 0;  // kEq
};

struct ValueBound {  // 🪙
  enum class Kind : uint8_t { kEq = 0x00, kType = 0x01 };
  Kind kind = Kind::kEq;
  uint32_t value_index = 0;  // kEq
  ValType type;              // kType
};

// externtype: what an import or export declares.
struct ExternType {
  ExternKind kind = ExternKind::kFunc;
  // kCoreModule: core type index; kFunc, kComponent, kInstance: type index.
  uint32_t type_index = 0;
  TypeBound type_bound;    // kType
  ValueBound value_bound;  // kValue
};

struct ImportDecl {
  size_t offset = 0;
  ExternName name;
  ExternType type;
};

struct ExportDecl {
  size_t offset = 0;
  ExternName name;
  ExternType type;
};

struct TypeDef;

// componentdecl / instancedecl. Instance types never hold ImportDecl (the decoder rejects 0x03
// there).
struct TypeDecl {
  size_t offset = 0;
  std::variant<CoreTypeDef, Box<TypeDef>, Alias, ImportDecl, ExportDecl> item;
};

struct ComponentType {
  std::vector<TypeDecl> decls;
};

struct InstanceType {
  std::vector<TypeDecl> decls;
};

// type: one definition of the type index space.
struct TypeDef {
  size_t offset = 0;
  std::variant<DefValType, FuncType, ComponentType, InstanceType, ResourceType> type;
};

}  // namespace berth::component::binary
