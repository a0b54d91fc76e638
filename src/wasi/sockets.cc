// wasi:sockets: TCP, UDP and name lookup over host sockets. Without inherit_network every socket
// is refused at creation (access-denied), so no other function can reach the network; name
// lookup needs allow_ip_name_lookup.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <deque>

#include "errors.h"
#include "streams.h"

namespace berth::wasi {
namespace {

using Args = std::span<const Val>;
using Ret = Reply;

class Network : public Resource {};

enum class SocketState {
  kUnbound,
  kBindStarted,
  kBound,
  kListenStarted,
  kListening,
  kConnecting,
  kConnected,
  kClosed
};

class Socket : public Resource {
 public:
  Socket(int fd, int family, SocketState state)
      : fd(std::make_shared<HostFd>(fd, true)), family(family), state(state) {}
  int get() const { return fd->get(); }
  std::shared_ptr<HostFd> fd;
  int family;  // AF_INET or AF_INET6
  SocketState state;
  int backlog = 128;
};
class TcpSocket : public Socket {
  using Socket::Socket;
};
class UdpSocket : public Socket {
 public:
  using Socket::Socket;
  bool connected = false;
};

class IncomingDatagrams : public Resource {
 public:
  explicit IncomingDatagrams(std::shared_ptr<UdpSocket> socket) : socket(std::move(socket)) {}
  std::shared_ptr<UdpSocket> socket;
};
class OutgoingDatagrams : public Resource {
 public:
  explicit OutgoingDatagrams(std::shared_ptr<UdpSocket> socket) : socket(std::move(socket)) {}
  std::shared_ptr<UdpSocket> socket;
};

class ResolvedAddresses : public Resource {
 public:
  std::deque<Val> addresses;
};

Val error(NetError code) {
  return err_enum(static_cast<uint32_t>(code));
}
Val error_errno(int errno_value) {
  return error(net_error_from_errno(errno_value));
}

// ip-socket-address <-> sockaddr.
bool to_sockaddr(const Val& address, int family, sockaddr_storage& out, socklen_t& len) {
  std::memset(&out, 0, sizeof out);
  const Val& record = address.payload();
  if (address.discriminant == 0) {
    if (family != AF_INET) return false;
    auto* sin = reinterpret_cast<sockaddr_in*>(&out);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(static_cast<uint16_t>(record.items[0].u));
    uint8_t bytes[4];
    for (int i = 0; i < 4; ++i) bytes[i] = static_cast<uint8_t>(record.items[1].items[i].u);
    std::memcpy(&sin->sin_addr, bytes, 4);
    len = sizeof(sockaddr_in);
    return true;
  }
  if (family != AF_INET6) return false;
  auto* sin6 = reinterpret_cast<sockaddr_in6*>(&out);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = htons(static_cast<uint16_t>(record.items[0].u));
  sin6->sin6_flowinfo = htonl(static_cast<uint32_t>(record.items[1].u));
  for (int i = 0; i < 8; ++i) {
    uint16_t segment = htons(static_cast<uint16_t>(record.items[2].items[i].u));
    std::memcpy(&sin6->sin6_addr.s6_addr[2 * i], &segment, 2);
  }
  sin6->sin6_scope_id = static_cast<uint32_t>(record.items[3].u);
  len = sizeof(sockaddr_in6);
  return true;
}

Val ipv4_address(const in_addr& addr) {
  const auto* b = reinterpret_cast<const uint8_t*>(&addr);
  return Val::tuple({Val::u8(b[0]), Val::u8(b[1]), Val::u8(b[2]), Val::u8(b[3])});
}

Val ipv6_address(const in6_addr& addr) {
  std::vector<Val> segments;
  for (int i = 0; i < 8; ++i) {
    segments.push_back(
        Val::u16(static_cast<uint16_t>(addr.s6_addr[2 * i] << 8 | addr.s6_addr[2 * i + 1])));
  }
  return Val::tuple(std::move(segments));
}

Val from_sockaddr(const sockaddr_storage& storage) {
  if (storage.ss_family == AF_INET) {
    const auto* sin = reinterpret_cast<const sockaddr_in*>(&storage);
    return Val::variant(0,
                        Val::record({Val::u16(ntohs(sin->sin_port)), ipv4_address(sin->sin_addr)}));
  }
  const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&storage);
  return Val::variant(
      1, Val::record({Val::u16(ntohs(sin6->sin6_port)), Val::u32(ntohl(sin6->sin6_flowinfo)),
                      ipv6_address(sin6->sin6_addr), Val::u32(sin6->sin6_scope_id)}));
}

Ret create_socket(Context& cx, Args a, int type) {
  if (!cx.config().inherit_network) return error(NetError::kAccessDenied);
  int family = a[0].discriminant == 0 ? AF_INET : AF_INET6;
  int fd = ::socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return error_errno(errno);
  if (family == AF_INET6) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  }
  if (type == SOCK_STREAM) {
    return ok_val(
        cx.own("tcp-socket", std::make_shared<TcpSocket>(fd, family, SocketState::kUnbound)));
  }
  return ok_val(
      cx.own("udp-socket", std::make_shared<UdpSocket>(fd, family, SocketState::kUnbound)));
}

