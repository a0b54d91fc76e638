#include "lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth::wit {
namespace {

std::vector<Token> lex_all(std::string_view text) {
  Lexer lexer("t.wit", text);
  EXPECT_TRUE(lexer.validate_text().ok());
  std::vector<Token> tokens;
  while (true) {
    auto token = lexer.next();
    EXPECT_TRUE(token.ok()) << token.error().message();
    if (!token.ok() || token->kind == TokenKind::kEof) break;
    tokens.push_back(*token);
  }
  return tokens;
}

std::vector<TokenKind> kinds(const std::vector<Token>& tokens) {
  std::vector<TokenKind> out;
  for (const Token& t : tokens) out.push_back(t.kind);
  return out;
}

std::string lex_error(std::string_view text) {
  Lexer lexer("t.wit", text);
  if (auto valid = lexer.validate_text(); !valid) return valid.error().message();
  while (true) {
    auto token = lexer.next();
    if (!token) return token.error().message();
    if (token->kind == TokenKind::kEof) return "";
  }
}

TEST(wit_lexer, OperatorsKeywordsAndIdentifiers) {
  auto tokens = lex_all("f: func(a: list<u8>) -> result<_, my-error>; %type @ / . * =");
  EXPECT_EQ(kinds(tokens),
            (std::vector<TokenKind>{
                TokenKind::kIdent,  TokenKind::kColon,   TokenKind::kFunc,       TokenKind::kLParen,
                TokenKind::kIdent,  TokenKind::kColon,   TokenKind::kList,       TokenKind::kLess,
                TokenKind::kU8,     TokenKind::kGreater, TokenKind::kRParen,     TokenKind::kArrow,
                TokenKind::kResult, TokenKind::kLess,    TokenKind::kUnderscore, TokenKind::kComma,
                TokenKind::kIdent,  TokenKind::kGreater, TokenKind::kSemicolon,  TokenKind::kIdent,
                TokenKind::kAt,     TokenKind::kSlash,   TokenKind::kPeriod,     TokenKind::kStar,
                TokenKind::kEquals}));
  EXPECT_EQ(tokens[16].text, "my-error");
  // `%type` is the identifier "type", not the keyword.
  EXPECT_EQ(tokens[19].text, "type");
  EXPECT_TRUE(tokens[19].explicit_id);
  EXPECT_EQ(describe(tokens[19]), "'%type'");
}

TEST(wit_lexer, ErrorContextIsOneKeyword) {
  auto tokens = lex_all("error-context errors-context");
  EXPECT_EQ(kinds(tokens), (std::vector<TokenKind>{TokenKind::kErrorContext, TokenKind::kIdent}));
}

TEST(wit_lexer, IdentifierDirectlyBeforeArrow) {
  auto tokens = lex_all("a->b");
  EXPECT_EQ(kinds(tokens),
            (std::vector<TokenKind>{TokenKind::kIdent, TokenKind::kArrow, TokenKind::kIdent}));
}

TEST(wit_lexer, PositionsCountCharactersNotBytes) {
  auto tokens = lex_all("/* \xC3\xA9\xC3\xA9 */ x\n\ty");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].pos.column, 10u);  // The comment and the space are 9 characters (11 bytes).
  EXPECT_EQ(tokens[1].pos.line, 2u);
  EXPECT_EQ(tokens[1].pos.column, 2u);
}

TEST(wit_lexer, DocCommentsAttachToTheNextToken) {
  auto tokens = lex_all(
      "/// first\n///second\n//// not a doc\n// plain\n/** block\n    doc */\n/**/ a /// b\n c");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].docs, "first\nsecond\nblock\ndoc");
  EXPECT_EQ(tokens[1].docs, "b");
  EXPECT_EQ(tokens[1].pos.line, 8u);
  EXPECT_EQ(tokens[1].pos.column, 2u);
}

