// Walking and re-assembling the sections of a core module: shared by the module reader and the
// rewrites berth applies before handing a module to the engine.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "berth/result.h"
#include "support/byte_reader.h"

namespace berth::engine {

enum SectionId : uint8_t {
  kCustom = 0,
  kType = 1,
  kImport = 2,
  kFunction = 3,
  kTable = 4,
  kMemory = 5,
  kGlobal = 6,
  kExport = 7,
  kStart = 8,
  kCode = 10,
  kTag = 13,
};

// The magic number and version 1; a component is refused as such.
Result<void> check_preamble(ByteReader& r);

// Calls `visit(id, section_reader, header_offset)` for each section, after the preamble.
template <typename Visit>
Result<void> for_each_section(std::span<const uint8_t> wasm, Visit visit) {
  ByteReader r(wasm);
  BERTH_TRY(check_preamble(r));
  while (!r.at_end()) {
    size_t header = r.offset();
    BERTH_TRY_ASSIGN(uint8_t id, r.read_u8());
    BERTH_TRY_ASSIGN(uint32_t size, r.read_u32());
    BERTH_TRY_ASSIGN(ByteReader section, r.split(size, "section"));
    BERTH_TRY(visit(id, section, header));
  }
  return {};
}

void write_u32_leb(std::vector<uint8_t>& out, uint64_t value);

// Appends a section with its id and size.
void write_section(std::vector<uint8_t>& out, uint8_t id, std::span<const uint8_t> body);

// A copy of `wasm` in which every section with id `target` has the body `rewrite(section)`
// returns (a Result<std::vector<uint8_t>>); the other sections are copied as they are.
template <typename Rewrite>
Result<std::vector<uint8_t>> rewrite_sections(std::span<const uint8_t> wasm, uint8_t target,
                                              Rewrite rewrite) {
  std::vector<uint8_t> out;
  BERTH_TRY(
      for_each_section(wasm, [&](uint8_t id, ByteReader& section, size_t header) -> Result<void> {
        if (out.empty()) out.assign(wasm.begin(), wasm.begin() + 8);  // the preamble, checked
        if (id != target) {
          out.insert(out.end(), wasm.begin() + header,
                     wasm.begin() + section.offset() + section.remaining());
          return {};
        }
        BERTH_TRY_ASSIGN(std::vector<uint8_t> body, rewrite(section));
        write_section(out, id, body);
        return {};
      }));
  if (out.empty()) out.assign(wasm.begin(), wasm.begin() + 8);  // a module without sections
  return out;
}

}  // namespace berth::engine
