// host.toml and hosts.toml, read with toml++. Every key is checked: unknown ones are errors, and
// each message names the file (with line and column), the key and what was expected.
#include "berth/bundle/manifest.h"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <set>

#include "berth/wit/component_bridge.h"
#include "berth/wit/semver.h"
#include "support/file.h"
#include "toml_reader.h"

namespace berth::bundle {
namespace fs = std::filesystem;

void set_config(ConfigEntries& entries, std::string key, std::string value) {
  for (auto& [k, v] : entries) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  entries.emplace_back(std::move(key), std::move(value));
}

namespace {

Result<uint32_t> read_abi(const TableReader& host, const fs::path& file) {
  const toml::node* node = host.get("abi");
  const auto* value = node->as_integer();
  if (value == nullptr) return host.mistyped("abi", *node, "an integer (the bundle ABI version)");
  if (value->get() < 1 || value->get() > UINT32_MAX) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: [host] 'abi': expected a bundle ABI version (a positive "
                             "integer), found {}",
                             where(file, node->source()), value->get()));
  }
  return static_cast<uint32_t>(value->get());
}

}  // namespace

Result<HostManifest> parse_host_manifest(std::string_view text, const fs::path& file) {
  BERTH_TRY_ASSIGN(toml::table root, parse_toml(text, file));
  TableReader top(file, "the top level", root);
  BERTH_TRY(top.check_keys({"host", "config"}));
  const toml::node* host_node = root.get("host");
  if (host_node == nullptr) {
    return Error(
        ErrorCode::kInvalid,
        fmt::format("{}: no [host] table (expected [host] with name, lib and wit)", file.string()));
  }
  if (!host_node->is_table()) return top.mistyped("host", *host_node, "a table");
  TableReader host(file, "[host]", *host_node->as_table());
  BERTH_TRY(host.check_keys({"name", "version", "lib", "wit", "world", "abi"}));

  HostManifest manifest;
  manifest.file = file;
  BERTH_TRY_ASSIGN(manifest.name, host.required_string("name", "the bundle's name"));
  BERTH_TRY_ASSIGN(manifest.version, host.version("version", "the bundle's version"));
  BERTH_TRY_ASSIGN(std::string lib,
                   host.required_string("lib", "the shared library, relative to the bundle"));
  BERTH_TRY_ASSIGN(std::string wit,
                   host.required_string("wit", "a .wit file or folder, relative to the bundle"));
  manifest.lib = anchored(file, lib);
  manifest.wit = anchored(file, wit);
  BERTH_TRY_ASSIGN(std::optional<std::string> world, host.string("world", "a WIT world name"));
  manifest.world = world.value_or("");
  if (host.get("abi") != nullptr) {
    BERTH_TRY_ASSIGN(manifest.abi, read_abi(host, file));
  }
  BERTH_TRY_ASSIGN(manifest.config, top.config("config", "[config]"));
  return manifest;
}

Result<HostManifest> read_host_manifest(const fs::path& bundle_dir) {
  std::error_code ec;
  if (!fs::is_directory(bundle_dir, ec)) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: bundle folder not found (expected a folder holding host.toml)",
                             bundle_dir.string()));
  }
  fs::path file = bundle_dir / "host.toml";
  if (!fs::exists(file, ec)) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: no host.toml in the bundle folder", file.string()));
  }
  BERTH_TRY_ASSIGN(std::vector<uint8_t> bytes, read_file(file));
  return parse_host_manifest(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), file);
}

