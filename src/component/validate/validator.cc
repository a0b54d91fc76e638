// The validator's driver: scopes, the definitions of a component in order, imports and exports
// with the external-visibility rules, instances, aliases and the component's resulting type.
#include "component/validate/validator.h"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "component/validate/validator_impl.h"

namespace berth::component {

const engine::ExportType* CoreInstanceEntry::find(std::string_view name) const {
  for (const engine::ExportType& e : exports) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

Result<std::shared_ptr<const ValidatedComponent>> validate_component(
    const binary::Component& component, std::span<const uint8_t> input,
    const ValidateOptions& options) {
  validate::Validator validator(input, options);
  BERTH_TRY_ASSIGN(std::shared_ptr<ValidatedComponent> root, validator.validate(component));
  validator.canonicalize(*root);
  return std::shared_ptr<const ValidatedComponent>(std::move(root));
}

namespace validate {
namespace {

std::optional<ExternKind> extern_kind_of(Sort sort) {
  switch (sort) {
    case Sort::kCoreModule:
      return ExternKind::kCoreModule;
    case Sort::kFunc:
      return ExternKind::kFunc;
    case Sort::kValue:
      return ExternKind::kValue;
    case Sort::kType:
      return ExternKind::kType;
    case Sort::kComponent:
      return ExternKind::kComponent;
    case Sort::kInstance:
      return ExternKind::kInstance;
    default:
      return std::nullopt;
  }
}

// Records that the types a component imports (`expected`) are, in this instantiation, the types
// passed for them (`actual`), so that the instance's exports refer to the argument's types (and
// with them, the argument's external names).
void rename_imported_types(Substitution& substitution, const ExternDesc& actual,
                           const ExternDesc& expected) {
  if (expected.kind == ExternKind::kType && actual.kind == ExternKind::kType) {
    TypeEntry from = entry_of(expected);
    // Shared primitive nodes stand for every use of the primitive, not for this import.
    if (from.kind == TypeEntry::Kind::kValue && is_primitive(from.value->kind) &&
        from.value == Type::primitive(from.value->kind)) {
      return;
    }
    substitution.rename(identity_of(from), entry_of(actual));
  } else if (expected.kind == ExternKind::kInstance && actual.kind == ExternKind::kInstance) {
    for (const NamedExtern& e : expected.instance->exports) {
      if (const NamedExtern* a = actual.instance->find(e.name)) {
        rename_imported_types(substitution, a->desc, e.desc);
      }
    }
  }
}

}  // namespace

Validator::Validator(std::span<const uint8_t> input, const ValidateOptions& options)
    : input_(input), options_(options) {
  options_.features = FeatureSet::none();
  for (size_t i = 0; i < binary::kFeatureCount; ++i) {
    auto feature = static_cast<Feature>(i);
    if (options.features.has(feature) && kValidatorFeatures.has(feature)) {
      options_.features.add(feature);
    }
  }
}

Result<std::shared_ptr<ValidatedComponent>> Validator::validate(const Component& component) {
  BERTH_TRY(check_features(component));
  BERTH_TRY_ASSIGN(std::shared_ptr<ValidatedComponent> root, this->component(component));
  BERTH_TRY(check_turned_off_features(component));
  return root;
}

// Features berth does not implement are refused before anything else. The ones it implements
// but the options turn off are refused where they occur, with that item's offset.
Result<void> Validator::check_features(const Component& component) {
  std::string missing;
  for (size_t i = 0; i < binary::kFeatureCount; ++i) {
    auto feature = static_cast<Feature>(i);
    // Of the asynchronous additions, `async` function types are accepted (lifted and lowered
    // synchronously, as WASI 0.3 toolchains emit for synchronous components); the rest (async
    // options, streams, futures, built-ins) is refused where it occurs.
    if (feature == Feature::kAsync) continue;
    if (component.features.has(feature) && !kValidatorFeatures.has(feature)) {
      missing += fmt::format("{}{}", missing.empty() ? "" : ", ", binary::to_string(feature));
    }
  }
  if (missing.empty()) return {};
  return unsupported(
      component.offset,
      fmt::format("the component uses features that berth does not support: {}", missing));
}

// A last check for uses of turned-off features that no item-level check caught.
Result<void> Validator::check_turned_off_features(const Component& component) {
  for (size_t i = 0; i < binary::kFeatureCount; ++i) {
    auto feature = static_cast<Feature>(i);
    if (component.features.has(feature) && kValidatorFeatures.has(feature) && !enabled(feature)) {
      return invalid(component.offset,
                     fmt::format("the component uses the `{}` feature, which is turned off",
                                 binary::to_string(feature)));
    }
  }
  return {};
}

Result<std::shared_ptr<ValidatedComponent>> Validator::component(const Component& component) {
  Scope scope;
  scope.kind = ScopeKind::kComponent;
  scope.spaces = std::make_shared<ValidatedComponent>();
  scope.spaces->ir = &component;
  ScopeGuard guard(scopes_, scope);
  for (size_t i = 0; i < component.definitions.size(); ++i) {
    BERTH_TRY(definition(component, i));
  }
  BERTH_TRY_ASSIGN(scope.spaces->type, finish(scope, component.offset));
  return scope.spaces;
}

Result<void> Validator::definition(const Component& component, size_t index) {
  const binary::Definition& def = component.definitions[index];
  return std::visit(
      Overloaded{
          [&](const CoreModule& m) { return core_module(m); },
          [&](const CoreInstance& i) { return core_instance(i); },
          [&](const CoreTypeDef& t) { return core_type(t, spaces().core_types, false); },
          [&](const binary::Box<Component>& c) { return nested_component(*c); },
          [&](const Instance& i) { return instance(i); },
          [&](const Alias& a) { return alias(a); },
          [&](const TypeDef& t) { return type_definition(t, index); },
          [&](const Canon& c) { return canon(c, index); },
          [&](const binary::Start& s) -> Result<void> {
            return unsupported(s.offset, "start functions (🪙) are not supported");
          },
          [&](const binary::Import& i) { return import(i.name, i.type, i.offset); },
          [&](const Export& e) { return export_item(e); },
          [&](const binary::Value& v) -> Result<void> {
            return unsupported(v.offset, "value definitions (🪙) are not supported");
          },
      },
      def);
}

Result<void> Validator::nested_component(const Component& nested) {
  BERTH_TRY_ASSIGN(std::shared_ptr<ValidatedComponent> child, component(nested));
  spaces().children.push_back(child);
  spaces().components.push_back(ComponentEntry{child->type, child});
  return {};
}

// --- Index lookups --------------------------------------------------------------------------

namespace {

template <typename T>
Result<const T*> lookup(const std::vector<T>& space, uint32_t index, size_t offset,
                        std::string_view what) {
  if (index >= space.size()) {
    return invalid(
        offset, fmt::format("{} index out of bounds: {} ({} defined)", what, index, space.size()));
  }
  return &space[index];
}

}  // namespace

Result<const TypeEntry*> Validator::type_at(uint32_t index, size_t offset) {
  return lookup(spaces().types, index, offset, "type");
}

Result<const CoreTypeEntry*> Validator::core_type_at(uint32_t index, size_t offset) {
  return lookup(spaces().core_types, index, offset, "core type");
}

Result<FuncTypeRef> Validator::func_at(uint32_t index, size_t offset) {
  BERTH_TRY_ASSIGN(const FuncTypeRef* func, lookup(spaces().funcs, index, offset, "function"));
  return *func;
}

Result<const engine::FuncType*> Validator::core_func_at(uint32_t index, size_t offset) {
  return lookup(spaces().core_funcs, index, offset, "core function");
}

Result<const CoreModuleEntry*> Validator::module_at(uint32_t index, size_t offset) {
  return lookup(spaces().core_modules, index, offset, "module");
}

Result<std::shared_ptr<const CoreInstanceEntry>> Validator::core_instance_at(uint32_t index,
                                                                             size_t offset) {
  BERTH_TRY_ASSIGN(auto* instance, lookup(spaces().core_instances, index, offset, "core instance"));
  return *instance;
}

Result<std::shared_ptr<const InstanceType>> Validator::instance_at(uint32_t index, size_t offset) {
  BERTH_TRY_ASSIGN(auto* instance, lookup(spaces().instances, index, offset, "instance"));
  return *instance;
}

Result<const ComponentEntry*> Validator::component_at(uint32_t index, size_t offset) {
  return lookup(spaces().components, index, offset, "component");
}

Result<const engine::MemoryType*> Validator::memory_at(uint32_t index, size_t offset) {
  return lookup(spaces().core_memories, index, offset, "memory");
}

// --- Entities -------------------------------------------------------------------------------

Result<Entity> Validator::check_type_ref(const ExternType& type, std::string_view name,
                                         size_t offset) {
  Entity entity;
  switch (type.kind) {
    case binary::ExternKind::kCoreModule: {
      BERTH_TRY_ASSIGN(const CoreTypeEntry* core, core_type_at(type.type_index, offset));
      if (core->kind != CoreTypeEntry::Kind::kModule) {
        return invalid(offset,
                       fmt::format("core type index {} is not a module type", type.type_index));
      }
      entity.desc.kind = ExternKind::kCoreModule;
      entity.desc.module = core->module;
      return entity;
    }
    case binary::ExternKind::kFunc: {
      BERTH_TRY_ASSIGN(const TypeEntry* entry, type_at(type.type_index, offset));
      if (entry->kind != TypeEntry::Kind::kFunc) {
        return invalid(offset,
                       fmt::format("type index {} is not a function type", type.type_index));
      }
      entity.desc.kind = ExternKind::kFunc;
      entity.desc.func = entry->func;
      return entity;
    }
    case binary::ExternKind::kValue:
      return unsupported(offset, "value imports and exports (🪙) are not supported");
    case binary::ExternKind::kType: {
      if (type.type_bound.kind == binary::TypeBound::Kind::kSubResource) {
        ResourceTypeRef resource = context_.new_resource(std::string(name));
        entity.referenced = TypeEntry{.kind = TypeEntry::Kind::kResource, .resource = resource};
        entity.introduces_resource = true;
        entity.desc = type_desc_of(entity.referenced);
        return entity;
      }
      BERTH_TRY_ASSIGN(const TypeEntry* entry, type_at(type.type_bound.type_index, offset));
      entity.referenced = *entry;
      TypeEntry created = *entry;
      if (created.kind == TypeEntry::Kind::kValue) created.value = context_.copy(created.value);
      if (created.kind == TypeEntry::Kind::kResource) {
        created.resource = context_.new_alias(created.resource);
      }
      entity.desc = type_desc_of(created);
      return entity;
    }
    case binary::ExternKind::kInstance: {
      BERTH_TRY_ASSIGN(const TypeEntry* entry, type_at(type.type_index, offset));
      if (entry->kind != TypeEntry::Kind::kInstance) {
        return invalid(offset,
                       fmt::format("type index {} is not an instance type", type.type_index));
      }
      entity.desc.kind = ExternKind::kInstance;
      entity.desc.instance = entry->instance;
      return entity;
    }
    case binary::ExternKind::kComponent: {
      BERTH_TRY_ASSIGN(const TypeEntry* entry, type_at(type.type_index, offset));
      if (entry->kind != TypeEntry::Kind::kComponent) {
        return invalid(offset,
                       fmt::format("type index {} is not a component type", type.type_index));
      }
      entity.desc.kind = ExternKind::kComponent;
      entity.desc.component = entry->component;
      return entity;
    }
  }
  return invalid(offset, "unknown extern type");
}

Result<Entity> Validator::sort_entity(const SortIndex& target, size_t offset,
                                      bool new_type_identity) {
  Entity entity;
  switch (target.sort) {
    case Sort::kCoreModule: {
      BERTH_TRY_ASSIGN(const CoreModuleEntry* module, module_at(target.index, offset));
      entity.desc.kind = ExternKind::kCoreModule;
      entity.desc.module = module->info;
      entity.module_definition = module->definition;
      return entity;
    }
    case Sort::kFunc: {
      entity.desc.kind = ExternKind::kFunc;
      BERTH_TRY_ASSIGN(entity.desc.func, func_at(target.index, offset));
      return entity;
    }
    case Sort::kValue:
      return unsupported(offset, "values (🪙) are not supported");
    case Sort::kType: {
      BERTH_TRY_ASSIGN(const TypeEntry* entry, type_at(target.index, offset));
      entity.referenced = *entry;
      TypeEntry created = *entry;
      if (new_type_identity && created.kind == TypeEntry::Kind::kValue) {
        created.value = context_.copy(created.value);
      }
      if (new_type_identity && created.kind == TypeEntry::Kind::kResource) {
        created.resource = context_.new_alias(created.resource);
      }
      entity.desc = type_desc_of(created);
      return entity;
    }
    case Sort::kInstance: {
      entity.desc.kind = ExternKind::kInstance;
      BERTH_TRY_ASSIGN(entity.desc.instance, instance_at(target.index, offset));
      return entity;
    }
    case Sort::kComponent: {
      BERTH_TRY_ASSIGN(const ComponentEntry* component, component_at(target.index, offset));
      entity.desc.kind = ExternKind::kComponent;
      entity.desc.component = component->type;
      entity.component_definition = component->definition;
      return entity;
    }
    default:
      return invalid(offset, fmt::format("a {} cannot be used here: only core modules and "
                                         "component-level items can be",
                                         describe(target.sort)));
  }
}

void Validator::push_entity(const Entity& entity) {
  ValidatedComponent& s = spaces();
  switch (entity.desc.kind) {
    case ExternKind::kCoreModule:
      s.core_modules.push_back(CoreModuleEntry{entity.desc.module, entity.module_definition});
      break;
    case ExternKind::kComponent:
      s.components.push_back(ComponentEntry{entity.desc.component, entity.component_definition});
      break;
    case ExternKind::kInstance:
      s.instances.push_back(entity.desc.instance);
      break;
    case ExternKind::kFunc:
      s.funcs.push_back(entity.desc.func);
      break;
    case ExternKind::kValue:
      break;
    case ExternKind::kType:
      s.types.push_back(entry_of(entity.desc));
      break;
  }
}

Result<void> Validator::add_entity(Entity& entity, std::optional<ExternPosition> position,
                                   std::string_view name, size_t offset) {
  Scope& s = scope();
  if (entity.desc.kind == ExternKind::kInstance && position) {
    entity.desc.instance = prepare_instance(entity.desc.instance, *position);
  }
  push_entity(entity);
  if (entity.desc.kind == ExternKind::kType && entity.desc.resource && position) {
    const ResourceTypeRef& resource = context_.canonical(entity.desc.resource);
    if (*position == ExternPosition::kImport) {
      if (entity.introduces_resource) s.imported_resources.push_back(resource);
    } else {
      if (entity.introduces_resource) s.defined_resources.push_back({resource, std::nullopt});
      s.explicit_resources.insert(resource.get());
    }
  }
  if (position && !register_named(entity, position, name, true)) {
    return invalid(offset, fmt::format("{} not valid to be used as {}", describe(entity.desc.kind),
                                       describe(*position)));
  }
  return {};
}

std::shared_ptr<const InstanceType> Validator::prepare_instance(
    std::shared_ptr<const InstanceType> type, ExternPosition position) {
  Scope& s = scope();
  if (!type->defined_resources.empty()) {
    // Each import (or, in a type, export) of an instance type stands for a new instance, whose
    // abstract resources are new too.
    ResourceMap map;
    for (const ResourceTypeRef& old : type->defined_resources) {
      ResourceTypeRef fresh = context_.new_resource(old->name);
      map.emplace(old.get(), fresh);
      if (position == ExternPosition::kImport) {
        s.imported_resources.push_back(fresh);
      } else {
        s.defined_resources.push_back({fresh, std::nullopt});
      }
    }
    Substitution substitution(context_, std::move(map));
    auto fresh = std::make_shared<InstanceType>(*substitution.instance(type));
    fresh->defined_resources.clear();
    context_.record_size(fresh, context_.size_of(type.get()));
    type = std::move(fresh);
  }
  if (position == ExternPosition::kExport) collect_explicit(*type);
  return type;
}

void Validator::collect_explicit(const InstanceType& type) {
  for (const NamedExtern& e : type.exports) {
    if (e.desc.kind == ExternKind::kType && e.desc.resource) {
      scope().explicit_resources.insert(context_.canonical(e.desc.resource.get()));
    }
    if (e.desc.kind == ExternKind::kInstance) collect_explicit(*e.desc.instance);
  }
}

// --- External visibility --------------------------------------------------------------------

bool Validator::register_named(const Entity& entity, std::optional<ExternPosition> position,
                               std::string_view name, bool top_level) {
  Scope& s = scope();
  const ExternDesc& desc = entity.desc;
  if (desc.kind == ExternKind::kType && desc.resource && top_level) {
    ResourceNames& names = *position == ExternPosition::kImport ? s.imported_resource_names
                                                                : s.exported_resource_names;
    names.by_alias[desc.resource.get()] = std::string(name);
    names.all.insert(std::string(name));
  }
  if (s.kind == ScopeKind::kInstanceType) return true;
  auto& set = *position == ExternPosition::kImport ? s.imported_types : s.exported_types;
  switch (desc.kind) {
    case ExternKind::kType: {
      TypeEntry created = entry_of(desc);
      if (!entry_named(created, set)) return false;
      const void* id = identity_of(created);
      if (*position == ExternPosition::kImport) s.imported_types.insert(id);
      s.exported_types.insert(id);
      return true;
    }
    case ExternKind::kInstance:
      for (const NamedExtern& e : desc.instance->exports) {
        Entity inner;
        inner.desc = e.desc;
        if (!register_named(inner, position, e.name, false)) return false;
      }
      return true;
    case ExternKind::kFunc:
      return func_named(*desc.func, set);
    case ExternKind::kValue:
      return desc.type ? valtype_named(*desc.type, set) : true;
    case ExternKind::kComponent:
    case ExternKind::kCoreModule:
      return true;
  }
  return true;
}

bool Validator::entry_named(const TypeEntry& entry, const std::unordered_set<const void*>& set) {
  switch (entry.kind) {
    case TypeEntry::Kind::kResource:
    case TypeEntry::Kind::kComponent:
      return true;
    case TypeEntry::Kind::kValue:
      return value_contents_named(*entry.value, set);
    case TypeEntry::Kind::kFunc:
      return func_named(*entry.func, set);
    case TypeEntry::Kind::kInstance:
      for (const NamedExtern& e : entry.instance->exports) {
        if (!entity_named(e.desc, set)) return false;
      }
      return true;
  }
  return true;
}

bool Validator::entity_named(const ExternDesc& desc, const std::unordered_set<const void*>& set) {
  switch (desc.kind) {
    case ExternKind::kCoreModule:
    case ExternKind::kComponent:
      return true;
    case ExternKind::kFunc:
      return func_named(*desc.func, set);
    case ExternKind::kType:
      return entry_named(entry_of(desc), set);
    case ExternKind::kValue:
      return desc.type ? value_contents_named(*desc.type, set) : true;
    case ExternKind::kInstance:
      return entry_named(TypeEntry{.kind = TypeEntry::Kind::kInstance, .instance = desc.instance},
                         set);
  }
  return true;
}

// Whether the types inside `type` (not `type` itself) have external names.
bool Validator::value_contents_named(const Type& type, const std::unordered_set<const void*>& set) {
  switch (type.kind) {
    case ValKind::kOwn:
    case ValKind::kBorrow:
      return set.count(type.resource.get()) != 0;
    default:
      break;
  }
  for (const Field& f : type.fields) {
    if (f.type && !valtype_named(*f.type, set)) return false;
  }
  for (const TypeRef* t : {&type.element, &type.ok, &type.error}) {
    if (*t && !valtype_named(**t, set)) return false;
  }
  return true;
}

// Whether a value type used somewhere has an external name where one is required: records,
// variants, enums and flags must be named themselves, handles must refer to a named resource,
// and the other structural types only need their members named.
bool Validator::valtype_named(const Type& type, const std::unordered_set<const void*>& set) {
  switch (type.kind) {
    case ValKind::kRecord:
    case ValKind::kVariant:
    case ValKind::kEnum:
    case ValKind::kFlags:
      return set.count(&type) != 0;
    default:
      if (is_primitive(type.kind)) return true;
      return value_contents_named(type, set);
  }
}

bool Validator::func_named(const FuncType& func, const std::unordered_set<const void*>& set) {
  for (const Field& p : func.params) {
    if (!valtype_named(*p.type, set)) return false;
  }
  return !func.result || valtype_named(*func.result, set);
}

// --- Imports and exports --------------------------------------------------------------------

Result<void> Validator::import(const ExternName& name, const ExternType& type, size_t offset) {
  BERTH_TRY_ASSIGN(Entity entity, check_type_ref(type, name.name, offset));
  const bool root_rules = root_embedder_rules_apply();
  if (root_rules && entity.desc.kind == ExternKind::kComponent) {
    return invalid(offset, fmt::format("import `{}` is a component: root-level component imports "
                                       "are not supported",
                                       name.name));
  }
  BERTH_TRY(add_entity(entity, ExternPosition::kImport, name.name, offset));
  Scope& s = scope();
  BERTH_TRY(check_extern_name(name, ExternPosition::kImport, entity, s.imported_resource_names,
                              s.import_keys, s.import_names, offset));
  s.imports.push_back(NamedExtern{name.name, entity.desc});
  if (root_rules) note_imported(entity.desc.kind, name.name);
  return {};
}

bool Validator::root_embedder_rules_apply() const {
  return options_.root_embedder_rules && scopes_.size() == 1 &&
         scopes_.back()->kind == ScopeKind::kComponent;
}

// The function or instance just added to its index space came from an import of the root
// component: `origin` names that import (for a function of an imported instance, the instance
// and the export).
void Validator::note_imported(ExternKind kind, std::string origin) {
  Scope& s = scope();
  if (kind == ExternKind::kFunc) {
    s.imported_funcs.emplace(static_cast<uint32_t>(spaces().funcs.size() - 1), std::move(origin));
  } else if (kind == ExternKind::kInstance) {
    s.imported_instances.emplace(static_cast<uint32_t>(spaces().instances.size() - 1),
                                 std::move(origin));
  }
}

Result<void> Validator::export_item(const Export& item) {
  size_t offset = item.offset;
  BERTH_TRY_ASSIGN(Entity entity, sort_entity(item.target, offset, true));
  if (item.ascribed_type) {
    BERTH_TRY_ASSIGN(Entity ascribed, check_type_ref(*item.ascribed_type, item.name.name, offset));
    SubtypeChecker checker(context_);
    auto compatible = checker.extern_desc(entity.desc, ascribed.desc);
    if (!compatible) {
      return at_offset(compatible.error(), offset,
                       "ascribed type of export is not compatible with item's type");
    }
    ascribed.component_definition = entity.component_definition;
    ascribed.module_definition = entity.module_definition;
    entity = std::move(ascribed);
  }
  // The root embedder rules: the export must not hand a component, or a function the host
  // itself provided, back to the host. An exported instance that was imported stays imported
  // under its new index.
  std::optional<std::string> imported;
  const bool root_rules = root_embedder_rules_apply();
  if (root_rules) {
    if (entity.desc.kind == ExternKind::kComponent) {
      return invalid(offset, fmt::format("export `{}` is a component: exporting a component from "
                                         "the root component is not supported",
                                         item.name.name));
    }
    const Scope& s = scope();
    if (item.target.sort == Sort::kFunc) {
      auto it = s.imported_funcs.find(item.target.index);
      if (it != s.imported_funcs.end()) {
        return invalid(offset, fmt::format("export `{}` is a reexport of function {}, imported as "
                                           "`{}`: reexporting an imported function from the root "
                                           "component is not supported",
                                           item.name.name, item.target.index, it->second));
      }
    } else if (item.target.sort == Sort::kInstance) {
      auto it = s.imported_instances.find(item.target.index);
      if (it != s.imported_instances.end()) imported = it->second;
    }
  }
  BERTH_TRY(add_entity(entity, ExternPosition::kExport, item.name.name, offset));
  Scope& s = scope();
  BERTH_TRY(check_extern_name(item.name, ExternPosition::kExport, entity, s.exported_resource_names,
                              s.export_keys, s.export_names, offset));
  s.exports.push_back(NamedExtern{item.name.name, entity.desc});
  if (imported) note_imported(entity.desc.kind, std::move(*imported));
  return {};
}

Result<std::shared_ptr<const ComponentType>> Validator::finish(Scope& scope, size_t offset) {
  auto type = std::make_shared<ComponentType>();
  type->imports = scope.imports;
  type->exports = scope.exports;
  type->imported_resources = scope.imported_resources;

  FreeResources in_imports(context_);
  for (const NamedExtern& e : type->imports) in_imports.add(e.desc);
  for (const DefinedResource& d : scope.defined_resources) {
    if (in_imports.resources().count(d.resource.get())) {
      return invalid(offset,
                     fmt::format("local resource type `{}` found in imports", d.resource->name));
    }
  }
  // Only the defined resources that the exports mention belong to the type; each of them must
  // be exported itself somewhere.
  FreeResources in_exports(context_);
  for (const NamedExtern& e : type->exports) in_exports.add(e.desc);
  for (const DefinedResource& d : scope.defined_resources) {
    if (!in_exports.resources().count(d.resource.get())) continue;
    if (!scope.explicit_resources.count(d.resource.get())) {
      return invalid(offset,
                     fmt::format("local resource type `{}` found in export but not exported itself",
                                 d.resource->name));
    }
    type->defined_resources.push_back(d.resource);
  }

  uint32_t size = 1;
  for (const auto* list : {&type->imports, &type->exports}) {
    for (const NamedExtern& e : *list) size = add_size(size, context_.size_of(e.desc));
  }
  if (size > kMaxTypeSize) return invalid(offset, "effective type size exceeds the limit");
  context_.record_size(type, size);
  return std::shared_ptr<const ComponentType>(std::move(type));
}

// --- Instances ------------------------------------------------------------------------------

Result<void> Validator::instance(const Instance& instance) {
  std::shared_ptr<const InstanceType> type;
  if (instance.kind == Instance::Kind::kInstantiate) {
    BERTH_TRY_ASSIGN(type, instantiate(instance));
  } else {
    BERTH_TRY_ASSIGN(type, inline_instance(instance));
  }
  spaces().instances.push_back(std::move(type));
  return {};
}

Result<std::shared_ptr<const InstanceType>> Validator::instantiate(const Instance& instance) {
  size_t offset = instance.offset;
  BERTH_TRY_ASSIGN(const ComponentEntry* component, component_at(instance.component, offset));
  std::shared_ptr<const ComponentType> type = component->type;

  std::unordered_map<std::string, Entity> args;
  for (const binary::InstantiateArg& arg : instance.args) {
    BERTH_TRY_ASSIGN(Entity entity, sort_entity(arg.target, arg.offset, false));
    if (!args.emplace(arg.name, std::move(entity)).second) {
      return invalid(
          arg.offset,
          fmt::format("instantiation argument `{}` conflicts with previous argument `{}`", arg.name,
                      arg.name));
    }
  }

  SubtypeChecker checker(context_);
  for (const ResourceTypeRef& r : type->imported_resources) checker.bindable.insert(r.get());
  for (const NamedExtern& import : type->imports) {
    auto arg = args.find(import.name);
    if (arg == args.end()) {
      return invalid(offset, fmt::format("missing import named `{}`", import.name));
    }
    auto r = checker.extern_desc(arg->second.desc, import.desc);
    if (!r) {
      return at_offset(r.error(), offset,
                       fmt::format("type mismatch for import `{}`", import.name));
    }
  }

  // The instance's exports in terms of the arguments, with fresh resources for the ones the
  // component defines: every instantiation makes new ones.
  ResourceMap map = checker.bindings;
  for (const ResourceTypeRef& defined : type->defined_resources) {
    ResourceTypeRef fresh = context_.new_resource(defined->name);
    map.emplace(defined.get(), fresh);
    scope().defined_resources.push_back({fresh, std::nullopt});
  }
  Substitution substitution(context_, std::move(map));
  for (const NamedExtern& import : type->imports) {
    rename_imported_types(substitution, args.at(import.name).desc, import.desc);
  }
  auto out = std::make_shared<InstanceType>();
  uint32_t size = 1;
  for (const NamedExtern& e : type->exports) {
    out->exports.push_back(NamedExtern{e.name, substitution.desc(e.desc)});
    size = add_size(size, context_.size_of(out->exports.back().desc));
  }
  if (size > kMaxTypeSize) return invalid(offset, "effective type size exceeds the limit");
  context_.record_size(out, size);
  return std::shared_ptr<const InstanceType>(std::move(out));
}

Result<std::shared_ptr<const InstanceType>> Validator::inline_instance(const Instance& instance) {
  auto out = std::make_shared<InstanceType>();
  // A bag of exports introduces no indices, so no resource names are known inside it.
  ResourceNames no_names;
  std::unordered_map<std::string, std::string> keys;
  std::unordered_set<std::string> names;
  uint32_t size = 1;
  for (const binary::InlineExport& e : instance.exports) {
    BERTH_TRY_ASSIGN(Entity entity, sort_entity(e.target, e.offset, false));
    BERTH_TRY(check_extern_name(e.name, ExternPosition::kExport, entity, no_names, keys, names,
                                e.offset));
    out->exports.push_back(NamedExtern{e.name.name, entity.desc});
    size = add_size(size, context_.size_of(entity.desc));
  }
  if (size > kMaxTypeSize) {
    return invalid(instance.offset, "effective type size exceeds the limit");
  }
  context_.record_size(out, size);
  return std::shared_ptr<const InstanceType>(std::move(out));
}

// --- Aliases --------------------------------------------------------------------------------

Result<void> Validator::alias(const Alias& alias) {
  size_t offset = alias.offset;
  if (scope().kind != ScopeKind::kComponent) {
    bool allowed = (alias.kind == AliasKind::kInstanceExport &&
                    (alias.sort == Sort::kType || alias.sort == Sort::kInstance)) ||
                   (alias.kind == AliasKind::kOuter &&
                    (alias.sort == Sort::kType || alias.sort == Sort::kCoreType));
    if (!allowed) {
      return invalid(
          offset, "aliases in a component or instance type may only refer to types or instances");
    }
  }
  switch (alias.kind) {
    case AliasKind::kInstanceExport: {
      BERTH_TRY_ASSIGN(std::shared_ptr<const InstanceType> instance,
                       instance_at(alias.instance, offset));
      const NamedExtern* e = instance->find(alias.name);
      if (!e) {
        return invalid(offset, fmt::format("instance {} has no export named `{}`", alias.instance,
                                           alias.name));
      }
      std::optional<ExternKind> kind = extern_kind_of(alias.sort);
      if (alias.sort == Sort::kValue) {
        return unsupported(offset, "values (🪙) are not supported");
      }
      if (!kind || e->desc.kind != *kind) {
        return invalid(offset, fmt::format("export `{}` for instance {} is not a {}", alias.name,
                                           alias.instance, describe(alias.sort)));
      }
      Entity entity;
      entity.desc = e->desc;
      if (e->desc.kind == ExternKind::kType) entity.referenced = entry_of(e->desc);
      BERTH_TRY(add_entity(entity, std::nullopt, alias.name, offset));
      // A function or instance of an imported instance is itself provided by the host.
      if (root_embedder_rules_apply()) {
        auto imported = scope().imported_instances.find(alias.instance);
        if (imported != scope().imported_instances.end()) {
          note_imported(entity.desc.kind, fmt::format("{}#{}", imported->second, alias.name));
        }
      }
      return {};
    }
    case AliasKind::kCoreInstanceExport:
      return core_instance_alias(alias);
    case AliasKind::kOuter:
      return outer_alias(alias);
  }
  return invalid(offset, "unknown alias kind");
}

Result<const Scope*> Validator::outer_scope(uint32_t count, size_t offset) {
  if (count >= scopes_.size()) {
    return invalid(offset, fmt::format("invalid outer alias count of {}", count));
  }
  return scopes_[scopes_.size() - 1 - count];
}

Result<void> Validator::outer_alias(const Alias& alias) {
  size_t offset = alias.offset;
  BERTH_TRY_ASSIGN(const Scope* target, outer_scope(alias.outer_count, offset));
  const ValidatedComponent& from = *target->spaces;
  switch (alias.sort) {
    case Sort::kCoreModule: {
      BERTH_TRY_ASSIGN(const CoreModuleEntry* module,
                       lookup(from.core_modules, alias.outer_index, offset, "module"));
      CoreModuleEntry copy = *module;
      spaces().core_modules.push_back(std::move(copy));
      return {};
    }
    case Sort::kCoreType: {
      BERTH_TRY_ASSIGN(const CoreTypeEntry* type,
                       lookup(from.core_types, alias.outer_index, offset, "core type"));
      CoreTypeEntry copy = *type;
      spaces().core_types.push_back(std::move(copy));
      return {};
    }
    case Sort::kComponent: {
      BERTH_TRY_ASSIGN(const ComponentEntry* component,
                       lookup(from.components, alias.outer_index, offset, "component"));
      ComponentEntry copy = *component;
      spaces().components.push_back(std::move(copy));
      return {};
    }
    case Sort::kType: {
      BERTH_TRY_ASSIGN(const TypeEntry* type,
                       lookup(from.types, alias.outer_index, offset, "type"));
      TypeEntry copy = *type;
      // Crossing into another component must not capture resources: components must stay
      // separable ("unbundling"), and resource types are generative.
      size_t inside_target = scopes_.size() - alias.outer_count;
      if (alias.outer_count > 0 && scopes_[inside_target]->kind == ScopeKind::kComponent) {
        FreeResources free(context_);
        free.add(copy);
        if (!free.resources().empty()) {
          return invalid(offset,
                         "cannot alias outer type which transitively refers to resources not "
                         "defined in the current component");
        }
      }
      spaces().types.push_back(std::move(copy));
      return {};
    }
    default:
      return invalid(offset, fmt::format("outer aliases cannot refer to a {}: only core "
                                         "modules, core types, components and types",
                                         describe(alias.sort)));
  }
}

// --- Final pass -----------------------------------------------------------------------------

void Validator::canonicalize(ValidatedComponent& root) {
  Substitution canonical(context_, {}, Substitution::Mode::kCanonicalize);
  std::unordered_set<const ValidatedComponent*> done;
  std::vector<ValidatedComponent*> pending{&root};
  while (!pending.empty()) {
    ValidatedComponent& c = *pending.back();
    pending.pop_back();
    if (!done.insert(&c).second) continue;
    for (TypeEntry& t : c.types) t = canonical.entry(t);
    for (FuncTypeRef& f : c.funcs) f = canonical.func(f);
    for (auto& i : c.instances) i = canonical.instance(i);
    for (ComponentEntry& e : c.components) e.type = canonical.component(e.type);
    c.type = canonical.component(c.type);
    for (CanonDefinition& d : c.canons) {
      d.func_type = canonical.func(d.func_type);
      d.resource = canonical.resource(d.resource);
    }
    for (const auto& child : c.children) {
      // The children were made by this validator as mutable objects and are only shared as
      // const once validation returns.
      pending.push_back(const_cast<ValidatedComponent*>(child.get()));
    }
  }
}

}  // namespace validate
}  // namespace berth::component
