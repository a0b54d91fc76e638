#include "lexer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "berth/wit/semver.h"

namespace berth::wit {
namespace {

constexpr std::array<std::pair<std::string_view, TokenKind>, 43> kKeywords = {{
    {"as", TokenKind::kAs},
    {"async", TokenKind::kAsync},
    {"bool", TokenKind::kBool},
    {"borrow", TokenKind::kBorrow},
    {"char", TokenKind::kChar},
    {"constructor", TokenKind::kConstructor},
    {"enum", TokenKind::kEnum},
    {"error-context", TokenKind::kErrorContext},
    {"export", TokenKind::kExport},
    {"f32", TokenKind::kF32},
    {"f64", TokenKind::kF64},
    {"flags", TokenKind::kFlags},
    {"from", TokenKind::kFrom},
    {"func", TokenKind::kFunc},
    {"future", TokenKind::kFuture},
    {"import", TokenKind::kImport},
    {"include", TokenKind::kInclude},
    {"interface", TokenKind::kInterface},
    {"list", TokenKind::kList},
    {"map", TokenKind::kMap},
    {"option", TokenKind::kOption},
    {"own", TokenKind::kOwn},
    {"package", TokenKind::kPackage},
    {"record", TokenKind::kRecord},
    {"resource", TokenKind::kResource},
    {"result", TokenKind::kResult},
    {"s16", TokenKind::kS16},
    {"s32", TokenKind::kS32},
    {"s64", TokenKind::kS64},
    {"s8", TokenKind::kS8},
    {"static", TokenKind::kStatic},
    {"stream", TokenKind::kStream},
    {"string", TokenKind::kString},
    {"tuple", TokenKind::kTuple},
    {"type", TokenKind::kType},
    {"u16", TokenKind::kU16},
    {"u32", TokenKind::kU32},
    {"u64", TokenKind::kU64},
    {"u8", TokenKind::kU8},
    {"use", TokenKind::kUse},
    {"variant", TokenKind::kVariant},
    {"with", TokenKind::kWith},
    {"world", TokenKind::kWorld},
}};

bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ident_char(char c) {
  return is_letter(c) || is_digit(c) || c == '-';
}
bool is_continuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Decodes one UTF-8 scalar at `i`; returns its length, or 0 when the bytes are not UTF-8.
size_t decode_utf8(std::string_view s, size_t i, uint32_t& cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  size_t len;
  uint32_t min;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if (!is_continuation(b(k))) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

std::string_view forbidden_reason(uint32_t cp) {
  if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F)) {
    return "control character";
  }
  if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
    return "bidirectional override character";
  }
  switch (cp) {
    case 0x0149:
    case 0x0673:
    case 0x0F77:
    case 0x0F79:
    case 0x17A3:
    case 0x17A4:
    case 0x17B4:
    case 0x17B5:
      return "deprecated character";
    default:
      return {};
  }
}

void append_doc_line(std::string& docs, std::string_view line) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  if (!docs.empty()) docs += '\n';
  docs += line;
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

Error located_error(ErrorCode code, std::string_view file, Pos pos, std::string_view message) {
  return Error(code, fmt::format("{}:{}:{}: {}", file, pos.line, pos.column, message));
}

bool is_keyword(TokenKind kind) {
  return kind >= TokenKind::kAs;
}

TokenKind keyword_kind(std::string_view word) {
  for (const auto& [text, kind] : kKeywords) {
    if (text == word) return kind;
  }
  return TokenKind::kIdent;
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEof:
      return "end of file";
    case TokenKind::kStringLiteral:
      return fmt::format("string {}", token.text);
    default:
      return fmt::format("'{}{}'", token.explicit_id ? "%" : "", token.text);
  }
}

Result<void> validate_identifier(std::string_view name) {
  if (name.empty()) return Error(ErrorCode::kMalformed, "identifiers must not be empty");
  size_t start = 0;
  bool first = true;
  while (true) {
    size_t dash = name.find('-', start);
    std::string_view word =
        name.substr(start, dash == std::string_view::npos ? std::string_view::npos : dash - start);
    if (word.empty()) {
      std::string why = dash == std::string_view::npos
                            ? fmt::format("identifier '{}' must not end with '-'", name)
                        : first ? fmt::format("identifier '{}' must not start with '-'", name)
                                : fmt::format("identifier '{}' must not contain '--'", name);
      return Error(ErrorCode::kMalformed, why);
    }
    if (first && !is_letter(word[0])) {
      return Error(ErrorCode::kMalformed,
                   fmt::format("identifier '{}' must start with a letter", name));
    }
    bool lower = false;
    bool upper = false;
    for (char c : word) {
      if (!is_ident_char(c)) {
        return Error(ErrorCode::kMalformed,
                     fmt::format("character '{}' is not allowed in identifier '{}'", c, name));
      }
      lower |= c >= 'a' && c <= 'z';
      upper |= c >= 'A' && c <= 'Z';
    }
    if (lower && upper) {
      return Error(ErrorCode::kMalformed,
                   fmt::format("word '{}' of identifier '{}' mixes upper and lower case; each "
                               "word must be all lower case or all upper case (kebab-case)",
                               word, name));
    }
    if (dash == std::string_view::npos) return {};
    start = dash + 1;
    first = false;
  }
}

