// The C++ host bindings generator (berth bindgen): how WIT types are spelled in C++, and what it
// refuses. tests/embedding/bindings_test.cc compiles a generated header and runs a guest with it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "berth/sdk/bindgen.h"
#include "berth/wit/resolve.h"
#include "common/test_support.h"

namespace berth::sdk {
namespace {

using berth::testing::expect_ok;
using ::testing::HasSubstr;

Result<GeneratedFile> host_bindings(std::string_view wit) {
  wit::Resolve resolve;
  auto package = expect_ok(wit::load_source(resolve, "t.wit", wit));
  auto world = expect_ok(wit::select_world(resolve, package, ""));
  return generate_host_bindings(resolve, world, "t.hpp");
}

TEST(HostBindgenTest, SpellsEveryKindOfType) {
  auto header = expect_ok(host_bindings(R"(
    package a:b@1.0.0;
    interface shapes {
      enum color { dark-red, green }
      record tile { color: color, tags: list<string>, size: tuple<u8, u8> }
      flags access { read, write }
      variant shape { circle(f64), none }
      resource canvas {
        constructor(width: u32);
        draw: func(t: tile) -> result<_, string>;
        merge: static func(a: canvas, b: borrow<canvas>) -> canvas;
        maybe: func() -> option<canvas>;
      }
      check: func(a: access, s: shape) -> bool;
    }
    world painter { export shapes; })"));
  const std::string& text = header.text;
  EXPECT_THAT(text, HasSubstr("namespace a::b::shapes {"));
  EXPECT_THAT(text, HasSubstr("enum class Color {\n  kDarkRed,\n  kGreen,\n};"));
  EXPECT_THAT(text, HasSubstr("  ::a::b::shapes::Color color{};\n"
                              "  std::vector<std::string> tags{};\n"
                              "  std::tuple<uint8_t, uint8_t> size{};\n"));
  EXPECT_THAT(text, HasSubstr("labels = {\"dark-red\", \"green\"};"));
  EXPECT_THAT(text, HasSubstr("virtual berth::component::Expected<void, std::string> "
                              "draw(const ::a::b::shapes::Tile& t) = 0;"));
  // Handles nested in other types have no typed form: Val.
  EXPECT_THAT(text, HasSubstr("virtual std::optional<berth::component::Val> maybe() = 0;"));
  EXPECT_THAT(text, HasSubstr("new_canvas(uint32_t width) = 0;"));
  EXPECT_THAT(text, HasSubstr("std::unique_ptr<::a::b::shapes::Canvas> canvas_merge("
                              "std::unique_ptr<::a::b::shapes::Canvas> a, "
                              "::a::b::shapes::Canvas& b) = 0;"));
  EXPECT_THAT(text, HasSubstr("bool check(const berth::component::Val& a, "
                              "const berth::component::Val& s) = 0;"));
  EXPECT_THAT(text, HasSubstr("define_resource<::a::b::shapes::Canvas>(\"a:b/shapes@1.0.0\", "
                              "\"canvas\")"));
  EXPECT_THAT(text, HasSubstr("namespace a::b::painter {"));
}

TEST(HostBindgenTest, WorldFunctionExportsAreRefused) {
  auto header = host_bindings("package a:b; world w { export f: func(); }");
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error().code(), ErrorCode::kUnsupported);
  EXPECT_THAT(header.error().message(), HasSubstr("export 'f'"));
}

}  // namespace
}  // namespace berth::sdk
