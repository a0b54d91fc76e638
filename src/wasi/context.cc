#include "context.h"

#include <sys/random.h>
#include <unistd.h>

#include <cerrno>

namespace berth::wasi {

void fill_random(void* data, size_t size) {
  auto* bytes = static_cast<uint8_t*>(data);
  while (size > 0) {
    ssize_t n = getrandom(bytes, size, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // getrandom only fails on bad arguments; the buffer is then left as is
    }
    bytes += n;
    size -= static_cast<size_t>(n);
  }
}

Context::Context(std::shared_ptr<const WasiConfig> config,
                 std::shared_ptr<const std::vector<PreopenDir>> preopens)
    : config_(std::move(config)),
      preopens_(std::move(preopens)),
      table_(std::make_shared<ResourceTable>()) {
  fill_random(seed_, sizeof seed_);
}

Context::~Context() = default;

component::ResourceTypeRef Context::resource_type(std::string_view name) {
  auto it = types_.find(name);
  if (it != types_.end()) return it->second;
  // Weak: the type outlives nothing it should keep alive, and the table may already be gone
  // when a component instance drops its last handles.
  std::weak_ptr<ResourceTable> table = table_;
  auto type =
      component::make_host_resource_type(fmt::format("wasi#{}", name), [table](uint32_t rep) {
        if (auto live = table.lock()) live->remove(rep);
      });
  types_.emplace(std::string(name), type);
  return type;
}

Val Context::own(std::string_view name, std::shared_ptr<Resource> object) {
  Val v;
  v.kind = component::ValKind::kOwn;
  v.handle = std::make_shared<component::ResourceHandle>(component::ResourceHandle{
      .type = resource_type(name), .rep = table_->add(std::move(object))});
  return v;
}

}  // namespace berth::wasi
