#include "cli/bundle_author_command.h"

#include <fmt/format.h>

#include "berth/sdk/bindgen.h"
#include "cli/exit_codes.h"

namespace berth::cli {

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
