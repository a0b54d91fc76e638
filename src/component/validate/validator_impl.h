// Internals of the component validator, shared by its source files: limits, the type context
// (resource identities and per-node facts), scopes with their index spaces, and the Validator
// class whose methods the .cc files of this folder implement.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "berth/component/types.h"
#include "berth/engine/module_info.h"
#include "berth/result.h"
#include "component/ir/component.h"
#include "component/ir/names.h"
#include "component/validate/validated.h"
#include "component/validate/validator.h"

namespace berth::component::validate {

// IR names that do not clash with the resolved types of berth/component/types.h. The clashing
// ones (FuncType, ResourceType, ComponentType, InstanceType, ExternKind) are always written
// binary::X when the IR's is meant.
using binary::Alias;
using binary::AliasKind;
using binary::Canon;
using binary::CanonKind;
using binary::CanonOptionKind;
using binary::Component;
using binary::CoreExternType;
using binary::CoreInstance;
using binary::CoreModule;
using binary::CoreModuleType;
using binary::CoreTypeDef;
using binary::CoreValType;
using binary::CoreValTypeKind;
using binary::DefValType;
using binary::Export;
using binary::ExternName;
using binary::ExternType;
using binary::Feature;
using binary::FeatureSet;
using binary::Instance;
using binary::ParsedExternName;
using binary::PrimValType;
using binary::Sort;
using binary::SortIndex;
using binary::TypeDecl;
using binary::TypeDef;

// Limits that keep validation itself bounded: the tree size of any type (types are DAGs and can
// describe exponentially large trees), the nesting depth of value types, and the Canonical ABI
// element size of any value type (Binary.md: less than 2^28 bytes with 64-bit pointers).
inline constexpr uint32_t kMaxTypeSize = 1'000'000;
inline constexpr uint32_t kMaxTypeDepth = 100;
inline constexpr uint64_t kMaxElemSize = uint64_t{1} << 28;
inline constexpr uint32_t kMaxFixedListLength = uint32_t{1} << 30;
inline constexpr uint32_t kMaxFlags = 32;
inline constexpr size_t kMaxFlatParams = 16;
inline constexpr size_t kMaxFlatResults = 1;

// "offset 0x1a3: <message>", ErrorCode::kInvalid.
Error invalid(size_t offset, std::string_view message);
// The same with ErrorCode::kUnsupported.
Error unsupported(size_t offset, std::string_view message);
// An error without an offset, for the subtype checks whose callers add context and offset.
Error mismatch(std::string message);
// "<context>: <message of error>", keeping the code.
Error with_context(const Error& error, std::string_view context);
// The same with "offset 0x..: " in front, for errors made without an offset.
Error at_offset(const Error& error, size_t offset, std::string_view context);

// Facts about a value type node, computed once when the node is made.
struct ValueInfo {
  uint32_t size = 1;   // tree size, saturating just above kMaxTypeSize
  uint32_t depth = 1;  // primitives, flags, enums and handles are 1 deep
  bool contains_borrow = false;
  bool contains_pointer = false;  // a string or a variable-length list somewhere inside
  uint64_t elem_size = 0;         // Canonical ABI element size with 64-bit pointers, saturating
  uint32_t alignment = 1;
};

// Owns the facts that belong to type nodes rather than to one scope: the canonical identity of
// each resource alias, and ValueInfo and tree sizes of nodes.
//
// Resource aliases. The component model distinguishes *which index* names a resource, not only
// the resource: an export creates a new index that is "externally named" while the exported
// index is not, and `[constructor]r` must return an `own` of the index named `r`. So every
// import, export or definition of a resource type creates an alias object (a ResourceType), and
// handles and type exports hold aliases. Type equality compares canonical resources. Validation
// output is canonicalized (see canonicalize.cc): the runtime only ever sees canonical ones.
class TypeContext {
 public:
  // A new resource identity; it is its own (first) alias.
  ResourceTypeRef new_resource(std::string name);
  // A new alias of the resource `of` (itself an alias or canonical).
  ResourceTypeRef new_alias(const ResourceTypeRef& of);
  // The canonical resource of an alias (the resource itself when it is canonical).
  const ResourceTypeRef& canonical(const ResourceTypeRef& resource) const;
  const ResourceType* canonical(const ResourceType* resource) const;
  bool is_alias(const ResourceType* resource) const;

  // Records the facts of a new value type node (its children must already be known).
  TypeRef adopt(std::shared_ptr<Type> node);
  // A copy of `node` that is a distinct node (a new identity for the external-name rules).
  TypeRef copy(const TypeRef& node);
  const ValueInfo& info(const Type& type);

