// A provider whose functions an embedder (or a test) writes in C++: the interfaces are declared
// in WIT text, the implementations are lambdas over dynamic values.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "berth/component/val.h"
#include "berth/host/provider.h"
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

  // Implements `function` ("get", "[method]bucket.get") of `interface`, named by its path
  // with or without version ("demo:kv/store"). Errors when the WIT declares no such function.
  Result<void> define(std::string_view interface, std::string_view function, Function fn);

  // Gives resource `resource` of `interface` a destructor, run with the rep when a guest drops
  // an owning handle. Resources without one need no call.
  Result<void> on_drop(std::string_view interface, std::string_view resource,
                       std::function<void(uint32_t rep)> destructor);

  const std::string& name() const override { return name_; }
  const wit::Resolve& wit() const override { return resolve_; }
  const std::vector<ProvidedInterface>& interfaces() const override { return interfaces_; }
  Result<std::shared_ptr<ProviderInstance>> create_instance() override;

  // What define() and on_drop() registered; null or empty when nothing was.
  const Function* implementation(std::string_view interface, std::string_view function) const;
  std::function<void(uint32_t)> destructor(std::string_view interface,
                                           std::string_view resource) const;

 private:
  DefinedProvider() = default;
  // The provided interface `interface` names (by path, version optional), or an error.
  Result<const ProvidedInterface*> find_interface(std::string_view interface) const;

  std::string name_;
  wit::Resolve resolve_;
  std::vector<ProvidedInterface> interfaces_;
  // Keyed by ProvidedInterface::name, then item name.
  std::map<std::string, std::map<std::string, Function, std::less<>>, std::less<>> functions_;
  std::map<std::string, std::map<std::string, std::function<void(uint32_t)>, std::less<>>,
           std::less<>>
      destructors_;
};

}  // namespace berth::host
