// Loading bundles: the descriptor, calls through the native layout, and every error a user can
// meet (issue 6, item 8), each with its message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "bundle_test_util.h"

namespace berth::bundle {
namespace {

using berth::testing::expect_ok;
using component::Val;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace berth::bundle::testing;

class LoaderTest : public BundleDirTest {
 protected:
  // A types bundle whose library is test library `lib`.
  fs::path types_bundle_with(const std::string& lib) {
    return bundle(lib, "version = \"0.1.0\"\nlib = \"" + test_lib(lib).string() + "\"\nwit = \"" +
                           types_wit().string() + "\"\n");
  }
};

std::string error_of(const Result<std::shared_ptr<BundleProvider>>& loaded) {
  EXPECT_FALSE(loaded);
  return loaded ? "" : loaded.error().message();
}

TEST_F(LoaderTest, LoadsTheTypesBundleAndDescribesIt) {
  auto bundle = expect_ok(load_bundle_dir(types_bundle()));
  EXPECT_EQ(bundle->name(), "bundle 'types' (" + (dir_ / "types" / "host.toml").string() + ")");
  EXPECT_EQ(bundle->library_name(), "types");
  EXPECT_EQ(bundle->library_version(), "0.1.0");
  EXPECT_EQ(bundle->world_name(), "test:types/types-host@0.1.0");
  ASSERT_EQ(bundle->interfaces().size(), 3u);
  EXPECT_EQ(bundle->interfaces()[0].name, "test:types/echo@0.1.0");
  ASSERT_EQ(bundle->described().size(), 3u);
  EXPECT_THAT(bundle->described()[2].resources, ElementsAre("counter"));
  EXPECT_EQ(bundle->described()[2].functions[0].signature, "func(start: u32) -> own<counter>");
}

// ---- every value through a real C library ----

class TypesBundleTest : public LoaderTest {
 protected:
  void SetUp() override {
    LoaderTest::SetUp();
    bundle_ = expect_ok(load_bundle_dir(types_bundle()));
    instance_ = expect_ok(bundle_->create_instance());
  }

  Result<std::optional<Val>> call(std::string_view interface, std::string_view name,
                                  std::vector<Val> args) {
    return call_direct(*bundle_, *instance_, interface, name, std::move(args));
  }

  void echo(std::string_view name, const Val& value) {
    auto result = call("test:types/echo@0.1.0", name, {value});
    ASSERT_TRUE(result) << name << ": " << result.error().message();
    ASSERT_TRUE(result->has_value()) << name;
    EXPECT_TRUE(component::vals_equal(**result, value)) << name;
  }

  std::string trap_of(std::string_view name, std::vector<Val> args = {}) {
    auto result = call("test:types/bad@0.1.0", name, std::move(args));
    EXPECT_FALSE(result) << name;
    if (result) return "";
    EXPECT_EQ(result.error().code(), ErrorCode::kTrap) << name;
    return result.error().message();
  }

  std::string label(std::string_view function) {
    return fmt::format("{}: test:types/bad@0.1.0#{}", bundle_->name(), function);
  }

