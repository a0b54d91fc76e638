#include "berth/engine/module_info.h"

#include <gtest/gtest.h>

#include "engine_test_util.h"

namespace berth::engine {
namespace {

using testing::read_guest;

TEST(ModuleInfo, DescribesImportsAndExportsWithTypes) {
  auto info = read_module_info(read_guest("host_calls"));
  ASSERT_TRUE(info) << info.error().message();
  ASSERT_EQ(info->imports.size(), 4u);
  EXPECT_EQ(info->imports[0].module, "host");
  EXPECT_EQ(info->imports[0].name, "mix");
  EXPECT_EQ(info->imports[0].type.to_string(), "func (i32, i64, f32, f64) -> (f64)");
  EXPECT_EQ(info->imports[2].type.to_string(), "func (i32) -> (i32, i64)");
  const ExportType* swap = info->find_export("swap");
  ASSERT_NE(swap, nullptr);
  EXPECT_EQ(swap->type.to_string(), "func (i32, f64) -> (f64, i32)");
  EXPECT_EQ(info->find_export("missing"), nullptr);
}

TEST(ModuleInfo, DescribesMemoriesTablesAndGlobals) {
  auto info = read_module_info(read_guest("imports_all"));
  ASSERT_TRUE(info) << info.error().message();
  ASSERT_EQ(info->imports.size(), 4u);
  EXPECT_EQ(info->imports[0].type.to_string(), "memory 1.. pages");
  EXPECT_EQ(info->imports[1].type.to_string(), "table 2.. funcref");
  EXPECT_EQ(info->imports[2].type.to_string(), "global i32");
  EXPECT_EQ(info->imports[3].type.to_string(), "global mut i64");

  auto exports = read_module_info(read_guest("globals_tables"));
  ASSERT_TRUE(exports);
  EXPECT_EQ(exports->find_export("counter")->type.to_string(), "global mut i32");
  EXPECT_EQ(exports->find_export("table")->type.to_string(), "table 3.. funcref");
  auto memory = read_module_info(read_guest("memory"));
  ASSERT_TRUE(memory);
  EXPECT_EQ(memory->find_export("memory")->type.to_string(), "memory 1..8 pages");
}

TEST(ModuleInfo, RejectsWhatIsNotACoreModule) {
  std::vector<uint8_t> text = {'h', 'e', 'l', 'l', 'o', '!', '!', '!'};
  auto not_wasm = read_module_info(text);
  ASSERT_FALSE(not_wasm);
  EXPECT_NE(not_wasm.error().message().find("not a WebAssembly binary"), std::string::npos);

  std::vector<uint8_t> component = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  auto comp = read_module_info(component);
  ASSERT_FALSE(comp);
  EXPECT_NE(comp.error().message().find("component"), std::string::npos);
}

TEST(ModuleInfo, ReportsTruncationWithOffset) {
  auto wasm = read_guest("host_calls");
  wasm.resize(20);
  auto info = read_module_info(wasm);
  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code(), ErrorCode::kMalformed);
  EXPECT_NE(info.error().message().find("offset 0x"), std::string::npos) << info.error().message();
}

TEST(ModuleInfo, CapsDefinedMemories) {
  auto capped = cap_defined_memories(read_guest("unbounded_memory"), 3);
  ASSERT_TRUE(capped) << capped.error().message();
  auto info = read_module_info(*capped);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->memories.at(0).limits.max, 3u);

  auto too_big = cap_defined_memories(read_guest("big_memory"), 16);
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().code(), ErrorCode::kLimit);
  EXPECT_NE(too_big.error().message().find("2097152 bytes initially"), std::string::npos)
      << too_big.error().message();
}

}  // namespace
}  // namespace berth::engine
