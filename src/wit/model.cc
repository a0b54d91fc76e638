#include <fmt/format.h>

#include "berth/wit/model.h"

namespace berth::wit {

std::string_view to_string(Primitive p) {
  switch (p) {
    case Primitive::kBool:
      return "bool";
    case Primitive::kU8:
      return "u8";
    case Primitive::kU16:
      return "u16";
    case Primitive::kU32:
      return "u32";
    case Primitive::kU64:
      return "u64";
    case Primitive::kS8:
      return "s8";
    case Primitive::kS16:
      return "s16";
    case Primitive::kS32:
      return "s32";
    case Primitive::kS64:
      return "s64";
    case Primitive::kF32:
      return "f32";
    case Primitive::kF64:
      return "f64";
    case Primitive::kChar:
      return "char";
    case Primitive::kString:
      return "string";
    case Primitive::kErrorContext:
      return "error-context";
  }
  return "?";
}

std::string_view Function::item_name() const {
  std::string_view n = name;
  if (kind == FunctionKind::kFreestanding) return n;
  size_t close = n.find(']');
  n.remove_prefix(close == std::string_view::npos ? 0 : close + 1);
  if (kind == FunctionKind::kConstructor) return n;
  size_t dot = n.find('.');
  return dot == std::string_view::npos ? n : n.substr(dot + 1);
}

std::string PackageName::to_string() const {
  if (version) return fmt::format("{}:{}@{}", ns, name, version->to_string());
  return fmt::format("{}:{}", ns, name);
}

std::optional<PackageId> Resolve::find_package(const PackageName& name) const {
  for (uint32_t i = 0; i < packages.size(); ++i) {
    if (packages[i].name == name) return PackageId{i};
  }
  return std::nullopt;
}

std::optional<InterfaceId> Resolve::find_interface(PackageId id, std::string_view name) const {
  for (InterfaceId iface : package(id).interfaces) {
    if (interface(iface).name == name) return iface;
  }
  return std::nullopt;
}

std::optional<WorldId> Resolve::find_world(PackageId id, std::string_view name) const {
  for (WorldId w : package(id).worlds) {
    if (world(w).name == name) return w;
  }
  return std::nullopt;
}

std::optional<TypeId> Resolve::find_type(InterfaceId id, std::string_view name) const {
  for (TypeId t : interface(id).types) {
    if (type(t).name == name) return t;
  }
  return std::nullopt;
}

const Function* Resolve::find_function(InterfaceId id, std::string_view name) const {
  for (const Function& f : interface(id).functions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

TypeId Resolve::dealias(TypeId id) const {
  // Aliases cannot form cycles (the resolver rejects them), so this terminates.
  while (true) {
    const auto* alias = std::get_if<Alias>(&type(id).kind);
    if (!alias || alias->target.is_primitive()) return id;
    id = alias->target.id();
  }
}

std::string Resolve::interface_path(InterfaceId id) const {
  const Interface& iface = interface(id);
  if (!iface.name) return "";
  if (!iface.package) return *iface.name;
  const PackageName& p = package(*iface.package).name;
  std::string out = fmt::format("{}:{}/{}", p.ns, p.name, *iface.name);
  if (p.version) out += "@" + p.version->to_string();
  return out;
}

std::string Resolve::world_path(WorldId id) const {
  const World& w = world(id);
  const PackageName& p = package(w.package).name;
  std::string out = fmt::format("{}:{}/{}", p.ns, p.name, w.name);
  if (p.version) out += "@" + p.version->to_string();
  return out;
}

std::string Resolve::item_key(const WorldItem& item) const {
  if (!item.name.empty()) return item.name;
  return interface_path(item.interface);
}

}  // namespace berth::wit
