#include "component/wave/lexer.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <vector>

#include "support/utf8.h"

namespace berth::component::wave {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_letter(char c) {
  return is_lower(c) || is_upper(c);
}
bool is_label_char(char c) {
  return is_letter(c) || is_digit(c) || c == '-';
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the UTF-8 sequence that starts with `lead` (1 for anything else, so a scan that
// treats the text as bytes still moves forward).
size_t utf8_length(uint8_t lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

// A piece of source text for a message, cut short when long.
std::string shorten(std::string_view text) {
  constexpr size_t kMaxShown = 32;
  size_t cut = std::min(text.find('\n'), kMaxShown);
  if (cut >= text.size()) return std::string(text);
  while (cut > 0 && (static_cast<uint8_t>(text[cut]) & 0xc0) == 0x80) --cut;
  return fmt::format("{}...", text.substr(0, cut));
}

std::string quote_source(std::string_view text) {
  return "'" + shorten(text) + "'";
}

struct MultilineLine {
  size_t offset = 0;          // where the line starts
  size_t leading_spaces = 0;  // spaces before the first other character
  std::string decoded;        // the rest of the line, escapes decoded
};

}  // namespace

bool is_keyword(std::string_view label) {
  static constexpr std::array<std::string_view, 8> kKeywords = {"true", "false", "inf", "nan",
                                                                "some", "none",  "ok",  "err"};
  return std::find(kKeywords.begin(), kKeywords.end(), label) != kKeywords.end();
}

bool is_label(std::string_view label, std::string* reason) {
  auto fail = [reason](std::string_view why) {
    if (reason) *reason = why;
    return false;
  };
  if (label.empty()) return fail("a label cannot be empty");
  size_t start = 0;
  while (true) {
    size_t end = label.find('-', start);
    std::string_view word =
        label.substr(start, end == std::string_view::npos ? label.npos : end - start);
    if (word.empty()) return fail("words of a label are separated by single hyphens");
    if (!is_letter(word.front())) return fail("each word of a label must start with a letter");
    bool lower = false;
    bool upper = false;
    for (char c : word) {
      if (is_lower(c))
        lower = true;
      else if (is_upper(c))
        upper = true;
      else if (!is_digit(c))
        return fail("labels hold only ASCII letters, digits and hyphens");
    }
    if (lower && upper) return fail("a word of a label cannot mix upper and lower case");
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

bool is_keyword_token(const Token& token, std::string_view keyword) {
  return token.kind == TokenKind::kLabel && !token.escaped && token.value == keyword;
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::kEnd:
      return "end of input";
    case TokenKind::kNumber:
      return "number " + quote_source(token.text);
    case TokenKind::kChar:
      return "char " + shorten(token.text);
    case TokenKind::kString:
      return "string " + shorten(token.text);
    case TokenKind::kLabel:
      if (!token.escaped && is_keyword(token.value)) return "keyword '" + token.value + "'";
      return "label " + quote_source(token.text);
    default:
      return quote_source(token.text);
  }
}

Error error_at(std::string_view text, size_t offset, ErrorCode code, std::string_view message) {
  offset = std::min(offset, text.size());
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<uint8_t>(text[i]) & 0xc0) != 0x80) {
      ++column;
    }
  }
  if (text.find('\n') == std::string_view::npos)
    return Error(code, fmt::format("at column {}: {}", column, message));
  return Error(code, fmt::format("at line {}, column {}: {}", line, column, message));
}

Result<void> check_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return {};
  // Find the first character that is not UTF-8 by growing a valid prefix.
  size_t valid = 0;
  while (valid < text.size()) {
    size_t length = utf8_length(static_cast<uint8_t>(text[valid]));
    if (valid + length > text.size() || !is_valid_utf8(text.substr(valid, length))) break;
    valid += length;
  }
  return error_at(text, valid, ErrorCode::kMalformed, "the text is not valid UTF-8");
}

char32_t decode_utf8(std::string_view text, size_t& pos) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(text[pos + i]); };
  size_t length = std::min(utf8_length(byte(0)), text.size() - pos);
  char32_t cp = length == 1 ? byte(0) : byte(0) & (0xff >> (length + 1));
  for (size_t i = 1; i < length; ++i) cp = (cp << 6) | (byte(i) & 0x3f);
  pos += length;
  return cp;
}

bool can_begin_value(TokenKind kind) {
  switch (kind) {
    case TokenKind::kNumber:
    case TokenKind::kChar:
    case TokenKind::kString:
    case TokenKind::kLabel:
    case TokenKind::kLParen:
    case TokenKind::kLBracket:
    case TokenKind::kLBrace:
      return true;
    default:
      return false;
  }
}

void Lexer::skip_whitespace() {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
      size_t end = text_.find('\n', pos_);
      pos_ = end == std::string_view::npos ? text_.size() : end;
    } else {
      break;
    }
  }
}

