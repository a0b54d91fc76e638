// Worlds: their own items, `include` (merging another world's items, with `with` renames) and
// elaboration (importing every interface the world's items depend on).
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "resolver.h"

namespace berth::wit {
namespace {

// Copies the world-owned types and anonymous interfaces of an included world into the including
// world, so each world owns the types it prints and references them by its own ids.
class Cloner {
 public:
  Cloner(Resolve& resolve, WorldId into, PackageId package)
      : resolve_(resolve), into_(into), package_(package) {}

  void add_type(TypeId old, std::string name) {
    TypeDef copy = resolve_.type(old);
    copy.name = std::move(name);
    copy.owner = TypeOwner{TypeOwner::Kind::kWorld, InterfaceId{}, into_};
    TypeId id = push(std::move(copy));
    types_[old.index] = id;
    fresh_.push_back(id);
  }

  void add_interface(InterfaceId old) {
    InterfaceId id{static_cast<uint32_t>(resolve_.interfaces.size())};
    Interface copy = resolve_.interface(old);
    copy.package = package_;
    copy.types.clear();
    resolve_.interfaces.push_back(copy);
    for (TypeId type : resolve_.interface(old).types) {
      TypeDef def = resolve_.type(type);
      def.owner = TypeOwner{TypeOwner::Kind::kInterface, id, WorldId{}};
      TypeId fresh = push(std::move(def));
      types_[type.index] = fresh;
      fresh_.push_back(fresh);
      resolve_.interfaces[id.index].types.push_back(fresh);
    }
    interfaces_[old.index] = id;
  }

  // Rewrites the copies to refer to each other instead of to the originals.
  void finish() {
    for (TypeId id : fresh_) {
      bool changed = false;
      TypeDefKind kind = remap_kind(resolve_.type(id).kind, changed);
      resolve_.types[id.index].kind = std::move(kind);
    }
    for (const auto& [old, id] : interfaces_) {
      std::vector<Function> functions = resolve_.interfaces[id.index].functions;
      for (Function& f : functions) f = function(f);
      resolve_.interfaces[id.index].functions = std::move(functions);
    }
  }

  TypeId type(TypeId old) const {
    auto it = types_.find(old.index);
    return it == types_.end() ? old : it->second;
  }
  InterfaceId interface(InterfaceId old) const {
    auto it = interfaces_.find(old.index);
    return it == interfaces_.end() ? old : it->second;
  }
  Function function(const Function& f) {
    Function copy = f;
    for (Param& p : copy.params) p.type = remap(p.type);
    if (copy.result) copy.result = remap(*copy.result);
    if (copy.resource.valid()) {
      copy.resource = type(copy.resource);
      // Methods are named after their resource, which `with` may have renamed.
      const std::string& resource = resolve_.type(copy.resource).name;
      std::string item(f.item_name());
      switch (copy.kind) {
        case FunctionKind::kConstructor:
          copy.name = fmt::format("[constructor]{}", resource);
          break;
        case FunctionKind::kMethod:
          copy.name = fmt::format("[method]{}.{}", resource, item);
          break;
        case FunctionKind::kStatic:
          copy.name = fmt::format("[static]{}.{}", resource, item);
          break;
        case FunctionKind::kFreestanding:
          break;
      }
    }
    return copy;
  }

 private:
  TypeId push(TypeDef def) {
    TypeId id{static_cast<uint32_t>(resolve_.types.size())};
    resolve_.types.push_back(std::move(def));
    return id;
  }

  Type remap(const Type& t) {
    if (t.is_primitive()) return t;
    if (auto it = types_.find(t.id().index); it != types_.end()) return Type(it->second);
    const TypeDef& def = resolve_.type(t.id());
    if (!def.name.empty()) return t;
    if (auto it = anonymous_.find(t.id().index); it != anonymous_.end()) return Type(it->second);
    bool changed = false;
    TypeDefKind kind = remap_kind(def.kind, changed);
    TypeId result = t.id();
    if (changed) result = push(anonymous_type(std::move(kind)));
    anonymous_[t.id().index] = result;
    return Type(result);
  }

