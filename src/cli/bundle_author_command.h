// `berth bundle new` and `berth bundle bindgen`: the bundle author's commands, added under the
// `bundle` subcommand next to `bundle check`.
#pragma once

#include <string>

namespace berth::cli {

struct BundleNewOptions {
  std::string name;
  std::string wit;
  std::string world;
  std::string output;  // empty: ./NAME
};

struct BundleBindgenOptions {
  std::string directory = ".";
};

int bundle_new_command(const BundleNewOptions& options);
int bundle_bindgen_command(const BundleBindgenOptions& options);

}  // namespace berth::cli
