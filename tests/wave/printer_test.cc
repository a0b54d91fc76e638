// Canonical printing: the form chosen for each value kind, escapes, floats, and values that do not
// match their type.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "wave_test_util.h"

namespace berth::component {
namespace {

using namespace wave_test;

TEST(WavePrintTest, Scalars) {
  EXPECT_EQ(print_ok(Val::boolean(true), t_bool()), "true");
  EXPECT_EQ(print_ok(Val::boolean(false), t_bool()), "false");
  EXPECT_EQ(print_ok(Val::s8(-9), t_s8()), "-9");
  EXPECT_EQ(print_ok(Val::u8(255), t_u8()), "255");
  EXPECT_EQ(print_ok(Val::s64(std::numeric_limits<int64_t>::min()), t_s64()),
            "-9223372036854775808");
  EXPECT_EQ(print_ok(Val::u64(std::numeric_limits<uint64_t>::max()), t_u64()),
            "18446744073709551615");
}

TEST(WavePrintTest, FloatsInShortestRoundTripForm) {
  EXPECT_EQ(print_ok(Val::float64(3.14), t_f64()), "3.14");
  EXPECT_EQ(print_ok(Val::float64(0.1), t_f64()), "0.1");
  EXPECT_EQ(print_ok(Val::float32(0.1f), t_f32()), "0.1");
  EXPECT_EQ(print_ok(Val::float64(0.1f), t_f64()), "0.10000000149011612");
  EXPECT_EQ(print_ok(Val::float64(100), t_f64()), "100");
  EXPECT_EQ(print_ok(Val::float64(6.022e23), t_f64()), "6.022e+23");
  // No leading zeros in exponents: WAVE's grammar refuses them.
  EXPECT_EQ(print_ok(Val::float64(1.5e-7), t_f64()), "1.5e-7");
  EXPECT_EQ(print_ok(Val::float64(1e-300), t_f64()), "1e-300");
  EXPECT_EQ(print_ok(Val::float64(1e21), t_f64()), "1e+21");
  EXPECT_EQ(print_ok(Val::float32(std::numeric_limits<float>::max()), t_f32()), "3.4028235e+38");
  EXPECT_EQ(print_ok(Val::float32(std::numeric_limits<float>::denorm_min()), t_f32()), "1e-45");
  EXPECT_EQ(print_ok(Val::float64(-0.0), t_f64()), "-0");
  EXPECT_EQ(print_ok(Val::float64(0.0), t_f64()), "0");
  EXPECT_EQ(print_ok(Val::float64(std::nan("")), t_f64()), "nan");
  EXPECT_EQ(print_ok(Val::float32(-std::nanf("")), t_f32()), "nan");
  EXPECT_EQ(print_ok(Val::float64(std::numeric_limits<double>::infinity()), t_f64()), "inf");
  EXPECT_EQ(print_ok(Val::float32(-std::numeric_limits<float>::infinity()), t_f32()), "-inf");
}

TEST(WavePrintTest, CharEscapes) {
  EXPECT_EQ(print_ok(Val::character(U'x'), t_char()), "'x'");
  EXPECT_EQ(print_ok(Val::character(U'☃'), t_char()), "'☃'");
  EXPECT_EQ(print_ok(Val::character(U'\''), t_char()), "'\\''");
  EXPECT_EQ(print_ok(Val::character(U'"'), t_char()), "'\"'");
  EXPECT_EQ(print_ok(Val::character(U'\\'), t_char()), "'\\\\'");
  EXPECT_EQ(print_ok(Val::character(U'\n'), t_char()), "'\\n'");
  EXPECT_EQ(print_ok(Val::character(U'\t'), t_char()), "'\\t'");
  EXPECT_EQ(print_ok(Val::character(U'\r'), t_char()), "'\\r'");
  EXPECT_EQ(print_ok(Val::character(U'\0'), t_char()), "'\\u{0}'");
  EXPECT_EQ(print_ok(Val::character(0x7f), t_char()), "'\\u{7f}'");
  EXPECT_EQ(print_ok(Val::character(0x202e), t_char()), "'\\u{202e}'");
  EXPECT_EQ(print_ok(Val::character(0xfeff), t_char()), "'\\u{feff}'");
  auto surrogate = print_wave(Val::character(0xd800), t_char());
  ASSERT_FALSE(surrogate.ok());
  EXPECT_EQ(surrogate.error().code(), ErrorCode::kInvalid);
}

TEST(WavePrintTest, StringEscapes) {
  EXPECT_EQ(print_ok(Val::string(""), t_string()), "\"\"");
  EXPECT_EQ(print_ok(Val::string("abc\t123"), t_string()), "\"abc\\t123\"");
  EXPECT_EQ(print_ok(Val::string("say \"hi\"\n"), t_string()), "\"say \\\"hi\\\"\\n\"");
  EXPECT_EQ(print_ok(Val::string("it's"), t_string()), "\"it's\"");
  EXPECT_EQ(print_ok(Val::string("a\\b\r"), t_string()), "\"a\\\\b\\r\"");
  EXPECT_EQ(print_ok(Val::string("👋 Hello, world! 👋"), t_string()), "\"👋 Hello, world! 👋\"");
  EXPECT_EQ(print_ok(Val::string(std::string("nul\0bell\a", 9)), t_string()),
            "\"nul\\u{0}bell\\u{7}\"");
  auto invalid = print_wave(Val::string("\xff"), t_string());
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().code(), ErrorCode::kInvalid);
}

TEST(WavePrintTest, Aggregates) {
  EXPECT_EQ(print_ok(Val::list({}), Type::list(t_u8())), "[]");
  EXPECT_EQ(print_ok(Val::list({Val::u8(1), Val::u8(2)}), Type::list(t_u8())), "[1, 2]");
  EXPECT_EQ(
      print_ok(Val::tuple({Val::u8(123), Val::string("abc")}), Type::tuple({t_u8(), t_string()})),
      "(123, \"abc\")");
  auto record = Type::record({{"a", t_u8()}, {"b", Type::option(t_u8())}});
  EXPECT_EQ(print_ok(Val::record({Val::u8(1), Val::some(Val::u8(2))}), record),
            "{a: 1, b: some(2)}");
  // `none` fields are left out; with none left the record is `{:}`.
  EXPECT_EQ(print_ok(Val::record({Val::u8(1), Val::none()}), record), "{a: 1}");
  auto optional = Type::record({{"x", Type::option(t_u8())}, {"y", Type::option(t_u8())}});
  EXPECT_EQ(print_ok(Val::record({Val::none(), Val::none()}), optional), "{:}");
  EXPECT_EQ(print_ok(Val::record({Val::none(), Val::some(Val::u8(0))}), optional), "{y: some(0)}");
}

TEST(WavePrintTest, CasesAndKeywords) {
  auto variant = Type::variant({{"empty", nullptr}, {"body", t_u8()}, {"err", t_string()}});
  EXPECT_EQ(print_ok(Val::variant(0, std::nullopt), variant), "empty");
  EXPECT_EQ(print_ok(Val::variant(1, Val::u8(7)), variant), "body(7)");
  EXPECT_EQ(print_ok(Val::variant(2, Val::string("oops")), variant), "%err(\"oops\")");
  auto status = Type::enumeration({"ok", "not-found"});
  EXPECT_EQ(print_ok(Val::enumeration(0), status), "%ok");
  EXPECT_EQ(print_ok(Val::enumeration(1), status), "not-found");
  // Record fields and flags never need `%`.
  auto keyword_record = Type::record({{"true", t_bool()}});
  EXPECT_EQ(print_ok(Val::record({Val::boolean(true)}), keyword_record), "{true: true}");
  auto keyword_flags = Type::flags({"none", "some"});
  EXPECT_EQ(print_ok(Val::flags({3}), keyword_flags), "{none, some}");
}

TEST(WavePrintTest, OptionsAndResultsAreExplicit) {
  auto option_u8 = Type::option(t_u8());
  EXPECT_EQ(print_ok(Val::some(Val::u8(1)), option_u8), "some(1)");
  EXPECT_EQ(print_ok(Val::none(), option_u8), "none");
  auto nested = Type::option(Type::option(t_u8()));
  EXPECT_EQ(print_ok(Val::some(Val::none()), nested), "some(none)");
  EXPECT_EQ(print_ok(Val::ok(Val::u8(1)), Type::result(t_u8(), t_string())), "ok(1)");
  EXPECT_EQ(print_ok(Val::err(Val::string("e")), Type::result(t_u8(), t_string())), "err(\"e\")");
  EXPECT_EQ(print_ok(Val::ok(std::nullopt), Type::result(nullptr, nullptr)), "ok");
  EXPECT_EQ(print_ok(Val::err(std::nullopt), Type::result(nullptr, nullptr)), "err");
}

TEST(WavePrintTest, FlagsInDeclarationOrder) {
  auto perms = Type::flags({"read", "write", "exec"});
  EXPECT_EQ(print_ok(Val::flags({}), perms), "{}");
  EXPECT_EQ(print_ok(Val::flags({0b101}), perms), "{read, exec}");
  EXPECT_EQ(print_ok(Val::flags({0b110}), perms), "{write, exec}");
  auto stray_bit = print_wave(Val::flags({0b1000}), perms);
  ASSERT_FALSE(stray_bit.ok());
  EXPECT_EQ(stray_bit.error().message(),
            "value does not match its type flags { read, write, exec }: flag 3 does not exist");
}

TEST(WavePrintTest, PackedLists) {
  std::vector<uint8_t> bytes(8);
  int32_t values[2] = {-1, 70000};
  std::memcpy(bytes.data(), values, sizeof values);
  EXPECT_EQ(print_ok(Val::packed_list(bytes), Type::list(t_s32())), "[-1, 70000]");
  float floats[2] = {0.5f, -2.0f};
  std::memcpy(bytes.data(), floats, sizeof floats);
  EXPECT_EQ(print_ok(Val::packed_list(bytes), Type::list(t_f32())), "[0.5, -2]");
  auto odd = print_wave(Val::packed_list({1, 2, 3}), Type::list(t_u16()));
  EXPECT_FALSE(odd.ok());
}

TEST(WavePrintTest, ResourcesPrintOpaquely) {
  auto resource =
      std::make_shared<ResourceType>(ResourceType{.name = "wasi:io/streams#input-stream"});
  Val handle;
  handle.kind = ValKind::kOwn;
  handle.handle = std::make_shared<ResourceHandle>(ResourceHandle{.type = resource, .rep = 3});
  EXPECT_EQ(print_ok(handle, Type::own(resource)), "input-stream(3)");
  handle.kind = ValKind::kBorrow;
  EXPECT_EQ(print_ok(handle, Type::borrow(resource)), "input-stream(3)");
  auto unnamed = std::make_shared<ResourceType>(ResourceType{});
  handle.kind = ValKind::kOwn;
  EXPECT_EQ(print_ok(handle, Type::own(unnamed)), "resource(3)");
}

TEST(WavePrintTest, MismatchedValues) {
  auto wrong_kind = print_wave(Val::u8(1), t_string());
  ASSERT_FALSE(wrong_kind.ok());
  EXPECT_EQ(wrong_kind.error().code(), ErrorCode::kInvalid);
  EXPECT_EQ(wrong_kind.error().message(), "value does not match its type string: found a u8 value");
  auto bad_case = print_wave(Val::enumeration(5), Type::enumeration({"a"}));
  EXPECT_FALSE(bad_case.ok());
  auto missing_payload = print_wave(Val::some(Val::u8(1)), Type::option(t_u8()));
  EXPECT_TRUE(missing_payload.ok());
  Val some_without_payload = Val::none();
  some_without_payload.discriminant = 1;
  auto broken = print_wave(some_without_payload, Type::option(t_u8()));
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().message(), "'some' needs a payload, but the value has none");
  auto short_tuple = print_wave(Val::tuple({Val::u8(1)}), Type::tuple({t_u8(), t_u8()}));
  EXPECT_FALSE(short_tuple.ok());
  auto null_type = print_wave(Val::u8(1), nullptr);
  ASSERT_FALSE(null_type.ok());
  EXPECT_EQ(null_type.error().code(), ErrorCode::kUsage);
}

}  // namespace
}  // namespace berth::component
