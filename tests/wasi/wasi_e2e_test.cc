// End-to-end: the C, C++ and JavaScript guests (guests/wasi_check.c, wasi_check_cpp.cc,
// js/wasi_check.js) run as commands through the berth executable, with exactly the capabilities
// the command line grants.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "common/paths.h"
#include "common/run_berth.h"

namespace {

namespace fs = std::filesystem;

using berth::testing::Outcome;

struct Guest {
  const char* name;
  // Whether a non-zero exit status reaches the host: the preview1 adapter under the C and C++
  // guests turns every one into wasi:cli/exit#exit(err), which carries no code (so 1); the
  // JavaScript guest calls exit-with-code.
  bool carries_exit_code;
};

void PrintTo(const Guest& guest, std::ostream* out) {
  *out << guest.name;
}

class WasiEndToEnd : public ::testing::TestWithParam<Guest> {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    top_ = fs::temp_directory_path() / ("berth-wasi-e2e-" + std::to_string(::getpid()) + name);
    fs::remove_all(top_);
    fs::create_directories(top_ / "data");
    std::ofstream(top_ / "data/input.txt") << "hello from the host\n";
    std::ofstream(top_ / "secret.txt") << "secret\n";
    fs::create_symlink("../secret.txt", top_ / "data/link-out");
  }
  void TearDown() override { fs::remove_all(top_); }

  std::string guest() const {
    return std::string(berth::testing::guest_dir()) + "/" + GetParam().name + ".wasm";
  }

  // berth run OPTIONS GUEST GUEST_ARGS, with `input` as stdin.
  Outcome run(std::vector<std::string> options, const std::vector<std::string>& guest_args,
              const std::string& input = "") {
    std::vector<std::string> args = {"run"};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(guest());
    args.insert(args.end(), guest_args.begin(), guest_args.end());
    return berth::testing::run_berth(args, input);
  }

  std::string data_dir() const { return (top_ / "data").string(); }

  fs::path top_;
};

TEST_P(WasiEndToEnd, SeesItsArguments) {
  Outcome o = run({}, {"args", "two words", "héllo"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "argc: 4\narg: args\narg: two words\narg: héllo\n");
}

TEST_P(WasiEndToEnd, SeesOnlyTheGrantedEnvironment) {
  Outcome o = run({"--env", "GREETING=hi there"}, {"env", "GREETING", "HOME", "PATH"});
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "GREETING=hi there\nHOME unset\nPATH unset\n");
}

TEST_P(WasiEndToEnd, ReadsStdin) {
  Outcome o = run({}, {"stdin"}, "line one\nline two\n");
  EXPECT_EQ(o.exit_code, 0) << o.err;
  EXPECT_EQ(o.out, "line one\nline two\n");
}

TEST_P(WasiEndToEnd, ReadsAndWritesFilesInAPreopen) {
  Outcome o = run({"--dir", data_dir() + "::/data"}, {"files", "/data"});
  EXPECT_EQ(o.exit_code, 0) << o.out << o.err;
  EXPECT_EQ(o.out, "input: hello from the host\nentries: 3\n");
  EXPECT_EQ(berth::testing::slurp((top_ / "data/output.txt").string()), "written by the guest\n");
}

TEST_P(WasiEndToEnd, SeesNoFilesWithoutAPreopen) {
  Outcome o = run({}, {"files", "/data"});
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_FALSE(fs::exists(top_ / "data/output.txt"));
}

TEST_P(WasiEndToEnd, ReadOnlyPreopenRefusesWrites) {
  Outcome o = run({"--dir-ro", data_dir() + "::/data"}, {"files", "/data"});
  EXPECT_EQ(o.exit_code, 1) << o.out << o.err;
  EXPECT_NE(o.out.find("cannot create /data/output.txt"), std::string::npos) << o.out;
  EXPECT_FALSE(fs::exists(top_ / "data/output.txt"));
}

TEST_P(WasiEndToEnd, CannotEscapeThePreopen) {
  std::string secret = (top_ / "secret.txt").string();
  Outcome o =
      run({"--dir", data_dir() + "::/data"}, {"escape", "/data/../secret.txt", "/data/link-out",
                                              secret, "/etc/passwd", "/data/input.txt"});
  // Only the last path, inside the preopen, opens.
  EXPECT_EQ(o.exit_code, 1) << o.err;
  EXPECT_EQ(o.out, "/data/../secret.txt: denied\n/data/link-out: denied\n" + secret +
                       ": denied\n/etc/passwd: denied\n/data/input.txt: OPENED\n");
}

TEST_P(WasiEndToEnd, ExitCodesBecomeTheProcessExitCode) {
  bool exact = GetParam().carries_exit_code;
  EXPECT_EQ(run({}, {"exit", "0"}).exit_code, 0);
  EXPECT_EQ(run({}, {"exit", "7"}).exit_code, exact ? 7 : 1);
  EXPECT_EQ(run({}, {"exit", "42"}).exit_code, exact ? 42 : 1);
  EXPECT_EQ(run({}, {"unknown-mode"}).exit_code, exact ? 2 : 1);
}

INSTANTIATE_TEST_SUITE_P(Guests, WasiEndToEnd,
                         ::testing::Values(Guest{"wasi_check", false},
                                           Guest{"wasi_check_cpp", false},
                                           Guest{"wasi_check_js", true}),
                         [](const ::testing::TestParamInfo<Guest>& info) {
                           return std::string(info.param.name);
                         });

TEST(WasiExitTest, ExitWithCodeBecomesTheProcessExitCode) {
  std::string guest = std::string(berth::testing::guest_dir()) + "/exit_with_code.wasm";
  char* argv[] = {const_cast<char*>(berth::testing::berth_exe()), const_cast<char*>("run"),
                  guest.data(), nullptr};
  pid_t pid;
  ASSERT_EQ(posix_spawn(&pid, berth::testing::berth_exe(), nullptr, nullptr, argv, environ), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 42);
}

}  // namespace
