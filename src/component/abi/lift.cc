// Lifting: linear memory (load) and core values (lift_flat) into Vals.
#include <fmt/format.h>

#include <bit>
#include <cmath>
#include <cstring>

#include "component/abi/canonical_abi.h"
#include "component/abi/internal.h"
#include "component/abi/strings.h"

namespace berth::component::abi {
namespace {

Result<Val> lift_char(uint32_t i) {
  if (i >= 0x110000 || (i >= 0xd800 && i <= 0xdfff)) {
    return trap(fmt::format("invalid char code point 0x{:X}", i));
  }
  return Val::character(i);
}

Val lift_flags(const TypeLayout& layout, uint32_t bits) {
  // Bits above the last label carry no flag and are ignored, as unpack_flags_from_int does.
  if (layout.flag_count < 32) bits &= (1u << layout.flag_count) - 1;
  return Val::flags({bits});
}

Error unsupported(const TypeLayout& layout) {
  return Error(ErrorCode::kUnsupported,
               fmt::format("{} values need the asynchronous component model, which berth's "
                           "Canonical ABI does not implement yet",
                           to_string(layout.kind)));
}

Result<void> require_memory(LiftLowerContext& cx, const char* what) {
  if (!cx.options.memory) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("lifting a {} needs a memory in the canonical options", what));
  }
  return {};
}

// Lists of numbers: one Val per element without touching the generic path.
template <typename T, typename Make>
void fill_numbers(std::vector<Val>& items, const uint8_t* p, uint32_t count, Make make) {
  items.reserve(count);
  for (uint32_t i = 0; i < count; ++i) items.push_back(make(read<T>(p + i * sizeof(T))));
}

void lift_number_items(ValKind kind, const uint8_t* p, uint32_t count, std::vector<Val>& items) {
  switch (kind) {
    case ValKind::kS8:
      fill_numbers<int8_t>(items, p, count, Val::s8);
      break;
    case ValKind::kU8:
      fill_numbers<uint8_t>(items, p, count, Val::u8);
      break;
    case ValKind::kS16:
      fill_numbers<int16_t>(items, p, count, Val::s16);
      break;
    case ValKind::kU16:
      fill_numbers<uint16_t>(items, p, count, Val::u16);
      break;
    case ValKind::kS32:
      fill_numbers<int32_t>(items, p, count, Val::s32);
      break;
    case ValKind::kU32:
      fill_numbers<uint32_t>(items, p, count, Val::u32);
      break;
    case ValKind::kS64:
      fill_numbers<int64_t>(items, p, count, Val::s64);
      break;
    case ValKind::kU64:
      fill_numbers<uint64_t>(items, p, count, Val::u64);
      break;
    case ValKind::kF32:
      fill_numbers<float>(items, p, count, [](float f) { return Val::float32(canonical_f32(f)); });
      break;
    case ValKind::kF64:
      fill_numbers<double>(items, p, count,
                           [](double f) { return Val::float64(canonical_f64(f)); });
      break;
    default:
      break;
  }
}

void canonicalize_packed(ValKind kind, std::vector<uint8_t>& bytes) {
  if (kind == ValKind::kF32) {
    for (size_t off = 0; off < bytes.size(); off += 4) {
      float f = canonical_f32(read<float>(bytes.data() + off));
      std::memcpy(bytes.data() + off, &f, 4);
    }
  } else if (kind == ValKind::kF64) {
    for (size_t off = 0; off < bytes.size(); off += 8) {
      double f = canonical_f64(read<double>(bytes.data() + off));
      std::memcpy(bytes.data() + off, &f, 8);
    }
  }
}

Val variant_value(const TypeLayout& layout, uint32_t case_index, std::optional<Val> payload) {
  switch (layout.kind) {
    case ValKind::kEnum:
      return Val::enumeration(case_index);
    case ValKind::kOption:
      return case_index == 0 ? Val::none() : Val::some(std::move(*payload));
    case ValKind::kResult:
      return case_index == 0 ? Val::ok(std::move(payload)) : Val::err(std::move(payload));
    default:
      return Val::variant(case_index, std::move(payload));
  }
}

Result<Val> lift_handle(LiftLowerContext& cx, const TypeLayout& layout, uint32_t index) {
  BERTH_TRY_ASSIGN(uint32_t rep, lift_handle_rep(cx, layout, index));
  Val v;
  v.kind = layout.kind;
  v.handle = std::make_shared<ResourceHandle>(
      ResourceHandle{.type = layout.type->resource, .rep = rep, .table_index = index});
  return v;
}

