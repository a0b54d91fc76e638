// wasi:io/poll: pollables and the readiness wait behind `poll` and `block`.
#pragma once

#include <poll.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "context.h"

namespace berth::wasi {

// What a pollable waits for, asked afresh each time it is polled (a socket's readiness depends
// on its state). Ready when `ready` is set, the fd reports one of `events`, or the monotonic
// clock reaches `deadline`.
struct PollSpec {
  bool ready = false;
  int fd = -1;
  short events = 0;
  std::optional<uint64_t> deadline;  // nanoseconds of CLOCK_MONOTONIC
};

inline PollSpec ready_now() {
  return PollSpec{.ready = true};
}
inline PollSpec fd_readiness(int fd, short events) {
  return PollSpec{.fd = fd, .events = events};
}

class Pollable : public Resource {
 public:
  explicit Pollable(std::function<PollSpec()> spec) : spec_(std::move(spec)) {}
  PollSpec spec() const { return spec_(); }

 private:
  std::function<PollSpec()> spec_;
};

// Nanoseconds of CLOCK_MONOTONIC.
uint64_t monotonic_now();

// The indices of the specs that are ready. With `block`, waits until at least one is (an empty
// list of specs returns at once).
std::vector<uint32_t> wait_ready(std::span<const PollSpec> specs, bool block);

// A new pollable handle.
Val make_pollable(Context& context, std::function<PollSpec()> spec);

}  // namespace berth::wasi
