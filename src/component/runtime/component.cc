// Loading components and the ComponentInstance that callers use.
#include <fmt/format.h>

#include "component/binary/decoder.h"
#include "component/runtime/instance_exports.h"
#include "component/runtime/instantiate.h"
#include "component/validate/validator.h"

namespace berth::component {
namespace runtime {
namespace {

Result<void> compile_modules(engine::Engine& engine, LoadedComponent& loaded,
                             const binary::Component& component) {
  for (const binary::Definition& definition : component.definitions) {
    if (const auto* module = std::get_if<binary::CoreModule>(&definition)) {
      auto bytes = binary::bytes_of(loaded.bytes, module->bytes);
      auto compiled = engine.compile(
          bytes,
          {.name = fmt::format("{} (core module at offset 0x{:x})", loaded.name_, module->offset)});
      if (!compiled) {
        return std::move(
            compiled.error().prepend(fmt::format("core module at offset 0x{:x}", module->offset)));
      }
      loaded.modules.emplace(module, std::move(*compiled));
    } else if (const auto* nested = std::get_if<binary::Box<binary::Component>>(&definition)) {
      BERTH_TRY(compile_modules(engine, loaded, **nested));
    }
  }
  return {};
}

class InstanceImpl final : public ComponentInstance {
 public:
  InstanceImpl(engine::Store& store, std::shared_ptr<const LoadedComponent> component)
      : store_(store), component_(std::move(component)) {}

  Result<void> init(ImportResolver& resolver) {
    auto root = std::make_unique<Frame>();
    root->validated = component_->validated.get();
    root->runtime = std::make_shared<InstanceRuntime>();
    Frame& frame = *root;
    frames_.push_back(std::move(root));
    Instantiator instantiator(store_, *component_, registry_, frames_);
    ImportSource source{&resolver, nullptr};
    BERTH_TRY(instantiator.run(frame, component_->ir, source));
    for (const auto& [name, item] : frame.exports) collect(name, item);
    return {};
  }

  const std::vector<ExportedFunc>& functions() const override { return functions_; }

  ResourceTypeRef resource(std::string_view name) const {
    auto it = resources_.find(std::string(name));
    return it == resources_.end() ? nullptr : it->second;
  }

  Result<const ExportedFunc*> find_function(std::string_view name) const override {
    const ExportedFunc* match = nullptr;
    std::vector<std::string> candidates;
    for (const ExportedFunc& f : functions_) {
      if (f.name == name) return &f;
      size_t hash = f.name.rfind('#');
      if (hash != std::string::npos && f.name.substr(hash + 1) == name) {
        match = &f;
        candidates.push_back(f.name);
      }
    }
    if (candidates.size() == 1) return match;
    if (candidates.size() > 1) {
      std::string list;
      for (const auto& c : candidates) list += "\n  " + c;
      return Error(
          ErrorCode::kNotFound,
          fmt::format("'{}' is ambiguous; it names several exported functions:{}", name, list));
    }
    std::string list;
    for (const auto& f : functions_) list += "\n  " + f.name;
    return Error(ErrorCode::kNotFound,
                 fmt::format("{} exports no function '{}'; it exports:{}", component_->name(), name,
                             list.empty() ? " no functions" : list));
  }

  Result<std::optional<Val>> call(const ExportedFunc& func, std::span<const Val> args) override {
    auto it = funcs_.find(func.name);
    if (it == funcs_.end()) {
      return Error(ErrorCode::kUsage,
                   fmt::format("'{}' is not a function of this instance", func.name));
    }
    const Function& f = *it->second;
    if (args.size() != f.type->params.size()) {
      return Error(ErrorCode::kUsage,
                   fmt::format("{} takes {} arguments ({}), {} given", func.name,
                               f.type->params.size(), f.type->to_string(), args.size()));
    }
    return call_function(store_, f, args);
  }

 private:
  void collect(const std::string& name, const Item& item) {
    if (item.kind == ExternKind::kFunc && item.func) {
      functions_.push_back({name, item.func->type});
      funcs_.emplace(name, item.func);
    } else if (item.kind == ExternKind::kType && item.resource) {
      resources_.emplace(name, item.resource);
    } else if (item.kind == ExternKind::kInstance && item.instance) {
      for (const auto& [export_name, export_item] : item.instance->exports) {
        std::string full = fmt::format("{}#{}", name, export_name);
        if (export_item.kind == ExternKind::kFunc && export_item.func) {
          functions_.push_back({full, export_item.func->type});
          funcs_.emplace(full, export_item.func);
        } else if (export_item.kind == ExternKind::kType && export_item.resource) {
          resources_.emplace(full, export_item.resource);
        }
      }
    }
  }

  engine::Store& store_;
  std::shared_ptr<const LoadedComponent> component_;
  ResourceRegistry registry_;
  std::vector<std::unique_ptr<Frame>> frames_;
  std::vector<ExportedFunc> functions_;
  std::unordered_map<std::string, FunctionRef> funcs_;
  std::unordered_map<std::string, ResourceTypeRef> resources_;
};

}  // namespace

ResourceTypeRef exported_resource(const ComponentInstance& instance, std::string_view name) {
  const auto* impl = dynamic_cast<const InstanceImpl*>(&instance);
  return impl ? impl->resource(name) : nullptr;
}
Result<std::shared_ptr<const Component>> load_component(engine::Engine& engine,
                                                        std::vector<uint8_t> bytes,
                                                        std::string name,
                                                        const ValidateOptions& options) {
  auto loaded = std::make_shared<runtime::LoadedComponent>();
  loaded->name_ = std::move(name);
  loaded->bytes = std::move(bytes);
  auto decoded = binary::decode_component(loaded->bytes);
  if (!decoded) return std::move(decoded.error().prepend(loaded->name_));
  loaded->ir = std::move(*decoded);
  auto validated = validate_component(loaded->ir, loaded->bytes, options);
  if (!validated) return std::move(validated.error().prepend(loaded->name_));
  loaded->validated = std::move(*validated);
  if (auto compiled = runtime::compile_modules(engine, *loaded, loaded->ir); !compiled) {
    return std::move(compiled.error().prepend(loaded->name_));
  }
  return std::shared_ptr<const Component>(std::move(loaded));
}

}  // namespace runtime

Result<std::shared_ptr<const Component>> load_component(engine::Engine& engine,
                                                        std::vector<uint8_t> bytes,
                                                        std::string name) {
  return runtime::load_component(engine, std::move(bytes), std::move(name), ValidateOptions{});
}

Result<std::unique_ptr<ComponentInstance>> instantiate(engine::Store& store,
                                                       std::shared_ptr<const Component> component,
                                                       ImportResolver& imports) {
  auto loaded = std::dynamic_pointer_cast<const runtime::LoadedComponent>(component);
  if (!loaded) return Error(ErrorCode::kUsage, "the component was not made by load_component");
  auto instance = std::make_unique<runtime::InstanceImpl>(store, std::move(loaded));
  BERTH_TRY(instance->init(imports));
  return std::unique_ptr<ComponentInstance>(std::move(instance));
}

}  // namespace berth::component
