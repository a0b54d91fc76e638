// The native layout (docs/abi.md, "Types") checked against C structs the compiler lays out, and
// Val -> native -> Val round trips of every kind of value, with the checks on the way back.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>

#include <fmt/format.h>

#include "berth/bundle.h"
#include "berth/component/component.h"
#include "berth/component/native.h"
#include "common/test_support.h"

namespace berth::component {
namespace {

using berth::testing::expect_ok;
using ::testing::HasSubstr;

TypeRef prim(ValKind kind) {
  return Type::primitive(kind);
}

TypeRef mixed_type() {
  return Type::record({{"flag", prim(ValKind::kBool)},
                       {"small", prim(ValKind::kU8)},
                       {"name", prim(ValKind::kString)},
                       {"ratio", prim(ValKind::kF64)},
                       {"tags", Type::list(prim(ValKind::kString))},
                       {"c", prim(ValKind::kChar)}});
}
struct CMixed {
  uint8_t flag;
  uint8_t small;
  berth_str name;
  double ratio;
  berth_list tags;
  uint32_t c;
};

TypeRef shape_type() {
  return Type::variant({{"nothing", nullptr},
                        {"circle", prim(ValKind::kF32)},
                        {"label", prim(ValKind::kString)},
                        {"pair", Type::tuple({prim(ValKind::kU8), prim(ValKind::kU64)})}});
}
struct CShape {
  uint32_t tag;
  union {
    float circle;
    berth_str label;
    struct {
      uint8_t f0;
      uint64_t f1;
    } pair;
  } val;
};

struct COptionU32 {
  uint8_t is_some;
  uint32_t val;
};
struct COptionOptionU32 {
  uint8_t is_some;
  COptionU32 val;
};
struct CResultStringU16 {
  uint8_t is_err;
  union {
    berth_str ok;
    uint16_t err;
  } val;
};
struct CSmallVariant {
  uint32_t tag;
  union {
    uint8_t a;
    uint16_t b;
  } val;
};

NativeTypeRef layout(const TypeRef& type) {
  return expect_ok(native_layout(type));
}

TEST(NativeLayout, ScalarsMatchC) {
  EXPECT_EQ(layout(prim(ValKind::kBool))->size, sizeof(uint8_t));
  EXPECT_EQ(layout(prim(ValKind::kS16))->size, sizeof(int16_t));
  EXPECT_EQ(layout(prim(ValKind::kU64))->align, alignof(uint64_t));
  EXPECT_EQ(layout(prim(ValKind::kF32))->size, sizeof(float));
  EXPECT_EQ(layout(prim(ValKind::kChar))->size, sizeof(uint32_t));
  EXPECT_EQ(layout(prim(ValKind::kString))->size, sizeof(berth_str));
  EXPECT_EQ(layout(prim(ValKind::kString))->align, alignof(berth_str));
  EXPECT_EQ(layout(Type::list(prim(ValKind::kU8)))->size, sizeof(berth_list));
  EXPECT_EQ(layout(Type::enumeration({"a", "b"}))->size, sizeof(uint32_t));
  auto resource = make_host_resource_type("r");
  EXPECT_EQ(layout(Type::own(resource))->size, sizeof(berth_rep));
  EXPECT_EQ(layout(Type::borrow(resource))->align, alignof(berth_rep));
}

TEST(NativeLayout, RecordMatchesC) {
  NativeTypeRef t = layout(mixed_type());
  EXPECT_EQ(t->size, sizeof(CMixed));
  EXPECT_EQ(t->align, alignof(CMixed));
  EXPECT_EQ(t->members[0].offset, offsetof(CMixed, flag));
  EXPECT_EQ(t->members[1].offset, offsetof(CMixed, small));
  EXPECT_EQ(t->members[2].offset, offsetof(CMixed, name));
  EXPECT_EQ(t->members[3].offset, offsetof(CMixed, ratio));
  EXPECT_EQ(t->members[4].offset, offsetof(CMixed, tags));
  EXPECT_EQ(t->members[5].offset, offsetof(CMixed, c));
}

TEST(NativeLayout, VariantOptionResultMatchC) {
  NativeTypeRef shape = layout(shape_type());
  EXPECT_EQ(shape->size, sizeof(CShape));
  EXPECT_EQ(shape->tag_size, 4u);
  EXPECT_EQ(shape->payload_offset, offsetof(CShape, val));
  NativeTypeRef small =
      layout(Type::variant({{"a", prim(ValKind::kU8)}, {"b", prim(ValKind::kU16)}}));
  EXPECT_EQ(small->size, sizeof(CSmallVariant));
  EXPECT_EQ(small->payload_offset, offsetof(CSmallVariant, val));
  NativeTypeRef option = layout(Type::option(Type::option(prim(ValKind::kU32))));
  EXPECT_EQ(option->size, sizeof(COptionOptionU32));
  EXPECT_EQ(option->payload_offset, offsetof(COptionOptionU32, val));
  EXPECT_EQ(option->tag_size, 1u);
  NativeTypeRef result = layout(Type::result(prim(ValKind::kString), prim(ValKind::kU16)));
  EXPECT_EQ(result->size, sizeof(CResultStringU16));
  EXPECT_EQ(result->payload_offset, offsetof(CResultStringU16, val));
  // result<_, _> is its tag alone.
  EXPECT_EQ(layout(Type::result(nullptr, nullptr))->size, 1u);
}

TEST(NativeLayout, FlagsAreWords) {
  std::vector<std::string> labels;
  for (int i = 0; i < 40; ++i) labels.push_back("f" + std::to_string(i));
  EXPECT_EQ(layout(Type::flags({"a", "b", "c"}))->size, 4u);
  EXPECT_EQ(layout(Type::flags(labels))->size, 8u);
  EXPECT_EQ(layout(Type::flags(labels))->align, 4u);
}

TEST(NativeLayout, ParamsAreARecordOfThem) {
  FuncType f;
  f.params = {{"a", prim(ValKind::kU8)},
              {"b", prim(ValKind::kString)},
              {"c", prim(ValKind::kU64)},
              {"d", prim(ValKind::kF32)}};
  struct CParams {
    uint8_t a;
    berth_str b;
    uint64_t c;
    float d;
  };
  NativeTypeRef t = expect_ok(native_params_layout(f));
  EXPECT_EQ(t->size, sizeof(CParams));
  EXPECT_EQ(t->members[3].offset, offsetof(CParams, d));
  EXPECT_EQ(expect_ok(native_params_layout(FuncType{}))->size, 0u);
}

TEST(NativeLayout, Signatures) {
  auto bucket = make_host_resource_type("wasi:keyvalue/store@0.2.0-draft#bucket");
  FuncType f;
  f.params = {{"self", Type::borrow(bucket)}, {"key", prim(ValKind::kString)}};
  f.result = Type::result(Type::option(Type::list(prim(ValKind::kU8))), Type::own(bucket));
  EXPECT_EQ(native_signature(f),
            "func(self: borrow<bucket>, key: string) -> result<option<list<u8>>, own<bucket>>");
  FuncType g;
  g.params = {{"v", mixed_type()}};
  EXPECT_EQ(native_signature(g),
            "func(v: record { flag: bool, small: u8, name: string, ratio: f64, tags: "
            "list<string>, c: char })");
}

TEST(NativeLayout, AsyncTypesAreRefused) {
  auto t = Type::primitive(ValKind::kErrorContext);
  auto refused = native_layout(t);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kUnsupported);
  EXPECT_THAT(refused.error().message(), HasSubstr("have no native layout"));
}

// Writes `value` as `type`, reads it back and compares.
void round_trip(const TypeRef& type, const Val& value) {
  NativeTypeRef t = layout(type);
  NativeArena arena;
  PassThroughHandles handles;
  auto* buffer = static_cast<uint8_t*>(arena.alloc(t->size, t->align));
  ASSERT_NE(buffer, nullptr);
  expect_ok(write_native(*t, value, buffer, arena, handles));
  Val back = expect_ok(read_native(*t, buffer, arena, handles, "value"));
  EXPECT_TRUE(vals_equal(value, back)) << to_string(*type);
}

TEST(NativeMarshal, ScalarsRoundTrip) {
  round_trip(prim(ValKind::kBool), Val::boolean(true));
  round_trip(prim(ValKind::kBool), Val::boolean(false));
  round_trip(prim(ValKind::kS8), Val::s8(-128));
  round_trip(prim(ValKind::kU8), Val::u8(255));
  round_trip(prim(ValKind::kS16), Val::s16(-32768));
  round_trip(prim(ValKind::kU16), Val::u16(65535));
  round_trip(prim(ValKind::kS32), Val::s32(INT32_MIN));
  round_trip(prim(ValKind::kU32), Val::u32(UINT32_MAX));
  round_trip(prim(ValKind::kS64), Val::s64(INT64_MIN));
  round_trip(prim(ValKind::kU64), Val::u64(UINT64_MAX));
  round_trip(prim(ValKind::kF32), Val::float32(-1.5f));
  round_trip(prim(ValKind::kF64), Val::float64(6.02e23));
  round_trip(prim(ValKind::kChar), Val::character(U'\U0001F600'));
  round_trip(prim(ValKind::kString), Val::string("héllo"));
  round_trip(prim(ValKind::kString), Val::string(""));
}

TEST(NativeMarshal, CompoundsRoundTrip) {
  round_trip(Type::list(prim(ValKind::kU8)), Val::list({Val::u8(1), Val::u8(2), Val::u8(3)}));
  round_trip(Type::list(prim(ValKind::kU32)), Val::packed_list({1, 0, 0, 0, 2, 0, 0, 0}));
  round_trip(Type::list(prim(ValKind::kString)),
             Val::list({Val::string("a"), Val::string(""), Val::string("ccc")}));
  round_trip(Type::list(prim(ValKind::kString)), Val::list({}));
  round_trip(Type::list(Type::list(prim(ValKind::kS64))),
             Val::list({Val::list({Val::s64(-1)}), Val::list({})}));
  round_trip(mixed_type(),
             Val::record({Val::boolean(true), Val::u8(7), Val::string("n"), Val::float64(0.25),
                          Val::list({Val::string("x"), Val::string("y")}), Val::character(U'é')}));
  round_trip(Type::tuple({prim(ValKind::kU8), prim(ValKind::kString), prim(ValKind::kU64)}),
             Val::tuple({Val::u8(1), Val::string("two"), Val::u64(3)}));
  round_trip(shape_type(), Val::variant(0, std::nullopt));
  round_trip(shape_type(), Val::variant(1, Val::float32(2.5f)));
  round_trip(shape_type(), Val::variant(2, Val::string("label")));
  round_trip(shape_type(), Val::variant(3, Val::tuple({Val::u8(9), Val::u64(1ull << 40)})));
  round_trip(Type::enumeration({"red", "green", "blue"}), Val::enumeration(2));
  round_trip(Type::flags({"read", "write", "exec"}), Val::flags({0b101}));
  std::vector<std::string> labels;
  for (int i = 0; i < 40; ++i) labels.push_back("f" + std::to_string(i));
  round_trip(Type::flags(labels), Val::flags({0x80000001u, 0xffu}));
  auto nested = Type::option(Type::option(prim(ValKind::kU32)));
  round_trip(nested, Val::none());
  round_trip(nested, Val::some(Val::none()));
  round_trip(nested, Val::some(Val::some(Val::u32(42))));
  auto result = Type::result(prim(ValKind::kString), prim(ValKind::kU16));
  round_trip(result, Val::ok(Val::string("fine")));
  round_trip(result, Val::err(Val::u16(404)));
  round_trip(Type::result(nullptr, prim(ValKind::kString)), Val::ok(std::nullopt));
  round_trip(Type::result(nullptr, nullptr), Val::err(std::nullopt));
}

TEST(NativeMarshal, HandlesRoundTrip) {
  auto resource = make_host_resource_type("r");
  Val own;
  own.kind = ValKind::kOwn;
  own.handle = std::make_shared<ResourceHandle>(ResourceHandle{.type = resource, .rep = 77});
  round_trip(Type::own(resource), own);
}

TEST(NativeMarshal, StringArgumentsAreBorrowedViews) {
  NativeTypeRef t = layout(prim(ValKind::kString));
  NativeArena arena;
  PassThroughHandles handles;
  Val s = Val::string("borrowed");
  berth_str out{};
  expect_ok(write_native(*t, s, reinterpret_cast<uint8_t*>(&out), arena, handles));
  EXPECT_EQ(out.ptr, s.str.data());
  EXPECT_EQ(out.len, s.str.size());
  EXPECT_EQ(arena.locate(out.ptr + 2, 3), NativeArena::Place::kInside);
  EXPECT_EQ(arena.locate(out.ptr + 2, 30), NativeArena::Place::kOverruns);
}

// Reads bytes a bundle might have written, expecting the error `message`.
void expect_rejected(const TypeRef& type, const void* bytes, std::string_view message,
                     NativeArena* arena = nullptr) {
  NativeTypeRef t = layout(type);
  NativeArena own_arena;
  PassThroughHandles handles;
  auto read = read_native(*t, static_cast<const uint8_t*>(bytes), arena ? *arena : own_arena,
                          handles, "result");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code(), ErrorCode::kTrap);
  EXPECT_EQ(read.error().message(), message);
}

