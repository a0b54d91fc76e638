// Generates the C bindings of a bundle from its WIT world. The C types are written so that a C
// compiler lays them out exactly as docs/abi.md says berth does (natural C struct layout, tags
// before a union of payloads); the descriptor carries sizeof of every parameter and result
// struct so berth can confirm that at load time.
#include <fmt/format.h>

#include <map>
#include <set>

#include "berth/component/native.h"
#include "berth/host/provider.h"
#include "berth/sdk/bindgen.h"
#include "berth/wit/component_bridge.h"
#include "sdk/c_names.h"
#include "sdk/generators.h"

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

// "acme_greeter_greet" for acme:greeter/greet: what every C name of an interface starts with,
// so that two bundles' bindings (or a bundle and its dependency's) never clash.
std::string interface_c_prefix(const wit::Resolve& resolve, wit::InterfaceId id) {
  const wit::Interface& iface = resolve.interface(id);
  const wit::PackageName& package = resolve.package(*iface.package).name;
  return fmt::format("{}_{}_{}", c_name_part(package.ns), c_name_part(package.name),
                     c_name_part(*iface.name));
}

// A name the header also offers without its package ("greet_hello" for
// "acme_greeter_greet_hello"), for the bundle's own code.
struct ShortName {
  enum class Kind { kType, kMacro };
  Kind kind = Kind::kMacro;
  std::string short_name;
  std::string full_name;
  std::string prefix;     // the short prefix: the interface's name ("greet")
  std::string interface;  // the interface's path, to tell two of the same name apart
};

// Writes the C type definitions a set of functions needs, each once, dependencies first.
class TypeWriter {
 public:
  TypeWriter(const wit::Resolve& resolve, std::string prefix)
      : resolve_(resolve), prefix_(std::move(prefix)) {}

  const std::string& definitions() const { return out_; }
  const std::vector<ShortName>& short_names() const { return short_names_; }
  void add_short_name(ShortName name) { short_names_.push_back(std::move(name)); }
  void append(std::string text) { out_ += text; }
  // A definition named `name`, written once (an interface imported and exported shares them).
  void define_once(const std::string& name, std::string text) {
    if (defined_.insert(name).second) out_ += text;
  }

  // The C spelling of `type`, defining it first when needed.
  Result<std::string> c_type(const wit::Type& type) {
    if (type.is_primitive()) {
      std::string_view name = primitive_c_type(type.primitive());
      if (name.empty()) return unsupported("error-context");
      return std::string(name);
    }
    return c_typedef(type.id());
  }

 private:
  static Error unsupported(std::string_view what) {
    return Error(ErrorCode::kUnsupported,
                 fmt::format("{} values cannot cross the native bundle ABI (version 1)", what));
  }

