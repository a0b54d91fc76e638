#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "common/run_berth.h"

namespace berth::cli {
namespace {

using testing::guest;
using ::testing::HasSubstr;
using testing::run_berth;
using ::testing::StartsWith;

TEST(BerthRun, InvokesRecursiveFib) {
  auto r = run_berth({"run", "--invoke", "fib(20)", guest("fib")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "6765\n");
  EXPECT_EQ(r.err, "");
}

TEST(BerthRun, PassesEveryScalarType) {
  EXPECT_EQ(run_berth({"run", "--invoke", "add(1, -2)", guest("calc")}).out, "-1\n");
  EXPECT_EQ(run_berth({"run", "--invoke", "add(0xffffffff, 2)", guest("calc")}).out, "1\n");
  EXPECT_EQ(run_berth({"run", "--invoke", "add64(9223372036854775807, 1)", guest("calc")}).out,
            "-9223372036854775808\n");
  EXPECT_EQ(run_berth({"run", "--invoke", "half32(3)", guest("calc")}).out, "1.5\n");
  EXPECT_EQ(run_berth({"run", "--invoke", "div64(1, 3)", guest("calc")}).out,
            "0.3333333333333333\n");
  EXPECT_EQ(run_berth({"run", "--invoke", "div64(-1, 0)", guest("calc")}).out, "-inf\n");
  EXPECT_EQ(run_berth({"run", "--invoke", "div64(nan, 1)", guest("calc")}).out, "nan\n");
}

TEST(BerthRun, PrintsMultipleResultsOnePerLine) {
  auto r = run_berth({"run", "--invoke", "swap(7, -8)", guest("calc")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "-8\n7\n");
  auto none = run_berth({"run", "--invoke", "nothing()", guest("calc")});
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.out, "");
}

TEST(BerthRun, TrapExitsWithTrapCodeAndBacktrace) {
  auto r = run_berth({"run", "--invoke", "unreachable()", guest("calc")});
  EXPECT_EQ(r.exit_code, 134);
  EXPECT_THAT(r.err, StartsWith("error: "));
  EXPECT_THAT(r.err, HasSubstr("unreachable"));
  EXPECT_THAT(r.err, HasSubstr("wasm backtrace:"));
  EXPECT_THAT(r.err, HasSubstr("at offset 0x"));
}

TEST(BerthRun, TimeoutStopsAnInfiniteLoop) {
  auto r = run_berth({"run", "--timeout", "0.3", "--invoke", "spin()", guest("calc")});
  EXPECT_EQ(r.exit_code, 124);
  EXPECT_THAT(r.err, HasSubstr("deadline"));
  EXPECT_THAT(r.err, HasSubstr("--timeout 0.3s"));
}

TEST(BerthRun, MaxMemoryCapsGrowth) {
  auto r =
      run_berth({"run", "--max-memory", "256K", "--invoke", "grow_until_refused()", guest("calc")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "4\n");
  auto bad = run_berth({"run", "--max-memory", "12X", "--invoke", "nothing()", guest("calc")});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("unknown size suffix 'X'"));
}

TEST(BerthRun, NotWasmIsOneClearLine) {
  std::string path = ::testing::TempDir() + "/notes.txt";
  std::ofstream(path) << "just some text, not a module\n";
  auto r = run_berth({"run", "--invoke", "f()", path});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.err, "error: " + path + ": not a WebAssembly file (it does not start with \\0asm)\n");
}

TEST(BerthRun, MissingFileIsNamed) {
  auto r = run_berth({"run", "--invoke", "f()", "/nonexistent/app.wasm"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/app.wasm: cannot open"));
}

TEST(BerthRun, InvalidModuleNamesTheOffset) {
  auto r = run_berth({"run", "--invoke", "bad()", guest("invalid")});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_THAT(r.err, HasSubstr("at byte offset"));
}

TEST(BerthRun, UnknownFunctionListsTheExports) {
  auto r = run_berth({"run", "--invoke", "fob(1)", guest("fib")});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_THAT(r.err, HasSubstr("no exported function 'fob' (exported functions: fib)"));
}

TEST(BerthRun, WrongArgumentsAreUsageErrors) {
  auto arity = run_berth({"run", "--invoke", "fib(1, 2)", guest("fib")});
  EXPECT_EQ(arity.exit_code, 2);
  EXPECT_THAT(arity.err, HasSubstr("fib takes 1 argument (i32) -> (i32), the call passes 2"));
  auto type = run_berth({"run", "--invoke", "fib(x)", guest("fib")});
  EXPECT_EQ(type.exit_code, 2);
  EXPECT_THAT(type.err, HasSubstr("argument 1 of fib: 'x' is not an integer"));
  auto syntax = run_berth({"run", "--invoke", "fib(1", guest("fib")});
  EXPECT_EQ(syntax.exit_code, 2);
  EXPECT_THAT(syntax.err, HasSubstr("expected ')'"));
}

TEST(BerthRun, UnprovidedImportsAreListed) {
  auto r = run_berth({"run", "--invoke", "ok()", guest("traps")});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_THAT(r.err, HasSubstr("nothing provides its imports:\n  host fail: func () -> ()"));
}

TEST(BerthRun, CoreModuleWithoutInvokeExplainsWhatToDo) {
  auto r = run_berth({"run", guest("fib")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("use --invoke to call one of its exported functions (fib)"));
}

TEST(BerthRun, MissingFileArgument) {
  auto r = run_berth({"run", "--invoke", "f()"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("needs a FILE"));
}

TEST(BerthCli, HelpAndVersion) {
  auto help = run_berth({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("run"));
  auto run_help = run_berth({"run", "--help"});
  EXPECT_EQ(run_help.exit_code, 0);
  EXPECT_THAT(run_help.out, HasSubstr("Usage: "));
  EXPECT_THAT(run_help.out, HasSubstr("run [OPTIONS] FILE [ARGS...]"));
  EXPECT_THAT(run_help.out, HasSubstr("--invoke"));
  EXPECT_THAT(run_help.out, HasSubstr("--timeout"));
  EXPECT_THAT(run_help.out, HasSubstr("--max-memory"));
  auto version = run_berth({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.out, StartsWith("berth "));
  auto unknown = run_berth({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
}

}  // namespace
}  // namespace berth::cli
