#include "sexpr.h"

#include <fmt/format.h>

#include <cctype>

#include "support/utf8.h"

namespace berth::conformance {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  Result<SExpr> expr() {
    skip_space();
    if (pos_ >= text_.size()) return fail("unexpected end of text");
    char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      SExpr list;
      list.kind = SExpr::Kind::kList;
      while (true) {
        skip_space();
        if (pos_ >= text_.size()) return fail("missing ')'");
        if (text_[pos_] == ')') {
          ++pos_;
          return list;
        }
        BERTH_TRY_ASSIGN(SExpr item, expr());
        list.items.push_back(std::move(item));
      }
    }
    if (c == ')') return fail("unexpected ')'");
    if (c == '"') return string();
    SExpr atom;
    size_t start = pos_;
    while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) &&
           text_[pos_] != '(' && text_[pos_] != ')' && text_[pos_] != '"') {
      ++pos_;
    }
    atom.text = text_.substr(start, pos_ - start);
    return atom;
  }

  bool at_end() {
    skip_space();
    return pos_ >= text_.size();
  }

 private:
  Error fail(std::string_view what) const {
    return Error(ErrorCode::kMalformed, fmt::format("at {}: {}", pos_, what));
  }

  void skip_space() {
    while (pos_ < text_.size()) {
      if (std::isspace(static_cast<unsigned char>(text_[pos_]))) {
        ++pos_;
      } else if (text_.substr(pos_, 2) == ";;") {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  Result<SExpr> string() {
    ++pos_;
    SExpr s;
    s.kind = SExpr::Kind::kString;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_++];
      if (c != '\\') {
        s.text += c;
        continue;
      }
      if (pos_ >= text_.size()) return fail("unterminated escape");
      char e = text_[pos_++];
      switch (e) {
        case 'n':
          s.text += '\n';
          break;
        case 't':
          s.text += '\t';
          break;
        case 'r':
          s.text += '\r';
          break;
        case '\\':
          s.text += '\\';
          break;
        case '"':
          s.text += '"';
          break;
        case '\'':
          s.text += '\'';
          break;
        case 'u': {
          if (pos_ >= text_.size() || text_[pos_] != '{') return fail("expected '{' after \\u");
          size_t close = text_.find('}', pos_);
          if (close == std::string_view::npos) return fail("unterminated \\u{");
          uint32_t cp = static_cast<uint32_t>(
              std::stoul(std::string(text_.substr(pos_ + 1, close - pos_ - 1)), nullptr, 16));
          append_utf8(s.text, cp);
          pos_ = close + 1;
          break;
        }
        default: {
          if (!std::isxdigit(static_cast<unsigned char>(e)) || pos_ >= text_.size() ||
              !std::isxdigit(static_cast<unsigned char>(text_[pos_]))) {
            return fail(fmt::format("unknown escape \\{}", e));
          }
          s.text += static_cast<char>(std::stoi(std::string{e, text_[pos_]}, nullptr, 16));
          ++pos_;
        }
      }
    }
    if (pos_ >= text_.size()) return fail("unterminated string");
    ++pos_;
    return s;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<SExpr> parse_sexpr(std::string_view text) {
  Reader reader(text);
  BERTH_TRY_ASSIGN(SExpr e, reader.expr());
  if (!reader.at_end()) return Error(ErrorCode::kMalformed, "text after the s-expression");
  return e;
}

}  // namespace berth::conformance
