// Validation must never crash or hang on hostile input: byte-level mutations of the corpora's
// components that still decode are validated, and each must end in a result or an error.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "component/binary/decoder.h"
#include "component/validate/validator.h"
#include "test_support.h"

namespace berth::component {
namespace {

TEST(ValidatorRobustness, MutatedComponentsDoNotCrash) {
  std::vector<std::vector<uint8_t>> seeds;
  const auto root = testing::corpora_dir() / "component-model";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".wasm" || entry.file_size() > 4096) continue;
    seeds.push_back(testing::read_file(entry.path()));
  }
  ASSERT_FALSE(seeds.empty());
  std::mt19937 random(20261124);
  int decoded = 0;
  for (int i = 0; i < 4000; ++i) {
    std::vector<uint8_t> bytes = seeds[random() % seeds.size()];
    if (bytes.size() <= 8) continue;
    int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t at = 8 + random() % (bytes.size() - 8);
      constexpr uint8_t kInteresting[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0xff};
      bytes[at] = random() % 2 ? static_cast<uint8_t>(random())
                               : kInteresting[random() % sizeof(kInteresting)];
    }
    auto component = binary::decode_component(bytes);
    if (!component) continue;
    ++decoded;
    auto validated = validate_component(*component, bytes);
    if (!validated) {
      ErrorCode code = validated.error().code();
      EXPECT_TRUE(code == ErrorCode::kInvalid || code == ErrorCode::kUnsupported)
          << validated.error().message();
    }
  }
  EXPECT_GT(decoded, 100);
}

}  // namespace
}  // namespace berth::component
