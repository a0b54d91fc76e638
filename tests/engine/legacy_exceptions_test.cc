// try_table lowered to the legacy exception instructions V8 10.2 runs: the exact bytes, and
// the behaviour of the lowered code.
#include "engine/legacy_exceptions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/bytes.h"
#include "engine/instruction_reader.h"
#include "engine_test_util.h"

namespace berth::engine {
namespace {

using berth::testing::Bytes;
using testing::EngineTest;
using ::testing::HasSubstr;

constexpr uint8_t kI32 = 0x7f, kEmpty = 0x40;

// A module with tag 0 carrying an i32 and one exported function "f" of type [] -> [i32].
Bytes module_with_body(const Bytes& body) {
  Bytes m{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  m.section(1, Bytes().u32(2).raw({0x60, 0x00, 0x01, kI32}).raw({0x60, 0x01, kI32, 0x00}));
  m.section(3, Bytes().u32(1).u32(0));
  m.section(13, Bytes().u32(1).u8(0x00).u32(1));
  m.section(7, Bytes().u32(1).name("f").u8(0x00).u32(0));
  Bytes code = Bytes().u32(0).raw(body);  // no locals
  m.section(10, Bytes().u32(1).u32(static_cast<uint32_t>(code.size())).raw(code));
  return m;
}

// block (result i32) (try_table (catch 0 0) (throw 0 (i32.const 42))) (i32.const 7) end
const Bytes kCatchTag = Bytes()
                            .raw({0x02, kI32})
                            .raw({0x1f, kEmpty, 0x01, 0x00, 0x00, 0x00})
                            .raw({0x41, 42, 0x08, 0x00})
                            .raw({0x0b})
                            .raw({0x41, 7, 0x0b})
                            .raw({0x0b});

TEST(LowerTryTable, ModuleWithoutTryTableIsLeftAlone) {
  Bytes body = Bytes().raw({0x41, 5, 0x0b});
  auto lowered = lower_try_table(module_with_body(body));
  ASSERT_TRUE(lowered) << lowered.error().message();
  EXPECT_FALSE(lowered->has_value());
}

TEST(LowerTryTable, CatchBecomesLegacyHandlerBranchingOneLabelFurther) {
  auto lowered = lower_try_table(module_with_body(kCatchTag));
  ASSERT_TRUE(lowered) << lowered.error().message();
  ASSERT_TRUE(lowered->has_value());
  Bytes expected = Bytes()
                       .raw({0x02, kI32})
                       .raw({0x06, kEmpty})
                       .raw({0x41, 42, 0x08, 0x00})
                       .raw({0x07, 0x00, 0x0c, 0x01})  // catch 0, br 1
                       .raw({0x0b})
                       .raw({0x41, 7, 0x0b})
                       .raw({0x0b});
  EXPECT_EQ(**lowered, module_with_body(expected).data());
}

TEST(LowerTryTable, ClausesAfterCatchAllAreDropped) {
  Bytes body = Bytes()
                   .raw({0x02, kEmpty})
                   .raw({0x1f, kEmpty, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00})
                   .raw({0x0b, 0x0b, 0x41, 1, 0x0b});
  auto lowered = lower_try_table(module_with_body(body));
  ASSERT_TRUE(lowered && lowered->has_value());
  Bytes expected = Bytes()
                       .raw({0x02, kEmpty})
                       .raw({0x06, kEmpty})
                       .raw({0x19, 0x0c, 0x01})  // catch_all, br 1
                       .raw({0x0b, 0x0b, 0x41, 1, 0x0b});
  EXPECT_EQ(**lowered, module_with_body(expected).data());
}

TEST(LowerTryTable, ClausesThatNeedExnrefAreNotLowered) {
  Bytes body = Bytes()
                   .raw({0x02, kEmpty})
                   .raw({0x1f, kEmpty, 0x01, 0x03, 0x00})  // catch_all_ref 0
                   .raw({0x0b, 0x0b, 0x41, 1, 0x0b});
  auto lowered = lower_try_table(module_with_body(body));
  ASSERT_TRUE(lowered) << lowered.error().message();
  EXPECT_FALSE(lowered->has_value());
}

TEST(LowerTryTable, MalformedBodyIsAnError) {
  Bytes body = Bytes().raw({0x1f, kEmpty, 0x01, 0x07});  // no such clause kind
  auto lowered = lower_try_table(module_with_body(body));
  ASSERT_FALSE(lowered);
  EXPECT_THAT(lowered.error().message(), HasSubstr("catch clause kind"));
}

TEST(ReadInstruction, ReadsImmediatesOfEveryShape) {
  struct Case {
    Bytes bytes;
    uint8_t opcode;
  };
  const Case cases[] = {
      {Bytes().raw({0x0e, 0x02, 0x00, 0x01, 0x02}), 0x0e},  // br_table
      {Bytes().raw({0x28, 0x02, 0x80, 0x01}), 0x28},        // i32.load align offset
      {Bytes().raw({0x28, 0x42, 0x01, 0x00}), 0x28},        // memarg with memory
      {Bytes().raw({0x1c, 0x01, 0x64, 0x70}), 0x1c},        // select (ref func)
      {Bytes().raw({0xfd, 0x0c, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}),
       0xfd},                                               // v128.const
      {Bytes().raw({0xfc, 0x0a, 0x00, 0x00}), 0xfc},        // memory.copy
      {Bytes().raw({0xfe, 0x03, 0x00}), 0xfe},              // atomic.fence
      {Bytes().raw({0x44, 0, 0, 0, 0, 0, 0, 0, 0}), 0x44},  // f64.const
  };
  for (const Case& c : cases) {
    std::span<const uint8_t> input = c.bytes;
    ByteReader r(input);
    auto in = read_instruction(r);
    ASSERT_TRUE(in) << in.error().message();
    EXPECT_EQ(in->opcode, c.opcode);
    EXPECT_EQ(in->bytes.size, c.bytes.size()) << "opcode " << int(c.opcode);
    EXPECT_TRUE(r.at_end());
  }
}

TEST(ReadInstruction, UnknownOpcodeNamesItself) {
  Bytes bytes{0xfb, 0x00};
  std::span<const uint8_t> input = bytes;
  ByteReader r(input);
  auto in = read_instruction(r);
  ASSERT_FALSE(in);
  EXPECT_THAT(in.error().message(), HasSubstr("unknown instruction 0xfb"));
}

class LoweredTryTableTest : public EngineTest {
 protected:
  Result<Value> run(const Bytes& body) {
    BERTH_TRY_ASSIGN(auto module, engine_->compile(module_with_body(body), {}));
    BERTH_TRY_ASSIGN(Instance instance, store_->instantiate(*module, {}));
    return call1(instance, "f");
  }
};

TEST_F(LoweredTryTableTest, CatchDeliversTheTagPayloadToItsLabel) {
  auto result = run(kCatchTag);
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->i32, 42);
}

TEST_F(LoweredTryTableTest, CatchAllBranchesOutward) {
  // block (try_table (catch_all 0) (throw 0 (i32.const 1))) (return (i32.const 7)) end 9
  Bytes body = Bytes()
                   .raw({0x02, kEmpty})
                   .raw({0x1f, kEmpty, 0x01, 0x02, 0x00})
                   .raw({0x41, 1, 0x08, 0x00, 0x0b})
                   .raw({0x41, 7, 0x0f, 0x0b})
                   .raw({0x41, 9, 0x0b});
  auto result = run(body);
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->i32, 9);
}

TEST_F(LoweredTryTableTest, BodyThatDoesNotThrowFallsThrough) {
  // block (try_table (result i32) (catch_all 0) (i32.const 5)) return end (i32.const 9)
  Bytes body = Bytes()
                   .raw({0x02, kEmpty})
                   .raw({0x1f, kI32, 0x01, 0x02, 0x00})
                   .raw({0x41, 5, 0x0b, 0x0f, 0x0b})
                   .raw({0x41, 9, 0x0b});
  auto result = run(body);
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->i32, 5);
}

TEST_F(LoweredTryTableTest, ModuleThatCannotBeLoweredKeepsTheEnginesError) {
  Bytes body = Bytes()
                   .raw({0x02, kEmpty})
                   .raw({0x1f, kEmpty, 0x01, 0x03, 0x00})
                   .raw({0x0b, 0x0b, 0x41, 1, 0x0b});
  auto module = engine_->compile(module_with_body(body), {});
  ASSERT_FALSE(module);
  EXPECT_EQ(module.error().code(), ErrorCode::kInvalid);
  EXPECT_THAT(module.error().message(), HasSubstr("0x1f"));
}

}  // namespace
}  // namespace berth::engine
