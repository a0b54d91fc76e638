#include "berth/wit/printer.h"

#include <fmt/format.h>

#include <algorithm>

#include "lexer.h"

namespace berth::wit {
namespace {

// Identifiers that are keywords are written with '%'.
std::string escape_id(std::string_view name) {
  if (keyword_kind(name) != TokenKind::kIdent) return fmt::format("%{}", name);
  return std::string(name);
}

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      out += fmt::format("\\u{{{:x}}}", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

class Printer {
 public:
  explicit Printer(const Resolve& resolve) : resolve_(resolve) {}

  std::string take() { return std::move(out_); }

  void package(PackageId id, int indent, bool nested) {
    const Package& pkg = resolve_.package(id);
    docs(indent, pkg.docs);
    std::string name = package_name(pkg.name);
    if (!nested) {
      line(indent, fmt::format("package {};", name));
      for (InterfaceId iface : pkg.interfaces) {
        out_ += '\n';
        interface(iface, indent, id);
      }
      for (WorldId world : pkg.worlds) {
        out_ += '\n';
        this->world(world, indent, id);
      }
      return;
    }
    line(indent, fmt::format("package {} {{", name));
    bool first = true;
    for (InterfaceId iface : pkg.interfaces) {
      if (!first) out_ += '\n';
      first = false;
      interface(iface, indent + 2, id);
    }
    for (WorldId world : pkg.worlds) {
      if (!first) out_ += '\n';
      first = false;
      this->world(world, indent + 2, id);
    }
    line(indent, "}");
  }

  std::string type(const Type& t) const {
    if (t.is_primitive()) return std::string(to_string(t.primitive()));
    const TypeDef& def = resolve_.type(t.id());
    if (!def.name.empty()) return escape_id(def.name);
    if (const auto* handle = std::get_if<Handle>(&def.kind); handle) {
      // An owned handle is written as the resource's name.
      if (handle->kind == HandleKind::kOwn) return escape_id(resolve_.type(handle->resource).name);
    }
    return kind_expr(def.kind);
  }

  std::string signature(const Function& f, bool skip_self) const {
    std::vector<std::string> params;
    for (size_t i = skip_self ? 1 : 0; i < f.params.size(); ++i) {
      params.push_back(fmt::format("{}: {}", escape_id(f.params[i].name), type(f.params[i].type)));
    }
    std::string out =
        fmt::format("{}func({})", f.is_async ? "async " : "", fmt::join(params, ", "));
    if (f.result) out += fmt::format(" -> {}", type(*f.result));
    return out;
  }

 private:
  std::string package_name(const PackageName& name) const {
    std::string out = fmt::format("{}:{}", escape_id(name.ns), escape_id(name.name));
    if (name.version) out += "@" + name.version->to_string();
    return out;
  }

  void line(int indent, std::string_view text) {
    out_.append(static_cast<size_t>(indent), ' ');
    out_ += text;
    out_ += '\n';
  }

  void docs(int indent, const std::string& text) {
    if (text.empty()) return;
    size_t at = 0;
    while (at <= text.size()) {
      size_t nl = text.find('\n', at);
      if (nl == std::string::npos) nl = text.size();
      std::string_view doc_line(text.data() + at, nl - at);
      line(indent, doc_line.empty() ? "///" : fmt::format("/// {}", doc_line));
      at = nl + 1;
    }
  }

  void gates(int indent, const Stability& s, const std::string& external_id) {
    if (s.kind == Stability::Kind::kStable && s.since) {
      line(indent, fmt::format("@since(version = {})", s.since->to_string()));
    } else if (s.kind == Stability::Kind::kUnstable) {
      line(indent, fmt::format("@unstable(feature = {})", escape_id(s.feature)));
    }
    if (s.deprecated)
      line(indent, fmt::format("@deprecated(version = {})", s.deprecated->to_string()));
    if (!external_id.empty()) line(indent, fmt::format("@external-id({})", quote(external_id)));
  }

  std::string interface_ref(InterfaceId id, PackageId context) const {
    const Interface& iface = resolve_.interface(id);
    std::string name = escape_id(iface.name.value_or(""));
    if (!iface.package || *iface.package == context) return name;
    const PackageName& p = resolve_.package(*iface.package).name;
    std::string out = fmt::format("{}:{}/{}", escape_id(p.ns), escape_id(p.name), name);
    if (p.version) out += "@" + p.version->to_string();
    return out;
  }

  std::string kind_expr(const TypeDefKind& kind) const {
    auto opt = [&](const std::optional<Type>& t) { return t ? type(*t) : std::string("_"); };
    return std::visit(
        [&](const auto& k) -> std::string {
          using K = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<K, Handle>) {
            return fmt::format("{}<{}>", k.kind == HandleKind::kOwn ? "own" : "borrow",
                               escape_id(resolve_.type(k.resource).name));
          } else if constexpr (std::is_same_v<K, Tuple>) {
            std::vector<std::string> parts;
            for (const Type& t : k.types) parts.push_back(type(t));
            return fmt::format("tuple<{}>", fmt::join(parts, ", "));
          } else if constexpr (std::is_same_v<K, Option>) {
            return fmt::format("option<{}>", type(k.type));
          } else if constexpr (std::is_same_v<K, ResultType>) {
            if (!k.ok && !k.err) return "result";
            if (!k.err) return fmt::format("result<{}>", type(*k.ok));
            return fmt::format("result<{}, {}>", opt(k.ok), type(*k.err));
          } else if constexpr (std::is_same_v<K, List>) {
            return fmt::format("list<{}>", type(k.element));
          } else if constexpr (std::is_same_v<K, FixedList>) {
            return fmt::format("list<{}, {}>", type(k.element), k.length);
          } else if constexpr (std::is_same_v<K, Map>) {
            return fmt::format("map<{}, {}>", type(k.key), type(k.value));
          } else if constexpr (std::is_same_v<K, Future>) {
            return k.payload ? fmt::format("future<{}>", type(*k.payload)) : "future";
          } else if constexpr (std::is_same_v<K, Stream>) {
            return k.payload ? fmt::format("stream<{}>", type(*k.payload)) : "stream";
          } else if constexpr (std::is_same_v<K, Alias>) {
            return type(k.target);
          } else {
            // Records, variants, enums, flags and resources always have names.
            return "<unnamed>";
          }
        },
        kind);
  }

  // The interface a `use` would name for this alias, if it is one.
  std::optional<InterfaceId> use_source(const TypeDef& def, const TypeOwner& here) const {
    const auto* alias = std::get_if<Alias>(&def.kind);
    if (!alias || alias->target.is_primitive()) return std::nullopt;
    const TypeDef& target = resolve_.type(alias->target.id());
    if (target.name.empty() || target.owner.kind != TypeOwner::Kind::kInterface) {
      return std::nullopt;
    }
    if (here.kind == TypeOwner::Kind::kInterface && target.owner.interface == here.interface) {
      return std::nullopt;
    }
    return target.owner.interface;
  }

  // Type definitions of an interface or world, with `use` for names from other interfaces.
  // `functions` supplies the methods of resources defined here.
  void types(const std::vector<TypeId>& ids, const std::vector<const Function*>& functions,
             int indent, PackageId context) {
    for (size_t i = 0; i < ids.size();) {
      const TypeDef& def = resolve_.type(ids[i]);
      if (auto source = use_source(def, def.owner)) {
        // Consecutive names from one interface with the same gates share one `use`.
        std::vector<std::string> names;
        size_t j = i;
        while (j < ids.size()) {
          const TypeDef& next = resolve_.type(ids[j]);
          auto next_source = use_source(next, next.owner);
          if (!next_source || *next_source != *source || !(next.stability == def.stability)) break;
          const TypeDef& target = resolve_.type(std::get<Alias>(next.kind).target.id());
          names.push_back(target.name == next.name ? escape_id(next.name)
                                                   : fmt::format("{} as {}", escape_id(target.name),
                                                                 escape_id(next.name)));
          ++j;
        }
        gates(indent, def.stability, "");
        line(indent, fmt::format("use {}.{{{}}};", interface_ref(*source, context),
                                 fmt::join(names, ", ")));
        i = j;
        continue;
      }
      typedef_item(ids[i], functions, indent);
      ++i;
    }
  }

  void typedef_item(TypeId id, const std::vector<const Function*>& functions, int indent) {
    const TypeDef& def = resolve_.type(id);
    docs(indent, def.docs);
    gates(indent, def.stability, def.external_id);
    std::string name = escape_id(def.name);
    auto block = [&](std::string_view keyword, const auto& members, auto&& member_text) {
      line(indent, fmt::format("{} {} {{", keyword, name));
      for (const auto& m : members) {
        docs(indent + 2, m.docs);
        line(indent + 2, fmt::format("{},", member_text(m)));
      }
      line(indent, "}");
    };
    if (const auto* record = std::get_if<Record>(&def.kind)) {
      block("record", record->fields,
            [&](const Field& f) { return fmt::format("{}: {}", escape_id(f.name), type(f.type)); });
    } else if (const auto* variant = std::get_if<Variant>(&def.kind)) {
      block("variant", variant->cases, [&](const Case& c) {
        return c.type ? fmt::format("{}({})", escape_id(c.name), type(*c.type)) : escape_id(c.name);
      });
    } else if (const auto* e = std::get_if<Enum>(&def.kind)) {
      block("enum", e->cases, [&](const EnumCase& c) { return escape_id(c.name); });
    } else if (const auto* flags = std::get_if<Flags>(&def.kind)) {
      block("flags", flags->flags, [&](const Flag& f) { return escape_id(f.name); });
    } else if (std::holds_alternative<Resource>(def.kind)) {
      std::vector<const Function*> methods;
      for (const Function* f : functions) {
        if (f->kind != FunctionKind::kFreestanding && f->resource == id) methods.push_back(f);
      }
      if (methods.empty()) {
        line(indent, fmt::format("resource {};", name));
        return;
      }
      line(indent, fmt::format("resource {} {{", name));
      for (const Function* f : methods) resource_function(*f, id, indent + 2);
      line(indent, "}");
    } else {
      line(indent, fmt::format("type {} = {};", name, kind_expr(def.kind)));
    }
  }

  void resource_function(const Function& f, TypeId resource, int indent) {
    docs(indent, f.docs);
    gates(indent, f.stability, f.external_id);
    std::string name = escape_id(f.item_name());
    switch (f.kind) {
      case FunctionKind::kConstructor: {
        std::vector<std::string> params;
        for (const Param& p : f.params) {
          params.push_back(fmt::format("{}: {}", escape_id(p.name), type(p.type)));
        }
        std::string text = fmt::format("constructor({})", fmt::join(params, ", "));
        // An infallible constructor's result (an owned handle) is implicit.
        bool implicit = false;
        if (f.result && !f.result->is_primitive()) {
          const auto* h = std::get_if<Handle>(&resolve_.type(f.result->id()).kind);
          implicit = h && h->kind == HandleKind::kOwn && h->resource == resource &&
                     resolve_.type(f.result->id()).name.empty();
        }
        if (f.result && !implicit) text += fmt::format(" -> {}", type(*f.result));
        line(indent, text + ";");
        break;
      }
      case FunctionKind::kMethod:
        line(indent, fmt::format("{}: {};", name, signature(f, true)));
        break;
      default:
        line(indent, fmt::format("{}: static {};", name, signature(f, false)));
        break;
    }
  }

  void interface(InterfaceId id, int indent, PackageId context) {
    const Interface& iface = resolve_.interface(id);
    docs(indent, iface.docs);
    gates(indent, iface.stability, "");
    line(indent, fmt::format("interface {} {{", escape_id(iface.name.value_or(""))));
    interface_body(id, indent + 2, context);
    line(indent, "}");
  }

  void interface_body(InterfaceId id, int indent, PackageId context) {
    const Interface& iface = resolve_.interface(id);
    std::vector<const Function*> functions;
    for (const Function& f : iface.functions) functions.push_back(&f);
    types(iface.types, functions, indent, context);
    for (const Function& f : iface.functions) {
      if (f.kind != FunctionKind::kFreestanding) continue;
      docs(indent, f.docs);
      gates(indent, f.stability, f.external_id);
      line(indent, fmt::format("{}: {};", escape_id(f.name), signature(f, false)));
    }
  }

  void world(WorldId id, int indent, PackageId context) {
    const World& w = resolve_.world(id);
    docs(indent, w.docs);
    gates(indent, w.stability, "");
    line(indent, fmt::format("world {} {{", escape_id(w.name)));
    std::vector<const Function*> resource_functions;
    for (const WorldItem& item : w.imports) {
      if (item.kind == WorldItem::Kind::kFunction &&
          item.function.kind != FunctionKind::kFreestanding) {
        resource_functions.push_back(&item.function);
      }
    }
    world_items(w.imports, "import", resource_functions, indent + 2, context);
    world_items(w.exports, "export", resource_functions, indent + 2, context);
    line(indent, "}");
  }

  void world_items(const std::vector<WorldItem>& items, std::string_view keyword,
                   const std::vector<const Function*>& resource_functions, int indent,
                   PackageId context) {
    for (size_t i = 0; i < items.size(); ++i) {
      const WorldItem& item = items[i];
      switch (item.kind) {
        case WorldItem::Kind::kType: {
          // Consecutive type items print together so their `use`s can be grouped.
          std::vector<TypeId> ids;
          while (i < items.size() && items[i].kind == WorldItem::Kind::kType) {
            ids.push_back(items[i].type);
            ++i;
          }
          --i;
          types(ids, resource_functions, indent, context);
          break;
        }
        case WorldItem::Kind::kFunction:
          if (item.function.kind != FunctionKind::kFreestanding) break;
          docs(indent, item.function.docs);
          gates(indent, item.function.stability, item.function.external_id);
          line(indent, fmt::format("{} {}: {};", keyword, escape_id(item.name),
                                   signature(item.function, false)));
          break;
        case WorldItem::Kind::kInterface: {
          docs(indent, item.docs);
          gates(indent, item.stability, item.external_id);
          const Interface& iface = resolve_.interface(item.interface);
          if (item.name.empty()) {
            line(indent, fmt::format("{} {};", keyword, interface_ref(item.interface, context)));
          } else if (iface.name) {
            line(indent, fmt::format("{} {}: {};", keyword, escape_id(item.name),
                                     interface_ref(item.interface, context)));
          } else {
            line(indent, fmt::format("{} {}: interface {{", keyword, escape_id(item.name)));
            interface_body(item.interface, indent + 2, context);
            line(indent, "}");
          }
          break;
        }
      }
    }
  }

  const Resolve& resolve_;
  std::string out_;
};

}  // namespace

std::string print_package(const Resolve& resolve, PackageId package) {
  Printer printer(resolve);
  printer.package(package, 0, false);
  return printer.take();
}

std::string print_resolve(const Resolve& resolve, PackageId root) {
  std::string out = print_package(resolve, root);
  // Sorted by name so the text does not depend on the order packages were loaded in.
  std::vector<std::pair<std::string, PackageId>> others;
  for (uint32_t i = 0; i < resolve.packages.size(); ++i) {
    if (i != root.index) others.emplace_back(resolve.packages[i].name.to_string(), PackageId{i});
  }
  std::sort(others.begin(), others.end());
  for (const auto& [name, id] : others) {
    Printer nested(resolve);
    nested.package(id, 0, true);
    out += '\n';
    out += nested.take();
  }
  return out;
}

std::string print_type(const Resolve& resolve, const Type& type) {
  return Printer(resolve).type(type);
}

std::string print_function(const Resolve& resolve, const Function& function) {
  return fmt::format("{}: {}", escape_id(function.name),
                     Printer(resolve).signature(function, false));
}

}  // namespace berth::wit
