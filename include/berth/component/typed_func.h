// Calling a component's exports from C++: typed, with C++ values checked once against the
// export's type (component/typed.h), or as WAVE text for generic hosts.
//
//   BERTH_TRY_ASSIGN(auto add, TypedFunc<int32_t(int32_t, int32_t)>::find(instance, "add"));
//   BERTH_TRY_ASSIGN(int32_t sum, add(2, 3));
//   BERTH_TRY_ASSIGN(auto text, call_wave(instance, "greet(\"bob\")"));  // "\"hello, bob\""
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/component/component.h"
#include "berth/component/typed.h"
#include "berth/result.h"

namespace berth::component {

namespace typed_detail {
// The kLink error of an export whose type is not the C++ signature asked for.
Error export_mismatch(const ComponentInstance::ExportedFunc& func, const std::string& cpp);
// The kInternal error of an export that returned nothing where its type has a result.
Error missing_result(const ComponentInstance::ExportedFunc& func);
}  // namespace typed_detail

template <typename Signature>
class TypedFunc;

// An exported function with a C++ signature. R may be void; exported resources have no typed
// form yet (call those with Vals). Valid as long as the instance it was found in.
template <typename R, typename... A>
class TypedFunc<R(A...)> {
 public:
  // Finds the export (named as ComponentInstance::find_function accepts) and checks its type.
  static Result<TypedFunc> find(ComponentInstance& instance, std::string_view name) {
    BERTH_TRY_ASSIGN(const ComponentInstance::ExportedFunc* func, instance.find_function(name));
    if (!matches(*func->type)) return typed_detail::export_mismatch(*func, describe());
    return TypedFunc(instance, *func);
  }

  // Calls it. Traps and the store's deadline come back as errors.
  Result<R> operator()(const A&... args) const {
    std::vector<Val> vals;
    vals.reserve(sizeof...(A));
    (vals.push_back(WitType<A>::lower(args)), ...);
    BERTH_TRY_ASSIGN(std::optional<Val> result, instance_->call(*func_, vals));
    if constexpr (std::is_void_v<R>) {
      return {};
    } else {
      if (!result) return typed_detail::missing_result(*func_);
      return WitType<R>::lift(*result);
    }
  }

  // "func(s32, s32) -> s32": what the C++ signature stands for.
  static std::string describe() {
    std::string out = "func(" + typed_detail::join({WitType<A>::describe()...}, ", ") + ")";
    if constexpr (!std::is_void_v<R>) out += " -> " + WitType<R>::describe();
    return out;
  }

 private:
  TypedFunc(ComponentInstance& instance, const ComponentInstance::ExportedFunc& func)
      : instance_(&instance), func_(&func) {}

  static bool matches(const FuncType& type) {
    if (type.params.size() != sizeof...(A)) return false;
    bool params = [&]<size_t... I>(std::index_sequence<I...>) {
      return (... && (type.params[I].type && WitType<A>::matches(*type.params[I].type)));
    }
    (std::index_sequence_for<A...>{});
    if constexpr (std::is_void_v<R>) {
      return params && type.result == nullptr;
    } else {
      return params && type.result && WitType<R>::matches(*type.result);
    }
  }

  ComponentInstance* instance_;
  const ComponentInstance::ExportedFunc* func_;
};

// Calls an export written as a WAVE call expression, `name(arg, ...)` (component/wave.h), and
// gives the result as WAVE text (nullopt when the function returns nothing). A call that does
// not parse against the function's type is a kUsage error naming the type.
Result<std::optional<std::string>> call_wave(ComponentInstance& instance, std::string_view call);

}  // namespace berth::component
