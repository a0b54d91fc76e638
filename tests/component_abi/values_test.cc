// Round trips of every value type through linear memory and through core values, and the traps
// and validation errors of lifting and lowering them.
#include <bit>
#include <cmath>
#include <limits>

#include "abi_test_util.h"

namespace berth::component::abi::testing {
namespace {

using engine::ValType;
using engine::Value;

class ValuesTest : public AbiTest {
 protected:
  // Lifts `type` from core values given by hand.
  Result<Val> lift_from(const TypeRef& type, std::vector<Value> flat) {
    LiftLowerContext c = cx();
    FlatReader reader(flat);
    return lift_flat(c, type, reader);
  }
  // Loads `type` from bytes written by hand at a fresh allocation.
  Result<Val> load_from(const TypeRef& type, std::vector<uint8_t> bytes) {
    LiftLowerContext c = cx();
    expect_ok(c.refresh_memory());
    uint32_t ptr = expect_ok(c.allocate(8, static_cast<uint32_t>(bytes.size())));
    poke(ptr, bytes.data(), bytes.size());
    return load(c, type, ptr);
  }
  Result<void> lower(const TypeRef& type, const Val& v) {
    LiftLowerContext c = cx();
    std::vector<Value> flat;
    return lower_flat(c, type, v, flat);
  }
  Result<void> store_at_fresh(const TypeRef& type, const Val& v) {
    LiftLowerContext c = cx();
    LayoutRef layout = expect_ok(layout_of(type));
    expect_ok(c.refresh_memory());
    uint32_t ptr = expect_ok(c.allocate(layout->alignment, layout->size));
    return store(c, type, v, ptr);
  }
};

TEST_F(ValuesTest, Bool) {
  expect_round_trips(prim(ValKind::kBool), Val::boolean(true));
  expect_round_trips(prim(ValKind::kBool), Val::boolean(false));
  // Any non-zero bit pattern is true.
  EXPECT_TRUE(expect_ok(load_from(prim(ValKind::kBool), {2})).b);
  EXPECT_TRUE(expect_ok(lift_from(prim(ValKind::kBool), {Value::from_i32(-1)})).b);
}

TEST_F(ValuesTest, IntegersAtTheirBounds) {
  using L = std::numeric_limits<int64_t>;
  using U = std::numeric_limits<uint64_t>;
  std::vector<std::pair<TypeRef, Val>> cases = {
      {prim(ValKind::kS8), Val::s8(INT8_MIN)},    {prim(ValKind::kS8), Val::s8(INT8_MAX)},
      {prim(ValKind::kU8), Val::u8(0)},           {prim(ValKind::kU8), Val::u8(UINT8_MAX)},
      {prim(ValKind::kS16), Val::s16(INT16_MIN)}, {prim(ValKind::kS16), Val::s16(INT16_MAX)},
      {prim(ValKind::kU16), Val::u16(0)},         {prim(ValKind::kU16), Val::u16(UINT16_MAX)},
      {prim(ValKind::kS32), Val::s32(INT32_MIN)}, {prim(ValKind::kS32), Val::s32(INT32_MAX)},
      {prim(ValKind::kU32), Val::u32(0)},         {prim(ValKind::kU32), Val::u32(UINT32_MAX)},
      {prim(ValKind::kS64), Val::s64(L::min())},  {prim(ValKind::kS64), Val::s64(L::max())},
      {prim(ValKind::kU64), Val::u64(0)},         {prim(ValKind::kU64), Val::u64(U::max())},
      {prim(ValKind::kS32), Val::s32(-1)},        {prim(ValKind::kS64), Val::s64(-1)},
  };
  for (const auto& [type, value] : cases) expect_round_trips(type, value);
}

TEST_F(ValuesTest, NarrowIntegersIgnoreTheHighBitsOfAnI32) {
  EXPECT_EQ(expect_ok(lift_from(prim(ValKind::kU8), {Value::from_i32(0x1ff)})).u, 0xffu);
  EXPECT_EQ(expect_ok(lift_from(prim(ValKind::kS8), {Value::from_i32(0xff)})).i, -1);
  EXPECT_EQ(expect_ok(lift_from(prim(ValKind::kS16), {Value::from_i32(0x18000)})).i, -32768);
  EXPECT_EQ(expect_ok(lift_from(prim(ValKind::kU16), {Value::from_i32(-1)})).u, 0xffffu);
  EXPECT_EQ(expect_ok(lift_from(prim(ValKind::kU32), {Value::from_i32(-1)})).u, 0xffffffffu);
}

TEST_F(ValuesTest, SignedValuesAreLoweredAsTwosComplement) {
  std::vector<Value> flat;
  LiftLowerContext c = cx();
  expect_ok(lower_flat(c, prim(ValKind::kS8), Val::s8(-1), flat));
  expect_ok(lower_flat(c, prim(ValKind::kS64), Val::s64(-2), flat));
  EXPECT_EQ(flat[0].i32, -1);
  EXPECT_EQ(flat[1].i64, -2);
}

TEST_F(ValuesTest, OutOfRangeIntegersAreRefused) {
  EXPECT_ABI_ERROR(lower(prim(ValKind::kU8), Val::u32(256)), ErrorCode::kInvalid, "got a u32");
  Val too_big = Val::u8(0);
  too_big.u = 256;
  EXPECT_ABI_ERROR(lower(prim(ValKind::kU8), too_big), ErrorCode::kInvalid, "256 is out of range");
  Val too_small = Val::s8(0);
  too_small.i = -129;
  EXPECT_ABI_ERROR(store_at_fresh(prim(ValKind::kS8), too_small), ErrorCode::kInvalid,
                   "-129 is out of range");
  Val u32_big = Val::u32(0);
  u32_big.u = 1ull << 32;
  EXPECT_ABI_ERROR(lower(prim(ValKind::kU32), u32_big), ErrorCode::kInvalid, "out of range");
}

TEST_F(ValuesTest, Floats) {
  for (float f : {0.0f, -0.0f, 1.5f, -3.25e10f, std::numeric_limits<float>::infinity(),
                  -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::denorm_min(),
                  std::numeric_limits<float>::max()}) {
    expect_round_trips(prim(ValKind::kF32), Val::float32(f));
    EXPECT_EQ(std::bit_cast<uint32_t>(memory_round_trip(prim(ValKind::kF32), Val::float32(f)).f32),
              std::bit_cast<uint32_t>(f));
  }
  for (double f : {0.0, -0.0, 1e300, -2.5, std::numeric_limits<double>::infinity(),
                   std::numeric_limits<double>::denorm_min()}) {
    expect_round_trips(prim(ValKind::kF64), Val::float64(f));
    EXPECT_EQ(std::bit_cast<uint64_t>(flat_round_trip(prim(ValKind::kF64), Val::float64(f)).f64),
              std::bit_cast<uint64_t>(f));
  }
}

TEST_F(ValuesTest, NaNsAreCanonicalised) {
  for (uint32_t bits : {0x7fa00001u, 0xffc00000u, 0x7fffffffu}) {
    Val loaded = expect_ok(load_from(
        prim(ValKind::kF32), {static_cast<uint8_t>(bits), static_cast<uint8_t>(bits >> 8),
                              static_cast<uint8_t>(bits >> 16), static_cast<uint8_t>(bits >> 24)}));
    EXPECT_EQ(std::bit_cast<uint32_t>(loaded.f32), 0x7fc00000u);
    Val lifted =
        expect_ok(lift_from(prim(ValKind::kF32), {Value::from_f32(std::bit_cast<float>(bits))}));
    EXPECT_EQ(std::bit_cast<uint32_t>(lifted.f32), 0x7fc00000u);
    // Lowering picks the canonical NaN too (the deterministic profile).
    std::vector<Value> flat;
    LiftLowerContext c = cx();
    expect_ok(lower_flat(c, prim(ValKind::kF32), Val::float32(std::bit_cast<float>(bits)), flat));
    EXPECT_EQ(std::bit_cast<uint32_t>(flat[0].f32), 0x7fc00000u);
  }
  Val lifted = expect_ok(lift_from(
      prim(ValKind::kF64), {Value::from_f64(std::bit_cast<double>(0xfff0000000000001ull))}));
  EXPECT_EQ(std::bit_cast<uint64_t>(lifted.f64), 0x7ff8000000000000ull);
  Val stored = memory_round_trip(prim(ValKind::kF64),
                                 Val::float64(std::bit_cast<double>(0x7ff4000000000000ull)));
  EXPECT_EQ(std::bit_cast<uint64_t>(stored.f64), 0x7ff8000000000000ull);
}

TEST_F(ValuesTest, ValidChars) {
  for (char32_t c : {U'\0', U'A', U'\u00e9', U'\ud7ff', U'\ue000', U'\U0001F600', U'\U0010FFFF'}) {
    expect_round_trips(prim(ValKind::kChar), Val::character(c));
  }
}

TEST_F(ValuesTest, InvalidCharsTrap) {
  EXPECT_ABI_ERROR(lift_from(prim(ValKind::kChar), {Value::from_i32(0xD800)}), ErrorCode::kTrap,
                   "invalid char code point 0xD800");
  EXPECT_ABI_ERROR(lift_from(prim(ValKind::kChar), {Value::from_i32(0xDFFF)}), ErrorCode::kTrap,
                   "invalid char code point 0xDFFF");
  EXPECT_ABI_ERROR(lift_from(prim(ValKind::kChar), {Value::from_i32(0x110000)}), ErrorCode::kTrap,
                   "invalid char code point 0x110000");
  EXPECT_ABI_ERROR(lift_from(prim(ValKind::kChar), {Value::from_i32(-1)}), ErrorCode::kTrap,
                   "invalid char code point 0xFFFFFFFF");
  EXPECT_ABI_ERROR(load_from(prim(ValKind::kChar), {0x00, 0xdc, 0, 0}), ErrorCode::kTrap,
                   "invalid char code point 0xDC00");
  EXPECT_ABI_ERROR(lower(prim(ValKind::kChar), Val::character(0xD800)), ErrorCode::kInvalid,
                   "invalid char code point 0xD800");
}

TEST_F(ValuesTest, Lists) {
  TypeRef bytes = Type::list(prim(ValKind::kU8));
  expect_round_trips(bytes, Val::list({}));
  expect_round_trips(bytes, Val::list({Val::u8(0), Val::u8(255), Val::u8(7)}));
  expect_round_trips(Type::list(prim(ValKind::kS16)), Val::list({Val::s16(-5), Val::s16(300)}));
  expect_round_trips(Type::list(prim(ValKind::kF64)),
                     Val::list({Val::float64(1.5), Val::float64(-0.25)}));
  expect_round_trips(Type::list(prim(ValKind::kBool)),
                     Val::list({Val::boolean(true), Val::boolean(false)}));
  expect_round_trips(Type::list(prim(ValKind::kChar)),
                     Val::list({Val::character(U'x'), Val::character(U'\U0001F600')}));
  TypeRef nested = Type::list(Type::list(prim(ValKind::kString)));
  expect_round_trips(nested, Val::list({Val::list({Val::string("a"), Val::string("")}),
                                        Val::list({}), Val::list({Val::string("long string")})}));
  TypeRef records =
      Type::list(Type::record({{"id", prim(ValKind::kU64)}, {"name", prim(ValKind::kString)}}));
  expect_round_trips(records, Val::list({Val::record({Val::u64(1), Val::string("one")}),
                                         Val::record({Val::u64(2), Val::string("two")})}));
}

TEST_F(ValuesTest, EmptyListsStillAllocateAndMayPointAnywhereAligned) {
  reset_guest();
  LiftLowerContext c = cx();
  std::vector<Value> flat;
  expect_ok(lower_flat(c, Type::list(prim(ValKind::kU32)), Val::list({}), flat));
  EXPECT_THAT(realloc_log(), ::testing::ElementsAre(ReallocCall{0, 0, 4, 0}));
  // An empty list at the very end of memory is in bounds.
  auto end = static_cast<int32_t>(memory_size());
  Val lifted = expect_ok(
      lift_from(Type::list(prim(ValKind::kU32)), {Value::from_i32(end), Value::from_i32(0)}));
  EXPECT_TRUE(lifted.items.empty());
}

TEST_F(ValuesTest, ListTraps) {
  TypeRef words = Type::list(prim(ValKind::kU32));
  EXPECT_ABI_ERROR(lift_from(words, {Value::from_i32(4098), Value::from_i32(1)}), ErrorCode::kTrap,
                   "unaligned list pointer 0x1002");
  EXPECT_ABI_ERROR(lift_from(words, {Value::from_i32(4097), Value::from_i32(0)}), ErrorCode::kTrap,
                   "unaligned list pointer");
  auto size = static_cast<int32_t>(memory_size());
  EXPECT_ABI_ERROR(lift_from(words, {Value::from_i32(size - 4), Value::from_i32(2)}),
                   ErrorCode::kTrap, "list pointer/length out of bounds of memory");
  EXPECT_ABI_ERROR(lift_from(words, {Value::from_i32(0), Value::from_i32(1 << 26)}),
                   ErrorCode::kTrap, "list byte length 268435456 exceeds the maximum");
  EXPECT_ABI_ERROR(
      lift_from(Type::list(prim(ValKind::kU8)), {Value::from_i32(-16), Value::from_i32(100)}),
      ErrorCode::kTrap, "out of bounds");
  // A list in memory whose (ptr, length) pair is bad traps the same way.
  EXPECT_ABI_ERROR(load_from(words, {2, 0, 0, 0, 1, 0, 0, 0}), ErrorCode::kTrap,
                   "unaligned list pointer");
}

TEST_F(ValuesTest, ListsOfNumbersCanBePacked) {
  TypeRef bytes = Type::list(prim(ValKind::kU8));
  std::vector<uint8_t> data(1000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  Val packed = Val::packed_list(data);
  // Lowering takes the packed form; lifting gives items unless asked for packing.
  Val items = memory_round_trip(bytes, packed);
  ASSERT_EQ(items.items.size(), data.size());
  EXPECT_EQ(items.items[999].u, data[999]);
  EXPECT_TRUE(vals_equal(items, packed));

  LiftLowerContext c = cx();
  c.pack_number_lists = true;
  std::vector<Value> flat;
  expect_ok(lower_flat(c, bytes, items, flat));
  FlatReader reader(flat);
  Val lifted = expect_ok(lift_flat(c, bytes, reader));
  EXPECT_TRUE(lifted.items.empty());
  EXPECT_EQ(lifted.packed, data);

  // Packed floats come back with canonical NaNs.
  std::vector<uint8_t> floats(8);
  uint32_t nan = 0x7fa00001;
  float one = 1.0f;
  std::memcpy(floats.data(), &nan, 4);
  std::memcpy(floats.data() + 4, &one, 4);
  flat.clear();
  expect_ok(lower_flat(c, Type::list(prim(ValKind::kF32)), Val::packed_list(floats), flat));
  FlatReader float_reader(flat);
  Val float_list = expect_ok(lift_flat(c, Type::list(prim(ValKind::kF32)), float_reader));
  uint32_t first;
  std::memcpy(&first, float_list.packed.data(), 4);
  EXPECT_EQ(first, 0x7fc00000u);

  expect_round_trips(Type::list(prim(ValKind::kS64)),
                     Val::packed_list(std::vector<uint8_t>(16, 0xff)));
}

TEST_F(ValuesTest, PackedListsAreValidated) {
  EXPECT_ABI_ERROR(lower(Type::list(prim(ValKind::kU32)), Val::packed_list({1, 2, 3})),
                   ErrorCode::kInvalid, "not a whole number of 4-byte elements");
  EXPECT_ABI_ERROR(lower(Type::list(prim(ValKind::kString)), Val::packed_list({1})),
                   ErrorCode::kInvalid, "needs number elements");
  Val both = Val::packed_list({1});
  both.items.push_back(Val::u8(1));
  EXPECT_ABI_ERROR(lower(Type::list(prim(ValKind::kU8)), both), ErrorCode::kInvalid,
                   "both items and packed");
}

TEST_F(ValuesTest, LiftingStopsAtTheHostMemoryBudget) {
  // 32 strings that all alias the same 64 KiB: 2 MiB of host text from 64 KiB of guest memory.
  LiftLowerContext c = cx();
  expect_ok(c.refresh_memory());
  uint32_t text = expect_ok(c.allocate(1, 65536));
  std::memset(memory() + text, 'a', 65536);
  uint32_t list = expect_ok(c.allocate(4, 32 * 8));
  for (uint32_t i = 0; i < 32; ++i) {
    poke_u32(list + 8 * i, text);
    poke_u32(list + 8 * i + 4, 65536);
  }
  std::vector<Value> flat = {Value::from_i32(static_cast<int32_t>(list)), Value::from_i32(32)};
  TypeRef strings = Type::list(prim(ValKind::kString));
  c.max_lift_bytes = 1 << 20;
  FlatReader reader(flat);
  EXPECT_ABI_ERROR(lift_flat(c, strings, reader), ErrorCode::kLimit, "max_lift_bytes");
  c.max_lift_bytes = 4 << 20;
  FlatReader again(flat);
  EXPECT_EQ(expect_ok(lift_flat(c, strings, again)).items.size(), 32u);

  // One Val per element counts its full size; packed elements count their bytes.
  std::vector<Value> bytes = {Value::from_i32(static_cast<int32_t>(text)), Value::from_i32(65536)};
  c.max_lift_bytes = 65536 * 8;
  FlatReader as_items(bytes);
  EXPECT_ABI_ERROR(lift_flat(c, Type::list(prim(ValKind::kU8)), as_items), ErrorCode::kLimit,
                   "more than 524288 bytes");
  c.pack_number_lists = true;
  FlatReader as_packed(bytes);
  EXPECT_EQ(expect_ok(lift_flat(c, Type::list(prim(ValKind::kU8)), as_packed)).packed.size(),
            65536u);
}

TEST_F(ValuesTest, FixedLengthLists) {
  auto type = std::make_shared<Type>(*Type::list(prim(ValKind::kU16)));
  type->fixed_length = 3;
  TypeRef fixed = type;
  expect_round_trips(fixed, Val::list({Val::u16(1), Val::u16(2), Val::u16(65535)}));
  expect_round_trips(fixed, Val::packed_list({1, 0, 2, 0, 3, 0}));
  auto strings = std::make_shared<Type>(*Type::list(prim(ValKind::kString)));
  strings->fixed_length = 2;
  expect_round_trips(strings, Val::list({Val::string("x"), Val::string("yz")}));
  EXPECT_ABI_ERROR(lower(fixed, Val::list({Val::u16(1)})), ErrorCode::kInvalid,
                   "1 elements, expected 3");
}

TEST_F(ValuesTest, RecordsAndTuples) {
  TypeRef inner = Type::record({{"x", prim(ValKind::kF32)}, {"tag", prim(ValKind::kChar)}});
  TypeRef outer = Type::record({{"a", prim(ValKind::kU8)},
                                {"inner", inner},
                                {"pair", Type::tuple({prim(ValKind::kU64), prim(ValKind::kBool)})},
                                {"name", prim(ValKind::kString)}});
  expect_round_trips(
      outer,
      Val::record({Val::u8(9), Val::record({Val::float32(2.5f), Val::character(U'λ')}),
                   Val::tuple({Val::u64(1ull << 40), Val::boolean(true)}), Val::string("rec")}));
  expect_round_trips(Type::tuple({prim(ValKind::kS8)}), Val::tuple({Val::s8(-8)}));
}

TEST_F(ValuesTest, VariantsEnumsOptionsResults) {
  TypeRef v = Type::variant({{"none", nullptr},
                             {"small", prim(ValKind::kF32)},
                             {"big", prim(ValKind::kU64)},
                             {"text", prim(ValKind::kString)},
                             {"pair", Type::tuple({prim(ValKind::kF64), prim(ValKind::kU8)})}});
  expect_round_trips(v, Val::variant(0, std::nullopt));
  expect_round_trips(v, Val::variant(1, Val::float32(-1.25f)));
  expect_round_trips(v, Val::variant(2, Val::u64(~0ull)));
  expect_round_trips(v, Val::variant(3, Val::string("payload")));
  expect_round_trips(v, Val::variant(4, Val::tuple({Val::float64(3.5), Val::u8(200)})));

  TypeRef e = Type::enumeration({"red", "green", "blue"});
  for (uint32_t i = 0; i < 3; ++i) expect_round_trips(e, Val::enumeration(i));

  TypeRef oo = Type::option(Type::option(prim(ValKind::kU8)));
  expect_round_trips(oo, Val::none());
  expect_round_trips(oo, Val::some(Val::none()));
  expect_round_trips(oo, Val::some(Val::some(Val::u8(3))));

  TypeRef r = Type::result(prim(ValKind::kString), Type::list(prim(ValKind::kU8)));
  expect_round_trips(r, Val::ok(Val::string("fine")));
  expect_round_trips(r, Val::err(Val::list({Val::u8(1), Val::u8(2)})));
  TypeRef bare = Type::result(nullptr, nullptr);
  expect_round_trips(bare, Val::ok(std::nullopt));
  expect_round_trips(bare, Val::err(std::nullopt));
  TypeRef ok_only = Type::result(prim(ValKind::kU32), nullptr);
  expect_round_trips(ok_only, Val::ok(Val::u32(5)));
  expect_round_trips(ok_only, Val::err(std::nullopt));
}

TEST_F(ValuesTest, NestedVariantsCoerceThroughTheJoinedTypes) {
  // x's payload flattens to [i32, f32], y's to [i64]: the variant passes [i32, i64, f32].
  TypeRef v = Type::variant(
      {{"x", Type::option(prim(ValKind::kF32))}, {"y", prim(ValKind::kU64)}, {"z", nullptr}});
  LayoutRef layout = expect_ok(layout_of(v));
  EXPECT_THAT(layout->flat, ::testing::ElementsAre(ValType::kI32, ValType::kI64, ValType::kF32));
  expect_round_trips(v, Val::variant(0, Val::some(Val::float32(0.5f))));
  expect_round_trips(v, Val::variant(0, Val::none()));
  expect_round_trips(v, Val::variant(1, Val::u64(0x8000000000000001ull)));
  expect_round_trips(v, Val::variant(2, std::nullopt));

  // The f32 payload of case 0 travels bit-cast into the i64 slot, zero-extended.
  std::vector<Value> flat;
  LiftLowerContext c = cx();
  TypeRef fv = Type::variant({{"f", prim(ValKind::kF32)}, {"d", prim(ValKind::kF64)}});
  expect_ok(lower_flat(c, fv, Val::variant(0, Val::float32(1.0f)), flat));
  ASSERT_EQ(flat.size(), 2u);
  EXPECT_EQ(flat[1].type, ValType::kI64);
  EXPECT_EQ(flat[1].i64, int64_t{0x3f800000});
  expect_round_trips(fv, Val::variant(0, Val::float32(1.0f)));
  expect_round_trips(fv, Val::variant(1, Val::float64(-7.0)));
  expect_round_trips(Type::result(prim(ValKind::kF32), prim(ValKind::kS32)),
                     Val::ok(Val::float32(-0.0f)));
}

TEST_F(ValuesTest, InvalidDiscriminantsTrap) {
  TypeRef v = Type::variant({{"a", nullptr}, {"b", prim(ValKind::kU8)}});
  EXPECT_ABI_ERROR(lift_from(v, {Value::from_i32(7), Value::from_i32(0)}), ErrorCode::kTrap,
                   "invalid variant discriminant 7");
  EXPECT_ABI_ERROR(load_from(v, {2, 0}), ErrorCode::kTrap, "invalid variant discriminant 2");
  EXPECT_ABI_ERROR(
      lift_from(Type::option(prim(ValKind::kU8)), {Value::from_i32(2), Value::from_i32(0)}),
      ErrorCode::kTrap, "invalid option discriminant 2");
  EXPECT_ABI_ERROR(load_from(Type::result(nullptr, nullptr), {5}), ErrorCode::kTrap,
                   "invalid result discriminant 5");
  EXPECT_ABI_ERROR(lift_from(Type::enumeration({"a", "b", "c"}), {Value::from_i32(3)}),
                   ErrorCode::kTrap, "invalid enum discriminant 3");
  std::vector<std::string> many(300, "x");
  EXPECT_ABI_ERROR(load_from(Type::enumeration(many), {0x2c, 0x01}), ErrorCode::kTrap,
                   "invalid enum discriminant 300");
}

TEST_F(ValuesTest, Flags) {
  for (size_t n : {1, 2, 7, 8, 9, 16, 17, 31, 32}) {
    std::vector<std::string> names;
    for (size_t i = 0; i < n; ++i) names.push_back("f" + std::to_string(i));
    TypeRef type = Type::flags(names);
    uint32_t all = n == 32 ? ~0u : (1u << n) - 1;
    for (uint32_t bits : {0u, 1u, all, all & 0xa5a5a5a5u, 1u << (n - 1)}) {
      expect_round_trips(type, Val::flags({bits}));
    }
  }
  // Lifting ignores bits above the last flag; lowering refuses them.
  TypeRef three = Type::flags({"a", "b", "c"});
  Val lifted = expect_ok(lift_from(three, {Value::from_i32(0xff)}));
  EXPECT_EQ(lifted.flag_bits, std::vector<uint32_t>{7});
  EXPECT_EQ(expect_ok(load_from(three, {0xfa})).flag_bits, std::vector<uint32_t>{2});
  EXPECT_ABI_ERROR(lower(three, Val::flags({8})), ErrorCode::kInvalid, "beyond the 3");
  EXPECT_ABI_ERROR(lower(three, Val::flags({1, 1})), ErrorCode::kInvalid, "beyond the 3");
  expect_round_trips(three, Val::flags({}));  // no words: no flag set
}

TEST_F(ValuesTest, FlagsWithoutACanonicalLayoutAreRefused) {
  std::vector<std::string> names;
  for (int i = 0; i < 33; ++i) names.push_back("f" + std::to_string(i));
  EXPECT_ABI_ERROR(lower(Type::flags(names), Val::flags({1, 1})), ErrorCode::kInvalid,
                   "1 to 32 labels");
  EXPECT_ABI_ERROR(lift_from(Type::flags(names), {Value::from_i32(1), Value::from_i32(1)}),
                   ErrorCode::kInvalid, "1 to 32 labels");
  EXPECT_ABI_ERROR(lower(Type::flags({}), Val::flags({})), ErrorCode::kInvalid, "1 to 32 labels");
}

TEST_F(ValuesTest, ValsThatDoNotMatchTheirTypeAreRefused) {
  EXPECT_ABI_ERROR(lower(prim(ValKind::kU32), Val::string("x")), ErrorCode::kInvalid,
                   "value does not match type u32: got a string");
  TypeRef rec = Type::record({{"a", prim(ValKind::kU8)}, {"b", prim(ValKind::kU8)}});
  EXPECT_ABI_ERROR(lower(rec, Val::record({Val::u8(1)})), ErrorCode::kInvalid,
                   "1 fields, expected 2");
  EXPECT_ABI_ERROR(store_at_fresh(rec, Val::record({Val::u8(1), Val::s8(1)})), ErrorCode::kInvalid,
                   "got a s8");
  EXPECT_ABI_ERROR(lower(rec, Val::tuple({Val::u8(1), Val::u8(1)})), ErrorCode::kInvalid,
                   "got a tuple");
  TypeRef v = Type::variant({{"a", nullptr}, {"b", prim(ValKind::kU8)}});
  EXPECT_ABI_ERROR(lower(v, Val::variant(2, std::nullopt)), ErrorCode::kInvalid,
                   "case 2 of a type with 2 cases");
  EXPECT_ABI_ERROR(lower(v, Val::variant(1, std::nullopt)), ErrorCode::kInvalid,
                   "case 1 needs a payload");
  EXPECT_ABI_ERROR(lower(v, Val::variant(0, Val::u8(1))), ErrorCode::kInvalid,
                   "case 0 has no payload");
  Val some_without_payload = Val::none();
  some_without_payload.discriminant = 1;
  EXPECT_ABI_ERROR(lower(Type::option(prim(ValKind::kU8)), some_without_payload),
                   ErrorCode::kInvalid, "needs a payload");
  EXPECT_ABI_ERROR(lower(Type::enumeration({"a"}), Val::enumeration(1)), ErrorCode::kInvalid,
                   "case 1");
  EXPECT_ABI_ERROR(lower(Type::list(prim(ValKind::kU8)), Val::list({Val::u8(1), Val::u16(1)})),
                   ErrorCode::kInvalid, "got a u16");
  EXPECT_ABI_ERROR(store_at_fresh(Type::list(prim(ValKind::kString)), Val::list({Val::u8(1)})),
                   ErrorCode::kInvalid, "got a u8");
  EXPECT_ABI_ERROR(lower(Type::result(prim(ValKind::kU8), nullptr), Val::err(Val::u8(1))),
                   ErrorCode::kInvalid, "case 1 has no payload");
}

TEST_F(ValuesTest, CoreValuesThatDoNotMatchTheTypeAreRefused) {
  EXPECT_ABI_ERROR(lift_from(prim(ValKind::kU32), {}), ErrorCode::kInvalid,
                   "there are only 0 values");
  EXPECT_ABI_ERROR(lift_from(prim(ValKind::kU32), {Value::from_i64(1)}), ErrorCode::kInvalid,
                   "holds a i64, expected a i32");
  EXPECT_ABI_ERROR(lift_from(Type::option(prim(ValKind::kU64)), {Value::from_i32(1)}),
                   ErrorCode::kInvalid, "there are only 1 values");
}

TEST_F(ValuesTest, AsyncValueTypesAreUnsupported) {
  EXPECT_ABI_ERROR(lift_from(prim(ValKind::kErrorContext), {Value::from_i32(1)}),
                   ErrorCode::kUnsupported, "error-context");
  auto stream = std::make_shared<Type>();
  stream->kind = ValKind::kStream;
  EXPECT_ABI_ERROR(lower(stream, Val()), ErrorCode::kUnsupported, "stream");
}

TEST_F(ValuesTest, MissingOptionsAreReported) {
  CanonOptions no_memory;
  LiftLowerContext c(*store_, no_memory);
  std::vector<Value> flat;
  EXPECT_ABI_ERROR(lower_flat(c, prim(ValKind::kString), Val::string("x"), flat),
                   ErrorCode::kInvalid, "needs a memory");
  std::vector<Value> args = {Value::from_i32(0), Value::from_i32(0)};
  FlatReader reader(args);
  EXPECT_ABI_ERROR(lift_flat(c, Type::list(prim(ValKind::kU8)), reader), ErrorCode::kInvalid,
                   "needs a memory");
  // Scalars need neither memory nor realloc.
  expect_ok(lower_flat(c, prim(ValKind::kU8), Val::u8(1), flat));

  CanonOptions no_realloc;
  no_realloc.memory = memory_;
  LiftLowerContext d(*store_, no_realloc);
  EXPECT_ABI_ERROR(lower_flat(d, prim(ValKind::kString), Val::string("x"), flat),
                   ErrorCode::kInvalid, "no realloc");
}

TEST_F(ValuesTest, LoadAndStoreCheckThePointer) {
  LiftLowerContext c = cx();
  EXPECT_ABI_ERROR(load(c, prim(ValKind::kU32), 4098), ErrorCode::kTrap,
                   "unaligned pointer 0x1002");
  EXPECT_ABI_ERROR(store(c, prim(ValKind::kU64), Val::u64(1), 4100), ErrorCode::kTrap,
                   "unaligned pointer");
  auto end = static_cast<uint32_t>(memory_size());
  EXPECT_ABI_ERROR(load(c, prim(ValKind::kU32), end), ErrorCode::kTrap,
                   "pointer 0x10000 for a value of 4 bytes is out of bounds");
  EXPECT_ABI_ERROR(load(c, prim(ValKind::kU64), end - 4), ErrorCode::kTrap, "unaligned");
  EXPECT_ABI_ERROR(store(c, prim(ValKind::kString), Val::string(""), end), ErrorCode::kTrap,
                   "out of bounds");
}

TEST_F(ValuesTest, ReallocResultsAreChecked) {
  TypeRef words = Type::list(prim(ValKind::kU32));
  Val value = Val::list({Val::u32(1)});
  set_realloc_mode(1);
  EXPECT_ABI_ERROR(lower(words, value), ErrorCode::kTrap, "realloc returned an unaligned pointer");
  set_realloc_mode(2);
  EXPECT_ABI_ERROR(lower(words, value), ErrorCode::kTrap,
                   "realloc returned a pointer out of bounds of memory");
  set_realloc_mode(3);
  EXPECT_ABI_ERROR(lower(words, value), ErrorCode::kTrap, "unreachable");
  // realloc runs with the instance marked as not leavable, and is restored afterwards.
  EXPECT_TRUE(instance_state_.may_leave);
}

TEST_F(ValuesTest, MemoryGrowthDuringLoweringIsFollowed) {
  // Each list needs a fresh 64 KiB: realloc grows (and V8 may move) memory between them.
  TypeRef type = Type::list(Type::list(prim(ValKind::kU32)));
  std::vector<Val> lists;
  for (uint32_t n = 0; n < 8; ++n) {
    std::vector<Val> words;
    for (uint32_t i = 0; i < 16384; ++i) words.push_back(Val::u32(n * 100000 + i));
    lists.push_back(Val::list(std::move(words)));
  }
  size_t before = memory_size();
  expect_round_trips(type, Val::list(std::move(lists)));
  EXPECT_GT(memory_size(), before);
}

}  // namespace
}  // namespace berth::component::abi::testing
