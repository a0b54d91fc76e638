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
#include "sdk/c_types.h"
#include "sdk/generators.h"

namespace berth::sdk {
namespace {

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
  return "imports, sizeof imports / sizeof imports[0]";
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