  // A short structural spelling, for naming anonymous types: "option_string".
  std::string mangle(const wit::Type& type) {
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

  // The C name of a type definition: `iface_name` for a named type, `prefix_mangled` for an
  // anonymous one.
  std::string c_name(wit::TypeId id) {
    const wit::TypeDef& def = resolve_.type(id);
    if (def.name.empty()) return prefix_ + "_" + mangle(wit::Type(id));
    std::string owner = prefix_;
    if (def.owner.kind == wit::TypeOwner::Kind::kInterface &&
        resolve_.interface(def.owner.interface).name) {
      owner = interface_c_prefix(resolve_, def.owner.interface);
    }
    return owner + "_" + c_name_part(def.name);
  }

  Result<std::string> c_typedef(wit::TypeId id) {
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

  // The short names of a named type of an interface: the type, and its constants.
  void add_short_names(wit::TypeId id, const std::string& name) {
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

  Result<void> define(const std::string& name, const wit::Alias& alias, std::string& text) {
    BERTH_TRY_ASSIGN(std::string target, c_type(alias.target));
    text = fmt::format("typedef {} {};\n\n", target, name);
    return {};
  }
  Result<void> define(const std::string& name, const wit::List&, std::string& text) {
    text = fmt::format("typedef berth_list {};\n\n", name);
    return {};
  }
  Result<void> define(const std::string& name, const wit::FixedList& list, std::string& text) {
    BERTH_TRY_ASSIGN(std::string element, c_type(list.element));
    text = fmt::format("typedef {} {}[{}];\n\n", element, name, list.length);
    return {};
  }
  Result<void> define(const std::string& name, const wit::Record& record, std::string& text) {
    std::string fields;
    for (const wit::Field& field : record.fields) {
      BERTH_TRY_ASSIGN(std::string type, c_type(field.type));
      fields += fmt::format("  {} {};\n", type, c_identifier(field.name));
    }
    text = fmt::format("typedef struct {0} {{\n{1}}} {0};\n\n", name, fields);
    return {};
  }
  Result<void> define(const std::string& name, const wit::Tuple& tuple, std::string& text) {
    if (tuple.types.empty()) return unsupported("tuple<>");
    std::string fields;
    for (size_t i = 0; i < tuple.types.size(); ++i) {
      BERTH_TRY_ASSIGN(std::string type, c_type(tuple.types[i]));
      fields += fmt::format("  {} f{};\n", type, i);
    }
    text = fmt::format("typedef struct {0} {{\n{1}}} {0};\n\n", name, fields);
    return {};
  }
  Result<void> define(const std::string& name, const wit::Flags& flags, std::string& text) {
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
  Result<void> define(const std::string& name, const wit::Enum& e, std::string& text) {
    std::string constants;
    for (size_t i = 0; i < e.cases.size(); ++i) {
      constants += fmt::format("  {}_{} = {},\n", c_constant(name), c_constant(e.cases[i].name), i);
    }
    text = fmt::format("typedef uint32_t {};\nenum {{\n{}}};\n\n", name, constants);
    return {};
  }
  Result<void> define(const std::string& name, const wit::Variant& variant, std::string& text) {
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
    text = fmt::format("typedef struct {0} {{\n{1}}} {0};\nenum {{\n{2}}};\n\n", name, body,
                       constants);
    return {};
  }
  Result<void> define(const std::string& name, const wit::Option& option, std::string& text) {
    BERTH_TRY_ASSIGN(std::string type, c_type(option.type));
    text =
        fmt::format("typedef struct {0} {{\n  bool is_some;\n  {1} val;\n}} {0};\n\n", name, type);
    return {};
  }
  Result<void> define(const std::string& name, const wit::ResultType& result, std::string& text) {
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
  Result<void> define(const std::string&, const wit::Resource&, std::string&) {
    return unsupported("a resource itself (use own<r> or borrow<r>)");
  }
  Result<void> define(const std::string&, const wit::Handle&, std::string&) { return {}; }
  Result<void> define(const std::string&, const wit::Map&, std::string&) {
    return unsupported("map");
  }
  Result<void> define(const std::string&, const wit::Future&, std::string&) {
    return unsupported("future");
  }
  Result<void> define(const std::string&, const wit::Stream&, std::string&) {
    return unsupported("stream");
  }

  const wit::Resolve& resolve_;
  std::string prefix_;
  std::string out_;
  std::set<std::string> defined_;
  std::vector<ShortName> short_names_;
};

// One function as the generated code sees it.
struct FunctionBinding {
  std::string wit_name;   // "[method]bucket.get"
  std::string c_name;     // "keyvalue_store_store_bucket_get"; "import_..." for an import
  std::string params;     // "keyvalue_store_store_bucket_get_params", empty without parameters
  std::string result;     // the result's C type, empty without a result
  std::string signature;  // docs/abi.md "Signatures"
};

struct InterfaceBinding {
  std::string name;          // "keyvalue:store/store@0.1.0"
  std::string c_prefix;      // "keyvalue_store_store"
  std::string short_prefix;  // "store"
  std::vector<FunctionBinding> functions;
  std::vector<std::pair<std::string, std::string>> resources;  // WIT name, destroy function
  // Of an import: the functions the bundle cannot call, each with why (as a C comment).
  std::vector<std::string> skipped;
};

struct WorldBinding {
  std::vector<InterfaceBinding> exports;  // to implement
  std::vector<InterfaceBinding> imports;  // to call, with host->call_import
};

// Which side of the world an interface is on: exports are implemented, imports called.
enum class Side { kExport, kImport };

// Every C name the bindings define and the WIT item it is for: two items may map to one name
// (a method `info` of resource `session` and a type `session-info`), which would not compile,
// so that is refused with both named. An interface both imported and exported claims its
// types and parameter structs twice, as the same items.
class NameClaims {
 public:
  Result<void> claim(const std::string& c_name, const std::string& interface, std::string item) {
    auto [it, added] = claims_.emplace(c_name, std::make_pair(interface, item));
    if (added || it->second == std::make_pair(interface, item)) return {};
    std::string first = it->second.first == interface ? it->second.second
                                                      : fmt::format("{} of {}", it->second.second,
                                                                    it->second.first);
    return Error(ErrorCode::kInvalid,
                 fmt::format("{} and {} would both be called {} in C; rename one of them in the "
                             "WIT",
                             first, item, c_name));
  }

 private:
  std::map<std::string, std::pair<std::string, std::string>> claims_;
};

std::string function_c_name(const std::string& prefix, const wit::Resolve& resolve,
                            const wit::Function& f) {
  if (f.kind == wit::FunctionKind::kFreestanding) return prefix + "_" + c_name_part(f.name);
  std::string resource = c_name_part(resolve.type(resolve.dealias(f.resource)).name);
  if (f.kind == wit::FunctionKind::kConstructor) return prefix + "_" + resource + "_new";
  return prefix + "_" + resource + "_" + c_name_part(f.item_name());
}

// The binding of one function of `out`, or an error saying why it cannot cross the ABI.
Result<FunctionBinding> bind_function(TypeWriter& types, const wit::Resolve& resolve, Side side,
                                      const wit::Function& f, InterfaceBinding& out,
                                      NameClaims& names) {
  if (f.is_async) {
    return Error(ErrorCode::kUnsupported,
                 fmt::format("async function '{}' cannot cross the native bundle ABI (version "
                             "1 is synchronous)",
                             f.name));
  }
  std::string c_name = function_c_name(out.c_prefix, resolve, f);
  FunctionBinding binding{.wit_name = f.name,
                          .c_name = side == Side::kImport ? "import_" + c_name : c_name};
  BERTH_TRY(names.claim(
      binding.c_name, out.name,
      fmt::format("{}function '{}'", side == Side::kImport ? "the call of " : "", f.name)));
  if (!f.params.empty()) {
    std::string fields;
    for (const wit::Param& p : f.params) {
      BERTH_TRY_ASSIGN(std::string type, types.c_type(p.type));
      fields += fmt::format("  {} {};\n", type, c_identifier(p.name));
    }
    binding.params = c_name + "_params";
    BERTH_TRY(names.claim(binding.params, out.name,
                          fmt::format("the parameters of function '{}'", f.name)));
    types.define_once(binding.params,
                      fmt::format("typedef struct {0} {{\n{1}}} {0};\n\n", binding.params, fields));
  }
  if (f.result) {
    BERTH_TRY_ASSIGN(binding.result, types.c_type(*f.result));
  }
  BERTH_TRY_ASSIGN(component::FuncType type, wit::function_type(resolve, f));
  binding.signature = component::native_signature(type);
  return binding;
}

// The C side of interface `provided`: its named types, and its functions to implement (an
// export) or to call (an import, whose functions that cannot cross the ABI are skipped).
Result<InterfaceBinding> bind_interface(TypeWriter& types, const wit::Resolve& resolve,
                                        const host::ProvidedInterface& provided, Side side,
                                        NameClaims& names) {
  const wit::Interface& iface = resolve.interface(provided.id);
  InterfaceBinding out{.name = provided.name,
                       .c_prefix = interface_c_prefix(resolve, provided.id),
                       .short_prefix = c_identifier(*iface.name)};
  auto claim = [&](const std::string& c_name, std::string item) -> Result<void> {
    auto claimed = names.claim(c_name, provided.name, std::move(item));
    if (!claimed) return std::move(claimed.error().prepend(provided.name));
    return {};
  };
  // The short spelling of a name that starts with the interface's prefix.
  auto add_short = [&](ShortName::Kind kind, const std::string& full) {
    bool imported = full.starts_with("import_");
    std::string rest = full.substr(out.c_prefix.size() + (imported ? 7 : 0));
    types.add_short_name({.kind = kind,
                          .short_name = (imported ? "import_" : "") + out.short_prefix + rest,
                          .full_name = full,
                          .prefix = out.short_prefix,
                          .interface = provided.name});
  };
  for (wit::TypeId id : iface.types) {
    const wit::TypeDef& def = resolve.type(id);
    if (std::holds_alternative<wit::Resource>(resolve.type(resolve.dealias(id)).kind)) {
      // `use`d from elsewhere, or a resource the bundle does not define.
      if (!std::holds_alternative<wit::Resource>(def.kind) || side == Side::kImport) continue;
      out.resources.emplace_back(def.name, out.c_prefix + "_" + c_name_part(def.name) + "_destroy");
      BERTH_TRY(claim(out.resources.back().second,
                      fmt::format("the destroy function of resource '{}'", def.name)));
      add_short(ShortName::Kind::kMacro, out.resources.back().second);
    } else if (!std::holds_alternative<wit::Map>(def.kind)) {
      // Every named type is available to the author; an alias of a type from elsewhere has
      // that type's name.
      BERTH_TRY_ASSIGN(std::string c_type, types.c_type(wit::Type(id)));
      if (c_type.starts_with(out.c_prefix + "_")) {
        BERTH_TRY(claim(c_type, fmt::format("type '{}'", def.name)));
      }
    }
  }
  for (const wit::Function& f : iface.functions) {
    auto binding = bind_function(types, resolve, side, f, out, names);
    if (!binding && side == Side::kImport && binding.error().code() == ErrorCode::kUnsupported) {
      out.skipped.push_back(fmt::format("{}: {}", f.name, binding.error().message()));
      continue;
    }
    if (!binding) return std::move(binding.error().prepend(provided.name));
    if (!binding->params.empty()) add_short(ShortName::Kind::kType, binding->params);
    add_short(ShortName::Kind::kMacro, binding->c_name);
    out.functions.push_back(std::move(*binding));
  }
  return out;
}

std::string prototype(const FunctionBinding& f) {
  std::string args = "berth_call* call";
  if (!f.params.empty()) args += fmt::format(", const {}* params", f.params);
  if (!f.result.empty()) args += fmt::format(", {}* result", f.result);
  return fmt::format("berth_status {}({})", f.c_name, args);
}

// The short names, except those of interfaces that share their name with another interface
// the header covers (two `store`s of two packages would make one short name mean two things).
std::string short_names_text(const std::string& name, const std::vector<ShortName>& names) {
  std::map<std::string, std::set<std::string>> interfaces_by_prefix;
  for (const ShortName& n : names) interfaces_by_prefix[n.prefix].insert(n.interface);
  std::string types;
  std::string macros;
  std::set<std::string> seen;
  for (const ShortName& n : names) {
    if (interfaces_by_prefix[n.prefix].size() > 1 || !seen.insert(n.short_name).second) continue;
    if (n.kind == ShortName::Kind::kType) {
      types += fmt::format("typedef {} {};\n", n.full_name, n.short_name);
    } else {
      macros += fmt::format("#define {} {}\n", n.short_name, n.full_name);
    }
  }
  if (types.empty() && macros.empty()) return "";
  std::string guard = c_constant(name) + "_NO_SHORT_NAMES";
  return fmt::format(
      "/* Short names for the bundle's own code: every name above begins with its package and\n"
      " * interface, so no two bundles' symbols clash; these drop the package. Define {0}\n"
      " * before including this header in a file that includes other bindings too. */\n"
      "#ifndef {0}\n{1}{2}#endif\n\n",
      guard, types, macros);
}

// The wrapper of an imported function: host->call_import with its index.
std::string import_wrapper(const FunctionBinding& f, const std::string& interface, size_t index) {
  return fmt::format(
      "/* {} {}: {} */\nstatic inline {} {{\n"
      "  return call->host->call_import(call, {}, {}, {});\n}}\n",
      interface, f.wit_name, f.signature, prototype(f), index, f.params.empty() ? "NULL" : "params",
      f.result.empty() ? "NULL" : "result");
}

std::string header_text(const std::string& name, const std::string& world_path,
                        const TypeWriter& types, const WorldBinding& bindings) {
  std::string guard = c_constant(name) + "_BINDINGS_H_";
  std::string out = fmt::format(
      "/* Generated by `berth bundle bindgen` from WIT world {0}. Do not edit: regenerate.\n"
      " * Implement every function declared below; docs/bundle-authoring.md explains how. */\n"
      "#ifndef {1}\n#define {1}\n\n#include <stdbool.h>\n#include <stdint.h>\n\n"
      "#include <berth/bundle.h>\n\n#ifdef __cplusplus\nextern \"C\" {{\n#endif\n\n",
      world_path, guard);
  out += types.definitions();
  std::string c_name = c_identifier(name);
  out += fmt::format(
      "/* Per component instance: make the state every call gets as call->instance, from the\n"
      " * configuration (host.toml [config], overridden by hosts.toml). */\n"
      "berth_status {0}_create(berth_call* call, const berth_config_entry* config, size_t "
      "config_count,\n    void** instance);\nvoid {0}_destroy(void* instance);\n\n",
      c_name);
  for (const InterfaceBinding& iface : bindings.exports) {
    out += fmt::format("/* {} */\n", iface.name);
    for (const FunctionBinding& f : iface.functions) {
      out += fmt::format("/* {}: {} */\n{};\n", f.wit_name, f.signature, prototype(f));
    }
    for (const auto& [resource, destroy] : iface.resources) {
      out += fmt::format(
          "/* Runs when the guest drops its last handle of a {}. */\n"
          "void {}(void* instance, berth_rep rep);\n",
          resource, destroy);
    }
    out += "\n";
  }
  if (!bindings.imports.empty()) {
    out +=
        "/* What the world imports: call these from a function (or from create) to reach the\n"
        " * provider berth linked to each import (docs/bundle-authoring.md, \"Calling what the\n"
        " * bundle imports\"). Strings and lists of a result stay valid until the calling\n"
        " * function returns or calls that provider again. BERTH_TRAP means the call trapped:\n"
        " * return it at once. */\n";
  }
  size_t index = 0;
  for (const InterfaceBinding& iface : bindings.imports) {
    for (const FunctionBinding& f : iface.functions) {
      out += import_wrapper(f, iface.name, index++);
    }
    for (const std::string& skipped : iface.skipped) {
      out += fmt::format("/* {} {}: not callable */\n", iface.name, skipped);
    }
    out += "\n";
  }
  out += short_names_text(name, types.short_names());
  out += fmt::format("#ifdef __cplusplus\n}}\n#endif\n\n#endif /* {} */\n", guard);
  return out;
}

std::string function_entry(const FunctionBinding& f, const std::string& impl) {
  return fmt::format("    {{{}, {},\n     {}, {}, {}}},\n", c_string_literal(f.wit_name),
                     c_string_literal(f.signature),
                     f.params.empty() ? "0" : fmt::format("sizeof({})", f.params),
                     f.result.empty() ? "0" : fmt::format("sizeof({})", f.result), impl);
}

// The descriptor's `imports`: the functions of each imported interface the bundle may call.
std::string imports_table(const std::vector<InterfaceBinding>& imports, std::string& out) {
  std::string entries;
  for (const InterfaceBinding& iface : imports) {
    if (iface.functions.empty()) continue;
    std::string functions;
    for (const FunctionBinding& f : iface.functions) functions += function_entry(f, "NULL");
    std::string table = "import_" + iface.c_prefix + "_functions";
    out += fmt::format("static const berth_function {}[] = {{\n{}}};\n\n", table, functions);
    entries += fmt::format("    {{{}, {}, {}, NULL, 0}},\n", c_string_literal(iface.name), table,
                           iface.functions.size());
  }
  if (entries.empty()) return "NULL, 0";
  out += fmt::format("static const berth_interface imports[] = {{\n{}}};\n\n", entries);
  return fmt::format("imports, sizeof imports / sizeof imports[0]");
}

std::string descriptor_text(const std::string& name, const std::string& version,
                            const std::string& world_path, const WorldBinding& bindings,
                            const std::vector<ConfigKey>& config_keys) {
  const std::vector<InterfaceBinding>& interfaces = bindings.exports;
  std::string c_name = c_identifier(name);
  std::string out = fmt::format(
      "/* Generated by `berth bundle bindgen` from WIT world {}. Do not edit: regenerate. */\n"
      "#include \"{}_bindings.h\"\n\n",
      world_path, name);
  std::string interface_entries;
  for (const InterfaceBinding& iface : interfaces) {
    std::string functions;
    for (const FunctionBinding& f : iface.functions) {
      std::string call_args = "call";
      if (!f.params.empty()) call_args += fmt::format(", (const {}*)params", f.params);
      if (!f.result.empty()) call_args += fmt::format(", ({}*)result", f.result);
      out += fmt::format(
          "static berth_status call_{}(berth_call* call, const void* params, void* result) "
          "{{\n  (void)params;\n  (void)result;\n  return {}({});\n}}\n\n",
          f.c_name, f.c_name, call_args);
      functions += function_entry(f, "call_" + f.c_name);
    }
    std::string resources;
    for (const auto& [resource, destroy] : iface.resources) {
      resources += fmt::format("    {{{}, {}}},\n", c_string_literal(resource), destroy);
    }
    std::string functions_name = "NULL";
    if (!functions.empty()) {
      functions_name = iface.c_prefix + "_functions";
      out += fmt::format("static const berth_function {}[] = {{\n{}}};\n\n", functions_name,
                         functions);
    }
    std::string resources_name = "NULL";
    if (!resources.empty()) {
      resources_name = iface.c_prefix + "_resources";
      out += fmt::format("static const berth_resource {}[] = {{\n{}}};\n\n", resources_name,
                         resources);
    }
    interface_entries +=
        fmt::format("    {{{}, {}, {}, {}, {}}},\n", c_string_literal(iface.name), functions_name,
                    iface.functions.size(), resources_name, iface.resources.size());
  }
  out +=
      fmt::format("static const berth_interface interfaces[] = {{\n{}}};\n\n", interface_entries);
  std::string keys_name = "NULL";
  if (!config_keys.empty()) {
    keys_name = "config_keys";
    std::string keys;
    for (const ConfigKey& key : config_keys) {
      keys += fmt::format("    {{{}, {}}},\n", c_string_literal(key.name),
                          c_string_literal(key.description));
    }
    out += fmt::format("static const berth_config_key config_keys[] = {{\n{}}};\n\n", keys);
  }
  std::string imports = imports_table(bindings.imports, out);
  out += fmt::format(
      "BERTH_BUNDLE_DEFINE_ABI();\n\n"
      "static const berth_bundle_descriptor descriptor = {{\n"
      "    BERTH_BUNDLE_ABI_VERSION, BERTH_BUNDLE_ABI_MINOR, {}, {}, {}, NULL,\n"
      "    interfaces, {}, {}, {}, {}_create, {}_destroy, {}}};\n\n"
      "BERTH_BUNDLE_EXPORT const berth_bundle_descriptor* berth_bundle_entry(void) {{\n"
      "  return &descriptor;\n}}\n",
      c_string_literal(name), c_string_literal(version), c_string_literal(world_path),
      interfaces.size(), keys_name, config_keys.size(), c_name, c_name, imports);
  return out;
}

std::string cpp_header_text(const std::string& name, const std::string& world_path) {
  std::string guard = c_constant(name) + "_BINDINGS_HPP_";
  return fmt::format(
      "// Generated by `berth bundle bindgen` from WIT world {0}. Do not edit: regenerate.\n"
      "// Views and copies for implementing the bindings of {1}_bindings.h in C++.\n"
      "#ifndef {2}\n#define {2}\n\n#include <cstring>\n#include <span>\n#include <string_view>\n\n"
      "#include \"{1}_bindings.h\"\n\nnamespace {3}_bindings {{\n\n"
      "inline std::string_view view(berth_str s) {{ return {{s.ptr, s.len}}; }}\n\n"
      "template <typename T>\nstd::span<const T> view(berth_list list) {{\n"
      "  return {{static_cast<const T*>(list.ptr), list.len}};\n}}\n\n"
      "// A copy of `text` in the call's arena, for results.\n"
      "inline berth_str copy(berth_call* call, std::string_view text) {{\n"
      "  return berth_str_copy(call, text.data(), text.size());\n}}\n\n"
      "// A copy of `items` in the call's arena, for list results; {{NULL, 0}} when it is full.\n"
      "template <typename T>\nberth_list copy(berth_call* call, std::span<const T> items) {{\n"
      "  void* data = call->host->alloc(call, items.size_bytes() ? items.size_bytes() : 1, "
      "alignof(T));\n"
      "  if (data == nullptr) return {{nullptr, 0}};\n"
      "  if (!items.empty()) std::memcpy(data, items.data(), items.size_bytes());\n"
      "  return {{data, items.size()}};\n}}\n\n"
      "// For `return trap(call, \"...\")` from an implementation.\n"
      "inline berth_status trap(berth_call* call, const char* message) {{\n"
      "  return call->host->trap(call, message);\n}}\n\n"
      "}}  // namespace {3}_bindings\n\n#endif  // {2}\n",
      world_path, name, guard, c_identifier(name));
}

Result<WorldBinding> bind_world(TypeWriter& types, const wit::Resolve& resolve,
                                wit::WorldId world) {
  std::string world_path = resolve.world_path(world);
  std::vector<host::ProvidedInterface> provided = host::exported_interfaces(resolve, world);
  if (provided.empty()) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("world {} exports no named interface, so a bundle built from it "
                             "would provide nothing (a bundle's world exports what it provides)",
                             world_path));
  }
  WorldBinding out;
  NameClaims names;
  for (const host::ProvidedInterface& p : provided) {
    auto binding = bind_interface(types, resolve, p, Side::kExport, names);
    if (!binding) return std::move(binding.error().prepend(world_path));
    out.exports.push_back(std::move(*binding));
  }
  for (const host::ProvidedInterface& p : host::imported_interfaces(resolve, world)) {
    auto binding = bind_interface(types, resolve, p, Side::kImport, names);
    if (!binding) return std::move(binding.error().prepend(world_path));
    out.imports.push_back(std::move(*binding));
  }
  return out;
}

}  // namespace

Result<std::string> stub_source(const std::string& name, const wit::Resolve& resolve,
                                wit::WorldId world) {
  TypeWriter types(resolve, c_identifier(name));
  BERTH_TRY_ASSIGN(WorldBinding bindings, bind_world(types, resolve, world));
  std::string c_name = c_identifier(name);
  std::string out = fmt::format(
      "/* The implementation of bundle {0}. `berth bundle new` wrote this file once; it is yours\n"
      " * to edit (`berth bundle bindgen` only rewrites generated/). */\n"
      "#include \"{0}_bindings.h\"\n\n"
      "berth_status {1}_create(berth_call* call, const berth_config_entry* config, size_t "
      "config_count,\n    void** instance) {{\n"
      "  (void)call;\n  (void)config;\n  (void)config_count;\n  *instance = NULL;\n"
      "  return BERTH_OK;\n}}\n\n"
      "void {1}_destroy(void* instance) {{ (void)instance; }}\n",
      name, c_name);
  for (const InterfaceBinding& iface : bindings.exports) {
    for (const FunctionBinding& f : iface.functions) {
      std::string unused = fmt::format("{}{}", f.params.empty() ? "" : "  (void)params;\n",
                                       f.result.empty() ? "" : "  (void)result;\n");
      out +=
          fmt::format("\n{} {{\n{}  return call->host->trap(call, {});\n}}\n", prototype(f), unused,
                      c_string_literal(fmt::format("{}: {} of {} is not implemented yet", name,
                                                   f.wit_name, iface.name)));
    }
    for (const auto& [resource, destroy] : iface.resources) {
      out += fmt::format(
          "\nvoid {}(void* instance, berth_rep rep) {{\n  (void)instance;\n"
          "  (void)rep;\n}}\n",
          destroy);
    }
  }
  return out;
}

Result<std::vector<GeneratedFile>> generate_bindings(const std::string& name,
                                                     const std::string& version,
                                                     const wit::Resolve& resolve,
                                                     wit::WorldId world,
                                                     const std::vector<ConfigKey>& config_keys) {
  std::string world_path = resolve.world_path(world);
  TypeWriter types(resolve, c_identifier(name));
  BERTH_TRY_ASSIGN(WorldBinding bindings, bind_world(types, resolve, world));
  std::vector<GeneratedFile> files;
  files.push_back({fmt::format("generated/{}_bindings.h", name),
                   header_text(name, world_path, types, bindings)});
  files.push_back({fmt::format("generated/{}_descriptor.c", name),
                   descriptor_text(name, version, world_path, bindings, config_keys)});
  files.push_back(
      {fmt::format("generated/{}_bindings.hpp", name), cpp_header_text(name, world_path)});
  return files;
}

}  // namespace berth::sdk