// Elements of a list already known to lie, aligned, inside memory.
Result<Val> load_elements(LiftLowerContext& cx, const TypeLayout& list, uint32_t ptr,
                          uint32_t count) {
  const TypeLayout& element = list.element();
  Val v;
  v.kind = ValKind::kList;
  bool pack = list.number_elements && cx.pack_number_lists;
  BERTH_TRY(cx.charge_lift(pack ? uint64_t{count} * element.size : uint64_t{count} * sizeof(Val)));
  if (list.number_elements) {
    const uint8_t* p = cx.memory_data() + ptr;
    if (pack) {
      v.packed.assign(p, p + size_t{count} * element.size);
      canonicalize_packed(element.kind, v.packed);
    } else {
      lift_number_items(element.kind, p, count, v.items);
    }
    return v;
  }
  v.items.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    BERTH_TRY_ASSIGN(Val item, load_value(cx, element, ptr + i * element.size));
    v.items.push_back(std::move(item));
  }
  return v;
}

Result<Val> load_list_from_range(LiftLowerContext& cx, const TypeLayout& list, uint32_t ptr,
                                 uint32_t length) {
  BERTH_TRY(require_memory(cx, "list"));
  BERTH_TRY(check_list_range(cx, list.element(), ptr, length));
  return load_elements(cx, list, ptr, length);
}

Result<Val> lift_string(LiftLowerContext& cx, uint32_t ptr, uint32_t tagged_code_units) {
  BERTH_TRY(require_memory(cx, "string"));
  BERTH_TRY_ASSIGN(std::string text, load_string_from_range(cx, ptr, tagged_code_units));
  BERTH_TRY(cx.charge_lift(text.size()));
  return Val::string(std::move(text));
}

}  // namespace

Result<void> check_discriminant(const TypeLayout& layout, uint32_t case_index) {
  if (case_index >= layout.case_count) {
    return trap(fmt::format("invalid {} discriminant {}", to_string(layout.kind), case_index));
  }
  return {};
}

const TypeLayout* case_payload(const TypeLayout& layout, uint32_t case_index) {
  return case_index < layout.children.size() ? layout.children[case_index].get() : nullptr;
}

Result<uint32_t> lift_handle_rep(LiftLowerContext& cx, const TypeLayout& layout, uint32_t index) {
  if (!cx.instance) {
    return Error(ErrorCode::kInvalid,
                 "lifting a resource handle needs the instance's handle table");
  }
  if (layout.kind == ValKind::kOwn) return lift_own(*cx.instance, *layout.resource, index);
  return lift_borrow(*cx.instance, cx.subtask, *layout.resource, index);
}

Result<Val> load_value(LiftLowerContext& cx, const TypeLayout& layout, uint32_t ptr) {
  const uint8_t* p = cx.memory_data() + ptr;
  switch (layout.kind) {
    case ValKind::kBool:
      return Val::boolean(p[0] != 0);
    case ValKind::kS8:
      return Val::s8(read<int8_t>(p));
    case ValKind::kU8:
      return Val::u8(p[0]);
    case ValKind::kS16:
      return Val::s16(read<int16_t>(p));
    case ValKind::kU16:
      return Val::u16(read<uint16_t>(p));
    case ValKind::kS32:
      return Val::s32(read<int32_t>(p));
    case ValKind::kU32:
      return Val::u32(read<uint32_t>(p));
    case ValKind::kS64:
      return Val::s64(read<int64_t>(p));
    case ValKind::kU64:
      return Val::u64(read<uint64_t>(p));
    case ValKind::kF32:
      return Val::float32(canonical_f32(read<float>(p)));
    case ValKind::kF64:
      return Val::float64(canonical_f64(read<double>(p)));
    case ValKind::kChar:
      return lift_char(read<uint32_t>(p));
    case ValKind::kString:
      return lift_string(cx, read<uint32_t>(p), read<uint32_t>(p + 4));
    case ValKind::kList:
      if (layout.fixed_length) return load_elements(cx, layout, ptr, *layout.fixed_length);
      return load_list_from_range(cx, layout, read<uint32_t>(p), read<uint32_t>(p + 4));
    case ValKind::kRecord:
    case ValKind::kTuple: {
      Val v;
      v.kind = layout.kind;
      v.items.reserve(layout.children.size());
      for (size_t i = 0; i < layout.children.size(); ++i) {
        BERTH_TRY_ASSIGN(Val field,
                         load_value(cx, *layout.children[i], ptr + layout.field_offsets[i]));
        v.items.push_back(std::move(field));
      }
      return v;
    }
    case ValKind::kVariant:
    case ValKind::kEnum:
    case ValKind::kOption:
    case ValKind::kResult: {
      uint32_t case_index = layout.discriminant_size == 1   ? p[0]
                            : layout.discriminant_size == 2 ? read<uint16_t>(p)
                                                            : read<uint32_t>(p);
      BERTH_TRY(check_discriminant(layout, case_index));
      std::optional<Val> payload;
      if (const TypeLayout* c = case_payload(layout, case_index)) {
        BERTH_TRY_ASSIGN(payload, load_value(cx, *c, ptr + layout.payload_offset));
      }
      return variant_value(layout, case_index, std::move(payload));
    }
    case ValKind::kFlags: {
      uint32_t bits = layout.size == 1   ? p[0]
                      : layout.size == 2 ? read<uint16_t>(p)
                                         : read<uint32_t>(p);
      return lift_flags(layout, bits);
    }
    case ValKind::kOwn:
    case ValKind::kBorrow:
      return lift_handle(cx, layout, read<uint32_t>(p));
    case ValKind::kStream:
    case ValKind::kFuture:
    case ValKind::kErrorContext:
      return unsupported(layout);
  }
  return Error(ErrorCode::kInternal, "unknown value kind");
}

