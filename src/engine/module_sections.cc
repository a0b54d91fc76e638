#include "engine/module_sections.h"

#include <fmt/format.h>

#include <algorithm>

namespace berth::engine {

Result<void> check_preamble(ByteReader& r) {
  static constexpr uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};
  BERTH_TRY_ASSIGN(ByteRange magic, r.read_range(4, "the magic number"));
  if (!std::equal(kMagic, kMagic + 4, r.input().begin() + magic.offset)) {
    return r.error_at(0, "not a WebAssembly binary (missing the \\0asm magic number)");
  }
  BERTH_TRY_ASSIGN(uint32_t version, r.read_fixed_u32());
  if (version == 0x0001000d) {
    return Error(ErrorCode::kMalformed, "this is a component, not a core module");
  }
  if (version != 1) {
    return r.error_at(4, fmt::format("unsupported core module version 0x{:08x}", version));
  }
  return {};
}

void write_u32_leb(std::vector<uint8_t>& out, uint64_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(byte);
  } while (value != 0);
}

void write_section(std::vector<uint8_t>& out, uint8_t id, std::span<const uint8_t> body) {
  out.push_back(id);
  write_u32_leb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

}  // namespace berth::engine
