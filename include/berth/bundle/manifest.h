// The two manifest formats of host bundles (docs/bundles.md):
//  - host.toml, inside a bundle folder: what the bundle is ([host] name, lib, wit, version,
//    world, abi) and its default [config];
//  - hosts.toml, written by whoever runs components: where bundles are found ([global]
//    search_paths) and which to load ([[host]] by bundle folder or by explicit wit + lib), with
//    per-host [host.config] and the interfaces a host is preferred for.
// Unknown keys are errors; every error names the file, the key and what was expected.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "berth/result.h"

namespace berth::bundle {

// Configuration entries (a TOML table gives them in key order); a later entry of a key wins.
using ConfigEntries = std::vector<std::pair<std::string, std::string>>;

// Sets `key` to `value` in `entries`, replacing an earlier entry of the key.
void set_config(ConfigEntries& entries, std::string key, std::string value);

struct HostManifest {
  std::filesystem::path file;  // the host.toml it was read from
  std::string name;
  std::optional<std::string> version;
  std::filesystem::path lib;  // absolute, or relative to the folder holding `file`
  std::filesystem::path wit;  // a .wit file or folder, likewise
  std::string world;          // empty: the WIT package's only world
  std::optional<uint32_t> abi;
  ConfigEntries config;
};

// Parses host.toml text; `file` names it in messages and anchors relative paths.
Result<HostManifest> parse_host_manifest(std::string_view text, const std::filesystem::path& file);
// Reads DIR/host.toml.
Result<HostManifest> read_host_manifest(const std::filesystem::path& bundle_dir);

struct HostEntry {
  std::string name;
  // A bundle folder found on a search path; when neither it nor wit/lib is given, `name`.
  std::optional<std::string> bundle;
  std::optional<std::filesystem::path> wit;  // explicit WIT + library pair (resolved paths)
  std::optional<std::filesystem::path> lib;
  std::string world;  // explicit pair only: the world to use
  // A requirement the bundle's version must meet ("^1.2", ">=1.2, <2"; wit/version_range.h).
  std::optional<std::string> version;
  std::vector<std::string> prefer;  // interface paths ("ns:pkg/iface") this host wins for
  ConfigEntries config;             // [host.config]
};

struct HostsManifest {
  std::filesystem::path file;
  std::vector<std::filesystem::path> search_paths;  // resolved against the file's folder
  std::vector<std::filesystem::path> trusted_keys;  // public key files, likewise
  bool require_signed = false;
  std::vector<HostEntry> hosts;
};

Result<HostsManifest> parse_hosts_manifest(std::string_view text,
                                           const std::filesystem::path& file);
Result<HostsManifest> read_hosts_manifest(const std::filesystem::path& file);

}  // namespace berth::bundle
