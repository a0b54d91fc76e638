// Typed parsing of every value kind, the shorthand rules and the error messages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "wave_test_util.h"

namespace berth::component {
namespace {

using ::testing::StartsWith;

using namespace wave_test;

TEST(WaveParseTest, Bools) {
  EXPECT_TRUE(parse_ok("true", t_bool()).b);
  EXPECT_FALSE(parse_ok("false", t_bool()).b);
  EXPECT_EQ(parse_ok(" // leading comment\n true // trailing\n", t_bool()).kind, ValKind::kBool);
  EXPECT_EQ(parse_error("%true", t_bool()),
            "at column 1: expected 'true' or 'false', found label "
            "'%true'");
  EXPECT_EQ(parse_error("True", t_bool()),
            "at column 1: invalid label 'True': a word of a label "
            "cannot mix upper and lower case");
  EXPECT_EQ(parse_error("1", t_bool()),
            "at column 1: expected 'true' or 'false', found number "
            "'1'");
  EXPECT_EQ(parse_error_code("1", t_bool()), ErrorCode::kInvalid);
}

TEST(WaveParseTest, IntegerBounds) {
  struct Case {
    TypeRef type;
    const char* min;
    const char* max;
    const char* below;
    const char* above;
  };
  const Case cases[] = {
      {t_s8(), "-128", "127", "-129", "128"},
      {t_u8(), "0", "255", "-1", "256"},
      {t_s16(), "-32768", "32767", "-32769", "32768"},
      {t_u16(), "0", "65535", "-1", "65536"},
      {t_s32(), "-2147483648", "2147483647", "-2147483649", "2147483648"},
      {t_u32(), "0", "4294967295", "-1", "4294967296"},
      {t_s64(), "-9223372036854775808", "9223372036854775807", "-9223372036854775809",
       "9223372036854775808"},
      {t_u64(), "0", "18446744073709551615", "-1", "18446744073709551616"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(canonical(c.min, c.type), c.min);
    EXPECT_EQ(canonical(c.max, c.type), c.max);
    EXPECT_EQ(parse_error_code(c.below, c.type), ErrorCode::kInvalid) << c.below;
    EXPECT_EQ(parse_error_code(c.above, c.type), ErrorCode::kInvalid) << c.above;
  }
  EXPECT_EQ(parse_ok("-128", t_s8()).i, -128);
  EXPECT_EQ(parse_ok("-9223372036854775808", t_s64()).i, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(parse_ok("18446744073709551615", t_u64()).u, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(parse_error("300", t_u8()),
            "at column 1: number '300' is out of range for u8 (0 to "
            "255)");
  EXPECT_THAT(parse_error("99999999999999999999999", t_s64()),
              StartsWith("at column 1: number '99999999999999999999999' "));
}

TEST(WaveParseTest, IntegerForms) {
  EXPECT_EQ(parse_ok("-0", t_u8()).u, 0u);
  EXPECT_EQ(parse_ok("-0", t_s32()).i, 0);
  EXPECT_EQ(parse_error("1.5", t_u32()),
            "at column 1: expected an integer for u32, found number "
            "'1.5'");
  EXPECT_EQ(parse_error("1e3", t_s32()),
            "at column 1: expected an integer for s32, found number "
            "'1e3'");
  EXPECT_EQ(parse_error("nan", t_s8()), "at column 1: expected an s8, found keyword 'nan'");
  EXPECT_EQ(parse_error("-inf", t_s8()),
            "at column 1: expected an integer for s8, found number "
            "'-inf'");
  EXPECT_EQ(parse_error("\"1\"", t_u8()), "at column 1: expected a u8, found string \"1\"");
  EXPECT_EQ(parse_error("01", t_u8()), "at column 1: numbers cannot have leading zeros");
  EXPECT_EQ(parse_error_code("01", t_u8()), ErrorCode::kMalformed);
}

TEST(WaveParseTest, Floats) {
  EXPECT_DOUBLE_EQ(parse_ok("3.14", t_f64()).f64, 3.14);
  EXPECT_DOUBLE_EQ(parse_ok("6.022e+23", t_f64()).f64, 6.022e23);
  EXPECT_DOUBLE_EQ(parse_ok("6.022E23", t_f64()).f64, 6.022e23);
  EXPECT_DOUBLE_EQ(parse_ok("-1e-7", t_f64()).f64, -1e-7);
  EXPECT_DOUBLE_EQ(parse_ok("123", t_f64()).f64, 123);
  EXPECT_TRUE(std::isnan(parse_ok("nan", t_f64()).f64));
  EXPECT_TRUE(std::isnan(parse_ok("nan", t_f32()).f32));
  EXPECT_EQ(parse_ok("inf", t_f64()).f64, std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_ok("-inf", t_f64()).f64, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_ok("-inf", t_f32()).f32, -std::numeric_limits<float>::infinity());
  Val negative_zero = parse_ok("-0", t_f64());
  EXPECT_TRUE(negative_zero.f64 == 0 && std::signbit(negative_zero.f64));

  // f32 values are rounded once, straight from the decimal text.
  EXPECT_EQ(parse_ok("3.4028235e38", t_f32()).f32, std::numeric_limits<float>::max());
  EXPECT_EQ(parse_ok("340282356779733661637539395458142568447", t_f32()).f32,
            std::numeric_limits<float>::max());
  EXPECT_EQ(parse_ok("1e-45", t_f32()).f32, std::numeric_limits<float>::denorm_min());
  // Too large for the type: infinity; too small: zero (IEEE 754 rounding).
  EXPECT_EQ(parse_ok("3.5e38", t_f32()).f32, std::numeric_limits<float>::infinity());
  EXPECT_EQ(parse_ok("-1e400", t_f64()).f64, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_ok("1e-50", t_f32()).f32, 0.0f);
  EXPECT_EQ(parse_ok("0.00001e-400", t_f64()).f64, 0.0);
  EXPECT_EQ(parse_ok("100000e-400", t_f64()).f64, 0.0);
  EXPECT_EQ(parse_ok("0.000001e400", t_f64()).f64, std::numeric_limits<double>::infinity());
  EXPECT_EQ(parse_ok("0e99999999999999999999", t_f64()).f64, 0.0);

  EXPECT_EQ(parse_error("NaN", t_f64()),
            "at column 1: invalid label 'NaN': a word of a label "
            "cannot mix upper and lower case");
  EXPECT_EQ(parse_error("infinity", t_f64()),
            "at column 1: expected an f64 (a number, 'nan', 'inf' or '-inf'), found label "
            "'infinity'");
  EXPECT_EQ(parse_error("-nan", t_f32()), "at column 1: expected a digit or 'inf' after '-'");
  EXPECT_THAT(parse_error("%inf", t_f32()), StartsWith("at column 1: expected an f32 (a nu"));
}

TEST(WaveParseTest, Chars) {
  EXPECT_EQ(parse_ok("'x'", t_char()).u, U'x');
  EXPECT_EQ(parse_ok("'☃'", t_char()).u, U'☃');
  EXPECT_EQ(parse_ok("'\\''", t_char()).u, U'\'');
  EXPECT_EQ(parse_ok("'\\u{0}'", t_char()).u, 0u);
  EXPECT_EQ(parse_error("\"x\"", t_char()), "at column 1: expected a char, found string \"x\"");
  EXPECT_THAT(parse_error("'☃☃'", t_char()),
              StartsWith("at column 3: expected ''' to close the cha"));
}

TEST(WaveParseTest, Strings) {
  EXPECT_EQ(parse_ok("\"abc\\t123\"", t_string()).str, "abc\t123");
  EXPECT_EQ(parse_ok("\"👋 Hello, world! 👋\"", t_string()).str, "👋 Hello, world! 👋");
  EXPECT_EQ(parse_ok("\"\"\"\n  multi\n  line\n  \"\"\"", t_string()).str, "multi\nline");
  EXPECT_EQ(parse_error("'x'", t_string()), "at column 1: expected a string, found char 'x'");
  EXPECT_EQ(parse_error("abc", t_string()), "at column 1: expected a string, found label 'abc'");
}

TEST(WaveParseTest, Lists) {
  auto list_u8 = Type::list(t_u8());
  EXPECT_TRUE(parse_ok("[]", list_u8).items.empty());
  EXPECT_EQ(parse_ok("[1, 2, 3]", list_u8).items.size(), 3u);
  EXPECT_EQ(parse_ok("[1, 2, 3,]", list_u8).items.size(), 3u);
  EXPECT_EQ(parse_ok("[ 1 ,\n 2 ]", list_u8).items[1].u, 2u);
  EXPECT_EQ(parse_ok("['a', 'b', 'c']", Type::list(t_char())).items[2].u, U'c');
  EXPECT_EQ(parse_error("[1, 2}", list_u8), "at column 6: expected ',' or ']' in list, found '}'");
  EXPECT_EQ(parse_error("[1 2]", list_u8),
            "at column 4: expected ',' or ']' in list, found number '2'");
  EXPECT_EQ(parse_error("[,]", list_u8), "at column 2: expected a u8, found ','");
  EXPECT_EQ(parse_error("[1,,]", list_u8), "at column 4: expected a u8, found ','");
  EXPECT_EQ(parse_error("[1", list_u8),
            "at column 3: expected ',' or ']' in list, found end of input");
  EXPECT_EQ(parse_error("(1)", list_u8), "at column 1: expected '[' to begin list<u8>, found '('");
  EXPECT_THAT(parse_error("[1, 256]", list_u8), StartsWith("at column 5: number '256' "));
}

TEST(WaveParseTest, FixedLengthLists) {
  auto type = std::make_shared<Type>(*Type::list(t_u8()));
  type->fixed_length = 2;
  TypeRef fixed = type;
  EXPECT_EQ(parse_ok("[1, 2]", fixed).items.size(), 2u);
  EXPECT_EQ(parse_error("[1]", fixed), "at column 1: list<u8, 2> needs 2 elements, found 1");
}

TEST(WaveParseTest, Tuples) {
  auto type = Type::tuple({t_u8(), t_string()});
  Val val = parse_ok("(123, \"abc\")", type);
  ASSERT_EQ(val.items.size(), 2u);
  EXPECT_EQ(val.items[0].u, 123u);
  EXPECT_EQ(val.items[1].str, "abc");
  EXPECT_EQ(parse_ok("(123, \"abc\",)", type).items.size(), 2u);
  EXPECT_EQ(parse_error("(123)", type), "at column 1: tuple<u8, string> has 2 elements, found 1");
  EXPECT_EQ(parse_error("(123,)", type), "at column 1: tuple<u8, string> has 2 elements, found 1");
  EXPECT_EQ(parse_error("(1, \"a\", 3)", type),
            "at column 1: tuple<u8, string> has 2 elements, found 3");
  EXPECT_EQ(parse_error("(1; \"a\")", type), "at column 3: unexpected character ';'");
  EXPECT_EQ(parse_error("(1 \"a\")", type),
            "at column 4: expected ',' or ')' in tuple, found string \"a\"");
  EXPECT_EQ(parse_error("(1, \"a\"]", type), "at column 8: expected ')' to close tuple, found ']'");
  EXPECT_EQ(parse_error("()", type), "at column 1: tuple<u8, string> has 2 elements, found 0");
}

TypeRef example_record() {
  return Type::record({{"must-have", t_u8()}, {"optional", Type::option(t_u8())}});
}

TEST(WaveParseTest, Records) {
  TypeRef type = example_record();
  Val full = parse_ok("{must-have: 123, optional: some(4)}", type);
  ASSERT_EQ(full.items.size(), 2u);
  EXPECT_EQ(full.items[0].u, 123u);
  EXPECT_EQ(full.items[1].discriminant, 1u);
  // Fields in any order; option fields may be left out; trailing commas.
  Val reordered = parse_ok("{optional: 4, must-have: 123,}", type);
  EXPECT_TRUE(vals_equal(full, reordered));
  Val omitted = parse_ok("{must-have: 123}", type);
  EXPECT_TRUE(vals_equal(omitted, parse_ok("{must-have: 123, optional: none,}", type)));
  EXPECT_EQ(omitted.items[1].discriminant, 0u);
  // Field labels may carry `%`, and keywords need none.
  EXPECT_TRUE(vals_equal(full, parse_ok("{%must-have: 123, %optional: some(4)}", type)));
  auto keyword_fields = Type::record({{"true", t_bool()}, {"ok", Type::option(t_bool())}});
  EXPECT_EQ(parse_ok("{true: true, ok: false}", keyword_fields).items[1].discriminant, 1u);

  EXPECT_EQ(parse_error("{optional: none}", type),
            "at column 1: record is missing field 'must-have'");
  EXPECT_EQ(parse_error("{must-have: 1, must-have: 2}", type),
            "at column 16: field 'must-have' is given twice");
  EXPECT_EQ(parse_error("{must-have: 1, other: 2}", type),
            "at column 16: 'other' is not a field of record { must-have: u8, optional: "
            "option<u8> }");
  EXPECT_EQ(parse_error("{must-have 1}", type),
            "at column 12: expected ':' after field label 'must-have', found number '1'");
  EXPECT_EQ(parse_error("{must-have: 1 optional: 2}", type),
            "at column 15: expected ',' or '}' in record, found label 'optional'");
  EXPECT_EQ(parse_error("{must-have: 0,,}", type),
            "at column 15: expected a field label in record, found ','");
  EXPECT_EQ(parse_error("{, must-have: 0}", type),
            "at column 2: expected a field label in record, found ','");
  EXPECT_EQ(parse_error("{}", type),
            "at column 2: expected a field label, found '}' (a record "
            "without fields is written {:})");
  EXPECT_EQ(parse_error("{\"a\": 1}", type),
            "at column 2: expected a field label in record, found string \"a\"");
}

TEST(WaveParseTest, EmptyRecordForm) {
  auto all_optional = Type::record({{"optional", Type::option(t_u8())}});
  EXPECT_EQ(parse_ok("{:}", all_optional).items[0].discriminant, 0u);
  EXPECT_EQ(parse_ok("{ : }", all_optional).items[0].discriminant, 0u);
  EXPECT_TRUE(
      vals_equal(parse_ok("{:}", all_optional), parse_ok("{optional: none}", all_optional)));
  EXPECT_THAT(parse_error("{}", all_optional), StartsWith("at column 2: expected a field label, "));
  EXPECT_EQ(parse_error("{:,}", all_optional),
            "at column 3: expected '}' after ':' of an empty record, found ','");
  EXPECT_EQ(parse_error("{:}", example_record()),
            "at column 1: record is missing field 'must-have'");
}

TypeRef response_variant() {
  return Type::variant({{"empty", nullptr}, {"body", Type::list(t_u8())}, {"err", t_string()}});
}

TEST(WaveParseTest, Variants) {
  TypeRef type = response_variant();
  Val empty = parse_ok("empty", type);
  EXPECT_EQ(empty.discriminant, 0u);
  EXPECT_FALSE(empty.has_payload());
  Val body = parse_ok("body([79, 75])", type);
  EXPECT_EQ(body.discriminant, 1u);
  EXPECT_EQ(body.payload().items.size(), 2u);
  EXPECT_EQ(parse_ok("body ( [] )", type).discriminant, 1u);
  Val err = parse_ok("%err(\"oops\")", type);
  EXPECT_EQ(err.discriminant, 2u);
  EXPECT_EQ(err.payload().str, "oops");
  // Any case may carry `%`.
  EXPECT_EQ(parse_ok("%empty", type).discriminant, 0u);

  EXPECT_EQ(parse_error("err(\"oops\")", type),
            "at column 1: expected a case of variant { empty, body(list<u8>), err(string) }, "
            "found keyword 'err' (write the case as %err: it is a WAVE keyword)");
  EXPECT_THAT(parse_error("full", type), StartsWith("at column 1: 'full' is not a case of var"));
  EXPECT_EQ(parse_error("empty(1)", type), "at column 6: 'empty' has no payload");
  EXPECT_EQ(parse_error("body", type),
            "at column 5: 'body' needs a payload: expected '(' after it, found end of input");
  EXPECT_EQ(parse_error("body([1], [2])", type),
            "at column 9: expected ')' after the payload of 'body', found ','");
  EXPECT_EQ(parse_error("body()", type), "at column 6: expected '[' to begin list<u8>, found ')'");
  EXPECT_EQ(parse_error_code("full", type), ErrorCode::kInvalid);
}

TEST(WaveParseTest, Enums) {
  auto status = Type::enumeration({"ok", "not-found"});
  EXPECT_EQ(parse_ok("%ok", status).discriminant, 0u);
  EXPECT_EQ(parse_ok("not-found", status).discriminant, 1u);
  EXPECT_EQ(parse_ok("%not-found", status).discriminant, 1u);
  EXPECT_EQ(parse_error("ok", status),
            "at column 1: expected a case of enum { ok, not-found }, found keyword 'ok' (write "
            "the case as %ok: it is a WAVE keyword)");
  EXPECT_EQ(parse_error("none", status),
            "at column 1: expected a case of enum { ok, not-found }, found keyword 'none'");
  EXPECT_EQ(parse_error("found", status),
            "at column 1: 'found' is not a case of enum { ok, not-found }");
  EXPECT_EQ(parse_error("not-found(1)", status), "at column 10: 'not-found' has no payload");
  auto keyword_cases =
      Type::enumeration({"true", "false", "some", "none", "ok", "err", "inf", "nan"});
  for (std::string_view keyword : {"true", "false", "some", "none", "ok", "err", "inf", "nan"}) {
    EXPECT_EQ(parse_error_code(keyword, keyword_cases), ErrorCode::kInvalid) << keyword;
    EXPECT_EQ(parse_ok("%" + std::string(keyword), keyword_cases).kind, ValKind::kEnum);
  }
}

TEST(WaveParseTest, Options) {
  auto option_u8 = Type::option(t_u8());
  EXPECT_EQ(parse_ok("none", option_u8).discriminant, 0u);
  Val some = parse_ok("some(123)", option_u8);
  EXPECT_EQ(some.discriminant, 1u);
  EXPECT_EQ(some.payload().u, 123u);
  // The flat form.
  EXPECT_TRUE(vals_equal(parse_ok("123", option_u8), some));
  auto option_string = Type::option(t_string());
  EXPECT_EQ(parse_ok("\"flat some\"", option_string).payload().str, "flat some");
  EXPECT_EQ(parse_ok("some(\"explicit some\")", option_string).payload().str, "explicit some");

  EXPECT_EQ(parse_error("some", option_u8),
            "at column 5: 'some' needs a payload: expected '(' after it, found end of input");
  EXPECT_EQ(parse_error("some()", option_u8), "at column 6: expected a u8, found ')'");
  EXPECT_EQ(parse_error("none()", option_u8), "at column 5: 'none' has no payload");
  EXPECT_EQ(parse_error("none(0)", option_u8), "at column 5: 'none' has no payload");
  EXPECT_EQ(parse_error("some(some(0))", option_u8),
            "at column 6: expected a u8, found keyword 'some'");
  EXPECT_THAT(parse_error("some(none)", option_u8),
              StartsWith("at column 6: expected a u8, found key"));
  EXPECT_EQ(parse_error("%some(1)", option_u8), "at column 1: expected a u8, found label '%some'");
}

TEST(WaveParseTest, NestedOptions) {
  auto nested = Type::option(Type::option(t_u8()));
  Val none = parse_ok("none", nested);
  EXPECT_EQ(none.discriminant, 0u);
  Val some_none = parse_ok("some(none)", nested);
  EXPECT_EQ(some_none.discriminant, 1u);
  EXPECT_EQ(some_none.payload().discriminant, 0u);
  Val some_some = parse_ok("some(some(1))", nested);
  EXPECT_EQ(some_some.payload().payload().u, 1u);
  // The inner option may be flat, the outer may not.
  EXPECT_TRUE(vals_equal(parse_ok("some(1)", nested), some_some));
  EXPECT_EQ(parse_error("1", nested),
            "at column 1: expected 'some(...)' or 'none' for option<option<u8>> (a payload "
            "that is an option or result cannot be written flat), found number '1'");
  auto option_result = Type::option(Type::result(t_u8(), nullptr));
  EXPECT_EQ(parse_error_code("ok(1)", option_result), ErrorCode::kInvalid);
  EXPECT_EQ(parse_ok("some(ok(1))", option_result).payload().payload().u, 1u);
  EXPECT_EQ(parse_ok("some(1)", option_result).payload().payload().u, 1u);
}

TEST(WaveParseTest, Results) {
  auto result_u8 = Type::result(t_u8(), nullptr);
  Val ok = parse_ok("ok(123)", result_u8);
  EXPECT_EQ(ok.discriminant, 0u);
  EXPECT_EQ(ok.payload().u, 123u);
  EXPECT_TRUE(vals_equal(parse_ok("123", result_u8), ok));
  Val err = parse_ok("err", result_u8);
  EXPECT_EQ(err.discriminant, 1u);
  EXPECT_FALSE(err.has_payload());

  auto result_string = Type::result(t_string(), t_string());
  EXPECT_EQ(parse_ok("\"flat ok\"", result_string).payload().str, "flat ok");
  EXPECT_EQ(parse_ok("ok(\"explicit ok\")", result_string).payload().str, "explicit ok");
  EXPECT_EQ(parse_ok("err(\"oops\")", result_string).payload().str, "oops");

  auto error_only = Type::result(nullptr, t_string());
  EXPECT_FALSE(parse_ok("ok", error_only).has_payload());
  EXPECT_EQ(parse_ok("err(\"oops\")", error_only).discriminant, 1u);
  EXPECT_EQ(parse_error("\"oops\"", error_only),
            "at column 1: expected 'ok' or 'err' for result<_, string>, found string \"oops\"");

  auto bare = Type::result(nullptr, nullptr);
  EXPECT_EQ(parse_ok("ok", bare).discriminant, 0u);
  EXPECT_EQ(parse_ok("err", bare).discriminant, 1u);
  EXPECT_EQ(parse_error("ok()", bare), "at column 3: 'ok' has no payload");
  EXPECT_EQ(parse_error("err(0)", bare), "at column 4: 'err' has no payload");

  EXPECT_EQ(parse_error("ok", result_u8),
            "at column 3: 'ok' needs a payload: expected '(' after it, found end of input");
  EXPECT_EQ(parse_error("err(0)", result_u8), "at column 4: 'err' has no payload");
  EXPECT_EQ(parse_error("o(0)", result_u8), "at column 1: expected a u8, found label 'o'");
  auto both = Type::result(t_u8(), t_u8());
  EXPECT_EQ(parse_error("err", both),
            "at column 4: 'err' needs a payload: expected '(' after it, found end of input");
  EXPECT_EQ(parse_error("err()", both), "at column 5: expected a u8, found ')'");
}

TEST(WaveParseTest, ResultFlatFormRules) {
  // No flat form when the ok payload is an option or result.
  auto result_option = Type::result(Type::option(t_u8()), nullptr);
  EXPECT_EQ(parse_error("1", result_option),
            "at column 1: expected 'ok' or 'err' for result<option<u8>> (an ok payload that is "
            "an option or result cannot be written flat), found number '1'");
  EXPECT_EQ(parse_error_code("none", result_option), ErrorCode::kInvalid);
  EXPECT_EQ(parse_ok("ok(none)", result_option).payload().discriminant, 0u);
  EXPECT_EQ(parse_ok("ok(5)", result_option).payload().payload().u, 5u);
  auto nested = Type::result(Type::result(t_u8(), nullptr), nullptr);
  EXPECT_EQ(parse_error_code("ok", nested), ErrorCode::kInvalid);
  EXPECT_EQ(parse_ok("ok(ok(1))", nested).payload().payload().u, 1u);
  EXPECT_EQ(parse_ok("ok(1)", nested).payload().payload().u, 1u);
  // A variant payload that has a keyword case still needs `%`.
  auto result_variant = Type::result(response_variant(), nullptr);
  EXPECT_EQ(parse_ok("%err(\"x\")", result_variant).payload().discriminant, 2u);
  EXPECT_EQ(parse_ok("err", result_variant).discriminant, 1u);
}

TEST(WaveParseTest, Flags) {
  auto perms = Type::flags({"read", "write", "exec"});
  Val val = parse_ok("{write, read,}", perms);
  EXPECT_TRUE(val.flag(0));
  EXPECT_TRUE(val.flag(1));
  EXPECT_FALSE(val.flag(2));
  EXPECT_TRUE(vals_equal(val, parse_ok("{read, write}", perms)));
  EXPECT_FALSE(parse_ok("{}", perms).flag(0));
  EXPECT_TRUE(parse_ok("{%exec}", perms).flag(2));
  EXPECT_EQ(parse_error("{read, read}", perms), "at column 8: flag 'read' is given twice");
  EXPECT_EQ(parse_error("{read, write, execute}", perms),
            "at column 15: 'execute' is not a flag of flags { read, write, exec }");
  EXPECT_EQ(parse_error("{read write}", perms),
            "at column 7: expected ',' or '}' in flags, found label 'write'");
  EXPECT_EQ(parse_error("{read,,}", perms),
            "at column 7: expected a flag label or '}' in flags, found ','");
  EXPECT_EQ(parse_error("{:}", perms),
            "at column 2: expected a flag label or '}' in flags, found ':'");
  EXPECT_EQ(parse_error("[read]", perms),
            "at column 1: expected '{' to begin flags { read, write, exec }, found '['");

  std::vector<std::string> many;
  for (int i = 0; i < 40; ++i) many.push_back("f" + std::to_string(i));
  auto wide = Type::flags(many);
  Val high = parse_ok("{f39, f0}", wide);
  EXPECT_TRUE(high.flag(39));
  EXPECT_TRUE(high.flag(0));
  EXPECT_FALSE(high.flag(38));
}

TEST(WaveParseTest, ResourcesAreRefused) {
  auto resource = std::make_shared<ResourceType>(ResourceType{.name = "wasi:io/streams#input"});
  auto status = parse_wave("input(1)", Type::own(resource));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kUnsupported);
  EXPECT_EQ(status.error().message(),
            "at column 1: resource handles (own<wasi:io/streams#input>) cannot be written in "
            "WAVE");
  auto in_list = parse_wave("[1]", Type::list(Type::borrow(resource)));
  ASSERT_FALSE(in_list.ok());
  EXPECT_EQ(in_list.error().message(),
            "at column 2: resource handles (borrow<wasi:io/streams#input>) cannot be written in "
            "WAVE");
}

TEST(WaveParseTest, TrailingTextAndEmptyInput) {
  EXPECT_EQ(parse_error("1 2", t_u8()),
            "at column 3: expected end of input after the value, found number '2'");
  EXPECT_EQ(parse_error("", t_u8()), "at column 1: expected a u8, found end of input");
  EXPECT_EQ(parse_error_code("", t_u8()), ErrorCode::kMalformed);
  EXPECT_EQ(parse_error("  // only a comment", t_u8()),
            "at column 20: expected a u8, found end of input");
  auto null_type = parse_wave("1", nullptr);
  ASSERT_FALSE(null_type.ok());
  EXPECT_EQ(null_type.error().code(), ErrorCode::kUsage);
}

TEST(WaveParseTest, ErrorsGiveLineAndColumnInMultilineText) {
  auto list_u8 = Type::list(t_u8());
  EXPECT_EQ(parse_error("[\n  1,\n  2\n  }", list_u8),
            "at line 4, column 3: expected ',' or ']' in list, found '}'");
  EXPECT_EQ(parse_error("[\"é\", 1}", Type::list(t_string())),
            "at column 7: expected a string, found number '1'");
}

TEST(WaveParseTest, ErrorCodes) {
  auto list_u8 = Type::list(t_u8());
  // Text that is not WAVE at all.
  EXPECT_EQ(parse_error_code("[1, 2}", list_u8), ErrorCode::kMalformed);
  EXPECT_EQ(parse_error_code("[1, ?]", list_u8), ErrorCode::kMalformed);
  EXPECT_EQ(parse_error_code("\"abc", t_string()), ErrorCode::kMalformed);
  // WAVE text of another type.
  EXPECT_EQ(parse_error_code("[1, \"a\"]", list_u8), ErrorCode::kInvalid);
  EXPECT_EQ(parse_error_code("256", t_u8()), ErrorCode::kInvalid);
  EXPECT_EQ(parse_error_code("{a}", list_u8), ErrorCode::kInvalid);
}

TEST(WaveParseTest, InvalidUtf8) {
  std::string text = "\"a\xc3\"";
  EXPECT_EQ(parse_error(text, t_string()), "at column 3: the text is not valid UTF-8");
}

}  // namespace
}  // namespace berth::component
