#include "component/abi/strings.h"
#include "support/utf8.h"

#include <fmt/format.h>

#include <bit>
#include <cstring>

#include "component/abi/canonical_abi.h"
#include "component/abi/internal.h"
#include "component/abi/layout.h"

namespace berth::component::abi {

static_assert(std::endian::native == std::endian::little,
              "linear memory is little-endian; berth copies it as host memory");

namespace {

constexpr uint64_t kHighBits = 0x8080808080808080ull;

bool is_surrogate(uint32_t cp) {
  return cp >= 0xd800 && cp <= 0xdfff;
}

// --- Encoders: write one code point, return the number of bytes / code units written. ---

// Writes UTF-16LE at `out`; returns code units written.
size_t encode_utf16(char32_t cp, uint8_t* out) {
  if (cp < 0x10000) {
    write<uint16_t>(out, static_cast<uint16_t>(cp));
    return 1;
  }
  cp -= 0x10000;
  write<uint16_t>(out, static_cast<uint16_t>(0xd800 | (cp >> 10)));
  write<uint16_t>(out + 2, static_cast<uint16_t>(0xdc00 | (cp & 0x3ff)));
  return 2;
}

// --- Decoders over validated input: one code point at a time. ---

// Each decoder can also copy a run of ASCII code points as bytes, eight at a time: the common case
// of every transcoding loop below.
size_t copy_ascii_bytes(const uint8_t*& p, const uint8_t* end, uint8_t* out) {
  size_t n = 0;
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    if (w & kHighBits) break;
    std::memcpy(out + n, &w, 8);
    p += 8;
    n += 8;
  }
  return n;
}

struct Utf8Decoder {
  const uint8_t* p;
  const uint8_t* end;
  bool at_end() const { return p == end; }
  size_t copy_ascii(uint8_t* out) { return copy_ascii_bytes(p, end, out); }
  char32_t next() {
    uint8_t b = *p;
    if (b < 0x80) {
      ++p;
      return b;
    }
    if (b < 0xe0) {
      char32_t cp = ((b & 0x1f) << 6) | (p[1] & 0x3f);
      p += 2;
      return cp;
    }
    if (b < 0xf0) {
      char32_t cp = ((b & 0x0f) << 12) | ((p[1] & 0x3f) << 6) | (p[2] & 0x3f);
      p += 3;
      return cp;
    }
    char32_t cp = ((b & 0x07) << 18) | ((p[1] & 0x3f) << 12) | ((p[2] & 0x3f) << 6) | (p[3] & 0x3f);
    p += 4;
    return cp;
  }
};

struct Utf16Decoder {
  const uint8_t* p;
  const uint8_t* end;
  bool at_end() const { return p == end; }
  size_t copy_ascii(uint8_t* out) {
    size_t n = 0;
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (w & 0xff80ff80ff80ff80ull) break;
      out[n] = static_cast<uint8_t>(w);
      out[n + 1] = static_cast<uint8_t>(w >> 16);
      out[n + 2] = static_cast<uint8_t>(w >> 32);
      out[n + 3] = static_cast<uint8_t>(w >> 48);
      p += 8;
      n += 4;
    }
    return n;
  }
  char32_t next() {
    uint16_t u = read<uint16_t>(p);
    p += 2;
    if (u < 0xd800 || u > 0xdbff) return u;
    uint16_t low = read<uint16_t>(p);
    p += 2;
    return 0x10000 + ((char32_t{u} - 0xd800) << 10) + (low - 0xdc00);
  }
};

struct Latin1Decoder {
  const uint8_t* p;
  const uint8_t* end;
  bool at_end() const { return p == end; }
  size_t copy_ascii(uint8_t* out) { return copy_ascii_bytes(p, end, out); }
  char32_t next() { return *p++; }
};

// --- Validation ---

bool is_valid_utf16(const uint8_t* data, size_t units) {
  for (size_t i = 0; i < units; ++i) {
    uint16_t u = read<uint16_t>(data + 2 * i);
    if (u < 0xd800 || u > 0xdfff) continue;
    if (u > 0xdbff || i + 1 == units) return false;
    uint16_t low = read<uint16_t>(data + 2 * (i + 1));
    if (low < 0xdc00 || low > 0xdfff) return false;
    ++i;
  }
  return true;
}

