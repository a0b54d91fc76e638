// A bundle calling the functions of the providers its world imports (bundle ABI 1.2,
// host->call_import). The caller is test:a's node built with NODE_CALLS (bundles/node/node.c):
// its ping asks test:b's ping and answers 100 + that; test:b is another bundle, or functions
// an embedder defines. A component (guests/node_user.wat) calls test:a's ping.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "berth/host/defined_provider.h"
#include "berth/host/linker.h"
#include "bundle_test_util.h"

namespace berth::bundle {
namespace {

using berth::testing::expect_ok;
using berth::testing::read_guest;
using ::testing::HasSubstr;
using namespace berth::bundle::testing;

class ImportCallTest : public BundleDirTest {
 protected:
  void SetUp() override {
    BundleDirTest::SetUp();
    engine_ = expect_ok(engine::create_engine({}));
  }

  // test:a's node calling test:b/api, in `mode` (see node.c).
  std::shared_ptr<BundleProvider> caller(const std::string& mode = "") {
    return expect_ok(
        load_bundle_dir(write_node_bundle(dir_, "a", {"b"}, dir_ / "log", "node_a_calls_b",
                                          mode.empty() ? "" : "mode = \"" + mode + "\"\n")));
  }
  std::shared_ptr<BundleProvider> callee(const std::string& mode = "") {
    return expect_ok(load_bundle_dir(write_node_bundle(
        dir_, "b", {}, dir_ / "log", "", mode.empty() ? "" : "mode = \"" + mode + "\"\n")));
  }

  // Links the component with `providers` and calls its ping.
  Result<uint32_t> ping(const std::vector<std::shared_ptr<host::Provider>>& providers) {
    host::Linker linker;
    for (const auto& provider : providers) linker.add(provider);
    store_ = expect_ok(engine_->create_store());
    auto component = expect_ok(
        component::load_component(*engine_, read_guest("bundle_node_user"), "node_user.wasm"));
    BERTH_TRY_ASSIGN(std::unique_ptr<host::LinkedInstance> linked,
                     linker.instantiate(*store_, component));
    auto ping = expect_ok(linked->component().find_function("ping"));
    BERTH_TRY_ASSIGN(std::optional<component::Val> answer, linked->component().call(*ping, {}));
    if (!answer) return Error(ErrorCode::kInternal, "ping returned nothing");
    return answer->u;
  }

  std::string read_log() const {
    std::ifstream in(dir_ / "log");
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  std::string error_of(Result<uint32_t> result) {
    EXPECT_FALSE(result) << "answered " << (result ? *result : 0);
    return result ? "" : result.error().message();
  }

  std::shared_ptr<engine::Engine> engine_;
  std::unique_ptr<engine::Store> store_;
};

TEST_F(ImportCallTest, ABundleCallsAFunctionOfAnotherBundle) {
  EXPECT_EQ(expect_ok(ping({caller(), callee()})), 102u);
}

TEST_F(ImportCallTest, ABundleCallsAFunctionAnEmbedderDefines) {
  // No native form on this side: berth turns the native parameters into values and back.
  auto defined = expect_ok(host::DefinedProvider::create(
      "embedder",
      "package test:b@0.1.0;\ninterface api { ping: func() -> u32; }\n"
      "world host { export api; }\n"));
  expect_ok(defined->define("test:b/api", "ping",
                            [](const component::FuncType&, std::span<const component::Val>)
                                -> Result<std::optional<component::Val>> {
                              return std::optional<component::Val>(component::Val::u32(7));
                            }));
  EXPECT_EQ(expect_ok(ping({caller(), defined})), 107u);
}

TEST_F(ImportCallTest, ATrapInTheCalleeTrapsTheCallerWithBothNames) {
  auto a = caller();
  auto b = callee("trap");
  EXPECT_THAT(error_of(ping({a, b})),
              HasSubstr(a->name() + ": test:a/api@0.1.0#ping trapped: " + b->name() +
                        ": test:b/api@0.1.0#ping trapped: ping refused"));
}

TEST_F(ImportCallTest, AnImportOutsideTheTableTraps) {
  auto a = caller("bad-index");
  EXPECT_THAT(error_of(ping({a, callee()})),
              HasSubstr(a->name() + ": test:a/api@0.1.0#ping trapped: " + a->name() +
                        " called import #7; its descriptor lists 1 imported functions"));
}

TEST_F(ImportCallTest, AFailedImportCallTrapsEvenWhenTheBundleReturnsOk) {
  auto a = caller("ignore-trap");
  EXPECT_THAT(error_of(ping({a, callee()})), HasSubstr("called import #7"));
}

// A bundle is created once its dependencies are linked, so its create may call them; a trap
// there fails the link with the callee's message.
TEST_F(ImportCallTest, CreateCallsImports) {
  EXPECT_EQ(expect_ok(ping({caller("call-in-create"), callee()})), 1002u);
  EXPECT_EQ(read_log(), "create b\ncreate a\n");
  EXPECT_THAT(error_of(ping({caller("call-in-create"), callee("trap")})),
              HasSubstr("cannot create an instance of the bundle: bundle 'b' ("));
  EXPECT_THAT(error_of(ping({caller("call-in-create"), callee("trap")})),
              HasSubstr("test:b/api@0.1.0#ping trapped: ping refused"));
}

TEST_F(ImportCallTest, TheImportTableIsCheckedAgainstTheWit) {
  // A world that does not import what the library calls.
  fs::path a = write_node_bundle(dir_, "a", {}, dir_ / "log", "node_a_calls_b");
  auto loaded = load_bundle_dir(a);
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message(),
              HasSubstr("the library calls functions of interface test:b/api@0.1.0, which the "
                        "WIT world does not import"));
  // One whose import has another signature.
  a = write_node_bundle(dir_, "a", {"b"}, dir_ / "log", "node_a_calls_b");
  std::ofstream(a / "wit" / "deps" / "b" / "b.wit")
      << "package test:b@0.1.0;\ninterface api {\n  ping: func() -> u64;\n}\n";
  loaded = load_bundle_dir(a);
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message(),
              HasSubstr("test:b/api@0.1.0: function 'ping' has another signature in the library\n"
                        "      WIT:     func() -> u64\n      library: func() -> u32"));
}

}  // namespace
}  // namespace berth::bundle
