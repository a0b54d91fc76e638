// Runs the WASI test suite (../shared/corpora/wasi-testsuite) through the `berth` executable:
// each NAME.wasm with the args, env and preopened root its NAME.json gives, checking the exit
// code and, when the json has them, stdout and stderr exactly. Prints passed/failed per language
// and fails when a count drops below floors.json.
//
// usage: wasi_testsuite_runner BERTH CORPUS FLOORS SCRATCH
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr auto kTimeout = std::chrono::seconds(60);

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Outcome {
  int exit_code = -1;
  bool timed_out = false;
  std::string stdout_text, stderr_text;
};

// Runs `argv` in `cwd` with stdin from /dev/null and stdout/stderr captured through files.
Outcome run_process(const std::vector<std::string>& argv, const fs::path& cwd) {
  fs::path out_file = cwd / "berth.stdout", err_file = cwd / "berth.stderr";
  pid_t pid = fork();
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    int out = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (chdir(cwd.c_str()) != 0) _exit(127);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  Outcome outcome;
  auto deadline = std::chrono::steady_clock::now() + kTimeout;
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      outcome.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  outcome.stdout_text = read_text(out_file);
  outcome.stderr_text = read_text(err_file);
  return outcome;
}

// The reason a test failed, or "" when it passed.
std::string run_test(const fs::path& berth, const fs::path& wasm, const fs::path& scratch) {
  json spec = json::object();
  fs::path spec_file = fs::path(wasm).replace_extension(".json");
  if (fs::exists(spec_file)) spec = json::parse(read_text(spec_file));
  if (spec.contains("operations")) return "operation-based specification not supported";

  fs::remove_all(scratch);
  fs::create_directories(scratch);
  std::vector<std::string> argv = {berth.string(), "run"};
  if (spec.contains("root")) {
    fs::path root = scratch / "root";
    fs::copy(wasm.parent_path() / spec["root"].get<std::string>(), root,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    // Leftovers of earlier runs of the suite itself are not part of the fixture.
    std::vector<fs::path> leftovers;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.path().extension() == ".cleanup") leftovers.push_back(entry.path());
    }
    for (const fs::path& leftover : leftovers) fs::remove_all(leftover);
    argv.push_back("--dir");
    argv.push_back(root.string() + "::/");
  }
  if (spec.contains("env")) {
    for (const auto& [name, value] : spec["env"].items()) {
      argv.push_back("--env");
      argv.push_back(name + "=" + value.get<std::string>());
    }
  }
  argv.push_back(wasm.string());
  if (spec.contains("args")) {
    for (const auto& arg : spec["args"]) argv.push_back(arg.get<std::string>());
  }

  Outcome outcome = run_process(argv, scratch);
  int expected = spec.value("exit_code", 0);
  auto excerpt = [](const std::string& text) {
    std::string s = text.substr(0, 300);
    for (char& c : s) {
      if (c == '\n') c = ' ';
    }
    return s;
  };
  if (outcome.timed_out) return "timed out";
  if (outcome.exit_code != expected) {
    return "exit code " + std::to_string(outcome.exit_code) + ", expected " +
           std::to_string(expected) + "; stderr: " + excerpt(outcome.stderr_text);
  }
  if (spec.contains("stdout") && outcome.stdout_text != spec["stdout"].get<std::string>()) {
    return "stdout differs: got '" + excerpt(outcome.stdout_text) + "'";
  }
  if (spec.contains("stderr") && outcome.stderr_text != spec["stderr"].get<std::string>()) {
    return "stderr differs: got '" + excerpt(outcome.stderr_text) + "'";
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: wasi_testsuite_runner BERTH CORPUS FLOORS SCRATCH\n";
    return 2;
  }
  fs::path berth = fs::absolute(argv[1]), corpus = fs::absolute(argv[2]), floors_file = argv[3];
  fs::path scratch = fs::absolute(argv[4]);
  std::map<std::string, std::pair<int, int>> counts;  // language -> passed, failed
  std::vector<std::string> failures;
  for (const char* language : {"assemblyscript", "c", "rust"}) {
    std::vector<fs::path> tests;
    for (const auto& entry : fs::directory_iterator(corpus / language)) {
      if (entry.path().extension() == ".wasm") tests.push_back(entry.path());
    }
    std::sort(tests.begin(), tests.end());
    for (const fs::path& wasm : tests) {
      std::string name = std::string(language) + "/" + wasm.stem().string();
      std::string reason = run_test(berth, wasm, scratch / language / wasm.stem());
      if (reason.empty()) {
        ++counts[language].first;
      } else {
        ++counts[language].second;
        failures.push_back(name + ": " + reason);
      }
    }
  }
  int passed = 0, failed = 0;
  json floors = json::parse(read_text(floors_file));
  bool below_floor = false;
  for (const auto& [language, count] : counts) {
    std::cout << language << ": " << count.first << " passed, " << count.second << " failed\n";
    passed += count.first;
    failed += count.second;
    if (count.first < floors.value(language, 0)) below_floor = true;
  }
  std::cout << "total: " << passed << " passed, " << failed << " failed\n";
  for (const std::string& failure : failures) std::cout << "FAIL " << failure << "\n";
  if (passed < floors.value("total", 0)) below_floor = true;
  if (below_floor) {
    std::cout << "below the floors in " << floors_file.string() << "\n";
    return 1;
  }
  return 0;
}