  TypeDefKind remap_kind(const TypeDefKind& kind, bool& changed) {
    auto map = [&](const Type& t) {
      Type r = remap(t);
      changed |= !(r == t);
      return r;
    };
    auto map_opt = [&](const std::optional<Type>& t) -> std::optional<Type> {
      if (!t) return t;
      return map(*t);
    };
    TypeDefKind out = kind;
    std::visit(
        [&](auto& k) {
          using K = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<K, Record>) {
            for (Field& f : k.fields) f.type = map(f.type);
          } else if constexpr (std::is_same_v<K, Handle>) {
            TypeId r = type(k.resource);
            changed |= !(r == k.resource);
            k.resource = r;
          } else if constexpr (std::is_same_v<K, Tuple>) {
            for (Type& t : k.types) t = map(t);
          } else if constexpr (std::is_same_v<K, Variant>) {
            for (Case& c : k.cases) c.type = map_opt(c.type);
          } else if constexpr (std::is_same_v<K, Option>) {
            k.type = map(k.type);
          } else if constexpr (std::is_same_v<K, ResultType>) {
            k.ok = map_opt(k.ok);
            k.err = map_opt(k.err);
          } else if constexpr (std::is_same_v<K, List> || std::is_same_v<K, FixedList>) {
            k.element = map(k.element);
          } else if constexpr (std::is_same_v<K, Map>) {
            k.key = map(k.key);
            k.value = map(k.value);
          } else if constexpr (std::is_same_v<K, Future> || std::is_same_v<K, Stream>) {
            k.payload = map_opt(k.payload);
          } else if constexpr (std::is_same_v<K, Alias>) {
            k.target = map(k.target);
          }
        },
        out);
    return out;
  }

  Resolve& resolve_;
  WorldId into_;
  PackageId package_;
  std::map<uint32_t, TypeId> types_;
  std::map<uint32_t, InterfaceId> interfaces_;
  std::map<uint32_t, TypeId> anonymous_;
  std::vector<TypeId> fresh_;
};

// Interfaces whose types `id` brings in with `use`, in the order it uses them.
std::vector<InterfaceId> interface_deps(const Resolve& resolve, InterfaceId id) {
  std::vector<InterfaceId> deps;
  for (TypeId type : resolve.interface(id).types) {
    const auto* alias = std::get_if<Alias>(&resolve.type(type).kind);
    if (!alias || alias->target.is_primitive()) continue;
    const TypeOwner& owner = resolve.type(alias->target.id()).owner;
    if (owner.kind != TypeOwner::Kind::kInterface || owner.interface == id) continue;
    if (std::find(deps.begin(), deps.end(), owner.interface) == deps.end()) {
      deps.push_back(owner.interface);
    }
  }
  return deps;
}

}  // namespace

Result<std::vector<size_t>> PackageResolver::world_order() {
  std::map<uint32_t, size_t> local;
  for (size_t i = 0; i < worlds_.size(); ++i) local[worlds_[i].id.index] = i;
  std::vector<std::vector<Dependency>> deps(worlds_.size());
  for (size_t i = 0; i < worlds_.size(); ++i) {
    for (const ast::WorldItem& item : worlds_[i].ast->items) {
      const auto* include = std::get_if<ast::Include>(&item);
      if (!include || !enabled(include->gates)) continue;
      BERTH_TRY_ASSIGN(WorldId target, lookup_world(include->path, worlds_[i].part));
      if (auto it = local.find(target.index); it != local.end()) {
        deps[i].push_back({it->second, include->path.pos});
      }
    }
  }
  auto sorted = topo_sort(deps);
  if (auto* cycle = std::get_if<Cycle>(&sorted)) {
    std::string path;
    for (size_t n : cycle->nodes) path += fmt::format("'{}' -> ", worlds_[n].ast->name.name);
    path += fmt::format("'{}'", worlds_[cycle->nodes.front()].ast->name.name);
    return error(worlds_[cycle->closing_node].part, cycle->pos, ErrorCode::kInvalid,
                 fmt::format("worlds include each other in a cycle: {}", path));
  }
  return std::get<0>(std::move(sorted));
}

