// Canonical definitions (canon section): lift, lower and the built-ins.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "component/ir/common.h"
#include "component/ir/core_types.h"
#include "component/ir/types.h"

namespace berth::component::binary {

enum class CanonOptionKind : uint8_t {
  kUtf8 = 0x00,
  kUtf16 = 0x01,
  kLatin1Utf16 = 0x02,
  kMemory = 0x03,      // core memory index
  kRealloc = 0x04,     // core func index
  kPostReturn = 0x05,  // core func index
  kAsync = 0x06,       // 🔀
  kCallback = 0x07,    // 🔀 core func index
  kCoreType = 0x08,    // wasm-tools extension: core type index
  kGc = 0x09,          // wasm-tools extension
};

struct CanonOption {
  size_t offset = 0;
  CanonOptionKind kind = CanonOptionKind::kUtf8;
  uint32_t index = 0;  // for the kinds that carry one
};

// One enumerator per `canon` production of Binary.md, named after its text form.
enum class CanonKind : uint8_t {
  kLift,
  kLower,
  kResourceNew,
  kResourceDrop,
  kResourceRep,
  kBackpressureInc,
  kBackpressureDec,
  kTaskReturn,
  kTaskCancel,
  kContextGet,
  kContextSet,
  kSubtaskCancel,
  kSubtaskDrop,
  kStreamNew,
  kStreamRead,
  kStreamWrite,
  kStreamCancelRead,
  kStreamCancelWrite,
  kStreamDropReadable,
  kStreamDropWritable,
  kFutureNew,
  kFutureRead,
  kFutureWrite,
  kFutureCancelRead,
  kFutureCancelWrite,
  kFutureDropReadable,
  kFutureDropWritable,
  kErrorContextNew,
  kErrorContextDebugMessage,
  kErrorContextDrop,
  kWaitableSetNew,
  kWaitableSetWait,
  kWaitableSetPoll,
  kWaitableSetDrop,
  kWaitableJoin,
  kThreadIndex,
  kThreadNewIndirect,
  kThreadResumeLater,
  kThreadSuspend,
  kThreadYield,
  kThreadSuspendThenResume,
  kThreadYieldThenResume,
  kThreadSuspendThenPromote,
  kThreadYieldThenPromote,
  kThreadSpawnRef,
  kThreadSpawnIndirect,
  kThreadAvailableParallelism,
};

std::string_view to_string(CanonKind kind);  // "lift", "resource.new", "waitable-set.wait", ...
uint8_t opcode_of(CanonKind kind);           // the leading byte in the binary
// The gated feature a built-in belongs to, or nullopt for the WASI 0.2 ones.
std::optional<Feature> feature_of(CanonKind kind);
// lift defines a component func; every other canon defines a core func.
inline Sort defined_sort(CanonKind kind) {
  return kind == CanonKind::kLift ? Sort::kFunc : Sort::kCoreFunc;
}

// A canonical definition. Which fields are meaningful depends on `kind`; the rest stay zero.
struct Canon {
  size_t offset = 0;
  CanonKind kind = CanonKind::kLift;
  // lift: the core func lifted; lower: the component func lowered.
  uint32_t func_index = 0;
  // lift: the component func type; resource.*: the resource type; stream.* / future.*: the
  // stream or future type; thread.new-indirect, thread.spawn-*: the core func type.
  uint32_t type_index = 0;
  uint32_t table_index = 0;          // thread.new-indirect, thread.spawn-indirect: core table
  uint32_t memory_index = 0;         // waitable-set.wait / poll: core memory
  CoreValType context_type;          // context.get / set
  uint32_t context_slot = 0;         // context.get / set
  bool is_async = false;             // subtask.cancel, {stream,future}.cancel-{read,write}
  bool cancellable = false;          // waitable-set.wait / poll, thread.suspend/yield variants
  bool shared = false;               // thread.spawn-*, thread.available-parallelism
  std::optional<ValType> result;     // task.return
  std::vector<CanonOption> options;  // lift, lower, task.return, *.read, *.write, error-context.*
};

}  // namespace berth::component::binary
