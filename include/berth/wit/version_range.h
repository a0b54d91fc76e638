// Version requirements as hosts.toml states them for bundles, in Cargo's syntax: comparators
// joined by commas, all of which must hold ("^1.2", ">=1.2, <2", "=1.4.1", "~0.3", "*"). A bare
// version means the same as with '^'. Partial versions ("1", "1.2") fill the missing parts as
// Cargo does, and "1.*" / "1.2.*" mean "=1" / "=1.2". A pre-release version matches only a
// requirement that names a pre-release of the same major.minor.patch.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "berth/result.h"
#include "berth/wit/semver.h"

namespace berth::wit {

class VersionRange {
 public:
  // Parses the whole of `text`; errors say which comparator is wrong and why.
  static Result<VersionRange> parse(std::string_view text);

  bool matches(const Version& version) const;
  const std::string& text() const { return text_; }

 private:
  enum class Op { kGreaterEqual, kGreater, kLess, kLessEqual, kEqual };
  struct Bound {
    Op op;
    Version version;
  };
  std::string text_;
  std::vector<Bound> bounds_;                 // all must hold
  std::vector<Version> pre_release_triples_;  // versions named with a pre-release
};

}  // namespace berth::wit
