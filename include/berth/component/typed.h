// C++ types as component types: which C++ type stands for which WIT type, and the conversions
// between C++ values and Vals. The typed host functions (host/typed_function.h) and typed export
// calls (component/typed_func.h) are built on this.
//
//   bool, int8_t ... uint64_t, float, double, char32_t   bool, s8 ... u64, f32, f64, char
//   std::string (and std::string_view as a parameter)      string
//   std::vector<T>                                         list<T>
//   std::optional<T>                                       option<T>
//   Expected<T, E> (T or E may be void)                    result<T, E>
//   std::tuple<T...>                                       tuple<T...>
//   a struct with RecordFields<S>                          record
//   an enum with EnumLabels<E>                             enum
//   Val                                                    any type, checked when it is lowered
//
// Variants, flags and resources inside other types have no typed form yet: use Val for them.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "berth/component/types.h"
#include "berth/component/val.h"

namespace berth::component {

// WIT's result<T, E>: either an ok value or an error value. A void side carries no payload.
template <typename T, typename E>
class Expected {
  template <typename U>
  using Slot = std::conditional_t<std::is_void_v<U>, std::monostate, U>;

 public:
  using value_type = T;
  using error_type = E;

  static Expected ok() requires std::is_void_v<T> {
    return Expected(std::in_place_index<0>, std::monostate{});
  }
  static Expected ok(Slot<T> value) requires(!std::is_void_v<T>) {
    return Expected(std::in_place_index<0>, std::move(value));
  }
  static Expected err() requires std::is_void_v<E> {
    return Expected(std::in_place_index<1>, std::monostate{});
  }
  static Expected err(Slot<E> error) requires(!std::is_void_v<E>) {
    return Expected(std::in_place_index<1>, std::move(error));
  }

  bool has_value() const { return state_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  const Slot<T>& value() const { return std::get<0>(state_); }
  const Slot<E>& error() const { return std::get<1>(state_); }

 private:
  template <size_t I, typename V>
  Expected(std::in_place_index_t<I> index, V&& value) : state_(index, std::forward<V>(value)) {}

  std::variant<Slot<T>, Slot<E>> state_;
};

// A record field: its WIT name and the member that holds it.
template <typename S, typename M>
struct RecordField {
  std::string_view name;
  M S::*member;
};
template <typename S, typename M>
constexpr RecordField<S, M> field(std::string_view name, M S::*member) {
  return {name, member};
}

// Specialise to make a struct a record, its fields in WIT order:
//   template <> struct berth::component::RecordFields<Point> {
//     static constexpr auto fields = std::make_tuple(field("x", &Point::x), field("y", &Point::y));
//   };
template <typename S>
struct RecordFields;

// Specialise to make an enum a WIT enum: the enumerators are 0 ... N-1 in label order.
//   template <> struct berth::component::EnumLabels<Color> {
//     static constexpr std::array<std::string_view, 2> labels = {"red", "green"};
//   };
template <typename E>
struct EnumLabels;

// WitType<T>::describe() spells T as WIT would ("list<string>"); matches(type) says whether T
// stands for `type`; lower makes the Val of a C++ value, lift the C++ value of a Val of a type
// that T matches. Defined only for the types in the table above.
template <typename T>
struct WitType;

template <typename T>
concept HasWitType = requires(const Type& type) {
  { WitType<T>::matches(type) } -> std::same_as<bool>;
};

namespace typed_detail {

template <typename T, ValKind K>
struct Scalar {
  static std::string describe() { return to_string(K); }
  static bool matches(const Type& type) { return type.kind == K; }
  static Val lower(T value) {
    Val val;
    val.kind = K;
    if constexpr (std::is_same_v<T, bool>) {
      val.b = value;
    } else if constexpr (std::is_same_v<T, float>) {
      val.f32 = value;
    } else if constexpr (std::is_same_v<T, double>) {
      val.f64 = value;
    } else if constexpr (std::is_signed_v<T>) {
      val.i = value;
    } else {
      val.u = value;
    }
    return val;
  }
  static T lift(const Val& val) {
    if constexpr (std::is_same_v<T, bool>) {
      return val.b;
    } else if constexpr (std::is_same_v<T, float>) {
      return val.f32;
    } else if constexpr (std::is_same_v<T, double>) {
      return val.f64;
    } else if constexpr (std::is_signed_v<T>) {
      return static_cast<T>(val.i);
    } else {
      return static_cast<T>(val.u);
    }
  }
};

// Spells an optional payload type: "_" for none, as WIT writes result<_, E>.
template <typename T>
std::string payload_name() {
  if constexpr (std::is_void_v<T>) {
    return "_";
  } else {
    return WitType<T>::describe();
  }
}

template <typename T>
bool payload_matches(const TypeRef& type) {
  if constexpr (std::is_void_v<T>) {
    return type == nullptr;
  } else {
    return type != nullptr && WitType<T>::matches(*type);
  }
}

inline std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out.append(separator);
    out.append(parts[i]);
  }
  return out;
}

}  // namespace typed_detail

