#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_test_util.h"

namespace berth::cli {
namespace {

using ::testing::HasSubstr;
using testing::run_berth;

const std::string kWitDir = std::string(BERTH_SOURCE_DIR) + "/tests/cli/wit/";

TEST(BerthWit, PrintsCanonicalWit) {
  auto r = run_berth({"wit", kWitDir + "untidy.wit"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "package demo:greeter@0.1.0;\n\ninterface api {\n  greet: func(name: string) -> "
            "string;\n}\n\nworld host {\n  export api;\n}\n");
}

TEST(BerthWit, ResolvesAFolderWithDeps) {
  auto r =
      run_berth({"wit", std::string(BERTH_SOURCE_DIR) + "/../shared/corpora/wit/wasi-keyvalue"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("package wasi:keyvalue@0.2.0-draft;"));
  EXPECT_THAT(r.out, HasSubstr("resource bucket"));
}

TEST(BerthWit, ErrorsGiveFileLineAndColumn) {
  auto r = run_berth({"wit", kWitDir + "unknown-type.wit"});
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_THAT(r.err, HasSubstr("unknown-type.wit:3:22: type 'strin' is not defined"));
}

}  // namespace
}  // namespace berth::cli
