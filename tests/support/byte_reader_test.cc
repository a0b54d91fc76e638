#include "support/byte_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace berth {
namespace {

using ::testing::HasSubstr;

ByteReader reader(const std::vector<uint8_t>& bytes) {
  return ByteReader(bytes);
}

TEST(ByteReader, UnsignedLeb) {
  std::vector<uint8_t> one = {0x01};
  EXPECT_EQ(*reader(one).u32(), 1u);
  std::vector<uint8_t> max32 = {0xff, 0xff, 0xff, 0xff, 0x0f};
  EXPECT_EQ(*reader(max32).u32(), 0xffffffffu);
  std::vector<uint8_t> padded = {0x80, 0x80, 0x80, 0x80, 0x00};  // zero, in five bytes
  EXPECT_EQ(*reader(padded).u32(), 0u);
}

TEST(ByteReader, UnsignedLebTooLargeOrTooLong) {
  std::vector<uint8_t> too_large = {0xff, 0xff, 0xff, 0xff, 0x1f};
  auto a = reader(too_large).u32();
  ASSERT_FALSE(a);
  EXPECT_THAT(a.error().message(), HasSubstr("integer too large"));
  std::vector<uint8_t> too_long = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  auto b = reader(too_long).u32();
  ASSERT_FALSE(b);
  EXPECT_THAT(b.error().message(), HasSubstr("too long"));
  std::vector<uint8_t> truncated = {0x80, 0x80};
  auto c = reader(truncated).u32();
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message(), HasSubstr("unexpected end"));
  std::vector<uint8_t> max64 = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  EXPECT_EQ(*reader(max64).u64(), UINT64_MAX);
  std::vector<uint8_t> over64 = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x03};
  EXPECT_FALSE(reader(over64).u64());
}

TEST(ByteReader, SignedLeb) {
  std::vector<uint8_t> minus_one = {0x7f};
  EXPECT_EQ(*reader(minus_one).s32(), -1);
  std::vector<uint8_t> min32 = {0x80, 0x80, 0x80, 0x80, 0x78};
  EXPECT_EQ(*reader(min32).s32(), INT32_MIN);
  std::vector<uint8_t> max32 = {0xff, 0xff, 0xff, 0xff, 0x07};
  EXPECT_EQ(*reader(max32).s32(), INT32_MAX);
  std::vector<uint8_t> padded_minus_one = {0xff, 0xff, 0xff, 0xff, 0x7f};
  EXPECT_EQ(*reader(padded_minus_one).s32(), -1);
  // The unused bits of the last byte must repeat the sign bit.
  std::vector<uint8_t> bad_sign = {0xff, 0xff, 0xff, 0xff, 0x4f};
  EXPECT_FALSE(reader(bad_sign).s32());
  std::vector<uint8_t> min64 = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f};
  EXPECT_EQ(*reader(min64).s64(), INT64_MIN);
  std::vector<uint8_t> too_long64 = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                     0x80, 0x80, 0x80, 0x80, 0x00};
  EXPECT_FALSE(reader(too_long64).s64());
}

TEST(ByteReader, ErrorsCarryAbsoluteOffsets) {
  std::vector<uint8_t> bytes = {0x01, 0x02};
  ByteReader r(bytes, 0x100);
  ASSERT_TRUE(r.u8());
  ASSERT_TRUE(r.u8());
  auto end = r.u8();
  ASSERT_FALSE(end);
  EXPECT_THAT(end.error().message(), HasSubstr("offset 0x102"));
}

TEST(ByteReader, NamesAndCounts) {
  std::vector<uint8_t> name = {0x03, 'a', 'b', 'c'};
  EXPECT_EQ(*reader(name).name(), "abc");
  std::vector<uint8_t> bad_utf8 = {0x02, 0xc3, 0x28};
  auto bad = reader(bad_utf8).name();
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message(), HasSubstr("UTF-8"));
  std::vector<uint8_t> overlong_name = {0x10, 'a'};
  EXPECT_FALSE(reader(overlong_name).name());
  std::vector<uint8_t> huge_count = {0xff, 0xff, 0xff, 0xff, 0x0f};
  auto count = reader(huge_count).count("export");
  ASSERT_FALSE(count);
  EXPECT_THAT(count.error().message(), HasSubstr("export count"));
}

}  // namespace
}  // namespace berth
