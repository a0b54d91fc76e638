// `berth run --invoke` end to end for every kind of WAVE value: each call passes a value to an
// identity function of guests/wave_identity.wat and expects the same text printed back. Values
// are written in the printer's canonical form, so that text in equals text out.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "common/run_berth.h"

namespace berth::cli {
namespace {

using testing::guest;
using testing::run_berth;

struct RoundTrip {
  const char* func;
  const char* value;  // the argument, and what must print
};

void PrintTo(const RoundTrip& r, std::ostream* os) {
  *os << r.func << "(" << r.value << ")";
}

class WaveRoundTrip : public ::testing::TestWithParam<RoundTrip> {};

TEST_P(WaveRoundTrip, PrintsTheValueItWasGiven) {
  const RoundTrip& r = GetParam();
  auto outcome = run_berth(
      {"run", "--invoke", std::string(r.func) + "(" + r.value + ")", guest("wave_identity")});
  EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
  EXPECT_EQ(outcome.out, std::string(r.value) + "\n");
}

INSTANTIATE_TEST_SUITE_P(Scalars, WaveRoundTrip,
                         ::testing::Values(RoundTrip{"bool", "true"}, RoundTrip{"bool", "false"},
                                           RoundTrip{"s8", "-128"}, RoundTrip{"s8", "127"},
                                           RoundTrip{"u8", "0"}, RoundTrip{"u8", "255"},
                                           RoundTrip{"s16", "-32768"}, RoundTrip{"u16", "65535"},
                                           RoundTrip{"s32", "-2147483648"},
                                           RoundTrip{"u32", "4294967295"},
                                           RoundTrip{"s64", "-9223372036854775808"},
                                           RoundTrip{"s64", "9223372036854775807"},
                                           RoundTrip{"u64", "18446744073709551615"}));

INSTANTIATE_TEST_SUITE_P(Floats, WaveRoundTrip,
                         ::testing::Values(RoundTrip{"f32", "1.5"}, RoundTrip{"f32", "-0.25"},
                                           RoundTrip{"f32", "-0"}, RoundTrip{"f32", "nan"},
                                           RoundTrip{"f32", "inf"}, RoundTrip{"f32", "-inf"},
                                           RoundTrip{"f32", "3.4028235e+38"},
                                           RoundTrip{"f32", "1e-45"}, RoundTrip{"f64", "0.1"},
                                           RoundTrip{"f64", "-1.5e-7"}, RoundTrip{"f64", "1e+300"},
                                           RoundTrip{"f64", "nan"}, RoundTrip{"f64", "inf"},
                                           RoundTrip{"f64", "-inf"}, RoundTrip{"f64", "5e-324"}));

INSTANTIATE_TEST_SUITE_P(
    CharsAndStrings, WaveRoundTrip,
    ::testing::Values(RoundTrip{"char", "'a'"}, RoundTrip{"char", R"('\'')"},
                      RoundTrip{"char", R"('\\')"}, RoundTrip{"char", R"('\n')"},
                      RoundTrip{"char", R"('\u{0}')"}, RoundTrip{"char", "'\xc3\xa9'"},
                      RoundTrip{"char", "'\xf0\x9f\x98\x80'"}, RoundTrip{"string", R"("")"},
                      RoundTrip{"string", R"("hello")"},
                      RoundTrip{"string", R"("tab\t cr\r nl\n quote\" apostrophe' slash\\")"},
                      RoundTrip{"string", R"("nul\u{0} del\u{7f} zero-width\u{200b}")"},
                      RoundTrip{"string", "\"h\xc3\xa9llo \xf0\x9f\x98\x80 \xe4\xb8\xad\""}));

INSTANTIATE_TEST_SUITE_P(
    Compound, WaveRoundTrip,
    ::testing::Values(RoundTrip{"list-u32", "[]"}, RoundTrip{"list-u32", "[1, 2, 4294967295]"},
                      RoundTrip{"list-string", R"(["a", "", "\"q\""])"},
                      RoundTrip{"record", R"({a: 1, b: "x", c: some(2)})"},
                      RoundTrip{"record", R"({a: 0, b: ""})"},
                      RoundTrip{"list-record", R"([{a: 1, b: "x"}, {a: 2, b: "y", c: some(255)}])"},
                      RoundTrip{"tuple", R"((0, "", false))"},
                      RoundTrip{"tuple", R"((255, "t", true))"}, RoundTrip{"variant", "empty"},
                      RoundTrip{"variant", "num(7)"}, RoundTrip{"variant", R"(text("hi"))"},
                      RoundTrip{"variant", "%none(true)"}, RoundTrip{"enum", "red"},
                      RoundTrip{"enum", "blue"}, RoundTrip{"enum", "%ok"}));

INSTANTIATE_TEST_SUITE_P(
    OptionsAndResults, WaveRoundTrip,
    ::testing::Values(RoundTrip{"option-u32", "none"}, RoundTrip{"option-u32", "some(0)"},
                      RoundTrip{"option-nested", "none"}, RoundTrip{"option-nested", "some(none)"},
                      RoundTrip{"option-nested", R"(some(some("x")))"},
                      RoundTrip{"result-both", "ok(1)"}, RoundTrip{"result-both", R"(err("bad"))"},
                      RoundTrip{"result-ok", "ok(3)"}, RoundTrip{"result-ok", "err"},
                      RoundTrip{"result-err", "ok"}, RoundTrip{"result-err", R"(err("e"))"},
                      RoundTrip{"result-none", "ok"}, RoundTrip{"result-none", "err"}));

INSTANTIATE_TEST_SUITE_P(
    Flags, WaveRoundTrip,
    ::testing::Values(RoundTrip{"flags", "{}"}, RoundTrip{"flags", "{read}"},
                      RoundTrip{"flags", "{read, write, exec}"}, RoundTrip{"flags-wide", "{}"},
                      RoundTrip{"flags-wide", "{f0, f15, f31}"},
                      RoundTrip{"flags-wide",
                                "{f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, "
                                "f14, f15, f16, f17, f18, f19, f20, f21, f22, f23, f24, f25, f26, "
                                "f27, f28, f29, f30, f31}"}));

// Other spellings of a value print in the canonical one.
TEST(WaveRoundTripCanonical, OtherSpellingsPrintCanonically) {
  struct Case {
    const char* call;
    const char* printed;
  };
  for (const Case& c : {
           Case{R"(record({c: none, b: "x", a: 1}))", R"({a: 1, b: "x"})"},
           Case{"flags({exec, read, })", "{read, exec}"},
           Case{"enum(%green)", "green"},
           Case{"f64(1e300)", "1e+300"},
           Case{"f32(1.0)", "1"},
           Case{R"(string("\u{48}i"))", R"("Hi")"},
           Case{"list-u32([1, 2, ])", "[1, 2]"},
           Case{R"(string("x", none))", R"("x")"},
       }) {
    auto outcome = run_berth({"run", "--invoke", c.call, guest("wave_identity")});
    EXPECT_EQ(outcome.exit_code, 0) << c.call << ": " << outcome.err;
    EXPECT_EQ(outcome.out, std::string(c.printed) + "\n") << c.call;
  }
}

}  // namespace
}  // namespace berth::cli
