// wasi:clocks: monotonic-clock (with pollables for instants and durations) and wall-clock.
#include <time.h>

#include "pollables.h"

namespace berth::wasi {
namespace {

uint64_t nanoseconds(const timespec& ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

Val datetime(const timespec& ts) {
  return Val::record(
      {Val::u64(static_cast<uint64_t>(ts.tv_sec)), Val::u32(static_cast<uint32_t>(ts.tv_nsec))});
}

Val deadline_pollable(Context& cx, uint64_t deadline) {
  return make_pollable(cx, [deadline] { return PollSpec{.deadline = deadline}; });
}

}  // namespace

void register_clocks(Registry& r) {
  r["wasi:clocks/monotonic-clock#now"] = [](Context&, std::span<const Val>) -> Reply {
    return Val::u64(monotonic_now());
  };
  r["wasi:clocks/monotonic-clock#resolution"] = [](Context&, std::span<const Val>) -> Reply {
    timespec ts{};
    clock_getres(CLOCK_MONOTONIC, &ts);
    return Val::u64(nanoseconds(ts));
  };
  r["wasi:clocks/monotonic-clock#subscribe-instant"] = [](Context& cx,
                                                          std::span<const Val> args) -> Reply {
    return deadline_pollable(cx, args[0].u);
  };
  r["wasi:clocks/monotonic-clock#subscribe-duration"] = [](Context& cx,
                                                           std::span<const Val> args) -> Reply {
    uint64_t now = monotonic_now();
    uint64_t deadline = args[0].u > UINT64_MAX - now ? UINT64_MAX : now + args[0].u;
    return deadline_pollable(cx, deadline);
  };
  r["wasi:clocks/wall-clock#now"] = [](Context&, std::span<const Val>) -> Reply {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return datetime(ts);
  };
  r["wasi:clocks/wall-clock#resolution"] = [](Context&, std::span<const Val>) -> Reply {
    timespec ts{};
    clock_getres(CLOCK_REALTIME, &ts);
    return datetime(ts);
  };
}

}  // namespace berth::wasi
