// A range of bytes of an input buffer, by absolute offset.
#pragma once

#include <cstddef>

namespace berth {

struct ByteRange {
  size_t offset = 0;
  size_t size = 0;

  size_t end() const { return offset + size; }
  bool operator==(const ByteRange&) const = default;
};

}  // namespace berth
