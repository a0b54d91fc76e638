// Host functions written as ordinary C++ callables: the parameter and result types say which WIT
// types they stand for (component/typed.h), and DefinedProvider::define checks them against the
// WIT the function implements before anything runs. Resources are C++ objects: a class bound to
// a WIT resource with DefinedProvider::define_resource<T> is passed as `T&` (borrow<r>), taken as
// `std::unique_ptr<T>` (own<r>, the host now owns it) and returned as `std::unique_ptr<T>` (a new
// own<r> for the guest). berth keeps each instance's objects in a table and destroys every one
// exactly once: when the guest drops it, when C++ takes it, or when the instance goes away.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <vector>

#include "berth/component/component.h"
#include "berth/component/typed.h"
#include "berth/result.h"

namespace berth::host {

// The C++ objects of one resource type held for one component instance. A rep is a slot.
class ObjectTableBase {
 public:
  virtual ~ObjectTableBase() = default;
  // Destroys the object of `rep`, if it is still here.
  virtual void destroy(uint32_t rep) = 0;
  // Destroys every object still here.
  virtual void clear() = 0;
};

template <typename T>
class ObjectTable final : public ObjectTableBase {
 public:
  ~ObjectTable() override { clear(); }

  uint32_t insert(std::unique_ptr<T> object) {
    if (!free_.empty()) {
      uint32_t index = free_.back();
      free_.pop_back();
      slots_[index] = std::move(object);
      return index + 1;
    }
    slots_.push_back(std::move(object));
    return static_cast<uint32_t>(slots_.size());
  }
  // Null when `rep` holds no object.
  T* get(uint32_t rep) const {
    return rep == 0 || rep > slots_.size() ? nullptr : slots_[rep - 1].get();
  }
  std::unique_ptr<T> take(uint32_t rep) {
    if (get(rep) == nullptr) return nullptr;
    free_.push_back(rep - 1);
    return std::move(slots_[rep - 1]);
  }
  void destroy(uint32_t rep) override { take(rep).reset(); }
  void clear() override {
    // Moved out first: a destructor that reaches this table sees it empty.
    std::vector<std::unique_ptr<T>> slots = std::move(slots_);
    slots_.clear();
    free_.clear();
    slots.clear();
  }

 private:
  std::vector<std::unique_ptr<T>> slots_;
  std::vector<uint32_t> free_;
};

// A C++ class bound to a WIT resource.
struct ResourceClass {
  std::string key;   // "demo:kv/store@0.1.0#bucket": the provided interface and the resource
  std::string name;  // "bucket"
  std::function<std::shared_ptr<ObjectTableBase>()> make_table;
};
using ResourceClasses = std::map<std::type_index, ResourceClass>;

// The object tables of one component instance, by ResourceClass::key. Destroying it destroys
// the objects the guest still holds.
class ResourceObjects {
 public:
  ResourceObjects() = default;
  ResourceObjects(const ResourceObjects&) = delete;
  ResourceObjects& operator=(const ResourceObjects&) = delete;
  ~ResourceObjects() {
    for (auto& [key, table] : tables_) table->clear();
  }

  std::shared_ptr<ObjectTableBase> table(const ResourceClass& resource) {
    auto [it, added] = tables_.try_emplace(resource.key);
    if (added) it->second = resource.make_table();
    return it->second;
  }

