// A provider whose functions an embedder (or a test) writes in C++: the interfaces are declared
// in WIT text, the implementations are typed C++ callables (host/typed_function.h) or lambdas
// over dynamic values.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeindex>

#include "berth/component/val.h"
#include "berth/host/provider.h"
#include "berth/host/typed_function.h"
#include "berth/result.h"
#include "berth/wit/model.h"

namespace berth::host {

class DefinedProvider final : public Provider,
                              public std::enable_shared_from_this<DefinedProvider> {
 public:
  // The implementation of one function. `type` is the import's type as the component sees it:
  // a function returning `own<r>` finds r's ResourceTypeRef in it to build the handle.
  using Function = std::function<Result<std::optional<component::Val>>(
      const component::FuncType& type, std::span<const component::Val> args)>;

  // `wit_text` holds one package with a world; the interfaces the world exports are the ones
  // provided. `world` picks a world when the package has several.
  static Result<std::shared_ptr<DefinedProvider>> create(std::string name,
                                                         std::string_view wit_text,
                                                         std::string_view world = "");

  // Makes the host function of one definition for one component instance.
  using Binder = std::function<Result<component::HostFunction>(ResourceObjects& objects,
                                                               const component::FuncType& type)>;

  // Implements `function` ("get", "[method]bucket.get") of `interface`, named by its path
  // with or without version ("demo:kv/store"). Errors when the WIT declares no such function.
  Result<void> define(std::string_view interface, std::string_view function, Function fn);

  // The same with a typed C++ callable, e.g. `[](std::string_view key) -> std::optional<uint32_t>`
  // (host/typed_function.h). Its signature is checked against the WIT here: a mismatch is a
  // kLink error naming both. The callable may run on several threads at once when instances of
  // components run on several threads.
  template <typename F>
  requires(!std::is_convertible_v<F, Function>) Result<void> define(std::string_view interface,
                                                                    std::string_view function,
                                                                    F fn) {
    return define_typed(interface, function, std::move(fn),
                        static_cast<typename typed_detail::Signature<F>::Type*>(nullptr));
  }

  // Binds C++ class T to resource `resource` of `interface`: typed functions then take it as
  // `T&` (borrow) or `std::unique_ptr<T>` (own) and return it as `std::unique_ptr<T>`. Bind a
  // class before defining the functions that use it. Each object is destroyed exactly once:
  // when the guest drops it, when C++ takes ownership, or when the instance is destroyed.
  template <typename T>
  Result<void> define_resource(std::string_view interface, std::string_view resource) {
    return add_resource_class(std::type_index(typeid(T)), interface, resource, [] {
      return std::shared_ptr<ObjectTableBase>(std::make_shared<ObjectTable<T>>());
    });
  }

  // Gives resource `resource` of `interface` a destructor, run with the rep when a guest drops
  // an owning handle. Resources without one need no call.
  Result<void> on_drop(std::string_view interface, std::string_view resource,
                       std::function<void(uint32_t rep)> destructor);

  const std::string& name() const override { return name_; }
  const wit::Resolve& wit() const override { return resolve_; }
  const std::vector<ProvidedInterface>& interfaces() const override { return interfaces_; }
  Result<std::shared_ptr<ProviderInstance>> create_instance() override;

  // What define(), define_resource() and on_drop() registered; null or empty when nothing was.
  const Binder* binder(std::string_view interface, std::string_view function) const;
  const ResourceClass* resource_class(std::string_view interface, std::string_view resource) const;
  std::function<void(uint32_t)> destructor(std::string_view interface,
                                           std::string_view resource) const;

 private:
  // A function about to get a typed definition: its qualified name ("demo:kv/store@0.1.0#get"),
  // the provided interface's name and its type as the WIT declares it.
  struct TypedSlot {
    std::string qualified;
    std::string interface;
    std::string function;
    component::FuncType type;
  };

  DefinedProvider() = default;

  template <typename F, typename R, typename... P>
  Result<void> define_typed(std::string_view interface, std::string_view function, F fn,
                            R (*)(P...)) {
    BERTH_TRY_ASSIGN(TypedSlot slot, typed_slot(interface, function));
    if (!typed_detail::signature_matches<R, P...>(slot.type, resource_classes_)) {
      return signature_mismatch(slot, typed_detail::describe_signature<R, P...>(resource_classes_));
    }
    auto shared = std::make_shared<F>(std::move(fn));
    functions_[slot.interface][slot.function] =
        [shared, qualified = slot.qualified, classes = resource_classes_](
            ResourceObjects& objects, const component::FuncType& type) {
          return Result<component::HostFunction>(
              typed_detail::bind<F, R, P...>(shared, qualified, objects, classes, type));
        };
    return {};
  }

  Result<TypedSlot> typed_slot(std::string_view interface, std::string_view function) const;
  Error signature_mismatch(const TypedSlot& slot, const std::string& cpp_signature) const;
  Result<void> add_resource_class(std::type_index type, std::string_view interface,
                                  std::string_view resource,
                                  std::function<std::shared_ptr<ObjectTableBase>()> make_table);
  // The provided interface `interface` names (by path, version optional), or an error.
  Result<const ProvidedInterface*> find_interface(std::string_view interface) const;

  std::string name_;
  wit::Resolve resolve_;
  std::vector<ProvidedInterface> interfaces_;
  // Keyed by ProvidedInterface::name, then item name.
  std::map<std::string, std::map<std::string, Binder, std::less<>>, std::less<>> functions_;
  ResourceClasses resource_classes_;
  std::map<std::string, std::map<std::string, std::function<void(uint32_t)>, std::less<>>,
           std::less<>>
      destructors_;
};

}  // namespace berth::host
