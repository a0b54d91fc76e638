// Resource handles of a component instance: the `handles` table, own and borrow entries, lend
// counts and borrow scopes, and the resource.new / resource.rep / resource.drop built-ins, as
// CanonicalABI.md defines them for synchronous calls.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "berth/component/types.h"
#include "berth/result.h"

namespace berth::component::abi {

// Counts the borrow handles lowered into one call (a Task) that the callee has not dropped yet.
// Shared between the Task and its borrow entries, so an entry that outlives a trapped call
// never points at freed memory.
struct BorrowScope {
  uint32_t num_borrows = 0;
};

struct HandleEntry {
  ResourceTypeRef type;
  uint32_t rep = 0;
  bool own = false;
  // Borrow entries: the call that lent the handle in; dropping the entry decrements it.
  std::shared_ptr<BorrowScope> scope;
  // Own entries: how many borrows of this handle are lent out to calls in progress.
  uint32_t num_lends = 0;
};

// The spec's Table: index 0 is never used, freed indices are reused first, at most 2^28 - 1
// entries. Every failure is a trap.
class HandleTable {
 public:
  static constexpr uint32_t kMaxLength = (1u << 28) - 1;

  HandleTable() : slots_(1) {}

  Result<uint32_t> add(HandleEntry entry);
  Result<HandleEntry*> get(uint32_t index);
  Result<HandleEntry> remove(uint32_t index);
  size_t size() const { return slots_.size() - 1 - free_.size(); }

 private:
  struct Slot {
    bool used = false;
    HandleEntry entry;
  };
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_;
};

// The Canonical ABI state of one component instance.
class InstanceState {
 public:
  HandleTable handles;
  // False while the instance's realloc or post-return runs: leaving it (calling imports,
  // resource.new, resource.drop) traps then.
  bool may_leave = true;

  // Resource types this instance implements. A borrow of such a type lowered into this instance
  // is passed as its rep, without a table entry (the spec's lower_borrow shortcut).
  void add_defined_resource(ResourceTypeRef type) { defined_.push_back(std::move(type)); }
  bool defines(const ResourceType* type) const;

 private:
  std::vector<ResourceTypeRef> defined_;
};

// The callee side of one call into an instance (the spec's Task, synchronous subset): the borrow
// scope that borrow<T> parameters are lowered into.
class Task {
 public:
  uint32_t num_borrows() const { return scope_ ? scope_->num_borrows : 0; }
  // The check of Task.return_: every borrowed handle must be dropped before the call returns.
  Result<void> check_borrows_dropped() const;

  // Created on the first borrow, so calls without borrows allocate nothing.
  const std::shared_ptr<BorrowScope>& scope();

 private:
  std::shared_ptr<BorrowScope> scope_;
};

// The caller side of one outgoing call (the spec's Subtask, synchronous subset): records the
// handles lent as borrow<T> arguments so they cannot be dropped or moved until the call resolves.
class Subtask {
 public:
  explicit Subtask(InstanceState& instance) : instance_(&instance) {}
  ~Subtask() { deliver_resolve(); }
  Subtask(const Subtask&) = delete;
  Subtask& operator=(const Subtask&) = delete;

  // Lends handle `index` for the duration of the call.
  Result<void> add_lender(uint32_t index);
  // The call returned: gives every lent handle back. Idempotent.
  void deliver_resolve();

 private:
  InstanceState* instance_;
  std::vector<uint32_t> lenders_;
};

// `canon resource.new`: a new own handle for `rep`.
Result<uint32_t> resource_new(InstanceState& instance, const ResourceTypeRef& type, uint32_t rep);
// `canon resource.rep`.
Result<uint32_t> resource_rep(InstanceState& instance, const ResourceType& type, uint32_t index);

// What `canon resource.drop` removed. When `run_destructor` is set the caller must run the
// resource type's destructor (if it has one) on `rep`, as a synchronous call.
struct DroppedHandle {
  uint32_t rep = 0;
  bool run_destructor = false;
};
Result<DroppedHandle> resource_drop(InstanceState& instance, const ResourceType& type,
                                    uint32_t index);

// Handle transfer for lifting and lowering own<T> and borrow<T> (lift_own, lift_borrow,
// lower_own, lower_borrow in the spec).
Result<uint32_t> lift_own(InstanceState& instance, const ResourceType& type, uint32_t index);
Result<uint32_t> lift_borrow(InstanceState& instance, Subtask* subtask, const ResourceType& type,
                             uint32_t index);
Result<uint32_t> lower_own(InstanceState& instance, const ResourceTypeRef& type, uint32_t rep);
Result<uint32_t> lower_borrow(InstanceState& instance, Task* task, const ResourceTypeRef& type,
                              uint32_t rep);

}  // namespace berth::component::abi
