// The linker: resolves every import of a component to a provider and instantiates it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "berth/component/component.h"
#include "berth/host/provider.h"
#include "berth/result.h"

namespace berth::host {

// How one import of a component is satisfied.
struct ImportBinding {
  std::string import;                  // the component's import name, "wasi:io/streams@0.2.0"
  std::shared_ptr<Provider> provider;  // null when nothing provides it
  std::string interface;               // the provided interface's name, "wasi:io/streams@0.2.12"
};

// How one dependency of a provider (an interface its world imports) is satisfied.
struct Dependency {
  std::shared_ptr<Provider> provider;    // who needs it
  std::string import;                    // the interface it imports, "keyvalue:store/store@0.1.0"
  std::shared_ptr<Provider> dependency;  // who provides it
  std::string interface;                 // the provided interface's name
};

// What checking a component (or the providers alone) against the linker's providers found.
struct LinkReport {
  std::vector<ImportBinding> bindings;   // one per import, in the component's order
  std::vector<Dependency> dependencies;  // of every provider the link uses
  // Every provider the link uses, each after the providers it depends on: the order in which
  // they are created for a component instance (and destroyed in reverse).
  std::vector<std::shared_ptr<Provider>> creation_order;
  // One entry per problem, each a complete message: imports nothing provides, imports two
  // providers offer (without a preference), type differences (wit::format_differences),
  // dependency cycles, dependencies nothing provides.
  std::vector<std::string> problems;

  bool ok() const { return problems.empty(); }
};

// A component instance together with the provider state its imports use.
class LinkedInstance {
 public:
  // `providers` in the order they were created: each after those it depends on.
  LinkedInstance(std::unique_ptr<component::ComponentInstance> instance,
                 std::vector<std::shared_ptr<ProviderInstance>> providers)
      : providers_(std::move(providers)), instance_(std::move(instance)) {}
  // The component instance first (its functions may reach the providers), then the providers
  // in the reverse of their creation: each before those it depends on.
  ~LinkedInstance();

  component::ComponentInstance& component() { return *instance_; }

 private:
  std::vector<std::shared_ptr<ProviderInstance>> providers_;
  std::unique_ptr<component::ComponentInstance> instance_;
};

class Linker {
 public:
  // Adds a provider. Providers may offer the same interface; an import that two of them can
  // satisfy is an error unless prefer() settles it.
  void add(std::shared_ptr<Provider> provider);

  // Resolves ambiguity: imports of the interface `path` ("wasi:keyvalue/store", no version)
  // go to the provider whose name() is `provider`.
  void prefer(std::string path, std::string provider);

  // Imports that nothing provides are linked to functions that trap when called, with a
  // message naming the import, instead of failing the link.
  void set_trap_unknown_imports(bool on) { trap_unknown_imports_ = on; }

  // Pairs each import of `type` with a provider and compares their types, then does the same
  // for the dependencies of those providers, and theirs. Does not run anything; `berth bundle
  // check` prints this.
  LinkReport check(const component::ComponentType& type) const;

  // The dependencies of every provider added, as check() resolves them for a component.
  LinkReport check_providers() const;

  // Checks (every problem is listed in one kLink error, prefixed by the component's name) and
  // instantiates with the providers' functions.
  Result<std::unique_ptr<LinkedInstance>> instantiate(
      engine::Store& store, std::shared_ptr<const component::Component> component) const;

 private:
  std::vector<std::shared_ptr<Provider>> providers_;
  std::vector<std::pair<std::string, std::string>> preferences_;
  bool trap_unknown_imports_ = false;
};

}  // namespace berth::host