Result<Val> lift_flat_value(LiftLowerContext& cx, const TypeLayout& layout, FlatReader& flat) {
  using engine::ValType;
  switch (layout.kind) {
    case ValKind::kBool: {
      BERTH_TRY_ASSIGN(uint32_t i, flat.next_i32());
      return Val::boolean(i != 0);
    }
    case ValKind::kS8:
    case ValKind::kU8:
    case ValKind::kS16:
    case ValKind::kU16:
    case ValKind::kS32:
    case ValKind::kU32: {
      // Narrow integers ignore the unused high bits of the i32.
      BERTH_TRY_ASSIGN(uint32_t i, flat.next_i32());
      switch (layout.kind) {
        case ValKind::kS8:
          return Val::s8(static_cast<int8_t>(i));
        case ValKind::kU8:
          return Val::u8(static_cast<uint8_t>(i));
        case ValKind::kS16:
          return Val::s16(static_cast<int16_t>(i));
        case ValKind::kU16:
          return Val::u16(static_cast<uint16_t>(i));
        case ValKind::kS32:
          return Val::s32(static_cast<int32_t>(i));
        default:
          return Val::u32(i);
      }
    }
    case ValKind::kS64:
    case ValKind::kU64: {
      BERTH_TRY_ASSIGN(engine::Value v, flat.next(ValType::kI64));
      return layout.kind == ValKind::kS64 ? Val::s64(v.i64)
                                          : Val::u64(static_cast<uint64_t>(v.i64));
    }
    case ValKind::kF32: {
      BERTH_TRY_ASSIGN(engine::Value v, flat.next(ValType::kF32));
      return Val::float32(canonical_f32(v.f32));
    }
    case ValKind::kF64: {
      BERTH_TRY_ASSIGN(engine::Value v, flat.next(ValType::kF64));
      return Val::float64(canonical_f64(v.f64));
    }
    case ValKind::kChar: {
      BERTH_TRY_ASSIGN(uint32_t i, flat.next_i32());
      return lift_char(i);
    }
    case ValKind::kString: {
      BERTH_TRY_ASSIGN(uint32_t ptr, flat.next_i32());
      BERTH_TRY_ASSIGN(uint32_t units, flat.next_i32());
      return lift_string(cx, ptr, units);
    }
    case ValKind::kList: {
      if (layout.fixed_length) {
        Val v;
        v.kind = ValKind::kList;
        v.items.reserve(*layout.fixed_length);
        for (uint32_t i = 0; i < *layout.fixed_length; ++i) {
          BERTH_TRY_ASSIGN(Val item, lift_flat_value(cx, layout.element(), flat));
          v.items.push_back(std::move(item));
        }
        return v;
      }
      BERTH_TRY_ASSIGN(uint32_t ptr, flat.next_i32());
      BERTH_TRY_ASSIGN(uint32_t length, flat.next_i32());
      return load_list_from_range(cx, layout, ptr, length);
    }
    case ValKind::kRecord:
    case ValKind::kTuple: {
      Val v;
      v.kind = layout.kind;
      v.items.reserve(layout.children.size());
      for (const auto& field : layout.children) {
        BERTH_TRY_ASSIGN(Val item, lift_flat_value(cx, *field, flat));
        v.items.push_back(std::move(item));
      }
      return v;
    }
    case ValKind::kVariant:
    case ValKind::kEnum:
    case ValKind::kOption:
    case ValKind::kResult: {
      size_t start = flat.position();
      BERTH_TRY_ASSIGN(uint32_t case_index, flat.next_i32());
      BERTH_TRY(check_discriminant(layout, case_index));
      std::optional<Val> payload;
      if (const TypeLayout* c = case_payload(layout, case_index)) {
        // The payload was flattened into the joined types of all cases.
        flat.begin_coercion();
        Result<Val> lifted = lift_flat_value(cx, *c, flat);
        flat.end_coercion();
        if (!lifted) return std::move(lifted).error();
        payload = std::move(lifted).value();
      }
      BERTH_TRY(flat.skip_to(start + layout.flat_count));
      return variant_value(layout, case_index, std::move(payload));
    }
    case ValKind::kFlags: {
      BERTH_TRY_ASSIGN(uint32_t bits, flat.next_i32());
      return lift_flags(layout, bits);
    }
    case ValKind::kOwn:
    case ValKind::kBorrow: {
      BERTH_TRY_ASSIGN(uint32_t index, flat.next_i32());
      return lift_handle(cx, layout, index);
    }
    case ValKind::kStream:
    case ValKind::kFuture:
    case ValKind::kErrorContext:
      return unsupported(layout);
  }
  return Error(ErrorCode::kInternal, "unknown value kind");
}

