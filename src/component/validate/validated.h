// What validation makes of a decoded component: every index of every index space resolved to its
// type, the component's own type, and the resolved options of each canonical definition. The
// runtime instantiates from this and the IR it was made from.
//
// Resources. Validation gives every resource type it meets one ResourceType object, which stands
// for the resource while the component is only validated ("validation-time identity"):
//  - A resource *defined* here (`(type (resource (rep i32)))`, see `resources`) is generative:
//    each instantiation must create a fresh runtime ResourceType for it. The runtime keeps a map
//    from the validation-time object (the key, compared by address) to the runtime one.
//  - A resource *imported* (`(import "r" (type (sub resource)))`, also inside an imported
//    instance) is abstract; `type.imported_resources` lists them. Instantiation binds each one to
//    the resource passed in for the import at the same name path.
//  - Instantiating a nested component gives its defined resources fresh validation-time objects
//    (so two instances of one component have unequal resources, as the type rules require); they
//    appear in the InstanceType of that instance. When the runtime instantiates the child, it
//    maps them to the child's actual runtime resources by walking the instance's exports by
//    name (a type export of a resource at the same path).
// Every handle type (own/borrow) and every resource type export in this structure refers to one
// of these objects; there are no other resource identities.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/component/types.h"
#include "berth/engine/module_info.h"
#include "berth/engine/types.h"
#include "component/ir/component.h"

namespace berth::component {

struct ValidatedComponent;

// An entry of the component-level type index space.
struct TypeEntry {
  enum class Kind : uint8_t { kValue, kResource, kFunc, kInstance, kComponent };
  Kind kind = Kind::kValue;
  TypeRef value;                                   // kValue
  ResourceTypeRef resource;                        // kResource
  FuncTypeRef func;                                // kFunc
  std::shared_ptr<const InstanceType> instance;    // kInstance
  std::shared_ptr<const ComponentType> component;  // kComponent
};

// An entry of the core type index space.
struct CoreTypeEntry {
  enum class Kind : uint8_t {
    kFunc,
    kModule,
    // A GC type (struct, array, or a function type using GC reference types): valid to declare,
    // but berth cannot use it anywhere.
    kUnsupported,
  };
  Kind kind = Kind::kFunc;
  engine::FuncType func;                             // kFunc
  std::shared_ptr<const engine::ModuleInfo> module;  // kModule: imports and exports only
};

struct CoreModuleEntry {
  // For a module defined in a component, everything read_module_info gives; for an imported one
  // (a module type), only imports and exports.
  std::shared_ptr<const engine::ModuleInfo> info;
  // The module's bytes when it is defined in this component or an enclosing one (reached by an
  // outer alias); null when it is imported or comes from an instance export.
  const binary::CoreModule* definition = nullptr;
};

struct CoreInstanceEntry {
  std::vector<engine::ExportType> exports;  // in order; names are unique
  const engine::ExportType* find(std::string_view name) const;
};

struct ComponentEntry {
  std::shared_ptr<const ComponentType> type;
  // The validated definition when the component is defined here or in an enclosing component
  // (outer alias); null when it is imported or comes from an instance export.
  std::shared_ptr<const ValidatedComponent> definition;
};

struct CanonOptions {
  StringEncoding string_encoding = StringEncoding::kUtf8;
  std::optional<uint32_t> memory;       // core memory index
  std::optional<uint32_t> realloc;      // core func index
  std::optional<uint32_t> post_return;  // core func index (lift only)
};

// One `canon` definition, resolved.
struct CanonDefinition {
  size_t definition = 0;  // index into binary::Component::definitions
  const binary::Canon* canon = nullptr;
  // The index the definition appended: a func index for lift, a core func index otherwise.
  uint32_t index = 0;
  FuncTypeRef func_type;  // lift and lower: the component function type
  // lift: the type of the lifted core function; lower and the built-ins: the type of the core
  // function defined. Equal to flatten_functype of the options and func_type for lift/lower.
  engine::FuncType core_type;
  CanonOptions options;      // lift and lower
  ResourceTypeRef resource;  // resource.new, resource.drop, resource.rep
};

// A `(type (resource ...))` definition of this component.
struct ResourceDefinition {
  size_t definition = 0;  // index into binary::Component::definitions
  uint32_t type_index = 0;
  ResourceTypeRef resource;  // the validation-time identity (see the top of this file)
  engine::ValType rep = engine::ValType::kI32;
  std::optional<uint32_t> destructor;  // core func index
};

struct ValidatedComponent {
  // The decoded component this was made from; it (and the bytes it was decoded from, for the
  // core modules) must outlive this object.
  const binary::Component* ir = nullptr;

  // Index spaces, one entry per index, in definition order.
  std::vector<CoreTypeEntry> core_types;
  std::vector<engine::FuncType> core_funcs;
  std::vector<engine::TableType> core_tables;
  std::vector<engine::MemoryType> core_memories;
  std::vector<engine::GlobalType> core_globals;
  std::vector<engine::FuncType> core_tags;
  std::vector<CoreModuleEntry> core_modules;
  std::vector<std::shared_ptr<const CoreInstanceEntry>> core_instances;
  std::vector<TypeEntry> types;
  std::vector<FuncTypeRef> funcs;
  std::vector<std::shared_ptr<const InstanceType>> instances;
  std::vector<ComponentEntry> components;

  // The component's type: its imports and exports in order, and its resource bindings.
  std::shared_ptr<const ComponentType> type;

  std::vector<CanonDefinition> canons;        // in definition order
  std::vector<ResourceDefinition> resources;  // in definition order
  // Nested component definitions, in definition order (also reachable through `components`).
  std::vector<std::shared_ptr<const ValidatedComponent>> children;
};

}  // namespace berth::component
