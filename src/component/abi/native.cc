// The Canonical ABI for host functions in native form (berth/component/native.h): the guest's
// core arguments and linear memory straight into native parameter structs, and native results
// straight back into the guest, with no Val in between.
//
// Lifting applies the same rules as lift.cc (bounds, alignment, UTF-8, chars, discriminants,
// handle transfer) and lowering trusts only what check_native accepted. UTF-8 strings and lists of
// integers are lent to native code as views into linear memory: no guest code runs during the
// native call, so memory cannot move under them.
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

bool is_integer(ValKind kind) {
  switch (kind) {
    case ValKind::kS8:
    case ValKind::kU8:
    case ValKind::kS16:
    case ValKind::kU16:
    case ValKind::kS32:
    case ValKind::kU32:
    case ValKind::kS64:
    case ValKind::kU64:
      return true;
    default:
      return false;
  }
}

Error no_native_form(const TypeLayout& layout) {
  return Error(ErrorCode::kUnsupported,
               fmt::format("{} values have no native form", to_string(layout.kind)));
}

// --- Guest -> native ---

class NativeLifter {
 public:
  NativeLifter(LiftLowerContext& cx, NativeArena& arena, NativeHandles& handles)
      : cx_(cx), arena_(arena), handles_(handles) {}

  Result<void> load(const TypeLayout& layout, const NativeType& native, uint32_t ptr,
                    uint8_t* dst) {
    const uint8_t* p = cx_.memory_data() + ptr;
    switch (layout.kind) {
      case ValKind::kBool:
        dst[0] = p[0] != 0 ? 1 : 0;
        return {};
      case ValKind::kS8:
      case ValKind::kU8:
      case ValKind::kS16:
      case ValKind::kU16:
      case ValKind::kS32:
      case ValKind::kU32:
      case ValKind::kS64:
      case ValKind::kU64:
        std::memcpy(dst, p, layout.size);
        return {};
      case ValKind::kF32:
        write(dst, canonical_f32(read<float>(p)));
        return {};
      case ValKind::kF64:
        write(dst, canonical_f64(read<double>(p)));
        return {};
      case ValKind::kChar:
        return character(read<uint32_t>(p), dst);
      case ValKind::kString:
        return string(read<uint32_t>(p), read<uint32_t>(p + 4), dst);
      case ValKind::kList:
        if (layout.fixed_length) return elements(layout, native, ptr, *layout.fixed_length, dst);
        return list(layout, native, read<uint32_t>(p), read<uint32_t>(p + 4), dst);
      case ValKind::kRecord:
      case ValKind::kTuple:
        for (size_t i = 0; i < layout.children.size(); ++i) {
          BERTH_TRY(load(*layout.children[i], *native.members[i].type,
                         ptr + layout.field_offsets[i], dst + native.members[i].offset));
        }
        return {};
      case ValKind::kVariant:
      case ValKind::kEnum:
      case ValKind::kOption:
      case ValKind::kResult: {
        uint32_t case_index = layout.discriminant_size == 1   ? p[0]
                              : layout.discriminant_size == 2 ? read<uint16_t>(p)
                                                              : read<uint32_t>(p);
        BERTH_TRY(tag(layout, native, case_index, dst));
        const TypeLayout* payload = case_payload(layout, case_index);
        if (!payload) return {};
        const NativeType::Member& m = native.members[case_index];
        return load(*payload, *m.type, ptr + layout.payload_offset, dst + m.offset);
      }
      case ValKind::kFlags: {
        uint32_t bits = layout.size == 1   ? p[0]
                        : layout.size == 2 ? read<uint16_t>(p)
                                           : read<uint32_t>(p);
        return flags(layout, bits, dst);
      }
      case ValKind::kOwn:
      case ValKind::kBorrow:
        return handle(layout, native, read<uint32_t>(p), dst);
      default:
        return no_native_form(layout);
    }
  }