TEST(NativeMarshal, ReadingChecksEveryRule) {
  uint8_t two = 2;
  expect_rejected(prim(ValKind::kBool), &two, "result: a bool must be 0 or 1, found 2");
  uint32_t surrogate = 0xD800;
  expect_rejected(prim(ValKind::kChar), &surrogate,
                  "result: 0xd800 is not a Unicode scalar value (a char)");
  uint32_t big = 0x110000;
  expect_rejected(prim(ValKind::kChar), &big,
                  "result: 0x110000 is not a Unicode scalar value (a char)");
  uint32_t five = 5;
  expect_rejected(Type::enumeration({"a", "b"}), &five,
                  "result: enum case 5 is out of range (the enum has 2 cases)");
  uint32_t bits = 0x9;
  expect_rejected(Type::flags({"x", "y", "z"}), &bits,
                  "result: flags word 0 has bits 0x8 set beyond the 3 flags of the type");
  COptionU32 option{7, 0};
  expect_rejected(Type::option(prim(ValKind::kU32)), &option,
                  "result: option tag 7 is out of range (expected 0 to 1)");
  CShape shape{};
  shape.tag = 4;
  expect_rejected(shape_type(), &shape, "result: variant tag 4 is out of range (expected 0 to 3)");

  NativeArena arena;
  char* text = static_cast<char*>(arena.alloc(3, 1));
  std::memcpy(text, "a\xff", 2);
  berth_str bad_utf8{text, 2};
  expect_rejected(prim(ValKind::kString), &bad_utf8, "result: the string is not valid UTF-8",
                  &arena);
  berth_str null_string{nullptr, 7};
  expect_rejected(prim(ValKind::kString), &null_string,
                  "result: the string (7 bytes) points to NULL", &arena);
  berth_list too_long{text, 1 << 20};
  expect_rejected(Type::list(prim(ValKind::kU32)), &too_long,
                  fmt::format("result: the list (1048576 elements at {}) runs past the end of the "
                              "call's arena block or argument it starts in",
                              static_cast<const void*>(text)),
                  &arena);
  berth_list huge{text, size_t{1} << 33};
  expect_rejected(Type::list(prim(ValKind::kU8)), &huge,
                  "result: a list of 8589934592 elements is longer than a component list can be "
                  "(2^32 - 1)",
                  &arena);
}

