#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "berth/wit/printer.h"
#include "berth/wit/resolve.h"
#include "common/paths.h"

namespace berth::wit {
namespace {

ResolveOptions all_features() {
  ResolveOptions options;
  options.all_features = true;
  return options;
}

namespace fs = std::filesystem;

PackageId load(Resolve& resolve, std::string_view text, const ResolveOptions& options = {}) {
  auto id = load_source(resolve, "t.wit", text, options);
  EXPECT_TRUE(id.ok()) << id.error().message();
  return id.ok() ? *id : PackageId{};
}

InterfaceId iface(const Resolve& r, PackageId p, std::string_view name) {
  auto id = r.find_interface(p, name);
  EXPECT_TRUE(id) << name;
  return id.value_or(InterfaceId{});
}

TypeId type(const Resolve& r, InterfaceId i, std::string_view name) {
  auto id = r.find_type(i, name);
  EXPECT_TRUE(id) << name;
  return id.value_or(TypeId{});
}

const World& world(const Resolve& r, PackageId p, std::string_view name) {
  auto id = r.find_world(p, name);
  EXPECT_TRUE(id) << name;
  return r.world(*id);
}

std::vector<std::string> keys(const Resolve& r, const std::vector<WorldItem>& items) {
  std::vector<std::string> out;
  for (const WorldItem& item : items) out.push_back(r.item_key(item));
  return out;
}

// Writes files under a fresh folder in the build tree.
class TempTree {
 public:
  explicit TempTree(std::string_view name)
      : root_(fs::path(berth::testing::binary_dir()) / "wit-test-tmp" / std::string(name)) {
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  ~TempTree() { fs::remove_all(root_); }
  void write(const std::string& relative, std::string_view text) {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
};

TEST(wit_resolver, UseAliasesResolveToTheSameType) {
  Resolve r;
  PackageId p = load(r, R"(package a:b;
interface consumer {
  use types.{point, point as location};
  use types.{shape};
  f: func(p: point, l: location) -> shape;
}
interface types {
  record point { x: u32 }
  type shape = list<point>;
}
)");
  InterfaceId types = iface(r, p, "types");
  InterfaceId consumer = iface(r, p, "consumer");
  TypeId original = type(r, types, "point");
  EXPECT_EQ(r.dealias(type(r, consumer, "point")), original);
  EXPECT_EQ(r.dealias(type(r, consumer, "location")), original);
  EXPECT_NE(type(r, consumer, "point"), original);
  EXPECT_EQ(r.type(type(r, consumer, "location")).owner.interface, consumer);
  const Function* f = r.find_function(consumer, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->params[1].type.id(), type(r, consumer, "location"));
  // `type shape = list<point>` is the list itself, not an alias of an anonymous list.
  EXPECT_TRUE(std::holds_alternative<List>(r.type(type(r, types, "shape")).kind));
}

TEST(wit_resolver, TypesMayBeUsedBeforeTheyAreDefined) {
  Resolve r;
  PackageId p = load(r, R"(package a:b;
interface i {
  type a = b;
  type b = c;
  record c { x: d }
  enum d { one }
}
)");
  InterfaceId i = iface(r, p, "i");
  EXPECT_EQ(r.dealias(type(r, i, "a")), type(r, i, "c"));
  const auto& c = std::get<Record>(r.type(type(r, i, "c")).kind);
  EXPECT_EQ(c.fields[0].type.id(), type(r, i, "d"));
}

TEST(wit_resolver, ResourcesHandlesAndMethods) {
  Resolve r;
  PackageId p = load(r, R"(package a:b;
interface files {
  resource blob {
    constructor(init: list<u8>);
    read: func(n: u32) -> list<u8>;
    merge: static func(lhs: borrow<blob>, rhs: blob) -> blob;
  }
  resource parser {
    constructor() -> result<parser, string>;
  }
  type alias = blob;
  take: func(b: alias, o: own<blob>);
}
)");
  InterfaceId files = iface(r, p, "files");
  TypeId blob = type(r, files, "blob");
  const Function* ctor = r.find_function(files, "[constructor]blob");
  ASSERT_NE(ctor, nullptr);
  EXPECT_EQ(ctor->kind, FunctionKind::kConstructor);
  EXPECT_EQ(ctor->item_name(), "blob");
  const auto& owned = std::get<Handle>(r.type(ctor->result->id()).kind);
  EXPECT_EQ(owned.kind, HandleKind::kOwn);
  EXPECT_EQ(owned.resource, blob);

  const Function* read = r.find_function(files, "[method]blob.read");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->item_name(), "read");
  ASSERT_EQ(read->params.size(), 2u);
  EXPECT_EQ(read->params[0].name, "self");
  EXPECT_EQ(std::get<Handle>(r.type(read->params[0].type.id()).kind).kind, HandleKind::kBorrow);

  const Function* merge = r.find_function(files, "[static]blob.merge");
  ASSERT_NE(merge, nullptr);
  EXPECT_EQ(merge->resource, blob);
  EXPECT_EQ(merge->params.size(), 2u);
  EXPECT_EQ(std::get<Handle>(r.type(merge->params[1].type.id()).kind).kind, HandleKind::kOwn);

  EXPECT_NE(r.find_function(files, "[constructor]parser"), nullptr);
  // `type alias = blob` names the resource; using it as a type means an owned handle.
  TypeId alias = type(r, files, "alias");
  EXPECT_EQ(std::get<Alias>(r.type(alias).kind).target.id(), blob);
  const Function* take = r.find_function(files, "take");
  const auto& via_alias = std::get<Handle>(r.type(take->params[0].type.id()).kind);
  EXPECT_EQ(via_alias.resource, alias);
  EXPECT_EQ(r.dealias(via_alias.resource), blob);
}

TEST(wit_resolver, WorldsImportWhatTheirItemsDependOn) {
  Resolve r;
  PackageId p = load(r, R"(package a:b;
interface shared { record metadata { size: u64 } }
interface uses-shared { use shared.{metadata}; get: func() -> metadata; }
interface exported { use uses-shared.{metadata}; put: func(m: metadata); }
world w {
  import host: interface {
    use shared.{metadata};
    get: func() -> metadata;
  }
  export exported;
  export run: func();
}
)");
  const World& w = world(r, p, "w");
  EXPECT_EQ(keys(r, w.imports),
            (std::vector<std::string>{"a:b/shared", "host", "a:b/uses-shared"}));
  EXPECT_EQ(keys(r, w.exports), (std::vector<std::string>{"a:b/exported", "run"}));
  EXPECT_FALSE(r.interface(w.imports[1].interface).name);
}

TEST(wit_resolver, IncludeMergesAndRenames) {
  Resolve r;
  PackageId p = load(r, R"(package a:b;
interface i { f: func(); }
interface store { get: func(k: string) -> option<string>; }
world one { import i; import a: func(); import cache: store; export run: func(); }
world two { import i; import a: func(); }
world both {
  include one with { cache as my-cache }
  include two with { a as b }
}
)");
  const World& both = world(r, p, "both");
  EXPECT_EQ(keys(r, both.imports), (std::vector<std::string>{"a:b/i", "a", "my-cache", "b"}));
  EXPECT_EQ(keys(r, both.exports), (std::vector<std::string>{"run"}));
  EXPECT_EQ(both.imports[3].function.name, "b");
  EXPECT_EQ(r.interface_path(both.imports[2].interface), "a:b/store");
}

TEST(wit_resolver, IncludedWorldTypesBelongToTheIncludingWorld) {
  Resolve r;
  PackageId p = load(r, R"(package a:b;
world base {
  record config { verbose: bool }
  import configure: func(c: config);
  export handler: interface { handle: func(); }
}
world derived { include base; }
)");
  const World& derived = world(r, p, "derived");
  ASSERT_EQ(derived.imports.size(), 2u);
  const TypeDef& config = r.type(derived.imports[0].type);
  EXPECT_EQ(config.owner.kind, TypeOwner::Kind::kWorld);
  EXPECT_EQ(r.world(config.owner.world).name, "derived");
  EXPECT_EQ(derived.imports[1].function.params[0].type.id(), derived.imports[0].type);
  EXPECT_NE(derived.exports[0].interface, world(r, p, "base").exports[0].interface);
}

TEST(wit_resolver, RenamingAnIncludedResourceRenamesItsMethods) {
  Resolve r;
  PackageId p = load(r, R"(package a:b;
world base {
  resource local { constructor(); m: func(); go: static func(); }
}
world derived { include base with { local as renamed } }
)");
  EXPECT_EQ(keys(r, world(r, p, "derived").imports),
            (std::vector<std::string>{"renamed", "[constructor]renamed", "[method]renamed.m",
                                      "[static]renamed.go"}));
  EXPECT_EQ(world(r, p, "derived").imports[2].function.name, "[method]renamed.m");
}

TEST(wit_resolver, UnstableItemsNeedTheirFeature) {
  const char* text = R"(package a:b@1.0.0;
interface i {
  @since(version = 1.0.0)
  a: func();
  @unstable(feature = fancy)
  b: func();
  @unstable(feature = other)
  c: func();
  @since(version = 1.0.0)
  @deprecated(version = 1.1.0)
  d: func();
}
)";
  auto function_names = [&](const ResolveOptions& options) {
    Resolve r;
    PackageId p = load(r, text, options);
    std::vector<std::string> names;
    for (const Function& f : r.interface(iface(r, p, "i")).functions) names.push_back(f.name);
    return names;
  };
  EXPECT_EQ(function_names({}), (std::vector<std::string>{"a", "d"}));
  EXPECT_EQ(function_names(ResolveOptions{{"fancy"}, false}),
            (std::vector<std::string>{"a", "b", "d"}));
  EXPECT_EQ(function_names(all_features()), (std::vector<std::string>{"a", "b", "c", "d"}));

