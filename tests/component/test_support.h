// Helpers for the component decoder tests: file access, a minimal JSON reader for the corpus
// manifests; the builder for hand-written binaries is common/bytes.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/bytes.h"
#include "common/paths.h"

namespace berth::component::testing {

inline std::filesystem::path corpora_dir() {
  return std::filesystem::path(berth::testing::source_dir()) / ".." / "shared" / "corpora";
}

inline std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Just enough JSON for the corpus manifests: objects, arrays, strings, numbers, literals.
struct Json {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Json> array;
  std::map<std::string, Json> object;

  const Json* get(const std::string& key) const {
    auto it = object.find(key);
    return it == object.end() ? nullptr : &it->second;
  }
  std::string str(const std::string& key) const {
    const Json* value = get(key);
    return value && value->kind == Kind::kString ? value->string : std::string();
  }
};

// Returns nullopt on malformed input.
std::optional<Json> parse_json(std::string_view text);

using berth::testing::Bytes;

inline Bytes component_preamble() {
  return Bytes{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
}
inline Bytes core_preamble() {
  return Bytes{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
}

}  // namespace berth::component::testing
