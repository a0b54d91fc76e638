#include "berth/component/native.h"

#include <fmt/format.h>

#include <algorithm>

namespace berth::component {
namespace {

uint32_t align_up(uint32_t value, uint32_t align) {
  return (value + align - 1) / align * align;
}

std::shared_ptr<NativeType> scalar(ValKind kind, uint32_t size) {
  auto t = std::make_shared<NativeType>();
  t->kind = kind;
  t->size = size;
  t->align = size;
  return t;
}

// Lays out members one after the other with C struct rules.
void lay_out_struct(NativeType& t) {
  uint32_t offset = 0;
  uint32_t align = 1;
  for (NativeType::Member& m : t.members) {
    offset = align_up(offset, m.type->align);
    m.offset = offset;
    offset += m.type->size;
    align = std::max(align, m.type->align);
  }
  t.align = align;
  t.size = align_up(offset, align);
}

// A tag followed by a union of the cases' payloads.
void lay_out_tagged(NativeType& t, uint32_t tag_size) {
  uint32_t payload_size = 0;
  uint32_t payload_align = 1;
  for (const NativeType::Member& m : t.members) {
    if (!m.type) continue;
    payload_size = std::max(payload_size, m.type->size);
    payload_align = std::max(payload_align, m.type->align);
  }
  t.tag_size = tag_size;
  t.payload_offset = align_up(tag_size, payload_align);
  for (NativeType::Member& m : t.members) m.offset = t.payload_offset;
  t.align = std::max(tag_size, payload_align);
  t.size = align_up(t.payload_offset + payload_size, t.align);
}

bool is_number(ValKind kind) {
  return packed_number_size(kind) != 0;
}

// NativeType::checked for a layout whose members are already laid out.
bool members_checked(const NativeType& t) {
  if (is_number(t.kind)) return false;
  if (t.kind == ValKind::kRecord || t.kind == ValKind::kTuple) {
    return std::any_of(t.members.begin(), t.members.end(),
                       [](const NativeType::Member& m) { return m.type->checked; });
  }
  if (t.kind == ValKind::kList && t.fixed_length) return t.element->checked;
  return true;
}

Result<NativeTypeRef> optional_layout(const TypeRef& type) {
  if (!type) return NativeTypeRef();
  return native_layout(type);
}

}  // namespace

Result<NativeTypeRef> native_layout(const TypeRef& type) {
  std::shared_ptr<NativeType> t;
  switch (type->kind) {
    case ValKind::kBool:
    case ValKind::kS8:
    case ValKind::kU8:
      t = scalar(type->kind, 1);
      break;
    case ValKind::kS16:
    case ValKind::kU16:
      t = scalar(type->kind, 2);
      break;
    case ValKind::kS32:
    case ValKind::kU32:
    case ValKind::kF32:
    case ValKind::kChar:
    case ValKind::kEnum:
      t = scalar(type->kind, 4);
      t->count = static_cast<uint32_t>(type->labels.size());
      break;
    case ValKind::kS64:
    case ValKind::kU64:
    case ValKind::kF64:
      t = scalar(type->kind, 8);
      break;
    case ValKind::kString:
      t = scalar(type->kind, kNativeViewSize);
      t->align = kNativePointerSize;
      break;
    case ValKind::kOwn:
    case ValKind::kBorrow:
      t = scalar(type->kind, kNativePointerSize);
      t->resource = type->resource;
      break;
    case ValKind::kFlags: {
      t = std::make_shared<NativeType>();
      t->kind = type->kind;
      t->count = static_cast<uint32_t>(type->labels.size());
      t->size = (t->count + 31) / 32 * 4;
      t->align = 4;
      break;
    }
    case ValKind::kList: {
      t = std::make_shared<NativeType>();
      t->kind = type->kind;
      BERTH_TRY_ASSIGN(t->element, native_layout(type->element));
      t->fixed_length = type->fixed_length;
      if (type->fixed_length) {
        uint64_t size = uint64_t{t->element->size} * *type->fixed_length;
        if (size > (1u << 30)) {
          return Error(ErrorCode::kUnsupported,
                       fmt::format("{} is too large for the native layout", to_string(*type)));
        }
        t->size = static_cast<uint32_t>(size);
        t->align = t->element->align;
      } else {
        t->size = kNativeViewSize;
        t->align = kNativePointerSize;
      }
      break;
    }
    case ValKind::kRecord:
    case ValKind::kTuple: {
      t = std::make_shared<NativeType>();
      t->kind = type->kind;
      for (const Field& field : type->fields) {
        BERTH_TRY_ASSIGN(NativeTypeRef member, native_layout(field.type));
        t->members.push_back({field.name, std::move(member), 0});
      }
      lay_out_struct(*t);
      break;
    }
    case ValKind::kVariant: {
      t = std::make_shared<NativeType>();
      t->kind = type->kind;
      for (const Field& field : type->fields) {
        BERTH_TRY_ASSIGN(NativeTypeRef member, optional_layout(field.type));
        t->members.push_back({field.name, std::move(member), 0});
      }
      t->count = static_cast<uint32_t>(t->members.size());
      lay_out_tagged(*t, 4);
      break;
    }
    case ValKind::kOption: {
      t = std::make_shared<NativeType>();
      t->kind = type->kind;
      BERTH_TRY_ASSIGN(NativeTypeRef some, native_layout(type->element));
      t->members.push_back({"none", nullptr, 0});
      t->members.push_back({"some", std::move(some), 0});
      t->count = 2;
      lay_out_tagged(*t, 1);
      break;
    }
    case ValKind::kResult: {
      t = std::make_shared<NativeType>();
      t->kind = type->kind;
      BERTH_TRY_ASSIGN(NativeTypeRef ok, optional_layout(type->ok));
      BERTH_TRY_ASSIGN(NativeTypeRef error, optional_layout(type->error));
      t->members.push_back({"ok", std::move(ok), 0});
      t->members.push_back({"error", std::move(error), 0});
      t->count = 2;
      lay_out_tagged(*t, 1);
      break;
    }
    default:
      return Error(ErrorCode::kUnsupported,
                   fmt::format("{} values have no native layout", to_string(*type)));
  }
  t->type = type;
  t->checked = members_checked(*t);
  return NativeTypeRef(std::move(t));
}

Result<NativeTypeRef> native_params_layout(const FuncType& type) {
  auto t = std::make_shared<NativeType>();
  t->kind = ValKind::kRecord;
  for (const Field& param : type.params) {
    BERTH_TRY_ASSIGN(NativeTypeRef member, native_layout(param.type));
    t->members.push_back({param.name, std::move(member), 0});
  }
  lay_out_struct(*t);
  t->checked = members_checked(*t);
  return NativeTypeRef(std::move(t));
}

Result<NativeFunctionLayout> native_function_layout(const FuncType& type) {
  NativeFunctionLayout out;
  BERTH_TRY_ASSIGN(out.params, native_params_layout(type));
  if (type.result) {
    BERTH_TRY_ASSIGN(out.result, native_layout(type.result));
  }
  return out;
}

std::string native_signature(const FuncType& type) {
  return type.to_string(ResourceSpelling::kShort);
}

}  // namespace berth::component
