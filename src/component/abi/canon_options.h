// The Canonical ABI options of one side of a call and the per-call context that lifting and
// lowering run in (the spec's CanonicalOptions and LiftLowerContext `cx`).
#pragma once

#include <cstdint>
#include <optional>

#include "berth/component/types.h"
#include "berth/engine/engine.h"
#include "berth/result.h"

namespace berth::component::abi {

using component::StringEncoding;

// The canonopt immediates of one `canon lift` or `canon lower` definition, resolved to engine
// handles. Fixed for the life of the component instance.
struct CanonOptions {
  StringEncoding string_encoding = StringEncoding::kUtf8;
  std::optional<engine::Memory> memory;
  // (func (param i32 i32 i32 i32) (result i32)): realloc(old_ptr, old_size, alignment, new_size)
  std::optional<engine::Func> realloc;
  // Called with the core results of a lifted export once they have been lifted.
  std::optional<engine::Func> post_return;
};

class InstanceState;
class Task;
class Subtask;

// Everything lifting and lowering need for one side of one call. Cheap to make: the runtime
// creates one per call (or reuses one), pointing at long-lived options and instance state.
class LiftLowerContext {
 public:
  LiftLowerContext(engine::Store& store, const CanonOptions& options,
                   InstanceState* instance = nullptr)
      : store(store), options(options), instance(instance) {}

  engine::Store& store;
  const CanonOptions& options;
  // The component instance whose core code is on this side: its handle table receives lowered
  // handles and gives up lifted ones. May be null when the types carry no own/borrow.
  InstanceState* instance;
  // Borrow scopes (see handle_table.h). `task`: the callee's call, needed to lower borrow<T>
  // parameters into it. `subtask`: the caller's outgoing call, needed to lift borrow<T> out of it.
  Task* task = nullptr;
  Subtask* subtask = nullptr;
  // When set, lifting list<number> (s8 ... f64) fills Val::packed with the raw elements (one
  // memcpy) instead of one Val per element. Lowering always accepts both forms.
  bool pack_number_lists = false;
  // Lifting allocates host memory that the guest decides on, and lists and strings may alias
  // one another, so it is not bounded by the size of guest memory: one lift (a value, or all
  // parameters or results of a call) fails with kLimit past this many bytes of Vals and text.
  uint64_t max_lift_bytes = uint64_t{1} << 30;

  // --- Used by the lifting and lowering code. ---

  // Fetches the memory view; fails when the options name no memory.
  Result<void> refresh_memory();
  // The view fetched last. Guest code (realloc) may grow and move memory: allocate() and
  // reallocate() refresh it, and nothing else runs guest code.
  uint8_t* memory_data() const { return view_.data; }
  uint64_t memory_size() const { return view_.size; }
  bool in_bounds(uint64_t ptr, uint64_t length) const { return ptr + length <= view_.size; }

  // Calls realloc, refreshes the view and traps if the result is unaligned or out of bounds.
  Result<uint32_t> reallocate(uint32_t old_ptr, uint32_t old_size, uint32_t alignment,
                              uint32_t new_size);
  Result<uint32_t> allocate(uint32_t alignment, uint32_t size) {
    return reallocate(0, 0, alignment, size);
  }

  // Counts host bytes against max_lift_bytes; begin_lift() starts a new count.
  void begin_lift() { lifted_bytes_ = 0; }
  Result<void> charge_lift(uint64_t bytes);

 private:
  engine::MemoryView view_;
  uint64_t lifted_bytes_ = 0;
};

}  // namespace berth::component::abi
