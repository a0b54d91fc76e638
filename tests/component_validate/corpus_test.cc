// Validates every component of the three component-model corpora (wast scripts of the
// component-model spec, wasmtime and wasm-tools turned into binaries) and checks the verdict
// against each manifest's expectation:
//  - `valid`, `unlinkable`, `trap-on-instantiation`: must validate, or fail with kUnsupported
//    when they use a feature berth does not implement (counted apart);
//  - `invalid`: must be rejected with kInvalid, or kUnsupported when about such a feature.
// Counts are printed per corpus and expectation, failures listed with berth's message. FLOORS
// record what is achieved, so that a regression fails the test.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "component/binary/decoder.h"
#include "component/validate/validator.h"
#include "script_options.h"
#include "test_support.h"

namespace berth::component {
namespace {

using testing::Json;

// Invalid forms that berth accepts on purpose, keyed by "<script>:<line>", with the reason.
// They are counted apart from the forms berth rejects.
struct KnownDifference {
  std::string_view key;
  std::string_view reason;
};
constexpr KnownDifference kKnownDifferences[] = {
    // Core function bodies are validated by the engine when it compiles a module.
    {"test/validation/core-modules.wast:24", "core function body"},
    {"tests/cli/component-model/nested-modules.wast:29", "core function body"},
};

struct Counts {
  int accepted = 0;              // valid forms that validate
  int unsupported = 0;           // valid forms refused with kUnsupported
  int rejected_invalid = 0;      // invalid forms rejected with kInvalid
  int rejected_unsupported = 0;  // invalid forms refused with kUnsupported
  int known_differences = 0;     // invalid forms accepted on purpose (kKnownDifferences)
  int core_modules = 0;          // core module forms: not component validation
  std::vector<std::string> failures;
  std::vector<std::string> unsupported_forms;
  std::vector<std::string> rejections;  // invalid forms: the expected text and berth's message
};

bool is_valid_expectation(const std::string& expect) {
  return expect == "valid" || expect == "unlinkable" || expect == "trap-on-instantiation";
}

struct CorpusResult {
  std::map<std::string, Counts> by_expectation;
};

CorpusResult run_corpus(const std::string& corpus) {
  const std::filesystem::path root = testing::corpora_dir() / "component-model" / corpus;
  std::vector<std::filesystem::path> manifests;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "bin")) {
    if (entry.path().filename() == "manifest.json") manifests.push_back(entry.path());
  }
  std::sort(manifests.begin(), manifests.end());

  CorpusResult result;
  for (const std::filesystem::path& manifest_path : manifests) {
    std::optional<Json> manifest = testing::parse_json(testing::read_text(manifest_path));
    if (!manifest) {
      ADD_FAILURE() << "unreadable manifest " << manifest_path;
      continue;
    }
    const std::string script = manifest->str("source");
    const std::string source = testing::read_text(root / "source" / script);
    // The script's feature flags; wasmtime's scripts also get its root embedder rules.
    const ValidateOptions options = testing::script_options(corpus, source);
    const Json* commands = manifest->get("commands");
    if (!commands) continue;
    for (const Json& command : commands->array) {
      const std::string filename = command.str("filename");
      const std::string expect = command.str("expect");
      if (filename.empty()) continue;
      if (!is_valid_expectation(expect) && expect != "invalid") continue;  // malformed forms
      Counts& counts = result.by_expectation[expect];
      const bool is_module =
          command.str("type") == "module" || filename.find(".core.") != std::string::npos;
      if (is_module) {
        ++counts.core_modules;
        continue;
      }
      const Json* line_json = command.get("line");
      int line = line_json ? static_cast<int>(line_json->number) : 0;
      const std::string where = fmt::format("{}:{} ({})", script, line, filename);
      std::vector<uint8_t> bytes = testing::read_file(manifest_path.parent_path() / filename);
      auto decoded = binary::decode_component(bytes);
      if (!decoded) {
        counts.failures.push_back(
            fmt::format("{} [{}]: does not decode: {}", where, expect, decoded.error().message()));
        continue;
      }
      auto validated = validate_component(*decoded, bytes, options);
      if (is_valid_expectation(expect)) {
        if (validated) {
          ++counts.accepted;
        } else if (validated.error().code() == ErrorCode::kUnsupported) {
          ++counts.unsupported;
          counts.unsupported_forms.push_back(
              fmt::format("{} [{}]: {}", where, expect, validated.error().message()));
        } else {
          counts.failures.push_back(
              fmt::format("{} [{}]: rejected: {}", where, expect, validated.error().message()));
        }
        continue;
      }
      if (!validated) {
        counts.rejections.push_back(fmt::format("{}\n      expected: {}\n      berth:    {}", where,
                                                command.str("expected_text"),
                                                validated.error().message()));
        if (validated.error().code() == ErrorCode::kUnsupported) {
          ++counts.rejected_unsupported;
        } else {
          ++counts.rejected_invalid;
        }
        continue;
      }
      std::string key = fmt::format("{}:{}", script, line);
      auto known = std::find_if(std::begin(kKnownDifferences), std::end(kKnownDifferences),
                                [&](const KnownDifference& k) { return k.key == key; });
      if (known != std::end(kKnownDifferences)) {
        ++counts.known_differences;
        continue;
      }
      counts.failures.push_back(fmt::format("{} [invalid, expected \"{}\"]: accepted", where,
                                            command.str("expected_text")));
    }
  }
  return result;
}

