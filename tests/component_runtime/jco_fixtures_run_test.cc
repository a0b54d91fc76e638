// jco's fixtures that import nothing from WASI: instantiate them (test-defined host functions
// for any other import) and check calls whose answers their WIT makes unambiguous.
#include <gtest/gtest.h>

#include "runtime_util.h"

namespace berth::component {
namespace {

using testing::read_bytes;
using testing::RuntimeTest;

const std::string kFixtures = std::string(BERTH_SOURCE_DIR) + "/../shared/corpora/jco-fixtures/";

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

}  // namespace
}  // namespace berth::component
