#include "component/abi/handle_table.h"

#include <fmt/format.h>

#include <algorithm>

namespace berth::component::abi {
namespace {

Error trap(std::string message) {
  return Error(ErrorCode::kTrap, std::move(message));
}

const std::string& name_of(const ResourceType* type) {
  static const std::string unknown = "?";
  return type ? type->name : unknown;
}

// The checks every built-in makes on a handle: it exists and has the expected resource type.
Result<HandleEntry*> typed_entry(HandleTable& table, const ResourceType& type, uint32_t index) {
  BERTH_TRY_ASSIGN(HandleEntry * entry, table.get(index));
  if (entry->type.get() != &type) {
    return trap(fmt::format("handle index {} is a {}, but a {} was expected", index,
                            name_of(entry->type.get()), type.name));
  }
  return entry;
}

Result<void> check_may_leave(const InstanceState& instance, std::string_view what) {
  if (!instance.may_leave) {
    return trap(
        fmt::format("cannot call {} while the instance may not be left "
                    "(during realloc or post-return)",
                    what));
  }
  return {};
}

}  // namespace

Result<uint32_t> HandleTable::add(HandleEntry entry) {
  uint32_t index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    if (slots_.size() > kMaxLength) return trap("handle table is full");
    index = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  slots_[index].used = true;
  slots_[index].entry = std::move(entry);
  return index;
}

Result<HandleEntry*> HandleTable::get(uint32_t index) {
  if (index >= slots_.size() || !slots_[index].used) {
    return trap(fmt::format("unknown handle index {}", index));
  }
  return &slots_[index].entry;
}

Result<HandleEntry> HandleTable::remove(uint32_t index) {
  BERTH_TRY(get(index));
  Slot& slot = slots_[index];
  HandleEntry entry = std::move(slot.entry);
  slot.used = false;
  slot.entry = {};
  free_.push_back(index);
  return entry;
}

bool InstanceState::defines(const ResourceType* type) const {
  return std::any_of(defined_.begin(), defined_.end(),
                     [&](const ResourceTypeRef& t) { return t.get() == type; });
}

Result<void> Task::check_borrows_dropped() const {
  if (num_borrows() > 0) {
    return trap(fmt::format("borrow handles still remain at the end of the call ({} not dropped)",
                            num_borrows()));
  }
  return {};
}

const std::shared_ptr<BorrowScope>& Task::scope() {
  if (!scope_) scope_ = std::make_shared<BorrowScope>();
  return scope_;
}

Result<void> Subtask::add_lender(uint32_t index) {
  BERTH_TRY_ASSIGN(HandleEntry * entry, instance_->handles.get(index));
  ++entry->num_lends;
  lenders_.push_back(index);
  return {};
}

void Subtask::deliver_resolve() {
  // A lent handle cannot be removed (drop and lift_own refuse while num_lends > 0), so every
  // recorded index still names the entry it was lent from.
  for (uint32_t index : lenders_) {
    Result<HandleEntry*> entry = instance_->handles.get(index);
    if (entry && (*entry)->num_lends > 0) --(*entry)->num_lends;
  }
  lenders_.clear();
}

Result<uint32_t> resource_new(InstanceState& instance, const ResourceTypeRef& type, uint32_t rep) {
  BERTH_TRY(check_may_leave(instance, "resource.new"));
  return instance.handles.add(HandleEntry{.type = type, .rep = rep, .own = true});
}

Result<uint32_t> resource_rep(InstanceState& instance, const ResourceType& type, uint32_t index) {
  BERTH_TRY_ASSIGN(HandleEntry * entry, typed_entry(instance.handles, type, index));
  return entry->rep;
}

Result<DroppedHandle> resource_drop(InstanceState& instance, const ResourceType& type,
                                    uint32_t index) {
  BERTH_TRY(check_may_leave(instance, "resource.drop"));
  BERTH_TRY_ASSIGN(HandleEntry * entry, typed_entry(instance.handles, type, index));
  if (entry->num_lends != 0) {
    return trap(
        fmt::format("cannot drop a resource with outstanding borrows (handle index {} "
                    "is lent to {} call(s) in progress)",
                    index, entry->num_lends));
  }
  BERTH_TRY_ASSIGN(HandleEntry removed, instance.handles.remove(index));
  if (!removed.own && removed.scope && removed.scope->num_borrows > 0) {
    --removed.scope->num_borrows;
  }
  return DroppedHandle{.rep = removed.rep, .run_destructor = removed.own};
}

Result<uint32_t> lift_own(InstanceState& instance, const ResourceType& type, uint32_t index) {
  BERTH_TRY_ASSIGN(HandleEntry * entry, typed_entry(instance.handles, type, index));
  if (entry->num_lends != 0) {
    return trap(
        fmt::format("cannot transfer ownership of handle index {} while it is lent to {} "
                    "call(s) in progress",
                    index, entry->num_lends));
  }
  if (!entry->own) {
    return trap(fmt::format("handle index {} is a borrow, but an own handle was expected", index));
  }
  BERTH_TRY_ASSIGN(HandleEntry removed, instance.handles.remove(index));
  return removed.rep;
}

Result<uint32_t> lift_borrow(InstanceState& instance, Subtask* subtask, const ResourceType& type,
                             uint32_t index) {
  if (!subtask) {
    return Error(ErrorCode::kInvalid, "lifting a borrow handle needs a Subtask (borrow scope)");
  }
  BERTH_TRY_ASSIGN(HandleEntry * entry, typed_entry(instance.handles, type, index));
  uint32_t rep = entry->rep;
  BERTH_TRY(subtask->add_lender(index));
  return rep;
}

Result<uint32_t> lower_own(InstanceState& instance, const ResourceTypeRef& type, uint32_t rep) {
  return instance.handles.add(HandleEntry{.type = type, .rep = rep, .own = true});
}

Result<uint32_t> lower_borrow(InstanceState& instance, Task* task, const ResourceTypeRef& type,
                              uint32_t rep) {
  if (instance.defines(type.get())) return rep;
  if (!task) {
    return Error(ErrorCode::kInvalid, "lowering a borrow handle needs a Task (borrow scope)");
  }
  const std::shared_ptr<BorrowScope>& scope = task->scope();
  BERTH_TRY_ASSIGN(uint32_t index,
                   instance.handles.add(HandleEntry{.type = type, .rep = rep, .scope = scope}));
  ++scope->num_borrows;
  return index;
}

}  // namespace berth::component::abi
