// Fuzzes the component binary decoder and the validator: any input must decode or fail with an
// error, never crash, everything decoded must point inside the input, and whatever decodes must
// validate or be rejected with an error, under the default, the strictest and the fewest-feature
// validation options.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <variant>

#include "component/binary/decoder.h"
#include "component/ir/names.h"
#include "component/validate/validator.h"

namespace {

using namespace berth::component::binary;
using berth::ByteRange;

void require(bool condition) {
  if (!condition) std::abort();
}

void check_range(ByteRange range, size_t size) {
  require(range.offset <= size && range.size <= size - range.offset);
}

void check_name(const ExternName& name, size_t size) {
  require(name.offset < size);
  // The name grammar must cope with whatever text the binary holds.
  (void)parse_extern_name(name.name, NamePosition::kImport);
  (void)parse_extern_name(name.name, NamePosition::kExport, NameGrammar{true});
  (void)strong_uniqueness_key(name.name);
  for (const NameAttribute& attribute : name.attributes) {
    if (attribute.kind == NameAttributeKind::kImplements) {
      (void)parse_interface_name(attribute.value);
    }
  }
}

void check_component(const Component& component, std::span<const uint8_t> input) {
  const size_t size = input.size();
  check_range(component.bytes, size);
  for (const Section& section : component.sections) {
    check_range(section.contents, size);
    require(section.first_definition + section.definition_count <= component.definitions.size());
    if (section.id == SectionId::kCustom && section.custom_name == "component-name") {
      (void)decode_component_names(input, section.contents);
    }
  }
  for (const Definition& definition : component.definitions) {
    require(offset_of(definition) < size);
    if (const auto* nested = std::get_if<Box<Component>>(&definition)) {
      check_component(**nested, input);
    } else if (const auto* module = std::get_if<CoreModule>(&definition)) {
      check_range(module->bytes, size);
      for (const CoreSectionHeader& header : module->sections) check_range(header.contents, size);
    } else if (const auto* value = std::get_if<Value>(&definition)) {
      check_range(value->bytes, size);
    } else if (const auto* import = std::get_if<Import>(&definition)) {
      check_name(import->name, size);
    } else if (const auto* e = std::get_if<Export>(&definition)) {
      check_name(e->name, size);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> input(data, size);
  berth::Result<DecodedBinary> decoded = decode(input);
  if (decoded.ok() && decoded->kind == BinaryKind::kComponent) {
    check_component(decoded->component, input);
    (void)berth::component::validate_component(decoded->component, input);
    // The optional rules and the turned-off features have their own paths.
    berth::component::ValidateOptions strictest;
    strictest.nested_names = true;
    strictest.root_embedder_rules = true;
    (void)berth::component::validate_component(decoded->component, input, strictest);
    berth::component::ValidateOptions fewest;
    fewest.features = FeatureSet::none();
    fewest.simd = false;
    fewest.reference_types = false;
    (void)berth::component::validate_component(decoded->component, input, fewest);
  }
  // With every gated feature off the decoder takes its rejection paths.
  DecodeOptions strict;
  strict.features = FeatureSet::none();
  strict.max_nesting_depth = 8;
  berth::Result<DecodedBinary> gated = decode(input, strict);
  if (gated.ok()) require(decoded.ok());
  return 0;
}
