// Fuzzes the WAVE parser and printer: the input is parsed against a handful of fixed types (and
// as a call expression); whatever parses is printed, and the printed text must parse back to an
// equal value and print the same again. Anything else traps.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "berth/component/types.h"
#include "berth/component/val.h"
#include "berth/component/wave.h"

namespace {

using berth::component::FuncType;
using berth::component::Type;
using berth::component::TypeRef;
using berth::component::ValKind;

std::vector<TypeRef> fuzzed_types() {
  auto prim = [](ValKind kind) { return Type::primitive(kind); };
  auto option_u8 = Type::option(prim(ValKind::kU8));
  auto keyword_enum = Type::enumeration({"ok", "none", "not-found"});
  auto shape = Type::variant({{"empty", nullptr},
                              {"err", prim(ValKind::kString)},
                              {"point", Type::tuple({prim(ValKind::kF32), prim(ValKind::kF64)})}});
  auto record = Type::record({{"name", prim(ValKind::kString)},
                              {"count", prim(ValKind::kS64)},
                              {"maybe", option_u8},
                              {"tags", Type::flags({"read", "write", "exec"})}});
  return {
      prim(ValKind::kBool),
      prim(ValKind::kS8),
      prim(ValKind::kU64),
      prim(ValKind::kF32),
      prim(ValKind::kF64),
      prim(ValKind::kChar),
      prim(ValKind::kString),
      Type::list(Type::option(prim(ValKind::kU32))),
      Type::option(Type::option(prim(ValKind::kChar))),
      Type::result(Type::list(shape), keyword_enum),
      Type::result(nullptr, prim(ValKind::kString)),
      Type::option(record),
      Type::tuple({Type::record({{"a", option_u8}}), Type::flags({}), keyword_enum}),
  };
}

void check_round_trip(std::string_view text, const TypeRef& type) {
  auto parsed = berth::component::parse_wave(text, type);
  if (!parsed) return;
  auto printed = berth::component::print_wave(*parsed, type);
  if (!printed) __builtin_trap();
  auto reparsed = berth::component::parse_wave(*printed, type);
  if (!reparsed || !berth::component::vals_equal(*parsed, *reparsed)) __builtin_trap();
  auto reprinted = berth::component::print_wave(*reparsed, type);
  if (!reprinted || *reprinted != *printed) __builtin_trap();
}

void check_call(std::string_view text) {
  static const FuncType func{.params = {{"a", Type::primitive(ValKind::kString)},
                                        {"b", Type::list(Type::primitive(ValKind::kS16))},
                                        {"c", Type::option(Type::primitive(ValKind::kBool))}}};
  auto name = berth::component::parse_wave_call_name(text);
  if (name.ok() && name->empty()) __builtin_trap();
  auto call = berth::component::parse_wave_call(text, func);
  if (!call) return;
  auto printed = berth::component::print_wave_call(call->function, call->arguments, func);
  if (!printed) __builtin_trap();
  auto reparsed = berth::component::parse_wave_call(*printed, func);
  if (!reparsed || reparsed->function != call->function) __builtin_trap();
  for (size_t i = 0; i < func.params.size(); ++i) {
    if (!berth::component::vals_equal(call->arguments[i], reparsed->arguments[i])) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<TypeRef> types = fuzzed_types();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const TypeRef& type : types) check_round_trip(text, type);
  check_call(text);
  return 0;
}