TEST(wit_lexer, DocCommentsKeepIndentation) {
  auto tokens = lex_all("///   indented\n///\n/// x  \nitem");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].docs, "  indented\n\nx");
}

TEST(wit_lexer, BlockCommentsNest) {
  auto tokens = lex_all("/* a /* b */ c */ x");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].text, "x");
  EXPECT_EQ(lex_error("/* a /* b */"), "t.wit:1:1: unterminated block comment; expected '*/'");
}

TEST(wit_lexer, StringLiterals) {
  auto tokens = lex_all(R"("a\"b\\c\u{2603}\41\t")");
  ASSERT_EQ(tokens.size(), 1u);
  EXPECT_EQ(tokens[0].kind, TokenKind::kStringLiteral);
  EXPECT_EQ(tokens[0].value,
            "a\"b\\c\xE2\x98\x83"
            "A\t");
  EXPECT_EQ(lex_error("\"abc"), "t.wit:1:1: unterminated string literal; expected '\"'");
  EXPECT_NE(lex_error(R"("\u{110000}")").find("invalid unicode escape"), std::string::npos);
}

TEST(wit_lexer, SpaceBeforeIsRecorded) {
  auto tokens = lex_all("a:b c : d");
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_FALSE(tokens[1].space_before);
  EXPECT_FALSE(tokens[2].space_before);
  EXPECT_TRUE(tokens[3].space_before);
  EXPECT_TRUE(tokens[4].space_before);
}

TEST(wit_lexer, ValidatesKebabCaseIdentifiers) {
  for (const char* good : {"a", "a-b", "XML-parser", "a1-2b", "a-B-c", "HTTP2"}) {
    EXPECT_TRUE(validate_identifier(good).ok()) << good;
  }
  const std::pair<const char*, const char*> bad[] = {
      {"Foo", "mixes upper and lower case"},  {"a--b", "must not contain '--'"},
      {"a-", "must not end with '-'"},        {"1a", "must start with a letter"},
      {"-a", "must not start with '-'"},      {"", "must not be empty"},
      {"a.b", "character '.' is not allowed"}};
  for (const auto& [name, message] : bad) {
    auto result = validate_identifier(name);
    ASSERT_FALSE(result.ok()) << name;
    EXPECT_NE(result.error().message().find(message), std::string::npos)
        << result.error().message();
  }
}

TEST(wit_lexer, RejectsForbiddenCharacters) {
  EXPECT_EQ(lex_error("a\n\xE2\x81\xA6"),
            "t.wit:2:1: bidirectional override character U+2066 is not allowed in WIT");
  EXPECT_EQ(lex_error("a\x1b"), "t.wit:1:2: control character U+001B is not allowed in WIT");
  EXPECT_EQ(lex_error("\xC5\x89"), "t.wit:1:1: deprecated character U+0149 is not allowed in WIT");
  EXPECT_EQ(lex_error("ab\xC0\x80"), "t.wit:1:3: invalid UTF-8 byte 0xc0; WIT files must be UTF-8");
  EXPECT_EQ(lex_error("\xE2\x98\x83"), "t.wit:1:1: unexpected character '\xE2\x98\x83' (U+2603)");
  EXPECT_EQ(lex_error("%1"), "t.wit:1:1: expected an identifier after '%'");
  EXPECT_EQ(lex_error("_x"), "t.wit:1:1: identifiers must start with a letter, not '_'");
}

TEST(wit_lexer, TakesVersionsThatAreNotTokens) {
  std::string_view text = "@0.2.0-rc.1+b.{x}";
  Lexer lexer("t.wit", text);
  auto at = lexer.next();
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->kind, TokenKind::kAt);
  auto start = lexer.next();
  ASSERT_TRUE(start.ok());
  EXPECT_EQ(lexer.take_version(*start), "0.2.0-rc.1+b");
  auto after = lexer.next();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->kind, TokenKind::kPeriod);
  EXPECT_EQ(after->pos.column, 14u);
}

}  // namespace
}  // namespace berth::wit
