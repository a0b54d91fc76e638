// Test helpers for the WIT <-> component type bridge: a canonical spelling of the functions of a
// component type and of a WIT world, each computed on its own side, so that the two can be
// compared as strings. Types are spelled structurally (`record { a: u32 }`, never a type name),
// resources as `own<KEY>` / `borrow<KEY>` where KEY is the import or export that first exports
// the resource plus its name there ("wasi:io/error@0.2.0#error"; "#r" for a world-level one).
#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "berth/component/types.h"
#include "berth/wit/model.h"

namespace berth::wit::testing {

// (import or export key, function name) -> "func(a: u32) -> string"; top-level functions have
// an empty key.
using FunctionMap = std::map<std::pair<std::string, std::string>, std::string>;

struct WorldSignature {
  std::set<std::string> imports;  // "instance NAME" and "func NAME"
  std::set<std::string> exports;
  FunctionMap import_functions;
  FunctionMap export_functions;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ComponentSide {
 public:
  explicit ComponentSide(const component::ComponentType& type) {
    for (const auto* list : {&type.imports, &type.exports}) {
      for (const component::NamedExtern& e : *list) {
        if (e.desc.kind == component::ExternKind::kInstance) {
          for (const component::NamedExtern& inner : e.desc.instance->exports) {
            if (inner.desc.kind == component::ExternKind::kType && inner.desc.resource) {
              keys_.emplace(inner.desc.resource.get(), e.name + "#" + inner.name);
            }
          }
        } else if (e.desc.kind == component::ExternKind::kType && e.desc.resource) {
          keys_.emplace(e.desc.resource.get(), "#" + e.name);
        }
      }
    }
  }

  WorldSignature signature(const component::ComponentType& type) const {
    WorldSignature out;
    collect(type.imports, out.imports, out.import_functions);
    collect(type.exports, out.exports, out.export_functions);
    return out;
  }

  std::string type(const component::TypeRef& t) const {
    using component::ValKind;
    if (!t) return "_";
    auto list = [&](const std::vector<component::Field>& fields, bool named) {
      std::vector<std::string> parts;
      for (const component::Field& f : fields) {
        if (!named) {
          parts.push_back(type(f.type));
        } else if (f.type) {
          parts.push_back(fmt::format("{}: {}", f.name, type(f.type)));
        } else {
          parts.push_back(f.name);
        }
      }
      return fmt::format("{}", fmt::join(parts, ", "));
    };
    switch (t->kind) {
      case ValKind::kRecord:
        return fmt::format("record {{ {} }}", list(t->fields, true));
      case ValKind::kVariant:
        return fmt::format("variant {{ {} }}", list(t->fields, true));
      case ValKind::kTuple:
        return fmt::format("tuple<{}>", list(t->fields, false));
      case ValKind::kEnum:
        return fmt::format("enum {{ {} }}", fmt::join(t->labels, ", "));
      case ValKind::kFlags:
        return fmt::format("flags {{ {} }}", fmt::join(t->labels, ", "));
      case ValKind::kList:
        return t->fixed_length ? fmt::format("list<{}, {}>", type(t->element), *t->fixed_length)
                               : fmt::format("list<{}>", type(t->element));
      case ValKind::kOption:
        return fmt::format("option<{}>", type(t->element));
      case ValKind::kResult:
        return fmt::format("result<{}, {}>", type(t->ok), type(t->error));
      case ValKind::kStream:
        return fmt::format("stream<{}>", type(t->element));
      case ValKind::kFuture:
        return fmt::format("future<{}>", type(t->element));
      case ValKind::kOwn:
      case ValKind::kBorrow: {
        auto it = keys_.find(t->resource.get());
        std::string key = it == keys_.end() ? "?" + t->resource->name : it->second;
        return fmt::format("{}<{}>", t->kind == ValKind::kOwn ? "own" : "borrow", key);
      }
      default:
        return component::to_string(t->kind);
    }
  }

  std::string func(const component::FuncType& f) const {
    std::vector<std::string> params;
    for (const component::Field& p : f.params) {
      params.push_back(fmt::format("{}: {}", p.name, type(p.type)));
    }
    return fmt::format("{}func({}) -> {}", f.is_async ? "async " : "", fmt::join(params, ", "),
                       type(f.result));
  }

 private:
  void collect(const std::vector<component::NamedExtern>& list, std::set<std::string>& names,
               FunctionMap& functions) const {
    for (const component::NamedExtern& e : list) {
      if (e.desc.kind == component::ExternKind::kInstance) {
        names.insert("instance " + e.name);
        for (const component::NamedExtern& inner : e.desc.instance->exports) {
          if (inner.desc.kind == component::ExternKind::kFunc) {
            functions[{e.name, inner.name}] = func(*inner.desc.func);
          }
        }
      } else if (e.desc.kind == component::ExternKind::kFunc) {
        names.insert("func " + e.name);
        functions[{"", e.name}] = func(*e.desc.func);
      }
    }
  }

  std::map<const component::ResourceType*, std::string> keys_;
};

class WitSide {
 public:
  WitSide(const Resolve& resolve, WorldId world) : resolve_(resolve), world_(resolve.world(world)) {
    for (const auto* list : {&world_.imports, &world_.exports}) {
      for (const WorldItem& item : *list) {
        if (item.kind == WorldItem::Kind::kInterface) {
          keys_.emplace(item.interface.index, resolve.item_key(item));
        }
      }
    }
  }

