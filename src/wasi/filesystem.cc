// wasi:filesystem: descriptors over host fds, confined to the preopens (path_resolution.h).
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "errors.h"
#include "path_resolution.h"
#include "streams.h"

namespace berth::wasi {
namespace {

// descriptor-type cases.
enum DescriptorType : uint32_t {
  kUnknown,
  kBlockDevice,
  kCharacterDevice,
  kDirectory,
  kFifo,
  kSymbolicLink,
  kRegularFile,
  kSocket
};
// descriptor-flags bits.
constexpr uint32_t kFlagRead = 1 << 0, kFlagWrite = 1 << 1, kFlagFileSync = 1 << 2,
                   kFlagDataSync = 1 << 3, kFlagReadSync = 1 << 4, kFlagMutateDir = 1 << 5;
// open-flags bits.
constexpr uint32_t kOpenCreate = 1 << 0, kOpenDirectory = 1 << 1, kOpenExclusive = 1 << 2,
                   kOpenTruncate = 1 << 3;

class Descriptor : public Resource {
 public:
  Descriptor(std::shared_ptr<HostFd> fd, uint32_t flags, bool read_only_tree)
      : fd(std::move(fd)), flags(flags), read_only_tree(read_only_tree) {}
  int get() const { return fd->get(); }
  bool can_read() const { return flags & kFlagRead; }
  bool can_write() const { return flags & kFlagWrite; }

