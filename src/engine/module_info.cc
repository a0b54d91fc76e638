#include "berth/engine/module_info.h"

#include <fmt/format.h>

#include <algorithm>

#include "engine/instruction_reader.h"
#include "engine/module_sections.h"
#include "support/byte_reader.h"

namespace berth::engine {
namespace {

Result<ValType> read_val_type(ByteReader& r) {
  size_t at = r.offset();
  BERTH_TRY_ASSIGN(uint8_t code, r.read_u8());
  switch (code) {
    case 0x7f:
      return ValType::kI32;
    case 0x7e:
      return ValType::kI64;
    case 0x7d:
      return ValType::kF32;
    case 0x7c:
      return ValType::kF64;
    case 0x7b:
      return ValType::kV128;
    case 0x70:
      return ValType::kFuncRef;
    case 0x6f:
      return ValType::kExternRef;
  }
  return r.error_at(at, fmt::format("expected a value type, found 0x{:02x}", code));
}

Result<Limits> read_limits(ByteReader& r, bool& shared, bool& is64) {
  size_t at = r.offset();
  BERTH_TRY_ASSIGN(uint8_t flags, r.read_u8());
  if (flags > 0x07) return r.error_at(at, fmt::format("invalid limits flags 0x{:02x}", flags));
  shared = flags & 0x02;
  is64 = flags & 0x04;
  Limits limits;
  if (is64) {
    BERTH_TRY_ASSIGN(limits.min, r.read_u64());
  } else {
    BERTH_TRY_ASSIGN(limits.min, r.read_u32());
  }
  if (flags & 0x01) {
    if (is64) {
      BERTH_TRY_ASSIGN(limits.max, r.read_u64());
    } else {
      BERTH_TRY_ASSIGN(limits.max, r.read_u32());
    }
  }
  return limits;
}

Result<MemoryType> read_memory_type(ByteReader& r) {
  MemoryType type;
  BERTH_TRY_ASSIGN(type.limits, read_limits(r, type.shared, type.memory64));
  return type;
}

Result<TableType> read_table_type(ByteReader& r) {
  TableType type;
  BERTH_TRY_ASSIGN(type.element, read_val_type(r));
  if (type.element != ValType::kFuncRef && type.element != ValType::kExternRef) {
    return r.error("table element type must be a reference type");
  }
  bool shared = false, is64 = false;
  BERTH_TRY_ASSIGN(type.limits, read_limits(r, shared, is64));
  return type;
}

Result<GlobalType> read_global_type(ByteReader& r) {
  GlobalType type;
  BERTH_TRY_ASSIGN(type.type, read_val_type(r));
  size_t at = r.offset();
  BERTH_TRY_ASSIGN(uint8_t mut, r.read_u8());
  if (mut > 1) return r.error_at(at, fmt::format("invalid global mutability 0x{:02x}", mut));
  type.is_mutable = mut == 1;
  return type;
}

// Skips a constant expression up to and including its `end`.
Result<void> skip_const_expr(ByteReader& r) {
  while (true) {
    BERTH_TRY_ASSIGN(Instruction in, read_instruction(r));
    switch (in.opcode) {
      case opcode::kEnd:
        return {};
      case 0x41:  // i32.const ... f64.const
      case 0x42:
      case 0x43:
      case 0x44:
      case 0x23:  // global.get
      case 0xd0:  // ref.null
      case 0xd2:  // ref.func
      case 0x6a:  // the extended-const arithmetic
      case 0x6b:
      case 0x6c:
      case 0x7c:
      case 0x7d:
      case 0x7e:
        break;
      case 0xfd:
        if (in.sub_opcode != 12) {
          return r.error_at(in.bytes.offset, "expected v128.const in a constant expression");
        }
        break;
      default:
        return r.error_at(in.bytes.offset, fmt::format("unexpected opcode 0x{:02x} in a "
                                                       "constant expression",
                                                       in.opcode));
    }
  }
}

Result<FuncType> read_func_type(ByteReader& r) {
  size_t at = r.offset();
  BERTH_TRY_ASSIGN(uint8_t form, r.read_u8());
  if (form != 0x60) {
    return r.error_at(at, fmt::format("expected a function type (0x60), found 0x{:02x}", form));
  }
  FuncType type;
  BERTH_TRY_ASSIGN(uint32_t nparams, r.read_count("parameter"));
  for (uint32_t i = 0; i < nparams; ++i) {
    BERTH_TRY_ASSIGN(ValType t, read_val_type(r));
    type.params.push_back(t);
  }
  BERTH_TRY_ASSIGN(uint32_t nresults, r.read_count("result"));
  for (uint32_t i = 0; i < nresults; ++i) {
    BERTH_TRY_ASSIGN(ValType t, read_val_type(r));
    type.results.push_back(t);
  }
  return type;
}

class InfoReader {
 public:
  explicit InfoReader(ModuleInfo& info) : info_(info) {}

