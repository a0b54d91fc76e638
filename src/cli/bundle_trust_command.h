// Bundle trust on the command line: `berth bundle keygen`, `sign` and `verify`, and the flags
// about loading bundles (--trusted-key, --require-signed, -q, -v) that `run` and `bundle check`
// share.
#pragma once

#include <string>
#include <vector>

#include "berth/bundle/bundle.h"
#include "berth/result.h"

namespace berth::cli {

struct BundleLoadFlags {
  std::vector<std::string> trusted_keys;  // public key files
  bool require_signed = false;
  bool quiet = false;    // no warnings about unsigned or untrusted bundles
  bool verbose = false;  // say which bundle was chosen from where, and why others were not
};

// The flags as bundle options: trusted keys, the policy, warnings on stderr unless quiet, and
// notes on stderr when verbose.
void apply_bundle_load_flags(const BundleLoadFlags& flags, bundle::BundleOptions& options);
// The flags as the policy for one bundle folder.
Result<bundle::TrustPolicy> trust_policy_of(const BundleLoadFlags& flags);

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
