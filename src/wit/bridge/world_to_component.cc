// WIT -> component types: the ComponentType, InstanceType or FuncType a component sees for a
// world, an interface or a function.
#include <fmt/format.h>

#include <atomic>
#include <map>
#include <set>

#include "berth/wit/component_bridge.h"

namespace berth::wit {
namespace {

namespace ct = component;
using ct::ValKind;

ValKind val_kind(Primitive p) {
  switch (p) {
    case Primitive::kBool:
      return ValKind::kBool;
    case Primitive::kU8:
      return ValKind::kU8;
    case Primitive::kU16:
      return ValKind::kU16;
    case Primitive::kU32:
      return ValKind::kU32;
    case Primitive::kU64:
      return ValKind::kU64;
    case Primitive::kS8:
      return ValKind::kS8;
    case Primitive::kS16:
      return ValKind::kS16;
    case Primitive::kS32:
      return ValKind::kS32;
    case Primitive::kS64:
      return ValKind::kS64;
    case Primitive::kF32:
      return ValKind::kF32;
    case Primitive::kF64:
      return ValKind::kF64;
    case Primitive::kChar:
      return ValKind::kChar;
    case Primitive::kString:
      return ValKind::kString;
    case Primitive::kErrorContext:
      return ValKind::kErrorContext;
  }
  return ValKind::kBool;
}

uint64_t next_resource_id() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1);
}

std::shared_ptr<ct::Type> make(ValKind kind) {
  auto type = std::make_shared<ct::Type>();
  type->kind = kind;
  return type;
}

// Which instance a type belongs to: what a world imports and what it exports are different
// instances, with different resources, even for one interface imported and exported.
enum class Side : uint8_t { kImport, kExport };

class TypeBuilder {
 public:
  explicit TypeBuilder(const Resolve& resolve, const ResourceResolver* resource_of = nullptr)
      : resolve_(resolve), resource_of_(resource_of) {}

  // Interfaces the world exports by interface name: their types belong to the export side.
  void set_exported(std::set<uint32_t> exported) { exported_ = std::move(exported); }

  std::vector<ct::ResourceTypeRef> imported_resources;
  std::vector<ct::ResourceTypeRef> defined_resources;
  const std::optional<Error>& resource_error() const { return resource_error_; }

  Result<ct::InstanceType> instance(InterfaceId id, Side side) {
    const Interface& iface = resolve_.interface(id);
    ct::InstanceType out;
    for (TypeId type : iface.types) {
      ct::NamedExtern e;
      e.name = resolve_.type(type).name;
      e.desc.kind = ct::ExternKind::kType;
      BERTH_TRY(type_desc(type, side, e.desc));
      out.exports.push_back(std::move(e));
    }
    for (const Function& f : iface.functions) {
      ct::NamedExtern e;
      e.name = f.name;
      e.desc.kind = ct::ExternKind::kFunc;
      BERTH_TRY_ASSIGN(ct::FuncType func, function(f, side));
      e.desc.func = std::make_shared<const ct::FuncType>(std::move(func));
      out.exports.push_back(std::move(e));
    }
    return out;
  }

  Result<ct::FuncType> function(const Function& f, Side side) {
    ct::FuncType out;
    out.is_async = f.is_async;
    for (const Param& p : f.params) {
      BERTH_TRY_ASSIGN(ct::TypeRef type, value(p.type, side));
      out.params.push_back(ct::Field{p.name, type});
    }
    if (f.result) {
      BERTH_TRY_ASSIGN(out.result, value(*f.result, side));
    }
    return out;
  }

  // A named type as a type export: a resource, or a value type.
  Result<void> type_desc(TypeId id, Side side, ct::ExternDesc& desc) {
    TypeId target = resolve_.dealias(id);
    if (std::holds_alternative<Resource>(resolve_.type(target).kind)) {
      desc.resource = resource(target, side);
      return {};
    }
    BERTH_TRY_ASSIGN(desc.type, value(Type(id), side));
    return {};
  }

  Result<ct::TypeRef> value(const Type& type, Side side) {
    if (type.is_primitive()) return ct::Type::primitive(val_kind(type.primitive()));
    TypeId id = type.id();
    const TypeDef& def = resolve_.type(id);
    Side own_side = def.name.empty() ? side : side_of(def.owner, side);
    auto& memo = nodes_[static_cast<size_t>(own_side)];
    if (auto it = memo.find(id.index); it != memo.end()) return it->second;
    BERTH_TRY_ASSIGN(ct::TypeRef node, build(id, def, own_side));
    memo.emplace(id.index, node);
    return node;
  }

