#include "component/abi/layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "berth/component/val.h"

namespace berth::component::abi {
namespace {

using engine::ValType;

// Sizes are computed in 64 bits and checked against this bound, which component validation also
// enforces (elem_size < 2^28), so no size below overflows 32 bits.
constexpr uint64_t kMaxTypeSize = (1u << 28) - 1;

Error invalid_type(const Type* type, std::string_view why) {
  std::string name = type ? to_string(*type) : "tuple of the parameters";
  return Error(ErrorCode::kInvalid,
               fmt::format("type {} has no Canonical ABI layout: {}", name, why));
}

// The `join` of flatten_variant: the tightest core type both can be bit-cast to.
ValType join(ValType a, ValType b) {
  if (a == b) return a;
  if ((a == ValType::kI32 && b == ValType::kF32) || (a == ValType::kF32 && b == ValType::kI32)) {
    return ValType::kI32;
  }
  return ValType::kI64;
}

void set_flat(TypeLayout& layout, std::vector<ValType> flat, uint64_t count) {
  layout.flat_count = count;
  if (count <= kMaxKeptFlat) layout.flat = std::move(flat);
}

void set_scalar(TypeLayout& layout, uint32_t size, ValType flat) {
  layout.size = size;
  layout.alignment = size;
  layout.flat = {flat};
  layout.flat_count = 1;
}

// Records and tuples: fields in order, each aligned to its own alignment.
Result<void> lay_out_record(TypeLayout& layout, std::vector<LayoutRef> fields) {
  uint64_t offset = 0;
  uint32_t alignment = 1;
  uint64_t flat_count = 0;
  std::vector<ValType> flat;
  for (const auto& field : fields) {
    offset = align_to(static_cast<uint32_t>(offset), field->alignment);
    layout.field_offsets.push_back(static_cast<uint32_t>(offset));
    offset += field->size;
    if (offset > kMaxTypeSize) return invalid_type(layout.type, "it is 2^28 bytes or larger");
    alignment = std::max(alignment, field->alignment);
    flat_count += field->flat_count;
    if (flat_count <= kMaxKeptFlat) flat.insert(flat.end(), field->flat.begin(), field->flat.end());
    layout.contains_handles |= field->contains_handles;
  }
  layout.alignment = alignment;
  layout.size = align_to(static_cast<uint32_t>(offset), alignment);
  set_flat(layout, std::move(flat), flat_count);
  layout.children = std::move(fields);
  return {};
}

uint32_t discriminant_size(uint64_t case_count) {
  if (case_count <= 0x100) return 1;
  if (case_count <= 0x10000) return 2;
  return 4;
}

// Variants, enums, options and results: a discriminant, then the payload of the largest case at
// the largest case alignment. `cases` holds null for cases without payload.
Result<void> lay_out_variant(TypeLayout& layout, std::vector<LayoutRef> cases, uint64_t count) {
  if (count == 0) return invalid_type(layout.type, "it has no cases");
  if (count > UINT32_MAX) return invalid_type(layout.type, "it has too many cases");
  layout.case_count = static_cast<uint32_t>(count);
  layout.discriminant_size = discriminant_size(count);
  uint32_t case_alignment = 1;
  uint32_t payload_size = 0;
  std::vector<ValType> joined;
  uint64_t joined_count = 0;
  for (const auto& c : cases) {
    if (!c) continue;
    case_alignment = std::max(case_alignment, c->alignment);
    payload_size = std::max(payload_size, c->size);
    layout.contains_handles |= c->contains_handles;
    joined_count = std::max(joined_count, c->flat_count);
    if (c->flat_count > kMaxKeptFlat) continue;
    for (size_t i = 0; i < c->flat.size(); ++i) {
      if (i < joined.size()) {
        joined[i] = join(joined[i], c->flat[i]);
      } else {
        joined.push_back(c->flat[i]);
      }
    }
  }
  layout.payload_offset = align_to(layout.discriminant_size, case_alignment);
  layout.alignment = std::max(layout.discriminant_size, case_alignment);
  uint64_t end = uint64_t{layout.payload_offset} + payload_size;
  if (end > kMaxTypeSize) return invalid_type(layout.type, "it is 2^28 bytes or larger");
  layout.size = align_to(static_cast<uint32_t>(end), layout.alignment);
  joined.insert(joined.begin(), ValType::kI32);
  set_flat(layout, std::move(joined), joined_count + 1);
  layout.children = std::move(cases);
  return {};
}

Result<LayoutRef> optional_layout(const TypeRef& type) {
  if (!type) return LayoutRef();
  return layout_of(type);
}

Result<LayoutRef> compute_layout(const TypeRef& type) {
  auto layout = std::make_shared<TypeLayout>();
  layout->type = type.get();
  layout->kind = type->kind;
  switch (type->kind) {
    case ValKind::kBool:
    case ValKind::kS8:
    case ValKind::kU8:
      set_scalar(*layout, 1, ValType::kI32);
      break;
    case ValKind::kS16:
    case ValKind::kU16:
      set_scalar(*layout, 2, ValType::kI32);
      break;
    case ValKind::kS32:
    case ValKind::kU32:
    case ValKind::kChar:
    case ValKind::kStream:
    case ValKind::kFuture:
    case ValKind::kErrorContext:
      set_scalar(*layout, 4, ValType::kI32);
      break;
    case ValKind::kS64:
    case ValKind::kU64:
      set_scalar(*layout, 8, ValType::kI64);
      break;
    case ValKind::kF32:
      set_scalar(*layout, 4, ValType::kF32);
      break;
    case ValKind::kF64:
      set_scalar(*layout, 8, ValType::kF64);
      break;
    case ValKind::kOwn:
    case ValKind::kBorrow:
      if (!type->resource) return invalid_type(type.get(), "it names no resource type");
      set_scalar(*layout, 4, ValType::kI32);
      layout->resource = type->resource.get();
      layout->contains_handles = true;
      break;
    case ValKind::kString:
      layout->size = 8;
      layout->alignment = 4;
      set_flat(*layout, {ValType::kI32, ValType::kI32}, 2);
      break;
    case ValKind::kList: {
      if (!type->element) return invalid_type(type.get(), "the list has no element type");
      BERTH_TRY_ASSIGN(LayoutRef element, layout_of(type->element));
      layout->number_elements = packed_number_size(element->kind) != 0;
      layout->contains_handles = element->contains_handles;
      if (type->fixed_length) {
        uint32_t n = *type->fixed_length;
        if (n == 0)
          return invalid_type(type.get(), "a fixed-length list must have a length above 0");
        uint64_t size = uint64_t{n} * element->size;
        if (size > kMaxTypeSize) return invalid_type(type.get(), "it is 2^28 bytes or larger");
        layout->fixed_length = n;
        layout->size = static_cast<uint32_t>(size);
        layout->alignment = element->alignment;
        uint64_t flat_count = uint64_t{n} * element->flat_count;
        std::vector<ValType> flat;
        if (flat_count <= kMaxKeptFlat) {
          for (uint32_t i = 0; i < n; ++i) {
            flat.insert(flat.end(), element->flat.begin(), element->flat.end());
          }
        }
        set_flat(*layout, std::move(flat), flat_count);
      } else {
        layout->size = 8;
        layout->alignment = 4;
        set_flat(*layout, {ValType::kI32, ValType::kI32}, 2);
      }
      layout->children.push_back(std::move(element));
      break;
    }
    case ValKind::kRecord:
    case ValKind::kTuple: {
      if (type->fields.empty()) return invalid_type(type.get(), "it has no fields");
      std::vector<LayoutRef> fields;
      for (const auto& field : type->fields) {
        if (!field.type) return invalid_type(type.get(), "a field has no type");
        BERTH_TRY_ASSIGN(LayoutRef field_layout, layout_of(field.type));
        fields.push_back(std::move(field_layout));
      }
      BERTH_TRY(lay_out_record(*layout, std::move(fields)));
      break;
    }
    case ValKind::kVariant: {
      std::vector<LayoutRef> cases;
      for (const auto& c : type->fields) {
        BERTH_TRY_ASSIGN(LayoutRef case_layout, optional_layout(c.type));
        cases.push_back(std::move(case_layout));
      }
      BERTH_TRY(lay_out_variant(*layout, std::move(cases), type->fields.size()));
      break;
    }
    case ValKind::kEnum:
      BERTH_TRY(lay_out_variant(*layout, {}, type->labels.size()));
      break;
    case ValKind::kOption: {
      if (!type->element) return invalid_type(type.get(), "the option has no payload type");
      BERTH_TRY_ASSIGN(LayoutRef some, layout_of(type->element));
      BERTH_TRY(lay_out_variant(*layout, {nullptr, std::move(some)}, 2));
      break;
    }
    case ValKind::kResult: {
      BERTH_TRY_ASSIGN(LayoutRef ok, optional_layout(type->ok));
      BERTH_TRY_ASSIGN(LayoutRef error, optional_layout(type->error));
      BERTH_TRY(lay_out_variant(*layout, {std::move(ok), std::move(error)}, 2));
      break;
    }
    case ValKind::kFlags: {
      size_t n = type->labels.size();
      if (n == 0 || n > 32) {
        return invalid_type(type.get(), fmt::format("flags need 1 to 32 labels, this has {}", n));
      }
      layout->flag_count = static_cast<uint32_t>(n);
      set_scalar(*layout, n <= 8 ? 1 : n <= 16 ? 2 : 4, ValType::kI32);
      break;
    }
  }
  return LayoutRef(std::move(layout));
}

// The cache holds layouts by Type address. It keeps a weak reference to the type: an entry
// whose type died is stale (a new type may live at the same address) and is recomputed.
class LayoutCache {
 public:
  LayoutRef find(const TypeRef& type) {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(type.get());
    if (it == entries_.end() || it->second.type.expired()) return nullptr;
    return it->second.layout;
  }

