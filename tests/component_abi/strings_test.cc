// Strings in the three encodings: round trips, the exact bytes and tagged lengths in memory, the
// realloc sequences of store_string, transcoding between encodings, and the traps.
#include "abi_test_util.h"

namespace berth::component::abi::testing {
namespace {

using engine::Value;
using ::testing::ElementsAre;

constexpr StringEncoding kAllEncodings[] = {StringEncoding::kUtf8, StringEncoding::kUtf16,
                                            StringEncoding::kLatin1Utf16};

// The guest's bump allocator hands out this address first after reset_guest(); growing
// reallocations move the block, shrinking ones keep it.
constexpr uint32_t kFirst = 4096;

const char* const kSamples[] = {
    "",
    "hello",
    "h\u00e9llo w\u00f6rld \u00ff",                      // Latin-1 only
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",  // BMP, outside Latin-1
    "astral \U0001F600\U0001F680 and \U0010FFFF",
    "mixed \u00e9 \u4e2d \U0001F600 end",
    "a long ASCII string that exercises the eight-byte fast paths of every encoder ok",
};

class StringsTest : public AbiTest {
 protected:
  // Lowers `text` flat and returns (ptr, tagged code units).
  std::pair<uint32_t, uint32_t> lower_string(const std::string& text, StringEncoding encoding) {
    LiftLowerContext c = cx(encoding);
    std::vector<Value> flat;
    expect_ok(lower_flat(c, prim(ValKind::kString), Val::string(text), flat));
    return {static_cast<uint32_t>(flat[0].i32), static_cast<uint32_t>(flat[1].i32)};
  }
  Result<Val> lift_string(uint32_t ptr, uint32_t units, StringEncoding encoding) {
    LiftLowerContext c = cx(encoding);
    std::vector<Value> flat = {Value::from_i32(static_cast<int32_t>(ptr)),
                               Value::from_i32(static_cast<int32_t>(units))};
    FlatReader reader(flat);
    return lift_flat(c, prim(ValKind::kString), reader);
  }
  // Places raw bytes at a fixed, 2-aligned address.
  uint32_t place(const std::vector<uint8_t>& bytes) {
    poke(2048, bytes.data(), bytes.size());
    return 2048;
  }
  std::pair<uint32_t, uint32_t> copy(StringEncoding from, uint32_t ptr, uint32_t units,
                                     StringEncoding to) {
    LiftLowerContext source = cx(from);
    LiftLowerContext destination = cx(to);
    return expect_ok(copy_string(source, ptr, units, destination));
  }
};

TEST_F(StringsTest, RoundTripsInEveryEncoding) {
  for (StringEncoding encoding : kAllEncodings) {
    for (const char* sample : kSamples) {
      expect_round_trips(prim(ValKind::kString), Val::string(sample), encoding);
    }
    expect_round_trips(
        Type::list(prim(ValKind::kString)),
        Val::list({Val::string(kSamples[3]), Val::string(""), Val::string(kSamples[4])}), encoding);
  }
}

TEST_F(StringsTest, Utf8IsCopiedAsIs) {
  reset_guest();
  std::string text = "h\u00e9\U0001F600";
  auto [ptr, units] = lower_string(text, StringEncoding::kUtf8);
  EXPECT_EQ(units, text.size());
  EXPECT_EQ(peek(ptr, units), std::vector<uint8_t>(text.begin(), text.end()));
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 1, 7}));
}

TEST_F(StringsTest, Utf16AllocatesTheWorstCaseAndShrinks) {
  reset_guest();
  // 6 UTF-8 bytes, 3 UTF-16 code units (the emoji is a surrogate pair).
  auto [ptr, units] = lower_string("a\U0001F600x", StringEncoding::kUtf16);
  EXPECT_EQ(units, 4u);
  EXPECT_EQ(peek(ptr, 8), (std::vector<uint8_t>{'a', 0, 0x3d, 0xd8, 0x00, 0xde, 'x', 0}));
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 2, 12}, ReallocCall{ptr, 12, 2, 8}));

  reset_guest();
  auto [ascii_ptr, ascii_units] = lower_string("abc", StringEncoding::kUtf16);
  EXPECT_EQ(ascii_units, 3u);
  // Already the exact size: no shrinking call.
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 2, 6}));
  (void)ascii_ptr;
}