template <typename S>
Ret start_bind(Context& cx, Args a) {
  BERTH_TRY_ASSIGN(auto socket, cx.get<S>(a[0]));
  if (socket->state != SocketState::kUnbound) return error(NetError::kInvalidState);
  sockaddr_storage addr;
  socklen_t len = 0;
  if (!to_sockaddr(a[2], socket->family, addr, len)) return error(NetError::kInvalidArgument);
  if (std::is_same_v<S, TcpSocket>) {
    int one = 1;  // as other runtimes do, so a restarted server can bind its port again
    ::setsockopt(socket->get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  }
  if (::bind(socket->get(), reinterpret_cast<sockaddr*>(&addr), len) < 0) {
    return error_errno(errno == EADDRNOTAVAIL ? EADDRNOTAVAIL : errno);
  }
  socket->state = SocketState::kBindStarted;
  return ok_unit();
}

template <typename S>
Ret finish_bind(Context& cx, Args a) {
  BERTH_TRY_ASSIGN(auto socket, cx.get<S>(a[0]));
  if (socket->state != SocketState::kBindStarted) return error(NetError::kNotInProgress);
  socket->state = SocketState::kBound;
  return ok_unit();
}

template <typename S>
Ret local_address(Context& cx, Args a) {
  BERTH_TRY_ASSIGN(auto socket, cx.get<S>(a[0]));
  if (socket->state == SocketState::kUnbound) return error(NetError::kInvalidState);
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(socket->get(), reinterpret_cast<sockaddr*>(&addr), &len) < 0) {
    return error_errno(errno);
  }
  return ok_val(from_sockaddr(addr));
}

template <typename S>
Ret remote_address(Context& cx, Args a) {
  BERTH_TRY_ASSIGN(auto socket, cx.get<S>(a[0]));
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getpeername(socket->get(), reinterpret_cast<sockaddr*>(&addr), &len) < 0) {
    return error(NetError::kInvalidState);
  }
  return ok_val(from_sockaddr(addr));
}

template <typename S>
Ret address_family(Context& cx, Args a) {
  BERTH_TRY_ASSIGN(auto socket, cx.get<S>(a[0]));
  return Val::enumeration(socket->family == AF_INET ? 0 : 1);
}

// A socket option read as an int and returned through `wrap`.
template <typename S>
Ret get_option(Context& cx, Args a, int level, int name, Val (*wrap)(int)) {
  BERTH_TRY_ASSIGN(auto socket, cx.get<S>(a[0]));
  int value = 0;
  socklen_t len = sizeof value;
  if (::getsockopt(socket->get(), level, name, &value, &len) < 0) return error_errno(errno);
  return ok_val(wrap(value));
}

template <typename S>
Ret set_option(Context& cx, Args a, int level, int name, int value) {
  BERTH_TRY_ASSIGN(auto socket, cx.get<S>(a[0]));
  if (::setsockopt(socket->get(), level, name, &value, sizeof value) < 0) {
    return error_errno(errno);
  }
  return ok_unit();
}

int hop_level(const Socket& s) {
  return s.family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
}
int hop_name(const Socket& s) {
  return s.family == AF_INET ? IP_TTL : IPV6_UNICAST_HOPS;
}

constexpr uint64_t kNanosPerSecond = 1'000'000'000u;
Val as_u64(int v) {
  return Val::u64(static_cast<uint64_t>(v));
}
Val as_u32(int v) {
  return Val::u32(static_cast<uint32_t>(v));
}
Val as_u8(int v) {
  return Val::u8(static_cast<uint8_t>(v));
}
Val as_bool(int v) {
  return Val::boolean(v != 0);
}
Val as_duration(int seconds) {
  return Val::u64(static_cast<uint64_t>(seconds) * kNanosPerSecond);
}

