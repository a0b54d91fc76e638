// Loading, instantiating and calling components: the C++ API that the host layer, the CLI and
// embedders use. Values cross as dynamic Vals (val.h); the Canonical ABI does the rest.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "berth/component/native.h"
#include "berth/component/types.h"
#include "berth/component/val.h"
#include "berth/engine/engine.h"
#include "berth/result.h"

namespace berth::component {

// A decoded, validated component whose core modules are compiled. Immutable; instantiate it any
// number of times, in any store of the engine that compiled it.
class Component {
 public:
  virtual ~Component() = default;
  virtual const ComponentType& type() const = 0;
  virtual const std::string& name() const = 0;
};

// Decodes, validates and compiles. Errors name `name` (usually the file) and what is wrong.
Result<std::shared_ptr<const Component>> load_component(engine::Engine& engine,
                                                        std::vector<uint8_t> bytes,
                                                        std::string name);

// A function the host provides. `args` match the import's parameter types; the returned value
// must match its result type (or be nullopt when it has none). An error traps the caller.
using DynamicHostFunction = std::function<Result<std::optional<Val>>(std::span<const Val> args)>;

// A host function: always callable with Vals, and optionally also in native form, which guests
// calling it through `canon lower` then use instead (no Val is built on that path).
class HostFunction {
 public:
  HostFunction() = default;
  template <typename F>
  requires std::is_invocable_r_v<Result<std::optional<Val>>, F&, std::span<const Val>> HostFunction(
      F dynamic)
      : dynamic_(std::move(dynamic)) {}
  HostFunction(DynamicHostFunction dynamic, std::shared_ptr<const NativeFunction> native)
      : dynamic_(std::move(dynamic)), native_(std::move(native)) {}

  Result<std::optional<Val>> operator()(std::span<const Val> args) const { return dynamic_(args); }
  explicit operator bool() const { return static_cast<bool>(dynamic_); }
  const NativeFunction* native() const { return native_.get(); }

 private:
  DynamicHostFunction dynamic_;
  std::shared_ptr<const NativeFunction> native_;
};

// A new resource type defined by the host, e.g. "wasi:io/streams#input-stream". `destructor`
// (optional) runs when a guest drops an owning handle of it.
ResourceTypeRef make_host_resource_type(std::string name,
                                        std::function<void(uint32_t rep)> destructor = {});

// Provides the imports of a component being instantiated.
class ImportResolver {
 public:
  virtual ~ImportResolver() = default;
  // A function import: `instance` is the name of the imported instance it belongs to
  // ("wasi:cli/stdout@0.2.0"), or empty for a function imported on its own.
  virtual Result<HostFunction> resolve_func(std::string_view instance, std::string_view name,
                                            const FuncType& type) = 0;
  // A resource type import. The default makes a new host resource type for it.
  virtual Result<ResourceTypeRef> resolve_resource(std::string_view instance,
                                                   std::string_view name);
};

class ComponentInstance {
 public:
  virtual ~ComponentInstance() = default;

  struct ExportedFunc {
    std::string name;  // "f" or "ns:pkg/iface@1.0.0#f"
    FuncTypeRef type;
  };
  virtual const std::vector<ExportedFunc>& functions() const = 0;
  // The full name of an exported function named fully, or by its last part when that is
  // unambiguous ("greet" for "example:t/api@0.1.0#greet").
  virtual Result<const ExportedFunc*> find_function(std::string_view name) const = 0;
  virtual Result<std::optional<Val>> call(const ExportedFunc& func, std::span<const Val> args) = 0;
};

Result<std::unique_ptr<ComponentInstance>> instantiate(engine::Store& store,
                                                       std::shared_ptr<const Component> component,
                                                       ImportResolver& imports);

}  // namespace berth::component