  // Tree sizes of function, instance, component and module types (value types keep theirs in
  // ValueInfo). Unknown keys count 1.
  void record_size(std::shared_ptr<const void> node, uint32_t size);
  uint32_t size_of(const void* node) const;
  uint32_t size_of(const ExternDesc& desc);
  uint32_t size_of(const TypeEntry& entry);
  uint32_t size_of(const FuncType& func);

 private:
  std::unordered_map<const ResourceType*, ResourceTypeRef> canonical_;
  std::unordered_map<const Type*, ValueInfo> infos_;
  std::unordered_map<const void*, uint32_t> sizes_;
  // Keeps every node with recorded facts alive, so that no other node reuses its address.
  std::vector<std::shared_ptr<const void>> keep_alive_;
};

// Saturating addition for tree sizes.
uint32_t add_size(uint32_t a, uint32_t b);

TypeEntry entry_of(const ExternDesc& desc);
ExternDesc type_desc_of(const TypeEntry& entry);
std::string_view describe(ExternKind kind);         // "func", "instance", "core module", ...
std::string_view describe(const TypeEntry& entry);  // "defined type", "resource", ...
std::string_view describe(Sort sort);

// A resource mapping: canonical resource → canonical resource.
using ResourceMap = std::unordered_map<const ResourceType*, ResourceTypeRef>;

// Rebuilds types with resources replaced, sharing every unchanged node. Two modes:
//  - remap: the canonical resources in `map` are replaced; each alias of a replaced resource
//    becomes a new alias of the replacement (memoized, so the structure of aliases is kept);
//  - canonicalize: every alias is replaced by its canonical resource (for the final output).
class Substitution {
 public:
  enum class Mode : uint8_t { kRemap, kCanonicalize };
  Substitution(TypeContext& context, ResourceMap map, Mode mode = Mode::kRemap);

  // Also replaces the type with identity `from` (a value type node, a resource alias, or a
  // function, instance or component type) by `to`, wherever it occurs: an instantiation
  // replaces the types a component imports by the types passed for them.
  void rename(const void* from, TypeEntry to);

  TypeRef value(const TypeRef& type);
  FuncTypeRef func(const FuncTypeRef& func);
  std::shared_ptr<const InstanceType> instance(const std::shared_ptr<const InstanceType>& type);
  std::shared_ptr<const ComponentType> component(const std::shared_ptr<const ComponentType>& type);
  ExternDesc desc(const ExternDesc& desc);
  TypeEntry entry(const TypeEntry& entry);
  ResourceTypeRef resource(const ResourceTypeRef& resource);
  // A canonical resource in a binding list: replaced when mapped.
  ResourceTypeRef bound(const ResourceTypeRef& resource);

 private:
  bool changes(const ResourceType* resource) const;

  TypeContext& context_;
  ResourceMap map_;
  Mode mode_;
  std::unordered_map<const void*, std::shared_ptr<const void>> done_;
  std::unordered_map<const ResourceType*, ResourceTypeRef> aliases_;
  std::unordered_map<const void*, TypeEntry> renamed_;
};

// The identity of a type entry: the node, alias or type object it holds.
const void* identity_of(const TypeEntry& entry);

// The canonical resources a type refers to and does not bind itself.
class FreeResources {
 public:
  explicit FreeResources(TypeContext& context) : context_(context) {}
  void add(const ExternDesc& desc);
  void add(const TypeEntry& entry);
  void add(const Type& type);
  void add(const FuncType& func);
  void add(const InstanceType& type);
  void add(const ComponentType& type);
  const std::unordered_set<const ResourceType*>& resources() const { return free_; }

 private:
  TypeContext& context_;
  std::unordered_set<const ResourceType*> free_;
  std::unordered_set<const void*> visited_;
};

// Subtyping between component types (`a` is the actual type, `b` the expected one). Resources
// compare by canonical identity, except that the expected side's resources in `bindable` are
// bound to the actual side's on first encounter (instantiation arguments for imports, a
// subtype's defined resources for exports). Messages carry no offset; callers add it.
class SubtypeChecker {
 public:
  explicit SubtypeChecker(TypeContext& context) : context_(context) {}

  ResourceMap bindings;
  std::unordered_set<const ResourceType*> bindable;

  Result<void> extern_desc(const ExternDesc& a, const ExternDesc& b);
  Result<void> entry(const TypeEntry& a, const TypeEntry& b);
  Result<void> value(const Type& a, const Type& b);
  Result<void> func(const FuncType& a, const FuncType& b);
  Result<void> instance(const InstanceType& a, const InstanceType& b);
  Result<void> component(const ComponentType& a, const ComponentType& b);
  Result<void> resource(const ResourceTypeRef& a, const ResourceTypeRef& b);
  static Result<void> module(const engine::ModuleInfo& a, const engine::ModuleInfo& b);
  static Result<void> core_extern(const engine::ExternType& a, const engine::ExternType& b);

