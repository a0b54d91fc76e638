// Component type -> WIT world: builds a Resolve holding one package per interface package the
// component names, plus `root:component` with the world, and prints it with the WIT printer.
#include <fmt/format.h>

#include <functional>
#include <map>
#include <set>
#include <unordered_map>

#include "berth/wit/component_bridge.h"
#include "berth/wit/printer.h"
#include "bridge/bridge_internal.h"
#include "component/binary/decoder.h"
#include "component/validate/validator.h"

namespace berth::wit {
namespace {

namespace ct = component;
using bridge::InterfaceName;
using bridge::is_shared_primitive;
using ct::ValKind;

Error unsupported(std::string message) {
  return Error(ErrorCode::kUnsupported, std::move(message));
}

// Names in one WIT scope are unique regardless of case.
std::string fold(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A WIT identifier made from arbitrary text: its letters and digits in lower case, words
// joined by '-', starting with a letter.
std::string to_label(std::string_view text) {
  std::string out;
  bool pending_dash = false;
  for (char c : text) {
    char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    bool word = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
    if (!word) {
      pending_dash = !out.empty();
      continue;
    }
    if (pending_dash) out += '-';
    pending_dash = false;
    out += lower;
  }
  if (out.empty()) return "type";
  if (out[0] >= '0' && out[0] <= '9') out = "t-" + out;
  return out;
}

struct ParsedFunctionName {
  FunctionKind kind = FunctionKind::kFreestanding;
  std::string resource;
  std::string item;  // the method or static function name; the resource for a constructor
};

ParsedFunctionName parse_function_name(std::string_view name) {
  ParsedFunctionName out;
  auto strip = [&](std::string_view prefix) {
    if (name.substr(0, prefix.size()) != prefix) return false;
    name.remove_prefix(prefix.size());
    return true;
  };
  if (strip("[constructor]")) {
    out.kind = FunctionKind::kConstructor;
    out.resource = out.item = std::string(name);
    return out;
  }
  if (strip("[method]")) {
    out.kind = FunctionKind::kMethod;
  } else if (strip("[static]")) {
    out.kind = FunctionKind::kStatic;
  } else {
    out.item = std::string(name);
    return out;
  }
  size_t dot = name.find('.');
  out.resource = std::string(name.substr(0, dot));
  out.item = dot == std::string_view::npos ? "" : std::string(name.substr(dot + 1));
  return out;
}

std::optional<Primitive> primitive_of(ValKind kind) {
  switch (kind) {
    case ValKind::kBool:
      return Primitive::kBool;
    case ValKind::kS8:
      return Primitive::kS8;
    case ValKind::kU8:
      return Primitive::kU8;
    case ValKind::kS16:
      return Primitive::kS16;
    case ValKind::kU16:
      return Primitive::kU16;
    case ValKind::kS32:
      return Primitive::kS32;
    case ValKind::kU32:
      return Primitive::kU32;
    case ValKind::kS64:
      return Primitive::kS64;
    case ValKind::kU64:
      return Primitive::kU64;
    case ValKind::kF32:
      return Primitive::kF32;
    case ValKind::kF64:
      return Primitive::kF64;
    case ValKind::kChar:
      return Primitive::kChar;
    case ValKind::kString:
      return Primitive::kString;
    case ValKind::kErrorContext:
      return Primitive::kErrorContext;
    default:
      return std::nullopt;
  }
}

bool is_nominal(ValKind kind) {
  return kind == ValKind::kRecord || kind == ValKind::kVariant || kind == ValKind::kEnum ||
         kind == ValKind::kFlags;
}

// What each export of an instance is, regardless of which resources the instance holds: its
// type, with resources named as the instance names them.
std::map<std::string, std::string> instance_shape(const ct::InstanceType& type) {
  bridge::LocalNames names;
  names.add(type.exports);
  std::map<std::string, std::string> out;
  for (const ct::NamedExtern& e : type.exports) {
    std::string shape;
    if (e.desc.kind == ct::ExternKind::kType) {
      shape = e.desc.resource ? "resource" : names.type(e.desc.type, false);
    } else if (e.desc.kind == ct::ExternKind::kFunc && e.desc.func) {
      shape = names.func(*e.desc.func, false);
    }
    out.emplace(e.name, std::move(shape));
  }
  return out;
}

class WorldBuilder {
 public:
  Result<ComponentWorld> build(const ct::ComponentType& type) {
    root_ = PackageId{0};
    resolve_.packages.push_back(Package{PackageName{"root", "component", std::nullopt}});
    world_ = WorldId{0};
    World world;
    world.name = std::string(kComponentWorld);
    world.package = root_;
    resolve_.worlds.push_back(std::move(world));
    resolve_.packages[0].worlds.push_back(world_);

    Scope& top = world_scope_;
    top.owner = TypeOwner{TypeOwner::Kind::kWorld, InterfaceId{}, world_};
    top.package = root_;
    // World types share their names with the world's imports.
    for (const ct::NamedExtern& e : type.imports) top.names.insert(fold(e.name));

    for (const ct::NamedExtern& e : type.imports) BERTH_TRY(world_item(e, false));
    for (const ct::NamedExtern& e : type.exports) BERTH_TRY(world_item(e, true));

    ComponentWorld out;
    out.resolve = std::move(resolve_);
    out.package = root_;
    out.world = world_;
    return out;
  }

 private:
  // Where type definitions go: an interface or the world.
  struct Scope {
    TypeOwner owner;
    PackageId package;
    // A named interface: other interfaces and the world can `use` its types.
    bool usable = false;
    std::unordered_map<const ct::Type*, TypeId> nodes;
    std::unordered_map<const ct::ResourceType*, TypeId> resources;
    // Named records, variants, enums and flags of this scope, reused for equal anonymous ones.
    std::vector<std::pair<ct::TypeRef, TypeId>> nominal;
    std::set<std::string> names;  // folded
    // Resources defined (not used) here, by name: the ones functions can be methods of.
    std::map<std::string, TypeId> own_resources;
  };

  struct NamedValue {
    std::string name;
    ct::TypeRef node;
    TypeId id;
  };

  TypeId add_type(TypeDef def) {
    TypeId id{static_cast<uint32_t>(resolve_.types.size())};
    resolve_.types.push_back(std::move(def));
    return id;
  }

  // Adds a named type to the items of the scope.
  void place(Scope& scope, TypeId id) {
    if (scope.owner.kind == TypeOwner::Kind::kInterface) {
      resolve_.interfaces[scope.owner.interface.index].types.push_back(id);
      return;
    }
    WorldItem item;
    item.kind = WorldItem::Kind::kType;
    item.name = resolve_.type(id).name;
    item.type = id;
    resolve_.worlds[world_.index].imports.push_back(std::move(item));
  }

  std::string unique_name(Scope& scope, const std::string& base) {
    std::string name = base;
    for (int n = 2; scope.names.count(fold(name)); ++n) name = fmt::format("{}-{}", base, n);
    scope.names.insert(fold(name));
    return name;
  }

  bool reaches(uint32_t from, uint32_t to) const {
    std::set<uint32_t> seen;
    std::function<bool(uint32_t)> visit = [&](uint32_t at) {
      if (at == to) return true;
      if (!seen.insert(at).second) return false;
      auto it = package_deps_.find(at);
      if (it == package_deps_.end()) return false;
      for (uint32_t next : it->second) {
        if (visit(next)) return true;
      }
      return false;
    };
    return visit(from);
  }

  // Brings `original` (a named type of another interface) into `scope` as `name`, unless the
  // packages would then depend on each other in a cycle, which WIT rejects.
  std::optional<TypeId> use_type(Scope& scope, TypeId original, const std::string& name) {
    const TypeOwner& owner = resolve_.type(original).owner;
    if (owner.kind != TypeOwner::Kind::kInterface) return std::nullopt;
    if (scope.owner.kind == TypeOwner::Kind::kInterface &&
        scope.owner.interface == owner.interface) {
      return std::nullopt;
    }
    const Interface& source = resolve_.interface(owner.interface);
    if (!source.name || !source.package) return std::nullopt;
    uint32_t from = scope.package.index;
    uint32_t to = source.package->index;
    if (from != to) {
      if (reaches(to, from)) return std::nullopt;
      package_deps_[from].insert(to);
    }
    TypeDef alias;
    alias.name = name;
    alias.kind = Alias{Type(original)};
    alias.owner = scope.owner;
    TypeId id = add_type(std::move(alias));
    place(scope, id);
    return id;
  }

  void remember_node(Scope& scope, const ct::TypeRef& node, TypeId id) {
    scope.nodes.emplace(node.get(), id);
    if (is_nominal(node->kind)) scope.nominal.emplace_back(node, id);
    if (scope.usable) {
      defined_nodes_.emplace(node.get(), id);
      named_values_.push_back(NamedValue{resolve_.type(id).name, node, id});
    }
  }

  void remember_resource(Scope& scope, const ct::ResourceType* resource, TypeId id) {
    scope.resources.emplace(resource, id);
    if (scope.usable) defined_resources_.emplace(resource, id);
  }

  // The TypeDef kind that spells `node` in `scope`; `hint` names what the parts may need.
  Result<TypeDefKind> value_kind(const ct::TypeRef& node, Scope& scope, const std::string& hint) {
    auto sub = [&](const ct::TypeRef& t, const std::string& h) { return wit_type(t, scope, h); };
    auto opt = [&](const ct::TypeRef& t, const std::string& h) -> Result<std::optional<Type>> {
      if (!t) return std::optional<Type>();
      BERTH_TRY_ASSIGN(Type type, sub(t, h));
      return std::optional<Type>(type);
    };
    if (auto p = primitive_of(node->kind)) return TypeDefKind(Alias{Type(*p)});
    switch (node->kind) {
      case ValKind::kRecord: {
        Record record;
        for (const ct::Field& f : node->fields) {
          BERTH_TRY_ASSIGN(Type type, sub(f.type, hint + "-" + f.name));
          record.fields.push_back(Field{f.name, type, ""});
        }
        return TypeDefKind(std::move(record));
      }
      case ValKind::kVariant: {
        Variant variant;
        for (const ct::Field& f : node->fields) {
          BERTH_TRY_ASSIGN(std::optional<Type> type, opt(f.type, hint + "-" + f.name));
          variant.cases.push_back(Case{f.name, type, ""});
        }
        return TypeDefKind(std::move(variant));
      }
      case ValKind::kEnum: {
        Enum e;
        for (const std::string& label : node->labels) e.cases.push_back(EnumCase{label, ""});
        return TypeDefKind(std::move(e));
      }
      case ValKind::kFlags: {
        Flags flags;
        for (const std::string& label : node->labels) flags.flags.push_back(Flag{label, ""});
        return TypeDefKind(std::move(flags));
      }
      case ValKind::kList: {
        BERTH_TRY_ASSIGN(Type element, sub(node->element, hint));
        if (node->fixed_length) return TypeDefKind(FixedList{element, *node->fixed_length});
        return TypeDefKind(List{element});
      }
      case ValKind::kOption: {
        BERTH_TRY_ASSIGN(Type element, sub(node->element, hint));
        return TypeDefKind(Option{element});
      }
      case ValKind::kResult: {
        BERTH_TRY_ASSIGN(std::optional<Type> ok, opt(node->ok, hint));
        BERTH_TRY_ASSIGN(std::optional<Type> err, opt(node->error, hint + "-error"));
        return TypeDefKind(ResultType{ok, err});
      }
      case ValKind::kTuple: {
        Tuple tuple;
        for (size_t i = 0; i < node->fields.size(); ++i) {
          BERTH_TRY_ASSIGN(Type type, sub(node->fields[i].type, fmt::format("{}-{}", hint, i)));
          tuple.types.push_back(type);
        }
        return TypeDefKind(std::move(tuple));
      }
      case ValKind::kStream: {
        BERTH_TRY_ASSIGN(std::optional<Type> payload, opt(node->element, hint));
        return TypeDefKind(Stream{payload});
      }
      case ValKind::kFuture: {
        BERTH_TRY_ASSIGN(std::optional<Type> payload, opt(node->element, hint));
        return TypeDefKind(Future{payload});
      }
      case ValKind::kOwn:
      case ValKind::kBorrow: {
        BERTH_TRY_ASSIGN(TypeId resource, resource_in(scope, node->resource, hint));
        return TypeDefKind(
            Handle{node->kind == ValKind::kOwn ? HandleKind::kOwn : HandleKind::kBorrow, resource});
      }
      default:
        return Error(ErrorCode::kInternal,
                     fmt::format("no WIT spelling for a {}", ct::to_string(node->kind)));
    }
  }

  // The WIT type for `node` as used in `scope` (a parameter, a field, ...).
  Result<Type> wit_type(const ct::TypeRef& node, Scope& scope, const std::string& hint) {
    if (!node) return Error(ErrorCode::kInternal, "a type is missing from the component type");
    if (!is_shared_primitive(*node)) {
      if (auto it = scope.nodes.find(node.get()); it != scope.nodes.end()) return Type(it->second);
      if (auto it = defined_nodes_.find(node.get()); it != defined_nodes_.end()) {
        std::string name = unique_name(scope, resolve_.type(it->second).name);
        if (auto used = use_type(scope, it->second, name)) {
          remember_node(scope, node, *used);
          return Type(*used);
        }
        scope.names.erase(fold(name));
      }
    }
    if (auto p = primitive_of(node->kind)) return Type(*p);
    if (is_nominal(node->kind)) {
      for (const auto& [other, id] : scope.nominal) {
        if (ct::types_equal(*other, *node)) return Type(id);
      }
      std::string name = unique_name(scope, to_label(hint));
      BERTH_TRY_ASSIGN(TypeId id, define_value(scope, name, node));
      return Type(id);
    }
    BERTH_TRY_ASSIGN(TypeDefKind kind, value_kind(node, scope, hint));
    TypeDef def;
    def.kind = std::move(kind);
    def.owner = scope.owner;
    return Type(add_type(std::move(def)));
  }

  Result<TypeId> define_value(Scope& scope, const std::string& name, const ct::TypeRef& node) {
    BERTH_TRY_ASSIGN(TypeDefKind kind, value_kind(node, scope, name));
    TypeDef def;
    def.name = name;
    def.kind = std::move(kind);
    def.owner = scope.owner;
    TypeId id = add_type(std::move(def));
    place(scope, id);
    remember_node(scope, node, id);
    return id;
  }

  TypeId define_resource(Scope& scope, const std::string& name, const ct::ResourceType* resource) {
    TypeDef def;
    def.name = name;
    def.kind = Resource{};
    def.owner = scope.owner;
    TypeId id = add_type(std::move(def));
    place(scope, id);
    scope.own_resources.emplace(name, id);
    remember_resource(scope, resource, id);
    return id;
  }

  // The name `scope` has for a resource its handles refer to.
  Result<TypeId> resource_in(Scope& scope, const ct::ResourceTypeRef& resource,
                             const std::string& hint) {
    if (!resource) return Error(ErrorCode::kInternal, "a handle without a resource");
    if (auto it = scope.resources.find(resource.get()); it != scope.resources.end()) {
      return it->second;
    }
    if (auto it = defined_resources_.find(resource.get()); it != defined_resources_.end()) {
      std::string name = unique_name(scope, resolve_.type(it->second).name);
      if (auto used = use_type(scope, it->second, name)) {
        remember_resource(scope, resource.get(), *used);
        return *used;
      }
      scope.names.erase(fold(name));
    }
    // Not exported anywhere under a name: the resource gets one here.
    std::string base = to_label(resource->name.empty() ? hint : resource->name);
    return define_resource(scope, unique_name(scope, base), resource.get());
  }

  // A type export of an instance (or of the component, at the top level) named `name`.
  Result<void> type_export(Scope& scope, const std::string& name, const ct::ExternDesc& desc) {
    if (desc.resource) {
      const ct::ResourceType* resource = desc.resource.get();
      if (auto it = scope.resources.find(resource); it != scope.resources.end()) {
        TypeDef alias;
        alias.name = name;
        alias.kind = Alias{Type(it->second)};
        alias.owner = scope.owner;
        TypeId id = add_type(std::move(alias));
        place(scope, id);
        return {};
      }
      if (auto it = defined_resources_.find(resource); it != defined_resources_.end()) {
        if (auto used = use_type(scope, it->second, name)) {
          remember_resource(scope, resource, *used);
          return {};
        }
      }
      define_resource(scope, name, resource);
      return {};
    }
    if (!desc.type) {
      return unsupported(fmt::format(
          "type export '{}' is a function, instance or component type, which WIT cannot declare",
          name));
    }
    const ct::TypeRef& node = desc.type;
    if (auto it = defined_nodes_.find(node.get()); it != defined_nodes_.end()) {
      if (auto used = use_type(scope, it->second, name)) {
        remember_node(scope, node, *used);
        return {};
      }
    }
    // Validation copies a type exported again (`(eq T)`), so a `use`d type only shows as a type
    // of the same name and structure in an interface seen before.
    for (const NamedValue& other : named_values_) {
      if (other.name != name || !ct::types_equal(*other.node, *node)) continue;
      if (auto used = use_type(scope, other.id, name)) {
        remember_node(scope, node, *used);
        return {};
      }
    }
    BERTH_TRY(define_value(scope, name, node));
    return {};
  }

  Result<Function> function(Scope& scope, const std::string& name, const ct::FuncType& type) {
    ParsedFunctionName parsed = parse_function_name(name);
    Function f;
    f.name = name;
    f.kind = parsed.kind;
    f.is_async = type.is_async;
    std::string hint = parsed.item;
    if (parsed.kind != FunctionKind::kFreestanding) {
      auto it = scope.own_resources.find(parsed.resource);
      if (it == scope.own_resources.end()) {
        return unsupported(fmt::format(
            "function '{}' belongs to resource '{}', which is not defined next to it; WIT "
            "cannot write that",
            name, parsed.resource));
      }
      f.resource = it->second;
      hint = parsed.kind == FunctionKind::kConstructor
                 ? parsed.resource
                 : fmt::format("{}-{}", parsed.resource, parsed.item);
    }
    for (const ct::Field& p : type.params) {
      BERTH_TRY_ASSIGN(Type t, wit_type(p.type, scope, hint + "-" + p.name));
      f.params.push_back(Param{p.name, t});
    }
    if (type.result) {
      BERTH_TRY_ASSIGN(Type t, wit_type(type.result, scope, hint + "-result"));
      f.result = t;
    }
    return f;
  }

  Result<void> interface_body(Scope& scope, const std::vector<ct::NamedExtern>& exports,
                              std::string_view instance_name) {
    for (const ct::NamedExtern& e : exports) {
      if (e.desc.kind == ct::ExternKind::kType ||
          parse_function_name(e.name).kind == FunctionKind::kFreestanding) {
        scope.names.insert(fold(e.name));
      }
    }
    for (const ct::NamedExtern& e : exports) {
      switch (e.desc.kind) {
        case ct::ExternKind::kType:
          BERTH_TRY(type_export(scope, e.name, e.desc));
          break;
        case ct::ExternKind::kFunc: {
          BERTH_TRY_ASSIGN(Function f, function(scope, e.name, *e.desc.func));
          resolve_.interfaces[scope.owner.interface.index].functions.push_back(std::move(f));
          break;
        }
        default:
          return unsupported(fmt::format(
              "'{}' of instance '{}' is not a function or a type, which is all a WIT interface "
              "holds",
              e.name, instance_name));
      }
    }
    return {};
  }

  PackageId package_for(const PackageName& name) {
    std::string key = name.to_string();
    if (auto it = packages_.find(key); it != packages_.end()) return it->second;
    PackageId id{static_cast<uint32_t>(resolve_.packages.size())};
    resolve_.packages.push_back(Package{name});
    packages_.emplace(key, id);
    return id;
  }

  InterfaceId new_interface(std::optional<std::string> name, PackageId package) {
    InterfaceId id{static_cast<uint32_t>(resolve_.interfaces.size())};
    Interface iface;
    iface.name = std::move(name);
    iface.package = package;
    resolve_.interfaces.push_back(std::move(iface));
    if (resolve_.interfaces.back().name) resolve_.packages[package.index].interfaces.push_back(id);
    return id;
  }

  Result<void> instance_item(const std::string& name, const ct::InstanceType& type,
                             bool is_export) {
    WorldItem item;
    item.kind = WorldItem::Kind::kInterface;
    if (std::optional<InterfaceName> parsed = bridge::parse_interface_name(name)) {
      PackageId package = package_for(parsed->package_name());
      if (std::optional<InterfaceId> existing = resolve_.find_interface(package, parsed->name)) {
        BERTH_TRY(extend_interface(*existing, name, type));
        item.interface = *existing;
      } else {
        item.interface = new_interface(parsed->name, package);
        Scope& scope = interface_scopes_[item.interface.index];
        scope.owner = TypeOwner{TypeOwner::Kind::kInterface, item.interface, WorldId{}};
        scope.package = package;
        scope.usable = true;
        BERTH_TRY(interface_body(scope, type.exports, name));
        shapes_.emplace(item.interface.index, instance_shape(type));
      }
    } else {
      item.name = name;
      item.interface = new_interface(std::nullopt, root_);
      Scope scope;
      scope.owner = TypeOwner{TypeOwner::Kind::kInterface, item.interface, WorldId{}};
      scope.package = root_;
      BERTH_TRY(interface_body(scope, type.exports, name));
    }
    World& world = resolve_.worlds[world_.index];
    (is_export ? world.exports : world.imports).push_back(std::move(item));
    return {};
  }

  // An interface both imported and exported: one WIT interface stands for both, as wit-component
  // decodes them. A component imports only what it uses, so the export may have more; what both
  // have must agree. The export's own resources and types go by the interface's names.
  Result<void> extend_interface(InterfaceId id, const std::string& name,
                                const ct::InstanceType& type) {
    auto scope_it = interface_scopes_.find(id.index);
    if (scope_it == interface_scopes_.end()) {
      return Error(ErrorCode::kInternal, fmt::format("interface '{}' has no scope", name));
    }
    Scope& scope = scope_it->second;
    std::map<std::string, std::string>& known = shapes_[id.index];
    std::vector<ct::NamedExtern> added;
    for (const auto& [item, shape] : instance_shape(type)) {
      auto it = known.find(item);
      if (it == known.end()) continue;
      if (it->second != shape) {
        return unsupported(fmt::format(
            "'{}' is imported and exported with different types for '{}' ({} and {}), which one "
            "WIT world cannot say",
            name, item, it->second, shape));
      }
    }
    for (const ct::NamedExtern& e : type.exports) {
      if (known.count(e.name)) {
        if (e.desc.kind != ct::ExternKind::kType) continue;
        std::optional<TypeId> local = resolve_.find_type(id, e.name);
        if (!local) continue;
        if (e.desc.resource) {
          remember_resource(scope, e.desc.resource.get(), *local);
        } else if (e.desc.type) {
          remember_node(scope, e.desc.type, *local);
        }
        continue;
      }
      added.push_back(e);
    }
    for (const auto& [item, shape] : instance_shape(type)) known.emplace(item, shape);
    return interface_body(scope, added, name);
  }

  Result<void> world_item(const ct::NamedExtern& e, bool is_export) {
    const char* direction = is_export ? "export" : "import";
    switch (e.desc.kind) {
      case ct::ExternKind::kInstance:
        return instance_item(e.name, *e.desc.instance, is_export);
      case ct::ExternKind::kFunc: {
        BERTH_TRY_ASSIGN(Function f, function(world_scope_, e.name, *e.desc.func));
        if (is_export && f.kind != FunctionKind::kFreestanding) {
          return unsupported(fmt::format(
              "export '{}' is a resource function at the top level, which WIT cannot write",
              e.name));
        }
        WorldItem item;
        item.kind = WorldItem::Kind::kFunction;
        item.name = e.name;
        item.function = std::move(f);
        World& world = resolve_.worlds[world_.index];
        (is_export ? world.exports : world.imports).push_back(std::move(item));
        return {};
      }
      case ct::ExternKind::kType:
        if (is_export) {
          if (e.desc.resource) {
            return unsupported(fmt::format(
                "export '{}' is a resource at the top level; WIT worlds only import types",
                e.name));
          }
          // A WIT world can only import types; an exported one becomes a world type too, which
          // keeps the functions that use it spelled with its name.
          std::string name = unique_name(world_scope_, e.name);
          return type_export(world_scope_, name, e.desc);
        }
        return type_export(world_scope_, e.name, e.desc);
      case ct::ExternKind::kCoreModule:
      case ct::ExternKind::kComponent:
      case ct::ExternKind::kValue:
        break;
    }
    return unsupported(fmt::format("{} '{}' is a {}, which WIT cannot describe", direction, e.name,
                                   e.desc.kind == ct::ExternKind::kCoreModule  ? "core module"
                                   : e.desc.kind == ct::ExternKind::kComponent ? "component"
                                                                               : "value"));
  }

  Resolve resolve_;
  PackageId root_;
  WorldId world_;
  Scope world_scope_;
  std::map<std::string, PackageId> packages_;
  std::map<uint32_t, std::set<uint32_t>> package_deps_;
  // The named types and resources of named interfaces, which other scopes reach with `use`.
  std::unordered_map<const ct::Type*, TypeId> defined_nodes_;
  std::unordered_map<const ct::ResourceType*, TypeId> defined_resources_;
  std::vector<NamedValue> named_values_;
  // The scope of each named interface, and what each of its items is (see instance_shape).
  std::map<uint32_t, Scope> interface_scopes_;
  std::map<uint32_t, std::map<std::string, std::string>> shapes_;
};

}  // namespace

Result<ComponentWorld> component_world(const component::ComponentType& type) {
  return WorldBuilder().build(type);
}

Result<std::string> print_component_world(const component::ComponentType& type) {
  BERTH_TRY_ASSIGN(ComponentWorld world, component_world(type));
  return print_resolve(world.resolve, world.package);
}

Result<std::string> print_component_world(std::span<const uint8_t> binary) {
  BERTH_TRY_ASSIGN(component::binary::BinaryKind kind, component::binary::detect_kind(binary));
  if (kind == component::binary::BinaryKind::kCoreModule) {
    return Error(ErrorCode::kInvalid,
                 "this is a core WebAssembly module, not a component; only components have a "
                 "WIT world");
  }
  BERTH_TRY_ASSIGN(component::binary::Component ir, component::binary::decode_component(binary));
  BERTH_TRY_ASSIGN(auto validated, component::validate_component(ir, binary));
  return print_component_world(*validated->type);
}

}  // namespace berth::wit
