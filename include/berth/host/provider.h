// Providers: whatever supplies a component's imports. Built-in WASI, a loaded host bundle and
// functions an embedder registers are all providers of this one shape, so the linker has a
// single code path for them (DESIGN.md, "One native interface for every provider").
//
// A provider declares what it offers in WIT: a Resolve and the interfaces in it that it
// implements. The linker pairs each interface a component imports with one provided interface
// (same path, semver-compatible version), checks the types with wit::compare_import, and only
// then asks the provider for the functions and resource types, once per component instance.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "berth/component/component.h"
#include "berth/result.h"
#include "berth/wit/model.h"

namespace berth::host {

// One interface a provider implements.
struct ProvidedInterface {
  std::string name;     // full name, e.g. "wasi:io/streams@0.2.12"
  wit::InterfaceId id;  // where it is declared in the provider's Resolve
};

// A provider's state for one component instance: created when the component is linked, it
// answers for the functions and resource types of the interfaces the component imports from
// it, and lives as long as the functions it returned (they may hold it).
class ProviderInstance {
 public:
  virtual ~ProviderInstance() = default;

  // The resource type `name` of `interface` (a ProvidedInterface::name). Return the same
  // ResourceTypeRef every time it is asked for: functions of other interfaces that `use` the
  // resource must see the same type. Make it with component::make_host_resource_type.
  virtual Result<component::ResourceTypeRef> resource(std::string_view interface,
                                                      std::string_view name) = 0;

  // The function `name` ("get", "[method]bucket.get") of `interface`. `type` is the import's
  // type as the component sees it, already checked against the provider's WIT; its own/borrow
  // types carry the ResourceTypeRefs that resource() returned.
  virtual Result<component::HostFunction> function(std::string_view interface,
                                                   std::string_view name,
                                                   const component::FuncType& type) = 0;

  // Hands this instance the instance of a provider it depends on: its import `import` (an
  // interface its world imports) is that provider's interface `interface`. The linker calls it
  // once per dependency, right after creating this instance (the dependency, and what it
  // depends on, are complete by then), before the component is instantiated; a provider that
  // calls its dependencies binds their functions here, and may finish its creation once the
  // last one is linked (a bundle's create runs then). The dependency must also be
  // destroyed after the providers that need it, whoever holds them last: a provider whose
  // functions share state that outlives this object keeps it there, to be released after that
  // state is destroyed; by default it is kept here, released after the derived class's
  // destructor has run.
  virtual Result<void> link(std::string_view import, std::string_view interface,
                            std::shared_ptr<ProviderInstance> dependency) {
    (void)import;
    (void)interface;
    dependencies_.push_back(std::move(dependency));
    return {};
  }

 private:
  std::vector<std::shared_ptr<ProviderInstance>> dependencies_;
};

class Provider {
 public:
  virtual ~Provider() = default;

  // Who this is, for messages: "built-in WASI", "bundle 'keyvalue' (./kv/host.toml)".
  virtual const std::string& name() const = 0;

  // The WIT the provided interfaces are declared in, and those interfaces.
  virtual const wit::Resolve& wit() const = 0;
  virtual const std::vector<ProvidedInterface>& interfaces() const = 0;

  // The interfaces this provider needs from other providers: what its world imports. The
  // linker resolves them like a component's imports and creates those providers first. None
  // unless a provider says so.
  virtual const std::vector<ProvidedInterface>& dependencies() const;

  // Creates the provider's state for a component instance about to be instantiated.
  virtual Result<std::shared_ptr<ProviderInstance>> create_instance() = 0;
};

// The interfaces a WIT world exports, as a provider declares them: a provider is described by
// a world seen from its own side (`world kv-host { export store; }`). Interfaces the world
// only imports are its dependencies and are not listed.
std::vector<ProvidedInterface> exported_interfaces(const wit::Resolve& resolve, wit::WorldId world);

// The interfaces a WIT world imports: a provider's dependencies.
std::vector<ProvidedInterface> imported_interfaces(const wit::Resolve& resolve, wit::WorldId world);

}  // namespace berth::host
