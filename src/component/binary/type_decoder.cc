// Component-level type productions: deftype, defvaltype, valtype, functype, component and
// instance types with their declarators.
#include <fmt/format.h>

#include "component/binary/decoder_internal.h"

namespace berth::component::binary {
namespace {

bool is_primitive_opcode(uint8_t byte) {
  return (byte >= 0x73 && byte <= 0x7f) || byte == 0x64;
}

}  // namespace

Result<ValType> Decoder::val_type(ByteReader& r) {
  const size_t offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t first, r.peek_u8());
  if (is_primitive_opcode(first)) {
    BERTH_TRY(r.read_u8());
    if (first == 0x64) BERTH_TRY(use(Feature::kErrorContext, r, offset, "the error-context type"));
    return ValType::of(static_cast<PrimValType>(first));
  }
  // Type opcodes are negative SLEB128s; type indices are the non-negative ones.
  BERTH_TRY_ASSIGN(int64_t index, r.read_s33());
  if (index < 0) {
    return r.unexpected_byte(offset, first,
                             "a value type (a primitive type 0x64 or 0x73-0x7f, or a type index)");
  }
  return ValType::at(static_cast<uint32_t>(index));
}

Result<std::optional<ValType>> Decoder::result_list(ByteReader& r) {
  const size_t offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t kind, r.read_u8());
  if (kind == 0x00) {
    BERTH_TRY_ASSIGN(ValType type, val_type(r));
    return std::optional<ValType>(type);
  }
  if (kind == 0x01) {
    // Formerly a count of named results; only zero is left.
    const size_t count_offset = r.offset();
    BERTH_TRY_ASSIGN(uint8_t count, r.read_u8());
    if (count != 0x00) {
      return r.unexpected_byte(count_offset, count,
                               "0x00 (no results) after 0x01 in a result list");
    }
    return std::optional<ValType>();
  }
  return r.unexpected_byte(offset, kind, "a result list (0x00 one result, 0x01 0x00 none)");
}

Result<FuncType> Decoder::func_type(ByteReader& r, bool is_async) {
  FuncType out;
  out.is_async = is_async;
  BERTH_TRY_ASSIGN(uint32_t count, r.read_count("function parameter"));
  for (uint32_t i = 0; i < count; ++i) {
    LabeledValType param;
    BERTH_TRY_ASSIGN(param.label, r.read_name("parameter name"));
    BERTH_TRY_ASSIGN(param.type, val_type(r));
    out.params.push_back(std::move(param));
  }
  BERTH_TRY_ASSIGN(out.result, result_list(r));
  return out;
}

namespace {

Result<std::optional<ValType>> optional_val_type(Decoder& decoder, ByteReader& r,
                                                 std::string_view what) {
  BERTH_TRY_ASSIGN(bool present, r.read_flag(what));
  if (!present) return std::optional<ValType>();
  BERTH_TRY_ASSIGN(ValType type, decoder.val_type(r));
  return std::optional<ValType>(type);
}

Result<std::vector<std::string>> labels(ByteReader& r, std::string_view what) {
  BERTH_TRY_ASSIGN(uint32_t count, r.read_count(what));
  std::vector<std::string> out;
  for (uint32_t i = 0; i < count; ++i) {
    BERTH_TRY_ASSIGN(std::string label, r.read_name(what));
    out.push_back(std::move(label));
  }
  return out;
}

}  // namespace

