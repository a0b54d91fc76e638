// Parses arbitrary bytes as a bundle signature file and as public and secret key files. Each
// may fail, but only with an error that names the file; a parsed signature file must print
// back to text that parses to the same thing.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "berth/bundle/trust.h"

namespace {

constexpr std::string_view kFile = "/fuzz/bundle/signatures/0123456789abcdef.sig";

void fail(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  std::abort();
}

void check_names(const berth::Error& error, std::string_view file) {
  if (error.message().find(file) == std::string::npos) {
    std::fprintf(stderr, "error does not name the file: %s\n", error.message().c_str());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto signature = berth::bundle::parse_signature_file(text, std::string(kFile));
  if (!signature) {
    check_names(signature.error(), kFile);
  } else {
    auto again = berth::bundle::parse_signature_file(
        berth::bundle::format_signature_file(*signature), std::string(kFile));
    if (!again) fail("a printed signature file does not parse");
    if (again->key_id != signature->key_id || again->files != signature->files ||
        again->signature != signature->signature) {
      fail("a signature file changed in printing");
    }
  }
  auto pub = berth::bundle::parse_public_key(text, "/fuzz/key.pub");
  if (!pub) check_names(pub.error(), "/fuzz/key.pub");
  auto secret = berth::bundle::parse_secret_key(text, "/fuzz/key.key");
  if (!secret) check_names(secret.error(), "/fuzz/key.key");
  return 0;
}