TEST_F(StringsTest, Latin1Utf16PicksLatin1WhenEveryCodePointFits) {
  reset_guest();
  auto [ptr, tagged] = lower_string("h\u00e9llo", StringEncoding::kLatin1Utf16);
  EXPECT_EQ(tagged, 5u);  // no UTF-16 tag
  EXPECT_EQ(peek(ptr, 5), (std::vector<uint8_t>{'h', 0xe9, 'l', 'l', 'o'}));
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 2, 6}, ReallocCall{ptr, 6, 2, 5}));

  reset_guest();
  lower_string("abc", StringEncoding::kLatin1Utf16);
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 2, 3}));
}

TEST_F(StringsTest, Latin1Utf16InflatesToUtf16OnTheFirstWideCodePoint) {
  reset_guest();
  // "hé日": 6 UTF-8 bytes; Latin-1 holds "hé", then 日 forces UTF-16.
  auto [ptr, tagged] = lower_string("h\u00e9\u65e5", StringEncoding::kLatin1Utf16);
  EXPECT_EQ(tagged, 3u | kUtf16Tag);
  EXPECT_EQ(peek(ptr, 6), (std::vector<uint8_t>{'h', 0, 0xe9, 0, 0xe5, 0x65}));
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 2, 6}, ReallocCall{kFirst, 6, 2, 12},
                                         ReallocCall{ptr, 12, 2, 6}));
  EXPECT_EQ(expect_ok(lift_string(ptr, tagged, StringEncoding::kLatin1Utf16)).str, "h\u00e9\u65e5");
}

TEST_F(StringsTest, TranscodingThroughVals) {
  for (StringEncoding from : kAllEncodings) {
    for (StringEncoding to : kAllEncodings) {
      for (const char* sample : kSamples) {
        auto [ptr, units] = lower_string(sample, from);
        Val lifted = expect_ok(lift_string(ptr, units, from));
        auto [ptr2, units2] = lower_string(lifted.str, to);
        EXPECT_EQ(expect_ok(lift_string(ptr2, units2, to)).str, sample)
            << to_string(from) << " -> " << to_string(to);
      }
    }
  }
}

TEST_F(StringsTest, FusedCopiesBetweenEveryPairOfEncodings) {
  for (StringEncoding from : kAllEncodings) {
    for (StringEncoding to : kAllEncodings) {
      for (const char* sample : kSamples) {
        auto [ptr, units] = lower_string(sample, from);
        auto [ptr2, units2] = copy(from, ptr, units, to);
        EXPECT_EQ(expect_ok(lift_string(ptr2, units2, to)).str, sample)
            << to_string(from) << " -> " << to_string(to);
      }
    }
  }
}

TEST_F(StringsTest, FusedCopyFromUtf16ToUtf8GrowsOnTheFirstNonAsciiCodePoint) {
  // "héllo" in UTF-16: 5 code units; worst case 3 bytes per unit.
  uint32_t src = place({'h', 0, 0xe9, 0, 'l', 0, 'l', 0, 'o', 0});
  reset_guest();
  auto [ptr, units] = copy(StringEncoding::kUtf16, src, 5, StringEncoding::kUtf8);
  EXPECT_EQ(units, 6u);
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 1, 5}, ReallocCall{kFirst, 5, 1, 15},
                                         ReallocCall{ptr, 15, 1, 6}));
  // All ASCII: the optimistic allocation is the final one.
  uint32_t ascii = place({'o', 0, 'k', 0});
  reset_guest();
  copy(StringEncoding::kUtf16, ascii, 2, StringEncoding::kUtf8);
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 1, 2}));
}

TEST_F(StringsTest, FusedCopyFromLatin1ToUtf8UsesTwiceTheLengthAsWorstCase) {
  uint32_t src = place({'h', 0xe9, 'l', 'l', 'o'});
  reset_guest();
  auto [ptr, units] = copy(StringEncoding::kLatin1Utf16, src, 5, StringEncoding::kUtf8);
  EXPECT_EQ(units, 6u);
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 1, 5}, ReallocCall{kFirst, 5, 1, 10},
                                         ReallocCall{ptr, 10, 1, 6}));
}