Result<DefValType> Decoder::def_val_type(ByteReader& r, uint8_t opcode, size_t offset) {
  if (is_primitive_opcode(opcode)) {
    if (opcode == 0x64) BERTH_TRY(use(Feature::kErrorContext, r, offset, "the error-context type"));
    return DefValType(static_cast<PrimValType>(opcode));
  }
  switch (opcode) {
    case 0x72: {
      RecordType record;
      BERTH_TRY_ASSIGN(uint32_t count, r.read_count("record field"));
      for (uint32_t i = 0; i < count; ++i) {
        LabeledValType field;
        BERTH_TRY_ASSIGN(field.label, r.read_name("record field name"));
        BERTH_TRY_ASSIGN(field.type, val_type(r));
        record.fields.push_back(std::move(field));
      }
      return DefValType(std::move(record));
    }
    case 0x71: {
      VariantType variant;
      BERTH_TRY_ASSIGN(uint32_t count, r.read_count("variant case"));
      for (uint32_t i = 0; i < count; ++i) {
        VariantCase c;
        BERTH_TRY_ASSIGN(c.label, r.read_name("variant case name"));
        BERTH_TRY_ASSIGN(c.type, optional_val_type(*this, r, "the variant case type flag"));
        // Once the index of a case this one refined; now always 0x00.
        BERTH_TRY(r.expect_u8(0x00, "the zero byte ending a variant case"));
        variant.cases.push_back(std::move(c));
      }
      return DefValType(std::move(variant));
    }
    case 0x70: {
      BERTH_TRY_ASSIGN(ValType element, val_type(r));
      return DefValType(ListType{element, std::nullopt});
    }
    case 0x67: {
      BERTH_TRY(use(Feature::kFixedLengthLists, r, offset, "a fixed-length list"));
      BERTH_TRY_ASSIGN(ValType element, val_type(r));
      BERTH_TRY_ASSIGN(uint32_t length, r.read_u32());
      return DefValType(ListType{element, length});
    }
    case 0x6f: {
      TupleType tuple;
      BERTH_TRY_ASSIGN(uint32_t count, r.read_count("tuple element"));
      for (uint32_t i = 0; i < count; ++i) {
        BERTH_TRY_ASSIGN(ValType type, val_type(r));
        tuple.types.push_back(type);
      }
      return DefValType(std::move(tuple));
    }
    case 0x6e: {
      BERTH_TRY_ASSIGN(std::vector<std::string> names, labels(r, "flag name"));
      return DefValType(FlagsType{std::move(names)});
    }
    case 0x6d: {
      BERTH_TRY_ASSIGN(std::vector<std::string> names, labels(r, "enum case name"));
      return DefValType(EnumType{std::move(names)});
    }
    case 0x6b: {
      BERTH_TRY_ASSIGN(ValType type, val_type(r));
      return DefValType(OptionType{type});
    }
    case 0x6a: {
      ResultType result;
      BERTH_TRY_ASSIGN(result.ok, optional_val_type(*this, r, "the result ok type flag"));
      BERTH_TRY_ASSIGN(result.error, optional_val_type(*this, r, "the result error type flag"));
      return DefValType(result);
    }
    case 0x69: {
      BERTH_TRY_ASSIGN(uint32_t index, r.read_u32());
      return DefValType(OwnType{index});
    }
    case 0x68: {
      BERTH_TRY_ASSIGN(uint32_t index, r.read_u32());
      return DefValType(BorrowType{index});
    }
    case 0x66: {
      BERTH_TRY(use(Feature::kAsync, r, offset, "a stream type"));
      BERTH_TRY_ASSIGN(std::optional<ValType> element,
                       optional_val_type(*this, r, "the stream element type flag"));
      return DefValType(StreamType{element});
    }
    case 0x65: {
      BERTH_TRY(use(Feature::kAsync, r, offset, "a future type"));
      BERTH_TRY_ASSIGN(std::optional<ValType> value,
                       optional_val_type(*this, r, "the future value type flag"));
      return DefValType(FutureType{value});
    }
    case 0x63: {
      BERTH_TRY(use(Feature::kMap, r, offset, "a map type"));
      BERTH_TRY_ASSIGN(ValType key, val_type(r));
      BERTH_TRY_ASSIGN(ValType value, val_type(r));
      return DefValType(MapType{key, value});
    }
    default:
      return r.unexpected_byte(offset, opcode,
                               "a type definition (a value type 0x63-0x7f, 0x3f resource, "
                               "0x40/0x43 func, 0x41 component, 0x42 instance)");
  }
}

