// What the SDK's generators share beyond the public bindgen.h.
#pragma once

#include <string>

#include "berth/result.h"
#include "berth/wit/model.h"

namespace berth::sdk {

// src/NAME.c of a new bundle: create/destroy, and a stub of every function that traps with
// "not implemented yet", so the project builds and links before any real code is written.
Result<std::string> stub_source(const std::string& name, const wit::Resolve& resolve,
                                wit::WorldId world);

}  // namespace berth::sdk
