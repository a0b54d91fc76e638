#include "component/wave/parser.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <vector>

#include "berth/component/wave.h"

namespace berth::component::wave {
namespace {

bool is_option_or_result(const TypeRef& type) {
  return type && (type->kind == ValKind::kOption || type->kind == ValKind::kResult);
}

struct IntegerRange {
  int64_t min;
  uint64_t max;
};

IntegerRange integer_range(ValKind kind) {
  switch (kind) {
    case ValKind::kS8:
      return {INT8_MIN, INT8_MAX};
    case ValKind::kU8:
      return {0, UINT8_MAX};
    case ValKind::kS16:
      return {INT16_MIN, INT16_MAX};
    case ValKind::kU16:
      return {0, UINT16_MAX};
    case ValKind::kS32:
      return {INT32_MIN, INT32_MAX};
    case ValKind::kU32:
      return {0, UINT32_MAX};
    case ValKind::kS64:
      return {INT64_MIN, INT64_MAX};
    default:
      return {0, UINT64_MAX};
  }
}

bool is_signed(ValKind kind) {
  return kind == ValKind::kS8 || kind == ValKind::kS16 || kind == ValKind::kS32 ||
         kind == ValKind::kS64;
}

// For a JSON number too far from zero or too close to it for a float: true when it is too large.
// The number is 0.d... * 10^(position + exponent), where d is its first non-zero digit.
bool is_too_large(std::string_view text) {
  size_t exponent_at = std::min(text.find_first_of("eE"), text.size());
  std::string_view mantissa = text.substr(0, exponent_at);
  size_t point = std::min(mantissa.find('.'), mantissa.size());
  size_t first_non_zero = mantissa.find_first_of("123456789");
  if (first_non_zero == std::string_view::npos) return false;
  // Digits from the first non-zero one to the point (negative: zeros after the point).
  int64_t position = first_non_zero < point ? static_cast<int64_t>(point - first_non_zero)
                                            : -static_cast<int64_t>(first_non_zero - point - 1);
  int64_t exponent = 0;
  bool negative_exponent = false;
  size_t i = exponent_at + 1;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative_exponent = text[i++] == '-';
  // Saturate: past a billion the answer no longer changes.
  constexpr int64_t kSaturated = 1'000'000'000;
  for (; i < text.size(); ++i) exponent = std::min(exponent * 10 + (text[i] - '0'), kSaturated);
  return position + (negative_exponent ? -exponent : exponent) > 0;
}

// "a u8", "an s8", "an f32".
std::string with_article(ValKind kind) {
  std::string_view name = to_string(kind);
  bool vowel_sound = name.front() == 's' || name.front() == 'f';
  return fmt::format("{} {}", vowel_sound ? "an" : "a", name);
}

// A JSON number as the nearest float: out-of-range values round to infinity or zero, as IEEE 754
// rounding does.
template <typename Float>
Float number_to_float(std::string_view text) {
  Float value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range) {
    value = is_too_large(text) ? std::numeric_limits<Float>::infinity() : Float(0);
    if (text.front() == '-') value = -value;
  }
  return value;
}

}  // namespace

std::string type_name(const Type& type) {
  constexpr size_t kMaxShown = 60;
  std::string name = to_string(type);
  if (name.size() > kMaxShown) name = name.substr(0, kMaxShown - 3) + "...";
  return name;
}

Result<Parser> Parser::start(std::string_view text, size_t offset) {
  Parser parser(text, offset);
  BERTH_TRY(parser.advance());
  return parser;
}

Result<void> Parser::advance() {
  BERTH_TRY_ASSIGN(token_, lexer_.next());
  return {};
}

Error Parser::unexpected(std::string_view expected) const {
  ErrorCode code = can_begin_value(token_.kind) ? ErrorCode::kInvalid : ErrorCode::kMalformed;
  return error_at(token_.offset, code,
                  fmt::format("expected {}, found {}", expected, describe(token_)));
}

