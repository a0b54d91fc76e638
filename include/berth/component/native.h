// The native C layout of component values (docs/abi.md, "Types"): strings and lists as
// pointer + length views, records as structs, variants, options and results as tagged unions,
// resources as reps. Host code that wants C structs instead of dynamic Vals uses it: the bundle
// ABI is built on it, and a host function given in native form (NativeFunction) has its
// arguments lifted from the guest straight into these structs, with no Val in between.
//
// Everything read back from native memory is checked (UTF-8, discriminants, bools, chars, flag
// bits, lengths, and that every pointer lies in memory of the call: its arena or its argument
// views), so buggy native code gets a trap, never a crash or a malformed value in the guest.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/component/types.h"
#include "berth/component/val.h"
#include "berth/result.h"

namespace berth::component {

struct NativeType;
using NativeTypeRef = std::shared_ptr<const NativeType>;

// The C layout of one component value type. Computed once per function; the conversions walk
// these trees.
struct NativeType {
  ValKind kind = ValKind::kBool;
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
  uint32_t count = 0;        // enum cases, flags
  ResourceTypeRef resource;  // own, borrow
  // Whether a value read back from native memory can break a rule (every bit pattern of
  // integers and floats is valid; bools, chars, tags, strings, lists and handles are checked).
  bool checked = true;
  TypeRef type;  // the component type this lays out (null for parameter structs)
};

// A string (UTF-8, not NUL-terminated) and a list (len elements back to back) in native memory;
// the bundle ABI's berth_str and berth_list have the same layout.
struct NativeStr {
  const char* ptr;
  size_t len;
};
struct NativeList {
  const void* ptr;
  size_t len;
};
// own<R> and borrow<R>.
using NativeRep = uintptr_t;

inline constexpr uint32_t kNativeViewSize = sizeof(NativeStr);
inline constexpr uint32_t kNativePointerSize = sizeof(NativeRep);

// The case index stored in the tag of a variant, enum, option or result at `src`.
inline uint32_t native_case(const NativeType& type, const uint8_t* src) {
  if (type.tag_size == 1) return src[0];
  uint32_t tag;
  std::memcpy(&tag, src, sizeof tag);
  return tag;
}

// The layout of `type`. kUnsupported for the asynchronous types (stream, future,
// error-context).
Result<NativeTypeRef> native_layout(const TypeRef& type);

// The parameter struct of a function: a record of its parameters, in order.
Result<NativeTypeRef> native_params_layout(const FuncType& type);

// Both layouts a call of a function needs: its parameter struct and its result (null when it
// has none).
struct NativeFunctionLayout {
  NativeTypeRef params;
  NativeTypeRef result;
};
Result<NativeFunctionLayout> native_function_layout(const FuncType& type);

// The native signature of a function (docs/abi.md, "Signatures"): FuncType::to_string with
// resources named by their short name, "own<bucket>" rather than
// "own<wasi:keyvalue/store@0.2.0#bucket>".
std::string native_signature(const FuncType& type);

// The memory of one call: a bump allocator (zero-filled, freed all at once) and the list of
// argument views native code may point results into. Results may also point into memory the
// native code owns; what starts in the arena or a view must end there.
class NativeArena {
 public:
  explicit NativeArena(size_t limit = size_t{1} << 30) : limit_(limit) {}
  NativeArena(const NativeArena&) = delete;
  NativeArena& operator=(const NativeArena&) = delete;

  // Null when `size` would take the arena past its limit or `align` is not a power of two up
  // to 16.
  void* alloc(size_t size, size_t align);
  // Memory lent to native code for the call (argument strings and lists).
  void add_view(const void* ptr, size_t size);
  // Where [ptr, ptr + size) lies: wholly in one block or one view, starting in one but running
  // past its end (a length that is wrong), or outside them all (memory native code owns).
  enum class Place : uint8_t { kInside, kOverruns, kOutside };
  Place locate(const void* ptr, size_t size) const;
  bool exhausted() const { return exhausted_; }

