// Preamble, section loop and the definitions that are not types or canon: core instances,
// instances, aliases, imports, exports, start, values, names and the name section.
#include "component/binary/decoder.h"

#include <fmt/format.h>

#include <cstring>

#include "component/binary/decoder_internal.h"

namespace berth::component::binary {
namespace {

std::string hex_bytes(std::span<const uint8_t> bytes) {
  std::string out;
  for (uint8_t b : bytes) out += fmt::format("{}0x{:02x}", out.empty() ? "" : " ", b);
  return out;
}

// sort ::= 0x00 <core:sort> | 0x01 func | 0x02 value | 0x03 type | 0x04 component | 0x05 instance
Result<Sort> read_sort(ByteReader& r);

Result<Sort> read_core_sort(ByteReader& r, std::string_view what) {
  const size_t offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t byte, r.read_u8());
  switch (byte) {
    case 0x00:
      return Sort::kCoreFunc;
    case 0x01:
      return Sort::kCoreTable;
    case 0x02:
      return Sort::kCoreMemory;
    case 0x03:
      return Sort::kCoreGlobal;
    case 0x04:
      return Sort::kCoreTag;
    case 0x10:
      return Sort::kCoreType;
    case 0x11:
      return Sort::kCoreModule;
    case 0x12:
      return Sort::kCoreInstance;
    default:
      return r.unexpected_byte(offset, byte,
                               fmt::format("{} (a core sort: 0x00-0x04 or 0x10-0x12)", what));
  }
}

Result<Sort> read_sort(ByteReader& r) {
  const size_t offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t byte, r.read_u8());
  switch (byte) {
    case 0x00:
      return read_core_sort(r, "a core sort after 0x00");
    case 0x01:
      return Sort::kFunc;
    case 0x02:
      return Sort::kValue;
    case 0x03:
      return Sort::kType;
    case 0x04:
      return Sort::kComponent;
    case 0x05:
      return Sort::kInstance;
    default:
      return r.unexpected_byte(offset, byte, "a sort (0x00-0x05)");
  }
}

}  // namespace

Result<BinaryKind> read_preamble(ByteReader& r) {
  const size_t start = r.offset();
  if (r.remaining() < kPreambleSize) {
    return r.error_at(start, fmt::format("expected an 8-byte preamble (magic, version, layer), "
                                         "found {} bytes",
                                         r.remaining()));
  }
  BERTH_TRY_ASSIGN(ByteRange range, r.read_range(kPreambleSize, "preamble"));
  std::span<const uint8_t> bytes = bytes_of(r.input(), range);
  if (std::memcmp(bytes.data(), kMagic, 4) != 0) {
    return r.error_at(start, fmt::format("expected the magic number 0x00 0x61 0x73 0x6d (\\0asm), "
                                         "found {}",
                                         hex_bytes(bytes.first(4))));
  }
  if (std::memcmp(bytes.data() + 4, kComponentVersion, 4) == 0) return BinaryKind::kComponent;
  if (std::memcmp(bytes.data() + 4, kCoreModuleVersion, 4) == 0) return BinaryKind::kCoreModule;
  return r.error_at(start + 4, fmt::format("unknown binary version and layer {}: expected "
                                           "0x0d 0x00 0x01 0x00 (component) or 0x01 0x00 0x00 "
                                           "0x00 (core module)",
                                           hex_bytes(bytes.subspan(4))));
}

Result<void> Decoder::use(Feature feature, ByteReader& r, size_t offset, std::string_view what) {
  if (!options_.features.has(feature)) {
    return r.error_at(offset, fmt::format("{} requires the `{}` feature, which is disabled", what,
                                          to_string(feature)));
  }
  features_.add(feature);
  return {};
}

Result<void> Decoder::enter(ByteReader& r, std::string_view what) {
  if (depth_ >= options_.max_nesting_depth) {
    return r.error(
        fmt::format("{} nested more than {} levels deep", what, options_.max_nesting_depth));
  }
  ++depth_;
  return {};
}

