#include "library.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace berth::bundle {
namespace {

namespace fs = std::filesystem;

bool is_shared_library_name(const std::string& name) {
  return name.ends_with(".so") || name.find(".so.") != std::string::npos;
}

// A sealed memfd holding `bytes`; its /proc/self/fd path is what dlopen is given. The fd stays
// open for the life of the process: glibc recognises loaded objects by path, and a closed fd's
// number (and so its path) would be reused by the next bundle.
Result<std::string> sealed_copy(const std::string& name, const std::string& bytes) {
  int fd = ::memfd_create(("berth-bundle:" + name).c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) {
    return Error(ErrorCode::kIo,
                 fmt::format("{}: memfd_create failed: {}", name, std::strerror(errno)));
  }
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int saved = errno;
      ::close(fd);
      return Error(ErrorCode::kIo, fmt::format("{}: cannot copy the library into memory: {}", name,
                                               std::strerror(saved)));
    }
    done += static_cast<size_t>(n);
  }
  if (::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    int saved = errno;
    ::close(fd);
    return Error(ErrorCode::kIo,
                 fmt::format("{}: cannot seal the library's copy: {}", name, std::strerror(saved)));
  }
  return fmt::format("/proc/self/fd/{}", fd);
}

std::string last_dlerror() {
  const char* why = dlerror();
  return why ? why : "unknown dlopen error";
}

}  // namespace

Result<void*> open_bundle_library(const BundleFiles& files, const fs::path& lib,
                                  const std::string& where) {
  std::string rel = files.relative(lib);
  BERTH_TRY_ASSIGN(std::string bytes, files.read(lib));
  if (!rel.empty()) {
    // The libraries shipped beside it, in any order their dependencies on each other allow.
    std::vector<std::pair<std::string, std::string>> pending;  // name, memfd path
    BERTH_TRY_ASSIGN(std::vector<fs::path> siblings, files.list(lib.parent_path()));
    for (const fs::path& sibling : siblings) {
      std::string name = sibling.filename().string();
      if (sibling.filename() == lib.filename() || !is_shared_library_name(name) ||
          !files.is_regular_file(sibling)) {
        continue;
      }
      BERTH_TRY_ASSIGN(std::string sibling_bytes, files.read(sibling));
      BERTH_TRY_ASSIGN(std::string path, sealed_copy(files.relative(sibling), sibling_bytes));
      pending.emplace_back(name, std::move(path));
    }
    while (!pending.empty()) {
      std::string failure;
      size_t before = pending.size();
      std::erase_if(pending, [&](const auto& entry) {
        if (dlopen(entry.second.c_str(), RTLD_NOW | RTLD_LOCAL) != nullptr) return true;
        failure = fmt::format("{}: {}", entry.first, last_dlerror());
        return false;
      });
      if (pending.size() == before) {
        return Error(ErrorCode::kIo,
                     fmt::format("{}: cannot load the library {} ships beside {}: {}", where,
                                 pending.front().first, lib.filename().string(), failure));
      }
    }
  }
  BERTH_TRY_ASSIGN(std::string path, sealed_copy(rel.empty() ? lib.string() : rel, bytes));
  // RTLD_LOCAL keeps one bundle's symbols from resolving another's.
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    return Error(ErrorCode::kIo,
                 fmt::format("{}: cannot load {}: {}", where, lib.string(), last_dlerror()));
  }
  return handle;
}

}  // namespace berth::bundle
