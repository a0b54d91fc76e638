#include "berth/component/native.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "support/utf8.h"

namespace berth::component {

// ---------------------------------------------------------------------------------------------
// NativeArena

void* NativeArena::alloc(size_t size, size_t align) {
  if (align == 0 || align > 16 || (align & (align - 1)) != 0) return nullptr;
  if (size > limit_) {
    exhausted_ = true;
    return nullptr;
  }
  size_t start = (used_ + align - 1) & ~(align - 1);
  if (start <= current_size_ && size <= current_size_ - start) {
    used_ = start + size;
    // Heap blocks come zeroed from new[]; the inline block is cleared as it is handed out.
    if (current_ == inline_block_) std::memset(current_ + start, 0, size);
    return current_ + start;
  }
  size_t next = blocks_.empty() ? 1024 : std::min<size_t>(current_size_ * 2, 1 << 20);
  size_t block_size = std::max(size, next);
  if (total_ + block_size > limit_) {
    exhausted_ = true;
    return nullptr;
  }
  // new[] aligns to __STDCPP_DEFAULT_NEW_ALIGNMENT__ (16), enough for any native type.
  Block block{std::unique_ptr<uint8_t[]>(new (std::nothrow) uint8_t[block_size]()), block_size};
  if (!block.data) {
    exhausted_ = true;
    return nullptr;
  }
  total_ += block_size;
  current_ = block.data.get();
  current_size_ = block_size;
  blocks_.push_back(std::move(block));
  used_ = size;
  return current_;
}

void NativeArena::add_view(const void* ptr, size_t size) {
  if (size == 0) return;
  auto start = reinterpret_cast<uintptr_t>(ptr);
  if (inline_view_count_ < inline_views_.size()) {
    inline_views_[inline_view_count_++] = {start, start + size};
  } else {
    more_views_.emplace_back(start, start + size);
  }
}

NativeArena::Place NativeArena::locate(const void* ptr, size_t size) const {
  auto start = reinterpret_cast<uintptr_t>(ptr);
  uintptr_t end = start + size;
  // Where the range starts decides; a range that wraps around the address space overruns.
  auto place_in = [&](uintptr_t first, uintptr_t last) -> std::optional<Place> {
    if (start < first || start >= last) return std::nullopt;
    return end >= start && end <= last ? Place::kInside : Place::kOverruns;
  };
  auto block_place = [&](const void* base, size_t length) {
    auto first = reinterpret_cast<uintptr_t>(base);
    return place_in(first, first + length);
  };
  // Only the part of the inline block handed out so far, so that stale views never pass.
  if (auto p = block_place(inline_block_, blocks_.empty() ? used_ : sizeof inline_block_))
    return *p;
  for (const Block& block : blocks_) {
    if (auto p = block_place(block.data.get(), block.size)) return *p;
  }
  for (size_t i = 0; i < inline_view_count_; ++i) {
    if (auto p = place_in(inline_views_[i].first, inline_views_[i].second)) return *p;
  }
  for (const View& view : more_views_) {
    if (auto p = place_in(view.first, view.second)) return *p;
  }
  return end >= start ? Place::kOutside : Place::kOverruns;
}

// ---------------------------------------------------------------------------------------------
// Handles

Result<uintptr_t> PassThroughHandles::to_native(const NativeType&, const ResourceType&,
                                                uint32_t rep) {
  return uintptr_t{rep};
}

Result<uint32_t> PassThroughHandles::from_native(const NativeType&, uintptr_t rep) {
  if (rep > UINT32_MAX) {
    return Error(ErrorCode::kTrap, fmt::format("rep {:#x} of a resource of another provider "
                                               "does not fit in 32 bits",
                                               rep));
  }
  return static_cast<uint32_t>(rep);
}

namespace {

template <typename T>
void store(uint8_t* dst, T value) {
  std::memcpy(dst, &value, sizeof value);
}
template <typename T>
T load(const uint8_t* src) {
  T value;
  std::memcpy(&value, src, sizeof value);
  return value;
}

Error mismatch(const NativeType& type, const Val& value) {
  return Error(ErrorCode::kInternal,
               fmt::format("a {} value where a {} was expected", to_string(value.kind),
                           type.type ? to_string(*type.type) : "value"));
}

bool is_number(ValKind kind) {
  return packed_number_size(kind) != 0;
}

// ---------------------------------------------------------------------------------------------
// Val -> native

Result<void> write_value(const NativeType& type, const Val& value, uint8_t* dst, NativeArena& arena,
                         NativeHandles& handles) {
  if (value.kind != type.kind &&
      !(type.kind == ValKind::kRecord && value.kind == ValKind::kTuple)) {
    return mismatch(type, value);
  }
  switch (type.kind) {
    case ValKind::kBool:
      store<uint8_t>(dst, value.b ? 1 : 0);
      return {};
    case ValKind::kS8:
      store<int8_t>(dst, static_cast<int8_t>(value.i));
      return {};
    case ValKind::kU8:
      store<uint8_t>(dst, static_cast<uint8_t>(value.u));
      return {};
    case ValKind::kS16:
      store<int16_t>(dst, static_cast<int16_t>(value.i));
      return {};
    case ValKind::kU16:
      store<uint16_t>(dst, static_cast<uint16_t>(value.u));
      return {};
    case ValKind::kS32:
      store<int32_t>(dst, static_cast<int32_t>(value.i));
      return {};
    case ValKind::kU32:
    case ValKind::kChar:
      store<uint32_t>(dst, static_cast<uint32_t>(value.u));
      return {};
    case ValKind::kS64:
      store<int64_t>(dst, value.i);
      return {};
    case ValKind::kU64:
      store<uint64_t>(dst, value.u);
      return {};
    case ValKind::kF32:
      store<float>(dst, value.f32);
      return {};
    case ValKind::kF64:
      store<double>(dst, value.f64);
      return {};
    case ValKind::kEnum:
      store<uint32_t>(dst, value.discriminant);
      return {};
    case ValKind::kString: {
      NativeStr s{value.str.data(), value.str.size()};
      arena.add_view(s.ptr, s.len);
      store(dst, s);
      return {};
    }
    case ValKind::kFlags: {
      for (size_t i = 0; i < value.flag_bits.size() && i * 4 < type.size; ++i) {
        store<uint32_t>(dst + i * 4, value.flag_bits[i]);
      }
      return {};
    }
    case ValKind::kOwn:
    case ValKind::kBorrow: {
      if (!value.handle) return Error(ErrorCode::kInternal, "a handle value without a handle");
      BERTH_TRY_ASSIGN(uintptr_t rep,
                       handles.to_native(type, *value.handle->type, value.handle->rep));
      store<NativeRep>(dst, rep);
      return {};
    }
    case ValKind::kRecord:
    case ValKind::kTuple: {
      if (value.items.size() != type.members.size()) return mismatch(type, value);
      for (size_t i = 0; i < type.members.size(); ++i) {
        const NativeType::Member& m = type.members[i];
        BERTH_TRY(write_value(*m.type, value.items[i], dst + m.offset, arena, handles));
      }
      return {};
    }
    case ValKind::kVariant:
    case ValKind::kOption:
    case ValKind::kResult: {
      if (value.discriminant >= type.members.size()) return mismatch(type, value);
      if (type.tag_size == 4) {
        store<uint32_t>(dst, value.discriminant);
      } else {
        store<uint8_t>(dst, static_cast<uint8_t>(value.discriminant));
      }
      const NativeType::Member& m = type.members[value.discriminant];
      if (m.type) {
        if (!value.has_payload()) return mismatch(type, value);
        BERTH_TRY(write_value(*m.type, value.payload(), dst + m.offset, arena, handles));
      }
      return {};
    }
    case ValKind::kList: {
      const NativeType& element = *type.element;
      bool packed = is_number(element.kind) && (!value.packed.empty() || value.items.empty());
      size_t count = packed ? value.packed.size() / element.size : value.items.size();
      if (type.fixed_length && count != *type.fixed_length) return mismatch(type, value);
      uint8_t* base = dst;
      if (!type.fixed_length) {
        if (packed) {
          // Numbers in a packed list are already laid out as a C array (little-endian host).
          NativeList list{value.packed.data(), count};
          arena.add_view(list.ptr, value.packed.size());
          store(dst, list);
          return {};
        }
        base = static_cast<uint8_t*>(arena.alloc(count * element.size, element.align));
        if (base == nullptr && count * element.size != 0) {
          return Error(ErrorCode::kLimit, "a list argument does not fit in the call arena");
        }
        store(dst, NativeList{base, count});
      }
      if (packed) {
        std::memcpy(base, value.packed.data(), value.packed.size());
        return {};
      }
      for (size_t i = 0; i < count; ++i) {
        BERTH_TRY(write_value(element, value.items[i], base + i * element.size, arena, handles));
      }
      return {};
    }
    default:
      return mismatch(type, value);
  }
}

// ---------------------------------------------------------------------------------------------
// native -> Val

// Where in a result the reader is, for messages: "result.ok.some[3].name". Kept on the stack:
// it is maintained on every read, and only an error looks at it.
class Path {
 public:
  explicit Path(std::string_view root) : root_(root) {}
  void push_member(const std::string& name) { push({&name, 0}); }
  void push_index(size_t index) { push({nullptr, index}); }
  void pop() { --depth_; }