Result<Token> Lexer::next() {
  skip_whitespace();
  size_t start = pos_;
  if (pos_ == text_.size()) return Token{.kind = TokenKind::kEnd, .offset = start};
  auto punctuation = [&](TokenKind kind) {
    ++pos_;
    return Token{.kind = kind, .offset = start, .text = text_.substr(start, 1)};
  };
  char c = text_[pos_];
  switch (c) {
    case '(':
      return punctuation(TokenKind::kLParen);
    case ')':
      return punctuation(TokenKind::kRParen);
    case '[':
      return punctuation(TokenKind::kLBracket);
    case ']':
      return punctuation(TokenKind::kRBracket);
    case '{':
      return punctuation(TokenKind::kLBrace);
    case '}':
      return punctuation(TokenKind::kRBrace);
    case ',':
      return punctuation(TokenKind::kComma);
    case ':':
      return punctuation(TokenKind::kColon);
    case '\'':
      return read_char(start);
    case '"':
      if (text_.substr(pos_, 3) == "\"\"\"") return read_multiline_string(start);
      return read_string(start);
    default:
      break;
  }
  if (c == '-' || is_digit(c)) return read_number(start);
  if (c == '%' || is_letter(c)) return read_label(start);
  size_t length = std::min(utf8_length(static_cast<uint8_t>(c)), text_.size() - pos_);
  return error(start,
               fmt::format("unexpected character {}", quote_source(text_.substr(pos_, length))));
}

Result<Token> Lexer::read_number(size_t start) {
  Token token{.kind = TokenKind::kNumber, .offset = start};
  if (text_[pos_] == '-') {
    ++pos_;
    if (text_.substr(pos_, 3) == "inf" &&
        (pos_ + 3 == text_.size() || !is_label_char(text_[pos_ + 3]))) {
      pos_ += 3;
      token.text = text_.substr(start, pos_ - start);
      return token;
    }
    if (pos_ == text_.size() || !is_digit(text_[pos_]))
      return error(start, "expected a digit or 'inf' after '-'");
  }
  auto digits = [this] {
    size_t from = pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    return pos_ - from;
  };
  size_t integer_start = pos_;
  if (digits() > 1 && text_[integer_start] == '0')
    return error(integer_start, "numbers cannot have leading zeros");
  if (pos_ < text_.size() && text_[pos_] == '.') {
    ++pos_;
    if (digits() == 0) return error(pos_, "expected a digit after '.' in a number");
    token.has_fraction_or_exponent = true;
  }
  if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
    ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
    size_t exponent_start = pos_;
    size_t count = digits();
    if (count == 0) return error(pos_, "expected a digit in the exponent of a number");
    if (count > 1 && text_[exponent_start] == '0')
      return error(exponent_start, "exponents cannot have leading zeros");
    token.has_fraction_or_exponent = true;
  }
  token.text = text_.substr(start, pos_ - start);
  return token;
}

Result<Token> Lexer::read_label(size_t start) {
  Token token{.kind = TokenKind::kLabel, .offset = start};
  if (text_[pos_] == '%') {
    token.escaped = true;
    ++pos_;
    if (pos_ == text_.size() || !is_letter(text_[pos_]))
      return error(start, "expected a label after '%'");
  }
  size_t label_start = pos_;
  while (pos_ < text_.size() && is_label_char(text_[pos_])) ++pos_;
  token.value = text_.substr(label_start, pos_ - label_start);
  token.text = text_.substr(start, pos_ - start);
  std::string reason;
  if (!is_label(token.value, &reason))
    return error(start, fmt::format("invalid label {}: {}", quote_source(token.text), reason));
  return token;
}

Result<char32_t> Lexer::read_escape() {
  size_t start = pos_;
  ++pos_;  // the backslash
  if (pos_ == text_.size()) return error(start, "expected an escape after '\\'");
  char c = text_[pos_++];
  switch (c) {
    case '\'':
    case '"':
    case '\\':
      return static_cast<char32_t>(c);
    case 't':
      return U'\t';
    case 'n':
      return U'\n';
    case 'r':
      return U'\r';
    case 'u':
      break;
    default: {
      --pos_;
      size_t length = std::min(utf8_length(static_cast<uint8_t>(c)), text_.size() - pos_);
      return error(start, fmt::format("invalid escape '\\{}' (expected one of \\' \\\" \\\\ \\t "
                                      "\\n \\r \\u{{...}})",
                                      text_.substr(pos_, length)));
    }
  }
  if (pos_ == text_.size() || text_[pos_] != '{') return error(start, "expected '{' after '\\u'");
  ++pos_;
  uint32_t value = 0;
  size_t digit_count = 0;
  while (pos_ < text_.size() && hex_value(text_[pos_]) >= 0) {
    // Saturate: any value past U+10FFFF is refused below, however many digits follow.
    value = std::min<uint32_t>(value * 16 + hex_value(text_[pos_]), 0x110000);
    ++digit_count;
    ++pos_;
  }
  if (digit_count == 0) return error(pos_, "expected hexadecimal digits in '\\u{...}'");
  if (pos_ == text_.size() || text_[pos_] != '}')
    return error(pos_, "expected '}' to close '\\u{...}'");
  ++pos_;
  if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
    return error(
        start, fmt::format("{} is not a Unicode scalar value", text_.substr(start, pos_ - start)));
  }
  return static_cast<char32_t>(value);
}

