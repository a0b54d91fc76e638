#include "common/paths.h"

namespace berth::testing {

const char* source_dir() {
  return BERTH_SOURCE_DIR;
}
const char* binary_dir() {
  return BERTH_BINARY_DIR;
}
const char* guest_dir() {
  return BERTH_GUEST_DIR;
}
const char* berth_exe() {
  return BERTH_EXE;
}

}  // namespace berth::testing
