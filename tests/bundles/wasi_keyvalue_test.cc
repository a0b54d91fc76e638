// bundles/wasi-keyvalue end to end: a JavaScript component (componentize-js) written against
// the standard wasi:keyvalue@0.2.0-draft, run by the berth executable with the bundle given by
// --host-bundle or by a hosts.toml. Every `berth run --invoke` is its own process, so values
// that survive from one call to the next have gone through the SQLite file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "bundles/reference_test_util.h"

namespace berth::bundles {
namespace {

using ::testing::HasSubstr;
using namespace berth::bundles::testing;

class WasiKeyValueTest : public ReferenceBundleTest {
 protected:
  // `berth run PROVIDERS --invoke EXPR kv_js.wasm`
  Outcome invoke(const std::vector<std::string>& providers, const std::string& expr) {
    std::vector<std::string> args = {"run"};
    args.insert(args.end(), providers.begin(), providers.end());
    args.insert(args.end(), {"--invoke", expr, berth::testing::guest("bundles_kv_js")});
    return berth(args);
  }

  // The printed result of a call that must succeed.
  std::string ok(const std::vector<std::string>& providers, const std::string& expr) {
    Outcome o = invoke(providers, expr);
    EXPECT_EQ(o.exit_code, 0) << expr << "\n" << describe(o);
    return o.out;
  }

  std::vector<std::string> with_hosts(const std::string& config) {
    return {"--host-config", hosts_toml("wasi-keyvalue", config).string()};
  }
};

TEST_F(WasiKeyValueTest, ValuesPersistAcrossRunsThroughHostBundle) {
  std::vector<std::string> providers = {"--host-bundle",
                                        configured_copy("wasi-keyvalue", path_config()).string()};
  EXPECT_EQ(ok(providers, R"(fetch("colour"))"), "none\n");
  EXPECT_EQ(ok(providers, R"(put("colour", "blue"))"), "");
  EXPECT_EQ(ok(providers, R"(fetch("colour"))"), "some(\"blue\")\n");
  EXPECT_EQ(ok(providers, R"(bump("visits"))"), "1\n");
  EXPECT_EQ(ok(providers, R"(bump("visits"))"), "2\n");
  // A counter is the decimal text of a u64, readable with get.
  EXPECT_EQ(ok(providers, R"(fetch("visits"))"), "some(\"2\")\n");
  EXPECT_EQ(ok(providers, "keys()"), "[\"colour\", \"visits\"]\n");
  EXPECT_TRUE(fs::exists(db()));
}

TEST_F(WasiKeyValueTest, ValuesPersistAcrossRunsThroughHostConfig) {
  std::vector<std::string> providers = with_hosts(path_config());
  EXPECT_EQ(ok(providers, R"(put("greeting", "héllo wörld"))"), "");
  EXPECT_EQ(ok(providers, R"(fetch("greeting"))"), "some(\"héllo wörld\")\n");
  EXPECT_EQ(ok(providers, R"(put("greeting", "bye"))"), "");
  EXPECT_EQ(ok(providers, R"(fetch("greeting"))"), "some(\"bye\")\n");
  EXPECT_EQ(ok(providers, R"(remove("greeting"))"), "true\n");
  EXPECT_EQ(ok(providers, R"(remove("greeting"))"), "false\n");
  EXPECT_EQ(ok(providers, R"(fetch("greeting"))"), "none\n");
  EXPECT_EQ(ok(providers, R"(put("empty", ""))"), "");
  EXPECT_EQ(ok(providers, R"(fetch("empty"))"), "some(\"\")\n");
  EXPECT_EQ(ok(providers, "keys()"), "[\"empty\"]\n");
}

TEST_F(WasiKeyValueTest, WithoutPathTheStoreIsInMemoryPerRun) {
  std::vector<std::string> providers = {"--host-bundle", built_bundle("wasi-keyvalue").string()};
  EXPECT_EQ(ok(providers, R"(put("colour", "blue"))"), "");
  EXPECT_EQ(ok(providers, R"(fetch("colour"))"), "none\n");
  EXPECT_EQ(ok(providers, R"(bump("visits"))"), "1\n");
  EXPECT_EQ(ok(providers, R"(bump("visits"))"), "1\n");
}

TEST_F(WasiKeyValueTest, BatchOperations) {
  std::vector<std::string> providers = with_hosts(path_config());
  EXPECT_EQ(ok(providers, R"(put-many([("a", "1"), ("b", "2"), ("c", "3")]))"), "");
  EXPECT_EQ(ok(providers, R"(fetch-many(["a", "missing", "c"]))"),
            "[some(\"1\"), none, some(\"3\")]\n");
  EXPECT_EQ(ok(providers, R"(fetch-many([]))"), "[]\n");
  EXPECT_EQ(ok(providers, R"(remove-many(["a", "c", "never-there"]))"), "");
  EXPECT_EQ(ok(providers, "keys()"), "[\"b\"]\n");
}

TEST_F(WasiKeyValueTest, ListKeysPagesWithTheCursor) {
  // Three keys a page: keys() follows the cursor through four pages.
  std::vector<std::string> providers = with_hosts(path_config() + "page-size = 3\n");
  EXPECT_EQ(ok(providers, R"(put-many([("k5", "5"), ("k1", "1"), ("k9", "9"), ("k3", "3"),
                                       ("k7", "7"), ("k2", "2"), ("k8", "8"), ("k4", "4"),
                                       ("k6", "6"), ("k0", "0")]))"),
            "");
  EXPECT_EQ(ok(providers, R"(remove("k4"))"), "true\n");
  EXPECT_EQ(ok(providers, "keys()"),
            "[\"k0\", \"k1\", \"k2\", \"k3\", \"k5\", \"k6\", \"k7\", \"k8\", \"k9\"]\n");
}

