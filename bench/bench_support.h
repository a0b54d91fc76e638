// What every benchmark program shares: stopping on a failed set-up, and reading built guests.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "berth/result.h"
#include "common/paths.h"

namespace berth::bench {

// The value of a Result the benchmark needs; an error ends the program with its message.
template <typename T>
T must(Result<T> result) {
  if (!result) {
    std::fprintf(stderr, "benchmark set-up failed: %s\n", result.error().describe().c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

inline void must(Result<void> result) {
  if (!result) {
    std::fprintf(stderr, "benchmark set-up failed: %s\n", result.error().describe().c_str());
    std::exit(1);
  }
}

// A guest the build compiled into build/guests/NAME.wasm.
inline std::vector<uint8_t> guest(const char* name) {
  std::ifstream in(std::string(berth::testing::guest_dir()) + "/" + name + ".wasm",
                   std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace berth::bench
