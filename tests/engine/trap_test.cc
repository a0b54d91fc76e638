#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "engine_test_util.h"

namespace berth::engine {
namespace {

using testing::EngineTest;
using testing::expect_ok;
using ::testing::HasSubstr;

class TrapTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    Func fail = expect_ok(store_->create_host_func(
        {}, [this](Store&, std::span<const Value>, std::span<Value>) -> Result<void> {
          if (throw_cpp_) throw std::runtime_error("bad host");
          return Error(ErrorCode::kTrap, "the host refused");
        }));
    traps_ = instantiate("traps", {Extern::of(fail)});
  }

  Error trap_of(const std::string& name) {
    auto ext = store_->get_export(traps_, name);
    EXPECT_TRUE(ext);
    const FuncType& type = store_->func_type(Func{ext->id});
    std::vector<Value> results(type.results.size());
    auto result = store_->call(Func{ext->id}, {}, results);
    EXPECT_FALSE(result) << name << " did not trap";
    return result ? Error(ErrorCode::kInternal, "no trap") : std::move(result).error();
  }

  Instance traps_{};
  bool throw_cpp_ = false;
};

TEST_F(TrapTest, Unreachable) {
  Error e = trap_of("unreachable");
  EXPECT_EQ(e.code(), ErrorCode::kTrap);
  EXPECT_THAT(e.message(), HasSubstr("unreachable"));
  ASSERT_FALSE(e.backtrace().empty());
  EXPECT_EQ(e.backtrace()[0].function, "unreachable");
  EXPECT_GT(e.backtrace()[0].offset, 0u);
}

TEST_F(TrapTest, OutOfBoundsMemoryAccess) {
  Error e = trap_of("out_of_bounds");
  EXPECT_EQ(e.code(), ErrorCode::kTrap);
  EXPECT_THAT(e.message(), HasSubstr("memory access out of bounds"));
}

TEST_F(TrapTest, DivideByZero) {
  Error e = trap_of("divide_by_zero");
  EXPECT_EQ(e.code(), ErrorCode::kTrap);
  EXPECT_THAT(e.message(), HasSubstr("divide by zero"));
}

TEST_F(TrapTest, IntegerOverflow) {
  Error e = trap_of("integer_overflow");
  EXPECT_EQ(e.code(), ErrorCode::kTrap);
  EXPECT_THAT(e.message(), HasSubstr("unrepresentable"));
}

TEST_F(TrapTest, StackOverflow) {
  Error e = trap_of("stack_overflow");
  EXPECT_EQ(e.code(), ErrorCode::kTrap);
  EXPECT_THAT(e.message(), HasSubstr("call stack exhausted"));
  ASSERT_FALSE(e.backtrace().empty());
  EXPECT_EQ(e.backtrace()[0].function, "recurse");
}

TEST_F(TrapTest, IndirectCallSignatureMismatch) {
  Error e = trap_of("indirect_mismatch");
  EXPECT_EQ(e.code(), ErrorCode::kTrap);
  EXPECT_THAT(e.message(), HasSubstr("signature mismatch"));
}

TEST_F(TrapTest, IndirectCallToNull) {
  Error e = trap_of("indirect_null");
  EXPECT_EQ(e.code(), ErrorCode::kTrap);
  EXPECT_THAT(e.message(), HasSubstr("null function"));
}

TEST_F(TrapTest, HostFunctionReportsATrap) {
  Error e = trap_of("host_trap");
  EXPECT_EQ(e.code(), ErrorCode::kTrap);
  EXPECT_EQ(e.message(), "the host refused");
  ASSERT_GE(e.backtrace().size(), 2u);
  EXPECT_EQ(e.backtrace()[0].function, "inner");
  EXPECT_EQ(e.backtrace()[1].function, "host_trap");
  EXPECT_THAT(e.describe(), HasSubstr("inner"));
}

TEST_F(TrapTest, HostFunctionThrowingCppIsContained) {
  throw_cpp_ = true;
  Error e = trap_of("host_trap");
  EXPECT_EQ(e.code(), ErrorCode::kInternal);
  EXPECT_THAT(e.message(), HasSubstr("bad host"));
}

TEST_F(TrapTest, StoreStaysUsableAfterTraps) {
  trap_of("unreachable");
  trap_of("stack_overflow");
  trap_of("host_trap");
  auto ok = call1(traps_, "ok");
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ(ok->i32, 7);
}

// A failing host function is a trap, which wasm's exception handlers must not catch: a guest that
// carried on could act after its host said no (after exit, say).
class UncatchableHostFailureTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    Func fail = expect_ok(store_->create_host_func(
        {}, [](Store&, std::span<const Value>, std::span<Value>) -> Result<void> {
          return Error(ErrorCode::kTrap, "the host refused");
        }));
    Func observe = expect_ok(store_->create_host_func(
        {}, [this](Store&, std::span<const Value>, std::span<Value>) -> Result<void> {
          ++observed_;
          return {};
        }));
    guest_ = instantiate("catch_host_failure", {Extern::of(fail), Extern::of(observe)});
    // Were the failure catchable, the spinning handler would run until this deadline.
    store_->set_deadline(std::chrono::steady_clock::now() + std::chrono::seconds(5));
  }

  Instance guest_{};
  int observed_ = 0;
};

TEST_F(UncatchableHostFailureTest, HandlerCannotCallTheHostAgain) {
  auto result = call0(guest_, "catch_then_call_host");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kTrap);
  EXPECT_EQ(result.error().message(), "the host refused");
  EXPECT_EQ(observed_, 0);
}

TEST_F(UncatchableHostFailureTest, HandlerDoesNotRunOn) {
  auto result = call0(guest_, "catch_then_spin");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kTrap);
  EXPECT_EQ(result.error().message(), "the host refused");
  // Had the handler spun until the deadline, the store would refuse to run the guest now.
  auto again = call0(guest_, "catch_then_call_host");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message(), "the host refused");
}

TEST_F(EngineTest, TrapInStartFunctionFailsInstantiation) {
  auto module = compile("start_trap");
  auto instance = store_->instantiate(*module, {});
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().code(), ErrorCode::kTrap);
  EXPECT_THAT(instance.error().message(), HasSubstr("unreachable"));
}

TEST_F(EngineTest, TrapInNestedGuestCallReachesTheOuterCaller) {
  Instance instance{};
  Func callback = expect_ok(store_->create_host_func(
      {{ValType::kI32}, {ValType::kI32}},
      [&](Store& store, std::span<const Value>, std::span<Value>) -> Result<void> {
        auto trap = store.get_export(instance, "trap");
        return store.call(Func{trap->id}, {}, {});
      }));
  instance = instantiate("reenter", {Extern::of(callback)});
  auto result = call1(instance, "outer", {Value::from_i32(1)});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kTrap);
  EXPECT_THAT(result.error().message(), HasSubstr("unreachable"));
}

}  // namespace
}  // namespace berth::engine
