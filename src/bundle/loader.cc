// Loading bundles: manifests to BundleSpecs, dlopen, the entry symbol, the ABI version, the WIT
// and its world, and the check of the library's descriptor against that WIT.
#include <dlfcn.h>
#include <fmt/format.h>

#include <set>

#include "berth/component/native.h"
#include "berth/wit/component_bridge.h"
#include "berth/wit/resolve.h"
#include "berth/wit/semver.h"
#include "berth/wit/version_range.h"
#include "library.h"
#include "loaded_bundle.h"
#include "selection.h"

namespace berth::bundle {
namespace fs = std::filesystem;

namespace {

std::string text_or(const char* text, std::string_view fallback) {
  return text != nullptr ? std::string(text) : std::string(fallback);
}

// Resources an interface defines itself (not those it brings in with `use`).
std::vector<std::string> defined_resources(const wit::Resolve& resolve, wit::InterfaceId id) {
  std::vector<std::string> out;
  for (wit::TypeId type : resolve.interface(id).types) {
    const wit::TypeDef& def = resolve.type(type);
    if (std::holds_alternative<wit::Resource>(def.kind)) out.push_back(def.name);
  }
  return out;
}

// Reads the descriptor into the bundle's tables, refusing malformed entries.
Result<void> read_descriptor(LoadedBundle& bundle, const std::string& lib) {
  const berth_bundle_descriptor& d = *bundle.descriptor_;
  auto malformed = [&](std::string what) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: malformed bundle descriptor: {}", lib, what));
  };
  if (d.interface_count > 0 && d.interfaces == nullptr) {
    return malformed("interface_count is set but interfaces is NULL");
  }
  for (size_t i = 0; i < d.interface_count; ++i) {
    const berth_interface& iface = d.interfaces[i];
    if (iface.name == nullptr) return malformed(fmt::format("interface #{} has no name", i));
    if ((iface.function_count > 0 && iface.functions == nullptr) ||
        (iface.resource_count > 0 && iface.resources == nullptr)) {
      return malformed(fmt::format("interface '{}' has a count without its array", iface.name));
    }
    DescribedInterface described{.name = iface.name};
    auto& functions = bundle.functions_[iface.name];
    for (size_t f = 0; f < iface.function_count; ++f) {
      const berth_function& fn = iface.functions[f];
      if (fn.name == nullptr) {
        return malformed(fmt::format("function #{} of '{}' has no name", f, iface.name));
      }
      functions[fn.name] = &fn;
      described.functions.push_back({fn.name, text_or(fn.signature, "(no signature)")});
    }
    auto& resources = bundle.resources_[iface.name];
    for (size_t r = 0; r < iface.resource_count; ++r) {
      const berth_resource& res = iface.resources[r];
      if (res.name == nullptr) {
        return malformed(fmt::format("resource #{} of '{}' has no name", r, iface.name));
      }
      resources[res.name] = &res;
      described.resources.push_back(res.name);
    }
    bundle.described_.push_back(std::move(described));
  }
  if (d.config_keys != nullptr) {
    for (size_t i = 0; i < d.config_key_count; ++i) {
      if (d.config_keys[i].name == nullptr) {
        return malformed(fmt::format("configuration key #{} has no name", i));
      }
      bundle.config_keys_.emplace_back(d.config_keys[i].name,
                                       text_or(d.config_keys[i].description, ""));
    }
  }
  return {};
}

}  // namespace

std::optional<CheckedFunction> check_function(const wit::Resolve& resolve,
                                              std::string_view interface,
                                              const wit::Function& function,
                                              const berth_function& fn,
                                              std::vector<std::string>& out) {
  auto type = wit::function_type(resolve, function);
  if (!type) {
    out.push_back(
        fmt::format("{}: function '{}': {}", interface, function.name, type.error().message()));
    return std::nullopt;
  }
  std::string expected = component::native_signature(*type);
  std::string actual = text_or(fn.signature, "(none)");
  if (expected != actual) {
    out.push_back(
        fmt::format("{}: function '{}' has another signature in the library\n"
                    "      WIT:     {}\n      library: {}",
                    interface, function.name, expected, actual));
    return std::nullopt;
  }
  auto layout = component::native_function_layout(*type);
  if (!layout) {
    out.push_back(
        fmt::format("{}: function '{}': {}", interface, function.name, layout.error().message()));
    return std::nullopt;
  }
  CheckedFunction checked{.type = std::move(*type),
                          .params = std::move(layout->params),
                          .result = std::move(layout->result)};
  uint32_t result_size = checked.result ? checked.result->size : 0;
  if (fn.params_size != checked.params->size || fn.result_size != result_size) {
    out.push_back(
        fmt::format("{}: function '{}': the library's parameter and result structs "
                    "are {} and {} bytes; the native layout of the WIT makes "
                    "them {} and {} bytes",
                    interface, function.name, fn.params_size, fn.result_size, checked.params->size,
                    result_size));
    return std::nullopt;
  }
  return checked;
}

