// The type context (resource aliases, per-node facts), error helpers, and the two generic walks
// over resolved types: substitution of resources and collection of free resources.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>

#include "component/validate/validator_impl.h"

namespace berth::component::validate {

Error invalid(size_t offset, std::string_view message) {
  return Error(ErrorCode::kInvalid, fmt::format("offset 0x{:x}: {}", offset, message));
}

Error unsupported(size_t offset, std::string_view message) {
  return Error(ErrorCode::kUnsupported, fmt::format("offset 0x{:x}: {}", offset, message));
}

Error mismatch(std::string message) {
  return Error(ErrorCode::kInvalid, std::move(message));
}

Error with_context(const Error& error, std::string_view context) {
  return Error(error.code(), fmt::format("{}: {}", context, error.message()));
}

Error at_offset(const Error& error, size_t offset, std::string_view context) {
  if (context.empty()) {
    return Error(error.code(), fmt::format("offset 0x{:x}: {}", offset, error.message()));
  }
  return Error(error.code(),
               fmt::format("offset 0x{:x}: {}: {}", offset, context, error.message()));
}

uint32_t add_size(uint32_t a, uint32_t b) {
  uint64_t sum = uint64_t{a} + b;
  return static_cast<uint32_t>(std::min<uint64_t>(sum, kMaxTypeSize + 1));
}

namespace {

// Element sizes beyond this are invalid anyway; saturating here keeps products in 64 bits.
constexpr uint64_t kElemSizeCap = uint64_t{1} << 32;

uint64_t cap_elem(uint64_t size) {
  return std::min(size, kElemSizeCap);
}

uint64_t align_to(uint64_t offset, uint32_t alignment) {
  return (offset + alignment - 1) / alignment * alignment;
}

uint32_t discriminant_size(size_t cases) {
  if (cases <= (size_t{1} << 8)) return 1;
  if (cases <= (size_t{1} << 16)) return 2;
  return 4;
}

uint64_t next_resource_id() {
  static std::atomic<uint64_t> next{1};
  return next.fetch_add(1);
}

// The primitive's facts; primitives are shared nodes, so they are not adopted.
ValueInfo primitive_info(ValKind kind) {
  ValueInfo info;
  switch (kind) {
    case ValKind::kBool:
    case ValKind::kS8:
    case ValKind::kU8:
      info.elem_size = 1;
      info.alignment = 1;
      break;
    case ValKind::kS16:
    case ValKind::kU16:
      info.elem_size = 2;
      info.alignment = 2;
      break;
    case ValKind::kS64:
    case ValKind::kU64:
    case ValKind::kF64:
      info.elem_size = 8;
      info.alignment = 8;
      break;
    case ValKind::kString:
      info.elem_size = 16;
      info.alignment = 8;
      info.contains_pointer = true;
      break;
    default:
      info.elem_size = 4;
      info.alignment = 4;
      break;
  }
  return info;
}

}  // namespace

ResourceTypeRef TypeContext::new_resource(std::string name) {
  auto resource = std::make_shared<ResourceType>();
  resource->name = std::move(name);
  resource->id = next_resource_id();
  return resource;
}

ResourceTypeRef TypeContext::new_alias(const ResourceTypeRef& of) {
  const ResourceTypeRef& real = canonical(of);
  auto alias = std::make_shared<ResourceType>(*real);
  ResourceTypeRef ref = alias;
  canonical_.emplace(ref.get(), real);
  keep_alive_.push_back(ref);
  return ref;
}

const ResourceTypeRef& TypeContext::canonical(const ResourceTypeRef& resource) const {
  auto it = canonical_.find(resource.get());
  return it == canonical_.end() ? resource : it->second;
}

const ResourceType* TypeContext::canonical(const ResourceType* resource) const {
  auto it = canonical_.find(resource);
  return it == canonical_.end() ? resource : it->second.get();
}

bool TypeContext::is_alias(const ResourceType* resource) const {
  return canonical_.count(resource) != 0;
}

const ValueInfo& TypeContext::info(const Type& type) {
  auto it = infos_.find(&type);
  if (it != infos_.end()) return it->second;
  if (is_primitive(type.kind)) {
    return infos_.emplace(&type, primitive_info(type.kind)).first->second;
  }
  // A node that was not adopted (made outside the validator): compute its facts now.
  ValueInfo computed;
  auto child = [&](const TypeRef& t) -> ValueInfo { return t ? info(*t) : ValueInfo{}; };
  uint32_t size = 1;
  uint32_t depth = 0;
  bool borrow = type.kind == ValKind::kBorrow;
  bool pointer = false;
  auto visit = [&](const TypeRef& t) {
    if (!t) return;
    ValueInfo c = child(t);
    size = add_size(size, c.size);
    depth = std::max(depth, c.depth);
    borrow = borrow || c.contains_borrow;
    pointer = pointer || c.contains_pointer;
  };
  for (const Field& f : type.fields) visit(f.type);
  visit(type.element);
  visit(type.ok);
  visit(type.error);
  computed.size = size;
  computed.contains_borrow = borrow;

  switch (type.kind) {
    case ValKind::kList:
      if (type.fixed_length) {
        ValueInfo e = child(type.element);
        computed.elem_size = cap_elem(uint64_t{*type.fixed_length} * e.elem_size);
        computed.alignment = e.alignment;
        computed.contains_pointer = e.contains_pointer;
      } else {
        computed.elem_size = 16;
        computed.alignment = 8;
        computed.contains_pointer = true;
      }
      computed.depth = depth + 1;
      break;
    case ValKind::kRecord:
    case ValKind::kTuple: {
      uint64_t offset = 0;
      uint32_t alignment = 1;
      for (const Field& f : type.fields) {
        ValueInfo c = child(f.type);
        offset = cap_elem(align_to(offset, c.alignment) + c.elem_size);
        alignment = std::max(alignment, c.alignment);
      }
      computed.elem_size = cap_elem(align_to(offset, alignment));
      computed.alignment = alignment;
      computed.contains_pointer = pointer;
      computed.depth = depth + 1;
      break;
    }
    case ValKind::kVariant:
    case ValKind::kEnum:
    case ValKind::kOption:
    case ValKind::kResult: {
      std::vector<TypeRef> payloads;
      size_t cases = 0;
      if (type.kind == ValKind::kVariant) {
        cases = type.fields.size();
        for (const Field& f : type.fields) payloads.push_back(f.type);
      } else if (type.kind == ValKind::kEnum) {
        cases = type.labels.size();
      } else if (type.kind == ValKind::kOption) {
        cases = 2;
        payloads.push_back(type.element);
      } else {
        cases = 2;
        payloads.push_back(type.ok);
        payloads.push_back(type.error);
      }
      uint32_t case_alignment = 1;
      uint64_t case_size = 0;
      for (const TypeRef& p : payloads) {
        if (!p) continue;
        ValueInfo c = child(p);
        case_alignment = std::max(case_alignment, c.alignment);
        case_size = std::max(case_size, c.elem_size);
      }
      uint32_t discriminant = discriminant_size(cases);
      uint64_t offset = align_to(discriminant, case_alignment) + case_size;
      computed.alignment = std::max(discriminant, case_alignment);
      computed.elem_size = cap_elem(align_to(offset, computed.alignment));
      computed.contains_pointer = pointer;
      computed.depth = type.kind == ValKind::kEnum ? 1 : depth + 1;
      break;
    }
    case ValKind::kFlags: {
      size_t n = type.labels.size();
      computed.elem_size = n <= 8 ? 1 : n <= 16 ? 2 : 4;
      computed.alignment = static_cast<uint32_t>(computed.elem_size);
      computed.depth = 1;
      break;
    }
    case ValKind::kStream:
    case ValKind::kFuture:
      computed.elem_size = 4;
      computed.alignment = 4;
      computed.depth = depth + 1;
      break;
    default:  // own, borrow
      computed.elem_size = 4;
      computed.alignment = 4;
      computed.depth = 1;
      break;
  }
  return infos_.emplace(&type, computed).first->second;
}

TypeRef TypeContext::adopt(std::shared_ptr<Type> node) {
  TypeRef ref = std::move(node);
  keep_alive_.push_back(ref);
  info(*ref);
  return ref;
}

TypeRef TypeContext::copy(const TypeRef& node) {
  return adopt(std::make_shared<Type>(*node));
}

void TypeContext::record_size(std::shared_ptr<const void> node, uint32_t size) {
  sizes_[node.get()] = size;
  keep_alive_.push_back(std::move(node));
}

uint32_t TypeContext::size_of(const void* node) const {
  auto it = sizes_.find(node);
  return it == sizes_.end() ? 1 : it->second;
}

uint32_t TypeContext::size_of(const FuncType& func) {
  auto it = sizes_.find(&func);
  if (it != sizes_.end()) return it->second;
  uint32_t size = 1;
  for (const Field& p : func.params) {
    if (p.type) size = add_size(size, info(*p.type).size);
  }
  if (func.result) size = add_size(size, info(*func.result).size);
  return size;
}

uint32_t TypeContext::size_of(const ExternDesc& desc) {
  switch (desc.kind) {
    case ExternKind::kCoreModule:
      return desc.module ? add_size(1, static_cast<uint32_t>(desc.module->imports.size() +
                                                             desc.module->exports.size()))
                         : 1;
    case ExternKind::kFunc:
      return desc.func ? size_of(*desc.func) : 1;
    case ExternKind::kValue:
      return desc.type ? info(*desc.type).size : 1;
    case ExternKind::kType:
      return size_of(entry_of(desc));
    case ExternKind::kInstance:
      return size_of(desc.instance.get());
    case ExternKind::kComponent:
      return size_of(desc.component.get());
  }
  return 1;
}

uint32_t TypeContext::size_of(const TypeEntry& entry) {
  switch (entry.kind) {
    case TypeEntry::Kind::kValue:
      return info(*entry.value).size;
    case TypeEntry::Kind::kResource:
      return 1;
    case TypeEntry::Kind::kFunc:
      return size_of(*entry.func);
    case TypeEntry::Kind::kInstance:
      return size_of(entry.instance.get());
    case TypeEntry::Kind::kComponent:
      return size_of(entry.component.get());
  }
  return 1;
}

TypeEntry entry_of(const ExternDesc& desc) {
  TypeEntry entry;
  if (desc.resource) {
    entry.kind = TypeEntry::Kind::kResource;
    entry.resource = desc.resource;
  } else if (desc.func) {
    entry.kind = TypeEntry::Kind::kFunc;
    entry.func = desc.func;
  } else if (desc.instance) {
    entry.kind = TypeEntry::Kind::kInstance;
    entry.instance = desc.instance;
  } else if (desc.component) {
    entry.kind = TypeEntry::Kind::kComponent;
    entry.component = desc.component;
  } else {
    entry.kind = TypeEntry::Kind::kValue;
    entry.value = desc.type;
  }
  return entry;
}

ExternDesc type_desc_of(const TypeEntry& entry) {
  ExternDesc desc;
  desc.kind = ExternKind::kType;
  desc.type = entry.value;
  desc.resource = entry.resource;
  desc.func = entry.func;
  desc.instance = entry.instance;
  desc.component = entry.component;
  return desc;
}

std::string_view describe(ExternKind kind) {
  switch (kind) {
    case ExternKind::kCoreModule:
      return "module";
    case ExternKind::kFunc:
      return "func";
    case ExternKind::kValue:
      return "value";
    case ExternKind::kType:
      return "type";
    case ExternKind::kComponent:
      return "component";
    case ExternKind::kInstance:
      return "instance";
  }
  return "?";
}

std::string_view describe(const TypeEntry& entry) {
  switch (entry.kind) {
    case TypeEntry::Kind::kValue:
      return "defined type";
    case TypeEntry::Kind::kResource:
      return "resource";
    case TypeEntry::Kind::kFunc:
      return "func type";
    case TypeEntry::Kind::kInstance:
      return "instance type";
    case TypeEntry::Kind::kComponent:
      return "component type";
  }
  return "?";
}

std::string_view describe(Sort sort) {
  return binary::to_string(sort);
}

std::string_view describe(ExternPosition position) {
  return position == ExternPosition::kImport ? "import" : "export";
}

// --- Substitution ---------------------------------------------------------------------------

const void* identity_of(const TypeEntry& entry) {
  switch (entry.kind) {
    case TypeEntry::Kind::kValue:
      return entry.value.get();
    case TypeEntry::Kind::kResource:
      return entry.resource.get();
    case TypeEntry::Kind::kFunc:
      return entry.func.get();
    case TypeEntry::Kind::kInstance:
      return entry.instance.get();
    case TypeEntry::Kind::kComponent:
      return entry.component.get();
  }
  return nullptr;
}

Substitution::Substitution(TypeContext& context, ResourceMap map, Mode mode)
    : context_(context), map_(std::move(map)), mode_(mode) {}

void Substitution::rename(const void* from, TypeEntry to) {
  renamed_[from] = std::move(to);
}

bool Substitution::changes(const ResourceType* resource) const {
  if (mode_ == Mode::kCanonicalize) return context_.is_alias(resource);
  return map_.count(context_.canonical(resource)) != 0;
}

ResourceTypeRef Substitution::resource(const ResourceTypeRef& resource) {
  if (!resource) return resource;
  if (auto renamed = renamed_.find(resource.get()); renamed != renamed_.end()) {
    if (renamed->second.resource) return renamed->second.resource;
  }
  if (!changes(resource.get())) return resource;
  if (mode_ == Mode::kCanonicalize) return context_.canonical(resource);
  auto it = aliases_.find(resource.get());
  if (it != aliases_.end()) return it->second;
  const ResourceTypeRef& replacement = map_.at(context_.canonical(resource.get()));
  ResourceTypeRef alias = context_.new_alias(replacement);
  aliases_.emplace(resource.get(), alias);
  return alias;
}

ResourceTypeRef Substitution::bound(const ResourceTypeRef& resource) {
  if (mode_ == Mode::kCanonicalize) return context_.canonical(resource);
  auto it = map_.find(resource.get());
  return it == map_.end() ? resource : it->second;
}

TypeRef Substitution::value(const TypeRef& type) {
  if (!type) return type;
  if (auto renamed = renamed_.find(type.get()); renamed != renamed_.end()) {
    if (renamed->second.value) return renamed->second.value;
  }
  if (is_primitive(type->kind)) return type;
  auto done = done_.find(type.get());
  if (done != done_.end()) return std::static_pointer_cast<const Type>(done->second);

  bool changed = false;
  ResourceTypeRef resource = this->resource(type->resource);
  changed = changed || resource != type->resource;
  std::vector<Field> fields = type->fields;
  for (Field& f : fields) {
    TypeRef t = value(f.type);
    changed = changed || t != f.type;
    f.type = std::move(t);
  }
  TypeRef element = value(type->element);
  TypeRef ok = value(type->ok);
  TypeRef error = value(type->error);
  changed = changed || element != type->element || ok != type->ok || error != type->error;

  TypeRef result = type;
  if (changed) {
    auto node = std::make_shared<Type>(*type);
    node->resource = std::move(resource);
    node->fields = std::move(fields);
    node->element = std::move(element);
    node->ok = std::move(ok);
    node->error = std::move(error);
    result = context_.adopt(std::move(node));
  }
  done_.emplace(type.get(), result);
  return result;
}

FuncTypeRef Substitution::func(const FuncTypeRef& func) {
  if (!func) return func;
  if (auto renamed = renamed_.find(func.get()); renamed != renamed_.end()) {
    if (renamed->second.func) return renamed->second.func;
  }
  auto done = done_.find(func.get());
  if (done != done_.end()) return std::static_pointer_cast<const FuncType>(done->second);
  bool changed = false;
  auto copy = std::make_shared<FuncType>(*func);
  for (Field& p : copy->params) {
    TypeRef t = value(p.type);
    changed = changed || t != p.type;
    p.type = std::move(t);
  }
  TypeRef result = value(copy->result);
  changed = changed || result != copy->result;
  copy->result = std::move(result);
  FuncTypeRef out = func;
  if (changed) {
    out = copy;
    context_.record_size(out, context_.size_of(*func));
  }
  done_.emplace(func.get(), out);
  return out;
}

std::shared_ptr<const InstanceType> Substitution::instance(
    const std::shared_ptr<const InstanceType>& type) {
  if (!type) return type;
  if (auto renamed = renamed_.find(type.get()); renamed != renamed_.end()) {
    if (renamed->second.instance) return renamed->second.instance;
  }
  auto done = done_.find(type.get());
  if (done != done_.end()) return std::static_pointer_cast<const InstanceType>(done->second);
  bool changed = false;
  auto copy = std::make_shared<InstanceType>(*type);
  for (NamedExtern& e : copy->exports) {
    ExternDesc d = desc(e.desc);
    changed = changed || d.func != e.desc.func || d.instance != e.desc.instance ||
              d.component != e.desc.component || d.type != e.desc.type ||
              d.resource != e.desc.resource;
    e.desc = std::move(d);
  }
  for (ResourceTypeRef& r : copy->defined_resources) {
    ResourceTypeRef b = bound(r);
    changed = changed || b != r;
    r = std::move(b);
  }
  std::shared_ptr<const InstanceType> out = type;
  if (changed) {
    out = copy;
    context_.record_size(out, context_.size_of(type.get()));
  }
  done_.emplace(type.get(), out);
  return out;
}

std::shared_ptr<const ComponentType> Substitution::component(
    const std::shared_ptr<const ComponentType>& type) {
  if (!type) return type;
  if (auto renamed = renamed_.find(type.get()); renamed != renamed_.end()) {
    if (renamed->second.component) return renamed->second.component;
  }
  auto done = done_.find(type.get());
  if (done != done_.end()) return std::static_pointer_cast<const ComponentType>(done->second);
  bool changed = false;
  auto copy = std::make_shared<ComponentType>(*type);
  for (auto* list : {&copy->imports, &copy->exports}) {
    for (NamedExtern& e : *list) {
      ExternDesc d = desc(e.desc);
      changed = changed || d.func != e.desc.func || d.instance != e.desc.instance ||
                d.component != e.desc.component || d.type != e.desc.type ||
                d.resource != e.desc.resource;
      e.desc = std::move(d);
    }
  }
  for (auto* list : {&copy->imported_resources, &copy->defined_resources}) {
    for (ResourceTypeRef& r : *list) {
      ResourceTypeRef b = bound(r);
      changed = changed || b != r;
      r = std::move(b);
    }
  }
  std::shared_ptr<const ComponentType> out = type;
  if (changed) {
    out = copy;
    context_.record_size(out, context_.size_of(type.get()));
  }
  done_.emplace(type.get(), out);
  return out;
}

ExternDesc Substitution::desc(const ExternDesc& desc) {
  ExternDesc out = desc;
  out.func = func(desc.func);
  out.instance = instance(desc.instance);
  out.component = component(desc.component);
  out.type = value(desc.type);
  out.resource = resource(desc.resource);
  return out;
}

TypeEntry Substitution::entry(const TypeEntry& entry) {
  TypeEntry out = entry;
  out.value = value(entry.value);
  out.resource = resource(entry.resource);
  out.func = func(entry.func);
  out.instance = instance(entry.instance);
  out.component = component(entry.component);
  return out;
}

// --- Free resources -------------------------------------------------------------------------

void FreeResources::add(const Type& type) {
  if (is_primitive(type.kind) || !visited_.insert(&type).second) return;
  if (type.resource) free_.insert(context_.canonical(type.resource.get()));
  for (const Field& f : type.fields) {
    if (f.type) add(*f.type);
  }
  for (const TypeRef* t : {&type.element, &type.ok, &type.error}) {
    if (*t) add(**t);
  }
}

void FreeResources::add(const FuncType& func) {
  if (!visited_.insert(&func).second) return;
  for (const Field& p : func.params) {
    if (p.type) add(*p.type);
  }
  if (func.result) add(*func.result);
}

void FreeResources::add(const InstanceType& type) {
  FreeResources inner(context_);
  for (const NamedExtern& e : type.exports) inner.add(e.desc);
  for (const ResourceType* r : inner.free_) {
    bool bound = std::any_of(type.defined_resources.begin(), type.defined_resources.end(),
                             [&](const ResourceTypeRef& d) { return d.get() == r; });
    if (!bound) free_.insert(r);
  }
}

void FreeResources::add(const ComponentType& type) {
  FreeResources inner(context_);
  for (const NamedExtern& e : type.imports) inner.add(e.desc);
  for (const NamedExtern& e : type.exports) inner.add(e.desc);
  auto bound = [&](const ResourceType* r) {
    for (const auto* list : {&type.imported_resources, &type.defined_resources}) {
      for (const ResourceTypeRef& b : *list) {
        if (b.get() == r) return true;
      }
    }
    return false;
  };
  for (const ResourceType* r : inner.free_) {
    if (!bound(r)) free_.insert(r);
  }
}

void FreeResources::add(const ExternDesc& desc) {
  if (desc.func) add(*desc.func);
  if (desc.instance) add(*desc.instance);
  if (desc.component) add(*desc.component);
  if (desc.type) add(*desc.type);
  if (desc.resource) free_.insert(context_.canonical(desc.resource.get()));
}

void FreeResources::add(const TypeEntry& entry) {
  add(type_desc_of(entry));
}

}  // namespace berth::component::validate
