#include "resolver.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>
#include <utility>

namespace berth::wit {
namespace {

std::string_view typedef_keyword(ast::TypeDefItem::Kind kind) {
  switch (kind) {
    case ast::TypeDefItem::Kind::kAlias:
      return "type";
    case ast::TypeDefItem::Kind::kRecord:
      return "record";
    case ast::TypeDefItem::Kind::kVariant:
      return "variant";
    case ast::TypeDefItem::Kind::kEnum:
      return "enum";
    case ast::TypeDefItem::Kind::kFlags:
      return "flags";
    case ast::TypeDefItem::Kind::kResource:
      return "resource";
  }
  return "type";
}

std::string_view kind_name(const TypeDefKind& kind) {
  static constexpr std::string_view kNames[] = {
      "a record",          "a resource", "a handle",  "a flags type", "a tuple",
      "a variant",         "an enum",    "an option", "a result",     "a list",
      "a fixed-size list", "a map",      "a future",  "a stream",     "an alias"};
  return kNames[kind.index()];
}

std::string describe_kind(const Resolve& resolve, TypeId id) {
  const TypeDefKind& kind = resolve.type(id).kind;
  if (const auto* alias = std::get_if<Alias>(&kind); alias && alias->target.is_primitive()) {
    return fmt::format("'{}'", to_string(alias->target.primitive()));
  }
  return std::string(kind_name(kind));
}

// Every name a type expression refers to, for ordering the types of one body.
void referenced_names(const ast::TypeExpr& expr, std::vector<const ast::Ident*>& out) {
  switch (expr.kind) {
    case ast::TypeExpr::Kind::kNamed:
    case ast::TypeExpr::Kind::kOwn:
    case ast::TypeExpr::Kind::kBorrow:
      out.push_back(&expr.name);
      break;
    default:
      break;
  }
  for (const ast::TypeExpr& arg : expr.args) referenced_names(arg, out);
}

}  // namespace

std::variant<std::vector<size_t>, Cycle> topo_sort(
    const std::vector<std::vector<Dependency>>& deps) {
  enum class Mark : uint8_t { kNone, kActive, kDone };
  std::vector<Mark> marks(deps.size(), Mark::kNone);
  std::vector<size_t> order;
  std::vector<size_t> stack;
  // Iterative depth-first search so long dependency chains cannot exhaust the stack.
  std::vector<std::pair<size_t, size_t>> work;  // node, next dependency to look at
  for (size_t root = 0; root < deps.size(); ++root) {
    if (marks[root] != Mark::kNone) continue;
    work.push_back({root, 0});
    marks[root] = Mark::kActive;
    stack.push_back(root);
    while (!work.empty()) {
      auto& [node, next] = work.back();
      if (next == deps[node].size()) {
        marks[node] = Mark::kDone;
        order.push_back(node);
        stack.pop_back();
        work.pop_back();
        continue;
      }
      const Dependency& dep = deps[node][next++];
      if (marks[dep.on] == Mark::kActive) {
        auto start = std::find(stack.begin(), stack.end(), dep.on);
        return Cycle{std::vector<size_t>(start, stack.end()), node, dep.pos};
      }
      if (marks[dep.on] == Mark::kNone) {
        marks[dep.on] = Mark::kActive;
        stack.push_back(dep.on);
        work.push_back({dep.on, 0});
      }
    }
  }
  return order;
}

PackageName to_model(const ast::PackageName& name) {
  return PackageName{name.ns.name, name.name.name, name.version};
}

bool gate_enabled(const ast::Gates& gates, const ResolveOptions& options) {
  if (!gates.unstable || options.all_features) return true;
  return std::find(options.features.begin(), options.features.end(), gates.unstable->name) !=
         options.features.end();
}

Stability to_stability(const ast::Gates& gates) {
  Stability s;
  if (gates.since) {
    s.kind = Stability::Kind::kStable;
    s.since = gates.since;
  } else if (gates.unstable) {
    s.kind = Stability::Kind::kUnstable;
    s.feature = gates.unstable->name;
  }
  s.deprecated = gates.deprecated;
  return s;
}

std::string fold_case(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Error PackageResolver::error(size_t part, Pos pos, ErrorCode code, std::string_view message) const {
  return located_error(code, file(part).path, pos, message);
}

Result<PackageId> PackageResolver::run() {
  package_ = PackageId{static_cast<uint32_t>(resolve_.packages.size())};
  Package package;
  package.name = to_model(unresolved_.name);
  package.docs = unresolved_.docs;
  resolve_.packages.push_back(std::move(package));

  BERTH_TRY(declare_items());
  BERTH_TRY(declare_top_uses());
  BERTH_TRY_ASSIGN(std::vector<size_t> order, interface_order());
  for (size_t index : order) {
    const InterfaceSource& source = interfaces_[index];
    BERTH_TRY(resolve_interface(source.id, source.ast->items, source.part));
  }
  BERTH_TRY_ASSIGN(std::vector<size_t> world_sequence, world_order());
  for (size_t index : world_sequence) BERTH_TRY(resolve_world(worlds_[index]));
  return package_;
}

Result<void> PackageResolver::declare_items() {
  for (size_t part = 0; part < unresolved_.parts.size(); ++part) {
    for (const ast::PackageItem& item : *unresolved_.parts[part].items) {
      const ast::Ident* name = nullptr;
      const ast::Gates* gates = nullptr;
      if (auto* iface = std::get_if<ast::Interface>(&item)) {
        name = &iface->name;
        gates = &iface->gates;
      } else if (auto* world = std::get_if<ast::World>(&item)) {
        name = &world->name;
        gates = &world->gates;
      } else {
        continue;
      }
      std::string key = fold_case(name->name);
      if (!enabled(*gates)) {
        excluded_items_[key] = gates->unstable->name;
        continue;
      }
      if (auto it = items_.find(key); it != items_.end()) {
        return error(
            part, name->pos, ErrorCode::kInvalid,
            fmt::format("'{}' is defined twice in package '{}' (first at {}:{}:{})", name->name,
                        resolve_.package(package_).name.to_string(), it->second.file->path,
                        it->second.pos.line, it->second.pos.column));
      }
      PackageEntry entry;
      entry.pos = name->pos;
      entry.file = unresolved_.parts[part].file;
      if (auto* iface = std::get_if<ast::Interface>(&item)) {
        InterfaceId id{static_cast<uint32_t>(resolve_.interfaces.size())};
        Interface model;
        model.name = iface->name.name;
        model.package = package_;
        model.docs = iface->docs;
        model.stability = to_stability(iface->gates);
        resolve_.interfaces.push_back(std::move(model));
        resolve_.packages[package_.index].interfaces.push_back(id);
        entry.target.interface = id;
        interfaces_.push_back({iface, part, id});
      } else {
        const auto& world = std::get<ast::World>(item);
        WorldId id{static_cast<uint32_t>(resolve_.worlds.size())};
        World model;
        model.name = world.name.name;
        model.package = package_;
        model.docs = world.docs;
        model.stability = to_stability(world.gates);
        resolve_.worlds.push_back(std::move(model));
        resolve_.packages[package_.index].worlds.push_back(id);
        entry.target.is_world = true;
        entry.target.world = id;
        worlds_.push_back({&world, part, id});
      }
      items_.emplace(key, entry);
    }
  }
  return {};
}

Result<void> PackageResolver::declare_top_uses() {
  file_uses_.resize(unresolved_.parts.size());
  for (size_t part = 0; part < unresolved_.parts.size(); ++part) {
    for (const ast::PackageItem& item : *unresolved_.parts[part].items) {
      const auto* use = std::get_if<ast::TopUse>(&item);
      if (!use || !enabled(use->gates)) continue;
      const ast::Ident& name = use->as ? *use->as : use->path.name;
      std::string key = fold_case(name.name);
      if (file_uses_[part].count(key)) {
        return error(part, name.pos, ErrorCode::kInvalid,
                     fmt::format("name '{}' is brought in by 'use' twice in this file", name.name));
      }
      if (auto it = items_.find(key); it != items_.end() && use->path.package) {
        return error(part, name.pos, ErrorCode::kInvalid,
                     fmt::format("'use' of '{}' conflicts with the '{}' defined at {}:{}:{}; "
                                 "rename it with 'as'",
                                 name.name, it->first, it->second.file->path, it->second.pos.line,
                                 it->second.pos.column));
      }
      file_uses_[part][key] = use;
    }
  }
  // Check the targets now so a wrong top-level `use` is reported even when nothing uses it.
  for (size_t part = 0; part < unresolved_.parts.size(); ++part) {
    for (const auto& [key, use] : file_uses_[part]) BERTH_TRY(lookup(use->path, part, false));
  }
  return {};
}

Result<PackageResolver::Target> PackageResolver::lookup(const ast::UsePath& path, size_t part,
                                                        bool through_file_scope) {
  const std::string& name = path.name.name;
  if (path.package) {
    PackageName package_name = to_model(*path.package);
    if (package_name == resolve_.package(package_).name) {
      ast::UsePath local;
      local.name = path.name;
      local.pos = path.pos;
      return lookup(local, part, false);
    }
    std::optional<PackageId> package = resolve_.find_package(package_name);
    if (!package) {
      return error(part, path.package->pos, ErrorCode::kNotFound,
                   fmt::format("package '{}' not found", package_name.to_string()));
    }
    if (auto iface = resolve_.find_interface(*package, name)) {
      return Target{false, *iface, WorldId{}};
    }
    if (auto world = resolve_.find_world(*package, name))
      return Target{true, InterfaceId{}, *world};
    return error(part, path.name.pos, ErrorCode::kNotFound,
                 fmt::format("package '{}' has no interface or world named '{}'",
                             package_name.to_string(), name));
  }
  std::string key = fold_case(name);
  if (through_file_scope) {
    if (auto it = file_uses_[part].find(key); it != file_uses_[part].end()) {
      return lookup(it->second->path, part, false);
    }
  }
  if (auto it = items_.find(key); it != items_.end()) return it->second.target;
  if (auto it = excluded_items_.find(key); it != excluded_items_.end()) {
    return error(
        part, path.name.pos, ErrorCode::kNotFound,
        fmt::format("'{}' is gated by feature '{}', which is not enabled", name, it->second));
  }
  return error(part, path.name.pos, ErrorCode::kNotFound,
               fmt::format("no interface or world named '{}' in package '{}'", name,
                           resolve_.package(package_).name.to_string()));
}

Result<InterfaceId> PackageResolver::lookup_interface(const ast::UsePath& path, size_t part) {
  BERTH_TRY_ASSIGN(Target target, lookup(path, part));
  if (target.is_world) {
    return error(part, path.name.pos, ErrorCode::kInvalid,
                 fmt::format("'{}' is a world, but an interface is expected here", path.name.name));
  }
  return target.interface;
}

Result<WorldId> PackageResolver::lookup_world(const ast::UsePath& path, size_t part) {
  BERTH_TRY_ASSIGN(Target target, lookup(path, part));
  if (!target.is_world) {
    return error(part, path.name.pos, ErrorCode::kInvalid,
                 fmt::format("'{}' is an interface, but 'include' needs a world", path.name.name));
  }
  return target.world;
}

Result<std::vector<size_t>> PackageResolver::interface_order() {
  // Interfaces of this package that each one `use`s, with where the `use` is written.
  std::map<uint32_t, size_t> local;
  for (size_t i = 0; i < interfaces_.size(); ++i) local[interfaces_[i].id.index] = i;
  std::vector<std::vector<Dependency>> deps(interfaces_.size());
  for (size_t i = 0; i < interfaces_.size(); ++i) {
    for (const ast::InterfaceItem& item : interfaces_[i].ast->items) {
      const auto* use = std::get_if<ast::UseItem>(&item);
      if (!use || !enabled(use->gates)) continue;
      BERTH_TRY_ASSIGN(InterfaceId target, lookup_interface(use->path, interfaces_[i].part));
      if (auto it = local.find(target.index); it != local.end()) {
        deps[i].push_back({it->second, use->path.pos});
      }
    }
  }
  auto sorted = topo_sort(deps);
  if (auto* cycle = std::get_if<Cycle>(&sorted)) {
    std::string path;
    for (size_t n : cycle->nodes) path += fmt::format("'{}' -> ", interfaces_[n].ast->name.name);
    path += fmt::format("'{}'", interfaces_[cycle->nodes.front()].ast->name.name);
    return error(interfaces_[cycle->closing_node].part, cycle->pos, ErrorCode::kInvalid,
                 fmt::format("interfaces 'use' each other in a cycle: {}", path));
  }
  return std::get<0>(std::move(sorted));
}

Result<void> PackageResolver::declare(Scope& scope, const ast::Ident& name, bool is_type,
                                      TypeId type, size_t part, std::string_view what) {
  std::string key = fold_case(name.name);
  if (auto it = scope.names.find(key); it != scope.names.end()) {
    return error(part, name.pos, ErrorCode::kInvalid,
                 fmt::format("{} '{}' is defined twice in this {} (first at line {}, column {})",
                             is_type ? "type" : "function", name.name, what, it->second.pos.line,
                             it->second.pos.column));
  }
  scope.names.emplace(key, Scope::Entry{is_type, type, name.pos});
  return {};
}

TypeId PackageResolver::add_type(TypeDef def) {
  TypeId id{static_cast<uint32_t>(resolve_.types.size())};
  resolve_.types.push_back(std::move(def));
  return id;
}

bool PackageResolver::is_resource(TypeId id) const {
  return std::holds_alternative<Resource>(resolve_.type(resolve_.dealias(id)).kind);
}

bool PackageResolver::contains_borrow(const Type& type) const {
  std::set<uint32_t> seen;
  std::function<bool(const Type&)> visit = [&](const Type& t) -> bool {
    if (t.is_primitive() || !seen.insert(t.id().index).second) return false;
    const TypeDefKind& kind = resolve_.type(t.id()).kind;
    auto opt = [&](const std::optional<Type>& o) { return o && visit(*o); };
    if (auto* h = std::get_if<Handle>(&kind)) return h->kind == HandleKind::kBorrow;
    if (auto* r = std::get_if<Record>(&kind)) {
      return std::any_of(r->fields.begin(), r->fields.end(),
                         [&](const Field& f) { return visit(f.type); });
    }
    if (auto* t2 = std::get_if<Tuple>(&kind)) {
      return std::any_of(t2->types.begin(), t2->types.end(), visit);
    }
    if (auto* v = std::get_if<Variant>(&kind)) {
      return std::any_of(v->cases.begin(), v->cases.end(),
                         [&](const Case& c) { return opt(c.type); });
    }
    if (auto* o = std::get_if<Option>(&kind)) return visit(o->type);
    if (auto* r = std::get_if<ResultType>(&kind)) return opt(r->ok) || opt(r->err);
    if (auto* l = std::get_if<List>(&kind)) return visit(l->element);
    if (auto* l = std::get_if<FixedList>(&kind)) return visit(l->element);
    if (auto* m = std::get_if<Map>(&kind)) return visit(m->key) || visit(m->value);
    if (auto* a = std::get_if<Alias>(&kind)) return visit(a->target);
    // future and stream payloads are transferred later, not returned as borrows.
    return false;
  };
  return visit(type);
}

Result<void> PackageResolver::resolve_interface(InterfaceId id,
                                                const std::vector<ast::InterfaceItem>& items,
                                                size_t part) {
  Scope scope;
  TypeOwner owner{TypeOwner::Kind::kInterface, id, WorldId{}};
  std::vector<TypeId> types;
  std::vector<PendingType> pending;
  for (const ast::InterfaceItem& item : items) {
    if (const auto* use = std::get_if<ast::UseItem>(&item)) {
      if (!enabled(use->gates)) {
        for (const ast::UseName& n : use->names) {
          scope.excluded[fold_case((n.as ? *n.as : n.name).name)] = use->gates.unstable->name;
        }
        continue;
      }
      BERTH_TRY_ASSIGN(std::vector<TypeId> ids, declare_use(*use, owner, scope, part));
      types.insert(types.end(), ids.begin(), ids.end());
    } else if (const auto* def = std::get_if<ast::TypeDefItem>(&item)) {
      if (!enabled(def->gates)) {
        scope.excluded[fold_case(def->name.name)] = def->gates.unstable->name;
        continue;
      }
      BERTH_TRY_ASSIGN(TypeId type, declare_typedef(*def, owner, scope, part));
      types.push_back(type);
      pending.push_back({def, type});
    } else {
      const auto& func = std::get<ast::FuncItem>(item);
      if (!enabled(func.gates)) {
        scope.excluded[fold_case(func.name.name)] = func.gates.unstable->name;
        continue;
      }
      BERTH_TRY(declare(scope, func.name, false, TypeId{}, part, "interface"));
    }
  }
  resolve_.interfaces[id.index].types = types;
  BERTH_TRY(resolve_typedefs(pending, scope, part));

  std::vector<Function> functions;
  for (const ast::InterfaceItem& item : items) {
    if (const auto* def = std::get_if<ast::TypeDefItem>(&item)) {
      if (def->kind != ast::TypeDefItem::Kind::kResource || !enabled(def->gates)) continue;
      TypeId resource = scope.names.at(fold_case(def->name.name)).type;
      BERTH_TRY_ASSIGN(std::vector<Function> methods,
                       resolve_resource_funcs(*def, resource, scope, part));
      for (Function& f : methods) functions.push_back(std::move(f));
    } else if (const auto* func = std::get_if<ast::FuncItem>(&item)) {
      if (!enabled(func->gates)) continue;
      BERTH_TRY_ASSIGN(Function f,
                       resolve_function(func->name.name, func->name, func->func,
                                        FunctionKind::kFreestanding, TypeId{}, scope, part));
      f.docs = func->docs;
      f.stability = to_stability(func->gates);
      f.external_id = func->gates.external_id.value_or("");
      functions.push_back(std::move(f));
    }
  }
  resolve_.interfaces[id.index].functions = std::move(functions);
  return {};
}

Result<std::vector<TypeId>> PackageResolver::declare_use(const ast::UseItem& use, TypeOwner owner,
                                                         Scope& scope, size_t part) {
  BERTH_TRY_ASSIGN(InterfaceId from, lookup_interface(use.path, part));
  std::vector<TypeId> ids;
  for (const ast::UseName& name : use.names) {
    std::optional<TypeId> target = resolve_.find_type(from, name.name.name);
    if (!target) {
      std::string where = resolve_.interface_path(from);
      if (resolve_.find_function(from, name.name.name)) {
        return error(part, name.name.pos, ErrorCode::kInvalid,
                     fmt::format("'{}' is a function of interface '{}'; 'use' only brings in "
                                 "types",
                                 name.name.name, where));
      }
      return error(part, name.name.pos, ErrorCode::kNotFound,
                   fmt::format("interface '{}' has no type named '{}'", where, name.name.name));
    }
    const ast::Ident& local = name.as ? *name.as : name.name;
    TypeDef def;
    def.name = local.name;
    def.kind = Alias{Type(*target)};
    def.owner = owner;
    def.stability = to_stability(use.gates);
    TypeId id = add_type(std::move(def));
    BERTH_TRY(declare(scope, local, true, id, part,
                      owner.kind == TypeOwner::Kind::kWorld ? "world" : "interface"));
    ids.push_back(id);
  }
  return ids;
}

Result<TypeId> PackageResolver::declare_typedef(const ast::TypeDefItem& item, TypeOwner owner,
                                                Scope& scope, size_t part) {
  TypeDef def;
  def.name = item.name.name;
  def.kind = item.kind == ast::TypeDefItem::Kind::kResource ? TypeDefKind(Resource{})
                                                            : TypeDefKind(Alias{Primitive::kBool});
  def.owner = owner;
  def.docs = item.docs;
  def.stability = to_stability(item.gates);
  def.external_id = item.gates.external_id.value_or("");
  TypeId id = add_type(std::move(def));
  BERTH_TRY(declare(scope, item.name, true, id, part,
                    owner.kind == TypeOwner::Kind::kWorld ? "world" : "interface"));
  return id;
}

Result<void> PackageResolver::resolve_typedefs(const std::vector<PendingType>& pending,
                                               const Scope& scope, size_t part) {
  // Types of one body may refer to each other in any order, but not in a cycle: resolve them
  // dependencies first.
  std::map<uint32_t, size_t> index_of;
  for (size_t i = 0; i < pending.size(); ++i) index_of[pending[i].id.index] = i;
  std::vector<std::vector<Dependency>> deps(pending.size());
  for (size_t i = 0; i < pending.size(); ++i) {
    std::vector<const ast::Ident*> names;
    const ast::TypeDefItem& item = *pending[i].item;
    if (item.alias) referenced_names(*item.alias, names);
    for (const ast::Member& m : item.members) {
      if (m.type) referenced_names(*m.type, names);
    }
    for (const ast::Ident* name : names) {
      auto it = scope.names.find(fold_case(name->name));
      if (it == scope.names.end() || !it->second.is_type) continue;
      if (auto local = index_of.find(it->second.type.index); local != index_of.end()) {
        deps[i].push_back({local->second, name->pos});
      }
    }
  }
  auto sorted = topo_sort(deps);
  if (auto* cycle = std::get_if<Cycle>(&sorted)) {
    std::string path;
    for (size_t n : cycle->nodes) path += fmt::format("'{}' -> ", pending[n].item->name.name);
    path += fmt::format("'{}'", pending[cycle->nodes.front()].item->name.name);
    return error(part, cycle->pos, ErrorCode::kInvalid,
                 fmt::format("type '{}' refers to itself: {}",
                             pending[cycle->nodes.front()].item->name.name, path));
  }
  for (size_t i : std::get<0>(sorted)) {
    BERTH_TRY_ASSIGN(TypeDefKind kind, resolve_typedef_kind(*pending[i].item, scope, part));
    resolve_.types[pending[i].id.index].kind = std::move(kind);
  }
  return {};
}

Result<TypeDefKind> PackageResolver::resolve_typedef_kind(const ast::TypeDefItem& item,
                                                          const Scope& scope, size_t part) {
  auto check_unique = [&](std::string_view what) -> Result<void> {
    std::map<std::string, Pos> seen;
    for (const ast::Member& m : item.members) {
      auto [it, fresh] = seen.emplace(fold_case(m.name.name), m.name.pos);
      if (!fresh) {
        return error(part, m.name.pos, ErrorCode::kInvalid,
                     fmt::format("{} '{}' appears twice in {} '{}'", what, m.name.name,
                                 typedef_keyword(item.kind), item.name.name));
      }
    }
    return {};
  };
  switch (item.kind) {
    case ast::TypeDefItem::Kind::kResource:
      return TypeDefKind(Resource{});
    case ast::TypeDefItem::Kind::kAlias: {
      const ast::TypeExpr& rhs = *item.alias;
      if (rhs.kind == ast::TypeExpr::Kind::kPrimitive) return TypeDefKind(Alias{rhs.primitive});
      if (rhs.kind == ast::TypeExpr::Kind::kNamed) {
        // `type a = r;` names the resource itself, not an owned handle of it.
        BERTH_TRY_ASSIGN(TypeId target, lookup_type(rhs.name, scope, part));
        return TypeDefKind(Alias{target});
      }
      return resolve_compound(rhs, scope, part);
    }
    case ast::TypeDefItem::Kind::kRecord: {
      BERTH_TRY(check_unique("field"));
      Record record;
      for (const ast::Member& m : item.members) {
        BERTH_TRY_ASSIGN(Type type, resolve_type(*m.type, scope, part));
        record.fields.push_back(Field{m.name.name, type, m.docs});
      }
      return TypeDefKind(std::move(record));
    }
    case ast::TypeDefItem::Kind::kVariant: {
      BERTH_TRY(check_unique("case"));
      Variant variant;
      for (const ast::Member& m : item.members) {
        Case c{m.name.name, std::nullopt, m.docs};
        if (m.type) {
          BERTH_TRY_ASSIGN(c.type, resolve_type(*m.type, scope, part));
        }
        variant.cases.push_back(std::move(c));
      }
      return TypeDefKind(std::move(variant));
    }
    case ast::TypeDefItem::Kind::kEnum: {
      BERTH_TRY(check_unique("case"));
      Enum e;
      for (const ast::Member& m : item.members) e.cases.push_back({m.name.name, m.docs});
      return TypeDefKind(std::move(e));
    }
    case ast::TypeDefItem::Kind::kFlags: {
      BERTH_TRY(check_unique("flag"));
      Flags flags;
      for (const ast::Member& m : item.members) flags.flags.push_back({m.name.name, m.docs});
      return TypeDefKind(std::move(flags));
    }
  }
  return TypeDefKind(Resource{});
}

Result<TypeId> PackageResolver::lookup_type(const ast::Ident& name, const Scope& scope,
                                            size_t part) {
  std::string key = fold_case(name.name);
  auto it = scope.names.find(key);
  if (it == scope.names.end()) {
    if (auto ex = scope.excluded.find(key); ex != scope.excluded.end()) {
      return error(part, name.pos, ErrorCode::kNotFound,
                   fmt::format("type '{}' is gated by feature '{}', which is not enabled",
                               name.name, ex->second));
    }
    return error(part, name.pos, ErrorCode::kNotFound,
                 fmt::format("type '{}' is not defined", name.name));
  }
  if (!it->second.is_type) {
    return error(part, name.pos, ErrorCode::kInvalid,
                 fmt::format("'{}' is a function, not a type", name.name));
  }
  return it->second.type;
}

Result<Type> PackageResolver::resolve_type(const ast::TypeExpr& expr, const Scope& scope,
                                           size_t part) {
  if (expr.kind == ast::TypeExpr::Kind::kPrimitive) return Type(expr.primitive);
  if (expr.kind == ast::TypeExpr::Kind::kNamed) {
    BERTH_TRY_ASSIGN(TypeId id, lookup_type(expr.name, scope, part));
    // A resource named as a type means an owned handle to it.
    if (is_resource(id)) return Type(add_type(anonymous_type(Handle{HandleKind::kOwn, id})));
    return Type(id);
  }
  BERTH_TRY_ASSIGN(TypeDefKind kind, resolve_compound(expr, scope, part));
  return Type(add_type(anonymous_type(std::move(kind))));
}

Result<TypeDefKind> PackageResolver::resolve_compound(const ast::TypeExpr& expr, const Scope& scope,
                                                      size_t part) {
  auto arg = [&](size_t i) { return resolve_type(expr.args[i], scope, part); };
  auto opt_arg = [&]() -> Result<std::optional<Type>> {
    if (expr.args.empty()) return std::optional<Type>();
    BERTH_TRY_ASSIGN(Type t, arg(0));
    return std::optional<Type>(t);
  };
  switch (expr.kind) {
    case ast::TypeExpr::Kind::kList: {
      BERTH_TRY_ASSIGN(Type element, arg(0));
      return TypeDefKind(List{element});
    }
    case ast::TypeExpr::Kind::kFixedList: {
      BERTH_TRY_ASSIGN(Type element, arg(0));
      return TypeDefKind(FixedList{element, expr.length});
    }
    case ast::TypeExpr::Kind::kOption: {
      BERTH_TRY_ASSIGN(Type element, arg(0));
      return TypeDefKind(Option{element});
    }
    case ast::TypeExpr::Kind::kResult: {
      ResultType result;
      size_t next = 0;
      if (expr.has_ok) {
        BERTH_TRY_ASSIGN(result.ok, arg(next++));
      }
      if (expr.has_err) {
        BERTH_TRY_ASSIGN(result.err, arg(next));
      }
      return TypeDefKind(result);
    }
    case ast::TypeExpr::Kind::kTuple: {
      Tuple tuple;
      for (size_t i = 0; i < expr.args.size(); ++i) {
        BERTH_TRY_ASSIGN(Type t, arg(i));
        tuple.types.push_back(t);
      }
      return TypeDefKind(std::move(tuple));
    }
    case ast::TypeExpr::Kind::kMap: {
      BERTH_TRY_ASSIGN(Type key, arg(0));
      BERTH_TRY_ASSIGN(Type value, arg(1));
      return TypeDefKind(Map{key, value});
    }
    case ast::TypeExpr::Kind::kFuture: {
      BERTH_TRY_ASSIGN(std::optional<Type> payload, opt_arg());
      return TypeDefKind(Future{payload});
    }
    case ast::TypeExpr::Kind::kStream: {
      BERTH_TRY_ASSIGN(std::optional<Type> payload, opt_arg());
      return TypeDefKind(Stream{payload});
    }
    case ast::TypeExpr::Kind::kOwn:
    case ast::TypeExpr::Kind::kBorrow: {
      BERTH_TRY_ASSIGN(TypeId id, lookup_type(expr.name, scope, part));
      bool own = expr.kind == ast::TypeExpr::Kind::kOwn;
      if (!is_resource(id)) {
        return error(part, expr.name.pos, ErrorCode::kInvalid,
                     fmt::format("'{}<{}>' needs a resource, but '{}' is not one (it is {})",
                                 own ? "own" : "borrow", expr.name.name, expr.name.name,
                                 describe_kind(resolve_, resolve_.dealias(id))));
      }
      return TypeDefKind(Handle{own ? HandleKind::kOwn : HandleKind::kBorrow, id});
    }
    default:
      break;
  }
  return error(part, expr.pos, ErrorCode::kInternal, "unexpected type expression");
}

Result<Function> PackageResolver::resolve_function(std::string name, const ast::Ident& at,
                                                   const ast::FuncType& func, FunctionKind kind,
                                                   TypeId resource, const Scope& scope,
                                                   size_t part) {
  Function f;
  f.name = std::move(name);
  f.kind = kind;
  f.resource = resource;
  f.is_async = func.is_async;
  std::map<std::string, Pos> seen;
  if (kind == FunctionKind::kMethod) {
    TypeId self = add_type(anonymous_type(Handle{HandleKind::kBorrow, resource}));
    f.params.push_back(Param{"self", Type(self)});
    seen.emplace("self", at.pos);
  }
  for (const ast::NamedType& param : func.params) {
    if (!seen.emplace(fold_case(param.name.name), param.name.pos).second) {
      return error(
          part, param.name.pos, ErrorCode::kInvalid,
          fmt::format("parameter '{}' appears twice in function '{}'{}", param.name.name, at.name,
                      param.name.name == "self" && kind == FunctionKind::kMethod
                          ? " (methods have an implicit 'self' parameter)"
                          : ""));
    }
    BERTH_TRY_ASSIGN(Type type, resolve_type(param.type, scope, part));
    f.params.push_back(Param{param.name.name, type});
  }
  if (func.result) {
    BERTH_TRY_ASSIGN(Type result, resolve_type(*func.result, scope, part));
    if (contains_borrow(result)) {
      return error(part, func.result->pos, ErrorCode::kInvalid,
                   fmt::format("the result of function '{}' contains a 'borrow' handle; borrows "
                               "can only be passed as parameters",
                               at.name));
    }
    f.result = result;
  }
  if (kind == FunctionKind::kConstructor) {
    if (!f.result) {
      f.result = Type(add_type(anonymous_type(Handle{HandleKind::kOwn, resource})));
    } else {
      bool ok = false;
      if (!f.result->is_primitive()) {
        if (auto* r = std::get_if<ResultType>(&resolve_.type(f.result->id()).kind);
            r && r->ok && !r->ok->is_primitive()) {
          auto* h = std::get_if<Handle>(&resolve_.type(r->ok->id()).kind);
          ok = h && h->kind == HandleKind::kOwn &&
               resolve_.dealias(h->resource) == resolve_.dealias(resource);
        }
      }
      if (!ok) {
        const std::string& rname = resolve_.type(resource).name;
        return error(part, func.result->pos, ErrorCode::kInvalid,
                     fmt::format("a constructor of '{}' returns '{}' or 'result<{}, E>'", rname,
                                 rname, rname));
      }
    }
  }
  return f;
}

Result<std::vector<Function>> PackageResolver::resolve_resource_funcs(const ast::TypeDefItem& item,
                                                                      TypeId id, const Scope& scope,
                                                                      size_t part) {
  std::vector<Function> out;
  std::map<std::string, Pos> seen;
  bool has_constructor = false;
  const std::string& rname = item.name.name;
  for (const ast::ResourceFunc& func : item.funcs) {
    if (!enabled(func.gates)) continue;
    std::string name;
    FunctionKind kind;
    switch (func.kind) {
      case ast::ResourceFunc::Kind::kConstructor:
        if (has_constructor) {
          return error(part, func.name.pos, ErrorCode::kInvalid,
                       fmt::format("resource '{}' has more than one constructor", rname));
        }
        has_constructor = true;
        name = fmt::format("[constructor]{}", rname);
        kind = FunctionKind::kConstructor;
        break;
      case ast::ResourceFunc::Kind::kMethod:
        name = fmt::format("[method]{}.{}", rname, func.name.name);
        kind = FunctionKind::kMethod;
        break;
      default:
        name = fmt::format("[static]{}.{}", rname, func.name.name);
        kind = FunctionKind::kStatic;
        break;
    }
    if (func.kind != ast::ResourceFunc::Kind::kConstructor &&
        !seen.emplace(fold_case(func.name.name), func.name.pos).second) {
      return error(part, func.name.pos, ErrorCode::kInvalid,
                   fmt::format("resource '{}' defines '{}' twice", rname, func.name.name));
    }
    BERTH_TRY_ASSIGN(
        Function f, resolve_function(std::move(name), func.name, func.func, kind, id, scope, part));
    f.docs = func.docs;
    f.stability = to_stability(func.gates);
    f.external_id = func.gates.external_id.value_or("");
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace berth::wit