 private:
  Side side_of(const TypeOwner& owner, Side context) const {
    if (context == Side::kExport && owner.kind == TypeOwner::Kind::kInterface &&
        exported_.count(owner.interface.index)) {
      return Side::kExport;
    }
    return Side::kImport;
  }

  ct::ResourceTypeRef resource(TypeId id, Side context) {
    const TypeDef& def = resolve_.type(id);
    Side side = side_of(def.owner, context);
    auto& memo = resources_[static_cast<size_t>(side)];
    if (auto it = memo.find(id.index); it != memo.end()) return it->second;
    if (resource_of_ != nullptr) {
      auto given = (*resource_of_)(id);
      if (given) {
        memo.emplace(id.index, *given);
        return *given;
      }
      if (!resource_error_) resource_error_ = std::move(given).error();
    }
    auto resource = std::make_shared<ct::ResourceType>();
    std::string path = def.owner.kind == TypeOwner::Kind::kInterface
                           ? resolve_.interface_path(def.owner.interface)
                           : "";
    resource->name = path.empty() ? def.name : fmt::format("{}#{}", path, def.name);
    resource->id = next_resource_id();
    ct::ResourceTypeRef ref = resource;
    memo.emplace(id.index, ref);
    (side == Side::kExport ? defined_resources : imported_resources).push_back(ref);
    return ref;
  }

  Result<ct::TypeRef> optional(const std::optional<Type>& type, Side side) {
    if (!type) return ct::TypeRef();
    return value(*type, side);
  }

  Result<ct::TypeRef> build(TypeId id, const TypeDef& def, Side side) {
    return std::visit(
        [&](const auto& k) -> Result<ct::TypeRef> {
          using K = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<K, Record>) {
            std::vector<ct::Field> fields;
            for (const Field& f : k.fields) {
              BERTH_TRY_ASSIGN(ct::TypeRef type, value(f.type, side));
              fields.push_back(ct::Field{f.name, type});
            }
            return ct::Type::record(std::move(fields));
          } else if constexpr (std::is_same_v<K, Variant>) {
            std::vector<ct::Field> cases;
            for (const Case& c : k.cases) {
              BERTH_TRY_ASSIGN(ct::TypeRef type, optional(c.type, side));
              cases.push_back(ct::Field{c.name, type});
            }
            return ct::Type::variant(std::move(cases));
          } else if constexpr (std::is_same_v<K, Enum>) {
            std::vector<std::string> labels;
            for (const EnumCase& c : k.cases) labels.push_back(c.name);
            return ct::Type::enumeration(std::move(labels));
          } else if constexpr (std::is_same_v<K, Flags>) {
            std::vector<std::string> labels;
            for (const Flag& f : k.flags) labels.push_back(f.name);
            return ct::Type::flags(std::move(labels));
          } else if constexpr (std::is_same_v<K, Tuple>) {
            std::vector<ct::TypeRef> elements;
            for (const Type& t : k.types) {
              BERTH_TRY_ASSIGN(ct::TypeRef type, value(t, side));
              elements.push_back(type);
            }
            return ct::Type::tuple(std::move(elements));
          } else if constexpr (std::is_same_v<K, Option>) {
            BERTH_TRY_ASSIGN(ct::TypeRef element, value(k.type, side));
            return ct::Type::option(element);
          } else if constexpr (std::is_same_v<K, ResultType>) {
            BERTH_TRY_ASSIGN(ct::TypeRef ok, optional(k.ok, side));
            BERTH_TRY_ASSIGN(ct::TypeRef err, optional(k.err, side));
            return ct::Type::result(ok, err);
          } else if constexpr (std::is_same_v<K, List>) {
            BERTH_TRY_ASSIGN(ct::TypeRef element, value(k.element, side));
            return ct::Type::list(element);
          } else if constexpr (std::is_same_v<K, FixedList>) {
            auto node = make(ValKind::kList);
            BERTH_TRY_ASSIGN(node->element, value(k.element, side));
            node->fixed_length = k.length;
            return ct::TypeRef(node);
          } else if constexpr (std::is_same_v<K, Future> || std::is_same_v<K, Stream>) {
            auto node = make(std::is_same_v<K, Future> ? ValKind::kFuture : ValKind::kStream);
            BERTH_TRY_ASSIGN(node->element, optional(k.payload, side));
            return ct::TypeRef(node);
          } else if constexpr (std::is_same_v<K, Handle>) {
            ct::ResourceTypeRef r = resource(resolve_.dealias(k.resource), side);
            return k.kind == HandleKind::kOwn ? ct::Type::own(r) : ct::Type::borrow(r);
          } else if constexpr (std::is_same_v<K, Map>) {
            std::string what = def.name.empty() ? "a map type" : fmt::format("type '{}'", def.name);
            return Error(ErrorCode::kUnsupported,
                         fmt::format("{} is used, and component types have no maps yet", what));
          } else if constexpr (std::is_same_v<K, Resource>) {
            // A resource used as a value type stands for an owned handle.
            ct::ResourceTypeRef r = resource(id, side);
            return ct::Type::own(r);
          } else {
            static_assert(std::is_same_v<K, Alias>);
            return alias(def, k, side);
          }
        },
        def.kind);
  }

  // `use` brings the original type in: the same node, as in a component where the using
  // interface re-exports it. A local `type a = b;` is a new name for it, so a node of its own
  // (validation makes a copy too), which keeps names apart where they are printed.
  Result<ct::TypeRef> alias(const TypeDef& def, const Alias& alias, Side side) {
    if (!alias.target.is_primitive()) {
      const TypeDef& target = resolve_.type(alias.target.id());
      bool used = target.owner.kind == TypeOwner::Kind::kInterface &&
                  !(def.owner.kind == TypeOwner::Kind::kInterface &&
                    def.owner.interface == target.owner.interface);
      TypeId resolved = resolve_.dealias(alias.target.id());
      if (std::holds_alternative<Resource>(resolve_.type(resolved).kind)) {
        return ct::Type::own(resource(resolved, side));
      }
      if (used) return value(alias.target, side);
    }
    BERTH_TRY_ASSIGN(ct::TypeRef node, value(alias.target, side));
    return ct::TypeRef(std::make_shared<ct::Type>(*node));
  }

  const Resolve& resolve_;
  std::set<uint32_t> exported_;
  std::map<uint32_t, ct::TypeRef> nodes_[2];
  std::map<uint32_t, ct::ResourceTypeRef> resources_[2];
  const ResourceResolver* resource_of_;
  std::optional<Error> resource_error_;  // the first resource resource_of_ could not give
};

}  // namespace

