// The WAVE lexer: tokens, labels, numbers, escapes, multiline strings and error positions.
#include "component/wave/lexer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace berth::component::wave {
namespace {

using ::testing::StartsWith;

std::vector<Token> lex_all(std::string_view text) {
  Lexer lexer(text, 0);
  std::vector<Token> tokens;
  while (true) {
    auto token = lexer.next();
    EXPECT_TRUE(token.ok()) << text << ": " << (token.ok() ? "" : token.error().message());
    if (!token.ok() || token->kind == TokenKind::kEnd) break;
    tokens.push_back(*token);
  }
  return tokens;
}

// The first lexing error of `text`.
std::string lex_error(std::string_view text) {
  Lexer lexer(text, 0);
  while (true) {
    auto token = lexer.next();
    if (!token.ok()) {
      EXPECT_EQ(token.error().code(), ErrorCode::kMalformed);
      return token.error().message();
    }
    if (token->kind == TokenKind::kEnd) break;
  }
  ADD_FAILURE() << text << " lexed without error";
  return "";
}

std::string string_value(std::string_view text) {
  auto tokens = lex_all(text);
  EXPECT_EQ(tokens.size(), 1u) << text;
  if (tokens.size() != 1) return "";
  EXPECT_EQ(tokens[0].kind, TokenKind::kString) << text;
  return tokens[0].value;
}

char32_t char_value(std::string_view text) {
  auto tokens = lex_all(text);
  EXPECT_EQ(tokens.size(), 1u) << text;
  if (tokens.size() != 1) return 0;
  EXPECT_EQ(tokens[0].kind, TokenKind::kChar) << text;
  return tokens[0].code_point;
}

TEST(WaveLexerTest, PunctuationAndKinds) {
  auto tokens = lex_all("( ) [ ] { } , : 12 'a' \"s\" label");
  std::vector<TokenKind> kinds;
  for (const auto& token : tokens) kinds.push_back(token.kind);
  EXPECT_EQ(kinds,
            (std::vector<TokenKind>{TokenKind::kLParen, TokenKind::kRParen, TokenKind::kLBracket,
                                    TokenKind::kRBracket, TokenKind::kLBrace, TokenKind::kRBrace,
                                    TokenKind::kComma, TokenKind::kColon, TokenKind::kNumber,
                                    TokenKind::kChar, TokenKind::kString, TokenKind::kLabel}));
  EXPECT_EQ(tokens[8].offset, 16u);
}

TEST(WaveLexerTest, WhitespaceAndComments) {
  auto tokens = lex_all(" \t\r\n// a comment ( [\n  1 // another\n,2//end");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0].text, "1");
  EXPECT_EQ(tokens[1].kind, TokenKind::kComma);
  EXPECT_EQ(tokens[2].text, "2");
  EXPECT_NE(lex_error("1 / 2").find("unexpected character '/'"), std::string::npos);
}

TEST(WaveLexerTest, Labels) {
  EXPECT_TRUE(is_label("one"));
  EXPECT_TRUE(is_label("two-words"));
  EXPECT_TRUE(is_label("abc123"));
  EXPECT_TRUE(is_label("HTTP3"));
  EXPECT_TRUE(is_label("method-GET"));
  EXPECT_TRUE(is_label("q"));
  EXPECT_FALSE(is_label(""));
  EXPECT_FALSE(is_label("Foo"));
  EXPECT_FALSE(is_label("a--b"));
  EXPECT_FALSE(is_label("a-"));
  EXPECT_FALSE(is_label("-a"));
  EXPECT_FALSE(is_label("a-1"));
  EXPECT_FALSE(is_label("a_b"));

  auto tokens = lex_all("%err %non-keyword method-GET");
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_TRUE(tokens[0].escaped);
  EXPECT_EQ(tokens[0].value, "err");
  EXPECT_EQ(tokens[1].value, "non-keyword");
  EXPECT_FALSE(tokens[2].escaped);

  EXPECT_EQ(lex_error("Foo"),
            "at column 1: invalid label 'Foo': a word of a label cannot mix upper and lower case");
  EXPECT_EQ(lex_error("[a--b]"),
            "at column 2: invalid label 'a--b': words of a label are separated by single hyphens");
  EXPECT_EQ(lex_error("% x"), "at column 1: expected a label after '%'");
}

