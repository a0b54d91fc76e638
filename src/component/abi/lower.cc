// Lowering: Vals into linear memory (store) and core values (lower_flat). Every Val is checked
// against its type on the way: the host must not be able to write garbage into a guest.
#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstring>

#include "component/abi/canonical_abi.h"
#include "component/abi/internal.h"
#include "component/abi/strings.h"

namespace berth::component::abi {
namespace {

using engine::ValType;

Error invalid(std::string message) {
  return Error(ErrorCode::kInvalid, std::move(message));
}

std::string type_name(const TypeLayout& layout) {
  return layout.type ? to_string(*layout.type) : to_string(layout.kind);
}

Error mismatch(const TypeLayout& layout, const Val& value, std::string_view why = "") {
  return invalid(
      fmt::format("value does not match type {}: {}", type_name(layout),
                  why.empty() ? fmt::format("got a {}", to_string(value.kind)) : std::string(why)));
}

uint32_t f32_bits(float f) {
  return std::isnan(f) ? 0x7fc00000u : std::bit_cast<uint32_t>(f);
}
uint64_t f64_bits(double f) {
  return std::isnan(f) ? 0x7ff8000000000000ull : std::bit_cast<uint64_t>(f);
}

template <ValKind K>
bool in_range(const Val& v) {
  if constexpr (K == ValKind::kS8) return v.i >= INT8_MIN && v.i <= INT8_MAX;
  if constexpr (K == ValKind::kU8) return v.u <= UINT8_MAX;
  if constexpr (K == ValKind::kS16) return v.i >= INT16_MIN && v.i <= INT16_MAX;
  if constexpr (K == ValKind::kU16) return v.u <= UINT16_MAX;
  if constexpr (K == ValKind::kS32) return v.i >= INT32_MIN && v.i <= INT32_MAX;
  if constexpr (K == ValKind::kU32) return v.u <= UINT32_MAX;
  return true;
}

// The integer or float bits of a number Val, as stored in memory (sizeof = element size).
template <ValKind K>
auto number_bits(const Val& v) {
  if constexpr (K == ValKind::kS8) return static_cast<int8_t>(v.i);
  if constexpr (K == ValKind::kU8) return static_cast<uint8_t>(v.u);
  if constexpr (K == ValKind::kS16) return static_cast<int16_t>(v.i);
  if constexpr (K == ValKind::kU16) return static_cast<uint16_t>(v.u);
  if constexpr (K == ValKind::kS32) return static_cast<int32_t>(v.i);
  if constexpr (K == ValKind::kU32) return static_cast<uint32_t>(v.u);
  if constexpr (K == ValKind::kS64) return v.i;
  if constexpr (K == ValKind::kU64) return v.u;
  if constexpr (K == ValKind::kF32) return f32_bits(v.f32);
  if constexpr (K == ValKind::kF64) return f64_bits(v.f64);
}

Error number_error(const TypeLayout& layout, const Val& v) {
  if (v.kind != layout.kind) return mismatch(layout, v);
  bool is_signed =
      layout.kind == ValKind::kS8 || layout.kind == ValKind::kS16 || layout.kind == ValKind::kS32;
  return mismatch(
      layout, v,
      is_signed ? fmt::format("{} is out of range", v.i) : fmt::format("{} is out of range", v.u));
}

// list<number> elements given as Vals, written straight into memory.
template <ValKind K>
Result<void> store_number_items(const TypeLayout& element, const std::vector<Val>& items,
                                uint8_t* out) {
  using Bits = decltype(number_bits<K>(Val()));
  for (size_t i = 0; i < items.size(); ++i) {
    const Val& item = items[i];
    if (item.kind != K || !in_range<K>(item)) return number_error(element, item);
    write<Bits>(out + i * sizeof(Bits), number_bits<K>(item));
  }
  return {};
}

Result<void> store_numbers(const TypeLayout& element, const std::vector<Val>& items, uint8_t* out) {
  switch (element.kind) {
    case ValKind::kS8:
      return store_number_items<ValKind::kS8>(element, items, out);
    case ValKind::kU8:
      return store_number_items<ValKind::kU8>(element, items, out);
    case ValKind::kS16:
      return store_number_items<ValKind::kS16>(element, items, out);
    case ValKind::kU16:
      return store_number_items<ValKind::kU16>(element, items, out);
    case ValKind::kS32:
      return store_number_items<ValKind::kS32>(element, items, out);
    case ValKind::kU32:
      return store_number_items<ValKind::kU32>(element, items, out);
    case ValKind::kS64:
      return store_number_items<ValKind::kS64>(element, items, out);
    case ValKind::kU64:
      return store_number_items<ValKind::kU64>(element, items, out);
    case ValKind::kF32:
      return store_number_items<ValKind::kF32>(element, items, out);
    case ValKind::kF64:
      return store_number_items<ValKind::kF64>(element, items, out);
    default:
      return Error(ErrorCode::kInternal, "not a number type");
  }
}

// Checks a scalar Val (kind and range) and returns its bits zero- or sign-extended to 64.
Result<uint64_t> scalar_bits(const TypeLayout& layout, const Val& v) {
  if (v.kind != layout.kind) return mismatch(layout, v);
  switch (layout.kind) {
    case ValKind::kBool:
      return uint64_t{v.b ? 1u : 0u};
    case ValKind::kS8:
      if (!in_range<ValKind::kS8>(v)) return number_error(layout, v);
      return static_cast<uint64_t>(v.i);
    case ValKind::kU8:
      if (!in_range<ValKind::kU8>(v)) return number_error(layout, v);
      return v.u;
    case ValKind::kS16:
      if (!in_range<ValKind::kS16>(v)) return number_error(layout, v);
      return static_cast<uint64_t>(v.i);
    case ValKind::kU16:
      if (!in_range<ValKind::kU16>(v)) return number_error(layout, v);
      return v.u;
    case ValKind::kS32:
      if (!in_range<ValKind::kS32>(v)) return number_error(layout, v);
      return static_cast<uint64_t>(v.i);
    case ValKind::kU32:
      if (!in_range<ValKind::kU32>(v)) return number_error(layout, v);
      return v.u;
    case ValKind::kS64:
      return static_cast<uint64_t>(v.i);
    case ValKind::kU64:
      return v.u;
    case ValKind::kF32:
      return uint64_t{f32_bits(v.f32)};
    case ValKind::kF64:
      return f64_bits(v.f64);
    case ValKind::kChar:
      if (v.u >= 0x110000 || (v.u >= 0xd800 && v.u <= 0xdfff)) {
        return mismatch(layout, v, fmt::format("invalid char code point 0x{:X}", v.u));
      }
      return v.u;
    default:
      return Error(ErrorCode::kInternal, "not a scalar type");
  }
}

// A list value in either form: its element count, checked against the element type.
Result<uint32_t> list_length(const TypeLayout& list, const Val& v) {
  if (v.kind != ValKind::kList) return mismatch(list, v);
  const TypeLayout& element = list.element();
  size_t count = v.items.size();
  if (!v.packed.empty()) {
    if (!list.number_elements) {
      return mismatch(list, v, "a packed list needs number elements");
    }
    if (!v.items.empty()) return mismatch(list, v, "the list has both items and packed bytes");
    if (v.packed.size() % element.size != 0) {
      return mismatch(list, v,
                      fmt::format("{} packed bytes are not a whole number of {}-byte elements",
                                  v.packed.size(), element.size));
    }
    count = v.packed.size() / element.size;
  }
  if (list.fixed_length && count != *list.fixed_length) {
    return mismatch(list, v, fmt::format("{} elements, expected {}", count, *list.fixed_length));
  }
  if (uint64_t{count} * element.size > kMaxListByteLength) {
    return mismatch(list, v,
                    fmt::format("{} elements exceed the maximum list byte length of {}", count,
                                kMaxListByteLength));
  }
  return static_cast<uint32_t>(count);
}

// Element `index` of a packed list as a Val, for the slow paths (flat lowering of fixed-length
// lists, which are short).
Val packed_item(const TypeLayout& element, const std::vector<uint8_t>& bytes, uint32_t index) {
  const uint8_t* p = bytes.data() + size_t{index} * element.size;
  Val v;
  v.kind = element.kind;
  switch (element.kind) {
    case ValKind::kS8:
      v.i = static_cast<int8_t>(p[0]);
      break;
    case ValKind::kS16:
      v.i = static_cast<int16_t>(p[0] | p[1] << 8);
      break;
    case ValKind::kS32: {
      int32_t x;
      std::memcpy(&x, p, 4);
      v.i = x;
      break;
    }
    case ValKind::kF32:
      std::memcpy(&v.f32, p, 4);
      break;
    case ValKind::kF64:
      std::memcpy(&v.f64, p, 8);
      break;
    case ValKind::kS64:
      std::memcpy(&v.i, p, 8);
      break;
    default: {
      uint64_t x = 0;
      std::memcpy(&x, p, element.size);
      v.u = x;
    }
  }
  return v;
}

// Validates a variant-like value and returns its case index and payload (null when none).
Result<std::pair<uint32_t, const Val*>> variant_case(const TypeLayout& layout, const Val& v) {
  if (v.kind != layout.kind) return mismatch(layout, v);
  uint32_t case_index = v.discriminant;
  if (case_index >= layout.case_count) {
    return mismatch(layout, v,
                    fmt::format("case {} of a type with {} cases", case_index, layout.case_count));
  }
  bool wants_payload = case_index < layout.children.size() && layout.children[case_index];
  if (v.items.size() > 1 || v.has_payload() != wants_payload) {
    return mismatch(layout, v,
                    wants_payload ? fmt::format("case {} needs a payload", case_index)
                                  : fmt::format("case {} has no payload", case_index));
  }
  return std::pair<uint32_t, const Val*>{case_index, wants_payload ? &v.payload() : nullptr};
}

Result<uint32_t> flags_word(const TypeLayout& layout, const Val& v) {
  if (v.kind != ValKind::kFlags) return mismatch(layout, v);
  uint32_t word = v.flag_bits.empty() ? 0 : v.flag_bits[0];
  bool stray = (layout.flag_count < 32 && (word >> layout.flag_count) != 0);
  for (size_t i = 1; i < v.flag_bits.size(); ++i) stray |= v.flag_bits[i] != 0;
  if (stray) {
    return mismatch(layout, v,
                    fmt::format("a flag beyond the {} the type has is set", layout.flag_count));
  }
  return word;
}

Result<uint32_t> lower_handle(LiftLowerContext& cx, const TypeLayout& layout, const Val& v) {
  if (v.kind != layout.kind) return mismatch(layout, v);
  if (!v.handle || !v.handle->type) return mismatch(layout, v, "the value holds no handle");
  if (v.handle->type.get() != layout.resource) {
    return mismatch(layout, v, fmt::format("the handle is a {}", v.handle->type->name));
  }
  return lower_handle_rep(cx, layout, v.handle->rep);
}

Error unsupported(const TypeLayout& layout) {
  return Error(ErrorCode::kUnsupported,
               fmt::format("{} values need the asynchronous component model, which berth's "
                           "Canonical ABI does not implement yet",
                           to_string(layout.kind)));
}

Result<void> require_memory(LiftLowerContext& cx, const char* what) {
  if (!cx.options.memory) {
    return invalid(fmt::format("lowering a {} needs a memory in the canonical options", what));
  }
  return {};
}

// Elements stored at `ptr`, which has room for `count` of them.
Result<void> store_elements(LiftLowerContext& cx, const TypeLayout& list, const Val& v,
                            uint32_t ptr, uint32_t count) {
  const TypeLayout& element = list.element();
  if (count == 0) return {};
  if (!v.packed.empty()) {
    std::memcpy(cx.memory_data() + ptr, v.packed.data(), v.packed.size());
    return {};
  }
  if (list.number_elements) return store_numbers(element, v.items, cx.memory_data() + ptr);
  for (uint32_t i = 0; i < count; ++i) {
    BERTH_TRY(store_value(cx, element, v.items[i], ptr + i * element.size));
  }
  return {};
}

// store_list_into_range: allocates room for the elements and stores them.
Result<std::pair<uint32_t, uint32_t>> store_list_into_range(LiftLowerContext& cx,
                                                            const TypeLayout& list, const Val& v) {
  BERTH_TRY(require_memory(cx, "list"));
  BERTH_TRY_ASSIGN(uint32_t count, list_length(list, v));
  const TypeLayout& element = list.element();
  BERTH_TRY_ASSIGN(uint32_t ptr, cx.allocate(element.alignment, count * element.size));
  BERTH_TRY(store_elements(cx, list, v, ptr, count));
  return std::pair<uint32_t, uint32_t>{ptr, count};
}

Result<std::pair<uint32_t, uint32_t>> store_string(LiftLowerContext& cx, const TypeLayout& layout,
                                                   const Val& v) {
  if (v.kind != ValKind::kString) return mismatch(layout, v);
  BERTH_TRY(require_memory(cx, "string"));
  return store_string_into_range(cx, v.str);
}

}  // namespace

Result<uint32_t> lower_handle_rep(LiftLowerContext& cx, const TypeLayout& layout, uint32_t rep) {
  if (!cx.instance) return invalid("lowering a resource handle needs the instance's handle table");
  if (layout.kind == ValKind::kOwn) return lower_own(*cx.instance, layout.type->resource, rep);
  return lower_borrow(*cx.instance, cx.task, layout.type->resource, rep);
}

engine::Value coerce_to_joined(engine::Value v, ValType want) {
  if (v.type == want) return v;
  uint32_t low =
      v.type == ValType::kF32 ? std::bit_cast<uint32_t>(v.f32) : static_cast<uint32_t>(v.i32);
  if (want == ValType::kI32) return engine::Value::from_i32(static_cast<int32_t>(low));
  // want is i64: i32 and f32 zero-extend, f64 reinterprets.
  if (v.type == ValType::kF64) return engine::Value::from_i64(std::bit_cast<int64_t>(v.f64));
  return engine::Value::from_i64(static_cast<int64_t>(uint64_t{low}));
}

Result<void> store_value(LiftLowerContext& cx, const TypeLayout& layout, const Val& v,
                         uint32_t ptr) {
  switch (layout.kind) {
    case ValKind::kBool:
    case ValKind::kS8:
    case ValKind::kU8:
    case ValKind::kS16:
    case ValKind::kU16:
    case ValKind::kS32:
    case ValKind::kU32:
    case ValKind::kS64:
    case ValKind::kU64:
    case ValKind::kF32:
    case ValKind::kF64:
    case ValKind::kChar: {
      BERTH_TRY_ASSIGN(uint64_t bits, scalar_bits(layout, v));
      std::memcpy(cx.memory_data() + ptr, &bits, layout.size);
      return {};
    }
    case ValKind::kString: {
      BERTH_TRY_ASSIGN(auto range, store_string(cx, layout, v));
      write(cx.memory_data() + ptr, range.first);
      write(cx.memory_data() + ptr + 4, range.second);
      return {};
    }
    case ValKind::kList: {
      if (layout.fixed_length) {
        BERTH_TRY_ASSIGN(uint32_t count, list_length(layout, v));
        return store_elements(cx, layout, v, ptr, count);
      }
      BERTH_TRY_ASSIGN(auto range, store_list_into_range(cx, layout, v));
      write(cx.memory_data() + ptr, range.first);
      write(cx.memory_data() + ptr + 4, range.second);
      return {};
    }
    case ValKind::kRecord:
    case ValKind::kTuple: {
      if (v.kind != layout.kind) return mismatch(layout, v);
      if (v.items.size() != layout.children.size()) {
        return mismatch(
            layout, v,
            fmt::format("{} fields, expected {}", v.items.size(), layout.children.size()));
      }
      for (size_t i = 0; i < layout.children.size(); ++i) {
        BERTH_TRY(store_value(cx, *layout.children[i], v.items[i], ptr + layout.field_offsets[i]));
      }
      return {};
    }
    case ValKind::kVariant:
    case ValKind::kEnum:
    case ValKind::kOption:
    case ValKind::kResult: {
      BERTH_TRY_ASSIGN(auto c, variant_case(layout, v));
      std::memcpy(cx.memory_data() + ptr, &c.first, layout.discriminant_size);
      if (c.second) {
        BERTH_TRY(
            store_value(cx, *layout.children[c.first], *c.second, ptr + layout.payload_offset));
      }
      return {};
    }
    case ValKind::kFlags: {
      BERTH_TRY_ASSIGN(uint32_t word, flags_word(layout, v));
      std::memcpy(cx.memory_data() + ptr, &word, layout.size);
      return {};
    }
    case ValKind::kOwn:
    case ValKind::kBorrow: {
      BERTH_TRY_ASSIGN(uint32_t index, lower_handle(cx, layout, v));
      write(cx.memory_data() + ptr, index);
      return {};
    }
    case ValKind::kStream:
    case ValKind::kFuture:
    case ValKind::kErrorContext:
      return unsupported(layout);
  }
  return Error(ErrorCode::kInternal, "unknown value kind");
}

Result<void> lower_flat_value(LiftLowerContext& cx, const TypeLayout& layout, const Val& v,
                              std::vector<engine::Value>& out) {
  auto push_i32 = [&out](uint32_t x) {
    out.push_back(engine::Value::from_i32(static_cast<int32_t>(x)));
  };
  switch (layout.kind) {
    case ValKind::kBool:
    case ValKind::kS8:
    case ValKind::kU8:
    case ValKind::kS16:
    case ValKind::kU16:
    case ValKind::kS32:
    case ValKind::kU32:
    case ValKind::kChar: {
      BERTH_TRY_ASSIGN(uint64_t bits, scalar_bits(layout, v));
      push_i32(static_cast<uint32_t>(bits));
      return {};
    }
    case ValKind::kS64:
    case ValKind::kU64: {
      BERTH_TRY_ASSIGN(uint64_t bits, scalar_bits(layout, v));
      out.push_back(engine::Value::from_i64(static_cast<int64_t>(bits)));
      return {};
    }
    case ValKind::kF32: {
      BERTH_TRY_ASSIGN(uint64_t bits, scalar_bits(layout, v));
      out.push_back(engine::Value::from_f32(std::bit_cast<float>(static_cast<uint32_t>(bits))));
      return {};
    }
    case ValKind::kF64: {
      BERTH_TRY_ASSIGN(uint64_t bits, scalar_bits(layout, v));
      out.push_back(engine::Value::from_f64(std::bit_cast<double>(bits)));
      return {};
    }
    case ValKind::kString: {
      BERTH_TRY_ASSIGN(auto range, store_string(cx, layout, v));
      push_i32(range.first);
      push_i32(range.second);
      return {};
    }
    case ValKind::kList: {
      if (layout.fixed_length) {
        BERTH_TRY(list_length(layout, v));
        for (uint32_t i = 0; i < *layout.fixed_length; ++i) {
          if (v.packed.empty()) {
            BERTH_TRY(lower_flat_value(cx, layout.element(), v.items[i], out));
          } else {
            BERTH_TRY(lower_flat_value(cx, layout.element(),
                                       packed_item(layout.element(), v.packed, i), out));
          }
        }
        return {};
      }
      BERTH_TRY_ASSIGN(auto range, store_list_into_range(cx, layout, v));
      push_i32(range.first);
      push_i32(range.second);
      return {};
    }
    case ValKind::kRecord:
    case ValKind::kTuple: {
      if (v.kind != layout.kind) return mismatch(layout, v);
      if (v.items.size() != layout.children.size()) {
        return mismatch(
            layout, v,
            fmt::format("{} fields, expected {}", v.items.size(), layout.children.size()));
      }
      for (size_t i = 0; i < layout.children.size(); ++i) {
        BERTH_TRY(lower_flat_value(cx, *layout.children[i], v.items[i], out));
      }
      return {};
    }
    case ValKind::kVariant:
    case ValKind::kEnum:
    case ValKind::kOption:
    case ValKind::kResult: {
      BERTH_TRY_ASSIGN(auto c, variant_case(layout, v));
      push_i32(c.first);
      size_t start = out.size();
      if (c.second) BERTH_TRY(lower_flat_value(cx, *layout.children[c.first], *c.second, out));
      // layout.flat is {i32 discriminant, joined payload types...}.
      for (size_t i = start; i < out.size(); ++i) {
        out[i] = coerce_to_joined(out[i], layout.flat[1 + i - start]);
      }
      for (size_t i = out.size() - start + 1; i < layout.flat.size(); ++i) {
        out.push_back(engine::Value::zero(layout.flat[i]));
      }
      return {};
    }
    case ValKind::kFlags: {
      BERTH_TRY_ASSIGN(uint32_t word, flags_word(layout, v));
      push_i32(word);
      return {};
    }
    case ValKind::kOwn:
    case ValKind::kBorrow: {
      BERTH_TRY_ASSIGN(uint32_t index, lower_handle(cx, layout, v));
      push_i32(index);
      return {};
    }
    case ValKind::kStream:
    case ValKind::kFuture:
    case ValKind::kErrorContext:
      return unsupported(layout);
  }
  return Error(ErrorCode::kInternal, "unknown value kind");
}

Result<void> store(LiftLowerContext& cx, const TypeLayout& layout, const Val& value, uint32_t ptr) {
  BERTH_TRY(prepare_memory(cx));
  BERTH_TRY(check_value_range(cx, layout, ptr, "a value"));
  return store_value(cx, layout, value, ptr);
}

Result<void> store(LiftLowerContext& cx, const TypeRef& type, const Val& value, uint32_t ptr) {
  BERTH_TRY_ASSIGN(LayoutRef layout, layout_of(type));
  return store(cx, *layout, value, ptr);
}

Result<void> lower_flat(LiftLowerContext& cx, const TypeLayout& layout, const Val& value,
                        std::vector<engine::Value>& out) {
  BERTH_TRY(check_flat_kept(layout));
  BERTH_TRY(prepare_memory(cx));
  return lower_flat_value(cx, layout, value, out);
}

Result<void> lower_flat(LiftLowerContext& cx, const TypeRef& type, const Val& value,
                        std::vector<engine::Value>& out) {
  BERTH_TRY_ASSIGN(LayoutRef layout, layout_of(type));
  return lower_flat(cx, *layout, value, out);
}

}  // namespace berth::component::abi
