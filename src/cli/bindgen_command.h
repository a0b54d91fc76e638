// `berth bindgen`: the C++ host bindings of a WIT world for programs that embed berth
// (docs/embedding.md, "Bindings").
#pragma once

#include <string>

namespace berth::cli {

struct BindgenOptions {
  std::string wit;     // a .wit file or a folder with deps/
  std::string world;   // empty: the package's only world
  std::string output;  // the header to write; empty: standard output
};

int bindgen_command(const BindgenOptions& options);

}  // namespace berth::cli
