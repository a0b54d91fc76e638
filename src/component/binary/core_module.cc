// Core modules inside (or instead of) a component: only the section framing is checked here;
// the engine decodes and validates the contents when it compiles the module.
#include <fmt/format.h>

#include "component/binary/decoder_internal.h"

namespace berth::component::binary {
namespace {

// Position of each known core section id in the order the core spec requires (0: unknown).
// Ids: 1 type, 2 import, 3 function, 4 table, 5 memory, 6 global, 7 export, 8 start,
// 9 element, 10 code, 11 data, 12 data count, 13 tag (which sits between memory and global).
int order_of(uint8_t id) {
  constexpr int kOrder[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6};
  return id < std::size(kOrder) ? kOrder[id] : 0;
}

std::string_view core_section_name(uint8_t id) {
  constexpr std::string_view kNames[] = {"custom", "type",   "import",     "function", "table",
                                         "memory", "global", "export",     "start",    "element",
                                         "code",   "data",   "data count", "tag"};
  return id < std::size(kNames) ? kNames[id] : "unknown";
}

}  // namespace

Result<CoreModule> scan_core_module(ByteReader& r) {
  CoreModule out;
  out.offset = r.offset();
  out.bytes = ByteRange{r.offset(), r.remaining()};
  BERTH_TRY_ASSIGN(BinaryKind kind, read_preamble(r));
  if (kind != BinaryKind::kCoreModule) {
    return r.error_at(out.offset + 4,
                      "expected a core module (version 1, layer 0), found a component preamble "
                      "(version 0x0d, layer 1)");
  }
  int last_order = 0;
  uint8_t last_id = 0;
  while (!r.at_end()) {
    CoreSectionHeader header;
    header.offset = r.offset();
    BERTH_TRY_ASSIGN(header.id, r.read_u8());
    const int order = order_of(header.id);
    if (header.id != 0 && order == 0) {
      return r.unexpected_byte(header.offset, header.id, "a core module section id (0-13)");
    }
    BERTH_TRY_ASSIGN(uint32_t size, r.read_u32());
    BERTH_TRY_ASSIGN(ByteReader contents, r.split(size, "core module section"));
    header.contents = ByteRange{contents.offset(), contents.remaining()};
    if (header.id == 0) {
      BERTH_TRY_ASSIGN(header.custom_name, contents.read_name("custom section name"));
    } else {
      if (order <= last_order) {
        return r.error_at(header.offset,
                          fmt::format("core module section out of order: {} section after {} "
                                      "section",
                                      core_section_name(header.id), core_section_name(last_id)));
      }
      last_order = order;
      last_id = header.id;
    }
    out.sections.push_back(std::move(header));
  }
  return out;
}

}  // namespace berth::component::binary
