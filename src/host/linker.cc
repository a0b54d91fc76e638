#include "berth/host/linker.h"

#include <fmt/format.h>

#include <map>

#include "berth/wit/component_bridge.h"
#include "berth/wit/semver.h"

namespace berth::host {
namespace {

// The best interface of `provider` for an import named `wanted`: same path, the highest
// semver-compatible version (an unversioned import only matches an unversioned interface).
const ProvidedInterface* best_match(const Provider& provider, const wit::InterfaceName& wanted) {
  const ProvidedInterface* best = nullptr;
  std::optional<wit::Version> best_version;
  for (const ProvidedInterface& provided : provider.interfaces()) {
    std::optional<wit::InterfaceName> name = wit::parse_interface_name(provided.name);
    if (!name || name->path() != wanted.path()) continue;
    if (wanted.version.has_value() != name->version.has_value()) continue;
    if (wanted.version && !wit::compatible(*wanted.version, *name->version)) continue;
    if (best && name->version && best_version && !(*best_version < *name->version)) continue;
    best = &provided;
    best_version = name->version;
  }
  return best;
}

const char* kind_name(component::ExternKind kind) {
  switch (kind) {
    case component::ExternKind::kCoreModule:
      return "core module";
    case component::ExternKind::kFunc:
      return "function";
    case component::ExternKind::kValue:
      return "value";
    case component::ExternKind::kType:
      return "type";
    case component::ExternKind::kComponent:
      return "component";
    case component::ExternKind::kInstance:
      return "instance";
  }
  return "item";
}

component::HostFunction trapping_function(std::string what) {
  return [what = std::move(what)](
             std::span<const component::Val>) -> Result<std::optional<component::Val>> {
    return Error(ErrorCode::kTrap, fmt::format("called {}, which nothing provides (linked by "
                                               "--trap-unknown-imports)",
                                               what));
  };
}

// Answers the runtime's questions about imports from the bindings a LinkReport made.
class LinkResolver final : public component::ImportResolver {
 public:
  explicit LinkResolver(const LinkReport& report) {
    for (const ImportBinding& binding : report.bindings)
      bindings_.emplace(binding.import, &binding);
  }

  std::vector<std::shared_ptr<ProviderInstance>> take_instances() {
    std::vector<std::shared_ptr<ProviderInstance>> out;
    for (auto& [provider, instance] : instances_) out.push_back(std::move(instance));
    return out;
  }

  Result<component::HostFunction> resolve_func(std::string_view instance, std::string_view name,
                                               const component::FuncType& type) override {
    const ImportBinding* binding = find(instance.empty() ? name : instance);
    if (binding == nullptr || !binding->provider) {
      return trapping_function(instance.empty() ? fmt::format("function '{}'", name)
                                                : fmt::format("'{}#{}'", instance, name));
    }
    BERTH_TRY_ASSIGN(ProviderInstance * provider, instance_of(*binding->provider));
    auto function = provider->function(binding->interface, name, type);
    if (!function) {
      return std::move(function.error().prepend(
          fmt::format("{} for '{}#{}'", binding->provider->name(), instance, name)));
    }
    return function;
  }

  Result<component::ResourceTypeRef> resolve_resource(std::string_view instance,
                                                      std::string_view name) override {
    const ImportBinding* binding = find(instance.empty() ? name : instance);
    if (binding == nullptr || !binding->provider) {
      return component::ImportResolver::resolve_resource(instance, name);
    }
    BERTH_TRY_ASSIGN(ProviderInstance * provider, instance_of(*binding->provider));
    auto resource = provider->resource(binding->interface, name);
    if (!resource) {
      return std::move(resource.error().prepend(
          fmt::format("{} for resource '{}#{}'", binding->provider->name(), instance, name)));
    }
    return resource;
  }

 private:
  const ImportBinding* find(std::string_view import) const {
    auto it = bindings_.find(std::string(import));
    return it == bindings_.end() ? nullptr : it->second;
  }

  // One provider instance per provider per component instance, made when first needed.
  Result<ProviderInstance*> instance_of(Provider& provider) {
    auto it = instances_.find(&provider);
    if (it != instances_.end()) return it->second.get();
    auto created = provider.create_instance();
    if (!created) return std::move(created.error().prepend(provider.name()));
    ProviderInstance* raw = created->get();
    instances_.emplace(&provider, std::move(*created));
    return raw;
  }

  std::map<std::string, const ImportBinding*, std::less<>> bindings_;
  std::map<const Provider*, std::shared_ptr<ProviderInstance>> instances_;
};

}  // namespace

void Linker::add(std::shared_ptr<Provider> provider) {
  providers_.push_back(std::move(provider));
}

void Linker::prefer(std::string path, std::string provider) {
  preferences_.emplace_back(std::move(path), std::move(provider));
}

LinkReport Linker::check(const component::ComponentType& type) const {
  LinkReport report;
  for (const component::NamedExtern& import : type.imports) {
    ImportBinding binding{.import = import.name};
    std::optional<wit::InterfaceName> wanted = wit::parse_interface_name(import.name);
    if (import.desc.kind == component::ExternKind::kInstance && wanted) {
      std::vector<std::pair<std::shared_ptr<Provider>, const ProvidedInterface*>> candidates;
      for (const auto& provider : providers_) {
        if (const ProvidedInterface* match = best_match(*provider, *wanted)) {
          candidates.emplace_back(provider, match);
        }
      }
      if (candidates.size() > 1) {
        for (const auto& [path, preferred] : preferences_) {
          if (path != wanted->path()) continue;
          std::erase_if(candidates, [&](const auto& c) { return c.first->name() != preferred; });
        }
      }
      if (candidates.size() > 1) {
        std::string names;
        for (const auto& c : candidates) {
          names += fmt::format("\n    {} ({})", c.first->name(), c.second->name);
        }
        report.problems.push_back(
            fmt::format("import '{}' is provided by more than one provider; choose one:{}",
                        import.name, names));
      } else if (candidates.size() == 1) {
        const auto& [provider, provided] = candidates.front();
        std::vector<wit::Difference> differences =
            wit::compare_import(import.name, *import.desc.instance, provider->wit(), provided->id);
        if (!differences.empty()) {
          report.problems.push_back(fmt::format("{} (provider: {}, interface {})",
                                                wit::format_differences(import.name, differences),
                                                provider->name(), provided->name));
        }
        binding.provider = provider;
        binding.interface = provided->name;
      }
    }
    if (!binding.provider && !trap_unknown_imports_) {
      bool listed =
          std::any_of(report.problems.begin(), report.problems.end(), [&](const std::string& p) {
            return p.find("'" + import.name + "'") != std::string::npos;
          });
      if (!listed) {
        report.problems.push_back(fmt::format("nothing provides import '{}' ({})", import.name,
                                              kind_name(import.desc.kind)));
      }
    }
    report.bindings.push_back(std::move(binding));
  }
  return report;
}

Result<std::unique_ptr<LinkedInstance>> Linker::instantiate(
    engine::Store& store, std::shared_ptr<const component::Component> component) const {
  LinkReport report = check(component->type());
  if (!report.ok()) {
    std::string message = fmt::format("{}: cannot link:", component->name());
    for (const std::string& problem : report.problems) message += "\n  " + problem;
    return Error(ErrorCode::kLink, std::move(message));
  }
  LinkResolver resolver(report);
  BERTH_TRY_ASSIGN(std::unique_ptr<component::ComponentInstance> instance,
                   component::instantiate(store, component, resolver));
  return std::make_unique<LinkedInstance>(std::move(instance), resolver.take_instances());
}

}  // namespace berth::host