  Result<void> section(uint8_t id, ByteReader& r) {
    switch (id) {
      case kType:
        return types(r);
      case kImport:
        return imports(r);
      case kFunction:
        return functions(r);
      case kTable:
        return tables(r);
      case kMemory:
        return memories(r);
      case kGlobal:
        return globals(r);
      case kExport:
        return exports(r);
      case kStart: {
        BERTH_TRY_ASSIGN(uint32_t index, r.read_u32());
        info_.start = index;
        return {};
      }
      case kTag:
        return tags(r);
      default: {
        BERTH_TRY(r.read_range(r.remaining(), "section"));
        return {};
      }
    }
  }

 private:
  Result<FuncType> type_at(ByteReader& r, uint32_t index) {
    if (index >= info_.types.size()) {
      return r.error(
          fmt::format("type index {} out of range ({} types)", index, info_.types.size()));
    }
    return info_.types[index];
  }

  Result<void> types(ByteReader& r) {
    BERTH_TRY_ASSIGN(uint32_t n, r.read_count("type"));
    for (uint32_t i = 0; i < n; ++i) {
      BERTH_TRY_ASSIGN(FuncType t, read_func_type(r));
      info_.types.push_back(std::move(t));
    }
    return {};
  }

  Result<void> imports(ByteReader& r) {
    BERTH_TRY_ASSIGN(uint32_t n, r.read_count("import"));
    for (uint32_t i = 0; i < n; ++i) {
      ImportType imp;
      BERTH_TRY_ASSIGN(auto module, r.read_name("name"));
      BERTH_TRY_ASSIGN(auto name, r.read_name("name"));
      imp.module = module;
      imp.name = name;
      size_t at = r.offset();
      BERTH_TRY_ASSIGN(uint8_t kind, r.read_u8());
      switch (kind) {
        case 0x00: {
          imp.type.kind = ExternKind::kFunc;
          BERTH_TRY_ASSIGN(uint32_t index, r.read_u32());
          BERTH_TRY_ASSIGN(imp.type.func, type_at(r, index));
          info_.func_type_indices.push_back(index);
          break;
        }
        case 0x01: {
          imp.type.kind = ExternKind::kTable;
          BERTH_TRY_ASSIGN(imp.type.table, read_table_type(r));
          break;
        }
        case 0x02: {
          imp.type.kind = ExternKind::kMemory;
          BERTH_TRY_ASSIGN(imp.type.memory, read_memory_type(r));
          info_.memories.push_back(imp.type.memory);
          break;
        }
        case 0x03: {
          imp.type.kind = ExternKind::kGlobal;
          BERTH_TRY_ASSIGN(imp.type.global, read_global_type(r));
          break;
        }
        case 0x04: {
          imp.type.kind = ExternKind::kTag;
          BERTH_TRY(r.read_u8());  // attribute: exception
          BERTH_TRY_ASSIGN(uint32_t index, r.read_u32());
          BERTH_TRY_ASSIGN(imp.type.func, type_at(r, index));
          break;
        }
        default:
          return r.error_at(at, fmt::format("expected an import kind (0-4), found 0x{:02x}", kind));
      }
      info_.imports.push_back(std::move(imp));
    }
    return {};
  }

  Result<void> functions(ByteReader& r) {
    BERTH_TRY_ASSIGN(uint32_t n, r.read_count("function"));
    for (uint32_t i = 0; i < n; ++i) {
      BERTH_TRY_ASSIGN(uint32_t index, r.read_u32());
      BERTH_TRY(type_at(r, index));
      info_.func_type_indices.push_back(index);
    }
    return {};
  }

  Result<void> tables(ByteReader& r) {
    BERTH_TRY_ASSIGN(uint32_t n, r.read_count("table"));
    for (uint32_t i = 0; i < n; ++i) {
      BERTH_TRY_ASSIGN(TableType t, read_table_type(r));
      tables_.push_back(t);
    }
    return {};
  }

  Result<void> memories(ByteReader& r) {
    BERTH_TRY_ASSIGN(uint32_t n, r.read_count("memory"));
    for (uint32_t i = 0; i < n; ++i) {
      BERTH_TRY_ASSIGN(MemoryType t, read_memory_type(r));
      info_.memories.push_back(t);
    }
    return {};
  }

  Result<void> globals(ByteReader& r) {
    BERTH_TRY_ASSIGN(uint32_t n, r.read_count("global"));
    for (uint32_t i = 0; i < n; ++i) {
      BERTH_TRY_ASSIGN(GlobalType t, read_global_type(r));
      BERTH_TRY(skip_const_expr(r));
      globals_.push_back(t);
    }
    return {};
  }

  Result<void> tags(ByteReader& r) {
    BERTH_TRY_ASSIGN(uint32_t n, r.read_count("tag"));
    for (uint32_t i = 0; i < n; ++i) {
      BERTH_TRY(r.read_u8());
      BERTH_TRY_ASSIGN(uint32_t index, r.read_u32());
      BERTH_TRY_ASSIGN(FuncType t, type_at(r, index));
      tags_.push_back(std::move(t));
    }
    return {};
  }

