// `berth bundle new` end to end, as a bundle author outside this repository would use it:
// install the SDK into a prefix, scaffold a project from a WIT the repository has no bundle for,
// build it with CMake against that prefix, and run a component with it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/paths.h"
#include "common/run_berth.h"

namespace berth::sdk {
namespace {

namespace fs = std::filesystem;
using berth::testing::run_berth;
using ::testing::HasSubstr;

const fs::path kData = fs::path(berth::testing::source_dir()) / "tests/sdk/data";
const std::string kGuest = std::string(berth::testing::guest_dir()) + "/greeter_user.wasm";

int shell(const std::string& command) {
  return std::system((command + " > /dev/null 2>&1").c_str());
}

class BundleNewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    work_ = fs::temp_directory_path() / ("berth-bundle-new-" + std::to_string(getpid()));
    fs::remove_all(work_);
    fs::create_directories(work_);
    prefix_ = work_ / "prefix";
    project_ = work_ / "greeter";
    ASSERT_EQ(shell("cmake --install " + std::string(berth::testing::binary_dir()) +
                    " --component sdk " + "--prefix " + prefix_.string()),
              0);
  }
  void TearDown() override { fs::remove_all(work_); }

  int build_project() {
    return shell("cmake -S " + project_.string() + " -B " + (project_ / "build").string() +
                 " -DCMAKE_PREFIX_PATH=" + prefix_.string() + " && cmake --build " +
                 (project_ / "build").string());
  }

  fs::path work_, prefix_, project_;
};

TEST_F(BundleNewTest, InstalledSdkHasHeaderCmakePackageAndPkgConfig) {
  EXPECT_TRUE(fs::exists(prefix_ / "include/berth/bundle.h"));
  EXPECT_TRUE(fs::exists(prefix_ / "lib/cmake/berth-sdk/berth-sdk-config.cmake"));
  std::ifstream pc(prefix_ / "lib/pkgconfig/berth-sdk.pc");
  std::string text((std::istreambuf_iterator<char>(pc)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("Cflags: -I${includedir}"));
  EXPECT_THAT(text, HasSubstr("prefix=" + prefix_.string()));
}

TEST_F(BundleNewTest, StubBuildsThenRealImplementationRuns) {
  auto created = run_berth({"bundle", "new", "greeter", "--wit", (kData / "greeter.wit").string(),
                            "--output", project_.string()});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("generated/greeter_bindings.h"));
  ASSERT_TRUE(fs::exists(project_ / "host.toml"));
  ASSERT_TRUE(fs::exists(project_ / "src/greeter.c"));

  // The stub builds, loads, and traps with a message naming the unimplemented function.
  ASSERT_EQ(build_project(), 0);
  ASSERT_TRUE(fs::exists(project_ / "lib/libgreeter.so"));
  auto stub =
      run_berth({"run", "--host-bundle", project_.string(), "--invoke", "add(1, 2)", kGuest});
  EXPECT_EQ(stub.exit_code, 134) << stub.err;
  EXPECT_THAT(stub.err,
              HasSubstr("greeter: add of acme:greeter/greet@1.0.0 is not implemented yet"));

  // The author's implementation replaces the stub.
  fs::copy_file(kData / "greeter_impl.c", project_ / "src/greeter.c",
                fs::copy_options::overwrite_existing);
  ASSERT_EQ(build_project(), 0);
  auto hello =
      run_berth({"run", "--host-bundle", project_.string(), "--invoke", "hello(\"bob\")", kGuest});
  EXPECT_EQ(hello.exit_code, 0) << hello.err;
  EXPECT_EQ(hello.out, "\"Hello, bob!\"\n");
  auto add =
      run_berth({"run", "--host-bundle", project_.string(), "--invoke", "add(40, 2)", kGuest});
  EXPECT_EQ(add.out, "42\n");
}

TEST_F(BundleNewTest, BindgenRegeneratesTheBindings) {
  ASSERT_EQ(run_berth({"bundle", "new", "greeter", "--wit", (kData / "greeter.wit").string(),
                       "--output", project_.string()})
                .exit_code,
            0);
  fs::remove_all(project_ / "generated");
  auto regenerated = run_berth({"bundle", "bindgen", project_.string()});
  ASSERT_EQ(regenerated.exit_code, 0) << regenerated.err;
  EXPECT_TRUE(fs::exists(project_ / "generated/greeter_bindings.h"));
  EXPECT_TRUE(fs::exists(project_ / "generated/greeter_descriptor.c"));
  EXPECT_TRUE(fs::exists(project_ / "generated/greeter_bindings.hpp"));
}

TEST_F(BundleNewTest, RefusesAnExistingFolderAndABadName) {
  fs::create_directories(project_);
  auto exists = run_berth({"bundle", "new", "greeter", "--wit", (kData / "greeter.wit").string(),
                           "--output", project_.string()});
  EXPECT_EQ(exists.exit_code, 2);
  EXPECT_THAT(exists.err, HasSubstr("already exists; choose a new folder"));
  auto bad = run_berth({"bundle", "new", "9lives", "--wit", (kData / "greeter.wit").string(),
                        "--output", (work_ / "x").string()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bundle name '9lives': expected a letter"));
}

}  // namespace
}  // namespace berth::sdk
