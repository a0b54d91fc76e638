// The component model's types after validation: every index resolved, so a type is a tree (a DAG)
// of nodes that can be compared, printed, and laid out by the Canonical ABI without the binary
// it came from. Shared by the validator, the Canonical ABI, the host API, WIT and the linker.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::engine {
struct ModuleInfo;
}

namespace berth::component {

enum class ValKind : uint8_t {
  kBool,
  kS8,
  kU8,
  kS16,
  kU16,
  kS32,
  kU32,
  kS64,
  kU64,
  kF32,
  kF64,
  kChar,
  kString,
  kList,
  kRecord,
  kTuple,
  kVariant,
  kEnum,
  kOption,
  kResult,
  kFlags,
  kOwn,
  kBorrow,
  // Asynchronous component model: types exist so that decoding and WIT work; the synchronous
  // runtime refuses to lift or lower them.
  kStream,
  kFuture,
  kErrorContext,
};

const char* to_string(ValKind kind);  // "bool", "s8", ..., "list", "own", ...
bool is_primitive(ValKind kind);      // bool through string, and error-context

// A resource type. Identity is the object: each instantiation of a component that defines a
// resource makes a new ResourceType, and two handles are of the same type only if they point to
// the same one.
struct ResourceType {
  std::string name;           // for messages, e.g. "wasi:io/streams#input-stream"
  bool host_defined = false;  // provided by the host (or a bundle) rather than a component
  uint64_t id = 0;            // unique within the process, for printing
  // For a host-defined type: runs when a guest drops the last `own` handle of a resource, with
  // the `rep` the host gave it. Empty when the host needs no notice.
  std::function<void(uint32_t rep)> host_destructor;
};
using ResourceTypeRef = std::shared_ptr<const ResourceType>;

struct Type;
// Types are immutable once built and shared freely.
using TypeRef = std::shared_ptr<const Type>;

struct Field {
  std::string name;  // empty for tuple elements
  TypeRef type;      // null for a variant case without payload
};

struct Type {
  ValKind kind = ValKind::kBool;
  std::vector<Field> fields;             // record fields, tuple elements, variant cases
  std::vector<std::string> labels;       // enum cases, flag names
  TypeRef element;                       // list, option, stream, future (null: no payload)
  std::optional<uint32_t> fixed_length;  // list<T, N>
  TypeRef ok;                            // result (null: no ok payload)
  TypeRef error;                         // result (null: no error payload)
  ResourceTypeRef resource;              // own, borrow

  // Shared instances of the primitive types.
  static TypeRef primitive(ValKind kind);
  static TypeRef list(TypeRef element);
  static TypeRef option(TypeRef element);
  static TypeRef result(TypeRef ok, TypeRef error);
  static TypeRef tuple(std::vector<TypeRef> elements);
  static TypeRef record(std::vector<Field> fields);
  static TypeRef variant(std::vector<Field> cases);
  static TypeRef enumeration(std::vector<std::string> labels);
  static TypeRef flags(std::vector<std::string> labels);
  static TypeRef own(ResourceTypeRef resource);
  static TypeRef borrow(ResourceTypeRef resource);
};

// Structural equality; resources compare by identity.
bool types_equal(const Type& a, const Type& b);
// How own/borrow spell their resource: by its full name ("wasi:io/streams@0.2.0#input-stream")
// or by the part after '#' ("input-stream"), as the native bundle ABI's signatures do.
enum class ResourceSpelling : uint8_t { kFull, kShort };

// WIT-like spelling, e.g. "list<tuple<u8, string>>", "record { a: u32 }".
std::string to_string(const Type& type, ResourceSpelling resources = ResourceSpelling::kFull);

// How a component's core code stores strings (a canonical option of lift and lower).
enum class StringEncoding : uint8_t { kUtf8, kUtf16, kLatin1Utf16 };
const char* to_string(StringEncoding encoding);  // "utf8", "utf16", "latin1+utf16"

struct FuncType {
  std::vector<Field> params;
  TypeRef result;  // null: no result
  bool is_async = false;

  // "func(a: u32, b: string) -> option<u8>"
  std::string to_string(ResourceSpelling resources = ResourceSpelling::kFull) const;
};
using FuncTypeRef = std::shared_ptr<const FuncType>;

bool func_types_equal(const FuncType& a, const FuncType& b);

struct InstanceType;
struct ComponentType;

// What an import or export of a component or instance is.
enum class ExternKind : uint8_t { kCoreModule, kFunc, kValue, kType, kComponent, kInstance };

struct ExternDesc {
  ExternKind kind = ExternKind::kFunc;
  FuncTypeRef func;                                // kFunc
  std::shared_ptr<const InstanceType> instance;    // kInstance
  std::shared_ptr<const ComponentType> component;  // kComponent
  TypeRef type;                                    // kType (a value type), kValue
  ResourceTypeRef resource;                        // kType when the type is a resource
  // kCoreModule: the module's imports and exports (only those two fields are filled when the
  // module comes from a module type rather than a module definition).
  std::shared_ptr<const engine::ModuleInfo> module;
  // kType exports can also name a function, instance or component type; then `func`,
  // `instance` or `component` is set instead of `type`/`resource`.
};

struct NamedExtern {
  std::string name;
  ExternDesc desc;
};

struct InstanceType {
  std::vector<NamedExtern> exports;
  // Abstract resources this type introduces with `(export "r" (type (sub resource)))`. Each
  // instance imported (or exported) with this type gets fresh ones. Always empty in the type of
  // a concrete instance, whose resources belong to the component that holds it.
  std::vector<ResourceTypeRef> defined_resources;

  const NamedExtern* find(std::string_view name) const;
};

struct ComponentType {
  std::vector<NamedExtern> imports;
  std::vector<NamedExtern> exports;
  // The resources the imports introduce (`(sub resource)` type imports, also inside imported
  // instances): instantiation binds them to the resources passed in.
  std::vector<ResourceTypeRef> imported_resources;
  // The resources the component defines and exports: each instantiation makes fresh ones.
  std::vector<ResourceTypeRef> defined_resources;
};

}  // namespace berth::component
