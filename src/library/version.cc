#include "berth/version.h"

namespace berth {

const char* version() {
  return BERTH_VERSION;
}

}  // namespace berth
