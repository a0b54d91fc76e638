#include "imports.h"

#include <fmt/format.h>

#include <cstring>

#include "berth/wit/component_bridge.h"
#include "loaded_bundle.h"

namespace berth::bundle {
namespace {

using component::NativeArena;
using component::NativeType;
using component::Val;
using component::ValKind;

// Whether a value of `type` can hold a resource handle.
bool holds_resources(const NativeType& type) {
  if (type.kind == ValKind::kOwn || type.kind == ValKind::kBorrow) return true;
  if (type.element && holds_resources(*type.element)) return true;
  for (const NativeType::Member& member : type.members) {
    if (member.type && holds_resources(*member.type)) return true;
  }
  return false;
}

// The handles of a bundle's call into an import: the resources it passes are handles of its
// ForeignHandles (own ones leave it, borrowed ones stay), and those the callee returns become
// handles it owns.
class ImportCallHandles final : public component::NativeHandles {
 public:
  explicit ImportCallHandles(ForeignHandles& foreign) : foreign_(foreign) {}

  Result<uintptr_t> to_native(const NativeType& type, const component::ResourceType&,
                              uint32_t rep) override {
    if (type.kind != ValKind::kOwn || !type.resource) {
      return Error(ErrorCode::kTrap, "a borrow handle cannot be returned");
    }
    return foreign_.add(type.resource, rep, /*owned=*/true);
  }

  Result<uint32_t> from_native(const NativeType& type, uintptr_t handle) override {
    if (!type.resource) return Error(ErrorCode::kInternal, "a handle type without its resource");
    return type.kind == ValKind::kOwn ? foreign_.take(handle, *type.resource)
                                      : foreign_.get(handle, *type.resource);
  }

 private:
  ForeignHandles& foreign_;
};

}  // namespace

Result<std::vector<std::string>> read_imports(LoadedBundle& bundle, const std::string& lib) {
  std::vector<std::string> out;
  const berth_bundle_descriptor& d = *bundle.descriptor_;
  if (d.abi_minor < 2 || d.import_count == 0) return out;
  auto malformed = [&](std::string what) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: malformed bundle descriptor: {}", lib, what));
  };
  if (d.imports == nullptr) return malformed("import_count is set but imports is NULL");
  for (size_t i = 0; i < d.import_count; ++i) {
    const berth_interface& iface = d.imports[i];
    if (iface.name == nullptr) return malformed(fmt::format("import #{} has no name", i));
    if (iface.function_count > 0 && iface.functions == nullptr) {
      return malformed(fmt::format("import '{}' has a count without its array", iface.name));
    }
    auto imported =
        std::find_if(bundle.dependencies_.begin(), bundle.dependencies_.end(),
                     [&](const host::ProvidedInterface& p) { return p.name == iface.name; });
    if (imported == bundle.dependencies_.end()) {
      out.push_back(
          fmt::format("the library calls functions of interface {}, which the WIT "
                      "world does not import",
                      iface.name));
      continue;
    }
    for (size_t f = 0; f < iface.function_count; ++f) {
      const berth_function& fn = iface.functions[f];
      if (fn.name == nullptr) {
        return malformed(fmt::format("function #{} of import '{}' has no name", f, iface.name));
      }
      const wit::Function* function = bundle.resolve_.find_function(imported->id, fn.name);
      if (function == nullptr) {
        out.push_back(
            fmt::format("{}: the library calls function '{}', which the WIT does not "
                        "declare",
                        iface.name, fn.name));
        continue;
      }
      std::optional<CheckedFunction> checked =
          check_function(bundle.resolve_, iface.name, *function, fn, out);
      if (!checked) continue;
      ImportedFunction entry{.import = iface.name,
                             .name = fn.name,
                             .declared = function,
                             .type = std::move(checked->type),
                             .params = std::move(checked->params),
                             .result = std::move(checked->result)};
      entry.holds_resources =
          holds_resources(*entry.params) || (entry.result && holds_resources(*entry.result));
      bundle.imports_.push_back(std::move(entry));
    }
  }
  return out;
}

ImportTable::ImportTable(const LoadedBundle& bundle, ForeignHandles& foreign)
    : bundle_(bundle), foreign_(foreign) {
  slots_.reserve(bundle.imports_.size());
  for (const ImportedFunction& function : bundle.imports_) {
    slots_.push_back(Slot{
        .function = &function,
        .label = fmt::format("{} calling {}#{}", bundle.name(), function.import, function.name),
        .params = function.params,
        .result = function.result});
  }
}

Result<void> ImportTable::bind(std::string_view import, std::string_view interface,
                               host::ProviderInstance& dependency) {
  links_[std::string(import)] = Link{std::string(interface), &dependency};
  for (Slot& slot : slots_) {
    const ImportedFunction& function = *slot.function;
    if (function.import != import || function.holds_resources) continue;
    auto target = dependency.function(interface, function.name, function.type);
    if (!target) return std::move(target.error().prepend(slot.label));
    slot.target = std::move(*target);
  }
  return {};
}

