// Whether what a provider declares in WIT satisfies what a component imports: the provider's
// interface becomes an instance type, and the two instance types are compared export by export.
#include <fmt/format.h>

#include <algorithm>

#include "berth/wit/component_bridge.h"
#include "bridge/bridge_internal.h"

namespace berth::wit {
namespace {

namespace ct = component;
using bridge::LocalNames;
using bridge::same_type;

class Comparison {
 public:
  Comparison(const LocalNames& expected_names, const LocalNames& provided_names,
             std::vector<Difference>& out)
      : expected_names_(expected_names), provided_names_(provided_names), out_(out) {}

  void instance(const ct::InstanceType& expected, const ct::InstanceType& provided) {
    for (const ct::NamedExtern& e : expected.exports) {
      const ct::NamedExtern* p = provided.find(e.name);
      switch (e.desc.kind) {
        case ct::ExternKind::kType:
          if (e.desc.resource) {
            resource(e.name, p);
          } else {
            named_type(e.name, e.desc.type, p);
          }
          break;
        case ct::ExternKind::kFunc:
          if (!p) {
            add(DifferenceKind::kMissingFunction, e.name,
                fmt::format("function '{}' is missing", e.name), expected_names_.func(*e.desc.func),
                "");
          } else if (p->desc.kind != ct::ExternKind::kFunc || !p->desc.func) {
            add(DifferenceKind::kNotAFunction, e.name,
                fmt::format("'{}' is a function in the import and a type at the provider", e.name),
                expected_names_.func(*e.desc.func), "");
          } else {
            function(e.name, *e.desc.func, *p->desc.func);
          }
          break;
        default:
          break;
      }
    }
  }

  void function(const std::string& name, const ct::FuncType& expected,
                const ct::FuncType& provided) {
    auto [want, have] =
        spell_apart([&](bool names) { return expected_names_.func(expected, names); },
                    [&](bool names) { return provided_names_.func(provided, names); });
    auto add_here = [&](DifferenceKind kind, std::string message) {
      add(kind, name, std::move(message), want, have);
    };
    if (expected.is_async != provided.is_async) {
      add_here(DifferenceKind::kAsync,
               fmt::format("function '{}' is {}async, the provider's is {}async", name,
                           expected.is_async ? "" : "not ", provided.is_async ? "" : "not "));
    }
    if (expected.params.size() != provided.params.size()) {
      add_here(DifferenceKind::kParamCount,
               fmt::format("function '{}' takes {} parameter{}, the provider's takes {}", name,
                           expected.params.size(), expected.params.size() == 1 ? "" : "s",
                           provided.params.size()));
    }
    size_t common = std::min(expected.params.size(), provided.params.size());
    for (size_t i = 0; i < common; ++i) {
      const ct::Field& a = expected.params[i];
      const ct::Field& b = provided.params[i];
      if (a.name != b.name) {
        add_here(DifferenceKind::kParamName,
                 fmt::format("function '{}': parameter {} is named '{}', the provider's '{}'", name,
                             i + 1, a.name, b.name));
      }
      if (!same_type(a.type, expected_names_, b.type, provided_names_)) {
        auto [a_type, b_type] = types_apart(a.type, b.type);
        add_here(DifferenceKind::kParamType,
                 fmt::format("function '{}': parameter '{}' has type {}, the provider's has {}",
                             name, a.name, a_type, b_type));
      }
    }
    if (!same_type(expected.result, expected_names_, provided.result, provided_names_)) {
      auto [a_type, b_type] = types_apart(expected.result, provided.result);
      auto returns = [](const ct::TypeRef& type, const std::string& spelled) {
        return type ? fmt::format("returns {}", spelled) : std::string("returns nothing");
      };
      add_here(DifferenceKind::kResultType,
               fmt::format("function '{}' {}, the provider's {}", name,
                           returns(expected.result, a_type), returns(provided.result, b_type)));
    }
  }

 private:
  // Two spellings of things that differ. Names come first, as WIT writes them, but when both
  // sides name different types alike ("entry" and "entry") the structure is what tells them
  // apart.
  template <typename Spell, typename SpellOther>
  static std::pair<std::string, std::string> spell_apart(Spell a, SpellOther b) {
    std::string a_named = a(true);
    std::string b_named = b(true);
    if (a_named != b_named) return {a_named, b_named};
    return {a(false), b(false)};
  }

  std::pair<std::string, std::string> types_apart(const ct::TypeRef& a,
                                                  const ct::TypeRef& b) const {
    return spell_apart([&](bool names) { return expected_names_.type(a, names); },
                       [&](bool names) { return provided_names_.type(b, names); });
  }

  void resource(const std::string& name, const ct::NamedExtern* provided) {
    if (!provided || provided->desc.kind != ct::ExternKind::kType) {
      add(DifferenceKind::kMissingResource, name, fmt::format("resource '{}' is missing", name),
          "resource", "");
    } else if (!provided->desc.resource) {
      add(DifferenceKind::kTypeDiffers, name,
          fmt::format("'{}' is a resource in the import and not at the provider", name), "resource",
          provided_names_.type(provided->desc.type, false));
    }
  }