Result<Sort> Decoder::sort(ByteReader& r) {
  const size_t offset = r.offset();
  BERTH_TRY_ASSIGN(Sort s, read_sort(r));
  if (s == Sort::kValue) BERTH_TRY(use(Feature::kValues, r, offset, "the value sort"));
  return s;
}

Result<Sort> Decoder::core_sort(ByteReader& r, std::string_view what) {
  return read_core_sort(r, what);
}

Result<ExternName> Decoder::extern_name(ByteReader& r) {
  ExternName out;
  out.offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t form, r.read_u8());
  if (form > 0x02) {
    return r.unexpected_byte(out.offset, form,
                             "an import/export name form (0x00, 0x01, or 0x02 with attributes)");
  }
  out.form = static_cast<NameForm>(form);
  BERTH_TRY_ASSIGN(out.name, r.read_name("import/export name"));
  if (out.form != NameForm::kWithAttributes) return out;
  if (!options_.features.has(Feature::kImplements) &&
      !options_.features.has(Feature::kCanonicalInterfaceNames)) {
    return r.error_at(out.offset,
                      "a name with attributes (0x02) requires the `implements` or "
                      "`canonical-interface-names` feature, which are disabled");
  }
  BERTH_TRY_ASSIGN(uint32_t count, r.read_count("name attribute"));
  for (uint32_t i = 0; i < count; ++i) {
    NameAttribute attribute;
    attribute.offset = r.offset();
    BERTH_TRY_ASSIGN(uint8_t kind, r.read_u8());
    switch (kind) {
      case 0x00:
        BERTH_TRY(use(Feature::kImplements, r, attribute.offset, "the `implements` attribute"));
        break;
      case 0x01:
        BERTH_TRY(use(Feature::kCanonicalInterfaceNames, r, attribute.offset,
                      "the `versionsuffix` attribute"));
        break;
      case 0x02:
        BERTH_TRY(use(Feature::kImplements, r, attribute.offset, "the `external-id` attribute"));
        break;
      default:
        return r.unexpected_byte(attribute.offset, kind,
                                 "a name attribute (0x00 implements, 0x01 versionsuffix, 0x02 "
                                 "external-id)");
    }
    attribute.kind = static_cast<NameAttributeKind>(kind);
    BERTH_TRY_ASSIGN(attribute.value, r.read_name("name attribute value"));
    out.attributes.push_back(std::move(attribute));
  }
  return out;
}

Result<ExternType> Decoder::extern_type(ByteReader& r) {
  ExternType out;
  const size_t offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t kind, r.read_u8());
  switch (kind) {
    case 0x00: {
      const size_t sort_offset = r.offset();
      BERTH_TRY_ASSIGN(uint8_t sort_byte, r.read_u8());
      if (sort_byte != 0x11) {
        return r.unexpected_byte(sort_offset, sort_byte,
                                 "the core module sort (0x11) in an extern type");
      }
      out.kind = ExternKind::kCoreModule;
      BERTH_TRY_ASSIGN(out.type_index, r.read_u32());
      return out;
    }
    case 0x01:
    case 0x04:
    case 0x05: {
      out.kind = static_cast<ExternKind>(kind);
      BERTH_TRY_ASSIGN(out.type_index, r.read_u32());
      return out;
    }
    case 0x02: {
      BERTH_TRY(use(Feature::kValues, r, offset, "a value extern type"));
      out.kind = ExternKind::kValue;
      BERTH_TRY_ASSIGN(uint8_t bound, r.peek_u8());
      // Any byte but 0x00 and 0x01 can only start wasm-tools' bare valtype.
      if (bound > 0x01 || wasm_tools_encoding()) {
        out.value_bound.kind = ValueBound::Kind::kType;
        BERTH_TRY_ASSIGN(out.value_bound.type, val_type(r));
        return out;
      }
      BERTH_TRY(r.read_u8());
      if (bound == 0x00) {
        out.value_bound.kind = ValueBound::Kind::kEq;
        BERTH_TRY_ASSIGN(out.value_bound.value_index, r.read_u32());
      } else {
        out.value_bound.kind = ValueBound::Kind::kType;
        BERTH_TRY_ASSIGN(out.value_bound.type, val_type(r));
      }
      return out;
    }
    case 0x03: {
      out.kind = ExternKind::kType;
      const size_t bound_offset = r.offset();
      BERTH_TRY_ASSIGN(uint8_t bound, r.read_u8());
      if (bound == 0x00) {
        out.type_bound.kind = TypeBound::Kind::kEq;
        BERTH_TRY_ASSIGN(out.type_bound.type_index, r.read_u32());
      } else if (bound == 0x01) {
        out.type_bound.kind = TypeBound::Kind::kSubResource;
      } else {
        return r.unexpected_byte(bound_offset, bound, "a type bound (0x00 eq, 0x01 sub resource)");
      }
      return out;
    }
    default:
      return r.unexpected_byte(offset, kind, "an extern type (0x00-0x05)");
  }
}

