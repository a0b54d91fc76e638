#include "berth/file_tree.h"

#include <fmt/format.h>

#include <algorithm>

#include "support/file.h"

namespace berth {
namespace {

namespace fs = std::filesystem;

class DiskFiles final : public FileTree {
 public:
  Result<std::string> read(const fs::path& path) const override {
    BERTH_TRY_ASSIGN(std::vector<uint8_t> bytes, read_file(path));
    return std::string(bytes.begin(), bytes.end());
  }
  Result<std::vector<fs::path>> list(const fs::path& dir) const override {
    std::error_code ec;
    std::vector<fs::path> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      entries.push_back(it->path());
    }
    if (ec) {
      return Error(ErrorCode::kIo,
                   fmt::format("{}: cannot list folder: {}", dir.string(), ec.message()));
    }
    std::sort(entries.begin(), entries.end());
    return entries;
  }
  bool is_directory(const fs::path& path) const override {
    std::error_code ec;
    return fs::is_directory(path, ec);
  }
  bool is_regular_file(const fs::path& path) const override {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
  }
};

}  // namespace

const FileTree& disk_files() {
  static const DiskFiles files;
  return files;
}

}  // namespace berth
