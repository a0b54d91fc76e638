// Structural comparison of two models, for round trips (text -> model -> text -> model) and for
// telling whether two loads of WIT describe the same thing.
#include <fmt/format.h>

#include <map>

#include "berth/wit/model.h"

namespace berth::wit {
namespace {

std::string describe(const Stability& s) {
  std::string out;
  if (s.since) out += "@since(" + s.since->to_string() + ")";
  if (s.kind == Stability::Kind::kUnstable) out += "@unstable(" + s.feature + ")";
  if (s.deprecated) out += "@deprecated(" + s.deprecated->to_string() + ")";
  return out.empty() ? "no gate" : out;
}

class Comparer {
 public:
  Comparer(const Resolve& a, const Resolve& b) : a_(a), b_(b) {
    index_anonymous(a_, anonymous_a_);
    index_anonymous(b_, anonymous_b_);
  }

  std::string run() {
    if (a_.packages.size() != b_.packages.size()) {
      fail("", fmt::format("{} packages vs {}", a_.packages.size(), b_.packages.size()));
    }
    for (uint32_t i = 0; i < a_.packages.size() && diff_.empty(); ++i) {
      const Package& pa = a_.packages[i];
      auto other = b_.find_package(pa.name);
      if (!other) {
        fail(pa.name.to_string(), "package missing from the second model");
        break;
      }
      package(PackageId{i}, *other);
    }
    return diff_;
  }

 private:
  bool fail(const std::string& where, const std::string& what) {
    if (diff_.empty()) diff_ = where.empty() ? what : fmt::format("{}: {}", where, what);
    return false;
  }

  template <typename T>
  bool same(const T& x, const T& y, const std::string& where, std::string_view what) {
    if (x == y) return true;
    return fail(where, fmt::format("{} differs", what));
  }

  static void index_anonymous(const Resolve& r, std::map<uint32_t, std::string>& out) {
    for (uint32_t w = 0; w < r.worlds.size(); ++w) {
      for (bool exports : {false, true}) {
        for (const WorldItem& item : exports ? r.worlds[w].exports : r.worlds[w].imports) {
          if (item.kind != WorldItem::Kind::kInterface || r.interface(item.interface).name) {
            continue;
          }
          out.emplace(item.interface.index, fmt::format("{} {} {}", r.world_path(WorldId{w}),
                                                        exports ? "export" : "import", item.name));
        }
      }
    }
  }

  std::string interface_key(const Resolve& r, InterfaceId id) const {
    if (r.interface(id).name) return r.interface_path(id);
    const auto& map = &r == &a_ ? anonymous_a_ : anonymous_b_;
    auto it = map.find(id.index);
    return it == map.end() ? fmt::format("<anonymous interface {}>", id.index) : it->second;
  }

  std::string owner_key(const Resolve& r, const TypeOwner& owner) const {
    switch (owner.kind) {
      case TypeOwner::Kind::kInterface:
        return interface_key(r, owner.interface);
      case TypeOwner::Kind::kWorld:
        return r.world_path(owner.world);
      case TypeOwner::Kind::kNone:
        break;
    }
    return "";
  }

  // Whether two references denote the same type: named types by owner and name, anonymous ones
  // by structure.
  bool type_ref(const Type& x, const Type& y, const std::string& where) {
    if (x.is_primitive() || y.is_primitive()) {
      if (x.is_primitive() && y.is_primitive() && x.primitive() == y.primitive()) return true;
      return fail(where, "types differ");
    }
    const TypeDef& dx = a_.type(x.id());
    const TypeDef& dy = b_.type(y.id());
    if (!dx.name.empty() || !dy.name.empty()) {
      if (dx.name == dy.name && owner_key(a_, dx.owner) == owner_key(b_, dy.owner)) return true;
      return fail(where, fmt::format("refers to '{}' in '{}' vs '{}' in '{}'", dx.name,
                                     owner_key(a_, dx.owner), dy.name, owner_key(b_, dy.owner)));
    }
    return kind(dx.kind, dy.kind, where);
  }

  bool opt_ref(const std::optional<Type>& x, const std::optional<Type>& y,
               const std::string& where) {
    if (x.has_value() != y.has_value()) return fail(where, "optional type presence differs");
    return !x || type_ref(*x, *y, where);
  }

