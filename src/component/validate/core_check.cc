// Core definitions inside a component: core modules (their interface, read by the engine layer),
// core instances (instantiation arguments against the module's imports, or a bag of exports),
// core types (function types and module types) and aliases of core instance exports.
//
// Function bodies are not validated here: the engine validates a module when it compiles it.
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <variant>

#include "component/validate/validator_impl.h"

namespace berth::component::validate {
namespace {

constexpr uint64_t kMaxMemory32Pages = 65536;

std::optional<engine::ValType> engine_val_type(const CoreValType& type) {
  switch (type.kind) {
    case CoreValTypeKind::kI32:
      return engine::ValType::kI32;
    case CoreValTypeKind::kI64:
      return engine::ValType::kI64;
    case CoreValTypeKind::kF32:
      return engine::ValType::kF32;
    case CoreValTypeKind::kF64:
      return engine::ValType::kF64;
    case CoreValTypeKind::kV128:
      return engine::ValType::kV128;
    case CoreValTypeKind::kRef:
      if (!type.nullable || type.heap.is_index || type.heap.shared) return std::nullopt;
      if (type.heap.abstract == binary::CoreAbstractHeap::kFunc) return engine::ValType::kFuncRef;
      if (type.heap.abstract == binary::CoreAbstractHeap::kExtern) {
        return engine::ValType::kExternRef;
      }
      return std::nullopt;
  }
  return std::nullopt;
}

// A rec group entry as berth can use it: plain function types only.
CoreTypeEntry core_entry(const binary::CoreSubType& sub) {
  CoreTypeEntry entry;
  entry.kind = CoreTypeEntry::Kind::kUnsupported;
  const auto* func = std::get_if<binary::CoreFuncType>(&sub.composite.type);
  // A non-final function type without supertypes is still a plain function type to berth.
  if (!func || sub.composite.shared || !sub.supertypes.empty()) return entry;
  for (const CoreValType& p : func->params) {
    std::optional<engine::ValType> t = engine_val_type(p);
    if (!t) return entry;
    entry.func.params.push_back(*t);
  }
  for (const CoreValType& r : func->results) {
    std::optional<engine::ValType> t = engine_val_type(r);
    if (!t) return entry;
    entry.func.results.push_back(*t);
  }
  entry.kind = CoreTypeEntry::Kind::kFunc;
  return entry;
}

// Limits that hold for every memory: checked for module types here and for the memories of
// defined modules, which read_module_info does not check.
Result<void> check_memory(const engine::MemoryType& memory, size_t offset) {
  const engine::Limits& limits = memory.limits;
  if (limits.max && *limits.max < limits.min) {
    return invalid(offset, "memory size minimum must not be greater than maximum");
  }
  if (!memory.memory64) {
    uint64_t largest = std::max(limits.min, limits.max.value_or(0));
    if (largest > kMaxMemory32Pages) {
      return invalid(offset,
                     fmt::format("memory size must be at most {} pages (4GiB)", kMaxMemory32Pages));
    }
  }
  if (memory.shared && !limits.max) {
    return invalid(offset, "shared memory must have maximum size");
  }
  return {};
}

Result<void> check_table(const engine::TableType& table, size_t offset) {
  if (table.limits.max && *table.limits.max < table.limits.min) {
    return invalid(offset, "table size minimum must not be greater than maximum");
  }
  return {};
}

// read_module_info reads the MVP interface (plus SIMD, reference types, memory64, threads and
// tags). What it cannot read is either malformed or a later proposal (GC types, typed function
// references, custom page sizes) that the engine does not run either.
bool is_unsupported_module_error(const Error& error) {
  const std::string& message = error.message();
  return message.find("expected a value type") != std::string::npos ||
         message.find("expected a function type") != std::string::npos ||
         message.find("invalid limits flags") != std::string::npos ||
         message.find("table element type must be a reference type") != std::string::npos;
}

}  // namespace

Result<engine::ValType> Validator::core_val_type(const CoreValType& type, size_t offset) {
  std::optional<engine::ValType> t = engine_val_type(type);
  if (!t) {
    return unsupported(offset, "GC and typed function reference types are not supported");
  }
  return *t;
}

Result<void> Validator::check_core_proposals(const CoreValType& type, std::string_view what,
                                             bool table_element, size_t offset) {
  if (type.kind == CoreValTypeKind::kV128 && !options_.simd) {
    return invalid(offset,
                   fmt::format("{}: `v128` needs the SIMD proposal, which is turned off", what));
  }
  if (type.kind != CoreValTypeKind::kRef || options_.reference_types) return {};
  // Tables of `funcref` are WebAssembly 1.0.
  bool funcref = type.nullable && !type.heap.is_index && !type.heap.shared &&
                 type.heap.abstract == binary::CoreAbstractHeap::kFunc;
  if (table_element && funcref) return {};
  return invalid(offset, fmt::format("{}: reference types need the reference types proposal, "
                                     "which is turned off",
                                     what));
}

Result<void> Validator::check_core_proposals(engine::ValType type, std::string_view what,
                                             bool table_element, size_t offset) {
  if (type == engine::ValType::kV128 && !options_.simd) {
    return invalid(offset,
                   fmt::format("{}: `v128` needs the SIMD proposal, which is turned off", what));
  }
  bool reference = type == engine::ValType::kFuncRef || type == engine::ValType::kExternRef;
  if (!reference || options_.reference_types) return {};
  if (table_element && type == engine::ValType::kFuncRef) return {};
  return invalid(offset, fmt::format("{}: reference types need the reference types proposal, "
                                     "which is turned off",
                                     what));
}

Result<void> Validator::core_module(const CoreModule& module) {
  size_t offset = module.offset;
  auto index = spaces().core_modules.size();
  auto info = engine::read_module_info(binary::bytes_of(input_, module.bytes));
  if (!info) {
    std::string message = fmt::format("core module {}: {}", index, info.error().message());
    if (is_unsupported_module_error(info.error())) return unsupported(offset, message);
    return invalid(offset, message);
  }
  // The proposals turned off: the module's function types and the types of its imports and
  // exports (instructions are the engine's to check).
  if (!options_.simd || !options_.reference_types) {
    auto check_func = [&](const engine::FuncType& func, const std::string& what) -> Result<void> {
      for (const auto* list : {&func.params, &func.results}) {
        for (engine::ValType t : *list) BERTH_TRY(check_core_proposals(t, what, false, offset));
      }
      return {};
    };
    for (size_t i = 0; i < info->types.size(); ++i) {
      BERTH_TRY(check_func(info->types[i], fmt::format("core module {}: type {}", index, i)));
    }
    auto check_extern = [&](const engine::ExternType& type, const std::string& what) {
      switch (type.kind) {
        case engine::ExternKind::kFunc:
        case engine::ExternKind::kTag:
          return check_func(type.func, what);
        case engine::ExternKind::kTable:
          return check_core_proposals(type.table.element, what, true, offset);
        case engine::ExternKind::kGlobal:
          return check_core_proposals(type.global.type, what, false, offset);
        case engine::ExternKind::kMemory:
          break;
      }
      return Result<void>{};
    };
    for (const engine::ImportType& import : info->imports) {
      BERTH_TRY(check_extern(import.type, fmt::format("core module {}: import `{}::{}`", index,
                                                      import.module, import.name)));
    }
    for (const engine::ExportType& e : info->exports) {
      BERTH_TRY(check_extern(e.type, fmt::format("core module {}: export `{}`", index, e.name)));
    }
  }
  for (const engine::MemoryType& memory : info->memories) BERTH_TRY(check_memory(memory, offset));
  // Components name core imports by one string made of both parts, so two imports with the same
  // two names cannot be told apart.
  std::set<std::pair<std::string_view, std::string_view>> imports;
  for (const engine::ImportType& import : info->imports) {
    if (!imports.emplace(import.module, import.name).second) {
      return invalid(offset, fmt::format("core module {}: duplicate import name `{}::{}`", index,
                                         import.module, import.name));
    }
  }
  spaces().core_modules.push_back(
      CoreModuleEntry{std::make_shared<engine::ModuleInfo>(std::move(*info)), &module});
  return {};
}

Result<void> Validator::core_instance(const CoreInstance& instance) {
  size_t offset = instance.offset;
  auto out = std::make_shared<CoreInstanceEntry>();
  if (instance.kind == CoreInstance::Kind::kInstantiate) {
    BERTH_TRY_ASSIGN(const CoreModuleEntry* module, module_at(instance.module, offset));
    std::shared_ptr<const engine::ModuleInfo> info = module->info;
    std::unordered_map<std::string, std::shared_ptr<const CoreInstanceEntry>> args;
    for (const binary::CoreInstantiateArg& arg : instance.args) {
      BERTH_TRY_ASSIGN(auto argument, core_instance_at(arg.instance, arg.offset));
      if (!args.emplace(arg.name, std::move(argument)).second) {
        return invalid(arg.offset,
                       fmt::format("duplicate module instantiation argument named `{}`", arg.name));
      }
    }
    for (const engine::ImportType& import : info->imports) {
      auto arg = args.find(import.module);
      if (arg == args.end()) {
        return invalid(
            offset, fmt::format("missing module instantiation argument named `{}`", import.module));
      }
      const engine::ExportType* item = arg->second->find(import.name);
      if (!item) {
        return invalid(offset, fmt::format("module instantiation argument `{}` does not export "
                                           "an item named `{}`",
                                           import.module, import.name));
      }
      auto r = SubtypeChecker::core_extern(item->type, import.type);
      if (!r) {
        return at_offset(r.error(), offset,
                         fmt::format("type mismatch for export `{}` of module instantiation "
                                     "argument `{}`",
                                     import.name, import.module));
      }
    }
    out->exports = info->exports;
  } else {
    std::set<std::string> names;
    const ValidatedComponent& s = spaces();
    for (const binary::CoreInlineExport& e : instance.exports) {
      engine::ExportType item;
      item.name = e.name;
      switch (e.sort) {
        case Sort::kCoreFunc: {
          BERTH_TRY_ASSIGN(const engine::FuncType* f, core_func_at(e.index, e.offset));
          item.type.kind = engine::ExternKind::kFunc;
          item.type.func = *f;
          break;
        }
        case Sort::kCoreTable: {
          if (e.index >= s.core_tables.size()) {
            return invalid(e.offset, fmt::format("table index out of bounds: {}", e.index));
          }
          item.type.kind = engine::ExternKind::kTable;
          item.type.table = s.core_tables[e.index];
          break;
        }
        case Sort::kCoreMemory: {
          BERTH_TRY_ASSIGN(const engine::MemoryType* m, memory_at(e.index, e.offset));
          item.type.kind = engine::ExternKind::kMemory;
          item.type.memory = *m;
          break;
        }
        case Sort::kCoreGlobal: {
          if (e.index >= s.core_globals.size()) {
            return invalid(e.offset, fmt::format("global index out of bounds: {}", e.index));
          }
          item.type.kind = engine::ExternKind::kGlobal;
          item.type.global = s.core_globals[e.index];
          break;
        }
        case Sort::kCoreTag: {
          if (e.index >= s.core_tags.size()) {
            return invalid(e.offset, fmt::format("tag index out of bounds: {}", e.index));
          }
          item.type.kind = engine::ExternKind::kTag;
          item.type.func = s.core_tags[e.index];
          break;
        }
        default:
          return invalid(e.offset, fmt::format("a {} cannot be exported from a core instance",
                                               describe(e.sort)));
      }
      if (!names.insert(e.name).second) {
        return invalid(e.offset, fmt::format("duplicate instantiation export name `{}` already "
                                             "defined",
                                             e.name));
      }
      out->exports.push_back(std::move(item));
    }
  }
  spaces().core_instances.push_back(std::move(out));
  return {};
}

Result<void> Validator::core_instance_alias(const Alias& alias) {
  size_t offset = alias.offset;
  BERTH_TRY_ASSIGN(auto instance, core_instance_at(alias.instance, offset));
  const engine::ExportType* item = instance->find(alias.name);
  if (!item) {
    return invalid(offset, fmt::format("core instance {} has no export named `{}`", alias.instance,
                                       alias.name));
  }
  std::optional<engine::ExternKind> wanted;
  switch (alias.sort) {
    case Sort::kCoreFunc:
      wanted = engine::ExternKind::kFunc;
      break;
    case Sort::kCoreTable:
      wanted = engine::ExternKind::kTable;
      break;
    case Sort::kCoreMemory:
      wanted = engine::ExternKind::kMemory;
      break;
    case Sort::kCoreGlobal:
      wanted = engine::ExternKind::kGlobal;
      break;
    case Sort::kCoreTag:
      wanted = engine::ExternKind::kTag;
      break;
    default:
      break;
  }
  if (!wanted || item->type.kind != *wanted) {
    return invalid(offset, fmt::format("export `{}` for core instance {} is not a {}", alias.name,
                                       alias.instance, describe(alias.sort)));
  }
  ValidatedComponent& s = spaces();
  switch (*wanted) {
    case engine::ExternKind::kFunc:
      s.core_funcs.push_back(item->type.func);
      break;
    case engine::ExternKind::kTable:
      s.core_tables.push_back(item->type.table);
      break;
    case engine::ExternKind::kMemory:
      s.core_memories.push_back(item->type.memory);
      break;
    case engine::ExternKind::kGlobal:
      s.core_globals.push_back(item->type.global);
      break;
    case engine::ExternKind::kTag:
      s.core_tags.push_back(item->type.func);
      break;
  }
  return {};
}

Result<void> Validator::core_type(const CoreTypeDef& def, std::vector<CoreTypeEntry>& space,
                                  bool in_module_type) {
  return std::visit(
      Overloaded{
          [&](const binary::CoreRecGroup& group) -> Result<void> {
            for (const binary::CoreSubType& sub : group.types) {
              if (const auto* func = std::get_if<binary::CoreFuncType>(&sub.composite.type)) {
                std::string what = fmt::format("core type {}", space.size());
                for (const auto* list : {&func->params, &func->results}) {
                  for (const CoreValType& t : *list) {
                    BERTH_TRY(check_core_proposals(t, what, false, sub.offset));
                  }
                }
              }
              CoreTypeEntry entry = core_entry(sub);
              if (entry.kind == CoreTypeEntry::Kind::kUnsupported) {
                return unsupported(sub.offset,
                                   "GC types and typed function references are not "
                                   "supported");
              }
              space.push_back(std::move(entry));
            }
            return {};
          },
          [&](const CoreModuleType& module) -> Result<void> {
            if (in_module_type) {
              return invalid(def.offset, "module types cannot define other module types");
            }
            BERTH_TRY_ASSIGN(auto info, module_type(module));
            CoreTypeEntry entry;
            entry.kind = CoreTypeEntry::Kind::kModule;
            entry.module = std::move(info);
            space.push_back(std::move(entry));
            return {};
          },
      },
      def.type);
}

Result<engine::ExternType> Validator::core_extern_type(const CoreExternType& type,
                                                       const std::vector<CoreTypeEntry>& space,
                                                       size_t offset) {
  auto func_type = [&](uint32_t index) -> Result<engine::FuncType> {
    if (index >= space.size()) {
      return invalid(offset, fmt::format("core type index out of bounds: {} ({} defined)", index,
                                         space.size()));
    }
    const CoreTypeEntry& entry = space[index];
    if (entry.kind == CoreTypeEntry::Kind::kUnsupported) {
      return unsupported(offset, fmt::format("core type {} is a GC type, which berth does not "
                                             "support",
                                             index));
    }
    if (entry.kind != CoreTypeEntry::Kind::kFunc) {
      return invalid(offset, fmt::format("core type index {} is not a function type", index));
    }
    return entry.func;
  };
  engine::ExternType out;
  return std::visit(Overloaded{
                        [&](const binary::CoreFuncRef& f) -> Result<engine::ExternType> {
                          out.kind = engine::ExternKind::kFunc;
                          BERTH_TRY_ASSIGN(out.func, func_type(f.type_index));
                          return out;
                        },
                        [&](const binary::CoreTableType& t) -> Result<engine::ExternType> {
                          out.kind = engine::ExternKind::kTable;
                          BERTH_TRY(check_core_proposals(t.element, "table", true, offset));
                          BERTH_TRY_ASSIGN(out.table.element, core_val_type(t.element, offset));
                          if (out.table.element != engine::ValType::kFuncRef &&
                              out.table.element != engine::ValType::kExternRef) {
                            return invalid(offset, "table element type must be a reference type");
                          }
                          if (t.limits.is_64 || t.limits.shared) {
                            return unsupported(offset,
                                               "64-bit and shared tables are not supported");
                          }
                          out.table.limits = engine::Limits{t.limits.min, t.limits.max};
                          BERTH_TRY(check_table(out.table, offset));
                          return out;
                        },
                        [&](const binary::CoreMemoryType& m) -> Result<engine::ExternType> {
                          if (m.limits.page_size_log2) {
                            return unsupported(offset, "custom page sizes are not supported");
                          }
                          out.kind = engine::ExternKind::kMemory;
                          out.memory.limits = engine::Limits{m.limits.min, m.limits.max};
                          out.memory.shared = m.limits.shared;
                          out.memory.memory64 = m.limits.is_64;
                          BERTH_TRY(check_memory(out.memory, offset));
                          return out;
                        },
                        [&](const binary::CoreGlobalType& g) -> Result<engine::ExternType> {
                          if (g.shared)
                            return unsupported(offset, "shared globals are not supported");
                          out.kind = engine::ExternKind::kGlobal;
                          BERTH_TRY(check_core_proposals(g.type, "global", false, offset));
                          BERTH_TRY_ASSIGN(out.global.type, core_val_type(g.type, offset));
                          out.global.is_mutable = g.is_mutable;
                          return out;
                        },
                        [&](const binary::CoreTagType& t) -> Result<engine::ExternType> {
                          out.kind = engine::ExternKind::kTag;
                          BERTH_TRY_ASSIGN(out.func, func_type(t.func_type));
                          return out;
                        },
                    },
                    type);
}

Result<std::shared_ptr<const engine::ModuleInfo>> Validator::module_type(
    const CoreModuleType& type) {
  // Module types start with an empty core type index space of their own.
  std::vector<CoreTypeEntry> space;
  auto info = std::make_shared<engine::ModuleInfo>();
  std::set<std::pair<std::string, std::string>> imports;
  std::set<std::string> exports;
  for (const binary::CoreModuleDecl& decl : type.decls) {
    size_t at = decl.offset;
    BERTH_TRY(std::visit(
        Overloaded{
            [&](const binary::CoreImport& i) -> Result<void> {
              BERTH_TRY_ASSIGN(engine::ExternType t, core_extern_type(i.type, space, at));
              if (!imports.emplace(i.module, i.name).second) {
                return invalid(at, fmt::format("duplicate import name `{}::{}` already defined",
                                               i.module, i.name));
              }
              info->imports.push_back(engine::ImportType{i.module, i.name, std::move(t)});
              return {};
            },
            [&](const binary::Box<CoreTypeDef>& t) -> Result<void> {
              return core_type(*t, space, true);
            },
            [&](const binary::CoreOuterTypeAlias& a) -> Result<void> {
              if (a.count == 0) {
                if (a.index >= space.size()) {
                  return invalid(at, fmt::format("core type index out of bounds: {}", a.index));
                }
                CoreTypeEntry copy = space[a.index];
                space.push_back(std::move(copy));
                return {};
              }
              BERTH_TRY_ASSIGN(const Scope* target, outer_scope(a.count - 1, at));
              const auto& types = target->spaces->core_types;
              if (a.index >= types.size()) {
                return invalid(at, fmt::format("core type index out of bounds: {}", a.index));
              }
              if (types[a.index].kind == CoreTypeEntry::Kind::kModule) {
                return invalid(at, "module types cannot alias other module types");
              }
              CoreTypeEntry copy = types[a.index];
              space.push_back(std::move(copy));
              return {};
            },
            [&](const binary::CoreExportDecl& e) -> Result<void> {
              BERTH_TRY_ASSIGN(engine::ExternType t, core_extern_type(e.type, space, at));
              if (!exports.insert(e.name).second) {
                return invalid(at,
                               fmt::format("duplicate export name `{}` already defined", e.name));
              }
              info->exports.push_back(engine::ExportType{e.name, std::move(t)});
              return {};
            },
        },
        decl.item));
  }
  return std::shared_ptr<const engine::ModuleInfo>(std::move(info));
}

}  // namespace berth::component::validate
