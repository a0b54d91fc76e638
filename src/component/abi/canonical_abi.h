// The Canonical ABI (synchronous): lifting core values and linear memory into component values
// (Val) and lowering Vals back, for every value type, and the function-level parameter and result
// passing with its 16 / 1 flattening limits.
//
// Errors: kTrap for everything the spec traps on (bad pointers, invalid UTF-8, discriminants,
// char code points, handle misuse; the messages follow the spec's checks), kInvalid for a Val
// that does not match its type or options that lack a memory/realloc the value needs, and
// kUnsupported for stream, future and error-context values. A failed lowering may leave
// allocations and handles behind in the guest: the runtime treats it as a trap of the call.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "berth/component/native.h"
#include "berth/component/types.h"
#include "berth/component/val.h"
#include "berth/engine/types.h"
#include "berth/result.h"
#include "component/abi/canon_options.h"
#include "component/abi/handle_table.h"
#include "component/abi/layout.h"

namespace berth::component::abi {

// A cursor over core values being lifted (the spec's CoreValueIter). Inside a variant payload it
// also performs the spec's CoerceValueIter conversions from the joined core types.
class FlatReader {
 public:
  explicit FlatReader(std::span<const engine::Value> values) : values_(values) {}

  bool done() const { return pos_ == values_.size(); }
  size_t position() const { return pos_; }

  Result<engine::Value> next(engine::ValType want);
  Result<uint32_t> next_i32();

  // For variants: lifting a payload allows the joined types; afterwards the rest of the joined
  // values is skipped.
  void begin_coercion() { ++coercing_; }
  void end_coercion() { --coercing_; }
  Result<void> skip_to(size_t position);

