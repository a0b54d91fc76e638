// Component type -> WIT on component types built by hand: names from type exports, generated
// names, resources and their functions, `use`, versions, and what WIT cannot say.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "berth/wit/component_bridge.h"
#include "berth/wit/resolve.h"

namespace berth::wit {
namespace {

namespace ct = component;
using ::testing::HasSubstr;
using ::testing::Not;

ct::NamedExtern func(std::string name, std::vector<ct::Field> params, ct::TypeRef result = {}) {
  auto f = std::make_shared<ct::FuncType>();
  f->params = std::move(params);
  f->result = std::move(result);
  ct::NamedExtern e;
  e.name = std::move(name);
  e.desc.kind = ct::ExternKind::kFunc;
  e.desc.func = std::move(f);
  return e;
}

ct::NamedExtern type_export(std::string name, ct::TypeRef type) {
  ct::NamedExtern e;
  e.name = std::move(name);
  e.desc.kind = ct::ExternKind::kType;
  e.desc.type = std::move(type);
  return e;
}

ct::NamedExtern resource_export(std::string name, ct::ResourceTypeRef resource) {
  ct::NamedExtern e;
  e.name = std::move(name);
  e.desc.kind = ct::ExternKind::kType;
  e.desc.resource = std::move(resource);
  return e;
}

ct::NamedExtern instance(std::string name, std::vector<ct::NamedExtern> exports) {
  auto type = std::make_shared<ct::InstanceType>();
  type->exports = std::move(exports);
  ct::NamedExtern e;
  e.name = std::move(name);
  e.desc.kind = ct::ExternKind::kInstance;
  e.desc.instance = std::move(type);
  return e;
}

ct::ResourceTypeRef resource(std::string name) {
  auto r = std::make_shared<ct::ResourceType>();
  r->name = std::move(name);
  return r;
}

ct::TypeRef prim(ct::ValKind kind) {
  return ct::Type::primitive(kind);
}

// Prints the world and checks that the text loads back.
std::string print(const ct::ComponentType& type) {
  auto text = print_component_world(type);
  EXPECT_TRUE(text) << text.error().message();
  if (!text) return "";
  Resolve resolve;
  auto package = load_source(resolve, "component.wit", *text);
  EXPECT_TRUE(package) << package.error().message() << "\n" << *text;
  return *text;
}

TEST(BridgeComponent, PlainFunctionsAreWorldFunctions) {
  ct::ComponentType type;
  type.imports.push_back(func("log", {{"msg", prim(ct::ValKind::kString)}}));
  type.exports.push_back(func("run", {}));
  type.exports.push_back(func("add",
                              {{"a", prim(ct::ValKind::kS32)}, {"b", prim(ct::ValKind::kS32)}},
                              prim(ct::ValKind::kS32)));
  EXPECT_EQ(print(type),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  import log: func(msg: string);\n"
            "  export run: func();\n"
            "  export add: func(a: s32, b: s32) -> s32;\n"
            "}\n");
}

TEST(BridgeComponent, InterfaceNamesMakePackages) {
  ct::ComponentType type;
  type.imports.push_back(
      instance("wasi:io/error@0.2.0", {resource_export("error", resource("error"))}));
  type.imports.push_back(instance("demo:tools/clock", {func("now", {}, prim(ct::ValKind::kU64))}));
  type.exports.push_back(instance("demo:tools/api@1", {func("go", {})}));
  std::string text = print(type);
  EXPECT_THAT(text, HasSubstr("  import wasi:io/error@0.2.0;\n"));
  EXPECT_THAT(text, HasSubstr("  import demo:tools/clock;\n"));
  // A canonical version (🔗) is a full one in WIT.
  EXPECT_THAT(text, HasSubstr("  export demo:tools/api@1.0.0;\n"));
  EXPECT_THAT(text,
              HasSubstr("package wasi:io@0.2.0 {\n  interface error {\n    resource error;\n"));
  EXPECT_THAT(text,
              HasSubstr("package demo:tools {\n  interface clock {\n    now: func() -> u64;\n"));
}

TEST(BridgeComponent, TypeExportsNameTheNodesTheyCarry) {
  // Two records of one shape: functions tell them apart by node, as validation shares them.
  auto first = ct::Type::record({{"a", prim(ct::ValKind::kString)}});
  auto second = ct::Type::record({{"a", prim(ct::ValKind::kString)}});
  auto size = std::make_shared<ct::Type>(*prim(ct::ValKind::kU64));  // `type size = u64`
  ct::ComponentType type;
  type.imports.push_back(instance(
      "demo:t/i", {type_export("first", first), type_export("second", second),
                   type_export("size", size), func("f", {{"x", first}}, second),
                   func("g", {{"x", second}, {"n", size}, {"m", prim(ct::ValKind::kU64)}})}));
  std::string text = print(type);
  EXPECT_THAT(text, HasSubstr("    record first {\n      a: string,\n    }\n"));
  EXPECT_THAT(text, HasSubstr("    type size = u64;\n"));
  EXPECT_THAT(text, HasSubstr("    f: func(x: first) -> second;\n"));
  EXPECT_THAT(text, HasSubstr("    g: func(x: second, n: size, m: u64);\n"));
}

TEST(BridgeComponent, AnonymousTypesGetNames) {
  auto point = ct::Type::record({{"x", prim(ct::ValKind::kF64)}, {"y", prim(ct::ValKind::kF64)}});
  auto same_shape =
      ct::Type::record({{"x", prim(ct::ValKind::kF64)}, {"y", prim(ct::ValKind::kF64)}});
  auto color = ct::Type::enumeration({"red", "green"});
  ct::ComponentType type;
  type.imports.push_back(func("draw", {{"at", point}, {"colors", ct::Type::list(color)}}));
  type.imports.push_back(func("move", {{"to", same_shape}}, ct::Type::option(point)));
  std::string text = print(type);
  EXPECT_THAT(text, HasSubstr("  record draw-at {\n    x: f64,\n    y: f64,\n  }\n"));
  EXPECT_THAT(text, HasSubstr("  enum draw-colors {\n    red,\n    green,\n  }\n"));
  EXPECT_THAT(text, HasSubstr("  import draw: func(at: draw-at, colors: list<draw-colors>);\n"));
  // An equal anonymous type reuses the name.
  EXPECT_THAT(text, HasSubstr("  import move: func(to: draw-at) -> option<draw-at>;\n"));
}

TEST(BridgeComponent, ResourcesWithTheirFunctions) {
  auto blob = resource("blob");
  ct::ComponentType type;
  type.imports.push_back(instance(
      "demo:b/blobs",
      {resource_export("blob", blob),
       func("[constructor]blob", {{"init", ct::Type::list(prim(ct::ValKind::kU8))}},
            ct::Type::own(blob)),
       func("[method]blob.read", {{"self", ct::Type::borrow(blob)}, {"n", prim(ct::ValKind::kU32)}},
            ct::Type::list(prim(ct::ValKind::kU8))),
       func("[static]blob.merge", {{"a", ct::Type::borrow(blob)}, {"b", ct::Type::borrow(blob)}},
            ct::Type::own(blob)),
       func("[constructor]blob2", {}), func("open", {}, ct::Type::own(blob))}));
  auto text = print_component_world(type);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), ErrorCode::kUnsupported);
  EXPECT_THAT(text.error().message(), HasSubstr("function '[constructor]blob2' belongs to resource "
                                                "'blob2', which is not defined next to it"));