TEST_F(WasiKeyValueTest, BucketsAreSeparate) {
  std::vector<std::string> providers = with_hosts(path_config());
  EXPECT_EQ(ok(providers, R"(put-in("one", "k", "in one"))"), "ok\n");
  EXPECT_EQ(ok(providers, R"(put-in("two", "k", "in two"))"), "ok\n");
  EXPECT_EQ(ok(providers, R"(fetch-in("one", "k"))"), "ok(some(\"in one\"))\n");
  EXPECT_EQ(ok(providers, R"(fetch-in("two", "k"))"), "ok(some(\"in two\"))\n");
  EXPECT_EQ(ok(providers, R"(fetch-in("three", "k"))"), "ok(none)\n");
  EXPECT_EQ(ok(providers, R"(fetch("k"))"), "none\n");  // the bucket "app"
}

TEST_F(WasiKeyValueTest, OpenRefusesBucketsOutsideTheConfiguredList) {
  std::vector<std::string> providers = with_hosts("buckets = \"app, other\"\n");
  EXPECT_EQ(ok(providers, R"(try-open("other"))"), "ok\n");
  EXPECT_EQ(ok(providers, R"(try-open("app"))"), "ok\n");
  EXPECT_EQ(ok(providers, R"(try-open("nope"))"), "err(\"no-such-store\")\n");
  EXPECT_EQ(ok(providers, R"(try-open(""))"), "err(\"no-such-store\")\n");
  EXPECT_EQ(ok(providers, R"(put("k", "v"))"), "");
}

TEST_F(WasiKeyValueTest, IncrementErrorsAreErrorValues) {
  std::vector<std::string> providers = with_hosts(path_config());
  EXPECT_EQ(ok(providers, R"(try-bump("n", 40))"), "ok(40)\n");
  EXPECT_EQ(ok(providers, R"(try-bump("n", 2))"), "ok(42)\n");
  EXPECT_EQ(ok(providers, R"(put("word", "forty-two"))"), "");
  EXPECT_EQ(ok(providers, R"(try-bump("word", 1))"),
            "err(\"other: increment: the value of 'word' is not a counter (the decimal text of "
            "a u64)\")\n");
  EXPECT_EQ(ok(providers, R"(put("big", "18446744073709551615"))"), "");
  EXPECT_EQ(ok(providers, R"(try-bump("big", 0))"), "ok(18446744073709551615)\n");
  EXPECT_EQ(ok(providers, R"(try-bump("big", 1))"),
            "err(\"other: increment: the counter 'big' would overflow u64\")\n");
  EXPECT_EQ(ok(providers, R"(fetch("big"))"), "some(\"18446744073709551615\")\n");
}