  void insert(const TypeRef& type, LayoutRef layout) {
    std::lock_guard lock(mutex_);
    entries_[type.get()] = Entry{type, std::move(layout)};
    if (entries_.size() >= sweep_at_) {
      std::erase_if(entries_, [](const auto& e) { return e.second.type.expired(); });
      sweep_at_ = std::max<size_t>(1024, entries_.size() * 2);
    }
  }

 private:
  struct Entry {
    std::weak_ptr<const Type> type;
    LayoutRef layout;
  };
  std::mutex mutex_;
  std::unordered_map<const Type*, Entry> entries_;
  size_t sweep_at_ = 1024;
};

LayoutCache& cache() {
  static LayoutCache instance;
  return instance;
}

}  // namespace

uint32_t align_to(uint32_t offset, uint32_t alignment) {
  return (offset + alignment - 1) / alignment * alignment;
}

Result<LayoutRef> layout_of(const TypeRef& type) {
  if (!type) return Error(ErrorCode::kInvalid, "missing type");
  if (LayoutRef cached = cache().find(type)) return cached;
  BERTH_TRY_ASSIGN(LayoutRef layout, compute_layout(type));
  cache().insert(type, layout);
  return layout;
}

Result<LayoutRef> tuple_layout(std::vector<LayoutRef> elements) {
  auto layout = std::make_shared<TypeLayout>();
  layout->kind = ValKind::kTuple;
  // An empty tuple (no parameters) gets size 0: it is never stored.
  BERTH_TRY(lay_out_record(*layout, std::move(elements)));
  return LayoutRef(std::move(layout));
}

engine::FuncType FuncLayout::lift_core_type() const {
  engine::FuncType core;
  core.params = params_in_memory ? std::vector<ValType>{ValType::kI32} : flat_params;
  core.results = result_in_memory ? std::vector<ValType>{ValType::kI32} : flat_results;
  return core;
}

engine::FuncType FuncLayout::lower_core_type() const {
  engine::FuncType core;
  core.params = params_in_memory ? std::vector<ValType>{ValType::kI32} : flat_params;
  if (result_in_memory) {
    core.params.push_back(ValType::kI32);
  } else {
    core.results = flat_results;
  }
  return core;
}

Result<FuncLayoutRef> func_layout(FuncTypeRef type) {
  if (!type) return Error(ErrorCode::kInvalid, "missing function type");
  if (type->is_async) {
    return Error(ErrorCode::kUnsupported,
                 "async functions need the asynchronous Canonical ABI, which berth lacks");
  }
  auto layout = std::make_shared<FuncLayout>();
  uint64_t param_count = 0;
  for (const auto& param : type->params) {
    BERTH_TRY_ASSIGN(LayoutRef param_layout, layout_of(param.type));
    param_count += param_layout->flat_count;
    layout->params.push_back(std::move(param_layout));
  }
  layout->params_in_memory = param_count > kMaxFlatParams;
  if (!layout->params_in_memory) {
    for (const auto& p : layout->params) {
      layout->flat_params.insert(layout->flat_params.end(), p->flat.begin(), p->flat.end());
    }
  }
  BERTH_TRY_ASSIGN(layout->params_tuple, tuple_layout(layout->params));
  if (type->result) {
    BERTH_TRY_ASSIGN(layout->result, layout_of(type->result));
    layout->result_in_memory = layout->result->flat_count > kMaxFlatResults;
    if (!layout->result_in_memory) layout->flat_results = layout->result->flat;
  }
  layout->type = std::move(type);
  return FuncLayoutRef(std::move(layout));
}

}  // namespace berth::component::abi
