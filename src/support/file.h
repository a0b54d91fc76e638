#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <vector>

#include "berth/result.h"

namespace berth {

// The whole file, or an error that names it and says why it could not be read.
Result<std::vector<uint8_t>> read_file(const std::filesystem::path& path);

// Writes `text` as the whole file, creating the folders above it.
Result<void> write_text_file(const std::filesystem::path& path, std::string_view text);

}  // namespace berth
