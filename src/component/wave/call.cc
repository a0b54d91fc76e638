// Function call expressions (WAVE.md, "Appendix: Function calls"): `name(arg, ...)`, where the
// name is application-defined. berth accepts the names a component exports functions under.
#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "berth/component/wave.h"
#include "component/wave/lexer.h"
#include "component/wave/parser.h"

namespace berth::component::wave {
namespace {

constexpr std::string_view kNameForms =
    "a function name: a kebab-case label (%label for a keyword), an interface export such as "
    "ns:pkg/iface@1.0.0#name, or [method]resource.name";

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("-:/@#.+%[]").find(c) != std::string_view::npos;
}

bool is_version(std::string_view version) {
  if (version.empty()) return false;
  for (char c : version) {
    bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alphanumeric && c != '.' && c != '-' && c != '+') return false;
  }
  return true;
}

// `ns:pkg/iface`, `ns:pkg/iface@1.2.3`, with nested namespaces (`a:b:c/d`) and nested
// interfaces (`a:b/c/d`).
bool is_interface_name(std::string_view name) {
  size_t at = name.find('@');
  if (at != std::string_view::npos) {
    if (!is_version(name.substr(at + 1))) return false;
    name = name.substr(0, at);
  }
  size_t colon = name.find(':');
  if (colon == std::string_view::npos) return false;
  size_t slash = name.find('/');
  if (slash == std::string_view::npos || slash < colon) return false;
  // Every piece between separators is a label: `:` before the first `/`, `/` after it.
  size_t start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i < name.size() && name[i] != ':' && name[i] != '/') continue;
    if (i < name.size() && name[i] == ':' && i > slash) return false;
    if (!is_label(name.substr(start, i - start))) return false;
    start = i + 1;
  }
  return true;
}

// `label`, `%label`, `[constructor]r`, `[method]r.f`, `[static]r.f`. Returns the name as the
// component spells it (without `%`), or nothing.
std::optional<std::string> function_name(std::string_view name) {
  if (name.starts_with('%')) {
    if (!is_label(name.substr(1))) return std::nullopt;
    return std::string(name.substr(1));
  }
  // A keyword needs its `%`, as variant cases do.
  if (is_label(name)) return is_keyword(name) ? std::nullopt : std::optional<std::string>(name);
  if (name.starts_with("[constructor]")) {
    if (!is_label(name.substr(13))) return std::nullopt;
    return std::string(name);
  }
  for (std::string_view prefix : {"[method]", "[static]"}) {
    if (!name.starts_with(prefix)) continue;
    std::string_view rest = name.substr(prefix.size());
    size_t dot = rest.find('.');
    if (dot == std::string_view::npos || !is_label(rest.substr(0, dot)) ||
        !is_label(rest.substr(dot + 1))) {
      return std::nullopt;
    }
    return std::string(name);
  }
  return std::nullopt;
}

std::optional<std::string> call_name(std::string_view name) {
  size_t hash = name.rfind('#');
  if (hash == std::string_view::npos) return function_name(name);
  if (!is_interface_name(name.substr(0, hash))) return std::nullopt;
  auto function = function_name(name.substr(hash + 1));
  if (!function) return std::nullopt;
  return fmt::format("{}#{}", name.substr(0, hash), *function);
}

struct NameSpan {
  std::string name;
  size_t end = 0;  // byte offset just past the name
};

// Where the name starts: past leading whitespace and comments.
size_t skip_whitespace_and_comments(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos;
    } else if (text.substr(pos, 2) == "//") {
      pos = std::min(text.find('\n', pos), text.size());
    } else {
      break;
    }
  }
  return pos;
}

Result<NameSpan> read_call_name(std::string_view text) {
  BERTH_TRY(check_utf8(text));
  size_t start = skip_whitespace_and_comments(text);
  size_t end = start;
  while (end < text.size() && is_name_char(text[end])) ++end;
  std::string_view written = text.substr(start, end - start);
  if (written.empty()) {
    std::string found = "end of input";
    if (end < text.size()) {
      size_t next = end;
      decode_utf8(text, next);
      found = fmt::format("'{}'", text.substr(end, next - end));
    }
    return error_at(text, start, ErrorCode::kMalformed,
                    fmt::format("expected {}, found {}", kNameForms, found));
  }
  auto name = call_name(written);
  if (!name && is_keyword(written)) {
    return error_at(
        text, start, ErrorCode::kMalformed,
        fmt::format("'{}' is a WAVE keyword: write the function name as %{}", written, written));
  }
  if (!name) {
    return error_at(text, start, ErrorCode::kMalformed,
                    fmt::format("'{}' is not {}", written, kNameForms));
  }
  return NameSpan{.name = std::move(*name), .end = end};
}

}  // namespace
}  // namespace berth::component::wave

