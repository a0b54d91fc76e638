// bundles/duckdb in one process: many instances of the C guest, one after another, each in its
// own store, with the bundle loaded once. A guest that traps inside a transaction, holding a
// connection, a cursor and an appender, leaves nothing behind: the next instance opens the same
// database file (DuckDB refuses a file another database of the process still holds), finds the
// transaction rolled back, and the process's open files do not grow.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "bundles/in_process_guest.h"
#include "bundles/reference_test_util.h"

namespace berth::bundles {
namespace {

namespace fs = std::filesystem;
using testing::open_files;

class DuckDbInstancesTest : public testing::InProcessGuestTest {
 protected:
  void SetUp() override {
    InProcessGuestTest::SetUp();
    load_guest("bundles_duckdb_c", "sql");
    if (HasFatalFailure()) return;
    auto bundle = bundle::load_bundle_dir(testing::built_bundle("duckdb"),
                                          {{"allowed-directories", dir_.string()}});
    ASSERT_TRUE(bundle) << bundle.error().describe();
    bundle_ = std::move(*bundle);
  }
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
