// S-expressions as they appear in the corpora's .wast command texts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "berth/result.h"

namespace berth::conformance {

struct SExpr {
  enum class Kind { kAtom, kString, kList };
  Kind kind = Kind::kAtom;
  std::string text;  // atom text, or the decoded bytes of a string
  std::vector<SExpr> items;

  bool is_atom(std::string_view t) const { return kind == Kind::kAtom && text == t; }
  // The head atom of a list, or "".
  std::string_view head() const {
    if (kind != Kind::kList || items.empty() || items[0].kind != Kind::kAtom) return {};
    return items[0].text;
  }
};

// Parses one s-expression (surrounding whitespace allowed). Strings decode \n \t \\ \" \' \xx
// (hex byte) and \u{...} escapes.
Result<SExpr> parse_sexpr(std::string_view text);

}  // namespace berth::conformance
