// The typed embedding API against a real component (guests/typed_guest.wat): C++ host functions
// and resources checked against their WIT, errors and exceptions that trap the guest, objects
// destroyed exactly once, typed and WAVE calls of exports, and C++ values <-> Vals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <stdexcept>

#include "berth/component/typed_func.h"
#include "berth/host/defined_provider.h"
#include "berth/host/linker.h"
#include "common/test_support.h"
#include "host_wit.h"

namespace demo {

struct Point {
  int32_t x = 0;
  int32_t y = 0;
};

enum class Color { kRed, kGreen, kBlue };

}  // namespace demo

template <>
struct berth::component::RecordFields<demo::Point> {
  static constexpr auto fields =
      std::make_tuple(field("x", &demo::Point::x), field("y", &demo::Point::y));
};

template <>
struct berth::component::EnumLabels<demo::Color> {
  static constexpr std::array<std::string_view, 3> labels = {"red", "green", "blue"};
};

namespace berth::host {
namespace {

using berth::testing::expect_ok;
using berth::testing::read_guest;
using component::Expected;
using component::TypedFunc;
using component::Val;
using demo::Point;
using ::testing::HasSubstr;

// Records every counter's life, so that tests can see each object destroyed exactly once.
struct Lives {
  int constructed = 0;
  std::vector<int> destroyed;  // ids, in order
};

class Counter {
 public:
  Counter(Lives& lives, uint32_t value) : lives_(lives), id_(++lives.constructed), value_(value) {}
  ~Counter() { lives_.destroyed.push_back(id_); }
  uint32_t next() { return ++value_; }
  uint32_t value() const { return value_; }

 private:
  Lives& lives_;
  int id_;
  uint32_t value_;
};

// How `fail` fails: with an error value or by throwing.
enum class Failure { kError, kThrow };

std::shared_ptr<DefinedProvider> host_provider(Lives& lives, Failure failure = Failure::kError) {
  auto provider =
      expect_ok(DefinedProvider::create("embedder", berth::testing::embedding_host_wit()));
  constexpr std::string_view kHost = "demo:embed/host";
  expect_ok(provider->define_resource<Counter>(kHost, "counter"));
  expect_ok(provider->define(kHost, "greet",
                             [](std::string_view name) { return "hello, " + std::string(name); }));
  expect_ok(provider->define(kHost, "sum", [](const std::vector<int32_t>& values) {
    int64_t total = 0;
    for (int32_t v : values) total += v;
    return total;
  }));
  expect_ok(provider->define(kHost, "lookup", [](const std::string& key) {
    static const std::map<std::string, uint32_t> kTable = {{"one", 1}, {"two", 2}};
    auto it = kTable.find(key);
    return it == kTable.end() ? std::nullopt : std::optional<uint32_t>(it->second);
  }));
  expect_ok(provider->define(kHost, "parse", [](std::string_view text) {
    uint32_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return Expected<uint32_t, std::string>::err("not a number: " + std::string(text));
    }
    return Expected<uint32_t, std::string>::ok(value);
  }));
  expect_ok(provider->define(kHost, "scale", [](Point p, int32_t factor) {
    return Point{p.x * factor, p.y * factor};
  }));
  if (failure == Failure::kError) {
    expect_ok(provider->define(kHost, "fail", [](std::string_view message) -> Result<void> {
      return Error(ErrorCode::kInvalid, std::string(message));
    }));
  } else {
    expect_ok(provider->define(kHost, "fail", [](std::string_view message) {
      throw std::runtime_error(std::string(message));
    }));
  }
  expect_ok(provider->define(kHost, "[constructor]counter", [&lives](uint32_t start) {
    return std::make_unique<Counter>(lives, start);
  }));
  expect_ok(provider->define(kHost, "[method]counter.next",
                             [](Counter& counter) { return counter.next(); }));
  expect_ok(provider->define(
      kHost, "take", [](std::unique_ptr<Counter> counter) { return counter->value() * 10; }));
  return provider;
}

class TypedApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine_ = expect_ok(engine::create_engine());
    component_ = expect_ok(
        component::load_component(*engine_, read_guest("typed_guest"), "typed_guest.wasm"));
    store_ = expect_ok(engine_->create_store());
  }

  std::unique_ptr<LinkedInstance> instantiate(std::shared_ptr<DefinedProvider> provider) {
    Linker linker;
    linker.add(std::move(provider));
    return expect_ok(linker.instantiate(*store_, component_));
  }

  template <typename Signature>
  TypedFunc<Signature> find(LinkedInstance& linked, std::string_view name) {
    return expect_ok(TypedFunc<Signature>::find(linked.component(), name));
  }

  Lives lives_;
  std::shared_ptr<engine::Engine> engine_;
  std::shared_ptr<const component::Component> component_;
  std::unique_ptr<engine::Store> store_;
};

