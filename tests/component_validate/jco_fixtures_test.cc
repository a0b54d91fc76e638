// Validates the 55 components of jco's fixtures (built by wit-component, componentize-js and
// others) and checks the resolved types of a few imports and exports.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>

#include "component/binary/decoder.h"
#include "component/validate/validator.h"
#include "test_support.h"

namespace berth::component {
namespace {

std::vector<std::string> fixture_paths() {
  std::vector<std::string> paths;
  std::istringstream in(testing::read_text(testing::corpora_dir() / "jco-fixtures" / "INDEX.tsv"));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty()) paths.push_back(line.substr(0, line.find('\t')));
  }
  return paths;
}

// A fixture decoded and validated; the bytes and IR stay alive with the result.
struct Validated {
  std::vector<uint8_t> bytes;
  binary::Component ir;
  std::shared_ptr<const ValidatedComponent> component;
};

std::unique_ptr<Validated> validate_fixture(const std::string& path, std::string* error) {
  auto out = std::make_unique<Validated>();
  out->bytes = testing::read_file(testing::corpora_dir() / "jco-fixtures" / path);
  auto decoded = binary::decode_component(out->bytes);
  if (!decoded) {
    *error = "decode: " + decoded.error().message();
    return nullptr;
  }
  out->ir = std::move(*decoded);
  auto validated = validate_component(out->ir, out->bytes);
  if (!validated) {
    *error = validated.error().message();
    return nullptr;
  }
  out->component = std::move(*validated);
  return out;
}

const NamedExtern* find(const std::vector<NamedExtern>& list, std::string_view name) {
  for (const NamedExtern& e : list) {
    if (e.name == name) return &e;
  }
  return nullptr;
}

// The function `name` of the instance exported (or imported) as `instance`, printed.
std::string instance_func(const std::vector<NamedExtern>& list, std::string_view instance,
                          std::string_view name) {
  const NamedExtern* i = find(list, instance);
  if (!i || i->desc.kind != ExternKind::kInstance) return "(no instance)";
  const NamedExtern* f = i->desc.instance->find(name);
  if (!f || f->desc.kind != ExternKind::kFunc) return "(no function)";
  return f->desc.func->to_string();
}

TEST(ValidatorJcoFixtures, AllValidate) {
  std::vector<std::string> paths = fixture_paths();
  ASSERT_EQ(paths.size(), 55u);
  int validated = 0;
  for (const std::string& path : paths) {
    std::string error;
    if (validate_fixture(path, &error)) {
      ++validated;
    } else {
      ADD_FAILURE() << path << ": " << error;
    }
  }
  std::printf("jco fixtures: %d of %zu validate\n", validated, paths.size());
}

TEST(ValidatorJcoFixtures, AdderExportType) {
  std::string error;
  auto adder = validate_fixture("examples/transpile/adder/adder.wasm", &error);
  ASSERT_TRUE(adder) << error;
  const ComponentType& type = *adder->component->type;
  EXPECT_EQ(instance_func(type.exports, "docs:adder/add@0.1.0", "add"),
            "func(x: u32, y: u32) -> u32");
}

TEST(ValidatorJcoFixtures, StringsImportsAndExports) {
  std::string error;
  auto strings = validate_fixture(
      "packages/jco-transpile/test/fixtures/components/runtime/strings.component.wasm", &error);
  ASSERT_TRUE(strings) << error;
  const ComponentType& type = *strings->component->type;
  const NamedExtern* roundtrip = find(type.exports, "roundtrip");
  ASSERT_TRUE(roundtrip);
  ASSERT_EQ(roundtrip->desc.kind, ExternKind::kFunc);
  EXPECT_EQ(roundtrip->desc.func->to_string(), "func(s: string) -> string");
  EXPECT_EQ(instance_func(type.imports, "test:strings/imports", "take-basic"), "func(s: string)");
  EXPECT_EQ(instance_func(type.imports, "test:strings/imports", "return-unicode"),
            "func() -> string");
}

TEST(ValidatorJcoFixtures, ResourcesAreExportedWithMethods) {
  std::string error;
  auto resources = validate_fixture(
      "packages/jco-transpile/test/fixtures/components/runtime/resource_borrow_export.component."
      "wasm",
      &error);
  ASSERT_TRUE(resources) << error;
  const ComponentType& type = *resources->component->type;
  const NamedExtern* test = find(type.exports, "test:resource-borrow-export/test");
  ASSERT_TRUE(test);
  ASSERT_EQ(test->desc.kind, ExternKind::kInstance);
  const NamedExtern* thing = test->desc.instance->find("thing");
  ASSERT_TRUE(thing);
  ASSERT_EQ(thing->desc.kind, ExternKind::kType);
  ASSERT_TRUE(thing->desc.resource);
  // The exported resource is one the component defines: fresh per instantiation.
  ASSERT_EQ(type.defined_resources.size(), 1u);
  EXPECT_EQ(type.defined_resources[0], thing->desc.resource);
  const NamedExtern* foo = test->desc.instance->find("foo");
  ASSERT_TRUE(foo);
  ASSERT_EQ(foo->desc.kind, ExternKind::kFunc);
  ASSERT_EQ(foo->desc.func->params.size(), 1u);
  const Type& param = *foo->desc.func->params[0].type;
  EXPECT_EQ(param.kind, ValKind::kBorrow);
  // Handles refer to the same (canonical) resource object as the type export.
  EXPECT_EQ(param.resource, thing->desc.resource);
}

TEST(ValidatorJcoFixtures, WasiCommandImportsResources) {
  std::string error;
  auto command =
      validate_fixture("packages/jco/test/fixtures/components/hello_stdout.component.wasm", &error);
  ASSERT_TRUE(command) << error;
  const ComponentType& type = *command->component->type;
  const NamedExtern* streams = nullptr;
  for (const NamedExtern& e : type.imports) {
    if (e.name.rfind("wasi:io/streams@", 0) == 0) streams = &e;
  }
  ASSERT_TRUE(streams);
  ASSERT_EQ(streams->desc.kind, ExternKind::kInstance);
  const NamedExtern* output = streams->desc.instance->find("output-stream");
  ASSERT_TRUE(output);
  ASSERT_TRUE(output->desc.resource);
  // Imported instances' resources are abstract: bound by instantiation.
  bool imported = false;
  for (const ResourceTypeRef& r : type.imported_resources) imported |= r == output->desc.resource;
  EXPECT_TRUE(imported);
  EXPECT_TRUE(type.defined_resources.empty());
}

}  // namespace
}  // namespace berth::component
