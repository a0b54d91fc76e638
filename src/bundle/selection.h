// Choosing the bundle folder a hosts.toml [[host]] names (selection.cc), and the steps of
// loading it that loader.cc shares with it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "berth/bundle/bundle.h"
#include "berth/bundle/manifest.h"
#include "berth/wit/version_range.h"

namespace berth::bundle {

// What -v prints: one line per decision.
using Note = std::function<void(const std::string&)>;

// loader.cc: a BundleSpec of a bundle folder's host.toml, and host.toml read from the bytes the
// trust check read (from the disk when there are none).
BundleSpec spec_from_manifest(const HostManifest& manifest);
Result<HostManifest> read_checked_host_manifest(const OpenedBundle& opened);

// Whether a stated version (host.toml's, a library's) meets `range`; none stated does not.
bool version_meets(const wit::VersionRange& range, const std::optional<wit::Version>& version);
bool version_meets(const wit::VersionRange& range, const std::optional<std::string>& version);

// The bundle `entry` names (entry.bundle set): among the folders on the search paths that hold
// it, the highest version meeting entry.version, the earlier search path among equals; a
// candidate that fails its trust check or does not load is passed over for the next. `note`
// hears the choice and why each other candidate was passed over.
Result<std::shared_ptr<BundleProvider>> select_bundle(const HostsManifest& manifest,
                                                      const HostEntry& entry,
                                                      const TrustPolicy& policy, const Note& note);

}  // namespace berth::bundle
