// How the Canonical ABI lays out each component value type: size and alignment in linear memory,
// flattening into core values, field offsets and discriminant sizes. Computed once per Type and
// cached, so lifting and lowering walk precomputed layouts instead of re-deriving them per value.
//
// Only 32-bit memories are supported: pointers and lengths are i32 (memory64 is a later feature).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "berth/component/types.h"
#include "berth/engine/types.h"
#include "berth/result.h"

namespace berth::component::abi {

// Limits from CanonicalABI.md.
inline constexpr uint32_t kMaxFlatParams = 16;
inline constexpr uint32_t kMaxFlatResults = 1;
inline constexpr uint32_t kMaxStringByteLength = (1u << 28) - 1;
inline constexpr uint32_t kMaxListByteLength = (1u << 28) - 1;
// The high bit of a latin1+utf16 string length says the string is UTF-16.
inline constexpr uint32_t kUtf16Tag = 1u << 31;
// Flattenings longer than this are not kept: such values can only travel through memory, since
// function signatures spill anything above 16 core values. Lifting and lowering them flat fails.
inline constexpr uint32_t kMaxKeptFlat = 256;

struct TypeLayout;
using LayoutRef = std::shared_ptr<const TypeLayout>;

struct TypeLayout {
  // The type this layout describes. Not owned: a layout must not outlive its type.
  const Type* type = nullptr;
  ValKind kind = ValKind::kBool;

  uint32_t size = 0;  // elem_size: bytes taken in memory, a multiple of `alignment`
  uint32_t alignment = 1;
  // flatten_type. Empty when flat_count > kMaxKeptFlat.
  std::vector<engine::ValType> flat;
  uint64_t flat_count = 0;

  // record, tuple: one per field. variant, option ({none, some}), result ({ok, error}): one per
  // case, null when the case has no payload. list: {element}. Empty for enum and the rest.
  std::vector<LayoutRef> children;
  std::vector<uint32_t> field_offsets;  // record, tuple

  // Variant-like types (variant, enum, option, result), despecialised as the spec does.
  uint32_t case_count = 0;
  uint32_t discriminant_size = 0;  // 1, 2 or 4 bytes
  uint32_t payload_offset = 0;     // from the start of the value

  uint32_t flag_count = 0;               // flags
  std::optional<uint32_t> fixed_length;  // list<T, N>
  // list whose elements are numbers (s8..f64): memory holds them exactly as a C array would, so
  // they can be copied with memcpy.
  bool number_elements = false;
  const ResourceType* resource = nullptr;  // own, borrow: identity of the resource type
  bool contains_handles = false;           // own or borrow anywhere inside

  const TypeLayout& element() const { return *children.front(); }
};

uint32_t align_to(uint32_t offset, uint32_t alignment);

// The layout of `type`, from a process-wide cache keyed by the Type object. Fails (kInvalid) for
// types the Canonical ABI has no representation for: empty records, tuples, variants and enums,
// flags with no labels or more than 32, list<T, 0>, missing element types, and sizes at or above
// 2^28 bytes.
Result<LayoutRef> layout_of(const TypeRef& type);

// The layout of an anonymous tuple of the given element layouts (used for spilled parameters).
Result<LayoutRef> tuple_layout(std::vector<LayoutRef> elements);

// flatten_functype for a synchronous function: which core signature a `canon lift` callee or a
// `canon lower` import gets, and whether parameters or the result travel through memory.
struct FuncLayout {
  FuncTypeRef type;  // kept alive: the layouts point into it
  std::vector<LayoutRef> params;
  LayoutRef result;                           // null: no result
  std::vector<engine::ValType> flat_params;   // flattened, before the limits (empty if spilled)
  std::vector<engine::ValType> flat_results;  // flattened, before the limits (empty if spilled)
  bool params_in_memory = false;              // more than kMaxFlatParams core values
  bool result_in_memory = false;              // more than kMaxFlatResults core values
  LayoutRef params_tuple;                     // tuple of the parameters (for spilling)

  // The core signature of a `canon lift` callee: spilled params become one pointer, a spilled
  // result is returned as a pointer.
  engine::FuncType lift_core_type() const;
  // The core signature of a `canon lower`ed import: a spilled result becomes a trailing
  // out-pointer parameter and no result.
  engine::FuncType lower_core_type() const;
};
using FuncLayoutRef = std::shared_ptr<const FuncLayout>;

// Not cached: the runtime computes this once per canon definition and keeps it. Async function
// types are refused (kUnsupported).
Result<FuncLayoutRef> func_layout(FuncTypeRef type);

}  // namespace berth::component::abi
