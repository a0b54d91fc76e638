// Semantic versions (semver.org 2.0) as carried by WIT package names, and the version matching
// rule berth uses to pair an import with a provider.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "berth/result.h"

namespace berth::wit {

struct Version {
  uint64_t major = 0;
  uint64_t minor = 0;
  uint64_t patch = 0;
  std::vector<std::string> pre;    // pre-release identifiers: "1.0.0-rc.1" has {"rc", "1"}
  std::vector<std::string> build;  // build metadata: ignored by precedence and compatibility

  // Parses the whole of `text` ("1.2.3", "0.2.0-rc.1+build.5"); errors say what is wrong.
  static Result<Version> parse(std::string_view text);

  std::string to_string() const;

  // Exact equality, build metadata included (two spellings of a package are the same package).
  bool operator==(const Version&) const = default;
};

// Semver precedence: negative, zero or positive as a is lower, equal or higher than b. Build
// metadata is ignored, a pre-release is lower than its release.
int compare(const Version& a, const Version& b);
inline bool operator<(const Version& a, const Version& b) {
  return compare(a, b) < 0;
}

// Whether a provider of version `b` may satisfy an import of version `a`, as wasmtime matches
// versions: the same major when major > 0 ("1.2.0" ~ "1.9.3"), the same minor for 0.x
// ("0.2.0" ~ "0.2.7"), and an exact match for 0.0.x and for pre-releases. The caller picks the
// highest compatible candidate.
bool compatible(const Version& a, const Version& b);

// The part of a version that compatible versions share: "1", "0.2", "0.0.3" or, for a
// pre-release, the full version. Handy as a map key when matching many names.
std::string compatibility_key(const Version& v);

// Length of the longest prefix of `text` that has the shape of a version (dot-separated runs of
// [0-9A-Za-z-], optionally '+' and more runs). A '.' only continues the version when an
// identifier character follows it, so "0.2.0.{a}" yields 5. Used by the WIT lexer.
size_t version_prefix_length(std::string_view text);

}  // namespace berth::wit