Result<Val> Parser::parse_value(const Type& type) {
  switch (type.kind) {
    case ValKind::kBool:
      return parse_bool();
    case ValKind::kS8:
    case ValKind::kU8:
    case ValKind::kS16:
    case ValKind::kU16:
    case ValKind::kS32:
    case ValKind::kU32:
    case ValKind::kS64:
    case ValKind::kU64:
      return parse_integer(type.kind);
    case ValKind::kF32:
    case ValKind::kF64:
      return parse_float(type.kind);
    case ValKind::kChar: {
      if (token_.kind != TokenKind::kChar) return unexpected("a char");
      Val val = Val::character(token_.code_point);
      BERTH_TRY(advance());
      return val;
    }
    case ValKind::kString: {
      if (token_.kind != TokenKind::kString) return unexpected("a string");
      Val val = Val::string(std::move(token_.value));
      BERTH_TRY(advance());
      return val;
    }
    case ValKind::kList:
      return parse_list(type);
    case ValKind::kTuple:
      return parse_tuple(type);
    case ValKind::kRecord:
      return parse_record(type);
    case ValKind::kFlags:
      return parse_flags(type);
    case ValKind::kVariant:
      return parse_variant(type);
    case ValKind::kEnum:
      return parse_enum(type);
    case ValKind::kOption:
      return parse_option(type);
    case ValKind::kResult:
      return parse_result(type);
    case ValKind::kOwn:
    case ValKind::kBorrow:
      return error_at(
          token_.offset, ErrorCode::kUnsupported,
          fmt::format("resource handles ({}) cannot be written in WAVE", type_name(type)));
    case ValKind::kStream:
    case ValKind::kFuture:
    case ValKind::kErrorContext:
      return error_at(token_.offset, ErrorCode::kUnsupported,
                      fmt::format("{} values cannot be written in WAVE", type_name(type)));
  }
  return error_at(token_.offset, ErrorCode::kInternal, "unknown type kind");
}

Result<Val> Parser::parse_bool() {
  bool value = is_keyword_token(token_, "true");
  if (!value && !is_keyword_token(token_, "false")) return unexpected("'true' or 'false'");
  BERTH_TRY(advance());
  return Val::boolean(value);
}

Result<Val> Parser::parse_integer(ValKind kind) {
  if (token_.kind != TokenKind::kNumber) return unexpected(with_article(kind));
  std::string_view text = token_.text;
  if (token_.has_fraction_or_exponent || text == "-inf") {
    return error_at(
        token_.offset, ErrorCode::kInvalid,
        fmt::format("expected an integer for {}, found number '{}'", to_string(kind), text));
  }
  bool negative = text.front() == '-';
  std::string_view digits = text.substr(negative ? 1 : 0);
  uint64_t magnitude = 0;
  auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  IntegerRange range = integer_range(kind);
  bool fits = parsed.ec == std::errc();
  if (fits && negative) {
    fits = magnitude <= static_cast<uint64_t>(-(range.min + 1)) + 1;
  } else if (fits) {
    fits = magnitude <= range.max;
  }
  if (!fits) {
    return error_at(token_.offset, ErrorCode::kInvalid,
                    fmt::format("number '{}' is out of range for {} ({} to {})", text,
                                to_string(kind), range.min, range.max));
  }
  Val val;
  val.kind = kind;
  if (is_signed(kind)) {
    // Negating in unsigned arithmetic reaches INT64_MIN without overflow.
    val.i = static_cast<int64_t>(negative ? 0 - magnitude : magnitude);
  } else {
    val.u = magnitude;  // -0 is 0
  }
  BERTH_TRY(advance());
  return val;
}

Result<Val> Parser::parse_float(ValKind kind) {
  double value;
  if (is_keyword_token(token_, "nan")) {
    value = std::numeric_limits<double>::quiet_NaN();
  } else if (is_keyword_token(token_, "inf")) {
    value = std::numeric_limits<double>::infinity();
  } else if (token_.kind == TokenKind::kNumber && token_.text == "-inf") {
    value = -std::numeric_limits<double>::infinity();
  } else if (token_.kind == TokenKind::kNumber) {
    // Rounded once, straight to the width of the type.
    Val val = kind == ValKind::kF32 ? Val::float32(number_to_float<float>(token_.text))
                                    : Val::float64(number_to_float<double>(token_.text));
    BERTH_TRY(advance());
    return val;
  } else {
    return unexpected(fmt::format("{} (a number, 'nan', 'inf' or '-inf')", with_article(kind)));
  }
  BERTH_TRY(advance());
  return kind == ValKind::kF32 ? Val::float32(static_cast<float>(value)) : Val::float64(value);
}