TEST(WaveLexerTest, Keywords) {
  for (std::string_view keyword : {"true", "false", "inf", "nan", "some", "none", "ok", "err"}) {
    EXPECT_TRUE(is_keyword(keyword)) << keyword;
    auto tokens = lex_all(keyword);
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_TRUE(is_keyword_token(tokens[0], keyword));
    auto escaped = lex_all(std::string("%") + std::string(keyword));
    EXPECT_FALSE(is_keyword_token(escaped[0], keyword));
  }
  EXPECT_FALSE(is_keyword("True"));
  EXPECT_FALSE(is_keyword("infinity"));
}

TEST(WaveLexerTest, Numbers) {
  for (std::string_view text :
       {"0", "-0", "123", "-9", "3.14", "6.022e+23", "1E5", "1e-7", "-0.5e0", "-inf"}) {
    auto tokens = lex_all(text);
    ASSERT_EQ(tokens.size(), 1u) << text;
    EXPECT_EQ(tokens[0].kind, TokenKind::kNumber) << text;
    EXPECT_EQ(tokens[0].text, text);
  }
  EXPECT_FALSE(lex_all("12")[0].has_fraction_or_exponent);
  EXPECT_TRUE(lex_all("1.5")[0].has_fraction_or_exponent);
  EXPECT_TRUE(lex_all("1e3")[0].has_fraction_or_exponent);
  // `inf` and `nan` are keywords (labels); `-inf` is a number.
  EXPECT_EQ(lex_all("inf")[0].kind, TokenKind::kLabel);
  EXPECT_EQ(lex_all("nan")[0].kind, TokenKind::kLabel);

  EXPECT_EQ(lex_error("007"), "at column 1: numbers cannot have leading zeros");
  EXPECT_EQ(lex_error("1."), "at column 3: expected a digit after '.' in a number");
  EXPECT_EQ(lex_error(".5"), "at column 1: unexpected character '.'");
  EXPECT_EQ(lex_error("1e"), "at column 3: expected a digit in the exponent of a number");
  EXPECT_EQ(lex_error("1e05"), "at column 3: exponents cannot have leading zeros");
  EXPECT_EQ(lex_error("-nan"), "at column 1: expected a digit or 'inf' after '-'");
  EXPECT_EQ(lex_error("-infinity"), "at column 1: expected a digit or 'inf' after '-'");
  EXPECT_EQ(lex_error("+1"), "at column 1: unexpected character '+'");
}

TEST(WaveLexerTest, CharLiterals) {
  EXPECT_EQ(char_value("'x'"), U'x');
  EXPECT_EQ(char_value("'☃'"), U'☃');
  EXPECT_EQ(char_value("'\"'"), U'"');
  EXPECT_EQ(char_value("'\t'"), U'\t');  // only newline, \ and ' must be escaped
  EXPECT_EQ(lex_error("''"), "at column 1: empty char literal");
  EXPECT_EQ(lex_error("'ab'"),
            "at column 3: expected ''' to close the char literal (a char "
            "literal holds one character)");
  EXPECT_EQ(lex_error("'''"), "at column 2: a ' in a char literal must be escaped as \\'");
  EXPECT_EQ(lex_error("'\n'"),
            "at line 1, column 2: a line break in a char literal must be "
            "escaped as \\n");
  EXPECT_EQ(lex_error("'\\'"), "at column 1: unterminated char literal");
  EXPECT_EQ(lex_error("'x"), "at column 1: unterminated char literal");
}

