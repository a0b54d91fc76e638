// libsodium must be initialised before its first use; every entry point of trust/ that uses it
// calls this first.
#pragma once

#include <sodium.h>

#include "berth/result.h"

namespace berth::bundle {

inline Result<void> ensure_sodium() {
  if (sodium_init() < 0) return Error(ErrorCode::kInternal, "libsodium failed to initialise");
  return {};
}

}  // namespace berth::bundle
