// The Component implementation: the input bytes, their IR, the validation result and the
// compiled core modules, all kept together because each refers into the one before.
#pragma once

#include <map>
#include <memory>
#include <vector>

#include "berth/component/component.h"
#include "component/ir/component.h"
#include "component/validate/validated.h"
#include "component/validate/validator.h"

namespace berth::component::runtime {

class LoadedComponent final : public Component {
 public:
  const ComponentType& type() const override { return *validated->type; }
  const std::string& name() const override { return name_; }

  std::string name_;
  std::vector<uint8_t> bytes;
  binary::Component ir;
  std::shared_ptr<const ValidatedComponent> validated;
  // Every core module defined anywhere in the component tree, compiled once.
  std::map<const binary::CoreModule*, std::shared_ptr<const engine::Module>> modules;
};

// load_component with validation options other than the defaults: for tools that turn gated
// features on or off (the conformance runner does, per script).
Result<std::shared_ptr<const Component>> load_component(engine::Engine& engine,
                                                        std::vector<uint8_t> bytes,
                                                        std::string name,
                                                        const ValidateOptions& options);

}  // namespace berth::component::runtime
