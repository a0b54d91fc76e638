#include "berth/host/linker.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

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

using Preferences = std::vector<std::pair<std::string, std::string>>;

struct Candidate {
  std::shared_ptr<Provider> provider;
  const ProvidedInterface* interface;
};

// The providers (but `except`) that offer an interface named `wanted`, each with its best
// match, narrowed by the preferences when there are several.
std::vector<Candidate> candidates_for(const std::vector<std::shared_ptr<Provider>>& providers,
                                      const Preferences& preferences,
                                      const wit::InterfaceName& wanted, const Provider* except) {
  std::vector<Candidate> candidates;
  for (const auto& provider : providers) {
    if (provider.get() == except) continue;
    if (const ProvidedInterface* match = best_match(*provider, wanted)) {
      candidates.push_back({provider, match});
    }
  }
  if (candidates.size() > 1) {
    for (const auto& [path, preferred] : preferences) {
      if (path != wanted.path()) continue;
      std::erase_if(candidates,
                    [&](const Candidate& c) { return c.provider->name() != preferred; });
    }
  }
  return candidates;
}

std::string ambiguity(const std::string& import, const std::vector<Candidate>& candidates) {
  std::string names;
  for (const Candidate& c : candidates) {
    names += fmt::format("\n    {} ({})", c.provider->name(), c.interface->name);
  }
  return fmt::format("import '{}' is provided by more than one provider; choose one:{}", import,
                     names);
}

// Resolves the dependencies of providers, depth first: every provider is visited once, after
// its own dependencies, which gives the creation order; meeting a provider again while its
// dependencies are being resolved is a cycle.
class DependencyWalk {
 public:
  DependencyWalk(const std::vector<std::shared_ptr<Provider>>& providers,
                 const Preferences& preferences, LinkReport& report)
      : providers_(providers), preferences_(preferences), report_(report) {}

  // Visits `provider`, reached along `path` (for messages: how the link came to need it).
  void visit(const std::shared_ptr<Provider>& provider, const std::string& path) {
    if (done_.contains(provider.get())) return;
    auto on_stack = std::find(stack_.begin(), stack_.end(), provider.get());
    if (on_stack != stack_.end()) {
      std::string cycle;
      for (auto it = on_stack; it != stack_.end(); ++it) cycle += (*it)->name() + " -> ";
      report_.problems.push_back(fmt::format("dependency cycle: {}{}", cycle, provider->name()));
      return;
    }
    stack_.push_back(provider.get());
    for (const ProvidedInterface& needed : provider->dependencies()) {
      resolve(provider, needed, fmt::format("{} -> '{}'", path, needed.name));
    }
    stack_.pop_back();
    done_.insert(provider.get());
    report_.creation_order.push_back(provider);
  }

 private:
  void resolve(const std::shared_ptr<Provider>& provider, const ProvidedInterface& needed,
               const std::string& path) {
    std::optional<wit::InterfaceName> wanted = wit::parse_interface_name(needed.name);
    std::vector<Candidate> candidates =
        wanted ? candidates_for(providers_, preferences_, *wanted, provider.get())
               : std::vector<Candidate>{};
    if (candidates.empty()) {
      report_.problems.push_back(fmt::format("nothing provides import '{}' of {}, needed along: {}",
                                             needed.name, provider->name(), path));
      return;
    }
    if (candidates.size() > 1) {
      report_.problems.push_back(
          fmt::format("{} (needed along: {})", ambiguity(needed.name, candidates), path));
      return;
    }
    const Candidate& chosen = candidates.front();
    auto type = wit::interface_instance_type(provider->wit(), needed.id);
    if (!type) {
      report_.problems.push_back(fmt::format("{}: import '{}': {}", provider->name(), needed.name,
                                             type.error().message()));
      return;
    }
    std::vector<wit::Difference> differences =
        wit::compare_import(needed.name, *type, chosen.provider->wit(), chosen.interface->id);
    if (!differences.empty()) {
      report_.problems.push_back(fmt::format("{} (provider: {}, interface {}; needed along: {})",
                                             wit::format_differences(needed.name, differences),
                                             chosen.provider->name(), chosen.interface->name,
                                             path));
    }
    report_.dependencies.push_back(
        Dependency{provider, needed.name, chosen.provider, chosen.interface->name});
    visit(chosen.provider, fmt::format("{} ({})", path, chosen.provider->name()));
  }