  Error error(std::string message) const {
    std::string where(root_);
    for (size_t i = 0; i < std::min(depth_, kMaxDepth); ++i) {
      const auto& [name, index] = segments_[i];
      where += name ? "." + *name : fmt::format("[{}]", index);
    }
    if (depth_ > kMaxDepth) where += "...";
    return Error(ErrorCode::kTrap, fmt::format("{}: {}", where, message));
  }

 private:
  static constexpr size_t kMaxDepth = 32;
  using Segment = std::pair<const std::string*, size_t>;
  void push(Segment segment) {
    if (depth_ < kMaxDepth) segments_[depth_] = segment;
    ++depth_;
  }

  std::string_view root_;
  std::array<Segment, kMaxDepth> segments_;
  size_t depth_ = 0;
};

// Checks a native value against every rule, without building anything.
class Checker {
 public:
  // `borrows`: the value may hold borrow handles (arguments, not results).
  Checker(const NativeArena& arena, std::string_view what, bool borrows = false)
      : arena_(arena), path_(what), borrows_(borrows) {}

  Result<void> check(const NativeType& type, const uint8_t* src) {
    if (!type.checked) return {};
    switch (type.kind) {
      case ValKind::kBool: {
        uint8_t b = load<uint8_t>(src);
        if (b > 1) return path_.error(fmt::format("a bool must be 0 or 1, found {}", b));
        return {};
      }
      case ValKind::kChar: {
        uint32_t c = load<uint32_t>(src);
        if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
          return path_.error(fmt::format("{:#x} is not a Unicode scalar value (a char)", c));
        }
        return {};
      }
      case ValKind::kEnum: {
        uint32_t d = load<uint32_t>(src);
        if (d >= type.count) {
          return path_.error(
              fmt::format("enum case {} is out of range (the enum has {} cases)", d, type.count));
        }
        return {};
      }
      case ValKind::kFlags:
        for (uint32_t i = 0; i * 4 < type.size; ++i) {
          uint32_t word = load<uint32_t>(src + i * 4);
          uint32_t valid_bits = std::min<uint32_t>(32, type.count - i * 32);
          uint32_t mask = valid_bits == 32 ? UINT32_MAX : (1u << valid_bits) - 1;
          if ((word & ~mask) != 0) {
            return path_.error(
                fmt::format("flags word {} has bits {:#x} set beyond the {} flags "
                            "of the type",
                            i, word & ~mask, type.count));
          }
        }
        return {};
      case ValKind::kString: {
        NativeStr s = load<NativeStr>(src);
        if (s.len == 0) return {};
        if (s.len > UINT32_MAX) {
          return path_.error(
              fmt::format("a string of {} bytes is longer than a component "
                          "string can be (2^32 - 1)",
                          s.len));
        }
        BERTH_TRY(check_place(s.ptr, s.len, "the string", s.len, "bytes"));
        if (!is_valid_utf8(std::string_view(s.ptr, s.len))) {
          return path_.error("the string is not valid UTF-8");
        }
        return {};
      }
      case ValKind::kOwn:
        return {};  // any rep: the handle table of its provider decides
      case ValKind::kBorrow:
        if (borrows_) return {};
        return path_.error("a borrow handle cannot be returned");
      case ValKind::kRecord:
      case ValKind::kTuple:
        for (const NativeType::Member& m : type.members) {
          path_.push_member(m.name);
          BERTH_TRY(check(*m.type, src + m.offset));
          path_.pop();
        }
        return {};
      case ValKind::kVariant:
      case ValKind::kOption:
      case ValKind::kResult: {
        uint32_t d = native_case(type, src);
        if (d >= type.members.size()) {
          return path_.error(fmt::format("{} tag {} is out of range (expected 0 to {})",
                                         to_string(type.kind), d, type.members.size() - 1));
        }
        const NativeType::Member& m = type.members[d];
        if (!m.type) return {};
        path_.push_member(m.name);
        BERTH_TRY(check(*m.type, src + m.offset));
        path_.pop();
        return {};
      }
      case ValKind::kList: {
        const NativeType& element = *type.element;
        const uint8_t* base = src;
        size_t count = 0;
        if (type.fixed_length) {
          count = *type.fixed_length;
        } else {
          NativeList list = load<NativeList>(src);
          count = list.len;
          if (count > UINT32_MAX) {
            return path_.error(
                fmt::format("a list of {} elements is longer than a component "
                            "list can be (2^32 - 1)",
                            count));
          }
          size_t bytes = count * element.size;
          if (count != 0 && element.size != 0 && bytes / element.size != count) {
            return path_.error("the list's byte size overflows");
          }
          if (bytes != 0) {
            BERTH_TRY(check_place(list.ptr, bytes, "the list", count, "elements"));
          }
          if (element.size == 0 && count > (size_t{1} << 24)) {
            return path_.error("a list of empty elements is implausibly long");
          }
          base = static_cast<const uint8_t*>(list.ptr);
        }
        if (!element.checked) return {};
        for (size_t i = 0; i < count; ++i) {
          path_.push_index(i);
          BERTH_TRY(check(element, base + i * element.size));
          path_.pop();
        }
        return {};
      }
      default:
        return path_.error(
            fmt::format("{} values cannot cross the native bundle ABI", to_string(type.kind)));
    }
  }