// The minimum counts of correctly handled forms per corpus and expectation: forms accepted for
// `valid`, `unlinkable` and `trap-on-instantiation`, forms rejected (kInvalid or kUnsupported)
// for `invalid`. They record what berth achieves; raise them when it handles more, a lower count
// is a regression.
struct Floor {
  std::string_view corpus;
  std::string_view expectation;
  int handled;
};
constexpr Floor kFloors[] = {
    {"spec", "valid", 240},
    {"spec", "trap-on-instantiation", 0},  // both need the asynchronous component model
    {"spec", "invalid", 379},
    {"wasmtime", "valid", 134},
    {"wasmtime", "unlinkable", 38},
    {"wasmtime", "trap-on-instantiation", 3},
    {"wasmtime", "invalid", 9},
    {"wasm-tools", "valid", 188},
    {"wasm-tools", "invalid", 630},
};

void check_corpus(const std::string& corpus) {
  CorpusResult result = run_corpus(corpus);
  std::string report;
  bool failures = false;
  for (const auto& [expectation, counts] : result.by_expectation) {
    bool invalid = expectation == "invalid";
    report +=
        invalid
            ? fmt::format(
                  "{} {}: {} rejected (kInvalid), {} rejected (kUnsupported), {} "
                  "accepted as known differences, {} accepted\n",
                  corpus, expectation, counts.rejected_invalid, counts.rejected_unsupported,
                  counts.known_differences, counts.failures.size())
            : fmt::format("{} {}: {} accepted, {} unsupported, {} rejected\n", corpus, expectation,
                          counts.accepted, counts.unsupported, counts.failures.size());
    for (const std::string& f : counts.failures) report += "  FAIL " + f + "\n";
    failures = failures || !counts.failures.empty();
  }
  std::printf("%s", report.c_str());
  // BERTH_CORPUS_VERBOSE=1 lists the valid forms refused as unsupported, and the reason berth
  // gives for each invalid form next to the one the script expects.
  if (std::getenv("BERTH_CORPUS_VERBOSE")) {
    for (const auto& [expectation, counts] : result.by_expectation) {
      for (const std::string& f : counts.unsupported_forms) {
        std::printf("  unsupported %s\n", f.c_str());
      }
      for (const std::string& r : counts.rejections) std::printf("  rejected %s\n", r.c_str());
    }
  }

  for (const Floor& floor : kFloors) {
    if (floor.corpus != corpus) continue;
    const Counts& counts = result.by_expectation[std::string(floor.expectation)];
    int handled = floor.expectation == "invalid"
                      ? counts.rejected_invalid + counts.rejected_unsupported
                      : counts.accepted;
    EXPECT_GE(handled, floor.handled) << corpus << " " << floor.expectation << "\n" << report;
  }
  // Every valid form validates unless it needs a feature berth does not implement, and every
  // invalid form is rejected unless listed in kKnownDifferences.
  EXPECT_FALSE(failures) << report;
}

TEST(ValidatorCorpus, Spec) {
  check_corpus("spec");
}
TEST(ValidatorCorpus, Wasmtime) {
  check_corpus("wasmtime");
}
TEST(ValidatorCorpus, WasmTools) {
  check_corpus("wasm-tools");
}

}  // namespace
}  // namespace berth::component