// --- Decoding memory into UTF-8 (lifting) ---

// Two passes: validate and measure, then encode into a string of the exact size.
Result<std::string> utf16_to_utf8(const uint8_t* data, size_t units) {
  size_t length = 0;
  for (size_t i = 0; i < units;) {
    if (i + 4 <= units) {
      uint64_t w;
      std::memcpy(&w, data + 2 * i, 8);
      if ((w & 0xff80ff80ff80ff80ull) == 0) {
        length += 4;
        i += 4;
        continue;
      }
    }
    uint16_t u = read<uint16_t>(data + 2 * i);
    if (u < 0x80) {
      length += 1;
    } else if (u < 0x800) {
      length += 2;
    } else if (!is_surrogate(u)) {
      length += 3;
    } else {
      if (u > 0xdbff || i + 1 == units)
        return trap("invalid UTF-16 in string (unpaired surrogate)");
      uint16_t low = read<uint16_t>(data + 2 * (i + 1));
      if (low < 0xdc00 || low > 0xdfff) {
        return trap("invalid UTF-16 in string (unpaired surrogate)");
      }
      length += 4;
      ++i;
    }
    ++i;
  }
  std::string out(length, '\0');
  auto* o = reinterpret_cast<uint8_t*>(out.data());
  Utf16Decoder source{data, data + 2 * units};
  size_t n = 0;
  while (true) {
    n += source.copy_ascii(o + n);
    if (source.at_end()) break;
    n += encode_utf8(source.next(), o + n);
  }
  return out;
}

std::string latin1_to_utf8(const uint8_t* data, size_t length) {
  size_t high = 0;
  for (size_t i = 0; i < length; ++i) high += data[i] >> 7;
  if (high == 0) return std::string(reinterpret_cast<const char*>(data), length);
  std::string out(length + high, '\0');
  auto* o = reinterpret_cast<uint8_t*>(out.data());
  const uint8_t* p = data;
  const uint8_t* end = data + length;
  size_t n = 0;
  while (true) {
    n += copy_ascii_bytes(p, end, o + n);
    if (p == end) break;
    n += encode_utf8(*p++, o + n);
  }
  return out;
}

// Where a string lives and how to read it, from the options and the tagged length.
struct StringRange {
  enum class Kind { kUtf8, kUtf16, kLatin1 } kind;
  uint32_t alignment;
  uint64_t byte_length;
  uint32_t code_units;
};

StringRange string_range(StringEncoding encoding, uint32_t tagged_code_units) {
  switch (encoding) {
    case StringEncoding::kUtf8:
      return {StringRange::Kind::kUtf8, 1, tagged_code_units, tagged_code_units};
    case StringEncoding::kUtf16:
      return {StringRange::Kind::kUtf16, 2, 2ull * tagged_code_units, tagged_code_units};
    case StringEncoding::kLatin1Utf16:
      if (tagged_code_units & kUtf16Tag) {
        uint32_t units = tagged_code_units ^ kUtf16Tag;
        return {StringRange::Kind::kUtf16, 2, 2ull * units, units};
      }
      return {StringRange::Kind::kLatin1, 2, tagged_code_units, tagged_code_units};
  }
  return {StringRange::Kind::kUtf8, 1, 0, 0};
}

// The checks of load_string_from_range, before any byte is read.
Result<StringRange> check_string_range(LiftLowerContext& cx, uint32_t ptr,
                                       uint32_t tagged_code_units) {
  StringRange range = string_range(cx.options.string_encoding, tagged_code_units);
  if (range.byte_length > kMaxStringByteLength) {
    return trap(fmt::format("string byte length {} exceeds the maximum of {}", range.byte_length,
                            kMaxStringByteLength));
  }
  if (ptr % range.alignment != 0) {
    return trap(
        fmt::format("unaligned string pointer 0x{:x} (alignment {})", ptr, range.alignment));
  }
  if (!cx.in_bounds(ptr, range.byte_length)) {
    return trap(
        fmt::format("string pointer/length out of bounds of memory (0x{:x} + {} bytes, "
                    "memory is {} bytes)",
                    ptr, range.byte_length, cx.memory_size()));
  }
  return range;
}

