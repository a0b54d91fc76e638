#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace berth::engine {
namespace {

using testing::EngineTest;
using testing::expect_ok;
using testing::read_guest;

TEST_F(EngineTest, CompilesAndCallsACModule) {
  Instance fib = instantiate("fib");
  auto result = call1(fib, "fib", {Value::from_i32(20)});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->i32, 6765);
}

TEST_F(EngineTest, InvalidModuleReportsOffsetAndReason) {
  auto module = engine_->compile(read_guest("invalid"));
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().code(), ErrorCode::kInvalid);
  EXPECT_NE(module.error().message().find("at byte offset"), std::string::npos)
      << module.error().message();
  EXPECT_NE(module.error().message().find("type"), std::string::npos) << module.error().message();
}

TEST_F(EngineTest, GarbageIsRejected) {
  std::vector<uint8_t> garbage = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  auto module = engine_->compile(garbage);
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().code(), ErrorCode::kInvalid);
}

TEST_F(EngineTest, CompiledModuleIsSharedBetweenStores) {
  auto module = compile("fib");
  auto other = expect_ok(engine_->create_store());
  for (Store* store : {store_.get(), other.get()}) {
    Instance instance = expect_ok(store->instantiate(*module, {}));
    Value result;
    auto fib = store->get_export(instance, "fib");
    ASSERT_TRUE(fib);
    ASSERT_TRUE(store->call(Func{fib->id}, std::vector{Value::from_i32(10)}, {&result, 1}));
    EXPECT_EQ(result.i32, 55);
  }
}

TEST_F(EngineTest, CallChecksArgumentsAgainstTheSignature) {
  Instance fib = instantiate("fib");
  Value result;
  auto wrong_count = store_->call(export_func(fib, "fib"), {}, {&result, 1});
  ASSERT_FALSE(wrong_count);
  EXPECT_EQ(wrong_count.error().code(), ErrorCode::kUsage);
  auto wrong_type =
      store_->call(export_func(fib, "fib"), std::vector{Value::from_f64(1)}, {&result, 1});
  ASSERT_FALSE(wrong_type);
  EXPECT_NE(wrong_type.error().message().find("must be i32, got f64"), std::string::npos);
}

}  // namespace
}  // namespace berth::engine
