// Canonical WAVE text. Of the forms WAVE allows, the printer always picks one, so that printing
// a parsed text again gives the same text: explicit `some(...)`/`ok(...)`, record fields holding
// `none` left out (`{:}` when none remain), flags in declaration order, `%` only on variant and
// enum cases that are keywords, single-line strings, and ", " / ": " spacing.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstring>

#include "berth/component/wave.h"
#include "component/wave/lexer.h"
#include "component/wave/parser.h"
#include "support/utf8.h"

namespace berth::component::wave {
namespace {

// Characters printed as \u{...} although WAVE allows them literally: controls, and invisible
// characters that change how the text around them is displayed (zero-width characters, line and
// paragraph separators, bidirectional overrides, the byte order mark).
bool is_escaped_when_printed(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xfeff;
}

void append_escaped(std::string& out, char32_t cp, char quote) {
  switch (cp) {
    case U'\\':
      out += "\\\\";
      return;
    case U'\n':
      out += "\\n";
      return;
    case U'\t':
      out += "\\t";
      return;
    case U'\r':
      out += "\\r";
      return;
    default:
      break;
  }
  if (cp == static_cast<char32_t>(quote)) {
    out += '\\';
    out += quote;
  } else if (is_escaped_when_printed(cp)) {
    out += fmt::format("\\u{{{:x}}}", static_cast<uint32_t>(cp));
  } else {
    append_utf8(out, cp);
  }
}

// The shortest text that reads back as the same float.
template <typename Float>
void append_float(std::string& out, Float value) {
  if (std::isnan(value)) {
    out += "nan";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "inf" : "-inf";
    return;
  }
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string_view text(buffer, end - buffer);
  size_t exponent = text.find('e');
  if (exponent == std::string_view::npos) {
    out += text;
    return;
  }
  // to_chars writes at least two exponent digits ("1e-07"); WAVE numbers have no leading zeros.
  out += text.substr(0, exponent + 2);
  size_t digits = exponent + 2;
  while (digits + 1 < text.size() && text[digits] == '0') ++digits;
  out += text.substr(digits);
}

void append_label(std::string& out, std::string_view label, bool escape_keywords) {
  if (escape_keywords && is_keyword(label)) out += '%';
  out += label;
}

// The name a resource handle prints under: the resource's own name, without its interface.
std::string resource_label(const ResourceType* resource) {
  if (!resource) return "resource";
  std::string_view name = resource->name;
  size_t cut = name.find_last_of("#/");
  if (cut != std::string_view::npos) name = name.substr(cut + 1);
  return is_label(name) ? std::string(name) : "resource";
}

class Printer {
 public:
  Result<void> print(const Val& val, const Type& type);
  std::string take() { return std::move(out_); }

 private:
  Result<void> print_list(const Val& val, const Type& type);
  Result<void> print_record(const Val& val, const Type& type);
  Result<void> print_payload(const Val& val, const TypeRef& payload, std::string_view case_name);

  static Error mismatch(const Type& type, std::string_view what) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("value does not match its type {}: {}", type_name(type), what));
  }

  std::string out_;
};