 private:
  struct Block {
    std::unique_ptr<uint8_t[]> data;
    size_t size = 0;
  };
  // The first block lives inside the arena: most calls need no heap allocation at all.
  alignas(16) uint8_t inline_block_[256];
  std::vector<Block> blocks_;
  uint8_t* current_ = inline_block_;
  size_t current_size_ = sizeof inline_block_;
  size_t used_ = 0;   // in the current block
  size_t total_ = 0;  // bytes allocated in heap blocks
  size_t limit_;
  bool exhausted_ = false;
  // Argument views, start address -> end address (few per call: a sorted vector would not pay).
  // The first ones are kept inline, so that a call with a few string arguments does not allocate.
  using View = std::pair<uintptr_t, uintptr_t>;
  std::array<View, 4> inline_views_{};
  size_t inline_view_count_ = 0;
  std::vector<View> more_views_;
};

// How resource handles cross: the native side sees a rep of its choosing (e.g. a pointer), the
// runtime a 32-bit rep.
class NativeHandles {
 public:
  virtual ~NativeHandles() = default;
  // An own or borrow argument (`type` says which) of resource `resource` with runtime rep `rep`,
  // as the rep native code sees. An own argument passes ownership to the native side.
  virtual Result<uintptr_t> to_native(const NativeType& type, const ResourceType& resource,
                                      uint32_t rep) = 0;
  // An own result of type `type.resource`: the runtime rep for the rep native code returned.
  // (With read_native_argument also a borrow, which the native side lends.)
  virtual Result<uint32_t> from_native(const NativeType& type, uintptr_t rep) = 0;
  // An own result that will never reach the caller (the result broke a rule, or lowering it
  // stopped part-way) and that from_native did not take: the native side must free it. The
  // default does nothing (reps of other providers pass through unowned).
  virtual void abandon(const NativeType& type, uintptr_t rep);
};

// NativeHandles that remember which own results from_native took, so that a result that is not
// delivered whole can abandon the rest: every object native code returns is then freed exactly
// once, by the caller's handle table or here.
class ResultHandles final : public NativeHandles {
 public:
  explicit ResultHandles(NativeHandles& inner) : inner_(inner) {}
  Result<uintptr_t> to_native(const NativeType& type, const ResourceType& resource,
                              uint32_t rep) override;
  Result<uint32_t> from_native(const NativeType& type, uintptr_t rep) override;
  void abandon(const NativeType& type, uintptr_t rep) override;

  // Abandons each own handle of the result of `type` at `src` that from_native did not take.
  // Reads only what it safely can (tags in range, lists that do not overrun the arena), so it
  // also serves a result that check_native refused.
  void abandon_rest(const NativeType& type, const uint8_t* src, const NativeArena& arena);

 private:
  NativeHandles& inner_;
  std::vector<uintptr_t> taken_;
};

// NativeHandles that pass 32-bit reps through unchanged (tests, resources of other providers).
class PassThroughHandles final : public NativeHandles {
 public:
  Result<uintptr_t> to_native(const NativeType& type, const ResourceType& resource,
                              uint32_t rep) override;
  Result<uint32_t> from_native(const NativeType& type, uintptr_t rep) override;
};

// Writes `value` (of `type`) at `dst`, which has type.size zeroed bytes. Strings point into the
// Val; lists are built in `arena`. Every view is registered with the arena.
Result<void> write_native(const NativeType& type, const Val& value, uint8_t* dst,
                          NativeArena& arena, NativeHandles& handles);

// Reads a value of `type` at `src`. Errors (kTrap) say where in the value and what is wrong,
// e.g. "result.ok.some: the string is not valid UTF-8"; `what` names the root ("result").
Result<Val> read_native(const NativeType& type, const uint8_t* src, const NativeArena& arena,
                        NativeHandles& handles, std::string_view what);

// read_native for an argument native code passes to a function it calls (a bundle calling an
// import): borrow handles are allowed too, and go through handles.from_native like own ones
// (type.kind tells them apart).
Result<Val> read_native_argument(const NativeType& type, const uint8_t* src,
                                 const NativeArena& arena, NativeHandles& handles,
                                 std::string_view what);

// The checks of read_native without building anything: what lowering a native result straight
// into guest memory relies on. Own handles are not looked at. Strings and lists may point into
// the arena, the arguments, or memory the native code keeps valid until berth has read them
// (docs/abi.md, "Memory"); one that starts in the arena or an argument must end there, and a
// null pointer needs a zero length.
Result<void> check_native(const NativeType& type, const uint8_t* src, const NativeArena& arena,
                          std::string_view what);

// A host function in native form. When a guest calls it through `canon lower`, berth lifts the
// arguments straight from core values and linear memory into a `params` struct (strings and
// lists of numbers as views into guest memory when the encoding allows), calls `call`, and
// lowers the `result` struct back with the guest's realloc, checking it as read_native does.
struct NativeFunction {
  std::string name;      // for messages: "bundle 'kv' (...): keyvalue:store/store@0.1.0#get"
  NativeTypeRef params;  // native_params_layout of the function's type
  NativeTypeRef result;  // native_layout of its result; null when it has none
  std::shared_ptr<NativeHandles> handles;
  // `params` is null when the function has no parameters, `result` (zero-filled, result->size
  // bytes) null when it has no result. Memory the result points to comes from `arena`, the
  // arguments, or the callee's own memory that stays valid until berth has lowered the result;
  // berth checks the result with check_native before lowering it. An error traps the caller.
  std::function<Result<void>(const uint8_t* params, uint8_t* result, NativeArena& arena)> call;
};

}  // namespace berth::component
