#include "sdk/c_names.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace berth::sdk {
namespace {

// C keywords, and the C++ ones, so that the same names serve the C++ bindings.
constexpr std::array<std::string_view, 55> kReserved = {
    "auto",     "bool",     "break",  "case",      "char",     "const",    "continue", "default",
    "do",       "double",   "else",   "enum",      "extern",   "float",    "for",      "goto",
    "if",       "inline",   "int",    "long",      "register", "restrict", "return",   "short",
    "signed",   "sizeof",   "static", "struct",    "switch",   "typedef",  "union",    "unsigned",
    "void",     "volatile", "while",  "class",     "delete",   "new",      "this",     "template",
    "operator", "private",  "public", "namespace", "friend",   "virtual",  "mutable",  "explicit",
    "typename", "using",    "try",    "catch",     "throw",    "concept",  "requires"};

}  // namespace

std::string c_name_part(std::string_view wit_name) {
  std::string out;
  for (char c : wit_name) {
    out += (c == '-' || c == '.' || c == ':' || c == '/' || c == '@') ? '_' : c;
  }
  return out;
}

std::string c_identifier(std::string_view wit_name) {
  std::string out = c_name_part(wit_name);
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  if (std::find(kReserved.begin(), kReserved.end(), out) != kReserved.end()) out += '_';
  return out;
}

std::string cpp_type_name(std::string_view wit_name) {
  std::string out;
  bool upper = true;
  for (char c : wit_name) {
    if (c == '-' || c == '.' || c == ':' || c == '/' || c == '@') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "T" + out;
  return out;
}

std::string c_constant(std::string_view wit_name) {
  std::string out = c_name_part(wit_name);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string c_string_literal(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\{:03o}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace berth::sdk
