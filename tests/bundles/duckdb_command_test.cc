// bundles/duckdb end to end: a C WASI command (tests/bundles/guests/duckdb_c) that imports
// duckdb:database@0.1.0, run by the berth executable against the real DuckDB the bundle ships.
// Each run is its own process, so what a later run reads went through the database file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>

#include "bundles/reference_test_util.h"

namespace berth::bundles {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace berth::bundles::testing;

class DuckDbCommandTest : public ReferenceBundleTest {
 protected:
  // `berth run -q PROVIDERS duckdb_c.wasm ARGS...`
  Outcome sql(const std::vector<std::string>& providers, const std::vector<std::string>& args) {
    std::vector<std::string> all = {"run", "-q"};
    all.insert(all.end(), providers.begin(), providers.end());
    all.push_back(berth::testing::guest("bundles_duckdb_c"));
    all.insert(all.end(), args.begin(), args.end());
    return berth(all);
  }

  std::string ok(const std::vector<std::string>& providers, const std::vector<std::string>& args) {
    Outcome o = sql(providers, args);
    EXPECT_EQ(o.exit_code, 0) << describe(o);
    EXPECT_EQ(o.err, "") << describe(o);
    return o.out;
  }

  // The error line the guest printed, after a run that must fail.
  std::string error(const std::vector<std::string>& providers,
                    const std::vector<std::string>& args) {
    Outcome o = sql(providers, args);
    EXPECT_EQ(o.exit_code, 1) << describe(o);
    return o.err;
  }

  std::vector<std::string> in_memory() { return {"--host-bundle", built_bundle("duckdb")}; }

  // The bundle with `data` as its one allowed directory.
  std::vector<std::string> with_data_dir() {
    fs::create_directories(data());
    return {"--host-config",
            hosts_toml("duckdb", "allowed-directories = " + toml_string(data().string()) + "\n")
                .string()};
  }