namespace {

// Every way the descriptor differs from the WIT world, one line each.
std::vector<std::string> descriptor_differences(const LoadedBundle& bundle) {
  std::vector<std::string> out;
  const berth_bundle_descriptor& d = *bundle.descriptor_;
  const wit::Resolve& resolve = bundle.resolve_;
  if (d.world != nullptr && bundle.world_name_ != d.world) {
    out.push_back(fmt::format("the library was generated from world {}, the WIT's world is {}",
                              d.world, bundle.world_name_));
  }
  std::set<std::string> exported;
  for (const host::ProvidedInterface& provided : bundle.interfaces_) {
    exported.insert(provided.name);
    auto functions = bundle.functions_.find(provided.name);
    if (functions == bundle.functions_.end()) {
      out.push_back(
          fmt::format("the WIT world exports interface {}; the library does not "
                      "provide it",
                      provided.name));
      continue;
    }
    const wit::Interface& iface = resolve.interface(provided.id);
    std::set<std::string, std::less<>> declared;
    for (const wit::Function& function : iface.functions) {
      declared.insert(function.name);
      auto it = functions->second.find(function.name);
      if (it == functions->second.end()) {
        out.push_back(
            fmt::format("{}: the WIT declares function '{}'; the library does not "
                        "implement it",
                        provided.name, function.name));
        continue;
      }
      const berth_function& fn = *it->second;
      if (!check_function(resolve, provided.name, function, fn, out)) continue;
      if (fn.impl == nullptr) {
        out.push_back(fmt::format("{}: function '{}' has no implementation (impl is NULL)",
                                  provided.name, function.name));
      }
    }
    for (const auto& [name, fn] : functions->second) {
      if (!declared.contains(name)) {
        out.push_back(
            fmt::format("{}: the library implements function '{}', which the WIT does "
                        "not declare",
                        provided.name, name));
      }
    }
    std::vector<std::string> wit_resources = defined_resources(resolve, provided.id);
    auto resources = bundle.resources_.find(provided.name);
    for (const std::string& name : wit_resources) {
      if (resources == bundle.resources_.end() || !resources->second.contains(name)) {
        out.push_back(
            fmt::format("{}: the WIT declares resource '{}'; the library does not "
                        "describe it",
                        provided.name, name));
      }
    }
    if (resources != bundle.resources_.end()) {
      for (const auto& [name, res] : resources->second) {
        if (std::find(wit_resources.begin(), wit_resources.end(), name) == wit_resources.end()) {
          out.push_back(
              fmt::format("{}: the library describes resource '{}', which the WIT "
                          "does not declare",
                          provided.name, name));
        }
      }
    }
  }
  for (const DescribedInterface& described : bundle.described_) {
    if (!exported.contains(described.name)) {
      out.push_back(
          fmt::format("the library provides interface {}, which the WIT world does not "
                      "export",
                      described.name));
    }
  }
  return out;
}

// Refuses configuration keys the library does not accept.
Result<void> check_config_keys(const LoadedBundle& bundle, const ConfigEntries& entries,
                               const fs::path& file, const std::string& item) {
  if (bundle.descriptor_->config_keys == nullptr) return {};
  for (const auto& [key, value] : entries) {
    bool known = std::any_of(bundle.config_keys_.begin(), bundle.config_keys_.end(),
                             [&](const auto& k) { return k.first == key; });
    if (known) continue;
    std::string list;
    for (const auto& k : bundle.config_keys_) {
      list += fmt::format("{}'{}'", list.empty() ? "" : ", ", k.first);
    }
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: {} key '{}' is not a configuration key of bundle '{}' "
                             "(expected one of: {})",
                             file.string(), item, key, bundle.library_name_,
                             list.empty() ? "none; it takes no configuration" : list));
  }
  return {};
}

