#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "common/paths.h"
#include "common/run_berth.h"

namespace berth::cli {
namespace {

using ::testing::HasSubstr;
using testing::run_berth;

const std::string kWitDir = std::string(berth::testing::source_dir()) + "/tests/cli/wit/";
const std::string kComponents = std::string(berth::testing::source_dir()) +
                                "/../shared/corpora/jco-fixtures/packages/jco/test/fixtures/"
                                "components/";

TEST(BerthWit, PrintsCanonicalWit) {
  auto r = run_berth({"wit", kWitDir + "untidy.wit"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "package demo:greeter@0.1.0;\n\ninterface api {\n  greet: func(name: string) -> "
            "string;\n}\n\nworld host {\n  export api;\n}\n");
}

TEST(BerthWit, ResolvesAFolderWithDeps) {
  auto r = run_berth(
      {"wit", std::string(berth::testing::source_dir()) + "/../shared/corpora/wit/wasi-keyvalue"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("package wasi:keyvalue@0.2.0-draft;"));
  EXPECT_THAT(r.out, HasSubstr("resource bucket"));
}

TEST(BerthWit, ErrorsGiveFileLineAndColumn) {
  auto r = run_berth({"wit", kWitDir + "unknown-type.wit"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_THAT(r.err, HasSubstr("unknown-type.wit:3:22: type 'strin' is not defined"));
}

TEST(BerthWit, PrintsTheWorldOfAComponent) {
  auto r = run_berth({"wit", kComponents + "flavorful.component.wasm"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("package root:component;\n\nworld root {\n"
                               "  import test:flavorful/test;\n"
                               "  import wasi:io/error@0.2.0;\n"
                               "  import wasi:io/streams@0.2.0;\n"));
  EXPECT_THAT(r.out, HasSubstr("  export test-imports: func();\n"
                               "  export test:flavorful/test;\n"
                               "}\n"));
  EXPECT_THAT(r.out, HasSubstr("package test:flavorful {\n  interface test {\n"));
}

TEST(BerthWit, TheWorldOfAComponentIsWitItself) {
  auto component = run_berth({"wit", kComponents + "resource_borrow_simple.component.wasm"});
  ASSERT_EQ(component.exit_code, 0) << component.err;
  EXPECT_THAT(component.out, HasSubstr("  resource r {\n    constructor();\n  }\n"
                                       "  import test: func(r: borrow<r>);\n"));
  char path[] = "/tmp/berth-cli-world-XXXXXX.wit";
  int fd = mkstemps(path, 4);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(path) << component.out;
  auto wit = run_berth({"wit", path});
  std::remove(path);
  EXPECT_EQ(wit.exit_code, 0) << wit.err;
  EXPECT_EQ(wit.out, component.out);
}

TEST(BerthWit, ACoreModuleHasNoWorld) {
  std::string module = testing::guest("calc");
  auto r = run_berth({"wit", module});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: " + module +
                       ": this is a core WebAssembly module, not a component; only components "
                       "have a WIT world\n");
}

}  // namespace
}  // namespace berth::cli
