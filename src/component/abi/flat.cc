// Core value cursors and the function-level passing of parameters and results, with the
// MAX_FLAT_PARAMS / MAX_FLAT_RESULTS limits and spilling to memory (lift_flat_values and
// lower_flat_values in the spec).
#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "component/abi/canonical_abi.h"
#include "component/abi/internal.h"

namespace berth::component::abi {
namespace {

using engine::ValType;

Error bad_core_values(std::string message) {
  return Error(ErrorCode::kInvalid, "core values do not match the function type: " + message);
}

float f32_from_bits(uint32_t bits) {
  float f = std::bit_cast<float>(bits);
  return std::isnan(f) ? std::bit_cast<float>(0x7fc00000u) : f;
}

Result<uint32_t> pointer_arg(std::span<const engine::Value> values, size_t index,
                             std::string_view what) {
  if (index >= values.size() || values[index].type != ValType::kI32) {
    return bad_core_values(fmt::format("expected an i32 {} at position {}", what, index));
  }
  return static_cast<uint32_t>(values[index].i32);
}

}  // namespace

Result<engine::Value> FlatReader::next(ValType want) {
  if (pos_ >= values_.size()) {
    return bad_core_values(fmt::format("expected a {} at position {}, there are only {} values",
                                       to_string(want), pos_, values_.size()));
  }
  engine::Value v = values_[pos_++];
  if (v.type == want) return v;
  // CoerceValueIter: a variant payload travels as the join of all cases' core types.
  if (coercing_ > 0) {
    if (v.type == ValType::kI32 && want == ValType::kF32) {
      return engine::Value::from_f32(f32_from_bits(static_cast<uint32_t>(v.i32)));
    }
    if (v.type == ValType::kI64 && want == ValType::kI32) {
      return engine::Value::from_i32(static_cast<int32_t>(static_cast<uint32_t>(v.i64)));
    }
    if (v.type == ValType::kI64 && want == ValType::kF32) {
      return engine::Value::from_f32(f32_from_bits(static_cast<uint32_t>(v.i64)));
    }
    if (v.type == ValType::kI64 && want == ValType::kF64) {
      return engine::Value::from_f64(std::bit_cast<double>(v.i64));
    }
  }
  return bad_core_values(fmt::format("position {} holds a {}, expected a {}", pos_ - 1,
                                     to_string(v.type), to_string(want)));
}

Result<uint32_t> FlatReader::next_i32() {
  BERTH_TRY_ASSIGN(engine::Value v, next(ValType::kI32));
  return static_cast<uint32_t>(v.i32);
}

Result<void> FlatReader::skip_to(size_t position) {
  if (position > values_.size()) {
    return bad_core_values(
        fmt::format("expected {} values, there are only {}", position, values_.size()));
  }
  pos_ = position;
  return {};
}

Result<void> lower_params(LiftLowerContext& cx, const FuncLayout& func, std::span<const Val> args,
                          std::vector<engine::Value>& flat_args) {
  if (args.size() != func.params.size()) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{} arguments given to a function of {} parameters", args.size(),
                             func.params.size()));
  }
  BERTH_TRY(prepare_memory(cx));
  if (!func.params_in_memory) {
    for (size_t i = 0; i < args.size(); ++i) {
      BERTH_TRY(lower_flat_value(cx, *func.params[i], args[i], flat_args));
    }
    return {};
  }
  const TypeLayout& tuple = *func.params_tuple;
  if (!cx.options.memory) {
    return Error(ErrorCode::kInvalid, "spilled parameters need a memory in the canonical options");
  }
  BERTH_TRY_ASSIGN(uint32_t ptr, cx.allocate(tuple.alignment, tuple.size));
  for (size_t i = 0; i < args.size(); ++i) {
    BERTH_TRY(store_value(cx, *func.params[i], args[i], ptr + tuple.field_offsets[i]));
  }
  flat_args.push_back(engine::Value::from_i32(static_cast<int32_t>(ptr)));
  return {};
}