  fs::path data() const { return dir_ / "data"; }
};

TEST_F(DuckDbCommandTest, CreatesInsertsAndQueriesInMemory) {
  EXPECT_EQ(ok(in_memory(),
               {"CREATE TABLE t (id INTEGER, name VARCHAR, score DOUBLE, good BOOLEAN, raw BLOB)",
                "INSERT INTO t VALUES (1, 'one', 2.5, true, '\\x01\\xFF'::BLOB), "
                "(2, NULL, -0.125, false, ''::BLOB), (3, 'drei ☃', NULL, NULL, NULL)",
                "SELECT * FROM t ORDER BY id"}),
            "Count:bigint\n"
            "Count:bigint\n3\n3 rows changed\n"
            "id:integer\tname:varchar\tscore:double\tgood:boolean\traw:blob\n"
            "1\tone\t2.5\ttrue\tx'01ff'\n"
            "2\tNULL\t-0.125\tfalse\tx''\n"
            "3\tdrei ☃\tNULL\tNULL\tNULL\n");
}

TEST_F(DuckDbCommandTest, EveryBasicTypeKeepsItsValue) {
  EXPECT_EQ(
      ok(in_memory(), {"SELECT (-128)::TINYINT AS a, (-32768)::SMALLINT AS b, "
                       "(-2147483648)::INTEGER AS c, (-9223372036854775808)::BIGINT AS d, "
                       "255::UTINYINT AS e, 65535::USMALLINT AS f, 4294967295::UINTEGER AS g, "
                       "18446744073709551615::UBIGINT AS h, 1.5::FLOAT AS i, "
                       "0.1::DOUBLE AS j"}),
      "a:tinyint\tb:smallint\tc:integer\td:bigint\te:utinyint\tf:usmallint\tg:uinteger\t"
      "h:ubigint\ti:float\tj:double\n"
      "-128\t-32768\t-2147483648\t-9223372036854775808\t255\t65535\t4294967295\t"
      "18446744073709551615\t1.5\t0.10000000000000001\n");
}

TEST_F(DuckDbCommandTest, ResultsSpanningManyChunksArriveWhole) {
  // DuckDB hands results over in chunks of 2048 rows; a string longer than 12 bytes is not
  // inlined in DuckDB's vectors, so both kinds are read.
  std::string out = ok(in_memory(), {"SELECT range AS n, 'a somewhat longer text ' || range AS s "
                                     "FROM range(5000) ORDER BY n"});
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = out.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(out.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 5001u);
  EXPECT_EQ(lines[0], "n:bigint\ts:varchar");
  EXPECT_EQ(lines[1], "0\ta somewhat longer text 0");
  EXPECT_EQ(lines[2049], "2048\ta somewhat longer text 2048");
  EXPECT_EQ(lines[5000], "4999\ta somewhat longer text 4999");
}

TEST_F(DuckDbCommandTest, AFileDatabasePersistsAcrossRuns) {
  std::vector<std::string> providers = with_data_dir();
  EXPECT_EQ(ok(providers, {"--db", "shop.db", "CREATE TABLE items (name VARCHAR, price INTEGER)",
                           "INSERT INTO items VALUES ('pen', 2), ('book', 12)"}),
            "Count:bigint\nCount:bigint\n2\n2 rows changed\n");
  EXPECT_TRUE(fs::exists(data() / "shop.db"));
  // The same file by its absolute path, in a later process.
  EXPECT_EQ(
      ok(providers, {"--db", (data() / "shop.db").string(),
                     "SELECT CAST(sum(price) AS BIGINT) AS total, max(name) AS last FROM items"}),
      "total:bigint\tlast:varchar\n14\tpen\n");
}

TEST_F(DuckDbCommandTest, ErrorsCarryDuckDbsKindAndMessage) {
  EXPECT_THAT(error(in_memory(), {"SELEC 1"}),
              StartsWith("sql: error: duckdb parser: Parser Error: syntax error at or near"));
  EXPECT_THAT(error(in_memory(), {"SELECT * FROM missing"}),
              StartsWith("sql: error: duckdb catalog: Catalog Error: Table with name missing "
                         "does not exist"));
  EXPECT_THAT(error(in_memory(), {"CREATE TABLE t (id INTEGER PRIMARY KEY)",
                                  "INSERT INTO t VALUES (1)", "INSERT INTO t VALUES (1)"}),
              StartsWith("sql: error: duckdb constraint: Constraint Error: Duplicate key"));
  EXPECT_THAT(error(in_memory(), {"SELECT 'x'::INTEGER"}),
              StartsWith("sql: error: duckdb conversion: Conversion Error"));
}

TEST_F(DuckDbCommandTest, TypesNotSupportedYetAreRefusedByName) {
  EXPECT_EQ(error(in_memory(), {"SELECT 1 AS n, DATE '2024-02-29' AS day"}),
            "sql: error: unsupported: column 'day' has type DATE, which duckdb:database@0.1.0 "
            "cannot return yet (CAST it to VARCHAR or a number)\n");
  EXPECT_EQ(ok(in_memory(), {"SELECT CAST(DATE '2024-02-29' AS VARCHAR) AS day"}),
            "day:varchar\n2024-02-29\n");
}

TEST_F(DuckDbCommandTest, AClosedConnectionAnswersClosed) {
  Outcome o = sql(in_memory(), {"SELECT 42 AS answer", ".close", "SELECT 1"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.out, "answer:integer\n42\n");
  EXPECT_EQ(o.err, "sql: error: the connection is closed\n");
}

TEST_F(DuckDbCommandTest, WithoutAllowedDirectoriesOnlyMemoryOpens) {
  EXPECT_EQ(error(in_memory(), {"--db", (dir_ / "x.db").string(), "SELECT 1"}),
            "sql: error: not allowed: \"" + (dir_ / "x.db").string() +
                "\": this bundle's configuration allows in-memory databases only "
                "(allowed-directories is empty)\n");
  EXPECT_FALSE(fs::exists(dir_ / "x.db"));
}

TEST_F(DuckDbCommandTest, PathsOutsideTheAllowedDirectoriesAreRefused) {
  std::vector<std::string> providers = with_data_dir();
  fs::create_directories(dir_ / "outside");
  fs::create_symlink(dir_ / "outside", data() / "link");
  fs::create_symlink(dir_ / "outside" / "new.db", data() / "dangling.db");
  for (const std::string& path :
       {(dir_ / "outside" / "x.db").string(), std::string("../outside/x.db"),
        std::string("link/x.db"), std::string("dangling.db"), std::string("/x.db")}) {
    std::string err = error(providers, {"--db", path, "SELECT 1"});
    EXPECT_THAT(err, StartsWith("sql: error: not allowed: \"" + path + "\"")) << path;
  }
  EXPECT_TRUE(fs::is_empty(dir_ / "outside"));
  // Inside, through a subdirectory, is fine.
  fs::create_directories(data() / "sub");
  EXPECT_EQ(ok(providers, {"--db", "sub/../sub/y.db", "SELECT 7 AS n"}), "n:integer\n7\n");
  EXPECT_TRUE(fs::exists(data() / "sub" / "y.db"));
}

TEST_F(DuckDbCommandTest, SqlCannotReachFilesOrInstallExtensions) {
  std::vector<std::string> providers = with_data_dir();
  EXPECT_THAT(error(providers, {"SELECT * FROM read_csv('/etc/passwd')"}),
              StartsWith("sql: error: duckdb permission: Permission Error: Cannot access file "
                         "\"/etc/passwd\""));
  EXPECT_THAT(error(providers, {"CREATE TABLE t AS SELECT 1 AS n",
                                "COPY t TO '" + (data() / "out.csv").string() + "'"}),
              StartsWith("sql: error: duckdb permission: Permission Error"));
  EXPECT_FALSE(fs::exists(data() / "out.csv"));
  EXPECT_THAT(error(providers, {"INSTALL httpfs"}),
              StartsWith("sql: error: duckdb permission: Permission Error"));
  EXPECT_THAT(error(providers, {"SET enable_external_access = true"}),
              HasSubstr("the configuration has been locked"));
}

TEST_F(DuckDbCommandTest, BadConfigurationIsRefusedBeforeTheGuestRuns) {
  Outcome o = sql(
      {"--host-config", hosts_toml("duckdb", "allowed-directories = \"relative/dir\"\n").string()},
      {"SELECT 1"});
  EXPECT_EQ(o.exit_code, 125) << describe(o);
  EXPECT_THAT(o.err, HasSubstr("configuration 'allowed-directories': \"relative/dir\" is not an "
                               "existing directory given by its absolute path"));
  o = sql({"--host-config", hosts_toml("duckdb", "threads = -1\n").string()}, {"SELECT 1"});
  EXPECT_EQ(o.exit_code, 125) << describe(o);
  EXPECT_THAT(o.err, HasSubstr("configuration 'threads'"));
}

TEST_F(DuckDbCommandTest, TheBundleFolderCarriesItsOwnDuckDb) {
  fs::path lib = built_bundle("duckdb") / "lib";
  EXPECT_TRUE(fs::exists(lib / "libduckdb.so"));
  std::string command = "readelf -d " + (lib / "libduckdb_bundle.so").string();
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  ASSERT_NE(pipe, nullptr);
  std::string dynamic;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe.get())) dynamic.append(buffer, n);
  EXPECT_THAT(dynamic, HasSubstr("Library runpath: [$ORIGIN]")) << dynamic;
  EXPECT_THAT(dynamic, HasSubstr("Shared library: [libduckdb.so]")) << dynamic;
}

TEST_F(DuckDbCommandTest, ASignedCopyLoadsItsOwnDuckDbFromWhatWasChecked) {
  // Signed, the folder is read once and every library in lib/ is loaded from that copy: the
  // bundle's libduckdb.so dependency resolves to the checked one.
  fs::path copy = configured_copy("duckdb", "");
  std::string key = (dir_ / "signer").string();
  ASSERT_EQ(berth({"bundle", "keygen", "-o", key}).exit_code, 0);
  ASSERT_EQ(berth({"bundle", "sign", copy.string(), "--key", key + ".key"}).exit_code, 0);
  EXPECT_EQ(ok({"--require-signed", "--trusted-key", key + ".pub", "--host-bundle", copy.string()},
               {"SELECT 6 * 7 AS answer"}),
            "answer:integer\n42\n");
}

}  // namespace
}  // namespace berth::bundles