  auto& exports = std::const_pointer_cast<ct::InstanceType>(type.imports[0].desc.instance)->exports;
  exports.erase(exports.begin() + 4);
  EXPECT_THAT(print(type),
              HasSubstr("    resource blob {\n"
                        "      constructor(init: list<u8>);\n"
                        "      read: func(n: u32) -> list<u8>;\n"
                        "      merge: static func(a: borrow<blob>, b: borrow<blob>) -> "
                        "blob;\n"
                        "    }\n"
                        "    open: func() -> blob;\n"));
}

TEST(BridgeComponent, UseForTypesOfOtherInterfaces) {
  auto stream = resource("input-stream");
  auto error_code = ct::Type::enumeration({"access", "busy"});
  auto error_code_copy = std::make_shared<ct::Type>(*error_code);  // as `(eq T)` makes it
  ct::ComponentType type;
  type.imports.push_back(
      instance("demo:io/streams@0.1.0",
               {resource_export("input-stream", stream), type_export("error-code", error_code)}));
  type.imports.push_back(
      instance("demo:fs/types@0.1.0",
               {resource_export("input-stream", stream), type_export("error-code", error_code_copy),
                func("open", {}, ct::Type::result(ct::Type::own(stream), error_code_copy))}));
  // At the top level, a function can use the resource of an instance directly.
  type.exports.push_back(func("consume", {{"s", ct::Type::own(stream)}}));
  std::string text = print(type);
  EXPECT_THAT(text, HasSubstr("    use demo:io/streams@0.1.0.{input-stream, error-code};\n"
                              "    open: func() -> result<input-stream, error-code>;\n"));
  EXPECT_THAT(text, HasSubstr("  use demo:io/streams@0.1.0.{input-stream};\n"
                              "  export consume: func(s: input-stream);\n"));
}

