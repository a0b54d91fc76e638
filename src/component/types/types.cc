#include "berth/component/types.h"

#include <fmt/format.h>

#include <array>

namespace berth::component {

const char* to_string(ValKind kind) {
  switch (kind) {
    case ValKind::kBool:
      return "bool";
    case ValKind::kS8:
      return "s8";
    case ValKind::kU8:
      return "u8";
    case ValKind::kS16:
      return "s16";
    case ValKind::kU16:
      return "u16";
    case ValKind::kS32:
      return "s32";
    case ValKind::kU32:
      return "u32";
    case ValKind::kS64:
      return "s64";
    case ValKind::kU64:
      return "u64";
    case ValKind::kF32:
      return "f32";
    case ValKind::kF64:
      return "f64";
    case ValKind::kChar:
      return "char";
    case ValKind::kString:
      return "string";
    case ValKind::kList:
      return "list";
    case ValKind::kRecord:
      return "record";
    case ValKind::kTuple:
      return "tuple";
    case ValKind::kVariant:
      return "variant";
    case ValKind::kEnum:
      return "enum";
    case ValKind::kOption:
      return "option";
    case ValKind::kResult:
      return "result";
    case ValKind::kFlags:
      return "flags";
    case ValKind::kOwn:
      return "own";
    case ValKind::kBorrow:
      return "borrow";
    case ValKind::kStream:
      return "stream";
    case ValKind::kFuture:
      return "future";
    case ValKind::kErrorContext:
      return "error-context";
  }
  return "?";
}

bool is_primitive(ValKind kind) {
  return kind <= ValKind::kString || kind == ValKind::kErrorContext;
}

TypeRef Type::primitive(ValKind kind) {
  static const auto table = [] {
    std::array<TypeRef, static_cast<size_t>(ValKind::kErrorContext) + 1> t;
    for (size_t i = 0; i < t.size(); ++i) {
      auto type = std::make_shared<Type>();
      type->kind = static_cast<ValKind>(i);
      t[i] = std::move(type);
    }
    return t;
  }();
  return table[static_cast<size_t>(kind)];
}

namespace {

std::shared_ptr<Type> make(ValKind kind) {
  auto type = std::make_shared<Type>();
  type->kind = kind;
  return type;
}

bool opt_types_equal(const TypeRef& a, const TypeRef& b) {
  if (!a || !b) return !a && !b;
  return types_equal(*a, *b);
}

}  // namespace

TypeRef Type::list(TypeRef element) {
  auto t = make(ValKind::kList);
  t->element = std::move(element);
  return t;
}
TypeRef Type::option(TypeRef element) {
  auto t = make(ValKind::kOption);
  t->element = std::move(element);
  return t;
}
TypeRef Type::result(TypeRef ok, TypeRef error) {
  auto t = make(ValKind::kResult);
  t->ok = std::move(ok);
  t->error = std::move(error);
  return t;
}
TypeRef Type::tuple(std::vector<TypeRef> elements) {
  auto t = make(ValKind::kTuple);
  for (auto& e : elements) t->fields.push_back({"", std::move(e)});
  return t;
}
TypeRef Type::record(std::vector<Field> fields) {
  auto t = make(ValKind::kRecord);
  t->fields = std::move(fields);
  return t;
}
TypeRef Type::variant(std::vector<Field> cases) {
  auto t = make(ValKind::kVariant);
  t->fields = std::move(cases);
  return t;
}
TypeRef Type::enumeration(std::vector<std::string> labels) {
  auto t = make(ValKind::kEnum);
  t->labels = std::move(labels);
  return t;
}
TypeRef Type::flags(std::vector<std::string> labels) {
  auto t = make(ValKind::kFlags);
  t->labels = std::move(labels);
  return t;
}
TypeRef Type::own(ResourceTypeRef resource) {
  auto t = make(ValKind::kOwn);
  t->resource = std::move(resource);
  return t;
}
TypeRef Type::borrow(ResourceTypeRef resource) {
  auto t = make(ValKind::kBorrow);
  t->resource = std::move(resource);
  return t;
}

bool types_equal(const Type& a, const Type& b) {
  if (&a == &b) return true;
  if (a.kind != b.kind) return false;
  if (a.fields.size() != b.fields.size() || a.labels != b.labels ||
      a.fixed_length != b.fixed_length || a.resource != b.resource) {
    return false;
  }
  for (size_t i = 0; i < a.fields.size(); ++i) {
    if (a.fields[i].name != b.fields[i].name) return false;
    if (!opt_types_equal(a.fields[i].type, b.fields[i].type)) return false;
  }
  return opt_types_equal(a.element, b.element) && opt_types_equal(a.ok, b.ok) &&
         opt_types_equal(a.error, b.error);
}

std::string to_string(const Type& type, ResourceSpelling resources) {
  auto name = [resources](const TypeRef& t) {
    return t ? to_string(*t, resources) : std::string("_");
  };
  switch (type.kind) {
    case ValKind::kList:
      return type.fixed_length ? fmt::format("list<{}, {}>", name(type.element), *type.fixed_length)
                               : fmt::format("list<{}>", name(type.element));
    case ValKind::kOption:
      return fmt::format("option<{}>", name(type.element));
    case ValKind::kResult:
      if (!type.ok && !type.error) return "result";
      if (!type.error) return fmt::format("result<{}>", name(type.ok));
      return fmt::format("result<{}, {}>", name(type.ok), name(type.error));
    case ValKind::kTuple: {
      std::string out = "tuple<";
      for (size_t i = 0; i < type.fields.size(); ++i) {
        out += (i ? ", " : "") + name(type.fields[i].type);
      }
      return out + ">";
    }
    case ValKind::kRecord: {
      std::string out = "record {";
      for (size_t i = 0; i < type.fields.size(); ++i) {
        out +=
            fmt::format("{} {}: {}", i ? "," : "", type.fields[i].name, name(type.fields[i].type));
      }
      return out + " }";
    }
    case ValKind::kVariant: {
      std::string out = "variant {";
      for (size_t i = 0; i < type.fields.size(); ++i) {
        out += fmt::format("{} {}", i ? "," : "", type.fields[i].name);
        if (type.fields[i].type) out += fmt::format("({})", name(type.fields[i].type));
      }
      return out + " }";
    }
    case ValKind::kEnum:
    case ValKind::kFlags: {
      std::string out = type.kind == ValKind::kEnum ? "enum {" : "flags {";
      for (size_t i = 0; i < type.labels.size(); ++i) {
        out += fmt::format("{} {}", i ? "," : "", type.labels[i]);
      }
      return out + " }";
    }
    case ValKind::kOwn:
    case ValKind::kBorrow: {
      std::string resource = type.resource ? type.resource->name : "?";
      size_t hash = resource.rfind('#');
      if (resources == ResourceSpelling::kShort && hash != std::string::npos) {
        resource = resource.substr(hash + 1);
      }
      return type.kind == ValKind::kOwn ? fmt::format("own<{}>", resource)
                                        : fmt::format("borrow<{}>", resource);
    }
    case ValKind::kStream:
      return type.element ? fmt::format("stream<{}>", name(type.element)) : "stream";
    case ValKind::kFuture:
      return type.element ? fmt::format("future<{}>", name(type.element)) : "future";
    default:
      return to_string(type.kind);
  }
}

const char* to_string(StringEncoding encoding) {
  switch (encoding) {
    case StringEncoding::kUtf8:
      return "utf8";
    case StringEncoding::kUtf16:
      return "utf16";
    case StringEncoding::kLatin1Utf16:
      return "latin1+utf16";
  }
  return "?";
}

std::string FuncType::to_string(ResourceSpelling resources) const {
  std::string out = is_async ? "async func(" : "func(";
  for (size_t i = 0; i < params.size(); ++i) {
    out += fmt::format("{}{}: {}", i ? ", " : "", params[i].name,
                       params[i].type ? component::to_string(*params[i].type, resources) : "?");
  }
  out += ")";
  if (result) out += " -> " + component::to_string(*result, resources);
  return out;
}

bool func_types_equal(const FuncType& a, const FuncType& b) {
  if (a.is_async != b.is_async || a.params.size() != b.params.size()) return false;
  for (size_t i = 0; i < a.params.size(); ++i) {
    if (a.params[i].name != b.params[i].name) return false;
    if (!opt_types_equal(a.params[i].type, b.params[i].type)) return false;
  }
  return opt_types_equal(a.result, b.result);
}

const NamedExtern* InstanceType::find(std::string_view name) const {
  for (const auto& e : exports) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

}  // namespace berth::component