  void named_type(const std::string& name, const ct::TypeRef& expected,
                  const ct::NamedExtern* provided) {
    std::string want = expected_names_.type(expected, false);
    if (!provided || provided->desc.kind != ct::ExternKind::kType) {
      add(DifferenceKind::kMissingType, name, fmt::format("type '{}' is missing", name), want, "");
    } else if (provided->desc.resource) {
      add(DifferenceKind::kTypeDiffers, name,
          fmt::format("'{}' is a resource at the provider and not in the import", name), want,
          "resource");
    } else if (!same_type(expected, expected_names_, provided->desc.type, provided_names_)) {
      add(DifferenceKind::kTypeDiffers, name, fmt::format("type '{}' differs", name), want,
          provided_names_.type(provided->desc.type, false));
    }
  }

  void add(DifferenceKind kind, const std::string& item, std::string message, std::string expected,
           std::string provided) {
    out_.push_back(
        Difference{kind, item, std::move(message), std::move(expected), std::move(provided)});
  }

  const LocalNames& expected_names_;
  const LocalNames& provided_names_;
  std::vector<Difference>& out_;
};

void compare_names(std::string_view import_name, const Resolve& provider, InterfaceId interface,
                   std::vector<Difference>& out) {
  std::optional<bridge::InterfaceName> wanted = bridge::parse_interface_name(import_name);
  if (!wanted) return;
  const Interface& iface = provider.interface(interface);
  std::string wanted_path = fmt::format("{}:{}/{}", wanted->ns, wanted->package, wanted->name);
  if (!iface.name || !iface.package) {
    out.push_back(Difference{DifferenceKind::kInterfaceName, "",
                             fmt::format("the provider's interface has no name, the import is "
                                         "interface '{}'",
                                         wanted_path),
                             "", ""});
    return;
  }
  const PackageName& package = provider.package(*iface.package).name;
  std::string provided_path = fmt::format("{}:{}/{}", package.ns, package.name, *iface.name);
  if (provided_path != wanted_path) {
    out.push_back(Difference{DifferenceKind::kInterfaceName, "",
                             fmt::format("the provider declares interface '{}', the import is '{}'",
                                         provided_path, wanted_path),
                             "", ""});
  }
  const std::optional<Version>& want = wanted->version;
  const std::optional<Version>& have = package.version;
  std::string message;
  if (want && have && !compatible(*want, *have)) {
    message = fmt::format(
        "version {} of the provider is not compatible with version {} of the "
        "import",
        have->to_string(), want->to_string());
  } else if (want && !have) {
    message = fmt::format("the import is version {} and the provider's interface has no version",
                          want->to_string());
  } else if (!want && have) {
    message = fmt::format("the import has no version and the provider's interface is version {}",
                          have->to_string());
  }
  if (!message.empty()) {
    out.push_back(Difference{DifferenceKind::kVersion, "", std::move(message), "", ""});
  }
}

}  // namespace

std::vector<Difference> compare_import(std::string_view import_name,
                                       const component::InstanceType& import,
                                       const Resolve& provider, InterfaceId interface) {
  std::vector<Difference> out;
  compare_names(import_name, provider, interface, out);
  Result<component::InstanceType> provided = interface_instance_type(provider, interface);
  if (!provided) {
    out.push_back(Difference{DifferenceKind::kTypeDiffers, "",
                             fmt::format("the provider's interface has no component type: {}",
                                         provided.error().message()),
                             "", ""});
    return out;
  }
  LocalNames expected_names;
  expected_names.add(import.exports);
  LocalNames provided_names;
  provided_names.add(provided->exports);
  Comparison(expected_names, provided_names, out).instance(import, *provided);
  return out;
}

std::vector<Difference> compare_import(std::string_view import_name,
                                       const component::FuncType& import, const Resolve& provider,
                                       const Function& function) {
  std::vector<Difference> out;
  Result<component::FuncType> provided = function_type(provider, function);
  if (!provided) {
    out.push_back(Difference{DifferenceKind::kTypeDiffers, std::string(import_name),
                             fmt::format("the provider's function has no component type: {}",
                                         provided.error().message()),
                             "", ""});
    return out;
  }
  LocalNames expected_names;
  expected_names.add_resources_of(import);
  LocalNames provided_names;
  provided_names.add_resources_of(*provided);
  Comparison(expected_names, provided_names, out)
      .function(std::string(import_name), import, *provided);
  return out;
}

std::string format_differences(std::string_view import_name,
                               const std::vector<Difference>& differences) {
  if (differences.empty()) return "";
  std::string out = fmt::format("import '{}' does not match its provider:\n", import_name);
  for (const Difference& d : differences) {
    out += fmt::format("  {}\n", d.message);
    if (!d.expected.empty()) out += fmt::format("    expected: {}\n", d.expected);
    if (!d.provided.empty()) out += fmt::format("    provider: {}\n", d.provided);
  }
  return out;
}

}  // namespace berth::wit
