// Import and export names (Explainer.md "Import and Export Definitions", Binary.md notes): the
// name grammar, attributes, `[constructor]`/`[method]`/`[static]` functions of resources, and
// strong uniqueness.
#include <fmt/format.h>

#include "component/validate/validator_impl.h"

namespace berth::component::validate {
namespace {

using binary::ExternNameKind;
using binary::NameAttribute;
using binary::NameAttributeKind;

std::string_view attribute_name(NameAttributeKind kind) {
  switch (kind) {
    case NameAttributeKind::kImplements:
      return "implements";
    case NameAttributeKind::kVersionSuffix:
      return "versionsuffix";
    case NameAttributeKind::kExternalId:
      return "external-id";
  }
  return "?";
}

// 🔗 A `versionsuffix` completes the canonical version of the interface name it follows.
Result<void> check_version(const binary::InterfaceName& name, const NameAttribute* suffix) {
  if (!suffix) return {};
  if (name.version.empty() || !binary::is_canonical_version(name.version)) {
    return mismatch(
        fmt::format("invalid interface version: `versionsuffix` needs a canonical "
                    "version before it, found `{}`",
                    name.version));
  }
  if (!binary::is_version_suffix(suffix->value)) {
    return mismatch(
        fmt::format("invalid interface version: `{}` is not a version suffix", suffix->value));
  }
  std::string full = std::string(name.version) + suffix->value;
  if (!binary::is_valid_semver(full)) {
    return mismatch(fmt::format("invalid interface version: `{}` is not a valid semver", full));
  }
  return {};
}

bool is_locator(ExternNameKind kind) {
  return kind == ExternNameKind::kUrl || kind == ExternNameKind::kLockedDep ||
         kind == ExternNameKind::kUnlockedDep || kind == ExternNameKind::kIntegrity;
}

}  // namespace

Result<void> Validator::check_resource_function(const ParsedExternName& parsed,
                                                const Entity& entity,
                                                const ResourceNames& resources) {
  auto function = [&]() -> Result<const FuncType*> {
    if (entity.desc.kind != ExternKind::kFunc) return mismatch("item is not a func");
    return entity.desc.func.get();
  };
  auto check_name = [&](const ResourceTypeRef& alias) -> Result<void> {
    auto it = resources.by_alias.find(alias.get());
    if (it == resources.by_alias.end()) {
      return mismatch("resource used in function does not have a name in this context");
    }
    if (it->second != parsed.resource) {
      return mismatch(
          fmt::format("function does not match expected resource name `{}`", it->second));
    }
    return {};
  };
  switch (parsed.kind) {
    case ExternNameKind::kConstructor: {
      BERTH_TRY_ASSIGN(const FuncType* func, function());
      if (func->is_async) return mismatch("constructor function cannot be async");
      if (!func->result) return mismatch("function should return one value");
      const Type& result = *func->result;
      const Type* own = nullptr;
      if (result.kind == ValKind::kOwn) own = &result;
      if (result.kind == ValKind::kResult && result.ok && result.ok->kind == ValKind::kOwn) {
        own = result.ok.get();
      }
      if (!own) return mismatch("function should return `(own $T)` or `(result (own $T))`");
      return check_name(own->resource);
    }
    case ExternNameKind::kMethod: {
      BERTH_TRY_ASSIGN(const FuncType* func, function());
      if (func->params.empty()) return mismatch("function should have at least one argument");
      const Field& self = func->params.front();
      if (self.name != "self")
        return mismatch("function should have a first argument called `self`");
      if (self.type->kind != ValKind::kBorrow) {
        return mismatch("function should take a first argument of `(borrow $T)`");
      }
      return check_name(self.type->resource);
    }
    case ExternNameKind::kStatic: {
      BERTH_TRY(function());
      if (!resources.all.count(std::string(parsed.resource))) {
        return mismatch("static resource name is not known in this context");
      }
      return {};
    }
    default:
      return {};
  }
}

Result<void> Validator::check_extern_name(const ExternName& name, ExternPosition position,
                                          const Entity& entity, const ResourceNames& resources,
                                          std::unordered_map<std::string, std::string>& keys,
                                          std::unordered_set<std::string>& names, size_t offset) {
  const std::string& text = name.name;
  std::string_view where = describe(position);
  binary::NameGrammar grammar{.nested_names = options_.nested_names};
  auto parsed =
      binary::parse_extern_name(text,
                                position == ExternPosition::kImport ? binary::NamePosition::kImport
                                                                    : binary::NamePosition::kExport,
                                grammar);
  if (!parsed) {
    return invalid(offset, fmt::format("{} name `{}` is not a valid extern name: {}", where, text,
                                       parsed.error().message()));
  }

  const NameAttribute* implements = nullptr;
  const NameAttribute* suffix = nullptr;
  const NameAttribute* external_id = nullptr;
  for (const NameAttribute& attribute : name.attributes) {
    const NameAttribute** slot = attribute.kind == NameAttributeKind::kImplements ? &implements
                                 : attribute.kind == NameAttributeKind::kVersionSuffix
                                     ? &suffix
                                     : &external_id;
    if (*slot) {
      return invalid(attribute.offset, fmt::format("duplicate '{}' option in name `{}`",
                                                   attribute_name(attribute.kind), text));
    }
    *slot = &attribute;
  }
  const bool is_instance = entity.desc.kind == ExternKind::kInstance;
  if (suffix) {
    if (!enabled(Feature::kCanonicalInterfaceNames)) {
      return invalid(offset,
                     "the `versionsuffix` attribute (🔗) needs the `canonical-interface-names` "
                     "feature, which is turned off");
    }
    if (!is_instance) return invalid(offset, "only instances can have an `versionsuffix`");
    if (suffix->value.empty()) return invalid(offset, "version suffix cannot be empty");
    if (!implements && parsed->kind != ExternNameKind::kInterface) {
      return invalid(offset, "`versionsuffix` requires an interface name or `implements`");
    }
  }
  if (implements) {
    if (!enabled(Feature::kImplements)) {
      return invalid(
          offset,
          "the `implements` attribute (🏷️) needs the `implements` feature, which is "
          "turned off");
    }
    if (parsed->kind != ExternNameKind::kLabel) {
      return invalid(offset, fmt::format("name `{}` is not valid with `implements`", text));
    }
    if (!is_instance) return invalid(offset, "only instances can have an `implements`");
    auto interface =
        binary::parse_extern_name(implements->value, binary::NamePosition::kImport, grammar);
    if (!interface) {
      return invalid(offset, fmt::format("`{}` is not a valid name: {}", implements->value,
                                         interface.error().message()));
    }
    if (interface->kind != ExternNameKind::kInterface) {
      return invalid(offset, fmt::format("name `{}` must be an interface", implements->value));
    }
    auto version = check_version(interface->interface, suffix);
    if (!version) return at_offset(version.error(), offset, "");
  }
  if (external_id && !enabled(Feature::kImplements)) {
    return invalid(offset,
                   "the `external-id` attribute (🏷️) needs the `implements` feature, which is "
                   "turned off");
  }
  if (parsed->kind == ExternNameKind::kInterface) {
    auto version = check_version(parsed->interface, implements ? nullptr : suffix);
    if (!version) return at_offset(version.error(), offset, "");
  }

  auto function = check_resource_function(*parsed, entity, resources);
  if (!function) {
    return at_offset(function.error(), offset,
                     fmt::format("{} name `{}` is not valid", where, text));
  }

  std::string key = is_locator(parsed->kind) ? text : binary::strong_uniqueness_key(text);
  auto [it, inserted] = keys.emplace(key, text);
  if (!inserted) {
    return invalid(offset, fmt::format("{} name `{}` conflicts with previous name `{}`", where,
                                       text, it->second));
  }
  if (!names.insert(text).second) {
    return invalid(
        offset, fmt::format("{} name `{}` conflicts with previous name `{}`", where, text, text));
  }
  return {};
}

}  // namespace berth::component::validate
