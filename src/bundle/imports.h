// The functions of imported interfaces a bundle calls (ABI 1.2, host->call_import): listed in
// the descriptor's `imports`, checked against the bundle's WIT when it loads, and bound per
// bundle instance to the providers the linker chose for that component instance.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/component/component.h"
#include "berth/component/native.h"
#include "berth/host/provider.h"
#include "berth/result.h"
#include "berth/wit/model.h"
#include "foreign_handles.h"

namespace berth::bundle {

class LoadedBundle;

// One function of the descriptor's `imports`, as the bundle's WIT types it.
struct ImportedFunction {
  std::string import;  // the interface the world imports, "keyvalue:store/store@0.1.0"
  std::string name;    // "get", "[method]bucket.get"
  const wit::Function* declared = nullptr;  // in the bundle's WIT
  component::FuncType type;
  component::NativeTypeRef params;  // native_params_layout
  component::NativeTypeRef result;  // null without a result
  // Its parameters or result hold resources: handles of the bundle's ForeignHandles, and the
  // function is called with the provider's own resource types (bound at its first call).
  bool holds_resources = false;
};

// Reads the descriptor's `imports` (libraries of ABI 1.2 on) into bundle.imports_, in the
// order host->call_import counts them. Returns every way they differ from the WIT, one line
// each: an interface the world does not import, a function it does not declare, another
// signature or other struct sizes. A malformed table (a count without its array, a name
// missing) is an error.
Result<std::vector<std::string>> read_imports(LoadedBundle& bundle, const std::string& lib);

// The imported functions of one bundle instance, bound to the providers of one component
// instance. Resources crossing them are handles of `foreign`.
class ImportTable {
 public:
  ImportTable(const LoadedBundle& bundle, ForeignHandles& foreign);

  // Binds the functions of the bundle's import `import` to interface `interface` of
  // `dependency`, which the caller keeps alive as long as this table. Functions that hold
  // resources are bound at their first call, when every import is linked.
  Result<void> bind(std::string_view import, std::string_view interface,
                    host::ProviderInstance& dependency);

  // Calls imported function `index` with the native parameter struct at `params`, writing its
  // result at `result` (zero-filled first); strings and lists of the result go to `arena` or
  // stay in the callee's memory. An error is a trap of the calling bundle's call.
  Result<void> call(uint32_t index, const void* params, void* result,
                    component::NativeArena& arena);

 private:
  struct Slot {
    const ImportedFunction* function = nullptr;
    std::string label;  // "bundle 'counter' (...) calling keyvalue:store/store@0.1.0#get"
    component::HostFunction target;
    // The layouts the call uses: the function's, or for one that holds resources, those of
    // its type with the provider's resource types.
    component::NativeTypeRef params;
    component::NativeTypeRef result;
    // A callee without a native form answers with a Val, which the result's strings point
    // into: kept until the next call of the same function.
    std::optional<component::Val> last_result;
  };

  Result<void> call_dynamic(Slot& slot, const uint8_t* params, uint8_t* result,
                            component::NativeArena& arena);
  Result<void> bind_with_resources(Slot& slot);

  struct Link {
    std::string interface;  // the provider's interface
    host::ProviderInstance* dependency = nullptr;
  };

  const LoadedBundle& bundle_;
  ForeignHandles& foreign_;
  std::map<std::string, Link, std::less<>> links_;  // by the bundle's import
  std::vector<Slot> slots_;
};

}  // namespace berth::bundle
