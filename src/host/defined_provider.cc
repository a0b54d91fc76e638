#include "berth/host/defined_provider.h"

#include <fmt/format.h>

#include "berth/wit/component_bridge.h"
#include "berth/wit/resolve.h"

namespace berth::host {
namespace {

class DefinedInstance final : public ProviderInstance {
 public:
  explicit DefinedInstance(std::shared_ptr<const DefinedProvider> provider)
      : provider_(std::move(provider)) {}

  Result<component::ResourceTypeRef> resource(std::string_view interface,
                                              std::string_view name) override {
    std::string key = fmt::format("{}#{}", interface, name);
    auto it = resources_.find(key);
    if (it != resources_.end()) return it->second;
    component::ResourceTypeRef type =
        component::make_host_resource_type(key, provider_->destructor(interface, name));
    resources_.emplace(std::move(key), type);
    return type;
  }

  Result<component::HostFunction> function(std::string_view interface, std::string_view name,
                                           const component::FuncType& type) override {
    const DefinedProvider::Function* fn = provider_->implementation(interface, name);
    if (fn == nullptr) {
      return Error(ErrorCode::kLink,
                   fmt::format("{} declares '{}' in {} but defines no implementation of it",
                               provider_->name(), name, interface));
    }
    auto shared_type = std::make_shared<component::FuncType>(type);
    return component::HostFunction([fn = *fn, shared_type](std::span<const component::Val> args) {
      return fn(*shared_type, args);
    });
  }

 private:
  std::shared_ptr<const DefinedProvider> provider_;
  std::map<std::string, component::ResourceTypeRef, std::less<>> resources_;
};

}  // namespace

Result<std::shared_ptr<DefinedProvider>> DefinedProvider::create(std::string name,
                                                                 std::string_view wit_text,
                                                                 std::string_view world) {
  std::shared_ptr<DefinedProvider> provider(new DefinedProvider());
  provider->name_ = std::move(name);
  BERTH_TRY_ASSIGN(wit::PackageId package,
                   wit::load_source(provider->resolve_, provider->name_, wit_text));
  BERTH_TRY_ASSIGN(wit::WorldId world_id, wit::select_world(provider->resolve_, package, world));
  provider->interfaces_ = exported_interfaces(provider->resolve_, world_id);
  return provider;
}

Result<const ProvidedInterface*> DefinedProvider::find_interface(std::string_view interface) const {
  std::optional<wit::InterfaceName> wanted = wit::parse_interface_name(interface);
  for (const ProvidedInterface& provided : interfaces_) {
    if (provided.name == interface) return &provided;
    std::optional<wit::InterfaceName> name = wit::parse_interface_name(provided.name);
    if (wanted && name && !wanted->version && name->path() == wanted->path()) return &provided;
  }
  return Error(ErrorCode::kNotFound,
               fmt::format("{}: its world exports no interface '{}'", name_, interface));
}

Result<void> DefinedProvider::define(std::string_view interface, std::string_view function,
                                     Function fn) {
  BERTH_TRY_ASSIGN(const ProvidedInterface* provided, find_interface(interface));
  if (resolve_.find_function(provided->id, function) == nullptr) {
    return Error(ErrorCode::kNotFound, fmt::format("{}: interface {} declares no function '{}'",
                                                   name_, provided->name, function));
  }
  functions_[provided->name][std::string(function)] = std::move(fn);
  return {};
}

Result<void> DefinedProvider::on_drop(std::string_view interface, std::string_view resource,
                                      std::function<void(uint32_t rep)> destructor) {
  BERTH_TRY_ASSIGN(const ProvidedInterface* provided, find_interface(interface));
  if (!resolve_.find_type(provided->id, resource)) {
    return Error(ErrorCode::kNotFound, fmt::format("{}: interface {} declares no resource '{}'",
                                                   name_, provided->name, resource));
  }
  destructors_[provided->name][std::string(resource)] = std::move(destructor);
  return {};
}

const DefinedProvider::Function* DefinedProvider::implementation(std::string_view interface,
                                                                 std::string_view function) const {
  auto by_interface = functions_.find(interface);
  if (by_interface == functions_.end()) return nullptr;
  auto it = by_interface->second.find(function);
  return it == by_interface->second.end() ? nullptr : &it->second;
}

std::function<void(uint32_t)> DefinedProvider::destructor(std::string_view interface,
                                                          std::string_view resource) const {
  auto by_interface = destructors_.find(interface);
  if (by_interface == destructors_.end()) return {};
  auto it = by_interface->second.find(resource);
  return it == by_interface->second.end() ? nullptr : it->second;
}

Result<std::shared_ptr<ProviderInstance>> DefinedProvider::create_instance() {
  return std::shared_ptr<ProviderInstance>(std::make_shared<DefinedInstance>(shared_from_this()));
}

}  // namespace berth::host