// The ABI version the library states in berth_bundle_abi (1.0 for a library from before 1.1,
// which has no such symbol), read before anything in the library is called. Another major, or
// a newer minor than this berth's, is refused with both versions named.
Result<berth_abi_version> library_abi(void* handle, const std::string& lib) {
  dlerror();
  const auto* stated =
      static_cast<const berth_abi_version*>(dlsym(handle, BERTH_BUNDLE_ABI_SYMBOL));
  berth_abi_version abi = stated != nullptr ? *stated : berth_abi_version{1, 0};
  if (abi.major != BERTH_BUNDLE_ABI_VERSION) {
    return Error(ErrorCode::kUnsupported,
                 fmt::format("{}: the library was built for bundle ABI {}.{}; this berth speaks "
                             "ABI {}.{} and loads major {} only (rebuild the bundle against "
                             "this berth's berth/bundle.h)",
                             lib, abi.major, abi.minor, BERTH_BUNDLE_ABI_VERSION,
                             BERTH_BUNDLE_ABI_MINOR, BERTH_BUNDLE_ABI_VERSION));
  }
  if (abi.minor > BERTH_BUNDLE_ABI_MINOR) {
    return Error(
        ErrorCode::kUnsupported,
        fmt::format("{}: the library was built for bundle ABI {}.{}, newer than this "
                    "berth's {}.{}: it may use what this berth lacks (upgrade berth, "
                    "or rebuild the bundle against this berth's berth/bundle.h)",
                    lib, abi.major, abi.minor, BERTH_BUNDLE_ABI_VERSION, BERTH_BUNDLE_ABI_MINOR));
  }
  return abi;
}

}  // namespace

