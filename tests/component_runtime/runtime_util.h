// Shared set-up for the component runtime tests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>

#include "berth/component/component.h"

namespace berth::component::testing {

inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::vector<uint8_t> guest(const std::string& name) {
  return read_bytes(std::string(BERTH_GUEST_DIR) + "/" + name + ".wasm");
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

template <typename T>
T expect_ok(Result<T> r) {
  if (!r) {
    ADD_FAILURE() << r.error().describe();
    std::abort();
  }
  return std::move(r).value();
}

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