  WorldSignature signature() const {
    WorldSignature out;
    collect(world_.imports, out.imports, out.import_functions);
    collect(world_.exports, out.exports, out.export_functions);
    return out;
  }

  std::string type(const Type& t) const { return type(std::optional<Type>(t)); }

  std::string type(const std::optional<Type>& t) const {
    if (!t) return "_";
    if (t->is_primitive()) return std::string(to_string(t->primitive()));
    TypeId id = resolve_.dealias(t->id());
    const TypeDef& def = resolve_.type(id);
    return std::visit(
        [&](const auto& k) -> std::string {
          using K = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<K, Record>) {
            std::vector<std::string> parts;
            for (const Field& f : k.fields) parts.push_back(f.name + ": " + type(f.type));
            return fmt::format("record {{ {} }}", fmt::join(parts, ", "));
          } else if constexpr (std::is_same_v<K, Variant>) {
            std::vector<std::string> parts;
            for (const Case& c : k.cases) {
              parts.push_back(c.type ? c.name + ": " + type(c.type) : c.name);
            }
            return fmt::format("variant {{ {} }}", fmt::join(parts, ", "));
          } else if constexpr (std::is_same_v<K, Enum>) {
            std::vector<std::string> parts;
            for (const EnumCase& c : k.cases) parts.push_back(c.name);
            return fmt::format("enum {{ {} }}", fmt::join(parts, ", "));
          } else if constexpr (std::is_same_v<K, Flags>) {
            std::vector<std::string> parts;
            for (const Flag& f : k.flags) parts.push_back(f.name);
            return fmt::format("flags {{ {} }}", fmt::join(parts, ", "));
          } else if constexpr (std::is_same_v<K, Tuple>) {
            std::vector<std::string> parts;
            for (const Type& e : k.types) parts.push_back(type(e));
            return fmt::format("tuple<{}>", fmt::join(parts, ", "));
          } else if constexpr (std::is_same_v<K, Option>) {
            return fmt::format("option<{}>", type(k.type));
          } else if constexpr (std::is_same_v<K, ResultType>) {
            return fmt::format("result<{}, {}>", type(k.ok), type(k.err));
          } else if constexpr (std::is_same_v<K, List>) {
            return fmt::format("list<{}>", type(k.element));
          } else if constexpr (std::is_same_v<K, FixedList>) {
            return fmt::format("list<{}, {}>", type(k.element), k.length);
          } else if constexpr (std::is_same_v<K, Future>) {
            return fmt::format("future<{}>", type(k.payload));
          } else if constexpr (std::is_same_v<K, Stream>) {
            return fmt::format("stream<{}>", type(k.payload));
          } else if constexpr (std::is_same_v<K, Handle>) {
            return fmt::format("{}<{}>", k.kind == HandleKind::kOwn ? "own" : "borrow",
                               resource_key(resolve_.dealias(k.resource)));
          } else if constexpr (std::is_same_v<K, Resource>) {
            return fmt::format("own<{}>", resource_key(id));
          } else if constexpr (std::is_same_v<K, Alias>) {
            return type(k.target);
          } else {
            return "map";
          }
        },
        def.kind);
  }

  std::string func(const Function& f) const {
    std::vector<std::string> params;
    for (const Param& p : f.params) params.push_back(p.name + ": " + type(p.type));
    return fmt::format("{}func({}) -> {}", f.is_async ? "async " : "", fmt::join(params, ", "),
                       type(f.result));
  }

 private:
  std::string resource_key(TypeId id) const {
    const TypeDef& def = resolve_.type(id);
    if (def.owner.kind != TypeOwner::Kind::kInterface) return "#" + def.name;
    auto it = keys_.find(def.owner.interface.index);
    std::string owner =
        it == keys_.end() ? resolve_.interface_path(def.owner.interface) : it->second;
    return owner + "#" + def.name;
  }

  void collect(const std::vector<WorldItem>& items, std::set<std::string>& names,
               FunctionMap& functions) const {
    for (const WorldItem& item : items) {
      switch (item.kind) {
        case WorldItem::Kind::kInterface: {
          std::string key = resolve_.item_key(item);
          names.insert("instance " + key);
          for (const Function& f : resolve_.interface(item.interface).functions) {
            functions[{key, f.name}] = func(f);
          }
          break;
        }
        case WorldItem::Kind::kFunction:
          names.insert("func " + item.name);
          functions[{"", item.name}] = func(item.function);
          break;
        case WorldItem::Kind::kType:
          break;
      }
    }
  }

  const Resolve& resolve_;
  const World& world_;
  std::map<uint32_t, std::string> keys_;
};

}  // namespace berth::wit::testing
