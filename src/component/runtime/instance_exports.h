// What a component instance exports besides functions, for tools inside berth (the conformance
// runner links one instance's exports into another's imports). Not part of the public API.
#pragma once

#include <string_view>

#include "berth/component/component.h"

namespace berth::component::runtime {

// The resource type `instance` exports as `name` (a top-level export, or "iface#name" inside an
// exported instance), or null when it exports no resource type of that name. `instance` must
// come from component::instantiate.
ResourceTypeRef exported_resource(const ComponentInstance& instance, std::string_view name);

}  // namespace berth::component::runtime
