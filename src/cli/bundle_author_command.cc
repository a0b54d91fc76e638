#include "cli/bundle_author_command.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "berth/sdk/bindgen.h"
#include "cli/exit_codes.h"

namespace berth::cli {

CLI::App* add_bundle_new_command(CLI::App& bundle, BundleNewOptions& options) {
  CLI::App* cmd = bundle.add_subcommand(
      "new",
      "Create a bundle project from a WIT world: host.toml, the WIT, CMakeLists.txt, generated "
      "C bindings and a stub implementation that builds");
  cmd->add_option("NAME", options.name,
                  "The bundle's name; it names the library and the C "
                  "functions of create/destroy")
      ->required();
  cmd->add_option("--wit", options.wit,
                  "The WIT file or folder (with deps/) whose world the bundle implements")
      ->required()
      ->type_name("PATH");
  cmd->add_option("--world", options.world,
                  "The world, when the package has several; its exports are what the bundle "
                  "provides")
      ->type_name("WORLD");
  cmd->add_option("--output", options.output, "Where to create the project (default: ./NAME)")
      ->type_name("DIR");
  cmd->footer(
      "Build the project with CMake against the installed SDK (find_package(berth-sdk)); the\n"
      "library lands in lib/, and the folder is then a bundle for berth run --host-bundle.");
  return cmd;
}

CLI::App* add_bundle_bindgen_command(CLI::App& bundle, BundleBindgenOptions& options) {
  CLI::App* cmd = bundle.add_subcommand(
      "bindgen",
      "Regenerate a bundle project's generated/ bindings from its host.toml and WIT (after the "
      "WIT changed); src/ is left alone");
  cmd->add_option("DIR", options.directory, "The bundle project (default: the current folder)");
  return cmd;
}

int bundle_new_command(const BundleNewOptions& options) {
  sdk::ScaffoldOptions scaffold{
      .name = options.name,
      .wit = options.wit,
      .world = options.world,
      .directory = options.output.empty() ? options.name : options.output};
  auto written = sdk::scaffold_bundle(scaffold);
  if (!written) {
    report_error(written.error());
    return exit_code_for(written.error());
  }
  for (const auto& path : *written) fmt::print("created {}\n", path.string());
  fmt::print(
      "next: implement src/{0}.c, then\n  cmake -S {1} -B {1}/build && cmake --build {1}/build\n"
      "  berth run --host-bundle {1} app.wasm\n",
      options.name, scaffold.directory.string());
  return kExitOk;
}

int bundle_bindgen_command(const BundleBindgenOptions& options) {
  auto written = sdk::regenerate_bindings(options.directory);
  if (!written) {
    report_error(written.error());
    return exit_code_for(written.error());
  }
  for (const auto& path : *written) fmt::print("wrote {}\n", path.string());
  return kExitOk;
}

}  // namespace berth::cli
