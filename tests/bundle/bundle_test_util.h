// Shared by the bundle tests: temporary bundle folders and the paths of the built libraries.
#pragma once

#include <gtest/gtest.h>

#include "common/paths.h"
#include "common/temp_dir.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "berth/bundle/bundle.h"
#include "berth/wit/component_bridge.h"
#include "common/test_support.h"

namespace berth::bundle::testing {

namespace fs = std::filesystem;

inline fs::path test_lib(const std::string& name) {
  return fs::path(berth::testing::binary_dir()) / "tests" / "bundle" / "libs" /
         ("lib" + name + ".so");
}
inline fs::path types_wit() {
  return fs::path(berth::testing::source_dir()) / "tests" / "bundle" / "bundles" / "types" / "wit";
}
inline fs::path keyvalue_bundle() {
  return fs::path(berth::testing::binary_dir()) / "bundles" / "keyvalue";
}
// The built bundle's WIT, with the deps/ its build lays out.
inline fs::path keyvalue_wit() {
  return keyvalue_bundle() / "wit";
}

// A fresh folder per test (tests/common/temp_dir.h) with bundle folders written into it.
class BundleDirTest : public berth::testing::TempDirTest {
 protected:
  // A bundle folder NAME whose host.toml is `[host]` with `host_keys` and `[config]` with
  // `config` (both TOML text).
  fs::path bundle(const std::string& name, const std::string& host_keys,
                  const std::string& config = "") {
    write(fs::path(name) / "host.toml", "[host]\nname = \"" + name + "\"\n" + host_keys +
                                            (config.empty() ? "" : "\n[config]\n" + config));
    return dir_ / name;
  }

  // The types test bundle, with extra host.toml keys.
  fs::path types_bundle(const std::string& name = "types", const std::string& extra = "") {
    return bundle(name,
                  "version = \"0.1.0\"\nlib = \"" + test_lib("types").string() + "\"\nwit = \"" +
                      types_wit().string() + "\"\n" + extra,
                  "greeting = \"hello\"\n");
  }
};

// Writes bundle folder DIR/NAME for a node of the dependency tests (bundles/node/node.c): it
// exports test:NAME/api, its world imports test:X/api for each X of `imports`, and it logs its
// creation and destruction to `log`. Its library is test_lib(`lib`) (node_NAME by default);
// `config` (TOML lines) is added to its [config].
inline fs::path write_node_bundle(const fs::path& dir, const std::string& name,
                                  const std::vector<std::string>& imports, const fs::path& log,
                                  const std::string& lib = "", const std::string& config = "") {
  fs::path folder = dir / name;
  std::string world = "world host {\n";
  for (const std::string& other : imports) {
    world += "  import test:" + other + "/api@0.1.0;\n";
    fs::create_directories(folder / "wit" / "deps" / other);
    std::ofstream(folder / "wit" / "deps" / other / (other + ".wit"))
        << "package test:" << other << "@0.1.0;\ninterface api {\n  ping: func() -> u32;\n}\n";
  }
  world += "  export api;\n}\n";
  fs::create_directories(folder / "wit");
  std::ofstream(folder / "wit" / (name + ".wit"))
      << "package test:" << name << "@0.1.0;\ninterface api {\n  ping: func() -> u32;\n}\n"
      << world;
  std::ofstream(folder / "host.toml")
      << "[host]\nname = \"" << name << "\"\nversion = \"0.1.0\"\nlib = \""
      << test_lib(lib.empty() ? "node_" + name : lib).string()
      << "\"\nwit = \"wit\"\nworld = \"host\"\n\n[config]\nlog = \"" << log.string() << "\"\n"
      << config;
  return folder;
}

// Calls function `name` of `interface` on a provider instance with the WIT's own types.
inline Result<std::optional<component::Val>> call_direct(host::Provider& provider,
                                                         host::ProviderInstance& instance,
                                                         std::string_view interface,
                                                         std::string_view name,
                                                         std::vector<component::Val> args) {
  for (const host::ProvidedInterface& provided : provider.interfaces()) {
    if (provided.name != interface) continue;
    const wit::Function* function = provider.wit().find_function(provided.id, name);
    if (function == nullptr) return Error(ErrorCode::kNotFound, std::string(name));
    BERTH_TRY_ASSIGN(component::FuncType type, wit::function_type(provider.wit(), *function));
    BERTH_TRY_ASSIGN(component::HostFunction fn, instance.function(interface, name, type));
    return fn(args);
  }
  return Error(ErrorCode::kNotFound, std::string(interface));
}

}  // namespace berth::bundle::testing