 private:
  std::span<const engine::Value> values_;
  size_t pos_ = 0;
  uint32_t coercing_ = 0;
};

// --- Single values ---

Result<Val> lift_flat(LiftLowerContext& cx, const TypeRef& type, FlatReader& flat);
Result<Val> lift_flat(LiftLowerContext& cx, const TypeLayout& layout, FlatReader& flat);
// Appends the core values of `value` to `out`.
Result<void> lower_flat(LiftLowerContext& cx, const TypeRef& type, const Val& value,
                        std::vector<engine::Value>& out);
Result<void> lower_flat(LiftLowerContext& cx, const TypeLayout& layout, const Val& value,
                        std::vector<engine::Value>& out);
// `ptr` must be aligned for the type and the value must lie inside memory (else a trap).
Result<Val> load(LiftLowerContext& cx, const TypeRef& type, uint32_t ptr);
Result<Val> load(LiftLowerContext& cx, const TypeLayout& layout, uint32_t ptr);
Result<void> store(LiftLowerContext& cx, const TypeRef& type, const Val& value, uint32_t ptr);
Result<void> store(LiftLowerContext& cx, const TypeLayout& layout, const Val& value, uint32_t ptr);

// --- Functions ---
// A `canon lift`ed export called from outside (host or another component), with cx.task set
// when parameters may hold borrows:
//   lower_params -> call the core callee -> lift_results (traps if the callee kept a borrow, as
//   Task.return_ does) -> call_post_return.
// A `canon lower`ed import called by the guest, with cx.subtask set when parameters may hold
// borrows:
//   lift_params (lends the borrowed handles) -> run the callee -> lower_results (gives them back,
//   as Subtask.deliver_resolve does).

// Appends the core arguments for the callee: the flat values, or one pointer to a tuple that
// realloc allocated when they exceed kMaxFlatParams.
Result<void> lower_params(LiftLowerContext& cx, const FuncLayout& func, std::span<const Val> args,
                          std::vector<engine::Value>& flat_args);
// Lifts the callee's core results (flat, or a pointer to the result when it spilled).
Result<std::optional<Val>> lift_results(LiftLowerContext& cx, const FuncLayout& func,
                                        std::span<const engine::Value> flat_results);
// Lifts the guest's core arguments of an import call (flat, or a pointer to the spilled tuple).
Result<std::vector<Val>> lift_params(LiftLowerContext& cx, const FuncLayout& func,
                                     std::span<const engine::Value> flat_args);
// Lowers an import's result for the guest: into `flat_results` (sized by lower_core_type()), or,
// when it spills, into the memory the guest's trailing out-pointer argument points to.
Result<void> lower_results(LiftLowerContext& cx, const FuncLayout& func,
                           const std::optional<Val>& result,
                           std::span<const engine::Value> flat_args,
                           std::span<engine::Value> flat_results);
// Runs the post-return function (if the options have one) on the callee's core results, with
// the instance marked as not leavable.
Result<void> call_post_return(LiftLowerContext& cx, std::span<const engine::Value> flat_results);

// --- Host functions in native form (berth/component/native.h) ---
// The same passing as lift_params / lower_results, with native structs instead of Vals.

// Lifts the guest's core arguments of an import call into the parameter struct at `dst`
// (params.size zeroed bytes). UTF-8 strings and lists of integers become views into linear
// memory, registered with `arena`; other strings and lists are built in the arena.
Result<void> lift_params_native(LiftLowerContext& cx, const FuncLayout& func,
                                const NativeType& params, std::span<const engine::Value> flat_args,
                                uint8_t* dst, NativeArena& arena, NativeHandles& handles);
// Lowers the native result at `src`, which check_native must have accepted, for the guest. No
// guest code may have run since lift_params_native on the same `cx` (its memory view is reused).
// [lent_base, lent_base + lent_size) is the linear memory as it was during the call: views into
// it are read from where those bytes are after realloc has run.
Result<void> lower_results_native(LiftLowerContext& cx, const FuncLayout& func,
                                  const NativeType* result, const uint8_t* src,
                                  NativeHandles& handles, const uint8_t* lent_base,
                                  uint64_t lent_size, std::span<const engine::Value> flat_args,
                                  std::span<engine::Value> flat_results);

// The callee side of a fused component-to-component call, where the parameter struct came from
// lift_params_native on the caller's side: lowers it for the lifted callee into `flat_args`
// (sized by lift_core_type(): flat values, or one pointer to a tuple allocated with the callee's
// realloc), lending borrows to cx.task.
Result<void> lower_params_native(LiftLowerContext& cx, const FuncLayout& func,
                                 const NativeType& params, const uint8_t* src,
                                 NativeHandles& handles, std::span<engine::Value> flat_args);
// Lifts the callee's core results into the native struct at `dst` (result.size zeroed bytes):
// UTF-8 strings and lists of integers become views into the callee's memory, valid until its
// post-return runs.
Result<void> lift_results_native(LiftLowerContext& cx, const FuncLayout& func,
                                 const NativeType& result,
                                 std::span<const engine::Value> flat_results, uint8_t* dst,
                                 NativeArena& arena, NativeHandles& handles);

// Functions whose parameters are all numbers or bools and whose result (if any) is a number
// skip all of that: each core value is copied into its field of the parameter struct and the
// result read back, with no memory, handles or checks involved.
struct NativeScalarPlan {
  struct Slot {
    ValKind kind;
    uint32_t offset;  // in the native struct
  };
  std::vector<Slot> params;
  std::optional<Slot> result;
};
std::optional<NativeScalarPlan> native_scalar_plan(const FuncLayout& func, const NativeType& params,
                                                   const NativeType* result);
// `dst` has params.size bytes; `flat_args` matches the function's core type.
void lift_scalar_params(const NativeScalarPlan& plan, std::span<const engine::Value> flat_args,
                        uint8_t* dst);
engine::Value lower_scalar_result(const NativeScalarPlan& plan, const uint8_t* src);

// --- Strings ---

// Copies a string from one instance's memory to another's in a single pass, transcoding from the
// source's encoding with exactly the spec's store_string allocation sequence (the source
// encoding and code-unit count decide the realloc sizes). Returns the destination's
// (pointer, tagged code units). For fused component-to-component calls; lifting to a Val always
// goes through UTF-8.
Result<std::pair<uint32_t, uint32_t>> copy_string(LiftLowerContext& source, uint32_t ptr,
                                                  uint32_t tagged_code_units,
                                                  LiftLowerContext& destination);

}  // namespace berth::component::abi
