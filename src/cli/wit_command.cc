#include "cli/wit_command.h"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "berth/wit/component_bridge.h"
#include "berth/wit/printer.h"
#include "berth/wit/resolve.h"
#include "cli/exit_codes.h"

namespace berth::cli {
namespace {

// A WebAssembly binary (component or core module) starts with the `\0asm` magic; WIT text
// cannot, since it never holds a NUL.
bool is_wasm_binary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, sizeof magic) && std::memcmp(magic, "\0asm", sizeof magic) == 0;
}

Result<std::string> print_component(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (in.bad()) return Error(ErrorCode::kIo, fmt::format("{}: cannot read the file", path));
  auto printed = wit::print_component_world(bytes);
  if (!printed) {
    Error error = std::move(printed).error();
    error.prepend(path);
    return error;
  }
  return printed;
}

Result<std::string> print_wit_source(const WitOptions& options) {
  wit::Resolve resolve;
  wit::ResolveOptions resolve_options;
  resolve_options.features = options.features;
  resolve_options.all_features = options.all_features;
  BERTH_TRY_ASSIGN(wit::PackageId root, wit::load_path(resolve, options.path, resolve_options));
  return wit::print_resolve(resolve, root);
}

}  // namespace

int wit_command(const WitOptions& options) {
  auto printed =
      is_wasm_binary(options.path) ? print_component(options.path) : print_wit_source(options);
  if (!printed) {
    report_error(printed.error());
    return exit_code_for(printed.error());
  }
  fmt::print("{}", *printed);
  return kExitOk;
}

}  // namespace berth::cli