 private:
  // Memory a result points to: the arena, an argument, or the callee's own (a borrow berth
  // copies before the callee runs again). What starts in the arena or an argument must end
  // there: a length past it is a bug, not a borrow. `count` `unit` (e.g. "3 elements") names
  // the size in a message; formatted only then, as this runs for every string of a result.
  Result<void> check_place(const void* ptr, size_t bytes, std::string_view what, size_t count,
                           std::string_view unit) {
    if (ptr == nullptr) {
      return path_.error(fmt::format("{} ({} {}) points to NULL", what, count, unit));
    }
    if (arena_.locate(ptr, bytes) == NativeArena::Place::kOverruns) {
      return path_.error(
          fmt::format("{} ({} {} at {}) runs past the end of the call's arena "
                      "block or argument it starts in",
                      what, count, unit, ptr));
    }
    return {};
  }

  const NativeArena& arena_;
  Path path_;
  bool borrows_;
};

// Builds the Val of a native value that the Checker accepted.
class Reader {
 public:
  explicit Reader(NativeHandles& handles) : handles_(handles) {}

  Result<Val> read(const NativeType& type, const uint8_t* src) {
    Val v;
    v.kind = type.kind;
    switch (type.kind) {
      case ValKind::kBool:
        v.b = load<uint8_t>(src) != 0;
        return v;
      case ValKind::kS8:
        v.i = load<int8_t>(src);
        return v;
      case ValKind::kU8:
        v.u = load<uint8_t>(src);
        return v;
      case ValKind::kS16:
        v.i = load<int16_t>(src);
        return v;
      case ValKind::kU16:
        v.u = load<uint16_t>(src);
        return v;
      case ValKind::kS32:
        v.i = load<int32_t>(src);
        return v;
      case ValKind::kU32:
      case ValKind::kChar:
        v.u = load<uint32_t>(src);
        return v;
      case ValKind::kS64:
        v.i = load<int64_t>(src);
        return v;
      case ValKind::kU64:
        v.u = load<uint64_t>(src);
        return v;
      case ValKind::kF32:
        v.f32 = load<float>(src);
        return v;
      case ValKind::kF64:
        v.f64 = load<double>(src);
        return v;
      case ValKind::kEnum:
        v.discriminant = load<uint32_t>(src);
        return v;
      case ValKind::kFlags:
        for (uint32_t i = 0; i * 4 < type.size; ++i)
          v.flag_bits.push_back(load<uint32_t>(src + i * 4));
        return v;
      case ValKind::kString: {
        NativeStr s = load<NativeStr>(src);
        if (s.len != 0) v.str.assign(s.ptr, s.len);
        return v;
      }
      case ValKind::kOwn:
      case ValKind::kBorrow: {
        BERTH_TRY_ASSIGN(uint32_t rep, handles_.from_native(type, load<NativeRep>(src)));
        v.handle =
            std::make_shared<ResourceHandle>(ResourceHandle{.type = type.resource, .rep = rep});
        return v;
      }
      case ValKind::kRecord:
      case ValKind::kTuple:
        for (const NativeType::Member& m : type.members) {
          BERTH_TRY_ASSIGN(Val item, read(*m.type, src + m.offset));
          v.items.push_back(std::move(item));
        }
        return v;
      case ValKind::kVariant:
      case ValKind::kOption:
      case ValKind::kResult: {
        v.discriminant = native_case(type, src);
        const NativeType::Member& m = type.members[v.discriminant];
        if (m.type) {
          BERTH_TRY_ASSIGN(Val payload, read(*m.type, src + m.offset));
          v.items.push_back(std::move(payload));
        }
        return v;
      }
      case ValKind::kList: {
        const NativeType& element = *type.element;
        const uint8_t* base = src;
        size_t count = 0;
        if (type.fixed_length) {
          count = *type.fixed_length;
        } else {
          NativeList list = load<NativeList>(src);
          count = list.len;
          base = static_cast<const uint8_t*>(list.ptr);
        }
        if (is_number(element.kind)) {
          v.packed.assign(base, base + count * element.size);
          return v;
        }
        v.items.reserve(count);
        for (size_t i = 0; i < count; ++i) {
          BERTH_TRY_ASSIGN(Val item, read(element, base + i * element.size));
          v.items.push_back(std::move(item));
        }
        return v;
      }
      default:
        return Error(ErrorCode::kInternal, "an unchecked native value");
    }
  }