  Result<void> lift_flat(const TypeLayout& layout, const NativeType& native, FlatReader& flat,
                         uint8_t* dst) {
    switch (layout.kind) {
      case ValKind::kBool: {
        BERTH_TRY_ASSIGN(uint32_t i, flat.next_i32());
        dst[0] = i != 0 ? 1 : 0;
        return {};
      }
      case ValKind::kS8:
      case ValKind::kU8:
      case ValKind::kS16:
      case ValKind::kU16:
      case ValKind::kS32:
      case ValKind::kU32: {
        // Narrow integers keep the low bytes of the i32 (little-endian, like the native side).
        BERTH_TRY_ASSIGN(uint32_t i, flat.next_i32());
        std::memcpy(dst, &i, native.size);
        return {};
      }
      case ValKind::kS64:
      case ValKind::kU64: {
        BERTH_TRY_ASSIGN(engine::Value v, flat.next(ValType::kI64));
        write(dst, v.i64);
        return {};
      }
      case ValKind::kF32: {
        BERTH_TRY_ASSIGN(engine::Value v, flat.next(ValType::kF32));
        write(dst, canonical_f32(v.f32));
        return {};
      }
      case ValKind::kF64: {
        BERTH_TRY_ASSIGN(engine::Value v, flat.next(ValType::kF64));
        write(dst, canonical_f64(v.f64));
        return {};
      }
      case ValKind::kChar: {
        BERTH_TRY_ASSIGN(uint32_t i, flat.next_i32());
        return character(i, dst);
      }
      case ValKind::kString: {
        BERTH_TRY_ASSIGN(uint32_t ptr, flat.next_i32());
        BERTH_TRY_ASSIGN(uint32_t units, flat.next_i32());
        return string(ptr, units, dst);
      }
      case ValKind::kList: {
        if (layout.fixed_length) {
          const NativeType& element = *native.element;
          for (uint32_t i = 0; i < *layout.fixed_length; ++i) {
            BERTH_TRY(lift_flat(layout.element(), element, flat, dst + i * element.size));
          }
          return {};
        }
        BERTH_TRY_ASSIGN(uint32_t ptr, flat.next_i32());
        BERTH_TRY_ASSIGN(uint32_t length, flat.next_i32());
        return list(layout, native, ptr, length, dst);
      }
      case ValKind::kRecord:
      case ValKind::kTuple:
        for (size_t i = 0; i < layout.children.size(); ++i) {
          BERTH_TRY(lift_flat(*layout.children[i], *native.members[i].type, flat,
                              dst + native.members[i].offset));
        }
        return {};
      case ValKind::kVariant:
      case ValKind::kEnum:
      case ValKind::kOption:
      case ValKind::kResult: {
        size_t start = flat.position();
        BERTH_TRY_ASSIGN(uint32_t case_index, flat.next_i32());
        BERTH_TRY(tag(layout, native, case_index, dst));
        const TypeLayout* payload = case_payload(layout, case_index);
        if (payload) {
          // The payload was flattened into the joined types of all cases.
          const NativeType::Member& m = native.members[case_index];
          flat.begin_coercion();
          Result<void> lifted = lift_flat(*payload, *m.type, flat, dst + m.offset);
          flat.end_coercion();
          BERTH_TRY(lifted);
        }
        return flat.skip_to(start + layout.flat_count);
      }
      case ValKind::kFlags: {
        BERTH_TRY_ASSIGN(uint32_t bits, flat.next_i32());
        return flags(layout, bits, dst);
      }
      case ValKind::kOwn:
      case ValKind::kBorrow: {
        BERTH_TRY_ASSIGN(uint32_t index, flat.next_i32());
        return handle(layout, native, index, dst);
      }
      default:
        return no_native_form(layout);
    }
  }

 private:
  Result<void> character(uint32_t c, uint8_t* dst) {
    if (c >= 0x110000 || (c >= 0xd800 && c <= 0xdfff)) {
      return trap(fmt::format("invalid char code point 0x{:X}", c));
    }
    write(dst, c);
    return {};
  }

  Result<void> tag(const TypeLayout& layout, const NativeType& native, uint32_t case_index,
                   uint8_t* dst) {
    BERTH_TRY(check_discriminant(layout, case_index));
    if (native.tag_size == 1) {
      dst[0] = static_cast<uint8_t>(case_index);
    } else {
      write(dst, case_index);  // variant and enum: uint32_t
    }
    return {};
  }

