// The berth command.
#include <CLI/CLI.hpp>

#include "berth/version.h"
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
  return kExitUsage;
}
