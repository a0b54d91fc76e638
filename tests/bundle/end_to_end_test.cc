// Components calling bundles through host::Linker and add_bundles: the keyvalue bundle with its
// values persisting across instances in a database file, a resource of a bundle constructed,
// borrowed, dropped and handed back, and link errors (type differences, ambiguity).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "berth/wasi/wasi.h"
#include "bundle_test_util.h"

namespace berth::bundle {
namespace {

using berth::testing::expect_ok;
using berth::testing::read_guest;
using component::Val;
using ::testing::HasSubstr;
using namespace berth::bundle::testing;

class EndToEndTest : public BundleDirTest {
 protected:
  void SetUp() override {
    BundleDirTest::SetUp();
    engine_ = expect_ok(engine::create_engine({}));
  }

  std::shared_ptr<const component::Component> load(const std::string& guest) {
    return expect_ok(component::load_component(*engine_, read_guest(guest), guest + ".wasm"));
  }

  // A linker with built-in WASI, which the keyvalue bundle depends on (its streaming interface
  // makes wasi:io streams with berth:streams/memory).
  static host::Linker wasi_linker() {
    host::Linker linker;
    linker.add(expect_ok(wasi::make_provider({})));
    return linker;
  }

  std::unique_ptr<host::LinkedInstance> instantiate(const BundleOptions& options,
                                                    const std::string& guest) {
    host::Linker linker = wasi_linker();
    expect_ok(add_bundles(linker, options));
    store_ = expect_ok(engine_->create_store());
    return expect_ok(linker.instantiate(*store_, load(guest)));
  }

  Val call(host::LinkedInstance& linked, std::string_view name, std::vector<Val> args = {}) {
    auto& instance = linked.component();
    auto func = expect_ok(instance.find_function(name));
    auto result = expect_ok(instance.call(*func, args));
    EXPECT_TRUE(result.has_value());
    return result ? *result : Val();
  }

