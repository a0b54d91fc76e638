// Choosing a bundle folder for a hosts.toml [[host]]: the highest version on the search paths
// that meets the requirement and loads, search-path order among equals, and the -v notes that
// say which folder was chosen and why each other one was passed over.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "berth/bundle/trust.h"
#include "bundle_test_util.h"

namespace berth::bundle {
namespace {

using berth::testing::expect_ok;
using ::testing::HasSubstr;
using namespace berth::bundle::testing;

class SelectionTest : public BundleDirTest {
 protected:
  // A self-contained folder SEARCH/FOLDER of bundle "types" at `version`, its library a copy of
  // test library `lib`.
  fs::path folder(const std::string& search, const std::string& name, const std::string& version,
                  const std::string& lib = "types") {
    fs::path root = dir_ / search / name;
    fs::create_directories(root / "lib");
    fs::create_directories(root / "wit");
    fs::copy_file(test_lib(lib), root / "lib" / "libtypes.so");
    fs::copy_file(types_wit() / "types.wit", root / "wit" / "types.wit");
    write(fs::path(search) / name / "host.toml",
          "[host]\nname = \"types\"\nversion = \"" + version +
              "\"\nlib = \"lib/libtypes.so\"\nwit = \"wit\"\n\n[config]\ngreeting = \"hi\"\n");
    return root;
  }

  // Loads a hosts.toml whose [[host]] asks for bundle "types" (with `requirement` unless
  // empty) on search paths a and b; returns the version of the folder chosen.
  Result<std::string> choose(const std::string& requirement, const std::string& global = "") {
    std::string version = requirement.empty() ? "" : "version = \"" + requirement + "\"\n";
    write("hosts.toml", "[global]\nsearch_paths = [\"a\", \"b\"]\n" + global +
                            "\n[[host]]\nname = \"t\"\nbundle = \"types\"\n" + version);
    notes_.clear();
    BERTH_TRY_ASSIGN(LoadedHosts hosts,
                     load_hosts_manifest(dir_ / "hosts.toml", {}, false, {},
                                         [&](const std::string& n) { notes_ += n + "\n"; }));
    return *hosts.providers.at(0)->spec().version;
  }

  std::string where() const { return (dir_ / "hosts.toml").string() + ": [[host]] 't': "; }

  std::string notes_;
};

TEST_F(SelectionTest, TheHighestVersionThatMeetsTheRequirementWins) {
  folder("a", "types", "1.2.0");
  folder("b", "types", "1.10.0");
  folder("b", "types-2", "2.0.0");
  folder("a", "types-old", "0.9.0");
  EXPECT_EQ(expect_ok(choose("^1.2")), "1.10.0");
  EXPECT_EQ(expect_ok(choose(">=1.2, <1.5")), "1.2.0");
  EXPECT_EQ(expect_ok(choose("=1.2.0")), "1.2.0");
  EXPECT_EQ(expect_ok(choose("~1.10")), "1.10.0");
  EXPECT_EQ(expect_ok(choose("*")), "2.0.0");
  EXPECT_EQ(expect_ok(choose("")), "2.0.0");
  EXPECT_EQ(expect_ok(choose("^0.9")), "0.9.0");
}

TEST_F(SelectionTest, TheNotesSayWhatWasChosenAndWhyTheOthersWereNot) {
  fs::path chosen = folder("a", "types", "1.4.1");
  fs::path lower = folder("b", "types", "1.2.0");
  fs::path tie = folder("b", "types-copy", "1.4.1");
  fs::path out_of_range = folder("a", "types-2", "2.0.0");
  fs::path newer_abi = folder("b", "types-abi", "1.5.0", "newer_minor");
  EXPECT_EQ(expect_ok(choose("^1.2")), "1.4.1");
  EXPECT_THAT(notes_, HasSubstr(where() + "chose " + chosen.string() +
                                " (version 1.4.1, the highest meeting \"^1.2\")\n"));
  EXPECT_THAT(notes_, HasSubstr(where() + "passed over " + lower.string() +
                                ": version 1.2.0 is lower\n"));
  EXPECT_THAT(notes_, HasSubstr(where() + "passed over " + tie.string() +
                                ": version 1.4.1 too, later on the search paths\n"));
  EXPECT_THAT(notes_, HasSubstr(where() + "passed over " + out_of_range.string() +
                                ": version 2.0.0 does not meet \"^1.2\"\n"));
  EXPECT_THAT(notes_, HasSubstr(where() + "passed over " + newer_abi.string() +
                                ": it did not load: " + newer_abi.string() +
                                "/lib/libtypes.so: the library was built for bundle ABI 1.3"));
}

TEST_F(SelectionTest, AFolderThePolicyRefusesIsPassedOverForASignedOne) {
  fs::path unsigned_higher = folder("a", "types", "1.5.0");
  fs::path signed_lower = folder("b", "types", "1.4.0");
  expect_ok(generate_key_pair(dir_ / "alice"));
  expect_ok(sign_bundle(signed_lower, expect_ok(read_secret_key(dir_ / "alice.key"))));
  EXPECT_EQ(expect_ok(choose("^1", "trusted_keys = [\"alice.pub\"]\nrequire_signed = true\n")),
            "1.4.0");
  EXPECT_THAT(notes_, HasSubstr(where() + "passed over " + unsigned_higher.string() +
                                ": it did not load: "));
  EXPECT_THAT(notes_, HasSubstr("not signed"));
}

TEST_F(SelectionTest, NothingThatWillDoListsEverythingFound) {
  fs::path one = folder("a", "types", "1.2.0");
  fs::path two = folder("b", "types", "2.0.0");
  auto chosen = choose("^3");
  ASSERT_FALSE(chosen);
  EXPECT_EQ(chosen.error().message(),
            where() + "no bundle folder 'types' will do for \"^3\"; found:\n    " + one.string() +
                " (version 1.2.0): version 1.2.0 does not meet \"^3\"\n    " + two.string() +
                " (version 2.0.0): version 2.0.0 does not meet \"^3\"");
}

TEST_F(SelectionTest, AMalformedRequirementNamesTheFileAndKey) {
  folder("a", "types", "1.2.0");
  auto chosen = choose("^1.x");
  ASSERT_FALSE(chosen);
  EXPECT_THAT(chosen.error().message(), HasSubstr("hosts.toml:7:11: [[host]] 't' 'version': "
                                                  "expected a version requirement"));
}

}  // namespace
}  // namespace berth::bundle
