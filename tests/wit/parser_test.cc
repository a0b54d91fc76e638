#include "parser.h"

#include <gtest/gtest.h>

#include <string>

namespace berth::wit {
namespace {

ast::File parse(std::string_view text) {
  auto file = parse_file("t.wit", text);
  EXPECT_TRUE(file.ok()) << file.error().message();
  return file.ok() ? std::move(*file) : ast::File{};
}

template <typename T, typename V>
const T& as(const V& v) {
  EXPECT_TRUE(std::holds_alternative<T>(v));
  return std::get<T>(v);
}

TEST(wit_parser, PackageDeclarationWithVersionAndDocs) {
  ast::File file = parse("/// The package.\npackage wasi:io@0.2.0-rc.1;\n");
  ASSERT_TRUE(file.package);
  EXPECT_EQ(file.package->ns.name, "wasi");
  EXPECT_EQ(file.package->name.name, "io");
  ASSERT_TRUE(file.package->version);
  EXPECT_EQ(file.package->version->to_string(), "0.2.0-rc.1");
  EXPECT_EQ(file.package->version_pos.column, 17u);
  EXPECT_EQ(file.package_docs, "The package.");
  EXPECT_TRUE(file.items.empty());
}

TEST(wit_parser, NestedPackagesAndTopLevelUse) {
  ast::File file = parse(
      "package a:b;\nuse wasi:http/types@1.0.0 as http-types;\npackage c:d@1.0.0 {\n"
      "  interface i {}\n  world w {}\n}\ninterface local {}\n");
  ASSERT_EQ(file.items.size(), 2u);
  const auto& use = as<ast::TopUse>(file.items[0]);
  ASSERT_TRUE(use.path.package);
  EXPECT_EQ(use.path.package->ns.name, "wasi");
  EXPECT_EQ(use.path.name.name, "types");
  EXPECT_EQ(use.path.package->version->to_string(), "1.0.0");
  ASSERT_TRUE(use.as);
  EXPECT_EQ(use.as->name, "http-types");
  ASSERT_EQ(file.nested.size(), 1u);
  EXPECT_EQ(file.nested[0].name.name.name, "d");
  EXPECT_EQ(file.nested[0].items.size(), 2u);
}

TEST(wit_parser, EveryTypeDefinition) {
  ast::File file = parse(R"(package a:b;
interface types {
  /// A record.
  record point { x: s32, /** why */ y: s32, }
  variant shape { none, circle(f64), poly(list<point>) }
  enum color { red, green }
  flags perms { read, write }
  resource blob {
    constructor(init: list<u8>);
    read: func(n: u32) -> list<u8>;
    merge: static func(a: borrow<blob>, b: borrow<blob>) -> blob;
    wait: async func();
    make: static async func() -> result<blob, string>;
  }
  resource handle;
  type t1 = tuple<u32, string,>;
  type t2 = result<_, color>;
  type t3 = result<string>;
  type t4 = result;
  type t5 = option<own<blob>>;
  type t6 = list<u32, 4>;
  type t7 = map<string, list<u8>>;
  type t8 = future;
  type t9 = stream<u8>;
  type t10 = error-context;
  type %type = t1;
}
)");
  const auto& iface = as<ast::Interface>(file.items[0]);
  ASSERT_EQ(iface.items.size(), 17u);
  const auto& record = as<ast::TypeDefItem>(iface.items[0]);
  EXPECT_EQ(record.kind, ast::TypeDefItem::Kind::kRecord);
  EXPECT_EQ(record.docs, "A record.");
  ASSERT_EQ(record.members.size(), 2u);
  EXPECT_EQ(record.members[1].docs, "why");
  const auto& variant = as<ast::TypeDefItem>(iface.items[1]);
  EXPECT_FALSE(variant.members[0].type);
  EXPECT_EQ(variant.members[2].type->kind, ast::TypeExpr::Kind::kList);
  const auto& resource = as<ast::TypeDefItem>(iface.items[4]);
  ASSERT_EQ(resource.funcs.size(), 5u);
  EXPECT_EQ(resource.funcs[0].kind, ast::ResourceFunc::Kind::kConstructor);
  EXPECT_EQ(resource.funcs[1].kind, ast::ResourceFunc::Kind::kMethod);
  EXPECT_EQ(resource.funcs[2].kind, ast::ResourceFunc::Kind::kStatic);
  EXPECT_TRUE(resource.funcs[3].func.is_async);
  EXPECT_TRUE(resource.funcs[4].func.is_async);
  EXPECT_EQ(resource.funcs[4].kind, ast::ResourceFunc::Kind::kStatic);
  EXPECT_TRUE(as<ast::TypeDefItem>(iface.items[5]).funcs.empty());
  auto alias = [&](size_t i) -> const ast::TypeExpr& {
    return *as<ast::TypeDefItem>(iface.items[i]).alias;
  };
  EXPECT_EQ(alias(6).args.size(), 2u);
  EXPECT_FALSE(alias(7).has_ok);
  EXPECT_TRUE(alias(7).has_err);
  EXPECT_TRUE(alias(8).has_ok);
  EXPECT_FALSE(alias(8).has_err);
  EXPECT_TRUE(alias(9).args.empty());
  EXPECT_EQ(alias(10).args[0].kind, ast::TypeExpr::Kind::kOwn);
  EXPECT_EQ(alias(11).kind, ast::TypeExpr::Kind::kFixedList);
  EXPECT_EQ(alias(11).length, 4u);
  EXPECT_EQ(alias(12).kind, ast::TypeExpr::Kind::kMap);
  EXPECT_EQ(alias(13).kind, ast::TypeExpr::Kind::kFuture);
  EXPECT_TRUE(alias(13).args.empty());
  EXPECT_EQ(alias(14).args.size(), 1u);
  EXPECT_EQ(alias(15).primitive, Primitive::kErrorContext);
  EXPECT_EQ(as<ast::TypeDefItem>(iface.items[16]).name.name, "type");
}

TEST(wit_parser, WorldItems) {
  ast::File file = parse(R"(package a:b;
world w {
  import wasi:io/streams@0.2.0;
  import local;
  import primary: wasi:keyvalue/store;
  import secondary: store;
  @external-id("db/1")
  import get: async func(key: string) -> option<string>;
  export handler: interface {
    use types.{request};
    handle: func(r: request);
  }
  use types.{a as b};
  type c = u32;
  include other with { x as y, z as w, }
  include wasi:cli/imports@0.2.0;
}
)");
  const auto& world = as<ast::World>(file.items[0]);
  ASSERT_EQ(world.items.size(), 10u);
  const auto& path = as<ast::Extern>(world.items[0]);
  EXPECT_EQ(path.kind, ast::Extern::Kind::kPath);
  EXPECT_EQ(path.path.package->ns.name, "wasi");
  EXPECT_EQ(as<ast::Extern>(world.items[1]).kind, ast::Extern::Kind::kPath);
  const auto& primary = as<ast::Extern>(world.items[2]);
  EXPECT_EQ(primary.kind, ast::Extern::Kind::kNamedPath);
  EXPECT_EQ(primary.label.name, "primary");
  EXPECT_EQ(primary.path.package->name.name, "keyvalue");
  const auto& secondary = as<ast::Extern>(world.items[3]);
  EXPECT_EQ(secondary.kind, ast::Extern::Kind::kNamedPath);
  EXPECT_FALSE(secondary.path.package);
  const auto& func = as<ast::Extern>(world.items[4]);
  EXPECT_EQ(func.kind, ast::Extern::Kind::kFunc);
  EXPECT_TRUE(func.func.is_async);
  EXPECT_EQ(func.gates.external_id, "db/1");
  const auto& inline_iface = as<ast::Extern>(world.items[5]);
  EXPECT_TRUE(inline_iface.is_export);
  EXPECT_EQ(inline_iface.kind, ast::Extern::Kind::kInterface);
  EXPECT_EQ(inline_iface.items.size(), 2u);
  EXPECT_EQ(as<ast::UseItem>(world.items[6]).names[0].as->name, "b");
  const auto& include = as<ast::Include>(world.items[8]);
  ASSERT_EQ(include.with.size(), 2u);
  EXPECT_EQ(include.with[1].to.name, "w");
  EXPECT_TRUE(as<ast::Include>(world.items[9]).path.package);
}

TEST(wit_parser, FeatureGates) {
  ast::File file = parse(R"(package a:b@1.0.0;
/// Docs before gates
@since(version = 1.0.0)
@deprecated(version = 1.2.0)
/// and after them.
interface i {
  @unstable(feature = fancy-foo)
  f: func();
}
)");
  const auto& iface = as<ast::Interface>(file.items[0]);
  EXPECT_EQ(iface.docs, "Docs before gates\nand after them.");
  EXPECT_EQ(iface.gates.since->to_string(), "1.0.0");
  EXPECT_EQ(iface.gates.deprecated->to_string(), "1.2.0");
  const auto& f = as<ast::FuncItem>(iface.items[0]);
  EXPECT_EQ(f.gates.unstable->name, "fancy-foo");
}

TEST(wit_parser, ColonSpacingDistinguishesPackagesFromLabels) {
  EXPECT_TRUE(parse_file("t.wit", "package a:b;\nworld w { import a: b; }").ok());
  EXPECT_TRUE(parse_file("t.wit", "package a:b;\nworld w { import a :b; }").ok());
  EXPECT_FALSE(parse_file("t.wit", "package a:b;\nworld w { import a:b; }").ok());
}

TEST(wit_parser, DeeplyNestedTypesAreBounded) {
  std::string text = "package a:b;\ninterface i { type t = ";
  for (int i = 0; i < 200; ++i) text += "list<";
  text += "u8";
  for (int i = 0; i < 200; ++i) text += ">";
  text += "; }";
  auto file = parse_file("t.wit", text);
  ASSERT_FALSE(file.ok());
  EXPECT_NE(file.error().message().find("nested more than 100 deep"), std::string::npos);
}

TEST(wit_parser, ErrorsNameWhatWasExpected) {
  auto file = parse_file("world.wit", "package a:b;\nworld w {\n  import f: func(a: u32;\n}\n");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().message(), "world.wit:3:24: expected ')' after parameter list, found ';'");
  EXPECT_EQ(file.error().code(), ErrorCode::kMalformed);
}

}  // namespace
}  // namespace berth::wit
