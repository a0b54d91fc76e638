// Shared set-up for the engine tests: loading built guests and making stores.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "berth/engine/engine.h"
#include "common/test_support.h"

namespace berth::engine::testing {

using berth::testing::expect_ok;
using berth::testing::read_guest;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = expect_ok(create_engine(config_));
    store_ = expect_ok(engine_->create_store());
  }

  std::shared_ptr<const Module> compile(const std::string& guest) {
    return expect_ok(engine_->compile(read_guest(guest), {.name = guest}));
  }

  Instance instantiate(const std::string& guest, std::vector<Extern> imports = {}) {
    return expect_ok(store_->instantiate(*compile(guest), imports));
  }

  Func export_func(Instance instance, const std::string& name) {
    auto ext = store_->get_export(instance, name);
    EXPECT_TRUE(ext && ext->kind == ExternKind::kFunc) << name;
    return Func{ext ? ext->id : 0};
  }

  Result<Value> call1(Instance instance, const std::string& name, std::vector<Value> args = {}) {
    Value result;
    BERTH_TRY(store_->call(export_func(instance, name), args, std::span<Value>(&result, 1)));
    return result;
  }

  Result<void> call0(Instance instance, const std::string& name, std::vector<Value> args = {}) {
    return store_->call(export_func(instance, name), args, {});
  }

  EngineConfig config_;
  std::shared_ptr<Engine> engine_;
  std::unique_ptr<Store> store_;
};

}  // namespace berth::engine::testing