Result<Val> Parser::parse_list(const Type& type) {
  if (token_.kind != TokenKind::kLBracket)
    return unexpected(fmt::format("'[' to begin {}", type_name(type)));
  if (!type.element) return error_at(token_.offset, ErrorCode::kInternal, "list without element");
  size_t start = token_.offset;
  BERTH_TRY(advance());
  std::vector<Val> items;
  while (token_.kind != TokenKind::kRBracket) {
    BERTH_TRY_ASSIGN(Val item, parse_value(*type.element));
    items.push_back(std::move(item));
    if (token_.kind == TokenKind::kComma) {
      BERTH_TRY(advance());
    } else if (token_.kind != TokenKind::kRBracket) {
      return error_at(token_.offset, ErrorCode::kMalformed,
                      fmt::format("expected ',' or ']' in list, found {}", describe(token_)));
    }
  }
  if (type.fixed_length && items.size() != *type.fixed_length) {
    return error_at(start, ErrorCode::kInvalid,
                    fmt::format("{} needs {} elements, found {}", type_name(type),
                                *type.fixed_length, items.size()));
  }
  BERTH_TRY(advance());
  return Val::list(std::move(items));
}

Result<Val> Parser::parse_tuple(const Type& type) {
  if (token_.kind != TokenKind::kLParen)
    return unexpected(fmt::format("'(' to begin {}", type_name(type)));
  size_t start = token_.offset;
  BERTH_TRY(advance());
  auto count_error = [&](size_t found) {
    return error_at(
        start, ErrorCode::kInvalid,
        fmt::format("{} has {} elements, found {}", type_name(type), type.fields.size(), found));
  };
  std::vector<Val> items;
  for (const Field& element : type.fields) {
    if (!items.empty()) {
      if (token_.kind == TokenKind::kRParen) return count_error(items.size());
      if (token_.kind != TokenKind::kComma) {
        return error_at(token_.offset, ErrorCode::kMalformed,
                        fmt::format("expected ',' or ')' in tuple, found {}", describe(token_)));
      }
      BERTH_TRY(advance());
    }
    if (token_.kind == TokenKind::kRParen) return count_error(items.size());
    if (!element.type) return error_at(start, ErrorCode::kInternal, "tuple element without type");
    BERTH_TRY_ASSIGN(Val item, parse_value(*element.type));
    items.push_back(std::move(item));
  }
  if (token_.kind == TokenKind::kComma) {
    BERTH_TRY(advance());
    if (can_begin_value(token_.kind)) return count_error(items.size() + 1);
  }
  if (token_.kind != TokenKind::kRParen) {
    return error_at(token_.offset, ErrorCode::kMalformed,
                    fmt::format("expected ')' to close tuple, found {}", describe(token_)));
  }
  BERTH_TRY(advance());
  return Val::tuple(std::move(items));
}

Result<Val> Parser::parse_record(const Type& type) {
  if (token_.kind != TokenKind::kLBrace)
    return unexpected(fmt::format("'{{' to begin {}", type_name(type)));
  size_t start = token_.offset;
  BERTH_TRY(advance());
  std::vector<std::optional<Val>> fields(type.fields.size());
  if (token_.kind == TokenKind::kColon) {
    BERTH_TRY(advance());
    if (token_.kind != TokenKind::kRBrace) {
      return error_at(
          token_.offset, ErrorCode::kMalformed,
          fmt::format("expected '}}' after ':' of an empty record, found {}", describe(token_)));
    }
  } else {
    if (token_.kind == TokenKind::kRBrace) {
      return error_at(token_.offset, ErrorCode::kMalformed,
                      "expected a field label, found '}' (a record without fields is written "
                      "{:})");
    }
    while (token_.kind != TokenKind::kRBrace) {
      if (token_.kind != TokenKind::kLabel) {
        return error_at(
            token_.offset, ErrorCode::kMalformed,
            fmt::format("expected a field label in record, found {}", describe(token_)));
      }
      size_t index = 0;
      while (index < type.fields.size() && type.fields[index].name != token_.value) ++index;
      if (index == type.fields.size()) {
        return error_at(token_.offset, ErrorCode::kInvalid,
                        fmt::format("'{}' is not a field of {}", token_.value, type_name(type)));
      }
      if (fields[index]) {
        return error_at(token_.offset, ErrorCode::kInvalid,
                        fmt::format("field '{}' is given twice", token_.value));
      }
      BERTH_TRY(advance());
      if (token_.kind != TokenKind::kColon) {
        return error_at(token_.offset, ErrorCode::kMalformed,
                        fmt::format("expected ':' after field label '{}', found {}",
                                    type.fields[index].name, describe(token_)));
      }
      BERTH_TRY(advance());
      if (!type.fields[index].type)
        return error_at(start, ErrorCode::kInternal, "record field without type");
      BERTH_TRY_ASSIGN(fields[index], parse_value(*type.fields[index].type));
      if (token_.kind == TokenKind::kComma) {
        BERTH_TRY(advance());
      } else if (token_.kind != TokenKind::kRBrace) {
        return error_at(token_.offset, ErrorCode::kMalformed,
                        fmt::format("expected ',' or '}}' in record, found {}", describe(token_)));
      }
    }
  }
  std::vector<Val> items;
  items.reserve(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i]) {
      items.push_back(std::move(*fields[i]));
    } else if (type.fields[i].type && type.fields[i].type->kind == ValKind::kOption) {
      items.push_back(Val::none());
    } else {
      return error_at(start, ErrorCode::kInvalid,
                      fmt::format("record is missing field '{}'", type.fields[i].name));
    }
  }
  BERTH_TRY(advance());
  return Val::record(std::move(items));
}

