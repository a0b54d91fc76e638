// `berth bundle check BUNDLE [COMPONENT]` loads a bundle folder, or every bundle a hosts.toml
// names (every check of loading included: trust, library, ABI version, entry symbol, WIT,
// descriptor), and prints what each provides; given a component, it says for each import
// whether the bundles satisfy it, and exactly why not.
#pragma once

#include <optional>
#include <string>

#include "cli/bundle_trust_command.h"

namespace berth::cli {

struct BundleCommandOptions {
  std::string action;  // the subcommand of `bundle` that ran: "check" (set when parsed)
  std::string bundle;  // check: a bundle folder (or its host.toml), or a hosts.toml
  std::optional<std::string> component;  // check: a component to check against it
  BundleLoadFlags bundle_loading;        // check: trust policy, -q, -v
};

// Runs the `bundle` subcommand that was parsed.
int bundle_command(const BundleCommandOptions& options);

}  // namespace berth::cli
