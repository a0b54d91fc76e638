// A standalone runner: runs a WASI 0.2 command component with the directories and environment
// variables its command line grants, through libberth (docs/embedding.md).
//
//   runner [--dir HOST[::GUEST]]... [--env NAME=VALUE]... APP.wasm [ARGS...]
#include <berth/component/component.h>
#include <berth/engine/engine.h>
#include <berth/host/linker.h>
#include <berth/version.h>
#include <berth/wasi/wasi.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "runner: %s\n", message.c_str());
  return 125;
}

}  // namespace

int main(int argc, char** argv) {
  berth::wasi::WasiConfig wasi;
  int i = 1;
  for (; i + 1 < argc; i += 2) {
    std::string_view option = argv[i];
    std::string value = argv[i + 1];
    if (option == "--dir") {
      size_t sep = value.find("::");
      std::string guest = sep == std::string::npos ? value : value.substr(sep + 2);
      wasi.preopens.push_back({.host = value.substr(0, sep), .guest = guest});
    } else if (option == "--env") {
      size_t eq = value.find('=');
      if (eq == std::string::npos) return fail("--env takes NAME=VALUE");
      wasi.env.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else {
      break;
    }
  }
  if (i >= argc) {
    std::fprintf(stderr,
                 "usage: runner [--dir HOST[::GUEST]]... [--env NAME=VALUE]... "
                 "APP.wasm [ARGS...]  (libberth %s)\n",
                 berth::version());
    return 2;
  }
  std::string file = argv[i];
  wasi.args.assign(argv + i, argv + argc);

  std::ifstream in(file, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) return fail(file + ": cannot read the file");

  auto engine = berth::engine::create_engine();
  if (!engine) return fail(engine.error().describe());
  auto component = berth::component::load_component(**engine, std::move(bytes), file);
  if (!component) return fail(component.error().describe());
  auto provider = berth::wasi::make_provider(std::move(wasi));
  if (!provider) return fail(provider.error().describe());
  berth::host::Linker linker;
  linker.add(*provider);
  auto store = (*engine)->create_store();
  if (!store) return fail(store.error().describe());
  auto linked = linker.instantiate(**store, *component);
  if (!linked) return fail(linked.error().describe());

  // A command exports wasi:cli/run@0.2.x#run, which returns result (ok: success).
  berth::component::ComponentInstance& instance = (*linked)->component();
  for (const auto& func : instance.functions()) {
    if (func.name.starts_with("wasi:cli/run@0.2.") && func.name.ends_with("#run")) {
      auto result = instance.call(func, {});
      // wasi:cli/exit ends the call with an error that carries the guest's status.
      if (!result && result.error().code() == berth::ErrorCode::kExit) {
        return result.error().exit_status();
      }
      if (!result) return fail(result.error().describe());
      return *result && (*result)->discriminant == 0 ? 0 : 1;
    }
  }
  return fail(file + " does not export wasi:cli/run@0.2");
}
