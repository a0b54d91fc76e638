// The in-memory form of a decoded component binary. It mirrors the binary format: one
// alternative per production, definitions in the order they appear (index spaces are built from
// that order), nested components decoded recursively, core modules kept as byte ranges of the
// input (the engine compiles them), custom sections kept for tools. Every item records the
// absolute byte offset it was decoded from, for later error messages.
//
// The IR holds offsets, not pointers into the input: keep the input bytes to read a core module
// or a custom section's payload (see bytes_of).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "component/ir/canon.h"
#include "component/ir/common.h"
#include "component/ir/core_types.h"
#include "component/ir/types.h"

namespace berth::component::binary {

enum class SectionId : uint8_t {
  kCustom = 0,
  kCoreModule = 1,
  kCoreInstance = 2,
  kCoreType = 3,
  kComponent = 4,
  kInstance = 5,
  kAlias = 6,
  kType = 7,
  kCanon = 8,
  kStart = 9,  // 🪙
  kImport = 10,
  kExport = 11,
  kValue = 12,  // 🪙
};
std::string_view to_string(SectionId id);

// A section of a core module, as found by scanning the module's section headers.
struct CoreSectionHeader {
  uint8_t id = 0;
  size_t offset = 0;        // of the id byte
  ByteRange contents;       // after the size field
  std::string custom_name;  // custom sections only
};

// A core module, not decoded further: the engine compiles `bytes`. The section headers are
// checked (known ids, non-custom sections in order, sizes in bounds).
struct CoreModule {
  size_t offset = 0;
  ByteRange bytes;  // the whole module, preamble included
  std::vector<CoreSectionHeader> sections;
};

struct CoreInstantiateArg {
  size_t offset = 0;
  std::string name;
  uint32_t instance = 0;  // core instance index (the only sort allowed, 0x12)
};

struct CoreInlineExport {
  size_t offset = 0;
  std::string name;
  Sort sort = Sort::kCoreFunc;  // always a core sort
  uint32_t index = 0;
};

struct CoreInstance {
  enum class Kind : uint8_t { kInstantiate = 0x00, kInlineExports = 0x01 };
  size_t offset = 0;
  Kind kind = Kind::kInstantiate;
  uint32_t module = 0;                    // kInstantiate
  std::vector<CoreInstantiateArg> args;   // kInstantiate
  std::vector<CoreInlineExport> exports;  // kInlineExports
};

struct InstantiateArg {
  size_t offset = 0;
  std::string name;
  SortIndex target;
};

struct InlineExport {
  size_t offset = 0;
  ExternName name;
  SortIndex target;
};

struct Instance {
  enum class Kind : uint8_t { kInstantiate = 0x00, kInlineExports = 0x01 };
  size_t offset = 0;
  Kind kind = Kind::kInstantiate;
  uint32_t component = 0;             // kInstantiate
  std::vector<InstantiateArg> args;   // kInstantiate
  std::vector<InlineExport> exports;  // kInlineExports
};

struct Start {  // 🪙
  size_t offset = 0;
  uint32_t func = 0;
  std::vector<uint32_t> args;  // value indices
  uint32_t result_count = 0;
};

struct Import {
  size_t offset = 0;
  ExternName name;
  ExternType type;
};

struct Export {
  size_t offset = 0;
  ExternName name;
  SortIndex target;
  std::optional<ExternType> ascribed_type;
};

// 🪙 A value definition. The encoding of `val(t)` depends on what `t` resolves to, which only
// validation knows, so the payload stays a byte range.
struct Value {
  size_t offset = 0;
  ValType type;
  ByteRange bytes;
};

struct Component;

// One definition, in binary order. Each alternative appends to the index space(s) the binary
// format says (a Canon to func or core func, an Export to its sort, ...).
using Definition = std::variant<CoreModule, CoreInstance, CoreTypeDef, Box<Component>, Instance,
                                Alias, TypeDef, Canon, Start, Import, Export, Value>;

size_t offset_of(const Definition& definition);

struct Section {
  SectionId id = SectionId::kCustom;
  size_t offset = 0;  // of the id byte
  ByteRange contents;
  // The definitions this section produced: definitions[first_definition, + definition_count).
  size_t first_definition = 0;
  size_t definition_count = 0;
  std::string custom_name;  // custom sections only
};

// The `component-name` custom section. Malformed name sections are ignored, as Binary.md asks.
struct NameAssoc {
  uint32_t index = 0;
  std::string name;
};

struct SortNames {
  Sort sort = Sort::kFunc;
  std::vector<NameAssoc> names;
};

struct ComponentNames {
  std::optional<std::string> component_name;
  std::vector<SortNames> sorts;
};

// For a few productions, Binary.md and wasm-tools (the only producer of them so far) use
// different encodings: value extern types (Binary.md: a valuebound, 0x00 eq | 0x01 type;
// wasm-tools: a bare valtype) and the thread.spawn-* / thread.available-parallelism built-ins
// (Binary.md has a `shared` flag byte, wasm-tools none). The decoder reads Binary.md's and, when
// that fails on one of these, decodes the whole binary again reading wasm-tools' encodings.
enum class EncodingDialect : uint8_t { kBinaryMd, kWasmTools };

struct Component {
  size_t offset = 0;
  ByteRange bytes;                // preamble included
  std::vector<Section> sections;  // every section, custom ones included, in order
  std::vector<Definition> definitions;
  std::optional<ComponentNames> names;
  FeatureSet features;  // gated features used here or in nested components
  EncodingDialect dialect = EncodingDialect::kBinaryMd;

  std::vector<const Import*> imports() const;
  std::vector<const Export*> exports() const;
  std::vector<const Section*> custom_sections() const;
};

enum class BinaryKind : uint8_t { kComponent, kCoreModule };

struct DecodedBinary {
  BinaryKind kind = BinaryKind::kComponent;
  Component component;     // kind == kComponent
  CoreModule core_module;  // kind == kCoreModule
};

// The input bytes a range refers to. `input` must be the buffer that was decoded.
std::span<const uint8_t> bytes_of(std::span<const uint8_t> input, ByteRange range);

}  // namespace berth::component::binary
