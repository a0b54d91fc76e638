// Comparing what a component imports with what a provider declares: each kind of difference
// with its exact message, and the semver rule for versions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "berth/wit/component_bridge.h"
#include "berth/wit/resolve.h"
#include "bridge_test_util.h"
#include "common/paths.h"
#include "component/binary/decoder.h"
#include "component/validate/validator.h"

namespace berth::wit {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::Field;

// What the component was built against; the tests change the provider's side.
constexpr std::string_view kStoreBody = R"(
  resource bucket {
    get: func(key: string) -> option<string>;
  }
  record entry {
    key: string,
    value: string,
  }
  get: func(k: string) -> option<string>;
  set: func(k: string, v: string);
  open: func(name: string) -> bucket;
  first: func() -> entry;
)";

struct Provider {
  Resolve resolve;
  InterfaceId store;
};

// Loads `package demo:kv@VERSION; interface store { BODY }`.
Provider provider(std::string_view version, std::string_view body,
                  std::string_view interface_name = "store") {
  Provider out;
  std::string text =
      fmt::format("package demo:kv@{};\n\ninterface {} {{{}}}\n", version, interface_name, body);
  auto package = load_source(out.resolve, "provider.wit", text);
  EXPECT_TRUE(package) << package.error().message() << "\n" << text;
  if (package) out.store = *out.resolve.find_interface(*package, interface_name);
  return out;
}

// The instance type the component imports: the store of version 0.2.0.
component::InstanceType imported_store() {
  Provider built = provider("0.2.0", kStoreBody);
  auto type = interface_instance_type(built.resolve, built.store);
  EXPECT_TRUE(type) << type.error().message();
  return type ? *type : component::InstanceType{};
}

constexpr std::string_view kImportName = "demo:kv/store@0.2.0";

std::vector<Difference> compare_with(std::string_view version, std::string_view body) {
  Provider p = provider(version, body);
  return compare_import(kImportName, imported_store(), p.resolve, p.store);
}

std::string replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string out(text);
  size_t at = out.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) out.replace(at, from.size(), to);
  return out;
}

TEST(BridgeCompatibility, SameInterfaceMatches) {
  EXPECT_TRUE(compare_with("0.2.0", kStoreBody).empty());
  EXPECT_EQ(format_differences(kImportName, {}), "");
}

TEST(BridgeCompatibility, SemverCompatibleVersionsMatch) {
  EXPECT_TRUE(compare_with("0.2.3", kStoreBody).empty());
  EXPECT_TRUE(compare_with("0.2.0-rc.1", kStoreBody).size() == 1);  // pre-releases: exact only
}

TEST(BridgeCompatibility, IncompatibleVersion) {
  auto differences = compare_with("0.3.0", kStoreBody);
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].kind, DifferenceKind::kVersion);
  EXPECT_EQ(differences[0].message,
            "version 0.3.0 of the provider is not compatible with version 0.2.0 of the import");
  EXPECT_EQ(format_differences(kImportName, differences),
            "import 'demo:kv/store@0.2.0' does not match its provider:\n"
            "  version 0.3.0 of the provider is not compatible with version 0.2.0 of the "
            "import\n");
}

TEST(BridgeCompatibility, ProviderMayHaveMore) {
  EXPECT_TRUE(
      compare_with("0.2.1", std::string(kStoreBody) + "  delete: func(k: string);\n").empty());
}

TEST(BridgeCompatibility, MissingFunction) {
  auto differences =
      compare_with("0.2.0", replace(kStoreBody, "  set: func(k: string, v: string);\n", ""));
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].kind, DifferenceKind::kMissingFunction);
  EXPECT_EQ(differences[0].item, "set");
  EXPECT_EQ(format_differences(kImportName, differences),
            "import 'demo:kv/store@0.2.0' does not match its provider:\n"
            "  function 'set' is missing\n"
            "    expected: func(k: string, v: string)\n");
}

TEST(BridgeCompatibility, ResultDiffers) {
  auto differences =
      compare_with("0.2.0", replace(kStoreBody, "get: func(k: string) -> option<string>;",
                                    "get: func(k: string) -> string;"));
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].kind, DifferenceKind::kResultType);
  EXPECT_EQ(format_differences(kImportName, differences),
            "import 'demo:kv/store@0.2.0' does not match its provider:\n"
            "  function 'get' returns option<string>, the provider's returns string\n"
            "    expected: func(k: string) -> option<string>\n"
            "    provider: func(k: string) -> string\n");

  differences = compare_with("0.2.0", replace(kStoreBody, "get: func(k: string) -> option<string>;",
                                              "get: func(k: string);"));
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].message,
            "function 'get' returns option<string>, the provider's returns nothing");
}

