// A test fixture with a fresh folder of its own under the system's temporary folder, named
// after the test and the process, and removed when the test ends.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace berth::testing {

class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    // The process's id too: two test runs at once (a clean-clone CI beside a working tree)
    // must not share, and delete, each other's folders.
    std::string name = std::string("berth_") + info->test_suite_name() + "_" + info->name() + "_" +
                       std::to_string(getpid());
    for (char& c : name) {
      if (c == '/') c = '_';  // parameterised tests
    }
    dir_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes `text` to `relative` inside the folder (making its parents) and returns the path.
  std::filesystem::path write(const std::filesystem::path& relative, const std::string& text) {
    std::filesystem::path path = dir_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path;
  }

  std::filesystem::path dir_;
};

}  // namespace berth::testing
