#include "sdk/c_types.h"

#include <fmt/format.h>

#include "sdk/c_names.h"

namespace berth::sdk {
namespace {

std::string_view primitive_c_type(wit::Primitive p) {
  switch (p) {
    case wit::Primitive::kBool:
      return "bool";
    case wit::Primitive::kU8:
      return "uint8_t";
    case wit::Primitive::kU16:
      return "uint16_t";
    case wit::Primitive::kU32:
      return "uint32_t";
    case wit::Primitive::kU64:
      return "uint64_t";
    case wit::Primitive::kS8:
      return "int8_t";
    case wit::Primitive::kS16:
      return "int16_t";
    case wit::Primitive::kS32:
      return "int32_t";
    case wit::Primitive::kS64:
      return "int64_t";
    case wit::Primitive::kF32:
      return "float";
    case wit::Primitive::kF64:
      return "double";
    case wit::Primitive::kChar:
      return "uint32_t";
    case wit::Primitive::kString:
      return "berth_str";
    case wit::Primitive::kErrorContext:
      return "";
  }
  return "";
}

}  // namespace

std::string interface_c_prefix(const wit::Resolve& resolve, wit::InterfaceId id) {
  const wit::Interface& iface = resolve.interface(id);
  const wit::PackageName& package = resolve.package(*iface.package).name;
  return fmt::format("{}_{}_{}", c_name_part(package.ns), c_name_part(package.name),
                     c_name_part(*iface.name));
}

void TypeWriter::define_once(const std::string& name, std::string text) {
  if (defined_.insert(name).second) out_ += text;
}

Result<std::string> TypeWriter::c_type(const wit::Type& type) {
  if (type.is_primitive()) {
    std::string_view name = primitive_c_type(type.primitive());
    if (name.empty()) return unsupported("error-context");
    return std::string(name);
  }
  return c_typedef(type.id());
}

Error TypeWriter::unsupported(std::string_view what) {
  return Error(ErrorCode::kUnsupported,
               fmt::format("{} values cannot cross the native bundle ABI (version 1)", what));
}

std::string TypeWriter::mangle(const wit::Type& type) {
  if (type.is_primitive()) return std::string(wit::to_string(type.primitive()));
  const wit::TypeDef& def = resolve_.type(type.id());
  if (!def.name.empty()) return c_name_part(def.name);
  return std::visit(
      [&](const auto& kind) -> std::string {
        using K = std::decay_t<decltype(kind)>;
        if constexpr (std::is_same_v<K, wit::List>) {
          return "list_" + mangle(kind.element);
        } else if constexpr (std::is_same_v<K, wit::FixedList>) {
          return fmt::format("array{}_{}", kind.length, mangle(kind.element));
        } else if constexpr (std::is_same_v<K, wit::Option>) {
          return "option_" + mangle(kind.type);
        } else if constexpr (std::is_same_v<K, wit::ResultType>) {
          return fmt::format("result_{}_{}", kind.ok ? mangle(*kind.ok) : "void",
                             kind.err ? mangle(*kind.err) : "void");
        } else if constexpr (std::is_same_v<K, wit::Tuple>) {
          std::string out = "tuple";
          for (const wit::Type& t : kind.types) out += "_" + mangle(t);
          return out;
        } else if constexpr (std::is_same_v<K, wit::Handle>) {
          return (kind.kind == wit::HandleKind::kOwn ? "own_" : "borrow_") +
                 c_identifier(resolve_.type(resolve_.dealias(kind.resource)).name);
        } else if constexpr (std::is_same_v<K, wit::Alias>) {
          return mangle(kind.target);
        } else {
          return "anon";
        }
      },
      def.kind);
}

std::string TypeWriter::c_name(wit::TypeId id) {
  const wit::TypeDef& def = resolve_.type(id);
  if (def.name.empty()) return prefix_ + "_" + mangle(wit::Type(id));
  std::string owner = prefix_;
  if (def.owner.kind == wit::TypeOwner::Kind::kInterface &&
      resolve_.interface(def.owner.interface).name) {
    owner = interface_c_prefix(resolve_, def.owner.interface);
  }
  return owner + "_" + c_name_part(def.name);
}

Result<std::string> TypeWriter::c_typedef(wit::TypeId id) {
  const wit::TypeDef& def = resolve_.type(id);
  // A handle, or a resource named as a type (which WIT reads as own<r>).
  if (std::holds_alternative<wit::Handle>(def.kind) ||
      std::holds_alternative<wit::Resource>(resolve_.type(resolve_.dealias(id)).kind)) {
    return std::string("berth_rep");
  }
  if (std::holds_alternative<wit::List>(def.kind)) {
    // A view of any element type; the element's own type is still defined for the author.
    BERTH_TRY(c_type(std::get<wit::List>(def.kind).element));
    if (def.name.empty()) return std::string("berth_list");
  }
  std::string name = c_name(id);
  if (defined_.count(name)) return name;
  std::string text;
  BERTH_TRY(std::visit([&](const auto& kind) -> Result<void> { return define(name, kind, text); },
                       def.kind));
  defined_.insert(name);
  out_ += text;
  add_short_names(id, name);
  return name;
}

void TypeWriter::add_short_names(wit::TypeId id, const std::string& name) {
  const wit::TypeDef& def = resolve_.type(id);
  if (def.name.empty() || def.owner.kind != wit::TypeOwner::Kind::kInterface) return;
  const wit::Interface& iface = resolve_.interface(def.owner.interface);
  if (!iface.name) return;
  ShortName type{.kind = ShortName::Kind::kType,
                 .short_name = c_identifier(*iface.name) + "_" + c_name_part(def.name),
                 .full_name = name,
                 .prefix = c_identifier(*iface.name),
                 .interface = resolve_.interface_path(def.owner.interface)};
  auto constant = [&](const std::string& item) {
    ShortName c = type;
    c.kind = ShortName::Kind::kMacro;
    c.short_name = c_constant(type.short_name) + "_" + c_constant(item);
    c.full_name = c_constant(name) + "_" + c_constant(item);
    short_names_.push_back(std::move(c));
  };
  if (const auto* e = std::get_if<wit::Enum>(&def.kind)) {
    for (const wit::EnumCase& c : e->cases) constant(c.name);
  } else if (const auto* f = std::get_if<wit::Flags>(&def.kind)) {
    for (const wit::Flag& flag : f->flags) constant(flag.name);
  } else if (const auto* v = std::get_if<wit::Variant>(&def.kind)) {
    for (const wit::Case& c : v->cases) constant(c.name);
  }
  short_names_.push_back(std::move(type));
}

Result<void> TypeWriter::define(const std::string& name, const wit::Alias& alias,
                                std::string& text) {
  BERTH_TRY_ASSIGN(std::string target, c_type(alias.target));
  text = fmt::format("typedef {} {};\n\n", target, name);
  return {};
}

Result<void> TypeWriter::define(const std::string& name, const wit::List&, std::string& text) {
  text = fmt::format("typedef berth_list {};\n\n", name);
  return {};
}

Result<void> TypeWriter::define(const std::string& name, const wit::FixedList& list,
                                std::string& text) {
  BERTH_TRY_ASSIGN(std::string element, c_type(list.element));
  text = fmt::format("typedef {} {}[{}];\n\n", element, name, list.length);
  return {};
}

Result<void> TypeWriter::define(const std::string& name, const wit::Record& record,
                                std::string& text) {
  std::string fields;
  for (const wit::Field& field : record.fields) {
    BERTH_TRY_ASSIGN(std::string type, c_type(field.type));
    fields += fmt::format("  {} {};\n", type, c_identifier(field.name));
  }
  text = fmt::format("typedef struct {0} {{\n{1}}} {0};\n\n", name, fields);
  return {};
}

Result<void> TypeWriter::define(const std::string& name, const wit::Tuple& tuple,
                                std::string& text) {
  if (tuple.types.empty()) return unsupported("tuple<>");
  std::string fields;
  for (size_t i = 0; i < tuple.types.size(); ++i) {
    BERTH_TRY_ASSIGN(std::string type, c_type(tuple.types[i]));
    fields += fmt::format("  {} f{};\n", type, i);
  }
  text = fmt::format("typedef struct {0} {{\n{1}}} {0};\n\n", name, fields);
  return {};
}

Result<void> TypeWriter::define(const std::string& name, const wit::Flags& flags,
                                std::string& text) {
  size_t words = (flags.flags.size() + 31) / 32;
  std::string constants;
  for (size_t i = 0; i < flags.flags.size(); ++i) {
    constants +=
        fmt::format("  {}_{} = {},\n", c_constant(name), c_constant(flags.flags[i].name), i);
  }
  text = fmt::format(
      "/* Flag i is bit i % 32 of bits[i / 32]; the constants are the flags' indexes. */\n"
      "typedef struct {0} {{\n  uint32_t bits[{1}];\n}} {0};\nenum {{\n{2}}};\n\n",
      name, words, constants);
  return {};
}

Result<void> TypeWriter::define(const std::string& name, const wit::Enum& e, std::string& text) {
  std::string constants;
  for (size_t i = 0; i < e.cases.size(); ++i) {
    constants += fmt::format("  {}_{} = {},\n", c_constant(name), c_constant(e.cases[i].name), i);
  }
  text = fmt::format("typedef uint32_t {};\nenum {{\n{}}};\n\n", name, constants);
  return {};
}

Result<void> TypeWriter::define(const std::string& name, const wit::Variant& variant,
                                std::string& text) {
  std::string payloads;
  std::string constants;
  for (size_t i = 0; i < variant.cases.size(); ++i) {
    const wit::Case& c = variant.cases[i];
    constants += fmt::format("  {}_{} = {},\n", c_constant(name), c_constant(c.name), i);
    if (!c.type) continue;
    BERTH_TRY_ASSIGN(std::string type, c_type(*c.type));
    payloads += fmt::format("    {} {};\n", type, c_identifier(c.name));
  }
  std::string body = "  uint32_t tag;\n";
  if (!payloads.empty()) body += fmt::format("  union {{\n{}  }} val;\n", payloads);
  text =
      fmt::format("typedef struct {0} {{\n{1}}} {0};\nenum {{\n{2}}};\n\n", name, body, constants);
  return {};
}

Result<void> TypeWriter::define(const std::string& name, const wit::Option& option,
                                std::string& text) {
  BERTH_TRY_ASSIGN(std::string type, c_type(option.type));
  text = fmt::format("typedef struct {0} {{\n  bool is_some;\n  {1} val;\n}} {0};\n\n", name, type);
  return {};
}

Result<void> TypeWriter::define(const std::string& name, const wit::ResultType& result,
                                std::string& text) {
  std::string payloads;
  if (result.ok) {
    BERTH_TRY_ASSIGN(std::string type, c_type(*result.ok));
    payloads += fmt::format("    {} ok;\n", type);
  }
  if (result.err) {
    BERTH_TRY_ASSIGN(std::string type, c_type(*result.err));
    payloads += fmt::format("    {} err;\n", type);
  }
  std::string body = "  bool is_err;\n";
  if (!payloads.empty()) body += fmt::format("  union {{\n{}  }} val;\n", payloads);
  text = fmt::format("typedef struct {0} {{\n{1}}} {0};\n\n", name, body);
  return {};
}

Result<void> TypeWriter::define(const std::string&, const wit::Resource&, std::string&) {
  return unsupported("a resource itself (use own<r> or borrow<r>)");
}

Result<void> TypeWriter::define(const std::string&, const wit::Map&, std::string&) {
  return unsupported("map");
}

Result<void> TypeWriter::define(const std::string&, const wit::Future&, std::string&) {
  return unsupported("future");
}

Result<void> TypeWriter::define(const std::string&, const wit::Stream&, std::string&) {
  return unsupported("stream");
}

}  // namespace berth::sdk