Result<HostsManifest> parse_hosts_manifest(std::string_view text, const fs::path& file) {
  BERTH_TRY_ASSIGN(toml::table root, parse_toml(text, file));
  TableReader top(file, "the top level", root);
  BERTH_TRY(top.check_keys({"global", "host"}));
  HostsManifest manifest;
  manifest.file = file;

  if (const toml::node* global_node = root.get("global")) {
    if (!global_node->is_table()) return top.mistyped("global", *global_node, "a table");
    TableReader global(file, "[global]", *global_node->as_table());
    BERTH_TRY(global.check_keys({"search_paths", "trusted_keys", "require_signed"}));
    BERTH_TRY_ASSIGN(std::vector<std::string> paths,
                     global.strings("search_paths",
                                    "folders holding bundles, relative to "
                                    "this file"));
    for (const std::string& path : paths) manifest.search_paths.push_back(anchored(file, path));
    BERTH_TRY_ASSIGN(std::vector<std::string> keys,
                     global.strings("trusted_keys", "public key files, relative to this file"));
    for (const std::string& key : keys) manifest.trusted_keys.push_back(anchored(file, key));
    BERTH_TRY_ASSIGN(std::optional<bool> require_signed, global.boolean("require_signed"));
    manifest.require_signed = require_signed.value_or(false);
  }

  const toml::node* hosts_node = root.get("host");
  if (hosts_node == nullptr) return manifest;
  const toml::array* hosts = hosts_node->as_array();
  if (hosts == nullptr || !hosts->is_array_of_tables()) {
    return top.mistyped("host", *hosts_node, "an array of tables ([[host]] entries)");
  }
  std::set<std::string> names;
  size_t index = 0;
  for (const toml::node& node : *hosts) {
    ++index;
    const toml::table& table = *node.as_table();
    std::string item = fmt::format("[[host]] #{}", index);
    if (const toml::node* name = table.get("name"); name && name->is_string()) {
      item = fmt::format("[[host]] '{}'", name->as_string()->get());
    }
    TableReader host(file, item, table);
    BERTH_TRY(
        host.check_keys({"name", "bundle", "wit", "lib", "world", "version", "prefer", "config"}));
    HostEntry entry;
    BERTH_TRY_ASSIGN(entry.name, host.required_string("name", "the host's name"));
    if (!names.insert(entry.name).second) {
      return Error(ErrorCode::kInvalid,
                   fmt::format("{}: {}: the name is used by an earlier [[host]] (expected each "
                               "host to have its own name)",
                               where(file, table.source()), item));
    }
    BERTH_TRY_ASSIGN(entry.bundle, host.string("bundle", "a bundle folder on a search path"));
    BERTH_TRY_ASSIGN(std::optional<std::string> wit, host.string("wit", "a .wit file or folder"));
    BERTH_TRY_ASSIGN(std::optional<std::string> lib, host.string("lib", "a shared library"));
    BERTH_TRY_ASSIGN(std::optional<std::string> world, host.string("world", "a WIT world name"));
    BERTH_TRY_ASSIGN(entry.version, host.version_range("version"));
    BERTH_TRY_ASSIGN(entry.prefer, host.strings("prefer",
                                                "interface paths such as "
                                                "\"keyvalue:store/store\""));
    if (const toml::node* prefer = table.get("prefer")) {
      for (const toml::node& element : *prefer->as_array()) {
        const std::string& path = element.as_string()->get();
        auto name = wit::parse_interface_name(path);
        if (!name || name->version) {
          return Error(ErrorCode::kInvalid,
                       fmt::format("{}: {} 'prefer': \"{}\" is not an interface path (expected "
                                   "namespace:package/interface, without a version)",
                                   where(file, element.source()), item, path));
        }
      }
    }
    BERTH_TRY_ASSIGN(entry.config, host.config("config", fmt::format("{} [host.config]", item)));
    if (entry.bundle && (wit || lib)) {
      return Error(ErrorCode::kInvalid,
                   fmt::format("{}: {} has both 'bundle' and '{}' (expected either a bundle "
                               "folder or an explicit 'wit' + 'lib' pair)",
                               where(file, table.source()), item, wit ? "wit" : "lib"));
    }
    if (wit.has_value() != lib.has_value()) {
      return Error(
          ErrorCode::kInvalid,
          fmt::format("{}: {} has '{}' without '{}' (expected an explicit 'wit' + 'lib' "
                      "pair)",
                      where(file, table.source()), item, wit ? "wit" : "lib", wit ? "lib" : "wit"));
    }
    if (world && !wit) {
      return Error(ErrorCode::kInvalid,
                   fmt::format("{}: {} has 'world' without 'wit' and 'lib' (a bundle folder's "
                               "world is set in its host.toml)",
                               where(file, table.source()), item));
    }
    if (wit) {
      entry.wit = anchored(file, *wit);
      entry.lib = anchored(file, *lib);
      entry.world = world.value_or("");
    } else if (!entry.bundle) {
      entry.bundle = entry.name;
    }
    manifest.hosts.push_back(std::move(entry));
  }
  return manifest;
}

Result<HostsManifest> read_hosts_manifest(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: host configuration file not found", file.string()));
  }
  BERTH_TRY_ASSIGN(std::vector<uint8_t> bytes, read_file(file));
  return parse_hosts_manifest(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), file);
}

}  // namespace berth::bundle