  Result<void> flags(const TypeLayout& layout, uint32_t bits, uint8_t* dst) {
    // Bits above the last label carry no flag and are ignored, as unpack_flags_from_int does.
    if (layout.flag_count < 32) bits &= (1u << layout.flag_count) - 1;
    write(dst, bits);
    return {};
  }

  Result<void> handle(const TypeLayout& layout, const NativeType& native, uint32_t index,
                      uint8_t* dst) {
    BERTH_TRY_ASSIGN(uint32_t rep, lift_handle_rep(cx_, layout, index));
    BERTH_TRY_ASSIGN(NativeRep native_rep, handles_.to_native(native, *layout.resource, rep));
    write(dst, native_rep);
    return {};
  }

  Result<void> string(uint32_t ptr, uint32_t tagged_code_units, uint8_t* dst) {
    if (!cx_.options.memory) {
      return Error(ErrorCode::kInvalid, "lifting a string needs a memory in the canonical options");
    }
    std::string transcoded;
    BERTH_TRY_ASSIGN(std::string_view text,
                     view_string_from_range(cx_, ptr, tagged_code_units, transcoded));
    NativeStr out{text.data(), text.size()};
    if (!transcoded.empty()) {
      char* copy = static_cast<char*>(arena_.alloc(transcoded.size(), 1));
      if (copy == nullptr) return Error(ErrorCode::kLimit, "a string argument does not fit");
      std::memcpy(copy, transcoded.data(), transcoded.size());
      out.ptr = copy;
    }
    arena_.add_view(out.ptr, out.len);
    write(dst, out);
    return {};
  }

  Result<void> list(const TypeLayout& layout, const NativeType& native, uint32_t ptr,
                    uint32_t length, uint8_t* dst) {
    if (!cx_.options.memory) {
      return Error(ErrorCode::kInvalid, "lifting a list needs a memory in the canonical options");
    }
    const TypeLayout& element = layout.element();
    BERTH_TRY(check_list_range(cx_, element, ptr, length));
    uint64_t byte_length = uint64_t{length} * element.size;
    if (is_integer(element.kind)) {
      // Integers in linear memory are already a C array (little-endian host).
      NativeList out{cx_.memory_data() + ptr, length};
      arena_.add_view(out.ptr, byte_length);
      write(dst, out);
      return {};
    }
    const NativeType& native_element = *native.element;
    auto* base = static_cast<uint8_t*>(
        arena_.alloc(size_t{length} * native_element.size, native_element.align));
    if (base == nullptr && length != 0 && native_element.size != 0) {
      return Error(ErrorCode::kLimit, "a list argument does not fit in the call arena");
    }
    BERTH_TRY(elements(layout, native, ptr, length, base));
    write(dst, NativeList{base, length});
    return {};
  }

  Result<void> elements(const TypeLayout& layout, const NativeType& native, uint32_t ptr,
                        uint32_t count, uint8_t* dst) {
    const TypeLayout& element = layout.element();
    const NativeType& native_element = *native.element;
    for (uint32_t i = 0; i < count; ++i) {
      BERTH_TRY(load(element, native_element, ptr + i * element.size,
                     dst + size_t{i} * native_element.size));
    }
    return {};
  }

  LiftLowerContext& cx_;
  NativeArena& arena_;
  NativeHandles& handles_;
};

// --- Native -> guest ---

// Lowers native values that check_native accepted. Strings and lists that point into the guest's
// memory as it was during the call (argument views a function handed back) are read at their
// place in the current memory: realloc may have grown and moved it since.
class NativeLowerer {
 public:
  NativeLowerer(LiftLowerContext& cx, NativeHandles& handles, const uint8_t* lent_base,
                uint64_t lent_size)
      : cx_(cx), handles_(handles), lent_base_(lent_base), lent_size_(lent_size) {}

