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

  // An instance kept after its run, with everything it holds (a trapped guest's handles).
  struct Kept {
    std::unique_ptr<engine::Store> store;
    std::unique_ptr<host::LinkedInstance> linked;  // destroyed first
  };

  // Runs the guest as `sql ARGS...` in a store of its own, which is gone when this returns
  // unless `kept` takes it; with the bundle `bundle`, or the one SetUp loaded.
  Run run(const std::vector<std::string>& args,
          std::shared_ptr<bundle::BundleProvider> bundle = nullptr, Kept* kept = nullptr) {
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

TEST_F(DuckDbInstancesTest, AFileIsSharedBetweenInstancesOnlyWhenTheConfigurationSaysSo) {
  ASSERT_EQ(
      run({"--db", "shop.db", "CREATE TABLE t (n INTEGER)", "INSERT INTO t VALUES (1)"}).status, 0);
  // An instance that holds the file open: it trapped, and its store lives on.
  Kept holder;
  ASSERT_TRUE(run({"--db", "shop.db", "SELECT 1 AS n", ".trap"}, nullptr, &holder).trapped);
  Run refused = run({"--db", "shop.db", "SELECT count(*) AS n FROM t"});
  EXPECT_EQ(refused.status, 1);
  EXPECT_EQ(refused.out, "sql: error: duckdb connection: the database file " +
                             fs::canonical(dir_ / "shop.db").string() +
                             " is open in another instance of the component in this process (set "
                             "shared = true in the bundle's configuration to share it)\n");
  holder = {};

  auto shared =
      bundle::load_bundle_dir(testing::built_bundle("duckdb"),
                              {{"allowed-directories", dir_.string()}, {"shared", "true"}});
  ASSERT_TRUE(shared) << shared.error().describe();
  Kept writer;
  ASSERT_TRUE(
      run({"--db", "shop.db", "INSERT INTO t VALUES (2)", ".trap"}, *shared, &writer).trapped);
  // The second instance works on the same database while the first holds it.
  Run reader =
      run({"--db", "shop.db", "INSERT INTO t VALUES (3)", "SELECT sum(n) AS s FROM t"}, *shared);
  EXPECT_EQ(reader.status, 0) << reader.out;
  EXPECT_EQ(reader.out, "Count:BIGINT\n1\n1 rows changed\ns:HUGEINT\n6\n");
  // Other settings for the same shared file are refused.
  auto other = bundle::load_bundle_dir(
      testing::built_bundle("duckdb"),
      {{"allowed-directories", dir_.string()}, {"shared", "true"}, {"threads", "1"}});
  ASSERT_TRUE(other) << other.error().describe();
  Run mismatched = run({"--db", "shop.db", "SELECT 1"}, *other);
  EXPECT_EQ(mismatched.status, 1);
  EXPECT_NE(mismatched.out.find("is shared in this process with other settings"), std::string::npos)
      << mismatched.out;
  writer = {};
  // Everything let go: the file is anyone's again.
  EXPECT_EQ(run({"--db", "shop.db", "SELECT count(*) AS n FROM t"}).out, "n:BIGINT\n3\n");
}

}  // namespace
}  // namespace berth::bundles