TEST_F(TypedApiTest, HostFunctionsTakeAndReturnCppValues) {
  auto linked = instantiate(host_provider(lives_));
  auto greet = find<std::string(std::string)>(*linked, "call-greet");
  EXPECT_EQ(expect_ok(greet("bob")), "hello, bob");
  EXPECT_EQ(expect_ok(greet("")), "hello, ");

  auto sum = find<int64_t(std::vector<int32_t>)>(*linked, "call-sum");
  EXPECT_EQ(expect_ok(sum({1, 2, 3, -10})), -4);
  EXPECT_EQ(expect_ok(sum({})), 0);

  auto lookup = find<std::optional<uint32_t>(std::string)>(*linked, "call-lookup");
  EXPECT_EQ(expect_ok(lookup("two")), std::optional<uint32_t>(2));
  EXPECT_EQ(expect_ok(lookup("three")), std::nullopt);

  auto parse = find<Expected<uint32_t, std::string>(std::string)>(*linked, "call-parse");
  auto parsed = expect_ok(parse("42"));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed.value(), 42u);
  auto refused = expect_ok(parse("4x"));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error(), "not a number: 4x");

  auto scale = find<Point(Point, int32_t)>(*linked, "call-scale");
  Point scaled = expect_ok(scale(Point{2, -3}, 4));
  EXPECT_EQ(scaled.x, 8);
  EXPECT_EQ(scaled.y, -12);
}

