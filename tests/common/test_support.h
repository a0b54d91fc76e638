// Helpers every GoogleTest suite of berth shares: reading built guests and unwrapping Results.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "berth/result.h"
#include "common/paths.h"

namespace berth::testing {

inline std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path << " cannot be read";
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A guest the build compiled into build/guests/NAME.wasm.
inline std::vector<uint8_t> read_guest(const std::string& name) {
  return read_bytes(std::string(berth::testing::guest_dir()) + "/" + name + ".wasm");
}

// The value of a Result the test needs; an error fails the test and stops it.
template <typename T>
T expect_ok(Result<T> result) {
  if (!result) {
    ADD_FAILURE() << "unexpected error: " << result.error().describe();
    std::abort();
  }
  return std::move(result).value();
}

inline void expect_ok(Result<void> result) {
  ASSERT_TRUE(result.ok()) << result.error().describe();
}

}  // namespace berth::testing
