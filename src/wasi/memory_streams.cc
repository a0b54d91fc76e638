// berth:streams/memory: input streams over bytes the host holds (wit/memory-streams.wit). A
// host bundle creates one through its import of this interface to hand a large value to a
// component as a wasi:io input-stream.
#include <algorithm>

#include "context.h"
#include "streams.h"

namespace berth::wasi {
namespace {

// At most this much per read, like the other streams.
constexpr uint64_t kChunk = 1 << 20;

class MemoryInputStream final : public InputStream {
 public:
  explicit MemoryInputStream(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}

  StreamResult<std::vector<uint8_t>> read(uint64_t len, bool) override {
    StreamResult<std::vector<uint8_t>> result;
    size_t left = bytes_.size() - offset_;
    if (left == 0) {
      // A read of nothing is not the end: only a read that wanted bytes learns it.
      if (len > 0) result.error = stream_closed();
      return result;
    }
    size_t n = static_cast<size_t>(std::min<uint64_t>({len, left, kChunk}));
    result.value.assign(bytes_.begin() + static_cast<std::ptrdiff_t>(offset_),
                        bytes_.begin() + static_cast<std::ptrdiff_t>(offset_ + n));
    offset_ += n;
    return result;
  }

  PollSpec readiness() override { return ready_now(); }

 private:
  std::vector<uint8_t> bytes_;
  size_t offset_ = 0;
};

}  // namespace

void register_memory_streams(Registry& r) {
  r["berth:streams/memory#input-from-bytes"] = [](Context& cx, std::span<const Val> args) -> Reply {
    const Val& bytes = args[0];
    std::vector<uint8_t> copy;
    if (!bytes.packed.empty() || bytes.items.empty()) {
      copy = bytes.packed;
    } else {
      copy.reserve(bytes.items.size());
      for (const Val& b : bytes.items) copy.push_back(static_cast<uint8_t>(b.u));
    }
    return cx.own("input-stream", std::make_shared<MemoryInputStream>(std::move(copy)));
  };
}

}  // namespace berth::wasi
