// Bundles that need other providers: the interfaces a bundle's world imports are resolved at
// link time like a component's imports. The test bundles are nodes (bundles/node/node.c): test:a,
// test:b and test:c each export `api`; what each imports is the WIT a test writes, and each logs
// when berth creates and destroys it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "berth/host/linker.h"
#include "bundle_test_util.h"

namespace berth::bundle {
namespace {

using berth::testing::expect_ok;
using berth::testing::read_guest;
using ::testing::HasSubstr;
using namespace berth::bundle::testing;

class DependencyTest : public BundleDirTest {
 protected:
  void SetUp() override {
    BundleDirTest::SetUp();
    engine_ = expect_ok(engine::create_engine({}));
  }

  // The node bundle `name` (a test:NAME/api whose world imports test:X/api for each X of
  // `imports`), logging to log_path().
  std::shared_ptr<BundleProvider> node(const std::string& name,
                                       const std::vector<std::string>& imports) {
    return expect_ok(load_bundle_dir(write_node_bundle(dir_, name, imports, log_path())));
  }

  fs::path log_path() const { return dir_ / "log"; }
  std::string log() const { return read_text(log_path()); }

  static std::string read_text(const fs::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  // Instantiates the component that imports test:a/api with `providers`, in that order.
  Result<std::unique_ptr<host::LinkedInstance>> link(
      const std::vector<std::shared_ptr<BundleProvider>>& providers) {
    host::Linker linker;
    for (const auto& provider : providers) linker.add(provider);
    store_ = expect_ok(engine_->create_store());
    auto component = expect_ok(
        component::load_component(*engine_, read_guest("bundle_node_user"), "node_user.wasm"));
    return linker.instantiate(*store_, component);
  }

  std::shared_ptr<engine::Engine> engine_;
  std::unique_ptr<engine::Store> store_;
};

TEST_F(DependencyTest, CreatesProvidersInDependencyOrderAndDestroysThemInReverse) {
  auto a = node("a", {"b"});
  auto b = node("b", {"c"});
  auto c = node("c", {});
  {
    // Added in the worst order: the linker orders them by what they need.
    std::unique_ptr<host::LinkedInstance> linked = expect_ok(link({a, b, c}));
    ASSERT_TRUE(linked);
    EXPECT_EQ(log(), "create c\ncreate b\ncreate a\n");
    auto ping = expect_ok(linked->component().find_function("ping"));
    auto answer = expect_ok(linked->component().call(*ping, {}));
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->u, 1u);
  }
  // The store keeps the functions it was given, and with them test:a, which keeps what it
  // needs: everything goes with the store, each provider before those it depends on.
  EXPECT_EQ(log(), "create c\ncreate b\ncreate a\n");
  store_.reset();
  EXPECT_EQ(log(), "create c\ncreate b\ncreate a\ndestroy a\ndestroy b\ndestroy c\n");

  host::Linker linker;
  for (const auto& provider : {a, b, c}) linker.add(provider);
  host::LinkReport report = linker.check_providers();
  EXPECT_TRUE(report.ok());
  ASSERT_EQ(report.dependencies.size(), 2u);
  EXPECT_EQ(report.dependencies[0].provider, a);
  EXPECT_EQ(report.dependencies[0].import, "test:b/api@0.1.0");
  EXPECT_EQ(report.dependencies[0].dependency, b);
  EXPECT_EQ(report.dependencies[1].provider, b);
  EXPECT_EQ(report.dependencies[1].dependency, c);
  ASSERT_EQ(report.creation_order.size(), 3u);
  EXPECT_EQ(report.creation_order[0], c);
  EXPECT_EQ(report.creation_order[1], b);
  EXPECT_EQ(report.creation_order[2], a);
}

TEST_F(DependencyTest, ADependencyCycleIsRefusedWithItsNames) {
  auto a = node("a", {"b"});
  auto b = node("b", {"c"});
  auto c = node("c", {"a"});
  auto linked = link({a, b, c});
  ASSERT_FALSE(linked);
  EXPECT_THAT(linked.error().message(),
              HasSubstr("dependency cycle: " + a->name() + " -> " + b->name() + " -> " + c->name() +
                        " -> " + a->name()));
  EXPECT_EQ(log(), "") << "nothing is created when the link fails";
}

TEST_F(DependencyTest, AMissingDependencyIsRefusedWithThePathToIt) {
  auto a = node("a", {"b"});
  auto b = node("b", {"c"});
  auto linked = link({a, b});
  ASSERT_FALSE(linked);
  EXPECT_THAT(linked.error().message(),
              HasSubstr("nothing provides import 'test:c/api@0.1.0' of " + b->name() +
                        ", needed along: component -> 'test:a/api@0.1.0' (" + a->name() +
                        ") -> 'test:b/api@0.1.0' (" + b->name() + ") -> 'test:c/api@0.1.0'"));
  EXPECT_EQ(log(), "");
}

}  // namespace
}  // namespace berth::bundle
