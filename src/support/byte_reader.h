// Bounds-checked reading of WebAssembly binaries: bytes, LEB128 integers, floats, names.
// Shared by every decoder in berth (core module info, component binary).
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include <fmt/format.h>

#include "berth/result.h"

namespace berth {

class ByteReader {
 public:
  // `base` is the offset of data[0] in the whole input, so errors report absolute offsets.
  explicit ByteReader(std::span<const uint8_t> data, size_t base = 0) : data_(data), base_(base) {}

  size_t offset() const { return base_ + pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool at_end() const { return pos_ == data_.size(); }

  Error error(std::string_view what) const {
    return Error(ErrorCode::kMalformed, fmt::format("offset 0x{:x}: {}", offset(), what));
  }
  Error error_at(size_t absolute_offset, std::string_view what) const {
    return Error(ErrorCode::kMalformed, fmt::format("offset 0x{:x}: {}", absolute_offset, what));
  }

  Result<uint8_t> u8() {
    if (pos_ >= data_.size()) return error("unexpected end of input");
    return data_[pos_++];
  }
  Result<uint8_t> peek() const {
    if (pos_ >= data_.size()) return error("unexpected end of input");
    return data_[pos_];
  }

  Result<std::span<const uint8_t>> bytes(size_t n) {
    if (n > remaining()) {
      return error(fmt::format("expected {} bytes, only {} remain", n, remaining()));
    }
    auto out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }

  Result<uint32_t> u32() { return unsigned_leb<uint32_t>(32); }
  Result<uint64_t> u64() { return unsigned_leb<uint64_t>(64); }
  Result<int32_t> s32() { return signed_leb<int32_t>(32); }
  Result<int64_t> s64() { return signed_leb<int64_t>(64); }

  Result<uint32_t> fixed_u32() {
    BERTH_TRY_ASSIGN(auto raw, bytes(4));
    uint32_t v;
    std::memcpy(&v, raw.data(), 4);
    return v;
  }
  Result<uint64_t> fixed_u64() {
    BERTH_TRY_ASSIGN(auto raw, bytes(8));
    uint64_t v;
    std::memcpy(&v, raw.data(), 8);
    return v;
  }

  // A length-prefixed UTF-8 string.
  Result<std::string_view> name();

  // A vector length, rejected when even one-byte elements could not fit in what remains.
  Result<uint32_t> count(std::string_view what) {
    size_t at = offset();
    BERTH_TRY_ASSIGN(uint32_t n, u32());
    if (n > remaining()) {
      return error_at(
          at, fmt::format("{} count {} exceeds the remaining {} bytes", what, n, remaining()));
    }
    return n;
  }

  Result<void> skip(size_t n) {
    BERTH_TRY(bytes(n));
    return {};
  }

 private:
  template <typename T>
  Result<T> unsigned_leb(unsigned bits) {
    size_t start = offset();
    T result = 0;
    unsigned shift = 0;
    while (true) {
      BERTH_TRY_ASSIGN(uint8_t byte, u8());
      if (shift + 7 > bits && (byte & 0x7f) >> (bits - shift) != 0) {
        return error_at(start, fmt::format("integer too large for u{}", bits));
      }
      result |= static_cast<T>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return result;
      shift += 7;
      if (shift >= bits)
        return error_at(start, fmt::format("integer representation too long for u{}", bits));
    }
  }

  template <typename T>
  Result<T> signed_leb(unsigned bits) {
    using U = std::make_unsigned_t<T>;
    size_t start = offset();
    U result = 0;
    unsigned shift = 0;
    uint8_t byte;
    while (true) {
      BERTH_TRY_ASSIGN(byte, u8());
      if (shift + 7 >= bits) {
        // The unused high bits of the last byte must all equal the sign bit.
        int8_t rest = static_cast<int8_t>(static_cast<uint8_t>(byte << 1)) >> (bits - shift);
        if ((byte & 0x80) != 0) {
          return error_at(start, fmt::format("integer representation too long for s{}", bits));
        }
        if (rest != 0 && rest != -1) {
          return error_at(start, fmt::format("integer too large for s{}", bits));
        }
      }
      result |= static_cast<U>(byte & 0x7f) << shift;
      shift += 7;
      if ((byte & 0x80) == 0) break;
    }
    if (shift < bits && (byte & 0x40) != 0) result |= ~static_cast<U>(0) << shift;
    return static_cast<T>(result);
  }

  std::span<const uint8_t> data_;
  size_t base_;
  size_t pos_ = 0;
};

bool is_valid_utf8(std::string_view text);

inline Result<std::string_view> ByteReader::name() {
  BERTH_TRY_ASSIGN(uint32_t len, u32());
  BERTH_TRY_ASSIGN(auto raw, bytes(len));
  std::string_view text(reinterpret_cast<const char*>(raw.data()), raw.size());
  if (!is_valid_utf8(text)) return error_at(offset() - len, "name is not valid UTF-8");
  return text;
}

}  // namespace berth
