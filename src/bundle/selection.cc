// Choosing among the bundle folders on a hosts.toml's search paths: every folder that holds the
// bundle, its version against the [[host]] requirement, the highest first, and the reasons
// each other candidate was passed over, for -v and for the error when none will do.
#include "selection.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "berth/wit/version_range.h"

namespace berth::bundle {
namespace {

namespace fs = std::filesystem;

struct Candidate {
  fs::path dir;
  std::optional<wit::Version> version;
  std::string version_text;  // as host.toml states it, or "not stated"
  std::string passed_over;   // why it was not chosen; empty while it still may be
};

// A folder that may hold the bundle, with its host.toml as read (once) while looking.
struct Found {
  fs::path dir;
  Result<HostManifest> host;
};

// Every folder on the search paths that holds bundle `wanted`, in search-path order: SEARCH/wanted,
// and any other SEARCH/* whose host.toml names it, so that versions can sit side by side.
std::vector<Found> find_candidates(const HostsManifest& manifest, const std::string& wanted) {
  std::vector<Found> found;
  auto known = [&](const fs::path& dir) {
    return std::any_of(found.begin(), found.end(), [&](const Found& f) { return f.dir == dir; });
  };
  std::error_code ec;
  if (fs::path(wanted).is_absolute()) {
    fs::path dir = fs::path(wanted).lexically_normal();
    if (fs::is_directory(dir, ec)) found.push_back({dir, read_host_manifest(dir)});
    return found;
  }
  for (const fs::path& search : manifest.search_paths) {
    fs::path named = (search / wanted).lexically_normal();
    if (!known(named) && fs::is_directory(named, ec)) {
      found.push_back({named, read_host_manifest(named)});
    }
    std::vector<fs::path> others;
    for (fs::directory_iterator it(search, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_directory(ec) && fs::exists(it->path() / "host.toml", ec)) {
        others.push_back(it->path().lexically_normal());
      }
    }
    std::sort(others.begin(), others.end());  // directory order is the file system's whim
    for (const fs::path& dir : others) {
      if (known(dir)) continue;
      auto host = read_host_manifest(dir);
      if (host && host->name == wanted) found.push_back({dir, std::move(host)});
    }
  }
  return found;
}

std::string search_paths_text(const HostsManifest& manifest) {
  std::vector<std::string> paths;
  for (const fs::path& dir : manifest.search_paths) paths.push_back(dir.string());
  return paths.empty() ? "[global] search_paths is empty"
                       : fmt::format("{}", fmt::join(paths, ", "));
}

// Loads candidate `c`: the trust check, host.toml as checked (its version must still meet the
// requirement), then the library.
Result<std::shared_ptr<BundleProvider>> load_candidate(
    const Candidate& c, const HostEntry& entry, const std::optional<wit::VersionRange>& range,
    const HostsManifest& manifest, const TrustPolicy& policy) {
  BERTH_TRY_ASSIGN(OpenedBundle opened, open_bundle_dir(c.dir, policy));
  BERTH_TRY_ASSIGN(HostManifest host, read_checked_host_manifest(opened));
  if (range && !version_meets(*range, host.version)) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: version {} does not meet \"{}\"", host.file.string(),
                             host.version.value_or("not stated"), range->text()));
  }
  BundleSpec spec = spec_from_manifest(host);
  spec.name = entry.name;
  spec.overrides = entry.config;
  spec.overrides_origin = manifest.file;
  spec.overrides_item = fmt::format("[[host]] '{}' [host.config]", entry.name);
  return load_bundle(std::move(spec), opened.files);
}

}  // namespace

bool version_meets(const wit::VersionRange& range, const std::optional<wit::Version>& version) {
  return version && range.matches(*version);
}

bool version_meets(const wit::VersionRange& range, const std::optional<std::string>& version) {
  auto parsed = version ? wit::Version::parse(*version)
                        : Result<wit::Version>(Error(ErrorCode::kNotFound, ""));
  return parsed && range.matches(*parsed);
}

