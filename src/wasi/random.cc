// wasi:random: random and insecure both draw from getrandom; insecure-seed is fixed per instance.
#include "context.h"

namespace berth::wasi {
namespace {

// More than any sensible guest asks for at once; larger requests trap instead of exhausting
// host memory.
constexpr uint64_t kMaxRandomBytes = 64u << 20;

Reply random_bytes(Context&, std::span<const Val> args) {
  if (args[0].u > kMaxRandomBytes) {
    return Error(ErrorCode::kTrap, fmt::format("wasi:random: {} random bytes requested; at most "
                                               "{} at once",
                                               args[0].u, kMaxRandomBytes));
  }
  std::vector<uint8_t> bytes(static_cast<size_t>(args[0].u));
  fill_random(bytes.data(), bytes.size());
  return Val::packed_list(std::move(bytes));
}

Reply random_u64(Context&, std::span<const Val>) {
  uint64_t value = 0;
  fill_random(&value, sizeof value);
  return Val::u64(value);
}

}  // namespace

void register_random(Registry& r) {
  r["wasi:random/random#get-random-bytes"] = random_bytes;
  r["wasi:random/random#get-random-u64"] = random_u64;
  r["wasi:random/insecure#get-insecure-random-bytes"] = random_bytes;
  r["wasi:random/insecure#get-insecure-random-u64"] = random_u64;
  r["wasi:random/insecure-seed#insecure-seed"] = [](Context& cx, std::span<const Val>) -> Reply {
    return Val::tuple({Val::u64(cx.seed(0)), Val::u64(cx.seed(1))});
  };
}

}  // namespace berth::wasi
