#include "cli/invoke_expr.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

namespace berth::cli {
namespace {

Error expr_error(std::string_view text, size_t at, std::string_view what) {
  return Error(ErrorCode::kUsage,
               fmt::format("invalid call expression '{}' at column {}: {}", text, at + 1, what));
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_.-:/#@$", c) != nullptr;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<InvokeExpr> parse_invoke_expr(std::string_view text) {
  InvokeExpr expr;
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i < text.size() && text[i] == '"') {
    size_t close = text.find('"', i + 1);
    if (close == std::string_view::npos) return expr_error(text, i, "unterminated quoted name");
    expr.function = text.substr(i + 1, close - i - 1);
    i = close + 1;
  } else {
    size_t start = i;
    while (i < text.size() && is_name_char(text[i])) ++i;
    expr.function = text.substr(start, i - start);
  }
  if (expr.function.empty()) return expr_error(text, i, "expected a function name");
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i == text.size() || text[i] != '(')
    return expr_error(text, i, "expected '(' after the function name");
  ++i;

  // Split at commas outside brackets and strings, so that structured arguments stay whole.
  int depth = 0;
  bool in_string = false;
  size_t arg_start = i;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (c == ',' && depth == 0) {
      std::string_view arg = trim(text.substr(arg_start, i - arg_start));
      if (arg.empty()) return expr_error(text, i, "expected an argument before ','");
      expr.arguments.emplace_back(arg);
      arg_start = i + 1;
    } else if (c == ')') {
      std::string_view arg = trim(text.substr(arg_start, i - arg_start));
      if (!arg.empty()) {
        expr.arguments.emplace_back(arg);
      } else if (!expr.arguments.empty()) {
        return expr_error(text, i, "expected an argument after ','");
      }
      if (!trim(text.substr(i + 1)).empty()) {
        return expr_error(text, i + 1, "unexpected text after ')'");
      }
      return expr;
    }
  }
  return expr_error(text, text.size(), in_string ? "unterminated string" : "expected ')'");
}

namespace {

template <typename Signed, typename Unsigned>
Result<Signed> parse_integer(std::string_view literal, std::string_view type_name) {
  std::string_view digits = literal;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  Unsigned magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (digits.empty() || ec == std::errc::invalid_argument || end != digits.data() + digits.size()) {
    return Error(ErrorCode::kUsage, fmt::format("'{}' is not an integer", literal));
  }
  constexpr Unsigned kMinMagnitude = static_cast<Unsigned>(std::numeric_limits<Signed>::max()) + 1;
  if (ec == std::errc::result_out_of_range || (negative && magnitude > kMinMagnitude)) {
    return Error(ErrorCode::kUsage, fmt::format("'{}' does not fit in {}", literal, type_name));
  }
  // Values above the signed maximum are taken as their two's complement bit pattern.
  return negative ? static_cast<Signed>(Unsigned{0} - magnitude) : static_cast<Signed>(magnitude);
}

template <typename Float>
Result<Float> parse_float(std::string_view literal) {
  std::string_view body = literal;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  Float value;
  if (body == "nan") {
    value = std::numeric_limits<Float>::quiet_NaN();
  } else if (body == "inf" || body == "infinity") {
    value = std::numeric_limits<Float>::infinity();
  } else {
    auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
    if (body.empty() || ec != std::errc() || end != body.data() + body.size()) {
      return Error(ErrorCode::kUsage, fmt::format("'{}' is not a number", literal));
    }
  }
  return negative ? -value : value;
}

template <typename Float>
std::string format_float(Float v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, end);
}

}  // namespace

Result<engine::Value> parse_core_value(std::string_view literal, engine::ValType type) {
  using engine::ValType;
  using engine::Value;
  switch (type) {
    case ValType::kI32: {
      BERTH_TRY_ASSIGN(int32_t v, (parse_integer<int32_t, uint32_t>(literal, "i32")));
      return Value::from_i32(v);
    }
    case ValType::kI64: {
      BERTH_TRY_ASSIGN(int64_t v, (parse_integer<int64_t, uint64_t>(literal, "i64")));
      return Value::from_i64(v);
    }
    case ValType::kF32: {
      BERTH_TRY_ASSIGN(float v, parse_float<float>(literal));
      return Value::from_f32(v);
    }
    case ValType::kF64: {
      BERTH_TRY_ASSIGN(double v, parse_float<double>(literal));
      return Value::from_f64(v);
    }
    default:
      return Error(ErrorCode::kUnsupported,
                   fmt::format("{} arguments cannot be written on the command line",
                               engine::to_string(type)));
  }
}

std::string format_core_value(const engine::Value& value) {
  using engine::ValType;
  switch (value.type) {
    case ValType::kI32:
      return std::to_string(value.i32);
    case ValType::kI64:
      return std::to_string(value.i64);
    case ValType::kF32:
      return format_float(value.f32);
    case ValType::kF64:
      return format_float(value.f64);
    case ValType::kFuncRef:
    case ValType::kExternRef:
      return value.ref == 0 ? "null" : fmt::format("<{}>", engine::to_string(value.type));
    case ValType::kV128:
      return "<v128>";
  }
  return "?";
}

}  // namespace berth::cli
