// What instantiation puts in the component-level index spaces at run time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "berth/component/component.h"
#include "component/abi/canonical_abi.h"
#include "component/validate/validated.h"

namespace berth::component::runtime {

// The state of one component instance: its handle table and whether it may be entered.
struct InstanceRuntime {
  abi::InstanceState abi;
  bool may_enter = true;
  // The instance whose component instantiated this one; null for the one the host instantiated.
  // Entering an instance enters its ancestors too (the spec's entering_set).
  std::shared_ptr<InstanceRuntime> parent;
};

// A component-level function: lifted from core code, or provided by the host.
struct Function {
  FuncTypeRef type;
  // Lifted:
  std::shared_ptr<InstanceRuntime> owner;
  engine::Func core{};
  abi::CanonOptions options;
  abi::FuncLayoutRef layout;
  // Host:
  HostFunction host;

  bool is_host() const { return static_cast<bool>(host); }
};
using FunctionRef = std::shared_ptr<const Function>;

struct Instance;
struct ComponentDef;

struct Item {
  ExternKind kind = ExternKind::kFunc;
  FunctionRef func;
  std::shared_ptr<const Instance> instance;
  ResourceTypeRef resource;  // a resource type export
  std::shared_ptr<const ComponentDef> component;
  std::shared_ptr<const engine::Module> module;
};

struct Instance {
  std::vector<std::pair<std::string, Item>> exports;
  const Item* find(std::string_view name) const {
    for (const auto& [n, item] : exports) {
      if (n == name) return &item;
    }
    return nullptr;
  }
};

struct Frame;

// A component definition as a value: the validated component and the frame it was defined in
// (its outer aliases resolve there).
struct ComponentDef {
  std::shared_ptr<const ValidatedComponent> validated;
  const Frame* parent = nullptr;
};

// A core instance: its exports by name.
struct CoreInstance {
  std::unordered_map<std::string, engine::Extern> exports;
};

// Resources that instances define, with the destructor each was declared with.
struct ResourceRegistry {
  std::unordered_map<const ResourceType*, std::optional<engine::Func>> destructors;
  uint64_t next_id = 1;
};

// The index spaces of one component being instantiated.
struct Frame {
  const ValidatedComponent* validated = nullptr;
  const Frame* parent = nullptr;
  std::shared_ptr<InstanceRuntime> runtime;

  std::vector<engine::Extern> core_funcs, core_tables, core_memories, core_globals, core_tags;
  std::vector<std::shared_ptr<const engine::Module>> core_modules;
  std::vector<std::shared_ptr<const CoreInstance>> core_instances;
  std::vector<FunctionRef> funcs;
  std::vector<ResourceTypeRef> types;  // runtime resource for resource types, else null
  std::vector<std::shared_ptr<const ComponentDef>> components;
  std::vector<std::shared_ptr<const Instance>> instances;

  // Validation-time resource identity -> the runtime resource of this instantiation.
  std::unordered_map<const ResourceType*, ResourceTypeRef> resources;

  std::vector<std::pair<std::string, Item>> exports;
};

// A new resource type with a process-unique id.
ResourceTypeRef new_resource(std::string name, bool host_defined);

// Calls a component function with dynamic values: lowers into a lifted callee, or calls the host.
// `caller` is the component instance making the call, null for the host.
Result<std::optional<Val>> call_function(engine::Store& store, const Function& func,
                                         std::span<const Val> args,
                                         const InstanceRuntime* caller = nullptr);

}  // namespace berth::component::runtime
