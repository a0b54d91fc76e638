#include "cli/bundle_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "berth/bundle/bundle.h"
#include "berth/component/component.h"
#include "berth/engine/engine.h"
#include "berth/host/linker.h"
#include "berth/wasi/wasi.h"
#include "berth/wit/component_bridge.h"
#include "cli/exit_codes.h"
#include "support/file.h"

namespace berth::cli {
namespace {

namespace fs = std::filesystem;

// Exit status of `bundle check` when the bundle loads but does not satisfy the component.
constexpr int kExitUnsatisfied = 1;

void print_bundle(const bundle::BundleProvider& b) {
  const bundle::BundleSpec& spec = b.spec();
  fmt::print("bundle {} {}\n", b.library_name(), b.library_version());
  fmt::print("  manifest: {}\n", spec.origin.string());
  fmt::print("  library:  {}\n", spec.lib.string());
  fmt::print("  wit:      {} (world {})\n", spec.wit.string(), b.world_name());
  if (!b.config_keys().empty()) {
    fmt::print("  configuration keys:\n");
    for (const auto& [key, description] : b.config_keys()) {
      fmt::print("    {}{}{}\n", key, description.empty() ? "" : ": ", description);
    }
  }
  fmt::print("provides:\n");
  for (const bundle::DescribedInterface& iface : b.described()) {
    fmt::print("  {}\n", iface.name);
    for (const std::string& resource : iface.resources) fmt::print("    resource {}\n", resource);
    for (const bundle::DescribedFunction& fn : iface.functions) {
      fmt::print("    {}: {}\n", fn.name, fn.signature);
    }
  }
}

// Prints a multi-line problem indented by `indent`.
void print_indented(const std::string& text, const std::string& indent) {
  std::string indented = indent + text;
  for (size_t at = indented.find('\n'); at != std::string::npos; at = indented.find('\n', at + 1)) {
    indented.insert(at + 1, indent);
  }
  fmt::print("{}\n", indented);
}

// The bundles being checked: one folder, or every bundle a hosts.toml names.
struct CheckedBundles {
  std::vector<std::shared_ptr<bundle::BundleProvider>> providers;
  std::vector<std::pair<std::string, std::string>> preferences;
};

// Why the bundles offer nothing for `import`: another version of the interface, or nothing.
std::string why_not_provided(const CheckedBundles& bundles, const std::string& import) {
  std::string nothing = bundles.providers.size() == 1 ? "not provided by this bundle"
                                                      : "not provided by these bundles";
  std::optional<wit::InterfaceName> wanted = wit::parse_interface_name(import);
  if (!wanted) return nothing;
  for (const auto& b : bundles.providers) {
    for (const host::ProvidedInterface& provided : b->interfaces()) {
      std::optional<wit::InterfaceName> name = wit::parse_interface_name(provided.name);
      if (name && name->path() == wanted->path()) {
        return fmt::format(
            "NOT satisfied: {} provides {}, whose version is not compatible with the import's",
            b->name(), provided.name);
      }
    }
  }
  return nothing;
}

Result<int> check_component(const CheckedBundles& bundles, const std::string& path) {
  BERTH_TRY_ASSIGN(std::vector<uint8_t> bytes, read_file(path));
  BERTH_TRY_ASSIGN(auto engine, engine::create_engine({}));
  BERTH_TRY_ASSIGN(auto component, component::load_component(*engine, std::move(bytes), path));
  // Built-in WASI is there too, as with berth run, so that its imports are not reported missing.
  BERTH_TRY_ASSIGN(std::shared_ptr<host::Provider> wasi, wasi::make_provider({}));
  host::Linker linker;
  linker.add(wasi);
  for (const auto& b : bundles.providers) linker.add(b);
  for (const auto& [interface, provider] : bundles.preferences) linker.prefer(interface, provider);
  host::LinkReport report = linker.check(component->type());

  int status = kExitOk;
  fmt::print("component {}:\n", path);
  if (report.bindings.empty()) fmt::print("  (no imports)\n");
  for (const host::ImportBinding& binding : report.bindings) {
    std::string quoted = "'" + binding.import + "'";
    const std::string* problem = nullptr;
    for (const std::string& p : report.problems) {
      if (p.find(quoted) != std::string::npos && p.rfind("nothing provides", 0) != 0) {
        problem = &p;
      }
    }
    if (problem != nullptr) {
      status = kExitUnsatisfied;
      fmt::print("  {}: NOT satisfied:\n", binding.import);
      print_indented(*problem, "    ");
    } else if (binding.provider == wasi) {
      fmt::print("  {}: provided by built-in WASI ({})\n", binding.import, binding.interface);
    } else if (binding.provider) {
      fmt::print("  {}: satisfied by {}\n", binding.import, binding.interface);
    } else {
      std::string why = why_not_provided(bundles, binding.import);
      if (why.rfind("NOT", 0) == 0) status = kExitUnsatisfied;
      fmt::print("  {}: {}\n", binding.import, why);
    }
  }
  return status;
}

// The bundles' dependencies (the interfaces their worlds import) resolved against each other and
// built-in WASI, as berth run would: the problems always, the graph with -v.
Result<int> check_dependencies(const CheckedBundles& bundles, bool verbose) {
  BERTH_TRY_ASSIGN(std::shared_ptr<host::Provider> wasi, wasi::make_provider({}));
  host::Linker linker;
  linker.add(wasi);
  for (const auto& b : bundles.providers) linker.add(b);
  for (const auto& [interface, provider] : bundles.preferences) linker.prefer(interface, provider);
  host::LinkReport report = linker.check_providers();
  if (verbose) {
    fmt::print("dependencies:\n");
    for (const auto& b : bundles.providers) {
      if (b->dependencies().empty()) {
        fmt::print("  {}: none\n", b->name());
        continue;
      }
      fmt::print("  {}:\n", b->name());
      for (const host::ProvidedInterface& needed : b->dependencies()) {
        auto it = std::find_if(
            report.dependencies.begin(), report.dependencies.end(),
            [&](const host::Dependency& d) { return d.provider == b && d.import == needed.name; });
        if (it == report.dependencies.end()) {
          fmt::print("    {}: NOT satisfied\n", needed.name);
        } else {
          fmt::print("    {}: {} ({})\n", needed.name, it->dependency->name(), it->interface);
        }
      }
    }
    fmt::print("creation order:\n");
    for (const auto& provider : report.creation_order) fmt::print("  {}\n", provider->name());
  }
  if (report.ok()) return kExitOk;
  fmt::print("dependencies NOT satisfied:\n");
  for (const std::string& problem : report.problems) print_indented(problem, "  ");
  return kExitUnsatisfied;
}

Result<int> bundle_check(const BundleCommandOptions& options) {
  fs::path path(options.bundle);
  CheckedBundles bundles;
  std::error_code ec;
  if (path.filename() != "host.toml" && fs::is_regular_file(path, ec)) {
    // A hosts.toml: every bundle it names, chosen as `berth run --host-config` would.
    bundle::BundleOptions load;
    apply_bundle_load_flags(options.bundle_loading, load);
    BERTH_TRY_ASSIGN(bundle::LoadedHosts hosts,
                     bundle::load_hosts_manifest(path, load.trusted_keys, load.require_signed,
                                                 load.warn, load.note));
    bundles.providers = std::move(hosts.providers);
    bundles.preferences = std::move(hosts.preferences);
  } else {
    if (path.filename() == "host.toml") path = path.parent_path();
    BERTH_TRY_ASSIGN(bundle::TrustPolicy policy, trust_policy_of(options.bundle_loading));
    BERTH_TRY_ASSIGN(std::shared_ptr<bundle::BundleProvider> b,
                     bundle::load_bundle_dir(path, {}, policy));
    bundles.providers.push_back(std::move(b));
  }
  for (const auto& b : bundles.providers) print_bundle(*b);
  BERTH_TRY_ASSIGN(int status, check_dependencies(bundles, options.bundle_loading.verbose));
  if (!options.component) return status;
  BERTH_TRY_ASSIGN(int component_status, check_component(bundles, *options.component));
  return std::max(status, component_status);
}

}  // namespace

int bundle_command(const BundleCommandOptions& options) {
  if (options.action != "check") {
    report_error(Error(ErrorCode::kUsage, "berth bundle: expected a subcommand"));
    return kExitUsage;
  }
  Result<int> status = bundle_check(options);
  if (!status) {
    report_error(status.error());
    return exit_code_for(status.error());
  }
  return *status;
}

}  // namespace berth::cli