  Result<void> store(const TypeLayout& layout, const NativeType& native, const uint8_t* src,
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
      case ValKind::kChar:
        std::memcpy(cx_.memory_data() + ptr, src, layout.size);
        return {};
      case ValKind::kF32:
        write(cx_.memory_data() + ptr, canonical_f32(read<float>(src)));
        return {};
      case ValKind::kF64:
        write(cx_.memory_data() + ptr, canonical_f64(read<double>(src)));
        return {};
      case ValKind::kString: {
        BERTH_TRY_ASSIGN(auto range, string(read<NativeStr>(src)));
        write(cx_.memory_data() + ptr, range.first);
        write(cx_.memory_data() + ptr + 4, range.second);
        return {};
      }
      case ValKind::kList: {
        if (layout.fixed_length) {
          const NativeType& element = *native.element;
          for (uint32_t i = 0; i < *layout.fixed_length; ++i) {
            BERTH_TRY(store(layout.element(), element, src + size_t{i} * element.size,
                            ptr + i * layout.element().size));
          }
          return {};
        }
        BERTH_TRY_ASSIGN(auto range, list(layout, native, read<NativeList>(src)));
        write(cx_.memory_data() + ptr, range.first);
        write(cx_.memory_data() + ptr + 4, range.second);
        return {};
      }
      case ValKind::kRecord:
      case ValKind::kTuple:
        for (size_t i = 0; i < layout.children.size(); ++i) {
          BERTH_TRY(store(*layout.children[i], *native.members[i].type,
                          src + native.members[i].offset, ptr + layout.field_offsets[i]));
        }
        return {};
      case ValKind::kVariant:
      case ValKind::kEnum:
      case ValKind::kOption:
      case ValKind::kResult: {
        uint32_t case_index = native_case(native, src);
        std::memcpy(cx_.memory_data() + ptr, &case_index, layout.discriminant_size);
        const TypeLayout* payload = case_payload(layout, case_index);
        if (!payload) return {};
        const NativeType::Member& m = native.members[case_index];
        return store(*payload, *m.type, src + m.offset, ptr + layout.payload_offset);
      }
      case ValKind::kFlags: {
        uint32_t bits = read<uint32_t>(src);
        std::memcpy(cx_.memory_data() + ptr, &bits, layout.size);
        return {};
      }
      case ValKind::kOwn:
      case ValKind::kBorrow: {
        BERTH_TRY_ASSIGN(uint32_t index, handle(layout, native, src));
        write(cx_.memory_data() + ptr, index);
        return {};
      }
      default:
        return no_native_form(layout);
    }
  }

  // The core values of a value, appended to `out` (lower_flat for native values).: a scalar,
  // possibly inside one-field records, tuples and one-element lists, or a variant whose cases carry
  // no payload.
  Result<void> flat(const TypeLayout& layout, const NativeType& native, const uint8_t* src,
                    FlatWriter& out) {
    auto i32 = [](uint32_t v) { return engine::Value::from_i32(static_cast<int32_t>(v)); };
    switch (layout.kind) {
      case ValKind::kBool:
      case ValKind::kU8:
        return out.push(i32(src[0]));
      case ValKind::kS8:
        return out.push(i32(static_cast<uint32_t>(static_cast<int32_t>(read<int8_t>(src)))));
      case ValKind::kU16:
        return out.push(i32(read<uint16_t>(src)));
      case ValKind::kS16:
        return out.push(i32(static_cast<uint32_t>(static_cast<int32_t>(read<int16_t>(src)))));
      case ValKind::kS32:
      case ValKind::kU32:
      case ValKind::kChar:
      case ValKind::kFlags:
        return out.push(i32(read<uint32_t>(src)));
      case ValKind::kS64:
      case ValKind::kU64:
        return out.push(engine::Value::from_i64(read<int64_t>(src)));
      case ValKind::kF32:
        return out.push(engine::Value::from_f32(canonical_f32(read<float>(src))));
      case ValKind::kF64:
        return out.push(engine::Value::from_f64(canonical_f64(read<double>(src))));
      case ValKind::kString: {
        BERTH_TRY_ASSIGN(auto range, string(read<NativeStr>(src)));
        BERTH_TRY(out.push(i32(range.first)));
        return out.push(i32(range.second));
      }
      case ValKind::kList: {
        if (layout.fixed_length) {
          const NativeType& element = *native.element;
          for (uint32_t i = 0; i < *layout.fixed_length; ++i) {
            BERTH_TRY(flat(layout.element(), element, src + size_t{i} * element.size, out));
          }
          return {};
        }
        BERTH_TRY_ASSIGN(auto range, list(layout, native, read<NativeList>(src)));
        BERTH_TRY(out.push(i32(range.first)));
        return out.push(i32(range.second));
      }
      case ValKind::kRecord:
      case ValKind::kTuple:
        for (size_t i = 0; i < layout.children.size(); ++i) {
          BERTH_TRY(flat(*layout.children[i], *native.members[i].type,
                         src + native.members[i].offset, out));
        }
        return {};
      case ValKind::kVariant:
      case ValKind::kEnum:
      case ValKind::kOption:
      case ValKind::kResult: {
        uint32_t case_index = native_case(native, src);
        BERTH_TRY(out.push(i32(case_index)));
        size_t start = out.size();
        const TypeLayout* payload = case_payload(layout, case_index);
        if (payload) {
          const NativeType::Member& m = native.members[case_index];
          BERTH_TRY(flat(*payload, *m.type, src + m.offset, out));
        }
        // layout.flat is {i32 discriminant, joined payload types...}.
        for (size_t i = start; i < out.size(); ++i) {
          out[i] = coerce_to_joined(out[i], layout.flat[1 + i - start]);
        }
        for (size_t i = out.size() - start + 1; i < layout.flat.size(); ++i) {
          BERTH_TRY(out.push(engine::Value::zero(layout.flat[i])));
        }
        return {};
      }
      case ValKind::kOwn:
      case ValKind::kBorrow: {
        BERTH_TRY_ASSIGN(uint32_t index, handle(layout, native, src));
        return out.push(i32(index));
      }
      default:
        return no_native_form(layout);
    }
  }

 private:
  bool lent(const void* ptr, size_t size) const {
    auto p = static_cast<const uint8_t*>(ptr);
    return lent_base_ != nullptr && p >= lent_base_ && size <= lent_size_ &&
           static_cast<uint64_t>(p - lent_base_) <= lent_size_ - size;
  }
  // A pointer into the guest's memory as lent to the call, moved to where that byte is now.
  const uint8_t* current(const void* ptr, size_t size) const {
    auto p = static_cast<const uint8_t*>(ptr);
    return lent(ptr, size) ? cx_.memory_data() + (p - lent_base_) : p;
  }

  Result<std::pair<uint32_t, uint32_t>> string(NativeStr s) {
    if (lent(s.ptr, s.len)) {
      // Guest memory may move while the copy allocates: take the bytes out first.
      std::string copy(reinterpret_cast<const char*>(current(s.ptr, s.len)), s.len);
      return store_string_into_range(cx_, copy);
    }
    return store_string_into_range(cx_, std::string_view(s.ptr, s.len));
  }

  Result<std::pair<uint32_t, uint32_t>> list(const TypeLayout& layout, const NativeType& native,
                                             NativeList list) {
    const TypeLayout& element = layout.element();
    const NativeType& native_element = *native.element;
    uint64_t byte_length = uint64_t{list.len} * element.size;
    if (byte_length > kMaxListByteLength) {
      return trap(fmt::format("list byte length {} exceeds the maximum of {}", byte_length,
                              kMaxListByteLength));
    }
    BERTH_TRY_ASSIGN(uint32_t ptr,
                     cx_.allocate(element.alignment, static_cast<uint32_t>(byte_length)));
    auto len = static_cast<uint32_t>(list.len);
    if (is_integer(element.kind)) {
      if (byte_length != 0) {
        std::memcpy(cx_.memory_data() + ptr, current(list.ptr, byte_length), byte_length);
      }
      return std::pair{ptr, len};
    }
    const auto* base = static_cast<const uint8_t*>(list.ptr);
    for (uint32_t i = 0; i < len; ++i) {
      BERTH_TRY(store(element, native_element, base + size_t{i} * native_element.size,
                      ptr + i * element.size));
    }
    return std::pair{ptr, len};
  }

  // An own handle moves into the instance's table; a borrow (a parameter of a fused call) is
  // lent to the callee's task.
  Result<uint32_t> handle(const TypeLayout& layout, const NativeType& native, const uint8_t* src) {
    BERTH_TRY_ASSIGN(uint32_t rep, handles_.from_native(native, read<NativeRep>(src)));
    return lower_handle_rep(cx_, layout, rep);
  }

  LiftLowerContext& cx_;
  NativeHandles& handles_;
  const uint8_t* lent_base_;
  uint64_t lent_size_;
};

