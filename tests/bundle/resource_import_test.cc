// Resources across providers: the holder test bundle (bundles/holder) makes, steps, passes on,
// drops and keeps counters of the types test bundle through the imports of its world, holding
// the handles berth gives it for them, and hands them to a component (guests/holder_user.wat),
// which steps them through the types bundle directly. The types bundle counts the counters
// alive in the process (`live`), so a test sees that each is destroyed exactly once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "berth/host/linker.h"
#include "bundle_test_util.h"

namespace berth::bundle {
namespace {

using berth::testing::expect_ok;
using berth::testing::read_guest;
using component::Val;
using ::testing::HasSubstr;
using namespace berth::bundle::testing;

class ResourceImportTest : public BundleDirTest {
 protected:
  void SetUp() override {
    BundleDirTest::SetUp();
    engine_ = expect_ok(engine::create_engine({}));
    fs::path holder_wit =
        fs::path(berth::testing::source_dir()) / "tests/bundle/bundles/holder/wit";
    fs::create_directories(dir_ / "holder/wit/deps/types");
    fs::copy_file(holder_wit / "holder.wit", dir_ / "holder/wit/holder.wit");
    fs::copy_file(types_wit() / "types.wit", dir_ / "holder/wit/deps/types/types.wit");
    fs::path holder =
        bundle("holder", "version = \"0.1.0\"\nlib = \"" + test_lib("holder").string() +
                             "\"\nwit = \"wit\"\nworld = \"host\"\n");
    expect_ok(add_bundles(linker_, {.bundle_dirs = {types_bundle(), holder}}));
    component_ = expect_ok(
        component::load_component(*engine_, read_guest("bundle_holder_user"), "holder_user.wasm"));
    before_ = live();
  }

  // A component instance in a store of its own: a store keeps the host functions it was given,
  // and with them the bundle instances, until it is destroyed.
  struct Instance {
    std::unique_ptr<engine::Store> store;
    std::unique_ptr<host::LinkedInstance> linked;  // destroyed first
  };
  Instance fresh() {
    Instance out{.store = expect_ok(engine_->create_store())};
    out.linked = expect_ok(linker_.instantiate(*out.store, component_));
    return out;
  }

  static Result<std::optional<Val>> run(Instance& i, std::string_view name,
                                        std::vector<Val> args = {}) {
    auto func = expect_ok(i.linked->component().find_function(name));
    return i.linked->component().call(*func, args);
  }
  static uint32_t answer(Instance& i, std::string_view name, uint32_t start) {
    auto out = expect_ok(run(i, name, {Val::u32(start)}));
    return out ? static_cast<uint32_t>(out->u) : 0;
  }
  // Counters alive in the process.
  int64_t live() {
    Instance i = fresh();
    return expect_ok(run(i, "live"))->i;
  }

  std::shared_ptr<engine::Engine> engine_;
  host::Linker linker_;
  std::shared_ptr<const component::Component> component_;
  int64_t before_ = 0;
};

TEST_F(ResourceImportTest, AResourceAnImportReturnedReachesTheGuest) {
  {
    Instance i = fresh();
    // Made at 5 by the types bundle for the holder, stepped twice by the guest.
    EXPECT_EQ(answer(i, "make-next", 5), 7u);
    EXPECT_EQ(expect_ok(run(i, "live"))->i, before_);  // the guest dropped it
  }
  EXPECT_EQ(live(), before_);
}

TEST_F(ResourceImportTest, AGuestLendsOneAndGivesOneToAnImport) {
  Instance i = fresh();
  // Lent to the holder, which steps it through its import (6), then stepped by the guest.
  EXPECT_EQ(answer(i, "lend", 5), 7u);
  // Given to the holder, which passes it on to the types bundle's finish (destroys it).
  EXPECT_EQ(answer(i, "give", 5), 5u);
  EXPECT_EQ(expect_ok(run(i, "live"))->i, before_);
}

TEST_F(ResourceImportTest, ABundleDropsOneItOwns) {
  Instance i = fresh();
  EXPECT_EQ(answer(i, "make-and-drop", 5), 6u);
  EXPECT_EQ(expect_ok(run(i, "live"))->i, before_);
}

TEST_F(ResourceImportTest, WhatABundleKeepsGoesWithItsInstance) {
  {
    Instance i = fresh();
    expect_ok(run(i, "make-and-keep", {Val::u32(1)}));  // made by its import
    expect_ok(run(i, "give-to-keep", {Val::u32(1)}));   // given by the guest
    EXPECT_EQ(expect_ok(run(i, "live"))->i, before_ + 2);
  }
  EXPECT_EQ(live(), before_);
}

TEST_F(ResourceImportTest, DroppingAHandleTwiceTrapsAndDestroysItOnce) {
  {
    Instance i = fresh();
    auto result = run(i, "drop-twice", {Val::u32(1)});
    ASSERT_FALSE(result);
    EXPECT_THAT(result.error().describe(),
                HasSubstr("test:holder/api@0.1.0#drop-twice trapped: drop_resource: handle 1 is "
                          "not a live resource of another provider"));
  }
  EXPECT_EQ(live(), before_);
}

// The handle rules of docs/abi.md: a handle the bundle was never given, and a borrowed one
// passed on as own, trap the call with what is wrong; nothing leaks.
TEST_F(ResourceImportTest, MisusedHandlesTrapTheCall) {
  {
    Instance i = fresh();
    auto dead = run(i, "next-of-dead");
    ASSERT_FALSE(dead);
    EXPECT_THAT(dead.error().describe(),
                HasSubstr("test:holder/api@0.1.0#next-of-dead trapped: bundle 'holder' ("));
    EXPECT_THAT(dead.error().describe(),
                HasSubstr("calling test:types/counters@0.1.0#[method]counter.next: handle 99 is "
                          "not a live resource of another provider"));
  }
  {
    Instance i = fresh();
    auto lent = run(i, "finish-lent", {Val::u32(4)});
    ASSERT_FALSE(lent);
    EXPECT_THAT(lent.error().describe(),
                HasSubstr("is borrowed for this call; it cannot be passed on as own"));
  }
  EXPECT_EQ(live(), before_);
}

TEST_F(ResourceImportTest, AGuestTrappingWhileHoldingThemDestroysEachOnce) {
  for (int round = 0; round < 5; ++round) {
    Instance i = fresh();
    auto result = run(i, "trap-holding", {Val::u32(3)});
    ASSERT_FALSE(result);
    EXPECT_THAT(result.error().describe(), HasSubstr("unreachable"));
  }
  EXPECT_EQ(live(), before_);
}

}  // namespace
}  // namespace berth::bundle
