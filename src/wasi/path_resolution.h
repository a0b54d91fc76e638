// Confinement of guest paths to a preopened directory. A guest path is resolved one component at
// a time from the directory's fd with openat(O_NOFOLLOW): `..` may not climb above the starting
// directory, absolute paths and absolute symlink targets are refused, relative symlinks are
// expanded by this code (never by the kernel) and at most kMaxSymlinks of them per path. The
// result is a directory fd and a single final name without '/', so the *at() system call that
// uses it cannot follow anything outside either.
#pragma once

#include <unistd.h>

#include <string>
#include <string_view>
#include <utility>

namespace berth::wasi {

inline constexpr int kMaxSymlinks = 40;

// An owned file descriptor.
class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  OwnedFd(OwnedFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~OwnedFd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

struct ResolvedPath {
  OwnedFd dir;                     // the directory holding the final component (an O_PATH fd)
  std::string name;                // the final component: no '/', "." for the directory itself
  bool must_be_directory = false;  // the path ended in '/', "." or ".."
};

// Resolves `path` beneath the directory `base_fd`. With `follow_final` a symlink in the final
// position is expanded too; without it the final name may be a symlink. Returns 0, or the errno:
// EPERM for an escape (absolute path, absolute symlink, `..` above the base), ELOOP for too
// many symlinks, ENOENT for an empty path, and whatever the system calls report.
int resolve_path(int base_fd, std::string_view path, bool follow_final, ResolvedPath& out);

}  // namespace berth::wasi
