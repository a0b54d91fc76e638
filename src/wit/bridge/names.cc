#include <fmt/format.h>

#include "bridge/bridge_internal.h"

namespace berth::wit::bridge {

using component::ValKind;

namespace {

bool is_words(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

std::optional<Version> parse_version(std::string text) {
  if (auto v = Version::parse(text)) return *v;
  // A canonical version keeps only the numbers up to the first non-zero one.
  size_t dots = 0;
  for (char c : text) {
    if (c == '.') ++dots;
    if (!((c >= '0' && c <= '9') || c == '.')) return std::nullopt;
  }
  if (dots >= 2) return std::nullopt;
  for (; dots < 2; ++dots) text += ".0";
  if (auto v = Version::parse(text)) return *v;
  return std::nullopt;
}

}  // namespace

}  // namespace berth::wit::bridge

namespace berth::wit {

std::optional<InterfaceName> parse_interface_name(std::string_view name) {
  size_t colon = name.find(':');
  size_t slash = name.find('/');
  if (colon == std::string_view::npos || slash == std::string_view::npos || slash < colon) {
    return std::nullopt;
  }
  InterfaceName out;
  out.ns = std::string(name.substr(0, colon));
  out.package = std::string(name.substr(colon + 1, slash - colon - 1));
  std::string_view rest = name.substr(slash + 1);
  size_t at = rest.find('@');
  out.name = std::string(rest.substr(0, at));
  if (!bridge::is_words(out.ns) || !bridge::is_words(out.package) || out.name.empty() ||
      out.name.find_first_of(":/") != std::string::npos) {
    return std::nullopt;
  }
  if (at != std::string_view::npos) {
    out.version = bridge::parse_version(std::string(rest.substr(at + 1)));
    if (!out.version) return std::nullopt;
  }
  return out;
}

}  // namespace berth::wit

namespace berth::wit::bridge {

bool is_shared_primitive(const component::Type& type) {
  return component::is_primitive(type.kind) && component::Type::primitive(type.kind).get() == &type;
}

void LocalNames::add(const std::vector<component::NamedExtern>& exports) {
  for (const component::NamedExtern& e : exports) {
    if (e.desc.kind != component::ExternKind::kType) continue;
    if (e.desc.resource) {
      resources_.emplace(e.desc.resource.get(), e.name);
    } else if (e.desc.type && !is_shared_primitive(*e.desc.type)) {
      nodes_.emplace(e.desc.type.get(), e.name);
    }
  }
}

void LocalNames::add_resources_of(const component::FuncType& func) {
  auto visit = [&](const component::TypeRef& type, auto& self) -> void {
    if (!type) return;
    if (type->resource) {
      std::string_view name = type->resource->name;
      size_t hash = name.rfind('#');
      if (hash != std::string_view::npos) name.remove_prefix(hash + 1);
      resources_.emplace(type->resource.get(), std::string(name));
    }
    for (const component::Field& f : type->fields) self(f.type, self);
    self(type->element, self);
    self(type->ok, self);
    self(type->error, self);
  };
  for (const component::Field& p : func.params) visit(p.type, visit);
  visit(func.result, visit);
}

const std::string* LocalNames::resource(const component::ResourceType* resource) const {
  auto it = resources_.find(resource);
  return it == resources_.end() ? nullptr : &it->second;
}

const std::string* LocalNames::node(const component::Type* type) const {
  auto it = nodes_.find(type);
  return it == nodes_.end() ? nullptr : &it->second;
}

std::string LocalNames::type(const component::TypeRef& type, bool use_node_names) const {
  if (!type) return "_";
  if (use_node_names) {
    if (const std::string* name = node(type.get())) return *name;
  }
  auto sub = [&](const component::TypeRef& t) { return this->type(t, use_node_names); };
  auto resource_name = [&]() -> std::string {
    if (!type->resource) return "?";
    if (const std::string* name = resource(type->resource.get())) return *name;
    return type->resource->name;
  };
  switch (type->kind) {
    case ValKind::kOwn:
      return resource_name();
    case ValKind::kBorrow:
      return fmt::format("borrow<{}>", resource_name());
    case ValKind::kList:
      return type->fixed_length
                 ? fmt::format("list<{}, {}>", sub(type->element), *type->fixed_length)
                 : fmt::format("list<{}>", sub(type->element));
    case ValKind::kOption:
      return fmt::format("option<{}>", sub(type->element));
    case ValKind::kResult:
      if (!type->ok && !type->error) return "result";
      if (!type->error) return fmt::format("result<{}>", sub(type->ok));
      return fmt::format("result<{}, {}>", sub(type->ok), sub(type->error));
    case ValKind::kTuple: {
      std::vector<std::string> parts;
      for (const component::Field& f : type->fields) parts.push_back(sub(f.type));
      return fmt::format("tuple<{}>", fmt::join(parts, ", "));
    }
    case ValKind::kRecord: {
      std::vector<std::string> parts;
      for (const component::Field& f : type->fields) {
        parts.push_back(fmt::format("{}: {}", f.name, sub(f.type)));
      }
      return fmt::format("record {{ {} }}", fmt::join(parts, ", "));
    }
    case ValKind::kVariant: {
      std::vector<std::string> parts;
      for (const component::Field& f : type->fields) {
        parts.push_back(f.type ? fmt::format("{}({})", f.name, sub(f.type)) : f.name);
      }
      return fmt::format("variant {{ {} }}", fmt::join(parts, ", "));
    }
    case ValKind::kEnum:
      return fmt::format("enum {{ {} }}", fmt::join(type->labels, ", "));
    case ValKind::kFlags:
      return fmt::format("flags {{ {} }}", fmt::join(type->labels, ", "));
    case ValKind::kStream:
      return type->element ? fmt::format("stream<{}>", sub(type->element)) : "stream";
    case ValKind::kFuture:
      return type->element ? fmt::format("future<{}>", sub(type->element)) : "future";
    default:
      return component::to_string(type->kind);
  }
}

std::string LocalNames::func(const component::FuncType& func, bool use_node_names) const {
  std::vector<std::string> params;
  for (const component::Field& p : func.params) {
    params.push_back(fmt::format("{}: {}", p.name, type(p.type, use_node_names)));
  }
  std::string out =
      fmt::format("{}func({})", func.is_async ? "async " : "", fmt::join(params, ", "));
  if (func.result) out += " -> " + type(func.result, use_node_names);
  return out;
}

bool same_type(const component::TypeRef& a, const LocalNames& a_names, const component::TypeRef& b,
               const LocalNames& b_names) {
  if (!a || !b) return !a && !b;
  if (a.get() == b.get()) return true;
  if (a->kind != b->kind || a->labels != b->labels || a->fixed_length != b->fixed_length ||
      a->fields.size() != b->fields.size()) {
    return false;
  }
  if (a->kind == ValKind::kOwn || a->kind == ValKind::kBorrow) {
    const std::string* an = a_names.resource(a->resource.get());
    const std::string* bn = b_names.resource(b->resource.get());
    if (an && bn) return *an == *bn;
    return a->resource == b->resource;
  }
  for (size_t i = 0; i < a->fields.size(); ++i) {
    if (a->fields[i].name != b->fields[i].name) return false;
    if (!same_type(a->fields[i].type, a_names, b->fields[i].type, b_names)) return false;
  }
  return same_type(a->element, a_names, b->element, b_names) &&
         same_type(a->ok, a_names, b->ok, b_names) &&
         same_type(a->error, a_names, b->error, b_names);
}

}  // namespace berth::wit::bridge
