#include "test_support.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace berth::component::testing {
namespace {

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  std::optional<Json> parse_document() {
    std::optional<Json> value = parse_value(0);
    skip_space();
    if (!value || pos_ != text_.size()) return std::nullopt;
    return value;
  }

 private:
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }

  bool consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  static void append_utf8(std::string& out, uint32_t code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xc0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xe0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    }
  }

  std::optional<uint32_t> hex4() {
    if (text_.size() - pos_ < 4) return std::nullopt;
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      value <<= 4;
      if (c >= '0' && c <= '9')
        value |= c - '0';
      else if (c >= 'a' && c <= 'f')
        value |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        value |= c - 'A' + 10;
      else
        return std::nullopt;
    }
    return value;
  }

  std::optional<std::string> parse_string() {
    if (!consume("\"")) return std::nullopt;
    std::string out;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) return std::nullopt;
      char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::optional<uint32_t> code = hex4();
          if (!code) return std::nullopt;
          if (*code >= 0xd800 && *code < 0xdc00 && consume("\\u")) {
            std::optional<uint32_t> low = hex4();
            if (!low) return std::nullopt;
            *code = 0x10000 + ((*code - 0xd800) << 10) + (*low - 0xdc00);
          }
          append_utf8(out, *code);
          break;
        }
        default:
          return std::nullopt;
      }
    }
    return std::nullopt;
  }

  std::optional<Json> parse_value(int depth) {
    if (depth > 64) return std::nullopt;
    skip_space();
    if (pos_ >= text_.size()) return std::nullopt;
    Json value;
    char c = text_[pos_];
    if (c == '{') {
      ++pos_;
      value.kind = Json::Kind::kObject;
      skip_space();
      if (consume("}")) return value;
      while (true) {
        skip_space();
        std::optional<std::string> key = parse_string();
        skip_space();
        if (!key || !consume(":")) return std::nullopt;
        std::optional<Json> member = parse_value(depth + 1);
        if (!member) return std::nullopt;
        value.object[*key] = std::move(*member);
        skip_space();
        if (consume("}")) return value;
        if (!consume(",")) return std::nullopt;
      }
    }
    if (c == '[') {
      ++pos_;
      value.kind = Json::Kind::kArray;
      skip_space();
      if (consume("]")) return value;
      while (true) {
        std::optional<Json> element = parse_value(depth + 1);
        if (!element) return std::nullopt;
        value.array.push_back(std::move(*element));
        skip_space();
        if (consume("]")) return value;
        if (!consume(",")) return std::nullopt;
      }
    }
    if (c == '"') {
      std::optional<std::string> s = parse_string();
      if (!s) return std::nullopt;
      value.kind = Json::Kind::kString;
      value.string = std::move(*s);
      return value;
    }
    if (consume("true")) {
      value.kind = Json::Kind::kBool;
      value.boolean = true;
      return value;
    }
    if (consume("false")) {
      value.kind = Json::Kind::kBool;
      return value;
    }
    if (consume("null")) return value;
    const char* begin = text_.data() + pos_;
    char* end = nullptr;
    std::string number(begin, std::min<size_t>(text_.size() - pos_, 64));
    value.number = std::strtod(number.c_str(), &end);
    size_t used = static_cast<size_t>(end - number.c_str());
    if (used == 0) return std::nullopt;
    pos_ += used;
    value.kind = Json::Kind::kNumber;
    return value;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::optional<Json> parse_json(std::string_view text) {
  return JsonParser(text).parse_document();
}

}  // namespace berth::component::testing
