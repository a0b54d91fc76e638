#include "imports.h"

#include <fmt/format.h>

#include <cstring>

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
    const wit::Interface& declared = bundle.resolve_.interface(imported->id);
    for (size_t f = 0; f < iface.function_count; ++f) {
      const berth_function& fn = iface.functions[f];
      if (fn.name == nullptr) {
        return malformed(fmt::format("function #{} of import '{}' has no name", f, iface.name));
      }
      auto function = std::find_if(declared.functions.begin(), declared.functions.end(),
                                   [&](const wit::Function& w) { return w.name == fn.name; });
      if (function == declared.functions.end()) {
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

ImportTable::ImportTable(const LoadedBundle& bundle) : bundle_name_(bundle.name()) {
  slots_.reserve(bundle.imports_.size());
  for (const ImportedFunction& function : bundle.imports_) {
    slots_.push_back(Slot{
        .function = &function,
        .label = fmt::format("{} calling {}#{}", bundle.name(), function.import, function.name)});
  }
}

Result<void> ImportTable::bind(std::string_view import, std::string_view interface,
                               host::ProviderInstance& dependency) {
  for (Slot& slot : slots_) {
    const ImportedFunction& function = *slot.function;
    // A function whose types hold resources would need the dependency's resource types.
    if (function.import != import || function.holds_resources) continue;
    auto target = dependency.function(interface, function.name, function.type);
    if (!target) return std::move(target.error().prepend(slot.label));
    slot.target = std::move(*target);
  }
  return {};
}

Result<void> ImportTable::call(uint32_t index, const void* params, void* result,
                               NativeArena& arena) {
  if (index >= slots_.size()) {
    return Error(ErrorCode::kTrap,
                 fmt::format("{} called import #{}; its descriptor lists {} imported functions",
                             bundle_name_, index, slots_.size()));
  }
  Slot& slot = slots_[index];
  const ImportedFunction& function = *slot.function;
  if (function.holds_resources) {
    return Error(ErrorCode::kTrap,
                 fmt::format("{}: its parameters or result hold resources, which a bundle cannot "
                             "pass to or take from another provider yet",
                             slot.label));
  }
  if (!slot.target) {
    return Error(ErrorCode::kTrap, fmt::format("{}: no provider is linked to it", slot.label));
  }
  bool has_params = !function.params->members.empty();
  if ((has_params && params == nullptr) || (function.result && result == nullptr)) {
    return Error(ErrorCode::kTrap,
                 fmt::format("{}: called with a NULL {}", slot.label,
                             has_params && params == nullptr ? "params" : "result"));
  }
  auto* result_bytes = static_cast<uint8_t*>(function.result ? result : nullptr);
  auto* param_bytes = static_cast<const uint8_t*>(has_params ? params : nullptr);
  if (result_bytes != nullptr) std::memset(result_bytes, 0, function.result->size);
  const component::NativeFunction* native = slot.target.native();
  if (native == nullptr) return call_dynamic(slot, param_bytes, result_bytes, arena);
  BERTH_TRY(native->call(param_bytes, result_bytes, arena));
  if (result_bytes != nullptr && function.result->checked) {
    auto valid = component::check_native(*function.result, result_bytes, arena, "result");
    if (!valid) {
      return Error(ErrorCode::kTrap, fmt::format("{}: the callee returned an invalid value: {}",
                                                 slot.label, valid.error().message()));
    }
  }
  return {};
}

// A callee that takes Vals (built-in WASI, functions an embedder defines): the parameter struct
// is read into Vals and the result written back into the native layout.
Result<void> ImportTable::call_dynamic(Slot& slot, const uint8_t* params, uint8_t* result,
                                       NativeArena& arena) {
  const ImportedFunction& function = *slot.function;
  component::PassThroughHandles handles;
  std::vector<Val> args;
  args.reserve(function.params->members.size());
  for (const NativeType::Member& member : function.params->members) {
    auto arg =
        component::read_native(*member.type, params + member.offset, arena, handles, member.name);
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
  auto written =
      component::write_native(*function.result, *slot.last_result, result, arena, handles);
  if (!written) return std::move(written.error().prepend(slot.label));
  return {};
}

}  // namespace berth::bundle