Result<void> Printer::print(const Val& val, const Type& type) {
  if (val.kind != type.kind) {
    return mismatch(type, fmt::format("found a {} value", to_string(val.kind)));
  }
  switch (type.kind) {
    case ValKind::kBool:
      out_ += val.b ? "true" : "false";
      return {};
    case ValKind::kS8:
    case ValKind::kS16:
    case ValKind::kS32:
    case ValKind::kS64:
      out_ += fmt::format("{}", val.i);
      return {};
    case ValKind::kU8:
    case ValKind::kU16:
    case ValKind::kU32:
    case ValKind::kU64:
      out_ += fmt::format("{}", val.u);
      return {};
    case ValKind::kF32:
      append_float(out_, val.f32);
      return {};
    case ValKind::kF64:
      append_float(out_, val.f64);
      return {};
    case ValKind::kChar:
      if (val.u > 0x10ffff || (val.u >= 0xd800 && val.u <= 0xdfff))
        return mismatch(type, fmt::format("U+{:X} is not a Unicode scalar value", val.u));
      out_ += '\'';
      append_escaped(out_, static_cast<char32_t>(val.u), '\'');
      out_ += '\'';
      return {};
    case ValKind::kString: {
      if (!is_valid_utf8(val.str)) return mismatch(type, "the string is not valid UTF-8");
      out_ += '"';
      for (size_t at = 0; at < val.str.size();) append_escaped(out_, decode_utf8(val.str, at), '"');
      out_ += '"';
      return {};
    }
    case ValKind::kList:
      return print_list(val, type);
    case ValKind::kTuple: {
      if (val.items.size() != type.fields.size())
        return mismatch(type, fmt::format("{} elements", val.items.size()));
      out_ += '(';
      for (size_t i = 0; i < val.items.size(); ++i) {
        if (i > 0) out_ += ", ";
        if (!type.fields[i].type) return mismatch(type, "a tuple element has no type");
        BERTH_TRY(print(val.items[i], *type.fields[i].type));
      }
      out_ += ')';
      return {};
    }
    case ValKind::kRecord:
      return print_record(val, type);
    case ValKind::kVariant: {
      if (val.discriminant >= type.fields.size())
        return mismatch(type, fmt::format("case {} does not exist", val.discriminant));
      const Field& selected = type.fields[val.discriminant];
      append_label(out_, selected.name, true);
      return print_payload(val, selected.type, selected.name);
    }
    case ValKind::kEnum:
      if (val.discriminant >= type.labels.size())
        return mismatch(type, fmt::format("case {} does not exist", val.discriminant));
      append_label(out_, type.labels[val.discriminant], true);
      return {};
    case ValKind::kOption:
      if (val.discriminant > 1) return mismatch(type, "discriminant past 'some'");
      out_ += val.discriminant == 0 ? "none" : "some";
      return print_payload(val, val.discriminant == 0 ? nullptr : type.element,
                           val.discriminant == 0 ? "none" : "some");
    case ValKind::kResult:
      if (val.discriminant > 1) return mismatch(type, "discriminant past 'err'");
      out_ += val.discriminant == 0 ? "ok" : "err";
      return print_payload(val, val.discriminant == 0 ? type.ok : type.error,
                           val.discriminant == 0 ? "ok" : "err");
    case ValKind::kFlags: {
      for (size_t word = 0; word < val.flag_bits.size(); ++word) {
        for (size_t bit = 0; bit < 32; ++bit) {
          size_t index = word * 32 + bit;
          if ((val.flag_bits[word] >> bit & 1) && index >= type.labels.size())
            return mismatch(type, fmt::format("flag {} does not exist", index));
        }
      }
      out_ += '{';
      bool first = true;
      for (size_t i = 0; i < type.labels.size(); ++i) {
        if (!val.flag(i)) continue;
        if (!first) out_ += ", ";
        first = false;
        out_ += type.labels[i];
      }
      out_ += '}';
      return {};
    }
    case ValKind::kOwn:
    case ValKind::kBorrow:
      // WAVE has no syntax for handles; this is the `<named-type>(<idx>)` form WAVE.md floats,
      // for people to read (parsing refuses handles).
      if (!val.handle) return mismatch(type, "the handle is missing");
      out_ += fmt::format("{}({})", resource_label(type.resource.get()), val.handle->rep);
      return {};
    case ValKind::kStream:
    case ValKind::kFuture:
    case ValKind::kErrorContext:
      return Error(ErrorCode::kUnsupported,
                   fmt::format("{} values cannot be written in WAVE", type_name(type)));
  }
  return Error(ErrorCode::kInternal, "unknown type kind");
}

Result<void> Printer::print_list(const Val& val, const Type& type) {
  if (!type.element) return mismatch(type, "the list has no element type");
  const Type& element = *type.element;
  out_ += '[';
  if (!val.packed.empty()) {
    size_t size = packed_number_size(element.kind);
    if (size == 0 || val.packed.size() % size != 0)
      return mismatch(type, fmt::format("a packed list of {} bytes", val.packed.size()));
    for (size_t i = 0; i < val.packed.size() / size; ++i) {
      if (i > 0) out_ += ", ";
      BERTH_TRY(print(packed_list_element(element.kind, val.packed, i), element));
    }
  } else {
    for (size_t i = 0; i < val.items.size(); ++i) {
      if (i > 0) out_ += ", ";
      BERTH_TRY(print(val.items[i], element));
    }
  }
  out_ += ']';
  return {};
}

Result<void> Printer::print_record(const Val& val, const Type& type) {
  if (val.items.size() != type.fields.size())
    return mismatch(type, fmt::format("{} fields", val.items.size()));
  out_ += '{';
  bool first = true;
  for (size_t i = 0; i < val.items.size(); ++i) {
    const Val& field = val.items[i];
    if (!type.fields[i].type) return mismatch(type, "a field has no type");
    if (field.kind == ValKind::kOption && field.discriminant == 0 &&
        type.fields[i].type->kind == ValKind::kOption) {
      continue;
    }
    if (!first) out_ += ", ";
    first = false;
    out_ += type.fields[i].name;
    out_ += ": ";
    BERTH_TRY(print(field, *type.fields[i].type));
  }
  // `{}` would read as empty flags.
  if (first) out_ += ':';
  out_ += '}';
  return {};
}

Result<void> Printer::print_payload(const Val& val, const TypeRef& payload,
                                    std::string_view case_name) {
  if (!payload) {
    if (val.has_payload())
      return Error(ErrorCode::kInvalid,
                   fmt::format("'{}' has no payload, but the value has one", case_name));
    return {};
  }
  if (!val.has_payload()) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("'{}' needs a payload, but the value has none", case_name));
  }
  out_ += '(';
  BERTH_TRY(print(val.payload(), *payload));
  out_ += ')';
  return {};
}

}  // namespace
}  // namespace berth::component::wave

namespace berth::component {

Result<std::string> print_wave(const Val& val, const TypeRef& type) {
  if (!type) return Error(ErrorCode::kUsage, "print_wave needs a type");
  wave::Printer printer;
  BERTH_TRY(printer.print(val, *type));
  return printer.take();
}

}  // namespace berth::component