Result<Val> Parser::parse_flags(const Type& type) {
  if (token_.kind != TokenKind::kLBrace)
    return unexpected(fmt::format("'{{' to begin {}", type_name(type)));
  BERTH_TRY(advance());
  std::vector<uint32_t> bits((type.labels.size() + 31) / 32, 0);
  while (token_.kind != TokenKind::kRBrace) {
    if (token_.kind != TokenKind::kLabel) {
      return error_at(
          token_.offset, ErrorCode::kMalformed,
          fmt::format("expected a flag label or '}}' in flags, found {}", describe(token_)));
    }
    size_t index = 0;
    while (index < type.labels.size() && type.labels[index] != token_.value) ++index;
    if (index == type.labels.size()) {
      return error_at(token_.offset, ErrorCode::kInvalid,
                      fmt::format("'{}' is not a flag of {}", token_.value, type_name(type)));
    }
    uint32_t& word = bits[index / 32];
    uint32_t bit = uint32_t{1} << (index % 32);
    if (word & bit) {
      return error_at(token_.offset, ErrorCode::kInvalid,
                      fmt::format("flag '{}' is given twice", token_.value));
    }
    word |= bit;
    BERTH_TRY(advance());
    if (token_.kind == TokenKind::kComma) {
      BERTH_TRY(advance());
    } else if (token_.kind != TokenKind::kRBrace) {
      return error_at(token_.offset, ErrorCode::kMalformed,
                      fmt::format("expected ',' or '}}' in flags, found {}", describe(token_)));
    }
  }
  BERTH_TRY(advance());
  return Val::flags(std::move(bits));
}

Result<uint32_t> Parser::parse_case_label(const Type& type) {
  bool is_variant = type.kind == ValKind::kVariant;
  size_t count = is_variant ? type.fields.size() : type.labels.size();
  auto case_name = [&](size_t i) -> const std::string& {
    return is_variant ? type.fields[i].name : type.labels[i];
  };
  auto find = [&](std::string_view name) {
    size_t index = 0;
    while (index < count && case_name(index) != name) ++index;
    return index;
  };
  auto expected = [&] { return fmt::format("a case of {}", type_name(type)); };
  if (token_.kind != TokenKind::kLabel) return unexpected(expected());
  if (!token_.escaped && is_keyword(token_.value)) {
    std::string hint;
    if (find(token_.value) < count)
      hint = fmt::format(" (write the case as %{}: it is a WAVE keyword)", token_.value);
    return error_at(
        token_.offset, ErrorCode::kInvalid,
        fmt::format("expected {}, found keyword '{}'{}", expected(), token_.value, hint));
  }
  size_t index = find(token_.value);
  if (index == count) {
    return error_at(token_.offset, ErrorCode::kInvalid,
                    fmt::format("'{}' is not a case of {}", token_.value, type_name(type)));
  }
  BERTH_TRY(advance());
  return static_cast<uint32_t>(index);
}