// A positive size or count argument clamped to what setsockopt takes.
int clamp_positive(uint64_t v) {
  return static_cast<int>(std::min<uint64_t>(v, INT32_MAX));
}

Val socket_streams(Context& cx, const std::shared_ptr<HostFd>& fd) {
  return Val::tuple({cx.own("input-stream", std::make_shared<FdInputStream>(fd)),
                     cx.own("output-stream", std::make_shared<FdOutputStream>(fd, true))});
}

void register_tcp(Registry& r) {
  const std::string m = "wasi:sockets/tcp#[method]tcp-socket.";
  r["wasi:sockets/tcp-create-socket#create-tcp-socket"] = [](Context& cx, Args a) {
    return create_socket(cx, a, SOCK_STREAM);
  };
  r[m + "start-bind"] = start_bind<TcpSocket>;
  r[m + "finish-bind"] = finish_bind<TcpSocket>;
  r[m + "start-connect"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<TcpSocket>(a[0]));
    if (socket->state != SocketState::kUnbound && socket->state != SocketState::kBound) {
      return error(NetError::kInvalidState);
    }
    sockaddr_storage addr;
    socklen_t len = 0;
    if (!to_sockaddr(a[2], socket->family, addr, len)) return error(NetError::kInvalidArgument);
    if (::connect(socket->get(), reinterpret_cast<sockaddr*>(&addr), len) < 0 &&
        errno != EINPROGRESS) {
      return error_errno(errno);
    }
    socket->state = SocketState::kConnecting;
    return ok_unit();
  };
  r[m + "finish-connect"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<TcpSocket>(a[0]));
    if (socket->state != SocketState::kConnecting) return error(NetError::kNotInProgress);
    pollfd p{.fd = socket->get(), .events = POLLOUT, .revents = 0};
    if (::poll(&p, 1, 0) == 0) return error(NetError::kWouldBlock);
    int err = 0;
    socklen_t len = sizeof err;
    ::getsockopt(socket->get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
      socket->state = SocketState::kClosed;
      return error_errno(err);
    }
    socket->state = SocketState::kConnected;
    return ok_val(socket_streams(cx, socket->fd));
  };
  r[m + "start-listen"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<TcpSocket>(a[0]));
    if (socket->state != SocketState::kBound) return error(NetError::kInvalidState);
    if (::listen(socket->get(), socket->backlog) < 0) return error_errno(errno);
    socket->state = SocketState::kListenStarted;
    return ok_unit();
  };
  r[m + "finish-listen"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<TcpSocket>(a[0]));
    if (socket->state != SocketState::kListenStarted) return error(NetError::kNotInProgress);
    socket->state = SocketState::kListening;
    return ok_unit();
  };
  r[m + "accept"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<TcpSocket>(a[0]));
    if (socket->state != SocketState::kListening) return error(NetError::kInvalidState);
    int fd = ::accept4(socket->get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return error_errno(errno);
    auto client = std::make_shared<TcpSocket>(fd, socket->family, SocketState::kConnected);
    Val streams = socket_streams(cx, client->fd);
    return ok_val(Val::tuple(
        {cx.own("tcp-socket", client), std::move(streams.items[0]), std::move(streams.items[1])}));
  };
  r[m + "local-address"] = local_address<TcpSocket>;
  r[m + "remote-address"] = remote_address<TcpSocket>;
  r[m + "is-listening"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<TcpSocket>(a[0]));
    return Val::boolean(socket->state == SocketState::kListening);
  };
  r[m + "address-family"] = address_family<TcpSocket>;
  r[m + "set-listen-backlog-size"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<TcpSocket>(a[0]));
    if (a[1].u == 0) return error(NetError::kInvalidArgument);
    socket->backlog = clamp_positive(a[1].u);
    if (socket->state == SocketState::kListening && ::listen(socket->get(), socket->backlog) < 0) {
      return error_errno(errno);
    }
    return ok_unit();
  };
  r[m + "keep-alive-enabled"] = [](Context& cx, Args a) {
    return get_option<TcpSocket>(cx, a, SOL_SOCKET, SO_KEEPALIVE, as_bool);
  };
  r[m + "set-keep-alive-enabled"] = [](Context& cx, Args a) {
    return set_option<TcpSocket>(cx, a, SOL_SOCKET, SO_KEEPALIVE, a[1].b ? 1 : 0);
  };
  r[m + "keep-alive-idle-time"] = [](Context& cx, Args a) {
    return get_option<TcpSocket>(cx, a, IPPROTO_TCP, TCP_KEEPIDLE, as_duration);
  };
  r[m + "set-keep-alive-idle-time"] = [](Context& cx, Args a) -> Ret {
    if (a[1].u == 0) return error(NetError::kInvalidArgument);
    uint64_t seconds = std::max<uint64_t>(1, a[1].u / kNanosPerSecond);
    return set_option<TcpSocket>(cx, a, IPPROTO_TCP, TCP_KEEPIDLE,
                                 static_cast<int>(std::min<uint64_t>(seconds, 32767)));
  };
  r[m + "keep-alive-interval"] = [](Context& cx, Args a) {
    return get_option<TcpSocket>(cx, a, IPPROTO_TCP, TCP_KEEPINTVL, as_duration);
  };
  r[m + "set-keep-alive-interval"] = [](Context& cx, Args a) -> Ret {
    if (a[1].u == 0) return error(NetError::kInvalidArgument);
    uint64_t seconds = std::max<uint64_t>(1, a[1].u / kNanosPerSecond);
    return set_option<TcpSocket>(cx, a, IPPROTO_TCP, TCP_KEEPINTVL,
                                 static_cast<int>(std::min<uint64_t>(seconds, 32767)));
  };
  r[m + "keep-alive-count"] = [](Context& cx, Args a) {
    return get_option<TcpSocket>(cx, a, IPPROTO_TCP, TCP_KEEPCNT, as_u32);
  };
  r[m + "set-keep-alive-count"] = [](Context& cx, Args a) -> Ret {
    if (a[1].u == 0) return error(NetError::kInvalidArgument);
    return set_option<TcpSocket>(cx, a, IPPROTO_TCP, TCP_KEEPCNT,
                                 static_cast<int>(std::min<uint64_t>(a[1].u, 127)));
  };
  r[m + "hop-limit"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<TcpSocket>(a[0]));
    return get_option<TcpSocket>(cx, a, hop_level(*socket), hop_name(*socket), as_u8);
  };
  r[m + "set-hop-limit"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<TcpSocket>(a[0]));
    if (a[1].u == 0) return error(NetError::kInvalidArgument);
    return set_option<TcpSocket>(cx, a, hop_level(*socket), hop_name(*socket),
                                 static_cast<int>(a[1].u));
  };
  r[m + "receive-buffer-size"] = [](Context& cx, Args a) {
    return get_option<TcpSocket>(cx, a, SOL_SOCKET, SO_RCVBUF, as_u64);
  };
  r[m + "set-receive-buffer-size"] = [](Context& cx, Args a) -> Ret {
    if (a[1].u == 0) return error(NetError::kInvalidArgument);
    return set_option<TcpSocket>(cx, a, SOL_SOCKET, SO_RCVBUF, clamp_positive(a[1].u));
  };
  r[m + "send-buffer-size"] = [](Context& cx, Args a) {
    return get_option<TcpSocket>(cx, a, SOL_SOCKET, SO_SNDBUF, as_u64);
  };
  r[m + "set-send-buffer-size"] = [](Context& cx, Args a) -> Ret {
    if (a[1].u == 0) return error(NetError::kInvalidArgument);
    return set_option<TcpSocket>(cx, a, SOL_SOCKET, SO_SNDBUF, clamp_positive(a[1].u));
  };
  r[m + "subscribe"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<TcpSocket>(a[0]));
    return make_pollable(cx, [socket] {
      if (socket->state == SocketState::kConnecting) return fd_readiness(socket->get(), POLLOUT);
      if (socket->state == SocketState::kListening) return fd_readiness(socket->get(), POLLIN);
      return ready_now();
    });
  };
  r[m + "shutdown"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<TcpSocket>(a[0]));
    if (socket->state != SocketState::kConnected) return error(NetError::kInvalidState);
    static constexpr int kHow[] = {SHUT_RD, SHUT_WR, SHUT_RDWR};
    if (::shutdown(socket->get(), kHow[a[1].discriminant % 3]) < 0) return error_errno(errno);
    return ok_unit();
  };
}