bool is_number(ValKind kind) {
  return packed_number_size(kind) != 0;
}

}  // namespace

Result<void> lower_params_native(LiftLowerContext& cx, const FuncLayout& func,
                                 const NativeType& params, const uint8_t* src,
                                 NativeHandles& handles, std::span<engine::Value> flat_args) {
  BERTH_TRY(prepare_memory(cx));
  // The views in `src` point into the caller's memory, which the callee's realloc cannot move.
  NativeLowerer lowerer(cx, handles, nullptr, 0);
  if (func.params_in_memory) {
    if (!cx.options.memory) {
      return Error(ErrorCode::kInvalid,
                   "spilled parameters need a memory in the canonical options");
    }
    if (flat_args.size() != 1) {
      return Error(ErrorCode::kInternal, "spilled parameters take one core value");
    }
    const TypeLayout& tuple = *func.params_tuple;
    BERTH_TRY_ASSIGN(uint32_t ptr, cx.allocate(tuple.alignment, tuple.size));
    for (size_t i = 0; i < func.params.size(); ++i) {
      BERTH_TRY(lowerer.store(*func.params[i], *params.members[i].type,
                              src + params.members[i].offset, ptr + tuple.field_offsets[i]));
    }
    flat_args[0] = engine::Value::from_i32(static_cast<int32_t>(ptr));
    return {};
  }
  FlatWriter out(flat_args);
  for (size_t i = 0; i < func.params.size(); ++i) {
    BERTH_TRY(lowerer.flat(*func.params[i], *params.members[i].type, src + params.members[i].offset,
                           out));
  }
  if (out.size() != flat_args.size()) {
    return Error(ErrorCode::kInternal, "fewer core values than the function type has");
  }
  return {};
}

