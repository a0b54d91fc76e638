#include "support/file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace berth {

Result<std::vector<uint8_t>> read_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Error(ErrorCode::kIo, fmt::format("{}: is a directory, expected a file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error(ErrorCode::kIo,
                 fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
  }
  std::vector<uint8_t> bytes;
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0) bytes.resize(static_cast<size_t>(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
    return Error(ErrorCode::kIo,
                 fmt::format("{}: read failed: {}", path.string(), std::strerror(errno)));
  }
  return bytes;
}

Result<void> write_text_file(const std::filesystem::path& path, std::string_view text) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (ec || !out) {
    return Error(ErrorCode::kIo, fmt::format("{}: cannot write the file", path.string()));
  }
  return {};
}

}  // namespace berth
