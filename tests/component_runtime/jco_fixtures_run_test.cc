// jco's fixtures: instantiate those whose imports test-defined host functions can provide, and
// check calls whose answers their WIT makes unambiguous. Most were built from wit-bindgen's
// runtime tests and import WASI as well; those imports get functions that fail the test when
// called (the calls below never need them) and resource types made up for them.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "common/paths.h"
#include "runtime_util.h"

namespace berth::component {
namespace {

using testing::expect_ok;
using testing::read_bytes;
using testing::RuntimeTest;

const std::string kFixtures =
    std::string(berth::testing::source_dir()) + "/../shared/corpora/jco-fixtures/";
const std::string kRuntime = "packages/jco-transpile/test/fixtures/components/runtime/";

TEST_F(RuntimeTest, JcoAdderFixturesAdd) {
  for (const char* path :
       {"examples/transpile/adder/adder.wasm",
        "packages/jco-transpile/test/fixtures/components/adder.component.wasm",
        "packages/jco-transpile/test/fixtures/components/runtime/adder.component.wasm"}) {
    SCOPED_TRACE(path);
    auto instance = instantiate_bytes(read_bytes(kFixtures + path), path);
    auto sum = call(*instance, "docs:adder/add@0.1.0#add", {Val::u32(20), Val::u32(22)});
    ASSERT_TRUE(sum) << sum.error().describe();
    ASSERT_TRUE(sum->has_value());
    EXPECT_EQ((*sum)->u, 42u);
  }
}

// Host functions by "instance#name" (or "name"); resource types by the same keys. Imports of
// WASI interfaces that the test does not define become functions that fail when called.
class FixtureHost final : public ImportResolver {
 public:
  std::map<std::string, HostFunction> funcs;
  std::map<std::string, ResourceTypeRef> resources;
  std::set<std::string> wasi_called;

  Result<HostFunction> resolve_func(std::string_view instance, std::string_view name,
                                    const FuncType& type) override {
    std::string key = this->key(instance, name);
    if (auto it = funcs.find(key); it != funcs.end()) return it->second;
    if (instance.starts_with("wasi:")) {
      return HostFunction([this, key](std::span<const Val>) -> Result<std::optional<Val>> {
        wasi_called.insert(key);
        return Error(ErrorCode::kTrap, "the test provides no " + key);
      });
    }
    return Error(ErrorCode::kLink, "no host function " + key + ": " + type.to_string());
  }

  Result<ResourceTypeRef> resolve_resource(std::string_view instance,
                                           std::string_view name) override {
    if (auto it = resources.find(key(instance, name)); it != resources.end()) return it->second;
    return ImportResolver::resolve_resource(instance, name);
  }

 private:
  static std::string key(std::string_view instance, std::string_view name) {
    return instance.empty() ? std::string(name) : std::string(instance) + "#" + std::string(name);
  }
};

class JcoFixtureTest : public RuntimeTest {
 protected:
  std::unique_ptr<ComponentInstance> instantiate_fixture(const std::string& file) {
    std::string path = kFixtures + kRuntime + file;
    auto component = expect_ok(load_component(*engine_, read_bytes(path), file));
    return expect_ok(instantiate(*store_, component, host_));
  }

  Val call_ok(ComponentInstance& instance, std::string_view name, std::vector<Val> args) {
    auto result = call(instance, name, std::move(args));
    EXPECT_TRUE(result) << name << ": " << result.error().describe();
    if (!result || !result->has_value()) return Val();
    return **result;
  }

  static HostFunction identity() {
    return [](std::span<const Val> args) -> Result<std::optional<Val>> {
      return std::optional<Val>(args[0]);
    };
  }

