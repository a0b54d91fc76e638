#include "berth/wit/semver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace berth::wit {
namespace {

Version v(const char* text) {
  auto parsed = Version::parse(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error().message();
  return parsed.ok() ? *parsed : Version{};
}

TEST(wit_semver, ParsesAllParts) {
  Version full = v("1.22.333-rc.1-x+build.007");
  EXPECT_EQ(full.major, 1u);
  EXPECT_EQ(full.minor, 22u);
  EXPECT_EQ(full.patch, 333u);
  EXPECT_EQ(full.pre, (std::vector<std::string>{"rc", "1-x"}));
  EXPECT_EQ(full.build, (std::vector<std::string>{"build", "007"}));
  EXPECT_EQ(full.to_string(), "1.22.333-rc.1-x+build.007");
  EXPECT_EQ(v("0.2.0").to_string(), "0.2.0");
}

TEST(wit_semver, RejectsMalformedVersions) {
  const std::pair<const char*, const char*> bad[] = {
      {"", "empty"},
      {"1.0", "expected MAJOR.MINOR.PATCH"},
      {"1.0.0.0", "expected MAJOR.MINOR.PATCH"},
      {"01.0.0", "major version '01' has a leading zero"},
      {"1.x.0", "minor version 'x' is not a number"},
      {"1.0.0-", "empty pre-release identifier"},
      {"1.0.0-rc..1", "empty pre-release identifier"},
      {"1.0.0-01", "numeric pre-release identifier '01' has a leading zero"},
      {"1.0.0+", "empty build identifier"},
      {"1.0.0-r_c", "character '_' is not allowed in pre-release"},
      {"99999999999999999999.0.0", "too large"},
  };
  for (const auto& [text, message] : bad) {
    auto parsed = Version::parse(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().message().find(message), std::string::npos)
        << text << ": " << parsed.error().message();
  }
}

TEST(wit_semver, OrdersByPrecedence) {
  // The example ordering of semver.org section 11.
  std::vector<Version> ordered = {v("1.0.0-alpha"), v("1.0.0-alpha.1"), v("1.0.0-alpha.beta"),
                                  v("1.0.0-beta"),  v("1.0.0-beta.2"),  v("1.0.0-beta.11"),
                                  v("1.0.0-rc.1"),  v("1.0.0"),         v("1.0.1"),
                                  v("1.1.0"),       v("2.0.0")};
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    EXPECT_LT(compare(ordered[i], ordered[i + 1]), 0) << ordered[i].to_string();
    EXPECT_GT(compare(ordered[i + 1], ordered[i]), 0) << ordered[i].to_string();
  }
  std::vector<Version> shuffled(ordered.rbegin(), ordered.rend());
  std::sort(shuffled.begin(), shuffled.end());
  EXPECT_EQ(shuffled, ordered);
  // Build metadata does not take part in precedence, but does in equality.
  EXPECT_EQ(compare(v("1.0.0+a"), v("1.0.0+b")), 0);
  EXPECT_FALSE(v("1.0.0+a") == v("1.0.0+b"));
}

TEST(wit_semver, CompatibleAsWasmtimeMatches) {
  EXPECT_TRUE(compatible(v("1.2.0"), v("1.9.3")));
  EXPECT_FALSE(compatible(v("1.2.0"), v("2.0.0")));
  EXPECT_TRUE(compatible(v("0.2.0"), v("0.2.7")));
  EXPECT_FALSE(compatible(v("0.2.0"), v("0.3.0")));
  EXPECT_TRUE(compatible(v("0.0.3"), v("0.0.3")));
  EXPECT_FALSE(compatible(v("0.0.3"), v("0.0.4")));
  EXPECT_TRUE(compatible(v("0.2.0-rc.1"), v("0.2.0-rc.1")));
  EXPECT_FALSE(compatible(v("0.2.0-rc.1"), v("0.2.0")));
  EXPECT_FALSE(compatible(v("0.2.0-rc.1"), v("0.2.0-rc.2")));
  EXPECT_TRUE(compatible(v("1.0.0+x"), v("1.4.0+y")));
  EXPECT_EQ(compatibility_key(v("1.2.3")), "1");
  EXPECT_EQ(compatibility_key(v("0.2.3")), "0.2");
  EXPECT_EQ(compatibility_key(v("0.0.3")), "0.0.3");
  EXPECT_EQ(compatibility_key(v("0.2.0-draft")), "0.2.0-draft");
}

TEST(wit_semver, FindsTheVersionPrefixOfText) {
  EXPECT_EQ(version_prefix_length("0.2.12.{output-stream}"), 6u);
  EXPECT_EQ(version_prefix_length("0.2.0-rc.1;"), 10u);
  EXPECT_EQ(version_prefix_length("1.0.0+build.5 as x"), 13u);
  EXPECT_EQ(version_prefix_length("1.0.0;"), 5u);
  EXPECT_EQ(version_prefix_length(";"), 0u);
  EXPECT_EQ(version_prefix_length("1.0.0+;"), 5u);
}

}  // namespace
}  // namespace berth::wit
