// A bundle whose library is loaded and whose descriptor matches its WIT (loader.cc), and the
// provider instances that call into it (instance.cc).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "berth/bundle.h"
#include "berth/bundle/bundle.h"
#include "berth/wit/model.h"

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

// The host API table every call receives.
const berth_host_api& host_api();

}  // namespace berth::bundle
