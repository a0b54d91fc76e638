// Parses arbitrary text as a version requirement. It may fail, but only with a message; a
// parsed requirement keeps its text (without surrounding spaces) and can be asked about any
// version without trouble.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "berth/wit/version_range.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto range = berth::wit::VersionRange::parse(text);
  if (!range) {
    if (range.error().message().empty()) std::abort();
    return 0;
  }
  if (range->text().empty() || text.find(range->text()) == std::string_view::npos) {
    std::fprintf(stderr, "the requirement lost its text\n");
    std::abort();
  }
  for (const char* v : {"0.0.0", "0.1.0", "1.2.3", "1.2.3-rc.1", "99.0.0", "1.0.0+b"}) {
    (void)range->matches(*berth::wit::Version::parse(v));
  }
  return 0;
}