Result<void> PackageResolver::resolve_world(const WorldSource& source) {
  const ast::World& world = *source.ast;
  const size_t part = source.part;
  const WorldId id = source.id;
  const TypeOwner owner{TypeOwner::Kind::kWorld, InterfaceId{}, id};
  Scope scope;  // world types and import names share one namespace
  std::map<std::string, Pos> export_names;
  std::vector<PendingType> pending;
  std::vector<std::vector<TypeId>> declared(world.items.size());

  for (size_t i = 0; i < world.items.size(); ++i) {
    const ast::WorldItem& item = world.items[i];
    if (const auto* use = std::get_if<ast::UseItem>(&item)) {
      if (!enabled(use->gates)) {
        for (const ast::UseName& n : use->names) {
          scope.excluded[fold_case((n.as ? *n.as : n.name).name)] = use->gates.unstable->name;
        }
        continue;
      }
      BERTH_TRY_ASSIGN(declared[i], declare_use(*use, owner, scope, part));
    } else if (const auto* def = std::get_if<ast::TypeDefItem>(&item)) {
      if (!enabled(def->gates)) {
        scope.excluded[fold_case(def->name.name)] = def->gates.unstable->name;
        continue;
      }
      BERTH_TRY_ASSIGN(TypeId type, declare_typedef(*def, owner, scope, part));
      declared[i].push_back(type);
      pending.push_back({def, type});
    } else if (const auto* ext = std::get_if<ast::Extern>(&item)) {
      if (!enabled(ext->gates) || ext->kind == ast::Extern::Kind::kPath) continue;
      if (!ext->is_export) {
        BERTH_TRY(declare(scope, ext->label, false, TypeId{}, part, "world's imports"));
      } else if (auto [it, fresh] =
                     export_names.emplace(fold_case(ext->label.name), ext->label.pos);
                 !fresh) {
        return error(
            part, ext->label.pos, ErrorCode::kInvalid,
            fmt::format("'{}' is exported twice from world '{}' (first at line {}, "
                        "column {})",
                        ext->label.name, world.name.name, it->second.line, it->second.column));
      }
    }
  }
  BERTH_TRY(resolve_typedefs(pending, scope, part));

  std::vector<WorldItem> imports;
  std::vector<WorldItem> exports;
  for (size_t i = 0; i < world.items.size(); ++i) {
    const ast::WorldItem& item = world.items[i];
    for (TypeId type : declared[i]) {
      WorldItem wi;
      wi.kind = WorldItem::Kind::kType;
      wi.name = resolve_.type(type).name;
      wi.type = type;
      imports.push_back(std::move(wi));
    }
    if (const auto* def = std::get_if<ast::TypeDefItem>(&item)) {
      if (def->kind != ast::TypeDefItem::Kind::kResource || declared[i].empty()) continue;
      BERTH_TRY_ASSIGN(std::vector<Function> methods,
                       resolve_resource_funcs(*def, declared[i][0], scope, part));
      for (Function& f : methods) {
        WorldItem wi;
        wi.kind = WorldItem::Kind::kFunction;
        wi.name = f.name;
        wi.function = std::move(f);
        imports.push_back(std::move(wi));
      }
      continue;
    }
    const auto* ext = std::get_if<ast::Extern>(&item);
    if (!ext || !enabled(ext->gates)) continue;
    std::vector<WorldItem>& list = ext->is_export ? exports : imports;
    WorldItem wi;
    wi.docs = ext->docs;
    wi.stability = to_stability(ext->gates);
    wi.external_id = ext->gates.external_id.value_or("");
    switch (ext->kind) {
      case ast::Extern::Kind::kPath: {
        BERTH_TRY_ASSIGN(wi.interface, lookup_interface(ext->path, part));
        bool twice = std::any_of(list.begin(), list.end(), [&](const WorldItem& other) {
          return other.kind == WorldItem::Kind::kInterface && other.name.empty() &&
                 other.interface == wi.interface;
        });
        if (twice) {
          return error(part, ext->path.pos, ErrorCode::kInvalid,
                       fmt::format("interface '{}' is {} twice by world '{}'",
                                   resolve_.interface_path(wi.interface),
                                   ext->is_export ? "exported" : "imported", world.name.name));
        }
        break;
      }
      case ast::Extern::Kind::kNamedPath: {
        wi.name = ext->label.name;
        BERTH_TRY_ASSIGN(wi.interface, lookup_interface(ext->path, part));
        break;
      }
      case ast::Extern::Kind::kFunc: {
        wi.kind = WorldItem::Kind::kFunction;
        wi.name = ext->label.name;
        BERTH_TRY_ASSIGN(wi.function,
                         resolve_function(ext->label.name, ext->label, ext->func,
                                          FunctionKind::kFreestanding, TypeId{}, scope, part));
        wi.function.docs = std::move(wi.docs);
        wi.function.stability = std::move(wi.stability);
        wi.function.external_id = std::move(wi.external_id);
        wi.docs.clear();
        wi.stability = Stability{};
        wi.external_id.clear();
        break;
      }
      case ast::Extern::Kind::kInterface: {
        wi.name = ext->label.name;
        wi.interface = InterfaceId{static_cast<uint32_t>(resolve_.interfaces.size())};
        Interface anonymous;
        anonymous.package = package_;
        resolve_.interfaces.push_back(std::move(anonymous));
        BERTH_TRY(resolve_interface(wi.interface, ext->items, part));
        break;
      }
    }
    list.push_back(std::move(wi));
  }
  resolve_.worlds[id.index].imports = std::move(imports);
  resolve_.worlds[id.index].exports = std::move(exports);

  for (const ast::WorldItem& item : world.items) {
    const auto* include = std::get_if<ast::Include>(&item);
    if (!include || !enabled(include->gates)) continue;
    BERTH_TRY_ASSIGN(WorldId from, lookup_world(include->path, part));
    BERTH_TRY(merge_include(id, from, *include, part));
  }
  elaborate(id);
  return {};
}

