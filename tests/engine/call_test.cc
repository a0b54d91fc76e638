#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine_test_util.h"

namespace berth::engine {
namespace {

using testing::EngineTest;
using testing::expect_ok;

class HostCallTest : public EngineTest {
 protected:
  Instance instantiate_host_calls() {
    Func mix = expect_ok(store_->create_host_func(
        {{ValType::kI32, ValType::kI64, ValType::kF32, ValType::kF64}, {ValType::kF64}},
        [this](Store&, std::span<const Value> p, std::span<Value> r) -> Result<void> {
          seen_ = {p.begin(), p.end()};
          r[0] = Value::from_f64(p[0].i32 + static_cast<double>(p[1].i64) + p[2].f32 + p[3].f64);
          return {};
        }));
    Func wide = expect_ok(store_->create_host_func(
        {{ValType::kI64}, {ValType::kI64}},
        [](Store&, std::span<const Value> p, std::span<Value> r) -> Result<void> {
          r[0] = Value::from_i64(p[0].i64 ^ 0x7fffffffffffffff);
          return {};
        }));
    Func pair = expect_ok(store_->create_host_func(
        {{ValType::kI32}, {ValType::kI32, ValType::kI64}},
        [](Store&, std::span<const Value> p, std::span<Value> r) -> Result<void> {
          r[0] = Value::from_i32(p[0].i32 * 2);
          r[1] = Value::from_i64(int64_t{1} << 40);
          return {};
        }));
    Func count = expect_ok(store_->create_host_func(
        {}, [this](Store&, std::span<const Value>, std::span<Value>) -> Result<void> {
          ++count_;
          return {};
        }));
    return instantiate("host_calls",
                       {Extern::of(mix), Extern::of(wide), Extern::of(pair), Extern::of(count)});
  }

  std::vector<Value> seen_;
  int count_ = 0;
};

TEST_F(HostCallTest, PassesEveryScalarTypeBothWays) {
  Instance instance = instantiate_host_calls();
  auto result = call1(instance, "call_mix",
                      {Value::from_i32(-5), Value::from_i64(int64_t{1} << 53),
                       Value::from_f32(0.5f), Value::from_f64(0.25)});
  ASSERT_TRUE(result) << result.error().describe();
  ASSERT_EQ(seen_.size(), 4u);
  EXPECT_EQ(seen_[0].i32, -5);
  EXPECT_EQ(seen_[1].i64, int64_t{1} << 53);
  EXPECT_EQ(seen_[2].f32, 0.5f);
  EXPECT_EQ(seen_[3].f64, 0.25);
  EXPECT_DOUBLE_EQ(result->f64, -5 + 9007199254740992.0 + 0.75);
}

TEST_F(HostCallTest, I64KeepsAllBitsThroughBigInt) {
  Instance instance = instantiate_host_calls();
  for (int64_t v : {std::numeric_limits<int64_t>::min(), int64_t{-1}, int64_t{0},
                    std::numeric_limits<int64_t>::max(), int64_t{0x123456789abcdef}}) {
    auto result = call1(instance, "call_wide", {Value::from_i64(v)});
    ASSERT_TRUE(result) << result.error().describe();
    EXPECT_EQ(result->i64, v ^ 0x7fffffffffffffff);
  }
}

TEST_F(HostCallTest, MultiValueResultsFromHostAndFromWasm) {
  Instance instance = instantiate_host_calls();
  auto result = call1(instance, "call_pair", {Value::from_i32(21)});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->i64, 42 + (int64_t{1} << 40));

  Value out[2];
  expect_ok(store_->call(export_func(instance, "swap"),
                         std::vector{Value::from_i32(3), Value::from_f64(-2.5)}, out));
  EXPECT_EQ(out[0].type, ValType::kF64);
  EXPECT_EQ(out[0].f64, -2.5);
  EXPECT_EQ(out[1].i32, 3);
}

TEST_F(HostCallTest, FloatSpecialValuesPass) {
  Instance instance = instantiate_host_calls();
  auto result =
      call1(instance, "call_mix",
            {Value::from_i32(0), Value::from_i64(0),
             Value::from_f32(std::numeric_limits<float>::infinity()), Value::from_f64(-1)});
  ASSERT_TRUE(result);
  EXPECT_TRUE(std::isinf(result->f64));
  auto nan = call1(instance, "call_mix",
                   {Value::from_i32(0), Value::from_i64(0), Value::from_f32(0),
                    Value::from_f64(std::numeric_limits<double>::quiet_NaN())});
  ASSERT_TRUE(nan);
  EXPECT_TRUE(std::isnan(nan->f64));
}

TEST_F(HostCallTest, ManyCallsFromALoop) {
  Instance instance = instantiate_host_calls();
  expect_ok(call0(instance, "call_count_n", {Value::from_i32(1000)}));
  EXPECT_EQ(count_, 1000);
}

TEST_F(EngineTest, HostCanCallBackIntoTheGuest) {
  Instance instance{};
  Func callback = expect_ok(store_->create_host_func(
      {{ValType::kI32}, {ValType::kI32}},
      [&](Store& store, std::span<const Value> p, std::span<Value> r) -> Result<void> {
        auto dbl = store.get_export(instance, "double");
        return store.call(Func{dbl->id}, p, r);
      }));
  instance = instantiate("reenter", {Extern::of(callback)});
  auto result = call1(instance, "outer", {Value::from_i32(20)});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(result->i32, 41);
}

TEST_F(EngineTest, HostFunctionResultsMustKeepTheirTypes) {
  Func bad = expect_ok(store_->create_host_func(
      {{ValType::kI32}, {ValType::kI32}},
      [](Store&, std::span<const Value>, std::span<Value> r) -> Result<void> {
        r[0] = Value::from_f64(1.0);
        return {};
      }));
  Instance instance = instantiate("reenter", {Extern::of(bad)});
  auto result = call1(instance, "outer", {Value::from_i32(1)});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kInternal);
  EXPECT_NE(result.error().message().find("returned a f64"), std::string::npos);
}

TEST_F(EngineTest, V128CannotCrossToTheHost) {
  auto func = store_->create_host_func({{ValType::kV128}, {}}, nullptr);
  ASSERT_FALSE(func);
  EXPECT_EQ(func.error().code(), ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace berth::engine
