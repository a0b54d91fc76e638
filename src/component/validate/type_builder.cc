// Type definitions: value types (with their well-formedness rules), function types, component
// and instance types built from declarators, and resource type definitions.
#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "component/validate/validator_impl.h"

namespace berth::component::validate {
namespace {

std::optional<ValKind> kind_of(PrimValType type) {
  switch (type) {
    case PrimValType::kBool:
      return ValKind::kBool;
    case PrimValType::kS8:
      return ValKind::kS8;
    case PrimValType::kU8:
      return ValKind::kU8;
    case PrimValType::kS16:
      return ValKind::kS16;
    case PrimValType::kU16:
      return ValKind::kU16;
    case PrimValType::kS32:
      return ValKind::kS32;
    case PrimValType::kU32:
      return ValKind::kU32;
    case PrimValType::kS64:
      return ValKind::kS64;
    case PrimValType::kU64:
      return ValKind::kU64;
    case PrimValType::kF32:
      return ValKind::kF32;
    case PrimValType::kF64:
      return ValKind::kF64;
    case PrimValType::kChar:
      return ValKind::kChar;
    case PrimValType::kString:
      return ValKind::kString;
    case PrimValType::kErrorContext:
      return std::nullopt;
  }
  return std::nullopt;
}

// Labels clash when equal ignoring case (strong uniqueness lowercases acronyms).
std::string label_key(std::string_view label) {
  std::string key(label);
  std::transform(key.begin(), key.end(), key.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return key;
}

}  // namespace

Result<void> Validator::check_label(std::string_view label, std::string_view what, size_t offset) {
  if (label.empty()) return invalid(offset, fmt::format("{} name cannot be empty", what));
  if (!binary::is_kebab_label(label)) {
    return invalid(offset, fmt::format("{} name `{}` is not in kebab case", what, label));
  }
  return {};
}

Result<TypeRef> Validator::valtype(const binary::ValType& type, size_t offset) {
  if (!type.is_index) {
    std::optional<ValKind> kind = kind_of(type.primitive);
    if (!kind) return unsupported(offset, "the `error-context` type (📝) is not supported");
    return Type::primitive(*kind);
  }
  BERTH_TRY_ASSIGN(const TypeEntry* entry, type_at(type.index, offset));
  if (entry->kind != TypeEntry::Kind::kValue) {
    return invalid(offset, fmt::format("type index {} is not a defined type", type.index));
  }
  return entry->value;
}

Result<ResourceTypeRef> Validator::resource_at(uint32_t index, size_t offset) {
  BERTH_TRY_ASSIGN(const TypeEntry* entry, type_at(index, offset));
  if (entry->kind != TypeEntry::Kind::kResource) {
    return invalid(offset, fmt::format("type index {} is not a resource type", index));
  }
  return entry->resource;
}

Result<TypeRef> Validator::defined_value(const DefValType& type, size_t offset) {
  // Labels of one record, variant, flags or enum, checked for kebab case and clashes.
  struct Labels {
    Validator& validator;
    std::string_view what;
    std::string_view previous_what;
    size_t offset;
    std::unordered_map<std::string, std::string> seen;

    Result<void> add(const std::string& label) {
      BERTH_TRY(validator.check_label(label, what, offset));
      auto [it, inserted] = seen.emplace(label_key(label), label);
      if (!inserted) {
        return invalid(offset, fmt::format("{} name `{}` conflicts with previous {} name `{}`",
                                           what, label, previous_what, it->second));
      }
      return {};
    }
  };

  auto node = std::make_shared<Type>();
  Result<void> built = std::visit(
      Overloaded{
          [&](PrimValType p) -> Result<void> {
            std::optional<ValKind> kind = kind_of(p);
            if (!kind) return unsupported(offset, "the `error-context` type (📝) is not supported");
            node->kind = *kind;
            return {};
          },
          [&](const binary::RecordType& r) -> Result<void> {
            if (r.fields.empty())
              return invalid(offset, "record type must have at least one field");
            node->kind = ValKind::kRecord;
            Labels labels{*this, "record field", "field", offset, {}};
            for (const binary::LabeledValType& f : r.fields) {
              BERTH_TRY(labels.add(f.label));
              BERTH_TRY_ASSIGN(TypeRef t, valtype(f.type, offset));
              node->fields.push_back(Field{f.label, std::move(t)});
            }
            return {};
          },
          [&](const binary::VariantType& v) -> Result<void> {
            if (v.cases.empty()) return invalid(offset, "variant type must have at least one case");
            node->kind = ValKind::kVariant;
            Labels labels{*this, "variant case", "case", offset, {}};
            for (const binary::VariantCase& c : v.cases) {
              BERTH_TRY(labels.add(c.label));
              TypeRef t;
              if (c.type) {
                BERTH_TRY_ASSIGN(t, valtype(*c.type, offset));
              }
              node->fields.push_back(Field{c.label, std::move(t)});
            }
            return {};
          },
          [&](const binary::ListType& l) -> Result<void> {
            node->kind = ValKind::kList;
            if (l.fixed_length) {
              if (!enabled(Feature::kFixedLengthLists)) {
                return invalid(offset,
                               "fixed-length lists (🔧) need the `fixed-length-lists` feature, "
                               "which is turned off");
              }
              if (*l.fixed_length == 0) {
                return invalid(offset, "Fixed-length lists must have more than zero elements");
              }
              if (*l.fixed_length > kMaxFixedListLength) {
                return invalid(offset,
                               fmt::format("fixed-length list element count exceeds limit of {}",
                                           kMaxFixedListLength));
              }
              node->fixed_length = l.fixed_length;
            }
            BERTH_TRY_ASSIGN(node->element, valtype(l.element, offset));
            return {};
          },
          [&](const binary::TupleType& t) -> Result<void> {
            if (t.types.empty()) return invalid(offset, "tuple type must have at least one type");
            node->kind = ValKind::kTuple;
            for (const binary::ValType& v : t.types) {
              BERTH_TRY_ASSIGN(TypeRef e, valtype(v, offset));
              node->fields.push_back(Field{"", std::move(e)});
            }
            return {};
          },
          [&](const binary::FlagsType& f) -> Result<void> {
            if (f.labels.empty()) return invalid(offset, "flags must have at least one entry");
            if (f.labels.size() > kMaxFlags) {
              return invalid(offset, fmt::format("cannot have more than {} flags", kMaxFlags));
            }
            node->kind = ValKind::kFlags;
            Labels labels{*this, "flag", "flag", offset, {}};
            for (const std::string& l : f.labels) BERTH_TRY(labels.add(l));
            node->labels = f.labels;
            return {};
          },
          [&](const binary::EnumType& e) -> Result<void> {
            if (e.labels.empty())
              return invalid(offset, "enum type must have at least one variant");
            node->kind = ValKind::kEnum;
            Labels labels{*this, "enum tag", "tag", offset, {}};
            for (const std::string& l : e.labels) BERTH_TRY(labels.add(l));
            node->labels = e.labels;
            return {};
          },
          [&](const binary::OptionType& o) -> Result<void> {
            node->kind = ValKind::kOption;
            BERTH_TRY_ASSIGN(node->element, valtype(o.type, offset));
            return {};
          },
          [&](const binary::ResultType& r) -> Result<void> {
            node->kind = ValKind::kResult;
            if (r.ok) {
              BERTH_TRY_ASSIGN(node->ok, valtype(*r.ok, offset));
            }
            if (r.error) {
              BERTH_TRY_ASSIGN(node->error, valtype(*r.error, offset));
            }
            return {};
          },
          [&](const binary::OwnType& o) -> Result<void> {
            node->kind = ValKind::kOwn;
            BERTH_TRY_ASSIGN(node->resource, resource_at(o.resource, offset));
            return {};
          },
          [&](const binary::BorrowType& b) -> Result<void> {
            node->kind = ValKind::kBorrow;
            BERTH_TRY_ASSIGN(node->resource, resource_at(b.resource, offset));
            return {};
          },
          [&](const binary::StreamType&) -> Result<void> {
            return unsupported(offset, "`stream` types (🔀) are not supported");
          },
          [&](const binary::FutureType&) -> Result<void> {
            return unsupported(offset, "`future` types (🔀) are not supported");
          },
          [&](const binary::MapType&) -> Result<void> {
            return unsupported(offset, "`map` types (🗺️) are not supported");
          },
      },
      type);
  BERTH_TRY(built);
  if (is_primitive(node->kind)) return Type::primitive(node->kind);

  TypeRef result = context_.adopt(std::move(node));
  const ValueInfo& info = context_.info(*result);
  if (info.depth > kMaxTypeDepth) return invalid(offset, "type nesting is too deep");
  if (info.size > kMaxTypeSize) return invalid(offset, "effective type size exceeds the limit");
  if (info.elem_size >= kMaxElemSize) {
    return invalid(offset, fmt::format("type {} exceeds maximum byte size (2^28) for a value type",
                                       to_string(*result)));
  }
  return result;
}

Result<FuncTypeRef> Validator::func_type(const binary::FuncType& type, size_t offset) {
  if (type.is_async && !enabled(Feature::kAsync)) {
    return invalid(offset,
                   "async function types (🔀) need the `async` feature, which is turned off");
  }
  auto func = std::make_shared<FuncType>();
  func->is_async = type.is_async;
  std::unordered_map<std::string, std::string> seen;
  uint32_t size = 1;
  for (const binary::LabeledValType& p : type.params) {
    BERTH_TRY(check_label(p.label, "function parameter", offset));
    auto [it, inserted] = seen.emplace(label_key(p.label), p.label);
    if (!inserted) {
      return invalid(offset, fmt::format("function parameter name `{}` conflicts with previous "
                                         "parameter name `{}`",
                                         p.label, it->second));
    }
    BERTH_TRY_ASSIGN(TypeRef t, valtype(p.type, offset));
    size = add_size(size, context_.info(*t).size);
    func->params.push_back(Field{p.label, std::move(t)});
  }
  if (type.result) {
    BERTH_TRY_ASSIGN(func->result, valtype(*type.result, offset));
    if (context_.info(*func->result).contains_borrow) {
      return invalid(offset, "function result cannot contain a `borrow` type");
    }
    size = add_size(size, context_.info(*func->result).size);
  }
  if (size > kMaxTypeSize) return invalid(offset, "effective type size exceeds the limit");
  context_.record_size(func, size);
  return FuncTypeRef(std::move(func));
}

Result<void> Validator::type_definition(const TypeDef& def, size_t definition) {
  size_t offset = def.offset;
  return std::visit(
      Overloaded{
          [&](const DefValType& v) -> Result<void> {
            BERTH_TRY_ASSIGN(TypeRef t, defined_value(v, offset));
            spaces().types.push_back(TypeEntry{.kind = TypeEntry::Kind::kValue, .value = t});
            return {};
          },
          [&](const binary::FuncType& f) -> Result<void> {
            BERTH_TRY_ASSIGN(FuncTypeRef t, func_type(f, offset));
            spaces().types.push_back(TypeEntry{.kind = TypeEntry::Kind::kFunc, .func = t});
            return {};
          },
          [&](const binary::ComponentType& c) -> Result<void> {
            BERTH_TRY_ASSIGN(std::shared_ptr<const ComponentType> t, component_type(c, offset));
            spaces().types.push_back(
                TypeEntry{.kind = TypeEntry::Kind::kComponent, .component = t});
            return {};
          },
          [&](const binary::InstanceType& i) -> Result<void> {
            BERTH_TRY_ASSIGN(std::shared_ptr<const InstanceType> t, instance_type(i, offset));
            spaces().types.push_back(TypeEntry{.kind = TypeEntry::Kind::kInstance, .instance = t});
            return {};
          },
          [&](const binary::ResourceType& r) -> Result<void> {
            return resource_definition(r, definition, offset);
          },
      },
      def.type);
}

Result<void> Validator::type_declaration(const TypeDecl& decl) {
  return std::visit(
      Overloaded{
          [&](const CoreTypeDef& t) { return core_type(t, spaces().core_types, false); },
          [&](const binary::Box<TypeDef>& t) { return type_definition(*t, SIZE_MAX); },
          [&](const Alias& a) { return alias(a); },
          [&](const binary::ImportDecl& i) -> Result<void> {
            if (scope().kind == ScopeKind::kInstanceType) {
              return invalid(i.offset, "instance types cannot contain imports");
            }
            return import(i.name, i.type, i.offset);
          },
          [&](const binary::ExportDecl& e) -> Result<void> {
            BERTH_TRY_ASSIGN(Entity entity, check_type_ref(e.type, e.name.name, e.offset));
            BERTH_TRY(add_entity(entity, ExternPosition::kExport, e.name.name, e.offset));
            Scope& s = scope();
            BERTH_TRY(check_extern_name(e.name, ExternPosition::kExport, entity,
                                        s.exported_resource_names, s.export_keys, s.export_names,
                                        e.offset));
            s.exports.push_back(NamedExtern{e.name.name, entity.desc});
            return {};
          },
      },
      decl.item);
}

Result<std::shared_ptr<const ComponentType>> Validator::component_type(
    const binary::ComponentType& type, size_t offset) {
  Scope scope;
  scope.kind = ScopeKind::kComponentType;
  scope.spaces = std::make_shared<ValidatedComponent>();
  ScopeGuard guard(scopes_, scope);
  for (const TypeDecl& decl : type.decls) BERTH_TRY(type_declaration(decl));
  return finish(scope, offset);
}

Result<std::shared_ptr<const InstanceType>> Validator::instance_type(
    const binary::InstanceType& type, size_t offset) {
  Scope scope;
  scope.kind = ScopeKind::kInstanceType;
  scope.spaces = std::make_shared<ValidatedComponent>();
  ScopeGuard guard(scopes_, scope);
  for (const TypeDecl& decl : type.decls) BERTH_TRY(type_declaration(decl));
  auto out = std::make_shared<InstanceType>();
  out->exports = scope.exports;
  uint32_t size = 1;
  for (const NamedExtern& e : out->exports) size = add_size(size, context_.size_of(e.desc));
  for (const DefinedResource& d : scope.defined_resources) {
    out->defined_resources.push_back(d.resource);
  }
  if (size > kMaxTypeSize) return invalid(offset, "effective type size exceeds the limit");
  context_.record_size(out, size);
  return std::shared_ptr<const InstanceType>(std::move(out));
}

Result<void> Validator::resource_definition(const binary::ResourceType& type, size_t definition,
                                            size_t offset) {
  if (scope().kind != ScopeKind::kComponent) {
    return invalid(offset, "resources can only be defined within a concrete component");
  }
  if (type.rep.kind == CoreValTypeKind::kI64) {
    return unsupported(offset, "resources represented by `i64` (🐘) are not supported");
  }
  if (type.rep.kind != CoreValTypeKind::kI32) {
    return invalid(offset, "resources can only be represented by `i32` or `i64`");
  }
  if (type.destructor) {
    BERTH_TRY_ASSIGN(const engine::FuncType* dtor, core_func_at(*type.destructor, offset));
    engine::FuncType expected{{engine::ValType::kI32}, {}};
    if (*dtor != expected) {
      return invalid(offset,
                     fmt::format("core function {} has wrong signature for a destructor: "
                                 "{}, expected {}",
                                 *type.destructor, dtor->to_string(), expected.to_string()));
    }
  }
  ValidatedComponent& s = spaces();
  auto index = static_cast<uint32_t>(s.types.size());
  ResourceTypeRef resource = context_.new_resource(fmt::format("resource type {}", index));
  s.types.push_back(TypeEntry{.kind = TypeEntry::Kind::kResource, .resource = resource});
  scope().defined_resources.push_back({resource, engine::ValType::kI32});
  s.resources.push_back(
      ResourceDefinition{definition, index, resource, engine::ValType::kI32, type.destructor});
  return {};
}

}  // namespace berth::component::validate
