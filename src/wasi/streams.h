// wasi:io/error and wasi:io/streams: the stream objects behind input-stream and output-stream
// handles. stdio, files and sockets each supply one kind.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "context.h"
#include "pollables.h"

namespace berth::wasi {

// A host file descriptor shared by the objects that use it (a descriptor and its streams, a
// socket and its streams); closed when the last one goes, unless it is borrowed (stdio).
class HostFd {
 public:
  HostFd(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~HostFd() {
    if (owned_ && fd_ >= 0) ::close(fd_);
  }
  HostFd(const HostFd&) = delete;
  HostFd& operator=(const HostFd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
  bool owned_;
};

// The error resource of wasi:io/error: what failed, and the errno for filesystem-error-code.
class IoError : public Resource {
 public:
  IoError(std::string message, int errno_value)
      : message(std::move(message)), errno_value(errno_value) {}
  std::string message;
  int errno_value;
};

// A stream operation's failure: the stream is closed, or the last operation failed.
struct StreamError {
  bool closed = false;
  int errno_value = 0;
  std::string message;
};
inline StreamError stream_closed() {
  return StreamError{.closed = true};
}
StreamError stream_failed(std::string_view what, int errno_value);

template <typename T>
struct StreamResult {
  T value{};
  std::optional<StreamError> error;
};

class InputStream : public Resource {
 public:
  // Up to `len` bytes. Without `blocking` an empty result means nothing is available yet; with
  // it, waits for at least one byte (or the end, reported as closed).
  virtual StreamResult<std::vector<uint8_t>> read(uint64_t len, bool blocking) = 0;
  virtual PollSpec readiness() = 0;
};

class OutputStream : public Resource {
 public:
  // How many bytes write() accepts now; 0 means wait for readiness.
  virtual StreamResult<uint64_t> check_write() = 0;
  // Writes all of `bytes` (the host blocks if it must: streams never buffer on the host side).
  virtual std::optional<StreamError> write(std::span<const uint8_t> bytes) = 0;
  virtual PollSpec readiness() = 0;
};

// A stream over a file descriptor read or written sequentially: stdio, pipes, sockets.
class FdInputStream final : public InputStream {
 public:
  explicit FdInputStream(std::shared_ptr<HostFd> fd) : fd_(std::move(fd)) {}
  StreamResult<std::vector<uint8_t>> read(uint64_t len, bool blocking) override;
  PollSpec readiness() override { return fd_readiness(fd_->get(), POLLIN); }

 private:
  std::shared_ptr<HostFd> fd_;
  bool closed_ = false;
};

class FdOutputStream final : public OutputStream {
 public:
  FdOutputStream(std::shared_ptr<HostFd> fd, bool is_socket)
      : fd_(std::move(fd)), is_socket_(is_socket) {}
  StreamResult<uint64_t> check_write() override;
  std::optional<StreamError> write(std::span<const uint8_t> bytes) override;
  PollSpec readiness() override { return fd_readiness(fd_->get(), POLLOUT); }

 private:
  std::shared_ptr<HostFd> fd_;
  bool is_socket_;
  bool closed_ = false;
};

// A stream over a file at an offset (pread/pwrite), or appending to it.
class FileInputStream final : public InputStream {
 public:
  FileInputStream(std::shared_ptr<HostFd> fd, uint64_t offset)
      : fd_(std::move(fd)), offset_(offset) {}
  StreamResult<std::vector<uint8_t>> read(uint64_t len, bool blocking) override;
  PollSpec readiness() override { return ready_now(); }

 private:
  std::shared_ptr<HostFd> fd_;
  uint64_t offset_;
};

class FileOutputStream final : public OutputStream {
 public:
  FileOutputStream(std::shared_ptr<HostFd> fd, std::optional<uint64_t> offset)
      : fd_(std::move(fd)), offset_(offset) {}
  StreamResult<uint64_t> check_write() override;
  std::optional<StreamError> write(std::span<const uint8_t> bytes) override;
  PollSpec readiness() override { return ready_now(); }

 private:
  std::shared_ptr<HostFd> fd_;
  std::optional<uint64_t> offset_;  // none: append
};

// The bytes of a list<u8> argument, which arrives packed or as items.
std::span<const uint8_t> bytes_of(const Val& list, std::vector<uint8_t>& storage);

}  // namespace berth::wasi
