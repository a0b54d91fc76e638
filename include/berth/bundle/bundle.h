// Host bundles, the C++ side: loading a bundle folder (host.toml, WIT, native library) or the
// bundles a hosts.toml names, checking the library against its WIT, and providing its
// interfaces to the linker. The native ABI the libraries implement is include/berth/bundle.h.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "berth/bundle/manifest.h"
#include "berth/bundle/trust.h"
#include "berth/host/linker.h"
#include "berth/host/provider.h"
#include "berth/result.h"

namespace berth::bundle {

// What berth requires of a bundle before it loads its library (docs/bundles.md, "Signing and
// trust"). With require_signed, only a bundle folder that a trusted key signed exactly as it is
// loads; without it, an unsigned bundle or one signed only by keys not trusted loads with one
// warning. A signature that does not verify (files changed since a trusted key signed them, an
// altered or unreadable signature file) refuses the bundle either way.
struct TrustPolicy {
  std::vector<PublicKey> trusted_keys;
  bool require_signed = false;
  std::function<void(const std::string&)> warn;  // the warnings; empty: none
};

// Checks the bundle folder `dir` against the policy without loading anything from it: an error
// names the files that differ and the keys found; a warning goes to policy.warn. When the check
// read the folder (it was signed, or signatures are required) it returns those files, sealed:
// whatever is loaded afterwards comes from these bytes, never from the disk again. Null when
// nothing was read (an unsigned bundle under the policy off).
Result<std::shared_ptr<const BundleFiles>> check_bundle_trust(const std::filesystem::path& dir,
                                                              const TrustPolicy& policy);

// The policy of the command line's trusted key files and flag plus a hosts.toml's [global]
// trusted_keys and require_signed (when `manifest` is given).
Result<TrustPolicy> trust_policy(const std::vector<std::filesystem::path>& trusted_keys,
                                 bool require_signed, const HostsManifest* manifest);

struct BundleOptions {
  std::vector<std::filesystem::path> bundle_dirs;    // --host-bundle DIR (repeatable)
  std::optional<std::filesystem::path> host_config;  // --host-config FILE
  std::vector<std::filesystem::path> trusted_keys;   // --trusted-key FILE (repeatable)
  bool require_signed = false;                       // --require-signed
  std::function<void(const std::string&)> warn;      // the trust warnings; empty: none
  std::function<void(const std::string&)> note;      // -v: which bundle was chosen, and why
};

// Loads every bundle the options name and adds each as a provider (plus any preferences the
// manifest states) to `linker`.
Result<void> add_bundles(host::Linker& linker, const BundleOptions& options);

// Where a bundle comes from, once manifests are read.
struct BundleSpec {
  std::string name;              // the provider's name in messages
  std::filesystem::path origin;  // the file that asked for it: host.toml or hosts.toml
  std::string origin_item;       // "[host]" or "[[host]] 'keyvalue'", for messages
  std::optional<std::string> version;
  std::filesystem::path lib;  // resolved
  std::filesystem::path wit;  // resolved
  std::string world;
  std::optional<uint32_t> abi;
  ConfigEntries config;  // the defaults: [config] of `origin`
  // The configuration that overrides them ([host.config] of a hosts.toml), and where it is.
  ConfigEntries overrides;
  std::filesystem::path overrides_origin;
  std::string overrides_item;  // "[[host]] 'keyvalue' [host.config]"
};

// What the library's descriptor declares, for `berth bundle check`.
struct DescribedFunction {
  std::string name;
  std::string signature;
};
struct DescribedInterface {
  std::string name;
  std::vector<DescribedFunction> functions;
  std::vector<std::string> resources;
};

// A loaded bundle: a provider whose functions call into the native library.
class BundleProvider : public host::Provider {
 public:
  virtual const BundleSpec& spec() const = 0;
  virtual const std::string& library_name() const = 0;     // descriptor name
  virtual const std::string& library_version() const = 0;  // descriptor version
  virtual const std::string& world_name() const = 0;       // "keyvalue:store/kv-host@0.1.0"
  virtual const std::vector<DescribedInterface>& described() const = 0;
  // The configuration keys the library accepts (name, description); empty when it takes any.
  virtual const std::vector<std::pair<std::string, std::string>>& config_keys() const = 0;
};

// A bundle folder that passed check_bundle_trust, not loaded yet.
struct OpenedBundle {
  std::filesystem::path dir;
  std::shared_ptr<const BundleFiles> files;  // the checked bytes; null: read from the disk
};
Result<OpenedBundle> open_bundle_dir(const std::filesystem::path& dir, const TrustPolicy& policy);
// Loads it: host.toml, the WIT and the libraries come from `files` when there are any. `config`
// overrides its [config] defaults.
Result<std::shared_ptr<BundleProvider>> load_opened_bundle(const OpenedBundle& opened,
                                                           const ConfigEntries& config = {});

// Opens and loads the bundle in `dir` (DIR/host.toml).
Result<std::shared_ptr<BundleProvider>> load_bundle_dir(const std::filesystem::path& dir,
                                                        const ConfigEntries& config = {},
                                                        const TrustPolicy& policy = {});

// Loads a bundle described by `spec`: dlopen, entry symbol, ABI version, WIT, world, and the
// check of the descriptor against the WIT. With `files`, the library (and the shared libraries
// beside it) and the WIT come from those bytes: the library is loaded from a sealed in-memory
// copy, so a file replaced on disk after the check changes nothing.
Result<std::shared_ptr<BundleProvider>> load_bundle(BundleSpec spec,
                                                    std::shared_ptr<const BundleFiles> files = {});

// The bundles a hosts.toml names, with the preferences it states (interface path, provider).
struct LoadedHosts {
  std::vector<std::shared_ptr<BundleProvider>> providers;
  std::vector<std::pair<std::string, std::string>> preferences;
};
// `trusted_keys`, `require_signed` and `warn` join the manifest's own policy. Each [[host]]
// naming a bundle folder gets the highest version on the search paths that meets its `version`
// requirement and loads (docs/bundles.md, "Versions"); `note` hears which folder was chosen and
// why every other candidate was passed over (berth run -v).
Result<LoadedHosts> load_hosts_manifest(const std::filesystem::path& file,
                                        const std::vector<std::filesystem::path>& trusted_keys = {},
                                        bool require_signed = false,
                                        std::function<void(const std::string&)> warn = {},
                                        std::function<void(const std::string&)> note = {});

}  // namespace berth::bundle
