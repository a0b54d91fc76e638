#include "berth/component/val.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace berth::component {
namespace {

Val scalar(ValKind kind) {
  Val v;
  v.kind = kind;
  return v;
}

// A packed list against another list: both packed compare by bytes; against `items`, the
// element kind comes from the items.
bool packed_list_equals(const Val& packed, const Val& other) {
  if (!other.packed.empty() || other.items.empty()) return packed.packed == other.packed;
  ValKind kind = other.items.front().kind;
  size_t size = packed_number_size(kind);
  if (size == 0 || packed.packed.size() != size * other.items.size()) return false;
  for (size_t i = 0; i < other.items.size(); ++i) {
    if (!vals_equal(packed_list_element(kind, packed.packed, i), other.items[i])) return false;
  }
  return true;
}

}  // namespace

size_t packed_number_size(ValKind kind) {
  switch (kind) {
    case ValKind::kS8:
    case ValKind::kU8:
      return 1;
    case ValKind::kS16:
    case ValKind::kU16:
      return 2;
    case ValKind::kS32:
    case ValKind::kU32:
    case ValKind::kF32:
      return 4;
    case ValKind::kS64:
    case ValKind::kU64:
    case ValKind::kF64:
      return 8;
    default:
      return 0;
  }
}

// Element `index` of a packed list of `kind` numbers.
Val packed_list_element(ValKind kind, const std::vector<uint8_t>& bytes, size_t index) {
  const uint8_t* p = bytes.data() + index * packed_number_size(kind);
  auto read = [p]<typename T>(T zero) {
    std::memcpy(&zero, p, sizeof zero);
    return zero;
  };
  switch (kind) {
    case ValKind::kS8:
      return Val::s8(read(int8_t{}));
    case ValKind::kU8:
      return Val::u8(read(uint8_t{}));
    case ValKind::kS16:
      return Val::s16(read(int16_t{}));
    case ValKind::kU16:
      return Val::u16(read(uint16_t{}));
    case ValKind::kS32:
      return Val::s32(read(int32_t{}));
    case ValKind::kU32:
      return Val::u32(read(uint32_t{}));
    case ValKind::kS64:
      return Val::s64(read(int64_t{}));
    case ValKind::kU64:
      return Val::u64(read(uint64_t{}));
    case ValKind::kF32:
      return Val::float32(read(float{}));
    default:
      return Val::float64(read(double{}));
  }
}

Val Val::boolean(bool x) {
  Val v = scalar(ValKind::kBool);
  v.b = x;
  return v;
}
Val Val::s8(int8_t x) {
  Val v = scalar(ValKind::kS8);
  v.i = x;
  return v;
}
Val Val::u8(uint8_t x) {
  Val v = scalar(ValKind::kU8);
  v.u = x;
  return v;
}
Val Val::s16(int16_t x) {
  Val v = scalar(ValKind::kS16);
  v.i = x;
  return v;
}
Val Val::u16(uint16_t x) {
  Val v = scalar(ValKind::kU16);
  v.u = x;
  return v;
}
Val Val::s32(int32_t x) {
  Val v = scalar(ValKind::kS32);
  v.i = x;
  return v;
}
Val Val::u32(uint32_t x) {
  Val v = scalar(ValKind::kU32);
  v.u = x;
  return v;
}
Val Val::s64(int64_t x) {
  Val v = scalar(ValKind::kS64);
  v.i = x;
  return v;
}
Val Val::u64(uint64_t x) {
  Val v = scalar(ValKind::kU64);
  v.u = x;
  return v;
}
Val Val::float32(float x) {
  Val v = scalar(ValKind::kF32);
  v.f32 = x;
  return v;
}
Val Val::float64(double x) {
  Val v = scalar(ValKind::kF64);
  v.f64 = x;
  return v;
}
Val Val::character(char32_t x) {
  Val v = scalar(ValKind::kChar);
  v.u = x;
  return v;
}

Val Val::string(std::string x) {
  Val v = scalar(ValKind::kString);
  v.str = std::move(x);
  return v;
}
Val Val::list(std::vector<Val> items) {
  Val v = scalar(ValKind::kList);
  v.items = std::move(items);
  return v;
}
Val Val::record(std::vector<Val> fields) {
  Val v = scalar(ValKind::kRecord);
  v.items = std::move(fields);
  return v;
}
Val Val::tuple(std::vector<Val> items) {
  Val v = scalar(ValKind::kTuple);
  v.items = std::move(items);
  return v;
}
Val Val::variant(uint32_t case_index, std::optional<Val> payload) {
  Val v = scalar(ValKind::kVariant);
  v.discriminant = case_index;
  if (payload) v.items.push_back(std::move(*payload));
  return v;
}
Val Val::enumeration(uint32_t case_index) {
  Val v = scalar(ValKind::kEnum);
  v.discriminant = case_index;
  return v;
}
Val Val::none() {
  return scalar(ValKind::kOption);
}
Val Val::some(Val x) {
  Val v = scalar(ValKind::kOption);
  v.discriminant = 1;
  v.items.push_back(std::move(x));
  return v;
}
Val Val::ok(std::optional<Val> x) {
  Val v = scalar(ValKind::kResult);
  if (x) v.items.push_back(std::move(*x));
  return v;
}
Val Val::err(std::optional<Val> x) {
  Val v = scalar(ValKind::kResult);
  v.discriminant = 1;
  if (x) v.items.push_back(std::move(*x));
  return v;
}
Val Val::flags(std::vector<uint32_t> bits) {
  Val v = scalar(ValKind::kFlags);
  v.flag_bits = std::move(bits);
  return v;
}
Val Val::packed_list(std::vector<uint8_t> bytes) {
  Val v = scalar(ValKind::kList);
  v.packed = std::move(bytes);
  return v;
}

bool vals_equal(const Val& a, const Val& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValKind::kBool:
      return a.b == b.b;
    case ValKind::kS8:
    case ValKind::kS16:
    case ValKind::kS32:
    case ValKind::kS64:
      return a.i == b.i;
    case ValKind::kU8:
    case ValKind::kU16:
    case ValKind::kU32:
    case ValKind::kU64:
    case ValKind::kChar:
      return a.u == b.u;
    case ValKind::kF32:
      return (std::isnan(a.f32) && std::isnan(b.f32)) || a.f32 == b.f32;
    case ValKind::kF64:
      return (std::isnan(a.f64) && std::isnan(b.f64)) || a.f64 == b.f64;
    case ValKind::kString:
      return a.str == b.str;
    case ValKind::kFlags: {
      size_t n = std::max(a.flag_bits.size(), b.flag_bits.size());
      for (size_t i = 0; i < n; ++i) {
        uint32_t x = i < a.flag_bits.size() ? a.flag_bits[i] : 0;
        uint32_t y = i < b.flag_bits.size() ? b.flag_bits[i] : 0;
        if (x != y) return false;
      }
      return true;
    }
    case ValKind::kOwn:
    case ValKind::kBorrow:
      if (!a.handle || !b.handle) return a.handle == b.handle;
      return a.handle->type == b.handle->type && a.handle->rep == b.handle->rep;
    case ValKind::kList:
      if (!a.packed.empty()) return packed_list_equals(a, b);
      if (!b.packed.empty()) return packed_list_equals(b, a);
      [[fallthrough]];
    default:
      if (a.discriminant != b.discriminant || a.items.size() != b.items.size()) return false;
      for (size_t i = 0; i < a.items.size(); ++i) {
        if (!vals_equal(a.items[i], b.items[i])) return false;
      }
      return true;
  }
}

}  // namespace berth::component