 private:
  TypeContext& context_;
};

// Canonical ABI flattening (CanonicalABI.md "Flattening") with 32-bit pointers. Returns false
// when more than `max` core values would be needed.
bool flatten_type(TypeContext& context, const Type& type, std::vector<engine::ValType>& out,
                  size_t max);

enum class ScopeKind : uint8_t { kComponent, kComponentType, kInstanceType };
enum class ExternPosition : uint8_t { kImport, kExport };
std::string_view describe(ExternPosition position);  // "import", "export"

// What an import, export, alias or instantiation argument refers to, with its type.
struct Entity {
  ExternDesc desc;       // kType: the entry created (a new identity for exports and eq-imports)
  TypeEntry referenced;  // kType: the entry referred to
  bool introduces_resource = false;  // a `(sub resource)` import or export declaration
  std::shared_ptr<const ValidatedComponent> component_definition;  // kComponent
  const CoreModule* module_definition = nullptr;                   // kCoreModule
};

// The resource names that `[constructor]r`, `[method]r.f` and `[static]r.f` refer to, in one
// scope and one direction (imports and exports are separate).
struct ResourceNames {
  std::unordered_map<const ResourceType*, std::string> by_alias;
  std::set<std::string> all;
};

struct DefinedResource {
  ResourceTypeRef resource;            // canonical
  std::optional<engine::ValType> rep;  // known only for resources defined right here
};

// One component, component type or instance type being validated. Index spaces live in
// `spaces` for all three kinds (types only use some of them).
struct Scope {
  ScopeKind kind = ScopeKind::kComponent;
  std::shared_ptr<ValidatedComponent> spaces;

  std::vector<NamedExtern> imports;
  std::vector<NamedExtern> exports;
  std::unordered_map<std::string, std::string> import_keys;  // strong-uniqueness key → name
  std::unordered_map<std::string, std::string> export_keys;
  std::unordered_set<std::string> import_names;
  std::unordered_set<std::string> export_names;

  std::vector<ResourceTypeRef> imported_resources;             // canonical
  std::vector<DefinedResource> defined_resources;              // canonical
  std::unordered_set<const ResourceType*> explicit_resources;  // canonical; exported somewhere
  // Nodes and resource aliases with an external name, by direction (see "External Visibility
  // of Types" in Explainer.md).
  std::unordered_set<const void*> imported_types;
  std::unordered_set<const void*> exported_types;
  ResourceNames imported_resource_names;
  ResourceNames exported_resource_names;

  // With ValidateOptions::root_embedder_rules, at the root only: the function and instance
  // indices whose items the host provides, with the import they come from.
  std::unordered_map<uint32_t, std::string> imported_funcs;
  std::unordered_map<uint32_t, std::string> imported_instances;
};

// Pops the scope pushed by its creator, also on early returns.
class ScopeGuard {
 public:
  ScopeGuard(std::vector<Scope*>& scopes, Scope& scope) : scopes_(scopes) {
    scopes_.push_back(&scope);
  }
  ~ScopeGuard() { scopes_.pop_back(); }
  ScopeGuard(const ScopeGuard&) = delete;
  ScopeGuard& operator=(const ScopeGuard&) = delete;

 private:
  std::vector<Scope*>& scopes_;
};

// The visitor for std::visit over the IR's variants.
template <typename... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

class Validator {
 public:
  Validator(std::span<const uint8_t> input, const ValidateOptions& options);

  Result<std::shared_ptr<ValidatedComponent>> validate(const Component& component);
  // The final pass: every resource alias in the tree replaced by its canonical resource.
  void canonicalize(ValidatedComponent& root);

 private:
  // validator.cc: definitions and scopes.
  Result<std::shared_ptr<ValidatedComponent>> component(const Component& component);
  Result<void> definition(const Component& component, size_t index);
  Result<void> nested_component(const Component& nested);
  Result<void> instance(const Instance& instance);
  Result<void> alias(const Alias& alias);
  Result<void> import(const ExternName& name, const ExternType& type, size_t offset);
  Result<void> export_item(const Export& item);
  Result<std::shared_ptr<const ComponentType>> finish(Scope& scope, size_t offset);
  Result<void> check_features(const Component& component);
  Result<void> check_turned_off_features(const Component& component);
  bool root_embedder_rules_apply() const;
  void note_imported(ExternKind kind, std::string origin);
  Result<Entity> check_type_ref(const ExternType& type, std::string_view name, size_t offset);
  Result<Entity> sort_entity(const SortIndex& target, size_t offset, bool new_type_identity);
  Result<void> add_entity(Entity& entity, std::optional<ExternPosition> position,
                          std::string_view name, size_t offset);
  void push_entity(const Entity& entity);
  bool register_named(const Entity& entity, std::optional<ExternPosition> position,
                      std::string_view name, bool top_level);
  bool entity_named(const ExternDesc& desc, const std::unordered_set<const void*>& set);
  bool entry_named(const TypeEntry& entry, const std::unordered_set<const void*>& set);
  bool value_contents_named(const Type& type, const std::unordered_set<const void*>& set);
  bool valtype_named(const Type& type, const std::unordered_set<const void*>& set);
  bool func_named(const FuncType& func, const std::unordered_set<const void*>& set);
  std::shared_ptr<const InstanceType> prepare_instance(std::shared_ptr<const InstanceType> type,
                                                       ExternPosition position);
  void collect_explicit(const InstanceType& type);
  Result<std::shared_ptr<const InstanceType>> instantiate(const Instance& instance);
  Result<std::shared_ptr<const InstanceType>> inline_instance(const Instance& instance);
  Result<void> outer_alias(const Alias& alias);
  Result<const Scope*> outer_scope(uint32_t count, size_t offset);

