// Shared set-up for the Canonical ABI tests: a real V8 store with the abi_memory guest (memory and
// a logging bump-allocator realloc), contexts for each string encoding, and round-trip helpers.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "berth/component/types.h"
#include "berth/component/val.h"
#include "berth/engine/engine.h"
#include "common/test_support.h"
#include "component/abi/canonical_abi.h"

namespace berth::component::abi::testing {

using berth::testing::expect_ok;
using berth::testing::read_guest;

// Checks that `expr` failed with `code` and a message containing `text`.
#define EXPECT_ABI_ERROR(expr, error_code, text)                                          \
  do {                                                                                    \
    auto abi_result_ = (expr);                                                            \
    ASSERT_FALSE(abi_result_.ok()) << "expected an error containing: " << (text);         \
    EXPECT_EQ(abi_result_.error().code(), (error_code)) << abi_result_.error().message(); \
    EXPECT_THAT(abi_result_.error().message(), ::testing::HasSubstr(text));               \
  } while (0)

inline TypeRef prim(ValKind kind) {
  return Type::primitive(kind);
}

struct ReallocCall {
  uint32_t old_ptr, old_size, alignment, new_size;
  bool operator==(const ReallocCall&) const = default;
};

inline std::ostream& operator<<(std::ostream& out, const ReallocCall& c) {
  return out << "realloc(" << c.old_ptr << ", " << c.old_size << ", " << c.alignment << ", "
             << c.new_size << ")";
}

class AbiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = expect_ok(engine::create_engine());
    store_ = expect_ok(engine_->create_store());
    auto module = expect_ok(engine_->compile(read_guest("abi_memory"), {.name = "abi_memory"}));
    instance_ = expect_ok(store_->instantiate(*module, {}));
    auto memory = store_->get_export(instance_, "memory");
    ASSERT_TRUE(memory);
    memory_ = engine::Memory{memory->id};
    for (auto encoding :
         {StringEncoding::kUtf8, StringEncoding::kUtf16, StringEncoding::kLatin1Utf16}) {
      CanonOptions& o = options_[static_cast<size_t>(encoding)];
      o.string_encoding = encoding;
      o.memory = memory_;
      o.realloc = func("cabi_realloc");
    }
  }

  engine::Func func(const std::string& name) {
    auto ext = store_->get_export(instance_, name);
    EXPECT_TRUE(ext && ext->kind == engine::ExternKind::kFunc) << name;
    return engine::Func{ext ? ext->id : 0};
  }

  int32_t call_i32(const std::string& name, std::vector<engine::Value> args = {}) {
    engine::Value result;
    expect_ok(store_->call(func(name), args, std::span<engine::Value>(&result, 1)));
    return result.i32;
  }
  void call_void(const std::string& name, std::vector<engine::Value> args = {}) {
    expect_ok(store_->call(func(name), args, {}));
  }

  CanonOptions& options(StringEncoding encoding = StringEncoding::kUtf8) {
    return options_[static_cast<size_t>(encoding)];
  }
  LiftLowerContext cx(StringEncoding encoding = StringEncoding::kUtf8) {
    return LiftLowerContext(*store_, options(encoding), &instance_state_);
  }

  // Resets the allocator and its log.
  void reset_guest() { call_void("reset"); }
  void set_realloc_mode(int mode) { call_void("set_mode", {engine::Value::from_i32(mode)}); }
  std::vector<ReallocCall> realloc_log() {
    int32_t count = call_i32("log_count");
    std::vector<ReallocCall> log(static_cast<size_t>(count));
    for (int32_t i = 0; i < count; ++i) {
      std::memcpy(&log[i], memory() + 256 + 16 * i, 16);
    }
    return log;
  }

  uint8_t* memory() { return store_->memory_view(memory_).data; }
  size_t memory_size() { return store_->memory_view(memory_).size; }
  void poke(uint32_t ptr, const void* bytes, size_t size) {
    std::memcpy(memory() + ptr, bytes, size);
  }
  void poke_u32(uint32_t ptr, uint32_t v) { poke(ptr, &v, 4); }
  uint32_t peek_u32(uint32_t ptr) {
    uint32_t v;
    std::memcpy(&v, memory() + ptr, 4);
    return v;
  }
  std::vector<uint8_t> peek(uint32_t ptr, size_t size) {
    return std::vector<uint8_t>(memory() + ptr, memory() + ptr + size);
  }

  // Stores `value` into freshly allocated memory and loads it back.
  Val memory_round_trip(const TypeRef& type, const Val& value,
                        StringEncoding encoding = StringEncoding::kUtf8) {
    LiftLowerContext c = cx(encoding);
    LayoutRef layout = expect_ok(layout_of(type));
    expect_ok(c.refresh_memory());
    uint32_t ptr = expect_ok(c.allocate(layout->alignment, layout->size));
    expect_ok(store(c, type, value, ptr));
    return expect_ok(load(c, type, ptr));
  }

  // Lowers `value` to core values and lifts it back, checking every core value was consumed.
  Val flat_round_trip(const TypeRef& type, const Val& value,
                      StringEncoding encoding = StringEncoding::kUtf8) {
    LiftLowerContext c = cx(encoding);
    std::vector<engine::Value> flat;
    expect_ok(lower_flat(c, type, value, flat));
    LayoutRef layout = expect_ok(layout_of(type));
    EXPECT_EQ(flat.size(), layout->flat.size());
    for (size_t i = 0; i < flat.size() && i < layout->flat.size(); ++i) {
      EXPECT_EQ(flat[i].type, layout->flat[i]) << "core value " << i;
    }
    FlatReader reader(flat);
    Val lifted = expect_ok(lift_flat(c, type, reader));
    EXPECT_TRUE(reader.done());
    return lifted;
  }

  // Both round trips must give back a value equal to `value`.
  void expect_round_trips(const TypeRef& type, const Val& value,
                          StringEncoding encoding = StringEncoding::kUtf8) {
    EXPECT_TRUE(vals_equal(memory_round_trip(type, value, encoding), value))
        << "through memory: " << to_string(*type);
    EXPECT_TRUE(vals_equal(flat_round_trip(type, value, encoding), value))
        << "through core values: " << to_string(*type);
  }

  std::shared_ptr<engine::Engine> engine_;
  std::unique_ptr<engine::Store> store_;
  engine::Instance instance_;
  engine::Memory memory_;
  std::array<CanonOptions, 3> options_;
  InstanceState instance_state_;
};

}  // namespace berth::component::abi::testing
