// The imports wasmtime's wast harness gives component scripts: a root function
// `host-return-two`, an instance `host` (functions and the host resources `resource1` and
// `resource2`), and every instance a script names with `(component instance $NAME $DEF)`.
// One WastHost serves one script: resource types, their drop counters and named instances live
// as long as the script.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "berth/component/component.h"

namespace berth::conformance {

class WastHost final : public component::ImportResolver {
 public:
  WastHost();

  // Makes `instance` importable as `name` by later components of the script. The caller keeps
  // it alive as long as this host.
  void register_instance(std::string name, component::ComponentInstance& instance);

  // What a linker checks before instantiating: every import the harness defines is of the
  // kind the harness defines it as (a function imported as an instance cannot be linked).
  Result<void> check_imports(const component::ComponentType& type) const;

  Result<component::HostFunction> resolve_func(std::string_view instance, std::string_view name,
                                               const component::FuncType& type) override;
  Result<component::ResourceTypeRef> resolve_resource(std::string_view instance,
                                                      std::string_view name) override;

 private:
  struct DropState {
    uint32_t drops = 0;
    uint32_t last_drop = 0;
  };
  struct Definition {
    component::FuncType type;
    component::HostFunction func;
  };

  Result<component::HostFunction> checked(std::string_view where, const Definition& def,
                                          const component::FuncType& type) const;

  std::shared_ptr<DropState> state_;
  component::ResourceTypeRef resource1_, resource2_;
  std::map<std::string, Definition, std::less<>> root_funcs_, host_funcs_;
  std::map<std::string, component::ComponentInstance*, std::less<>> named_;
};

}  // namespace berth::conformance
