// Runs the built berth executable (paths.h) and captures what it prints. Shared by the
// end-to-end tests of every layer.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/paths.h"

extern char** environ;

namespace berth::testing {

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `berth ARGS...` with `input` as its stdin (empty: /dev/null).
inline Outcome run_berth(const std::vector<std::string>& args, const std::string& input = "") {
  char out_path[] = "/tmp/berth-cli-out-XXXXXX";
  char err_path[] = "/tmp/berth-cli-err-XXXXXX";
  int out_fd = mkstemp(out_path);
  int err_fd = mkstemp(err_path);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  posix_spawn_file_actions_adddup2(&actions, err_fd, 2);
  char in_path[] = "/tmp/berth-cli-in-XXXXXX";
  int in_fd = mkstemp(in_path);
  if (!input.empty() && write(in_fd, input.data(), input.size()) < 0) in_fd = -1;
  posix_spawn_file_actions_addopen(&actions, 0, input.empty() ? "/dev/null" : in_path, O_RDONLY, 0);
  std::vector<std::string> argv_strings = {berth::testing::berth_exe()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  pid_t pid;
  Outcome outcome;
  if (posix_spawn(&pid, berth::testing::berth_exe(), &actions, nullptr, argv.data(), environ) ==
      0) {
    int status = 0;
    waitpid(pid, &status, 0);
    outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  posix_spawn_file_actions_destroy(&actions);
  close(out_fd);
  close(err_fd);
  close(in_fd);
  std::remove(in_path);
  outcome.out = slurp(out_path);
  outcome.err = slurp(err_path);
  std::remove(out_path);
  std::remove(err_path);
  return outcome;
}

// Runs `run` (which returns an exit code) in this process with its stdout and stderr captured:
// the command functions of the CLI library, without an executable.
template <typename F>
Outcome capture_output(F&& run) {
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  Outcome outcome;
  outcome.exit_code = run();
  std::fflush(stdout);
  outcome.out = ::testing::internal::GetCapturedStdout();
  outcome.err = ::testing::internal::GetCapturedStderr();
  return outcome;
}

inline std::string guest(const std::string& name) {
  return std::string(berth::testing::guest_dir()) + "/" + name + ".wasm";
}

}  // namespace berth::testing