  bool kind(const TypeDefKind& x, const TypeDefKind& y, const std::string& where) {
    if (x.index() != y.index()) return fail(where, "kinds of type differ");
    return std::visit(
        [&](const auto& kx) -> bool {
          using K = std::decay_t<decltype(kx)>;
          const K& ky = std::get<K>(y);
          if constexpr (std::is_same_v<K, Record>) {
            if (kx.fields.size() != ky.fields.size()) return fail(where, "field counts differ");
            for (size_t i = 0; i < kx.fields.size(); ++i) {
              std::string at = fmt::format("{} field {}", where, kx.fields[i].name);
              if (!same(kx.fields[i].name, ky.fields[i].name, at, "name") ||
                  !same(kx.fields[i].docs, ky.fields[i].docs, at, "docs") ||
                  !type_ref(kx.fields[i].type, ky.fields[i].type, at)) {
                return false;
              }
            }
            return true;
          } else if constexpr (std::is_same_v<K, Resource>) {
            return true;
          } else if constexpr (std::is_same_v<K, Handle>) {
            return same(kx.kind, ky.kind, where, "handle kind") &&
                   type_ref(Type(kx.resource), Type(ky.resource), where);
          } else if constexpr (std::is_same_v<K, Flags>) {
            if (kx.flags.size() != ky.flags.size()) return fail(where, "flag counts differ");
            for (size_t i = 0; i < kx.flags.size(); ++i) {
              if (!same(kx.flags[i].name, ky.flags[i].name, where, "flag name") ||
                  !same(kx.flags[i].docs, ky.flags[i].docs, where, "flag docs")) {
                return false;
              }
            }
            return true;
          } else if constexpr (std::is_same_v<K, Tuple>) {
            if (kx.types.size() != ky.types.size()) return fail(where, "tuple sizes differ");
            for (size_t i = 0; i < kx.types.size(); ++i) {
              if (!type_ref(kx.types[i], ky.types[i], where)) return false;
            }
            return true;
          } else if constexpr (std::is_same_v<K, Variant>) {
            if (kx.cases.size() != ky.cases.size()) return fail(where, "case counts differ");
            for (size_t i = 0; i < kx.cases.size(); ++i) {
              std::string at = fmt::format("{} case {}", where, kx.cases[i].name);
              if (!same(kx.cases[i].name, ky.cases[i].name, at, "name") ||
                  !same(kx.cases[i].docs, ky.cases[i].docs, at, "docs") ||
                  !opt_ref(kx.cases[i].type, ky.cases[i].type, at)) {
                return false;
              }
            }
            return true;
          } else if constexpr (std::is_same_v<K, Enum>) {
            if (kx.cases.size() != ky.cases.size()) return fail(where, "case counts differ");
            for (size_t i = 0; i < kx.cases.size(); ++i) {
              if (!same(kx.cases[i].name, ky.cases[i].name, where, "case name") ||
                  !same(kx.cases[i].docs, ky.cases[i].docs, where, "case docs")) {
                return false;
              }
            }
            return true;
          } else if constexpr (std::is_same_v<K, Option>) {
            return type_ref(kx.type, ky.type, where);
          } else if constexpr (std::is_same_v<K, ResultType>) {
            return opt_ref(kx.ok, ky.ok, where) && opt_ref(kx.err, ky.err, where);
          } else if constexpr (std::is_same_v<K, List>) {
            return type_ref(kx.element, ky.element, where);
          } else if constexpr (std::is_same_v<K, FixedList>) {
            return same(kx.length, ky.length, where, "list length") &&
                   type_ref(kx.element, ky.element, where);
          } else if constexpr (std::is_same_v<K, Map>) {
            return type_ref(kx.key, ky.key, where) && type_ref(kx.value, ky.value, where);
          } else if constexpr (std::is_same_v<K, Future> || std::is_same_v<K, Stream>) {
            return opt_ref(kx.payload, ky.payload, where);
          } else {
            static_assert(std::is_same_v<K, Alias>);
            return type_ref(kx.target, ky.target, where);
          }
        },
        x);
  }

  // Two type definitions in corresponding places.
  bool definition(TypeId x, TypeId y, const std::string& where) {
    const TypeDef& dx = a_.type(x);
    const TypeDef& dy = b_.type(y);
    std::string at = fmt::format("{} type {}", where, dx.name);
    return same(dx.name, dy.name, at, "name") && same(dx.docs, dy.docs, at, "docs") &&
           stability(dx.stability, dy.stability, at) &&
           same(dx.external_id, dy.external_id, at, "external id") && kind(dx.kind, dy.kind, at);
  }

  bool stability(const Stability& x, const Stability& y, const std::string& where) {
    if (x == y) return true;
    return fail(where, fmt::format("gates differ: {} vs {}", describe(x), describe(y)));
  }

  bool function(const Function& x, const Function& y, const std::string& where) {
    std::string at = fmt::format("{} function {}", where, x.name);
    if (!same(x.name, y.name, at, "name") || !same(x.kind, y.kind, at, "function kind") ||
        !same(x.is_async, y.is_async, at, "async") || !same(x.docs, y.docs, at, "docs") ||
        !stability(x.stability, y.stability, at) ||
        !same(x.external_id, y.external_id, at, "external id") ||
        !same(x.params.size(), y.params.size(), at, "parameter count") ||
        !opt_ref(x.result, y.result, at + " result")) {
      return false;
    }
    for (size_t i = 0; i < x.params.size(); ++i) {
      std::string param = fmt::format("{} parameter {}", at, x.params[i].name);
      if (!same(x.params[i].name, y.params[i].name, param, "name") ||
          !type_ref(x.params[i].type, y.params[i].type, param)) {
        return false;
      }
    }
    if (x.resource.valid() != y.resource.valid()) return fail(at, "resource differs");
    return !x.resource.valid() || type_ref(Type(x.resource), Type(y.resource), at);
  }