  std::shared_ptr<engine::Engine> engine_;
  std::unique_ptr<engine::Store> store_;
};

std::vector<std::string> strings_of(const Val& list) {
  std::vector<std::string> out;
  for (const Val& item : list.items) out.push_back(item.str);
  return out;
}

TEST_F(EndToEndTest, KeyValuePersistsAcrossInstancesInADatabaseFile) {
  fs::path db = dir_ / "kv.db";
  fs::path hosts = write("hosts.toml", "[global]\nsearch_paths = [\"" +
                                           keyvalue_bundle().parent_path().string() +
                                           "\"]\n[[host]]\nname = \"keyvalue\"\n"
                                           "[host.config]\npath = \"" +
                                           db.string() + "\"\n");
  BundleOptions options{.host_config = hosts};
  {
    auto linked = instantiate(options, "bundle_kv_user");
    Val missing = call(*linked, "get", {Val::string("colour")});
    EXPECT_EQ(missing.discriminant, 0u);            // ok
    EXPECT_EQ(missing.payload().discriminant, 0u);  // none
    EXPECT_EQ(call(*linked, "set", {Val::string("colour"), Val::string("blue")}).discriminant, 0u);
    EXPECT_EQ(call(*linked, "set", {Val::string("answer"), Val::string("42")}).discriminant, 0u);
    EXPECT_EQ(call(*linked, "set", {Val::string("gone"), Val::string("soon")}).discriminant, 0u);
    EXPECT_EQ(call(*linked, "delete", {Val::string("gone")}).discriminant, 0u);
    Val exists = call(*linked, "exists", {Val::string("gone")});
    EXPECT_EQ(exists.discriminant, 0u);
    EXPECT_FALSE(exists.payload().b);
  }
  EXPECT_TRUE(fs::exists(db));
  {
    auto linked = instantiate(options, "bundle_kv_user");
    Val got = call(*linked, "get", {Val::string("colour")});
    ASSERT_EQ(got.discriminant, 0u);
    ASSERT_EQ(got.payload().discriminant, 1u);
    EXPECT_EQ(got.payload().payload().str, "blue");
    Val exists = call(*linked, "exists", {Val::string("answer")});
    EXPECT_TRUE(exists.payload().b);
    Val keys = call(*linked, "list-keys");
    ASSERT_EQ(keys.discriminant, 0u);
    EXPECT_EQ(strings_of(keys.payload()), (std::vector<std::string>{"answer", "colour"}));
  }
}

TEST_F(EndToEndTest, KeyValueInMemoryThroughHostBundle) {
  BundleOptions options{.bundle_dirs = {keyvalue_bundle()}};
  {
    auto linked = instantiate(options, "bundle_kv_user");
    call(*linked, "set", {Val::string("k"), Val::string("välue")});
    Val got = call(*linked, "get", {Val::string("k")});
    EXPECT_EQ(got.payload().payload().str, "välue");
  }
  // A new instance has a new in-memory database.
  auto linked = instantiate(options, "bundle_kv_user");
  EXPECT_EQ(call(*linked, "get", {Val::string("k")}).payload().discriminant, 0u);
  EXPECT_TRUE(strings_of(call(*linked, "list-keys").payload()).empty());
}

TEST_F(EndToEndTest, BundleResourcesAreConstructedBorrowedDroppedAndReturned) {
  BundleOptions options{.bundle_dirs = {types_bundle()}};
  auto linked = instantiate(options, "bundle_counter_user");
  EXPECT_EQ(call(*linked, "third", {Val::u32(40)}).u, 43u);
  EXPECT_EQ(call(*linked, "destroyed").u, 1u);  // the guest dropped it
  // 100 + 10 + 1: the second counter, stepped once, handed back by value and destroyed by the
  // bundle; the first dropped by the guest.
  EXPECT_EQ(call(*linked, "finish-second", {Val::u32(10)}).u, 111u);
  EXPECT_EQ(call(*linked, "destroyed").u, 3u);
  // A counter left alive is destroyed with the instance (checked by leak checkers).
  EXPECT_EQ(call(*linked, "leak", {Val::u32(1)}).u, 2u);
  EXPECT_EQ(call(*linked, "destroyed").u, 3u);
}

// Every counter the bundle makes is destroyed exactly once, whatever stops the result that
// carries it: a guest realloc that traps part-way through lowering, a result that breaks a rule
// (on the native path and through Vals), a counter the guest keeps, one it holds while it traps.
TEST_F(EndToEndTest, EveryBundleObjectIsDestroyedExactlyOnce) {
  host::Linker linker;
  expect_ok(add_bundles(linker, {.bundle_dirs = {types_bundle()}}));
  auto component = load("bundle_abandon_user");
  // Each instance in a store of its own: a store keeps the host functions it was given, and with
  // them the bundle instance, until it is destroyed.
  struct Instance {
    std::unique_ptr<engine::Store> store;
    std::unique_ptr<host::LinkedInstance> linked;  // destroyed first
  };
  auto fresh = [&] {
    Instance out{.store = expect_ok(engine_->create_store())};
    out.linked = expect_ok(linker.instantiate(*out.store, component));
    return out;
  };
  auto run = [&](host::LinkedInstance& linked, std::string_view name, std::vector<Val> args) {
    auto func = expect_ok(linked.component().find_function(name));
    return linked.component().call(*func, args);
  };
  auto live = [&] {
    Instance i = fresh();
    return expect_ok(run(*i.linked, "live", {}))->i;
  };
  auto fails = [&](std::string_view name, const std::string& why) {
    Instance i = fresh();
    auto result = run(*i.linked, name, {Val::u32(3)});
    ASSERT_FALSE(result) << name;
    EXPECT_THAT(result.error().describe(), HasSubstr(why)) << name;
  };
  int64_t before = live();
  fails("pair", "unreachable");  // realloc traps on the string
  EXPECT_EQ(live(), before);
  fails("bad-pair", "returned an invalid value");  // check_native refuses the string
  EXPECT_EQ(live(), before);
  fails("trap-holding", "unreachable");  // the guest's table has it at the trap
  EXPECT_EQ(live(), before);
  {
    Instance i = fresh();
    expect_ok(run(*i.linked, "keep", {Val::u32(1)}));
    EXPECT_EQ(expect_ok(run(*i.linked, "live", {}))->i, before + 1);  // alive with the instance
  }
  EXPECT_EQ(live(), before);

  // The same result through Vals (an embedder's call): refused, and its counter destroyed.
  auto bundle = expect_ok(load_bundle_dir(types_bundle()));
  auto instance = expect_ok(bundle->create_instance());
  // The type as a linker would pass it: own<counter> is the instance's own resource type.
  constexpr std::string_view kCounters = "test:types/counters@0.1.0";
  auto counter = expect_ok(instance->resource(kCounters, "counter"));
  using component::Type;
  component::FuncType pair_type{
      .params = {{"start", Type::primitive(component::ValKind::kU32)}},
      .result = Type::tuple({Type::primitive(component::ValKind::kString), Type::own(counter)})};
  auto bad_pair = expect_ok(instance->function(kCounters, "bad-pair", pair_type));
  auto refused = bad_pair(std::vector<Val>{Val::u32(3)});
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message(), HasSubstr("returned an invalid value"));
  auto counted = expect_ok(call_direct(*bundle, *instance, kCounters, "live", {}));
  EXPECT_EQ(counted->i, before);
}

// A guest calls the bundle through `canon lower`, which takes the native path (no Vals): every
// kind of value goes from guest memory into the bundle's structs and back.
TEST_F(EndToEndTest, GuestCallsTakeTheNativePathForEveryKindOfValue) {
  BundleOptions options{.bundle_dirs = {types_bundle()}};
  auto linked = instantiate(options, "bundle_types_user");
  auto echo = [&](std::string_view name, const Val& value) {
    Val back = call(*linked, name, {value});
    EXPECT_TRUE(component::vals_equal(back, value)) << name;
  };
  // Numbers in and out take the scalar shortcut; bool results the checked path.
  echo("echo-bool", Val::boolean(true));
  echo("echo-bool", Val::boolean(false));
  echo("echo-s8", Val::s8(-5));
  echo("echo-s16", Val::s16(-30000));
  echo("echo-u64", Val::u64(1ull << 63));
  echo("echo-f32", Val::float32(3.25f));
  echo("echo-f64", Val::float64(-1e300));
  echo("echo-char", Val::character(U'ß'));
  echo("echo-color", Val::enumeration(2));
  echo("echo-perms", Val::flags({0b101}));
  echo("echo-string", Val::string("a string, borrowed from guest memory and returned"));
  echo("echo-string", Val::string(""));
  echo("echo-list-u8", Val::list({Val::u8(1), Val::u8(2), Val::u8(255)}));
  echo("echo-list-string", Val::list({Val::string("x"), Val::string(""), Val::string("yz")}));
  echo("echo-list-point", Val::list({Val::record({Val::s32(1), Val::s32(-2)}),
                                     Val::record({Val::s32(3), Val::s32(4)})}));
  echo("echo-mixed",
       Val::record({Val::boolean(true), Val::u8(9), Val::string("name"), Val::float64(0.5),
                    Val::list({Val::string("t"), Val::string("u")}), Val::character(U'z')}));
  echo("echo-shape", Val::variant(0, std::nullopt));
  echo("echo-shape", Val::variant(1, Val::float32(1.5f)));
  echo("echo-shape", Val::variant(2, Val::string("label")));
  echo("echo-shape", Val::variant(3, Val::tuple({Val::u8(7), Val::u64(1ull << 50)})));
  echo("echo-option", Val::none());
  echo("echo-option", Val::some(Val::none()));
  echo("echo-option", Val::some(Val::some(Val::u32(5))));
  echo("echo-result", Val::ok(Val::string("ok")));
  echo("echo-result", Val::err(Val::u16(500)));
  // UTF-16 in the guest: transcoded into the call's arena on the way in and back on the way out.
  echo("copy-string-utf16", Val::string("ünïcödé, ☃"));
  Val many =
      call(*linked, "many-args", {Val::u8(1), Val::string("b"), Val::u64(3), Val::float32(4.0f)});
  EXPECT_TRUE(component::vals_equal(
      many, Val::tuple({Val::u8(1), Val::string("b"), Val::u64(3), Val::float32(4.0f)})));
}

TEST_F(EndToEndTest, InvalidNativeResultsTrapTheGuest) {
  BundleOptions options{.bundle_dirs = {types_bundle()}};
  auto linked = instantiate(options, "bundle_types_user");
  auto trap_of = [&](std::string_view name) {
    auto& instance = linked->component();
    auto func = expect_ok(instance.find_function(name));
    auto result = instance.call(*func, {});
    EXPECT_FALSE(result) << name;
    return result ? std::string() : result.error().message();
  };
  EXPECT_THAT(trap_of("bad-utf8"),
              HasSubstr("test:types/bad@0.1.0#bad-utf8 returned an invalid value: result: the "
                        "string is not valid UTF-8"));
  linked = instantiate(options, "bundle_types_user");
  EXPECT_THAT(trap_of("bad-enum"),
              HasSubstr("test:types/bad@0.1.0#bad-enum returned an invalid value: result: enum "));
}

TEST_F(EndToEndTest, ComponentImportTypeDiffers) {
  host::Linker linker = wasi_linker();
  expect_ok(add_bundles(linker, {.bundle_dirs = {keyvalue_bundle()}}));
  auto component = load("bundle_kv_mismatch");
  host::LinkReport report = linker.check(component->type());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_THAT(report.problems[0], HasSubstr("import 'keyvalue:store/store@0.1.0' does not match "
                                            "its provider"));
  EXPECT_THAT(report.problems[0], HasSubstr("expected: func(key: string) -> option<string>"));
  EXPECT_THAT(report.problems[0],
              HasSubstr("provider: func(key: string) -> result<option<string>, string>"));
  EXPECT_THAT(report.problems[0], HasSubstr("(provider: bundle 'keyvalue' ("));
  store_ = expect_ok(engine_->create_store());
  auto linked = linker.instantiate(*store_, component);
  ASSERT_FALSE(linked);
  EXPECT_EQ(linked.error().code(), ErrorCode::kLink);
}

TEST_F(EndToEndTest, AmbiguousProvidersUntilTheManifestPrefersOne) {
  fs::path copy = dir_ / "search" / "keyvalue2";
  fs::create_directories(copy.parent_path());
  fs::copy(keyvalue_bundle(), copy, fs::copy_options::recursive);
  {
    host::Linker linker = wasi_linker();
    expect_ok(add_bundles(linker, {.bundle_dirs = {keyvalue_bundle(), copy}}));
    host::LinkReport report = linker.check(load("bundle_kv_user")->type());
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_THAT(report.problems[0],
                HasSubstr("import 'keyvalue:store/store@0.1.0' is provided by more than one "
                          "provider; choose one:"));
    EXPECT_THAT(report.problems[0],
                HasSubstr("bundle 'keyvalue' (" + (keyvalue_bundle() / "host.toml").string() +
                          ") (keyvalue:store/store@0.1.0)"));
    EXPECT_THAT(report.problems[0],
                HasSubstr("bundle 'keyvalue' (" + (copy / "host.toml").string() + ")"));
  }
  fs::path hosts = write("hosts.toml",
                         "[global]\nsearch_paths = [\"search\"]\n"
                         "[[host]]\nname = \"second\"\nbundle = \"keyvalue2\"\n"
                         "prefer = [\"keyvalue:store/store\"]\n");
  host::Linker linker = wasi_linker();
  expect_ok(add_bundles(linker, {.bundle_dirs = {keyvalue_bundle()}, .host_config = hosts}));
  host::LinkReport report = linker.check(load("bundle_kv_user")->type());
  EXPECT_TRUE(report.ok()) << report.problems[0];
  ASSERT_EQ(report.bindings.size(), 1u);
  EXPECT_EQ(report.bindings[0].provider->name(),
            "bundle 'second' (" + (copy / "host.toml").string() + ")");
}

TEST_F(EndToEndTest, BadConfigurationFailsTheLinkBeforeGuestCodeRuns) {
  fs::path hosts =
      write("hosts.toml", "[[host]]\nname = \"kv\"\nbundle = \"" + keyvalue_bundle().string() +
                              "\"\n[host.config]\nbusy-timeout-ms = -5\n");
  host::Linker linker = wasi_linker();
  expect_ok(add_bundles(linker, {.host_config = hosts}));
  store_ = expect_ok(engine_->create_store());
  auto linked = linker.instantiate(*store_, load("bundle_kv_user"));
  ASSERT_FALSE(linked);
  EXPECT_THAT(linked.error().message(),
              HasSubstr("bundle 'kv' (" + (keyvalue_bundle() / "host.toml").string() +
                        "): cannot create an instance of the bundle: configuration "
                        "'busy-timeout-ms': expected a non-negative integer (milliseconds), "
                        "found \"-5\""));
  // A database that cannot be opened: SQLite's reason.
  hosts =
      write("unopenable.toml", "[[host]]\nname = \"kv\"\nbundle = \"" + keyvalue_bundle().string() +
                                   "\"\n[host.config]\npath = \"/nonexistent/dir/kv.db\"\n");
  linker = wasi_linker();
  expect_ok(add_bundles(linker, {.host_config = hosts}));
  linked = linker.instantiate(*store_, load("bundle_kv_user"));
  ASSERT_FALSE(linked);
  EXPECT_THAT(linked.error().message(),
              HasSubstr("configuration 'path': cannot open the database "
                        "\"/nonexistent/dir/kv.db\": unable to open database file"));
}

}  // namespace
}  // namespace berth::bundle