TEST(WaveLexerTest, EachEscape) {
  EXPECT_EQ(char_value("'\\''"), U'\'');
  EXPECT_EQ(char_value("'\\\"'"), U'"');
  EXPECT_EQ(char_value("'\\\\'"), U'\\');
  EXPECT_EQ(char_value("'\\t'"), U'\t');
  EXPECT_EQ(char_value("'\\n'"), U'\n');
  EXPECT_EQ(char_value("'\\r'"), U'\r');
  EXPECT_EQ(char_value("'\\u{0}'"), U'\0');
  EXPECT_EQ(char_value("'\\u{2603}'"), U'☃');
  EXPECT_EQ(char_value("'\\u{1F30A}'"), U'🌊');
  EXPECT_EQ(char_value("'\\u{10ffff}'"), U'\U0010FFFF');
  // The grammar allows any number of hex digits.
  EXPECT_EQ(char_value("'\\u{000000000041}'"), U'A');

  EXPECT_EQ(string_value(R"("\\\'\"\t\n\r")"), "\\'\"\t\n\r");
  EXPECT_EQ(string_value(R"("☃\u{2603}\u{002603}")"), "☃☃☃");
  EXPECT_EQ(string_value(R"("'\'\u{27}")"), "'''");
}

TEST(WaveLexerTest, InvalidEscapes) {
  EXPECT_EQ(lex_error(R"('\z')"),
            R"(at column 2: invalid escape '\z' (expected one of \' \" \\ \t \n \r \u{...}))");
  EXPECT_THAT(lex_error(R"('\x1f')"), StartsWith("at column 2: invalid escape '"));
  EXPECT_EQ(lex_error(R"('\u1f')"), "at column 2: expected '{' after '\\u'");
  EXPECT_EQ(lex_error(R"('\u{}')"), "at column 5: expected hexadecimal digits in '\\u{...}'");
  EXPECT_EQ(lex_error(R"('\u{x}')"), "at column 5: expected hexadecimal digits in '\\u{...}'");
  EXPECT_EQ(lex_error(R"('\u{1f')"), "at column 7: expected '}' to close '\\u{...}'");
  EXPECT_EQ(lex_error(R"("\u{d800}")"), "at column 2: \\u{d800} is not a Unicode scalar value");
  EXPECT_EQ(lex_error(R"("\u{DFFF}")"), "at column 2: \\u{DFFF} is not a Unicode scalar value");
  EXPECT_EQ(lex_error(R"("\u{110000}")"), "at column 2: \\u{110000} is not a Unicode scalar value");
  EXPECT_THAT(lex_error(R"("\u{ffffffffffffffffff}")"), StartsWith("at column 2: \\u{ffffffff"));
  EXPECT_EQ(lex_error(R"("\u{-1}")"), "at column 5: expected hexadecimal digits in '\\u{...}'");
}

TEST(WaveLexerTest, Strings) {
  EXPECT_EQ(string_value(R"("")"), "");
  EXPECT_EQ(string_value(R"("abc\t123")"), "abc\t123");
  EXPECT_EQ(string_value(R"("WAVE🌊")"), "WAVE🌊");
  EXPECT_EQ(string_value("\"tab\there\""), "tab\there");
  EXPECT_EQ(lex_error(R"("abc)"), "at column 1: unterminated string");
  EXPECT_EQ(lex_error(R"("\")"), "at column 1: unterminated string");
  EXPECT_EQ(lex_error("\"a\nb\""),
            "at line 1, column 3: a line break in a string must be "
            "escaped as \\n (or is the string missing its closing '\"'?)");
}

TEST(WaveLexerTest, MultilineStrings) {
  EXPECT_EQ(string_value("\"\"\"\nA single line\n\"\"\""), "A single line");
  EXPECT_EQ(string_value("\"\"\"\n    Indentation determined\n      by ending delimiter\n  "
                         "\"\"\""),
            "  Indentation determined\n    by ending delimiter");
  EXPECT_EQ(string_value("\"\"\"\n  Must escape carriage return at end of line: \\r\n  Must "
                         "break up double quote triplets: \"\"\\\"\"\n  \"\"\""),
            "Must escape carriage return at end of line: \r\nMust break up double quote "
            "triplets: \"\"\"\"");
  EXPECT_EQ(string_value("\"\"\"\n\"\"\""), "");
  EXPECT_EQ(string_value("\"\"\"\n\nEmpty first and last lines stay\n\n\"\"\""),
            "\nEmpty first and last lines stay\n");
  EXPECT_EQ(string_value("\"\"\"\r\nCRLF\r\nline breaks\r\n\"\"\""), "CRLF\nline breaks");
  EXPECT_EQ(string_value("\"\"\"\n'single' \"double\" \\t\\u{41}\n\"\"\""),
            "'single' \"double\" \tA");
  // A carriage return not followed by a line feed is an ordinary character.
  EXPECT_EQ(string_value("\"\"\"\na\rb\n\"\"\""), "a\rb");
}

TEST(WaveLexerTest, MalformedMultilineStrings) {
  EXPECT_EQ(lex_error("\"\"\"\"\"\""),
            "at column 4: the opening \"\"\" of a multiline string must be followed by a line "
            "break");
  EXPECT_THAT(lex_error("\"\"\" \"\"\""),
              StartsWith("at column 4: the opening \"\"\" of a multiline str"));
  EXPECT_THAT(lex_error("\"\"\"extra\n\"\"\""), StartsWith("at line 1, c"));
  EXPECT_EQ(lex_error("\"\"\"\nextra\"\"\""),
            "at line 2, column 6: \"\"\" inside a multiline string must be broken up, as "
            "\"\"\\\"; the closing \"\"\" goes on a line of its own");
  EXPECT_THAT(lex_error("\"\"\"\n  Between \"\"\" words\n  \"\"\""),
              StartsWith("at line 2, column 11: "));
  EXPECT_EQ(lex_error("\"\"\"\n  \\\"\"\"\n  \"\"\""),
            "at line 2, column 4: \"\"\" inside a multiline string must be broken up, as "
            "\"\"\\\"");
  EXPECT_EQ(lex_error("\"\"\"\n\"\""), "at line 1, column 1: unterminated multiline string");
  EXPECT_EQ(lex_error("\"\"\"\n  two\n one\n  \"\"\""),
            "at line 3, column 2: each line of a multiline string must be indented at least as "
            "far as the closing \"\"\"");
  // With an indent, even an empty line needs it.
  EXPECT_THAT(lex_error("\"\"\"\n  a\n\n  b\n  \"\"\""), StartsWith("at line 3, column 1:"));
  EXPECT_THAT(lex_error("\"\"\"\nInvalid escape: \\j\n\"\"\""),
              StartsWith("at line 2, column 17: invalid es"));
}

TEST(WaveLexerTest, ColumnsCountCharacters) {
  // Columns count Unicode scalar values, not bytes.
  EXPECT_EQ(lex_error("\"☃☃\" ?"), "at column 6: unexpected character '?'");
  EXPECT_EQ(lex_error("1\n  22\n ?"), "at line 3, column 2: unexpected character '?'");
  EXPECT_EQ(lex_error("é"), "at column 1: unexpected character 'é'");
}

TEST(WaveLexerTest, Utf8Check) {
  EXPECT_TRUE(check_utf8("\"ok ☃\"").ok());
  auto bad = check_utf8(std::string_view("\"ab\xff\"", 5));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message(), "at column 4: the text is not valid UTF-8");
}

TEST(WaveLexerTest, Describe) {
  EXPECT_EQ(describe(lex_all("}")[0]), "'}'");
  EXPECT_EQ(describe(lex_all("abc")[0]), "label 'abc'");
  EXPECT_EQ(describe(lex_all("%ok")[0]), "label '%ok'");
  EXPECT_EQ(describe(lex_all("none")[0]), "keyword 'none'");
  EXPECT_EQ(describe(lex_all("12")[0]), "number '12'");
  EXPECT_EQ(describe(lex_all("\"hi\"")[0]), "string \"hi\"");
  EXPECT_EQ(describe(lex_all("'x'")[0]), "char 'x'");
  EXPECT_EQ(describe(Token{}), "end of input");
}

}  // namespace
}  // namespace berth::component::wave
