// Runs a WASI command guest (a component exporting wasi:cli/run) against host bundles, one store
// per run, as the bundle benchmarks do for every iteration.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench_support.h"
#include "berth/component/component.h"
#include "berth/engine/engine.h"
#include "berth/host/linker.h"
#include "berth/wasi/wasi.h"

namespace berth::bench {

class CommandGuest {
 public:
  // The guest the build compiled as `name`, run as command `argv0`.
  CommandGuest(const char* name, std::string argv0)
      : argv0_(std::move(argv0)),
        engine_(must(engine::create_engine())),
        component_(must(component::load_component(*engine_, guest(name), name))) {}

  // Runs `ARGV0 ARGS...` with built-in WASI and `providers`: what it printed, or nothing when it
  // did not succeed.
  std::optional<std::string> run(const std::vector<std::shared_ptr<host::Provider>>& providers,
                                 const std::vector<std::string>& args) {
    std::filesystem::path out_file = std::filesystem::temp_directory_path() /
                                     ("berth_bench_guest_out_" + std::to_string(getpid()));
    int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    bool succeeded = false;
    {
      wasi::WasiConfig config;
      config.args = {argv0_};
      config.args.insert(config.args.end(), args.begin(), args.end());
      config.stdout_fd = out;
      host::Linker linker;
      linker.add(must(wasi::make_provider(std::move(config))));
      for (const auto& provider : providers) linker.add(provider);
      auto store = must(engine_->create_store());
      auto linked = must(linker.instantiate(*store, component_));
      component::ComponentInstance& instance = linked->component();
      for (const auto& func : instance.functions()) {
        if (func.name.starts_with("wasi:cli/run@0.2.") && func.name.ends_with("#run")) {
          auto result = instance.call(func, {});
          succeeded = result && *result && (*result)->discriminant == 0;
        }
      }
    }
    ::close(out);
    std::ifstream in(out_file);
    std::stringstream printed;
    printed << in.rdbuf();
    std::filesystem::remove(out_file);
    if (!succeeded) return std::nullopt;
    return printed.str();
  }

 private:
  std::string argv0_;
  std::shared_ptr<engine::Engine> engine_;
  std::shared_ptr<const component::Component> component_;
};

}  // namespace berth::bench
