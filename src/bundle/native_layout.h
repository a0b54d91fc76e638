// The native C layout of component values (docs/abi.md, "Types"): what a bundle's parameter and
// result structs look like in memory. Computed once per function from its component types; the
// marshaling code (native_marshal.h) walks these trees.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "berth/component/types.h"
#include "berth/result.h"

namespace berth::bundle {

struct NativeType;
using NativeTypeRef = std::shared_ptr<const NativeType>;

struct NativeType {
  component::ValKind kind = component::ValKind::kBool;
  uint32_t size = 0;
  uint32_t align = 1;

  struct Member {
    std::string name;
    NativeTypeRef type;  // null: a variant/option/result case without payload
    uint32_t offset = 0;
  };
  // Record fields and tuple elements (offset from the start); the cases of variant, option
  // (none, some) and result (ok, error), whose payloads all sit at `payload_offset`.
  std::vector<Member> members;
  NativeTypeRef element;                 // list element
  std::optional<uint32_t> fixed_length;  // list<T, N>: N elements inline
  uint32_t tag_size = 0;                 // variant 4, option and result 1
  uint32_t payload_offset = 0;
  uint32_t count = 0;                   // enum cases, flags
  component::ResourceTypeRef resource;  // own, borrow
  component::TypeRef type;              // the component type this lays out
};

// sizeof(berth_str), sizeof(berth_list), sizeof(berth_rep).
inline constexpr uint32_t kNativeViewSize = 2 * sizeof(void*);
inline constexpr uint32_t kNativePointerSize = sizeof(void*);

// The layout of `type`. kUnsupported for the asynchronous types (stream, future,
// error-context).
Result<NativeTypeRef> native_layout(const component::TypeRef& type);

// The parameter struct of a function: a record of its parameters, in order.
Result<NativeTypeRef> native_params_layout(const component::FuncType& type);

// The native signature of a function (docs/abi.md, "Signatures"): FuncType::to_string with
// resources named by their short name, "own<bucket>" rather than
// "own<wasi:keyvalue/store@0.2.0#bucket>".
std::string native_signature(const component::FuncType& type);

}  // namespace berth::bundle
