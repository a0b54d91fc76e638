// The state of the WASI provider for one component instance, and the shape of the functions
// that implement the WASI interfaces on it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "berth/component/component.h"
#include "berth/wasi/wasi.h"
#include "resource_table.h"

namespace berth::wasi {

using component::Val;

// A preopened directory, opened once by make_provider; every instance duplicates the fd.
struct PreopenDir {
  int fd = -1;
  std::string guest;
  bool read_only = false;
};

class Context {
 public:
  Context(std::shared_ptr<const WasiConfig> config,
          std::shared_ptr<const std::vector<PreopenDir>> preopens);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const WasiConfig& config() const { return *config_; }
  const std::vector<PreopenDir>& preopens() const { return *preopens_; }
  ResourceTable& table() { return *table_; }

  // The host resource type named `name` ("input-stream", "descriptor", ...), made on first use;
  // dropping a guest's owning handle of it removes the object from the table.
  component::ResourceTypeRef resource_type(std::string_view name);

  // An `own` handle of resource `name` for a new object.
  Val own(std::string_view name, std::shared_ptr<Resource> object);

  // The object a handle argument stands for, as a T; a trap when it is not one.
  template <typename T>
  Result<std::shared_ptr<T>> get(const Val& handle) const {
    uint32_t rep = handle.handle ? handle.handle->rep : 0;
    auto typed = std::dynamic_pointer_cast<T>(table_->find(rep));
    if (!typed) {
      return Error(ErrorCode::kTrap,
                   fmt::format("WASI: handle {} does not stand for a live resource of the type "
                               "the function takes",
                               rep));
    }
    return typed;
  }

  // Per-instance keys: insecure-seed's value and the key metadata hashes are mixed with.
  uint64_t seed(size_t i) const { return seed_[i]; }

 private:
  std::shared_ptr<const WasiConfig> config_;
  std::shared_ptr<const std::vector<PreopenDir>> preopens_;
  std::shared_ptr<ResourceTable> table_;
  std::map<std::string, component::ResourceTypeRef, std::less<>> types_;
  uint64_t seed_[4] = {};
};

// What a WASI function returns: its result value, nothing, or an error that traps the guest.
class Reply {
 public:
  Reply(Val value) : result_(std::optional<Val>(std::move(value))) {}
  Reply(std::optional<Val> value) : result_(std::move(value)) {}
  Reply(Error error) : result_(std::move(error)) {}
  Reply(Result<std::optional<Val>> result) : result_(std::move(result)) {}
  Result<std::optional<Val>> take() && { return std::move(result_); }

 private:
  Result<std::optional<Val>> result_;
};

// One WASI function over dynamic values.
using Function = std::function<Reply(Context&, std::span<const Val>)>;
// Functions by "interface-path#name", e.g. "wasi:io/streams#[method]input-stream.read".
using Registry = std::map<std::string, Function, std::less<>>;

void register_io(Registry& registry);
void register_memory_streams(Registry& registry);
void register_poll(Registry& registry);
void register_cli(Registry& registry);
void register_clocks(Registry& registry);
void register_random(Registry& registry);
void register_filesystem(Registry& registry);
void register_sockets(Registry& registry);

// Small value builders shared by the interfaces.
inline Val ok_unit() {
  return Val::ok(std::nullopt);
}
inline Val ok_val(Val v) {
  return Val::ok(std::move(v));
}
inline Val err_enum(uint32_t code) {
  return Val::err(Val::enumeration(code));
}
inline std::optional<Val> some_result(Val v) {
  return std::optional<Val>(std::move(v));
}

// Fills `data` with bytes from the kernel's CSPRNG.
void fill_random(void* data, size_t size);

}  // namespace berth::wasi