Result<std::shared_ptr<BundleProvider>> load_bundle(BundleSpec spec,
                                                    std::shared_ptr<const BundleFiles> files) {
  auto bundle = std::make_shared<LoadedBundle>();
  bundle->spec_ = std::move(spec);
  const BundleSpec& s = bundle->spec_;
  bundle->name_ = fmt::format("bundle '{}' ({})", s.name, s.origin.string());
  std::string lib = s.lib.string();

  const FileTree& tree = files ? static_cast<const FileTree&>(*files) : disk_files();
  if (!tree.is_regular_file(s.lib)) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: {} 'lib': the library {} does not exist{}", s.origin.string(),
                             s.origin_item, lib, files ? " among the bundle's checked files" : ""));
  }
  void* handle = nullptr;
  if (files) {
    BERTH_TRY_ASSIGN(
        handle, open_bundle_library(*files, s.lib,
                                    fmt::format("{}: {} 'lib'", s.origin.string(), s.origin_item)));
  } else {
    // RTLD_LOCAL keeps one bundle's symbols from resolving another's.
    handle = dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      return Error(ErrorCode::kIo,
                   fmt::format("{}: {} 'lib': cannot load {}: {}", s.origin.string(), s.origin_item,
                               lib, why ? why : "unknown dlopen error"));
    }
  }
  bundle->library_ = handle;
  BERTH_TRY_ASSIGN(berth_abi_version abi, library_abi(handle, lib));
  dlerror();
  void* entry = dlsym(handle, BERTH_BUNDLE_ENTRY_SYMBOL);
  if (entry == nullptr) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: not a berth bundle: it does not export the entry symbol '{}' "
                             "(declare it with BERTH_BUNDLE_EXPORT from berth/bundle.h)",
                             lib, BERTH_BUNDLE_ENTRY_SYMBOL));
  }
  auto entry_fn = reinterpret_cast<berth_bundle_entry_fn>(entry);
  const berth_bundle_descriptor* descriptor = entry_fn();
  if (descriptor == nullptr) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: {} returned no descriptor", lib, BERTH_BUNDLE_ENTRY_SYMBOL));
  }
  if (descriptor->abi_version != abi.major || descriptor->abi_minor != abi.minor) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: the descriptor says bundle ABI {}.{}, but the library's {} "
                             "says {}.{} (were they built against different berth/bundle.h?)",
                             lib, descriptor->abi_version, descriptor->abi_minor,
                             BERTH_BUNDLE_ABI_SYMBOL, abi.major, abi.minor));
  }
  if (s.abi && *s.abi != abi.major) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: {} 'abi' is {}, but {} was built for bundle ABI {}.{}",
                             s.origin.string(), s.origin_item, *s.abi, lib, abi.major, abi.minor));
  }
  bundle->descriptor_ = descriptor;
  bundle->library_name_ = text_or(descriptor->name, s.name);
  bundle->library_version_ = text_or(descriptor->version, "");
  BERTH_TRY(read_descriptor(*bundle, lib));

  // The WIT, seen from the bundle's side: the world's exports are what it provides.
  auto package = wit::load_path(bundle->resolve_, s.wit, {}, tree);
  if (!package) {
    return std::move(package.error().prepend(
        fmt::format("{}: {} 'wit' ({})", s.origin.string(), s.origin_item, s.wit.string())));
  }
  auto world = wit::select_world(bundle->resolve_, *package, s.world);
  if (!world) {
    return std::move(
        world.error().prepend(fmt::format("{}: {} 'world'", s.origin.string(), s.origin_item)));
  }
  bundle->world_ = *world;
  bundle->world_name_ = bundle->resolve_.world_path(*world);
  bundle->interfaces_ = host::exported_interfaces(bundle->resolve_, *world);
  bundle->dependencies_ = host::imported_interfaces(bundle->resolve_, *world);

  std::vector<std::string> differences = descriptor_differences(*bundle);
  BERTH_TRY_ASSIGN(std::vector<std::string> import_differences, read_imports(*bundle, lib));
  differences.insert(differences.end(), import_differences.begin(), import_differences.end());
  if (!differences.empty()) {
    std::string message = fmt::format(
        "{}: the library {} does not match the WIT {} (world {}); was it built from another "
        "version of the WIT?",
        bundle->name_, lib, s.wit.string(), bundle->world_name_);
    for (const std::string& d : differences) message += "\n    " + d;
    return Error(ErrorCode::kInvalid, std::move(message));
  }

  BERTH_TRY(check_config_keys(*bundle, s.config, s.origin, "[config]"));
  BERTH_TRY(check_config_keys(*bundle, s.overrides, s.overrides_origin, s.overrides_item));
  bundle->config_ = s.config;
  for (const auto& [key, value] : s.overrides) set_config(bundle->config_, key, value);
  return std::shared_ptr<BundleProvider>(std::move(bundle));
}

BundleSpec spec_from_manifest(const HostManifest& manifest) {
  BundleSpec spec;
  spec.name = manifest.name;
  spec.origin = manifest.file;
  spec.origin_item = "[host]";
  spec.version = manifest.version;
  spec.lib = manifest.lib;
  spec.wit = manifest.wit;
  spec.world = manifest.world;
  spec.abi = manifest.abi;
  spec.config = manifest.config;
  return spec;
}

// host.toml from the checked bytes when the trust check read the folder.
Result<HostManifest> read_checked_host_manifest(const OpenedBundle& opened) {
  if (!opened.files) return read_host_manifest(opened.dir);
  fs::path file = opened.dir / "host.toml";
  BERTH_TRY_ASSIGN(std::string text, opened.files->read(file));
  return parse_host_manifest(text, file);
}

Result<OpenedBundle> open_bundle_dir(const fs::path& dir, const TrustPolicy& policy) {
  OpenedBundle opened{.dir = dir};
  // The trust check comes before anything of the folder is used; a folder that is not there
  // gets read_host_manifest's error when it is loaded.
  std::error_code ec;
  if (fs::is_directory(dir, ec)) {
    BERTH_TRY_ASSIGN(opened.files, check_bundle_trust(dir, policy));
  }
  return opened;
}

Result<std::shared_ptr<BundleProvider>> load_opened_bundle(const OpenedBundle& opened,
                                                           const ConfigEntries& config) {
  BERTH_TRY_ASSIGN(HostManifest manifest, read_checked_host_manifest(opened));
  BundleSpec spec = spec_from_manifest(manifest);
  spec.overrides = config;
  spec.overrides_origin = manifest.file;
  spec.overrides_item = "configuration";
  return load_bundle(std::move(spec), opened.files);
}