Result<Alias> Decoder::alias(ByteReader& r) {
  Alias out;
  out.offset = r.offset();
  BERTH_TRY_ASSIGN(out.sort, sort(r));
  const size_t target_offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t target, r.read_u8());
  switch (target) {
    case 0x00:
    case 0x01: {
      out.kind = static_cast<AliasKind>(target);
      BERTH_TRY_ASSIGN(out.instance, r.read_u32());
      BERTH_TRY_ASSIGN(out.name, r.read_name("alias export name"));
      return out;
    }
    case 0x02: {
      // The binary grammar only has outer aliases of these four sorts (outeraliassort).
      if (out.sort != Sort::kCoreModule && out.sort != Sort::kCoreType && out.sort != Sort::kType &&
          out.sort != Sort::kComponent) {
        return r.error_at(out.offset,
                          fmt::format("expected an outer alias sort (core module, core type, "
                                      "type or component), found {}",
                                      to_string(out.sort)));
      }
      out.kind = AliasKind::kOuter;
      BERTH_TRY_ASSIGN(out.outer_count, r.read_u32());
      BERTH_TRY_ASSIGN(out.outer_index, r.read_u32());
      return out;
    }
    default:
      return r.unexpected_byte(target_offset, target,
                               "an alias target (0x00 export, 0x01 core export, 0x02 outer)");
  }
}

Result<CoreInstance> Decoder::core_instance(ByteReader& r) {
  CoreInstance out;
  out.offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t kind, r.read_u8());
  if (kind == 0x00) {
    out.kind = CoreInstance::Kind::kInstantiate;
    BERTH_TRY_ASSIGN(out.module, r.read_u32());
    BERTH_TRY_ASSIGN(uint32_t count, r.read_count("core instantiation argument"));
    for (uint32_t i = 0; i < count; ++i) {
      CoreInstantiateArg arg;
      arg.offset = r.offset();
      BERTH_TRY_ASSIGN(arg.name, r.read_name("instantiation argument name"));
      const size_t sort_offset = r.offset();
      BERTH_TRY_ASSIGN(uint8_t sort_byte, r.read_u8());
      if (sort_byte != 0x12) {
        return r.unexpected_byte(sort_offset, sort_byte,
                                 "the core instance sort (0x12) in an instantiation argument");
      }
      BERTH_TRY_ASSIGN(arg.instance, r.read_u32());
      out.args.push_back(std::move(arg));
    }
    return out;
  }
  if (kind == 0x01) {
    out.kind = CoreInstance::Kind::kInlineExports;
    BERTH_TRY_ASSIGN(uint32_t count, r.read_count("core inline export"));
    for (uint32_t i = 0; i < count; ++i) {
      CoreInlineExport e;
      e.offset = r.offset();
      BERTH_TRY_ASSIGN(e.name, r.read_name("core export name"));
      BERTH_TRY_ASSIGN(e.sort, core_sort(r, "an inline export sort"));
      BERTH_TRY_ASSIGN(e.index, r.read_u32());
      out.exports.push_back(std::move(e));
    }
    return out;
  }
  return r.unexpected_byte(out.offset, kind,
                           "a core instance (0x00 instantiate, 0x01 inline exports)");
}

