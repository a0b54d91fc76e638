// Instantiation: walks a validated component's definitions in order and fills the run-time index
// spaces (items.h), instantiating core modules in the engine and nested components recursively.
#include <fmt/format.h>

#include <atomic>

#include "component/runtime/instantiate.h"

namespace berth::component::runtime {
namespace {

Error link_error(std::string message) {
  return Error(ErrorCode::kLink, std::move(message));
}

std::atomic<uint64_t> g_next_resource_id{1};

bool is_empty(const InstanceType& type) {
  for (const NamedExtern& e : type.exports) {
    bool value_type = e.desc.kind == ExternKind::kType && !e.desc.resource;
    bool empty_instance =
        e.desc.kind == ExternKind::kInstance && e.desc.instance && is_empty(*e.desc.instance);
    if (!value_type && !empty_instance) return false;
  }
  return true;
}

const Frame* outer_frame(const Frame& frame, uint32_t count) {
  const Frame* f = &frame;
  for (uint32_t i = 0; i < count && f; ++i) f = f->parent;
  return f;
}

}  // namespace

ResourceTypeRef new_resource(std::string name, bool host_defined) {
  auto r = std::make_shared<ResourceType>();
  r->name = std::move(name);
  r->host_defined = host_defined;
  r->id = g_next_resource_id++;
  return r;
}

TypeRef Instantiator::subst(Frame& frame, const TypeRef& type) {
  if (!type || frame.resources.empty()) return type;
  switch (type->kind) {
    case ValKind::kOwn:
    case ValKind::kBorrow: {
      auto it = frame.resources.find(type->resource.get());
      if (it == frame.resources.end()) return type;
      return type->kind == ValKind::kOwn ? Type::own(it->second) : Type::borrow(it->second);
    }
    case ValKind::kList:
    case ValKind::kOption:
    case ValKind::kResult:
    case ValKind::kTuple:
    case ValKind::kRecord:
    case ValKind::kVariant: {
      auto copy = std::make_shared<Type>(*type);
      bool changed = false;
      auto replace = [&](TypeRef& t) {
        TypeRef s = subst(frame, t);
        if (s != t) changed = true;
        t = s;
      };
      replace(copy->element);
      replace(copy->ok);
      replace(copy->error);
      for (auto& f : copy->fields) replace(f.type);
      return changed ? TypeRef(copy) : type;
    }
    default:
      return type;
  }
}

FuncTypeRef Instantiator::subst(Frame& frame, const FuncTypeRef& type) {
  if (!type || frame.resources.empty()) return type;
  auto copy = std::make_shared<FuncType>(*type);
  for (auto& p : copy->params) p.type = subst(frame, p.type);
  copy->result = subst(frame, copy->result);
  return copy;
}

Result<std::shared_ptr<const Instance>> Instantiator::host_instance(Frame& frame,
                                                                    std::string_view name,
                                                                    const InstanceType& type,
                                                                    ImportResolver& resolver) {
  auto instance = std::make_shared<Instance>();
  // Types first: the functions' types refer to the resources. Other types (records, type
  // aliases...) need nothing at run time, but the component may alias them out of the instance.
  for (const NamedExtern& e : type.exports) {
    if (e.desc.kind != ExternKind::kType) continue;
    Item item;
    item.kind = ExternKind::kType;
    if (e.desc.resource) {
      BERTH_TRY_ASSIGN(item.resource, import_resource(frame, name, e.name, e.desc, resolver));
    }
    instance->exports.emplace_back(e.name, std::move(item));
  }
  for (const NamedExtern& e : type.exports) {
    if (e.desc.kind == ExternKind::kType) continue;
    if (e.desc.kind == ExternKind::kInstance && e.desc.instance && is_empty(*e.desc.instance)) {
      // Nothing to provide: an empty instance (however deeply nested) needs no host.
      Item item;
      item.kind = ExternKind::kInstance;
      item.instance = std::make_shared<Instance>();
      instance->exports.emplace_back(e.name, std::move(item));
      continue;
    }
    if (e.desc.kind != ExternKind::kFunc) {
      return link_error(
          fmt::format("import '{}': the host provides only functions and resource "
                      "types, not '{}'",
                      name, e.name));
    }
    FuncTypeRef func_type = subst(frame, e.desc.func);
    auto resolved = resolver.resolve_func(name, e.name, *func_type);
    if (!resolved) return std::move(resolved.error().prepend(fmt::format("import '{}'", name)));
    auto func = std::make_shared<Function>();
    func->type = func_type;
    func->host = std::move(*resolved);
    Item item;
    item.kind = ExternKind::kFunc;
    item.func = func;
    instance->exports.emplace_back(e.name, std::move(item));
  }
  return std::shared_ptr<const Instance>(instance);
}

// A resource type import, on its own (`instance` empty) or in an imported instance. A type
// declared `(eq $r)` to a resource already bound is that resource: the host need not define the
// name, but when it defines it as another type of its own the import cannot be linked. A type
// the resolver makes up on the spot (the default resolve_resource does) is no definition.
Result<ResourceTypeRef> Instantiator::import_resource(Frame& frame, std::string_view instance,
                                                      std::string_view name, const ExternDesc& desc,
                                                      ImportResolver& resolver) {
  auto bound = frame.resources.find(desc.resource.get());
  if (bound == frame.resources.end()) {
    BERTH_TRY_ASSIGN(ResourceTypeRef r, resolver.resolve_resource(instance, name));
    frame.resources[desc.resource.get()] = r;
    return r;
  }
  uint64_t made_from = g_next_resource_id.load();
  auto provided = resolver.resolve_resource(instance, name);
  if (provided && *provided && *provided != bound->second && (*provided)->id < made_from) {
    return link_error(fmt::format(
        "import '{}': mismatched resource types: '{}' must be the same type as {} (#{}), but "
        "the host defines it as {} (#{})",
        instance.empty() ? name : instance, name, bound->second->name, bound->second->id,
        (*provided)->name, (*provided)->id));
  }
  return bound->second;
}

Result<Item> Instantiator::import_item(Frame& frame, const binary::Import& imp,
                                       const NamedExtern* desc, ImportSource& source) {
  const std::string& name = imp.name.name;
  if (source.args) {
    auto it = source.args->find(name);
    if (it == source.args->end()) {
      return link_error(fmt::format("instantiation provides no argument for import '{}'", name));
    }
    return it->second;
  }
  if (!desc) return link_error(fmt::format("import '{}' has no type", name));
  Item item;
  item.kind = desc->desc.kind;
  switch (desc->desc.kind) {
    case ExternKind::kInstance: {
      BERTH_TRY_ASSIGN(item.instance,
                       host_instance(frame, name, *desc->desc.instance, *source.resolver));
      return item;
    }
    case ExternKind::kFunc: {
      FuncTypeRef type = subst(frame, desc->desc.func);
      BERTH_TRY_ASSIGN(HostFunction host, source.resolver->resolve_func("", name, *type));
      auto func = std::make_shared<Function>();
      func->type = type;
      func->host = std::move(host);
      item.func = func;
      return item;
    }
    case ExternKind::kType: {
      if (!desc->desc.resource) return item;  // a value type: nothing to provide at run time
      BERTH_TRY_ASSIGN(item.resource,
                       import_resource(frame, "", name, desc->desc, *source.resolver));
      return item;
    }
    default:
      return link_error(
          fmt::format("import '{}': the host cannot provide this kind of import", name));
  }
}

// Puts `item` into the index space of its kind, binding resource identities for types.
Result<void> Instantiator::push_item(Frame& frame, const Item& item) {
  switch (item.kind) {
    case ExternKind::kFunc:
      frame.funcs.push_back(item.func);
      return {};
    case ExternKind::kInstance: {
      size_t index = frame.instances.size();
      frame.instances.push_back(item.instance);
      // Bind the validation-time resources of the instance's type to the ones it carries.
      if (index < frame.validated->instances.size() && item.instance) {
        bind_instance_resources(frame, *frame.validated->instances[index], *item.instance);
      }
      return {};
    }
    case ExternKind::kType: {
      size_t index = frame.types.size();
      frame.types.push_back(item.resource);
      if (item.resource && index < frame.validated->types.size() &&
          frame.validated->types[index].resource) {
        frame.resources[frame.validated->types[index].resource.get()] = item.resource;
      }
      return {};
    }
    case ExternKind::kComponent:
      frame.components.push_back(item.component);
      return {};
    case ExternKind::kCoreModule:
      frame.core_modules.push_back(item.module);
      return {};
    case ExternKind::kValue:
      return Error(ErrorCode::kUnsupported, "component values are not supported");
  }
  return {};
}

void Instantiator::bind_instance_resources(Frame& frame, const InstanceType& type,
                                           const Instance& instance) {
  for (const NamedExtern& e : type.exports) {
    const Item* item = instance.find(e.name);
    if (!item) continue;
    if (e.desc.kind == ExternKind::kType && e.desc.resource && item->resource) {
      frame.resources[e.desc.resource.get()] = item->resource;
    } else if (e.desc.kind == ExternKind::kInstance && e.desc.instance && item->instance) {
      bind_instance_resources(frame, *e.desc.instance, *item->instance);
    }
  }
}

Result<Item> Instantiator::item_at(Frame& frame, binary::SortIndex target) {
  Item item;
  auto out_of_range = [&]() {
    return Error(ErrorCode::kInternal, fmt::format("{} index {} out of range at run time",
                                                   binary::to_string(target.sort), target.index));
  };
  switch (target.sort) {
    case binary::Sort::kFunc:
      if (target.index >= frame.funcs.size()) return out_of_range();
      item.kind = ExternKind::kFunc;
      item.func = frame.funcs[target.index];
      return item;
    case binary::Sort::kInstance:
      if (target.index >= frame.instances.size()) return out_of_range();
      item.kind = ExternKind::kInstance;
      item.instance = frame.instances[target.index];
      return item;
    case binary::Sort::kType:
      if (target.index >= frame.types.size()) return out_of_range();
      item.kind = ExternKind::kType;
      item.resource = frame.types[target.index];
      return item;
    case binary::Sort::kComponent:
      if (target.index >= frame.components.size()) return out_of_range();
      item.kind = ExternKind::kComponent;
      item.component = frame.components[target.index];
      return item;
    case binary::Sort::kCoreModule:
      if (target.index >= frame.core_modules.size()) return out_of_range();
      item.kind = ExternKind::kCoreModule;
      item.module = frame.core_modules[target.index];
      return item;
    default:
      return Error(ErrorCode::kUnsupported,
                   fmt::format("{} items cannot be passed between components",
                               binary::to_string(target.sort)));
  }
}

Result<engine::Extern> Instantiator::core_item(Frame& frame, binary::Sort sort, uint32_t index) {
  const std::vector<engine::Extern>* space = nullptr;
  switch (sort) {
    case binary::Sort::kCoreFunc:
      space = &frame.core_funcs;
      break;
    case binary::Sort::kCoreTable:
      space = &frame.core_tables;
      break;
    case binary::Sort::kCoreMemory:
      space = &frame.core_memories;
      break;
    case binary::Sort::kCoreGlobal:
      space = &frame.core_globals;
      break;
    case binary::Sort::kCoreTag:
      space = &frame.core_tags;
      break;
    default:
      break;
  }
  if (!space || index >= space->size()) {
    return Error(ErrorCode::kInternal, fmt::format("{} index {} out of range at run time",
                                                   binary::to_string(sort), index));
  }
  return (*space)[index];
}

void Instantiator::push_core(Frame& frame, engine::Extern ext) {
  switch (ext.kind) {
    case engine::ExternKind::kFunc:
      frame.core_funcs.push_back(ext);
      break;
    case engine::ExternKind::kTable:
      frame.core_tables.push_back(ext);
      break;
    case engine::ExternKind::kMemory:
      frame.core_memories.push_back(ext);
      break;
    case engine::ExternKind::kGlobal:
      frame.core_globals.push_back(ext);
      break;
    case engine::ExternKind::kTag:
      frame.core_tags.push_back(ext);
      break;
  }
}

Result<void> Instantiator::core_instance(Frame& frame, const binary::CoreInstance& def) {
  auto instance = std::make_shared<CoreInstance>();
  if (def.kind == binary::CoreInstance::Kind::kInlineExports) {
    for (const auto& e : def.exports) {
      BERTH_TRY_ASSIGN(engine::Extern ext, core_item(frame, e.sort, e.index));
      instance->exports[e.name] = ext;
    }
    frame.core_instances.push_back(std::move(instance));
    return {};
  }
  if (def.module >= frame.core_modules.size() || !frame.core_modules[def.module]) {
    return Error(ErrorCode::kInternal, "core module missing at run time");
  }
  const engine::Module& module = *frame.core_modules[def.module];
  std::vector<engine::Extern> imports;
  for (const engine::ImportType& imp : module.info().imports) {
    const CoreInstance* arg = nullptr;
    for (const auto& a : def.args) {
      if (a.name == imp.module && a.instance < frame.core_instances.size()) {
        arg = frame.core_instances[a.instance].get();
      }
    }
    auto it = arg ? arg->exports.find(imp.name) : decltype(arg->exports.end()){};
    if (!arg || it == arg->exports.end()) {
      return link_error(
          fmt::format("core module import '{}' '{}' is not provided", imp.module, imp.name));
    }
    imports.push_back(it->second);
  }
  BERTH_TRY_ASSIGN(engine::Instance core, store_.instantiate(module, imports));
  for (const engine::ExportType& e : module.info().exports) {
    if (auto ext = store_.get_export(core, e.name)) instance->exports[e.name] = *ext;
  }
  frame.core_instances.push_back(std::move(instance));
  return {};
}

Result<void> Instantiator::alias(Frame& frame, const binary::Alias& def) {
  switch (def.kind) {
    case binary::AliasKind::kCoreInstanceExport: {
      if (def.instance >= frame.core_instances.size()) {
        return Error(ErrorCode::kInternal, "core instance missing at run time");
      }
      const auto& exports = frame.core_instances[def.instance]->exports;
      auto it = exports.find(def.name);
      if (it == exports.end()) {
        return link_error(
            fmt::format("core instance {} has no export '{}'", def.instance, def.name));
      }
      push_core(frame, it->second);
      return {};
    }
    case binary::AliasKind::kInstanceExport: {
      if (def.instance >= frame.instances.size() || !frame.instances[def.instance]) {
        return Error(ErrorCode::kInternal, "instance missing at run time");
      }
      const Item* item = frame.instances[def.instance]->find(def.name);
      if (!item) {
        return link_error(fmt::format("instance {} has no export '{}'", def.instance, def.name));
      }
      return push_item(frame, *item);
    }
    case binary::AliasKind::kOuter: {
      const Frame* outer = outer_frame(frame, def.outer_count);
      if (!outer) return Error(ErrorCode::kInternal, "outer alias beyond the outermost component");
      Item item;
      switch (def.sort) {
        case binary::Sort::kCoreModule:
          item.kind = ExternKind::kCoreModule;
          item.module = outer->core_modules.at(def.outer_index);
          break;
        case binary::Sort::kComponent:
          item.kind = ExternKind::kComponent;
          item.component = outer->components.at(def.outer_index);
          break;
        case binary::Sort::kType:
          item.kind = ExternKind::kType;
          item.resource = outer->types.at(def.outer_index);
          break;
        case binary::Sort::kCoreType:
          return {};
        default:
          return Error(ErrorCode::kInternal, "outer alias of an unexpected sort");
      }
      return push_item(frame, item);
    }
  }
  return {};
}

Result<abi::CanonOptions> Instantiator::canon_options(Frame& frame, const CanonOptions& options) {
  abi::CanonOptions out;
  out.string_encoding = options.string_encoding;
  if (options.memory) {
    BERTH_TRY_ASSIGN(engine::Extern m,
                     core_item(frame, binary::Sort::kCoreMemory, *options.memory));
    out.memory = engine::Memory{m.id};
  }
  if (options.realloc) {
    BERTH_TRY_ASSIGN(engine::Extern f, core_item(frame, binary::Sort::kCoreFunc, *options.realloc));
    out.realloc = engine::Func{f.id};
  }
  if (options.post_return) {
    BERTH_TRY_ASSIGN(engine::Extern f,
                     core_item(frame, binary::Sort::kCoreFunc, *options.post_return));
    out.post_return = engine::Func{f.id};
  }
  return out;
}

Result<void> Instantiator::canon(Frame& frame, const CanonDefinition& def) {
  const binary::Canon& canon = *def.canon;
  switch (canon.kind) {
    case binary::CanonKind::kLift: {
      auto func = std::make_shared<Function>();
      func->type = subst(frame, def.func_type);
      func->owner = frame.runtime;
      BERTH_TRY_ASSIGN(engine::Extern core,
                       core_item(frame, binary::Sort::kCoreFunc, canon.func_index));
      func->core = engine::Func{core.id};
      BERTH_TRY_ASSIGN(func->options, canon_options(frame, def.options));
      BERTH_TRY_ASSIGN(func->layout, abi::func_layout(func->type));
      frame.funcs.push_back(std::move(func));
      return {};
    }
    case binary::CanonKind::kLower: {
      if (canon.func_index >= frame.funcs.size()) {
        return Error(ErrorCode::kInternal, "lowered function missing at run time");
      }
      FunctionRef callee = frame.funcs[canon.func_index];
      BERTH_TRY_ASSIGN(abi::CanonOptions options, canon_options(frame, def.options));
      BERTH_TRY_ASSIGN(abi::FuncLayoutRef layout, abi::func_layout(callee->type));
      BERTH_TRY_ASSIGN(
          engine::Func core,
          store_.create_host_func(
              def.core_type, lowered_import(frame.runtime, callee, std::move(options), layout)));
      frame.core_funcs.push_back(engine::Extern::of(core));
      return {};
    }
    case binary::CanonKind::kResourceNew:
    case binary::CanonKind::kResourceRep:
    case binary::CanonKind::kResourceDrop: {
      auto it = frame.resources.find(def.resource.get());
      if (it == frame.resources.end()) {
        return Error(ErrorCode::kInternal, "resource built-in of an unbound resource type");
      }
      BERTH_TRY_ASSIGN(engine::Func core,
                       store_.create_host_func(
                           def.core_type, resource_builtin(canon.kind, frame.runtime, it->second)));
      frame.core_funcs.push_back(engine::Extern::of(core));
      return {};
    }
    default:
      return Error(ErrorCode::kUnsupported,
                   fmt::format("canon {} is not supported", binary::to_string(canon.kind)));
  }
}

Result<void> Instantiator::run(Frame& frame, const binary::Component& ir, ImportSource& source) {
  const ValidatedComponent& validated = *frame.validated;
  size_t canon_index = 0, resource_index = 0, child_index = 0;
  for (size_t d = 0; d < ir.definitions.size(); ++d) {
    const binary::Definition& definition = ir.definitions[d];
    if (const auto* module = std::get_if<binary::CoreModule>(&definition)) {
      auto it = loaded_.modules.find(module);
      if (it == loaded_.modules.end())
        return Error(ErrorCode::kInternal, "core module not compiled");
      frame.core_modules.push_back(it->second);
    } else if (const auto* core = std::get_if<binary::CoreInstance>(&definition)) {
      BERTH_TRY(core_instance(frame, *core));
    } else if (std::holds_alternative<binary::CoreTypeDef>(definition)) {
      // Core types only matter to validation.
    } else if (std::holds_alternative<binary::Box<binary::Component>>(definition)) {
      auto def = std::make_shared<ComponentDef>();
      def->validated = validated.children.at(child_index++);
      def->parent = &frame;
      frame.components.push_back(std::move(def));
    } else if (const auto* inst = std::get_if<binary::Instance>(&definition)) {
      BERTH_TRY(instance(frame, *inst));
    } else if (const auto* a = std::get_if<binary::Alias>(&definition)) {
      BERTH_TRY(alias(frame, *a));
    } else if (std::holds_alternative<binary::TypeDef>(definition)) {
      ResourceTypeRef runtime_resource;
      if (resource_index < validated.resources.size() &&
          validated.resources[resource_index].definition == d) {
        const ResourceDefinition& r = validated.resources[resource_index++];
        runtime_resource = new_resource(r.resource->name, /*host_defined=*/false);
        frame.resources[r.resource.get()] = runtime_resource;
        frame.runtime->abi.add_defined_resource(runtime_resource);
        std::optional<engine::Func> destructor;
        if (r.destructor) {
          BERTH_TRY_ASSIGN(engine::Extern f,
                           core_item(frame, binary::Sort::kCoreFunc, *r.destructor));
          destructor = engine::Func{f.id};
        }
        registry_.destructors[runtime_resource.get()] = destructor;
      }
      frame.types.push_back(runtime_resource);
    } else if (std::holds_alternative<binary::Canon>(definition)) {
      if (canon_index >= validated.canons.size()) {
        return Error(ErrorCode::kInternal, "canon definition without validation result");
      }
      BERTH_TRY(canon(frame, validated.canons[canon_index++]));
    } else if (const auto* imp = std::get_if<binary::Import>(&definition)) {
      const NamedExtern* desc = nullptr;
      for (const auto& e : validated.type->imports) {
        if (e.name == imp->name.name) desc = &e;
      }
      BERTH_TRY_ASSIGN(Item item, import_item(frame, *imp, desc, source));
      BERTH_TRY(push_item(frame, item));
    } else if (const auto* exp = std::get_if<binary::Export>(&definition)) {
      BERTH_TRY_ASSIGN(Item item, item_at(frame, exp->target));
      frame.exports.emplace_back(exp->name.name, item);
      BERTH_TRY(push_item(frame, item));
    } else {
      return Error(ErrorCode::kUnsupported,
                   "component values and start functions are not supported");
    }
  }
  return {};
}

Result<void> Instantiator::instance(Frame& frame, const binary::Instance& def) {
  if (def.kind == binary::Instance::Kind::kInlineExports) {
    auto instance = std::make_shared<Instance>();
    for (const auto& e : def.exports) {
      BERTH_TRY_ASSIGN(Item item, item_at(frame, e.target));
      instance->exports.emplace_back(e.name.name, std::move(item));
    }
    return push_item(frame,
                     Item{ExternKind::kInstance, nullptr, instance, nullptr, nullptr, nullptr});
  }
  if (def.component >= frame.components.size() || !frame.components[def.component]) {
    return Error(ErrorCode::kInternal, "component missing at run time");
  }
  const ComponentDef& child_def = *frame.components[def.component];
  std::unordered_map<std::string, Item> args;
  for (const auto& a : def.args) {
    BERTH_TRY_ASSIGN(Item item, item_at(frame, a.target));
    args.emplace(a.name, std::move(item));
  }
  // Frames stay where they are: components defined inside point back at them.
  auto child = std::make_unique<Frame>();
  child->validated = child_def.validated.get();
  child->parent = child_def.parent;
  child->runtime = std::make_shared<InstanceRuntime>();
  child->runtime->parent = frame.runtime;
  ImportSource source{nullptr, &args};
  BERTH_TRY(run(*child, *child_def.validated->ir, source));
  auto instance = std::make_shared<Instance>();
  instance->exports = child->exports;
  frames_.push_back(std::move(child));
  return push_item(frame,
                   Item{ExternKind::kInstance, nullptr, instance, nullptr, nullptr, nullptr});
}

}  // namespace berth::component::runtime

namespace berth::component {

ResourceTypeRef make_host_resource_type(std::string name,
                                        std::function<void(uint32_t rep)> destructor) {
  auto r = std::const_pointer_cast<ResourceType>(
      runtime::new_resource(std::move(name), /*host_defined=*/true));
  r->host_destructor = std::move(destructor);
  return r;
}

Result<ResourceTypeRef> ImportResolver::resolve_resource(std::string_view instance,
                                                         std::string_view name) {
  return runtime::new_resource(
      instance.empty() ? std::string(name) : fmt::format("{}#{}", instance, name),
      /*host_defined=*/true);
}

}  // namespace berth::component
