// Parses and resolves arbitrary text as one WIT file. Whatever resolves must print as WIT that
// resolves again to an equivalent model; a difference is a bug and aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "berth/wit/printer.h"
#include "berth/wit/resolve.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  berth::wit::ResolveOptions options;
  options.all_features = true;
  berth::wit::Resolve first;
  auto root = berth::wit::load_source(first, "fuzz.wit", text, options);
  if (!root) return 0;
  std::string printed = berth::wit::print_resolve(first, *root);
  berth::wit::Resolve second;
  auto again = berth::wit::load_source(second, "printed.wit", printed, options);
  if (!again) {
    std::fprintf(stderr, "printed WIT does not load: %s\n%s\n", again.error().message().c_str(),
                 printed.c_str());
    std::abort();
  }
  std::string difference = berth::wit::first_difference(first, second);
  if (!difference.empty()) {
    std::fprintf(stderr, "round trip changed the model: %s\n%s\n", difference.c_str(),
                 printed.c_str());
    std::abort();
  }
  return 0;
}
