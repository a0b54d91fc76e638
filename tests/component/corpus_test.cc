// Decodes every binary of the component-model corpora (wast scripts of the component-model
// spec, wasmtime and wasm-tools turned into binaries) and checks the decoder's verdict against
// each manifest's expectation.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <set>

#include "component/binary/decoder.h"
#include "test_support.h"

namespace berth::component::binary {
namespace {

using testing::corpora_dir;
using testing::Json;

// Binaries the manifests call `invalid` (or `valid`, ...) that the decoder rejects because what
// is wrong with them is syntax, not a validation rule, keyed by "<script>/<file>" with the reason.
// There are none: e.g. spec binary.wast's module type nested in a module type (an `invalid`
// case) decodes as such, and validation rejects the nesting.
struct SyntacticInvalid {
  std::string_view key;
  std::string_view reason;
};
constexpr std::array<SyntacticInvalid, 0> kSyntacticInvalid{};

// Maps a wasm-tools `-f` feature name onto the decoder's features, for the scripts under
// missing-features/ that run with some features turned off.
std::optional<Feature> feature_named(std::string_view name) {
  if (name == "cm-implements") return Feature::kImplements;
  if (name == "cm-async") return Feature::kAsync;
  if (name == "cm-error-context") return Feature::kErrorContext;
  if (name == "cm-values") return Feature::kValues;
  if (name == "cm-fixed-size-list" || name == "cm-fixed-length-lists") {
    return Feature::kFixedLengthLists;
  }
  if (name == "cm-map") return Feature::kMap;
  if (name == "cm-threading") return Feature::kThreading;
  if (name == "shared-everything-threads") return Feature::kSharedEverythingThreads;
  if (name == "cm-canon-names") return Feature::kCanonicalInterfaceNames;
  return std::nullopt;
}

// The features a script's `;; RUN:` line turns off (`-f=-a,-b` or `-f -a`).
FeatureSet features_for_script(const std::filesystem::path& source) {
  FeatureSet features = FeatureSet::all();
  std::string text = testing::read_text(source);
  std::string run = text.substr(0, text.find("\n\n"));
  size_t pos = 0;
  while ((pos = run.find("-f", pos)) != std::string::npos) {
    pos += 2;
    while (pos < run.size() && (run[pos] == '=' || run[pos] == ' ')) ++pos;
    size_t end = run.find_first_of(" \n\\", pos);
    std::string list = run.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string item =
          list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty() && item[0] == '-') {
        if (std::optional<Feature> f = feature_named(item.substr(1))) features.remove(*f);
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return features;
}

struct Counts {
  int decoded = 0;
  int rejected = 0;
  std::vector<std::string> unexpected;
};

void run_corpus(const std::string& corpus) {
  const std::filesystem::path root = corpora_dir() / "component-model" / corpus;
  ASSERT_TRUE(std::filesystem::is_directory(root / "bin")) << root;
  std::vector<std::filesystem::path> manifests;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "bin")) {
    if (entry.path().filename() == "manifest.json") manifests.push_back(entry.path());
  }
  std::sort(manifests.begin(), manifests.end());

  // BERTH_CORPUS_VERBOSE=1 prints why each malformed binary was rejected.
  const bool verbose = std::getenv("BERTH_CORPUS_VERBOSE") != nullptr;
  Counts counts;
  for (const std::filesystem::path& manifest_path : manifests) {
    std::optional<Json> manifest = testing::parse_json(testing::read_text(manifest_path));
    ASSERT_TRUE(manifest) << manifest_path;
    const std::string script = manifest->str("source");
    const bool gated_script = script.find("missing-features/") != std::string::npos;
    const FeatureSet script_features =
        gated_script ? features_for_script(root / "source" / script) : FeatureSet::all();
    const Json* commands = manifest->get("commands");
    ASSERT_TRUE(commands);
    for (const Json& command : commands->array) {
      const std::string filename = command.str("filename");
      if (filename.empty()) continue;
      const std::string key = script + "/" + filename;
      const std::string expect = command.str("expect");
      std::vector<uint8_t> bytes = testing::read_file(manifest_path.parent_path() / filename);
      Result<DecodedBinary> decoded = decode(bytes);
      const bool is_module =
          command.str("type") == "module" || filename.find(".core.") != std::string::npos;

      auto unexpected = [&](std::string what) {
        counts.unexpected.push_back(fmt::format("{} ({}): {}", key, expect, what));
      };
      if (expect.rfind("malformed-binary", 0) == 0) {
        if (!decoded) {
          if (verbose) {
            std::printf("  rejected %s: %s (expected: %s)\n", key.c_str(),
                        decoded.error().message().c_str(), command.str("expected_text").c_str());
          }
          ++counts.rejected;
        } else if (gated_script) {
          // The script runs with features off; with them off the decoder must refuse it.
          DecodeOptions options;
          options.features = script_features;
          if (decode(bytes, options).ok()) {
            unexpected("decoded, also with the script's features disabled");
          } else {
            ++counts.rejected;
          }
        } else {
          unexpected("decoded, but the binary is malformed");
        }
        continue;
      }
      // valid, invalid, unlinkable, trap-on-instantiation, and `malformed-text` forms that the
      // text parser turned into a binary after all: all are well-formed binaries.
      const auto* syntactic =
          std::find_if(std::begin(kSyntacticInvalid), std::end(kSyntacticInvalid),
                       [&](const SyntacticInvalid& s) { return key == s.key; });
      if (syntactic != std::end(kSyntacticInvalid)) {
        if (decoded) {
          unexpected("decoded, but listed as syntactically invalid");
        } else {
          ++counts.rejected;
        }
        continue;
      }
      if (!decoded) {
        unexpected(decoded.error().message());
        continue;
      }
      const BinaryKind want = is_module ? BinaryKind::kCoreModule : BinaryKind::kComponent;
      if (decoded->kind != want) {
        unexpected("decoded as the wrong kind of binary");
        continue;
      }
      ++counts.decoded;
    }
  }
  std::string report =
      fmt::format("{}: decoded ok {}, rejected as expected {}, unexpected {}", corpus,
                  counts.decoded, counts.rejected, counts.unexpected.size());
  for (const std::string& line : counts.unexpected) report += "\n  " + line;
  std::printf("%s\n", report.c_str());
  EXPECT_TRUE(counts.unexpected.empty()) << report;
  EXPECT_GT(counts.decoded, 0);
}

TEST(ComponentCorpus, Spec) {
  run_corpus("spec");
}
TEST(ComponentCorpus, Wasmtime) {
  run_corpus("wasmtime");
}
TEST(ComponentCorpus, WasmTools) {
  run_corpus("wasm-tools");
}

}  // namespace
}  // namespace berth::component::binary
