// Tokens of WIT text. The lexer is pulled one token at a time by the parser and keeps doc
// comments (`///`, `/** */`) on the token that follows them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "berth/result.h"

namespace berth::wit {

// 1-based line and column; columns count Unicode scalar values.
struct Pos {
  uint32_t line = 1;
  uint32_t column = 1;
};

// "file:line:column: message", the form of every WIT diagnostic.
Error located_error(ErrorCode code, std::string_view file, Pos pos, std::string_view message);

enum class TokenKind : uint8_t {
  kEof,
  kIdent,
  kInteger,
  kStringLiteral,
  // Operators.
  kEquals,
  kComma,
  kColon,
  kSemicolon,
  kLParen,
  kRParen,
  kLBrace,
  kRBrace,
  kLess,
  kGreater,
  kStar,
  kArrow,
  kSlash,
  kPeriod,
  kAt,
  kUnderscore,
  // Keywords.
  kAs,
  kAsync,
  kBool,
  kBorrow,
  kChar,
  kConstructor,
  kEnum,
  kErrorContext,
  kExport,
  kF32,
  kF64,
  kFlags,
  kFrom,
  kFunc,
  kFuture,
  kImport,
  kInclude,
  kInterface,
  kList,
  kMap,
  kOption,
  kOwn,
  kPackage,
  kRecord,
  kResource,
  kResult,
  kS16,
  kS32,
  kS64,
  kS8,
  kStatic,
  kStream,
  kString,
  kTuple,
  kType,
  kU16,
  kU32,
  kU64,
  kU8,
  kUse,
  kVariant,
  kWith,
  kWorld,
};

bool is_keyword(TokenKind kind);
// The keyword spelled `word`, or kIdent when it is not one.
TokenKind keyword_kind(std::string_view word);

struct Token {
  TokenKind kind = TokenKind::kEof;
  std::string_view text;  // as written; without the '%' of an explicit identifier
  std::string value;      // the decoded contents of a string literal
  uint32_t offset = 0;    // byte offset of the first character (the '%' if there is one)
  Pos pos;
  bool explicit_id = false;   // `%name`
  bool space_before = false;  // whitespace or a comment separates it from the previous token
  std::string docs;           // doc comments right before the token, one line per line
};

// How a token is named in "found ..." parts of messages: 'func', '%type', end of file.
std::string describe(const Token& token);

// Checks a kebab-case identifier ("a-b", "XML-parser"); the error says what is wrong.
Result<void> validate_identifier(std::string_view name);

class Lexer {
 public:
  Lexer(std::string_view file, std::string_view text) : file_(file), text_(text) {}

  // Rejects text that is not UTF-8 or holds characters WIT forbids (control codes other than
  // tab, CR and LF, bidirectional overrides, deprecated code points). Call once, first.
  Result<void> validate_text() const;

  Result<Token> next();

  // Scans the version that starts where `at` (an already lexed token) starts, and resumes
  // lexing after it. Versions are not made of WIT tokens ("1.0.0-rc.1+b.2").
  std::string_view take_version(const Token& at);

  std::string_view file() const { return file_; }
  Error error(Pos pos, std::string_view message) const {
    return located_error(ErrorCode::kMalformed, file_, pos, message);
  }

 private:
  bool at_end() const { return offset_ >= text_.size(); }
  char peek(size_t ahead = 0) const {
    return offset_ + ahead < text_.size() ? text_[offset_ + ahead] : '\0';
  }
  void advance();
  Result<void> skip_trivia(std::string& docs, bool& skipped);
  Result<void> block_comment(std::string& docs);
  Result<void> string_literal(Token& token);

  std::string_view file_;
  std::string_view text_;
  uint32_t offset_ = 0;
  Pos pos_;
};

}  // namespace berth::wit