Result<void> check_list_range(LiftLowerContext& cx, const TypeLayout& element, uint32_t ptr,
                              uint32_t length) {
  uint64_t byte_length = uint64_t{length} * element.size;
  if (byte_length > kMaxListByteLength) {
    return trap(fmt::format("list byte length {} exceeds the maximum of {}", byte_length,
                            kMaxListByteLength));
  }
  if (ptr % element.alignment != 0) {
    return trap(
        fmt::format("unaligned list pointer 0x{:x} (alignment {})", ptr, element.alignment));
  }
  if (!cx.in_bounds(ptr, byte_length)) {
    return trap(
        fmt::format("list pointer/length out of bounds of memory (0x{:x} + {} bytes, "
                    "memory is {} bytes)",
                    ptr, byte_length, cx.memory_size()));
  }
  return {};
}

Result<void> prepare_memory(LiftLowerContext& cx) {
  if (cx.options.memory) BERTH_TRY(cx.refresh_memory());
  return {};
}

Result<void> check_value_range(LiftLowerContext& cx, const TypeLayout& layout, uint32_t ptr,
                               std::string_view what) {
  if (!cx.options.memory) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{} in memory needs a memory in the canonical options", what));
  }
  if (ptr % layout.alignment != 0) {
    return trap(
        fmt::format("unaligned pointer 0x{:x} for {} (alignment {})", ptr, what, layout.alignment));
  }
  if (!cx.in_bounds(ptr, layout.size)) {
    return trap(
        fmt::format("pointer 0x{:x} for {} of {} bytes is out of bounds of memory "
                    "({} bytes)",
                    ptr, what, layout.size, cx.memory_size()));
  }
  return {};
}

Result<void> check_flat_kept(const TypeLayout& layout) {
  if (layout.flat_count > kMaxKeptFlat) {
    return Error(ErrorCode::kUnsupported,
                 fmt::format("a value that flattens into {} core values can only be passed "
                             "through memory",
                             layout.flat_count));
  }
  return {};
}

Result<Val> load(LiftLowerContext& cx, const TypeLayout& layout, uint32_t ptr) {
  cx.begin_lift();
  BERTH_TRY(prepare_memory(cx));
  BERTH_TRY(check_value_range(cx, layout, ptr, "a value"));
  return load_value(cx, layout, ptr);
}

Result<Val> load(LiftLowerContext& cx, const TypeRef& type, uint32_t ptr) {
  BERTH_TRY_ASSIGN(LayoutRef layout, layout_of(type));
  return load(cx, *layout, ptr);
}

Result<Val> lift_flat(LiftLowerContext& cx, const TypeLayout& layout, FlatReader& flat) {
  BERTH_TRY(check_flat_kept(layout));
  cx.begin_lift();
  BERTH_TRY(prepare_memory(cx));
  return lift_flat_value(cx, layout, flat);
}

Result<Val> lift_flat(LiftLowerContext& cx, const TypeRef& type, FlatReader& flat) {
  BERTH_TRY_ASSIGN(LayoutRef layout, layout_of(type));
  return lift_flat(cx, *layout, flat);
}

}  // namespace berth::component::abi
