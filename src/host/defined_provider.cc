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
    std::function<void(uint32_t)> destructor = provider_->destructor(interface, name);
    if (const ResourceClass* resource = provider_->resource_class(interface, name)) {
      destructor = [table = objects_.table(*resource)](uint32_t rep) { table->destroy(rep); };
    }
    component::ResourceTypeRef type =
        component::make_host_resource_type(key, std::move(destructor));
    resources_.emplace(std::move(key), type);
    return type;
  }

  Result<component::HostFunction> function(std::string_view interface, std::string_view name,
                                           const component::FuncType& type) override {
    const DefinedProvider::Binder* binder = provider_->binder(interface, name);
    if (binder == nullptr) {
      return Error(ErrorCode::kLink,
                   fmt::format("{} declares '{}' in {} but defines no implementation of it",
                               provider_->name(), name, interface));
    }
    return (*binder)(objects_, type);
  }

 private:
  std::shared_ptr<const DefinedProvider> provider_;
  std::map<std::string, component::ResourceTypeRef, std::less<>> resources_;
  // The objects typed functions made for this instance; destroyed with it.
  ResourceObjects objects_;
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
  functions_[provided->name][std::string(function)] =
      [fn = std::move(fn)](ResourceObjects&, const component::FuncType& type) {
        auto shared_type = std::make_shared<component::FuncType>(type);
        return Result<component::HostFunction>(
            component::HostFunction([fn, shared_type](std::span<const component::Val> args) {
              return fn(*shared_type, args);
            }));
      };
  return {};
}

Result<DefinedProvider::TypedSlot> DefinedProvider::typed_slot(std::string_view interface,
                                                               std::string_view function) const {
  BERTH_TRY_ASSIGN(const ProvidedInterface* provided, find_interface(interface));
  const wit::Function* declared = resolve_.find_function(provided->id, function);
  if (declared == nullptr) {
    return Error(ErrorCode::kNotFound, fmt::format("{}: interface {} declares no function '{}'",
                                                   name_, provided->name, function));
  }
  BERTH_TRY_ASSIGN(component::FuncType type, wit::function_type(resolve_, *declared));
  return TypedSlot{.qualified = fmt::format("{}#{}", provided->name, function),
                   .interface = provided->name,
                   .function = std::string(function),
                   .type = std::move(type)};
}

Error DefinedProvider::signature_mismatch(const TypedSlot& slot,
                                          const std::string& cpp_signature) const {
  return Error(
      ErrorCode::kLink,
      fmt::format("{}: the C++ function given for {} does not match its WIT:\n"
                  "  WIT: {}\n  C++: {}",
                  name_, slot.qualified, slot.type.to_string(component::ResourceSpelling::kShort),
                  cpp_signature));
}

Result<void> DefinedProvider::add_resource_class(
    std::type_index type, std::string_view interface, std::string_view resource,
    std::function<std::shared_ptr<ObjectTableBase>()> make_table) {
  BERTH_TRY_ASSIGN(const ProvidedInterface* provided, find_interface(interface));
  if (!resolve_.find_type(provided->id, resource)) {
    return Error(ErrorCode::kNotFound, fmt::format("{}: interface {} declares no resource '{}'",
                                                   name_, provided->name, resource));
  }
  std::string key = fmt::format("{}#{}", provided->name, resource);
  for (const auto& [bound_type, bound] : resource_classes_) {
    if (bound_type == type || bound.key == key) {
      return Error(ErrorCode::kUsage,
                   fmt::format("{}: {} is bound to a C++ class already, or the class to {}", name_,
                               key, bound.key));
    }
  }
  resource_classes_.emplace(type, ResourceClass{.key = std::move(key),
                                                .name = std::string(resource),
                                                .make_table = std::move(make_table)});
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

const DefinedProvider::Binder* DefinedProvider::binder(std::string_view interface,
                                                       std::string_view function) const {
  auto by_interface = functions_.find(interface);
  if (by_interface == functions_.end()) return nullptr;
  auto it = by_interface->second.find(function);
  return it == by_interface->second.end() ? nullptr : &it->second;
}

const ResourceClass* DefinedProvider::resource_class(std::string_view interface,
                                                     std::string_view resource) const {
  std::string key = fmt::format("{}#{}", interface, resource);
  for (const auto& [type, bound] : resource_classes_) {
    if (bound.key == key) return &bound;
  }
  return nullptr;
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

namespace typed_detail {

Error host_exception(std::string_view function, const char* what) {
  return Error(ErrorCode::kTrap,
               what ? fmt::format("host function {} threw: {}", function, what)
                    : fmt::format("host function {} threw an exception", function));
}

Error dead_handle(std::string_view function, std::string_view resource, uint32_t rep) {
  return Error(ErrorCode::kTrap,
               fmt::format("{}: {} handle (rep {}) holds no object", function, resource, rep));
}

Error wrong_argument_count(std::string_view function, size_t count) {
  return Error(ErrorCode::kInternal,
               fmt::format("{}: called with {} arguments, not as its type says", function, count));
}

std::string_view short_resource_name(const component::ResourceType& resource) {
  std::string_view name = resource.name;
  size_t hash = name.rfind('#');
  return hash == std::string_view::npos ? name : name.substr(hash + 1);
}

}  // namespace typed_detail
}  // namespace berth::host
