// WAVE, the WebAssembly Value Encoding: the text form of component values used by
// `berth run --invoke 'f("bob")'` and when printing results. See docs/wave.md; the format is
// specified in WAVE.md and WAVE-ebnf.md.
//
// WAVE text cannot be read without its type (`1` may be a u8, an f64 or a flat `some(1)`), so
// every function here takes one. Errors give the column (and the line, when the text has several
// lines) and what was expected: kMalformed for text that is not WAVE, kInvalid for a value that
// does not fit the type, kUnsupported for types WAVE cannot write (resources, streams, futures).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "berth/component/types.h"
#include "berth/component/val.h"
#include "berth/result.h"

namespace berth::component {

// Reads one value of `type`; whitespace and `//` comments may surround it.
Result<Val> parse_wave(std::string_view text, const TypeRef& type);

// The canonical WAVE text of `val`, a value of `type`: `some(...)`/`ok(...)` always explicit,
// record fields holding `none` omitted, flags in declaration order, floats in their shortest
// round-trip form. parse_wave of the result gives back an equal value. Resource handles print as
// `<resource-name>(<rep>)`, which WAVE cannot read back. Fails (kInvalid) when `val` does not
// match `type`.
Result<std::string> print_wave(const Val& val, const TypeRef& type);

// A function call expression `name(arg, ...)`, as accepted by `berth run --invoke`.
struct WaveCall {
  // A kebab-case label (the `%` of `%ok` removed), a qualified interface export name such as
  // `example:t/api@0.1.0#greet`, or a resource function such as `[method]counter.get`.
  std::string function;
  // One per parameter; trailing `option` parameters left out of the text are `none`.
  std::vector<Val> arguments;
};

// Reads only the function name of a call expression, so that the caller can look up its type.
Result<std::string> parse_wave_call_name(std::string_view text);

// Reads a whole call expression, its arguments typed by `func`'s parameters.
Result<WaveCall> parse_wave_call(std::string_view text, const FuncType& func);

// The canonical text of a call: `name(arg, ...)` with every argument written out.
Result<std::string> print_wave_call(std::string_view function, const std::vector<Val>& arguments,
                                    const FuncType& func);

}  // namespace berth::component
