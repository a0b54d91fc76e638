// Round trips over a table of (type, text, canonical text): printing a parsed text gives the
// canonical text, the canonical text is a fixed point, and parsing what was printed gives back an
// equal value.
#include <gtest/gtest.h>

#include "wave_test_util.h"

namespace berth::component {
namespace {

using namespace wave_test;

struct RoundTrip {
  TypeRef type;
  std::string text;
  std::string canonical;
};

std::vector<RoundTrip> table() {
  auto option_u8 = Type::option(t_u8());
  auto perms = Type::flags({"read", "write", "exec"});
  auto status = Type::enumeration({"ok", "not-found"});
  auto response =
      Type::variant({{"empty", nullptr}, {"body", Type::list(t_u8())}, {"err", t_string()}});
  auto example = Type::record({{"must-have", t_u8()}, {"optional", option_u8}});
  auto all_optional = Type::record({{"optional", option_u8}});
  auto point = Type::record({{"x", t_f64()}, {"y", t_f64()}});
  return {
      {t_bool(), "true", "true"},
      {t_bool(), " false ", "false"},
      {t_u8(), "123", "123"},
      {t_s8(), "-9", "-9"},
      {t_u32(), "-0", "0"},
      {t_s64(), "-9223372036854775808", "-9223372036854775808"},
      {t_u64(), "18446744073709551615", "18446744073709551615"},
      {t_f32(), "3.14", "3.14"},
      {t_f32(), "3.4028235e38", "3.4028235e+38"},
      {t_f32(), "1e40", "inf"},
      {t_f64(), "6.022e+23", "6.022e+23"},
      {t_f64(), "1.50E-7", "1.5e-7"},
      {t_f64(), "100.000", "100"},
      {t_f64(), "-0.0", "-0"},
      {t_f64(), "nan", "nan"},
      {t_f64(), "inf", "inf"},
      {t_f64(), "-inf", "-inf"},
      {t_char(), "'x'", "'x'"},
      {t_char(), "'☃'", "'☃'"},
      {t_char(), "'\\''", "'\\''"},
      {t_char(), "'\\u{27}'", "'\\''"},
      {t_char(), "'\\\"'", "'\"'"},
      {t_char(), "'\\u{0}'", "'\\u{0}'"},
      {t_char(), "'\\u{1F30A}'", "'🌊'"},
      {t_string(), "\"abc\\t123\"", "\"abc\\t123\""},
      {t_string(), "\"\\u{48}\\u{49}\"", "\"HI\""},
      {t_string(), "\"\\'\"", "\"'\""},
      {t_string(), "\"\"\"\n  two\n  lines\n  \"\"\"", "\"two\\nlines\""},
      {t_string(), "\"\"\"\n  Must escape carriage return at end of line: \\r\n  \"\"\"",
       "\"Must escape carriage return at end of line: \\r\""},
      {Type::list(t_char()), "[]", "[]"},
      {Type::list(t_char()), "['a', 'b', 'c',]", "['a', 'b', 'c']"},
      {Type::list(Type::list(t_u8())), "[[1],[],[2,3]]", "[[1], [], [2, 3]]"},
      {Type::tuple({t_u8(), t_string()}), "(123,\"abc\",)", "(123, \"abc\")"},
      {example, "{must-have: 123}", "{must-have: 123}"},
      {example, "{must-have: 123, optional: none,}", "{must-have: 123}"},
      {example, "{optional: 4, %must-have: 1}", "{must-have: 1, optional: some(4)}"},
      {all_optional, "{:}", "{:}"},
      {all_optional, "{optional: none}", "{:}"},
      {point, "{y: 1, x: -2.5}", "{x: -2.5, y: 1}"},
      {response, "empty", "empty"},
      {response, "body([79, 75])", "body([79, 75])"},
      {response, "%err(\"oops\")", "%err(\"oops\")"},
      {response, "%body ( [ ] )", "body([])"},
      {status, "%ok", "%ok"},
      {status, "%not-found", "not-found"},
      {option_u8, "123", "some(123)"},
      {option_u8, "some(123)", "some(123)"},
      {option_u8, "none", "none"},
      {Type::option(Type::option(t_u8())), "some(none)", "some(none)"},
      {Type::option(Type::option(t_u8())), "some(7)", "some(some(7))"},
      {Type::option(Type::list(option_u8)), "[1, none, some(2)]", "some([some(1), none, some(2)])"},
      {Type::result(t_u8(), nullptr), "123", "ok(123)"},
      {Type::result(t_u8(), nullptr), "err", "err"},
      {Type::result(nullptr, t_string()), "ok", "ok"},
      {Type::result(nullptr, t_string()), "err(\"oops\")", "err(\"oops\")"},
      {Type::result(nullptr, nullptr), "err", "err"},
      {Type::result(t_string(), t_string()), "\"flat ok\"", "ok(\"flat ok\")"},
      {Type::result(option_u8, t_u8()), "ok(3)", "ok(some(3))"},
      {perms, "{}", "{}"},
      {perms, "{write, read,}", "{read, write}"},
      {perms, "{ exec , %read }", "{read, exec}"},
      {Type::list(Type::tuple({status, perms})), "[(%ok, {exec}), (not-found, {})]",
       "[(%ok, {exec}), (not-found, {})]"},
      {t_u8(), "// comment\n 1 // comment", "1"},
  };
}

TEST(WaveRoundTripTest, Table) {
  for (const RoundTrip& row : table()) {
    SCOPED_TRACE(row.text + " as " + to_string(*row.type));
    Val parsed = parse_ok(row.text, row.type);
    std::string printed = print_ok(parsed, row.type);
    EXPECT_EQ(printed, row.canonical);
    // The canonical text is a fixed point of print(parse(...)).
    EXPECT_EQ(canonical(printed, row.type), printed);
    // parse(print(v)) == v.
    EXPECT_TRUE(vals_equal(parse_ok(printed, row.type), parsed));
  }
}

TEST(WaveRoundTripTest, ValuesThroughText) {
  auto type = Type::record({
      {"name", t_string()},
      {"tags", Type::list(t_string())},
      {"scores", Type::list(t_f32())},
      {"maybe", Type::option(Type::option(t_char()))},
      {"outcome", Type::result(Type::tuple({t_s16(), t_u64()}), Type::enumeration({"err"}))},
  });
  Val val = Val::record({
      Val::string("tab\there \"quoted\" \\ ☃ \x01"),
      Val::list({Val::string(""), Val::string("'")}),
      Val::list({Val::float32(0.1f), Val::float32(1e-45f), Val::float32(-3.4028235e38f)}),
      Val::some(Val::none()),
      Val::err(Val::enumeration(0)),
  });
  std::string text = print_ok(val, type);
  EXPECT_EQ(text,
            "{name: \"tab\\there \\\"quoted\\\" \\\\ ☃ \\u{1}\", tags: [\"\", \"'\"], scores: "
            "[0.1, 1e-45, -3.4028235e+38], maybe: some(none), outcome: err(%err)}");
  EXPECT_TRUE(vals_equal(parse_ok(text, type), val));
}

}  // namespace
}  // namespace berth::component
