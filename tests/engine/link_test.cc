#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace berth::engine {
namespace {

using testing::EngineTest;
using testing::expect_ok;
using ::testing::HasSubstr;

HostFunc identity() {
  return [](Store&, std::span<const Value> p, std::span<Value> r) -> Result<void> {
    r[0] = p[0];
    return {};
  };
}

TEST_F(EngineTest, ImportsHostCreatedMemoryTableAndGlobals) {
  Memory memory = expect_ok(store_->create_memory({.limits = {.min = 1, .max = 2}}));
  Table table =
      expect_ok(store_->create_table({.element = ValType::kFuncRef, .limits = {.min = 4}}));
  Global base = expect_ok(store_->create_global({.type = ValType::kI32}, Value::from_i32(100)));
  Global acc = expect_ok(
      store_->create_global({.type = ValType::kI64, .is_mutable = true}, Value::from_i64(5)));
  Instance instance = instantiate(
      "imports_all", {Extern::of(memory), Extern::of(table), Extern::of(base), Extern::of(acc)});
  const uint8_t byte = 7;
  expect_ok(store_->memory_write(memory, 3, {&byte, 1}));
  EXPECT_EQ(expect_ok(call1(instance, "read", {Value::from_i32(3)})).i32, 107);
  expect_ok(call0(instance, "add_acc", {Value::from_i64(10)}));
  EXPECT_EQ(expect_ok(store_->global_get(acc)).i64, 15);
  EXPECT_EQ(expect_ok(call1(instance, "table_size")).i32, 4);
}

TEST_F(EngineTest, ExportsOfOneInstanceLinkIntoAnother) {
  Instance memory_owner = instantiate("memory");
  Extern memory = *store_->get_export(memory_owner, "memory");
  Table table =
      expect_ok(store_->create_table({.element = ValType::kFuncRef, .limits = {.min = 2}}));
  Global base = expect_ok(store_->create_global({.type = ValType::kI32}, Value::from_i32(0)));
  Global acc = expect_ok(
      store_->create_global({.type = ValType::kI64, .is_mutable = true}, Value::from_i64(0)));
  Instance reader =
      instantiate("imports_all", {memory, Extern::of(table), Extern::of(base), Extern::of(acc)});
  // "hello" was written by the first instance's data segment at offset 16.
  EXPECT_EQ(expect_ok(call1(reader, "read", {Value::from_i32(16)})).i32, 'h');
}

TEST_F(EngineTest, FunctionSignatureMismatchIsALinkError) {
  Func wrong = expect_ok(store_->create_host_func({{ValType::kI64}, {ValType::kI64}}, identity()));
  Global g = expect_ok(store_->create_global({.type = ValType::kI32}, Value::from_i32(0)));
  auto instance = store_->instantiate(*compile("needs_i32_func"),
                                      std::vector{Extern::of(wrong), Extern::of(g)});
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().code(), ErrorCode::kLink);
  EXPECT_THAT(
      instance.error().message(),
      HasSubstr("import 'host' 'f': expected func (i32) -> (i32), got func (i64) -> (i64)"));
}

TEST_F(EngineTest, GlobalTypeMismatchIsALinkError) {
  Func f = expect_ok(store_->create_host_func({{ValType::kI32}, {ValType::kI32}}, identity()));
  Global g = expect_ok(
      store_->create_global({.type = ValType::kI32, .is_mutable = true}, Value::from_i32(0)));
  auto instance =
      store_->instantiate(*compile("needs_i32_func"), std::vector{Extern::of(f), Extern::of(g)});
  ASSERT_FALSE(instance);
  EXPECT_THAT(instance.error().message(), HasSubstr("expected global i32, got global mut i32"));
}

TEST_F(EngineTest, WrongKindAndCountAreLinkErrors) {
  Func f = expect_ok(store_->create_host_func({{ValType::kI32}, {ValType::kI32}}, identity()));
  auto module = compile("needs_i32_func");
  auto too_few = store_->instantiate(*module, std::vector{Extern::of(f)});
  ASSERT_FALSE(too_few);
  EXPECT_THAT(too_few.error().message(), HasSubstr("has 2 imports, 1 were given"));
  auto wrong_kind = store_->instantiate(*module, std::vector{Extern::of(f), Extern::of(f)});
  ASSERT_FALSE(wrong_kind);
  EXPECT_THAT(wrong_kind.error().message(), HasSubstr("expected global i32, got func"));
}

TEST_F(EngineTest, MemoryTooSmallForTheImportIsALinkError) {
  Memory small = expect_ok(store_->create_memory({.limits = {.min = 1}}));
  Table table =
      expect_ok(store_->create_table({.element = ValType::kFuncRef, .limits = {.min = 1}}));
  Global base = expect_ok(store_->create_global({.type = ValType::kI32}, Value::from_i32(0)));
  Global acc = expect_ok(
      store_->create_global({.type = ValType::kI64, .is_mutable = true}, Value::from_i64(0)));
  auto instance = store_->instantiate(
      *compile("imports_all"),
      std::vector{Extern::of(small), Extern::of(table), Extern::of(base), Extern::of(acc)});
  ASSERT_FALSE(instance);
  EXPECT_THAT(instance.error().message(), HasSubstr("expected table 2.. funcref, got table 1.."));
}

TEST_F(EngineTest, HandlesFromNowhereAreRejected) {
  auto result = store_->call(Func{999}, {}, {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kUsage);
}

}  // namespace
}  // namespace berth::engine