  FixtureHost host_;
};

TEST_F(JcoFixtureTest, AsmjsBigintAddsS64) {
  auto instance = instantiate_fixture("asmjs_bigint.component.wasm");
  EXPECT_EQ(call_ok(*instance, "add", {Val::s64(-5), Val::s64(3)}).i, -2);
  EXPECT_EQ(call_ok(*instance, "add", {Val::s64(int64_t{1} << 40), Val::s64(1)}).i,
            (int64_t{1} << 40) + 1);
}

// test:numbers/test, imported and exported: the guest's test-imports round-trips every number
// type through the host's identity functions and keeps a scalar on the host side.
TEST_F(JcoFixtureTest, NumbersRoundTripBothWays) {
  const std::string iface = "test:numbers/test#";
  for (const char* t : {"u8", "s8", "u16", "s16", "u32", "s32", "u64", "s64", "f32", "f64", "char"})
    host_.funcs[iface + "roundtrip-" + t] = identity();
  auto scalar = std::make_shared<uint32_t>(0);
  std::vector<uint32_t> set_calls;
  host_.funcs[iface + "set-scalar"] =
      [scalar, &set_calls](std::span<const Val> args) -> Result<std::optional<Val>> {
    *scalar = static_cast<uint32_t>(args[0].u);
    set_calls.push_back(*scalar);
    return std::optional<Val>{};
  };
  host_.funcs[iface + "get-scalar"] = [scalar](std::span<const Val>) -> Result<std::optional<Val>> {
    return std::optional<Val>(Val::u32(*scalar));
  };
  auto instance = instantiate_fixture("numbers.component.wasm");

  auto imports = call(*instance, "test-imports", {});
  ASSERT_TRUE(imports) << imports.error().describe();
  EXPECT_FALSE(set_calls.empty());
  EXPECT_TRUE(host_.wasi_called.empty());

  EXPECT_EQ(call_ok(*instance, iface + "roundtrip-u8", {Val::u8(255)}).u, 255u);
  EXPECT_EQ(call_ok(*instance, iface + "roundtrip-s8", {Val::s8(-128)}).i, -128);
  EXPECT_EQ(call_ok(*instance, iface + "roundtrip-u16", {Val::u16(65535)}).u, 65535u);
  EXPECT_EQ(call_ok(*instance, iface + "roundtrip-s16", {Val::s16(-32768)}).i, -32768);
  EXPECT_EQ(call_ok(*instance, iface + "roundtrip-u32", {Val::u32(4294967295u)}).u, 4294967295u);
  EXPECT_EQ(call_ok(*instance, iface + "roundtrip-s32", {Val::s32(INT32_MIN)}).i, INT32_MIN);
  EXPECT_EQ(call_ok(*instance, iface + "roundtrip-u64", {Val::u64(UINT64_MAX)}).u, UINT64_MAX);
  EXPECT_EQ(call_ok(*instance, iface + "roundtrip-s64", {Val::s64(INT64_MIN)}).i, INT64_MIN);
  EXPECT_EQ(call_ok(*instance, iface + "roundtrip-f32", {Val::float32(1.5f)}).f32, 1.5f);
  EXPECT_TRUE(std::isnan(call_ok(*instance, iface + "roundtrip-f64", {Val::float64(NAN)}).f64));
  EXPECT_EQ(call_ok(*instance, iface + "roundtrip-f64", {Val::float64(-INFINITY)}).f64, -INFINITY);
  EXPECT_EQ(call_ok(*instance, iface + "roundtrip-char", {Val::character(U'\U0001F680')}).u,
            0x1F680u);
  call_ok(*instance, iface + "set-scalar", {Val::u32(77)});
  EXPECT_EQ(call_ok(*instance, iface + "get-scalar", {}).u, 77u);
}

// test:strings/imports: the guest passes "latin utf16" to take-basic and checks what
// return-unicode gives back; its exports return "" and round-trip a string. The guest keeps
// strings in UTF-16, so every call transcodes both ways.
TEST_F(JcoFixtureTest, StringsCrossInBothDirections) {
  std::vector<std::string> taken;
  host_.funcs["test:strings/imports#take-basic"] =
      [&taken](std::span<const Val> args) -> Result<std::optional<Val>> {
    taken.push_back(args[0].str);
    return std::optional<Val>{};
  };
  host_.funcs["test:strings/imports#return-unicode"] =
      [](std::span<const Val>) -> Result<std::optional<Val>> {
    return std::optional<Val>(
        Val::string("\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80 "
                    "\xf0\xa0\x88\x84\xf0\x93\x80\x80"));
  };
  auto instance = instantiate_fixture("strings.component.wasm");

  auto imports = call(*instance, "test-imports", {});
  ASSERT_TRUE(imports) << imports.error().describe();
  EXPECT_EQ(taken, std::vector<std::string>{"latin utf16"});

  EXPECT_EQ(call_ok(*instance, "return-empty", {}).str, "");
  // The guest (C, UTF-16) asserts that what it round-trips is not empty.
  for (const char* s : {"x", "h\xc3\xa9llo \xf0\x9f\x9a\x80", "tab\there"}) {
    EXPECT_EQ(call_ok(*instance, "roundtrip", {Val::string(s)}).str, s);
  }
  std::string big(100000, 'z');
  EXPECT_EQ(call_ok(*instance, "roundtrip", {Val::string(big)}).str, big);
  EXPECT_TRUE(host_.wasi_called.empty());
}

// A resource the host defines (`r`, imported by the world): the guest constructs one, lends it
// to the host's `test`, and drops it, which reaches the host's destructor.
TEST_F(JcoFixtureTest, ResourceBorrowSimpleLendsAHostResource) {
  std::vector<uint32_t> dropped, borrowed;
  ResourceTypeRef r =
      make_host_resource_type("r", [&dropped](uint32_t rep) { dropped.push_back(rep); });
  host_.resources["r"] = r;
  host_.funcs["[constructor]r"] = [r](std::span<const Val>) -> Result<std::optional<Val>> {
    Val v;
    v.kind = ValKind::kOwn;
    v.handle = std::make_shared<ResourceHandle>(ResourceHandle{.type = r, .rep = 42});
    return std::optional<Val>(std::move(v));
  };
  host_.funcs["test"] = [&borrowed](std::span<const Val> args) -> Result<std::optional<Val>> {
    if (args[0].kind != ValKind::kBorrow || !args[0].handle)
      return Error(ErrorCode::kTrap, "not a borrow");
    borrowed.push_back(args[0].handle->rep);
    return std::optional<Val>{};
  };
  auto instance = instantiate_fixture("resource-borrow-simple.component.wasm");
  auto result = call(*instance, "test-imports", {});
  ASSERT_TRUE(result) << result.error().describe();
  EXPECT_EQ(borrowed, std::vector<uint32_t>{42});
  EXPECT_EQ(dropped, std::vector<uint32_t>{42});
}

}  // namespace
}  // namespace berth::component
