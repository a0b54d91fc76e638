#include "engine/instruction_reader.h"

#include <fmt/format.h>

namespace berth::engine {
namespace {

// 0x40 (no results), a value type, or a type index: all of them read as one s33.
Result<ByteRange> read_block_type(ByteReader& r) {
  size_t start = r.offset();
  BERTH_TRY(skip_value_type(r));
  return ByteRange{start, r.offset() - start};
}

Result<void> skip_memarg(ByteReader& r) {
  BERTH_TRY_ASSIGN(uint32_t align, r.read_u32());
  if (align & 0x40) BERTH_TRY(r.read_u32());  // multi-memory: the memory index follows
  BERTH_TRY(r.read_u64());
  return {};
}

Result<void> skip_u32s(ByteReader& r, uint64_t count) {
  for (uint64_t i = 0; i < count; ++i) BERTH_TRY(r.read_u32());
  return {};
}

Result<std::vector<CatchClause>> read_catches(ByteReader& r) {
  BERTH_TRY_ASSIGN(uint32_t count, r.read_count("catch clause"));
  std::vector<CatchClause> catches(count);
  for (CatchClause& clause : catches) {
    size_t at = r.offset();
    BERTH_TRY_ASSIGN(uint8_t kind, r.read_u8());
    if (kind > 3) return r.unexpected_byte(at, kind, "a catch clause kind (0x00 to 0x03)");
    clause.kind = static_cast<CatchKind>(kind);
    if (clause.kind == CatchKind::kCatch || clause.kind == CatchKind::kCatchRef) {
      BERTH_TRY_ASSIGN(clause.tag, r.read_u32());
    }
    BERTH_TRY_ASSIGN(clause.label, r.read_u32());
  }
  return catches;
}

// 0xfc: saturating truncations, bulk memory and table instructions.
Result<void> skip_misc(ByteReader& r, uint32_t sub) {
  switch (sub) {
    case 8:   // memory.init data memory
    case 10:  // memory.copy memory memory
    case 12:  // table.init elem table
    case 14:  // table.copy table table
      return skip_u32s(r, 2);
    case 9:   // data.drop
    case 11:  // memory.fill
    case 13:  // elem.drop
    case 15:  // table.grow
    case 16:  // table.size
    case 17:  // table.fill
      return skip_u32s(r, 1);
    default:
      if (sub <= 7) return {};  // the saturating truncations
      return r.error(fmt::format("unknown instruction 0xfc {}", sub));
  }
}

// 0xfd: SIMD, with relaxed SIMD (0x100 and up, no immediates).
Result<void> skip_simd(ByteReader& r, uint32_t sub) {
  if (sub <= 11 || sub == 92 || sub == 93) return skip_memarg(r);  // loads, stores, *_zero
  if (sub == 12 || sub == 13) {                                    // v128.const, shuffle
    BERTH_TRY(r.read_range(16, "a 16-byte immediate"));
    return {};
  }
  if (sub >= 21 && sub <= 34) {  // extract_lane, replace_lane
    BERTH_TRY(r.read_u8());
    return {};
  }
  if (sub >= 84 && sub <= 91) {  // load_lane, store_lane
    BERTH_TRY(skip_memarg(r));
    BERTH_TRY(r.read_u8());
    return {};
  }
  return {};
}

// 0xfe: atomics. atomic.fence has a reserved byte; every other one a memarg.
Result<void> skip_atomic(ByteReader& r, uint32_t sub) {
  if (sub == 3) {
    BERTH_TRY(r.read_u8());
    return {};
  }
  return skip_memarg(r);
}

}  // namespace

Result<void> skip_value_type(ByteReader& r) {
  // The one-byte (s33) encodings of `(ref null ht)` and `(ref ht)`, which a heap type follows.
  constexpr int64_t kRefNull = -29;  // 0x63
  constexpr int64_t kRef = -28;      // 0x64
  BERTH_TRY_ASSIGN(int64_t type, r.read_s33());
  if (type == kRefNull || type == kRef) BERTH_TRY(r.read_s33());
  return {};
}

Result<Instruction> read_instruction(ByteReader& r) {
  Instruction in;
  size_t start = r.offset();
  BERTH_TRY_ASSIGN(in.opcode, r.read_u8());
  uint8_t op = in.opcode;
  switch (op) {
    case opcode::kBlock:
    case opcode::kLoop:
    case opcode::kIf:
    case opcode::kTry: {
      BERTH_TRY_ASSIGN(in.block_type, read_block_type(r));
      break;
    }
    case opcode::kTryTable: {
      BERTH_TRY_ASSIGN(in.block_type, read_block_type(r));
      BERTH_TRY_ASSIGN(in.catches, read_catches(r));
      break;
    }
    case opcode::kCatch:
    case 0x08:  // throw
    case 0x09:  // rethrow
    case 0x0c:  // br
    case 0x0d:  // br_if
    case 0x10:  // call
    case 0x12:  // return_call
    case 0x14:  // call_ref
    case 0x15:  // return_call_ref
    case opcode::kDelegate:
    case 0xd2:  // ref.func
    case 0xd5:  // br_on_null
    case 0xd6:  // br_on_non_null
      BERTH_TRY(r.read_u32());
      break;
    case 0x0e: {  // br_table
      BERTH_TRY_ASSIGN(uint32_t count, r.read_count("branch target"));
      BERTH_TRY(skip_u32s(r, uint64_t{count} + 1));  // the targets, then the default
      break;
    }
    case 0x11:  // call_indirect
    case 0x13:  // return_call_indirect
      BERTH_TRY(skip_u32s(r, 2));
      break;
    case 0x1c: {  // select t*
      BERTH_TRY_ASSIGN(uint32_t count, r.read_count("value type"));
      for (uint32_t i = 0; i < count; ++i) BERTH_TRY(skip_value_type(r));
      break;
    }
    case 0x3f:  // memory.size
    case 0x40:  // memory.grow
      BERTH_TRY(r.read_u32());
      break;
    case 0x41:
      BERTH_TRY(r.read_s32());
      break;
    case 0x42:
      BERTH_TRY(r.read_s64());
      break;
    case 0x43:
      BERTH_TRY(r.read_range(4, "an f32 constant"));
      break;
    case 0x44:
      BERTH_TRY(r.read_range(8, "an f64 constant"));
      break;
    case 0xd0:  // ref.null
      BERTH_TRY(r.read_s33());
      break;
    case 0xfc:
    case 0xfd:
    case 0xfe: {
      BERTH_TRY_ASSIGN(in.sub_opcode, r.read_u32());
      if (op == 0xfc) BERTH_TRY(skip_misc(r, in.sub_opcode));
      if (op == 0xfd) BERTH_TRY(skip_simd(r, in.sub_opcode));
      if (op == 0xfe) BERTH_TRY(skip_atomic(r, in.sub_opcode));
      break;
    }
    default:
      if (op >= 0x20 && op <= 0x26) {  // locals, globals, table.get/set
        BERTH_TRY(r.read_u32());
      } else if (op >= 0x28 && op <= 0x3e) {  // loads and stores
        BERTH_TRY(skip_memarg(r));
      } else if (op <= 0x01 || op == 0x05 || op == opcode::kEnd || op == 0x0a || op == 0x0f ||
                 op == 0x19 || op == 0x1a || op == 0x1b || (op >= 0x45 && op <= 0xc4) ||
                 op == 0xd1 || op == 0xd3 || op == 0xd4) {
        // no immediates
      } else {
        return r.error_at(start, fmt::format("unknown instruction 0x{:02x}", op));
      }
  }
  in.bytes = ByteRange{start, r.offset() - start};
  return in;
}

}  // namespace berth::engine
