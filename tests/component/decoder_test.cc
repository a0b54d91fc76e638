// The decoder on hand-assembled binaries: one test per section kind, the IR it builds, and
// errors with their offsets.
#include "component/binary/decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_support.h"

namespace berth::component::binary {
namespace {

using testing::Bytes;
using testing::component_preamble;
using testing::core_preamble;
using ::testing::HasSubstr;

Bytes component_with(std::initializer_list<std::pair<uint8_t, Bytes>> sections) {
  Bytes out = component_preamble();
  for (const auto& [id, contents] : sections) out.section(id, contents);
  return out;
}

// decode_component on a test binary.
Result<Component> decode_as_component(const Bytes& bytes, const DecodeOptions& options = {}) {
  return decode_component(bytes, options);
}

std::string error_of(const Result<Component>& r) {
  return r.ok() ? std::string("(decoded)") : r.error().message();
}

template <typename T>
const T& only(const Component& c) {
  EXPECT_EQ(c.definitions.size(), 1u);
  return std::get<T>(c.definitions.at(0));
}

// The empty function type (func), used by several tests.
Bytes empty_func_type_section() {
  return Bytes{0x01, 0x40, 0x00, 0x01, 0x00};
}

TEST(Decoder, Preamble) {
  EXPECT_EQ(*detect_kind(component_preamble()), BinaryKind::kComponent);
  EXPECT_EQ(*detect_kind(core_preamble()), BinaryKind::kCoreModule);

  Result<Component> empty = decode_as_component(component_preamble());
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->definitions.empty());
  EXPECT_EQ(empty->bytes, (ByteRange{0, 8}));

  EXPECT_EQ(error_of(decode_as_component(Bytes{0x00, 0x61, 0x73})),
            "offset 0x0: expected an 8-byte preamble (magic, version, layer), found 3 bytes");
  EXPECT_THAT(error_of(decode_as_component(Bytes{0x00, 0x41, 0x53, 0x4d, 0x0d, 0x00, 0x01, 0x00})),
              HasSubstr("offset 0x0: expected the magic number"));
  Result<Component> version =
      decode_as_component(Bytes{0x00, 0x61, 0x73, 0x6d, 0x0c, 0x00, 0x01, 0x00});
  EXPECT_THAT(error_of(version), HasSubstr("offset 0x4: unknown binary version and layer 0x0c"));
  EXPECT_EQ(version.error().code(), ErrorCode::kMalformed);
}

TEST(Decoder, CoreModuleIsReportedAsSuch) {
  Bytes module = core_preamble();
  module.section(1, Bytes{0x01, 0x60, 0x00, 0x00});  // type section: (func)
  module.section(0, Bytes().name("name"));
  module.section(3, Bytes{0x01, 0x00});  // function section
  Result<DecodedBinary> decoded = decode(module);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  EXPECT_EQ(decoded->kind, BinaryKind::kCoreModule);
  ASSERT_EQ(decoded->core_module.sections.size(), 3u);
  EXPECT_EQ(decoded->core_module.sections[0].id, 1);
  EXPECT_EQ(decoded->core_module.sections[0].contents, (ByteRange{10, 4}));
  EXPECT_EQ(decoded->core_module.sections[1].custom_name, "name");
  EXPECT_EQ(decoded->core_module.bytes, (ByteRange{0, module.size()}));

  EXPECT_THAT(error_of(decode_component(module)), HasSubstr("is a core module"));
}

TEST(Decoder, CoreModuleSectionsMustBeInOrder) {
  Bytes module = core_preamble();
  module.section(1, Bytes{0x00}).section(11, Bytes{0x00}).section(1, Bytes{0x00});
  Result<DecodedBinary> decoded = decode(module);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().message(),
            "offset 0xe: core module section out of order: type section after data section");

  Bytes tag_before_global = core_preamble();
  tag_before_global.section(5, Bytes{0x00}).section(13, Bytes{0x00}).section(6, Bytes{0x00});
  EXPECT_TRUE(decode(tag_before_global).ok());

  Bytes unknown = core_preamble();
  unknown.section(14, Bytes{});
  EXPECT_THAT(decode(unknown).error().message(),
              HasSubstr("expected a core module section id (0-13), found 0x0e"));
}

TEST(Decoder, CustomSectionsAndTheNameSection) {
  // Subsections have the same shape as sections: id, size, contents.
  Bytes sort_names = Bytes{0x01};  // sort func
  sort_names.u32(1).u32(0).name("f");
  Bytes payload;
  payload.name("component-name");
  payload.section(0x00, Bytes().name("my-comp"));
  payload.section(0x01, sort_names);

  Bytes binary = component_with({{0, Bytes().name("hello").raw({1, 2, 3})}, {0, payload}});
  Result<Component> c = decode_as_component(binary);
  ASSERT_TRUE(c.ok()) << error_of(c);
  EXPECT_TRUE(c->definitions.empty());
  ASSERT_EQ(c->sections.size(), 2u);
  EXPECT_EQ(c->sections[0].id, SectionId::kCustom);
  EXPECT_EQ(c->sections[0].custom_name, "hello");
  EXPECT_EQ(c->sections[0].offset, 8u);
  EXPECT_EQ(c->sections[0].contents, (ByteRange{10, 9}));
  EXPECT_EQ(c->custom_sections().size(), 2u);
  ASSERT_TRUE(c->names.has_value());
  EXPECT_EQ(c->names->component_name, "my-comp");
  ASSERT_EQ(c->names->sorts.size(), 1u);
  EXPECT_EQ(c->names->sorts[0].sort, Sort::kFunc);
  EXPECT_EQ(c->names->sorts[0].names.at(0).name, "f");

  // A broken name section is ignored, not an error.
  Bytes garbage = component_with({{0, Bytes().name("component-name").raw({0xff, 0xfe, 0x01})}});
  Result<Component> tolerant = decode_as_component(garbage);
  ASSERT_TRUE(tolerant.ok()) << error_of(tolerant);
  EXPECT_FALSE(tolerant->names.has_value());

  EXPECT_THAT(error_of(decode_as_component(component_with({{0, Bytes{0x02, 0xff, 0xfe}}}))),
              HasSubstr("offset 0xb: custom section name is not valid UTF-8"));
}

