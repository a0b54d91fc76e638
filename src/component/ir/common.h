// Small building blocks shared by the component IR: byte ranges, boxed recursion and the set of
// gated (post-0.2) features an item uses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "support/byte_range.h"

namespace berth::component::binary {

// An owning pointer with value semantics, for the recursive parts of the IR (a component type
// holds type definitions, which can hold component types...). Copying copies the pointee.
// A moved-from Box is empty and must not be dereferenced.
template <typename T>
class Box {
 public:
  explicit Box(T value) : ptr_(std::make_unique<T>(std::move(value))) {}
  Box(const Box& other) : ptr_(std::make_unique<T>(*other.ptr_)) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& other) {
    if (this != &other) ptr_ = std::make_unique<T>(*other.ptr_);
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  ~Box() = default;

  T& operator*() { return *ptr_; }
  const T& operator*() const { return *ptr_; }
  T* operator->() { return ptr_.get(); }
  const T* operator->() const { return ptr_.get(); }

 private:
  std::unique_ptr<T> ptr_;
};

// Features that Binary.md marks with an emoji, i.e. additions after WASI 0.2. The decoder accepts
// all of them by default and records which ones a binary uses; validation and the runtime decide
// what they support.
enum class Feature : uint8_t {
  kValues,        // 🪙 value imports/exports, value section, start section
  kAsync,         // 🔀 async functions, stream/future, async canon options and builtins
  kErrorContext,  // 📝 error-context type and builtins
  kThreading,     // 🧵 thread.* builtins
  kSharedEverythingThreads,  // 🧵② thread.spawn-* builtins and `shared` immediates
  kFixedLengthLists,         // 🔧 (list t len)
  kMap,                      // 🗺️ (map k v)
  kImplements,               // 🏷️ `implements` and `external-id` name attributes
  kCanonicalInterfaceNames,  // 🔗 `versionsuffix` name attribute
  kGcCanonOptions,           // wasm-tools extension: `gc` and `core-type` canon options
};
inline constexpr size_t kFeatureCount = static_cast<size_t>(Feature::kGcCanonOptions) + 1;

std::string_view to_string(Feature feature);

class FeatureSet {
 public:
  constexpr FeatureSet() = default;
  static constexpr FeatureSet all() { return FeatureSet((uint32_t{1} << kFeatureCount) - 1); }
  static constexpr FeatureSet none() { return FeatureSet(0); }

  constexpr bool has(Feature f) const { return (bits_ & bit(f)) != 0; }
  constexpr FeatureSet& add(Feature f) {
    bits_ |= bit(f);
    return *this;
  }
  constexpr FeatureSet& remove(Feature f) {
    bits_ &= ~bit(f);
    return *this;
  }
  constexpr FeatureSet& add(FeatureSet other) {
    bits_ |= other.bits_;
    return *this;
  }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr uint32_t bits() const { return bits_; }
  constexpr bool operator==(const FeatureSet&) const = default;

 private:
  constexpr explicit FeatureSet(uint32_t bits) : bits_(bits) {}
  static constexpr uint32_t bit(Feature f) { return uint32_t{1} << static_cast<uint32_t>(f); }

  uint32_t bits_ = 0;
};

}  // namespace berth::component::binary
