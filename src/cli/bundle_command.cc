#include "cli/bundle_command.h"

#include <fmt/format.h>

#include <filesystem>

#include "berth/bundle/bundle.h"
#include "berth/component/component.h"
#include "berth/engine/engine.h"
#include "berth/host/linker.h"
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

// Why a bundle offers nothing for `import`: another version of the interface, or nothing.
std::string why_not_provided(const bundle::BundleProvider& b, const std::string& import) {
  std::optional<wit::InterfaceName> wanted = wit::parse_interface_name(import);
  if (!wanted) return "not provided by this bundle";
  for (const host::ProvidedInterface& provided : b.interfaces()) {
    std::optional<wit::InterfaceName> name = wit::parse_interface_name(provided.name);
    if (name && name->path() == wanted->path()) {
      return fmt::format(
          "NOT satisfied: the bundle provides {}, whose version is not "
          "compatible with the import's",
          provided.name);
    }
  }
  return "not provided by this bundle";
}

Result<int> check_component(const std::shared_ptr<bundle::BundleProvider>& b,
                            const std::string& path) {
  BERTH_TRY_ASSIGN(std::vector<uint8_t> bytes, read_file(path));
  BERTH_TRY_ASSIGN(auto engine, engine::create_engine({}));
  BERTH_TRY_ASSIGN(auto component, component::load_component(*engine, std::move(bytes), path));
  host::Linker linker;
  linker.add(b);
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
      std::string indented = "    " + *problem;
      for (size_t at = indented.find('\n'); at != std::string::npos;
           at = indented.find('\n', at + 1)) {
        indented.insert(at + 1, "    ");
      }
      fmt::print("{}\n", indented);
    } else if (binding.provider) {
      fmt::print("  {}: satisfied by {}\n", binding.import, binding.interface);
    } else {
      std::string why = why_not_provided(*b, binding.import);
      if (why.rfind("NOT", 0) == 0) status = kExitUnsatisfied;
      fmt::print("  {}: {}\n", binding.import, why);
    }
  }
  return status;
}

Result<int> bundle_check(const BundleCommandOptions& options) {
  fs::path dir(options.bundle);
  if (dir.filename() == "host.toml") dir = dir.parent_path();
  BERTH_TRY_ASSIGN(bundle::TrustPolicy policy, trust_policy_of(options.trust));
  BERTH_TRY_ASSIGN(std::shared_ptr<bundle::BundleProvider> b,
                   bundle::load_bundle_dir(dir, {}, policy));
  print_bundle(*b);
  if (!options.component) return kExitOk;
  return check_component(b, *options.component);
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