Result<Instance> Decoder::instance(ByteReader& r) {
  Instance out;
  out.offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t kind, r.read_u8());
  if (kind == 0x00) {
    out.kind = Instance::Kind::kInstantiate;
    BERTH_TRY_ASSIGN(out.component, r.read_u32());
    BERTH_TRY_ASSIGN(uint32_t count, r.read_count("instantiation argument"));
    for (uint32_t i = 0; i < count; ++i) {
      InstantiateArg arg;
      arg.offset = r.offset();
      BERTH_TRY_ASSIGN(arg.name, r.read_name("instantiation argument name"));
      BERTH_TRY_ASSIGN(arg.target.sort, sort(r));
      BERTH_TRY_ASSIGN(arg.target.index, r.read_u32());
      out.args.push_back(std::move(arg));
    }
    return out;
  }
  if (kind == 0x01) {
    out.kind = Instance::Kind::kInlineExports;
    BERTH_TRY_ASSIGN(uint32_t count, r.read_count("inline export"));
    for (uint32_t i = 0; i < count; ++i) {
      InlineExport e;
      e.offset = r.offset();
      BERTH_TRY_ASSIGN(e.name, extern_name(r));
      BERTH_TRY_ASSIGN(e.target.sort, sort(r));
      BERTH_TRY_ASSIGN(e.target.index, r.read_u32());
      out.exports.push_back(std::move(e));
    }
    return out;
  }
  return r.unexpected_byte(out.offset, kind, "an instance (0x00 instantiate, 0x01 inline exports)");
}

Result<Import> Decoder::import(ByteReader& r) {
  Import out;
  out.offset = r.offset();
  BERTH_TRY_ASSIGN(out.name, extern_name(r));
  BERTH_TRY_ASSIGN(out.type, extern_type(r));
  return out;
}

Result<Export> Decoder::export_(ByteReader& r) {
  Export out;
  out.offset = r.offset();
  BERTH_TRY_ASSIGN(out.name, extern_name(r));
  BERTH_TRY_ASSIGN(out.target.sort, sort(r));
  BERTH_TRY_ASSIGN(out.target.index, r.read_u32());
  const size_t flag_offset = r.offset();
  BERTH_TRY_ASSIGN(uint8_t has_type, r.read_u8());
  if (has_type == 0x01) {
    BERTH_TRY_ASSIGN(out.ascribed_type, extern_type(r));
  } else if (has_type != 0x00) {
    return r.unexpected_byte(flag_offset, has_type,
                             "0x00 or 0x01 for the optional type of an export");
  }
  return out;
}

Result<Start> Decoder::start(ByteReader& r) {
  Start out;
  out.offset = r.offset();
  BERTH_TRY(use(Feature::kValues, r, out.offset, "a start definition"));
  BERTH_TRY_ASSIGN(out.func, r.read_u32());
  BERTH_TRY_ASSIGN(uint32_t count, r.read_count("start argument"));
  for (uint32_t i = 0; i < count; ++i) {
    BERTH_TRY_ASSIGN(uint32_t arg, r.read_u32());
    out.args.push_back(arg);
  }
  const size_t results_offset = r.offset();
  BERTH_TRY_ASSIGN(out.result_count, r.read_u32());
  if (out.result_count > kMaxStartResults) {
    return r.error_at(results_offset,
                      fmt::format("start function result count {} exceeds the limit of {}",
                                  out.result_count, kMaxStartResults));
  }
  return out;
}

Result<Value> Decoder::value(ByteReader& r) {
  Value out;
  out.offset = r.offset();
  BERTH_TRY(use(Feature::kValues, r, out.offset, "a value definition"));
  BERTH_TRY_ASSIGN(out.type, val_type(r));
  BERTH_TRY_ASSIGN(uint32_t length, r.read_u32());
  BERTH_TRY_ASSIGN(out.bytes, r.read_range(length, "value"));
  return out;
}