TEST_F(TypedApiTest, ASignatureThatDoesNotMatchTheWitIsRefusedWithBoth) {
  auto provider =
      expect_ok(DefinedProvider::create("embedder", berth::testing::embedding_host_wit()));
  auto wrong_param =
      provider->define("demo:embed/host", "greet", [](int32_t) { return std::string(); });
  ASSERT_FALSE(wrong_param);
  EXPECT_EQ(wrong_param.error().code(), ErrorCode::kLink);
  EXPECT_THAT(wrong_param.error().message(), HasSubstr("demo:embed/host@0.1.0#greet"));
  EXPECT_THAT(wrong_param.error().message(), HasSubstr("WIT: func(name: string) -> string"));
  EXPECT_THAT(wrong_param.error().message(), HasSubstr("C++: func(s32) -> string"));

  auto wrong_result =
      provider->define("demo:embed/host", "lookup", [](std::string_view) { return uint32_t{0}; });
  ASSERT_FALSE(wrong_result);
  EXPECT_THAT(wrong_result.error().message(), HasSubstr("C++: func(string) -> u32"));

  auto wrong_field = provider->define("demo:embed/host", "scale",
                                      [](std::tuple<int32_t, int32_t> p, int32_t) { return p; });
  ASSERT_FALSE(wrong_field);
  EXPECT_THAT(wrong_field.error().message(),
              HasSubstr("WIT: func(p: record { x: s32, y: s32 }, factor: s32) -> record"));
  EXPECT_THAT(wrong_field.error().message(),
              HasSubstr("C++: func(tuple<s32, s32>, s32) -> tuple<s32, s32>"));

  // A class not bound to the resource is not a counter.
  auto unbound = provider->define("demo:embed/host", "[method]counter.next",
                                  [](Counter& counter) { return counter.next(); });
  ASSERT_FALSE(unbound);
  EXPECT_THAT(unbound.error().message(),
              HasSubstr("C++: func(borrow<a class not bound with define_resource>) -> u32"));

  auto missing = provider->define("demo:embed/host", "greet-all", [](int32_t) { return 0; });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

TEST_F(TypedApiTest, AHostErrorTrapsTheGuestWithItsMessageAndTheHostGoesOn) {
  for (Failure failure : {Failure::kError, Failure::kThrow}) {
    SCOPED_TRACE(failure == Failure::kError ? "error value" : "exception");
    auto provider = host_provider(lives_, failure);
    auto linked = instantiate(provider);
    auto fail = find<void(std::string)>(*linked, "call-fail");
    Result<void> failed = fail("the disk is on fire");
    ASSERT_FALSE(failed);
    EXPECT_THAT(failed.error().message(), HasSubstr("the disk is on fire"));
    if (failure == Failure::kThrow) {
      EXPECT_THAT(failed.error().message(),
                  HasSubstr("host function demo:embed/host@0.1.0#fail threw"));
    }
    // A new instance of the same component with the same provider works.
    auto again = instantiate(provider);
    EXPECT_EQ(expect_ok(find<int32_t(int32_t, int32_t)>(*again, "add")(2, 3)), 5);
  }
}

TEST_F(TypedApiTest, ResourcesAreCppObjectsDestroyedExactlyOnce) {
  auto provider = host_provider(lives_);
  {
    auto linked = instantiate(provider);
    // The guest makes a counter, steps it and drops it: destroyed at the drop.
    EXPECT_EQ(expect_ok(find<uint32_t(uint32_t, uint32_t)>(*linked, "count")(5, 3)), 8u);
    EXPECT_EQ(lives_.constructed, 1);
    EXPECT_EQ(lives_.destroyed, std::vector<int>{1});

    // Ownership moves to C++ (std::unique_ptr), which destroys it when `take` returns.
    EXPECT_EQ(expect_ok(find<uint32_t(uint32_t)>(*linked, "give")(7)), 70u);
    EXPECT_EQ(lives_.destroyed, (std::vector<int>{1, 2}));

    // A counter the guest keeps lives as long as the instance.
    EXPECT_EQ(expect_ok(find<uint32_t(uint32_t)>(*linked, "keep")(1)), 2u);
    EXPECT_EQ(lives_.destroyed.size(), 2u);
  }
  EXPECT_EQ(lives_.destroyed, (std::vector<int>{1, 2, 3}));

  {
    // A guest that traps while it holds a counter: the object goes with the instance.
    auto linked = instantiate(provider);
    Result<void> trapped = find<void(uint32_t)>(*linked, "trap-holding")(9);
    ASSERT_FALSE(trapped);
    EXPECT_EQ(trapped.error().code(), ErrorCode::kTrap);
    EXPECT_EQ(lives_.constructed, 4);
    EXPECT_EQ(lives_.destroyed.size(), 3u);
  }
  EXPECT_EQ(lives_.destroyed, (std::vector<int>{1, 2, 3, 4}));
}

TEST_F(TypedApiTest, ExportsAreCalledTypedAndCheckedOnce) {
  auto linked = instantiate(host_provider(lives_));
  EXPECT_EQ(expect_ok(find<int32_t(int32_t, int32_t)>(*linked, "add")(-7, 3)), -4);

  Point echoed = expect_ok(find<Point(Point)>(*linked, "echo-point")(Point{1, 2}));
  EXPECT_EQ(echoed.x, 1);
  EXPECT_EQ(echoed.y, 2);

  using Strings = std::vector<std::string>;
  auto echo_strings = find<Strings(Strings)>(*linked, "echo-strings");
  EXPECT_EQ(expect_ok(echo_strings({"a", "", "ünïcode"})), (Strings{"a", "", "ünïcode"}));

  auto echo_option = find<std::optional<int32_t>(std::optional<int32_t>)>(*linked, "echo-option");
  EXPECT_EQ(expect_ok(echo_option(-5)), std::optional<int32_t>(-5));
  EXPECT_EQ(expect_ok(echo_option(std::nullopt)), std::nullopt);

  auto mismatch = TypedFunc<std::string(int32_t)>::find(linked->component(), "add");
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code(), ErrorCode::kLink);
  EXPECT_THAT(mismatch.error().message(), HasSubstr("export: func(a: s32, b: s32) -> s32"));
  EXPECT_THAT(mismatch.error().message(), HasSubstr("C++:    func(s32) -> string"));

  auto unknown = TypedFunc<void()>::find(linked->component(), "no-such-export");
  ASSERT_FALSE(unknown);
}

