// The resolved WIT model: packages hold interfaces and worlds, interfaces hold type definitions
// and functions. Everything lives in the arenas of one `Resolve` and is referred to by index, so
// a type brought into another interface by `use` is the same TypeDef wherever it is referenced.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "berth/wit/semver.h"

namespace berth::wit {

// An index into one of the arenas of a Resolve; the tag keeps the kinds apart.
template <typename Tag>
struct Id {
  static constexpr uint32_t kInvalid = UINT32_MAX;
  uint32_t index = kInvalid;

  bool valid() const { return index != kInvalid; }
  bool operator==(const Id&) const = default;
  auto operator<=>(const Id&) const = default;
};
using PackageId = Id<struct PackageTag>;
using InterfaceId = Id<struct InterfaceTag>;
using WorldId = Id<struct WorldTag>;
using TypeId = Id<struct TypeTag>;

// Feature gates: `@since(version = ..)`, `@unstable(feature = ..)`, `@deprecated(version = ..)`.
struct Stability {
  enum class Kind : uint8_t { kUnknown, kStable, kUnstable };
  Kind kind = Kind::kUnknown;
  std::optional<Version> since;       // set when kind is kStable
  std::string feature;                // set when kind is kUnstable
  std::optional<Version> deprecated;  // either kind may also be deprecated

  bool operator==(const Stability&) const = default;
};

enum class Primitive : uint8_t {
  kBool,
  kU8,
  kU16,
  kU32,
  kU64,
  kS8,
  kS16,
  kS32,
  kS64,
  kF32,
  kF64,
  kChar,
  kString,
  kErrorContext,
};
std::string_view to_string(Primitive p);

// A reference to a type: a primitive or a type definition of the Resolve.
class Type {
 public:
  Type(Primitive p) : value_(p) {}
  Type(TypeId id) : value_(id) {}

  bool is_primitive() const { return value_.index() == 0; }
  Primitive primitive() const { return std::get<0>(value_); }
  TypeId id() const { return std::get<1>(value_); }

  // Identity, not structure: two `list<u8>` written in two places are different TypeDefs.
  bool operator==(const Type&) const = default;

 private:
  std::variant<Primitive, TypeId> value_;
};

struct Field {
  std::string name;
  Type type;
  std::string docs;
};
struct Record {
  std::vector<Field> fields;
};
struct Resource {};
enum class HandleKind : uint8_t { kOwn, kBorrow };
struct Handle {
  HandleKind kind = HandleKind::kOwn;
  TypeId resource;  // a Resource typedef or an alias of one, as written
};
struct Flag {
  std::string name;
  std::string docs;
};
struct Flags {
  std::vector<Flag> flags;
};
struct Tuple {
  std::vector<Type> types;
};
struct Case {
  std::string name;
  std::optional<Type> type;
  std::string docs;
};
struct Variant {
  std::vector<Case> cases;
};
struct EnumCase {
  std::string name;
  std::string docs;
};
struct Enum {
  std::vector<EnumCase> cases;
};
struct Option {
  Type type;
};
struct ResultType {  // not `Result`, which is berth::Result
  std::optional<Type> ok;
  std::optional<Type> err;
};
struct List {
  Type element;
};
struct FixedList {  // list<T, N>
  Type element;
  uint32_t length = 0;
};
struct Map {
  Type key;
  Type value;
};
struct Future {
  std::optional<Type> payload;
};
struct Stream {
  std::optional<Type> payload;
};
// `type a = b;`, `type a = u32;` and every name brought in by `use`.
struct Alias {
  Type target;
};

using TypeDefKind = std::variant<Record, Resource, Handle, Flags, Tuple, Variant, Enum, Option,
                                 ResultType, List, FixedList, Map, Future, Stream, Alias>;

struct TypeOwner {
  enum class Kind : uint8_t { kNone, kInterface, kWorld };
  Kind kind = Kind::kNone;
  InterfaceId interface;
  WorldId world;
};

struct TypeDef {
  std::string name;  // empty for anonymous types such as `list<u8>` or `borrow<r>`
  TypeDefKind kind;
  TypeOwner owner;
  std::string docs;
  Stability stability;
  std::string external_id;  // `@external-id("...")`, empty when absent
};

enum class FunctionKind : uint8_t { kFreestanding, kMethod, kStatic, kConstructor };

struct Param {
  std::string name;
  Type type;
};

struct Function {
  // The component-level name: "get", "[method]blob.read", "[static]blob.merge",
  // "[constructor]blob".
  std::string name;
  FunctionKind kind = FunctionKind::kFreestanding;
  TypeId resource;  // the resource of a method, static function or constructor
  bool is_async = false;
  std::vector<Param> params;  // methods start with `self: borrow<resource>`
  std::optional<Type> result;
  std::string docs;
  Stability stability;
  std::string external_id;

