// Shorthands for the WAVE tests: types by name, and parse/print that fail the test on error.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "berth/component/types.h"
#include "berth/component/val.h"
#include "berth/component/wave.h"

namespace berth::component::wave_test {

inline TypeRef prim(ValKind kind) {
  return Type::primitive(kind);
}
inline TypeRef t_bool() {
  return prim(ValKind::kBool);
}
inline TypeRef t_u8() {
  return prim(ValKind::kU8);
}
inline TypeRef t_s8() {
  return prim(ValKind::kS8);
}
inline TypeRef t_u16() {
  return prim(ValKind::kU16);
}
inline TypeRef t_s16() {
  return prim(ValKind::kS16);
}
inline TypeRef t_u32() {
  return prim(ValKind::kU32);
}
inline TypeRef t_s32() {
  return prim(ValKind::kS32);
}
inline TypeRef t_u64() {
  return prim(ValKind::kU64);
}
inline TypeRef t_s64() {
  return prim(ValKind::kS64);
}
inline TypeRef t_f32() {
  return prim(ValKind::kF32);
}
inline TypeRef t_f64() {
  return prim(ValKind::kF64);
}
inline TypeRef t_char() {
  return prim(ValKind::kChar);
}
inline TypeRef t_string() {
  return prim(ValKind::kString);
}

// Parses `text` as `type`, failing the test (and returning a default Val) on error.
inline Val parse_ok(std::string_view text, const TypeRef& type) {
  auto val = parse_wave(text, type);
  EXPECT_TRUE(val.ok()) << "parsing " << text << " as " << to_string(*type) << ": "
                        << (val.ok() ? "" : val.error().message());
  return val.ok() ? *val : Val();
}

inline std::string print_ok(const Val& val, const TypeRef& type) {
  auto text = print_wave(val, type);
  EXPECT_TRUE(text.ok()) << "printing a " << to_string(*type) << ": "
                         << (text.ok() ? "" : text.error().message());
  return text.ok() ? *text : std::string();
}

// The message of parsing `text` as `type`, which must fail.
inline std::string parse_error(std::string_view text, const TypeRef& type) {
  auto val = parse_wave(text, type);
  EXPECT_FALSE(val.ok()) << "parsing " << text << " as " << to_string(*type) << " succeeded";
  return val.ok() ? std::string() : val.error().message();
}

inline ErrorCode parse_error_code(std::string_view text, const TypeRef& type) {
  auto val = parse_wave(text, type);
  EXPECT_FALSE(val.ok()) << "parsing " << text << " succeeded";
  return val.ok() ? ErrorCode::kInternal : val.error().code();
}

// Parses and prints back: the canonical text of `text`.
inline std::string canonical(std::string_view text, const TypeRef& type) {
  return print_ok(parse_ok(text, type), type);
}

}  // namespace berth::component::wave_test