Result<std::shared_ptr<BundleProvider>> select_bundle(const HostsManifest& manifest,
                                                      const HostEntry& entry,
                                                      const TrustPolicy& policy, const Note& note) {
  std::string where = fmt::format("{}: [[host]] '{}'", manifest.file.string(), entry.name);
  std::optional<wit::VersionRange> range;
  if (entry.version) {
    BERTH_TRY_ASSIGN(range, wit::VersionRange::parse(*entry.version));
  }
  std::vector<Found> found = find_candidates(manifest, *entry.bundle);
  if (found.empty()) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: bundle folder '{}' not found on the search paths ({})", where,
                             *entry.bundle, search_paths_text(manifest)));
  }

  std::vector<Candidate> candidates;
  for (const Found& f : found) {
    Candidate c{.dir = f.dir, .version_text = "not stated"};
    if (!f.host) {
      c.passed_over = fmt::format("host.toml does not read: {}", f.host.error().message());
    } else if (f.host->version) {
      c.version_text = *f.host->version;
      c.version = *wit::Version::parse(*f.host->version);  // read_host_manifest checked it
    }
    if (c.passed_over.empty() && range && !version_meets(*range, c.version)) {
      c.passed_over =
          c.version ? fmt::format("version {} does not meet \"{}\"", c.version_text, range->text())
                    : fmt::format("it states no version, and \"{}\" asks for one", range->text());
    }
    candidates.push_back(std::move(c));
  }

  // The highest version first; a stable sort keeps search-path order among equals, and puts
  // folders that state no version last.
  std::vector<Candidate*> order;
  for (Candidate& c : candidates) {
    if (c.passed_over.empty()) order.push_back(&c);
  }
  std::stable_sort(order.begin(), order.end(), [](const Candidate* a, const Candidate* b) {
    if (!a->version || !b->version) return a->version.has_value() && !b->version.has_value();
    return wit::compare(*a->version, *b->version) > 0;
  });

  const Candidate* chosen = nullptr;
  std::shared_ptr<BundleProvider> provider;
  std::vector<Error> load_errors;
  for (Candidate* c : order) {
    if (chosen != nullptr) {
      bool same = c->version && chosen->version && wit::compare(*c->version, *chosen->version) == 0;
      c->passed_over =
          same ? fmt::format("version {} too, later on the search paths", c->version_text)
               : fmt::format("version {} is lower", c->version_text);
      continue;
    }
    auto loaded = load_candidate(*c, entry, range, manifest, policy);
    if (!loaded) {
      c->passed_over = fmt::format("it did not load: {}", loaded.error().message());
      load_errors.push_back(std::move(loaded).error());
      continue;
    }
    chosen = c;
    provider = std::move(*loaded);
  }

  if (chosen == nullptr) {
    // One folder, which did not load: its own error says it best.
    if (candidates.size() == 1 && load_errors.size() == 1) return std::move(load_errors.front());
    std::string found;
    for (const Candidate& c : candidates) {
      found +=
          fmt::format("\n    {} (version {}): {}", c.dir.string(), c.version_text, c.passed_over);
    }
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: no bundle folder '{}' will do{}; found:{}", where, *entry.bundle,
                             range ? fmt::format(" for \"{}\"", range->text()) : "", found));
  }
  if (note) {
    note(fmt::format("{}: chose {} (version {}{})", where, chosen->dir.string(),
                     chosen->version_text,
                     range ? fmt::format(", the highest meeting \"{}\"", range->text())
                     : candidates.size() > 1 ? ", the highest found"
                                             : ""));
    for (const Candidate& c : candidates) {
      if (&c != chosen)
        note(fmt::format("{}: passed over {}: {}", where, c.dir.string(), c.passed_over));
    }
  }
  return provider;
}

}  // namespace berth::bundle
