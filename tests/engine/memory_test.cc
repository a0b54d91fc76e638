#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "engine_test_util.h"

namespace berth::engine {
namespace {

using testing::EngineTest;
using testing::expect_ok;

class MemoryTest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    instance_ = instantiate("memory");
    memory_ = Memory{store_->get_export(instance_, "memory")->id};
  }
  Instance instance_{};
  Memory memory_{};
};

TEST_F(MemoryTest, HostReadsDataSegments) {
  char text[5];
  expect_ok(store_->memory_read(memory_, 16, {reinterpret_cast<uint8_t*>(text), 5}));
  EXPECT_EQ(std::string(text, 5), "hello");
}

TEST_F(MemoryTest, GuestSeesHostWrites) {
  const uint8_t byte = 0xab;
  expect_ok(store_->memory_write(memory_, 100, {&byte, 1}));
  auto loaded = call1(instance_, "load", {Value::from_i32(100)});
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->i32, 0xab);
}

TEST_F(MemoryTest, HostSeesGrowthByTheGuest) {
  EXPECT_EQ(store_->memory_view(memory_).size, kWasmPageSize);
  auto previous = call1(instance_, "grow", {Value::from_i32(2)});
  ASSERT_TRUE(previous);
  EXPECT_EQ(previous->i32, 1);
  MemoryView view = store_->memory_view(memory_);
  EXPECT_EQ(view.size, 3 * kWasmPageSize);
  // The new pages are usable from both sides.
  expect_ok(
      call0(instance_, "store", {Value::from_i32(2 * kWasmPageSize + 5), Value::from_i32(9)}));
  EXPECT_EQ(store_->memory_view(memory_).data[2 * kWasmPageSize + 5], 9);
}

TEST_F(MemoryTest, HostGrowsMemory) {
  EXPECT_EQ(expect_ok(store_->memory_grow(memory_, 1)), 1u);
  auto size = call1(instance_, "size");
  ASSERT_TRUE(size);
  EXPECT_EQ(size->i32, 2);
  auto too_far = store_->memory_grow(memory_, 100);
  ASSERT_FALSE(too_far);
  EXPECT_EQ(too_far.error().code(), ErrorCode::kLimit);
}

TEST_F(MemoryTest, OutOfBoundsHostAccessIsAnError) {
  uint8_t buffer[8];
  auto read = store_->memory_read(memory_, kWasmPageSize - 4, buffer);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), ErrorCode::kTrap);
  auto huge = store_->memory_write(memory_, UINT64_MAX - 2, std::span<const uint8_t>(buffer, 8));
  ASSERT_FALSE(huge);
}

TEST_F(EngineTest, GlobalsAndTablesAreVisible) {
  Instance instance = instantiate("globals_tables");
  Global counter{store_->get_export(instance, "counter")->id};
  EXPECT_EQ(expect_ok(store_->global_get(counter)).i32, 41);
  expect_ok(call0(instance, "bump"));
  EXPECT_EQ(expect_ok(store_->global_get(counter)).i32, 42);
  expect_ok(store_->global_set(counter, Value::from_i32(-1)));
  expect_ok(call0(instance, "bump"));
  EXPECT_EQ(expect_ok(store_->global_get(counter)).i32, 0);

  Global big{store_->get_export(instance, "big")->id};
  EXPECT_EQ(expect_ok(store_->global_get(big)).i64, -9000000000);
  EXPECT_FALSE(store_->global_set(big, Value::from_i64(1)));  // immutable
  Global pi{store_->get_export(instance, "pi")->id};
  EXPECT_EQ(expect_ok(store_->global_get(pi)).f64, 3.5);

  Table table{store_->get_export(instance, "table")->id};
  EXPECT_EQ(expect_ok(store_->table_size(table)), 3u);
  EXPECT_EQ(expect_ok(store_->table_get(table, 0)).ref, 0u);
  EXPECT_NE(expect_ok(store_->table_get(table, 1)).ref, 0u);
  EXPECT_FALSE(store_->table_get(table, 3));
}

}  // namespace
}  // namespace berth::engine
