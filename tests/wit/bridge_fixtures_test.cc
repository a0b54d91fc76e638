// Every component of the jco fixtures: its world printed as WIT parses and resolves with berth's
// WIT layer, and the resolved world has the component's import and export names and, function
// by function, its parameter names and types and its result.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "berth/wit/component_bridge.h"
#include "berth/wit/printer.h"
#include "berth/wit/resolve.h"
#include "bridge_test_util.h"
#include "common/paths.h"
#include "component/binary/decoder.h"
#include "component/validate/validator.h"

namespace berth::wit {
namespace {

namespace fs = std::filesystem;
using testing::ComponentSide;
using testing::WitSide;
using testing::WorldSignature;

const fs::path kFixtures =
    fs::path((std::string(berth::testing::source_dir()) + "/../shared/corpora/jco-fixtures"));

// Fixtures berth cannot turn into WIT yet, relative to kFixtures, with the reason. Empty since
// the validator accepts all of them; an entry here must keep failing, so a fixed gap shows up.
const std::map<std::string, std::string> kKnownGaps = {};

std::vector<std::string> fixture_paths() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(kFixtures)) {
    if (e.is_regular_file() && e.path().extension() == ".wasm") {
      out.push_back(fs::relative(e.path(), kFixtures).string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(BridgeFixtures, AllFixturesAreFound) {
  EXPECT_EQ(fixture_paths().size(), 55u);
}

// An interface both imported and exported is one WIT interface with the functions of both.
void merge_shared_interfaces(WorldSignature& component) {
  std::map<std::string, std::map<std::string, std::string>> both;
  for (auto* functions : {&component.import_functions, &component.export_functions}) {
    for (const auto& [key, sig] : *functions) {
      if (key.first.empty()) continue;
      if (component.imports.count("instance " + key.first) &&
          component.exports.count("instance " + key.first)) {
        both[key.first][key.second] = sig;
      }
    }
  }
  for (const auto& [instance, functions] : both) {
    for (const auto& [name, sig] : functions) {
      component.import_functions[{instance, name}] = sig;
      component.export_functions[{instance, name}] = sig;
    }
  }
}

class BridgeFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(BridgeFixture, WorldMatchesComponent) {
  const std::string& relative = GetParam();
  std::string bytes_text = testing::read_file(kFixtures / relative);
  std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(bytes_text.data()),
                                 bytes_text.size());
  auto known_gap = kKnownGaps.find(relative);

  auto ir = component::binary::decode_component(bytes);
  ASSERT_TRUE(ir) << ir.error().message();
  auto validated = component::validate_component(*ir, bytes);
  if (known_gap != kKnownGaps.end()) {
    EXPECT_FALSE(validated) << "listed as a known gap (" << known_gap->second
                            << ") but validates now: remove it from kKnownGaps";
    return;
  }
  ASSERT_TRUE(validated) << validated.error().message();
  const component::ComponentType& type = *(*validated)->type;

  auto text = print_component_world(type);
  ASSERT_TRUE(text) << text.error().message();
  Resolve resolve;
  auto package = load_source(resolve, "component.wit", *text);
  ASSERT_TRUE(package) << package.error().message() << "\n" << *text;
  auto world = select_world(resolve, *package, kComponentWorld);
  ASSERT_TRUE(world) << world.error().message();

  WorldSignature expected = ComponentSide(type).signature(type);
  merge_shared_interfaces(expected);
  EXPECT_FALSE(expected.import_functions.empty() && expected.export_functions.empty());
  WorldSignature actual = WitSide(resolve, *world).signature();
  EXPECT_EQ(actual.imports, expected.imports);
  EXPECT_EQ(actual.exports, expected.exports);
  EXPECT_EQ(actual.import_functions, expected.import_functions);
  EXPECT_EQ(actual.export_functions, expected.export_functions);
}

INSTANTIATE_TEST_SUITE_P(JcoFixtures, BridgeFixture, ::testing::ValuesIn(fixture_paths()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name;
                           for (char c : fs::path(info.param).stem().string()) {
                             bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                         (c >= '0' && c <= '9');
                             name += keep ? c : '_';
                           }
                           return name + "_" + std::to_string(info.index);
                         });

}  // namespace
}  // namespace berth::wit
