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
            "Count:BIGINT\n"
            "Count:BIGINT\n3\n3 rows changed\n"
            "id:INTEGER\tname:VARCHAR\tscore:DOUBLE\tgood:BOOLEAN\traw:BLOB\n"
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
      "a:TINYINT\tb:SMALLINT\tc:INTEGER\td:BIGINT\te:UTINYINT\tf:USMALLINT\tg:UINTEGER\t"
      "h:UBIGINT\ti:FLOAT\tj:DOUBLE\n"
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
  EXPECT_EQ(lines[0], "n:BIGINT\ts:VARCHAR");
  EXPECT_EQ(lines[1], "0\ta somewhat longer text 0");
  EXPECT_EQ(lines[2049], "2048\ta somewhat longer text 2048");
  EXPECT_EQ(lines[5000], "4999\ta somewhat longer text 4999");
}

TEST_F(DuckDbCommandTest, AFileDatabasePersistsAcrossRuns) {
  std::vector<std::string> providers = with_data_dir();
  EXPECT_EQ(ok(providers, {"--db", "shop.db", "CREATE TABLE items (name VARCHAR, price INTEGER)",
                           "INSERT INTO items VALUES ('pen', 2), ('book', 12)"}),
            "Count:BIGINT\nCount:BIGINT\n2\n2 rows changed\n");
  EXPECT_TRUE(fs::exists(data() / "shop.db"));
  // The same file by its absolute path, in a later process.
  EXPECT_EQ(ok(providers, {"--db", (data() / "shop.db").string(),
                           "SELECT sum(price) AS total, max(name) AS last FROM items"}),
            "total:HUGEINT\tlast:VARCHAR\n14\tpen\n");
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

TEST_F(DuckDbCommandTest, IntegersOf128BitsAndDecimalsAreExact) {
  EXPECT_EQ(ok(in_memory(), {"SELECT 170141183460469231731687303715884105727::HUGEINT AS h, "
                             "(-170141183460469231731687303715884105728)::HUGEINT AS l, "
                             "340282366920938463463374607431768211455::UHUGEINT AS u, "
                             "12.45::DECIMAL(4,2) AS d16, (-0.05)::DECIMAL(9,3) AS d32, "
                             "0.001::DECIMAL(18,3) AS d64, "
                             "12345678901234567890.123456789::DECIMAL(38,9) AS d128"}),
            "h:HUGEINT\tl:HUGEINT\tu:UHUGEINT\td16:DECIMAL(4,2)\td32:DECIMAL(9,3)\t"
            "d64:DECIMAL(18,3)\td128:DECIMAL(38,9)\n"
            "170141183460469231731687303715884105727\t"
            "-170141183460469231731687303715884105728\t"
            "340282366920938463463374607431768211455\t12.45\t-0.050\t0.001\t"
            "12345678901234567890.123456789\n");
}

TEST_F(DuckDbCommandTest, TimesIntervalsUuidsEnumsAndBitsKeepTheirValues) {
  EXPECT_EQ(ok(in_memory(),
               {"SELECT DATE '2024-02-29' AS d, DATE '1969-12-31' AS before, "
                "TIME '12:34:56.789' AS t, TIMETZ '12:00:00+05' AS ttz, "
                "TIMESTAMP '2024-02-29 12:00:00.5' AS ts, TIMESTAMP_S '2024-01-01 00:00:01' AS s, "
                "TIMESTAMP_MS '2024-01-01 00:00:01.5' AS ms, "
                "TIMESTAMP_NS '1960-01-01 00:00:00.000000001' AS ns, "
                "TIMESTAMPTZ '2024-01-01 10:00:00+02' AS tz"}),
            "d:DATE\tbefore:DATE\tt:TIME\tttz:TIME WITH TIME ZONE\tts:TIMESTAMP\ts:TIMESTAMP_S\t"
            "ms:TIMESTAMP_MS\tns:TIMESTAMP_NS\ttz:TIMESTAMP WITH TIME ZONE\n"
            "2024-02-29\t1969-12-31\t12:34:56.789000\t12:00:00+05\t2024-02-29 12:00:00.500000\t"
            "2024-01-01 00:00:01\t2024-01-01 00:00:01.500\t1960-01-01 00:00:00.000000001\t"
            "2024-01-01 08:00:00+00\n");
  EXPECT_EQ(ok(in_memory(), {"CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                             "SELECT INTERVAL '1 year 2 days 3 seconds' AS i, "
                             "UUID 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' AS id, "
                             "'happy'::mood AS m, '10110'::BIT AS b"}),
            "Count:BIGINT\n"
            "i:INTERVAL\tid:UUID\tm:ENUM('sad', 'ok', 'happy')\tb:BIT\n"
            "12 months 2 days 3000000 us\ta0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\thappy\tb10110\n");
}

TEST_F(DuckDbCommandTest, NestedValuesArriveAsNodesNotText) {
  EXPECT_EQ(ok(in_memory(), {"SELECT [1, 2, NULL] AS l, [[1], []] AS ll, "
                             "{'a': 1, 'b': 'x'} AS st, MAP {'k': 1, 'j': 2} AS mp, "
                             "[1, 2, 3]::INTEGER[3] AS arr, "
                             "union_value(num := 2)::UNION(num INTEGER, str VARCHAR) AS un, "
                             "NULL::INTEGER[] AS nl, [{'x': [1.5::DECIMAL(3,1)]}] AS deep, "
                             "{'a': NULL} AS sn, MAP {} AS empty"}),
            "l:INTEGER[]\tll:INTEGER[][]\tst:STRUCT(a INTEGER, b VARCHAR)\t"
            "mp:MAP(VARCHAR, INTEGER)\tarr:INTEGER[3]\tun:UNION(num INTEGER, str VARCHAR)\t"
            "nl:INTEGER[]\tdeep:STRUCT(x DECIMAL(3,1)[])[]\tsn:STRUCT(a INTEGER)\t"
            "empty:MAP(INTEGER, INTEGER)\n"
            "[1, 2, NULL]\t[[1], []]\t{'a': 1, 'b': 'x'}\t{'k'=1, 'j'=2}\t[1, 2, 3]\tnum: 2\tNULL\t"
            "[{'x': [1.5]}]\t{'a': NULL}\t{}\n");
}

TEST_F(DuckDbCommandTest, ATypeWithoutAWitFormIsRefusedByName) {
  EXPECT_EQ(error(in_memory(), {"SELECT 1 AS n, 12345678901234567890123456789::BIGNUM AS big"}),
            "sql: error: unsupported: column 'big' has type BIGNUM, which duckdb:database@0.1.0 "
            "cannot return (CAST it to VARCHAR)\n");
  EXPECT_EQ(ok(in_memory(), {"SELECT CAST(12345678901234567890123456789::BIGNUM AS VARCHAR) AS b"}),
            "b:VARCHAR\n12345678901234567890123456789\n");
}

TEST_F(DuckDbCommandTest, AClosedConnectionAnswersClosed) {
  Outcome o = sql(in_memory(), {"SELECT 42 AS answer", ".close", "SELECT 1"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.out, "answer:INTEGER\n42\n");
  EXPECT_EQ(o.err, "sql: error: closed\n");
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
  EXPECT_EQ(ok(providers, {"--db", "sub/../sub/y.db", "SELECT 7 AS n"}), "n:INTEGER\n7\n");
  EXPECT_TRUE(fs::exists(data() / "sub" / "y.db"));
}

TEST_F(DuckDbCommandTest, SqlReachesFilesInsideTheAllowedDirectoriesOnly) {
  std::vector<std::string> providers = with_data_dir();
  fs::create_directories(dir_ / "outside");
  std::ofstream(data() / "in.csv") << "a,b\n1,x\n2,y\n";
  std::ofstream(dir_ / "outside" / "secret.csv") << "a\n42\n";
  const std::string inside = data().string(), outside = (dir_ / "outside").string();
  // Inside: read, write and attach.
  EXPECT_EQ(ok(providers, {"SELECT sum(a) AS s FROM read_csv('" + inside + "/in.csv')",
                           "COPY (SELECT 7 AS n) TO '" + inside + "/out.csv'",
                           "ATTACH '" + inside + "/other.db' AS other",
                           "CREATE TABLE other.t AS SELECT 1 AS n"}),
            "s:HUGEINT\n3\nCount:BIGINT\n1\n1 rows changed\nSuccess:BOOLEAN\nCount:BIGINT\n1\n");
  EXPECT_TRUE(fs::exists(data() / "out.csv"));
  EXPECT_TRUE(fs::exists(data() / "other.db"));
  // Outside, directly or through "..": DuckDB's own permission error.
  for (const std::string& statement : std::vector<std::string>{
           "SELECT * FROM read_csv('/etc/passwd')",
           "SELECT * FROM read_csv('" + outside + "/secret.csv')",
           "SELECT * FROM read_csv('" + inside + "/../outside/secret.csv')",
           "COPY (SELECT 1) TO '" + outside + "/leak.csv'", "ATTACH '" + outside + "/x.db'"}) {
    EXPECT_THAT(error(providers, {statement}),
                StartsWith("sql: error: duckdb permission: Permission Error: Cannot access"))
        << statement;
  }
  EXPECT_FALSE(fs::exists(dir_ / "outside" / "leak.csv"));
  EXPECT_FALSE(fs::exists(dir_ / "outside" / "x.db"));
  // No extension comes from outside, and none of this can be switched off.
  EXPECT_THAT(error(providers, {"INSTALL httpfs"}),
              StartsWith("sql: error: duckdb permission: Permission Error"));
  EXPECT_THAT(error(providers, {"LOAD httpfs"}), StartsWith("sql: error: duckdb "));
  for (const char* setting :
       {"SET enable_external_access = true", "SET allowed_directories = ['/']",
        "SET autoinstall_known_extensions = true", "SET lock_configuration = false"}) {
    EXPECT_THAT(error(providers, {setting}), HasSubstr("the configuration has been locked"))
        << setting;
  }
  // Without allowed directories, SQL reaches no file at all.
  EXPECT_THAT(error(in_memory(), {"SELECT * FROM read_csv('" + inside + "/in.csv')"}),
              StartsWith("sql: error: duckdb permission: Permission Error"));
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
            "answer:INTEGER\n42\n");
}

// ---- prepared statements ----

TEST_F(DuckDbCommandTest, PreparedStatementsBindByPositionNameAndAllAtOnce) {
  EXPECT_EQ(
      ok(in_memory(),
         {"CREATE TABLE t (id INTEGER, name VARCHAR, price DECIMAL(10,2), tags VARCHAR[], "
          "meta STRUCT(a INTEGER, b VARCHAR))",
          ".prepare", "INSERT INTO t VALUES ($1, $2, $3, $4, $5)", ".params", ".bind-all", "5",
          "i32:1", "str:pen", "dec:10,2,250", "list:str:a;str:b", "struct:a=i32:7;b=str:x", ".exec",
          // Re-bound: the others keep their values.
          ".bind", "1", "i32:2", ".bind", "2", "null", ".exec", ".prepare",
          "SELECT id, name, price, tags, meta FROM t WHERE id >= $min ORDER BY id", ".params",
          ".bind-named", "min", "i64:1", ".exec",
          // A double where an integer is compared: DuckDB casts.
          ".bind-named", "min", "f64:1.5", ".exec"}),
      "Count:BIGINT\n"
      "5 parameters: 1 2 3 4 5 -\n"
      "Count:BIGINT\n1\n1 rows changed\n"
      "Count:BIGINT\n1\n1 rows changed\n"
      "1 parameters: min -\n"
      "id:INTEGER\tname:VARCHAR\tprice:DECIMAL(10,2)\ttags:VARCHAR[]\t"
      "meta:STRUCT(a INTEGER, b VARCHAR)\n"
      "1\tpen\t2.50\t['a', 'b']\t{'a': 7, 'b': 'x'}\n"
      "2\tNULL\t2.50\t['a', 'b']\t{'a': 7, 'b': 'x'}\n"
      "id:INTEGER\tname:VARCHAR\tprice:DECIMAL(10,2)\ttags:VARCHAR[]\t"
      "meta:STRUCT(a INTEGER, b VARCHAR)\n"
      "2\tNULL\t2.50\t['a', 'b']\t{'a': 7, 'b': 'x'}\n");
}

TEST_F(DuckDbCommandTest, EveryScalarKindBindsFlatAndInAList) {
  // `bind` passes its value flat (joined core slots), `bind-all` through memory.
  std::vector<std::string> kinds = {"bool:true",     "i8:-8",      "i16:-16",
                                    "i32:-32",       "i64:-64",    "u8:8",
                                    "u16:16",        "u32:32",     "u64:18446744073709551615",
                                    "f32:1.5",       "f64:-2.25",  "str:héllo",
                                    "dec:5,3,-1234", "date:19782", "ts:1709208000000000",
                                    "null"};
  std::string expected;
  for (const std::string& kind : kinds) {
    Outcome flat = sql(in_memory(), {".prepare", "SELECT $1 AS v", ".bind", "1", kind, ".exec"});
    Outcome listed =
        sql(in_memory(), {".prepare", "SELECT $1 AS v", ".bind-all", "1", kind, ".exec"});
    EXPECT_EQ(flat.exit_code, 0) << kind << "\n" << describe(flat);
    EXPECT_EQ(flat.out, listed.out) << kind;
    expected += flat.out;
  }
  EXPECT_EQ(expected,
            "v:BOOLEAN\ntrue\nv:TINYINT\n-8\nv:SMALLINT\n-16\nv:INTEGER\n-32\nv:BIGINT\n-64\n"
            "v:UTINYINT\n8\nv:USMALLINT\n16\nv:UINTEGER\n32\nv:UBIGINT\n18446744073709551615\n"
            "v:FLOAT\n1.5\nv:DOUBLE\n-2.25\nv:VARCHAR\nhéllo\nv:DECIMAL(5,3)\n-1.234\n"
            "v:DATE\n2024-02-29\nv:TIMESTAMP\n2024-02-29 12:00:00\nv:INTEGER\nNULL\n");
}

TEST_F(DuckDbCommandTest, BadParametersAreErrorsWithDuckDbsMessage) {
  EXPECT_THAT(error(in_memory(), {".prepare", "SELEC 1"}),
              StartsWith("sql: error: duckdb parser: Parser Error: syntax error"));
  EXPECT_THAT(error(in_memory(), {".prepare", "SELECT * FROM missing"}),
              StartsWith("sql: error: duckdb catalog: Catalog Error: Table with name missing"));
  EXPECT_EQ(error(in_memory(), {".prepare", "SELECT $1::INTEGER + 1 AS n", ".exec"}),
            "sql: error: duckdb invalid-input: Invalid Input Error: Values were not provided for "
            "the following prepared statement parameters: 1\n");
  EXPECT_THAT(error(in_memory(),
                    {".prepare", "SELECT $1::INTEGER + 1 AS n", ".bind", "1", "str:abc", ".exec"}),
              StartsWith("sql: error: duckdb conversion: Conversion Error: Could not convert "
                         "string 'abc' to INT32"));
  EXPECT_EQ(error(in_memory(),
                  {".prepare", "SELECT ?::INTEGER AS n", ".bind-all", "2", "i32:1", "i32:2"}),
            "sql: error: duckdb invalid-input: the statement has 1 parameters; 2 values were "
            "given\n");
  EXPECT_EQ(error(in_memory(), {".prepare", "SELECT ?::INTEGER AS n", ".bind", "3", "i32:1"}),
            "sql: error: duckdb invalid-input: parameter 3 does not exist: the statement has 1\n");
  EXPECT_EQ(error(in_memory(), {".prepare", "SELECT $a AS n", ".bind-named", "b", "i32:1"}),
            "sql: error: duckdb invalid-input: the statement has no parameter named 'b'\n");
  EXPECT_EQ(error(in_memory(), {".prepare", "SELECT ? AS n", ".bind", "1", "dec:40,2,1"}),
            "sql: error: duckdb invalid-input: a decimal needs a width from 1 to 38 and a scale "
            "up to it, not DECIMAL(40,2)\n");
}

TEST_F(DuckDbCommandTest, AClosedStatementOrConnectionAnswersClosed) {
  EXPECT_EQ(error(in_memory(), {".prepare", "SELECT 1 AS n", ".close-statement", ".exec"}),
            "sql: error: closed\n");
  // Closing the connection closes its statements.
  Outcome o =
      sql(in_memory(), {".prepare", "SELECT 1 AS n", ".exec", ".close", ".params", ".exec"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.out, "n:INTEGER\n1\n0 parameters: -\n");
  EXPECT_EQ(o.err, "sql: error: closed\n");
}

// ---- cursors ----

TEST_F(DuckDbCommandTest, ACursorReadsTheResultInBatches) {
  EXPECT_EQ(
      ok(in_memory(), {".query", "SELECT range AS n, 'x' || range AS s FROM range(5)", ".columns",
                       ".next", "2", ".next", "2", ".next", "2", ".next", "2", ".next", "0"}),
      "n:BIGINT\ts:VARCHAR\n0\tx0\n1\tx1\n2\tx2\n3\tx3\n4\tx4\nend\nend\n");
}

TEST_F(DuckDbCommandTest, AMillionRowsStreamThroughACursorInBoundedBatches) {
  // The guest frees each batch: its memory holds 10 000 rows at a time, never the result.
  EXPECT_EQ(ok(in_memory(), {".query", "SELECT range AS n, range::VARCHAR AS s FROM range(1000000)",
                             ".count", "10000"}),
            "1000000 rows in 100 batches\n");
}

TEST_F(DuckDbCommandTest, ACursorFromAStatementUsesItsBindingsAndOutlivesIt) {
  EXPECT_EQ(ok(in_memory(), {".prepare", "SELECT range AS n FROM range($1::INTEGER)", ".bind", "1",
                             "i32:3", ".query-statement", ".close-statement", ".next", "5"}),
            "0\n1\n2\n");
}

TEST_F(DuckDbCommandTest, ACursorEndedByAnotherStatementSaysSoInsteadOfEndingEarly) {
  Outcome o = sql(in_memory(), {".query", "SELECT range AS n FROM range(100000)", ".next", "1",
                                "SELECT 1 AS x", ".count", "1000"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.out, "0\nx:INTEGER\n1\n");
  EXPECT_EQ(o.err,
            "sql: error: duckdb invalid-input: the cursor's result was ended by another statement "
            "run on its connection (read a cursor to its end, or use another connection)\n");
  // A cursor read to its end is not disturbed.
  EXPECT_EQ(ok(in_memory(), {".query", "SELECT range AS n FROM range(3)", ".count", "1000",
                             "SELECT 1 AS x", ".next", "5"}),
            "3 rows in 1 batches\nx:INTEGER\n1\nend\n");
}

TEST_F(DuckDbCommandTest, ACursorOfAClosedConnectionIsClosed) {
  EXPECT_EQ(error(in_memory(), {".query", "SELECT 1 AS n", ".close", ".next", "1"}),
            "sql: error: closed\n");
  EXPECT_EQ(error(in_memory(), {".query", "SELECT 1 AS n", ".close-cursor", ".next", "1"}),
            "sql: error: closed\n");
}

TEST_F(DuckDbCommandTest, ACursorQueryFailsLikeExecute) {
  EXPECT_EQ(error(in_memory(), {".query", "SELECT 1; SELECT 2"}),
            "sql: error: duckdb invalid-input: Invalid Input Error: Cannot prepare multiple "
            "statements at once!\n");
  EXPECT_THAT(error(in_memory(), {".query", "SELECT 'x'::INTEGER AS n"}),
              StartsWith("sql: error: duckdb conversion: Conversion Error"));
}

// ---- appenders ----

TEST_F(DuckDbCommandTest, TheAppenderBulkLoadsAMillionRows) {
  EXPECT_EQ(ok(in_memory(), {"CREATE TABLE t (id BIGINT, name VARCHAR, score DOUBLE)", ".appender",
                             "t", ".appender-columns", ".append", "3", "i64:-1", "str:first",
                             "f64:0.25", ".load", "1000000", "10000", ".close-appender",
                             "SELECT count(*) AS n, sum(id) AS ids, max(name) AS last, "
                             "sum(score) AS scores FROM t"}),
            "Count:BIGINT\n"
            "id:BIGINT\tname:VARCHAR\tscore:DOUBLE\n"
            "n:BIGINT\tids:HUGEINT\tlast:VARCHAR\tscores:DOUBLE\n"
            "1000001\t499999499999\trow 999999\t249999750000.25\n");
}

TEST_F(DuckDbCommandTest, AppendedValuesMustHaveTheirColumnsTypeAndNothingIsHalfAppended) {
  const std::string table =
      "CREATE TABLE t (id INTEGER, price DECIMAL(6,2), tags VARCHAR[], m mood)";
  const std::string type = "CREATE TYPE mood AS ENUM ('sad', 'ok')";
  auto refused = [&](std::vector<std::string> row) {
    std::vector<std::string> args = {
        "--keep-going", type, table, ".appender", "t", ".append", std::to_string(row.size())};
    args.insert(args.end(), row.begin(), row.end());
    // A good row after the refused one, then what the table holds: only the good row.
    for (const char* more : {".append", "4", "i32:7", "null", "null", "null", ".close-appender",
                             "SELECT count(*) AS n FROM t"}) {
      args.push_back(more);
    }
    return sql(in_memory(), args);
  };
  struct Case {
    std::vector<std::string> row;
    std::string message;
  } cases[] = {
      {{"i32:1", "null", "null"}, "row 1 has 3 values; the table has 4 columns"},
      {{"i64:1", "null", "null", "null"},
       "row 1: column 1 (id INTEGER) takes integer values, not bigint"},
      {{"i32:1", "dec:5,2,100", "null", "null"},
       "row 1: column 2 (price DECIMAL(6,2)) cannot take a DECIMAL(5,2)"},
      {{"i32:1", "null", "list:i32:1", "null"},
       "row 1: column 3 (tags VARCHAR[]) cannot take a value of type INTEGER[]"},
      {{"i32:1", "null", "null", "str:happy"},
       "row 1: column 4 (m ENUM('sad', 'ok')) takes enum values, not varchar"},
  };
  for (const Case& c : cases) {
    Outcome o = refused(c.row);
    EXPECT_EQ(o.exit_code, 1) << describe(o);
    EXPECT_EQ(o.err, "sql: error: duckdb mismatch-type: " + c.message + "\n") << describe(o);
    EXPECT_EQ(o.out, "Count:BIGINT\nCount:BIGINT\nn:BIGINT\n1\n") << describe(o);
  }
  // The same rows, typed right, go in.
  EXPECT_EQ(ok(in_memory(), {type, table, ".appender", "t", ".append", "4", "i32:1", "dec:6,2,199",
                             "list:str:a;str:b", "null", ".close-appender", "SELECT * FROM t"}),
            "Count:BIGINT\nCount:BIGINT\n"
            "id:INTEGER\tprice:DECIMAL(6,2)\ttags:VARCHAR[]\tm:ENUM('sad', 'ok')\n"
            "1\t1.99\t['a', 'b']\tNULL\n");
}

TEST_F(DuckDbCommandTest, AppenderErrorsCarryDuckDbsClass) {
  EXPECT_EQ(error(in_memory(), {".appender", "missing"}),
            "sql: error: duckdb catalog: Table \".main.missing\" could not be found\n");
  EXPECT_THAT(
      error(in_memory(), {"CREATE TABLE t (id INTEGER PRIMARY KEY)", ".appender", "t", ".append",
                          "1", "i32:1", ".flush", ".append", "1", "i32:1", ".flush"}),
      StartsWith("sql: error: duckdb constraint: "));
  EXPECT_EQ(error(in_memory(), {"CREATE TABLE t (id INTEGER)", ".appender", "t", ".close",
                                ".append", "1", "i32:1"}),
            "sql: error: closed\n");
}

// ---- transactions, interrupts, configuration ----

TEST_F(DuckDbCommandTest, TransactionsCommitOrRollBack) {
  Outcome o = sql(in_memory(),
                  {"CREATE TABLE t (n INTEGER)", ".begin", "INSERT INTO t VALUES (1)", ".rollback",
                   ".begin", "INSERT INTO t VALUES (2)", ".commit", "SELECT * FROM t", ".commit"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.out,
            "Count:BIGINT\nCount:BIGINT\n1\n1 rows changed\nCount:BIGINT\n1\n1 rows changed\n"
            "n:INTEGER\n2\n");
  EXPECT_EQ(o.err,
            "sql: error: duckdb transaction: TransactionContext Error: cannot commit - no "
            "transaction is active\n");
}

TEST_F(DuckDbCommandTest, InterruptEndsTheStatementACursorIsReading) {
  Outcome o = sql(in_memory(), {"--keep-going", ".query", "SELECT range AS n FROM range(100000)",
                                ".next", "1", ".interrupt", ".next", "1", "SELECT 2 AS n"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.out, "0\nn:INTEGER\n2\n");
  EXPECT_EQ(o.err,
            "sql: error: duckdb interrupt: INTERRUPT Error: interrupted by connection.interrupt\n");
}

TEST_F(DuckDbCommandTest, AStatementPastTheTimeoutIsInterruptedAndTheConnectionGoesOn) {
  // Three billion rows take DuckDB seconds on any machine; the timeout is 100 ms.
  std::vector<std::string> providers = {"--host-config",
                                        hosts_toml("duckdb", "query-timeout-ms = 100\n").string()};
  const std::string slow = "SELECT sum(range) AS n FROM range(3000000000)";
  Outcome o = sql(providers, {"--keep-going", slow, ".query", slow, ".next", "1", ".prepare", slow,
                              ".exec", "SELECT 42 AS n"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.out, "n:INTEGER\n42\n");
  // The cursor's query is interrupted where DuckDB computes it: when it starts (then there is
  // no cursor to read), or at its first read.
  const std::string interrupted = "sql: error: duckdb interrupt: INTERRUPT Error: Interrupted!\n";
  EXPECT_TRUE(o.err ==
                  interrupted + interrupted + "sql: .next: there is no cursor\n" + interrupted ||
              o.err == interrupted + interrupted + interrupted)
      << o.err;
}

TEST_F(DuckDbCommandTest, ReadOnlyAccessKeepsFilesAsTheyAre) {
  fs::create_directories(data());
  std::string dirs = "allowed-directories = " + toml_string(data().string()) + "\n";
  std::vector<std::string> writer = {"--host-config", hosts_toml("duckdb", dirs).string()};
  EXPECT_EQ(ok(writer, {"--db", "x.db", "CREATE TABLE t AS SELECT 1 AS n"}), "Count:BIGINT\n1\n");
  std::vector<std::string> reader = {
      "--host-config", hosts_toml("duckdb", dirs + "access-mode = \"read-only\"\n").string()};
  Outcome o = sql(reader, {"--db", "x.db", "SELECT * FROM t", "INSERT INTO t VALUES (2)"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.out, "n:INTEGER\n1\n");
  EXPECT_THAT(o.err, StartsWith("sql: error: duckdb invalid-input: Invalid Input Error: Cannot "
                                "execute statement of type \"INSERT\""));
  EXPECT_THAT(error(reader, {"--db", "new.db", "SELECT 1"}),
              StartsWith("sql: error: duckdb io: IO Error: Cannot open database"));
  EXPECT_FALSE(fs::exists(data() / "new.db"));
  // In-memory databases stay writable: there is nothing to protect.
  EXPECT_EQ(ok(reader, {"CREATE TABLE m AS SELECT 1 AS n", "SELECT * FROM m"}),
            "Count:BIGINT\n1\nn:INTEGER\n1\n");
}

TEST_F(DuckDbCommandTest, EveryConfigurationValueIsChecked) {
  struct Case {
    std::string line, message;
  } cases[] = {
      {"threads = -1\n", "configuration 'threads': expected a number of threads"},
      {"max-memory = \"lots\"\n",
       "configuration 'max-memory': expected an amount of memory such as \"1GB\""},
      {"access-mode = \"sometimes\"\n",
       "configuration 'access-mode': expected \"read-write\" or \"read-only\", found "
       "\"sometimes\""},
      {"query-timeout-ms = \"soon\"\n", "configuration 'query-timeout-ms': expected milliseconds"},
  };
  for (const Case& c : cases) {
    Outcome o = sql({"--host-config", hosts_toml("duckdb", c.line).string()}, {"SELECT 1"});
    EXPECT_EQ(o.exit_code, 125) << describe(o);
    EXPECT_THAT(o.err, HasSubstr(c.message)) << describe(o);
  }
  EXPECT_EQ(
      ok({"--host-config", hosts_toml("duckdb", "threads = 2\nmax-memory = \"256MiB\"\n").string()},
         {"SELECT current_setting('threads') AS t, current_setting('max_memory') AS m"}),
      "t:BIGINT\tm:VARCHAR\n2\t256.0 MiB\n");
}

// ---- batches by column ----

TEST_F(DuckDbCommandTest, BatchesCarryTypedColumnsWithValidity) {
  EXPECT_EQ(
      ok(in_memory(), {".query",
                       "SELECT range AS n, range::INTEGER * 2 AS i, "
                       "CASE WHEN range % 2 = 0 THEN 'e' || range END AS s, range % 3 = 0 AS b, "
                       "range / 4 AS d, DATE '2024-01-01' + range::INTEGER AS day, "
                       "TIMESTAMP '2024-01-01' AS ts, 1.5::DECIMAL(3,1) AS dec, "
                       "CASE WHEN range = 1 THEN NULL ELSE range::DOUBLE END AS f FROM range(5)",
                       ".batch", "3", ".next", "1", ".batch", "10", ".batch", "10"}),
      "n: [0, 1, 2]\ni: [0, 2, 4]\ns: ['e0', NULL, 'e2']\nb: [true, false, false]\n"
      "d: [0, 0.25, 0.5]\nday: [19723, 19724, 19725]\n"
      "ts: [1704067200000000, 1704067200000000, 1704067200000000]\n"
      "dec: values [1.5, 1.5, 1.5]\nf: [0, NULL, 2]\n"
      // .next and .batch read the same result
      "3\t6\tNULL\ttrue\t0.75\t2024-01-04\t2024-01-01 00:00:00\t1.5\t3\n"
      "n: [4]\ni: [8]\ns: ['e4']\nb: [false]\nd: [1]\nday: [19727]\nts: [1704067200000000]\n"
      "dec: values [1.5]\nf: [4]\n"
      "end\n");
}

TEST_F(DuckDbCommandTest, AMillionRowsStreamByColumn) {
  EXPECT_EQ(ok(in_memory(), {".query", "SELECT range AS n, range::VARCHAR AS s FROM range(1000000)",
                             ".count-batches", "100000"}),
            // A batch holds at most one of DuckDB's chunks of 2048 rows.
            "1000000 rows in 489 batches, sum 499999500000\n");
}

// ---- a JavaScript guest (componentize-js) ----

// `berth run -q PROVIDERS --invoke EXPR duckdb_js.wasm`
Outcome invoke_js(const std::vector<std::string>& providers, const std::string& expr) {
  std::vector<std::string> args = {"run", "-q"};
  args.insert(args.end(), providers.begin(), providers.end());
  args.insert(args.end(), {"--invoke", expr, berth::testing::guest("bundles_duckdb_js")});
  return berth(args);
}

// A million rows loaded by one run and read back by the next: each is one export call (see
// world.wit for why a single call doing both would not do).
TEST_F(DuckDbCommandTest, AJavaScriptGuestLoadsAMillionRowsAndReadsThemBack) {
  std::vector<std::string> providers = with_data_dir();
  Outcome loaded = invoke_js(providers, R"(load("items.db", 1000000))");
  EXPECT_EQ(loaded.exit_code, 0) << describe(loaded);
  EXPECT_EQ(loaded.out, "ok([\"loaded: n:BIGINT | 1000000\", \"tags: n:BIGINT | 4\"])\n");
  Outcome report = invoke_js(providers, R"(report("items.db"))");
  EXPECT_EQ(report.exit_code, 0) << describe(report);
  EXPECT_EQ(
      report.out,
      "ok([\"aggregate: total:DECIMAL(38,2)\\ttop:BIGINT | 500490000.00\\t999999\", "
      "\"join: tag:VARCHAR\\tn:BIGINT\\ttotal:DECIMAL(38,2) | blue\\t1\\t2.99 | "
      "green\\t1\\t2.99 | red\\t2\\t7.98\", "
      "\"by row: 1000000 rows, ids sum to 499999500000, 10888890 characters of names\", "
      "\"by column: 1000000 rows, ids sum to 499999500000, 10888890 bytes of names\", "
      "\"values: d:DECIMAL(38,9)\\tsmall:DECIMAL(9,3)\\t"
      "nested:STRUCT(a INTEGER, b DECIMAL(3,1)[])[]\\tm:MAP(VARCHAR, INTEGER[]) | "
      "12345678901234567890.123456789\\t-0.050\\t[{'a': 1, 'b': [1.5]}]\\t{'k'=[1, 2]}\"])\n");
}

TEST_F(DuckDbCommandTest, AJavaScriptGuestKeepsAFileAcrossRunsAndGetsErrorsAsValues) {
  std::vector<std::string> providers = with_data_dir();
  EXPECT_EQ(invoke_js(providers, R"(query("x.db", "CREATE TABLE t AS SELECT 42 AS n"))").out,
            "ok([\"Count:BIGINT\", \"1\"])\n");
  EXPECT_EQ(invoke_js(providers, R"(query("x.db", "SELECT n FROM t"))").out,
            "ok([\"n:INTEGER\", \"42\"])\n");
  EXPECT_EQ(invoke_js(providers, R"(query("/etc/x.db", "SELECT 1"))").out,
            "err(\"not-allowed: \\\"/etc/x.db\\\" is outside the directories this bundle's "
            "configuration allows\")\n");
  EXPECT_THAT(invoke_js(providers, R"(query("x.db", "SELEC 42"))").out,
              StartsWith("err(\"parser: Parser Error: syntax error at or near"));
}

}  // namespace
}  // namespace berth::bundles