TEST(BridgeCompatibility, ParameterNameDiffers) {
  auto differences = compare_with("0.2.0", replace(kStoreBody, "set: func(k: string, v: string)",
                                                   "set: func(k: string, value: string)"));
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].kind, DifferenceKind::kParamName);
  EXPECT_EQ(differences[0].message,
            "function 'set': parameter 2 is named 'v', the provider's 'value'");
  EXPECT_EQ(differences[0].expected, "func(k: string, v: string)");
  EXPECT_EQ(differences[0].provided, "func(k: string, value: string)");
}

TEST(BridgeCompatibility, ParameterTypeDiffers) {
  auto differences = compare_with("0.2.0", replace(kStoreBody, "set: func(k: string, v: string)",
                                                   "set: func(k: string, v: u32)"));
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].kind, DifferenceKind::kParamType);
  EXPECT_EQ(differences[0].message,
            "function 'set': parameter 'v' has type string, the provider's has u32");
}

TEST(BridgeCompatibility, ParameterCountDiffers) {
  auto differences = compare_with(
      "0.2.0", replace(kStoreBody, "set: func(k: string, v: string)", "set: func(k: string)"));
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].kind, DifferenceKind::kParamCount);
  EXPECT_EQ(differences[0].message, "function 'set' takes 2 parameters, the provider's takes 1");
  EXPECT_EQ(differences[0].provided, "func(k: string)");
}

TEST(BridgeCompatibility, MissingResourceListsEverythingThatNeedsIt) {
  auto body = replace(kStoreBody,
                      "  resource bucket {\n    get: func(key: string) -> option<string>;\n  }\n",
                      "  type bucket = u32;\n");
  auto differences = compare_with("0.2.0", body);
  EXPECT_THAT(differences, ElementsAre(Field(&Difference::kind, DifferenceKind::kTypeDiffers),
                                       Field(&Difference::kind, DifferenceKind::kMissingFunction),
                                       Field(&Difference::kind, DifferenceKind::kResultType)));
  EXPECT_EQ(format_differences(kImportName, differences),
            "import 'demo:kv/store@0.2.0' does not match its provider:\n"
            "  'bucket' is a resource in the import and not at the provider\n"
            "    expected: resource\n"
            "    provider: u32\n"
            "  function '[method]bucket.get' is missing\n"
            "    expected: func(self: borrow<bucket>, key: string) -> option<string>\n"
            "  function 'open' returns bucket, the provider's returns u32\n"
            "    expected: func(name: string) -> bucket\n"
            "    provider: func(name: string) -> u32\n");

  body = replace(kStoreBody,
                 "  resource bucket {\n    get: func(key: string) -> option<string>;\n  }\n", "");
  body = replace(body, "  open: func(name: string) -> bucket;\n", "");
  differences = compare_with("0.2.0", body);
  ASSERT_EQ(differences.size(), 3u);
  EXPECT_EQ(differences[0].kind, DifferenceKind::kMissingResource);
  EXPECT_EQ(differences[0].message, "resource 'bucket' is missing");
  EXPECT_EQ(differences[1].message, "function '[method]bucket.get' is missing");
  EXPECT_EQ(differences[2].message, "function 'open' is missing");
}

TEST(BridgeCompatibility, NamedTypeDiffers) {
  auto differences =
      compare_with("0.2.0", replace(kStoreBody, "value: string,", "value: list<u8>,"));
  ASSERT_EQ(differences.size(), 2u);
  EXPECT_EQ(differences[0].kind, DifferenceKind::kTypeDiffers);
  EXPECT_EQ(differences[0].message, "type 'entry' differs");
  EXPECT_EQ(differences[0].expected, "record { key: string, value: string }");
  EXPECT_EQ(differences[0].provided, "record { key: string, value: list<u8> }");
  EXPECT_EQ(differences[1].kind, DifferenceKind::kResultType);
  EXPECT_EQ(differences[1].message,
            "function 'first' returns record { key: string, value: string }, the provider's "
            "returns record { key: string, value: list<u8> }");
  EXPECT_EQ(differences[1].provided, "func() -> record { key: string, value: list<u8> }");

  // Other names for the same structure are the same type; only the named export is missing.
  differences = compare_with("0.2.0", replace(replace(kStoreBody, "record entry", "record item"),
                                              "-> entry;", "-> item;"));
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].kind, DifferenceKind::kMissingType);
  EXPECT_EQ(differences[0].message, "type 'entry' is missing");
}

TEST(BridgeCompatibility, AsyncDiffers) {
  auto differences = compare_with("0.2.0", replace(kStoreBody, "set: func(k: string, v: string)",
                                                   "set: async func(k: string, v: string)"));
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].kind, DifferenceKind::kAsync);
  EXPECT_EQ(differences[0].message, "function 'set' is not async, the provider's is async");
}

