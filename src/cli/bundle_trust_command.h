// Bundle trust on the command line: `berth bundle keygen`, `sign` and `verify`.
#pragma once

#include <string>
#include <vector>

namespace berth::cli {

struct BundleTrustOptions {
  std::string action;                     // "keygen", "sign" or "verify" (set when parsed)
  std::string output;                     // keygen: the key files' base name
  std::string bundle;                     // sign, verify: the bundle folder
  std::string key;                        // sign: the secret key file
  std::vector<std::string> trusted_keys;  // verify
};

// Runs the one that was parsed; exit status 1 when verify finds the bundle untrusted.
int bundle_trust_command(const BundleTrustOptions& options);

}  // namespace berth::cli
