// Where files are read from. Loaders that read several files (a WIT folder with deps/, a bundle
// folder) take a FileTree, so that a bundle's files can come from the bytes that were verified
// against its signature instead of from the disk a second time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "berth/result.h"

namespace berth {

class FileTree {
 public:
  virtual ~FileTree() = default;
  // The whole file, or an error that names it.
  virtual Result<std::string> read(const std::filesystem::path& path) const = 0;
  // The entries of a folder as full paths, sorted.
  virtual Result<std::vector<std::filesystem::path>> list(
      const std::filesystem::path& dir) const = 0;
  virtual bool is_directory(const std::filesystem::path& path) const = 0;
  virtual bool is_regular_file(const std::filesystem::path& path) const = 0;
  bool exists(const std::filesystem::path& path) const {
    return is_directory(path) || is_regular_file(path);
  }
};

// The real file system.
const FileTree& disk_files();

}  // namespace berth
