#include "cli/invoke_expr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "cli/run_command.h"

namespace berth::cli {
namespace {

using engine::ValType;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(InvokeExpr, SplitsNameAndArguments) {
  auto e = parse_invoke_expr("add(1, -2)");
  ASSERT_TRUE(e) << e.error().message();
  EXPECT_EQ(e->function, "add");
  EXPECT_THAT(e->arguments, ElementsAre("1", "-2"));
  auto none = parse_invoke_expr("  run ( ) ");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->function, "run");
  EXPECT_TRUE(none->arguments.empty());
}

TEST(InvokeExpr, KeepsStructuredArgumentsWhole) {
  auto e = parse_invoke_expr(R"x(example:t/api@0.1.0#f({a: 1, b: [2, 3]}, "x, (y)", 4))x");
  ASSERT_TRUE(e) << e.error().message();
  EXPECT_EQ(e->function, "example:t/api@0.1.0#f");
  EXPECT_THAT(e->arguments, ElementsAre("{a: 1, b: [2, 3]}", R"x("x, (y)")x", "4"));
}

TEST(InvokeExpr, QuotedNames) {
  auto e = parse_invoke_expr(R"("odd name"(1))");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->function, "odd name");
}

TEST(InvokeExpr, ErrorsNameTheColumn) {
  for (const char* bad : {"", "f", "f(1", "f(1,)", "f(,1)", "f(1) x", "(1)", "f(\"x)"}) {
    auto e = parse_invoke_expr(bad);
    ASSERT_FALSE(e) << bad;
    EXPECT_THAT(e.error().message(), HasSubstr("column")) << bad;
  }
}

TEST(CoreValue, Integers) {
  EXPECT_EQ(parse_core_value("-2147483648", ValType::kI32)->i32, INT32_MIN);
  EXPECT_EQ(parse_core_value("4294967295", ValType::kI32)->i32, -1);
  EXPECT_EQ(parse_core_value("0x10", ValType::kI32)->i32, 16);
  EXPECT_EQ(parse_core_value("-0x10", ValType::kI64)->i64, -16);
  EXPECT_EQ(parse_core_value("18446744073709551615", ValType::kI64)->i64, -1);
  EXPECT_FALSE(parse_core_value("4294967296", ValType::kI32));
  EXPECT_FALSE(parse_core_value("-2147483649", ValType::kI32));
  EXPECT_FALSE(parse_core_value("1.5", ValType::kI32));
  EXPECT_FALSE(parse_core_value("", ValType::kI32));
}

TEST(CoreValue, Floats) {
  EXPECT_EQ(parse_core_value("1.5e3", ValType::kF64)->f64, 1500.0);
  EXPECT_EQ(parse_core_value("-0.25", ValType::kF32)->f32, -0.25f);
  EXPECT_TRUE(std::isnan(parse_core_value("nan", ValType::kF64)->f64));
  EXPECT_EQ(parse_core_value("-inf", ValType::kF32)->f32, -INFINITY);
  EXPECT_FALSE(parse_core_value("1.5x", ValType::kF64));
  EXPECT_FALSE(parse_core_value("1", ValType::kV128));
}

TEST(CoreValue, Formatting) {
  EXPECT_EQ(format_core_value(engine::Value::from_i32(-7)), "-7");
  EXPECT_EQ(format_core_value(engine::Value::from_i64(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(format_core_value(engine::Value::from_f32(0.1f)), "0.1");
  EXPECT_EQ(format_core_value(engine::Value::from_f64(0.1)), "0.1");
  EXPECT_EQ(format_core_value(engine::Value::from_f64(-INFINITY)), "-inf");
  EXPECT_EQ(format_core_value(engine::Value::from_f64(NAN)), "nan");
}

TEST(ByteSize, Suffixes) {
  EXPECT_EQ(*parse_byte_size("65536"), 65536u);
  EXPECT_EQ(*parse_byte_size("64K"), 65536u);
  EXPECT_EQ(*parse_byte_size("2MiB"), 2u << 20);
  EXPECT_EQ(*parse_byte_size("1G"), 1u << 30);
  EXPECT_FALSE(parse_byte_size("M"));
  EXPECT_FALSE(parse_byte_size("10 MB"));
  EXPECT_FALSE(parse_byte_size("99999999999999999999"));
  EXPECT_FALSE(parse_byte_size("17179869184G"));
}

}  // namespace
}  // namespace berth::cli