template <>
struct WitType<bool> : typed_detail::Scalar<bool, ValKind::kBool> {};
template <>
struct WitType<int8_t> : typed_detail::Scalar<int8_t, ValKind::kS8> {};
template <>
struct WitType<uint8_t> : typed_detail::Scalar<uint8_t, ValKind::kU8> {};
template <>
struct WitType<int16_t> : typed_detail::Scalar<int16_t, ValKind::kS16> {};
template <>
struct WitType<uint16_t> : typed_detail::Scalar<uint16_t, ValKind::kU16> {};
template <>
struct WitType<int32_t> : typed_detail::Scalar<int32_t, ValKind::kS32> {};
template <>
struct WitType<uint32_t> : typed_detail::Scalar<uint32_t, ValKind::kU32> {};
template <>
struct WitType<int64_t> : typed_detail::Scalar<int64_t, ValKind::kS64> {};
template <>
struct WitType<uint64_t> : typed_detail::Scalar<uint64_t, ValKind::kU64> {};
template <>
struct WitType<float> : typed_detail::Scalar<float, ValKind::kF32> {};
template <>
struct WitType<double> : typed_detail::Scalar<double, ValKind::kF64> {};
template <>
struct WitType<char32_t> : typed_detail::Scalar<char32_t, ValKind::kChar> {};

template <>
struct WitType<std::string> {
  static std::string describe() { return "string"; }
  static bool matches(const Type& type) { return type.kind == ValKind::kString; }
  static Val lower(std::string value) { return Val::string(std::move(value)); }
  static std::string lift(const Val& val) { return val.str; }
};

// A view of the argument's text, valid until the host function returns.
template <>
struct WitType<std::string_view> {
  static std::string describe() { return "string"; }
  static bool matches(const Type& type) { return type.kind == ValKind::kString; }
  static Val lower(std::string_view value) { return Val::string(std::string(value)); }
  static std::string_view lift(const Val& val) { return val.str; }
};

template <>
struct WitType<Val> {
  static std::string describe() { return "any type (a Val)"; }
  static bool matches(const Type&) { return true; }
  static Val lower(Val value) { return value; }
  static Val lift(const Val& val) { return val; }
};

template <HasWitType T>
struct WitType<std::vector<T>> {
  static std::string describe() { return "list<" + WitType<T>::describe() + ">"; }
  static bool matches(const Type& type) {
    return type.kind == ValKind::kList && !type.fixed_length && type.element &&
           WitType<T>::matches(*type.element);
  }
  static Val lower(const std::vector<T>& values) {
    std::vector<Val> items;
    items.reserve(values.size());
    for (const T& value : values) items.push_back(WitType<T>::lower(value));
    return Val::list(std::move(items));
  }
  static std::vector<T> lift(const Val& val) {
    std::vector<T> out;
    if constexpr (std::is_arithmetic_v<T> && !std::is_same_v<T, bool>) {
      // A list of numbers may arrive packed: the elements' little-endian bytes back to back.
      if (!val.packed.empty()) {
        out.resize(val.packed.size() / sizeof(T));
        std::memcpy(out.data(), val.packed.data(), out.size() * sizeof(T));
        return out;
      }
    }
    out.reserve(val.items.size());
    for (const Val& item : val.items) out.push_back(WitType<T>::lift(item));
    return out;
  }
};

template <HasWitType T>
struct WitType<std::optional<T>> {
  static std::string describe() { return "option<" + WitType<T>::describe() + ">"; }
  static bool matches(const Type& type) {
    return type.kind == ValKind::kOption && type.element && WitType<T>::matches(*type.element);
  }
  static Val lower(const std::optional<T>& value) {
    return value ? Val::some(WitType<T>::lower(*value)) : Val::none();
  }
  static std::optional<T> lift(const Val& val) {
    if (val.discriminant == 0) return std::nullopt;
    return WitType<T>::lift(val.payload());
  }
};

