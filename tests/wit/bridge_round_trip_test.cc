// WIT -> component types -> WIT: the WASI 0.2 worlds keep their functions, and the component
// types have the resources and shared identities a component targeting them has.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "berth/wit/component_bridge.h"
#include "berth/wit/resolve.h"
#include "bridge_test_util.h"
#include "common/paths.h"

namespace berth::wit {
namespace {

namespace fs = std::filesystem;
using testing::ComponentSide;
using ::testing::HasSubstr;
using testing::WitSide;
using testing::WorldSignature;

const fs::path kWasmtimeWasi = fs::path(
    (std::string(berth::testing::source_dir()) + "/../shared/corpora/wit/wasmtime-wasi/crates"));
const fs::path kWasiP2 = kWasmtimeWasi / "wasi/src/p2/wit";
const fs::path kWasiHttp = kWasmtimeWasi / "wasi-http/wit";

struct Loaded {
  Resolve resolve;
  PackageId root;
};

Loaded load(const fs::path& path) {
  Loaded out;
  auto root = load_path(out.resolve, path);
  EXPECT_TRUE(root) << root.error().message();
  if (root) out.root = *root;
  return out;
}

WorldId find_world(const Resolve& resolve, std::string_view ns, std::string_view package,
                   std::string_view world) {
  for (uint32_t i = 0; i < resolve.worlds.size(); ++i) {
    const PackageName& name = resolve.package(resolve.worlds[i].package).name;
    if (name.ns == ns && name.name == package && resolve.worlds[i].name == world) {
      return WorldId{i};
    }
  }
  ADD_FAILURE() << "no world " << ns << ":" << package << "/" << world;
  return WorldId{0};
}

const component::NamedExtern* find(const std::vector<component::NamedExtern>& list,
                                   std::string_view name) {
  for (const component::NamedExtern& e : list) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

// The world through component types and back keeps every import, export and function; the
// component types alone already have them.
void expect_round_trip(const Resolve& resolve, WorldId world) {
  SCOPED_TRACE(resolve.world_path(world));
  WorldSignature original = WitSide(resolve, world).signature();
  auto type = world_component_type(resolve, world);
  ASSERT_TRUE(type) << type.error().message();
  WorldSignature through_types = ComponentSide(*type).signature(*type);
  EXPECT_EQ(through_types.imports, original.imports);
  EXPECT_EQ(through_types.exports, original.exports);
  EXPECT_EQ(through_types.import_functions, original.import_functions);
  EXPECT_EQ(through_types.export_functions, original.export_functions);

  auto text = print_component_world(*type);
  ASSERT_TRUE(text) << text.error().message();
  Resolve back;
  auto package = load_source(back, "component.wit", *text);
  ASSERT_TRUE(package) << package.error().message() << "\n" << *text;
  auto root = select_world(back, *package, "");
  ASSERT_TRUE(root) << root.error().message();
  WorldSignature again = WitSide(back, *root).signature();
  EXPECT_EQ(again.imports, original.imports);
  EXPECT_EQ(again.exports, original.exports);
  EXPECT_EQ(again.import_functions, original.import_functions);
  EXPECT_EQ(again.export_functions, original.export_functions);
}

TEST(BridgeRoundTrip, WasiCliCommand) {
  Loaded wasi = load(kWasiP2);
  WorldId command = find_world(wasi.resolve, "wasi", "cli", "command");
  expect_round_trip(wasi.resolve, command);

  auto type = world_component_type(wasi.resolve, command);
  ASSERT_TRUE(type);
  const component::NamedExtern* run = find(type->exports, "wasi:cli/run@0.2.12");
  ASSERT_NE(run, nullptr);
  ASSERT_EQ(run->desc.kind, component::ExternKind::kInstance);
  const component::NamedExtern* run_func = run->desc.instance->find("run");
  ASSERT_NE(run_func, nullptr);
  EXPECT_EQ(run_func->desc.func->to_string(), "func() -> result");
  EXPECT_TRUE(type->defined_resources.empty());
}

TEST(BridgeRoundTrip, UseSharesTheResource) {
  Loaded wasi = load(kWasiP2);
  auto type =
      world_component_type(wasi.resolve, find_world(wasi.resolve, "wasi", "cli", "command"));
  ASSERT_TRUE(type);
  const component::NamedExtern* error = find(type->imports, "wasi:io/error@0.2.12");
  const component::NamedExtern* streams = find(type->imports, "wasi:io/streams@0.2.12");
  ASSERT_TRUE(error && streams);
  const component::NamedExtern* defined = error->desc.instance->find("error");
  const component::NamedExtern* used = streams->desc.instance->find("error");
  ASSERT_TRUE(defined && used);
  ASSERT_TRUE(defined->desc.resource);
  EXPECT_EQ(defined->desc.resource, used->desc.resource);
  EXPECT_EQ(defined->desc.resource->name, "wasi:io/error@0.2.12#error");
  const auto& imported = type->imported_resources;
  EXPECT_NE(std::find(imported.begin(), imported.end(), defined->desc.resource), imported.end());

  const component::NamedExtern* write = streams->desc.instance->find("[method]output-stream.write");
  ASSERT_NE(write, nullptr);
  EXPECT_EQ(write->desc.func->to_string(),
            "func(self: borrow<wasi:io/streams@0.2.12#output-stream>, contents: list<u8>) -> "
            "result<_, variant { last-operation-failed(own<wasi:io/error@0.2.12#error>), closed "
            "}>");
}

TEST(BridgeRoundTrip, EveryWasiWorld) {
  for (const fs::path& dir : {kWasiP2, kWasiHttp}) {
    Loaded wasi = load(dir);
    for (uint32_t i = 0; i < wasi.resolve.worlds.size(); ++i) {
      expect_round_trip(wasi.resolve, WorldId{i});
    }
  }
}

TEST(BridgeRoundTrip, ImportedAndExportedInterfaceHasTwoResources) {
  Resolve resolve;
  auto package = load_source(resolve, "both.wit", R"(
package demo:both@1.0.0;

interface res {
  resource thing {
    constructor(v: u32);
    get: func() -> u32;
  }
  make: func() -> thing;
}

interface user {
  use res.{thing};
  take: func(t: thing);
}

world w {
  import res;
  export res;
  export user;
}
)");
  ASSERT_TRUE(package) << package.error().message();
  auto world = select_world(resolve, *package, "w");
  ASSERT_TRUE(world);
  auto type = world_component_type(resolve, *world);
  ASSERT_TRUE(type) << type.error().message();
  ASSERT_EQ(type->imported_resources.size(), 1u);
  ASSERT_EQ(type->defined_resources.size(), 1u);
  EXPECT_NE(type->imported_resources[0], type->defined_resources[0]);

  const component::NamedExtern* user = find(type->exports, "demo:both/user@1.0.0");
  ASSERT_NE(user, nullptr);
  const component::FuncType& take = *user->desc.instance->find("take")->desc.func;
  // The exported `user` uses the exported `res`.
  EXPECT_EQ(take.params[0].type->resource, type->defined_resources[0]);

  expect_round_trip(resolve, *world);
  auto text = print_component_world(*type);
  ASSERT_TRUE(text);
  EXPECT_THAT(*text, HasSubstr("  import demo:both/res@1.0.0;\n"));
  EXPECT_THAT(*text, HasSubstr("  export demo:both/res@1.0.0;\n"));
  EXPECT_THAT(*text, HasSubstr("    use res.{thing};\n"));
}

TEST(BridgeRoundTrip, MapsAreUnsupported) {
  Resolve resolve;
  auto package = load_source(resolve, "map.wit", R"(
package demo:maps;

interface i {
  lookup: func() -> map<string, u32>;
}

world w {
  import i;
}
)");
  ASSERT_TRUE(package) << package.error().message();
  auto type = world_component_type(resolve, *select_world(resolve, *package, "w"));
  ASSERT_FALSE(type);
  EXPECT_EQ(type.error().code(), ErrorCode::kUnsupported);
  EXPECT_EQ(type.error().message(), "a map type is used, and component types have no maps yet");
}

}  // namespace
}  // namespace berth::wit
