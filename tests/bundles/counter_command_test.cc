// bundles/counter end to end: a bundle built on another provider. The C WASI command
// tests/bundles/guests/counter_c imports only counter:service@0.1.0; the counter bundle keeps
// its counters in keyvalue:store@0.1.0, which berth links from bundles/keyvalue and which the
// counter bundle calls through the bundle ABI's call_import. Each run is its own process, so a
// value read in a later run went through the key-value bundle's SQLite file.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bundles/reference_test_util.h"

namespace berth::bundles {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace berth::bundles::testing;

class CounterCommandTest : public ReferenceBundleTest {
 protected:
  void SetUp() override {
    ReferenceBundleTest::SetUp();
    keyvalue_ = configured_copy("keyvalue", path_config());
  }

  // `berth run -q PROVIDERS GUEST ARGS...` (-q: no warning that the bundles are unsigned)
  Outcome run(const std::string& guest, const std::vector<std::string>& providers,
              const std::vector<std::string>& args) {
    std::vector<std::string> all = {"run", "-q"};
    all.insert(all.end(), providers.begin(), providers.end());
    all.push_back(berth::testing::guest(guest));
    all.insert(all.end(), args.begin(), args.end());
    return berth(all);
  }

  // The counter guest with the key-value store on this test's database and the counter bundle.
  Outcome counter(const std::vector<std::string>& args) {
    return run(
        "bundles_counter_c",
        {"--host-bundle", keyvalue_.string(), "--host-bundle", built_bundle("counter").string()},
        args);
  }

  std::string ok(const std::vector<std::string>& args) {
    Outcome o = counter(args);
    EXPECT_EQ(o.exit_code, 0) << args[0] << "\n" << describe(o);
    EXPECT_EQ(o.err, "") << describe(o);
    return o.out;
  }

  // The key-value guest on the same database: what the counter bundle stored.
  Outcome kv(const std::vector<std::string>& args) {
    return run("bundles_kv_c", {"--host-bundle", keyvalue_.string()}, args);
  }

  fs::path keyvalue_;
};

TEST_F(CounterCommandTest, CountersLiveInTheKeyValueStore) {
  EXPECT_EQ(ok({"inc", "apples", "5"}), "5\n");
  EXPECT_EQ(ok({"inc", "apples", "-2"}), "3\n");
  EXPECT_EQ(ok({"inc", "pears", "1"}), "1\n");
  EXPECT_EQ(ok({"get", "apples"}), "3\n");
  EXPECT_EQ(ok({"get", "plums"}), "0\n");
  EXPECT_EQ(ok({"names"}), "apples\npears\n");
  // The counter bundle wrote them through keyvalue:store, under its own keys.
  Outcome stored = kv({"get", "counter/apples"});
  EXPECT_EQ(stored.out, "3\n") << describe(stored);
  EXPECT_EQ(kv({"list"}).out, "counter/apples\ncounter/pears\n");
  EXPECT_EQ(ok({"reset", "apples"}), "");
  EXPECT_EQ(ok({"get", "apples"}), "0\n");
  EXPECT_EQ(ok({"names"}), "pears\n");
}

TEST_F(CounterCommandTest, NamesLeaveOutKeysThatAreNotCounters) {
  EXPECT_EQ(kv({"set", "colour", "blue"}).exit_code, 0);
  EXPECT_EQ(kv({"set", "counter", "not one either"}).exit_code, 0);
  EXPECT_EQ(ok({"inc", "a", "1"}), "1\n");
  EXPECT_EQ(ok({"names"}), "a\n");
}

TEST_F(CounterCommandTest, AValueThatIsNotANumberIsAnError) {
  EXPECT_EQ(kv({"set", "counter/x", "abc"}).exit_code, 0);
  Outcome o = counter({"inc", "x", "1"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.err, "counter: increment failed: counter 'x' holds \"abc\", not a 64-bit integer\n");
  EXPECT_EQ(kv({"get", "counter/x"}).out, "abc\n");
}

TEST_F(CounterCommandTest, AnOverflowIsAnErrorAndChangesNothing) {
  EXPECT_EQ(ok({"inc", "big", "9223372036854775807"}), "9223372036854775807\n");
  Outcome o = counter({"inc", "big", "1"});
  EXPECT_EQ(o.exit_code, 1) << describe(o);
  EXPECT_EQ(o.err,
            "counter: increment failed: counter 'big' would overflow: 9223372036854775807 + 1\n");
  EXPECT_EQ(ok({"get", "big"}), "9223372036854775807\n");
}

TEST_F(CounterCommandTest, WithoutAKeyValueProviderTheLinkNamesThePath) {
  Outcome o =
      run("bundles_counter_c", {"--host-bundle", built_bundle("counter").string()}, {"get", "a"});
  EXPECT_NE(o.exit_code, 0);
  EXPECT_THAT(o.err, HasSubstr("nothing provides import 'keyvalue:store/store@0.1.0' of bundle "
                               "'counter' ("));
  EXPECT_THAT(o.err, HasSubstr("needed along: component -> 'counter:service/counter@0.1.0' "
                               "(bundle 'counter' ("));
  EXPECT_EQ(o.out, "");
}

TEST_F(CounterCommandTest, TheGuestImportsOnlyTheCounter) {
  Outcome o = berth({"wit", berth::testing::guest("bundles_counter_c")});
  EXPECT_EQ(o.exit_code, 0) << describe(o);
  EXPECT_THAT(o.out, HasSubstr("import counter:service/counter@0.1.0;"));
  EXPECT_THAT(o.out, Not(HasSubstr("keyvalue")));
}

}  // namespace
}  // namespace berth::bundles