void register_udp(Registry& r) {
  const std::string m = "wasi:sockets/udp#[method]udp-socket.";
  r["wasi:sockets/udp-create-socket#create-udp-socket"] = [](Context& cx, Args a) {
    return create_socket(cx, a, SOCK_DGRAM);
  };
  r[m + "start-bind"] = start_bind<UdpSocket>;
  r[m + "finish-bind"] = finish_bind<UdpSocket>;
  r[m + "stream"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<UdpSocket>(a[0]));
    if (socket->state != SocketState::kBound) return error(NetError::kInvalidState);
    if (a[1].discriminant == 1) {
      sockaddr_storage addr;
      socklen_t len = 0;
      if (!to_sockaddr(a[1].payload(), socket->family, addr, len)) {
        return error(NetError::kInvalidArgument);
      }
      if (::connect(socket->get(), reinterpret_cast<sockaddr*>(&addr), len) < 0) {
        return error_errno(errno);
      }
      socket->connected = true;
    } else if (socket->connected) {
      sockaddr unspecified{};
      unspecified.sa_family = AF_UNSPEC;
      ::connect(socket->get(), &unspecified, sizeof unspecified);
      socket->connected = false;
    }
    return ok_val(Val::tuple(
        {cx.own("incoming-datagram-stream", std::make_shared<IncomingDatagrams>(socket)),
         cx.own("outgoing-datagram-stream", std::make_shared<OutgoingDatagrams>(socket))}));
  };
  r[m + "local-address"] = local_address<UdpSocket>;
  r[m + "remote-address"] = remote_address<UdpSocket>;
  r[m + "address-family"] = address_family<UdpSocket>;
  r[m + "unicast-hop-limit"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<UdpSocket>(a[0]));
    return get_option<UdpSocket>(cx, a, hop_level(*socket), hop_name(*socket), as_u8);
  };
  r[m + "set-unicast-hop-limit"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto socket, cx.get<UdpSocket>(a[0]));
    if (a[1].u == 0) return error(NetError::kInvalidArgument);
    return set_option<UdpSocket>(cx, a, hop_level(*socket), hop_name(*socket),
                                 static_cast<int>(a[1].u));
  };
  r[m + "receive-buffer-size"] = [](Context& cx, Args a) {
    return get_option<UdpSocket>(cx, a, SOL_SOCKET, SO_RCVBUF, as_u64);
  };
  r[m + "set-receive-buffer-size"] = [](Context& cx, Args a) -> Ret {
    if (a[1].u == 0) return error(NetError::kInvalidArgument);
    return set_option<UdpSocket>(cx, a, SOL_SOCKET, SO_RCVBUF, clamp_positive(a[1].u));
  };
  r[m + "send-buffer-size"] = [](Context& cx, Args a) {
    return get_option<UdpSocket>(cx, a, SOL_SOCKET, SO_SNDBUF, as_u64);
  };
  r[m + "set-send-buffer-size"] = [](Context& cx, Args a) -> Ret {
    if (a[1].u == 0) return error(NetError::kInvalidArgument);
    return set_option<UdpSocket>(cx, a, SOL_SOCKET, SO_SNDBUF, clamp_positive(a[1].u));
  };
  r[m + "subscribe"] = [](Context& cx, Args) -> Ret { return make_pollable(cx, ready_now); };

  r["wasi:sockets/udp#[method]incoming-datagram-stream.receive"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto stream, cx.get<IncomingDatagrams>(a[0]));
    std::vector<Val> datagrams;
    std::vector<uint8_t> buffer(65536);
    while (datagrams.size() < a[1].u) {
      sockaddr_storage from{};
      socklen_t len = sizeof from;
      ssize_t n = ::recvfrom(stream->socket->get(), buffer.data(), buffer.size(), MSG_DONTWAIT,
                             reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        if (datagrams.empty()) return error_errno(errno);
        break;
      }
      datagrams.push_back(
          Val::record({Val::packed_list(std::vector<uint8_t>(buffer.begin(), buffer.begin() + n)),
                       from_sockaddr(from)}));
    }
    return ok_val(Val::list(std::move(datagrams)));
  };
  r["wasi:sockets/udp#[method]incoming-datagram-stream.subscribe"] = [](Context& cx,
                                                                        Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto stream, cx.get<IncomingDatagrams>(a[0]));
    auto socket = stream->socket;
    return make_pollable(cx, [socket] { return fd_readiness(socket->get(), POLLIN); });
  };
  r["wasi:sockets/udp#[method]outgoing-datagram-stream.check-send"] = [](Context& cx,
                                                                         Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto stream, cx.get<OutgoingDatagrams>(a[0]));
    pollfd p{.fd = stream->socket->get(), .events = POLLOUT, .revents = 0};
    return ok_val(Val::u64(::poll(&p, 1, 0) > 0 ? 64 : 0));
  };
  r["wasi:sockets/udp#[method]outgoing-datagram-stream.send"] = [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto stream, cx.get<OutgoingDatagrams>(a[0]));
    uint64_t sent = 0;
    for (const Val& datagram : a[1].items) {
      std::vector<uint8_t> storage;
      std::span<const uint8_t> data = bytes_of(datagram.items[0], storage);
      const Val& remote = datagram.items[1];
      ssize_t n;
      if (remote.discriminant == 1) {
        sockaddr_storage addr;
        socklen_t len = 0;
        if (!to_sockaddr(remote.payload(), stream->socket->family, addr, len)) {
          return sent > 0 ? ok_val(Val::u64(sent)) : error(NetError::kInvalidArgument);
        }
        n = ::sendto(stream->socket->get(), data.data(), data.size(), MSG_DONTWAIT,
                     reinterpret_cast<sockaddr*>(&addr), len);
      } else if (stream->socket->connected) {
        n = ::send(stream->socket->get(), data.data(), data.size(), MSG_DONTWAIT);
      } else {
        return sent > 0 ? ok_val(Val::u64(sent)) : error(NetError::kInvalidArgument);
      }
      if (n < 0) return sent > 0 ? ok_val(Val::u64(sent)) : error_errno(errno);
      ++sent;
    }
    return ok_val(Val::u64(sent));
  };
  r["wasi:sockets/udp#[method]outgoing-datagram-stream.subscribe"] = [](Context& cx,
                                                                        Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto stream, cx.get<OutgoingDatagrams>(a[0]));
    auto socket = stream->socket;
    return make_pollable(cx, [socket] { return fd_readiness(socket->get(), POLLOUT); });
  };
}

