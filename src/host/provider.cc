#include "berth/host/provider.h"

namespace berth::host {

namespace {

std::vector<ProvidedInterface> named_interfaces(const wit::Resolve& resolve,
                                                const std::vector<wit::WorldItem>& items) {
  std::vector<ProvidedInterface> out;
  for (const wit::WorldItem& item : items) {
    if (item.kind != wit::WorldItem::Kind::kInterface) continue;
    std::string name = resolve.interface_path(item.interface);
    if (name.empty()) continue;  // an inline `export x: interface { ... }` has no path to match
    out.push_back(ProvidedInterface{std::move(name), item.interface});
  }
  return out;
}

}  // namespace

const std::vector<ProvidedInterface>& Provider::dependencies() const {
  static const std::vector<ProvidedInterface> none;
  return none;
}

std::vector<ProvidedInterface> exported_interfaces(const wit::Resolve& resolve,
                                                   wit::WorldId world) {
  return named_interfaces(resolve, resolve.world(world).exports);
}

std::vector<ProvidedInterface> imported_interfaces(const wit::Resolve& resolve,
                                                   wit::WorldId world) {
  return named_interfaces(resolve, resolve.world(world).imports);
}

}  // namespace berth::host
