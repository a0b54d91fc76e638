#include "wast_values.h"

#include <gtest/gtest.h>

namespace berth::conformance {
namespace {

using component::Type;
using component::Val;
using component::ValKind;

Val parse(const char* text, const component::TypeRef& type) {
  auto form = parse_sexpr(text);
  EXPECT_TRUE(form) << form.error().message();
  auto v = wast_value(*form, type);
  EXPECT_TRUE(v) << v.error().message();
  return v ? *v : Val();
}

TEST(WastValues, Scalars) {
  EXPECT_EQ(parse("(u32.const 0xffffffff)", Type::primitive(ValKind::kU32)).u, 0xffffffffu);
  EXPECT_EQ(parse("(s8.const 0xff)", Type::primitive(ValKind::kS8)).i, -1);
  EXPECT_EQ(parse("(s64.const -9223372036854775808)", Type::primitive(ValKind::kS64)).i, INT64_MIN);
  EXPECT_EQ(parse("(f32.const 5)", Type::primitive(ValKind::kF32)).f32, 5.0f);
  EXPECT_EQ(parse("(char.const \"\\u{1F370}\")", Type::primitive(ValKind::kChar)).u, 0x1f370u);
  EXPECT_EQ(parse("(str.const \"a\\nb\")", Type::primitive(ValKind::kString)).str, "a\nb");
}

TEST(WastValues, Compounds) {
  auto list = Type::list(Type::primitive(ValKind::kU32));
  EXPECT_EQ(parse("(list.const (u32.const 1) (u32.const 2))", list).items.size(), 2u);
  auto record = Type::record({{"name", Type::primitive(ValKind::kString)}, {"scores", list}});
  Val r = parse(
      R"((record.const (field "name" str.const "p:") (field "scores" list.const (u32.const 10) (u32.const 20))))",
      record);
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_EQ(r.items[0].str, "p:");
  EXPECT_EQ(r.items[1].items.size(), 2u);
  auto variant = Type::variant({{"a", Type::primitive(ValKind::kF32)}, {"b", nullptr}});
  EXPECT_EQ(parse(R"((variant.const "a" (f32.const 5)))", variant).items[0].f32, 5.0f);
  EXPECT_EQ(parse(R"((variant.const "b"))", variant).discriminant, 1u);
  auto option = Type::option(
      Type::tuple({Type::primitive(ValKind::kString), Type::primitive(ValKind::kU32)}));
  EXPECT_EQ(
      parse(R"((option.some (tuple.const (str.const "n=") (u32.const 7))))", option).discriminant,
      1u);
  auto flags = Type::flags({"a", "b", "c"});
  EXPECT_EQ(parse(R"((flags.const "a" "c"))", flags).flag_bits.at(0), 5u);
}

TEST(WastValues, MismatchesAreErrors) {
  auto form = parse_sexpr("(u8.const 256)");
  ASSERT_TRUE(form);
  EXPECT_FALSE(wast_value(*form, Type::primitive(ValKind::kU8)));
  EXPECT_FALSE(wast_value(*form, Type::primitive(ValKind::kString)));
}

}  // namespace
}  // namespace berth::conformance