TEST(BridgeCompatibility, EveryDifferenceOfOneFunction) {
  auto differences = compare_with("0.2.0", replace(kStoreBody, "set: func(k: string, v: string)",
                                                   "set: func(key: u8) -> bool"));
  EXPECT_THAT(differences, ElementsAre(Field(&Difference::kind, DifferenceKind::kParamCount),
                                       Field(&Difference::kind, DifferenceKind::kParamName),
                                       Field(&Difference::kind, DifferenceKind::kParamType),
                                       Field(&Difference::kind, DifferenceKind::kResultType)));
  EXPECT_EQ(differences[2].message,
            "function 'set': parameter 'k' has type string, the provider's has u8");
  EXPECT_EQ(differences[3].message, "function 'set' returns nothing, the provider's returns bool");
}

TEST(BridgeCompatibility, InterfaceNameAndMissingVersion) {
  Provider other = provider("0.2.0", kStoreBody, "cache");
  auto differences = compare_import(kImportName, imported_store(), other.resolve, other.store);
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].kind, DifferenceKind::kInterfaceName);
  EXPECT_EQ(differences[0].message,
            "the provider declares interface 'demo:kv/cache', the import is 'demo:kv/store'");

  Resolve unversioned;
  auto package = load_source(unversioned, "p.wit",
                             fmt::format("package demo:kv;\ninterface store {{{}}}\n", kStoreBody));
  ASSERT_TRUE(package);
  differences = compare_import(kImportName, imported_store(), unversioned,
                               *unversioned.find_interface(*package, "store"));
  ASSERT_EQ(differences.size(), 1u);
  EXPECT_EQ(differences[0].message,
            "the import is version 0.2.0 and the provider's interface has no version");

  // A plain import name is paired by the caller: only the contents count.
  EXPECT_TRUE(compare_import("kv", imported_store(), other.resolve, other.store).empty());
}

TEST(BridgeCompatibility, FunctionImports) {
  Provider p = provider("0.1.0", kStoreBody);
  const Function* get = p.resolve.find_function(p.store, "get");
  const Function* set = p.resolve.find_function(p.store, "set");
  ASSERT_TRUE(get && set);
  auto get_type = function_type(p.resolve, *get);
  ASSERT_TRUE(get_type);
  EXPECT_TRUE(compare_import("get", *get_type, p.resolve, *get).empty());
  auto differences = compare_import("get", *get_type, p.resolve, *set);
  EXPECT_THAT(differences, ElementsAre(Field(&Difference::kind, DifferenceKind::kParamCount),
                                       Field(&Difference::kind, DifferenceKind::kResultType)));
  EXPECT_EQ(format_differences("get", differences),
            "import 'get' does not match its provider:\n"
            "  function 'get' takes 1 parameter, the provider's takes 2\n"
            "    expected: func(k: string) -> option<string>\n"
            "    provider: func(k: string, v: string)\n"
            "  function 'get' returns option<string>, the provider's returns nothing\n"
            "    expected: func(k: string) -> option<string>\n"
            "    provider: func(k: string, v: string)\n");

  const Function* open = p.resolve.find_function(p.store, "open");
  auto open_type = function_type(p.resolve, *open);
  ASSERT_TRUE(open_type);
  EXPECT_TRUE(compare_import("open", *open_type, p.resolve, *open).empty());
}

// A real component's WASI imports (0.2.0) against the WASI WIT wasmtime ships (0.2.12).
TEST(BridgeCompatibility, FixtureImportsMatchWasi) {
  const fs::path fixture =
      fs::path((std::string(berth::testing::source_dir()) + "/../shared/corpora/jco-fixtures")) /
      "packages/jco/test/fixtures/components/flavorful.component.wasm";
  std::string bytes_text = testing::read_file(fixture);
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(bytes_text.data()),
                                 bytes_text.size());
  auto ir = component::binary::decode_component(bytes);
  ASSERT_TRUE(ir);
  auto validated = component::validate_component(*ir, bytes);
  ASSERT_TRUE(validated) << validated.error().message();

  Resolve wasi;
  ASSERT_TRUE(load_path(wasi, (std::string(berth::testing::source_dir()) +
                               "/../shared/corpora/wit/wasmtime-wasi/crates/wasi/src/p2/wit")));
  int compared = 0;
  for (const component::NamedExtern& e : (*validated)->type->imports) {
    if (e.name.rfind("wasi:", 0) != 0) continue;
    std::string ns_pkg = e.name.substr(5, e.name.find('/') - 5);
    std::string iface =
        e.name.substr(e.name.find('/') + 1, e.name.find('@') - e.name.find('/') - 1);
    auto package = wasi.find_package(PackageName{"wasi", ns_pkg, *Version::parse("0.2.12")});
    ASSERT_TRUE(package) << e.name;
    auto differences =
        compare_import(e.name, *e.desc.instance, wasi, *wasi.find_interface(*package, iface));
    EXPECT_TRUE(differences.empty()) << format_differences(e.name, differences);
    ++compared;
  }
  EXPECT_EQ(compared, 8);
}

}  // namespace
}  // namespace berth::wit
