// The call expression of `berth run --invoke`, e.g. `add(1, -2)` or `scale(2.5, nan)`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "berth/engine/types.h"
#include "berth/result.h"

namespace berth::cli {

struct InvokeExpr {
  std::string function;
  std::vector<std::string> arguments;  // the literal text of each argument
};

// Splits `name(arg, ...)` into the function name and argument literals. Names are bare
// (letters, digits, `_ . - : / # @ $`) or double-quoted.
Result<InvokeExpr> parse_invoke_expr(std::string_view text);

// Converts an argument literal to a core value of `type`: decimal or 0x-hex integers
// (negative allowed, and unsigned values up to the type's width), floats with `nan`, `inf`, `-inf`.
Result<engine::Value> parse_core_value(std::string_view literal, engine::ValType type);

// How results print: integers signed in decimal, floats in their shortest exact form.
std::string format_core_value(const engine::Value& value);

}  // namespace berth::cli