void register_name_lookup(Registry& r) {
  r["wasi:sockets/ip-name-lookup#resolve-addresses"] = [](Context& cx, Args a) -> Ret {
    if (!cx.config().inherit_network || !cx.config().allow_ip_name_lookup) {
      return error(NetError::kAccessDenied);
    }
    const std::string& name = a[1].str;
    if (name.empty() || name.find('\0') != std::string::npos) {
      return error(NetError::kInvalidArgument);
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;  // one entry per address rather than one per socket type
    addrinfo* found = nullptr;
    int rc = ::getaddrinfo(name.c_str(), nullptr, &hints, &found);
    if (rc == EAI_NONAME || rc == EAI_NODATA) return error(NetError::kNameUnresolvable);
    if (rc == EAI_AGAIN) return error(NetError::kTemporaryResolverFailure);
    if (rc != 0) return error(NetError::kPermanentResolverFailure);
    auto stream = std::make_shared<ResolvedAddresses>();
    for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
      if (ai->ai_family == AF_INET) {
        stream->addresses.push_back(
            Val::variant(0, ipv4_address(reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr)));
      } else if (ai->ai_family == AF_INET6) {
        stream->addresses.push_back(
            Val::variant(1, ipv6_address(reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr)));
      }
    }
    ::freeaddrinfo(found);
    return ok_val(cx.own("resolve-address-stream", std::move(stream)));
  };
  r["wasi:sockets/ip-name-lookup#[method]resolve-address-stream.resolve-next-address"] =
      [](Context& cx, Args a) -> Ret {
    BERTH_TRY_ASSIGN(auto stream, cx.get<ResolvedAddresses>(a[0]));
    if (stream->addresses.empty()) return ok_val(Val::none());
    Val next = std::move(stream->addresses.front());
    stream->addresses.pop_front();
    return ok_val(Val::some(std::move(next)));
  };
  r["wasi:sockets/ip-name-lookup#[method]resolve-address-stream.subscribe"] =
      [](Context& cx, Args) -> Ret { return make_pollable(cx, ready_now); };
}

}  // namespace

void register_sockets(Registry& r) {
  r["wasi:sockets/instance-network#instance-network"] = [](Context& cx, Args) -> Ret {
    return cx.own("network", std::make_shared<Network>());
  };
  register_tcp(r);
  register_udp(r);
  register_name_lookup(r);
}

}  // namespace berth::wasi