 private:
  NativeHandles& handles_;
};

}  // namespace

Result<void> write_native(const NativeType& type, const Val& value, uint8_t* dst,
                          NativeArena& arena, NativeHandles& handles) {
  return write_value(type, value, dst, arena, handles);
}

Result<Val> read_native(const NativeType& type, const uint8_t* src, const NativeArena& arena,
                        NativeHandles& handles, std::string_view what) {
  BERTH_TRY(check_native(type, src, arena, what));
  Reader reader(handles);
  return reader.read(type, src);
}

Result<void> check_native(const NativeType& type, const uint8_t* src, const NativeArena& arena,
                          std::string_view what) {
  Checker checker(arena, what);
  return checker.check(type, src);
}

Result<Val> read_native_argument(const NativeType& type, const uint8_t* src,
                                 const NativeArena& arena, NativeHandles& handles,
                                 std::string_view what) {
  Checker checker(arena, what, /*borrows=*/true);
  BERTH_TRY(checker.check(type, src));
  Reader reader(handles);
  return reader.read(type, src);
}

// ---------------------------------------------------------------------------------------------
// Abandoned results

namespace {

bool holds_own(const NativeType& type) {
  if (type.kind == ValKind::kOwn) return true;
  for (const NativeType::Member& m : type.members) {
    if (m.type && holds_own(*m.type)) return true;
  }
  return type.element && holds_own(*type.element);
}

// The own reps in a native value, in layout order, reading only what is safe to read.
void collect_owns(const NativeType& type, const uint8_t* src, const NativeArena& arena,
                  std::vector<std::pair<const NativeType*, uintptr_t>>& out) {
  switch (type.kind) {
    case ValKind::kOwn:
      out.emplace_back(&type, load<NativeRep>(src));
      return;
    case ValKind::kRecord:
    case ValKind::kTuple:
      for (const NativeType::Member& m : type.members) {
        collect_owns(*m.type, src + m.offset, arena, out);
      }
      return;
    case ValKind::kVariant:
    case ValKind::kOption:
    case ValKind::kResult: {
      uint32_t d = native_case(type, src);
      if (d < type.members.size() && type.members[d].type) {
        collect_owns(*type.members[d].type, src + type.members[d].offset, arena, out);
      }
      return;
    }
    case ValKind::kList: {
      const NativeType& element = *type.element;
      if (!holds_own(element) || element.size == 0) return;
      const uint8_t* base = src;
      size_t count = type.fixed_length.value_or(0);
      if (!type.fixed_length) {
        NativeList list = load<NativeList>(src);
        if (list.ptr == nullptr || list.len > UINT32_MAX ||
            arena.locate(list.ptr, list.len * element.size) == NativeArena::Place::kOverruns) {
          return;
        }
        base = static_cast<const uint8_t*>(list.ptr);
        count = list.len;
      }
      for (size_t i = 0; i < count; ++i) collect_owns(element, base + i * element.size, arena, out);
      return;
    }
    default:
      return;
  }
}

}  // namespace

void NativeHandles::abandon(const NativeType&, uintptr_t) {}

Result<uintptr_t> ResultHandles::to_native(const NativeType& type, const ResourceType& resource,
                                           uint32_t rep) {
  return inner_.to_native(type, resource, rep);
}

Result<uint32_t> ResultHandles::from_native(const NativeType& type, uintptr_t rep) {
  BERTH_TRY_ASSIGN(uint32_t id, inner_.from_native(type, rep));
  taken_.push_back(rep);
  return id;
}

void ResultHandles::abandon(const NativeType& type, uintptr_t rep) {
  inner_.abandon(type, rep);
}

void ResultHandles::abandon_rest(const NativeType& type, const uint8_t* src,
                                 const NativeArena& arena) {
  std::vector<std::pair<const NativeType*, uintptr_t>> owns;
  collect_owns(type, src, arena, owns);
  for (const auto& [own_type, rep] : owns) {
    auto taken = std::find(taken_.begin(), taken_.end(), rep);
    if (taken != taken_.end()) {
      taken_.erase(taken);  // the caller's handle table has it now
    } else {
      inner_.abandon(*own_type, rep);
    }
  }
  taken_.clear();
}

}  // namespace berth::component