Result<std::optional<Val>> lift_results(LiftLowerContext& cx, const FuncLayout& func,
                                        std::span<const engine::Value> flat_results) {
  cx.begin_lift();
  BERTH_TRY(prepare_memory(cx));
  if (!func.result) {
    if (!flat_results.empty()) return bad_core_values("a function without result returned values");
    if (cx.task) BERTH_TRY(cx.task->check_borrows_dropped());
    return std::optional<Val>();
  }
  Val v;
  if (func.result_in_memory) {
    if (flat_results.size() != 1) return bad_core_values("expected one result pointer");
    BERTH_TRY_ASSIGN(uint32_t ptr, pointer_arg(flat_results, 0, "result pointer"));
    BERTH_TRY(check_value_range(cx, *func.result, ptr, "the returned result"));
    BERTH_TRY_ASSIGN(v, load_value(cx, *func.result, ptr));
  } else {
    FlatReader reader(flat_results);
    BERTH_TRY_ASSIGN(v, lift_flat_value(cx, *func.result, reader));
    if (!reader.done()) return bad_core_values("more results than the function type has");
  }
  // Task.return_: the callee must have dropped every borrow it was lent.
  if (cx.task) BERTH_TRY(cx.task->check_borrows_dropped());
  return std::optional<Val>(std::move(v));
}

Result<std::vector<Val>> lift_params(LiftLowerContext& cx, const FuncLayout& func,
                                     std::span<const engine::Value> flat_args) {
  cx.begin_lift();
  BERTH_TRY(prepare_memory(cx));
  std::vector<Val> args;
  args.reserve(func.params.size());
  if (func.params_in_memory) {
    BERTH_TRY_ASSIGN(uint32_t ptr, pointer_arg(flat_args, 0, "parameter pointer"));
    const TypeLayout& tuple = *func.params_tuple;
    BERTH_TRY(check_value_range(cx, tuple, ptr, "the spilled parameters"));
    for (size_t i = 0; i < func.params.size(); ++i) {
      BERTH_TRY_ASSIGN(Val v, load_value(cx, *func.params[i], ptr + tuple.field_offsets[i]));
      args.push_back(std::move(v));
    }
    return args;
  }
  FlatReader reader(flat_args);
  for (const auto& param : func.params) {
    BERTH_TRY_ASSIGN(Val v, lift_flat_value(cx, *param, reader));
    args.push_back(std::move(v));
  }
  return args;
}

namespace {

Result<void> lower_result_value(LiftLowerContext& cx, const FuncLayout& func,
                                const std::optional<Val>& result,
                                std::span<const engine::Value> flat_args,
                                std::span<engine::Value> flat_results) {
  if (!func.result) {
    if (result) return Error(ErrorCode::kInvalid, "a value returned by a function without result");
    return {};
  }
  if (!result) return Error(ErrorCode::kInvalid, "the function's result is missing");
  BERTH_TRY(prepare_memory(cx));
  if (func.result_in_memory) {
    if (!flat_results.empty()) return bad_core_values("a spilled result has no core results");
    size_t out_index = func.params_in_memory ? 1 : func.flat_params.size();
    BERTH_TRY_ASSIGN(uint32_t ptr, pointer_arg(flat_args, out_index, "result out-pointer"));
    BERTH_TRY(check_value_range(cx, *func.result, ptr, "the result"));
    return store_value(cx, *func.result, *result, ptr);
  }
  std::vector<engine::Value> flat;
  BERTH_TRY(lower_flat_value(cx, *func.result, *result, flat));
  if (flat.size() != flat_results.size()) {
    return bad_core_values(fmt::format("room for {} results, the result flattens into {}",
                                       flat_results.size(), flat.size()));
  }
  std::copy(flat.begin(), flat.end(), flat_results.begin());
  return {};
}

}  // namespace

Result<void> lower_results(LiftLowerContext& cx, const FuncLayout& func,
                           const std::optional<Val>& result,
                           std::span<const engine::Value> flat_args,
                           std::span<engine::Value> flat_results) {
  BERTH_TRY(lower_result_value(cx, func, result, flat_args, flat_results));
  // The call has resolved: the handles lent to it are the caller's again.
  if (cx.subtask) cx.subtask->deliver_resolve();
  return {};
}

Result<void> call_post_return(LiftLowerContext& cx, std::span<const engine::Value> flat_results) {
  if (!cx.options.post_return) return {};
  bool restore_may_leave = cx.instance && cx.instance->may_leave;
  if (cx.instance) cx.instance->may_leave = false;
  Result<void> called = cx.store.call(*cx.options.post_return, flat_results, {});
  if (restore_may_leave) cx.instance->may_leave = true;
  return called;
}

}  // namespace berth::component::abi
