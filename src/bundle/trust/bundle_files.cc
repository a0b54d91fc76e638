// A bundle folder read once: lazily from disk until sealed, then only from the bytes held.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "berth/bundle/trust.h"
#include "support/file.h"
#include "support/utf8.h"

namespace berth::bundle {
namespace {

namespace fs = std::filesystem;

// Bounds on what a bundle folder may hold, so a stray folder cannot exhaust memory.
constexpr size_t kMaxFiles = 100000;
constexpr uint64_t kMaxTotalBytes = uint64_t{4} << 30;

fs::path normal(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return (ec ? path : absolute).lexically_normal();
}

}  // namespace

bool is_signature_file(const std::string& relative) {
  constexpr std::string_view kDir = "signatures/";
  return relative.size() > kDir.size() + 4 && relative.starts_with(kDir) &&
         relative.find('/', kDir.size()) == std::string::npos && relative.ends_with(".sig");
}

BundleFiles::BundleFiles(const fs::path& root) : root_(normal(root)) {}

std::string BundleFiles::relative(const fs::path& path) const {
  fs::path rel = normal(path).lexically_relative(root_);
  std::string text = rel.generic_string();
  if (text.empty() || text == "." || text.starts_with("..")) return "";
  return text;
}

Result<void> BundleFiles::read_all() {
  std::error_code ec;
  if (!fs::is_directory(root_, ec)) {
    return Error(ErrorCode::kNotFound, fmt::format("{}: bundle folder not found", root_.string()));
  }
  std::map<std::string, std::string> files;
  uint64_t total = 0;
  fs::recursive_directory_iterator it(root_, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    std::string rel = entry.path().lexically_relative(root_).generic_string();
    fs::file_status status = entry.symlink_status(ec);
    if (ec) break;
    if (fs::is_symlink(status)) {
      return Error(ErrorCode::kInvalid,
                   fmt::format("{}: {} is a symbolic link; a signed bundle holds only regular "
                               "files and folders (copy the file it points to instead)",
                               root_.string(), rel));
    }
    if (fs::is_directory(status)) continue;
    if (!fs::is_regular_file(status)) {
      return Error(ErrorCode::kInvalid,
                   fmt::format("{}: {} is not a regular file", root_.string(), rel));
    }
    if (!is_valid_utf8(rel) || rel.find('\n') != std::string::npos) {
      return Error(
          ErrorCode::kInvalid,
          fmt::format("{}: the name of {} is not UTF-8 text on one line", root_.string(), rel));
    }
    if (is_signature_file(rel)) continue;
    if (files.size() >= kMaxFiles) {
      return Error(ErrorCode::kLimit, fmt::format("{}: more than {} files in the bundle folder",
                                                  root_.string(), kMaxFiles));
    }
    auto cached = files_.find(rel);
    std::string bytes;
    if (cached != files_.end()) {
      bytes = cached->second;
    } else {
      BERTH_TRY_ASSIGN(std::vector<uint8_t> raw, read_file(entry.path()));
      bytes.assign(raw.begin(), raw.end());
    }
    total += bytes.size();
    if (total > kMaxTotalBytes) {
      return Error(ErrorCode::kLimit, fmt::format("{}: the bundle folder holds more than {} GiB",
                                                  root_.string(), kMaxTotalBytes >> 30));
    }
    files.emplace(std::move(rel), std::move(bytes));
  }
  if (ec) {
    return Error(ErrorCode::kIo, fmt::format("{}: cannot list the bundle folder: {}",
                                             root_.string(), ec.message()));
  }
  files_ = std::move(files);
  sealed_ = true;
  return {};
}

Result<std::string> BundleFiles::read(const fs::path& path) const {
  std::string rel = relative(path);
  if (!rel.empty()) {
    if (auto it = files_.find(rel); it != files_.end()) return it->second;
  }
  if (sealed_) {
    return Error(ErrorCode::kNotFound,
                 rel.empty() ? fmt::format("{}: outside the bundle folder {}, so no signature "
                                           "covers it",
                                           path.string(), root_.string())
                             : fmt::format("{}: not among the bundle's files when it was read",
                                           path.string()));
  }
  BERTH_TRY_ASSIGN(std::vector<uint8_t> raw, read_file(path));
  std::string bytes(raw.begin(), raw.end());
  if (!rel.empty()) files_.emplace(rel, bytes);
  return bytes;
}

Result<std::vector<fs::path>> BundleFiles::list(const fs::path& dir) const {
  if (!sealed_) return disk_files().list(dir);
  std::string rel = relative(dir);
  std::string prefix = rel.empty() ? "" : rel + "/";
  if (rel.empty() && normal(dir) != root_) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: outside the bundle folder {}", dir.string(), root_.string()));
  }
  std::set<std::string> names;
  for (auto it = files_.lower_bound(prefix); it != files_.end() && it->first.starts_with(prefix);
       ++it) {
    std::string_view rest = std::string_view(it->first).substr(prefix.size());
    names.emplace(rest.substr(0, rest.find('/')));
  }
  std::vector<fs::path> out;
  for (const std::string& name : names) out.push_back(root_ / (prefix + name));
  return out;
}

bool BundleFiles::is_directory(const fs::path& path) const {
  if (!sealed_) return disk_files().is_directory(path);
  if (normal(path) == root_) return true;
  std::string rel = relative(path);
  if (rel.empty()) return false;
  auto it = files_.lower_bound(rel + "/");
  return it != files_.end() && it->first.starts_with(rel + "/");
}

bool BundleFiles::is_regular_file(const fs::path& path) const {
  if (!sealed_) return disk_files().is_regular_file(path);
  std::string rel = relative(path);
  return !rel.empty() && files_.contains(rel);
}

}  // namespace berth::bundle
