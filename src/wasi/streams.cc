#include "streams.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace berth::wasi {
namespace {

// Most bytes one read returns and one check-write permits: large enough for throughput, small
// enough that a guest asking for 2^64 bytes does not make the host allocate them.
constexpr uint64_t kChunk = 1 << 20;

Val stream_error_value(Context& cx, const StreamError& error) {
  if (error.closed) return Val::variant(1, std::nullopt);
  return Val::variant(0,
                      cx.own("error", std::make_shared<IoError>(error.message, error.errno_value)));
}

template <typename T>
Val to_result(Context& cx, StreamResult<T>&& result, Val (*wrap)(T)) {
  if (result.error) return Val::err(stream_error_value(cx, *result.error));
  return Val::ok(wrap(std::move(result.value)));
}

Val ok_or_error(Context& cx, const std::optional<StreamError>& error) {
  return error ? Val::err(stream_error_value(cx, *error)) : ok_unit();
}

Val packed(std::vector<uint8_t> bytes) {
  return Val::packed_list(std::move(bytes));
}
Val count(uint64_t n) {
  return Val::u64(n);
}

bool wait_fd(int fd, short events) {
  pollfd p{.fd = fd, .events = events, .revents = 0};
  for (;;) {
    int n = ::poll(&p, 1, -1);
    if (n >= 0) return true;
    if (errno != EINTR) return false;
  }
}

Reply read_impl(Context& cx, std::span<const Val> args, bool blocking) {
  BERTH_TRY_ASSIGN(auto stream, cx.get<InputStream>(args[0]));
  return to_result(cx, stream->read(args[1].u, blocking), packed);
}

Reply skip_impl(Context& cx, std::span<const Val> args, bool blocking) {
  BERTH_TRY_ASSIGN(auto stream, cx.get<InputStream>(args[0]));
  auto read = stream->read(args[1].u, blocking);
  return to_result(cx, StreamResult<uint64_t>{read.value.size(), read.error}, count);
}

Reply write_impl(Context& cx, std::span<const Val> args) {
  BERTH_TRY_ASSIGN(auto stream, cx.get<OutputStream>(args[0]));
  std::vector<uint8_t> storage;
  return ok_or_error(cx, stream->write(bytes_of(args[1], storage)));
}

Reply write_zeroes_impl(Context& cx, std::span<const Val> args) {
  BERTH_TRY_ASSIGN(auto stream, cx.get<OutputStream>(args[0]));
  std::vector<uint8_t> zeroes(std::min<uint64_t>(args[1].u, kChunk));
  for (uint64_t left = args[1].u; left > 0;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, zeroes.size()));
    if (auto error = stream->write(std::span(zeroes.data(), n))) {
      return Val::err(stream_error_value(cx, *error));
    }
    left -= n;
  }
  return ok_unit();
}

Reply splice_impl(Context& cx, std::span<const Val> args, bool blocking) {
  BERTH_TRY_ASSIGN(auto out, cx.get<OutputStream>(args[0]));
  BERTH_TRY_ASSIGN(auto in, cx.get<InputStream>(args[1]));
  uint64_t len = args[2].u;
  if (!blocking) {
    auto permit = out->check_write();
    if (permit.error) return Val::err(stream_error_value(cx, *permit.error));
    len = std::min(len, permit.value);
  }
  auto read = in->read(len, blocking);
  if (read.error) return Val::err(stream_error_value(cx, *read.error));
  if (auto error = out->write(read.value)) return Val::err(stream_error_value(cx, *error));
  return Val::ok(Val::u64(read.value.size()));
}

Reply flush_impl(Context& cx, std::span<const Val> args) {
  // Writes reach the fd or file immediately, so there is nothing left to flush; a closed
  // stream still reports closed.
  BERTH_TRY_ASSIGN(auto stream, cx.get<OutputStream>(args[0]));
  auto permit = stream->check_write();
  return ok_or_error(cx, permit.error);
}

}  // namespace

StreamError stream_failed(std::string_view what, int errno_value) {
  return StreamError{.errno_value = errno_value,
                     .message = fmt::format("{}: {}", what, std::strerror(errno_value))};
}

std::span<const uint8_t> bytes_of(const Val& list, std::vector<uint8_t>& storage) {
  if (!list.packed.empty() || list.items.empty()) return list.packed;
  storage.reserve(list.items.size());
  for (const Val& item : list.items) storage.push_back(static_cast<uint8_t>(item.u));
  return storage;
}

StreamResult<std::vector<uint8_t>> FdInputStream::read(uint64_t len, bool blocking) {
  StreamResult<std::vector<uint8_t>> result;
  if (closed_) {
    result.error = stream_closed();
    return result;
  }
  if (len == 0) return result;
  result.value.resize(static_cast<size_t>(std::min(len, kChunk)));
  for (;;) {
    if (!blocking) {
      pollfd p{.fd = fd_->get(), .events = POLLIN, .revents = 0};
      if (::poll(&p, 1, 0) == 0) {
        result.value.clear();
        return result;
      }
    }
    ssize_t n = ::read(fd_->get(), result.value.data(), result.value.size());
    if (n > 0) {
      result.value.resize(static_cast<size_t>(n));
      return result;
    }
    if (n == 0) {
      closed_ = true;
      result.value.clear();
      result.error = stream_closed();
      return result;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!blocking) {
        result.value.clear();
        return result;
      }
      wait_fd(fd_->get(), POLLIN);
      continue;
    }
    result.value.clear();
    result.error = stream_failed("read", errno);
    return result;
  }
}