  std::shared_ptr<HostFd> fd;
  uint32_t flags;       // what get-flags reports
  bool read_only_tree;  // beneath a read-only preopen: nothing may change
};

class DirectoryEntryStream : public Resource {
 public:
  explicit DirectoryEntryStream(DIR* dir) : dir(dir) {}
  ~DirectoryEntryStream() override { ::closedir(dir); }
  DIR* dir;
};

uint32_t flags_word(const Val& flags) {
  return flags.flag_bits.empty() ? 0 : flags.flag_bits[0];
}

Val error(int errno_value) {
  return err_enum(static_cast<uint32_t>(fs_error_from_errno(errno_value)));
}
Val error(FsError code) {
  return err_enum(static_cast<uint32_t>(code));
}

uint32_t type_of(mode_t mode) {
  if (S_ISREG(mode)) return kRegularFile;
  if (S_ISDIR(mode)) return kDirectory;
  if (S_ISLNK(mode)) return kSymbolicLink;
  if (S_ISCHR(mode)) return kCharacterDevice;
  if (S_ISBLK(mode)) return kBlockDevice;
  if (S_ISFIFO(mode)) return kFifo;
  if (S_ISSOCK(mode)) return kSocket;
  return kUnknown;
}

Val datetime(const timespec& ts) {
  return Val::some(Val::record(
      {Val::u64(static_cast<uint64_t>(ts.tv_sec)), Val::u32(static_cast<uint32_t>(ts.tv_nsec))}));
}

Val stat_value(const struct stat& st) {
  return Val::record({Val::enumeration(type_of(st.st_mode)), Val::u64(st.st_nlink),
                      Val::u64(static_cast<uint64_t>(st.st_size)), datetime(st.st_atim),
                      datetime(st.st_mtim), datetime(st.st_ctim)});
}

uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// Equal for the same file, different otherwise; keyed per instance so that it does not reveal
// host inode numbers.
Val metadata_hash(Context& cx, const struct stat& st) {
  uint64_t lower = mix(static_cast<uint64_t>(st.st_ino) ^ cx.seed(2));
  uint64_t upper = mix(static_cast<uint64_t>(st.st_dev) ^ mix(lower) ^ cx.seed(3));
  return Val::record({Val::u64(lower), Val::u64(upper)});
}

// new-timestamp: no-change, now, timestamp(datetime).
timespec new_timestamp(const Val& v) {
  switch (v.discriminant) {
    case 0:
      return timespec{.tv_sec = 0, .tv_nsec = UTIME_OMIT};
    case 1:
      return timespec{.tv_sec = 0, .tv_nsec = UTIME_NOW};
    default: {
      const Val& dt = v.payload();
      return timespec{.tv_sec = static_cast<time_t>(dt.items[0].u),
                      .tv_nsec = static_cast<long>(dt.items[1].u)};
    }
  }
}

using Args = std::span<const Val>;
using Ret = Reply;

// Resolves a path argument beneath a directory descriptor; 0 or the errno.
int resolve(const Descriptor& dir, const Val& path, bool follow, ResolvedPath& out) {
  return resolve_path(dir.get(), path.str, follow, out);
}

// A final name with a trailing '/' must be an existing directory (or not exist).
int check_directory_suffix(const ResolvedPath& path) {
  if (!path.must_be_directory) return 0;
  struct stat st {};
  if (::fstatat(path.dir.get(), path.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) return 0;
  return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
}

Ret with_descriptor(Context& cx, const Val& handle, const std::function<Val(Descriptor&)>& body) {
  BERTH_TRY_ASSIGN(auto descriptor, cx.get<Descriptor>(handle));
  return body(*descriptor);
}

Ret stat_at(Context& cx, Args a) {
  return with_descriptor(cx, a[0], [&](Descriptor& d) {
    ResolvedPath path;
    if (int err = resolve(d, a[2], flags_word(a[1]) & 1, path)) return error(err);
    struct stat st {};
    if (::fstatat(path.dir.get(), path.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
      return error(errno);
    }
    if (path.must_be_directory && !S_ISDIR(st.st_mode)) return error(ENOTDIR);
    return ok_val(stat_value(st));
  });
}

Ret open_at(Context& cx, Args a) {
  BERTH_TRY_ASSIGN(auto dir, cx.get<Descriptor>(a[0]));
  bool follow = flags_word(a[1]) & 1;
  uint32_t open_flags = flags_word(a[3]);
  uint32_t flags = flags_word(a[4]);
  bool mutates =
      (flags & (kFlagWrite | kFlagMutateDir)) || (open_flags & (kOpenCreate | kOpenTruncate));
  if (dir->read_only_tree && mutates) return error(FsError::kReadOnly);
  ResolvedPath path;
  if (int err = resolve(*dir, a[2], follow, path)) return error(err);
  int os_flags = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
  if ((flags & kFlagRead) && (flags & kFlagWrite)) {
    os_flags |= O_RDWR;
  } else if (flags & kFlagWrite) {
    os_flags |= O_WRONLY;
  } else {
    os_flags |= O_RDONLY;
  }
  if (open_flags & kOpenCreate) os_flags |= O_CREAT;
  if (open_flags & kOpenExclusive) os_flags |= O_EXCL;
  if (open_flags & kOpenTruncate) os_flags |= O_TRUNC;
  if (open_flags & kOpenDirectory) os_flags |= O_DIRECTORY;
  if (flags & kFlagFileSync) os_flags |= O_SYNC;
  if (flags & kFlagDataSync) os_flags |= O_DSYNC;
  if (flags & kFlagReadSync) os_flags |= O_RSYNC;
  if (path.must_be_directory) {
    if (open_flags & kOpenCreate) return error(EISDIR);
    os_flags |= O_DIRECTORY;
  }
  int fd = ::openat(path.dir.get(), path.name.c_str(), os_flags, 0666);
  if (fd < 0 && errno == ELOOP && !follow) {
    // O_NOFOLLOW on a symlink: report it as a loop, as POSIX does.
    return error(ELOOP);
  }
  if (fd < 0 && errno == EACCES && !(flags & (kFlagRead | kFlagWrite))) {
    // Nothing to read or write: a path-only descriptor is enough (e.g. to stat a file the
    // host user cannot read).
    fd = ::openat(path.dir.get(), path.name.c_str(), (os_flags & ~O_ACCMODE) | O_PATH);
  }
  if (fd < 0) return error(errno);
  auto descriptor =
      std::make_shared<Descriptor>(std::make_shared<HostFd>(fd, true), flags, dir->read_only_tree);
  return ok_val(cx.own("descriptor", std::move(descriptor)));
}

// For functions that change the file system beneath a directory descriptor: refused in a
// read-only tree, else runs `op` on the resolved path.
Ret mutate_at(Context& cx, const Val& handle, const Val& path_arg, bool follow,
              const std::function<int(const ResolvedPath&)>& op) {
  return with_descriptor(cx, handle, [&](Descriptor& d) {
    if (d.read_only_tree) return error(FsError::kReadOnly);
    ResolvedPath path;
    if (int err = resolve(d, path_arg, follow, path)) return error(err);
    if (int err = op(path)) return error(err);
    return ok_unit();
  });
}

int errno_of(int rc) {
  return rc < 0 ? errno : 0;
}

Ret read_directory_entry(Context& cx, Args a) {
  BERTH_TRY_ASSIGN(auto stream, cx.get<DirectoryEntryStream>(a[0]));
  for (;;) {
    errno = 0;
    dirent* entry = ::readdir(stream->dir);
    if (entry == nullptr) return errno != 0 ? error(errno) : ok_val(Val::none());
    std::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    uint32_t type = kUnknown;
    switch (entry->d_type) {
      case DT_REG:
        type = kRegularFile;
        break;
      case DT_DIR:
        type = kDirectory;
        break;
      case DT_LNK:
        type = kSymbolicLink;
        break;
      case DT_CHR:
        type = kCharacterDevice;
        break;
      case DT_BLK:
        type = kBlockDevice;
        break;
      case DT_FIFO:
        type = kFifo;
        break;
      case DT_SOCK:
        type = kSocket;
        break;
      default: {
        struct stat st {};
        if (::fstatat(::dirfd(stream->dir), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
          type = type_of(st.st_mode);
        }
      }
    }
    return ok_val(Val::some(Val::record({Val::enumeration(type), Val::string(std::string(name))})));
  }
}

}  // namespace

void register_filesystem(Registry& r) {
  const std::string m = "wasi:filesystem/types#[method]descriptor.";
  r[m + "read-via-stream"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto d, cx.get<Descriptor>(a[0]));
    if (!d->can_read()) return error(FsError::kBadDescriptor);
    return ok_val(cx.own("input-stream", std::make_shared<FileInputStream>(d->fd, a[1].u)));
  };
  r[m + "write-via-stream"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto d, cx.get<Descriptor>(a[0]));
    if (!d->can_write()) return error(FsError::kBadDescriptor);
    return ok_val(cx.own("output-stream", std::make_shared<FileOutputStream>(d->fd, a[1].u)));
  };
  r[m + "append-via-stream"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto d, cx.get<Descriptor>(a[0]));
    if (!d->can_write()) return error(FsError::kBadDescriptor);
    return ok_val(cx.own("output-stream", std::make_shared<FileOutputStream>(d->fd, std::nullopt)));
  };
  r[m + "advise"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [&](Descriptor& d) {
      static constexpr int kAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL,
                                        POSIX_FADV_RANDOM,   POSIX_FADV_WILLNEED,
                                        POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
      int rc = ::posix_fadvise(d.get(), static_cast<off_t>(a[1].u), static_cast<off_t>(a[2].u),
                               kAdvice[a[3].discriminant % 6]);
      return rc == 0 ? ok_unit() : error(rc);
    });
  };
  r[m + "sync-data"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [](Descriptor& d) {
      return ::fdatasync(d.get()) == 0 ? ok_unit() : error(errno);
    });
  };
  r[m + "sync"] = [](Context& cx, Args a) {
    return with_descriptor(
        cx, a[0], [](Descriptor& d) { return ::fsync(d.get()) == 0 ? ok_unit() : error(errno); });
  };
  r[m + "get-flags"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [](Descriptor& d) { return ok_val(Val::flags({d.flags})); });
  };
  r[m + "get-type"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [](Descriptor& d) {
      struct stat st {};
      if (::fstat(d.get(), &st) < 0) return error(errno);
      return ok_val(Val::enumeration(type_of(st.st_mode)));
    });
  };
  r[m + "set-size"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [&](Descriptor& d) {
      if (d.read_only_tree) return error(FsError::kReadOnly);
      if (!d.can_write()) return error(FsError::kBadDescriptor);
      return ::ftruncate(d.get(), static_cast<off_t>(a[1].u)) == 0 ? ok_unit() : error(errno);
    });
  };
  r[m + "set-times"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [&](Descriptor& d) {
      if (d.read_only_tree) return error(FsError::kReadOnly);
      timespec times[2] = {new_timestamp(a[1]), new_timestamp(a[2])};
      return ::futimens(d.get(), times) == 0 ? ok_unit() : error(errno);
    });
  };
  r[m + "read"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [&](Descriptor& d) {
      if (!d.can_read()) return error(FsError::kBadDescriptor);
      std::vector<uint8_t> bytes(static_cast<size_t>(std::min<uint64_t>(a[1].u, 1 << 20)));
      ssize_t n;
      do {
        n = ::pread(d.get(), bytes.data(), bytes.size(), static_cast<off_t>(a[2].u));
      } while (n < 0 && errno == EINTR);
      if (n < 0) return error(errno);
      bool end = static_cast<size_t>(n) < bytes.size() || bytes.empty();
      bytes.resize(static_cast<size_t>(n));
      return ok_val(Val::tuple({Val::packed_list(std::move(bytes)), Val::boolean(end)}));
    });
  };
  r[m + "write"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [&](Descriptor& d) {
      if (d.read_only_tree) return error(FsError::kReadOnly);
      if (!d.can_write()) return error(FsError::kBadDescriptor);
      std::vector<uint8_t> storage;
      std::span<const uint8_t> bytes = bytes_of(a[1], storage);
      ssize_t n;
      do {
        n = ::pwrite(d.get(), bytes.data(), bytes.size(), static_cast<off_t>(a[2].u));
      } while (n < 0 && errno == EINTR);
      if (n < 0) return error(errno);
      return ok_val(Val::u64(static_cast<uint64_t>(n)));
    });
  };
  r[m + "read-directory"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto d, cx.get<Descriptor>(a[0]));
    // A fresh open description, so that each listing starts at the beginning.
    int fd = ::openat(d->get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return error(errno);
    DIR* dir = ::fdopendir(fd);
    if (dir == nullptr) {
      int err = errno;
      ::close(fd);
      return error(err);
    }
    return ok_val(cx.own("directory-entry-stream", std::make_shared<DirectoryEntryStream>(dir)));
  };
  r["wasi:filesystem/types#[method]directory-entry-stream.read-directory-entry"] =
      read_directory_entry;
  r[m + "create-directory-at"] = [](Context& cx, Args a) {
    return mutate_at(cx, a[0], a[1], false, [](const ResolvedPath& p) {
      return errno_of(::mkdirat(p.dir.get(), p.name.c_str(), 0777));
    });
  };
  r[m + "stat"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [](Descriptor& d) {
      struct stat st {};
      if (::fstat(d.get(), &st) < 0) return error(errno);
      return ok_val(stat_value(st));
    });
  };
  r[m + "stat-at"] = stat_at;
  r[m + "set-times-at"] = [](Context& cx, Args a) {
    return mutate_at(cx, a[0], a[2], flags_word(a[1]) & 1, [&](const ResolvedPath& p) {
      if (int err = check_directory_suffix(p)) return err;
      timespec times[2] = {new_timestamp(a[3]), new_timestamp(a[4])};
      return errno_of(::utimensat(p.dir.get(), p.name.c_str(), times, AT_SYMLINK_NOFOLLOW));
    });
  };
  r[m + "link-at"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto target_dir, cx.get<Descriptor>(a[3]));
    if (target_dir->read_only_tree) return error(FsError::kReadOnly);
    return mutate_at(cx, a[0], a[2], flags_word(a[1]) & 1, [&](const ResolvedPath& old_path) {
      ResolvedPath new_path;
      if (int err = resolve(*target_dir, a[4], false, new_path)) return err;
      if (int err = check_directory_suffix(old_path)) return err;
      if (new_path.must_be_directory) {
        // As POSIX: a new name ending in '/' exists (a directory) or cannot be made.
        struct stat st {};
        bool exists =
            ::fstatat(new_path.dir.get(), new_path.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
        return exists ? EEXIST : ENOENT;
      }
      return errno_of(::linkat(old_path.dir.get(), old_path.name.c_str(), new_path.dir.get(),
                               new_path.name.c_str(), 0));
    });
  };
  r[m + "open-at"] = open_at;
  r[m + "readlink-at"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [&](Descriptor& d) {
      ResolvedPath path;
      if (int err = resolve(d, a[1], false, path)) return error(err);
      std::string target(4096, '\0');
      ssize_t n = ::readlinkat(path.dir.get(), path.name.c_str(), target.data(), target.size());
      if (n < 0) return error(errno);
      target.resize(static_cast<size_t>(n));
      return ok_val(Val::string(std::move(target)));
    });
  };
  r[m + "remove-directory-at"] = [](Context& cx, Args a) {
    return mutate_at(cx, a[0], a[1], false, [](const ResolvedPath& p) {
      return errno_of(::unlinkat(p.dir.get(), p.name.c_str(), AT_REMOVEDIR));
    });
  };
  r[m + "rename-at"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto target_dir, cx.get<Descriptor>(a[2]));
    if (target_dir->read_only_tree) return error(FsError::kReadOnly);
    return mutate_at(cx, a[0], a[1], false, [&](const ResolvedPath& old_path) {
      ResolvedPath new_path;
      if (int err = resolve(*target_dir, a[3], false, new_path)) return err;
      if (old_path.must_be_directory || new_path.must_be_directory) {
        struct stat st {};
        if (::fstatat(old_path.dir.get(), old_path.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
          return errno;
        }
        if (!S_ISDIR(st.st_mode)) return ENOTDIR;
      }
      return errno_of(::renameat(old_path.dir.get(), old_path.name.c_str(), new_path.dir.get(),
                                 new_path.name.c_str()));
    });
  };
  r[m + "symlink-at"] = [](Context& cx, Args a) {
    return mutate_at(cx, a[0], a[2], false, [&](const ResolvedPath& p) {
      // A symlink that could only ever point outside the sandbox is refused outright.
      if (a[1].str.starts_with('/')) return EPERM;
      if (a[1].str.find('\0') != std::string::npos) return EILSEQ;
      struct stat st {};
      bool exists = ::fstatat(p.dir.get(), p.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
      if (p.must_be_directory) return exists ? EEXIST : ENOENT;
      return errno_of(::symlinkat(a[1].str.c_str(), p.dir.get(), p.name.c_str()));
    });
  };
  r[m + "unlink-file-at"] = [](Context& cx, Args a) {
    return mutate_at(cx, a[0], a[1], false, [](const ResolvedPath& p) {
      if (int err = check_directory_suffix(p)) return err;
      return errno_of(::unlinkat(p.dir.get(), p.name.c_str(), 0));
    });
  };
  r[m + "is-same-object"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto first, cx.get<Descriptor>(a[0]));
    BERTH_TRY_ASSIGN(auto second, cx.get<Descriptor>(a[1]));
    struct stat s1 {
    }, s2{};
    bool same = ::fstat(first->get(), &s1) == 0 && ::fstat(second->get(), &s2) == 0 &&
                s1.st_dev == s2.st_dev && s1.st_ino == s2.st_ino;
    return Val::boolean(same);
  };
  r[m + "metadata-hash"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [&](Descriptor& d) {
      struct stat st {};
      if (::fstat(d.get(), &st) < 0) return error(errno);
      return ok_val(metadata_hash(cx, st));
    });
  };
  r[m + "metadata-hash-at"] = [](Context& cx, Args a) {
    return with_descriptor(cx, a[0], [&](Descriptor& d) {
      ResolvedPath path;
      if (int err = resolve(d, a[2], flags_word(a[1]) & 1, path)) return error(err);
      struct stat st {};
      if (::fstatat(path.dir.get(), path.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) {
        return error(errno);
      }
      return ok_val(metadata_hash(cx, st));
    });
  };
  r["wasi:filesystem/types#filesystem-error-code"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto io_error, cx.get<IoError>(a[0]));
    if (io_error->errno_value == 0) return Val::none();
    return Val::some(
        Val::enumeration(static_cast<uint32_t>(fs_error_from_errno(io_error->errno_value))));
  };
  r["wasi:filesystem/preopens#get-directories"] = [](Context& cx, Args) -> Ret {
    std::vector<Val> dirs;
    for (const PreopenDir& preopen : cx.preopens()) {
      int fd = ::fcntl(preopen.fd, F_DUPFD_CLOEXEC, 0);
      if (fd < 0) return Error(ErrorCode::kIo, "wasi:filesystem/preopens: cannot duplicate fd");
      uint32_t flags = preopen.read_only ? kFlagRead : kFlagRead | kFlagMutateDir;
      auto descriptor = std::make_shared<Descriptor>(std::make_shared<HostFd>(fd, true), flags,
                                                     preopen.read_only);
      dirs.push_back(
          Val::tuple({cx.own("descriptor", std::move(descriptor)), Val::string(preopen.guest)}));
    }
    return Val::list(std::move(dirs));
  };
}

}  // namespace berth::wasi
