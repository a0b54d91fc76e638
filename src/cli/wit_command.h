// `berth wit`: print WIT. For a component binary: its world, as the imports and exports of its
// type say (an inspection tool). For a WIT file or folder: parse, resolve and print it
// canonically (a formatter and checker for authors).
#pragma once

#include <string>
#include <vector>

namespace berth::cli {

struct WitOptions {
  std::string path;
  std::vector<std::string> features;
  bool all_features = false;
};

int wit_command(const WitOptions& options);

}  // namespace berth::cli
