// Reads core wasm instructions one at a time: where each one ends and, for the structured
// control instructions, their block type and catch clauses. It does not type-check anything;
// the engine validates function bodies when it compiles them.
#pragma once

#include <cstdint>
#include <vector>

#include "berth/result.h"
#include "support/byte_range.h"
#include "support/byte_reader.h"

namespace berth::engine {

namespace opcode {
inline constexpr uint8_t kBlock = 0x02;
inline constexpr uint8_t kLoop = 0x03;
inline constexpr uint8_t kIf = 0x04;
inline constexpr uint8_t kTry = 0x06;  // the legacy exception-handling proposal
inline constexpr uint8_t kCatch = 0x07;
inline constexpr uint8_t kBr = 0x0c;
inline constexpr uint8_t kEnd = 0x0b;
inline constexpr uint8_t kDelegate = 0x18;
inline constexpr uint8_t kCatchAll = 0x19;
inline constexpr uint8_t kTryTable = 0x1f;
}  // namespace opcode

// A clause of `try_table`, in its binary encoding's order.
enum class CatchKind : uint8_t { kCatch = 0, kCatchRef = 1, kCatchAll = 2, kCatchAllRef = 3 };

struct CatchClause {
  CatchKind kind = CatchKind::kCatch;
  uint32_t tag = 0;  // for kCatch and kCatchRef
  uint32_t label = 0;
};

struct Instruction {
  uint8_t opcode = 0;
  uint32_t sub_opcode = 0;           // after a 0xfb, 0xfc, 0xfd or 0xfe prefix
  ByteRange bytes;                   // the whole instruction, immediates included
  ByteRange block_type;              // block, loop, if, try and try_table
  std::vector<CatchClause> catches;  // try_table
};

// Skips a value type, including the heap type of a reference type.
Result<void> skip_value_type(ByteReader& r);

// Reads the instruction at the reader's position. Fails on an opcode it does not know (the GC
// proposal's, for one), naming it and its offset.
Result<Instruction> read_instruction(ByteReader& r);

}  // namespace berth::engine