TEST(Decoder, CoreModuleSection) {
  Bytes module = core_preamble();
  Result<Component> c = decode_as_component(component_with({{1, module}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  const CoreModule& m = only<CoreModule>(*c);
  EXPECT_EQ(m.offset, 10u);
  EXPECT_EQ(m.bytes, (ByteRange{10, 8}));
  EXPECT_EQ(c->sections[0].definition_count, 1u);

  EXPECT_THAT(error_of(decode_as_component(component_with({{1, component_preamble()}}))),
              HasSubstr("offset 0xe: expected a core module (version 1, layer 0)"));
}

TEST(Decoder, CoreInstanceSection) {
  Bytes instances{0x02};
  instances.raw({0x00, 0x00, 0x01}).name("i").raw({0x12, 0x00});  // instantiate module 0
  instances.raw({0x01, 0x01}).name("f").raw({0x00, 0x03});        // inline export func 3
  Result<Component> c = decode_as_component(component_with({{2, instances}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  ASSERT_EQ(c->definitions.size(), 2u);
  const auto& instantiate = std::get<CoreInstance>(c->definitions[0]);
  EXPECT_EQ(instantiate.kind, CoreInstance::Kind::kInstantiate);
  ASSERT_EQ(instantiate.args.size(), 1u);
  EXPECT_EQ(instantiate.args[0].name, "i");
  const auto& exports = std::get<CoreInstance>(c->definitions[1]);
  EXPECT_EQ(exports.kind, CoreInstance::Kind::kInlineExports);
  EXPECT_EQ(exports.exports.at(0).sort, Sort::kCoreFunc);
  EXPECT_EQ(exports.exports.at(0).index, 3u);

  Bytes bad_arg{0x01, 0x00, 0x00, 0x01};
  bad_arg.name("i").raw({0x00, 0x00});
  EXPECT_EQ(error_of(decode_as_component(component_with({{2, bad_arg}}))),
            "offset 0x10: expected the core instance sort (0x12) in an instantiation argument, "
            "found 0x00");
  EXPECT_EQ(error_of(decode_as_component(component_with({{2, Bytes{0x01, 0x02, 0x00, 0x00}}}))),
            "offset 0xb: expected a core instance (0x00 instantiate, 0x01 inline exports), found "
            "0x02");
}

TEST(Decoder, CoreTypeSection) {
  Bytes types{0x05};
  types.raw({0x60, 0x01, 0x7f, 0x01, 0x7e});        // (func (param i32) (result i64))
  types.raw({0x00, 0x50, 0x01, 0x00, 0x5f, 0x00});  // (sub 0 (struct))
  types.raw({0x4e, 0x02, 0x5e, 0x78, 0x01,          // (rec (array (mut i8))
             0x4f, 0x00, 0x5f, 0x01, 0x63, 0x6e,
             0x00});                                    //      (sub final (struct (field anyref))))
  types.raw({0x50, 0x04,                                // (module
             0x01, 0x60, 0x00, 0x00,                    //   (type (func))
             0x00, 0x01, 'a',  0x01, 'b',  0x00, 0x00,  //   (import "a" "b" (func (type 0)))
             0x02, 0x10, 0x01, 0x01, 0x00,              //   (alias outer 1 0 (type))
             0x03, 0x01, 'm',  0x02, 0x01, 0x01, 0x02});  //   (export "m" (memory 1 2)))
  types.raw({0x65, 0x60, 0x00, 0x00});                    // (shared (func))
  Result<Component> c = decode_as_component(component_with({{3, types}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  ASSERT_EQ(c->definitions.size(), 5u);

  const auto& func = std::get<CoreRecGroup>(std::get<CoreTypeDef>(c->definitions[0]).type);
  EXPECT_FALSE(func.explicit_rec);
  const auto& sig = std::get<CoreFuncType>(func.types.at(0).composite.type);
  EXPECT_EQ(sig.params.at(0).kind, CoreValTypeKind::kI32);
  EXPECT_EQ(sig.results.at(0).kind, CoreValTypeKind::kI64);

  const auto& sub = std::get<CoreRecGroup>(std::get<CoreTypeDef>(c->definitions[1]).type);
  EXPECT_FALSE(sub.types.at(0).is_final);
  EXPECT_EQ(sub.types.at(0).supertypes, std::vector<uint32_t>{0});

  const auto& rec = std::get<CoreRecGroup>(std::get<CoreTypeDef>(c->definitions[2]).type);
  EXPECT_TRUE(rec.explicit_rec);
  ASSERT_EQ(rec.types.size(), 2u);
  const auto& array = std::get<CoreArrayType>(rec.types[0].composite.type);
  EXPECT_EQ(array.element.packed, CorePackedType::kI8);
  EXPECT_TRUE(array.element.is_mutable);
  EXPECT_TRUE(rec.types[1].is_final);
  const auto& field = std::get<CoreStructType>(rec.types[1].composite.type).fields.at(0);
  EXPECT_TRUE(field.type.nullable);
  EXPECT_EQ(field.type.heap.abstract, CoreAbstractHeap::kAny);

  const auto& module = std::get<CoreModuleType>(std::get<CoreTypeDef>(c->definitions[3]).type);
  ASSERT_EQ(module.decls.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<Box<CoreTypeDef>>(module.decls[0].item));
  const auto& import = std::get<CoreImport>(module.decls[1].item);
  EXPECT_EQ(import.module, "a");
  EXPECT_EQ(std::get<CoreFuncRef>(import.type).type_index, 0u);
  EXPECT_EQ(std::get<CoreOuterTypeAlias>(module.decls[2].item).count, 1u);
  const auto& memory =
      std::get<CoreMemoryType>(std::get<CoreExportDecl>(module.decls[3].item).type);
  EXPECT_EQ(memory.limits.min, 1u);
  EXPECT_EQ(memory.limits.max, 2u);

  const auto& shared = std::get<CoreRecGroup>(std::get<CoreTypeDef>(c->definitions[4]).type);
  EXPECT_TRUE(shared.types.at(0).composite.shared);

  EXPECT_EQ(
      error_of(decode_as_component(component_with({{3, Bytes{0x01, 0x00, 0x60, 0x00, 0x00}}}))),
      "offset 0xc: expected a non-final sub type (0x50) after 0x00, found 0x60");
}

TEST(Decoder, BareSubTypeInsideAModuleTypeIsASubType) {
  // wasm-tools writes a non-final sub type in a module type as plain 0x50; Binary.md would
  // read a nested module type, which could never validate, so the sub type wins.
  Bytes sub{0x01, 0x50, 0x01, 0x01, 0x50, 0x00, 0x60, 0x00, 0x00};
  Result<Component> c = decode_as_component(component_with({{3, sub}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  const auto& module = std::get<CoreModuleType>(only<CoreTypeDef>(*c).type);
  const CoreTypeDef& inner = *std::get<Box<CoreTypeDef>>(module.decls.at(0).item);
  EXPECT_FALSE(std::get<CoreRecGroup>(inner.type).types.at(0).is_final);

  // When the bytes only make sense as a nested module type, that is what they decode to, and
  // validation rejects it.
  Bytes nested{0x01, 0x50, 0x02, 0x01, 0x50, 0x00, 0x01, 0x60, 0x00, 0x00};
  Result<Component> n = decode_as_component(component_with({{3, nested}}));
  ASSERT_TRUE(n.ok()) << error_of(n);
  const auto& outer = std::get<CoreModuleType>(only<CoreTypeDef>(*n).type);
  ASSERT_EQ(outer.decls.size(), 2u);
  const CoreTypeDef& first = *std::get<Box<CoreTypeDef>>(outer.decls[0].item);
  EXPECT_TRUE(std::holds_alternative<CoreModuleType>(first.type));
}

TEST(Decoder, NestedComponentSection) {
  Bytes inner = component_preamble();
  inner.section(7, Bytes{0x01, 0x73});
  Result<Component> c = decode_as_component(component_with({{4, inner}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  const Component& nested = *only<Box<Component>>(*c);
  EXPECT_EQ(nested.offset, 10u);
  EXPECT_EQ(nested.bytes, (ByteRange{10, 12}));
  // Offsets stay absolute inside nested components.
  EXPECT_EQ(std::get<TypeDef>(nested.definitions.at(0)).offset, 21u);

  Bytes bad = component_preamble();
  bad.section(7, Bytes{0x01, 0x62});
  EXPECT_EQ(error_of(decode_as_component(component_with({{4, bad}}))),
            "offset 0x15: expected a type definition (a value type 0x63-0x7f, 0x3f resource, "
            "0x40/0x43 func, 0x41 component, 0x42 instance), found 0x62");
  EXPECT_THAT(error_of(decode_as_component(component_with({{4, core_preamble()}}))),
              HasSubstr("offset 0xe: expected a component (version 0x0d, layer 1), found a core "
                        "module preamble"));
}

TEST(Decoder, NestingIsBounded) {
  Bytes innermost = component_preamble();
  Bytes current = innermost;
  for (int i = 0; i < 5; ++i) {
    Bytes wrapper = component_preamble();
    wrapper.section(4, current);
    current = wrapper;
  }
  DecodeOptions options;
  options.max_nesting_depth = 5;
  EXPECT_TRUE(decode_as_component(current, options).ok());
  options.max_nesting_depth = 4;
  EXPECT_THAT(error_of(decode_as_component(current, options)),
              HasSubstr("nested more than 4 levels deep"));

  // Instance types inside instance types count too.
  Bytes types{0x01};
  for (int i = 0; i < 6; ++i) types.raw({0x42, 0x01, 0x01});
  types.raw({0x42, 0x00});
  EXPECT_THAT(error_of(decode_as_component(component_with({{7, types}}), options)),
              HasSubstr("instance type nested more than 4 levels deep"));
}

TEST(Decoder, InstanceSection) {
  Bytes instances{0x02};
  instances.raw({0x00, 0x00, 0x01}).name("x").raw({0x01, 0x00});  // instantiate, with "x" func 0
  instances.raw({0x01, 0x01, 0x00}).name("g").raw({0x00, 0x11, 0x02});  // export core module 2
  Result<Component> c = decode_as_component(component_with({{5, instances}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  const auto& instantiate = std::get<Instance>(c->definitions.at(0));
  EXPECT_EQ(instantiate.args.at(0).name, "x");
  EXPECT_EQ(instantiate.args.at(0).target.sort, Sort::kFunc);
  const auto& exports = std::get<Instance>(c->definitions.at(1));
  EXPECT_EQ(exports.exports.at(0).name.name, "g");
  EXPECT_EQ(exports.exports.at(0).target.sort, Sort::kCoreModule);
  EXPECT_EQ(exports.exports.at(0).target.index, 2u);
}

TEST(Decoder, AliasSection) {
  Bytes aliases{0x04};
  aliases.raw({0x01, 0x00, 0x02}).name("g");        // func, export of instance 2
  aliases.raw({0x00, 0x02, 0x01, 0x00}).name("m");  // core memory, core export of instance 0
  aliases.raw({0x03, 0x02, 0x01, 0x05});            // type, outer 1 5
  aliases.raw({0x00, 0x11, 0x02, 0x00, 0x00});      // core module, outer 0 0
  Result<Component> c = decode_as_component(component_with({{6, aliases}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  const auto& a0 = std::get<Alias>(c->definitions.at(0));
  EXPECT_EQ(a0.kind, AliasKind::kInstanceExport);
  EXPECT_EQ(a0.sort, Sort::kFunc);
  EXPECT_EQ(a0.instance, 2u);
  EXPECT_EQ(a0.name, "g");
  const auto& a1 = std::get<Alias>(c->definitions.at(1));
  EXPECT_EQ(a1.kind, AliasKind::kCoreInstanceExport);
  EXPECT_EQ(a1.sort, Sort::kCoreMemory);
  const auto& a2 = std::get<Alias>(c->definitions.at(2));
  EXPECT_EQ(a2.kind, AliasKind::kOuter);
  EXPECT_EQ(a2.outer_count, 1u);
  EXPECT_EQ(a2.outer_index, 5u);
  EXPECT_EQ(std::get<Alias>(c->definitions.at(3)).sort, Sort::kCoreModule);

  EXPECT_EQ(
      error_of(decode_as_component(component_with({{6, Bytes{0x01, 0x01, 0x02, 0x00, 0x00}}}))),
      "offset 0xb: expected an outer alias sort (core module, core type, type or "
      "component), found func");
  EXPECT_EQ(
      error_of(decode_as_component(component_with({{6, Bytes{0x01, 0x03, 0x03, 0x00, 0x00}}}))),
      "offset 0xc: expected an alias target (0x00 export, 0x01 core export, 0x02 outer), "
      "found 0x03");
}

TEST(Decoder, ValueTypes) {
  Bytes types{0x10};
  types.raw({0x73});                                              // string
  types.raw({0x72, 0x02}).name("a").u8(0x7f).name("b").u8(0x00);  // record {a: bool, b: type 0}
  types.raw({0x71, 0x02}).name("x").raw({0x01, 0x7e, 0x00}).name("y").raw({0x00, 0x00});
  types.raw({0x70, 0x7b});              // list<u16>
  types.raw({0x6f, 0x02, 0x7c, 0x79});  // tuple<s16, u32>
  types.raw({0x6e, 0x01}).name("f");    // flags
  types.raw({0x6d, 0x01}).name("e");    // enum
  types.raw({0x6b, 0x7a});              // option<s32>
  types.raw({0x6a, 0x01, 0x76, 0x00});  // result<f32>
  types.raw({0x69, 0x00});              // own 0
  types.raw({0x68, 0x00});              // borrow 0
  types.raw({0x66, 0x01, 0x7d});        // stream<u8>
  types.raw({0x65, 0x00});              // future
  types.raw({0x67, 0x7d, 0x03});        // list<u8, 3>
  types.raw({0x63, 0x73, 0x79});        // map<string, u32>
  types.raw({0x70, 0xc0, 0x00});        // list<type 64>, index as s33
  Result<Component> c = decode_as_component(component_with({{7, types}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  ASSERT_EQ(c->definitions.size(), 16u);
  auto val = [&](size_t i) -> const DefValType& {
    return std::get<DefValType>(std::get<TypeDef>(c->definitions.at(i)).type);
  };
  EXPECT_EQ(std::get<PrimValType>(val(0)), PrimValType::kString);
  const auto& record = std::get<RecordType>(val(1));
  EXPECT_EQ(record.fields.at(1).label, "b");
  EXPECT_EQ(record.fields.at(1).type, ValType::at(0));
  const auto& variant = std::get<VariantType>(val(2));
  EXPECT_EQ(variant.cases.at(0).type, ValType::of(PrimValType::kS8));
  EXPECT_FALSE(variant.cases.at(1).type.has_value());
  EXPECT_EQ(std::get<ListType>(val(3)).element, ValType::of(PrimValType::kU16));
  EXPECT_EQ(std::get<TupleType>(val(4)).types.size(), 2u);
  EXPECT_EQ(std::get<FlagsType>(val(5)).labels.at(0), "f");
  EXPECT_EQ(std::get<EnumType>(val(6)).labels.at(0), "e");
  EXPECT_EQ(std::get<OptionType>(val(7)).type, ValType::of(PrimValType::kS32));
  EXPECT_TRUE(std::get<ResultType>(val(8)).ok.has_value());
  EXPECT_FALSE(std::get<ResultType>(val(8)).error.has_value());
  EXPECT_EQ(std::get<OwnType>(val(9)).resource, 0u);
  EXPECT_EQ(std::get<BorrowType>(val(10)).resource, 0u);
  EXPECT_EQ(std::get<StreamType>(val(11)).element, ValType::of(PrimValType::kU8));
  EXPECT_FALSE(std::get<FutureType>(val(12)).value.has_value());
  EXPECT_EQ(std::get<ListType>(val(13)).fixed_length, 3u);
  EXPECT_EQ(std::get<MapType>(val(14)).value, ValType::of(PrimValType::kU32));
  EXPECT_EQ(std::get<ListType>(val(15)).element, ValType::at(64));
  EXPECT_TRUE(c->features.has(Feature::kAsync));
  EXPECT_TRUE(c->features.has(Feature::kFixedLengthLists));
  EXPECT_TRUE(c->features.has(Feature::kMap));
  EXPECT_FALSE(c->features.has(Feature::kValues));

  EXPECT_EQ(error_of(decode_as_component(component_with({{7, Bytes{0x01, 0x70, 0x60}}}))),
            "offset 0xc: expected a value type (a primitive type 0x64 or 0x73-0x7f, or a type "
            "index), found 0x60");
  EXPECT_EQ(error_of(decode_as_component(
                component_with({{7, Bytes{0x01, 0x71, 0x01, 0x01, 'c', 0x00, 0x01}}}))),
            "offset 0x10: expected the zero byte ending a variant case (0x00), found 0x01");
}

TEST(Decoder, FunctionAndResourceTypes) {
  Bytes types{0x04};
  types.raw({0x40, 0x01})
      .name("p")
      .raw({0x7f, 0x00, 0x79});         // (func (param "p" bool) (result u32))
  types.raw({0x43, 0x00, 0x01, 0x00});  // (func async)
  types.raw({0x3f, 0x7f, 0x00});        // (resource (rep i32))
  types.raw({0x3f, 0x7f, 0x01, 0x04});  // (resource (rep i32) (dtor 4))
  Result<Component> c = decode_as_component(component_with({{7, types}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  const auto& f = std::get<FuncType>(std::get<TypeDef>(c->definitions.at(0)).type);
  EXPECT_FALSE(f.is_async);
  EXPECT_EQ(f.params.at(0).label, "p");
  EXPECT_EQ(f.result, ValType::of(PrimValType::kU32));
  const auto& g = std::get<FuncType>(std::get<TypeDef>(c->definitions.at(1)).type);
  EXPECT_TRUE(g.is_async);
  EXPECT_FALSE(g.result.has_value());
  const auto& r = std::get<ResourceType>(std::get<TypeDef>(c->definitions.at(2)).type);
  EXPECT_EQ(r.rep.kind, CoreValTypeKind::kI32);
  EXPECT_FALSE(r.destructor.has_value());
  EXPECT_EQ(std::get<ResourceType>(std::get<TypeDef>(c->definitions.at(3)).type).destructor, 4u);

  EXPECT_EQ(
      error_of(decode_as_component(component_with({{7, Bytes{0x01, 0x40, 0x00, 0x01, 0x01}}}))),
      "offset 0xe: expected 0x00 (no results) after 0x01 in a result list, found 0x01");
  EXPECT_EQ(
      error_of(decode_as_component(component_with({{7, Bytes{0x01, 0x40, 0x00, 0x02, 0x00}}}))),
      "offset 0xd: expected a result list (0x00 one result, 0x01 0x00 none), found 0x02");
}

TEST(Decoder, ComponentAndInstanceTypes) {
  Bytes types{0x02};
  types.raw({0x41, 0x05});
  types.raw({0x00, 0x60, 0x00, 0x00});                        // core type
  types.raw({0x01, 0x73});                                    // type string
  types.raw({0x02, 0x03, 0x02, 0x01, 0x00});                  // alias outer 1 0 (type)
  types.raw({0x03, 0x00}).name("a").raw({0x03, 0x00, 0x00});  // import "a" (type (eq 0))
  types.raw({0x04, 0x00}).name("r").raw({0x03, 0x01});        // export "r" (type (sub resource))
  types.raw({0x42, 0x01, 0x04, 0x00}).name("f").raw({0x01, 0x00});  // instance: export "f" func 0
  Result<Component> c = decode_as_component(component_with({{7, types}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  const auto& ct = std::get<ComponentType>(std::get<TypeDef>(c->definitions.at(0)).type);
  ASSERT_EQ(ct.decls.size(), 5u);
  EXPECT_TRUE(std::holds_alternative<CoreTypeDef>(ct.decls[0].item));
  EXPECT_TRUE(std::holds_alternative<Box<TypeDef>>(ct.decls[1].item));
  EXPECT_EQ(std::get<Alias>(ct.decls[2].item).kind, AliasKind::kOuter);
  const auto& import = std::get<ImportDecl>(ct.decls[3].item);
  EXPECT_EQ(import.name.name, "a");
  EXPECT_EQ(import.type.kind, ExternKind::kType);
  EXPECT_EQ(import.type.type_bound.kind, TypeBound::Kind::kEq);
  const auto& exported = std::get<ExportDecl>(ct.decls[4].item);
  EXPECT_EQ(exported.type.type_bound.kind, TypeBound::Kind::kSubResource);
  const auto& it = std::get<InstanceType>(std::get<TypeDef>(c->definitions.at(1)).type);
  EXPECT_EQ(std::get<ExportDecl>(it.decls.at(0).item).type.kind, ExternKind::kFunc);

  // Instance types have no imports.
  Bytes import_in_instance{0x01, 0x42, 0x01, 0x03, 0x00, 0x01, 'a', 0x03, 0x01};
  EXPECT_THAT(error_of(decode_as_component(component_with({{7, import_in_instance}}))),
              HasSubstr("offset 0xd: expected an instance type declarator"));
}

TEST(Decoder, CanonSection) {
  Bytes canons{0x0a};
  canons.raw({0x00, 0x00, 0x01, 0x03, 0x00, 0x03, 0x00, 0x04, 0x05, 0x02});  // lift
  canons.raw({0x01, 0x00, 0x00, 0x01, 0x02});                                // lower, latin1+utf16
  canons.raw({0x02, 0x05});                                                  // resource.new 5
  canons.raw({0x09, 0x00, 0x79, 0x00});                                      // task.return u32
  canons.raw({0x0a, 0x7f, 0x00});                                            // context.get i32 0
  canons.raw({0x20, 0x01, 0x00});                                // waitable-set.wait cancellable
  canons.raw({0x12, 0x03, 0x01});                                // stream.cancel-write async
  canons.raw({0x1e});                                            // error-context.drop
  canons.raw({0x27, 0x00, 0x01});                                // thread.new-indirect
  canons.raw({0x00, 0x00, 0x00, 0x02, 0x06, 0x07, 0x03, 0x01});  // lift async (callback 3)
  Result<Component> c = decode_as_component(component_with({{8, canons}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  ASSERT_EQ(c->definitions.size(), 10u);
  auto canon = [&](size_t i) -> const Canon& { return std::get<Canon>(c->definitions.at(i)); };
  EXPECT_EQ(canon(0).kind, CanonKind::kLift);
  EXPECT_EQ(canon(0).func_index, 1u);
  EXPECT_EQ(canon(0).type_index, 2u);
  ASSERT_EQ(canon(0).options.size(), 3u);
  EXPECT_EQ(canon(0).options[1].kind, CanonOptionKind::kMemory);
  EXPECT_EQ(canon(0).options[2].kind, CanonOptionKind::kRealloc);
  EXPECT_EQ(canon(0).options[2].index, 5u);
  EXPECT_EQ(canon(1).kind, CanonKind::kLower);
  EXPECT_EQ(canon(1).options.at(0).kind, CanonOptionKind::kLatin1Utf16);
  EXPECT_EQ(canon(2).kind, CanonKind::kResourceNew);
  EXPECT_EQ(canon(2).type_index, 5u);
  EXPECT_EQ(canon(3).result, ValType::of(PrimValType::kU32));
  EXPECT_EQ(canon(4).context_type.kind, CoreValTypeKind::kI32);
  EXPECT_TRUE(canon(5).cancellable);
  EXPECT_TRUE(canon(6).is_async);
  EXPECT_EQ(canon(7).kind, CanonKind::kErrorContextDrop);
  EXPECT_EQ(canon(8).table_index, 1u);
  EXPECT_EQ(canon(9).options.at(1).index, 3u);
  EXPECT_EQ(defined_sort(canon(0).kind), Sort::kFunc);
  EXPECT_EQ(defined_sort(canon(1).kind), Sort::kCoreFunc);
  EXPECT_EQ(to_string(canon(5).kind), "waitable-set.wait");
  EXPECT_TRUE(c->features.has(Feature::kAsync));
  EXPECT_TRUE(c->features.has(Feature::kErrorContext));
  EXPECT_TRUE(c->features.has(Feature::kThreading));

  EXPECT_EQ(error_of(decode_as_component(component_with({{8, Bytes{0x01, 0x07}}}))),
            "offset 0xb: expected a canonical definition (0x00 lift, 0x01 lower, or a built-in "
            "0x02-0x06, 0x09-0x2d, 0x40-0x42), found 0x07");
  EXPECT_EQ(error_of(decode_as_component(
                component_with({{8, Bytes{0x01, 0x01, 0x00, 0x00, 0x01, 0x0a}}}))),
            "offset 0xf: expected a canon option (0x00-0x09), found 0x0a");
  EXPECT_EQ(error_of(decode_as_component(component_with({{8, Bytes{0x01, 0x0c, 0x02}}}))),
            "offset 0xc: expected the cancellable flag (0x00 or 0x01), found 0x02");
}

TEST(Decoder, CanonOpcodesRoundTripTheirNames) {
  for (int k = 0; k <= static_cast<int>(CanonKind::kThreadAvailableParallelism); ++k) {
    const auto kind = static_cast<CanonKind>(k);
    EXPECT_FALSE(to_string(kind).empty());
    if (kind == CanonKind::kLift || kind == CanonKind::kLower) continue;
    // A built-in with its opcode decodes back to the same kind (operands zero, but context.*
    // takes a core value type first).
    Bytes canon{0x01};
    canon.u8(opcode_of(kind));
    if (kind == CanonKind::kContextGet || kind == CanonKind::kContextSet) canon.u8(0x7f);
    canon.raw({0x00, 0x00, 0x00, 0x00});
    Result<Component> c = decode_as_component(component_with({{8, canon}}));
    if (!c.ok()) {
      // Not all four zero bytes are consumed by every built-in: trailing data is the error.
      EXPECT_THAT(c.error().message(), HasSubstr("unexpected content after")) << to_string(kind);
      continue;
    }
    EXPECT_EQ(only<Canon>(*c).kind, kind) << to_string(kind);
  }
}

TEST(Decoder, ImportAndExportSections) {
  Bytes imports{0x04};
  imports.u8(0x00).name("a").raw({0x01, 0x00});  // func (type 0)
  imports.u8(0x01).name("b").raw({0x05, 0x01});  // legacy 0x01 form, instance 1
  imports.u8(0x02).name("c").u8(0x02);           // two attributes
  imports.u8(0x00).name("wasi:x/y").u8(0x02).name("sha-id").raw({0x05, 0x01});
  imports.u8(0x00).name("m").raw({0x00, 0x11, 0x03});  // core module (type 3)
  Bytes exports{0x02};
  exports.u8(0x00).name("e1").raw({0x01, 0x00, 0x00});              // func 0, no type
  exports.u8(0x00).name("e2").raw({0x04, 0x01, 0x01, 0x04, 0x02});  // component 1 : (component 2)
  Result<Component> c = decode_as_component(component_with({{10, imports}, {11, exports}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  std::vector<const Import*> is = c->imports();
  ASSERT_EQ(is.size(), 4u);
  EXPECT_EQ(is[0]->name.name, "a");
  EXPECT_EQ(is[0]->type.kind, ExternKind::kFunc);
  EXPECT_EQ(is[1]->name.form, NameForm::kLegacy);
  EXPECT_EQ(is[1]->type.kind, ExternKind::kInstance);
  EXPECT_EQ(is[2]->name.form, NameForm::kWithAttributes);
  ASSERT_EQ(is[2]->name.attributes.size(), 2u);
  EXPECT_EQ(is[2]->name.attributes[0].kind, NameAttributeKind::kImplements);
  EXPECT_EQ(is[2]->name.attributes[0].value, "wasi:x/y");
  EXPECT_EQ(is[2]->name.find(NameAttributeKind::kExternalId)->value, "sha-id");
  EXPECT_EQ(is[2]->name.find(NameAttributeKind::kVersionSuffix), nullptr);
  EXPECT_EQ(is[3]->type.kind, ExternKind::kCoreModule);
  EXPECT_EQ(is[3]->type.type_index, 3u);
  EXPECT_TRUE(c->features.has(Feature::kImplements));

  std::vector<const Export*> es = c->exports();
  ASSERT_EQ(es.size(), 2u);
  EXPECT_FALSE(es[0]->ascribed_type.has_value());
  EXPECT_EQ(es[1]->target.sort, Sort::kComponent);
  EXPECT_EQ(es[1]->ascribed_type->kind, ExternKind::kComponent);
  EXPECT_EQ(es[1]->ascribed_type->type_index, 2u);

  // Section bookkeeping: which definitions each section produced.
  ASSERT_EQ(c->sections.size(), 2u);
  EXPECT_EQ(c->sections[1].first_definition, 4u);
  EXPECT_EQ(c->sections[1].definition_count, 2u);
  EXPECT_EQ(offset_of(c->definitions[4]), es[0]->offset);

  Bytes bad_name = Bytes{0x01, 0x03}.name("a");
  EXPECT_EQ(error_of(decode_as_component(component_with({{10, bad_name}}))),
            "offset 0xb: expected an import/export name form (0x00, 0x01, or 0x02 with "
            "attributes), found 0x03");
  Bytes bad_type = Bytes{0x01, 0x00}.name("x").raw({0x06, 0x00});
  EXPECT_EQ(error_of(decode_as_component(component_with({{10, bad_type}}))),
            "offset 0xe: expected an extern type (0x00-0x05), found 0x06");
  Bytes bad_bound = Bytes{0x01, 0x00}.name("t").raw({0x03, 0x02});
  EXPECT_EQ(error_of(decode_as_component(component_with({{10, bad_bound}}))),
            "offset 0xf: expected a type bound (0x00 eq, 0x01 sub resource), found 0x02");
  Bytes bad_optional = Bytes{0x01, 0x00}.name("e").raw({0x01, 0x00, 0x02});
  EXPECT_EQ(error_of(decode_as_component(component_with({{11, bad_optional}}))),
            "offset 0x10: expected 0x00 or 0x01 for the optional type of an export, found 0x02");
}

TEST(Decoder, StartAndValueSections) {
  Bytes values{0x02};
  values.raw({0x73, 0x04, 0x03, 'a', 'b', 'c'});  // string "abc"
  values.raw({0x7f, 0x01, 0x01});                 // bool true
  Bytes start{0x00, 0x02, 0x00, 0x01, 0x01};      // func 0 (value 0) (value 1), 1 result
  Result<Component> c = decode_as_component(component_with({{12, values}, {9, start}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  const auto& v = std::get<Value>(c->definitions.at(0));
  EXPECT_EQ(v.type, ValType::of(PrimValType::kString));
  EXPECT_EQ(v.bytes, (ByteRange{13, 4}));
  const auto& s = std::get<Start>(c->definitions.at(2));
  EXPECT_EQ(s.args, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(s.result_count, 1u);
  EXPECT_TRUE(c->features.has(Feature::kValues));

  EXPECT_EQ(error_of(decode_as_component(component_with({{9, Bytes{0x00, 0x00, 0x01, 0x00}}}))),
            "offset 0xd: unexpected content after the start section's items (1 bytes left of "
            "the section)");
  EXPECT_EQ(error_of(decode_as_component(
                component_with({{9, Bytes{0x00, 0x00, 0xff, 0xff, 0xff, 0x00}}}))),
            "offset 0xc: start function result count 2097151 exceeds the limit of 1000");
  EXPECT_THAT(error_of(decode_as_component(component_with({{12, Bytes{0x01, 0x73, 0x09, 0x00}}}))),
              HasSubstr("value of 9 bytes runs past the end"));
}

TEST(Decoder, ValueExternTypesInBothEncodings) {
  // Binary.md: 0x02 then a valuebound (0x00 eq <valueidx> | 0x01 <valtype>).
  Bytes spec = Bytes{0x02, 0x00}.name("a").raw({0x02, 0x01, 0x73});
  spec.u8(0x00).name("b").raw({0x02, 0x00, 0x00});
  Result<Component> c = decode_as_component(component_with({{10, spec}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  EXPECT_EQ(c->dialect, EncodingDialect::kBinaryMd);
  EXPECT_EQ(c->imports()[0]->type.value_bound.kind, ValueBound::Kind::kType);
  EXPECT_EQ(c->imports()[1]->type.value_bound.kind, ValueBound::Kind::kEq);

  // wasm-tools: 0x02 then a bare valtype; `0x02 0x00` at the end only parses as type index 0.
  Bytes tools = Bytes{0x01, 0x00}.name("a").raw({0x02, 0x00});
  Result<Component> t = decode_as_component(component_with({{10, tools}}));
  ASSERT_TRUE(t.ok()) << error_of(t);
  EXPECT_EQ(t->dialect, EncodingDialect::kWasmTools);
  EXPECT_EQ(t->imports()[0]->type.value_bound.type, ValType::at(0));

  // A primitive after 0x02 can only be wasm-tools' form and needs no second pass.
  Bytes prim = Bytes{0x01, 0x00}.name("a").raw({0x02, 0x73});
  Result<Component> p = decode_as_component(component_with({{10, prim}}));
  ASSERT_TRUE(p.ok()) << error_of(p);
  EXPECT_EQ(p->dialect, EncodingDialect::kBinaryMd);
  EXPECT_EQ(p->imports()[0]->type.value_bound.type, ValType::of(PrimValType::kString));
}

TEST(Decoder, ThreadSpawnInBothEncodings) {
  Result<Component> spec =
      decode_as_component(component_with({{8, Bytes{0x01, 0x40, 0x01, 0x02}}}));
  ASSERT_TRUE(spec.ok()) << error_of(spec);
  EXPECT_TRUE(only<Canon>(*spec).shared);
  EXPECT_EQ(only<Canon>(*spec).type_index, 2u);

  Result<Component> tools = decode_as_component(component_with({{8, Bytes{0x01, 0x42}}}));
  ASSERT_TRUE(tools.ok()) << error_of(tools);
  EXPECT_EQ(tools->dialect, EncodingDialect::kWasmTools);
  EXPECT_EQ(only<Canon>(*tools).kind, CanonKind::kThreadAvailableParallelism);

  // Neither reading works: Binary.md's error is reported.
  EXPECT_EQ(error_of(decode_as_component(component_with({{8, Bytes{0x01, 0x41, 0x05}}}))),
            "offset 0xc: expected the shared flag (0x00 or 0x01), found 0x05");
}

TEST(Decoder, DisabledFeaturesAreRejected) {
  DecodeOptions no_implements;
  no_implements.features.remove(Feature::kImplements).remove(Feature::kCanonicalInterfaceNames);
  Bytes attributed = Bytes{0x01, 0x02}.name("a").raw({0x00, 0x05, 0x00});
  EXPECT_TRUE(decode_as_component(component_with({{10, attributed}})).ok());
  EXPECT_EQ(error_of(decode_as_component(component_with({{10, attributed}}), no_implements)),
            "offset 0xb: a name with attributes (0x02) requires the `implements` or "
            "`canonical-interface-names` feature, which are disabled");

  DecodeOptions no_async;
  no_async.features.remove(Feature::kAsync);
  EXPECT_EQ(error_of(decode_as_component(component_with({{8, Bytes{0x01, 0x1f}}}), no_async)),
            "offset 0xb: canon waitable-set.new requires the `async` feature, which is disabled");
  EXPECT_THAT(
      error_of(decode_as_component(component_with({{7, Bytes{0x01, 0x65, 0x00}}}), no_async)),
      HasSubstr("a future type requires the `async` feature"));
  DecodeOptions no_values;
  no_values.features.remove(Feature::kValues);
  EXPECT_THAT(
      error_of(decode_as_component(component_with({{9, Bytes{0x00, 0x00, 0x00}}}), no_values)),
      HasSubstr("a start definition requires the `values` feature"));
}

TEST(Decoder, FeaturesOfNestedComponentsReachTheOuterOne) {
  Bytes inner = component_preamble();
  inner.section(7, Bytes{0x01, 0x64});  // error-context
  Result<Component> c = decode_as_component(component_with({{4, inner}, {7, Bytes{0x01, 0x73}}}));
  ASSERT_TRUE(c.ok()) << error_of(c);
  EXPECT_TRUE(c->features.has(Feature::kErrorContext));
  const Component& nested = *std::get<Box<Component>>(c->definitions.at(0));
  EXPECT_TRUE(nested.features.has(Feature::kErrorContext));
  Result<Component> plain = decode_as_component(component_with({{7, Bytes{0x01, 0x73}}}));
  EXPECT_TRUE(plain->features.empty());
}

TEST(Decoder, SectionFramingErrors) {
  EXPECT_EQ(error_of(decode_as_component(component_preamble().raw({0x0d, 0x00}))),
            "offset 0x8: expected a component section id (0-12), found 0x0d");
  EXPECT_EQ(error_of(decode_as_component(component_preamble().raw({0x07, 0x03, 0x00}))),
            "offset 0xa: type section of 3 bytes runs past the end (1 bytes left)");
  EXPECT_EQ(error_of(decode_as_component(
                component_preamble().raw({0x07, 0x81, 0x80, 0x80, 0x80, 0x70, 0x00}))),
            "offset 0x9: integer too large for a LEB128 u32");
  EXPECT_EQ(error_of(decode_as_component(component_with({{7, Bytes{0x01, 0x73, 0x73}}}))),
            "offset 0xc: unexpected content after the type section's items (1 bytes left of the "
            "section)");
  EXPECT_EQ(error_of(decode_as_component(component_with({{7, Bytes{0x02, 0x73}}}))),
            "offset 0xa: type count 2 is larger than the 1 bytes left");
  // A 5-byte, zero-padded section size is fine.
  EXPECT_TRUE(
      decode_as_component(component_preamble().raw({0x07, 0x81, 0x80, 0x80, 0x80, 0x00, 0x00}))
          .ok());
  // Sections may repeat and come in any order.
  EXPECT_TRUE(decode_as_component(component_with({{7, Bytes{0x01, 0x73}},
                                                  {6, Bytes{0x01, 0x03, 0x02, 0x00, 0x00}},
                                                  {7, Bytes{0x01, 0x70, 0x01}}}))
                  .ok());
}

TEST(Decoder, EveryTruncationOfAValidBinaryIsRejectedCleanly) {
  Bytes full = component_with({{7, empty_func_type_section()},
                               {10, Bytes{0x01, 0x00}.name("f").raw({0x01, 0x00})},
                               {8, Bytes{0x01, 0x01, 0x00, 0x00, 0x00}},
                               {11, Bytes{0x01, 0x00}.name("f").raw({0x01, 0x00, 0x00})}});
  ASSERT_TRUE(decode_as_component(full).ok());
  const std::vector<uint8_t>& bytes = full.data();
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<ptrdiff_t>(n));
    Result<Component> r = decode_component(prefix);
    // Cut at a section boundary the prefix is a smaller valid component.
    if (r.ok()) continue;
    EXPECT_EQ(r.error().code(), ErrorCode::kMalformed) << n;
    EXPECT_THAT(r.error().message(), HasSubstr("offset 0x")) << n;
  }
}

}  // namespace
}  // namespace berth::component::binary
