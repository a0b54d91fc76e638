// Confinement of guest paths beneath a preopened directory.
#include "path_resolution.h"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

namespace berth::wasi {
namespace {

namespace fs = std::filesystem;

class PathResolutionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    top_ = fs::temp_directory_path() /
           ("berth-paths-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(top_);
    fs::create_directories(top_ / "base/a/b");
    std::ofstream(top_ / "secret.txt") << "outside";
    std::ofstream(top_ / "base/a/file.txt") << "inside";
    fs::create_symlink("..", top_ / "base/up");
    fs::create_symlink("/etc", top_ / "base/absolute");
    fs::create_symlink("../../secret.txt", top_ / "base/a/escape");
    fs::create_symlink("a/file.txt", top_ / "base/inside");
    fs::create_symlink("b/../file.txt", top_ / "base/a/relative");
    fs::create_symlink("loop2", top_ / "base/loop1");
    fs::create_symlink("loop1", top_ / "base/loop2");
    base_ = ::open((top_ / "base").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(base_, 0);
  }
  void TearDown() override {
    ::close(base_);
    fs::remove_all(top_);
  }

  int resolve(std::string_view path, bool follow, ResolvedPath* out = nullptr) {
    ResolvedPath local;
    return resolve_path(base_, path, follow, out ? *out : local);
  }

  fs::path top_;
  int base_ = -1;
};

TEST_F(PathResolutionTest, ResolvesPathsInside) {
  ResolvedPath path;
  EXPECT_EQ(resolve("a/file.txt", true, &path), 0);
  EXPECT_EQ(path.name, "file.txt");
  EXPECT_EQ(resolve("a/b/../file.txt", true, &path), 0);
  EXPECT_EQ(path.name, "file.txt");
  EXPECT_EQ(resolve("./a//b/", true, &path), 0);
  EXPECT_EQ(path.name, "b");
  EXPECT_TRUE(path.must_be_directory);
  EXPECT_EQ(resolve(".", true, &path), 0);
  EXPECT_EQ(path.name, ".");
  EXPECT_EQ(resolve("a/new-file", true, &path), 0);  // a file about to be created
  EXPECT_EQ(path.name, "new-file");
}

TEST_F(PathResolutionTest, FollowsSymlinksThatStayInside) {
  ResolvedPath path;
  EXPECT_EQ(resolve("inside", true, &path), 0);
  EXPECT_EQ(path.name, "file.txt");
  EXPECT_EQ(resolve("a/relative", true, &path), 0);
  EXPECT_EQ(path.name, "file.txt");
  EXPECT_EQ(resolve("inside", false, &path), 0);  // not followed: the link itself
  EXPECT_EQ(path.name, "inside");
}

TEST_F(PathResolutionTest, DotDotCannotClimbAboveTheBase) {
  EXPECT_EQ(resolve("..", true), EPERM);
  EXPECT_EQ(resolve("../secret.txt", true), EPERM);
  EXPECT_EQ(resolve("a/../../secret.txt", false), EPERM);
  EXPECT_EQ(resolve("a/b/../../../base/a/file.txt", true), EPERM);
}

TEST_F(PathResolutionTest, AbsolutePathsAreRefused) {
  EXPECT_EQ(resolve("/etc/passwd", true), EPERM);
  EXPECT_EQ(resolve("/", false), EPERM);
}

TEST_F(PathResolutionTest, SymlinksCannotPointOutside) {
  EXPECT_EQ(resolve("up/secret.txt", true), EPERM);
  EXPECT_EQ(resolve("up/secret.txt", false), EPERM);
  EXPECT_EQ(resolve("absolute/passwd", false), EPERM);
  EXPECT_EQ(resolve("absolute", true), EPERM);
  EXPECT_EQ(resolve("a/escape", true), EPERM);
  // Naming the link itself (to stat or unlink it) is fine: nothing outside is reached.
  ResolvedPath path;
  EXPECT_EQ(resolve("a/escape", false, &path), 0);
  EXPECT_EQ(path.name, "escape");
  // A trailing slash asks for the target, which is outside.
  EXPECT_EQ(resolve("up/", false), EPERM);
}

TEST_F(PathResolutionTest, SymlinkLoopsEnd) {
  EXPECT_EQ(resolve("loop1", true), ELOOP);
  EXPECT_EQ(resolve("loop1/x", false), ELOOP);
}

TEST_F(PathResolutionTest, OtherErrors) {
  EXPECT_EQ(resolve("", true), ENOENT);
  EXPECT_EQ(resolve("missing/x", true), ENOENT);
  EXPECT_EQ(resolve("a/file.txt/x", true), ENOTDIR);
}

}  // namespace
}  // namespace berth::wasi