// The function's type with the resource types of the providers that define them (those the
// bundle's imports are linked to), its layouts, and the provider's function for that type.
Result<void> ImportTable::bind_with_resources(Slot& slot) {
  const ImportedFunction& function = *slot.function;
  const wit::Resolve& resolve = bundle_.resolve_;
  auto resource_of = [&](wit::TypeId id) -> Result<component::ResourceTypeRef> {
    const wit::TypeDef& def = resolve.type(id);
    auto imported = std::find_if(bundle_.dependencies_.begin(), bundle_.dependencies_.end(),
                                 [&](const host::ProvidedInterface& p) {
                                   return def.owner.kind == wit::TypeOwner::Kind::kInterface &&
                                          p.id == def.owner.interface;
                                 });
    auto link =
        imported == bundle_.dependencies_.end() ? links_.end() : links_.find(imported->name);
    if (link != links_.end()) {
      return link->second.dependency->resource(link->second.interface, def.name);
    }
    return Error(ErrorCode::kTrap, fmt::format("resource '{}' is not one of an interface the "
                                               "bundle imports",
                                               def.name));
  };
  auto link = links_.find(function.import);
  if (link == links_.end()) {
    return Error(ErrorCode::kTrap, fmt::format("{}: no provider is linked to it", slot.label));
  }
  auto type = wit::function_type(resolve, *function.declared, resource_of);
  if (!type) return std::move(type.error().prepend(slot.label));
  auto layout = component::native_function_layout(*type);
  if (!layout) return std::move(layout.error().prepend(slot.label));
  auto target = link->second.dependency->function(link->second.interface, function.name, *type);
  if (!target) return std::move(target.error().prepend(slot.label));
  slot.params = std::move(layout->params);
  slot.result = std::move(layout->result);
  slot.target = std::move(*target);
  return {};
}

Result<void> ImportTable::call(uint32_t index, const void* params, void* result,
                               NativeArena& arena) {
  if (index >= slots_.size()) {
    return Error(ErrorCode::kTrap,
                 fmt::format("{} called import #{}; its descriptor lists {} imported functions",
                             bundle_.name(), index, slots_.size()));
  }
  Slot& slot = slots_[index];
  const ImportedFunction& function = *slot.function;
  if (function.holds_resources && !slot.target) BERTH_TRY(bind_with_resources(slot));
  if (!slot.target) {
    return Error(ErrorCode::kTrap, fmt::format("{}: no provider is linked to it", slot.label));
  }
  bool has_params = !slot.params->members.empty();
  if ((has_params && params == nullptr) || (slot.result && result == nullptr)) {
    return Error(ErrorCode::kTrap,
                 fmt::format("{}: called with a NULL {}", slot.label,
                             has_params && params == nullptr ? "params" : "result"));
  }
  auto* result_bytes = static_cast<uint8_t*>(slot.result ? result : nullptr);
  auto* param_bytes = static_cast<const uint8_t*>(has_params ? params : nullptr);
  if (result_bytes != nullptr) std::memset(result_bytes, 0, slot.result->size);
  // Resources take the dynamic path, where the handles are translated.
  const component::NativeFunction* native = slot.target.native();
  if (native == nullptr || function.holds_resources) {
    return call_dynamic(slot, param_bytes, result_bytes, arena);
  }
  BERTH_TRY(native->call(param_bytes, result_bytes, arena));
  if (result_bytes != nullptr && slot.result->checked) {
    auto valid = component::check_native(*slot.result, result_bytes, arena, "result");
    if (!valid) {
      return Error(ErrorCode::kTrap, fmt::format("{}: the callee returned an invalid value: {}",
                                                 slot.label, valid.error().message()));
    }
  }
  return {};
}

// A callee that takes Vals (built-in WASI, functions an embedder defines), or a function that
// holds resources: the parameter struct is read into Vals and the result written back into the
// native layout, handles translated on the way.
Result<void> ImportTable::call_dynamic(Slot& slot, const uint8_t* params, uint8_t* result,
                                       NativeArena& arena) {
  ImportCallHandles handles(foreign_);
  std::vector<Val> args;
  args.reserve(slot.params->members.size());
  for (const NativeType::Member& member : slot.params->members) {
    auto arg = component::read_native_argument(*member.type, params + member.offset, arena, handles,
                                               member.name);
    if (!arg) return std::move(arg.error().prepend(slot.label));
    args.push_back(std::move(*arg));
  }
  auto value = slot.target(args);
  if (!value) return std::move(value.error().prepend(slot.label));
  if (result == nullptr) return {};
  if (!value->has_value()) {
    return Error(ErrorCode::kTrap, fmt::format("{}: the callee returned no value", slot.label));
  }
  slot.last_result = std::move(**value);
  auto written = component::write_native(*slot.result, *slot.last_result, result, arena, handles);
  if (!written) return std::move(written.error().prepend(slot.label));
  return {};
}

}  // namespace berth::bundle
