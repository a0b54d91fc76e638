// Helpers for the component decoder tests: file access, a minimal JSON reader for the corpus
// manifests, and a small builder for hand-written binaries.
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

namespace berth::component::testing {

inline std::filesystem::path corpora_dir() {
  return std::filesystem::path(BERTH_SOURCE_DIR) / ".." / "shared" / "corpora";
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

// Builds binaries byte by byte: LEB128s, names, sections with their sizes.
class Bytes {
 public:
  Bytes() = default;
  Bytes(std::initializer_list<uint8_t> bytes) : data_(bytes) {}

  Bytes& u8(uint8_t b) {
    data_.push_back(b);
    return *this;
  }
  Bytes& raw(std::initializer_list<uint8_t> bytes) {
    data_.insert(data_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  Bytes& raw(const Bytes& other) {
    data_.insert(data_.end(), other.data_.begin(), other.data_.end());
    return *this;
  }
  Bytes& u32(uint32_t value) {
    do {
      uint8_t b = value & 0x7f;
      value >>= 7;
      data_.push_back(value ? (b | 0x80) : b);
    } while (value);
    return *this;
  }
  Bytes& name(std::string_view text) {
    u32(static_cast<uint32_t>(text.size()));
    data_.insert(data_.end(), text.begin(), text.end());
    return *this;
  }
  // A section: id, LEB128 size, contents.
  Bytes& section(uint8_t id, const Bytes& contents) {
    u8(id);
    u32(static_cast<uint32_t>(contents.size()));
    return raw(contents);
  }

  size_t size() const { return data_.size(); }
  const std::vector<uint8_t>& data() const { return data_; }
  operator std::span<const uint8_t>() const { return data_; }

 private:
  std::vector<uint8_t> data_;
};

inline Bytes component_preamble() {
  return Bytes{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
}
inline Bytes core_preamble() {
  return Bytes{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
}

}  // namespace berth::component::testing
