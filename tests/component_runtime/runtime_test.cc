#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runtime_util.h"

namespace berth::component {
namespace {

using testing::guest;
using ::testing::HasSubstr;
using testing::RuntimeTest;

TEST_F(RuntimeTest, CallsLiftedScalarFunctions) {
  auto instance = instantiate_bytes(guest("component_adder"), "adder");
  auto sum = call(*instance, "add", {Val::u32(40), Val::u32(2)});
  ASSERT_TRUE(sum) << sum.error().describe();
  ASSERT_TRUE(sum->has_value());
  EXPECT_EQ((*sum)->u, 42u);
  auto wrapped = call(*instance, "add", {Val::u32(0xffffffff), Val::u32(2)});
  ASSERT_TRUE(wrapped);
  EXPECT_EQ((*wrapped)->u, 1u);
  auto negated = call(*instance, "negate", {Val::float64(1.5)});
  ASSERT_TRUE(negated);
  EXPECT_EQ((*negated)->f64, -1.5);
}

TEST_F(RuntimeTest, ExportsAreListedWithTheirTypes) {
  auto instance = instantiate_bytes(guest("component_adder"), "adder");
  ASSERT_EQ(instance->functions().size(), 3u);
  EXPECT_EQ(instance->functions()[0].name, "add");
  EXPECT_EQ(instance->functions()[0].type->to_string(), "func(a: u32, b: u32) -> u32");
  auto missing = instance->find_function("sub");
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message(), HasSubstr("exports no function 'sub'"));
}

// Calls between two component instances (fused through native structs, with no Val built).
TEST_F(RuntimeTest, ComponentToComponentCallsCarryEveryShapeOfValue) {
  auto instance = instantiate_bytes(guest("component_fused"), "fused");
  // The callee's post-return overwrites the string it returned with 'X's: the caller has its
  // copy by then.
  for (std::string text : {std::string("hello"), std::string(""), std::string(5000, 'y'),
                           std::string("h\xc3\xa9llo \xf0\x9f\x98\x80")}) {
    auto echoed = call(*instance, "echo", {Val::string(text)});
    ASSERT_TRUE(echoed) << echoed.error().describe();
    EXPECT_EQ((*echoed)->str, text);
  }
  // result<f32, u64> flattens to (i32, i64): the f32 travels in the joined i64.
  auto ok = call(*instance, "pick", {Val::ok(Val::float32(1.5f))});
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ((*ok)->discriminant, 0u);
  EXPECT_EQ((*ok)->payload().f32, 1.5f);
  auto err = call(*instance, "pick", {Val::err(Val::u64(0x123456789abcdefull))});
  ASSERT_TRUE(err) << err.error().describe();
  EXPECT_EQ((*err)->discriminant, 1u);
  EXPECT_EQ((*err)->payload().u, 0x123456789abcdefull);
  // 17 parameters spill into memory on the caller's side and on the callee's.
  std::vector<Val> args;
  for (uint32_t i = 1; i <= 17; ++i) args.push_back(Val::u32(i));
  auto sum = call(*instance, "sum17", args);
  ASSERT_TRUE(sum) << sum.error().describe();
  EXPECT_EQ((*sum)->u, 153u);
}

// Entering a component instance enters its ancestors: while the parent runs, the host may not
// call into its child, though it may before and after.
TEST_F(RuntimeTest, HostCannotEnterAChildWhileItsParentRuns) {
  ComponentInstance* instance = nullptr;
  std::optional<Result<std::optional<Val>>> nested;
  resolver_.funcs["callback"] = [&](std::span<const Val>) -> Result<std::optional<Val>> {
    nested = call(*instance, "child-f", {});
    return std::optional<Val>();
  };
  auto owned = instantiate_bytes(guest("component_reenter_child"), "reenter_child");
  instance = owned.get();
  auto before = call(*instance, "child-f", {});
  ASSERT_TRUE(before) << before.error().describe();
  EXPECT_EQ((*before)->u, 7u);
  ASSERT_TRUE(call(*instance, "run", {}));
  ASSERT_TRUE(nested.has_value());
  ASSERT_FALSE(*nested);
  EXPECT_EQ(nested->error().code(), ErrorCode::kTrap);
  EXPECT_EQ(nested->error().message(), "cannot enter component instance");
  auto after = call(*instance, "child-f", {});
  ASSERT_TRUE(after) << after.error().describe();
}

TEST_F(RuntimeTest, GuestTrapIsAnError) {
  auto instance = instantiate_bytes(guest("component_adder"), "adder");
  auto result = call(*instance, "fail", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kTrap);
  EXPECT_THAT(result.error().message(), HasSubstr("unreachable"));
  // The instance can be entered again after a trap.
  EXPECT_TRUE(call(*instance, "add", {Val::u32(1), Val::u32(1)}));
}

TEST_F(RuntimeTest, StringsRoundTripThroughMemory) {
  auto instance = instantiate_bytes(guest("component_strings"), "strings");
  for (std::string text :
       {std::string("hello"), std::string(""), std::string("h\xc3\xa9llo \xf0\x9f\x98\x80"),
        std::string(100000, 'x')}) {
    auto echoed = call(*instance, "echo", {Val::string(text)});
    ASSERT_TRUE(echoed) << echoed.error().describe();
    EXPECT_EQ((*echoed)->str, text);
  }
  auto length = call(*instance, "length", {Val::string("h\xc3\xa9")});
  ASSERT_TRUE(length);
  EXPECT_EQ((*length)->u, 3u);  // UTF-8 code units
}

TEST_F(RuntimeTest, GuestCallsHostImports) {
  resolver_.funcs["scale"] = [](std::span<const Val> args) -> Result<std::optional<Val>> {
    return std::optional<Val>(Val::u32(static_cast<uint32_t>(args[0].u * 10)));
  };
  auto instance = instantiate_bytes(guest("component_host_import"), "host_import");
  auto result = call(*instance, "scale-plus-one", {Val::u32(4)});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ((*result)->u, 41u);
}

TEST_F(RuntimeTest, HostErrorTrapsTheGuest) {
  resolver_.funcs["scale"] = [](std::span<const Val>) -> Result<std::optional<Val>> {
    return Error(ErrorCode::kTrap, "scale refused");
  };
  auto instance = instantiate_bytes(guest("component_host_import"), "host_import");
  auto result = call(*instance, "scale-plus-one", {Val::u32(4)});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message(), "scale refused");
}