namespace {

// Reads `vec(item)` from `r` and appends each item to the component's definitions.
template <typename Item>
Result<void> read_vector(ByteReader& r, Component& component, std::string_view what,
                         Result<Item> (Decoder::*read_item)(ByteReader&), Decoder& decoder) {
  BERTH_TRY_ASSIGN(uint32_t count, r.read_count(what));
  for (uint32_t i = 0; i < count; ++i) {
    BERTH_TRY_ASSIGN(Item item, (decoder.*read_item)(r));
    component.definitions.emplace_back(std::move(item));
  }
  return {};
}

}  // namespace

Result<void> Decoder::decode_section(ByteReader& r, Component& component, SectionId id,
                                     size_t offset, ByteReader contents) {
  Section section;
  section.id = id;
  section.offset = offset;
  section.contents = ByteRange{contents.offset(), contents.remaining()};
  section.first_definition = component.definitions.size();
  switch (id) {
    case SectionId::kCustom: {
      BERTH_TRY_ASSIGN(section.custom_name, contents.read_name("custom section name"));
      ByteRange payload{contents.offset(), contents.remaining()};
      if (section.custom_name == "component-name" && !component.names) {
        Result<ComponentNames> names = decode_component_names(r.input(), payload);
        if (names) component.names = std::move(*names);
      }
      BERTH_TRY(contents.read_range(payload.size, "custom section"));
      break;
    }
    case SectionId::kCoreModule: {
      BERTH_TRY_ASSIGN(CoreModule module, scan_core_module(contents));
      component.definitions.emplace_back(std::move(module));
      break;
    }
    case SectionId::kCoreInstance:
      BERTH_TRY(read_vector(contents, component, "core instance", &Decoder::core_instance, *this));
      break;
    case SectionId::kCoreType:
      BERTH_TRY(read_vector(contents, component, "core type", &Decoder::core_type, *this));
      break;
    case SectionId::kComponent: {
      BERTH_TRY(enter(contents, "component"));
      const Nesting nesting(depth_);
      BERTH_TRY_ASSIGN(Component nested, decode_component(contents));
      component.definitions.emplace_back(Box<Component>(std::move(nested)));
      break;
    }
    case SectionId::kInstance:
      BERTH_TRY(read_vector(contents, component, "instance", &Decoder::instance, *this));
      break;
    case SectionId::kAlias:
      BERTH_TRY(read_vector(contents, component, "alias", &Decoder::alias, *this));
      break;
    case SectionId::kType:
      BERTH_TRY(read_vector(contents, component, "type", &Decoder::type_def, *this));
      break;
    case SectionId::kCanon:
      BERTH_TRY(read_vector(contents, component, "canon", &Decoder::canon, *this));
      break;
    case SectionId::kStart: {
      BERTH_TRY_ASSIGN(Start s, start(contents));
      component.definitions.emplace_back(std::move(s));
      break;
    }
    case SectionId::kImport:
      BERTH_TRY(read_vector(contents, component, "import", &Decoder::import, *this));
      break;
    case SectionId::kExport:
      BERTH_TRY(read_vector(contents, component, "export", &Decoder::export_, *this));
      break;
    case SectionId::kValue:
      BERTH_TRY(read_vector(contents, component, "value", &Decoder::value, *this));
      break;
  }
  if (!contents.at_end()) {
    return contents.error(
        fmt::format("unexpected content after the {} section's items ({} "
                    "bytes left of the section)",
                    to_string(id), contents.remaining()));
  }
  section.definition_count = component.definitions.size() - section.first_definition;
  component.sections.push_back(std::move(section));
  return {};
}

Result<Component> Decoder::decode_component(ByteReader& r) {
  Component component;
  component.offset = r.offset();
  component.bytes = ByteRange{r.offset(), r.remaining()};
  BERTH_TRY_ASSIGN(BinaryKind kind, read_preamble(r));
  if (kind != BinaryKind::kComponent) {
    return r.error_at(component.offset + 4,
                      "expected a component (version 0x0d, layer 1), found a core module "
                      "preamble (version 1, layer 0)");
  }
  // Features are collected per component and added to the enclosing one afterwards.
  const FeatureSet enclosing = features_;
  features_ = FeatureSet::none();
  while (!r.at_end()) {
    const size_t offset = r.offset();
    BERTH_TRY_ASSIGN(uint8_t id, r.read_u8());
    if (id > static_cast<uint8_t>(SectionId::kValue)) {
      return r.unexpected_byte(offset, id, "a component section id (0-12)");
    }
    BERTH_TRY_ASSIGN(uint32_t size, r.read_u32());
    BERTH_TRY_ASSIGN(ByteReader contents,
                     r.split(size, fmt::format("{} section", to_string(SectionId{id}))));
    BERTH_TRY(decode_section(r, component, SectionId{id}, offset, contents));
  }
  component.features = features_;
  component.dialect = dialect_;
  features_ = enclosing;
  features_.add(component.features);
  return component;
}

