// UTF-8 validation and encoding, shared by every layer that handles text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace berth {

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
bool is_valid_utf8(std::string_view text);
inline bool is_valid_utf8(const uint8_t* data, size_t size) {
  return is_valid_utf8(std::string_view(reinterpret_cast<const char*>(data), size));
}

// Writes the UTF-8 form of a Unicode scalar value to `out` (room for 4 bytes); returns its length.
size_t encode_utf8(char32_t code_point, uint8_t* out);
void append_utf8(std::string& out, char32_t code_point);

}  // namespace berth