  Resolve r;
  PackageId p = load(r, text, all_features());
  const Interface& i = r.interface(iface(r, p, "i"));
  EXPECT_EQ(i.functions[0].stability.kind, Stability::Kind::kStable);
  EXPECT_EQ(i.functions[1].stability.feature, "fancy");
  EXPECT_EQ(i.functions[3].stability.deprecated->to_string(), "1.1.0");
}

TEST(wit_resolver, GatedPackagesNeedNotExist) {
  Resolve r;
  load(r, R"(package a:b;
interface i {
  @unstable(feature = later)
  use missing:pkg/types.{t};
}
)");
}

TEST(wit_resolver, NestedPackagesAndVersionedReferences) {
  Resolve r;
  PackageId p = load(r, R"(package a:b;
use dep:v/api@2.0.0 as api2;
world w {
  import dep:v/api@1.0.0;
  import api2;
}
package dep:v@1.0.0 { interface api { f: func(); } }
package dep:v@2.0.0 { interface api { g: func(); } }
)");
  const World& w = world(r, p, "w");
  EXPECT_EQ(keys(r, w.imports), (std::vector<std::string>{"dep:v/api@1.0.0", "dep:v/api@2.0.0"}));
  EXPECT_EQ(r.packages.size(), 3u);
}

TEST(wit_resolver, TopLevelUseRenamesInterfaces) {
  Resolve r;
  PackageId p = load(r, R"(package a:b;
use other:pkg/types as other-types;
interface mine { use other-types.{t}; }
package other:pkg { interface types { type t = u32; } }
)");
  InterfaceId mine = iface(r, p, "mine");
  TypeId t = r.dealias(type(r, mine, "t"));
  EXPECT_EQ(r.interface_path(r.type(t).owner.interface), "other:pkg/types");
}

TEST(wit_resolver, FolderWithDepsFilesAndFolders) {
  TempTree tree("deps-layout");
  tree.write("types.wit", "interface types { use wasi:io/streams@0.2.0.{input-stream}; }\n");
  tree.write(
      "world.wit",
      "package my:app;\nworld app {\n  import types;\n  import wasi:clocks/wall-clock@0.2.0;\n}\n");
  tree.write(
      "deps/io/streams.wit",
      "package wasi:io@0.2.0;\ninterface streams { use error.{error}; resource input-stream; }\n");
  tree.write("deps/io/error.wit", "interface error { resource error; }\n");
  tree.write("deps/io/README.md", "not WIT\n");
  tree.write("deps/clocks.wit",
             "package wasi:clocks@0.2.0;\ninterface wall-clock { now: func() -> u64; }\n");
  // A dependency folder may carry deps of its own.
  tree.write("deps/clocks-extra/extra.wit",
             "package wasi:extra;\ninterface x { use wasi:nested/n.{t}; }\n");
  tree.write("deps/clocks-extra/deps/nested.wit",
             "package wasi:nested;\ninterface n { type t = u8; }\n");

  Resolve r;
  auto root = load_path(r, tree.root());
  ASSERT_TRUE(root.ok()) << root.error().message();
  EXPECT_EQ(r.package(*root).name.to_string(), "my:app");
  EXPECT_EQ(r.packages.size(), 5u);
  const World& app = world(r, *root, "app");
  EXPECT_EQ(keys(r, app.imports),
            (std::vector<std::string>{"wasi:io/error@0.2.0", "wasi:io/streams@0.2.0",
                                      "my:app/types", "wasi:clocks/wall-clock@0.2.0"}));
  // A single file of the folder loads on its own when it needs nothing else.
  Resolve single;
  auto clocks = load_path(single, tree.root() / "deps/clocks.wit");
  ASSERT_TRUE(clocks.ok()) << clocks.error().message();
  EXPECT_EQ(single.package(*clocks).name.to_string(), "wasi:clocks@0.2.0");
}

TEST(wit_resolver, LaterLoadsUsePackagesAlreadyLoaded) {
  Resolve r;
  load(r, "package base:types;\ninterface t { type id = u64; }\n");
  PackageId app = load(r, "package my:app;\ninterface i { use base:types/t.{id}; }\n");
  EXPECT_EQ(r.packages.size(), 2u);
  auto again = load_source(r, "again.wit", "package base:types;\n");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message(), "again.wit:1:9: package 'base:types' is already loaded");
  EXPECT_EQ(r.packages.size(), 2u);
  (void)app;
}

TEST(wit_resolver, SelectsWorlds) {
  Resolve r;
  PackageId p =
      load(r, "package a:b;\nworld one {}\nworld two {}\npackage c:d@1.0.0 { world only {} }\n");
  auto named = select_world(r, p, "two");
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(r.world(*named).name, "two");
  auto ambiguous = select_world(r, p, "");
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.error().message(),
            "package 'a:b' has several worlds (one, two); name the one to use");
  auto path = select_world(r, p, "c:d/only@1.0.0");
  ASSERT_TRUE(path.ok()) << path.error().message();
  EXPECT_EQ(r.world_path(*path), "c:d/only@1.0.0");
  EXPECT_FALSE(select_world(r, p, "c:d/none@1.0.0").ok());
}

TEST(wit_resolver, MissingPathsAreReported) {
  Resolve r;
  auto result = load_path(r, "/nonexistent/wit");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(result.error().message(), "/nonexistent/wit: no such file or folder");
}

}  // namespace
}  // namespace berth::wit
