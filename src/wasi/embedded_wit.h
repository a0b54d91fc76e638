// The WIT files the provider declares its interfaces in, compiled into the binary, in the order
// they must be loaded (each only uses packages before it).
#pragma once

#include <span>
#include <string_view>

namespace berth::wasi {

struct WitFile {
  std::string_view name;
  std::string_view text;
};

std::span<const WitFile> embedded_wit();

}  // namespace berth::wasi
