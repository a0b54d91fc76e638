#include "berth/host/provider.h"

namespace berth::host {

std::vector<ProvidedInterface> exported_interfaces(const wit::Resolve& resolve,
                                                   wit::WorldId world) {
  std::vector<ProvidedInterface> out;
  for (const wit::WorldItem& item : resolve.world(world).exports) {
    if (item.kind != wit::WorldItem::Kind::kInterface) continue;
    std::string name = resolve.interface_path(item.interface);
    if (name.empty()) continue;  // an inline `export x: interface { ... }` has no path to match
    out.push_back(ProvidedInterface{std::move(name), item.interface});
  }
  return out;
}

}  // namespace berth::host
