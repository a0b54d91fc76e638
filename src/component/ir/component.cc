#include "component/ir/component.h"

#include <type_traits>

namespace berth::component::binary {

std::string_view to_string(Feature feature) {
  switch (feature) {
    case Feature::kValues:
      return "values";
    case Feature::kAsync:
      return "async";
    case Feature::kErrorContext:
      return "error-context";
    case Feature::kThreading:
      return "threading";
    case Feature::kSharedEverythingThreads:
      return "shared-everything-threads";
    case Feature::kFixedLengthLists:
      return "fixed-length-lists";
    case Feature::kMap:
      return "map";
    case Feature::kImplements:
      return "implements";
    case Feature::kCanonicalInterfaceNames:
      return "canonical-interface-names";
    case Feature::kGcCanonOptions:
      return "gc-canon-options";
  }
  return "unknown feature";
}

std::string_view to_string(Sort sort) {
  switch (sort) {
    case Sort::kCoreFunc:
      return "core func";
    case Sort::kCoreTable:
      return "core table";
    case Sort::kCoreMemory:
      return "core memory";
    case Sort::kCoreGlobal:
      return "core global";
    case Sort::kCoreTag:
      return "core tag";
    case Sort::kCoreType:
      return "core type";
    case Sort::kCoreModule:
      return "core module";
    case Sort::kCoreInstance:
      return "core instance";
    case Sort::kFunc:
      return "func";
    case Sort::kValue:
      return "value";
    case Sort::kType:
      return "type";
    case Sort::kComponent:
      return "component";
    case Sort::kInstance:
      return "instance";
  }
  return "unknown sort";
}

std::string_view to_string(PrimValType type) {
  switch (type) {
    case PrimValType::kBool:
      return "bool";
    case PrimValType::kS8:
      return "s8";
    case PrimValType::kU8:
      return "u8";
    case PrimValType::kS16:
      return "s16";
    case PrimValType::kU16:
      return "u16";
    case PrimValType::kS32:
      return "s32";
    case PrimValType::kU32:
      return "u32";
    case PrimValType::kS64:
      return "s64";
    case PrimValType::kU64:
      return "u64";
    case PrimValType::kF32:
      return "f32";
    case PrimValType::kF64:
      return "f64";
    case PrimValType::kChar:
      return "char";
    case PrimValType::kString:
      return "string";
    case PrimValType::kErrorContext:
      return "error-context";
  }
  return "unknown type";
}

std::string_view to_string(SectionId id) {
  switch (id) {
    case SectionId::kCustom:
      return "custom";
    case SectionId::kCoreModule:
      return "core module";
    case SectionId::kCoreInstance:
      return "core instance";
    case SectionId::kCoreType:
      return "core type";
    case SectionId::kComponent:
      return "component";
    case SectionId::kInstance:
      return "instance";
    case SectionId::kAlias:
      return "alias";
    case SectionId::kType:
      return "type";
    case SectionId::kCanon:
      return "canon";
    case SectionId::kStart:
      return "start";
    case SectionId::kImport:
      return "import";
    case SectionId::kExport:
      return "export";
    case SectionId::kValue:
      return "value";
  }
  return "unknown";
}

namespace {

struct CanonInfo {
  std::string_view name;
  uint8_t opcode;
  std::optional<Feature> feature;
};

// Indexed by CanonKind.
constexpr CanonInfo kCanonInfo[] = {
    {"lift", 0x00, std::nullopt},
    {"lower", 0x01, std::nullopt},
    {"resource.new", 0x02, std::nullopt},
    {"resource.drop", 0x03, std::nullopt},
    {"resource.rep", 0x04, std::nullopt},
    {"backpressure.inc", 0x24, Feature::kAsync},
    {"backpressure.dec", 0x25, Feature::kAsync},
    {"task.return", 0x09, Feature::kAsync},
    {"task.cancel", 0x05, Feature::kAsync},
    {"context.get", 0x0a, Feature::kAsync},
    {"context.set", 0x0b, Feature::kAsync},
    {"subtask.cancel", 0x06, Feature::kAsync},
    {"subtask.drop", 0x0d, Feature::kAsync},
    {"stream.new", 0x0e, Feature::kAsync},
    {"stream.read", 0x0f, Feature::kAsync},
    {"stream.write", 0x10, Feature::kAsync},
    {"stream.cancel-read", 0x11, Feature::kAsync},
    {"stream.cancel-write", 0x12, Feature::kAsync},
    {"stream.drop-readable", 0x13, Feature::kAsync},
    {"stream.drop-writable", 0x14, Feature::kAsync},
    {"future.new", 0x15, Feature::kAsync},
    {"future.read", 0x16, Feature::kAsync},
    {"future.write", 0x17, Feature::kAsync},
    {"future.cancel-read", 0x18, Feature::kAsync},
    {"future.cancel-write", 0x19, Feature::kAsync},
    {"future.drop-readable", 0x1a, Feature::kAsync},
    {"future.drop-writable", 0x1b, Feature::kAsync},
    {"error-context.new", 0x1c, Feature::kErrorContext},
    {"error-context.debug-message", 0x1d, Feature::kErrorContext},
    {"error-context.drop", 0x1e, Feature::kErrorContext},
    {"waitable-set.new", 0x1f, Feature::kAsync},
    {"waitable-set.wait", 0x20, Feature::kAsync},
    {"waitable-set.poll", 0x21, Feature::kAsync},
    {"waitable-set.drop", 0x22, Feature::kAsync},
    {"waitable.join", 0x23, Feature::kAsync},
    {"thread.index", 0x26, Feature::kThreading},
    {"thread.new-indirect", 0x27, Feature::kThreading},
    {"thread.resume-later", 0x28, Feature::kThreading},
    {"thread.suspend", 0x29, Feature::kThreading},
    {"thread.yield", 0x0c, Feature::kAsync},
    {"thread.suspend-then-resume", 0x2a, Feature::kThreading},
    {"thread.yield-then-resume", 0x2b, Feature::kThreading},
    {"thread.suspend-then-promote", 0x2c, Feature::kThreading},
    {"thread.yield-then-promote", 0x2d, Feature::kThreading},
    {"thread.spawn-ref", 0x40, Feature::kSharedEverythingThreads},
    {"thread.spawn-indirect", 0x41, Feature::kSharedEverythingThreads},
    {"thread.available-parallelism", 0x42, Feature::kSharedEverythingThreads},
};
static_assert(std::size(kCanonInfo) ==
              static_cast<size_t>(CanonKind::kThreadAvailableParallelism) + 1);

}  // namespace

std::string_view to_string(CanonKind kind) {
  return kCanonInfo[static_cast<size_t>(kind)].name;
}
uint8_t opcode_of(CanonKind kind) {
  return kCanonInfo[static_cast<size_t>(kind)].opcode;
}
std::optional<Feature> feature_of(CanonKind kind) {
  return kCanonInfo[static_cast<size_t>(kind)].feature;
}

const NameAttribute* ExternName::find(NameAttributeKind kind) const {
  for (const NameAttribute& attribute : attributes) {
    if (attribute.kind == kind) return &attribute;
  }
  return nullptr;
}

size_t offset_of(const Definition& definition) {
  return std::visit(
      [](const auto& item) -> size_t {
        if constexpr (std::is_same_v<std::decay_t<decltype(item)>, Box<Component>>) {
          return item->offset;
        } else {
          return item.offset;
        }
      },
      definition);
}

template <typename T>
static std::vector<const T*> collect(const std::vector<Definition>& definitions) {
  std::vector<const T*> out;
  for (const Definition& definition : definitions) {
    if (const T* item = std::get_if<T>(&definition)) out.push_back(item);
  }
  return out;
}

std::vector<const Import*> Component::imports() const {
  return collect<Import>(definitions);
}
std::vector<const Export*> Component::exports() const {
  return collect<Export>(definitions);
}

std::vector<const Section*> Component::custom_sections() const {
  std::vector<const Section*> out;
  for (const Section& section : sections) {
    if (section.id == SectionId::kCustom) out.push_back(&section);
  }
  return out;
}

std::span<const uint8_t> bytes_of(std::span<const uint8_t> input, ByteRange range) {
  if (range.offset > input.size() || range.size > input.size() - range.offset) return {};
  return input.subspan(range.offset, range.size);
}

}  // namespace berth::component::binary
