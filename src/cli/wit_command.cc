#include "cli/wit_command.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "berth/wit/printer.h"
#include "berth/wit/resolve.h"
#include "cli/exit_codes.h"

namespace berth::cli {
namespace {

Result<std::string> print_wit_source(const WitOptions& options) {
  wit::Resolve resolve;
  wit::ResolveOptions resolve_options;
  resolve_options.features = options.features;
  resolve_options.all_features = options.all_features;
  BERTH_TRY_ASSIGN(wit::PackageId root, wit::load_path(resolve, options.path, resolve_options));
  return wit::print_resolve(resolve, root);
}

}  // namespace

CLI::App* add_wit_command(CLI::App& app, WitOptions& options) {
  CLI::App* wit = app.add_subcommand(
      "wit", "Check a WIT file or folder (with deps/) and print it in canonical form");
  wit->add_option("PATH", options.path, "A .wit file, or a folder of .wit files with deps/")
      ->required();
  wit->add_option("--features", options.features,
                  "Include items gated by @unstable(feature = NAME)")
      ->delimiter(',')
      ->type_name("NAME,...");
  wit->add_flag("--all-features", options.all_features, "Include every @unstable item");
  return wit;
}

int wit_command(const WitOptions& options) {
  auto printed = print_wit_source(options);
  if (!printed) {
    report_error(printed.error());
    return exit_code_for(printed.error());
  }
  fmt::print("{}", *printed);
  return kExitOk;
}

}  // namespace berth::cli
