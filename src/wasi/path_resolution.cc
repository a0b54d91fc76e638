#include "path_resolution.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <deque>
#include <vector>

namespace berth::wasi {
namespace {

// Splits at '/', dropping empty and "." components. Sets `dir_suffix` when the path ends in a
// form that names a directory ('/', "/.", "..").
void split_path(std::string_view path, std::deque<std::string>& out, bool& dir_suffix) {
  std::deque<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(start, slash - start);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    start = slash + 1;
  }
  std::string_view last =
      path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1);
  dir_suffix = path.ends_with('/') || last == "." || last == "..";
  out.insert(out.begin(), parts.begin(), parts.end());
}

int read_link(int dir, const std::string& name, std::string& target) {
  std::string buffer(256, '\0');
  for (;;) {
    ssize_t n = ::readlinkat(dir, name.c_str(), buffer.data(), buffer.size());
    if (n < 0) return errno;
    if (static_cast<size_t>(n) < buffer.size()) {
      buffer.resize(static_cast<size_t>(n));
      target = std::move(buffer);
      return 0;
    }
    buffer.resize(buffer.size() * 2);
  }
}

}  // namespace

int resolve_path(int base_fd, std::string_view path, bool follow_final, ResolvedPath& out) {
  if (path.empty()) return ENOENT;
  // The kernel would silently cut the path at a NUL.
  if (path.find('\0') != std::string_view::npos) return EILSEQ;
  if (path.front() == '/') return EPERM;
  std::deque<std::string> components;
  bool must_be_directory = false;
  split_path(path, components, must_be_directory);

  std::vector<OwnedFd> stack;  // directories entered below the base
  auto top = [&] { return stack.empty() ? base_fd : stack.back().get(); };
  std::string final_name = ".";
  int symlinks = 0;
  while (!components.empty()) {
    std::string name = std::move(components.front());
    components.pop_front();
    bool last = components.empty();
    if (name == "..") {
      if (stack.empty()) return EPERM;
      stack.pop_back();
      continue;
    }
    // A final name that must be a directory is followed like any other, as POSIX resolves
    // "link/"; only a plain final name may stay a symlink.
    if (last && !follow_final && !must_be_directory) {
      final_name = std::move(name);
      break;
    }
    struct stat st {};
    if (::fstatat(top(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
      if (errno == ENOENT && last) {
        final_name = std::move(name);
        break;
      }
      return errno;
    }
    if (S_ISLNK(st.st_mode)) {
      if (++symlinks > kMaxSymlinks) return ELOOP;
      std::string target;
      if (int err = read_link(top(), name, target)) return err;
      if (target.empty()) return ENOENT;
      if (target.front() == '/') return EPERM;
      bool target_dir_suffix = false;
      split_path(target, components, target_dir_suffix);
      if (last) must_be_directory = must_be_directory || target_dir_suffix;
      continue;
    }
    if (last) {
      final_name = std::move(name);
      break;
    }
    if (!S_ISDIR(st.st_mode)) return ENOTDIR;
    int fd = ::openat(top(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno;
    stack.emplace_back(fd);
  }
  if (stack.empty()) {
    int fd = ::openat(base_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    out.dir = OwnedFd(fd);
  } else {
    out.dir = std::move(stack.back());
  }
  out.name = std::move(final_name);
  out.must_be_directory = must_be_directory;
  return 0;
}

}  // namespace berth::wasi
