// Bounds-checked reading of WebAssembly's primitive encodings: bytes, LEB128 integers, UTF-8
// names and vector counts. Shared by every binary decoder in berth. Positions are absolute offsets
// into the whole input, so nested readers (one per section or nested component) report offsets a
// user can find in the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "berth/result.h"
#include "support/byte_range.h"
#include "support/utf8.h"

namespace berth {

class ByteReader {
 public:
  // Reads all of `input`.
  explicit ByteReader(std::span<const uint8_t> input)
      : input_(input), pos_(0), end_(input.size()) {}
  // Reads `range` of `input`; the range must lie inside it.
  ByteReader(std::span<const uint8_t> input, ByteRange range)
      : input_(input), pos_(range.offset), end_(range.end()) {}

  size_t offset() const { return pos_; }
  size_t end() const { return end_; }
  size_t remaining() const { return end_ - pos_; }
  bool at_end() const { return pos_ == end_; }
  std::span<const uint8_t> input() const { return input_; }

  Result<uint8_t> read_u8();
  Result<uint8_t> peek_u8() const;
  Result<uint32_t> read_u32();        // unsigned LEB128, at most 5 bytes
  Result<uint64_t> read_u64();        // unsigned LEB128, at most 10 bytes
  Result<int64_t> read_s33();         // signed LEB128 of 33 bits (heap types), at most 5 bytes
  Result<int32_t> read_s32();         // signed LEB128, at most 5 bytes
  Result<int64_t> read_s64();         // signed LEB128, at most 10 bytes
  Result<uint32_t> read_fixed_u32();  // four bytes, little-endian
  // A LEB128 u32 length followed by that many bytes of UTF-8.
  Result<std::string> read_name(std::string_view what);
  // A vector length, checked against the bytes left: every element takes at least one byte,
  // so a larger count cannot be right, and refusing it early bounds every allocation.
  Result<uint32_t> read_count(std::string_view what);
  // Consumes `size` bytes and returns where they are.
  Result<ByteRange> read_range(size_t size, std::string_view what);
  // Splits off the next `size` bytes as a reader of their own and skips them here.
  Result<ByteReader> split(size_t size, std::string_view what);
  // Reads a byte that must be 0x00 or 0x01.
  Result<bool> read_flag(std::string_view what);
  // Reads a byte that must equal `expected`.
  Result<void> expect_u8(uint8_t expected, std::string_view what);

  // "offset 0x1f: <message>"
  Error error_at(size_t offset, std::string_view message) const;
  Error error(std::string_view message) const { return error_at(pos_, message); }
  // "offset 0x1f: expected <what>, found 0x13" for a leading byte at `offset`.
  Error unexpected_byte(size_t offset, uint8_t found, std::string_view what) const;

 private:
  Error eof(std::string_view what) const;
  Result<int64_t> read_signed(unsigned bits);

  std::span<const uint8_t> input_;
  size_t pos_;
  size_t end_;
};

}  // namespace berth