TEST_F(TypedApiTest, ExportsAreCalledWithWaveText) {
  auto linked = instantiate(host_provider(lives_));
  auto& instance = linked->component();
  EXPECT_EQ(expect_ok(component::call_wave(instance, "add(2, 3)")), "5");
  EXPECT_EQ(expect_ok(component::call_wave(instance, R"(call-greet("wave"))")), R"("hello, wave")");
  EXPECT_EQ(expect_ok(component::call_wave(instance, "echo-point({x: 1, y: -1})")),
            "{x: 1, y: -1}");
  EXPECT_EQ(expect_ok(component::call_wave(instance, "call-lookup(\"one\")")), "some(1)");

  auto bad = component::call_wave(instance, "add(2, \"three\")");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kUsage);
  EXPECT_THAT(bad.error().message(), HasSubstr("func(a: s32, b: s32) -> s32"));
}

TEST(TypedValuesTest, EnumsTuplesAndResultsRoundTrip) {
  using component::Type;
  using component::ValKind;
  using component::WitType;
  auto color_type = Type::enumeration({"red", "green", "blue"});
  EXPECT_TRUE(WitType<demo::Color>::matches(*color_type));
  EXPECT_FALSE(WitType<demo::Color>::matches(*Type::enumeration({"red", "blue", "green"})));
  EXPECT_EQ(WitType<demo::Color>::lift(WitType<demo::Color>::lower(demo::Color::kBlue)),
            demo::Color::kBlue);
  EXPECT_EQ(WitType<demo::Color>::describe(), "enum { red, green, blue }");

  using Pair = std::tuple<uint8_t, std::string>;
  auto pair_type = Type::tuple({Type::primitive(ValKind::kU8), Type::primitive(ValKind::kString)});
  EXPECT_TRUE(WitType<Pair>::matches(*pair_type));
  EXPECT_EQ(WitType<Pair>::lift(WitType<Pair>::lower(Pair{200, "x"})), (Pair{200, "x"}));

  using Status = Expected<void, std::string>;
  EXPECT_TRUE(WitType<Status>::matches(*Type::result(nullptr, Type::primitive(ValKind::kString))));
  EXPECT_FALSE(WitType<Status>::matches(*Type::result(nullptr, nullptr)));
  EXPECT_EQ(WitType<Status>::describe(), "result<_, string>");
  EXPECT_TRUE(WitType<Status>::lift(WitType<Status>::lower(Status::ok())).has_value());
  EXPECT_EQ(WitType<Status>::lift(WitType<Status>::lower(Status::err("no"))).error(), "no");

  // A list of numbers lifted from packed bytes.
  Val packed = Val::packed_list({1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff});
  EXPECT_EQ(WitType<std::vector<int32_t>>::lift(packed), (std::vector<int32_t>{1, -1}));
}

}  // namespace
}  // namespace berth::host