TEST(NativeMarshal, ErrorsNameWhereInTheValue) {
  // record { tags: list<string> } whose second tag is not UTF-8.
  auto type = Type::record({{"tags", Type::list(prim(ValKind::kString))}});
  NativeArena arena;
  auto* strings = static_cast<berth_str*>(arena.alloc(2 * sizeof(berth_str), alignof(berth_str)));
  char* text = static_cast<char*>(arena.alloc(2, 1));
  std::memcpy(text, "o\xc0", 2);
  strings[0] = {text, 1};
  strings[1] = {text, 2};
  berth_list record{strings, 2};
  expect_rejected(type, &record, "result.tags[1]: the string is not valid UTF-8", &arena);
}

TEST(NativeArena, AllocatesAlignedZeroedMemoryUpToItsLimit) {
  NativeArena arena(4096);
  auto* a = static_cast<uint8_t*>(arena.alloc(3, 1));
  auto* b = static_cast<uint8_t*>(arena.alloc(8, 8));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(b) % 8, 0u);
  EXPECT_EQ(b[7], 0);
  EXPECT_EQ(arena.locate(b, 8), NativeArena::Place::kInside);
  EXPECT_EQ(arena.locate(b, 4096), NativeArena::Place::kOverruns);
  static const char kOwned[] = "owned";
  EXPECT_EQ(arena.locate(kOwned, 5), NativeArena::Place::kOutside);
  EXPECT_EQ(arena.alloc(8, 3), nullptr);  // not a power of two
  EXPECT_FALSE(arena.exhausted());
  EXPECT_EQ(arena.alloc(1 << 20, 1), nullptr);
  EXPECT_TRUE(arena.exhausted());
}

}  // namespace
}  // namespace berth::component
