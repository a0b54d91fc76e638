// `berth run --invoke` on components: WAVE in, WAVE out.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/paths.h"
#include "common/run_berth.h"

namespace berth::cli {
namespace {

using testing::guest;
using ::testing::HasSubstr;
using testing::run_berth;

TEST(BerthRunComponent, CallsAnExportWithWaveArguments) {
  auto r = run_berth({"run", "--invoke", "add(40, 2)", guest("component_adder")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "42\n");
  auto f = run_berth({"run", "--invoke", "negate(1.5)", guest("component_adder")});
  EXPECT_EQ(f.out, "-1.5\n");
}

TEST(BerthRunComponent, StringsPrintInWave) {
  auto r = run_berth({"run", "--invoke", R"(echo("h\u{e9} \"q\"\n"))", guest("component_strings")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "\"h\xc3\xa9 \\\"q\\\"\\n\"\n");
}

TEST(BerthRunComponent, InterfaceFunctionsByFullOrShortName) {
  auto full =
      run_berth({"run", "--invoke", "example:nested/api@0.1.0#seven()", guest("component_nested")});
  EXPECT_EQ(full.exit_code, 0) << full.err;
  EXPECT_EQ(full.out, "7\n");
  auto short_name = run_berth({"run", "--invoke", "seven()", guest("component_nested")});
  EXPECT_EQ(short_name.out, "7\n");
}

TEST(BerthRunComponent, JcoFixture) {
  auto r = run_berth({"run", "--invoke", "add(3, 4)",
                      std::string(berth::testing::source_dir()) +
                          "/../shared/corpora/jco-fixtures/examples/transpile/adder/adder.wasm"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "7\n");
}

TEST(BerthRunComponent, MissingImportsAreListed) {
  auto r = run_berth({"run", "--invoke", "scale-plus-one(1)", guest("component_host_import")});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_THAT(r.err, HasSubstr("cannot link:\n  nothing provides import 'scale' (function)"));
}

TEST(BerthRunComponent, TrapUnknownImportsLinksAndTrapsOnlyWhenCalled) {
  auto r = run_berth({"run", "--trap-unknown-imports", "--invoke", "scale-plus-one(1)",
                      guest("component_host_import")});
  EXPECT_EQ(r.exit_code, 134);
  EXPECT_THAT(r.err, HasSubstr("called function 'scale', which nothing provides (linked by "
                               "--trap-unknown-imports)"));
}

TEST(BerthRunComponent, BadCallsAreUsageErrors) {
  auto arity = run_berth({"run", "--invoke", "add(1)", guest("component_adder")});
  EXPECT_EQ(arity.exit_code, 2);
  EXPECT_THAT(arity.err, HasSubstr("missing argument 'b'"));
  auto type = run_berth({"run", "--invoke", "add(1, \"x\")", guest("component_adder")});
  EXPECT_EQ(type.exit_code, 2);
  EXPECT_THAT(type.err, HasSubstr("column"));
  auto unknown = run_berth({"run", "--invoke", "sub(1, 2)", guest("component_adder")});
  EXPECT_EQ(unknown.exit_code, 125);
  EXPECT_THAT(unknown.err, HasSubstr("exports no function 'sub'"));
}

TEST(BerthRunComponent, TrapExitsWithTrapCode) {
  auto r = run_berth({"run", "--invoke", "fail()", guest("component_adder")});
  EXPECT_EQ(r.exit_code, 134);
  EXPECT_THAT(r.err, HasSubstr("unreachable"));
}

TEST(BerthRunComponent, WithoutInvokeALibraryComponentIsNotACommand) {
  auto r = run_berth({"run", guest("component_adder")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("does not export wasi:cli/run, so it cannot run as a command; use "
                               "--invoke to call one of its exports (add, negate, fail)"));
}

}  // namespace
}  // namespace berth::cli