Result<TypeDef> Decoder::type_def(ByteReader& r) {
  TypeDef out;
  out.offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t opcode, r.read_u8());
  switch (opcode) {
    case 0x40:
    case 0x43: {
      const bool is_async = opcode == 0x43;
      if (is_async) BERTH_TRY(use(Feature::kAsync, r, out.offset, "an async function type"));
      BERTH_TRY_ASSIGN(FuncType func, func_type(r, is_async));
      out.type = std::move(func);
      return out;
    }
    case 0x41: {
      BERTH_TRY_ASSIGN(ComponentType type, component_type(r));
      out.type = std::move(type);
      return out;
    }
    case 0x42: {
      BERTH_TRY_ASSIGN(InstanceType type, instance_type(r));
      out.type = std::move(type);
      return out;
    }
    case 0x3f: {
      ResourceType resource;
      BERTH_TRY_ASSIGN(resource.rep, core_val_type(r));
      BERTH_TRY_ASSIGN(bool has_destructor, r.read_flag("the resource destructor flag"));
      if (has_destructor) {
        BERTH_TRY_ASSIGN(uint32_t destructor, r.read_u32());
        resource.destructor = destructor;
      }
      out.type = resource;
      return out;
    }
    default: {
      BERTH_TRY_ASSIGN(DefValType type, def_val_type(r, opcode, out.offset));
      out.type = std::move(type);
      return out;
    }
  }
}

Result<TypeDecl> Decoder::type_decl(ByteReader& r, bool in_component_type) {
  TypeDecl out;
  out.offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t kind, r.read_u8());
  switch (kind) {
    case 0x00: {
      BERTH_TRY_ASSIGN(CoreTypeDef type, core_type(r));
      out.item = std::move(type);
      return out;
    }
    case 0x01: {
      BERTH_TRY_ASSIGN(TypeDef type, type_def(r));
      out.item = Box<TypeDef>(std::move(type));
      return out;
    }
    case 0x02: {
      BERTH_TRY_ASSIGN(Alias a, alias(r));
      out.item = std::move(a);
      return out;
    }
    case 0x03:
      if (in_component_type) {
        ImportDecl decl;
        decl.offset = out.offset;
        BERTH_TRY_ASSIGN(decl.name, extern_name(r));
        BERTH_TRY_ASSIGN(decl.type, extern_type(r));
        out.item = std::move(decl);
        return out;
      }
      break;
    case 0x04: {
      ExportDecl decl;
      decl.offset = out.offset;
      BERTH_TRY_ASSIGN(decl.name, extern_name(r));
      BERTH_TRY_ASSIGN(decl.type, extern_type(r));
      out.item = std::move(decl);
      return out;
    }
    default:
      break;
  }
  return r.unexpected_byte(
      out.offset, kind,
      in_component_type
          ? "a component type declarator (0x00 core type, 0x01 type, 0x02 alias, 0x03 import, "
            "0x04 export)"
          : "an instance type declarator (0x00 core type, 0x01 type, 0x02 alias, 0x04 export)");
}

Result<ComponentType> Decoder::component_type(ByteReader& r) {
  BERTH_TRY(enter(r, "component type"));
  const Nesting nesting(depth_);
  ComponentType out;
  BERTH_TRY_ASSIGN(uint32_t count, r.read_count("component type declarator"));
  for (uint32_t i = 0; i < count; ++i) {
    BERTH_TRY_ASSIGN(TypeDecl decl, type_decl(r, true));
    out.decls.push_back(std::move(decl));
  }
  return out;
}

Result<InstanceType> Decoder::instance_type(ByteReader& r) {
  BERTH_TRY(enter(r, "instance type"));
  const Nesting nesting(depth_);
  InstanceType out;
  BERTH_TRY_ASSIGN(uint32_t count, r.read_count("instance type declarator"));
  for (uint32_t i = 0; i < count; ++i) {
    BERTH_TRY_ASSIGN(TypeDecl decl, type_decl(r, false));
    out.decls.push_back(std::move(decl));
  }
  return out;
}

}  // namespace berth::component::binary
