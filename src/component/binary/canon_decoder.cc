// The canon section: lift, lower and the canonical built-ins, with their options.
#include <fmt/format.h>

#include "component/binary/decoder_internal.h"

namespace berth::component::binary {

Result<std::vector<CanonOption>> Decoder::canon_options(ByteReader& r) {
  std::vector<CanonOption> out;
  BERTH_TRY_ASSIGN(uint32_t count, r.read_count("canon option"));
  for (uint32_t i = 0; i < count; ++i) {
    CanonOption option;
    option.offset = r.offset();
    BERTH_TRY_ASSIGN(uint8_t kind, r.read_u8());
    switch (kind) {
      case 0x00:
      case 0x01:
      case 0x02:
        break;
      case 0x03:
      case 0x04:
      case 0x05: {
        BERTH_TRY_ASSIGN(option.index, r.read_u32());
        break;
      }
      case 0x06:
        BERTH_TRY(use(Feature::kAsync, r, option.offset, "the `async` canon option"));
        break;
      case 0x07: {
        BERTH_TRY(use(Feature::kAsync, r, option.offset, "the `callback` canon option"));
        BERTH_TRY_ASSIGN(option.index, r.read_u32());
        break;
      }
      case 0x08: {
        BERTH_TRY(use(Feature::kGcCanonOptions, r, option.offset, "the `core-type` canon option"));
        BERTH_TRY_ASSIGN(option.index, r.read_u32());
        break;
      }
      case 0x09:
        BERTH_TRY(use(Feature::kGcCanonOptions, r, option.offset, "the `gc` canon option"));
        break;
      default:
        return r.unexpected_byte(option.offset, kind, "a canon option (0x00-0x09)");
    }
    option.kind = static_cast<CanonOptionKind>(kind);
    out.push_back(option);
  }
  return out;
}

namespace {

struct Opcode {
  uint8_t byte;
  CanonKind kind;
};

// Every canon production by leading byte; lift and lower (0x00, 0x01) are handled apart.
constexpr Opcode kBuiltins[] = {
    {0x02, CanonKind::kResourceNew},
    {0x03, CanonKind::kResourceDrop},
    {0x04, CanonKind::kResourceRep},
    {0x05, CanonKind::kTaskCancel},
    {0x06, CanonKind::kSubtaskCancel},
    {0x09, CanonKind::kTaskReturn},
    {0x0a, CanonKind::kContextGet},
    {0x0b, CanonKind::kContextSet},
    {0x0c, CanonKind::kThreadYield},
    {0x0d, CanonKind::kSubtaskDrop},
    {0x0e, CanonKind::kStreamNew},
    {0x0f, CanonKind::kStreamRead},
    {0x10, CanonKind::kStreamWrite},
    {0x11, CanonKind::kStreamCancelRead},
    {0x12, CanonKind::kStreamCancelWrite},
    {0x13, CanonKind::kStreamDropReadable},
    {0x14, CanonKind::kStreamDropWritable},
    {0x15, CanonKind::kFutureNew},
    {0x16, CanonKind::kFutureRead},
    {0x17, CanonKind::kFutureWrite},
    {0x18, CanonKind::kFutureCancelRead},
    {0x19, CanonKind::kFutureCancelWrite},
    {0x1a, CanonKind::kFutureDropReadable},
    {0x1b, CanonKind::kFutureDropWritable},
    {0x1c, CanonKind::kErrorContextNew},
    {0x1d, CanonKind::kErrorContextDebugMessage},
    {0x1e, CanonKind::kErrorContextDrop},
    {0x1f, CanonKind::kWaitableSetNew},
    {0x20, CanonKind::kWaitableSetWait},
    {0x21, CanonKind::kWaitableSetPoll},
    {0x22, CanonKind::kWaitableSetDrop},
    {0x23, CanonKind::kWaitableJoin},
    {0x24, CanonKind::kBackpressureInc},
    {0x25, CanonKind::kBackpressureDec},
    {0x26, CanonKind::kThreadIndex},
    {0x27, CanonKind::kThreadNewIndirect},
    {0x28, CanonKind::kThreadResumeLater},
    {0x29, CanonKind::kThreadSuspend},
    {0x2a, CanonKind::kThreadSuspendThenResume},
    {0x2b, CanonKind::kThreadYieldThenResume},
    {0x2c, CanonKind::kThreadSuspendThenPromote},
    {0x2d, CanonKind::kThreadYieldThenPromote},
    {0x40, CanonKind::kThreadSpawnRef},
    {0x41, CanonKind::kThreadSpawnIndirect},
    {0x42, CanonKind::kThreadAvailableParallelism},
};

std::optional<CanonKind> builtin_of(uint8_t byte) {
  for (const Opcode& op : kBuiltins) {
    if (op.byte == byte) return op.kind;
  }
  return std::nullopt;
}

}  // namespace

Result<Canon> Decoder::canon(ByteReader& r) {
  Canon out;
  out.offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t opcode, r.read_u8());
  if (opcode == 0x00 || opcode == 0x01) {
    out.kind = opcode == 0x00 ? CanonKind::kLift : CanonKind::kLower;
    // The func sort byte: lift takes a core func, lower a component func, both sort 0x00
    // of their own sort table.
    BERTH_TRY(r.expect_u8(0x00, opcode == 0x00 ? "the core func sort of canon lift"
                                               : "the func sort of canon lower"));
    BERTH_TRY_ASSIGN(out.func_index, r.read_u32());
    BERTH_TRY_ASSIGN(out.options, canon_options(r));
    if (out.kind == CanonKind::kLift) {
      BERTH_TRY_ASSIGN(out.type_index, r.read_u32());
    }
    return out;
  }
  std::optional<CanonKind> kind = builtin_of(opcode);
  if (!kind) {
    return r.unexpected_byte(out.offset, opcode,
                             "a canonical definition (0x00 lift, 0x01 lower, or a built-in "
                             "0x02-0x06, 0x09-0x2d, 0x40-0x42)");
  }
  out.kind = *kind;
  if (std::optional<Feature> feature = feature_of(out.kind)) {
    BERTH_TRY(use(*feature, r, out.offset, fmt::format("canon {}", to_string(out.kind))));
  }
  switch (out.kind) {
    case CanonKind::kResourceNew:
    case CanonKind::kResourceDrop:
    case CanonKind::kResourceRep:
    case CanonKind::kStreamNew:
    case CanonKind::kStreamDropReadable:
    case CanonKind::kStreamDropWritable:
    case CanonKind::kFutureNew:
    case CanonKind::kFutureDropReadable:
    case CanonKind::kFutureDropWritable: {
      BERTH_TRY_ASSIGN(out.type_index, r.read_u32());
      break;
    }
    case CanonKind::kStreamRead:
    case CanonKind::kStreamWrite:
    case CanonKind::kFutureRead:
    case CanonKind::kFutureWrite: {
      BERTH_TRY_ASSIGN(out.type_index, r.read_u32());
      BERTH_TRY_ASSIGN(out.options, canon_options(r));
      break;
    }
    case CanonKind::kStreamCancelRead:
    case CanonKind::kStreamCancelWrite:
    case CanonKind::kFutureCancelRead:
    case CanonKind::kFutureCancelWrite: {
      BERTH_TRY_ASSIGN(out.type_index, r.read_u32());
      BERTH_TRY_ASSIGN(out.is_async, r.read_flag("the async flag"));
      break;
    }
    case CanonKind::kSubtaskCancel: {
      BERTH_TRY_ASSIGN(out.is_async, r.read_flag("the async flag"));
      break;
    }
    case CanonKind::kTaskReturn: {
      BERTH_TRY_ASSIGN(out.result, result_list(r));
      BERTH_TRY_ASSIGN(out.options, canon_options(r));
      break;
    }
    case CanonKind::kContextGet:
    case CanonKind::kContextSet: {
      BERTH_TRY_ASSIGN(out.context_type, core_val_type(r));
      BERTH_TRY_ASSIGN(out.context_slot, r.read_u32());
      break;
    }
    case CanonKind::kErrorContextNew:
    case CanonKind::kErrorContextDebugMessage: {
      BERTH_TRY_ASSIGN(out.options, canon_options(r));
      break;
    }
    case CanonKind::kWaitableSetWait:
    case CanonKind::kWaitableSetPoll: {
      BERTH_TRY_ASSIGN(out.cancellable, r.read_flag("the cancellable flag"));
      BERTH_TRY_ASSIGN(out.memory_index, r.read_u32());
      break;
    }
    case CanonKind::kThreadNewIndirect: {
      BERTH_TRY_ASSIGN(out.type_index, r.read_u32());
      BERTH_TRY_ASSIGN(out.table_index, r.read_u32());
      break;
    }
    case CanonKind::kThreadSuspend:
    case CanonKind::kThreadYield:
    case CanonKind::kThreadSuspendThenResume:
    case CanonKind::kThreadYieldThenResume:
    case CanonKind::kThreadSuspendThenPromote:
    case CanonKind::kThreadYieldThenPromote: {
      BERTH_TRY_ASSIGN(out.cancellable, r.read_flag("the cancellable flag"));
      break;
    }
    case CanonKind::kThreadSpawnRef: {
      if (!wasm_tools_encoding()) {
        BERTH_TRY_ASSIGN(out.shared, r.read_flag("the shared flag"));
      }
      BERTH_TRY_ASSIGN(out.type_index, r.read_u32());
      break;
    }
    case CanonKind::kThreadSpawnIndirect: {
      if (!wasm_tools_encoding()) {
        BERTH_TRY_ASSIGN(out.shared, r.read_flag("the shared flag"));
      }
      BERTH_TRY_ASSIGN(out.type_index, r.read_u32());
      BERTH_TRY_ASSIGN(out.table_index, r.read_u32());
      break;
    }
    case CanonKind::kThreadAvailableParallelism: {
      if (!wasm_tools_encoding()) {
        BERTH_TRY_ASSIGN(out.shared, r.read_flag("the shared flag"));
      }
      break;
    }
    case CanonKind::kBackpressureInc:
    case CanonKind::kBackpressureDec:
    case CanonKind::kTaskCancel:
    case CanonKind::kSubtaskDrop:
    case CanonKind::kErrorContextDrop:
    case CanonKind::kWaitableSetNew:
    case CanonKind::kWaitableSetDrop:
    case CanonKind::kWaitableJoin:
    case CanonKind::kThreadIndex:
    case CanonKind::kThreadResumeLater:
    case CanonKind::kLift:
    case CanonKind::kLower:
      break;
  }
  return out;
}

}  // namespace berth::component::binary
