// Converting dynamic values (component::Val) to and from the native C layout of
// native_layout.h. Arguments are written into a parameter struct; results are read back with
// every rule checked (UTF-8, discriminants, bools, chars, flag bits, lengths, and that every
// pointer lies in memory of the call: its arena or its argument views), so a buggy bundle gets
// a trap, never a crash or a malformed value in the guest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "berth/component/val.h"
#include "berth/result.h"
#include "native_layout.h"

namespace berth::bundle {

// The memory of one call: a bump allocator (zero-filled, freed all at once) and the list of
// argument views the bundle may point results into.
class CallArena {
 public:
  explicit CallArena(size_t limit = size_t{1} << 30) : limit_(limit) {}
  CallArena(const CallArena&) = delete;
  CallArena& operator=(const CallArena&) = delete;

  // Null when `size` would take the arena past its limit or `align` is not a power of two up
  // to 16.
  void* alloc(size_t size, size_t align);
  // Memory berth lent to the bundle for the call (argument strings and lists).
  void add_view(const void* ptr, size_t size);
  // Whether [ptr, ptr + size) lies wholly in one block or one view.
  bool contains(const void* ptr, size_t size) const;
  bool exhausted() const { return exhausted_; }

 private:
  struct Block {
    std::unique_ptr<uint8_t[]> data;
    size_t size = 0;
  };
  std::vector<Block> blocks_;
  size_t used_ = 0;   // in the last block
  size_t total_ = 0;  // bytes allocated in blocks
  size_t limit_;
  bool exhausted_ = false;
  // Start address -> end address of every block and view.
  std::map<uintptr_t, uintptr_t> ranges_;
};

// How resource handles cross: the bundle instance keeps the table of reps.
class HandleMap {
 public:
  virtual ~HandleMap() = default;
  // An own or borrow argument (`type` says which), as the rep the bundle sees.
  virtual Result<uintptr_t> to_native(const NativeType& type, const component::Val& handle) = 0;
  // An own result: the handle for the rep the bundle returned.
  virtual Result<component::Val> from_native(const NativeType& type, uintptr_t rep) = 0;
};

// A HandleMap that passes 32-bit reps through unchanged (tests, resources of other providers).
class PassThroughHandles final : public HandleMap {
 public:
  Result<uintptr_t> to_native(const NativeType& type, const component::Val& handle) override;
  Result<component::Val> from_native(const NativeType& type, uintptr_t rep) override;
};

// Writes `value` (of `type`) at `dst`, which has type.size zeroed bytes. Strings point into the
// Val; lists are built in `arena`. Every view is registered with the arena.
Result<void> write_native(const NativeType& type, const component::Val& value, uint8_t* dst,
                          CallArena& arena, HandleMap& handles);

// Reads a value of `type` at `src`. Errors (kTrap) say where in the value and what is wrong,
// e.g. "result.ok.some: the string is not valid UTF-8"; `what` names the root ("result").
Result<component::Val> read_native(const NativeType& type, const uint8_t* src,
                                   const CallArena& arena, HandleMap& handles,
                                   std::string_view what);

}  // namespace berth::bundle
