// Shared by lift.cc, lower.cc and flat.cc: the recursive workers behind the public entry points.
// They assume the memory view is fresh and that the caller checked `ptr` (alignment and bounds).
#pragma once

#include <bit>
#include <cmath>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "berth/component/val.h"
#include "berth/engine/types.h"
#include "berth/result.h"
#include "component/abi/canon_options.h"
#include "component/abi/layout.h"

namespace berth::component::abi {

class FlatReader;

Result<Val> load_value(LiftLowerContext& cx, const TypeLayout& layout, uint32_t ptr);
Result<Val> lift_flat_value(LiftLowerContext& cx, const TypeLayout& layout, FlatReader& flat);
Result<void> store_value(LiftLowerContext& cx, const TypeLayout& layout, const Val& value,
                         uint32_t ptr);
Result<void> lower_flat_value(LiftLowerContext& cx, const TypeLayout& layout, const Val& value,
                              std::vector<engine::Value>& out);

// Fetches the memory view when the options have a memory; values without strings and lists
// need none.
Result<void> prepare_memory(LiftLowerContext& cx);
// Traps unless [ptr, ptr + layout.size) is aligned for the layout and inside memory.
Result<void> check_value_range(LiftLowerContext& cx, const TypeLayout& layout, uint32_t ptr,
                               std::string_view what);
// Traps unless a list of `length` elements at `ptr` is within the size limit, aligned for its
// elements and inside memory.
Result<void> check_list_range(LiftLowerContext& cx, const TypeLayout& element, uint32_t ptr,
                              uint32_t length);

// Traps unless `case_index` is a case of the variant, enum, option or result.
Result<void> check_discriminant(const TypeLayout& layout, uint32_t case_index);
// The payload layout of case `case_index`; null when that case has none.
const TypeLayout* case_payload(const TypeLayout& layout, uint32_t case_index);
// Takes guest handle `index` out of the instance's table (own) or lends it to cx.subtask
// (borrow): the resource's rep.
Result<uint32_t> lift_handle_rep(LiftLowerContext& cx, const TypeLayout& layout, uint32_t index);
// Puts `rep` into the instance's table as an own handle, or lends it to cx.task (borrow): the
// handle index.
Result<uint32_t> lower_handle_rep(LiftLowerContext& cx, const TypeLayout& layout, uint32_t rep);

// Inline helpers of every lifting and lowering file.
inline Error trap(std::string message) {
  return Error(ErrorCode::kTrap, std::move(message));
}
// Unaligned little-endian access to linear memory and native structs.
template <typename T>
T read(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename T>
void write(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof v);
}

// Only one NaN per float type crosses a component boundary.
inline float canonical_f32(float f) {
  return std::isnan(f) ? std::bit_cast<float>(0x7fc00000u) : f;
}
inline double canonical_f64(double f) {
  return std::isnan(f) ? std::bit_cast<double>(0x7ff8000000000000ull) : f;
}

// Bit-casts a variant payload's core value to the joined type of its position
// (lower_flat_variant in the spec).
engine::Value coerce_to_joined(engine::Value v, engine::ValType want);

// Core values being produced into a span sized by the function type; one more is an error.
class FlatWriter {
 public:
  explicit FlatWriter(std::span<engine::Value> out) : out_(out) {}
  Result<void> push(engine::Value v) {
    if (size_ == out_.size()) {
      return Error(ErrorCode::kInternal, "more core values than the function type has");
    }
    out_[size_++] = v;
    return {};
  }
  size_t size() const { return size_; }
  engine::Value& operator[](size_t i) { return out_[i]; }

 private:
  std::span<engine::Value> out_;
  size_t size_ = 0;
};

// Flat lifting and lowering refuse types whose flattening was not kept.
Result<void> check_flat_kept(const TypeLayout& layout);

}  // namespace berth::component::abi
