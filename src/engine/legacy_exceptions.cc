#include "engine/legacy_exceptions.h"

#include <fmt/format.h>

#include "engine/instruction_reader.h"
#include "engine/module_sections.h"

namespace berth::engine {
namespace {

// An open block of the function body being rewritten; only try_table needs anything kept.
struct OpenBlock {
  bool try_table = false;
  std::vector<CatchClause> catches;
};

void append(std::vector<uint8_t>& out, std::span<const uint8_t> input, ByteRange range) {
  out.insert(out.end(), input.begin() + range.offset, input.begin() + range.end());
}

// Emits the legacy handlers of a try_table's clauses. False when a clause needs exnref.
bool write_handlers(std::vector<uint8_t>& out, const std::vector<CatchClause>& catches) {
  for (const CatchClause& clause : catches) {
    if (clause.kind == CatchKind::kCatchRef || clause.kind == CatchKind::kCatchAllRef) {
      return false;
    }
    if (clause.kind == CatchKind::kCatch) {
      out.push_back(opcode::kCatch);
      write_u32_leb(out, clause.tag);
    } else {
      out.push_back(opcode::kCatchAll);
    }
    out.push_back(opcode::kBr);
    write_u32_leb(out, uint64_t{clause.label} + 1);
    // Legacy catch_all must come last; clauses after a catch_all never match anyway.
    if (clause.kind == CatchKind::kCatchAll) break;
  }
  return true;
}

struct BodyRewrite {
  std::vector<uint8_t> bytes;
  bool changed = false;
  bool lowerable = true;
};

Result<BodyRewrite> rewrite_body(ByteReader& body) {
  BodyRewrite out;
  std::span<const uint8_t> input = body.input();
  size_t locals_start = body.offset();
  BERTH_TRY_ASSIGN(uint32_t groups, body.read_count("local declaration"));
  for (uint32_t i = 0; i < groups; ++i) {
    BERTH_TRY(body.read_u32());
    BERTH_TRY(skip_value_type(body));
  }
  append(out.bytes, input, {locals_start, body.offset() - locals_start});

  std::vector<OpenBlock> open;
  bool function_ended = false;
  while (!body.at_end()) {
    if (function_ended) return body.error("instructions after the end of the function");
    BERTH_TRY_ASSIGN(Instruction in, read_instruction(body));
    switch (in.opcode) {
      case opcode::kBlock:
      case opcode::kLoop:
      case opcode::kIf:
      case opcode::kTry:
        open.push_back({});
        append(out.bytes, input, in.bytes);
        break;
      case opcode::kTryTable:
        out.changed = true;
        out.bytes.push_back(opcode::kTry);
        append(out.bytes, input, in.block_type);
        open.push_back({true, std::move(in.catches)});
        break;
      case opcode::kDelegate:  // ends a legacy try
        if (!open.empty()) open.pop_back();
        append(out.bytes, input, in.bytes);
        break;
      case opcode::kEnd:
        if (open.empty()) {
          function_ended = true;
        } else {
          if (open.back().try_table && !write_handlers(out.bytes, open.back().catches)) {
            out.lowerable = false;
          }
          open.pop_back();
        }
        append(out.bytes, input, in.bytes);
        break;
      default:
        append(out.bytes, input, in.bytes);
    }
  }
  if (!function_ended) return body.error("a function body without its final end");
  return out;
}

}  // namespace

Result<std::optional<std::vector<uint8_t>>> lower_try_table(std::span<const uint8_t> wasm) {
  bool changed = false;
  bool lowerable = true;
  BERTH_TRY_ASSIGN(
      std::vector<uint8_t> out,
      rewrite_sections(wasm, kCode, [&](ByteReader& section) -> Result<std::vector<uint8_t>> {
        std::vector<uint8_t> code;
        BERTH_TRY_ASSIGN(uint32_t count, section.read_count("function body"));
        write_u32_leb(code, count);
        for (uint32_t i = 0; i < count; ++i) {
          BERTH_TRY_ASSIGN(uint32_t size, section.read_u32());
          BERTH_TRY_ASSIGN(ByteReader body, section.split(size, "function body"));
          auto rewritten = rewrite_body(body);
          if (!rewritten) {
            return Error(rewritten.error().code(),
                         fmt::format("function body {}: {}", i, rewritten.error().message()));
          }
          changed |= rewritten->changed;
          lowerable &= rewritten->lowerable;
          write_u32_leb(code, rewritten->bytes.size());
          code.insert(code.end(), rewritten->bytes.begin(), rewritten->bytes.end());
        }
        if (!section.at_end()) return section.error("bytes after the last function body");
        return code;
      }));
  if (!changed || !lowerable) return std::optional<std::vector<uint8_t>>();
  return std::optional<std::vector<uint8_t>>(std::move(out));
}

}  // namespace berth::engine
