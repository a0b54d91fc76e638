// `berth run`: load a WebAssembly file and run it, or call one of its exports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "berth/result.h"

namespace CLI {
class App;
}

namespace berth::cli {

struct RunOptions {
  std::string file;
  std::vector<std::string> guest_args;
  std::optional<std::string> invoke;
  std::optional<double> timeout_seconds;
  std::optional<uint64_t> max_memory_bytes;
};

// Adds the `run` subcommand; `options` is filled when it is parsed.
CLI::App* add_run_command(CLI::App& app, RunOptions& options);

// Fills file and guest_args from what follows the options on the command line.
Result<void> take_positionals(CLI::App& run, RunOptions& options);

// Returns the process exit code.
int run_command(const RunOptions& options);

// "64MiB" -> 67108864. Plain bytes or a binary suffix: K/Ki/KiB, M/Mi/MiB, G/Gi/GiB.
Result<uint64_t> parse_byte_size(std::string_view text);

}  // namespace berth::cli
