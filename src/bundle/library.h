// Loading a bundle's native library from the bytes berth read (and, for a signed bundle,
// verified), never from its path again.
#pragma once

#include <filesystem>

#include "berth/bundle/trust.h"
#include "berth/result.h"

namespace berth::bundle {

// dlopens `lib` from a sealed memfd copy of its bytes in `files`. When the library lies inside
// the bundle folder, the other shared libraries in its folder (what it ships in lib/, such as
// libduckdb.so) are loaded first the same way, so that its DT_NEEDED entries resolve to them by
// their SONAME. `where` prefixes errors. Returns the dlopen handle (never closed).
Result<void*> open_bundle_library(const BundleFiles& files, const std::filesystem::path& lib,
                                  const std::string& where);

}  // namespace berth::bundle