Result<Token> Lexer::read_char(size_t start) {
  Token token{.kind = TokenKind::kChar, .offset = start};
  ++pos_;  // the opening quote
  if (pos_ == text_.size()) return error(start, "unterminated char literal");
  char c = text_[pos_];
  if (c == '\'') {
    if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '\'')
      return error(pos_, "a ' in a char literal must be escaped as \\'");
    return error(start, "empty char literal");
  }
  if (c == '\n') return error(pos_, "a line break in a char literal must be escaped as \\n");
  if (c == '\\') {
    BERTH_TRY_ASSIGN(token.code_point, read_escape());
  } else {
    token.code_point = read_code_point();
  }
  if (pos_ == text_.size()) return error(start, "unterminated char literal");
  if (text_[pos_] != '\'') {
    return error(pos_,
                 "expected ''' to close the char literal (a char literal holds one "
                 "character)");
  }
  ++pos_;
  token.text = text_.substr(start, pos_ - start);
  append_utf8(token.value, token.code_point);
  return token;
}

Result<Token> Lexer::read_string(size_t start) {
  Token token{.kind = TokenKind::kString, .offset = start};
  ++pos_;  // the opening quote
  while (true) {
    if (pos_ == text_.size()) return error(start, "unterminated string");
    char c = text_[pos_];
    if (c == '"') break;
    if (c == '\n') {
      return error(pos_,
                   "a line break in a string must be escaped as \\n (or is the string "
                   "missing its closing '\"'?)");
    }
    if (c == '\\') {
      BERTH_TRY_ASSIGN(char32_t escaped, read_escape());
      append_utf8(token.value, escaped);
    } else {
      size_t from = pos_;
      read_code_point();
      token.value.append(text_.substr(from, pos_ - from));
    }
  }
  ++pos_;
  token.text = text_.substr(start, pos_ - start);
  return token;
}

Result<Token> Lexer::read_multiline_string(size_t start) {
  Token token{.kind = TokenKind::kString, .offset = start};
  pos_ += 3;
  auto at_line_break = [this] {
    return text_.substr(pos_, 1) == "\n" || text_.substr(pos_, 2) == "\r\n";
  };
  auto skip_line_break = [this] { pos_ += text_[pos_] == '\r' ? 2 : 1; };
  if (!at_line_break())
    return error(pos_, "the opening \"\"\" of a multiline string must be followed by a line break");
  skip_line_break();

  std::vector<MultilineLine> lines;
  size_t indent = 0;
  while (true) {
    MultilineLine line{.offset = pos_};
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
    line.leading_spaces = pos_ - line.offset;
    if (text_.substr(pos_, 3) == "\"\"\"") {
      indent = line.leading_spaces;
      pos_ += 3;
      break;
    }
    while (true) {
      if (pos_ == text_.size()) return error(start, "unterminated multiline string");
      if (at_line_break()) break;
      if (text_.substr(pos_, 3) == "\"\"\"") {
        return error(pos_,
                     "\"\"\" inside a multiline string must be broken up, as \"\"\\\"; "
                     "the closing \"\"\" goes on a line of its own");
      }
      if (text_[pos_] == '\\') {
        // `\"""` is refused too: its `"""` would be taken for the end of the string.
        if (text_.substr(pos_ + 1, 3) == "\"\"\"")
          return error(pos_ + 1, "\"\"\" inside a multiline string must be broken up, as \"\"\\\"");
        BERTH_TRY_ASSIGN(char32_t escaped, read_escape());
        append_utf8(line.decoded, escaped);
      } else {
        size_t from = pos_;
        read_code_point();
        line.decoded.append(text_.substr(from, pos_ - from));
      }
    }
    skip_line_break();
    lines.push_back(std::move(line));
  }

  for (size_t i = 0; i < lines.size(); ++i) {
    const MultilineLine& line = lines[i];
    if (line.leading_spaces < indent) {
      return error(line.offset + line.leading_spaces,
                   "each line of a multiline string must be indented at least as far as the "
                   "closing \"\"\"");
    }
    if (i > 0) token.value += '\n';
    token.value.append(line.leading_spaces - indent, ' ');
    token.value += line.decoded;
  }
  token.text = text_.substr(start, pos_ - start);
  return token;
}

}  // namespace berth::component::wave