// --- Storing (lowering). `Result<Range>` is (ptr, tagged code units). ---

using Stored = std::pair<uint32_t, uint32_t>;

// store_string_copy: the destination size is known up front.
Result<Stored> store_copy(LiftLowerContext& cx, const uint8_t* src, uint32_t src_code_units,
                          uint32_t dst_unit_size, uint32_t dst_alignment, bool inflate_latin1) {
  uint32_t byte_length = dst_unit_size * src_code_units;
  BERTH_TRY_ASSIGN(uint32_t ptr, cx.allocate(dst_alignment, byte_length));
  uint8_t* out = cx.memory_data() + ptr;
  if (inflate_latin1) {
    for (uint32_t i = 0; i < src_code_units; ++i) write<uint16_t>(out + 2 * i, src[i]);
  } else if (byte_length > 0) {
    std::memcpy(out, src, byte_length);
  }
  return Stored{ptr, src_code_units};
}

// store_string_to_utf8 (from UTF-16 or Latin-1): optimistic one byte per code unit; on the first
// non-ASCII code point, grow to the worst case, finish, and shrink.
template <typename Decoder>
Result<Stored> store_to_utf8(LiftLowerContext& cx, Decoder source, uint32_t src_code_units,
                             uint32_t worst_case_size) {
  BERTH_TRY_ASSIGN(uint32_t ptr, cx.allocate(1, src_code_units));
  uint32_t written = 0;
  while (true) {
    written += static_cast<uint32_t>(source.copy_ascii(cx.memory_data() + ptr + written));
    if (source.at_end()) break;
    char32_t cp = source.next();
    if (cp < 0x80) {
      cx.memory_data()[ptr + written++] = static_cast<uint8_t>(cp);
      continue;
    }
    BERTH_TRY_ASSIGN(ptr, cx.reallocate(ptr, src_code_units, 1, worst_case_size));
    uint8_t* out = cx.memory_data() + ptr;
    written += static_cast<uint32_t>(encode_utf8(cp, out + written));
    while (!source.at_end())
      written += static_cast<uint32_t>(encode_utf8(source.next(), out + written));
    if (worst_case_size > written) {
      BERTH_TRY_ASSIGN(ptr, cx.reallocate(ptr, worst_case_size, 1, written));
    }
    return Stored{ptr, written};
  }
  return Stored{ptr, src_code_units};
}

// store_utf8_to_utf16: worst case two bytes per UTF-8 byte, shrunk at the end.
Result<Stored> store_utf8_to_utf16(LiftLowerContext& cx, const uint8_t* src, uint32_t length) {
  uint32_t worst_case_size = 2 * length;
  BERTH_TRY_ASSIGN(uint32_t ptr, cx.allocate(2, worst_case_size));
  uint8_t* out = cx.memory_data() + ptr;
  uint32_t units = 0;
  uint32_t i = 0;
  while (i < length) {
    if (i + 8 <= length) {
      uint64_t w;
      std::memcpy(&w, src + i, 8);
      if ((w & kHighBits) == 0) {
        for (int k = 0; k < 8; ++k) write<uint16_t>(out + 2 * (units + k), src[i + k]);
        units += 8;
        i += 8;
        continue;
      }
    }
    Utf8Decoder one{src + i, src + length};
    char32_t cp = one.next();
    i = static_cast<uint32_t>(one.p - src);
    units += static_cast<uint32_t>(encode_utf16(cp, out + 2 * units));
  }
  if (2 * units < worst_case_size) {
    BERTH_TRY_ASSIGN(ptr, cx.reallocate(ptr, worst_case_size, 2, 2 * units));
  }
  return Stored{ptr, units};
}

