// Shared set-up for the component runtime tests.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "berth/component/component.h"
#include "common/test_support.h"

namespace berth::component::testing {

using berth::testing::expect_ok;
using berth::testing::read_bytes;
inline std::vector<uint8_t> guest(const std::string& name) {
  return berth::testing::read_guest(name);
}

// Host functions by "instance#name" (or "name" for a function imported on its own).
class MapResolver final : public ImportResolver {
 public:
  std::map<std::string, HostFunction> funcs;

  Result<HostFunction> resolve_func(std::string_view instance, std::string_view name,
                                    const FuncType& type) override {
    std::string key =
        instance.empty() ? std::string(name) : std::string(instance) + "#" + std::string(name);
    auto it = funcs.find(key);
    if (it == funcs.end()) {
      return Error(ErrorCode::kLink, "no host function " + key + ": " + type.to_string());
    }
    return it->second;
  }
};

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = expect_ok(engine::create_engine());
    store_ = expect_ok(engine_->create_store());
  }

  std::unique_ptr<ComponentInstance> instantiate_bytes(std::vector<uint8_t> bytes,
                                                       const std::string& name) {
    auto component = expect_ok(load_component(*engine_, std::move(bytes), name));
    return expect_ok(instantiate(*store_, component, resolver_));
  }

  Result<std::optional<Val>> call(ComponentInstance& instance, std::string_view name,
                                  std::vector<Val> args) {
    BERTH_TRY_ASSIGN(const ComponentInstance::ExportedFunc* f, instance.find_function(name));
    return instance.call(*f, args);
  }

  std::shared_ptr<engine::Engine> engine_;
  std::unique_ptr<engine::Store> store_;
  MapResolver resolver_;
};

}  // namespace berth::component::testing
