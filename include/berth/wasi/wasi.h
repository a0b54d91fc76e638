// WASI 0.2 as a built-in provider: wasi:cli, io, clocks, random, filesystem and sockets at
// version 0.2.12, which the linker also matches against imports of any earlier 0.2.x version.
// Deny by default: the guest sees only the arguments, environment, directories and network
// access the configuration grants.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "berth/host/provider.h"
#include "berth/result.h"

namespace berth::wasi {

struct Preopen {
  std::filesystem::path host;  // a directory on the host
  std::string guest;           // the name the guest sees, e.g. "/" or "/data"
  bool read_only = false;
};

struct WasiConfig {
  std::vector<std::string> args;                         // args[0] is the program name
  std::vector<std::pair<std::string, std::string>> env;  // exactly what the guest sees
  std::vector<Preopen> preopens;
  bool inherit_network = false;  // without it every socket operation is denied
  bool allow_ip_name_lookup = false;
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;  // host fds backing the guest's stdio
};

// The built-in WASI provider (name() == "built-in WASI"). Errors: a preopen that is not a
// directory, etc.
Result<std::shared_ptr<host::Provider>> make_provider(WasiConfig config);

}  // namespace berth::wasi
