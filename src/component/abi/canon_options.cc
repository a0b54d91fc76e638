#include "component/abi/canon_options.h"

#include <fmt/format.h>

#include "component/abi/handle_table.h"

namespace berth::component::abi {

Result<void> LiftLowerContext::refresh_memory() {
  if (!options.memory) {
    return Error(ErrorCode::kInvalid,
                 "the canonical options name no memory, but the value "
                 "needs linear memory");
  }
  view_ = store.memory_view(*options.memory);
  return {};
}

Result<void> LiftLowerContext::charge_lift(uint64_t bytes) {
  lifted_bytes_ += bytes;
  if (lifted_bytes_ > max_lift_bytes) {
    return Error(ErrorCode::kLimit,
                 fmt::format("lifting the value needs more than {} bytes of host memory "
                             "(max_lift_bytes)",
                             max_lift_bytes));
  }
  return {};
}

Result<uint32_t> LiftLowerContext::reallocate(uint32_t old_ptr, uint32_t old_size,
                                              uint32_t alignment, uint32_t new_size) {
  if (!options.realloc) {
    return Error(ErrorCode::kInvalid,
                 "the canonical options name no realloc, but lowering the "
                 "value needs to allocate guest memory");
  }
  engine::Value args[] = {
      engine::Value::from_i32(static_cast<int32_t>(old_ptr)),
      engine::Value::from_i32(static_cast<int32_t>(old_size)),
      engine::Value::from_i32(static_cast<int32_t>(alignment)),
      engine::Value::from_i32(static_cast<int32_t>(new_size)),
  };
  engine::Value result;
  // realloc runs as if the instance could not be left, like post-return.
  bool restore_may_leave = instance && instance->may_leave;
  if (instance) instance->may_leave = false;
  Result<void> called = store.call(*options.realloc, args, std::span<engine::Value>(&result, 1));
  if (restore_may_leave) instance->may_leave = true;
  BERTH_TRY(called);
  BERTH_TRY(refresh_memory());
  if (result.type != engine::ValType::kI32) {
    return Error(ErrorCode::kInvalid, "realloc must return an i32");
  }
  auto ptr = static_cast<uint32_t>(result.i32);
  if (ptr % alignment != 0) {
    return Error(
        ErrorCode::kTrap,
        fmt::format("realloc returned an unaligned pointer 0x{:x} (alignment {})", ptr, alignment));
  }
  if (!in_bounds(ptr, new_size)) {
    return Error(ErrorCode::kTrap,
                 fmt::format("realloc returned a pointer out of bounds of memory (0x{:x} + {} "
                             "bytes, memory is {} bytes)",
                             ptr, new_size, memory_size()));
  }
  return ptr;
}

}  // namespace berth::component::abi
