#include "berth/wit/printer.h"

#include <gtest/gtest.h>

#include <string>

#include "berth/wit/resolve.h"

namespace berth::wit {
namespace {

ResolveOptions all_features() {
  ResolveOptions options;
  options.all_features = true;
  return options;
}

PackageId load(Resolve& resolve, std::string_view text, const ResolveOptions& options = {}) {
  auto id = load_source(resolve, "t.wit", text, options);
  EXPECT_TRUE(id.ok()) << id.error().message();
  return id.ok() ? *id : PackageId{};
}

// Loads, prints, loads the print, and checks the two models agree and print the same.
std::string round_trip(std::string_view text) {
  ResolveOptions options = all_features();
  Resolve first;
  PackageId root = load(first, text, options);
  std::string printed = print_resolve(first, root);
  Resolve second;
  auto again = load_source(second, "printed.wit", printed, options);
  EXPECT_TRUE(again.ok()) << again.error().message() << "\n" << printed;
  if (!again.ok()) return printed;
  EXPECT_EQ(first_difference(first, second), "") << printed;
  EXPECT_EQ(print_resolve(second, *again), printed);
  return printed;
}

TEST(wit_printer, PrintsCanonicalText) {
  std::string printed = round_trip(R"(package   example:demo@1.0.0 ;
// ordinary comments are dropped
interface types{
  /// A point.
  record point{x:s32,y:s32}
  enum color{red,green,}
  resource blob{constructor(init:list<u8>);read:func(n:u32)->list<u8>;}
  f:func(p:point)->result<_,color>;
}
world app{import types;export run:func();}
)");
  EXPECT_EQ(printed, R"(package example:demo@1.0.0;

interface types {
  /// A point.
  record point {
    x: s32,
    y: s32,
  }
  enum color {
    red,
    green,
  }
  resource blob {
    constructor(init: list<u8>);
    read: func(n: u32) -> list<u8>;
  }
  f: func(p: point) -> result<_, color>;
}

world app {
  import types;
  export run: func();
}
)");
}

TEST(wit_printer, EscapesKeywordsAndKeepsGatesAndDocs) {
  std::string printed = round_trip(R"(package a:b@0.2.0;
/// Interface docs
///   with indentation
@since(version = 0.2.0)
interface %interface {
  @unstable(feature = fancy)
  @deprecated(version = 0.2.1)
  type %type = %record;
  record %record { %flags: u8 }
  @external-id("ext \"quoted\"")
  %func: func(%enum: %type);
}
)");
  EXPECT_NE(printed.find("interface %interface {"), std::string::npos);
  EXPECT_NE(printed.find("  type %type = %record;"), std::string::npos);
  EXPECT_NE(printed.find("    %flags: u8,"), std::string::npos);
  EXPECT_NE(printed.find("  %func: func(%enum: %type);"), std::string::npos);
  EXPECT_NE(printed.find("/// Interface docs\n///   with indentation\n@since(version = 0.2.0)\n"),
            std::string::npos);
  EXPECT_NE(printed.find("  @unstable(feature = fancy)\n  @deprecated(version = 0.2.1)\n"),
            std::string::npos);
  EXPECT_NE(printed.find("@external-id(\"ext \\\"quoted\\\"\")"), std::string::npos);
}

TEST(wit_printer, RoundTripsEverything) {
  round_trip(R"(package a:b@1.0.0;

interface types {
  resource r {
    constructor() -> result<r, string>;
    m: async func(x: borrow<r>) -> future<list<u8>>;
    s: static func() -> stream;
  }
  record rec { a: list<u32, 4>, b: map<string, option<r>>, c: tuple<u8, s8>, d: error-context }
  variant v { a, b(rec), c(own<r>) }
  flags f { x, y }
  type h = borrow<r>;
  type fut = future;
}

interface user {
  use types.{r, rec as renamed};
  use other:dep/api@2.0.0.{thing};
  f: func(a: r, b: renamed, c: thing) -> result;
}

world w {
  use types.{rec};
  record local { x: rec }
  resource in-world { get: func() -> local; }
  import user;
  import labeled: user;
  import inline: interface { use types.{v}; g: func(v: v); }
  @external-id("x")
  import f: func(l: local);
  export other:dep/api@2.0.0;
  export inline-export: interface { h: func(); }
}

world extended {
  include w with { f as f2, labeled as l2 }
  export more: func();
}

package other:dep@2.0.0 {
  interface api { type thing = u64; }
}
)");
}

TEST(wit_printer, SinglePackageUsesFullNamesForOtherPackages) {
  Resolve r;
  PackageId p = load(
      r, "package a:b;\nworld w { import c:d/i@1.0.0; }\npackage c:d@1.0.0 { interface i {} }\n");
  EXPECT_EQ(print_package(r, p), "package a:b;\n\nworld w {\n  import c:d/i@1.0.0;\n}\n");
}

TEST(wit_printer, TypesAndFunctionsForMessages) {
  Resolve r;
  PackageId p = load(r, R"(package a:b;
interface i {
  resource file { read: func(n: u32) -> list<option<string>>; }
  f: func(x: borrow<file>, y: tuple<u8, string>) -> result<file, u32>;
}
)");
  InterfaceId i = *r.find_interface(p, "i");
  const Function* f = r.find_function(i, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(print_type(r, f->params[0].type), "borrow<file>");
  EXPECT_EQ(print_type(r, *f->result), "result<file, u32>");
  EXPECT_EQ(print_function(r, *f),
            "f: func(x: borrow<file>, y: tuple<u8, string>) -> result<file, u32>");
  EXPECT_EQ(print_function(r, *r.find_function(i, "[method]file.read")),
            "[method]file.read: func(self: borrow<file>, n: u32) -> list<option<string>>");
}

TEST(wit_equality, FindsDifferences) {
  Resolve a;
  load(a, "package a:b;\ninterface i {\n  /// docs\n  f: func(x: u32);\n}\n");
  Resolve same;
  load(same, "package a:b;\ninterface i {\n  /// docs\n  f: func(x: u32);\n}\n");
  EXPECT_TRUE(equivalent(a, same));

  Resolve docs;
  load(docs, "package a:b;\ninterface i {\n  /// other docs\n  f: func(x: u32);\n}\n");
  EXPECT_EQ(first_difference(a, docs), "a:b/i function f: docs differs");

  Resolve type;
  load(type, "package a:b;\ninterface i {\n  /// docs\n  f: func(x: u64);\n}\n");
  EXPECT_EQ(first_difference(a, type), "a:b/i function f parameter x: types differ");

  Resolve version;
  load(version, "package a:b@1.0.0;\ninterface i {\n  /// docs\n  f: func(x: u32);\n}\n");
  EXPECT_EQ(first_difference(a, version), "a:b: package missing from the second model");
}

TEST(wit_equality, NamedTypesCompareByOwnerAndName) {
  Resolve a;
  load(a,
       "package a:b;\ninterface x { type t = u32; }\ninterface y { use x.{t}; f: func(v: t); }\n");
  Resolve b;
  load(b,
       "package a:b;\ninterface x { type t = u32; }\ninterface y { type t = u32; f: func(v: t); "
       "}\n");
  EXPECT_EQ(first_difference(a, b), "a:b/y type t: types differ");
}

}  // namespace
}  // namespace berth::wit
