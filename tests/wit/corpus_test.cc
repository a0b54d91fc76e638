// Every .wit file of the shared corpora parses, resolves, and survives print -> parse -> resolve
// unchanged.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "berth/wit/printer.h"
#include "berth/wit/resolve.h"
#include "common/paths.h"
#include "parser.h"
#include "resolver.h"

namespace berth::wit {
namespace {

ResolveOptions all_features() {
  ResolveOptions options;
  options.all_features = true;
  return options;
}

namespace fs = std::filesystem;

const fs::path kCorpora =
    fs::path((std::string(berth::testing::source_dir()) + "/../shared/corpora"));
const char* const kRoots[] = {"wit", "jco-fixtures"};

// Inputs that are wrong on purpose: jco's own tests expect them to be rejected.
struct ExpectedFailure {
  const char* unit;  // relative to the corpora folder
  const char* message;
  const char* reason;
};
const ExpectedFailure kExpectedFailures[] = {
    {"jco-fixtures/packages/jco-transpile/test/fixtures/wit/invalid/invalid-fn",
     "'static' functions are only allowed inside a 'resource' block",
     "jco's invalid-WIT fixture: `static f: func()` directly in an interface"},
    {"jco-fixtures/packages/jco-transpile/test/fixtures/wit/invalid/sibling-diff-pkg/"
     "component.wit",
     "package 'tests:sibling-wit' not found",
     "jco's invalid-WIT fixture: exports an interface of a package that is a sibling file, not "
     "a deps/ entry"},
};

bool inside_deps(const fs::path& relative) {
  return std::any_of(relative.begin(), relative.end(),
                     [](const fs::path& p) { return p == "deps"; });
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<fs::path> wit_files_in(const fs::path& dir, bool recursive) {
  std::vector<fs::path> out;
  if (recursive) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().extension() == ".wit") out.push_back(e.path());
    }
  } else {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().extension() == ".wit") out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// What gets loaded at once: a folder (its files are one package, deps/ holds its dependencies)
// or a single file when the files of its folder declare different packages (independent
// fixtures side by side, as in wit-bindgen's rust/other-dependencies or jco's fixtures/wit).
struct Unit {
  fs::path path;
  std::vector<fs::path> files;  // every .wit file the unit covers, deps included
};

std::vector<Unit> find_units() {
  std::vector<Unit> units;
  for (const char* root : kRoots) {
    std::vector<fs::path> dirs{kCorpora / root};
    for (const auto& e : fs::recursive_directory_iterator(kCorpora / root)) {
      if (e.is_directory()) dirs.push_back(e.path());
    }
    std::sort(dirs.begin(), dirs.end());
    for (const fs::path& dir : dirs) {
      if (inside_deps(fs::relative(dir, kCorpora))) continue;
      std::vector<fs::path> files = wit_files_in(dir, false);
      if (files.empty()) continue;
      std::set<std::string> packages;
      for (const fs::path& f : files) {
        auto parsed = parse_file(f.string(), read(f));
        if (parsed && parsed->package) packages.insert(to_model(*parsed->package).to_string());
      }
      std::vector<fs::path> deps;
      if (fs::is_directory(dir / "deps")) deps = wit_files_in(dir / "deps", true);
      if (packages.size() <= 1) {
        Unit unit{dir, files};
        unit.files.insert(unit.files.end(), deps.begin(), deps.end());
        units.push_back(std::move(unit));
      } else {
        EXPECT_TRUE(deps.empty()) << dir << ": independent files next to a deps/ folder";
        for (const fs::path& f : files) units.push_back(Unit{f, {f}});
      }
    }
  }
  return units;
}

const ExpectedFailure* expected_failure(const fs::path& unit) {
  std::string relative = fs::relative(unit, kCorpora).generic_string();
  for (const ExpectedFailure& f : kExpectedFailures) {
    if (relative == f.unit) return &f;
  }
  return nullptr;
}

// Loads the unit, prints everything it resolved to, loads the text again and compares.
void round_trip(const Unit& unit, const ResolveOptions& options, size_t& packages) {
  Resolve first;
  auto root = load_path(first, unit.path, options);
  ASSERT_TRUE(root.ok()) << root.error().message();
  packages += first.packages.size();
  std::string printed = print_resolve(first, *root);
  Resolve second;
  auto again = load_source(second, "printed.wit", printed, options);
  ASSERT_TRUE(again.ok()) << unit.path << ": printed WIT does not load: " << again.error().message()
                          << "\n"
                          << printed;
  std::string difference = first_difference(first, second);
  EXPECT_EQ(difference, "") << unit.path;
  // Printing is stable: the second model prints the same text.
  EXPECT_TRUE(print_resolve(second, *again) == printed) << unit.path << ": printed text changed";
}

TEST(wit_corpus, EveryFileParsesResolvesAndRoundTrips) {
  ASSERT_TRUE(fs::is_directory(kCorpora)) << kCorpora;
  std::vector<Unit> units = find_units();
  std::set<fs::path> all_files;
  for (const char* root : kRoots) {
    for (const fs::path& f : wit_files_in(kCorpora / root, true)) all_files.insert(f);
  }
  std::set<fs::path> covered;
  size_t packages = 0;
  size_t failures_seen = 0;
  for (const Unit& unit : units) {
    SCOPED_TRACE(unit.path.string());
    covered.insert(unit.files.begin(), unit.files.end());
    if (const ExpectedFailure* failure = expected_failure(unit.path)) {
      Resolve resolve;
      auto root = load_path(resolve, unit.path, all_features());
      ASSERT_FALSE(root.ok()) << "expected to fail: " << failure->reason;
      EXPECT_NE(root.error().message().find(failure->message), std::string::npos)
          << root.error().message();
      ++failures_seen;
      continue;
    }
    size_t with_features = 0;
    round_trip(unit, all_features(), with_features);
    packages += with_features;
    size_t ignored = 0;
    round_trip(unit, ResolveOptions{}, ignored);
  }
  EXPECT_EQ(failures_seen, std::size(kExpectedFailures));
  std::vector<fs::path> missed;
  std::set_difference(all_files.begin(), all_files.end(), covered.begin(), covered.end(),
                      std::back_inserter(missed));
  EXPECT_TRUE(missed.empty()) << "not covered by any unit: " << missed.front();
  std::printf(
      "[ wit corpus ] %zu .wit files in %zu load units: %zu packages resolved and "
      "round-tripped (with all features; again without), %zu expected failures\n",
      all_files.size(), units.size(), packages, failures_seen);
  for (const ExpectedFailure& f : kExpectedFailures) {
    std::printf("[ wit corpus ] expected failure %s: %s\n", f.unit, f.reason);
  }
}

}  // namespace
}  // namespace berth::wit