Result<void> PackageResolver::merge_include(WorldId into, WorldId from, const ast::Include& include,
                                            size_t part) {
  const World source = resolve_.world(from);
  const std::string source_name = resolve_.world_path(from);
  std::map<std::string, std::string> renames;
  for (const ast::IncludeName& name : include.with) {
    std::string key = fold_case(name.from.name);
    auto named = [&](const WorldItem& item) { return fold_case(item.name) == key; };
    auto by_interface = [&](const WorldItem& item) {
      if (item.kind != WorldItem::Kind::kInterface || !item.name.empty()) return false;
      const auto& iface_name = resolve_.interface(item.interface).name;
      return iface_name && fold_case(*iface_name) == key;
    };
    bool found = std::any_of(source.imports.begin(), source.imports.end(), named) ||
                 std::any_of(source.exports.begin(), source.exports.end(), named);
    if (!found) {
      bool interface = std::any_of(source.imports.begin(), source.imports.end(), by_interface) ||
                       std::any_of(source.exports.begin(), source.exports.end(), by_interface);
      if (interface) {
        return error(part, name.from.pos, ErrorCode::kInvalid,
                     fmt::format("'{}' is an interface imported or exported by its interface "
                                 "name; 'with' can only rename plain names",
                                 name.from.name));
      }
      return error(part, name.from.pos, ErrorCode::kNotFound,
                   fmt::format("world '{}' has no import or export named '{}' to rename",
                               source_name, name.from.name));
    }
    renames[key] = name.to.name;
  }
  auto renamed = [&](const std::string& name) {
    auto it = renames.find(fold_case(name));
    return it == renames.end() ? name : it->second;
  };

  Cloner cloner(resolve_, into, package_);
  for (const auto* list : {&source.imports, &source.exports}) {
    for (const WorldItem& item : *list) {
      if (item.kind == WorldItem::Kind::kType) {
        const TypeOwner& owner = resolve_.type(item.type).owner;
        if (owner.kind == TypeOwner::Kind::kWorld && owner.world == from) {
          cloner.add_type(item.type, renamed(item.name));
        }
      } else if (item.kind == WorldItem::Kind::kInterface &&
                 !resolve_.interface(item.interface).name) {
        cloner.add_interface(item.interface);
      }
    }
  }
  cloner.finish();

  World& target = resolve_.worlds[into.index];
  for (bool exports : {false, true}) {
    const std::vector<WorldItem>& from_list = exports ? source.exports : source.imports;
    std::vector<WorldItem>& to_list = exports ? target.exports : target.imports;
    for (const WorldItem& item : from_list) {
      WorldItem copy = item;
      copy.interface = cloner.interface(item.interface);
      copy.type = cloner.type(item.type);
      if (copy.kind == WorldItem::Kind::kFunction) {
        copy.function = cloner.function(item.function);
        if (copy.function.kind != FunctionKind::kFreestanding) copy.name = copy.function.name;
      }
      if (copy.name.empty()) {
        bool present = std::any_of(to_list.begin(), to_list.end(), [&](const WorldItem& other) {
          return other.kind == WorldItem::Kind::kInterface && other.name.empty() &&
                 other.interface == copy.interface;
        });
        if (!present) to_list.push_back(std::move(copy));
        continue;
      }
      bool resource_function = copy.kind == WorldItem::Kind::kFunction &&
                               copy.function.kind != FunctionKind::kFreestanding;
      if (!resource_function) copy.name = renamed(item.name);
      if (copy.kind == WorldItem::Kind::kFunction && !resource_function) {
        copy.function.name = copy.name;
      }
      auto clash = std::find_if(to_list.begin(), to_list.end(), [&](const WorldItem& other) {
        return fold_case(other.name) == fold_case(copy.name);
      });
      if (clash != to_list.end()) {
        // The same `use`d type reached through two included worlds is one type.
        if (clash->kind == WorldItem::Kind::kType && copy.kind == WorldItem::Kind::kType &&
            resolve_.dealias(clash->type) == resolve_.dealias(copy.type)) {
          continue;
        }
        return error(part, include.pos, ErrorCode::kInvalid,
                     fmt::format("{} '{}' of included world '{}' clashes with an item of the same "
                                 "name; rename it with 'include {} with {{ {} as ... }}'",
                                 exports ? "export" : "import", copy.name, source_name,
                                 include.path.name.name, item.name));
      }
      to_list.push_back(std::move(copy));
    }
  }
  return {};
}

