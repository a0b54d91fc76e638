#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "component/runtime/items.h"
#include "component/runtime/loaded_component.h"

namespace berth::component::runtime {

// Where a component's imports come from: the host (top level) or the instantiating parent.
struct ImportSource {
  ImportResolver* resolver = nullptr;
  const std::unordered_map<std::string, Item>* args = nullptr;
};

class Instantiator {
 public:
  Instantiator(engine::Store& store, const LoadedComponent& loaded, ResourceRegistry& registry,
               std::vector<std::unique_ptr<Frame>>& frames)
      : store_(store), loaded_(loaded), registry_(registry), frames_(frames) {}

  Result<void> run(Frame& frame, const binary::Component& ir, ImportSource& source);

 private:
  Result<void> core_instance(Frame& frame, const binary::CoreInstance& def);
  Result<void> instance(Frame& frame, const binary::Instance& def);
  Result<void> alias(Frame& frame, const binary::Alias& def);
  Result<void> canon(Frame& frame, const CanonDefinition& def);
  Result<abi::CanonOptions> canon_options(Frame& frame, const CanonOptions& options);
  Result<Item> import_item(Frame& frame, const binary::Import& imp, const NamedExtern* desc,
                           ImportSource& source);
  Result<ResourceTypeRef> import_resource(Frame& frame, std::string_view instance,
                                          std::string_view name, const ExternDesc& desc,
                                          ImportResolver& resolver);
  Result<std::shared_ptr<const Instance>> host_instance(Frame& frame, std::string_view name,
                                                        const InstanceType& type,
                                                        ImportResolver& resolver);
  Result<void> push_item(Frame& frame, const Item& item);
  void bind_instance_resources(Frame& frame, const InstanceType& type, const Instance& instance);
  Result<Item> item_at(Frame& frame, binary::SortIndex target);
  Result<engine::Extern> core_item(Frame& frame, binary::Sort sort, uint32_t index);
  void push_core(Frame& frame, engine::Extern ext);

  // Validation-time resources in a type, replaced by this instantiation's runtime ones.
  TypeRef subst(Frame& frame, const TypeRef& type);
  FuncTypeRef subst(Frame& frame, const FuncTypeRef& type);

  engine::HostFunc lowered_import(std::shared_ptr<InstanceRuntime> caller, FunctionRef callee,
                                  abi::CanonOptions options, abi::FuncLayoutRef layout);
  engine::HostFunc resource_builtin(binary::CanonKind kind, std::shared_ptr<InstanceRuntime> owner,
                                    ResourceTypeRef resource);

  engine::Store& store_;
  const LoadedComponent& loaded_;
  ResourceRegistry& registry_;
  std::vector<std::unique_ptr<Frame>>& frames_;
};

}  // namespace berth::component::runtime