Result<void> Lexer::validate_text() const {
  Pos pos;
  for (size_t i = 0; i < text_.size();) {
    uint32_t cp = 0;
    size_t len = decode_utf8(text_, i, cp);
    if (len == 0) {
      return error(pos, fmt::format("invalid UTF-8 byte 0x{:02x}; WIT files must be UTF-8",
                                    static_cast<unsigned char>(text_[i])));
    }
    if (std::string_view why = forbidden_reason(cp); !why.empty()) {
      return error(pos, fmt::format("{} U+{:04X} is not allowed in WIT", why, cp));
    }
    if (cp == '\n') {
      ++pos.line;
      pos.column = 1;
    } else {
      ++pos.column;
    }
    i += len;
  }
  return {};
}

void Lexer::advance() {
  if (at_end()) return;
  char c = text_[offset_++];
  if (c == '\n') {
    ++pos_.line;
    pos_.column = 1;
  } else if (!is_continuation(static_cast<unsigned char>(c))) {
    ++pos_.column;
  }
}

Result<void> Lexer::block_comment(std::string& docs) {
  Pos start = pos_;
  uint32_t begin = offset_;
  // `/**` opens a doc comment, but `/**/` is an empty plain one.
  bool is_doc = peek(2) == '*' && peek(3) != '/';
  advance();
  advance();
  int depth = 1;
  while (depth > 0) {
    if (at_end()) return error(start, "unterminated block comment; expected '*/'");
    if (peek() == '/' && peek(1) == '*') {
      advance();
      advance();
      ++depth;
    } else if (peek() == '*' && peek(1) == '/') {
      advance();
      advance();
      --depth;
    } else {
      advance();
    }
  }
  if (is_doc) {
    std::string_view body = text_.substr(begin + 3, offset_ - begin - 5);
    while (!body.empty() && (body.front() == ' ' || body.front() == '\n' || body.front() == '\r' ||
                             body.front() == '\t')) {
      body.remove_prefix(1);
    }
    while (!body.empty() && (body.back() == ' ' || body.back() == '\n' || body.back() == '\r' ||
                             body.back() == '\t')) {
      body.remove_suffix(1);
    }
    size_t at = 0;
    while (at <= body.size()) {
      size_t nl = body.find('\n', at);
      if (nl == std::string_view::npos) nl = body.size();
      // Continuation lines lose their indentation and a leading "* " (javadoc style).
      std::string_view doc_line = body.substr(at, nl - at);
      while (!doc_line.empty() && (doc_line.front() == ' ' || doc_line.front() == '\t')) {
        doc_line.remove_prefix(1);
      }
      if (doc_line == "*" || doc_line.substr(0, 2) == "* ") {
        doc_line.remove_prefix(std::min<size_t>(doc_line.size(), 2));
      }
      append_doc_line(docs, doc_line);
      at = nl + 1;
    }
  }
  return {};
}

Result<void> Lexer::skip_trivia(std::string& docs, bool& skipped) {
  while (!at_end()) {
    char c = peek();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      advance();
    } else if (c == '/' && peek(1) == '/') {
      uint32_t begin = offset_;
      while (!at_end() && peek() != '\n') advance();
      std::string_view line = text_.substr(begin, offset_ - begin);
      // `///` is a doc comment; `////...` is an ordinary one.
      if (line.size() >= 3 && line[2] == '/' && (line.size() == 3 || line[3] != '/')) {
        line.remove_prefix(3);
        if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        append_doc_line(docs, line);
      }
    } else if (c == '/' && peek(1) == '*') {
      BERTH_TRY(block_comment(docs));
    } else {
      return {};
    }
    skipped = true;
  }
  return {};
}