TEST(BridgeComponent, ResourceWithoutATypeExportGetsAName) {
  auto handle = resource("connection");
  ct::ComponentType type;
  type.imports.push_back(instance("net", {func("connect", {}, ct::Type::own(handle))}));
  std::string text = print(type);
  EXPECT_THAT(text, HasSubstr("  import net: interface {\n"
                              "    resource connection;\n"
                              "    connect: func() -> connection;\n"
                              "  }\n"));
}

TEST(BridgeComponent, WorldLevelResources) {
  auto r = resource("r");
  ct::ComponentType type;
  type.imports.push_back(resource_export("r", r));
  type.imports.push_back(func("test", {{"r", ct::Type::borrow(r)}}));
  type.imports.push_back(func("[constructor]r", {}, ct::Type::own(r)));
  EXPECT_EQ(print(type),
            "package root:component;\n"
            "\n"
            "world root {\n"
            "  resource r {\n"
            "    constructor();\n"
            "  }\n"
            "  import test: func(r: borrow<r>);\n"
            "}\n");
}

TEST(BridgeComponent, WhatWitCannotSay) {
  ct::ComponentType module_import;
  ct::NamedExtern module;
  module.name = "m";
  module.desc.kind = ct::ExternKind::kCoreModule;
  module_import.imports.push_back(module);
  auto text = print_component_world(module_import);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), ErrorCode::kUnsupported);
  EXPECT_EQ(text.error().message(), "import 'm' is a core module, which WIT cannot describe");

  ct::ComponentType resource_export_type;
  resource_export_type.exports.push_back(resource_export("r", resource("r")));
  text = print_component_world(resource_export_type);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().message(),
            "export 'r' is a resource at the top level; WIT worlds only import types");

  ct::ComponentType differing;
  differing.imports.push_back(instance("demo:x/i", {func("f", {})}));
  differing.exports.push_back(instance("demo:x/i", {func("f", {{"a", prim(ct::ValKind::kU8)}})}));
  text = print_component_world(differing);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().message(),
            "'demo:x/i' is imported and exported with different types for 'f' (func() and "
            "func(a: u8)), which one WIT world cannot say");
}

TEST(BridgeComponent, ImportAndExportOfOneInterfaceMerge) {
  ct::ComponentType type;
  type.imports.push_back(instance("demo:x/i", {func("f", {})}));
  type.exports.push_back(instance("demo:x/i", {func("f", {}), func("g", {})}));
  std::string text = print(type);
  EXPECT_THAT(text, HasSubstr("  import demo:x/i;\n  export demo:x/i;\n"));
  EXPECT_THAT(text, HasSubstr("  interface i {\n    f: func();\n    g: func();\n  }\n"));
}

TEST(BridgeComponent, CoreModuleBinaryIsRejected) {
  const uint8_t module[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  auto text = print_component_world(std::span<const uint8_t>(module));
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().message(),
            "this is a core WebAssembly module, not a component; only components have a WIT "
            "world");
  EXPECT_THAT(text.error().message(), Not(HasSubstr("\n")));
}

}  // namespace
}  // namespace berth::wit
