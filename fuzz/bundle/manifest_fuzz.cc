// Parses arbitrary text as host.toml and as hosts.toml. Either may fail, but only with an error
// that names the file; anything else (a crash, an exception escaping, an error without the
// file's name) is a bug.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "berth/bundle/manifest.h"

namespace {

void check(const berth::Error& error, std::string_view file) {
  if (error.message().find(file) != 0) {
    std::fprintf(stderr, "error does not start with the file name: %s\n", error.message().c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto host = berth::bundle::parse_host_manifest(text, "/fuzz/bundle/host.toml");
  if (!host) {
    check(host.error(), "/fuzz/bundle/host.toml");
  } else if (host->name.empty() || host->lib.empty() || host->wit.empty()) {
    std::fprintf(stderr, "host.toml parsed without name, lib or wit\n");
    std::abort();
  }
  auto hosts = berth::bundle::parse_hosts_manifest(text, "/fuzz/hosts.toml");
  if (!hosts) {
    check(hosts.error(), "/fuzz/hosts.toml");
  } else {
    for (const auto& entry : hosts->hosts) {
      if (entry.name.empty() || (!entry.bundle && !(entry.wit && entry.lib))) {
        std::fprintf(stderr, "[[host]] parsed without a name or a source\n");
        std::abort();
      }
    }
  }
  return 0;
}