Result<void> Lexer::string_literal(Token& token) {
  advance();  // the opening quote
  while (true) {
    if (at_end() || peek() == '\n') {
      return error(token.pos, "unterminated string literal; expected '\"'");
    }
    char c = peek();
    if (c == '"') {
      advance();
      return {};
    }
    if (c != '\\') {
      token.value += c;
      advance();
      continue;
    }
    Pos escape = pos_;
    advance();
    char e = peek();
    switch (e) {
      case 't':
        token.value += '\t';
        break;
      case 'n':
        token.value += '\n';
        break;
      case 'r':
        token.value += '\r';
        break;
      case '"':
      case '\'':
      case '\\':
        token.value += e;
        break;
      case 'u': {
        advance();
        if (peek() != '{') return error(escape, "expected '{' after '\\u' in string literal");
        advance();
        uint32_t cp = 0;
        int digits = 0;
        while (hex_value(peek()) >= 0 && digits < 7) {
          cp = cp * 16 + static_cast<uint32_t>(hex_value(peek()));
          ++digits;
          advance();
        }
        if (digits == 0 || peek() != '}' || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
          return error(escape, "invalid unicode escape in string literal; expected '\\u{HEX}'");
        }
        append_utf8(token.value, cp);
        break;
      }
      default: {
        int hi = hex_value(e);
        int lo = hex_value(peek(1));
        if (hi < 0 || lo < 0) {
          return error(escape,
                       "invalid escape in string literal; expected \\t, \\n, \\r, \\\", "
                       "\\', \\\\, \\u{...} or two hex digits");
        }
        advance();
        token.value += static_cast<char>(hi * 16 + lo);
        break;
      }
    }
    advance();
  }
}

Result<Token> Lexer::next() {
  Token token;
  bool skipped = offset_ == 0;
  BERTH_TRY(skip_trivia(token.docs, skipped));
  token.space_before = skipped;
  token.offset = offset_;
  token.pos = pos_;
  if (at_end()) {
    token.kind = TokenKind::kEof;
    return token;
  }
  uint32_t begin = offset_;
  char c = peek();
  auto single = [&](TokenKind kind) {
    advance();
    token.kind = kind;
    token.text = text_.substr(begin, 1);
    return token;
  };
  if (is_letter(c) || (c == '%' && is_letter(peek(1)))) {
    if (c == '%') {
      token.explicit_id = true;
      advance();
    }
    uint32_t word = offset_;
    while (is_ident_char(peek()) && !(peek() == '-' && peek(1) == '>')) advance();
    token.text = text_.substr(word, offset_ - word);
    if (peek() == '_') {
      return error(token.pos, fmt::format("character '_' is not allowed in identifier '{}_'; WIT "
                                          "identifiers are kebab-case",
                                          token.text));
    }
    if (auto valid = validate_identifier(token.text); !valid) {
      return error(token.pos, valid.error().message());
    }
    token.kind = token.explicit_id ? TokenKind::kIdent : keyword_kind(token.text);
    return token;
  }
  if (is_digit(c)) {
    while (is_digit(peek())) advance();
    token.kind = TokenKind::kInteger;
    token.text = text_.substr(begin, offset_ - begin);
    return token;
  }
  switch (c) {
    case '"':
      BERTH_TRY(string_literal(token));
      token.kind = TokenKind::kStringLiteral;
      token.text = text_.substr(begin, offset_ - begin);
      return token;
    case '%':
      return error(token.pos, "expected an identifier after '%'");
    case '=':
      return single(TokenKind::kEquals);
    case ',':
      return single(TokenKind::kComma);
    case ':':
      return single(TokenKind::kColon);
    case ';':
      return single(TokenKind::kSemicolon);
    case '(':
      return single(TokenKind::kLParen);
    case ')':
      return single(TokenKind::kRParen);
    case '{':
      return single(TokenKind::kLBrace);
    case '}':
      return single(TokenKind::kRBrace);
    case '<':
      return single(TokenKind::kLess);
    case '>':
      return single(TokenKind::kGreater);
    case '*':
      return single(TokenKind::kStar);
    case '/':
      return single(TokenKind::kSlash);
    case '.':
      return single(TokenKind::kPeriod);
    case '@':
      return single(TokenKind::kAt);
    case '_':
      if (is_ident_char(peek(1))) {
        return error(token.pos, "identifiers must start with a letter, not '_'");
      }
      return single(TokenKind::kUnderscore);
    case '-':
      if (peek(1) == '>') {
        advance();
        advance();
        token.kind = TokenKind::kArrow;
        token.text = text_.substr(begin, 2);
        return token;
      }
      return error(token.pos, "unexpected character '-'");
    default:
      break;
  }
  uint32_t cp = 0;
  size_t len = decode_utf8(text_, offset_, cp);
  if (len > 1) {
    return error(token.pos, fmt::format("unexpected character '{}' (U+{:04X})",
                                        text_.substr(offset_, len), cp));
  }
  return error(token.pos, fmt::format("unexpected character '{}'", c));
}

std::string_view Lexer::take_version(const Token& at) {
  offset_ = at.offset;
  pos_ = at.pos;
  size_t length = version_prefix_length(text_.substr(offset_));
  std::string_view version = text_.substr(offset_, length);
  for (size_t i = 0; i < length; ++i) advance();
  return version;
}

}  // namespace berth::wit
