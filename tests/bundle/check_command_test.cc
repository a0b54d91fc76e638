// `berth bundle check BUNDLE [COMPONENT]`: what it prints and its exit status.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

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
  fs::path dir =
      fs::temp_directory_path() / ("berth_bundle_check_types_" + std::to_string(getpid()));
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

// Two versions of the types bundle on two search paths, and a hosts.toml asking for "^1".
fs::path two_versions(const fs::path& dir) {
  fs::remove_all(dir);
  for (const char* version : {"1.2.0", "1.4.0"}) {
    fs::path folder = dir / (std::string("search-") + version) / "types";
    fs::create_directories(folder);
    std::ofstream(folder / "host.toml")
        << "[host]\nname = \"types\"\nversion = \"" << version << "\"\nlib = \""
        << test_lib("types").string() << "\"\nwit = \"" << types_wit().string() << "\"\n";
  }
  std::ofstream(dir / "hosts.toml")
      << "[global]\nsearch_paths = [\"search-1.2.0\", \"search-1.4.0\"]\n"
      << "[[host]]\nname = \"t\"\nbundle = \"types\"\nversion = \"^1\"\n";
  return dir / "hosts.toml";
}

TEST(BundleCheck, WithAHostsTomlAndVerboseItSaysWhichFolderWasChosen) {
  fs::path dir =
      fs::temp_directory_path() / ("berth_bundle_check_versions_" + std::to_string(getpid()));
  fs::path hosts = two_versions(dir);
  auto c = berth::testing::capture_output([&] {
    return bundle_command({.action = "check",
                           .bundle = hosts.string(),
                           .component = guest("bundle_counter_user"),
                           .bundle_loading = {.quiet = true, .verbose = true}});
  });
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_THAT(c.out, HasSubstr("  manifest: " + (dir / "search-1.4.0/types/host.toml").string()));
  EXPECT_THAT(c.out, HasSubstr("test:types/counters@0.1.0: satisfied by"));
  std::string where = "note: " + hosts.string() + ": [[host]] 't': ";
  EXPECT_THAT(c.err, HasSubstr(where + "chose " + (dir / "search-1.4.0/types").string() +
                               " (version 1.4.0, the highest meeting \"^1\")\n"));
  EXPECT_THAT(c.err, HasSubstr(where + "passed over " + (dir / "search-1.2.0/types").string() +
                               ": version 1.2.0 is lower\n"));
  fs::remove_all(dir);
}

TEST(BundleCheck, RunVerboseExplainsTheChoiceToo) {
  fs::path dir = fs::temp_directory_path() / ("berth_run_versions_" + std::to_string(getpid()));
  fs::path hosts = two_versions(dir);
  auto r = berth::testing::run_berth({"run", "-q", "-v", "--host-config", hosts.string(),
                                      "--invoke", "third(1)", guest("bundle_counter_user")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "4\n");
  EXPECT_THAT(r.err, HasSubstr("chose " + (dir / "search-1.4.0/types").string()));
  EXPECT_THAT(r.err, HasSubstr("passed over " + (dir / "search-1.2.0/types").string()));
  fs::remove_all(dir);
}

TEST(BundleCheck, WasiImportsAreProvidedByBuiltInWasi) {
  auto c = check(keyvalue_bundle().string(), guest("bundles_kv_c"));
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_THAT(c.out, HasSubstr("  keyvalue:store/store@0.1.0: satisfied by "
                               "keyvalue:store/store@0.1.0\n"));
  EXPECT_THAT(c.out, ::testing::ContainsRegex(
                         "  wasi:cli/environment@0\\.2\\.[0-9]+: provided by built-in WASI "
                         "\\(wasi:cli/environment@0\\.2\\.[0-9]+\\)\n"));
  EXPECT_THAT(c.out, ::testing::Not(HasSubstr("not provided")));
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

// With -v, the graph of the bundles' dependencies (what their worlds import) and the order in
// which berth creates them; a dependency nothing provides fails the check either way.
TEST(BundleCheck, ShowsTheDependencyGraph) {
  fs::path dir =
      fs::temp_directory_path() / ("berth_bundle_check_graph_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::path a = write_node_bundle(dir, "a", {"b"}, dir / "log");
  fs::path b = write_node_bundle(dir, "b", {}, dir / "log");
  std::ofstream(dir / "hosts.toml")
      << "[[host]]\nname = \"a\"\nbundle = \"" << a.string()
      << "\"\n\n[[host]]\nname = \"b\"\nbundle = \"" << b.string() << "\"\n";
  auto c = berth::testing::capture_output([&] {
    return bundle_command({.action = "check",
                           .bundle = (dir / "hosts.toml").string(),
                           .bundle_loading = {.quiet = true, .verbose = true}});
  });
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_THAT(c.out, HasSubstr("dependencies:\n  bundle 'a' ("));
  EXPECT_THAT(c.out, HasSubstr("    test:b/api@0.1.0: bundle 'b' ("));
  EXPECT_THAT(c.out, HasSubstr(") (test:b/api@0.1.0)\n  bundle 'b' ("));
  EXPECT_THAT(c.out, HasSubstr("): none\ncreation order:\n  built-in WASI\n  bundle 'b' ("));
  EXPECT_THAT(c.out, HasSubstr(")\n  bundle 'a' ("));

  auto alone = check(a.string());
  EXPECT_EQ(alone.exit_code, 1) << alone.err;
  EXPECT_THAT(alone.out, HasSubstr("dependencies NOT satisfied:\n  nothing provides import "
                                   "'test:b/api@0.1.0' of bundle 'a' ("));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace berth::cli
