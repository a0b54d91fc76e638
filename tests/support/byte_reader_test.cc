// LEB128, name and bounds handling of the shared byte reader.
#include "support/byte_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace berth {
namespace {

using ::testing::HasSubstr;

Result<uint32_t> u32_of(const std::vector<uint8_t>& bytes, size_t* consumed = nullptr) {
  ByteReader reader(bytes);
  Result<uint32_t> value = reader.read_u32();
  if (consumed) *consumed = reader.offset();
  return value;
}

TEST(ByteReader, U32Values) {
  size_t consumed = 0;
  EXPECT_EQ(*u32_of({0x00}), 0u);
  EXPECT_EQ(*u32_of({0x7f}), 127u);
  EXPECT_EQ(*u32_of({0x80, 0x01}), 128u);
  EXPECT_EQ(*u32_of({0xe5, 0x8e, 0x26}), 624485u);
  EXPECT_EQ(*u32_of({0xff, 0xff, 0xff, 0xff, 0x0f}, &consumed), 0xffffffffu);
  EXPECT_EQ(consumed, 5u);
}

TEST(ByteReader, U32OverlongButZeroPaddedIsAccepted) {
  size_t consumed = 0;
  EXPECT_EQ(*u32_of({0x81, 0x80, 0x80, 0x80, 0x00}, &consumed), 1u);
  EXPECT_EQ(consumed, 5u);
  EXPECT_EQ(*u32_of({0x80, 0x00}), 0u);
}

TEST(ByteReader, U32TooLarge) {
  Result<uint32_t> r = u32_of({0xff, 0xff, 0xff, 0xff, 0x1f});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::kMalformed);
  EXPECT_EQ(r.error().message(), "offset 0x0: integer too large for a LEB128 u32");
  EXPECT_FALSE(u32_of({0x81, 0x80, 0x80, 0x80, 0x70}).ok());
}

TEST(ByteReader, U32LongerThanFiveBytes) {
  Result<uint32_t> r = u32_of({0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message(), HasSubstr("longer than 5 bytes"));
}

TEST(ByteReader, U32Truncated) {
  Result<uint32_t> r = u32_of({0x80, 0x80});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "offset 0x2: unexpected end of input while reading a LEB128 u32");
  EXPECT_FALSE(u32_of({}).ok());
}

TEST(ByteReader, U64) {
  std::vector<uint8_t> max = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  ByteReader reader(max);
  EXPECT_EQ(*reader.read_u64(), ~uint64_t{0});

  std::vector<uint8_t> too_large = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  ByteReader bad(too_large);
  EXPECT_FALSE(bad.read_u64().ok());

  std::vector<uint8_t> truncated = {0xff, 0xff};
  ByteReader short_reader(truncated);
  EXPECT_FALSE(short_reader.read_u64().ok());
}

TEST(ByteReader, S33) {
  auto s33 = [](std::vector<uint8_t> bytes) {
    ByteReader reader(bytes);
    return reader.read_s33();
  };
  EXPECT_EQ(*s33({0x00}), 0);
  EXPECT_EQ(*s33({0x3f}), 63);
  EXPECT_EQ(*s33({0x40}), -64);
  EXPECT_EQ(*s33({0x7f}), -1);
  EXPECT_EQ(*s33({0x70}), -16);
  EXPECT_EQ(*s33({0xc0, 0x00}), 64);
  EXPECT_EQ(*s33({0xff, 0xff, 0xff, 0xff, 0x0f}), 0xffffffffLL);
  EXPECT_EQ(*s33({0x80, 0x80, 0x80, 0x80, 0x70}), -(int64_t{1} << 32));
  // Bits 33 and 34 must repeat the sign bit.
  EXPECT_FALSE(s33({0x80, 0x80, 0x80, 0x80, 0x20}).ok());
  EXPECT_FALSE(s33({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}).ok());
  EXPECT_FALSE(s33({0x80}).ok());
}

TEST(ByteReader, Names) {
  std::vector<uint8_t> bytes = {0x03, 'a', 'b', 'c', 0x00, 0x02, 0xc3, 0xa9};
  ByteReader reader(bytes);
  EXPECT_EQ(*reader.read_name("name"), "abc");
  EXPECT_EQ(*reader.read_name("name"), "");
  EXPECT_EQ(*reader.read_name("name"), "\xc3\xa9");
  EXPECT_TRUE(reader.at_end());
}

TEST(ByteReader, NameRunningPastTheEnd) {
  std::vector<uint8_t> bytes = {0x05, 'a', 'b'};
  ByteReader reader(bytes);
  Result<std::string> name = reader.read_name("export name");
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().message(),
            "offset 0x0: export name of 5 bytes runs past the end (2 bytes left)");
}

TEST(ByteReader, NameWithBadUtf8) {
  std::vector<uint8_t> bytes = {0x02, 0xff, 0xfe};
  ByteReader reader(bytes);
  Result<std::string> name = reader.read_name("import name");
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().message(), "offset 0x1: import name is not valid UTF-8");
}

TEST(ByteReader, CountIsCappedByTheBytesLeft) {
  std::vector<uint8_t> bytes = {0xbf, 0x84, 0x3d, 0x73};  // 999999, then one byte
  ByteReader reader(bytes);
  Result<uint32_t> count = reader.read_count("type");
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().message(),
            "offset 0x0: type count 999999 is larger than the 1 bytes left");

  std::vector<uint8_t> ok = {0x02, 0x73, 0x73};
  ByteReader fine(ok);
  EXPECT_EQ(*fine.read_count("type"), 2u);
}

TEST(ByteReader, SplitKeepsAbsoluteOffsets) {
  std::vector<uint8_t> bytes = {0x00, 0x00, 0x00, 0x80};
  ByteReader reader(bytes);
  ASSERT_TRUE(reader.read_u8().ok());
  Result<ByteReader> sub = reader.split(3, "section");
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(reader.offset(), 4u);
  EXPECT_EQ(sub->offset(), 1u);
  EXPECT_EQ(sub->remaining(), 3u);
  ASSERT_TRUE(sub->read_u8().ok());
  ASSERT_TRUE(sub->read_u8().ok());
  Result<uint32_t> leb = sub->read_u32();  // 0x80 continues past the split
  ASSERT_FALSE(leb.ok());
  EXPECT_EQ(leb.error().message(),
            "offset 0x4: unexpected end of input while reading a LEB128 u32");

  ByteReader again(bytes);
  EXPECT_FALSE(again.split(5, "section").ok());
}

TEST(ByteReader, Flags) {
  std::vector<uint8_t> bytes = {0x00, 0x01, 0x02};
  ByteReader reader(bytes);
  EXPECT_FALSE(*reader.read_flag("flag"));
  EXPECT_TRUE(*reader.read_flag("flag"));
  Result<bool> bad = reader.read_flag("the async flag");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(),
            "offset 0x2: expected the async flag (0x00 or 0x01), found 0x02");
}

}  // namespace
}  // namespace berth
