// The behaviour follows wasmtime's harness (crates/wast, `link_component_spectest`): the
// constructor wraps a u32 as the rep of an owned `resource1`, `assert` and `simple` check the rep
// they are handed, and dropping a `resource1` counts drops and remembers the last rep dropped.
#include "wast_host.h"

#include <fmt/format.h>

#include "component/runtime/instance_exports.h"

namespace berth::conformance {
namespace {

using component::ComponentInstance;
using component::ExternKind;
using component::Field;
using component::FuncType;
using component::HostFunction;
using component::ResourceTypeRef;
using component::Type;
using component::TypeRef;
using component::Val;
using component::ValKind;

Error link_error(std::string message) {
  return Error(ErrorCode::kLink, std::move(message));
}

Error trap(std::string message) {
  return Error(ErrorCode::kTrap, std::move(message));
}

FuncType func(std::vector<TypeRef> params, TypeRef result) {
  FuncType type;
  for (auto& p : params) type.params.push_back(Field{"", std::move(p)});
  type.result = std::move(result);
  return type;
}

bool same_type(const TypeRef& a, const TypeRef& b) {
  if (!a || !b) return a == b;
  return component::types_equal(*a, *b);
}

const char* kind_name(ExternKind kind) {
  switch (kind) {
    case ExternKind::kCoreModule:
      return "module";
    case ExternKind::kFunc:
      return "func";
    case ExternKind::kValue:
      return "value";
    case ExternKind::kType:
      return "type";
    case ExternKind::kComponent:
      return "component";
    case ExternKind::kInstance:
      return "instance";
  }
  return "item";
}

Result<void> expect_kind(std::string_view name, ExternKind defined, ExternKind imported) {
  if (defined == imported) return {};
  // Resources are the only types the harness defines.
  const char* wanted = imported == ExternKind::kType ? "resource" : kind_name(imported);
  const char* found = defined == ExternKind::kType ? "resource" : kind_name(defined);
  return link_error(fmt::format("import '{}': expected {} found {}", name, wanted, found));
}

}  // namespace

WastHost::WastHost() : state_(std::make_shared<DropState>()) {
  std::shared_ptr<DropState> state = state_;
  resource1_ = component::make_host_resource_type("host#resource1", [state](uint32_t rep) {
    state->drops++;
    state->last_drop = rep;
  });
  resource2_ = component::make_host_resource_type("host#resource2");

  TypeRef u32 = Type::primitive(ValKind::kU32);
  TypeRef own = Type::own(resource1_);
  TypeRef borrow = Type::borrow(resource1_);
  auto constant = [](uint32_t v) -> HostFunction {
    return [v](std::span<const Val>) -> Result<std::optional<Val>> {
      return std::optional<Val>(Val::u32(v));
    };
  };
  // The rep of a handle argument, which must be of `kind`.
  auto rep_of = [](const Val& v, ValKind kind) -> Result<uint32_t> {
    if (v.kind != kind || !v.handle) {
      return trap(fmt::format("expected a {} handle", component::to_string(kind)));
    }
    return v.handle->rep;
  };

  root_funcs_["host-return-two"] = {func({}, u32), constant(2)};
  host_funcs_["return-three"] = {func({}, u32), constant(3)};
  ResourceTypeRef resource1 = resource1_;
  host_funcs_["[constructor]resource1"] = {
      func({u32}, own), [resource1](std::span<const Val> args) -> Result<std::optional<Val>> {
        Val v;
        v.kind = ValKind::kOwn;
        v.handle = std::make_shared<component::ResourceHandle>(
            component::ResourceHandle{.type = resource1, .rep = static_cast<uint32_t>(args[0].u)});
        return std::optional<Val>(std::move(v));
      }};
  host_funcs_["[static]resource1.assert"] = {
      func({own, u32}, nullptr), [rep_of](std::span<const Val> args) -> Result<std::optional<Val>> {
        BERTH_TRY_ASSIGN(uint32_t rep, rep_of(args[0], ValKind::kOwn));
        if (rep != args[1].u) return trap(fmt::format("resource rep {} != {}", rep, args[1].u));
        return std::optional<Val>{};
      }};
  host_funcs_["[static]resource1.last-drop"] = {
      func({}, u32), [state](std::span<const Val>) -> Result<std::optional<Val>> {
        return std::optional<Val>(Val::u32(state->last_drop));
      }};
  host_funcs_["[static]resource1.drops"] = {
      func({}, u32), [state](std::span<const Val>) -> Result<std::optional<Val>> {
        return std::optional<Val>(Val::u32(state->drops));
      }};
  host_funcs_["[method]resource1.simple"] = {
      func({borrow, u32}, nullptr),
      [rep_of](std::span<const Val> args) -> Result<std::optional<Val>> {
        BERTH_TRY_ASSIGN(uint32_t rep, rep_of(args[0], ValKind::kBorrow));
        if (rep != args[1].u) return trap(fmt::format("resource rep {} != {}", rep, args[1].u));
        return std::optional<Val>{};
      }};
  host_funcs_["[method]resource1.take-borrow"] = {
      func({borrow, borrow}, nullptr),
      [rep_of](std::span<const Val> args) -> Result<std::optional<Val>> {
        BERTH_TRY(rep_of(args[0], ValKind::kBorrow));
        BERTH_TRY(rep_of(args[1], ValKind::kBorrow));
        return std::optional<Val>{};
      }};
  host_funcs_["[method]resource1.take-own"] = {
      func({borrow, own}, nullptr),
      [rep_of](std::span<const Val> args) -> Result<std::optional<Val>> {
        BERTH_TRY(rep_of(args[0], ValKind::kBorrow));
        BERTH_TRY(rep_of(args[1], ValKind::kOwn));
        return std::optional<Val>{};
      }};
}

void WastHost::register_instance(std::string name, ComponentInstance& instance) {
  named_[std::move(name)] = &instance;
}

Result<void> WastHost::check_imports(const component::ComponentType& type) const {
  for (const component::NamedExtern& import : type.imports) {
    const std::string& name = import.name;
    if (root_funcs_.count(name)) BERTH_TRY(expect_kind(name, ExternKind::kFunc, import.desc.kind));
    if (name == "host" || named_.count(name)) {
      BERTH_TRY(expect_kind(name, ExternKind::kInstance, import.desc.kind));
    }
    if (name != "host" || !import.desc.instance) continue;
    for (const component::NamedExtern& e : import.desc.instance->exports) {
      std::optional<ExternKind> defined;
      if (host_funcs_.count(e.name)) defined = ExternKind::kFunc;
      if (e.name == "resource1" || e.name == "resource2" || e.name == "resource1-again")
        defined = ExternKind::kType;
      if (e.name == "nested") defined = ExternKind::kInstance;
      if (e.name == "simple-module") defined = ExternKind::kCoreModule;
      if (defined) BERTH_TRY(expect_kind("host#" + e.name, *defined, e.desc.kind));
    }
  }
  return {};
}

Result<HostFunction> WastHost::checked(std::string_view where, const Definition& def,
                                       const FuncType& type) const {
  bool same =
      def.type.params.size() == type.params.size() && same_type(def.type.result, type.result);
  for (size_t i = 0; same && i < type.params.size(); ++i) {
    same = same_type(def.type.params[i].type, type.params[i].type);
  }
  if (!same) {
    return link_error(fmt::format("function '{}' has the wrong type: the host defines {}, not {}",
                                  where, def.type.to_string(), type.to_string()));
  }
  return def.func;
}

Result<HostFunction> WastHost::resolve_func(std::string_view instance, std::string_view name,
                                            const FuncType& type) {
  if (instance.empty()) {
    auto it = root_funcs_.find(name);
    if (it != root_funcs_.end()) return checked(name, it->second, type);
  } else if (instance == "host") {
    auto it = host_funcs_.find(name);
    if (it != host_funcs_.end()) return checked(fmt::format("host#{}", name), it->second, type);
  } else if (auto it = named_.find(instance); it != named_.end()) {
    ComponentInstance* provider = it->second;
    for (const ComponentInstance::ExportedFunc& f : provider->functions()) {
      if (f.name != name) continue;
      Definition def{*f.type,
                     [provider, &f](std::span<const Val> args) { return provider->call(f, args); }};
      return checked(fmt::format("{}#{}", instance, name), def, type);
    }
  }
  return link_error(fmt::format("no host provides '{}' '{}' (was not found)", instance, name));
}

Result<ResourceTypeRef> WastHost::resolve_resource(std::string_view instance,
                                                   std::string_view name) {
  if (instance == "host") {
    if (name == "resource1" || name == "resource1-again") return resource1_;
    if (name == "resource2") return resource2_;
    if (host_funcs_.count(name)) {
      return link_error(fmt::format("import 'host#{}': expected resource found func", name));
    }
    return link_error(fmt::format("import 'host#{}' was not found", name));
  }
  if (auto it = named_.find(instance); it != named_.end()) {
    if (ResourceTypeRef r = component::runtime::exported_resource(*it->second, name)) return r;
    return link_error(fmt::format("import '{}#{}' was not found", instance, name));
  }
  // Anything else the harness does not define; like berth's default, make up a type.
  return ImportResolver::resolve_resource(instance, name);
}

}  // namespace berth::conformance