// store_string_to_latin1_or_utf16 (from UTF-8 or plain UTF-16): optimistic Latin-1; on the
// first code point above U+00FF, grow to UTF-16, inflate the Latin-1 prefix in place, finish as
// UTF-16 and shrink.
template <typename Decoder>
Result<Stored> store_to_latin1_or_utf16(LiftLowerContext& cx, Decoder source,
                                        uint32_t src_code_units) {
  BERTH_TRY_ASSIGN(uint32_t ptr, cx.allocate(2, src_code_units));
  uint32_t latin1_length = 0;
  while (true) {
    latin1_length +=
        static_cast<uint32_t>(source.copy_ascii(cx.memory_data() + ptr + latin1_length));
    if (source.at_end()) break;
    char32_t cp = source.next();
    if (cp < 0x100) {
      cx.memory_data()[ptr + latin1_length++] = static_cast<uint8_t>(cp);
      continue;
    }
    uint32_t worst_case_size = 2 * src_code_units;
    BERTH_TRY_ASSIGN(ptr, cx.reallocate(ptr, src_code_units, 2, worst_case_size));
    uint8_t* out = cx.memory_data() + ptr;
    for (uint32_t j = latin1_length; j-- > 0;) {
      out[2 * j] = out[j];
      out[2 * j + 1] = 0;
    }
    uint32_t units = latin1_length;
    units += static_cast<uint32_t>(encode_utf16(cp, out + 2 * units));
    while (!source.at_end())
      units += static_cast<uint32_t>(encode_utf16(source.next(), out + 2 * units));
    if (worst_case_size > 2 * units) {
      BERTH_TRY_ASSIGN(ptr, cx.reallocate(ptr, worst_case_size, 2, 2 * units));
    }
    return Stored{ptr, units | kUtf16Tag};
  }
  if (latin1_length < src_code_units) {
    BERTH_TRY_ASSIGN(ptr, cx.reallocate(ptr, src_code_units, 2, latin1_length));
  }
  return Stored{ptr, latin1_length};
}

// store_probably_utf16_to_latin1_or_utf16: the producer chose UTF-16, so copy it as UTF-16 and
// deflate to Latin-1 only if every code point fits.
Result<Stored> store_probably_utf16(LiftLowerContext& cx, const uint8_t* src,
                                    uint32_t src_code_units) {
  uint32_t byte_length = 2 * src_code_units;
  BERTH_TRY_ASSIGN(uint32_t ptr, cx.allocate(2, byte_length));
  uint8_t* out = cx.memory_data() + ptr;
  if (byte_length > 0) std::memcpy(out, src, byte_length);
  for (uint32_t i = 0; i < src_code_units; ++i) {
    if (read<uint16_t>(out + 2 * i) >= 0x100) return Stored{ptr, src_code_units | kUtf16Tag};
  }
  for (uint32_t i = 0; i < src_code_units; ++i) out[i] = out[2 * i];
  BERTH_TRY_ASSIGN(ptr, cx.reallocate(ptr, byte_length, 1, src_code_units));
  return Stored{ptr, src_code_units};
}

// A string read out of a source memory, validated, in its source encoding: the `String` triple
// (text, encoding, tagged code units) the spec hands from load_string to store_string.
struct SourceString {
  StringEncoding encoding;  // the source options' encoding
  StringRange range;
  std::string bytes;
};

Result<Stored> store_source(LiftLowerContext& cx, const SourceString& s) {
  const auto* data = reinterpret_cast<const uint8_t*>(s.bytes.data());
  const uint8_t* end = data + s.bytes.size();
  uint32_t units = s.range.code_units;
  using Kind = StringRange::Kind;
  switch (cx.options.string_encoding) {
    case StringEncoding::kUtf8:
      switch (s.range.kind) {
        case Kind::kUtf8:
          return store_copy(cx, data, units, 1, 1, false);
        case Kind::kUtf16:
          return store_to_utf8(cx, Utf16Decoder{data, end}, units, 3 * units);
        case Kind::kLatin1:
          return store_to_utf8(cx, Latin1Decoder{data, end}, units, 2 * units);
      }
      break;
    case StringEncoding::kUtf16:
      switch (s.range.kind) {
        case Kind::kUtf8:
          return store_utf8_to_utf16(cx, data, units);
        case Kind::kUtf16:
          return store_copy(cx, data, units, 2, 2, false);
        case Kind::kLatin1:
          return store_copy(cx, data, units, 2, 2, true);
      }
      break;
    case StringEncoding::kLatin1Utf16:
      switch (s.encoding) {
        case StringEncoding::kUtf8:
          return store_to_latin1_or_utf16(cx, Utf8Decoder{data, end}, units);
        case StringEncoding::kUtf16:
          return store_to_latin1_or_utf16(cx, Utf16Decoder{data, end}, units);
        case StringEncoding::kLatin1Utf16:
          if (s.range.kind == Kind::kLatin1) return store_copy(cx, data, units, 1, 2, false);
          return store_probably_utf16(cx, data, units);
      }
      break;
  }
  return Error(ErrorCode::kInternal, "unknown string encoding");
}

}  // namespace