void PackageResolver::elaborate(WorldId id) {
  World& world = resolve_.worlds[id.index];
  std::map<uint32_t, const WorldItem*> explicit_imports;
  for (const WorldItem& item : world.imports) {
    if (item.kind == WorldItem::Kind::kInterface && item.name.empty()) {
      explicit_imports[item.interface.index] = &item;
    }
  }
  std::vector<WorldItem> imports;
  std::set<uint32_t> placed;
  std::function<void(InterfaceId)> import_interface = [&](InterfaceId iface) {
    if (!placed.insert(iface.index).second) return;
    for (InterfaceId dep : interface_deps(resolve_, iface)) import_interface(dep);
    if (auto it = explicit_imports.find(iface.index); it != explicit_imports.end()) {
      imports.push_back(*it->second);
    } else {
      WorldItem item;
      item.interface = iface;
      imports.push_back(std::move(item));
    }
  };
  for (const WorldItem& item : world.imports) {
    switch (item.kind) {
      case WorldItem::Kind::kInterface:
        if (item.name.empty()) {
          import_interface(item.interface);
          continue;
        }
        for (InterfaceId dep : interface_deps(resolve_, item.interface)) import_interface(dep);
        break;
      case WorldItem::Kind::kType:
        if (const auto* alias = std::get_if<Alias>(&resolve_.type(item.type).kind);
            alias && !alias->target.is_primitive()) {
          const TypeOwner& owner = resolve_.type(alias->target.id()).owner;
          if (owner.kind == TypeOwner::Kind::kInterface) import_interface(owner.interface);
        }
        break;
      case WorldItem::Kind::kFunction:
        break;
    }
    imports.push_back(item);
  }
  // What an exported interface uses is imported, unless the world exports it too.
  std::set<uint32_t> exported;
  for (const WorldItem& item : world.exports) {
    if (item.kind == WorldItem::Kind::kInterface && item.name.empty()) {
      exported.insert(item.interface.index);
    }
  }
  for (const WorldItem& item : world.exports) {
    if (item.kind != WorldItem::Kind::kInterface) continue;
    for (InterfaceId dep : interface_deps(resolve_, item.interface)) {
      if (!exported.count(dep.index)) import_interface(dep);
    }
  }
  world.imports = std::move(imports);
}

}  // namespace berth::wit
