// The syntax tree of one WIT file, as written: names are not resolved yet.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "berth/wit/model.h"
#include "lexer.h"

namespace berth::wit::ast {

struct Ident {
  std::string name;
  Pos pos;
};

// `@since`, `@unstable`, `@deprecated` and `@external-id` written before an item.
struct Gates {
  std::optional<Version> since;
  std::optional<Ident> unstable;  // the feature name
  std::optional<Version> deprecated;
  std::optional<std::string> external_id;
};

struct PackageName {
  Ident ns;
  Ident name;
  std::optional<Version> version;
  Pos version_pos;
  Pos pos;
};

// `iface` (in the current package, or a name from a top-level `use`) or `ns:pkg/iface@v`.
struct UsePath {
  std::optional<PackageName> package;
  Ident name;
  Pos pos;
};

struct TypeExpr {
  enum class Kind : uint8_t {
    kPrimitive,
    kNamed,
    kList,
    kFixedList,
    kOption,
    kResult,
    kTuple,
    kMap,
    kFuture,
    kStream,
    kOwn,
    kBorrow,
  };
  Kind kind = Kind::kPrimitive;
  Primitive primitive = Primitive::kBool;
  Ident name;  // kNamed, kOwn, kBorrow
  // list/option/fixed list: {element}; tuple: its types; map: {key, value}; future/stream: {} or
  // {payload}; result: the ok type if has_ok, then the err type if has_err.
  std::vector<TypeExpr> args;
  bool has_ok = false;
  bool has_err = false;
  uint32_t length = 0;  // kFixedList
  Pos pos;
};

struct NamedType {
  Ident name;
  TypeExpr type;
};

struct FuncType {
  bool is_async = false;
  std::vector<NamedType> params;
  std::optional<TypeExpr> result;
  Pos pos;
};

struct ResourceFunc {
  enum class Kind : uint8_t { kMethod, kStatic, kConstructor };
  Kind kind = Kind::kMethod;
  Ident name;  // the `constructor` keyword's position for constructors
  FuncType func;
  Gates gates;
  std::string docs;
};

// A record field, variant case, enum case or flag.
struct Member {
  Ident name;
  std::optional<TypeExpr> type;
  std::string docs;
};

struct TypeDefItem {
  enum class Kind : uint8_t { kAlias, kRecord, kVariant, kEnum, kFlags, kResource };
  Kind kind = Kind::kAlias;
  Ident name;
  std::optional<TypeExpr> alias;  // kAlias
  std::vector<Member> members;
  std::vector<ResourceFunc> funcs;  // kResource
  Gates gates;
  std::string docs;
};

struct UseName {
  Ident name;
  std::optional<Ident> as;
};

// `use path.{a, b as c};` inside an interface or world.
struct UseItem {
  UsePath path;
  std::vector<UseName> names;
  Gates gates;
  Pos pos;
};

struct FuncItem {
  Ident name;
  FuncType func;
  Gates gates;
  std::string docs;
};

using InterfaceItem = std::variant<UseItem, TypeDefItem, FuncItem>;

struct Interface {
  Ident name;
  std::vector<InterfaceItem> items;
  Gates gates;
  std::string docs;
};

// An `import` or `export` of a world.
struct Extern {
  enum class Kind : uint8_t {
    kPath,       // import iface; / import ns:pkg/iface@v;
    kNamedPath,  // import label: iface;
    kFunc,       // import label: func(...);
    kInterface,  // import label: interface { ... }
  };
  bool is_export = false;
  Kind kind = Kind::kPath;
  Ident label;
  UsePath path;
  FuncType func;
  std::vector<InterfaceItem> items;
  Gates gates;
  std::string docs;
  Pos pos;
};

struct IncludeName {
  Ident from;
  Ident to;
};

struct Include {
  UsePath path;
  std::vector<IncludeName> with;
  Gates gates;
  Pos pos;
};

using WorldItem = std::variant<Extern, UseItem, TypeDefItem, Include>;

struct World {
  Ident name;
  std::vector<WorldItem> items;
  Gates gates;
  std::string docs;
};

// `use ns:pkg/iface@v as name;` at the top of a file: a file-local name for an interface or world.
struct TopUse {
  UsePath path;
  std::optional<Ident> as;
  Gates gates;
  Pos pos;
};

using PackageItem = std::variant<TopUse, Interface, World>;

struct NestedPackage {
  PackageName name;
  std::vector<PackageItem> items;
  std::string docs;
};

struct File {
  std::string path;
  std::optional<PackageName> package;  // `package ns:name@v;`
  std::string package_docs;
  std::vector<PackageItem> items;
  std::vector<NestedPackage> nested;
};

}  // namespace berth::wit::ast
