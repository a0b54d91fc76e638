// The decoder's internals, shared by the files that decode one part of the format each.
#pragma once

#include <span>
#include <string_view>

#include "berth/result.h"
#include "component/binary/decoder.h"
#include "component/ir/component.h"
#include "support/byte_reader.h"

namespace berth::component::binary {

inline constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
inline constexpr uint8_t kComponentVersion[4] = {0x0d, 0x00, 0x01, 0x00};
inline constexpr uint8_t kCoreModuleVersion[4] = {0x01, 0x00, 0x00, 0x00};
inline constexpr size_t kPreambleSize = 8;

// Implementation limit, as in wasmparser: a start function cannot produce more results.
inline constexpr uint32_t kMaxStartResults = 1000;

// Reads the preamble at the reader's position and says which kind of binary follows.
Result<BinaryKind> read_preamble(ByteReader& reader);

// Checks a core module's section headers (ids, order, sizes) without decoding its contents.
// `reader` covers exactly the module's bytes.
Result<CoreModule> scan_core_module(ByteReader& reader);

class Decoder {
 public:
  Decoder(const DecodeOptions& options, EncodingDialect dialect)
      : options_(options), dialect_(dialect) {}

  // Whether the decoder met a production whose encoding depends on the dialect.
  bool met_dialect_difference() const { return met_dialect_difference_; }

  // A component whose bytes are exactly what `reader` covers, preamble included.
  Result<Component> decode_component(ByteReader& reader);

  // Productions, one method each (public: the helpers of the section loop call them).
  Result<CoreTypeDef> core_type(ByteReader& r);
  Result<CoreTypeDef> core_type_in_module_type(ByteReader& r);
  Result<CoreRecGroup> core_rec_group(ByteReader& r);
  // Reads 0x50 as a non-final sub type: callers handle the top of a core:type, where it means a
  // module type.
  Result<CoreSubType> core_sub_type(ByteReader& r);
  Result<CoreCompositeType> core_composite_type(ByteReader& r);
  Result<CoreValType> core_val_type(ByteReader& r);
  Result<CoreHeapType> core_heap_type(ByteReader& r);
  Result<CoreFieldType> core_field_type(ByteReader& r);
  Result<CoreModuleType> core_module_type(ByteReader& r);
  Result<CoreExternType> core_extern_type(ByteReader& r);
  Result<CoreLimits> core_limits(ByteReader& r, uint8_t flags, bool is_table);

  Result<TypeDef> type_def(ByteReader& r);
  Result<DefValType> def_val_type(ByteReader& r, uint8_t opcode, size_t offset);
  Result<ValType> val_type(ByteReader& r);
  Result<FuncType> func_type(ByteReader& r, bool is_async);
  Result<std::optional<ValType>> result_list(ByteReader& r);
  Result<ComponentType> component_type(ByteReader& r);
  Result<InstanceType> instance_type(ByteReader& r);
  Result<TypeDecl> type_decl(ByteReader& r, bool in_component_type);
  Result<ExternType> extern_type(ByteReader& r);
  Result<ExternName> extern_name(ByteReader& r);

  Result<Sort> sort(ByteReader& r);
  Result<Sort> core_sort(ByteReader& r, std::string_view what);
  Result<Alias> alias(ByteReader& r);
  Result<Canon> canon(ByteReader& r);
  Result<std::vector<CanonOption>> canon_options(ByteReader& r);
  Result<CoreInstance> core_instance(ByteReader& r);
  Result<Instance> instance(ByteReader& r);
  Result<Import> import(ByteReader& r);
  Result<Export> export_(ByteReader& r);
  Result<Start> start(ByteReader& r);
  Result<Value> value(ByteReader& r);

 private:
  // Records that `feature` is used at `offset`, or fails when the options disable it.
  Result<void> use(Feature feature, ByteReader& r, size_t offset, std::string_view what);
  // Guards recursion into nested components and types: enter() checks and counts one level,
  // a Nesting declared right after it gives the level back when the scope ends.
  Result<void> enter(ByteReader& r, std::string_view what);
  struct Nesting {
    explicit Nesting(uint32_t& depth) : depth(depth) {}
    ~Nesting() { --depth; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;
    uint32_t& depth;
  };

  Result<void> decode_section(ByteReader& r, Component& component, SectionId id, size_t offset,
                              ByteReader contents);

  // Notes that the production at hand depends on the dialect; true when reading wasm-tools'.
  bool wasm_tools_encoding() {
    met_dialect_difference_ = true;
    return dialect_ == EncodingDialect::kWasmTools;
  }

  const DecodeOptions& options_;
  const EncodingDialect dialect_;
  bool met_dialect_difference_ = false;
  uint32_t depth_ = 0;
  FeatureSet features_;  // of the component being decoded
};

}  // namespace berth::component::binary
