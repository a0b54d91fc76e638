#include "wast_values.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace berth::conformance {
namespace {

using component::Type;
using component::TypeRef;
using component::Val;
using component::ValKind;

Error mismatch(const SExpr& form, const Type& type, std::string_view why = "") {
  return Error(ErrorCode::kInvalid,
               fmt::format("value form '{}' does not fit type {}{}{}", form.head(),
                           component::to_string(type), why.empty() ? "" : ": ", why));
}

std::string without_underscores(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '_') out += c;
  }
  return out;
}

// An integer literal of the script syntax: decimal or 0x hex, optionally signed.
Result<std::pair<bool, uint64_t>> integer(const std::string& literal) {
  std::string text = without_underscores(literal);
  bool negative = !text.empty() && text[0] == '-';
  size_t start = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  int base = 10;
  if (text.compare(start, 2, "0x") == 0) {
    base = 16;
    start += 2;
  }
  uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(text.data() + start, text.data() + text.size(), magnitude, base);
  if (ec != std::errc() || end != text.data() + text.size() || start == text.size()) {
    return Error(ErrorCode::kMalformed, fmt::format("'{}' is not an integer", literal));
  }
  return std::pair{negative, magnitude};
}

Result<double> floating(const std::string& literal) {
  std::string text = without_underscores(literal);
  bool negative = !text.empty() && text[0] == '-';
  std::string body = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? text.substr(1) : text;
  double value;
  if (body.rfind("nan", 0) == 0) {
    value = std::numeric_limits<double>::quiet_NaN();
  } else if (body == "inf") {
    value = std::numeric_limits<double>::infinity();
  } else {
    char* end = nullptr;
    value = std::strtod(body.c_str(), &end);
    if (end != body.c_str() + body.size()) {
      return Error(ErrorCode::kMalformed, fmt::format("'{}' is not a number", literal));
    }
  }
  return negative ? -value : value;
}

Result<uint32_t> code_point(const std::string& utf8) {
  const auto* p = reinterpret_cast<const unsigned char*>(utf8.data());
  size_t n = utf8.size();
  if (n == 1 && p[0] < 0x80) return p[0];
  if (n == 2) return ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu);
  if (n == 3) return ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
  if (n == 4) {
    return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) | ((p[2] & 0x3fu) << 6) | (p[3] & 0x3fu);
  }
  return Error(ErrorCode::kMalformed, "char.const must hold exactly one character");
}

Result<Val> integer_value(const SExpr& form, const Type& type) {
  if (form.items.size() != 2) return mismatch(form, type, "expected one literal");
  BERTH_TRY_ASSIGN(auto parsed, integer(form.items[1].text));
  auto [negative, magnitude] = parsed;
  struct Range {
    ValKind kind;
    int64_t min;
    uint64_t max;
  };
  static constexpr Range kRanges[] = {
      {ValKind::kS8, INT8_MIN, INT8_MAX},    {ValKind::kU8, 0, UINT8_MAX},
      {ValKind::kS16, INT16_MIN, INT16_MAX}, {ValKind::kU16, 0, UINT16_MAX},
      {ValKind::kS32, INT32_MIN, INT32_MAX}, {ValKind::kU32, 0, UINT32_MAX},
      {ValKind::kS64, INT64_MIN, INT64_MAX}, {ValKind::kU64, 0, UINT64_MAX},
  };
  for (const Range& r : kRanges) {
    if (r.kind != type.kind) continue;
    bool is_signed = r.min < 0;
    Val v;
    v.kind = type.kind;
    if (is_signed) {
      // Script literals may spell a signed value by its unsigned bit pattern.
      uint64_t width_mask = r.max * 2 + 1;
      if (negative) {
        if (magnitude > static_cast<uint64_t>(r.max) + 1)
          return mismatch(form, type, "out of range");
        v.i = -static_cast<int64_t>(magnitude - 1) - 1;
      } else if (magnitude <= r.max) {
        v.i = static_cast<int64_t>(magnitude);
      } else if (magnitude <= width_mask) {
        uint64_t sign_bit = r.max + 1;
        v.i = static_cast<int64_t>(magnitude - sign_bit) + r.min;
      } else {
        return mismatch(form, type, "out of range");
      }
    } else {
      if (negative || magnitude > r.max) return mismatch(form, type, "out of range");
      v.u = magnitude;
    }
    return v;
  }
  return mismatch(form, type);
}

}  // namespace

