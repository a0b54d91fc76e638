// The WIT of the embedding tests' host (wit/host.wit), as text for DefinedProvider::create.
#pragma once

#include <string>

#include "common/paths.h"
#include "common/run_berth.h"

namespace berth::testing {

inline std::string embedding_host_wit() {
  return slurp(std::string(source_dir()) + "/tests/embedding/wit/host.wit");
}

}  // namespace berth::testing