TEST_F(StringsTest, FusedCopyIntoUtf16) {
  uint32_t latin1 = place({'h', 0xe9});
  reset_guest();
  auto [ptr, units] = copy(StringEncoding::kLatin1Utf16, latin1, 2, StringEncoding::kUtf16);
  EXPECT_EQ(units, 2u);
  EXPECT_EQ(peek(ptr, 4), (std::vector<uint8_t>{'h', 0, 0xe9, 0}));
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 2, 4}));

  uint32_t utf16 = place({0xe5, 0x65, 'x', 0});
  reset_guest();
  copy(StringEncoding::kUtf16, utf16, 2, StringEncoding::kUtf16);
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 2, 4}));
}

TEST_F(StringsTest, FusedCopyOfProbablyUtf16IntoLatin1Utf16) {
  // A latin1+utf16 source that chose UTF-16 is copied as UTF-16 ...
  uint32_t wide = place({0xe5, 0x65, 'x', 0});
  reset_guest();
  auto [ptr, tagged] =
      copy(StringEncoding::kLatin1Utf16, wide, 2 | kUtf16Tag, StringEncoding::kLatin1Utf16);
  EXPECT_EQ(tagged, 2u | kUtf16Tag);
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 2, 4}));
  // ... and deflated to Latin-1 when every code point fits after all.
  uint32_t narrow = place({'a', 0, 0xe9, 0, 'c', 0});
  reset_guest();
  auto [ptr2, tagged2] =
      copy(StringEncoding::kLatin1Utf16, narrow, 3 | kUtf16Tag, StringEncoding::kLatin1Utf16);
  EXPECT_EQ(tagged2, 3u);
  EXPECT_EQ(peek(ptr2, 3), (std::vector<uint8_t>{'a', 0xe9, 'c'}));
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 2, 6}, ReallocCall{ptr2, 6, 1, 3}));
  (void)ptr;
  // A Latin-1 source is copied byte for byte.
  uint32_t latin1 = place({'a', 0xe9});
  reset_guest();
  auto [ptr3, tagged3] =
      copy(StringEncoding::kLatin1Utf16, latin1, 2, StringEncoding::kLatin1Utf16);
  EXPECT_EQ(tagged3, 2u);
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 2, 2}));
  (void)ptr3;
}

TEST_F(StringsTest, FusedCopyOfPlainUtf16IntoLatin1Utf16TriesLatin1First) {
  uint32_t src = place({'a', 0, 0xe5, 0x65});
  reset_guest();
  auto [ptr, tagged] = copy(StringEncoding::kUtf16, src, 2, StringEncoding::kLatin1Utf16);
  EXPECT_EQ(tagged, 2u | kUtf16Tag);
  EXPECT_THAT(realloc_log(), ElementsAre(ReallocCall{0, 0, 2, 2}, ReallocCall{kFirst, 2, 2, 4}));
  (void)ptr;
}

TEST_F(StringsTest, InvalidUtf8Traps) {
  for (std::vector<uint8_t> bad :
       std::vector<std::vector<uint8_t>>{{0xc0, 0x80},              // overlong
                                         {0xed, 0xa0, 0x80},        // surrogate
                                         {'a', 0xe6, 0x97},         // truncated
                                         {0xf4, 0x90, 0x80, 0x80},  // past U+10FFFF
                                         {0xff},
                                         {0x80}}) {
    uint32_t ptr = place(bad);
    EXPECT_ABI_ERROR(lift_string(ptr, static_cast<uint32_t>(bad.size()), StringEncoding::kUtf8),
                     ErrorCode::kTrap, "invalid UTF-8");
    LiftLowerContext s = cx(StringEncoding::kUtf8);
    LiftLowerContext d = cx(StringEncoding::kUtf16);
    EXPECT_ABI_ERROR(copy_string(s, ptr, static_cast<uint32_t>(bad.size()), d), ErrorCode::kTrap,
                     "invalid UTF-8");
  }
}

