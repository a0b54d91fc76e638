// Signed LEB128 (core module constants) and absolute offsets of split readers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "support/byte_reader.h"

namespace berth {
namespace {

using ::testing::HasSubstr;

Result<int32_t> s32_of(const std::vector<uint8_t>& bytes) {
  return ByteReader(bytes).read_s32();
}
Result<int64_t> s64_of(const std::vector<uint8_t>& bytes) {
  return ByteReader(bytes).read_s64();
}

TEST(SignedLeb, S32) {
  EXPECT_EQ(*s32_of({0x7f}), -1);
  EXPECT_EQ(*s32_of({0x80, 0x80, 0x80, 0x80, 0x78}), INT32_MIN);
  EXPECT_EQ(*s32_of({0xff, 0xff, 0xff, 0xff, 0x07}), INT32_MAX);
  EXPECT_EQ(*s32_of({0xff, 0xff, 0xff, 0xff, 0x7f}), -1);  // padded
  // The unused bits of the last byte must repeat the sign bit.
  auto bad_sign = s32_of({0xff, 0xff, 0xff, 0xff, 0x4f});
  ASSERT_FALSE(bad_sign);
  EXPECT_THAT(bad_sign.error().message(), HasSubstr("too large"));
  auto too_long = s32_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  ASSERT_FALSE(too_long);
  EXPECT_THAT(too_long.error().message(), HasSubstr("too long"));
}

TEST(SignedLeb, S64) {
  EXPECT_EQ(*s64_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}), INT64_MIN);
  EXPECT_EQ(*s64_of({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}), INT64_MAX);
  EXPECT_FALSE(s64_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}));
  EXPECT_FALSE(s64_of({0x80, 0x80}));
}

TEST(ByteReaderOffsets, SplitReadersReportAbsoluteOffsets) {
  std::vector<uint8_t> bytes(0x102, 0);
  ByteReader whole(bytes);
  ASSERT_TRUE(whole.read_range(0x100, "prefix"));
  auto tail = whole.split(2, "tail");
  ASSERT_TRUE(tail);
  ASSERT_TRUE(tail->read_u8());
  ASSERT_TRUE(tail->read_u8());
  auto end = tail->read_u8();
  ASSERT_FALSE(end);
  EXPECT_THAT(end.error().message(), HasSubstr("offset 0x102"));
}

TEST(ByteReaderOffsets, FixedWidth) {
  std::vector<uint8_t> bytes = {0x0d, 0x00, 0x01, 0x00};
  EXPECT_EQ(*ByteReader(bytes).read_fixed_u32(), 0x0001000du);
  std::vector<uint8_t> short_input = {0x01, 0x02};
  EXPECT_FALSE(ByteReader(short_input).read_fixed_u32());
}

}  // namespace
}  // namespace berth
