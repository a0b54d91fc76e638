// A builder for hand-written wasm binaries, byte by byte: LEB128s, names, sections.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

namespace berth::testing {

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

}  // namespace berth::testing
