// The linker: pairing imports with providers by name and version, type checks, ambiguity,
// --trap-unknown-imports, and host-defined resources with destructors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "berth/host/defined_provider.h"
#include "berth/host/linker.h"
#include "common/test_support.h"

namespace berth::host {
namespace {

using berth::testing::expect_ok;
using berth::testing::read_guest;
using component::Val;
using ::testing::HasSubstr;

constexpr std::string_view kMathWit = R"(
package demo:math@0.1.0;
interface ops {
  add: func(a: u32, b: u32) -> u32;
}
interface counters {
  resource counter {
    constructor(start: u32);
    next: func() -> u32;
  }
}
world math-host {
  export ops;
  export counters;
}
)";

class LinkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = expect_ok(engine::create_engine({}));
    component_ =
        expect_ok(component::load_component(*engine_, read_guest("math_user"), "math_user.wasm"));
    store_ = expect_ok(engine_->create_store());
  }

  // A provider of both interfaces: add sums, counters count up from their start and record
  // which reps were dropped.
  std::shared_ptr<DefinedProvider> math_provider(std::string name = "math",
                                                 std::string_view wit = kMathWit) {
    auto provider = expect_ok(DefinedProvider::create(std::move(name), wit));
    expect_ok(provider->define(
        "demo:math/ops", "add",
        [](const component::FuncType&, std::span<const Val> args) -> Result<std::optional<Val>> {
          return std::optional<Val>(Val::u32(static_cast<uint32_t>(args[0].u + args[1].u)));
        }));
    expect_ok(provider->define("demo:math/counters", "[constructor]counter",
                               [this](const component::FuncType& type,
                                      std::span<const Val> args) -> Result<std::optional<Val>> {
                                 uint32_t rep = next_rep_++;
                                 counters_[rep] = static_cast<uint32_t>(args[0].u);
                                 Val handle;
                                 handle.kind = component::ValKind::kOwn;
                                 handle.handle = std::make_shared<component::ResourceHandle>(
                                     component::ResourceHandle{.type = type.result->resource,
                                                               .rep = rep});
                                 return std::optional<Val>(std::move(handle));
                               }));
    expect_ok(provider->define("demo:math/counters", "[method]counter.next",
                               [this](const component::FuncType&,
                                      std::span<const Val> args) -> Result<std::optional<Val>> {
                                 return std::optional<Val>(
                                     Val::u32(++counters_[args[0].handle->rep]));
                               }));
    expect_ok(provider->on_drop("demo:math/counters", "counter",
                                [this](uint32_t rep) { dropped_.push_back(rep); }));
    return provider;
  }

  Result<std::optional<Val>> call(LinkedInstance& linked, std::string_view name,
                                  std::vector<Val> args) {
    auto& instance = linked.component();
    auto func = expect_ok(instance.find_function(name));
    return instance.call(*func, args);
  }

  std::shared_ptr<engine::Engine> engine_;
  std::shared_ptr<const component::Component> component_;
  std::unique_ptr<engine::Store> store_;
  std::map<uint32_t, uint32_t> counters_;
  std::vector<uint32_t> dropped_;
  uint32_t next_rep_ = 7;
};

TEST_F(LinkerTest, CompatibleVersionLinksAndCalls) {
  Linker linker;
  linker.add(math_provider());
  auto linked = expect_ok(linker.instantiate(*store_, component_));
  auto result = expect_ok(call(*linked, "twice-sum", {Val::u32(2), Val::u32(3)}));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->u, 10u);
}

TEST_F(LinkerTest, HostResourceIsConstructedCalledAndDropped) {
  Linker linker;
  linker.add(math_provider());
  auto linked = expect_ok(linker.instantiate(*store_, component_));
  auto result = expect_ok(call(*linked, "third", {Val::u32(40)}));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->u, 43u);
  EXPECT_EQ(dropped_, std::vector<uint32_t>{7});
}

TEST_F(LinkerTest, IncompatibleVersionIsNotAProvider) {
  std::string wit(kMathWit);
  wit.replace(wit.find("0.1.0"), 5, "0.2.0");
  Linker linker;
  linker.add(math_provider("math", wit));
  auto linked = linker.instantiate(*store_, component_);
  ASSERT_FALSE(linked);
  EXPECT_EQ(linked.error().code(), ErrorCode::kLink);
  EXPECT_THAT(linked.error().message(),
              HasSubstr("nothing provides import 'demo:math/ops@0.1.2' (instance)"));
  EXPECT_THAT(linked.error().message(),
              HasSubstr("nothing provides import 'demo:math/counters@0.1.0' (instance)"));
}

TEST_F(LinkerTest, TypeDifferenceShowsBothSignatures) {
  std::string wit(kMathWit);
  wit.replace(wit.find("-> u32;"), 7, "-> u64;");
  Linker linker;
  linker.add(math_provider("math", wit));
  auto report = linker.check(component_->type());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_THAT(report.problems[0], HasSubstr("import 'demo:math/ops@0.1.2'"));
  EXPECT_THAT(report.problems[0], HasSubstr("expected: func(a: u32, b: u32) -> u32"));
  EXPECT_THAT(report.problems[0], HasSubstr("provider: func(a: u32, b: u32) -> u64"));
  EXPECT_FALSE(linker.instantiate(*store_, component_));
}

TEST_F(LinkerTest, TwoProvidersAreAmbiguousUntilOneIsPreferred) {
  Linker linker;
  linker.add(math_provider("first"));
  linker.add(math_provider("second"));
  auto report = linker.check(component_->type());
  ASSERT_EQ(report.problems.size(), 2u);
  EXPECT_THAT(report.problems[0],
              HasSubstr("import 'demo:math/ops@0.1.2' is provided by more than one provider"));
  EXPECT_THAT(report.problems[0], HasSubstr("first (demo:math/ops@0.1.0)"));
  EXPECT_THAT(report.problems[0], HasSubstr("second (demo:math/ops@0.1.0)"));

  linker.prefer("demo:math/ops", "second");
  linker.prefer("demo:math/counters", "second");
  report = linker.check(component_->type());
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.bindings[0].provider->name(), "second");
}

TEST_F(LinkerTest, UnknownImportsTrapOnlyWhenCalled) {
  Linker linker;
  linker.set_trap_unknown_imports(true);
  auto linked = expect_ok(linker.instantiate(*store_, component_));
  auto result = call(*linked, "twice-sum", {Val::u32(2), Val::u32(3)});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code(), ErrorCode::kTrap);
  EXPECT_THAT(result.error().message(),
              HasSubstr("called 'demo:math/ops@0.1.2#add', which nothing provides"));
}

TEST(DefinedProviderTest, DefiningAnUndeclaredFunctionFails) {
  auto provider = expect_ok(DefinedProvider::create("math", kMathWit));
  auto defined = provider->define("demo:math/ops", "sub", {});
  ASSERT_FALSE(defined);
  EXPECT_THAT(defined.error().message(), HasSubstr("declares no function 'sub'"));
  auto other = provider->define("demo:other/ops", "add", {});
  ASSERT_FALSE(other);
  EXPECT_THAT(other.error().message(), HasSubstr("exports no interface 'demo:other/ops'"));
}

}  // namespace
}  // namespace berth::host
