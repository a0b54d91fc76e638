// Call expressions: function names (plain, %-escaped, qualified interface exports, resource
// functions), arguments typed by the function's parameters, omitted trailing options.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wave_test_util.h"

namespace berth::component {
namespace {

using ::testing::StartsWith;

using namespace wave_test;

FuncType func(std::vector<Field> params) {
  return FuncType{.params = std::move(params)};
}

WaveCall call_ok(std::string_view text, const FuncType& type) {
  auto call = parse_wave_call(text, type);
  EXPECT_TRUE(call.ok()) << text << ": " << (call.ok() ? "" : call.error().message());
  return call.ok() ? *call : WaveCall{};
}

std::string call_error(std::string_view text, const FuncType& type) {
  auto call = parse_wave_call(text, type);
  EXPECT_FALSE(call.ok()) << text;
  return call.ok() ? "" : call.error().message();
}

TEST(WaveCallTest, PlainName) {
  auto greet = func({{"name", t_string()}});
  WaveCall call = call_ok("greet(\"bob\")", greet);
  EXPECT_EQ(call.function, "greet");
  ASSERT_EQ(call.arguments.size(), 1u);
  EXPECT_EQ(call.arguments[0].str, "bob");
  EXPECT_EQ(call_ok("  my-func (\"x\" , ) // comment", greet).function, "my-func");
}

TEST(WaveCallTest, NoArguments) {
  WaveCall call = call_ok("with-result()", func({}));
  EXPECT_EQ(call.function, "with-result");
  EXPECT_TRUE(call.arguments.empty());
  EXPECT_EQ(call_error("f(,)", func({})),
            "at column 3: expected ')' to close the arguments, "
            "found ','");
  EXPECT_EQ(call_error("f(1)", func({})), "at column 3: too many arguments: f takes 0");
}

TEST(WaveCallTest, QualifiedInterfaceExportName) {
  auto greet = func({{"name", t_string()}});
  EXPECT_EQ(call_ok("example:t/api@0.1.0#greet(\"bob\")", greet).function,
            "example:t/api@0.1.0#greet");
  EXPECT_EQ(call_ok("wasi:cli/run@0.2.0-rc.1+b#run(\"x\")", greet).function,
            "wasi:cli/run@0.2.0-rc.1+b#run");
  EXPECT_EQ(call_ok("a:b/c#f(\"x\")", greet).function, "a:b/c#f");
  EXPECT_EQ(call_ok("a:b:c/d/e#f(\"x\")", greet).function, "a:b:c/d/e#f");
  EXPECT_EQ(call_ok("a:b/c#%ok(\"x\")", greet).function, "a:b/c#ok");
  EXPECT_EQ(parse_wave_call_name("example:t/api@0.1.0#greet(\"bob\")").value(),
            "example:t/api@0.1.0#greet");
}

TEST(WaveCallTest, KeywordAndResourceFunctionNames) {
  auto none = func({});
  EXPECT_EQ(call_ok("%ok()", none).function, "ok");
  EXPECT_EQ(call_ok("%non-keyword()", none).function, "non-keyword");
  EXPECT_EQ(call_ok("[constructor]counter()", none).function, "[constructor]counter");
  EXPECT_EQ(call_ok("[method]counter.get-value()", none).function, "[method]counter.get-value");
  EXPECT_EQ(call_ok("a:b/c#[static]counter.make()", none).function, "a:b/c#[static]counter.make");
}

TEST(WaveCallTest, NestedArguments) {
  auto point = Type::record({{"x", t_s32()}, {"y", t_s32()}});
  auto shape = Type::variant({{"circle", Type::tuple({point, t_u32()})}, {"dot", point}});
  auto draw = func({{"shapes", Type::list(shape)},
                    {"style", Type::option(Type::flags({"bold", "dashed"}))},
                    {"label", Type::result(t_string(), t_u8())}});
  WaveCall call =
      call_ok("draw([circle(({x: 1, y: -2}, 5)), dot({y: 0, x: 0})], {dashed}, err(3))", draw);
  ASSERT_EQ(call.arguments.size(), 3u);
  EXPECT_EQ(call.arguments[0].items.size(), 2u);
  EXPECT_EQ(call.arguments[0].items[0].payload().items[0].items[1].i, -2);
  EXPECT_TRUE(call.arguments[1].payload().flag(1));
  EXPECT_EQ(call.arguments[2].discriminant, 1u);
  EXPECT_EQ(print_wave_call(call.function, call.arguments, draw).value(),
            "draw([circle(({x: 1, y: -2}, 5)), dot({x: 0, y: 0})], some({dashed}), err(3))");
}

TEST(WaveCallTest, TrailingOptionsMayBeOmitted) {
  auto option_u8 = Type::option(t_u8());
  auto f = func({{"a", option_u8}, {"b", option_u8}, {"c", option_u8}});
  WaveCall one = call_ok("f(some(1))", f);
  ASSERT_EQ(one.arguments.size(), 3u);
  EXPECT_EQ(one.arguments[1].discriminant, 0u);
  EXPECT_EQ(one.arguments[2].discriminant, 0u);
  for (std::string_view text : {"f(some(1), none)", "f(some(1), none, none)", "f(1,)"}) {
    WaveCall other = call_ok(text, f);
    ASSERT_EQ(other.arguments.size(), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(vals_equal(one.arguments[i], other.arguments[i]));
  }
  EXPECT_EQ(call_ok("f()", f).arguments.size(), 3u);

  auto g = func({{"a", t_u8()}, {"b", option_u8}, {"c", t_string()}});
  EXPECT_EQ(call_error("g(1)", g), "at column 4: missing argument 'c' (string): g takes 3");
}

TEST(WaveCallTest, Errors) {
  auto greet = func({{"name", t_string()}});
  EXPECT_EQ(call_error("greet \"bob\"", greet),
            "at column 7: expected '(' after the function name, found string \"bob\"");
  EXPECT_EQ(call_error("greet(\"bob\"", greet),
            "at column 12: expected ',' or ')' in arguments, found end of input");
  EXPECT_EQ(call_error("greet(\"bob\", \"alice\")", greet),
            "at column 14: too many arguments: greet takes 1");
  EXPECT_EQ(call_error("greet(bob)", greet), "at column 7: expected a string, found label 'bob'");
  EXPECT_EQ(call_error("greet(\"bob\") extra", greet),
            "at column 14: expected end of input after the call, found label 'extra'");
  EXPECT_THAT(call_error("greet() -> \"x\"", greet),
              StartsWith("at column 9: a call expression to invoke cannot include results"));
  EXPECT_THAT(call_error("(\"bob\")", greet), StartsWith("at column 1: expected a function na"));
  EXPECT_THAT(call_error("", greet), StartsWith("at column 1: expected a function na"));
  EXPECT_THAT(call_error("Greet(\"bob\")", greet), StartsWith("at column 1: 'Greet' is not a fu"));
  EXPECT_EQ(call_error("ok(\"bob\")", greet),
            "at column 1: 'ok' is a WAVE keyword: write the function name as %ok");
  EXPECT_THAT(call_error("a:b#greet(\"bob\")", greet),
              StartsWith("at column 1: 'a:b#greet' is no"));
  EXPECT_THAT(call_error("a:b/c@#greet(\"bob\")", greet),
              StartsWith("at column 1: 'a:b/c@#greet' "));
  EXPECT_THAT(
      parse_wave_call_name("  ??").error().message(),
      StartsWith(
          "at column 3: expected a function name: a kebab-case label (%label for a keyword), "
          "an interface export such as ns:pkg/iface@1.0.0#name, or "
          "[method]resource.name, found '?'"));
}

TEST(WaveCallTest, Print) {
  auto f = func({{"a", t_u8()}, {"b", Type::option(t_string())}});
  EXPECT_EQ(print_wave_call("f", {Val::u8(1), Val::none()}, f).value(), "f(1, none)");
  EXPECT_EQ(print_wave_call("ok", {Val::u8(1), Val::none()}, f).value(), "%ok(1, none)");
  EXPECT_EQ(print_wave_call("a:b/c@1.0.0#f", {Val::u8(1), Val::some(Val::string("x"))}, f).value(),
            "a:b/c@1.0.0#f(1, some(\"x\"))");
  EXPECT_EQ(print_wave_call("f", {Val::u8(1)}, f).error().code(), ErrorCode::kUsage);
  EXPECT_EQ(print_wave_call("not a name", {Val::u8(1), Val::none()}, f).error().code(),
            ErrorCode::kUsage);
  // Printed calls read back as the same call.
  std::string text = print_wave_call("ok", {Val::u8(7), Val::none()}, f).value();
  WaveCall call = call_ok(text, f);
  EXPECT_EQ(call.function, "ok");
  EXPECT_TRUE(vals_equal(call.arguments[0], Val::u8(7)));
}

}  // namespace
}  // namespace berth::component