  // names_check.cc
  Result<void> check_extern_name(const ExternName& name, ExternPosition position,
                                 const Entity& entity, const ResourceNames& resources,
                                 std::unordered_map<std::string, std::string>& keys,
                                 std::unordered_set<std::string>& names, size_t offset);
  Result<void> check_resource_function(const ParsedExternName& parsed, const Entity& entity,
                                       const ResourceNames& resources);
  Result<void> check_label(std::string_view label, std::string_view what, size_t offset);

  // type_builder.cc
  Result<void> type_definition(const TypeDef& def, size_t definition);
  Result<TypeRef> valtype(const binary::ValType& type, size_t offset);
  Result<TypeRef> defined_value(const DefValType& type, size_t offset);
  Result<FuncTypeRef> func_type(const binary::FuncType& type, size_t offset);
  Result<std::shared_ptr<const ComponentType>> component_type(const binary::ComponentType& type,
                                                              size_t offset);
  Result<std::shared_ptr<const InstanceType>> instance_type(const binary::InstanceType& type,
                                                            size_t offset);
  Result<void> type_declaration(const TypeDecl& decl);
  Result<ResourceTypeRef> resource_at(uint32_t index, size_t offset);

  // core_check.cc
  Result<void> core_module(const CoreModule& module);
  Result<void> core_instance(const CoreInstance& instance);
  Result<void> core_type(const CoreTypeDef& def, std::vector<CoreTypeEntry>& space,
                         bool in_module_type);
  Result<std::shared_ptr<const engine::ModuleInfo>> module_type(const CoreModuleType& type);
  Result<engine::ExternType> core_extern_type(const CoreExternType& type,
                                              const std::vector<CoreTypeEntry>& space,
                                              size_t offset);
  Result<engine::ValType> core_val_type(const CoreValType& type, size_t offset);
  // ValidateOptions::simd and reference_types: `what` says where the type occurs.
  Result<void> check_core_proposals(const CoreValType& type, std::string_view what,
                                    bool table_element, size_t offset);
  Result<void> check_core_proposals(engine::ValType type, std::string_view what, bool table_element,
                                    size_t offset);
  Result<void> core_instance_alias(const Alias& alias);

  // canon_check.cc
  Result<void> canon(const Canon& canon, size_t definition);
  Result<CanonOptions> canon_options(const Canon& canon, bool lift);
  Result<engine::FuncType> lowered_signature(const FuncType& type, const CanonOptions& options,
                                             bool lift, size_t offset);
  Result<void> resource_definition(const binary::ResourceType& type, size_t definition,
                                   size_t offset);

  // Index lookups with errors that name the index space.
  Result<const TypeEntry*> type_at(uint32_t index, size_t offset);
  Result<const CoreTypeEntry*> core_type_at(uint32_t index, size_t offset);
  Result<FuncTypeRef> func_at(uint32_t index, size_t offset);
  Result<const engine::FuncType*> core_func_at(uint32_t index, size_t offset);
  Result<const CoreModuleEntry*> module_at(uint32_t index, size_t offset);
  Result<std::shared_ptr<const CoreInstanceEntry>> core_instance_at(uint32_t index, size_t offset);
  Result<std::shared_ptr<const InstanceType>> instance_at(uint32_t index, size_t offset);
  Result<const ComponentEntry*> component_at(uint32_t index, size_t offset);
  Result<const engine::MemoryType*> memory_at(uint32_t index, size_t offset);

  Scope& scope() { return *scopes_.back(); }
  ValidatedComponent& spaces() { return *scopes_.back()->spaces; }
  bool enabled(Feature feature) const { return options_.features.has(feature); }

  std::span<const uint8_t> input_;
  ValidateOptions options_;
  TypeContext context_;
  std::vector<Scope*> scopes_;
};

}  // namespace berth::component::validate