StreamResult<uint64_t> FdOutputStream::check_write() {
  StreamResult<uint64_t> result;
  if (closed_) {
    result.error = stream_closed();
    return result;
  }
  pollfd p{.fd = fd_->get(), .events = POLLOUT, .revents = 0};
  int n = ::poll(&p, 1, 0);
  if (n > 0 && (p.revents & (POLLERR | POLLHUP)) && is_socket_) {
    closed_ = true;
    result.error = stream_closed();
    return result;
  }
  result.value = n > 0 ? kChunk : 0;
  return result;
}

std::optional<StreamError> FdOutputStream::write(std::span<const uint8_t> bytes) {
  if (closed_) return stream_closed();
  while (!bytes.empty()) {
    ssize_t n = is_socket_ ? ::send(fd_->get(), bytes.data(), bytes.size(), MSG_NOSIGNAL)
                           : ::write(fd_->get(), bytes.data(), bytes.size());
    if (n >= 0) {
      bytes = bytes.subspan(static_cast<size_t>(n));
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      wait_fd(fd_->get(), POLLOUT);
      continue;
    }
    if (errno == EPIPE || errno == ECONNRESET) {
      closed_ = true;
      return stream_closed();
    }
    return stream_failed("write", errno);
  }
  return std::nullopt;
}

StreamResult<std::vector<uint8_t>> FileInputStream::read(uint64_t len, bool) {
  StreamResult<std::vector<uint8_t>> result;
  result.value.resize(static_cast<size_t>(std::min(len, kChunk)));
  for (;;) {
    if (result.value.empty()) return result;
    ssize_t n =
        ::pread(fd_->get(), result.value.data(), result.value.size(), static_cast<off_t>(offset_));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      result.value.clear();
      result.error = stream_failed("read", errno);
    } else if (n == 0) {
      result.value.clear();
      result.error = stream_closed();
    } else {
      result.value.resize(static_cast<size_t>(n));
      offset_ += static_cast<uint64_t>(n);
    }
    return result;
  }
}

StreamResult<uint64_t> FileOutputStream::check_write() {
  return {kChunk, std::nullopt};
}

std::optional<StreamError> FileOutputStream::write(std::span<const uint8_t> bytes) {
  while (!bytes.empty()) {
    ssize_t n;
    if (offset_) {
      n = ::pwrite(fd_->get(), bytes.data(), bytes.size(), static_cast<off_t>(*offset_));
    } else {
      // Appending: the descriptor's own position is never used otherwise, so moving it is safe.
      ::lseek(fd_->get(), 0, SEEK_END);
      n = ::write(fd_->get(), bytes.data(), bytes.size());
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return stream_failed("write", errno);
    bytes = bytes.subspan(static_cast<size_t>(n));
    if (offset_) *offset_ += static_cast<uint64_t>(n);
  }
  return std::nullopt;
}

void register_io(Registry& r) {
  r["wasi:io/error#[method]error.to-debug-string"] = [](Context& cx,
                                                        std::span<const Val> args) -> Reply {
    BERTH_TRY_ASSIGN(auto error, cx.get<IoError>(args[0]));
    return Val::string(error->message);
  };
  const std::string in = "wasi:io/streams#[method]input-stream.";
  const std::string out = "wasi:io/streams#[method]output-stream.";
  r[in + "read"] = [](Context& cx, std::span<const Val> a) { return read_impl(cx, a, false); };
  r[in + "blocking-read"] = [](Context& cx, std::span<const Val> a) {
    return read_impl(cx, a, true);
  };
  r[in + "skip"] = [](Context& cx, std::span<const Val> a) { return skip_impl(cx, a, false); };
  r[in + "blocking-skip"] = [](Context& cx, std::span<const Val> a) {
    return skip_impl(cx, a, true);
  };
  r[in + "subscribe"] = [](Context& cx, std::span<const Val> a) -> Reply {
    BERTH_TRY_ASSIGN(auto stream, cx.get<InputStream>(a[0]));
    return make_pollable(cx, [stream] { return stream->readiness(); });
  };
  r[out + "check-write"] = [](Context& cx, std::span<const Val> a) -> Reply {
    BERTH_TRY_ASSIGN(auto stream, cx.get<OutputStream>(a[0]));
    return to_result(cx, stream->check_write(), count);
  };
  r[out + "write"] = write_impl;
  r[out + "blocking-write-and-flush"] = write_impl;
  r[out + "flush"] = flush_impl;
  r[out + "blocking-flush"] = flush_impl;
  r[out + "subscribe"] = [](Context& cx, std::span<const Val> a) -> Reply {
    BERTH_TRY_ASSIGN(auto stream, cx.get<OutputStream>(a[0]));
    return make_pollable(cx, [stream] { return stream->readiness(); });
  };
  r[out + "write-zeroes"] = write_zeroes_impl;
  r[out + "blocking-write-zeroes-and-flush"] = write_zeroes_impl;
  r[out + "splice"] = [](Context& cx, std::span<const Val> a) { return splice_impl(cx, a, false); };
  r[out + "blocking-splice"] = [](Context& cx, std::span<const Val> a) {
    return splice_impl(cx, a, true);
  };
}

}  // namespace berth::wasi
