// The host objects behind the WASI resource handles a guest holds, keyed by the `rep` the
// provider gave each handle. One table per component instance; every resource type shares it,
// so a rep names exactly one object whatever its type.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

namespace berth::wasi {

// Base of every object a handle can stand for (streams, pollables, descriptors, sockets ...).
class Resource {
 public:
  virtual ~Resource() = default;
};

class ResourceTable {
 public:
  uint32_t add(std::shared_ptr<Resource> resource) {
    uint32_t rep = next_rep_++;
    entries_.emplace(rep, std::move(resource));
    return rep;
  }

  std::shared_ptr<Resource> find(uint32_t rep) const {
    auto it = entries_.find(rep);
    return it == entries_.end() ? nullptr : it->second;
  }

  void remove(uint32_t rep) { entries_.erase(rep); }
  size_t size() const { return entries_.size(); }

 private:
  std::unordered_map<uint32_t, std::shared_ptr<Resource>> entries_;
  uint32_t next_rep_ = 1;  // rep 0 is never handed out
};

}  // namespace berth::wasi
