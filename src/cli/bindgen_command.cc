#include "cli/bindgen_command.h"

#include <fmt/format.h>

#include "berth/sdk/bindgen.h"
#include "berth/wit/resolve.h"
#include "cli/exit_codes.h"
#include "support/file.h"

namespace berth::cli {
namespace {

Result<void> generate(const BindgenOptions& options) {
  wit::Resolve resolve;
  BERTH_TRY_ASSIGN(wit::PackageId package, wit::load_path(resolve, options.wit));
  BERTH_TRY_ASSIGN(wit::WorldId world, wit::select_world(resolve, package, options.world));
  BERTH_TRY_ASSIGN(sdk::GeneratedFile header,
                   sdk::generate_host_bindings(resolve, world, options.output));
  if (options.output.empty()) {
    fmt::print("{}", header.text);
    return {};
  }
  return write_text_file(options.output, header.text);
}

}  // namespace

int bindgen_command(const BindgenOptions& options) {
  Result<void> done = generate(options);
  if (!done) {
    report_error(done.error());
    return exit_code_for(done.error());
  }
  return kExitOk;
}

}  // namespace berth::cli
