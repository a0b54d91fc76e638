// Resolution of one package's syntax trees into the model. The loader (loader.cc) groups files
// into packages and resolves packages in dependency order; PackageResolver does one package:
// names, `use`, types and functions (resolver.cc), worlds with `include` and the interfaces they
// pull in (worlds.cc).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "ast.h"
#include "berth/result.h"
#include "berth/wit/model.h"
#include "berth/wit/resolve.h"

namespace berth::wit {

// The parts of one package: the top-level items of each of its files, or one nested block.
struct UnresolvedPackage {
  struct Part {
    const ast::File* file = nullptr;
    const std::vector<ast::PackageItem>* items = nullptr;
  };
  ast::PackageName name;
  const ast::File* name_file = nullptr;  // where `name` was written
  std::string docs;
  std::vector<Part> parts;
};

PackageName to_model(const ast::PackageName& name);
// Whether an item with these gates is part of the model under `options`.
bool gate_enabled(const ast::Gates& gates, const ResolveOptions& options);
Stability to_stability(const ast::Gates& gates);
// A type without a name or owner, such as `list<u8>`.
inline TypeDef anonymous_type(TypeDefKind kind) {
  TypeDef def;
  def.kind = std::move(kind);
  return def;
}
// ASCII lower case, for the case-insensitive uniqueness of names WIT requires.
std::string fold_case(std::string_view name);

// A dependency of node i on node `on`, written at `pos`.
struct Dependency {
  size_t on = 0;
  Pos pos;
};
// A cycle found by topo_sort: the nodes in order, and the dependency that closes it.
struct Cycle {
  std::vector<size_t> nodes;
  size_t closing_node = 0;  // the node whose dependency closes the cycle
  Pos pos;
};
// Orders nodes so that every node comes after the nodes it depends on, keeping the input order
// where it can. Fails with the first cycle found.
std::variant<std::vector<size_t>, Cycle> topo_sort(
    const std::vector<std::vector<Dependency>>& deps);

class PackageResolver {
 public:
  PackageResolver(Resolve& resolve, const UnresolvedPackage& package, const ResolveOptions& options)
      : resolve_(resolve), unresolved_(package), options_(options) {}

  // Adds the package to the Resolve. Packages it refers to must already be there.
  Result<PackageId> run();

 private:
  // What a name at package level stands for.
  struct Target {
    bool is_world = false;
    InterfaceId interface;
    WorldId world;
  };
  struct PackageEntry {
    Target target;
    Pos pos;
    const ast::File* file = nullptr;
  };
  // Names of an interface or world body: types, functions, world imports.
  struct Scope {
    struct Entry {
      bool is_type = true;
      TypeId type;
      Pos pos;
    };
    std::map<std::string, Entry> names;           // keyed by fold_case(name)
    std::map<std::string, std::string> excluded;  // name -> feature that gates it out
  };
  struct PendingType {
    const ast::TypeDefItem* item = nullptr;
    TypeId id;
  };
  struct InterfaceSource {
    const ast::Interface* ast = nullptr;
    size_t part = 0;
    InterfaceId id;
  };
  struct WorldSource {
    const ast::World* ast = nullptr;
    size_t part = 0;
    WorldId id;
  };

  const ast::File& file(size_t part) const { return *unresolved_.parts[part].file; }
  Error error(size_t part, Pos pos, ErrorCode code, std::string_view message) const;
  bool enabled(const ast::Gates& gates) const { return gate_enabled(gates, options_); }

  // Package level (resolver.cc).
  Result<void> declare_items();
  Result<void> declare_top_uses();
  Result<Target> lookup(const ast::UsePath& path, size_t part, bool through_file_scope = true);
  Result<InterfaceId> lookup_interface(const ast::UsePath& path, size_t part);
  Result<WorldId> lookup_world(const ast::UsePath& path, size_t part);
  Result<std::vector<size_t>> interface_order();

  // Interface bodies, types and functions (resolver.cc).
  Result<void> resolve_interface(InterfaceId id, const std::vector<ast::InterfaceItem>& items,
                                 size_t part);
  Result<void> declare(Scope& scope, const ast::Ident& name, bool is_type, TypeId type, size_t part,
                       std::string_view what);
  Result<std::vector<TypeId>> declare_use(const ast::UseItem& use, TypeOwner owner, Scope& scope,
                                          size_t part);
  Result<TypeId> declare_typedef(const ast::TypeDefItem& item, TypeOwner owner, Scope& scope,
                                 size_t part);
  Result<void> resolve_typedefs(const std::vector<PendingType>& pending, const Scope& scope,
                                size_t part);
  Result<TypeDefKind> resolve_typedef_kind(const ast::TypeDefItem& item, const Scope& scope,
                                           size_t part);
  Result<Type> resolve_type(const ast::TypeExpr& expr, const Scope& scope, size_t part);
  Result<TypeDefKind> resolve_compound(const ast::TypeExpr& expr, const Scope& scope, size_t part);
  Result<TypeId> lookup_type(const ast::Ident& name, const Scope& scope, size_t part);
  Result<Function> resolve_function(std::string name, const ast::Ident& at,
                                    const ast::FuncType& func, FunctionKind kind, TypeId resource,
                                    const Scope& scope, size_t part);
  Result<std::vector<Function>> resolve_resource_funcs(const ast::TypeDefItem& item, TypeId id,
                                                       const Scope& scope, size_t part);
  TypeId add_type(TypeDef def);
  bool is_resource(TypeId id) const;
  bool contains_borrow(const Type& type) const;

  // Worlds (worlds.cc).
  Result<std::vector<size_t>> world_order();
  Result<void> resolve_world(const WorldSource& source);
  Result<void> merge_include(WorldId into, WorldId from, const ast::Include& include, size_t part);
  void elaborate(WorldId id);

  Resolve& resolve_;
  const UnresolvedPackage& unresolved_;
  const ResolveOptions& options_;
  PackageId package_;
  std::map<std::string, PackageEntry> items_;  // keyed by fold_case(name)
  std::map<std::string, std::string> excluded_items_;
  std::vector<std::map<std::string, const ast::TopUse*>> file_uses_;  // per part
  std::vector<InterfaceSource> interfaces_;
  std::vector<WorldSource> worlds_;
};

}  // namespace berth::wit
