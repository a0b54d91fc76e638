// Hexadecimal text of the fixed-size byte strings in key and signature files.
#pragma once

#include <sodium.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace berth::bundle {

template <size_t N>
std::string to_hex(const std::array<uint8_t, N>& bytes) {
  std::string out(2 * N + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), N);
  out.pop_back();
  return out;
}

// Exactly 2*N hex digits, or nothing.
template <size_t N>
std::optional<std::array<uint8_t, N>> from_hex(std::string_view text) {
  if (text.size() != 2 * N) return std::nullopt;
  std::array<uint8_t, N> out{};
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), N, text.data(), text.size(), nullptr, &length, &end) != 0 ||
      length != N || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace berth::bundle