  std::shared_ptr<BundleProvider> bundle_;
  std::shared_ptr<host::ProviderInstance> instance_;
};

TEST_F(TypesBundleTest, EveryScalarRoundTrips) {
  echo("echo-bool", Val::boolean(true));
  echo("echo-s8", Val::s8(-5));
  echo("echo-u8", Val::u8(200));
  echo("echo-s16", Val::s16(-30000));
  echo("echo-u16", Val::u16(60000));
  echo("echo-s32", Val::s32(-2000000000));
  echo("echo-u32", Val::u32(4000000000u));
  echo("echo-s64", Val::s64(-(1ll << 60)));
  echo("echo-u64", Val::u64(1ull << 63));
  echo("echo-f32", Val::float32(3.25f));
  echo("echo-f64", Val::float64(-1e300));
  echo("echo-char", Val::character(U'ß'));
  echo("echo-string", Val::string("a string, borrowed and returned"));
  echo("echo-string", Val::string(""));
}

TEST_F(TypesBundleTest, EveryCompoundRoundTrips) {
  echo("echo-list-u8", Val::list({Val::u8(1), Val::u8(2)}));
  echo("echo-list-string", Val::list({Val::string("x"), Val::string("yz")}));
  echo("echo-list-point", Val::list({Val::record({Val::s32(1), Val::s32(-2)}),
                                     Val::record({Val::s32(3), Val::s32(4)})}));
  echo("echo-mixed",
       Val::record({Val::boolean(true), Val::u8(9), Val::string("name"), Val::float64(0.5),
                    Val::list({Val::string("t")}), Val::character(U'z')}));
  echo("echo-tuple", Val::tuple({Val::u8(1), Val::string("two"), Val::u64(3)}));
  echo("echo-shape", Val::variant(0, std::nullopt));
  echo("echo-shape", Val::variant(1, Val::float32(1.5f)));
  echo("echo-shape", Val::variant(2, Val::string("label")));
  echo("echo-shape", Val::variant(3, Val::tuple({Val::u8(7), Val::u64(1ull << 50)})));
  echo("echo-color", Val::enumeration(1));
  echo("echo-perms", Val::flags({0b110}));
  echo("echo-many", Val::flags({0xdeadbeef, 0xab}));
  echo("echo-option", Val::none());
  echo("echo-option", Val::some(Val::none()));
  echo("echo-option", Val::some(Val::some(Val::u32(5))));
  echo("echo-result", Val::ok(Val::string("ok")));
  echo("echo-result", Val::err(Val::u16(500)));
  auto result = call("test:types/echo@0.1.0", "many-args",
                     {Val::u8(1), Val::string("b"), Val::u64(3), Val::float32(4.0f)});
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_TRUE(component::vals_equal(
      **result, Val::tuple({Val::u8(1), Val::string("b"), Val::u64(3), Val::float32(4.0f)})));
  // Memory the bundle owns is lent to berth, which copies it.
  auto owned = expect_ok(call("test:types/echo@0.1.0", "owned-text", {}));
  ASSERT_TRUE(owned);
  ASSERT_EQ(owned->items.size(), 2u);
  EXPECT_EQ(owned->items[0].str, "static");
  EXPECT_EQ(owned->items[1].str, "text");
  auto copied = call("test:types/echo@0.1.0", "copy-string", {Val::string("copied")});
  ASSERT_TRUE(copied);
  EXPECT_EQ((*copied)->str, "copied");
}

TEST_F(TypesBundleTest, InvalidResultsTrapWithTheRuleBroken) {
  EXPECT_EQ(trap_of("bad-bool"), label("bad-bool") +
                                     " returned an invalid value: result: a bool must be 0 or 1, "
                                     "found 2");
  EXPECT_EQ(trap_of("bad-utf8"), label("bad-utf8") +
                                     " returned an invalid value: result: the "
                                     "string is not valid UTF-8");
  EXPECT_EQ(trap_of("bad-pointer"), label("bad-pointer") +
                                        " returned an invalid value: result: the string (11 "
                                        "bytes) points to NULL");
  EXPECT_EQ(trap_of("bad-option"), label("bad-option") +
                                       " returned an invalid value: result: "
                                       "option tag 7 is out of range (expected "
                                       "0 to 1)");
  EXPECT_EQ(trap_of("bad-enum"), label("bad-enum") +
                                     " returned an invalid value: result: enum "
                                     "case 5 is out of range (the enum has 2 "
                                     "cases)");
  EXPECT_EQ(trap_of("bad-char"), label("bad-char") +
                                     " returned an invalid value: result: "
                                     "0xd800 is not a Unicode scalar value (a "
                                     "char)");
  EXPECT_EQ(trap_of("bad-flags"), label("bad-flags") +
                                      " returned an invalid value: result: "
                                      "flags word 0 has bits 0x8 set beyond the "
                                      "3 flags of the type");
  EXPECT_THAT(trap_of("bad-list"),
              HasSubstr(label("bad-list") + " returned an invalid value: result: the list "
                                            "(16777216 elements at 0x"));
  EXPECT_THAT(trap_of("bad-list"),
              HasSubstr(") runs past the end of the call's arena block or argument it starts in"));
  EXPECT_EQ(trap_of("huge-alloc"),
            label("huge-alloc") + " trapped: its results exceeded the call arena's limit");
}

TEST_F(TypesBundleTest, BundleFunctionThatTraps) {
  EXPECT_EQ(trap_of("trap", {Val::string("the disk is on fire")}),
            label("trap") + " trapped: the disk is on fire");
  EXPECT_EQ(trap_of("trap-silently"), label("trap-silently") +
                                          " trapped: (the bundle gave no "
                                          "message)");
  EXPECT_EQ(trap_of("bad-status"),
            label("bad-status") + " returned status 7 (expected BERTH_OK or BERTH_TRAP)");
}

TEST_F(LoaderTest, CreateFailureCarriesTheBundlesReason) {
  auto bundle = expect_ok(load_bundle_dir(types_bundle(), {{"fail", "no token inserted"}}));
  auto instance = bundle->create_instance();
  ASSERT_FALSE(instance);
  EXPECT_THAT(
      instance.error().message(),
      HasSubstr("cannot create an instance of the bundle: no token inserted "
                "(configuration: greeting = \"hello\", fail = \"no token inserted\"; from " +
                (dir_ / "types" / "host.toml").string() + ")"));
}

// ---- item 8: the errors ----

TEST_F(LoaderTest, BundleFolderMissing) {
  EXPECT_EQ(error_of(load_bundle_dir(dir_ / "absent")),
            (dir_ / "absent").string() +
                ": bundle folder not found (expected a folder holding host.toml)");
}

TEST_F(LoaderTest, LibraryMissing) {
  fs::path b = bundle("kv", "lib = \"lib/libkv.so\"\nwit = \"wit\"\n");
  EXPECT_EQ(error_of(load_bundle_dir(b)), (b / "host.toml").string() +
                                              ": [host] 'lib': the library " +
                                              (b / "lib/libkv.so").string() + " does not exist");
}

TEST_F(LoaderTest, LibraryNotLoadable) {
  fs::path b = bundle("kv", "lib = \"lib/libkv.so\"\nwit = \"wit\"\n");
  write("kv/lib/libkv.so", std::string(200, 'x'));
  std::string message = error_of(load_bundle_dir(b));
  EXPECT_THAT(message, HasSubstr((b / "host.toml").string() + ": [host] 'lib': cannot load " +
                                 (b / "lib/libkv.so").string() + ": "));
  // dlerror()'s own words follow.
  EXPECT_THAT(message, HasSubstr("invalid ELF header"));
}

TEST_F(LoaderTest, EntrySymbolMissing) {
  fs::path b = bundle("kv", "lib = \"" + test_lib("no_entry").string() + "\"\nwit = \"wit\"\n");
  EXPECT_EQ(error_of(load_bundle_dir(b)),
            test_lib("no_entry").string() +
                ": not a berth bundle: it does not export the entry symbol 'berth_bundle_entry' "
                "(declare it with BERTH_BUNDLE_EXPORT from berth/bundle.h)");
}

TEST_F(LoaderTest, AnotherAbiMajorIsRefusedBeforeTheLibraryRuns) {
  // The library's entry point aborts if it is ever called.
  EXPECT_EQ(error_of(load_bundle_dir(types_bundle_with("other_major"))),
            test_lib("other_major").string() +
                ": the library was built for bundle ABI 2.0; this berth speaks ABI 1.2 and loads "
                "major 1 only (rebuild the bundle against this berth's berth/bundle.h)");
}

TEST_F(LoaderTest, ANewerMinorIsRefusedWithBothVersions) {
  EXPECT_EQ(error_of(load_bundle_dir(types_bundle_with("newer_minor"))),
            test_lib("newer_minor").string() +
                ": the library was built for bundle ABI 1.3, newer than this berth's 1.2: it may "
                "use what this berth lacks (upgrade berth, or rebuild the bundle against this "
                "berth's berth/bundle.h)");
}

TEST_F(LoaderTest, ALibraryFromBeforeTheAbiSymbolLoadsAsAnOlderMinor) {
  auto bundle = expect_ok(load_bundle_dir(types_bundle_with("legacy_abi")));
  auto instance = expect_ok(bundle->create_instance());
  auto echoed = expect_ok(
      call_direct(*bundle, *instance, "test:types/echo@0.1.0", "echo-u32", {Val::u32(7)}));
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->u, 7u);
}

TEST_F(LoaderTest, ALibraryOfAnOlderMinorLoadsWithoutItsNewerFields) {
  // Its descriptor's import table holds garbage: berth reads it only from 1.2 on.
  auto bundle = expect_ok(load_bundle_dir(types_bundle_with("older_minor")));
  auto instance = expect_ok(bundle->create_instance());
  auto echoed = expect_ok(
      call_direct(*bundle, *instance, "test:types/echo@0.1.0", "echo-u32", {Val::u32(9)}));
  ASSERT_TRUE(echoed);
  EXPECT_EQ(echoed->u, 9u);
}

TEST_F(LoaderTest, TheDescriptorMustAgreeWithTheAbiSymbol) {
  EXPECT_EQ(error_of(load_bundle_dir(types_bundle_with("bad_abi"))),
            test_lib("bad_abi").string() +
                ": the descriptor says bundle ABI 99.2, but the library's berth_bundle_abi says "
                "1.2 (were they built against different berth/bundle.h?)");
}

TEST_F(LoaderTest, ManifestAbiDisagreesWithTheLibrary) {
  fs::path b = types_bundle("types", "abi = 2\n");
  EXPECT_EQ(error_of(load_bundle_dir(b)), (b / "host.toml").string() + ": [host] 'abi' is 2, but " +
                                              test_lib("types").string() +
                                              " was built for bundle ABI 1.2");
}

TEST_F(LoaderTest, WitDoesNotParse) {
  fs::path b = bundle("kv", "lib = \"" + test_lib("types").string() + "\"\nwit = \"wit\"\n");
  write("kv/wit/broken.wit", "package test:types@0.1.0;\ninterface echo {\n  get: func(;\n}\n");
  std::string message = error_of(load_bundle_dir(b));
  EXPECT_THAT(message, HasSubstr((b / "host.toml").string() + ": [host] 'wit' (" +
                                 (b / "wit").string() + "): "));
  EXPECT_THAT(message, HasSubstr("broken.wit:3"));
}

TEST_F(LoaderTest, WorldNotFound) {
  fs::path b = types_bundle("types", "world = \"nope\"\n");
  EXPECT_THAT(error_of(load_bundle_dir(b)),
              HasSubstr((b / "host.toml").string() + ": [host] 'world': "));
}

TEST_F(LoaderTest, DescriptorAndWitDisagree) {
  fs::path b = bundle("kv", "lib = \"" + test_lib("stale").string() + "\"\nwit = \"" +
                                keyvalue_wit().string() + "\"\nworld = \"kv-host\"\n");
  std::string message = error_of(load_bundle_dir(b));
  EXPECT_THAT(message, HasSubstr("bundle 'kv' (" + (b / "host.toml").string() + "): the library " +
                                 test_lib("stale").string() + " does not match the WIT " +
                                 keyvalue_wit().string() +
                                 " (world keyvalue:store/kv-host@0.1.0); was it built from another "
                                 "version of the WIT?"));
  EXPECT_THAT(message, HasSubstr("\n    the library was generated from world "
                                 "keyvalue:store/kv-host@0.0.9, the WIT's world is "
                                 "keyvalue:store/kv-host@0.1.0"));
  EXPECT_THAT(message, HasSubstr("\n    keyvalue:store/store@0.1.0: function 'get' has another "
                                 "signature in the library\n"
                                 "      WIT:     func(key: string) -> result<option<string>, "
                                 "string>\n"
                                 "      library: func(key: string) -> option<string>"));
  EXPECT_THAT(message, HasSubstr("\n    keyvalue:store/store@0.1.0: the WIT declares function "
                                 "'exists'; the library does not implement it"));
  EXPECT_THAT(message, HasSubstr("\n    keyvalue:store/store@0.1.0: the library implements "
                                 "function 'clear', which the WIT does not declare"));
  EXPECT_THAT(message,
              HasSubstr("\n    the WIT world exports interface "
                        "keyvalue:store/streaming@0.1.0; the library does not provide it"));
}

TEST_F(LoaderTest, UnknownConfigurationKey) {
  auto loaded = load_bundle_dir(keyvalue_bundle(), {{"pth", "/tmp/kv.db"}});
  EXPECT_EQ(error_of(loaded),
            (keyvalue_bundle() / "host.toml").string() +
                ": configuration key 'pth' is not a configuration key of bundle 'keyvalue' "
                "(expected one of: 'path', 'busy-timeout-ms')");
}

// ---- hosts.toml ----

TEST_F(LoaderTest, HostsManifestFindsBundlesOnSearchPaths) {
  types_bundle("types");
  fs::path hosts = write("conf/hosts.toml",
                         "[global]\nsearch_paths = [\"..\"]\n"
                         "[[host]]\nname = \"t\"\nbundle = \"types\"\n"
                         "version = \"0.1.0\"\n"
                         "prefer = [\"test:types/echo\"]\n"
                         "[host.config]\ngreeting = \"hi\"\n");
  LoadedHosts loaded = expect_ok(load_hosts_manifest(hosts));
  ASSERT_EQ(loaded.providers.size(), 1u);
  EXPECT_EQ(loaded.providers[0]->name(),
            "bundle 't' (" + (dir_ / "types" / "host.toml").string() + ")");
  EXPECT_THAT(loaded.preferences, ElementsAre(std::pair<std::string, std::string>(
                                      "test:types/echo", loaded.providers[0]->name())));
}

TEST_F(LoaderTest, HostsManifestExplicitPair) {
  fs::path hosts = write("hosts.toml", "[[host]]\nname = \"t\"\nwit = \"" + types_wit().string() +
                                           "\"\nlib = \"" + test_lib("types").string() + "\"\n");
  LoadedHosts loaded = expect_ok(load_hosts_manifest(hosts));
  ASSERT_EQ(loaded.providers.size(), 1u);
  EXPECT_EQ(loaded.providers[0]->name(), "bundle 't' (" + hosts.string() + ")");
}

TEST_F(LoaderTest, HostsManifestErrors) {
  fs::path hosts = write("hosts.toml",
                         "[global]\nsearch_paths = [\"bundles\"]\n"
                         "[[host]]\nname = \"kv\"\nbundle = \"keyvalue\"\n");
  auto missing = load_hosts_manifest(hosts);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(),
            hosts.string() +
                ": [[host]] 'kv': bundle folder 'keyvalue' not found on the search "
                "paths (" +
                (dir_ / "bundles").string() + ")");

  types_bundle("types");
  fs::path pinned = write("pinned.toml",
                          "[global]\nsearch_paths = [\".\"]\n"
                          "[[host]]\nname = \"t\"\nbundle = \"types\"\n"
                          "version = \"0.2.0\"\n");
  auto unpinned = load_hosts_manifest(pinned);
  ASSERT_FALSE(unpinned);
  EXPECT_EQ(unpinned.error().message(),
            pinned.string() +
                ": [[host]] 't': no bundle folder 'types' will do for \"0.2.0\"; found:\n    " +
                (dir_ / "types").string() +
                " (version 0.1.0): version 0.1.0 does not meet \"0.2.0\"");

  fs::path bad_key = write("bad_key.toml",
                           "[global]\nsearch_paths = [\".\"]\n"
                           "[[host]]\nname = \"kv\"\nbundle = \"" +
                               keyvalue_bundle().string() + "\"\n[host.config]\npth = \"x\"\n");
  auto refused = load_hosts_manifest(bad_key);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message(),
            bad_key.string() +
                ": [[host]] 'kv' [host.config] key 'pth' is not a configuration "
                "key of bundle 'keyvalue' (expected one of: 'path', "
                "'busy-timeout-ms')");
}

}  // namespace
}  // namespace berth::bundle
