// Subtyping (Explainer.md "Type Checking"). Value and function types must be equal (as in
// wasmparser, which wasmtime and the corpora follow, function subtyping is equality); instance,
// component and module types are covariant in exports and contravariant in imports; resources
// compare by identity after binding (see SubtypeChecker in validator_impl.h).
#include <fmt/format.h>

#include <algorithm>

#include "component/validate/validator_impl.h"

namespace berth::component::validate {
namespace {

const NamedExtern* find_extern(const std::vector<NamedExtern>& list, std::string_view name) {
  for (const NamedExtern& e : list) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

std::string kind_name(const Type& type) {
  return to_string(type.kind);
}

bool limits_match(const engine::Limits& a, const engine::Limits& b) {
  if (a.min < b.min) return false;
  if (!b.max) return true;
  return a.max && *a.max <= *b.max;
}

}  // namespace

Result<void> SubtypeChecker::resource(const ResourceTypeRef& a, const ResourceTypeRef& b) {
  const ResourceTypeRef& actual = context_.canonical(a);
  const ResourceTypeRef& expected = context_.canonical(b);
  auto bound = bindings.find(expected.get());
  if (bound != bindings.end()) {
    if (bound->second == actual) return {};
  } else if (bindable.count(expected.get())) {
    bindings.emplace(expected.get(), actual);
    return {};
  } else if (expected == actual) {
    return {};
  }
  return mismatch(
      fmt::format("resource types are not the same ({} vs. {})", actual->name, expected->name));
}

Result<void> SubtypeChecker::value(const Type& a, const Type& b) {
  if (&a == &b && bindings.empty() && bindable.empty()) return {};
  if (a.kind != b.kind) {
    if (is_primitive(a.kind) && is_primitive(b.kind)) {
      return mismatch(
          fmt::format("expected primitive `{}` found primitive `{}`", kind_name(b), kind_name(a)));
    }
    return mismatch(fmt::format("expected {}, found {}", kind_name(b), kind_name(a)));
  }
  auto optional = [&](const TypeRef& x, const TypeRef& y, std::string_view what) -> Result<void> {
    if (!x && !y) return {};
    if (!x) return mismatch(fmt::format("expected {} type, but found none", what));
    if (!y) return mismatch(fmt::format("expected {} type to not be present", what));
    auto r = value(*x, *y);
    if (!r) return with_context(r.error(), fmt::format("type mismatch in {} variant", what));
    return {};
  };
  switch (b.kind) {
    case ValKind::kRecord:
    case ValKind::kTuple:
    case ValKind::kVariant: {
      bool tuple = b.kind == ValKind::kTuple;
      bool variant = b.kind == ValKind::kVariant;
      std::string_view things = tuple ? "types" : variant ? "cases" : "fields";
      if (a.fields.size() != b.fields.size()) {
        return mismatch(
            fmt::format("expected {} {}, found {}", b.fields.size(), things, a.fields.size()));
      }
      for (size_t i = 0; i < b.fields.size(); ++i) {
        const Field& fa = a.fields[i];
        const Field& fb = b.fields[i];
        if (!tuple && fa.name != fb.name) {
          return mismatch(
              variant ? fmt::format("expected case named `{}`, found `{}`", fb.name, fa.name)
                      : fmt::format("expected field name `{}`, found `{}`", fb.name, fa.name));
        }
        if (variant && (!fa.type || !fb.type)) {
          if (fa.type && !fb.type) {
            return mismatch(fmt::format("expected case `{}` to have no type", fa.name));
          }
          if (!fa.type && fb.type) {
            return mismatch(fmt::format("expected case `{}` to have a type, found none", fa.name));
          }
          continue;
        }
        auto r = value(*fa.type, *fb.type);
        if (!r) {
          return with_context(
              r.error(), tuple     ? fmt::format("type mismatch in tuple field {}", i)
                         : variant ? fmt::format("type mismatch in variant case `{}`", fa.name)
                                   : fmt::format("type mismatch in record field `{}`", fa.name));
        }
      }
      return {};
    }
    case ValKind::kList:
      if (a.fixed_length != b.fixed_length) {
        return mismatch(fmt::format("expected {}, found {}", to_string(b), to_string(a)));
      }
      return value(*a.element, *b.element);
    case ValKind::kOption:
      return value(*a.element, *b.element);
    case ValKind::kResult: {
      BERTH_TRY(optional(a.ok, b.ok, "ok"));
      if (!a.error && b.error) return mismatch("expected err type, but found none");
      if (a.error && !b.error) return mismatch("expected err type to not be present");
      if (a.error) {
        auto r = value(*a.error, *b.error);
        if (!r) return with_context(r.error(), "type mismatch in err variant");
      }
      return {};
    }
    case ValKind::kFlags:
      if (a.labels != b.labels) return mismatch("mismatch in flags elements");
      return {};
    case ValKind::kEnum:
      if (a.labels != b.labels) return mismatch("mismatch in enum elements");
      return {};
    case ValKind::kOwn:
    case ValKind::kBorrow:
      return resource(a.resource, b.resource);
    case ValKind::kStream:
    case ValKind::kFuture:
      if (!a.element && !b.element) return {};
      if (!a.element || !b.element) {
        return mismatch(fmt::format("expected {}, found {}", to_string(b), to_string(a)));
      }
      return value(*a.element, *b.element);
    default:
      return {};  // equal primitives
  }
}

Result<void> SubtypeChecker::func(const FuncType& a, const FuncType& b) {
  if (a.is_async != b.is_async) {
    return mismatch(fmt::format("expected {} function, found {} function",
                                b.is_async ? "async" : "sync", a.is_async ? "async" : "sync"));
  }
  if (a.params.size() != b.params.size()) {
    return mismatch(
        fmt::format("expected {} parameters, found {}", b.params.size(), a.params.size()));
  }
  for (size_t i = 0; i < a.params.size(); ++i) {
    if (a.params[i].name != b.params[i].name) {
      return mismatch(fmt::format("expected parameter named `{}`, found `{}`", b.params[i].name,
                                  a.params[i].name));
    }
    auto r = value(*a.params[i].type, *b.params[i].type);
    if (!r) {
      return with_context(
          r.error(), fmt::format("type mismatch in function parameter `{}`", a.params[i].name));
    }
  }
  if (a.result && b.result) {
    auto r = value(*a.result, *b.result);
    if (!r) return with_context(r.error(), "type mismatch with result type");
    return {};
  }
  if (a.result) return mismatch("expected no result, found one");
  if (b.result) return mismatch("expected a result, found none");
  return {};
}

Result<void> SubtypeChecker::entry(const TypeEntry& a, const TypeEntry& b) {
  using Kind = TypeEntry::Kind;
  if (a.kind != b.kind) {
    return mismatch(fmt::format("expected {}, found {}", describe(b), describe(a)));
  }
  switch (b.kind) {
    case Kind::kResource:
      return resource(a.resource, b.resource);
    case Kind::kValue:
      return value(*a.value, *b.value);
    case Kind::kFunc:
      return func(*a.func, *b.func);
    case Kind::kInstance:
      return instance(*a.instance, *b.instance);
    case Kind::kComponent:
      return component(*a.component, *b.component);
  }
  return {};
}

Result<void> SubtypeChecker::instance(const InstanceType& a, const InstanceType& b) {
  for (const NamedExtern& expected : b.exports) {
    const NamedExtern* actual = find_extern(a.exports, expected.name);
    if (!actual) return mismatch(fmt::format("missing expected export `{}`", expected.name));
    auto r = extern_desc(actual->desc, expected.desc);
    if (!r) {
      return with_context(r.error(),
                          fmt::format("type mismatch in instance export `{}`", expected.name));
    }
  }
  return {};
}

Result<void> SubtypeChecker::component(const ComponentType& a, const ComponentType& b) {
  // `a` must accept every import `b` promises to supply: b's imports are the arguments for a's
  // imports, which binds a's imported resources to b's.
  SubtypeChecker imports(context_);
  imports.bindings = bindings;
  for (const ResourceTypeRef& r : a.imported_resources) imports.bindable.insert(r.get());
  for (const NamedExtern& expected : a.imports) {
    const NamedExtern* actual = find_extern(b.imports, expected.name);
    if (!actual) return mismatch(fmt::format("missing import named `{}`", expected.name));
    auto r = imports.extern_desc(actual->desc, expected.desc);
    if (!r)
      return with_context(r.error(), fmt::format("type mismatch in import `{}`", expected.name));
  }
  ResourceMap import_map;
  for (const ResourceTypeRef& r : a.imported_resources) {
    auto it = imports.bindings.find(r.get());
    if (it != imports.bindings.end()) import_map.emplace(r.get(), it->second);
  }
  Substitution substitution(context_, std::move(import_map));

  // Then a's exports, in terms of b's imports, must be what b promises, binding b's defined
  // resources to a's.
  SubtypeChecker exports(context_);
  exports.bindings = bindings;
  for (const ResourceTypeRef& r : b.defined_resources) exports.bindable.insert(r.get());
  for (const NamedExtern& expected : b.exports) {
    const NamedExtern* actual = find_extern(a.exports, expected.name);
    if (!actual) return mismatch(fmt::format("missing expected export `{}`", expected.name));
    auto r = exports.extern_desc(substitution.desc(actual->desc), expected.desc);
    if (!r)
      return with_context(r.error(), fmt::format("type mismatch in export `{}`", expected.name));
  }
  return {};
}

Result<void> SubtypeChecker::extern_desc(const ExternDesc& a, const ExternDesc& b) {
  if (a.kind != b.kind) {
    return mismatch(fmt::format("expected {}, found {}", describe(b.kind), describe(a.kind)));
  }
  switch (b.kind) {
    case ExternKind::kCoreModule:
      return module(*a.module, *b.module);
    case ExternKind::kFunc:
      return func(*a.func, *b.func);
    case ExternKind::kValue:
      return value(*a.type, *b.type);
    case ExternKind::kType:
      return entry(entry_of(a), entry_of(b));
    case ExternKind::kInstance:
      return instance(*a.instance, *b.instance);
    case ExternKind::kComponent:
      return component(*a.component, *b.component);
  }
  return {};
}

Result<void> SubtypeChecker::module(const engine::ModuleInfo& a, const engine::ModuleInfo& b) {
  for (const engine::ImportType& expected : a.imports) {
    auto actual = std::find_if(b.imports.begin(), b.imports.end(), [&](const auto& i) {
      return i.module == expected.module && i.name == expected.name;
    });
    if (actual == b.imports.end()) {
      return mismatch(
          fmt::format("missing expected import `{}::{}`", expected.module, expected.name));
    }
    auto r = core_extern(actual->type, expected.type);
    if (!r) {
      return with_context(r.error(), fmt::format("type mismatch in import `{}::{}`",
                                                 expected.module, expected.name));
    }
  }
  for (const engine::ExportType& expected : b.exports) {
    const engine::ExportType* actual = a.find_export(expected.name);
    if (!actual) return mismatch(fmt::format("missing expected export `{}`", expected.name));
    auto r = core_extern(actual->type, expected.type);
    if (!r)
      return with_context(r.error(), fmt::format("type mismatch in export `{}`", expected.name));
  }
  return {};
}

Result<void> SubtypeChecker::core_extern(const engine::ExternType& a, const engine::ExternType& b) {
  using engine::ExternKind;
  if (a.kind != b.kind) {
    return mismatch(
        fmt::format("expected {}, found {}", engine::to_string(b.kind), engine::to_string(a.kind)));
  }
  switch (b.kind) {
    case ExternKind::kFunc:
    case ExternKind::kTag:
      if (a.func != b.func) {
        return mismatch(
            fmt::format("expected {}, found {}", b.func.to_string(), a.func.to_string()));
      }
      return {};
    case ExternKind::kTable:
      if (a.table.element != b.table.element) {
        return mismatch(fmt::format("expected table element type {}, found {}",
                                    engine::to_string(b.table.element),
                                    engine::to_string(a.table.element)));
      }
      if (!limits_match(a.table.limits, b.table.limits))
        return mismatch("mismatch in table limits");
      return {};
    case ExternKind::kMemory:
      if (a.memory.shared != b.memory.shared) {
        return mismatch("mismatch in the shared flag for memories");
      }
      if (a.memory.memory64 != b.memory.memory64) {
        return mismatch("mismatch in index type used for memories");
      }
      if (!limits_match(a.memory.limits, b.memory.limits)) {
        return mismatch("mismatch in memory limits");
      }
      return {};
    case ExternKind::kGlobal:
      if (a.global.is_mutable != b.global.is_mutable) {
        return mismatch("global types differ in mutability");
      }
      if (a.global.type != b.global.type) {
        return mismatch(fmt::format("expected global type {}, found {}",
                                    engine::to_string(b.global.type),
                                    engine::to_string(a.global.type)));
      }
      return {};
  }
  return {};
}

}  // namespace berth::component::validate
