// A bundle whose library is loaded and whose descriptor matches its WIT (loader.cc), and the
// provider instances that call into it (instance.cc).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "berth/bundle.h"
#include "berth/bundle/bundle.h"
#include "berth/component/native.h"
#include "berth/wit/model.h"
#include "imports.h"

namespace berth::bundle {

class LoadedBundle final : public BundleProvider,
                           public std::enable_shared_from_this<LoadedBundle> {
 public:
  // Everything loader.cc fills in.
  BundleSpec spec_;
  std::string name_;  // "bundle 'keyvalue' (bundles/keyvalue/host.toml)"
  std::string library_name_;
  std::string library_version_;
  std::string world_name_;
  void* library_ = nullptr;  // dlopen handle; never closed
  const berth_bundle_descriptor* descriptor_ = nullptr;
  wit::Resolve resolve_;
  wit::WorldId world_;
  std::vector<host::ProvidedInterface> interfaces_;
  std::vector<host::ProvidedInterface> dependencies_;  // what the world imports
  std::vector<DescribedInterface> described_;
  std::vector<std::pair<std::string, std::string>> config_keys_;
  ConfigEntries config_;  // merged: defaults, then overrides
  // Keyed by interface name, then function or resource name.
  std::map<std::string, std::map<std::string, const berth_function*, std::less<>>, std::less<>>
      functions_;
  std::map<std::string, std::map<std::string, const berth_resource*, std::less<>>, std::less<>>
      resources_;
  // The descriptor's `imports`, in the order host->call_import counts them.
  std::vector<ImportedFunction> imports_;

  const std::string& name() const override { return name_; }
  const wit::Resolve& wit() const override { return resolve_; }
  const std::vector<host::ProvidedInterface>& interfaces() const override { return interfaces_; }
  const std::vector<host::ProvidedInterface>& dependencies() const override {
    return dependencies_;
  }
  Result<std::shared_ptr<host::ProviderInstance>> create_instance() override;

  const BundleSpec& spec() const override { return spec_; }
  const std::string& library_name() const override { return library_name_; }
  const std::string& library_version() const override { return library_version_; }
  const std::string& world_name() const override { return world_name_; }
  const std::vector<DescribedInterface>& described() const override { return described_; }
  const std::vector<std::pair<std::string, std::string>>& config_keys() const override {
    return config_keys_;
  }

  const berth_function* function(std::string_view interface, std::string_view name) const;
  const berth_resource* resource(std::string_view interface, std::string_view name) const;
};

// A function of the bundle's WIT in native form, once the library's entry for it agrees.
struct CheckedFunction {
  component::FuncType type;
  component::NativeTypeRef params;
  component::NativeTypeRef result;  // null without a result
};

// Compares the library's entry `fn` with `function` of `interface` in the bundle's WIT: the
// signature string and the sizes of the parameter and result structs. A difference is appended
// to `out` (one line, naming the interface and function) and gives nullopt.
std::optional<CheckedFunction> check_function(const wit::Resolve& resolve,
                                              std::string_view interface,
                                              const wit::Function& function,
                                              const berth_function& fn,
                                              std::vector<std::string>& out);

// The host API table every call receives.
const berth_host_api& host_api();

}  // namespace berth::bundle