TEST_F(StringsTest, UnpairedSurrogatesTrap) {
  for (std::vector<uint8_t> bad : std::vector<std::vector<uint8_t>>{
           {0x00, 0xd8},             // high surrogate at the end
           {0x00, 0xdc, 'a', 0},     // lone low surrogate
           {0x00, 0xd8, 'a', 0}}) {  // high surrogate followed by a non-surrogate
    uint32_t ptr = place(bad);
    auto units = static_cast<uint32_t>(bad.size() / 2);
    EXPECT_ABI_ERROR(lift_string(ptr, units, StringEncoding::kUtf16), ErrorCode::kTrap,
                     "invalid UTF-16");
    EXPECT_ABI_ERROR(lift_string(ptr, units | kUtf16Tag, StringEncoding::kLatin1Utf16),
                     ErrorCode::kTrap, "invalid UTF-16");
  }
}

TEST_F(StringsTest, PointerAndLengthTraps) {
  auto end = static_cast<uint32_t>(memory_size());
  EXPECT_ABI_ERROR(lift_string(end - 2, 3, StringEncoding::kUtf8), ErrorCode::kTrap,
                   "string pointer/length out of bounds of memory");
  EXPECT_ABI_ERROR(lift_string(end - 2, 2, StringEncoding::kUtf16), ErrorCode::kTrap,
                   "string pointer/length out of bounds of memory");
  EXPECT_ABI_ERROR(lift_string(0xfffffff0, 32, StringEncoding::kUtf8), ErrorCode::kTrap,
                   "out of bounds");
  EXPECT_ABI_ERROR(lift_string(2049, 1, StringEncoding::kUtf16), ErrorCode::kTrap,
                   "unaligned string pointer 0x801");
  EXPECT_ABI_ERROR(lift_string(2049, 1, StringEncoding::kLatin1Utf16), ErrorCode::kTrap,
                   "unaligned string pointer");
  EXPECT_ABI_ERROR(lift_string(0, 1u << 28, StringEncoding::kUtf8), ErrorCode::kTrap,
                   "string byte length 268435456 exceeds the maximum");
  EXPECT_ABI_ERROR(lift_string(0, (1u << 27) | kUtf16Tag, StringEncoding::kLatin1Utf16),
                   ErrorCode::kTrap, "exceeds the maximum");
  // UTF-16 lengths count code units: 2^27 units are 2^28 bytes.
  EXPECT_ABI_ERROR(lift_string(0, 1u << 27, StringEncoding::kUtf16), ErrorCode::kTrap,
                   "exceeds the maximum");
  // The empty string may sit right at the end of memory.
  EXPECT_EQ(expect_ok(lift_string(end, 0, StringEncoding::kUtf8)).str, "");
}

TEST_F(StringsTest, Latin1BytesAboveAsciiLiftAsTheirCodePoints) {
  uint32_t ptr = place({0x41, 0xa9, 0xff});
  EXPECT_EQ(expect_ok(lift_string(ptr, 3, StringEncoding::kLatin1Utf16)).str, "A\u00a9\u00ff");
}

TEST_F(StringsTest, HostStringsMustBeValidUtf8) {
  for (StringEncoding encoding : kAllEncodings) {
    LiftLowerContext c = cx(encoding);
    std::vector<Value> flat;
    EXPECT_ABI_ERROR(lower_flat(c, prim(ValKind::kString), Val::string("bad \xff"), flat),
                     ErrorCode::kInvalid, "not valid UTF-8");
    EXPECT_ABI_ERROR(lower_flat(c, prim(ValKind::kString), Val::string("\xed\xa0\x80"), flat),
                     ErrorCode::kInvalid, "not valid UTF-8");
  }
}

TEST_F(StringsTest, LargeStringsRoundTrip) {
  std::string big;
  for (int i = 0; big.size() < (1u << 20); ++i)
    big += i % 17 == 0 ? "\u00e9\u4e2d\U0001F600" : "abcdefgh";
  for (StringEncoding encoding : kAllEncodings) {
    auto [ptr, units] = lower_string(big, encoding);
    EXPECT_EQ(expect_ok(lift_string(ptr, units, encoding)).str, big) << to_string(encoding);
  }
}

}  // namespace
}  // namespace berth::component::abi::testing