Result<std::optional<Val>> Parser::parse_payload(const TypeRef& payload,
                                                 std::string_view case_name) {
  if (!payload) {
    if (token_.kind == TokenKind::kLParen) {
      return error_at(token_.offset, ErrorCode::kInvalid,
                      fmt::format("'{}' has no payload", case_name));
    }
    return std::optional<Val>();
  }
  if (token_.kind != TokenKind::kLParen) {
    return error_at(token_.offset, ErrorCode::kInvalid,
                    fmt::format("'{}' needs a payload: expected '(' after it, found {}", case_name,
                                describe(token_)));
  }
  BERTH_TRY(advance());
  BERTH_TRY_ASSIGN(Val val, parse_value(*payload));
  if (token_.kind != TokenKind::kRParen) {
    return error_at(token_.offset, ErrorCode::kMalformed,
                    fmt::format("expected ')' after the payload of '{}', found {}", case_name,
                                describe(token_)));
  }
  BERTH_TRY(advance());
  return std::optional<Val>(std::move(val));
}

Result<Val> Parser::parse_variant(const Type& type) {
  BERTH_TRY_ASSIGN(uint32_t index, parse_case_label(type));
  const Field& selected = type.fields[index];
  BERTH_TRY_ASSIGN(std::optional<Val> payload, parse_payload(selected.type, selected.name));
  return Val::variant(index, std::move(payload));
}

Result<Val> Parser::parse_enum(const Type& type) {
  BERTH_TRY_ASSIGN(uint32_t index, parse_case_label(type));
  BERTH_TRY(parse_payload(nullptr, type.labels[index]));
  return Val::enumeration(index);
}

Result<Val> Parser::parse_option(const Type& type) {
  if (!type.element) return error_at(token_.offset, ErrorCode::kInternal, "option without type");
  if (is_keyword_token(token_, "none")) {
    BERTH_TRY(advance());
    BERTH_TRY(parse_payload(nullptr, "none"));
    return Val::none();
  }
  if (is_keyword_token(token_, "some")) {
    BERTH_TRY(advance());
    BERTH_TRY_ASSIGN(std::optional<Val> payload, parse_payload(type.element, "some"));
    return Val::some(std::move(*payload));
  }
  // The flat form would be ambiguous for a nested option or result: is `none` the inner value?
  if (is_option_or_result(type.element)) {
    return unexpected(
        fmt::format("'some(...)' or 'none' for {} (a payload that is an option or "
                    "result cannot be written flat)",
                    type_name(type)));
  }
  BERTH_TRY_ASSIGN(Val payload, parse_value(*type.element));
  return Val::some(std::move(payload));
}

Result<Val> Parser::parse_result(const Type& type) {
  bool is_ok = is_keyword_token(token_, "ok");
  if (is_ok || is_keyword_token(token_, "err")) {
    BERTH_TRY(advance());
    const TypeRef& payload_type = is_ok ? type.ok : type.error;
    BERTH_TRY_ASSIGN(std::optional<Val> payload, parse_payload(payload_type, is_ok ? "ok" : "err"));
    return is_ok ? Val::ok(std::move(payload)) : Val::err(std::move(payload));
  }
  if (!type.ok || is_option_or_result(type.ok)) {
    std::string expected = fmt::format("'ok' or 'err' for {}", type_name(type));
    if (type.ok) expected += " (an ok payload that is an option or result cannot be written flat)";
    return unexpected(expected);
  }
  BERTH_TRY_ASSIGN(Val payload, parse_value(*type.ok));
  return Val::ok(std::move(payload));
}

}  // namespace berth::component::wave

namespace berth::component {

Result<Val> parse_wave(std::string_view text, const TypeRef& type) {
  if (!type) return Error(ErrorCode::kUsage, "parse_wave needs a type");
  BERTH_TRY(wave::check_utf8(text));
  BERTH_TRY_ASSIGN(wave::Parser parser, wave::Parser::start(text, 0));
  BERTH_TRY_ASSIGN(Val val, parser.parse_value(*type));
  if (parser.current().kind != wave::TokenKind::kEnd) {
    return parser.error_at(parser.current().offset, ErrorCode::kMalformed,
                           fmt::format("expected end of input after the value, found {}",
                                       wave::describe(parser.current())));
  }
  return val;
}

}  // namespace berth::component