  const std::vector<std::shared_ptr<Provider>>& providers_;
  const Preferences& preferences_;
  LinkReport& report_;
  std::vector<const Provider*> stack_;
  std::set<const Provider*> done_;
};

// Answers the runtime's questions about imports from the bindings a LinkReport made.
class LinkResolver final : public component::ImportResolver {
 public:
  explicit LinkResolver(const LinkReport& report) {
    for (const ImportBinding& binding : report.bindings)
      bindings_.emplace(binding.import, &binding);
  }

  // Creates the instances of the report's providers in its creation order (dependencies
  // first), linking each to those it depends on (which it keeps alive) as soon as it is made:
  // a provider may use its dependencies while it finishes its own creation.
  Result<void> create(const LinkReport& report) {
    for (const auto& provider : report.creation_order) {
      BERTH_TRY_ASSIGN(std::shared_ptr<ProviderInstance> dependent, instance_of(*provider));
      for (const Dependency& edge : report.dependencies) {
        if (edge.provider != provider) continue;
        BERTH_TRY_ASSIGN(std::shared_ptr<ProviderInstance> dependency,
                         instance_of(*edge.dependency));
        auto linked = dependent->link(edge.import, edge.interface, std::move(dependency));
        if (!linked) return std::move(linked.error().prepend(edge.provider->name()));
      }
    }
    return {};
  }

  // The provider instances, in the order they were created.
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
    BERTH_TRY_ASSIGN(std::shared_ptr<ProviderInstance> provider, instance_of(*binding->provider));
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
    BERTH_TRY_ASSIGN(std::shared_ptr<ProviderInstance> provider, instance_of(*binding->provider));
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

  // One provider instance per provider per component instance.
  Result<std::shared_ptr<ProviderInstance>> instance_of(Provider& provider) {
    for (auto& [made_for, instance] : instances_) {
      if (made_for == &provider) return instance;
    }
    auto created = provider.create_instance();
    if (!created) return std::move(created.error().prepend(provider.name()));
    instances_.emplace_back(&provider, *created);
    return std::move(*created);
  }

  std::map<std::string, const ImportBinding*, std::less<>> bindings_;
  std::vector<std::pair<const Provider*, std::shared_ptr<ProviderInstance>>> instances_;
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
      std::vector<Candidate> candidates =
          candidates_for(providers_, preferences_, *wanted, nullptr);
      if (candidates.size() > 1) {
        report.problems.push_back(ambiguity(import.name, candidates));
      } else if (candidates.size() == 1) {
        const Candidate& chosen = candidates.front();
        std::vector<wit::Difference> differences = wit::compare_import(
            import.name, *import.desc.instance, chosen.provider->wit(), chosen.interface->id);
        if (!differences.empty()) {
          report.problems.push_back(fmt::format("{} (provider: {}, interface {})",
                                                wit::format_differences(import.name, differences),
                                                chosen.provider->name(), chosen.interface->name));
        }
        binding.provider = chosen.provider;
        binding.interface = chosen.interface->name;
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
  DependencyWalk walk(providers_, preferences_, report);
  for (const ImportBinding& binding : report.bindings) {
    if (binding.provider) {
      walk.visit(binding.provider,
                 fmt::format("component -> '{}' ({})", binding.import, binding.provider->name()));
    }
  }
  return report;
}

LinkReport Linker::check_providers() const {
  LinkReport report;
  DependencyWalk walk(providers_, preferences_, report);
  for (const auto& provider : providers_) walk.visit(provider, provider->name());
  return report;
}

LinkedInstance::~LinkedInstance() {
  instance_.reset();
  while (!providers_.empty()) providers_.pop_back();
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
  BERTH_TRY(resolver.create(report));
  BERTH_TRY_ASSIGN(std::unique_ptr<component::ComponentInstance> instance,
                   component::instantiate(store, component, resolver));
  return std::make_unique<LinkedInstance>(std::move(instance), resolver.take_instances());
}

}  // namespace berth::host
