// Focused tests per rule family. Most inputs are single forms of the component-model corpora
// (named by script and line, so the source .wast shows what they are); a few are assembled here.
// Each invalid case checks the error code and the part of berth's message that names the rule.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "component/binary/decoder.h"
#include "component/ir/names.h"
#include "component/validate/validator.h"
#include "test_support.h"

namespace berth::component {
namespace {

using testing::Bytes;
using testing::Json;

struct Form {
  std::vector<uint8_t> bytes;
  binary::Component ir;
  std::optional<Result<std::shared_ptr<const ValidatedComponent>>> result;

  const Result<std::shared_ptr<const ValidatedComponent>>& operator*() const { return *result; }
  const ValidatedComponent& component() const { return *result->value(); }
};

std::unique_ptr<Form> validate_bytes(std::vector<uint8_t> bytes, const ValidateOptions& options) {
  auto form = std::make_unique<Form>();
  form->bytes = std::move(bytes);
  auto decoded = binary::decode_component(form->bytes);
  if (!decoded) {
    ADD_FAILURE() << "does not decode: " << decoded.error().message();
    return nullptr;
  }
  form->ir = std::move(*decoded);
  form->result = validate_component(form->ir, form->bytes, options);
  return form;
}

// The form at `line` of the script `script` of a component-model corpus.
std::unique_ptr<Form> corpus_form(const std::string& corpus, const std::string& script, int line,
                                  const ValidateOptions& options = {}) {
  std::filesystem::path dir =
      testing::corpora_dir() / "component-model" / corpus / "bin" / (script + ".d");
  std::optional<Json> manifest = testing::parse_json(testing::read_text(dir / "manifest.json"));
  if (!manifest) {
    ADD_FAILURE() << "no manifest in " << dir;
    return nullptr;
  }
  for (const Json& command : manifest->get("commands")->array) {
    const Json* at = command.get("line");
    if (at && static_cast<int>(at->number) == line && !command.str("filename").empty()) {
      return validate_bytes(testing::read_file(dir / command.str("filename")), options);
    }
  }
  ADD_FAILURE() << "no form at line " << line << " of " << script;
  return nullptr;
}

std::unique_ptr<Form> spec(const std::string& script, int line) {
  return corpus_form("spec", "test/" + script, line);
}

std::unique_ptr<Form> wasm_tools(const std::string& script, int line,
                                 const ValidateOptions& options = {}) {
  return corpus_form("wasm-tools", "tests/cli/component-model/" + script, line, options);
}

struct InvalidCase {
  std::string script;
  int line;
  std::string message;  // a part of berth's message
};

void expect_invalid(const std::vector<InvalidCase>& cases) {
  for (const InvalidCase& c : cases) {
    SCOPED_TRACE(fmt::format("{}:{}", c.script, c.line));
    auto form = spec(c.script, c.line);
    ASSERT_TRUE(form);
    ASSERT_FALSE(**form);
    EXPECT_EQ((**form).error().code(), ErrorCode::kInvalid) << (**form).error().message();
    EXPECT_NE((**form).error().message().find(c.message), std::string::npos)
        << (**form).error().message();
    EXPECT_EQ((**form).error().message().rfind("offset 0x", 0), 0u) << "message names the offset";
  }
}

void expect_valid(const std::string& script, std::vector<int> lines) {
  for (int line : lines) {
    SCOPED_TRACE(fmt::format("{}:{}", script, line));
    auto form = spec(script, line);
    ASSERT_TRUE(form);
    EXPECT_TRUE(**form) << (**form).error().message();
  }
}

TEST(ValidatorTypes, DefinedTypesAreWellFormed) {
  expect_valid("validation/defined-types.wast", {8, 103});
  expect_invalid({
      {"validation/defined-types.wast", 31, "record field name cannot be empty"},
      {"validation/defined-types.wast", 49,
       "record field name `A-b-C-d` conflicts with previous field name `a-B-c-D`"},
      {"validation/defined-types.wast", 58, "flag name `X` conflicts with previous flag name `x`"},
      {"validation/defined-types.wast", 70, "enum tag name `NevEr` is not in kebab case"},
      {"validation/defined-types.wast", 85, "variant type must have at least one case"},
      {"validation/defined-types.wast", 97, "tuple type must have at least one type"},
      {"validation/defined-types.wast", 110, "cannot have more than 32 flags"},
      {"validation/defined-types.wast", 121, "type index 0 is not a defined type"},
      {"validation/defined-types.wast", 139, "type index out of bounds"},
      {"validation/defined-types.wast", 214, "type index 0 is not an instance type"},
      {"validation/defined-types.wast", 234, "core type index 0 is not a module type"},
      {"validation/max-value-size.wast", 25, "exceeds maximum byte size"},
      {"validation/resources.wast", 687, "not a resource type"},
  });
}

TEST(ValidatorTypes, FunctionTypes) {
  expect_invalid({
      {"validation/defined-types.wast", 43, "function parameter name cannot be empty"},
      {"validation/defined-types.wast", 64,
       "function parameter name `FOO` conflicts with previous parameter name `foo`"},
      {"validation/defined-types.wast", 79, "function parameter name `yOu` is not in kebab case"},
      {"validation/resources.wast", 701, "function result cannot contain a `borrow` type"},
  });
}

TEST(ValidatorTypes, NestingAndSizeLimits) {
  auto deep = corpus_form("wasmtime", "tests/misc_testsuite/component-model/types.wast", 144);
  ASSERT_TRUE(deep);
  ASSERT_FALSE(**deep);
  EXPECT_NE((**deep).error().message().find("type nesting is too deep"), std::string::npos);
  auto big = wasm_tools("very-nested.wast", 1569);
  ASSERT_TRUE(big);
  ASSERT_FALSE(**big);
  EXPECT_NE((**big).error().message().find("effective type size exceeds the limit"),
            std::string::npos)
      << (**big).error().message();
}

TEST(ValidatorCanon, OptionsAndRequirements) {
  expect_valid("validation/abi.wast", {22, 109});
  expect_invalid({
      {"validation/abi.wast", 4, "canonical option `memory` is required"},
      {"validation/abi.wast", 11, "canonical option `realloc` requires `memory`"},
      {"validation/abi.wast", 38, "memory index out of bounds"},
      {"validation/abi.wast", 72, "canonical option `realloc` is required"},
      {"validation/abi.wast", 133,
       "canonical encoding option `utf8` conflicts with option `utf16`"},
      {"validation/abi.wast", 154, "`memory` is specified more than once"},
      {"validation/abi.wast", 200,
       "canonical option `realloc` uses a core function with an incorrect signature"},
      {"validation/abi.wast", 214,
       "canonical option `post-return` uses a core function with an incorrect signature"},
      {"validation/abi.wast", 231,
       "canonical option `post-return` cannot be specified for lowerings"},
      {"validation/abi.wast", 267, "not a function type"},
  });
}

TEST(ValidatorCanon, LiftSignatureMustMatchFlattening) {
  expect_invalid({
      {"validation/abi.wast", 250,
       "canon lift: core function 0 has type (i32) -> (), expected () -> () for func()"},
      {"validation/abi.wast", 257,
       "canon lift: core function 0 has type () -> (i32), expected () -> () for func()"},
  });
}

TEST(ValidatorCanon, ResolvedOptionsAreRecorded) {
  auto form = spec("validation/abi.wast", 109);
  ASSERT_TRUE(form);
  ASSERT_TRUE(**form) << (**form).error().message();
  const ValidatedComponent& c = form->component();
  ASSERT_EQ(c.canons.size(), 6u);
  const StringEncoding encodings[] = {StringEncoding::kUtf8, StringEncoding::kUtf16,
                                      StringEncoding::kLatin1Utf16};
  for (size_t i = 0; i < 6; ++i) {
    const CanonDefinition& d = c.canons[i];
    EXPECT_EQ(d.canon->kind, i < 3 ? binary::CanonKind::kLower : binary::CanonKind::kLift);
    EXPECT_EQ(d.options.string_encoding, encodings[i % 3]);
    EXPECT_EQ(d.options.memory, std::optional<uint32_t>(0));
    ASSERT_TRUE(d.options.realloc);
    EXPECT_EQ(c.core_funcs[*d.options.realloc].to_string(), "(i32, i32, i32, i32) -> (i32)");
    EXPECT_EQ(d.func_type->to_string(), "func(msg: string)");
    EXPECT_EQ(d.core_type.to_string(), "(i32, i32) -> ()");
  }
  // The lowered functions join the core function index space, the lifted ones the function
  // index space (after the import).
  EXPECT_EQ(c.canons[0].index, 1u);
  EXPECT_EQ(c.canons[3].index, 1u);
  // The import, three lifts, and three exports (an export adds an index too).
  EXPECT_EQ(c.funcs.size(), 7u);
  ASSERT_EQ(c.type->exports.size(), 3u);
  EXPECT_EQ(c.type->exports[0].name, "log1");
}

TEST(ValidatorCanon, AsyncBuiltinsAreUnsupported) {
  auto form = wasm_tools("async/task-builtins.wast", 11);
  ASSERT_TRUE(form);
  ASSERT_FALSE(**form);
  EXPECT_EQ((**form).error().code(), ErrorCode::kUnsupported) << (**form).error().message();
}

TEST(ValidatorResources, Rules) {
  expect_valid("validation/resources.wast", {19, 39, 112, 743, 814});
  expect_invalid({
      {"validation/resources.wast", 6, "resource types are not the same"},
      {"validation/resources.wast", 102, "expected own, found borrow"},
      {"validation/resources.wast", 651, "expected resource, found defined type"},
      {"validation/resources.wast", 729,
       "resources can only be defined within a concrete component"},
      {"validation/resources.wast", 750, "wrong signature for a destructor"},
      {"validation/resources.wast", 790, "not a local resource"},
  });
}

TEST(ValidatorResources, DefinitionsAndHandlesShareOneIdentity) {
  auto form = spec("validation/resources.wast", 814);
  ASSERT_TRUE(form);
  ASSERT_TRUE(**form) << (**form).error().message();
  const ValidatedComponent& c = form->component();
  for (const ResourceDefinition& r : c.resources) {
    ASSERT_LT(r.type_index, c.types.size());
    EXPECT_EQ(c.types[r.type_index].resource, r.resource);
  }
}

TEST(ValidatorInstantiation, ComponentArgumentsAreSubtypes) {
  expect_valid("validation/instantiation.wast", {7, 218, 262, 281, 289, 332, 342, 471, 476});
  expect_invalid({
      {"validation/instantiation.wast", 14, "expected primitive `u32` found primitive `string`"},
      {"validation/instantiation.wast", 51, "type mismatch in record field `x`"},
      {"validation/instantiation.wast", 88, "expected case named `x`, found `y`"},
      {"validation/instantiation.wast", 237, "expected parameter named `y`, found `x`"},
      {"validation/instantiation.wast", 269, "type mismatch in instance export `a`"},
      {"validation/instantiation.wast", 297, "type mismatch in import `::f`"},
      {"validation/instantiation.wast", 313, "missing expected export `x`"},
      {"validation/instantiation.wast", 483, "expected func, found component"},
      {"validation/resources.wast", 668, "missing import named `x`"},
  });
}

TEST(ValidatorInstantiation, CoreArgumentsSatisfyModuleImports) {
  expect_invalid({
      {"validation/instantiation.wast", 356, "expected () -> (), found (i32) -> ()"},
      {"validation/instantiation.wast", 381, "expected global type i32, found i64"},
      {"validation/instantiation.wast", 389,
       "expected table element type funcref, found externref"},
      {"validation/instantiation.wast", 397, "mismatch in table limits"},
      {"validation/instantiation.wast", 421, "mismatch in the shared flag for memories"},
      {"validation/instantiation.wast", 429, "mismatch in memory limits"},
      {"validation/instantiation.wast", 437, "expected global, found function"},
      {"validation/instantiation.wast", 448, "missing module instantiation argument"},
      {"validation/instantiation.wast", 454, "does not export an item named `table`"},
  });
}

TEST(ValidatorInstantiation, InstancesGetFreshResources) {
  // Two instances of one component that defines and exports a resource: the aliased types
  // must differ from each other and from the child's own definition.
  auto form = spec("validation/resources.wast", 112);
  ASSERT_TRUE(form);
  ASSERT_TRUE(**form) << (**form).error().message();
  const ValidatedComponent& c = form->component();
  std::vector<const ResourceType*> seen;
  for (const auto& instance : c.instances) {
    for (const NamedExtern& e : instance->exports) {
      if (!e.desc.resource) continue;
      for (const ResourceType* other : seen) EXPECT_NE(other, e.desc.resource.get()) << e.name;
      seen.push_back(e.desc.resource.get());
    }
  }
}

TEST(ValidatorAliases, OuterAliasRules) {
  expect_valid("validation/outer-alias.wast", {7, 26, 98, 106, 121, 132, 156, 265});
  expect_invalid({
      {"validation/outer-alias.wast", 39, "transitively refers to resources"},
      {"validation/outer-alias.wast", 173, "may only refer to types or instances"},
      {"validation/outer-alias.wast", 219, "invalid outer alias count"},
      {"validation/outer-alias.wast", 243, "index out of bounds"},
  });
}

TEST(ValidatorAliases, ExportAliasesNameExistingExportsOfTheRightSort) {
  expect_invalid({
      {"validation/instantiation.wast", 653, "is not a core module"},
  });
  auto missing = wasm_tools("alias.wast", 126);
  ASSERT_TRUE(missing);
  ASSERT_FALSE(**missing);
  EXPECT_EQ((**missing).error().code(), ErrorCode::kInvalid);
}

TEST(ValidatorNames, ExternNameGrammar) {
  expect_invalid({
      {"validation/kebab.wast", 48, "character `W` is not lowercase"},
      {"validation/extern-names.wast", 26, "is not a valid extern name"},
      {"validation/extern-names.wast", 53, "expected `/` after package name"},
      {"validation/annotated-names.wast", 56, "missing a `.`"},
  });
}

TEST(ValidatorNames, ResourceFunctionNames) {
  expect_valid("validation/annotated-names.wast", {8, 164});
  expect_invalid({
      {"validation/annotated-names.wast", 21, "function should return one value"},
      {"validation/annotated-names.wast", 29, "function does not match expected resource name `b`"},
      {"validation/annotated-names.wast", 76, "item is not a func"},
      {"validation/annotated-names.wast", 84,
       "function should have a first argument called `self`"},
      {"validation/annotated-names.wast", 88,
       "function should take a first argument of `(borrow $T)`"},
      {"validation/annotated-names.wast", 153,
       "resource used in function does not have a name in this context"},
  });
}

TEST(ValidatorNames, StrongUniqueness) {
  expect_invalid({
      {"validation/annotated-names.wast", 193,
       "import name `[method]a.a` conflicts with previous name `a`"},
      {"validation/annotated-names.wast", 198,
       "import name `[static]a.a` conflicts with previous name `a`"},
      {"validation/kebab.wast", 121, "conflicts with previous name"},
      {"validation/instantiation.wast", 521, "export name `a` conflicts with previous name `a`"},
  });
  struct Case {
    std::vector<std::string> names;
    bool valid;
  };
  const std::vector<Case> cases = {
      {{"foo", "foo-bar", "foo:bar/baz", "foo:bar/baz@1.0.0"}, true},
      {{"foo", "FOO"}, false},
      {{"foo-BAR", "FOO-bar"}, false},
      {{"foo:bar/baz", "foo:bar/BAZ"}, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(fmt::format("{}", fmt::join(c.names, ", ")));
    // (component (type (instance (type (func)) (export "<name>" (func (type 0)))...)))
    Bytes decls;
    decls.u32(static_cast<uint32_t>(c.names.size() + 1));
    decls.u8(0x01).raw({0x40, 0x00, 0x01, 0x00});
    for (const std::string& name : c.names) decls.u8(0x04).u8(0x00).name(name).u8(0x01).u32(0);
    Bytes types;
    types.u32(1).u8(0x42).raw(decls);
    Bytes binary = testing::component_preamble();
    binary.section(0x07, types);
    auto form = validate_bytes(binary.data(), ValidateOptions{});
    ASSERT_TRUE(form);
    if (c.valid) {
      EXPECT_TRUE(**form) << (**form).error().message();
    } else {
      ASSERT_FALSE(**form);
      EXPECT_NE((**form).error().message().find("conflicts with previous name"), std::string::npos)
          << (**form).error().message();
    }
  }
}

TEST(ValidatorVisibility, ExportedTypesMustBeNamed) {
  expect_valid("validation/external-visibility.wast", {5, 53, 475});
  expect_invalid({
      {"validation/external-visibility.wast", 19, "func not valid to be used as export"},
      {"validation/external-visibility.wast", 28, "func not valid to be used as export"},
      {"validation/external-visibility.wast", 38, "func not valid to be used as import"},
      {"validation/external-visibility.wast", 61, "func not valid to be used as export"},
      {"validation/external-visibility.wast", 90, "type not valid to be used as export"},
  });
}

TEST(ValidatorFeatures, GatedFeaturesAreUnsupported) {
  // 🪙 values and start functions.
  auto values = corpus_form("wasm-tools", "tests/cli/component-model/values/start.wast", 36);
  ASSERT_TRUE(values);
  ASSERT_FALSE(**values);
  EXPECT_EQ((**values).error().code(), ErrorCode::kUnsupported);
}

// An invalid form with the error code kInvalid, a message that starts with the offset, and
// `message` in it.
void expect_invalid_form(const std::unique_ptr<Form>& form, std::string_view message) {
  ASSERT_TRUE(form);
  ASSERT_FALSE(**form);
  EXPECT_EQ((**form).error().code(), ErrorCode::kInvalid) << (**form).error().message();
  EXPECT_NE((**form).error().message().find(message), std::string::npos)
      << (**form).error().message();
  EXPECT_EQ((**form).error().message().rfind("offset 0x", 0), 0u) << (**form).error().message();
}

std::unique_ptr<Form> wasmtime(const std::string& script, int line,
                               const ValidateOptions& options = {}) {
  return corpus_form("wasmtime", "tests/misc_testsuite/component-model/" + script, line, options);
}

std::unique_ptr<Form> missing_features(const std::string& script, int line,
                                       const ValidateOptions& options) {
  return corpus_form("wasm-tools", "tests/cli/missing-features/component-model/" + script, line,
                     options);
}

TEST(ValidatorFeatures, TurnedOffFeaturesMakeComponentsInvalid) {
  // 🏷️ implements (wasmtime's implements-disabled.wast, wasm-tools' implements.wast).
  ValidateOptions without_implements;
  without_implements.features.remove(binary::Feature::kImplements);
  expect_invalid_form(
      wasmtime("implements-disabled.wast", 3, without_implements),
      "the `implements` attribute (🏷️) needs the `implements` feature, which is "
      "turned off");
  expect_invalid_form(wasm_tools("implements.wast", 3, without_implements),
                      "needs the `implements` feature, which is turned off");
  auto with_implements = wasmtime("implements-disabled.wast", 3);
  ASSERT_TRUE(with_implements);
  EXPECT_TRUE(**with_implements) << (**with_implements).error().message();

  // 🔧 fixed-length lists, as a result and as a parameter: refused at the list type.
  ValidateOptions without_lists;
  without_lists.features.remove(binary::Feature::kFixedLengthLists);
  for (int line : {3, 18}) {
    SCOPED_TRACE(line);
    auto form = missing_features("fixed-length-lists.wast", line, without_lists);
    expect_invalid_form(form,
                        "fixed-length lists (🔧) need the `fixed-length-lists` feature, "
                        "which is turned off");
    auto with_lists = missing_features("fixed-length-lists.wast", line, ValidateOptions{});
    ASSERT_TRUE(with_lists);
    EXPECT_TRUE(**with_lists) << (**with_lists).error().message();
  }
  // Where the list type is: after the core module and instance, not at the component.
  auto list = missing_features("fixed-length-lists.wast", 3, without_lists);
  ASSERT_TRUE(list);
  EXPECT_NE((**list).error().message().rfind("offset 0x0:", 0), 0u) << (**list).error().message();
}

TEST(ValidatorFeatures, TurnedOffCoreProposalsMakeCoreTypesInvalid) {
  ValidateOptions without_simd;
  without_simd.simd = false;
  expect_invalid_form(missing_features("types.wast", 3, without_simd),
                      "core type 0: `v128` needs the SIMD proposal, which is turned off");
  auto with_simd = missing_features("types.wast", 3, ValidateOptions{});
  ASSERT_TRUE(with_simd);
  EXPECT_TRUE(**with_simd) << (**with_simd).error().message();

  ValidateOptions without_references;
  without_references.reference_types = false;
  expect_invalid_form(missing_features("types.wast", 15, without_references),
                      "core type 1: reference types need the reference types proposal, which is "
                      "turned off");

  // (component (core type (func (param v128))) (core module (func (param v128)))) without the
  // core type: the module's own types are checked too.
  Bytes module = testing::core_preamble();
  module.section(0x01, Bytes{}.u32(1).u8(0x60).u32(1).u8(0x7b).u32(0));
  Bytes binary = testing::component_preamble();
  binary.section(0x01, module);
  expect_invalid_form(validate_bytes(binary.data(), without_simd),
                      "core module 0: type 0: `v128` needs the SIMD proposal");
  EXPECT_TRUE(**validate_bytes(binary.data(), ValidateOptions{}));
}

TEST(ValidatorRootRules, EmbedderRulesRefuseWhatTheHostCannotProvideOrReceive) {
  ValidateOptions rules;
  rules.root_embedder_rules = true;
  struct Case {
    std::string script;
    int line;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"restrictions.wast", 1,
       "import `x` is a component: root-level component imports are not supported"},
      {"restrictions.wast", 5,
       "export `x` is a component: exporting a component from the root component is not "
       "supported"},
      {"restrictions.wast", 9,
       "export `f` is a reexport of function 0, imported as `f`: reexporting an imported "
       "function from the root component is not supported"},
      {"restrictions.wast", 16, "root-level component imports are not supported"},
      {"simple.wast", 24, "root-level component imports are not supported"},
      {"simple.wast", 30, "exporting a component from the root component is not supported"},
      {"import.wast", 1, "export `x` is a reexport of function 0, imported as `host-return-two`"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(fmt::format("{}:{}", c.script, c.line));
    expect_invalid_form(wasmtime(c.script, c.line, rules), c.message);
    // Valid components by the component model itself.
    auto plain = wasmtime(c.script, c.line);
    ASSERT_TRUE(plain);
    EXPECT_TRUE(**plain) << (**plain).error().message();
  }
  // The rules are about the root only: a nested component may do all three.
  // (component (component
  //   (import "f" (func)) (import "c" (component))
  //   (export "f" (func 0)) (export "d" (component 0))))
  Bytes types = Bytes{}.u32(2).raw({0x40, 0x00, 0x01, 0x00}).raw({0x41, 0x00});
  Bytes imports =
      Bytes{}.u32(2).u8(0x00).name("f").u8(0x01).u32(0).u8(0x00).name("c").u8(0x04).u32(1);
  Bytes exports = Bytes{}.u32(2).u8(0x00).name("f").u8(0x01).u32(0).u8(0x00);
  exports.u8(0x00).name("d").u8(0x04).u32(0).u8(0x00);
  Bytes inner = testing::component_preamble();
  inner.section(0x07, types).section(0x0a, imports).section(0x0b, exports);
  Bytes outer = testing::component_preamble();
  outer.section(0x04, inner);
  auto nested = validate_bytes(outer.data(), rules);
  ASSERT_TRUE(nested);
  EXPECT_TRUE(**nested) << (**nested).error().message();
}

// (component
//   (type (instance (type (func)) (export "f" (func (type 0)))))
//   (import "i" (instance (type 0)))
//   (alias export 0 "f" (func))
//   <exports>)
Bytes reexport_component(const Bytes& exports) {
  Bytes decls;
  decls.u32(2);
  decls.u8(0x01).raw({0x40, 0x00, 0x01, 0x00});
  decls.u8(0x04).u8(0x00).name("f").u8(0x01).u32(0);
  Bytes types;
  types.u32(1).u8(0x42).raw(decls);
  Bytes binary = testing::component_preamble();
  binary.section(0x07, types);
  binary.section(0x0a, Bytes{}.u32(1).u8(0x00).name("i").u8(0x05).u32(0));
  binary.section(0x06, Bytes{}.u32(1).u8(0x01).u8(0x00).u32(0).name("f"));
  binary.section(0x0b, exports);
  return binary;
}

TEST(ValidatorRootRules, FunctionsOfImportedInstancesAreImportedFunctions) {
  ValidateOptions rules;
  rules.root_embedder_rules = true;
  // (export "g" (func 0)): function 0 is the alias of the imported instance's `f`.
  Bytes export_func = Bytes{}.u32(1).u8(0x00).name("g").u8(0x01).u32(0).u8(0x00);
  expect_invalid_form(validate_bytes(reexport_component(export_func).data(), rules),
                      "export `g` is a reexport of function 0, imported as `i#f`");
  EXPECT_TRUE(**validate_bytes(reexport_component(export_func).data(), ValidateOptions{}));
  // (export "j" (instance 0)) (alias export 1 "f" (func)) ... the exported instance is still
  // the imported one: exporting the instance itself is allowed.
  Bytes export_instance = Bytes{}.u32(1).u8(0x00).name("j").u8(0x05).u32(0).u8(0x00);
  EXPECT_TRUE(**validate_bytes(reexport_component(export_instance).data(), rules));
}

TEST(ValidatorNames, NestedNamesDecodeAndValidateWhenTurnedOn) {
  ValidateOptions nested;
  nested.nested_names = true;
  for (int line : {6, 13, 24}) {
    SCOPED_TRACE(line);
    auto form = wasm_tools("nested-names.wast", line, nested);
    ASSERT_TRUE(form);
    EXPECT_TRUE(**form) << (**form).error().message();
    // Without the feature, the first nested name is refused.
    auto plain = wasm_tools("nested-names.wast", line);
    expect_invalid_form(plain, "expected `/` after package name");
  }
  // The names are kept as written.
  auto form = wasm_tools("nested-names.wast", 13, nested);
  ASSERT_TRUE(form);
  const binary::Component& ir = form->ir;
  const binary::Import* import = nullptr;
  for (const binary::Definition& def : ir.definitions) {
    import = std::get_if<binary::Import>(&def);
    if (import) break;
  }
  ASSERT_NE(import, nullptr);
  EXPECT_EQ(import->name.name, "unlocked-dep=<a:b:c:d/e/f/g>");
  auto parsed = binary::parse_extern_name(import->name.name, binary::NamePosition::kImport,
                                          binary::NameGrammar{.nested_names = true});
  ASSERT_TRUE(parsed) << parsed.error().message();
  EXPECT_EQ(parsed->kind, binary::ExternNameKind::kUnlockedDep);
  EXPECT_EQ(parsed->interface.namespaces.size(), 3u);
  EXPECT_EQ(parsed->interface.package, "d");
  EXPECT_EQ(parsed->interface.projections.size(), 3u);
}

}  // namespace
}  // namespace berth::component