Result<std::string_view> view_string_from_range(LiftLowerContext& cx, uint32_t ptr,
                                                uint32_t tagged_code_units,
                                                std::string& transcoded) {
  BERTH_TRY_ASSIGN(StringRange range, check_string_range(cx, ptr, tagged_code_units));
  const uint8_t* data = cx.memory_data() + ptr;
  if (range.kind == StringRange::Kind::kUtf8) {
    if (!is_valid_utf8(data, range.byte_length)) return trap("invalid UTF-8 in string");
    return std::string_view(reinterpret_cast<const char*>(data), range.byte_length);
  }
  BERTH_TRY_ASSIGN(transcoded, load_string_from_range(cx, ptr, tagged_code_units));
  return std::string_view(transcoded);
}

Result<std::string> load_string_from_range(LiftLowerContext& cx, uint32_t ptr,
                                           uint32_t tagged_code_units) {
  BERTH_TRY_ASSIGN(StringRange range, check_string_range(cx, ptr, tagged_code_units));
  const uint8_t* data = cx.memory_data() + ptr;
  switch (range.kind) {
    case StringRange::Kind::kUtf8:
      if (!is_valid_utf8(data, range.byte_length)) return trap("invalid UTF-8 in string");
      return std::string(reinterpret_cast<const char*>(data), range.byte_length);
    case StringRange::Kind::kUtf16:
      return utf16_to_utf8(data, range.code_units);
    case StringRange::Kind::kLatin1:
      return latin1_to_utf8(data, range.byte_length);
  }
  return Error(ErrorCode::kInternal, "unknown string encoding");
}

Result<std::pair<uint32_t, uint32_t>> store_string_into_range(LiftLowerContext& cx,
                                                              std::string_view utf8) {
  const auto* data = reinterpret_cast<const uint8_t*>(utf8.data());
  if (utf8.size() > kMaxStringByteLength) {
    return Error(ErrorCode::kInvalid, fmt::format("string of {} bytes exceeds the maximum of {}",
                                                  utf8.size(), kMaxStringByteLength));
  }
  if (!is_valid_utf8(data, utf8.size())) {
    return Error(ErrorCode::kInvalid, "string value is not valid UTF-8");
  }
  auto length = static_cast<uint32_t>(utf8.size());
  switch (cx.options.string_encoding) {
    case StringEncoding::kUtf8:
      return store_copy(cx, data, length, 1, 1, false);
    case StringEncoding::kUtf16:
      return store_utf8_to_utf16(cx, data, length);
    case StringEncoding::kLatin1Utf16:
      return store_to_latin1_or_utf16(cx, Utf8Decoder{data, data + length}, length);
  }
  return Error(ErrorCode::kInternal, "unknown string encoding");
}

Result<std::pair<uint32_t, uint32_t>> copy_string(LiftLowerContext& source, uint32_t ptr,
                                                  uint32_t tagged_code_units,
                                                  LiftLowerContext& destination) {
  BERTH_TRY(source.refresh_memory());
  BERTH_TRY_ASSIGN(StringRange range, check_string_range(source, ptr, tagged_code_units));
  const uint8_t* data = source.memory_data() + ptr;
  if (range.kind == StringRange::Kind::kUtf8 && !is_valid_utf8(data, range.byte_length)) {
    return trap("invalid UTF-8 in string");
  }
  if (range.kind == StringRange::Kind::kUtf16 && !is_valid_utf16(data, range.code_units)) {
    return trap("invalid UTF-16 in string (unpaired surrogate)");
  }
  // The destination's realloc may grow or move the source memory when both are the same, so
  // the source bytes are taken out first.
  SourceString s{source.options.string_encoding, range,
                 std::string(reinterpret_cast<const char*>(data), range.byte_length)};
  BERTH_TRY(destination.refresh_memory());
  return store_source(destination, s);
}

}  // namespace berth::component::abi