Result<void> lift_results_native(LiftLowerContext& cx, const FuncLayout& func,
                                 const NativeType& result,
                                 std::span<const engine::Value> flat_results, uint8_t* dst,
                                 NativeArena& arena, NativeHandles& handles) {
  if (!func.result) return {};
  cx.begin_lift();
  BERTH_TRY(prepare_memory(cx));
  NativeLifter lifter(cx, arena, handles);
  if (func.result_in_memory) {
    if (flat_results.size() != 1 || flat_results[0].type != ValType::kI32) {
      return Error(ErrorCode::kInvalid,
                   "core values do not match the function type: expected a result pointer");
    }
    auto ptr = static_cast<uint32_t>(flat_results[0].i32);
    BERTH_TRY(check_value_range(cx, *func.result, ptr, "the result"));
    return lifter.load(*func.result, result, ptr, dst);
  }
  FlatReader reader(flat_results);
  return lifter.lift_flat(*func.result, result, reader, dst);
}

std::optional<NativeScalarPlan> native_scalar_plan(const FuncLayout& func, const NativeType& params,
                                                   const NativeType* result) {
  if (func.params_in_memory || func.result_in_memory) return std::nullopt;
  NativeScalarPlan plan;
  for (size_t i = 0; i < func.params.size(); ++i) {
    ValKind kind = func.params[i]->kind;
    if (!is_number(kind) && kind != ValKind::kBool) return std::nullopt;
    plan.params.push_back({kind, params.members[i].offset});
  }
  if (func.result) {
    if (!result || !is_number(func.result->kind)) return std::nullopt;
    plan.result = NativeScalarPlan::Slot{func.result->kind, 0};
  }
  return plan;
}

void lift_scalar_params(const NativeScalarPlan& plan, std::span<const engine::Value> flat_args,
                        uint8_t* dst) {
  for (size_t i = 0; i < plan.params.size(); ++i) {
    const NativeScalarPlan::Slot& slot = plan.params[i];
    const engine::Value& v = flat_args[i];
    uint8_t* field = dst + slot.offset;
    switch (slot.kind) {
      case ValKind::kBool:
        field[0] = v.i32 != 0 ? 1 : 0;
        break;
      case ValKind::kS8:
      case ValKind::kU8:
        field[0] = static_cast<uint8_t>(v.i32);
        break;
      case ValKind::kS16:
      case ValKind::kU16:
        write(field, static_cast<uint16_t>(v.i32));
        break;
      case ValKind::kS64:
      case ValKind::kU64:
        write(field, v.i64);
        break;
      case ValKind::kF32:
        write(field, canonical_f32(v.f32));
        break;
      case ValKind::kF64:
        write(field, canonical_f64(v.f64));
        break;
      default:  // s32, u32
        write(field, v.i32);
        break;
    }
  }
}

