// bundles/keyvalue end to end: a C WASI command (tests/bundles/guests/kv_c) that imports
// keyvalue:store@0.1.0, run by the berth executable as a program with arguments. Each run is
// its own process, so a value read in a later run went through the SQLite file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <random>

#include "bundles/reference_test_util.h"

namespace berth::bundles {
namespace {

using ::testing::HasSubstr;
using namespace berth::bundles::testing;

class KeyValueCommandTest : public ReferenceBundleTest {
 protected:
  // `berth run -q PROVIDERS kv_c.wasm ARGS...` (-q: no warning that the bundle is unsigned)
  Outcome kv(const std::vector<std::string>& providers, const std::vector<std::string>& args) {
    std::vector<std::string> all = {"run", "-q"};
    all.insert(all.end(), providers.begin(), providers.end());
    all.push_back(berth::testing::guest("bundles_kv_c"));
    all.insert(all.end(), args.begin(), args.end());
    return berth(all);
  }

  std::string ok(const std::vector<std::string>& providers, const std::vector<std::string>& args) {
    Outcome o = kv(providers, args);
    EXPECT_EQ(o.exit_code, 0) << args[0] << "\n" << describe(o);
    EXPECT_EQ(o.err, "") << describe(o);
    return o.out;
  }
};

TEST_F(KeyValueCommandTest, ValuesPersistAcrossRunsThroughHostBundle) {
  // The bundle folder's own host.toml names the database; --dir shows the WASI options combine.
  std::vector<std::string> providers = {
      "--host-bundle", configured_copy("keyvalue", path_config()).string(), "--dir", dir_.string()};
  EXPECT_EQ(ok(providers, {"set", "a", "1"}), "");
  EXPECT_EQ(ok(providers, {"get", "a"}), "1\n");
  EXPECT_TRUE(fs::exists(db()));
}

TEST_F(KeyValueCommandTest, ValuesPersistAcrossRunsThroughHostConfig) {
  std::vector<std::string> providers = {"--host-config",
                                        hosts_toml("keyvalue", path_config()).string()};
  EXPECT_EQ(ok(providers, {"set", "colour", "blue"}), "");
  EXPECT_EQ(ok(providers, {"set", "answer", "42"}), "");
  EXPECT_EQ(ok(providers, {"set", "colour", "green"}), "");
  EXPECT_EQ(ok(providers, {"get", "colour"}), "green\n");
  EXPECT_EQ(ok(providers, {"exists", "answer"}), "true\n");
  EXPECT_EQ(ok(providers, {"list"}), "answer\ncolour\n");
  EXPECT_EQ(ok(providers, {"delete", "answer"}), "");
  EXPECT_EQ(ok(providers, {"exists", "answer"}), "false\n");
  EXPECT_EQ(ok(providers, {"list"}), "colour\n");
}

TEST_F(KeyValueCommandTest, GetOfAMissingKeyFails) {
  Outcome o = kv({"--host-bundle", built_bundle("keyvalue").string()}, {"get", "nothing"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.err, "kv: no value stored under 'nothing'\n");
  EXPECT_EQ(o.out, "");
}

TEST_F(KeyValueCommandTest, AnUnsignedBundleLoadsWithOneWarning) {
  Outcome o = berth({"run", "--host-bundle", built_bundle("keyvalue").string(),
                     berth::testing::guest("bundles_kv_c"), "get", "nothing"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.err, "warning: bundle " + built_bundle("keyvalue").string() +
                       " is not signed; loading it because signatures are not required "
                       "(--require-signed)\nkv: no value stored under 'nothing'\n");
}

TEST_F(KeyValueCommandTest, WithoutPathTheStoreIsInMemoryPerRun) {
  std::vector<std::string> providers = {"--host-bundle", built_bundle("keyvalue").string()};
  EXPECT_EQ(ok(providers, {"set", "a", "1"}), "");
  Outcome o = kv(providers, {"get", "a"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.err, "kv: no value stored under 'a'\n");
}

TEST_F(KeyValueCommandTest, StoreErrorsReachTheGuestAsErrorValues) {
  // A database whose table refuses long values: the bundle's set fails inside SQLite and the
  // guest prints the err(message) it received.
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &handle), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(handle,
                         "CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL "
                         "CHECK (length(value) < 4))",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(handle);
  std::vector<std::string> providers = {"--host-config",
                                        hosts_toml("keyvalue", path_config()).string()};
  EXPECT_EQ(ok(providers, {"set", "a", "abc"}), "");
  Outcome o = kv(providers, {"set", "a", "too long"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.err, "kv: set failed: CHECK constraint failed: length(value) < 4\n");
  EXPECT_EQ(ok(providers, {"get", "a"}), "abc\n");
}

// keyvalue:store/streaming: the bundle makes a wasi:io input-stream of built-in WASI through
// its import of berth:streams/memory and hands it to the guest, which reads it with the
// ordinary WASI calls. The value (5 MiB of letters, too large for a command-line argument) is
// written into the database here; its FNV-1a hash is compared with the guest's.
TEST_F(KeyValueCommandTest, ALargeValueStreamsToTheGuest) {
  std::vector<std::string> providers = {"--host-bundle",
                                        configured_copy("keyvalue", path_config()).string()};
  EXPECT_EQ(ok(providers, {"set", "small", "x"}), "");  // creates the database and its table
  std::string value(5 << 20, ' ');
  std::mt19937 random(29);
  for (char& c : value) c = static_cast<char>('a' + random() % 26);
  uint64_t hash = 0xcbf29ce484222325u;
  for (unsigned char c : value) hash = (hash ^ c) * 0x100000001b3u;
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db().c_str(), &handle), SQLITE_OK);
  sqlite3_stmt* insert = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(handle, "INSERT INTO kv (key, value) VALUES ('big', ?1)", -1,
                               &insert, nullptr),
            SQLITE_OK);
  sqlite3_bind_text(insert, 1, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  EXPECT_EQ(sqlite3_step(insert), SQLITE_DONE);
  sqlite3_finalize(insert);
  sqlite3_close(handle);

  // The stream guest: `kv-stream read KEY blocking|poll` and `kv-stream drop KEY`.
  auto stream = [&](const std::vector<std::string>& args) {
    std::vector<std::string> all = {"run", "-q"};
    all.insert(all.end(), providers.begin(), providers.end());
    all.push_back(berth::testing::guest("bundles_kv_stream_c"));
    all.insert(all.end(), args.begin(), args.end());
    return berth(all);
  };
  char expected[96];
  std::snprintf(expected, sizeof expected, "5242880 bytes in 80 reads, fnv1a64 %016llx\n",
                static_cast<unsigned long long>(hash));
  for (const char* mode : {"blocking", "poll"}) {
    Outcome o = stream({"read", "big", mode});
    EXPECT_EQ(o.out, expected) << mode << "\n" << describe(o);
    EXPECT_EQ(o.exit_code, 0);
  }
  EXPECT_EQ(stream({"drop", "big"}).out, "dropped\n");
  EXPECT_EQ(stream({"read", "small", "poll"}).out,
            "1 bytes in 1 reads, fnv1a64 af63f54c86021707\n");
  Outcome missing = stream({"read", "nothing", "blocking"});
  EXPECT_EQ(missing.exit_code, 1) << describe(missing);
  EXPECT_EQ(missing.err, "kv-stream: no value stored under 'nothing'\n");
}

TEST_F(KeyValueCommandTest, UsageErrorsComeFromTheGuest) {
  Outcome o = kv({"--host-bundle", built_bundle("keyvalue").string()}, {"fetch", "a"});
  EXPECT_NE(o.exit_code, 0) << describe(o);
  EXPECT_EQ(o.err, "usage: kv set KEY VALUE | get KEY | delete KEY | exists KEY | list\n");
}

TEST_F(KeyValueCommandTest, RefusedWithoutAProviderForItsImport) {
  Outcome o = kv({}, {"list"});
  EXPECT_EQ(o.exit_code, 125) << describe(o);
  EXPECT_THAT(o.err, HasSubstr("keyvalue:store/store@0.1.0")) << describe(o);
}

}  // namespace
}  // namespace berth::bundles