 private:
  std::map<std::string, std::shared_ptr<ObjectTableBase>, std::less<>> tables_;
};

namespace typed_detail {

// A host function's error for an exception that left it, and for a handle that names no object.
Error host_exception(std::string_view function, const char* what);
Error dead_handle(std::string_view function, std::string_view resource, uint32_t rep);
Error wrong_argument_count(std::string_view function, size_t count);

std::string_view short_resource_name(const component::ResourceType& resource);

// What a callable's signature is: R(A...).
template <typename F>
struct Signature;
template <typename R, typename... A>
struct Signature<R(A...)> {
  using Type = R(A...);
};
template <typename R, typename... A>
struct Signature<R (*)(A...)> : Signature<R(A...)> {};
template <typename C, typename R, typename... A>
struct Signature<R (C::*)(A...)> : Signature<R(A...)> {};
template <typename C, typename R, typename... A>
struct Signature<R (C::*)(A...) const> : Signature<R(A...)> {};
template <typename C, typename R, typename... A>
struct Signature<R (C::*)(A...) noexcept> : Signature<R(A...)> {};
template <typename C, typename R, typename... A>
struct Signature<R (C::*)(A...) const noexcept> : Signature<R(A...)> {};
template <typename F>
requires requires {
  &F::operator();
}
struct Signature<F> : Signature<decltype(&F::operator())> {};

template <typename T>
struct IsResult : std::false_type {};
template <typename T>
struct IsResult<Result<T>> : std::true_type {
  using Value = T;
};
template <typename T>
struct IsUniquePtr : std::false_type {};
template <typename T>
struct IsUniquePtr<std::unique_ptr<T>> : std::true_type {
  using Object = T;
};

// A class passed by reference that has no WIT value type is a resource (borrow<r>).
template <typename P>
concept BorrowParam = std::is_lvalue_reference_v<P> && std::is_class_v<std::remove_cvref_t<P>> &&
    !component::HasWitType<std::remove_cvref_t<P>>;
template <typename P>
concept OwnParam = IsUniquePtr<P>::value;

template <typename T>
const ResourceClass* resource_class(const ResourceClasses& classes) {
  auto it = classes.find(std::type_index(typeid(T)));
  return it == classes.end() ? nullptr : &it->second;
}

// The table of class T's objects in `objects` (T is bound: signature_matches checked it).
template <typename T>
std::shared_ptr<ObjectTable<T>> table_of(ResourceObjects& objects, const ResourceClasses& classes) {
  return std::static_pointer_cast<ObjectTable<T>>(objects.table(*resource_class<T>(classes)));
}

template <typename T>
std::string describe_resource(std::string_view handle, const ResourceClasses& classes) {
  const ResourceClass* resource = resource_class<T>(classes);
  std::string name = resource ? resource->name : "a class not bound with define_resource";
  return std::string(handle) + "<" + name + ">";
}

template <typename T>
bool resource_matches(const component::Type& type, component::ValKind kind,
                      const ResourceClasses& classes) {
  const ResourceClass* resource = resource_class<T>(classes);
  return resource && type.kind == kind && type.resource &&
         short_resource_name(*type.resource) == resource->name;
}

// How one parameter is described, checked and converted. Value parameters convert with
// WitType; resource parameters find their object in the instance's table.
template <typename P>
struct Param {
  using Value = std::remove_cvref_t<P>;
  static_assert(component::HasWitType<Value>,
                "this parameter type has no WIT counterpart (see component/typed.h)");
  static std::string describe(const ResourceClasses&) {
    return component::WitType<Value>::describe();
  }
  static bool matches(const component::Type& type, const ResourceClasses&) {
    return component::WitType<Value>::matches(type);
  }
  struct Binding {
    Binding(ResourceObjects&, const ResourceClasses&) {}
    Result<Value> lift(const component::Val& val, std::string_view) const {
      return component::WitType<Value>::lift(val);
    }
  };
  static Value&& pass(Value& value) { return std::move(value); }
};

template <typename P>
requires BorrowParam<P>
struct Param<P> {
  using Object = std::remove_cvref_t<P>;
  static std::string describe(const ResourceClasses& classes) {
    return describe_resource<Object>("borrow", classes);
  }
  static bool matches(const component::Type& type, const ResourceClasses& classes) {
    return resource_matches<Object>(type, component::ValKind::kBorrow, classes);
  }
  struct Binding {
    Binding(ResourceObjects& objects, const ResourceClasses& classes)
        : table(table_of<Object>(objects, classes)) {}
    Result<Object*> lift(const component::Val& val, std::string_view function) const {
      Object* object = table->get(val.handle->rep);
      if (object == nullptr) {
        return dead_handle(function, short_resource_name(*val.handle->type), val.handle->rep);
      }
      return object;
    }
    std::shared_ptr<ObjectTable<Object>> table;
  };
  static P pass(Object* object) { return *object; }
};

template <typename P>
requires OwnParam<P>
struct Param<P> {
  using Object = typename IsUniquePtr<P>::Object;
  static std::string describe(const ResourceClasses& classes) {
    return describe_resource<Object>("own", classes);
  }
  static bool matches(const component::Type& type, const ResourceClasses& classes) {
    return resource_matches<Object>(type, component::ValKind::kOwn, classes);
  }
  struct Binding {
    Binding(ResourceObjects& objects, const ResourceClasses& classes)
        : table(table_of<Object>(objects, classes)) {}
    Result<std::unique_ptr<Object>> lift(const component::Val& val,
                                         std::string_view function) const {
      std::unique_ptr<Object> object = table->take(val.handle->rep);
      if (object == nullptr) {
        return dead_handle(function, short_resource_name(*val.handle->type), val.handle->rep);
      }
      return object;
    }
    std::shared_ptr<ObjectTable<Object>> table;
  };
  static std::unique_ptr<Object>&& pass(std::unique_ptr<Object>& object) {
    return std::move(object);
  }
};

// How the result is described, checked and converted. A `Result<T>` result is unwrapped first
// (Unwrapped): T, or an error that traps the guest.
template <typename R>
struct Return {
  static std::string describe(const ResourceClasses&) { return component::WitType<R>::describe(); }
  static bool matches(const component::TypeRef& type, const ResourceClasses&) {
    return type && component::WitType<R>::matches(*type);
  }
  struct Binding {
    Binding(ResourceObjects&, const ResourceClasses&, const component::FuncType&) {}
    std::optional<component::Val> lower(R value) const {
      return component::WitType<R>::lower(std::move(value));
    }
  };
};

template <>
struct Return<void> {
  static std::string describe(const ResourceClasses&) { return ""; }
  static bool matches(const component::TypeRef& type, const ResourceClasses&) {
    return type == nullptr;
  }
  struct Binding {
    Binding(ResourceObjects&, const ResourceClasses&, const component::FuncType&) {}
  };
};

template <typename T>
struct Return<std::unique_ptr<T>> {
  static std::string describe(const ResourceClasses& classes) {
    return describe_resource<T>("own", classes);
  }
  static bool matches(const component::TypeRef& type, const ResourceClasses& classes) {
    return type && resource_matches<T>(*type, component::ValKind::kOwn, classes);
  }
  struct Binding {
    Binding(ResourceObjects& objects, const ResourceClasses& classes,
            const component::FuncType& type)
        : table(table_of<T>(objects, classes)), resource(type.result->resource) {}
    std::optional<component::Val> lower(std::unique_ptr<T> object) const {
      component::Val val;
      val.kind = component::ValKind::kOwn;
      val.handle = std::make_shared<component::ResourceHandle>(
          component::ResourceHandle{.type = resource, .rep = table->insert(std::move(object))});
      return val;
    }
    std::shared_ptr<ObjectTable<T>> table;
    component::ResourceTypeRef resource;
  };
};

template <typename R>
struct Unwrapped {
  using Type = R;
};
template <typename T>
struct Unwrapped<Result<T>> {
  using Type = T;
};

// "func(string, borrow<counter>) -> u32", as the C++ signature stands for it.
template <typename R, typename... P>
std::string describe_signature(const ResourceClasses& classes) {
  std::vector<std::string> params = {Param<P>::describe(classes)...};
  std::string out = "func(" + component::typed_detail::join(params, ", ") + ")";
  std::string result = Return<typename Unwrapped<R>::Type>::describe(classes);
  return result.empty() ? out : out + " -> " + result;
}

template <typename R, typename... P>
bool signature_matches(const component::FuncType& type, const ResourceClasses& classes) {
  if (type.params.size() != sizeof...(P)) return false;
  bool params = [&]<size_t... I>(std::index_sequence<I...>) {
    return (... && (type.params[I].type && Param<P>::matches(*type.params[I].type, classes)));
  }
  (std::index_sequence_for<P...>{});
  return params && Return<typename Unwrapped<R>::Type>::matches(type.result, classes);
}

// Makes the component::HostFunction of `fn` for one instance: the resource tables are found
// once here, not on each call.
template <typename F, typename R, typename... P>
component::HostFunction bind(std::shared_ptr<F> fn, std::string function, ResourceObjects& objects,
                             const ResourceClasses& classes, const component::FuncType& type) {
  using Value = typename Unwrapped<R>::Type;
  auto params = std::make_shared<std::tuple<typename Param<P>::Binding...>>(
      typename Param<P>::Binding(objects, classes)...);
  auto result = std::make_shared<typename Return<Value>::Binding>(objects, classes, type);
  return component::HostFunction([fn, function = std::move(function), params,
                                  result](std::span<const component::Val> args)
                                     -> Result<std::optional<component::Val>> {
    if (args.size() != sizeof...(P)) return wrong_argument_count(function, args.size());
    try {
      return [&]<size_t... I>(std::index_sequence<I...>)->Result<std::optional<component::Val>> {
        // Braces evaluate left to right, so the first parameter that fails is the one reported.
        std::tuple lifted{std::get<I>(*params).lift(args[I], function)...};
        std::optional<Error> failed;
        ((failed || std::get<I>(lifted) ? void() : void(failed = std::get<I>(lifted).error())),
         ...);
        if (failed) return std::move(*failed);
        if constexpr (std::is_void_v<R>) {
          (*fn)(Param<P>::pass(*std::get<I>(lifted))...);
          return std::optional<component::Val>();
        } else if constexpr (IsResult<R>::value) {
          R returned = (*fn)(Param<P>::pass(*std::get<I>(lifted))...);
          if (!returned) return std::move(returned).error();
          if constexpr (std::is_void_v<Value>) {
            return std::optional<component::Val>();
          } else {
            return result->lower(std::move(returned).value());
          }
        } else {
          return result->lower((*fn)(Param<P>::pass(*std::get<I>(lifted))...));
        }
      }
      (std::index_sequence_for<P...>{});
    } catch (const std::exception& e) {
      return host_exception(function, e.what());
    } catch (...) {
      return host_exception(function, nullptr);
    }
  });
}

}  // namespace typed_detail
}  // namespace berth::host
