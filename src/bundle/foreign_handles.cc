#include "foreign_handles.h"

#include <fmt/format.h>

namespace berth::bundle {

ForeignHandles::~ForeignHandles() {
  drop_all();
}

uintptr_t ForeignHandles::add(component::ResourceTypeRef type, uint32_t rep, bool owned) {
  Entry entry{.type = std::move(type), .rep = rep, .owned = owned};
  uintptr_t handle;
  if (!free_.empty()) {
    uint32_t index = free_.back();
    free_.pop_back();
    entries_[index] = std::move(entry);
    handle = index + 1;
  } else {
    entries_.push_back(std::move(entry));
    handle = entries_.size();
  }
  if (!owned) borrowed_.push_back(handle);
  return handle;
}

Result<const ForeignHandles::Entry*> ForeignHandles::find(
    uintptr_t handle, const component::ResourceType* type) const {
  if (handle == 0 || handle > entries_.size() || !entries_[handle - 1]) {
    return Error(ErrorCode::kTrap,
                 fmt::format("handle {} is not a live resource of another provider", handle));
  }
  const Entry& entry = *entries_[handle - 1];
  if (type != nullptr && entry.type.get() != type) {
    return Error(ErrorCode::kTrap,
                 fmt::format("handle {} is a {}, not a {}", handle, entry.type->name, type->name));
  }
  return &entry;
}

void ForeignHandles::remove(uintptr_t handle) {
  entries_[handle - 1].reset();
  free_.push_back(static_cast<uint32_t>(handle - 1));
}

Result<uint32_t> ForeignHandles::take(uintptr_t handle, const component::ResourceType& type) {
  BERTH_TRY_ASSIGN(const Entry* entry, find(handle, &type));
  if (!entry->owned) {
    return Error(ErrorCode::kTrap,
                 fmt::format("handle {} ({}) is borrowed for this call; it cannot be passed on "
                             "as own",
                             handle, type.name));
  }
  uint32_t rep = entry->rep;
  remove(handle);
  return rep;
}

Result<uint32_t> ForeignHandles::get(uintptr_t handle, const component::ResourceType& type) const {
  BERTH_TRY_ASSIGN(const Entry* entry, find(handle, &type));
  return entry->rep;
}

void ForeignHandles::destroy(const Entry& entry) {
  if (entry.type->host_destructor) entry.type->host_destructor(entry.rep);
}

Result<void> ForeignHandles::drop(uintptr_t handle) {
  BERTH_TRY_ASSIGN(const Entry* found, find(handle, nullptr));
  if (!found->owned) {
    return Error(ErrorCode::kTrap,
                 fmt::format("handle {} ({}) is borrowed for this call; only its owner drops it",
                             handle, found->type->name));
  }
  Entry entry = *found;
  remove(handle);
  destroy(entry);
  return {};
}

void ForeignHandles::end_call() {
  for (uintptr_t handle : borrowed_) {
    if (handle <= entries_.size() && entries_[handle - 1] && !entries_[handle - 1]->owned) {
      remove(handle);
    }
  }
  borrowed_.clear();
}

void ForeignHandles::drop_all() {
  // Destructors may reach providers that call back into nothing of ours: take the entries first.
  std::vector<std::optional<Entry>> entries = std::move(entries_);
  entries_.clear();
  free_.clear();
  borrowed_.clear();
  for (const auto& entry : entries) {
    if (entry && entry->owned) destroy(*entry);
  }
}

}  // namespace berth::bundle