TEST_F(RuntimeTest, MissingImportIsALinkError) {
  auto component =
      testing::expect_ok(load_component(*engine_, guest("component_host_import"), "host_import"));
  auto instance = instantiate(*store_, component, resolver_);
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().code(), ErrorCode::kLink);
  EXPECT_THAT(instance.error().message(), HasSubstr("scale"));
}

TEST_F(RuntimeTest, NestedComponentExportedThroughAnInterface) {
  auto instance = instantiate_bytes(guest("component_nested"), "nested");
  auto full = call(*instance, "example:nested/api@0.1.0#seven", {});
  ASSERT_TRUE(full) << full.error().describe();
  EXPECT_EQ((*full)->u, 7u);
  auto short_name = call(*instance, "seven", {});
  ASSERT_TRUE(short_name);
  EXPECT_EQ((*short_name)->u, 7u);
}

TEST_F(RuntimeTest, EachLiftReadsItsOwnMemory) {
  auto instance = instantiate_bytes(guest("component_two_memories"), "two_memories");
  auto a = call(*instance, "get-a", {});
  ASSERT_TRUE(a) << a.error().describe();
  EXPECT_EQ((*a)->str, "hello");
  auto b = call(*instance, "get-b", {});
  ASSERT_TRUE(b) << b.error().describe();
  EXPECT_EQ((*b)->str, "world");
}

TEST_F(RuntimeTest, CoreModuleIsNotAComponent) {
  std::vector<uint8_t> core = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  auto component = load_component(*engine_, core, "core.wasm");
  ASSERT_FALSE(component);
  EXPECT_THAT(component.error().message(), HasSubstr("core module"));
}

}  // namespace
}  // namespace berth::component
