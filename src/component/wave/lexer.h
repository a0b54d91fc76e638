// Tokens of WAVE text (WAVE-ebnf.md). The lexer knows nothing about types: keywords come out as
// labels, and the typed parser decides what a label means. Strings and chars are decoded here
// (escapes, multiline dedent), so the parser sees their values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "berth/result.h"
#include "support/utf8.h"

namespace berth::component::wave {

enum class TokenKind : uint8_t {
  kEnd,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kComma,
  kColon,
  kNumber,  // a JSON number or `-inf`; `inf` and `nan` are labels
  kChar,
  kString,
  kLabel,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  size_t offset = 0;        // byte offset of the token's first character in the whole text
  std::string_view text;    // the token as written
  std::string value;        // string: decoded contents; label: without the `%`
  char32_t code_point = 0;  // char
  bool escaped = false;     // label written with a leading `%`
  // Number: has a fraction or an exponent (so it cannot be an integer).
  bool has_fraction_or_exponent = false;
};

// Labels spelled like a WAVE keyword need `%` to be read as a variant or enum case.
bool is_keyword(std::string_view label);
// A kebab-case label: hyphen-separated words, each a letter then letters and digits, all of one
// case. `reason` (when not null) receives why `label` is not one.
bool is_label(std::string_view label, std::string* reason = nullptr);
// True for an unescaped label that is the keyword `keyword`.
bool is_keyword_token(const Token& token, std::string_view keyword);
// Tokens that can begin a value: a mismatch on one of them is a type error, not a syntax error.
bool can_begin_value(TokenKind kind);
// How a token is named in messages: "'}'", "label 'abc'", "keyword 'none'", "end of input"...
std::string describe(const Token& token);

// "at column 7: <message>", or "at line 2, column 7: <message>" when `text` has several lines.
// Columns count Unicode scalar values from 1.
Error error_at(std::string_view text, size_t offset, ErrorCode code, std::string_view message);

// The character of valid UTF-8 `text` at byte `pos`, moving `pos` past it.
char32_t decode_utf8(std::string_view text, size_t& pos);

class Lexer {
 public:
  // Reads `text` from byte `offset` on; offsets in tokens and errors are into the whole text.
  // The text must be valid UTF-8 (the entry points check it).
  Lexer(std::string_view text, size_t offset) : text_(text), pos_(offset) {}

  Result<Token> next();
  std::string_view text() const { return text_; }

  Error error(size_t offset, std::string_view message) const {
    return error_at(text_, offset, ErrorCode::kMalformed, message);
  }

 private:
  void skip_whitespace();
  Result<Token> read_number(size_t start);
  Result<Token> read_label(size_t start);
  Result<Token> read_char(size_t start);
  Result<Token> read_string(size_t start);
  Result<Token> read_multiline_string(size_t start);
  // Reads the escape whose backslash is at pos_.
  Result<char32_t> read_escape();
  char32_t read_code_point() { return decode_utf8(text_, pos_); }

  std::string_view text_;
  size_t pos_;
};

// Checks that `text` is UTF-8, naming where it stops being so.
Result<void> check_utf8(std::string_view text);

}  // namespace berth::component::wave
