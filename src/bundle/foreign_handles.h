// Resources of other providers as a bundle holds them (ABI 1.2, docs/abi.md "Resources of
// other providers"): for each one the bundle receives, from a guest's argument or from the
// result of an imported function, berth gives it a handle (index + 1 into this table, as its
// berth_rep) and takes the handle back when the bundle passes the resource on. An owned entry
// stays until the bundle passes it on as `own`, drops it, or the bundle instance goes away
// (which drops it); a borrowed one (a guest's borrow argument) lasts for the call.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "berth/component/types.h"
#include "berth/result.h"

namespace berth::bundle {

class ForeignHandles {
 public:
  ForeignHandles() = default;
  ForeignHandles(const ForeignHandles&) = delete;
  ForeignHandles& operator=(const ForeignHandles&) = delete;
  // Drops what is still owned (drop_all).
  ~ForeignHandles();

  // A resource of `type` with runtime rep `rep` the bundle now holds: the handle it sees.
  // Borrowed entries go at the end of the call (end_call).
  uintptr_t add(component::ResourceTypeRef type, uint32_t rep, bool owned);

  // The rep of handle `handle`, which must be of `type`. take() (the bundle passes the
  // resource on as `own`) also needs an owned entry and removes it; get() (passed as `borrow`)
  // leaves it. Errors name the handle and why: not live, another type, borrowed.
  Result<uint32_t> take(uintptr_t handle, const component::ResourceType& type);
  Result<uint32_t> get(uintptr_t handle, const component::ResourceType& type) const;

  // The bundle drops an owned handle: the resource's provider is told (its destructor runs).
  Result<void> drop(uintptr_t handle);

  // The borrowed entries of the call that ends go.
  void end_call();

  // Drops every owned entry (the bundle instance goes away).
  void drop_all();

 private:
  struct Entry {
    component::ResourceTypeRef type;
    uint32_t rep = 0;
    bool owned = false;
  };
  Result<const Entry*> find(uintptr_t handle, const component::ResourceType* type) const;
  void remove(uintptr_t handle);
  static void destroy(const Entry& entry);

  std::vector<std::optional<Entry>> entries_;
  std::vector<uint32_t> free_;
  std::vector<uintptr_t> borrowed_;  // handles to remove at the end of the call
};

}  // namespace berth::bundle
