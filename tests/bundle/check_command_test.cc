// `berth bundle check BUNDLE [COMPONENT]`: what it prints and its exit status.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bundle_test_util.h"
#include "cli/bundle_command.h"
#include "cli/exit_codes.h"
#include "common/paths.h"
#include "common/run_berth.h"

namespace berth::cli {
namespace {

using ::testing::HasSubstr;
using namespace berth::bundle::testing;

berth::testing::Outcome check(std::string bundle,
                              std::optional<std::string> component = std::nullopt) {
  return berth::testing::capture_output([&] {
    return bundle_command(
        {.action = "check", .bundle = std::move(bundle), .component = std::move(component)});
  });
}

using berth::testing::guest;

TEST(BundleCheck, PrintsWhatTheBundleProvides) {
  auto c = check(keyvalue_bundle().string());
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_THAT(c.out, HasSubstr("bundle keyvalue 0.1.0\n"));
  EXPECT_THAT(c.out, HasSubstr("  wit:      " + (keyvalue_bundle() / "wit").string() +
                               " (world keyvalue:store/kv-host@0.1.0)\n"));
  EXPECT_THAT(c.out, HasSubstr("    busy-timeout-ms: How long to wait"));
  EXPECT_THAT(c.out, HasSubstr("provides:\n  keyvalue:store/store@0.1.0\n"
                               "    get: func(key: string) -> result<option<string>, string>\n"));
  EXPECT_THAT(c.out, HasSubstr("    list-keys: func() -> result<list<string>, string>\n"));
}

TEST(BundleCheck, ListsResources) {
  fs::path dir = fs::temp_directory_path() / "berth_bundle_check_types";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "host.toml")
      << "[host]\nname = \"types\"\nlib = \"" << test_lib("types").string() << "\"\nwit = \""
      << types_wit().string() << "\"\n";
  auto c = check(dir.string(), guest("bundle_counter_user"));
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_THAT(c.out, HasSubstr("  test:types/counters@0.1.0\n    resource counter\n"
                               "    [constructor]counter: func(start: u32) -> own<counter>\n"));
  EXPECT_THAT(c.out, HasSubstr("  test:types/counters@0.1.0: satisfied by "
                               "test:types/counters@0.1.0\n"));
  fs::remove_all(dir);
}

TEST(BundleCheck, SatisfiedComponent) {
  auto c = check(keyvalue_bundle().string(), guest("bundle_kv_user"));
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_THAT(c.out, HasSubstr("component " + guest("bundle_kv_user") +
                               ":\n"
                               "  keyvalue:store/store@0.1.0: satisfied by "
                               "keyvalue:store/store@0.1.0\n"));
}

TEST(BundleCheck, UnsatisfiedImportSaysWhy) {
  auto c = check((keyvalue_bundle() / "host.toml").string(), guest("bundle_kv_mismatch"));
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_THAT(c.out, HasSubstr("  keyvalue:store/store@0.1.0: NOT satisfied:\n"
                               "    import 'keyvalue:store/store@0.1.0' does not match its "
                               "provider:\n"));
  EXPECT_THAT(c.out, HasSubstr("expected: func(key: string) -> option<string>"));
  EXPECT_THAT(c.out, HasSubstr("provider: func(key: string) -> result<option<string>, string>"));
}

TEST(BundleCheck, ImportsOfOtherProvidersAreListed) {
  auto c = check(keyvalue_bundle().string(), guest("bundle_counter_user"));
  EXPECT_EQ(c.exit_code, 0);
  EXPECT_THAT(c.out, HasSubstr("  test:types/counters@0.1.0: not provided by this bundle\n"));
}

TEST(BundleCheck, LoadErrorsAreReported) {
  auto c = check("/nonexistent/bundle");
  EXPECT_EQ(c.exit_code, kExitBerthError);
  EXPECT_THAT(c.err, HasSubstr("/nonexistent/bundle: bundle folder not found"));
}

}  // namespace
}  // namespace berth::cli
