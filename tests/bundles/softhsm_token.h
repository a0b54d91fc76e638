// A SoftHSM2 token of a test's own: its configuration and token folder inside the test's
// folder, SOFTHSM2_CONF pointing at it (the berth processes and the bundle instances a test
// starts read it when the module initialises), never the system's token directory.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace berth::bundles::testing {

constexpr char kTokenLabel[] = "berth-test";
constexpr char kUserPin[] = "1234";
constexpr char kSoPin[] = "5678";

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Initialises a token labelled kTokenLabel in `dir` with softhsm2-util and returns the ID of the
// slot it moved to (softhsm2-util says which); empty, with a test failure, when it could not.
inline std::string init_softhsm_token(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir / "tokens");
  std::filesystem::path conf = dir / "softhsm2.conf";
  std::ofstream(conf) << "directories.tokendir = " << (dir / "tokens").string()
                      << "\nobjectstore.backend = file\nlog.level = ERROR\n";
  setenv("SOFTHSM2_CONF", conf.c_str(), 1);
  std::filesystem::path log = dir / "init.log";
  std::string command = std::string(BERTH_SOFTHSM2_UTIL) + " --init-token --free --label " +
                        kTokenLabel + " --pin " + kUserPin + " --so-pin " + kSoPin + " > " +
                        log.string() + " 2>&1";
  std::string said;
  if (std::system(command.c_str()) != 0) {
    ADD_FAILURE() << "softhsm2-util failed: " << read_file(log);
    return "";
  }
  said = read_file(log);
  std::smatch match;
  if (!std::regex_search(said, match, std::regex("reassigned to slot ([0-9]+)"))) {
    ADD_FAILURE() << "softhsm2-util did not name the slot: " << said;
    return "";
  }
  return match[1];
}

}  // namespace berth::bundles::testing
