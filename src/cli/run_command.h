// `berth run`: load a WebAssembly file and run it, or call one of its exports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "berth/result.h"
#include "cli/bundle_trust_command.h"

namespace berth::cli {

// A directory the guest may use: `--dir HOST[::GUEST]` or `--dir-ro HOST[::GUEST]`.
struct DirGrant {
  std::string host;
  std::string guest;
  bool read_only = false;
};

struct RunOptions {
  std::string file;
  std::vector<std::string> guest_args;
  std::optional<std::string> invoke;
  std::optional<double> timeout_seconds;
  std::optional<uint64_t> max_memory_bytes;
  // WASI capabilities: nothing unless granted.
  std::vector<DirGrant> dirs;
  std::vector<std::string> env;  // NAME=VALUE, or NAME to pass the host's value on
  bool inherit_env = false;
  bool inherit_network = false;
  bool allow_ip_name_lookup = false;
  bool trap_unknown_imports = false;
  // Host bundles.
  std::vector<std::string> host_bundles;
  std::optional<std::string> host_config;
  BundleLoadFlags bundle_loading;
};

// Returns the process exit code.
int run_command(const RunOptions& options);

// "HOST[::GUEST]" -> a grant; GUEST defaults to HOST.
DirGrant parse_dir_grant(std::string_view spec, bool read_only);

// "64MiB" -> 67108864. Plain bytes or a binary suffix: K/Ki/KiB, M/Mi/MiB, G/Gi/GiB.
Result<uint64_t> parse_byte_size(std::string_view text);

}  // namespace berth::cli
