// In-process runs of a WASI command guest against host bundles: many instances one after
// another in one process, each in its own store, so that what a trapped instance leaves behind
// shows in the next one (the bundle is loaded once, as in a long-running host).
#pragma once

#include <gtest/gtest.h>

#include <berth/bundle/bundle.h>
#include <berth/component/component.h>
#include <berth/engine/engine.h>
#include <berth/host/linker.h>
#include <berth/wasi/wasi.h>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "common/paths.h"
#include "common/run_berth.h"
#include "common/temp_dir.h"

namespace berth::bundles::testing {

// The number of file descriptors the process has open.
inline size_t open_files() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++count;
  }
  return count;
}

class InProcessGuestTest : public berth::testing::TempDirTest {
 protected:
  // Loads the guest `guest` (a name of berth::testing::guest), run as command `argv0`.
  void load_guest(const std::string& guest, std::string argv0) {
    argv0_ = std::move(argv0);
    auto made = engine::create_engine();
    ASSERT_TRUE(made) << made.error().describe();
    engine_ = std::move(*made);
    std::string file = berth::testing::guest(guest);
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    auto component = component::load_component(*engine_, std::move(bytes), file);
    ASSERT_TRUE(component) << component.error().describe();
    component_ = std::move(*component);
  }

  struct Run {
    bool trapped = false;
    int status = 0;
    std::string out;  // stdout and stderr
  };

  // An instance kept after its run, with everything it holds (a trapped guest's handles).
  struct Kept {
    std::unique_ptr<engine::Store> store;
    std::unique_ptr<host::LinkedInstance> linked;  // destroyed first
  };

  // Runs the guest as `ARGV0 ARGS...` in a store of its own, which is gone when this returns
  // unless `kept` takes it; with the bundle `bundle`, or bundle_.
  Run run(const std::vector<std::string>& args,
          std::shared_ptr<bundle::BundleProvider> bundle = nullptr, Kept* kept = nullptr) {
    Run outcome;
    std::filesystem::path out_file = dir_ / "stdout";
    int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    EXPECT_GE(out, 0);
    {
      wasi::WasiConfig config;
      config.args = {argv0_};
      config.args.insert(config.args.end(), args.begin(), args.end());
      config.stdout_fd = out;
      config.stderr_fd = out;
      auto wasi = wasi::make_provider(std::move(config));
      EXPECT_TRUE(wasi) << wasi.error().describe();
      host::Linker linker;
      linker.add(*wasi);
      linker.add(bundle ? bundle : bundle_);
      auto store = engine_->create_store();
      EXPECT_TRUE(store) << store.error().describe();
      auto linked = linker.instantiate(**store, component_);
      EXPECT_TRUE(linked) << linked.error().describe();
      if (linked) {
        component::ComponentInstance& instance = (*linked)->component();
        for (const auto& func : instance.functions()) {
          if (!func.name.starts_with("wasi:cli/run@0.2.") || !func.name.ends_with("#run")) continue;
          auto result = instance.call(func, {});
          if (!result && result.error().code() == ErrorCode::kExit) {
            outcome.status = result.error().exit_status();
          } else if (!result) {
            outcome.trapped = true;
          } else {
            outcome.status = (*result)->discriminant == 0 ? 0 : 1;
          }
        }
      }
      if (kept != nullptr && linked) {
        kept->store = std::move(*store);
        kept->linked = std::move(*linked);
      }
    }
    ::close(out);
    std::ifstream in(out_file);
    std::stringstream text;
    text << in.rdbuf();
    outcome.out = text.str();
    return outcome;
  }

  std::string argv0_;
  std::shared_ptr<engine::Engine> engine_;
  std::shared_ptr<const component::Component> component_;
  std::shared_ptr<bundle::BundleProvider> bundle_;
};

}  // namespace berth::bundles::testing
