#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "berth/result.h"

namespace berth {

// The whole file, or an error that names it and says why it could not be read.
Result<std::vector<uint8_t>> read_file(const std::filesystem::path& path);

}  // namespace berth