Result<component::ComponentType> world_component_type(const Resolve& resolve, WorldId id) {
  const World& world = resolve.world(id);
  TypeBuilder builder(resolve);
  std::set<uint32_t> exported;
  for (const WorldItem& item : world.exports) {
    if (item.kind == WorldItem::Kind::kInterface) exported.insert(item.interface.index);
  }
  builder.set_exported(std::move(exported));

  component::ComponentType out;
  for (bool is_export : {false, true}) {
    const Side side = is_export ? Side::kExport : Side::kImport;
    for (const WorldItem& item : is_export ? world.exports : world.imports) {
      component::NamedExtern e;
      e.name = resolve.item_key(item);
      switch (item.kind) {
        case WorldItem::Kind::kInterface: {
          e.desc.kind = component::ExternKind::kInstance;
          BERTH_TRY_ASSIGN(component::InstanceType instance,
                           builder.instance(item.interface, side));
          e.desc.instance = std::make_shared<const component::InstanceType>(std::move(instance));
          break;
        }
        case WorldItem::Kind::kFunction: {
          e.desc.kind = component::ExternKind::kFunc;
          BERTH_TRY_ASSIGN(component::FuncType func, builder.function(item.function, side));
          e.desc.func = std::make_shared<const component::FuncType>(std::move(func));
          break;
        }
        case WorldItem::Kind::kType:
          e.desc.kind = component::ExternKind::kType;
          BERTH_TRY(builder.type_desc(item.type, side, e.desc));
          break;
      }
      (is_export ? out.exports : out.imports).push_back(std::move(e));
    }
  }
  out.imported_resources = std::move(builder.imported_resources);
  out.defined_resources = std::move(builder.defined_resources);
  return out;
}

Result<component::InstanceType> interface_instance_type(const Resolve& resolve,
                                                        InterfaceId interface) {
  TypeBuilder builder(resolve);
  return builder.instance(interface, Side::kImport);
}

Result<component::FuncType> function_type(const Resolve& resolve, const Function& function) {
  TypeBuilder builder(resolve);
  return builder.function(function, Side::kImport);
}

Result<component::FuncType> function_type(const Resolve& resolve, const Function& function,
                                          const ResourceResolver& resource_of) {
  TypeBuilder builder(resolve, &resource_of);
  auto type = builder.function(function, Side::kImport);
  if (builder.resource_error()) return *builder.resource_error();
  return type;
}

}  // namespace berth::wit