engine::Value lower_scalar_result(const NativeScalarPlan& plan, const uint8_t* src) {
  auto i32 = [](int32_t v) { return engine::Value::from_i32(v); };
  switch (plan.result->kind) {
    case ValKind::kS8:
      return i32(read<int8_t>(src));
    case ValKind::kU8:
      return i32(src[0]);
    case ValKind::kS16:
      return i32(read<int16_t>(src));
    case ValKind::kU16:
      return i32(read<uint16_t>(src));
    case ValKind::kS64:
    case ValKind::kU64:
      return engine::Value::from_i64(read<int64_t>(src));
    case ValKind::kF32:
      return engine::Value::from_f32(canonical_f32(read<float>(src)));
    case ValKind::kF64:
      return engine::Value::from_f64(canonical_f64(read<double>(src)));
    default:  // s32, u32
      return i32(read<int32_t>(src));
  }
}

Result<void> lift_params_native(LiftLowerContext& cx, const FuncLayout& func,
                                const NativeType& params, std::span<const engine::Value> flat_args,
                                uint8_t* dst, NativeArena& arena, NativeHandles& handles) {
  BERTH_TRY(prepare_memory(cx));
  NativeLifter lifter(cx, arena, handles);
  if (func.params_in_memory) {
    if (flat_args.empty() || flat_args[0].type != ValType::kI32) {
      return Error(ErrorCode::kInvalid,
                   "core values do not match the function type: expected "
                   "an i32 parameter pointer at position 0");
    }
    auto ptr = static_cast<uint32_t>(flat_args[0].i32);
    const TypeLayout& tuple = *func.params_tuple;
    BERTH_TRY(check_value_range(cx, tuple, ptr, "the spilled parameters"));
    for (size_t i = 0; i < func.params.size(); ++i) {
      BERTH_TRY(lifter.load(*func.params[i], *params.members[i].type, ptr + tuple.field_offsets[i],
                            dst + params.members[i].offset));
    }
    return {};
  }
  FlatReader reader(flat_args);
  for (size_t i = 0; i < func.params.size(); ++i) {
    BERTH_TRY(lifter.lift_flat(*func.params[i], *params.members[i].type, reader,
                               dst + params.members[i].offset));
  }
  return {};
}

Result<void> lower_results_native(LiftLowerContext& cx, const FuncLayout& func,
                                  const NativeType* result, const uint8_t* src,
                                  NativeHandles& handles, const uint8_t* lent_base,
                                  uint64_t lent_size, std::span<const engine::Value> flat_args,
                                  std::span<engine::Value> flat_results) {
  if (func.result && result) {
    // The memory view lift_params_native fetched is still current: only native code ran since.
    NativeLowerer lowerer(cx, handles, lent_base, lent_size);
    if (func.result_in_memory) {
      size_t out_index = func.params_in_memory ? 1 : func.flat_params.size();
      if (out_index >= flat_args.size() || flat_args[out_index].type != ValType::kI32) {
        return Error(ErrorCode::kInvalid,
                     "core values do not match the function type: no "
                     "result out-pointer");
      }
      auto ptr = static_cast<uint32_t>(flat_args[out_index].i32);
      BERTH_TRY(check_value_range(cx, *func.result, ptr, "the result"));
      BERTH_TRY(lowerer.store(*func.result, *result, src, ptr));
    } else {
      if (flat_results.size() != 1) {
        return Error(ErrorCode::kInvalid,
                     "core values do not match the function type: expected "
                     "room for one result");
      }
      FlatWriter out(flat_results);
      BERTH_TRY(lowerer.flat(*func.result, *result, src, out));
    }
  }
  // The call has resolved: the handles lent to it are the caller's again.
  if (cx.subtask) cx.subtask->deliver_resolve();
  return {};
}

}  // namespace berth::component::abi
