#include "pollables.h"

#include <time.h>

#include <algorithm>

#include <cerrno>

namespace berth::wasi {

uint64_t monotonic_now() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

std::vector<uint32_t> wait_ready(std::span<const PollSpec> specs, bool block) {
  std::vector<uint32_t> ready;
  std::vector<pollfd> fds;
  std::vector<uint32_t> fd_owner;  // index into specs of each pollfd
  for (;;) {
    ready.clear();
    fds.clear();
    fd_owner.clear();
    uint64_t now = monotonic_now();
    std::optional<uint64_t> earliest;
    for (uint32_t i = 0; i < specs.size(); ++i) {
      const PollSpec& spec = specs[i];
      if (spec.ready || (spec.deadline && *spec.deadline <= now)) {
        ready.push_back(i);
        continue;
      }
      if (spec.deadline && (!earliest || *spec.deadline < *earliest)) earliest = spec.deadline;
      if (spec.fd >= 0) {
        fds.push_back(pollfd{.fd = spec.fd, .events = spec.events, .revents = 0});
        fd_owner.push_back(i);
      }
    }
    bool wait = block && ready.empty() && (earliest || !fds.empty());
    timespec timeout{};
    if (wait && earliest) {
      uint64_t left = *earliest - now;
      timeout.tv_sec = static_cast<time_t>(left / 1'000'000'000u);
      timeout.tv_nsec = static_cast<long>(left % 1'000'000'000u);
    }
    int n = ppoll(fds.data(), fds.size(), wait && !earliest ? nullptr : &timeout, nullptr);
    if (n < 0 && errno == EINTR) continue;
    for (size_t k = 0; n > 0 && k < fds.size(); ++k) {
      // Errors and hang-ups count as ready: the next operation reports them.
      if (fds[k].revents != 0) ready.push_back(fd_owner[k]);
    }
    if (!ready.empty() || !wait) {
      std::sort(ready.begin(), ready.end());
      return ready;
    }
  }
}

Val make_pollable(Context& context, std::function<PollSpec()> spec) {
  return context.own("pollable", std::make_shared<Pollable>(std::move(spec)));
}

void register_poll(Registry& registry) {
  registry["wasi:io/poll#[method]pollable.ready"] = [](Context& cx,
                                                       std::span<const Val> args) -> Reply {
    BERTH_TRY_ASSIGN(auto pollable, cx.get<Pollable>(args[0]));
    PollSpec spec = pollable->spec();
    return Val::boolean(!wait_ready(std::span(&spec, 1), false).empty());
  };
  registry["wasi:io/poll#[method]pollable.block"] = [](Context& cx,
                                                       std::span<const Val> args) -> Reply {
    BERTH_TRY_ASSIGN(auto pollable, cx.get<Pollable>(args[0]));
    PollSpec spec = pollable->spec();
    wait_ready(std::span(&spec, 1), true);
    return std::optional<Val>();
  };
  registry["wasi:io/poll#poll"] = [](Context& cx, std::span<const Val> args) -> Reply {
    const std::vector<Val>& in = args[0].items;
    if (in.empty()) return Error(ErrorCode::kTrap, "wasi:io/poll#poll: empty list of pollables");
    std::vector<PollSpec> specs;
    specs.reserve(in.size());
    for (const Val& handle : in) {
      BERTH_TRY_ASSIGN(auto pollable, cx.get<Pollable>(handle));
      specs.push_back(pollable->spec());
    }
    std::vector<Val> indices;
    for (uint32_t index : wait_ready(specs, true)) indices.push_back(Val::u32(index));
    return Val::list(std::move(indices));
  };
}

}  // namespace berth::wasi