TEST_F(WasiKeyValueTest, DatabaseErrorsAreErrorValues) {
  // A database whose table refuses long values: the bundle's set fails inside SQLite.
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &handle), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(handle,
                         "CREATE TABLE wasi_keyvalue (bucket TEXT NOT NULL, key TEXT NOT NULL, "
                         "value BLOB NOT NULL CHECK (length(value) < 4), PRIMARY KEY (bucket, "
                         "key))",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(handle);
  std::vector<std::string> providers = with_hosts(path_config());
  EXPECT_EQ(ok(providers, R"(put-in("b", "k", "abc"))"), "ok\n");
  EXPECT_EQ(ok(providers, R"(put-in("b", "k", "too long"))"),
            "err(\"other: set: CHECK constraint failed: length(value) < 4\")\n");
  EXPECT_EQ(ok(providers, R"(fetch-in("b", "k"))"), "ok(some(\"abc\"))\n");
}

// Configuration errors fail the bundle's creation, so berth refuses to run the component.
class WasiKeyValueConfigTest : public WasiKeyValueTest {
 protected:
  void expect_refused(const std::string& config, const std::string& message) {
    Outcome o = invoke(with_hosts(config), R"(fetch("k"))");
    EXPECT_EQ(o.exit_code, 125) << describe(o);
    EXPECT_THAT(o.err, HasSubstr("bundle 'wasi-keyvalue'")) << describe(o);
    EXPECT_THAT(o.err, HasSubstr(message)) << describe(o);
    EXPECT_EQ(o.out, "");
  }
};

TEST_F(WasiKeyValueConfigTest, PathThatCannotBeOpened) {
  std::string path = (dir_ / "no-such-folder" / "kv.db").string();
  expect_refused("path = " + toml_string(path) + "\n",
                 "configuration 'path': cannot open the database \"" + path +
                     "\": unable to open database file");
}

TEST_F(WasiKeyValueConfigTest, PathThatIsNotADatabase) {
  std::string path = write("notes.txt", std::string(200, 'x') + "\n").string();
  expect_refused("path = " + toml_string(path) + "\n",
                 "configuration 'path': \"" + path +
                     "\" is not a usable key-value database: file is not a database");
}

TEST_F(WasiKeyValueConfigTest, PageSizeOutOfRange) {
  expect_refused("page-size = 0\n",
                 "configuration 'page-size': expected an integer from 1 to 1000000, found \"0\"");
  expect_refused("page-size = \"many\"\n",
                 "configuration 'page-size': expected an integer from 1 to 1000000, found "
                 "\"many\"");
}

TEST_F(WasiKeyValueConfigTest, BusyTimeoutNotANumber) {
  expect_refused("busy-timeout-ms = \"soon\"\n",
                 "configuration 'busy-timeout-ms': expected a non-negative integer "
                 "(milliseconds), found \"soon\"");
}

TEST_F(WasiKeyValueConfigTest, EmptyBucketIdentifier) {
  expect_refused("buckets = \"app,,other\"\n",
                 "configuration 'buckets': expected a comma-separated list of bucket "
                 "identifiers, found an empty identifier in \"app,,other\"");
}

TEST_F(WasiKeyValueConfigTest, UnknownKey) {
  // The keys of host.toml's [config] are the descriptor's keys, so berth refuses it before
  // the bundle is created.
  expect_refused("pth = \"kv.db\"\n",
                 "[host.config] key 'pth' is not a configuration key of bundle 'wasi-keyvalue' "
                 "(expected one of: 'path', 'buckets', 'page-size', 'busy-timeout-ms')");
}

}  // namespace
}  // namespace berth::bundles