template <typename T, typename E>
struct WitType<Expected<T, E>> {
  static std::string describe() {
    if (std::is_void_v<T> && std::is_void_v<E>) return "result";
    if (std::is_void_v<E>) return "result<" + typed_detail::payload_name<T>() + ">";
    return "result<" + typed_detail::payload_name<T>() + ", " + typed_detail::payload_name<E>() +
           ">";
  }
  static bool matches(const Type& type) {
    return type.kind == ValKind::kResult && typed_detail::payload_matches<T>(type.ok) &&
           typed_detail::payload_matches<E>(type.error);
  }
  static Val lower(const Expected<T, E>& value) {
    if (value.has_value()) {
      if constexpr (std::is_void_v<T>) {
        return Val::ok(std::nullopt);
      } else {
        return Val::ok(WitType<T>::lower(value.value()));
      }
    }
    if constexpr (std::is_void_v<E>) {
      return Val::err(std::nullopt);
    } else {
      return Val::err(WitType<E>::lower(value.error()));
    }
  }
  static Expected<T, E> lift(const Val& val) {
    if (val.discriminant == 0) {
      if constexpr (std::is_void_v<T>) {
        return Expected<T, E>::ok();
      } else {
        return Expected<T, E>::ok(WitType<T>::lift(val.payload()));
      }
    }
    if constexpr (std::is_void_v<E>) {
      return Expected<T, E>::err();
    } else {
      return Expected<T, E>::err(WitType<E>::lift(val.payload()));
    }
  }
};

template <HasWitType... Ts>
struct WitType<std::tuple<Ts...>> {
  static std::string describe() {
    return "tuple<" + typed_detail::join({WitType<Ts>::describe()...}, ", ") + ">";
  }
  static bool matches(const Type& type) {
    if (type.kind != ValKind::kTuple || type.fields.size() != sizeof...(Ts)) return false;
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return (... && (type.fields[I].type && WitType<Ts>::matches(*type.fields[I].type)));
    }
    (std::index_sequence_for<Ts...>{});
  }
  static Val lower(const std::tuple<Ts...>& value) {
    return std::apply([](const Ts&... items) { return Val::tuple({WitType<Ts>::lower(items)...}); },
                      value);
  }
  static std::tuple<Ts...> lift(const Val& val) {
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return std::tuple<Ts...>(WitType<Ts>::lift(val.items[I])...);
    }
    (std::index_sequence_for<Ts...>{});
  }
};

template <typename S>
requires requires {
  RecordFields<S>::fields;
}
struct WitType<S> {
  static constexpr const auto& fields() { return RecordFields<S>::fields; }
  static constexpr size_t kCount =
      std::tuple_size_v<std::decay_t<decltype(RecordFields<S>::fields)>>;

  static std::string describe() {
    std::vector<std::string> parts;
    std::apply(
        [&](const auto&... f) {
          (parts.push_back(std::string(f.name) + ": " + field_type(f).describe()), ...);
        },
        fields());
    return "record { " + typed_detail::join(parts, ", ") + " }";
  }
  static bool matches(const Type& type) {
    if (type.kind != ValKind::kRecord || type.fields.size() != kCount) return false;
    return [&]<size_t... I>(std::index_sequence<I...>) {
      return (... && field_matches(std::get<I>(fields()), type.fields[I]));
    }
    (std::make_index_sequence<kCount>{});
  }
  static Val lower(const S& value) {
    std::vector<Val> items;
    items.reserve(kCount);
    std::apply(
        [&](const auto&... f) { (items.push_back(field_type(f).lower(value.*f.member)), ...); },
        fields());
    return Val::record(std::move(items));
  }
  static S lift(const Val& val) {
    S out{};
    [&]<size_t... I>(std::index_sequence<I...>) {
      ((out.*std::get<I>(fields()).member = field_type(std::get<I>(fields())).lift(val.items[I])),
       ...);
    }
    (std::make_index_sequence<kCount>{});
    return out;
  }

 private:
  template <typename M>
  static WitType<M> field_type(const RecordField<S, M>&) {
    return {};
  }
  template <typename M>
  static bool field_matches(const RecordField<S, M>& f, const Field& wit) {
    return wit.name == f.name && wit.type && WitType<M>::matches(*wit.type);
  }
};

template <typename E>
requires std::is_enum_v<E> && requires {
  EnumLabels<E>::labels;
}
struct WitType<E> {
  static std::string describe() {
    std::vector<std::string> labels(EnumLabels<E>::labels.begin(), EnumLabels<E>::labels.end());
    return "enum { " + typed_detail::join(labels, ", ") + " }";
  }
  static bool matches(const Type& type) {
    const auto& labels = EnumLabels<E>::labels;
    if (type.kind != ValKind::kEnum || type.labels.size() != labels.size()) return false;
    for (size_t i = 0; i < labels.size(); ++i) {
      if (type.labels[i] != labels[i]) return false;
    }
    return true;
  }
  static Val lower(E value) { return Val::enumeration(static_cast<uint32_t>(value)); }
  static E lift(const Val& val) { return static_cast<E>(val.discriminant); }
};

}  // namespace berth::component
