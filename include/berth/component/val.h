// Dynamic component values: a tree that can hold a value of any component type. The host API,
// `--invoke` and the conformance runner pass these; the Canonical ABI lifts and lowers them.
// A Val does not carry its type: whoever holds one knows the TypeRef it belongs to.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "berth/component/types.h"

namespace berth::component {

// A resource handle as the host sees it: the resource type and the representation (`rep`) the
// component or host gave it. For `own`, holding a ResourceHandle means owning the resource.
struct ResourceHandle {
  ResourceTypeRef type;
  uint32_t rep = 0;
  // Host-side identity of the handle within its table, when it came from a guest table.
  uint32_t table_index = 0;
};

class Val {
 public:
  ValKind kind = ValKind::kBool;

  // Scalars. Signed integers are stored sign-extended in `i`, unsigned zero-extended in `u`,
  // char as its code point in `u`.
  union {
    bool b;
    int64_t i;
    uint64_t u;
    float f32;
    double f64;
  };
  std::string str;                  // string
  std::vector<Val> items;           // list, record fields, tuple elements, payload (0 or 1 item)
  uint32_t discriminant = 0;        // variant case, enum case, option (0 none, 1 some),
                                    // result (0 ok, 1 error)
  std::vector<uint32_t> flag_bits;  // flags: bit i of word i/32 set when flag i is set
  std::shared_ptr<ResourceHandle> handle;  // own, borrow
  // list<T> of a number type (s8 ... f64) in packed form: the elements' little-endian bytes back
  // to back, exactly as linear memory holds them, so the Canonical ABI copies them with memcpy.
  // An alternative to `items` (a list uses one or the other): lowering accepts it, lifting
  // produces it only when asked to.
  std::vector<uint8_t> packed;

  Val() : u(0) {}

  static Val boolean(bool v);
  static Val s8(int8_t v);
  static Val u8(uint8_t v);
  static Val s16(int16_t v);
  static Val u16(uint16_t v);
  static Val s32(int32_t v);
  static Val u32(uint32_t v);
  static Val s64(int64_t v);
  static Val u64(uint64_t v);
  static Val float32(float v);
  static Val float64(double v);
  static Val character(char32_t v);
  static Val string(std::string v);
  static Val list(std::vector<Val> items);
  static Val record(std::vector<Val> fields);
  static Val tuple(std::vector<Val> items);
  static Val variant(uint32_t case_index, std::optional<Val> payload);
  static Val enumeration(uint32_t case_index);
  static Val none();
  static Val some(Val v);
  static Val ok(std::optional<Val> v);
  static Val err(std::optional<Val> v);
  static Val flags(std::vector<uint32_t> bits);
  static Val packed_list(std::vector<uint8_t> bytes);

  bool has_payload() const { return !items.empty(); }
  const Val& payload() const { return items.front(); }
  bool flag(size_t index) const {
    return index / 32 < flag_bits.size() && (flag_bits[index / 32] >> (index % 32)) & 1;
  }
};

// The byte size of one element of a packed list of `kind` numbers (s8 ... f64), else 0.
size_t packed_number_size(ValKind kind);
// Element `index` of a packed list of `kind` numbers, as a Val.
Val packed_list_element(ValKind kind, const std::vector<uint8_t>& bytes, size_t index);

// Equality of two values of the same type. Floats compare by value, with NaN equal to NaN (as the
// component model canonicalises NaNs).
bool vals_equal(const Val& a, const Val& b);

}  // namespace berth::component
