#include "berth/wit/version_range.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace berth::wit {
namespace {

bool matches(const char* range, const char* version) {
  auto r = VersionRange::parse(range);
  EXPECT_TRUE(r.ok()) << range << ": " << r.error().message();
  auto v = Version::parse(version);
  EXPECT_TRUE(v.ok()) << version;
  return r.ok() && v.ok() && r->matches(*v);
}

TEST(VersionRangeTest, Caret) {
  EXPECT_TRUE(matches("^1.2", "1.2.0"));
  EXPECT_TRUE(matches("^1.2", "1.99.3"));
  EXPECT_FALSE(matches("^1.2", "1.1.9"));
  EXPECT_FALSE(matches("^1.2", "2.0.0"));
  EXPECT_TRUE(matches("^0.2.3", "0.2.9"));
  EXPECT_FALSE(matches("^0.2.3", "0.3.0"));
  EXPECT_FALSE(matches("^0.0.3", "0.0.4"));
  EXPECT_TRUE(matches("^0", "0.9.9"));
  EXPECT_FALSE(matches("^0", "1.0.0"));
  // A bare version means the same as '^'.
  EXPECT_TRUE(matches("1.2", "1.5.0"));
  EXPECT_FALSE(matches("1.2", "2.0.0"));
}

TEST(VersionRangeTest, TildeExactAndComparisons) {
  EXPECT_TRUE(matches("~1.2", "1.2.7"));
  EXPECT_FALSE(matches("~1.2", "1.3.0"));
  EXPECT_TRUE(matches("~1", "1.9.0"));
  EXPECT_TRUE(matches("=1.4.1", "1.4.1"));
  EXPECT_FALSE(matches("=1.4.1", "1.4.2"));
  EXPECT_TRUE(matches("=1.4", "1.4.9"));
  EXPECT_FALSE(matches("=1.4", "1.5.0"));
  EXPECT_TRUE(matches(">=1.2, <2", "1.2.0"));
  EXPECT_TRUE(matches(">=1.2, <2", "1.9.9"));
  EXPECT_FALSE(matches(">=1.2, <2", "2.0.0"));
  EXPECT_FALSE(matches(">=1.2, <2", "1.1.0"));
  EXPECT_TRUE(matches(">1.2", "1.3.0"));
  EXPECT_FALSE(matches(">1.2", "1.2.5"));
  EXPECT_TRUE(matches("<=1.2", "1.2.5"));
  EXPECT_FALSE(matches("<=1.2", "1.3.0"));
  EXPECT_TRUE(matches("*", "7.0.0"));
  EXPECT_TRUE(matches("1.*", "1.7.0"));
}

TEST(VersionRangeTest, PreReleasesNeedToBeAskedFor) {
  EXPECT_FALSE(matches("^1.2", "1.3.0-rc.1"));
  EXPECT_FALSE(matches("*", "1.0.0-alpha"));
  EXPECT_TRUE(matches("^1.3.0-rc.1", "1.3.0-rc.2"));
  EXPECT_FALSE(matches("^1.3.0-rc.1", "1.4.0-rc.1"));
  EXPECT_TRUE(matches("^1.3.0-rc.1", "1.4.0"));
  // Build metadata does not take part.
  EXPECT_TRUE(matches("=1.4.1", "1.4.1+build.5"));
}

TEST(VersionRangeTest, KeepsItsText) {
  EXPECT_EQ(VersionRange::parse(">=1.2, <2")->text(), ">=1.2, <2");
}

TEST(VersionRangeTest, RejectsMalformedRequirements) {
  for (const char* bad : {"", " ", "^", ">=", "1.x.banana", "^1.2.3.4", ">=1.2,", ",", "=>1",
                          "1.2 2.0", "^-1", "99999999999999999999", "~>1.2", "1.*.3", "^1.*"}) {
    auto parsed = VersionRange::parse(bad);
    EXPECT_FALSE(parsed.ok()) << "'" << bad << "' parsed";
    if (!parsed.ok()) {
      EXPECT_FALSE(parsed.error().message().empty()) << bad;
    }
  }
}

}  // namespace
}  // namespace berth::wit