namespace berth::component {

Result<std::string> parse_wave_call_name(std::string_view text) {
  BERTH_TRY_ASSIGN(wave::NameSpan name, wave::read_call_name(text));
  return std::move(name.name);
}

Result<WaveCall> parse_wave_call(std::string_view text, const FuncType& func) {
  using wave::TokenKind;
  BERTH_TRY_ASSIGN(wave::NameSpan name, wave::read_call_name(text));
  BERTH_TRY_ASSIGN(wave::Parser parser, wave::Parser::start(text, name.end));
  auto malformed = [&](std::string_view expected) {
    return parser.error_at(
        parser.current().offset, ErrorCode::kMalformed,
        fmt::format("expected {}, found {}", expected, wave::describe(parser.current())));
  };
  if (parser.current().kind != TokenKind::kLParen) return malformed("'(' after the function name");
  BERTH_TRY(parser.advance());

  WaveCall call{.function = std::move(name.name)};
  while (parser.current().kind != TokenKind::kRParen) {
    if (call.arguments.size() == func.params.size()) {
      if (!wave::can_begin_value(parser.current().kind))
        return malformed("')' to close the arguments");
      return parser.error_at(
          parser.current().offset, ErrorCode::kInvalid,
          fmt::format("too many arguments: {} takes {}", call.function, func.params.size()));
    }
    const Field& param = func.params[call.arguments.size()];
    if (!param.type) return Error(ErrorCode::kInternal, "function parameter without a type");
    BERTH_TRY_ASSIGN(Val argument, parser.parse_value(*param.type));
    call.arguments.push_back(std::move(argument));
    if (parser.current().kind == TokenKind::kComma) {
      BERTH_TRY(parser.advance());
    } else if (parser.current().kind != TokenKind::kRParen) {
      return malformed("',' or ')' in arguments");
    }
  }
  size_t close = parser.current().offset;
  // WAVE.md lets `-> results` follow a call when recording one; a call to make has none.
  size_t after = close + 1;
  while (after < text.size() && std::string_view(" \t\r\n").find(text[after]) != text.npos) {
    ++after;
  }
  if (text.substr(after, 2) == "->") {
    return parser.error_at(after, ErrorCode::kMalformed,
                           "a call expression to invoke cannot include results ('-> ...')");
  }
  BERTH_TRY(parser.advance());
  if (parser.current().kind != TokenKind::kEnd) return malformed("end of input after the call");

  // Trailing `option` parameters may be left out; they are `none`.
  for (size_t i = call.arguments.size(); i < func.params.size(); ++i) {
    const Field& param = func.params[i];
    if (!param.type || param.type->kind != ValKind::kOption) {
      return parser.error_at(close, ErrorCode::kInvalid,
                             fmt::format("missing argument '{}' ({}): {} takes {}", param.name,
                                         param.type ? wave::type_name(*param.type) : "?",
                                         call.function, func.params.size()));
    }
    call.arguments.push_back(Val::none());
  }
  return call;
}

Result<std::string> print_wave_call(std::string_view function, const std::vector<Val>& arguments,
                                    const FuncType& func) {
  // A label that is a keyword needs `%` to read back as a name.
  std::string name = wave::is_label(function) && wave::is_keyword(function)
                         ? fmt::format("%{}", function)
                         : std::string(function);
  if (!wave::call_name(name)) {
    return Error(ErrorCode::kUsage,
                 fmt::format("'{}' cannot be written as a WAVE call name", function));
  }
  if (arguments.size() != func.params.size()) {
    return Error(ErrorCode::kUsage, fmt::format("{} takes {} arguments, {} given", function,
                                                func.params.size(), arguments.size()));
  }
  std::string out = name + "(";
  for (size_t i = 0; i < arguments.size(); ++i) {
    if (i > 0) out += ", ";
    BERTH_TRY_ASSIGN(std::string text, print_wave(arguments[i], func.params[i].type));
    out += text;
  }
  out += ")";
  return out;
}

}  // namespace berth::component