  Result<void> exports(ByteReader& r) {
    BERTH_TRY_ASSIGN(uint32_t n, r.read_count("export"));
    for (uint32_t i = 0; i < n; ++i) {
      ExportType exp;
      BERTH_TRY_ASSIGN(auto name, r.read_name("name"));
      exp.name = name;
      size_t at = r.offset();
      BERTH_TRY_ASSIGN(uint8_t kind, r.read_u8());
      BERTH_TRY_ASSIGN(uint32_t index, r.read_u32());
      auto out_of_range = [&](std::string_view what, size_t count) {
        return r.error_at(at, fmt::format("export '{}' refers to {} {}, but there are only {}",
                                          exp.name, what, index, count));
      };
      switch (kind) {
        case 0x00:
          exp.type.kind = ExternKind::kFunc;
          if (index >= info_.func_type_indices.size()) {
            return out_of_range("function", info_.func_type_indices.size());
          }
          exp.type.func = info_.types[info_.func_type_indices[index]];
          break;
        case 0x01: {
          exp.type.kind = ExternKind::kTable;
          BERTH_TRY_ASSIGN(exp.type.table, indexed(ExternKind::kTable, tables_, index,
                                                   [](const ExternType& t) { return t.table; }));
          break;
        }
        case 0x02:
          exp.type.kind = ExternKind::kMemory;
          if (index >= info_.memories.size()) return out_of_range("memory", info_.memories.size());
          exp.type.memory = info_.memories[index];
          break;
        case 0x03: {
          exp.type.kind = ExternKind::kGlobal;
          BERTH_TRY_ASSIGN(exp.type.global, indexed(ExternKind::kGlobal, globals_, index,
                                                    [](const ExternType& t) { return t.global; }));
          break;
        }
        case 0x04: {
          exp.type.kind = ExternKind::kTag;
          BERTH_TRY_ASSIGN(exp.type.func, indexed(ExternKind::kTag, tags_, index,
                                                  [](const ExternType& t) { return t.func; }));
          break;
        }
        default:
          return r.error_at(at, fmt::format("expected an export kind (0-4), found 0x{:02x}", kind));
      }
      info_.exports.push_back(std::move(exp));
    }
    return {};
  }

  // Imported items of a kind come first in its index space, then the defined ones.
  template <typename T, typename Get>
  Result<T> indexed(ExternKind kind, const std::vector<T>& defined, uint32_t index, Get get) const {
    std::vector<const ImportType*> imported;
    for (const auto& imp : info_.imports) {
      if (imp.type.kind == kind) imported.push_back(&imp);
    }
    if (index < imported.size()) return get(imported[index]->type);
    index -= imported.size();
    if (index >= defined.size()) {
      return Error(ErrorCode::kMalformed, fmt::format("export refers to {} {} which does not exist",
                                                      to_string(kind), index + imported.size()));
    }
    return defined[index];
  }

  ModuleInfo& info_;
  std::vector<TableType> tables_;
  std::vector<GlobalType> globals_;
  std::vector<FuncType> tags_;
};

}  // namespace

const ExportType* ModuleInfo::find_export(std::string_view name) const {
  for (const auto& e : exports) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

Result<ModuleInfo> read_module_info(std::span<const uint8_t> wasm) {
  ModuleInfo info;
  InfoReader reader(info);
  BERTH_TRY(for_each_section(wasm, [&](uint8_t id, ByteReader& section, size_t) -> Result<void> {
    BERTH_TRY(reader.section(id, section));
    if (id != kCustom && !section.at_end()) {
      return section.error(fmt::format("section {} has {} unread bytes", id, section.remaining()));
    }
    return {};
  }));
  return info;
}

Result<std::vector<uint8_t>> cap_defined_memories(std::span<const uint8_t> wasm,
                                                  uint64_t max_pages) {
  return rewrite_sections(wasm, kMemory, [&](ByteReader& section) -> Result<std::vector<uint8_t>> {
    std::vector<uint8_t> body;
    BERTH_TRY_ASSIGN(uint32_t n, section.read_count("memory"));
    write_u32_leb(body, n);
    for (uint32_t i = 0; i < n; ++i) {
      BERTH_TRY_ASSIGN(MemoryType t, read_memory_type(section));
      if (t.memory64 || t.shared) {
        return Error(ErrorCode::kUnsupported,
                     "memory limits cannot be applied to 64-bit or shared memories");
      }
      if (t.limits.min > max_pages) {
        return Error(ErrorCode::kLimit,
                     fmt::format("memory {} needs {} bytes initially, more than the memory limit "
                                 "of {} bytes",
                                 i, t.limits.min * kWasmPageSize, max_pages * kWasmPageSize));
      }
      uint64_t max = t.limits.max ? std::min(*t.limits.max, max_pages) : max_pages;
      body.push_back(0x01);
      write_u32_leb(body, t.limits.min);
      write_u32_leb(body, max);
    }
    return body;
  });
}

}  // namespace berth::engine