  // The name as written inside a resource block: "read" for "[method]blob.read", the resource
  // name for a constructor; `name` itself for a freestanding function.
  std::string_view item_name() const;
};

struct Interface {
  std::optional<std::string> name;  // absent for `import x: interface { ... }` in a world
  std::optional<PackageId> package;
  std::vector<TypeId> types;  // in definition order; each TypeDef carries its name
  std::vector<Function> functions;
  std::string docs;
  Stability stability;
};

struct WorldItem {
  enum class Kind : uint8_t { kInterface, kFunction, kType };
  Kind kind = Kind::kInterface;
  // The plain name. Empty for an interface imported or exported by its interface name
  // (`import wasi:io/streams;`); set for `import x: func()`, `import x: interface {..}`,
  // `import x: some-interface;` (x implements that interface) and for types.
  std::string name;
  InterfaceId interface;  // kInterface
  Function function;      // kFunction (carries its own docs and stability)
  TypeId type;            // kType (the TypeDef carries its docs and stability)
  std::string docs;       // kInterface only
  Stability stability;    // kInterface only
  std::string external_id;
};

struct World {
  std::string name;
  PackageId package;
  // Includes are merged in, and the interfaces that imports and exports depend on are added
  // as imports, so these lists are what a component targeting the world sees.
  std::vector<WorldItem> imports;
  std::vector<WorldItem> exports;
  std::string docs;
  Stability stability;
};

struct PackageName {
  std::string ns;  // `wasi` in `wasi:io@0.2.0`
  std::string name;
  std::optional<Version> version;

  std::string to_string() const;  // "wasi:io@0.2.0"
  bool operator==(const PackageName&) const = default;
};

struct Package {
  PackageName name;
  std::string docs;
  std::vector<InterfaceId> interfaces;  // named interfaces only
  std::vector<WorldId> worlds;
};

// Every package loaded so far, with the arenas their items live in.
struct Resolve {
  std::vector<Package> packages;
  std::vector<Interface> interfaces;
  std::vector<World> worlds;
  std::vector<TypeDef> types;

  const Package& package(PackageId id) const { return packages[id.index]; }
  const Interface& interface(InterfaceId id) const { return interfaces[id.index]; }
  const World& world(WorldId id) const { return worlds[id.index]; }
  const TypeDef& type(TypeId id) const { return types[id.index]; }

  std::optional<PackageId> find_package(const PackageName& name) const;
  std::optional<InterfaceId> find_interface(PackageId package, std::string_view name) const;
  std::optional<WorldId> find_world(PackageId package, std::string_view name) const;
  std::optional<TypeId> find_type(InterfaceId interface, std::string_view name) const;
  const Function* find_function(InterfaceId interface, std::string_view name) const;

  // Follows `Alias` definitions to the type they stand for; `use`d names reach the original.
  TypeId dealias(TypeId id) const;
  // "wasi:io/streams@0.2.0" for a named interface, "" for an anonymous one.
  std::string interface_path(InterfaceId id) const;
  // "wasi:cli/command@0.2.0".
  std::string world_path(WorldId id) const;
  // The key of a world item: its plain name, or the interface path when it has none.
  std::string item_key(const WorldItem& item) const;
};

// Compares two models structurally, across Resolves: packages, interfaces and worlds are matched
// by name, named types by owner and name, anonymous types by structure, docs and gates included.
// Function order inside an interface does not matter; everything else keeps its order. Returns
// an empty string when they are equal, otherwise a description of the first difference.
std::string first_difference(const Resolve& a, const Resolve& b);
inline bool equivalent(const Resolve& a, const Resolve& b) {
  return first_difference(a, b).empty();
}

}  // namespace berth::wit
