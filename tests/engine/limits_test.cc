#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "engine_test_util.h"

namespace berth::engine {
namespace {

using testing::EngineTest;
using testing::expect_ok;
using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;

class DeadlineTest : public EngineTest {
 protected:
  Instance instantiate_loop() {
    Func tick = expect_ok(store_->create_host_func(
        {}, [this](Store&, std::span<const Value>, std::span<Value>) -> Result<void> {
          ++ticks_;
          return {};
        }));
    return instantiate("loop", {Extern::of(tick)});
  }
  int ticks_ = 0;
};

TEST_F(DeadlineTest, StopsAnInfiniteLoop) {
  Instance loop = instantiate_loop();
  store_->set_deadline(Clock::now() + std::chrono::milliseconds(200));
  auto result = call0(loop, "spin");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kDeadline);
  EXPECT_THAT(result.error().message(), HasSubstr("deadline"));
}

TEST_F(DeadlineTest, StopsALoopThatCallsTheHost) {
  Instance loop = instantiate_loop();
  store_->set_deadline(Clock::now() + std::chrono::milliseconds(200));
  auto result = call0(loop, "spin_calling_host");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kDeadline);
  EXPECT_GT(ticks_, 0);
}

TEST_F(DeadlineTest, NoGuestRunsAfterTheDeadline) {
  Instance loop = instantiate_loop();
  store_->set_deadline(Clock::now() - std::chrono::milliseconds(1));
  auto result = call0(loop, "spin");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kDeadline);
}

TEST_F(DeadlineTest, CallsWithinTheDeadlineSucceed) {
  Instance fib = instantiate("fib");
  store_->set_deadline(Clock::now() + std::chrono::seconds(60));
  for (int i = 0; i < 100; ++i) {
    auto result = call1(fib, "fib", {Value::from_i32(10)});
    ASSERT_TRUE(result) << result.error().describe();
    EXPECT_EQ(result->i32, 55);
  }
  store_->set_deadline(std::nullopt);
  EXPECT_TRUE(call1(fib, "fib", {Value::from_i32(5)}));
}

class MemoryLimitTest : public EngineTest {
 protected:
  void SetUp() override {
    config_.max_memory_bytes = 4 * kWasmPageSize;
    EngineTest::SetUp();
  }
};

TEST_F(MemoryLimitTest, GrowthStopsAtTheLimit) {
  Instance memory = instantiate("memory");  // declares a maximum of 8 pages
  auto pages = call1(memory, "grow_until_refused");
  ASSERT_TRUE(pages) << pages.error().describe();
  EXPECT_EQ(pages->i32, 4);
  auto view = store_->memory_view(Memory{store_->get_export(memory, "memory")->id});
  EXPECT_EQ(view.size, 4 * kWasmPageSize);
}

TEST_F(MemoryLimitTest, MemoryWithoutMaximumIsCapped) {
  Instance memory = instantiate("unbounded_memory");
  auto refused = call1(memory, "grow", {Value::from_i32(4)});
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->i32, -1);
  auto allowed = call1(memory, "grow", {Value::from_i32(3)});
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->i32, 1);
}

TEST_F(MemoryLimitTest, InitialMemoryOverTheLimitIsAnError) {
  auto module = engine_->compile(testing::read_guest("big_memory"));
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().code(), ErrorCode::kLimit);
  EXPECT_THAT(module.error().message(), HasSubstr("memory limit of 262144 bytes"));
}

TEST_F(MemoryLimitTest, TrapAfterRefusedGrowthNamesTheLimit) {
  Instance memory = instantiate("memory");
  auto result = call0(memory, "abort_when_full");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kTrap);
  EXPECT_THAT(result.error().message(), HasSubstr("unreachable"));
  // 1 page in use, so the limit was not reached: the trap says nothing about it.
  EXPECT_THAT(result.error().message(), ::testing::Not(HasSubstr("memory limit")));
  ASSERT_TRUE(call1(memory, "grow", {Value::from_i32(3)}));
  auto full = call0(memory, "abort_when_full");
  ASSERT_FALSE(full);
  EXPECT_THAT(full.error().message(), HasSubstr("memory limit of 262144 bytes"));
}

TEST_F(MemoryLimitTest, HostCreatedMemoriesAreCapped) {
  auto too_big = store_->create_memory({.limits = {.min = 5}});
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().code(), ErrorCode::kLimit);
  Memory memory = expect_ok(store_->create_memory({.limits = {.min = 1}}));
  EXPECT_FALSE(store_->memory_grow(memory, 4));
  EXPECT_TRUE(store_->memory_grow(memory, 3));
}

TEST(EngineConfig, LimitBelowOnePageIsRejected) {
  auto engine = create_engine({.max_memory_bytes = 100});
  ASSERT_FALSE(engine);
  EXPECT_EQ(engine.error().code(), ErrorCode::kUsage);
}

}  // namespace
}  // namespace berth::engine
