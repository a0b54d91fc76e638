// Sizes, alignments and flattenings against the values CanonicalABI.md's definitions give.
#include "abi_test_util.h"

namespace berth::component::abi::testing {
namespace {

using engine::ValType;
using ::testing::ElementsAre;

LayoutRef layout(const TypeRef& type) {
  return expect_ok(layout_of(type));
}

std::vector<std::string> labels(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back("l" + std::to_string(i));
  return out;
}

TEST(LayoutTest, Primitives) {
  struct Case {
    ValKind kind;
    uint32_t size;
    ValType flat;
  };
  for (Case c : {Case{ValKind::kBool, 1, ValType::kI32}, Case{ValKind::kS8, 1, ValType::kI32},
                 Case{ValKind::kU8, 1, ValType::kI32}, Case{ValKind::kS16, 2, ValType::kI32},
                 Case{ValKind::kU16, 2, ValType::kI32}, Case{ValKind::kS32, 4, ValType::kI32},
                 Case{ValKind::kU32, 4, ValType::kI32}, Case{ValKind::kS64, 8, ValType::kI64},
                 Case{ValKind::kU64, 8, ValType::kI64}, Case{ValKind::kF32, 4, ValType::kF32},
                 Case{ValKind::kF64, 8, ValType::kF64}, Case{ValKind::kChar, 4, ValType::kI32}}) {
    LayoutRef l = layout(prim(c.kind));
    EXPECT_EQ(l->size, c.size) << to_string(c.kind);
    EXPECT_EQ(l->alignment, c.size) << to_string(c.kind);
    EXPECT_THAT(l->flat, ElementsAre(c.flat)) << to_string(c.kind);
  }
  LayoutRef s = layout(prim(ValKind::kString));
  EXPECT_EQ(s->size, 8u);
  EXPECT_EQ(s->alignment, 4u);
  EXPECT_THAT(s->flat, ElementsAre(ValType::kI32, ValType::kI32));
}

TEST(LayoutTest, RecordFieldsAreAlignedAndTheSizeRoundedUp) {
  LayoutRef l = layout(Type::record(
      {{"a", prim(ValKind::kU8)}, {"b", prim(ValKind::kU32)}, {"c", prim(ValKind::kU16)}}));
  EXPECT_THAT(l->field_offsets, ElementsAre(0u, 4u, 8u));
  EXPECT_EQ(l->size, 12u);
  EXPECT_EQ(l->alignment, 4u);
  EXPECT_THAT(l->flat, ElementsAre(ValType::kI32, ValType::kI32, ValType::kI32));

  LayoutRef t = layout(Type::tuple({prim(ValKind::kU8), prim(ValKind::kF64), prim(ValKind::kU8)}));
  EXPECT_THAT(t->field_offsets, ElementsAre(0u, 8u, 16u));
  EXPECT_EQ(t->size, 24u);
  EXPECT_EQ(t->alignment, 8u);
}

TEST(LayoutTest, DiscriminantSizeFollowsTheCaseCount) {
  EXPECT_EQ(layout(Type::enumeration(labels(1)))->discriminant_size, 1u);
  EXPECT_EQ(layout(Type::enumeration(labels(256)))->discriminant_size, 1u);
  EXPECT_EQ(layout(Type::enumeration(labels(257)))->discriminant_size, 2u);
  EXPECT_EQ(layout(Type::enumeration(labels(65536)))->discriminant_size, 2u);
  LayoutRef big = layout(Type::enumeration(labels(65537)));
  EXPECT_EQ(big->discriminant_size, 4u);
  EXPECT_EQ(big->size, 4u);
  EXPECT_EQ(big->alignment, 4u);
}

TEST(LayoutTest, VariantPayloadFollowsTheDiscriminantAtTheCaseAlignment) {
  LayoutRef o = layout(Type::option(prim(ValKind::kU64)));
  EXPECT_EQ(o->payload_offset, 8u);
  EXPECT_EQ(o->size, 16u);
  EXPECT_EQ(o->alignment, 8u);
  EXPECT_THAT(o->flat, ElementsAre(ValType::kI32, ValType::kI64));

  LayoutRef r = layout(Type::result(nullptr, nullptr));
  EXPECT_EQ(r->size, 1u);
  EXPECT_THAT(r->flat, ElementsAre(ValType::kI32));

  LayoutRef big = layout(Type::variant({{"a", prim(ValKind::kU8)}, {"b", prim(ValKind::kString)}}));
  EXPECT_EQ(big->payload_offset, 4u);
  EXPECT_EQ(big->size, 12u);
}

TEST(LayoutTest, VariantFlatteningJoinsTheCases) {
  // i32 and f32 join to i32; anything else mixed joins to i64.
  EXPECT_THAT(layout(Type::result(prim(ValKind::kU32), prim(ValKind::kF32)))->flat,
              ElementsAre(ValType::kI32, ValType::kI32));
  EXPECT_THAT(layout(Type::variant({{"a", prim(ValKind::kF32)}, {"b", prim(ValKind::kU64)}}))->flat,
              ElementsAre(ValType::kI32, ValType::kI64));
  EXPECT_THAT(layout(Type::variant({{"a", prim(ValKind::kF64)}, {"b", prim(ValKind::kF32)}}))->flat,
              ElementsAre(ValType::kI32, ValType::kI64));
  EXPECT_THAT(layout(Type::variant({{"a", Type::tuple({prim(ValKind::kU32), prim(ValKind::kF32)})},
                                    {"b", prim(ValKind::kU64)},
                                    {"c", nullptr}}))
                  ->flat,
              ElementsAre(ValType::kI32, ValType::kI64, ValType::kF32));
}

TEST(LayoutTest, FlagsUseTheSmallestInteger) {
  for (auto [n, size] : std::vector<std::pair<size_t, uint32_t>>{
           {1, 1}, {8, 1}, {9, 2}, {16, 2}, {17, 4}, {32, 4}}) {
    LayoutRef l = layout(Type::flags(labels(n)));
    EXPECT_EQ(l->size, size) << n << " flags";
    EXPECT_EQ(l->alignment, size) << n << " flags";
    EXPECT_THAT(l->flat, ElementsAre(ValType::kI32));
  }
}

TEST(LayoutTest, FlagsOutsideOneToThirtyTwoHaveNoLayout) {
  // Binary.md: (flags l+) with 0 < |l| <= 32; wasm-tools rejects "flags must have at least one
  // entry" and "cannot have more than 32 flags".
  EXPECT_ABI_ERROR(layout_of(Type::flags({})), ErrorCode::kInvalid, "1 to 32 labels");
  EXPECT_ABI_ERROR(layout_of(Type::flags(labels(33))), ErrorCode::kInvalid, "1 to 32 labels");
  EXPECT_ABI_ERROR(layout_of(Type::flags(labels(64))), ErrorCode::kInvalid, "this has 64");
}

TEST(LayoutTest, Lists) {
  LayoutRef l = layout(Type::list(prim(ValKind::kU8)));
  EXPECT_EQ(l->size, 8u);
  EXPECT_EQ(l->alignment, 4u);
  EXPECT_TRUE(l->number_elements);
  EXPECT_THAT(l->flat, ElementsAre(ValType::kI32, ValType::kI32));
  EXPECT_FALSE(layout(Type::list(prim(ValKind::kBool)))->number_elements);
  EXPECT_FALSE(layout(Type::list(prim(ValKind::kChar)))->number_elements);

  auto fixed = std::make_shared<Type>(*Type::list(prim(ValKind::kU16)));
  fixed->fixed_length = 3;
  LayoutRef f = layout(fixed);
  EXPECT_EQ(f->size, 6u);
  EXPECT_EQ(f->alignment, 2u);
  EXPECT_THAT(f->flat, ElementsAre(ValType::kI32, ValType::kI32, ValType::kI32));
}

TEST(LayoutTest, HandlesAreFoundAnywhereInside) {
  auto r = std::make_shared<ResourceType>(ResourceType{.name = "r"});
  EXPECT_TRUE(layout(Type::own(r))->contains_handles);
  EXPECT_TRUE(layout(Type::list(Type::option(Type::borrow(r))))->contains_handles);
  EXPECT_TRUE(layout(Type::result(nullptr, Type::tuple({prim(ValKind::kU8), Type::own(r)})))
                  ->contains_handles);
  EXPECT_FALSE(layout(Type::list(Type::record({{"a", prim(ValKind::kString)}})))->contains_handles);
}

TEST(LayoutTest, LongFlatteningsAreCountedButNotKept) {
  auto fixed = std::make_shared<Type>(*Type::list(prim(ValKind::kU8)));
  fixed->fixed_length = 1000;
  LayoutRef l = layout(fixed);
  EXPECT_EQ(l->flat_count, 1000u);
  EXPECT_TRUE(l->flat.empty());
  EXPECT_EQ(l->size, 1000u);
}

TEST(LayoutTest, TypesWithoutALayoutAreRefused) {
  EXPECT_ABI_ERROR(layout_of(Type::record({})), ErrorCode::kInvalid, "no fields");
  EXPECT_ABI_ERROR(layout_of(Type::tuple({})), ErrorCode::kInvalid, "no fields");
  EXPECT_ABI_ERROR(layout_of(Type::variant({})), ErrorCode::kInvalid, "no cases");
  EXPECT_ABI_ERROR(layout_of(Type::enumeration({})), ErrorCode::kInvalid, "no cases");
  EXPECT_ABI_ERROR(layout_of(Type::list(nullptr)), ErrorCode::kInvalid, "no element type");
  EXPECT_ABI_ERROR(layout_of(Type::own(nullptr)), ErrorCode::kInvalid, "no resource");
  EXPECT_ABI_ERROR(layout_of(nullptr), ErrorCode::kInvalid, "missing type");
  auto empty_fixed = std::make_shared<Type>(*Type::list(prim(ValKind::kU8)));
  empty_fixed->fixed_length = 0;
  EXPECT_ABI_ERROR(layout_of(empty_fixed), ErrorCode::kInvalid, "length above 0");
  auto huge = std::make_shared<Type>(*Type::list(prim(ValKind::kU64)));
  huge->fixed_length = 1u << 26;
  EXPECT_ABI_ERROR(layout_of(huge), ErrorCode::kInvalid, "2^28 bytes");
}

TEST(LayoutTest, LayoutsAreCachedPerType) {
  TypeRef type = Type::list(Type::tuple({prim(ValKind::kU8), prim(ValKind::kString)}));
  EXPECT_EQ(layout(type).get(), layout(type).get());
  // A structurally equal but distinct type gets its own layout.
  TypeRef twin = Type::list(Type::tuple({prim(ValKind::kU8), prim(ValKind::kString)}));
  EXPECT_NE(layout(type).get(), layout(twin).get());
}

FuncTypeRef func_of(std::vector<TypeRef> params, TypeRef result) {
  auto f = std::make_shared<FuncType>();
  for (size_t i = 0; i < params.size(); ++i) {
    f->params.push_back({"p" + std::to_string(i), std::move(params[i])});
  }
  f->result = std::move(result);
  return f;
}

TEST(LayoutTest, FunctionsFlattenUpToSixteenParamsAndOneResult) {
  FuncLayoutRef flat = expect_ok(
      func_layout(func_of(std::vector<TypeRef>(16, prim(ValKind::kU32)), prim(ValKind::kU64))));
  EXPECT_FALSE(flat->params_in_memory);
  EXPECT_FALSE(flat->result_in_memory);
  EXPECT_EQ(flat->lift_core_type().params.size(), 16u);
  EXPECT_THAT(flat->lift_core_type().results, ElementsAre(ValType::kI64));
  EXPECT_EQ(flat->lift_core_type(), flat->lower_core_type());

  FuncLayoutRef spilled = expect_ok(
      func_layout(func_of(std::vector<TypeRef>(17, prim(ValKind::kU32)), prim(ValKind::kString))));
  EXPECT_TRUE(spilled->params_in_memory);
  EXPECT_TRUE(spilled->result_in_memory);
  EXPECT_EQ(spilled->params_tuple->size, 68u);
  EXPECT_THAT(spilled->lift_core_type().params, ElementsAre(ValType::kI32));
  EXPECT_THAT(spilled->lift_core_type().results, ElementsAre(ValType::kI32));
  EXPECT_THAT(spilled->lower_core_type().params, ElementsAre(ValType::kI32, ValType::kI32));
  EXPECT_TRUE(spilled->lower_core_type().results.empty());

  // Eight strings are 16 core values: still flat.
  FuncLayoutRef strings =
      expect_ok(func_layout(func_of(std::vector<TypeRef>(8, prim(ValKind::kString)), nullptr)));
  EXPECT_FALSE(strings->params_in_memory);
  EXPECT_EQ(strings->lower_core_type().params.size(), 16u);
  EXPECT_TRUE(strings->lower_core_type().results.empty());
}

TEST(LayoutTest, AsyncFunctionsAreUnsupported) {
  auto f = std::make_shared<FuncType>();
  f->is_async = true;
  EXPECT_ABI_ERROR(func_layout(f), ErrorCode::kUnsupported, "async");
}

}  // namespace
}  // namespace berth::component::abi::testing