Result<Val> wast_value(const SExpr& form, const TypeRef& type_ref) {
  const Type& type = *type_ref;
  std::string_view head = form.head();
  auto string_arg = [&](size_t i) -> const std::string* {
    return i < form.items.size() && form.items[i].kind == SExpr::Kind::kString ? &form.items[i].text
                                                                               : nullptr;
  };
  auto expect_kind = [&](ValKind kind) -> Result<void> {
    if (type.kind != kind) return mismatch(form, type);
    return {};
  };

  if (head == "bool.const") {
    BERTH_TRY(expect_kind(ValKind::kBool));
    if (form.items.size() != 2) return mismatch(form, type);
    return Val::boolean(form.items[1].text == "true");
  }
  if (head == "s8.const" || head == "u8.const" || head == "s16.const" || head == "u16.const" ||
      head == "s32.const" || head == "u32.const" || head == "s64.const" || head == "u64.const") {
    if (head.substr(0, head.find('.')) != component::to_string(type.kind))
      return mismatch(form, type);
    return integer_value(form, type);
  }
  if (head == "f32.const" || head == "f64.const") {
    if (form.items.size() != 2) return mismatch(form, type);
    BERTH_TRY_ASSIGN(double d, floating(form.items[1].text));
    if (head == "f32.const") {
      BERTH_TRY(expect_kind(ValKind::kF32));
      return Val::float32(static_cast<float>(d));
    }
    BERTH_TRY(expect_kind(ValKind::kF64));
    return Val::float64(d);
  }
  if (head == "char.const") {
    BERTH_TRY(expect_kind(ValKind::kChar));
    const std::string* s = string_arg(1);
    if (!s) return mismatch(form, type);
    BERTH_TRY_ASSIGN(uint32_t cp, code_point(*s));
    return Val::character(cp);
  }
  if (head == "str.const") {
    BERTH_TRY(expect_kind(ValKind::kString));
    const std::string* s = string_arg(1);
    if (!s) return mismatch(form, type);
    return Val::string(*s);
  }
  if (head == "list.const" || head == "tuple.const") {
    std::vector<Val> items;
    for (size_t i = 1; i < form.items.size(); ++i) {
      TypeRef item_type;
      if (head == "list.const") {
        BERTH_TRY(expect_kind(ValKind::kList));
        item_type = type.element;
      } else {
        BERTH_TRY(expect_kind(ValKind::kTuple));
        if (i - 1 >= type.fields.size()) return mismatch(form, type, "too many elements");
        item_type = type.fields[i - 1].type;
      }
      BERTH_TRY_ASSIGN(Val item, wast_value(form.items[i], item_type));
      items.push_back(std::move(item));
    }
    if (head == "tuple.const") {
      BERTH_TRY(expect_kind(ValKind::kTuple));
      if (items.size() != type.fields.size()) return mismatch(form, type, "wrong element count");
      return Val::tuple(std::move(items));
    }
    BERTH_TRY(expect_kind(ValKind::kList));
    return Val::list(std::move(items));
  }
  if (head == "record.const") {
    BERTH_TRY(expect_kind(ValKind::kRecord));
    std::vector<Val> fields(type.fields.size());
    std::vector<bool> seen(type.fields.size());
    for (size_t i = 1; i < form.items.size(); ++i) {
      const SExpr& field = form.items[i];
      if (field.head() != "field" || field.items.size() < 3 ||
          field.items[1].kind != SExpr::Kind::kString) {
        return mismatch(form, type, "expected (field \"name\" value)");
      }
      size_t index = 0;
      while (index < type.fields.size() && type.fields[index].name != field.items[1].text) ++index;
      if (index == type.fields.size())
        return mismatch(form, type, "unknown field " + field.items[1].text);
      // The field's value is written inline: (field "a" u32.const 1).
      SExpr value;
      value.kind = SExpr::Kind::kList;
      value.items.assign(field.items.begin() + 2, field.items.end());
      if (value.items.size() == 1 && value.items[0].kind == SExpr::Kind::kList) {
        SExpr parenthesized = std::move(value.items[0]);
        value = std::move(parenthesized);
      }
      BERTH_TRY_ASSIGN(fields[index], wast_value(value, type.fields[index].type));
      seen[index] = true;
    }
    for (size_t i = 0; i < seen.size(); ++i) {
      if (!seen[i]) return mismatch(form, type, "missing field " + type.fields[i].name);
    }
    return Val::record(std::move(fields));
  }
  if (head == "variant.const") {
    BERTH_TRY(expect_kind(ValKind::kVariant));
    const std::string* name = string_arg(1);
    if (!name) return mismatch(form, type);
    for (uint32_t i = 0; i < type.fields.size(); ++i) {
      if (type.fields[i].name != *name) continue;
      if (!type.fields[i].type) {
        if (form.items.size() != 2) return mismatch(form, type, "case has no payload");
        return Val::variant(i, std::nullopt);
      }
      if (form.items.size() != 3) return mismatch(form, type, "case needs a payload");
      BERTH_TRY_ASSIGN(Val payload, wast_value(form.items[2], type.fields[i].type));
      return Val::variant(i, std::move(payload));
    }
    return mismatch(form, type, "unknown case " + *name);
  }
  if (head == "enum.const") {
    BERTH_TRY(expect_kind(ValKind::kEnum));
    const std::string* name = string_arg(1);
    for (uint32_t i = 0; name && i < type.labels.size(); ++i) {
      if (type.labels[i] == *name) return Val::enumeration(i);
    }
    return mismatch(form, type, "unknown case");
  }
  if (head == "flags.const") {
    BERTH_TRY(expect_kind(ValKind::kFlags));
    std::vector<uint32_t> bits((type.labels.size() + 31) / 32);
    for (size_t i = 1; i < form.items.size(); ++i) {
      size_t index = 0;
      while (index < type.labels.size() && type.labels[index] != form.items[i].text) ++index;
      if (index == type.labels.size())
        return mismatch(form, type, "unknown flag " + form.items[i].text);
      bits[index / 32] |= 1u << (index % 32);
    }
    return Val::flags(std::move(bits));
  }
  if (head == "option.none") {
    BERTH_TRY(expect_kind(ValKind::kOption));
    return Val::none();
  }
  if (head == "option.some") {
    BERTH_TRY(expect_kind(ValKind::kOption));
    if (form.items.size() != 2) return mismatch(form, type);
    BERTH_TRY_ASSIGN(Val payload, wast_value(form.items[1], type.element));
    return Val::some(std::move(payload));
  }
  if (head == "result.ok" || head == "result.err") {
    BERTH_TRY(expect_kind(ValKind::kResult));
    const TypeRef& payload_type = head == "result.ok" ? type.ok : type.error;
    std::optional<Val> payload;
    if (form.items.size() == 2) {
      if (!payload_type) return mismatch(form, type, "no payload expected");
      BERTH_TRY_ASSIGN(payload, wast_value(form.items[1], payload_type));
    } else if (payload_type) {
      return mismatch(form, type, "payload expected");
    }
    return head == "result.ok" ? Val::ok(std::move(payload)) : Val::err(std::move(payload));
  }
  return Error(ErrorCode::kUnsupported, fmt::format("unknown value form '{}'", head));
}

}  // namespace berth::conformance
