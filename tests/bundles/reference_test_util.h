// Shared by the reference bundle tests: a temporary folder per test, bundle folders configured
// through their own host.toml or through a hosts.toml, and berth run as a subprocess.
#pragma once

#include <gtest/gtest.h>

#include "common/paths.h"
#include "common/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "common/run_berth.h"

namespace berth::bundles::testing {

namespace fs = std::filesystem;
using berth::testing::Outcome;

inline fs::path built_bundle(const std::string& name) {
  return (fs::path(berth::testing::binary_dir()) / "bundles") / name;
}

// TOML basic string of `text` (paths here need no escapes beyond these).
inline std::string toml_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

class ReferenceBundleTest : public berth::testing::TempDirTest {
 protected:
  // A copy of the built bundle `name` whose host.toml [config] is `config` (TOML lines), so the
  // configuration reaches the bundle through --host-bundle alone. Each call makes a new copy.
  fs::path configured_copy(const std::string& name, const std::string& config) {
    fs::path from = built_bundle(name);
    fs::path to = dir_ / ("copy-of-" + name + "-" + std::to_string(++copies_));
    fs::create_directories(to);
    fs::copy(from / "wit", to / "wit", fs::copy_options::recursive);
    fs::copy(from / "lib", to / "lib", fs::copy_options::recursive);
    std::ifstream in(from / "host.toml");
    std::string manifest, line;
    while (std::getline(in, line)) {
      if (line == "[config]") break;
      manifest += line + "\n";
    }
    std::ofstream(to / "host.toml") << manifest << "[config]\n" << config;
    return to;
  }

  // A hosts.toml finding bundle `name` on the build's bundle folder, with [host.config] `config`.
  fs::path hosts_toml(const std::string& name, const std::string& config) {
    return write("hosts.toml",
                 "[global]\nsearch_paths = [" +
                     toml_string((fs::path(berth::testing::binary_dir()) / "bundles").string()) +
                     "]\n\n[[host]]\nname = " + toml_string(name) + "\n[host.config]\n" + config);
  }

  std::string db() const { return (dir_ / "kv.db").string(); }
  int copies_ = 0;
  std::string path_config() const { return "path = " + toml_string(db()) + "\n"; }
};

inline Outcome berth(const std::vector<std::string>& args) {
  return berth::testing::run_berth(args);
}

inline std::string describe(const Outcome& o) {
  return "exit " + std::to_string(o.exit_code) + "\nstdout: " + o.out + "\nstderr: " + o.err;
}

}  // namespace berth::bundles::testing
