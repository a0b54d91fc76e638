// The typed WAVE parser: recursive descent over tokens, led by the type, because WAVE's grammar
// alone cannot tell a flat `some(1)` from `1`, or a variant case from an enum case.
// Shared by parse_wave and the call expression parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "berth/component/types.h"
#include "berth/component/val.h"
#include "berth/result.h"
#include "component/wave/lexer.h"

namespace berth::component::wave {

class Parser {
 public:
  // Reads the first token of `text` at byte `offset`. The text must be valid UTF-8.
  static Result<Parser> start(std::string_view text, size_t offset);

  Result<Val> parse_value(const Type& type);

  const Token& current() const { return token_; }
  // Moves past the current token.
  Result<void> advance();

  // "expected <expected>, found <current token>": kInvalid when the current token could begin a
  // value (the text is WAVE, of another type), kMalformed otherwise.
  Error unexpected(std::string_view expected) const;
  Error error_at(size_t offset, ErrorCode code, std::string_view message) const {
    return wave::error_at(lexer_.text(), offset, code, message);
  }

 private:
  Parser(std::string_view text, size_t offset) : lexer_(text, offset) {}

  Result<Val> parse_bool();
  Result<Val> parse_integer(ValKind kind);
  Result<Val> parse_float(ValKind kind);
  Result<Val> parse_list(const Type& type);
  Result<Val> parse_tuple(const Type& type);
  Result<Val> parse_record(const Type& type);
  Result<Val> parse_flags(const Type& type);
  Result<Val> parse_variant(const Type& type);
  Result<Val> parse_enum(const Type& type);
  Result<Val> parse_option(const Type& type);
  Result<Val> parse_result(const Type& type);
  // `(value)` after a case label when `payload` is set; nothing when it is null.
  Result<std::optional<Val>> parse_payload(const TypeRef& payload, std::string_view case_name);
  // The current token as a case label of `type` (a variant or enum): its index.
  Result<uint32_t> parse_case_label(const Type& type);

  Lexer lexer_;
  Token token_;
};

// How a type is named in messages, cut short when long.
std::string type_name(const Type& type);

}  // namespace berth::component::wave