Result<std::shared_ptr<BundleProvider>> load_bundle_dir(const fs::path& dir,
                                                        const ConfigEntries& config,
                                                        const TrustPolicy& policy) {
  BERTH_TRY_ASSIGN(OpenedBundle opened, open_bundle_dir(dir, policy));
  return load_opened_bundle(opened, config);
}

namespace {

// A [[host]] with an explicit wit + lib pair: not a folder, so never signed, and its version
// is the one the library's descriptor states.
Result<std::shared_ptr<BundleProvider>> load_explicit_pair(const HostsManifest& manifest,
                                                           const HostEntry& entry,
                                                           const TrustPolicy& policy) {
  const fs::path& file = manifest.file;
  std::string item = fmt::format("[[host]] '{}'", entry.name);
  if (policy.require_signed) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: {}: refusing to load an explicit wit + lib pair: signatures "
                             "are required and only a bundle folder can be signed",
                             file.string(), item));
  }
  if (policy.warn) {
    policy.warn(
        fmt::format("{}: {}: an explicit wit + lib pair is not signed; loading it "
                    "because signatures are not required (--require-signed)",
                    file.string(), item));
  }
  BundleSpec spec{.name = entry.name,
                  .origin = file,
                  .origin_item = item,
                  .lib = *entry.lib,
                  .wit = *entry.wit,
                  .world = entry.world,
                  .overrides = entry.config,
                  .overrides_origin = file,
                  .overrides_item = item + " [host.config]"};
  BERTH_TRY_ASSIGN(std::shared_ptr<BundleProvider> provider, load_bundle(std::move(spec)));
  if (entry.version) {
    BERTH_TRY_ASSIGN(wit::VersionRange range, wit::VersionRange::parse(*entry.version));
    if (!version_meets(range, std::optional<std::string>(provider->library_version()))) {
      return Error(ErrorCode::kInvalid,
                   fmt::format("{}: {}: the library's version {} does not meet \"{}\"",
                               file.string(), item, provider->library_version(), range.text()));
    }
  }
  return provider;
}

}  // namespace

Result<LoadedHosts> load_hosts_manifest(const fs::path& file,
                                        const std::vector<fs::path>& trusted_keys,
                                        bool require_signed,
                                        std::function<void(const std::string&)> warn,
                                        std::function<void(const std::string&)> note) {
  BERTH_TRY_ASSIGN(HostsManifest manifest, read_hosts_manifest(file));
  BERTH_TRY_ASSIGN(TrustPolicy policy, trust_policy(trusted_keys, require_signed, &manifest));
  policy.warn = std::move(warn);
  LoadedHosts out;
  for (const HostEntry& entry : manifest.hosts) {
    BERTH_TRY_ASSIGN(std::shared_ptr<BundleProvider> provider,
                     entry.bundle ? select_bundle(manifest, entry, policy, note)
                                  : load_explicit_pair(manifest, entry, policy));
    for (const std::string& path : entry.prefer) {
      out.preferences.emplace_back(path, provider->name());
    }
    out.providers.push_back(std::move(provider));
  }
  return out;
}

Result<void> add_bundles(host::Linker& linker, const BundleOptions& options) {
  BERTH_TRY_ASSIGN(TrustPolicy policy,
                   trust_policy(options.trusted_keys, options.require_signed, nullptr));
  policy.warn = options.warn;
  for (const fs::path& dir : options.bundle_dirs) {
    auto provider = load_bundle_dir(dir, {}, policy);
    if (!provider) return std::move(provider).error();
    if (options.note) {
      options.note(fmt::format("--host-bundle {}: bundle {} {}", dir.string(),
                               (*provider)->library_name(), (*provider)->library_version()));
    }
    linker.add(std::move(*provider));
  }
  if (options.host_config) {
    BERTH_TRY_ASSIGN(LoadedHosts hosts,
                     load_hosts_manifest(*options.host_config, options.trusted_keys,
                                         options.require_signed, options.warn, options.note));
    for (auto& provider : hosts.providers) linker.add(std::move(provider));
    for (auto& [path, provider] : hosts.preferences) linker.prefer(path, provider);
  }
  return {};
}

}  // namespace berth::bundle
