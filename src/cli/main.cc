// The berth command.
#include <CLI/CLI.hpp>

#include "berth/version.h"
#include "cli/bundle_author_command.h"
#include "cli/bundle_command.h"
#include "cli/exit_codes.h"
#include "cli/run_command.h"
#include "cli/wit_command.h"

int main(int argc, char** argv) {
  using namespace berth::cli;
  CLI::App app{"berth: a WebAssembly runtime for components and native host bundles", "berth"};
  app.set_version_flag("--version", "berth " BERTH_VERSION);
  app.require_subcommand(1);

  RunOptions run_options;
  CLI::App* run = add_run_command(app, run_options);
  WitOptions wit_options;
  CLI::App* wit = add_wit_command(app, wit_options);
  BundleCommandOptions bundle_options;
  CLI::App* bundle = add_bundle_command(app, bundle_options);
  BundleNewOptions bundle_new_options;
  CLI::App* bundle_new = add_bundle_new_command(*bundle, bundle_new_options);
  BundleBindgenOptions bundle_bindgen_options;
  CLI::App* bundle_bindgen = add_bundle_bindgen_command(*bundle, bundle_bindgen_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  if (run->parsed()) {
    if (auto ok = take_positionals(*run, run_options); !ok) {
      report_error(ok.error());
      return kExitUsage;
    }
    return run_command(run_options);
  }
  if (wit->parsed()) return wit_command(wit_options);
  if (bundle_new->parsed()) return bundle_new_command(bundle_new_options);
  if (bundle_bindgen->parsed()) return bundle_bindgen_command(bundle_bindgen_options);
  if (bundle->parsed()) return bundle_command(bundle_options);
  return kExitUsage;
}
