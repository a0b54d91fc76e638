#include "support/byte_reader.h"

#include <fmt/format.h>

namespace berth {

Error ByteReader::error_at(size_t offset, std::string_view message) const {
  return Error(ErrorCode::kMalformed, fmt::format("offset 0x{:x}: {}", offset, message));
}

Error ByteReader::unexpected_byte(size_t offset, uint8_t found, std::string_view what) const {
  return error_at(offset, fmt::format("expected {}, found 0x{:02x}", what, found));
}

Error ByteReader::eof(std::string_view what) const {
  return error(fmt::format("unexpected end of input while reading {}", what));
}

Result<uint8_t> ByteReader::read_u8() {
  if (pos_ >= end_) return eof("a byte");
  return input_[pos_++];
}

Result<uint8_t> ByteReader::peek_u8() const {
  if (pos_ >= end_) return eof("a byte");
  return input_[pos_];
}

Result<uint32_t> ByteReader::read_u32() {
  const size_t start = pos_;
  uint32_t value = 0;
  for (int i = 0; i < 5; ++i) {
    if (pos_ >= end_) return eof("a LEB128 u32");
    const uint8_t byte = input_[pos_++];
    if (i == 4) {
      // The fifth byte holds bits 28..31: anything above them, or a continuation, is too much.
      if (byte & 0x80) return error_at(start, "LEB128 u32 is longer than 5 bytes");
      if (byte & 0x70) return error_at(start, "integer too large for a LEB128 u32");
    }
    value |= static_cast<uint32_t>(byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) break;
  }
  return value;
}

Result<uint64_t> ByteReader::read_u64() {
  const size_t start = pos_;
  uint64_t value = 0;
  for (int i = 0; i < 10; ++i) {
    if (pos_ >= end_) return eof("a LEB128 u64");
    const uint8_t byte = input_[pos_++];
    if (i == 9) {
      if (byte & 0x80) return error_at(start, "LEB128 u64 is longer than 10 bytes");
      if (byte & 0x7e) return error_at(start, "integer too large for a LEB128 u64");
    }
    value |= static_cast<uint64_t>(byte & 0x7f) << (7 * i);
    if (!(byte & 0x80)) break;
  }
  return value;
}

Result<int64_t> ByteReader::read_s33() {
  const size_t start = pos_;
  uint64_t value = 0;
  int shift = 0;
  uint8_t byte = 0;
  for (int i = 0; i < 5; ++i) {
    if (pos_ >= end_) return eof("a LEB128 s33");
    byte = input_[pos_++];
    if (i == 4) {
      // Bits 28..31 are free, bit 32 is the sign and bits 33..34 must repeat it.
      if (byte & 0x80) return error_at(start, "LEB128 s33 is longer than 5 bytes");
      const uint8_t high = byte & 0x70;
      if (high != 0 && high != 0x70) return error_at(start, "integer too large for a LEB128 s33");
    }
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) break;
  }
  if (shift < 64 && (byte & 0x40)) value |= ~uint64_t{0} << shift;
  // Keep 33 bits and sign-extend from bit 32.
  value &= (uint64_t{1} << 33) - 1;
  if (value & (uint64_t{1} << 32)) value |= ~((uint64_t{1} << 33) - 1);
  return static_cast<int64_t>(value);
}

Result<int64_t> ByteReader::read_signed(unsigned bits) {
  const size_t start = pos_;
  uint64_t value = 0;
  unsigned shift = 0;
  uint8_t byte = 0;
  while (true) {
    if (pos_ >= end_) return eof(fmt::format("a LEB128 s{}", bits));
    byte = input_[pos_++];
    if (shift + 7 >= bits) {
      // The last byte: no continuation, and its unused bits must repeat the sign bit.
      if (byte & 0x80) return error_at(start, fmt::format("LEB128 s{} is too long", bits));
      const int8_t rest = static_cast<int8_t>(static_cast<uint8_t>(byte << 1)) >> (bits - shift);
      if (rest != 0 && rest != -1) {
        return error_at(start, fmt::format("integer too large for a LEB128 s{}", bits));
      }
    }
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) break;
  }
  if (shift < 64 && (byte & 0x40)) value |= ~uint64_t{0} << shift;
  return static_cast<int64_t>(value);
}

Result<int32_t> ByteReader::read_s32() {
  BERTH_TRY_ASSIGN(int64_t v, read_signed(32));
  return static_cast<int32_t>(v);
}

Result<int64_t> ByteReader::read_s64() {
  return read_signed(64);
}

Result<uint32_t> ByteReader::read_fixed_u32() {
  if (remaining() < 4) return eof("four bytes");
  uint32_t v = static_cast<uint32_t>(input_[pos_]) | static_cast<uint32_t>(input_[pos_ + 1]) << 8 |
               static_cast<uint32_t>(input_[pos_ + 2]) << 16 |
               static_cast<uint32_t>(input_[pos_ + 3]) << 24;
  pos_ += 4;
  return v;
}

Result<std::string> ByteReader::read_name(std::string_view what) {
  const size_t start = pos_;
  BERTH_TRY_ASSIGN(uint32_t length, read_u32());
  if (length > remaining()) {
    return error_at(start, fmt::format("{} of {} bytes runs past the end ({} bytes left)", what,
                                       length, remaining()));
  }
  std::string_view text(reinterpret_cast<const char*>(input_.data() + pos_), length);
  if (!is_valid_utf8(text)) return error_at(pos_, fmt::format("{} is not valid UTF-8", what));
  pos_ += length;
  return std::string(text);
}

Result<uint32_t> ByteReader::read_count(std::string_view what) {
  const size_t start = pos_;
  BERTH_TRY_ASSIGN(uint32_t count, read_u32());
  if (count > remaining()) {
    return error_at(start, fmt::format("{} count {} is larger than the {} bytes left", what, count,
                                       remaining()));
  }
  return count;
}

Result<ByteRange> ByteReader::read_range(size_t size, std::string_view what) {
  if (size > remaining()) {
    return error(
        fmt::format("{} of {} bytes runs past the end ({} bytes left)", what, size, remaining()));
  }
  ByteRange range{pos_, size};
  pos_ += size;
  return range;
}

Result<ByteReader> ByteReader::split(size_t size, std::string_view what) {
  BERTH_TRY_ASSIGN(ByteRange range, read_range(size, what));
  return ByteReader(input_, range);
}

Result<bool> ByteReader::read_flag(std::string_view what) {
  const size_t start = pos_;
  BERTH_TRY_ASSIGN(uint8_t byte, read_u8());
  if (byte > 1) return unexpected_byte(start, byte, fmt::format("{} (0x00 or 0x01)", what));
  return byte == 1;
}

Result<void> ByteReader::expect_u8(uint8_t expected, std::string_view what) {
  const size_t start = pos_;
  BERTH_TRY_ASSIGN(uint8_t byte, read_u8());
  if (byte != expected) {
    return unexpected_byte(start, byte, fmt::format("{} (0x{:02x})", what, expected));
  }
  return {};
}

}  // namespace berth
