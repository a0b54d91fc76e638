// `berth bundle check BUNDLE [COMPONENT]` loads a bundle
// (every check of loading included: library, entry symbol, ABI version, WIT, descriptor) and
// prints what it provides; given a component, it says for each import whether the bundle
// satisfies it, and exactly why not.
#pragma once

#include <optional>
#include <string>

#include "cli/bundle_trust_command.h"

namespace berth::cli {

struct BundleCommandOptions {
  std::string action;  // the subcommand of `bundle` that ran: "check" (set when parsed)
  std::string bundle;  // check: a bundle folder (or its host.toml)
  std::optional<std::string> component;  // check: a component to check against it
  TrustFlags trust;                      // check: the signature policy
};

// Runs the `bundle` subcommand that was parsed.
int bundle_command(const BundleCommandOptions& options);

}  // namespace berth::cli
