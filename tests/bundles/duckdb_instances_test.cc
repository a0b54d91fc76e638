// bundles/duckdb in one process: many instances of the C guest, one after another, each in its
// own store, with the bundle loaded once. A guest that traps inside a transaction, holding a
// connection, a cursor and an appender, leaves nothing behind: the next instance opens the same
// database file (DuckDB refuses a file another database of the process still holds), finds the
// transaction rolled back, and the process's open files do not grow.
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
#include <sstream>
#include <string>
#include <vector>

#include "bundles/reference_test_util.h"
#include "common/temp_dir.h"

namespace berth::bundles {
namespace {

namespace fs = std::filesystem;

size_t open_files() {
  size_t count = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

class DuckDbInstancesTest : public berth::testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    auto made = engine::create_engine();
    ASSERT_TRUE(made) << made.error().describe();
    engine_ = std::move(*made);
    std::string file = berth::testing::guest("bundles_duckdb_c");
    std::ifstream in(file, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    auto component = component::load_component(*engine_, std::move(bytes), file);
    ASSERT_TRUE(component) << component.error().describe();
    component_ = std::move(*component);
    auto bundle = bundle::load_bundle_dir(testing::built_bundle("duckdb"),
                                          {{"allowed-directories", dir_.string()}});
    ASSERT_TRUE(bundle) << bundle.error().describe();
    bundle_ = std::move(*bundle);
  }

  struct Run {
    bool trapped = false;
    int status = 0;
    std::string out;
  };

  // Runs the guest as `sql ARGS...` in a store of its own, which is gone when this returns.
  Run run(const std::vector<std::string>& args) {
    Run outcome;
    fs::path out_file = dir_ / "stdout";
    int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    EXPECT_GE(out, 0);
    {
      wasi::WasiConfig config;
      config.args = {"sql"};
      config.args.insert(config.args.end(), args.begin(), args.end());
      config.stdout_fd = out;
      config.stderr_fd = out;
      auto wasi = wasi::make_provider(std::move(config));
      EXPECT_TRUE(wasi) << wasi.error().describe();
      host::Linker linker;
      linker.add(*wasi);
      linker.add(bundle_);
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
    }
    ::close(out);
    std::ifstream in(out_file);
    std::stringstream text;
    text << in.rdbuf();
    outcome.out = text.str();
    return outcome;
  }

  std::shared_ptr<engine::Engine> engine_;
  std::shared_ptr<const component::Component> component_;
  std::shared_ptr<bundle::BundleProvider> bundle_;
};

TEST_F(DuckDbInstancesTest, ATrapInsideATransactionLeavesTheBundleUsable) {
  Run setup = run({"--db", "shop.db", "CREATE TABLE t (n INTEGER)", "INSERT INTO t VALUES (0)"});
  ASSERT_EQ(setup.status, 0) << setup.out;
  const std::vector<std::string> trapping = {"--db",
                                             "shop.db",
                                             ".begin",
                                             "INSERT INTO t VALUES (1)",
                                             ".query",
                                             "SELECT * FROM t",
                                             ".next",
                                             "1",
                                             ".appender",
                                             "t",
                                             ".append",
                                             "1",
                                             "i32:2",
                                             ".prepare",
                                             "SELECT count(*) FROM t",
                                             ".trap"};
  Run first = run(trapping);
  ASSERT_TRUE(first.trapped) << first.out;
  size_t files = open_files();
  for (int i = 0; i < 25; ++i) {
    Run again = run(trapping);
    ASSERT_TRUE(again.trapped) << i << ": " << again.out;
    EXPECT_EQ(again.out, "Count:BIGINT\n1\n1 rows changed\n0\n") << i;
  }
  EXPECT_EQ(open_files(), files);
  Run check = run({"--db", "shop.db", "SELECT count(*) AS n, max(n) AS top FROM t"});
  EXPECT_EQ(check.status, 0) << check.out;
  EXPECT_EQ(check.out, "n:BIGINT\ttop:INTEGER\n1\t0\n");
}

}  // namespace
}  // namespace berth::bundles