  bool interface(InterfaceId x, InterfaceId y, const std::string& where) {
    const Interface& ix = a_.interface(x);
    const Interface& iy = b_.interface(y);
    if (!same(ix.name, iy.name, where, "interface name") ||
        !same(ix.docs, iy.docs, where, "docs") || !stability(ix.stability, iy.stability, where)) {
      return false;
    }
    if (ix.types.size() != iy.types.size()) {
      return fail(where, fmt::format("{} types vs {}", ix.types.size(), iy.types.size()));
    }
    for (size_t i = 0; i < ix.types.size(); ++i) {
      if (!definition(ix.types[i], iy.types[i], where)) return false;
    }
    if (ix.functions.size() != iy.functions.size()) {
      return fail(where,
                  fmt::format("{} functions vs {}", ix.functions.size(), iy.functions.size()));
    }
    std::map<std::string, const Function*> by_name;
    for (const Function& f : iy.functions) by_name[f.name] = &f;
    for (const Function& f : ix.functions) {
      auto it = by_name.find(f.name);
      if (it == by_name.end()) return fail(where, fmt::format("function {} missing", f.name));
      if (!function(f, *it->second, where)) return false;
    }
    return true;
  }

  bool item(const WorldItem& x, const WorldItem& y, const std::string& where) {
    std::string at = fmt::format("{} {}", where, a_.item_key(x));
    if (!same(x.kind, y.kind, at, "item kind") || !same(x.name, y.name, at, "name") ||
        !same(x.docs, y.docs, at, "docs") || !stability(x.stability, y.stability, at) ||
        !same(x.external_id, y.external_id, at, "external id")) {
      return false;
    }
    switch (x.kind) {
      case WorldItem::Kind::kInterface: {
        bool anon_x = !a_.interface(x.interface).name;
        bool anon_y = !b_.interface(y.interface).name;
        if (anon_x != anon_y) return fail(at, "inline vs named interface");
        if (anon_x) return interface(x.interface, y.interface, at);
        return same(a_.interface_path(x.interface), b_.interface_path(y.interface), at,
                    "interface");
      }
      case WorldItem::Kind::kFunction:
        return function(x.function, y.function, at);
      case WorldItem::Kind::kType:
        return definition(x.type, y.type, at);
    }
    return true;
  }

  bool world(WorldId x, WorldId y) {
    const World& wx = a_.world(x);
    const World& wy = b_.world(y);
    std::string where = a_.world_path(x);
    if (!same(wx.docs, wy.docs, where, "docs") || !stability(wx.stability, wy.stability, where)) {
      return false;
    }
    for (bool exports : {false, true}) {
      const auto& lx = exports ? wx.exports : wx.imports;
      const auto& ly = exports ? wy.exports : wy.imports;
      std::string list = fmt::format("{} {}", where, exports ? "export" : "import");
      if (lx.size() != ly.size()) {
        return fail(where, fmt::format("{} {}s vs {}", lx.size(), exports ? "export" : "import",
                                       ly.size()));
      }
      for (size_t i = 0; i < lx.size(); ++i) {
        if (!item(lx[i], ly[i], list)) return false;
      }
    }
    return true;
  }

  void package(PackageId x, PackageId y) {
    const Package& px = a_.package(x);
    const Package& py = b_.package(y);
    std::string where = px.name.to_string();
    if (!same(px.docs, py.docs, where, "package docs")) return;
    if (px.interfaces.size() != py.interfaces.size() || px.worlds.size() != py.worlds.size()) {
      fail(where, fmt::format("{} interfaces and {} worlds vs {} and {}", px.interfaces.size(),
                              px.worlds.size(), py.interfaces.size(), py.worlds.size()));
      return;
    }
    for (InterfaceId i : px.interfaces) {
      auto other = b_.find_interface(y, *a_.interface(i).name);
      if (!other) {
        fail(where, fmt::format("interface {} missing", *a_.interface(i).name));
        return;
      }
      if (!interface(i, *other, a_.interface_path(i))) return;
    }
    for (WorldId w : px.worlds) {
      auto other = b_.find_world(y, a_.world(w).name);
      if (!other) {
        fail(where, fmt::format("world {} missing", a_.world(w).name));
        return;
      }
      if (!world(w, *other)) return;
    }
  }

  const Resolve& a_;
  const Resolve& b_;
  std::map<uint32_t, std::string> anonymous_a_;
  std::map<uint32_t, std::string> anonymous_b_;
  std::string diff_;
};

}  // namespace

std::string first_difference(const Resolve& a, const Resolve& b) {
  return Comparer(a, b).run();
}

}  // namespace berth::wit