Result<BinaryKind> detect_kind(std::span<const uint8_t> bytes) {
  ByteReader reader(bytes);
  return read_preamble(reader);
}

namespace {

Result<Component> decode_component_with_fallback(std::span<const uint8_t> bytes,
                                                 const DecodeOptions& options) {
  ByteReader reader(bytes);
  Decoder decoder(options, EncodingDialect::kBinaryMd);
  Result<Component> component = decoder.decode_component(reader);
  if (component || !decoder.met_dialect_difference()) return component;
  ByteReader again(bytes);
  Decoder wasm_tools(options, EncodingDialect::kWasmTools);
  Result<Component> retried = wasm_tools.decode_component(again);
  // When neither reading works, Binary.md's error is the one to show.
  return retried ? std::move(retried) : std::move(component);
}

}  // namespace

Result<DecodedBinary> decode(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  BERTH_TRY_ASSIGN(BinaryKind kind, detect_kind(bytes));
  DecodedBinary out;
  out.kind = kind;
  if (kind == BinaryKind::kCoreModule) {
    ByteReader reader(bytes);
    BERTH_TRY_ASSIGN(out.core_module, scan_core_module(reader));
    return out;
  }
  BERTH_TRY_ASSIGN(out.component, decode_component_with_fallback(bytes, options));
  return out;
}

Result<Component> decode_component(std::span<const uint8_t> bytes, const DecodeOptions& options) {
  BERTH_TRY_ASSIGN(BinaryKind kind, detect_kind(bytes));
  if (kind == BinaryKind::kCoreModule) {
    return Error(ErrorCode::kMalformed,
                 "offset 0x4: this is a core module (version 1, layer 0), not a component");
  }
  return decode_component_with_fallback(bytes, options);
}

Result<ComponentNames> decode_component_names(std::span<const uint8_t> input, ByteRange payload) {
  if (payload.offset > input.size() || payload.size > input.size() - payload.offset) {
    return Error(ErrorCode::kUsage, "name section payload lies outside the input");
  }
  ByteReader r(input, payload);
  ComponentNames names;
  while (!r.at_end()) {
    const size_t offset = r.offset();
    BERTH_TRY_ASSIGN(uint8_t id, r.read_u8());
    BERTH_TRY_ASSIGN(uint32_t size, r.read_u32());
    BERTH_TRY_ASSIGN(ByteReader sub, r.split(size, "name subsection"));
    if (id == 0x00) {
      BERTH_TRY_ASSIGN(names.component_name, sub.read_name("component name"));
    } else if (id == 0x01) {
      SortNames sort_names;
      BERTH_TRY_ASSIGN(sort_names.sort, read_sort(sub));
      BERTH_TRY_ASSIGN(uint32_t count, sub.read_count("name map entry"));
      for (uint32_t i = 0; i < count; ++i) {
        NameAssoc assoc;
        BERTH_TRY_ASSIGN(assoc.index, sub.read_u32());
        BERTH_TRY_ASSIGN(assoc.name, sub.read_name("name"));
        sort_names.names.push_back(std::move(assoc));
      }
      names.sorts.push_back(std::move(sort_names));
    } else {
      continue;  // unknown subsections are skipped, like in core name sections
    }
    if (!sub.at_end()) {
      return sub.error_at(offset, fmt::format("name subsection {} has {} bytes of trailing data",
                                              id, sub.remaining()));
    }
  }
  return names;
}

}  // namespace berth::component::binary
