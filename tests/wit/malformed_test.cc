// Malformed WIT, one mistake per input: each is rejected with the exact position and a message
// that names the problem.
#include <gtest/gtest.h>

#include <filesystem>
#include <ostream>
#include <string>

#include "berth/wit/resolve.h"
#include "common/paths.h"

namespace berth::wit {
namespace {

namespace fs = std::filesystem;

struct Case {
  const char* name;
  const char* source;
  const char* where;  // "line:column" in bad.wit
  const char* message;
};

const Case kCases[] = {
    // Lexer.
    {"unterminated_block_comment", "package a:b;\n/* open /* nested */\ninterface i {}\n", "2:1",
     "unterminated block comment"},
    {"unterminated_string",
     "package a:b;\nworld w {\n  @external-id(\"abc\n  import f: func();\n}\n", "3:16",
     "unterminated string literal"},
    {"unexpected_character", "package a:b;\ninterface i { $ }\n", "2:15",
     "unexpected character '$'"},
    {"bidi_override", "package a:b;\n// \xE2\x80\xAE evil\n", "2:4",
     "bidirectional override character U+202E"},
    {"control_character", "package a:b;\x07\n", "1:13", "control character U+0007"},
    {"invalid_utf8", "package a:b;\n\xFF\n", "2:1", "invalid UTF-8 byte 0xff"},
    {"mixed_case_identifier", "package a:b;\ninterface Foo {}\n", "2:11",
     "word 'Foo' of identifier 'Foo' mixes upper and lower case"},
    {"double_hyphen_identifier", "package a:b;\ninterface a--b {}\n", "2:11",
     "identifier 'a--b' must not contain '--'"},
    {"trailing_hyphen_identifier", "package a:b;\ninterface a- {}\n", "2:11",
     "identifier 'a-' must not end with '-'"},
    {"underscore_identifier", "package a:b;\ninterface my_iface {}\n", "2:11",
     "character '_' is not allowed in identifier 'my_'"},
    {"bad_string_escape",
     "package a:b;\nworld w {\n  @external-id(\"a\\qb\")\n  import f: func();\n}\n", "3:18",
     "invalid escape in string literal"},
    // Parser.
    {"keyword_as_name", "package a:b;\ninterface type {}\n", "2:11",
     "expected an interface name after 'interface', found keyword 'type' (write '%type'"},
    {"missing_semicolon", "package a:b;\ninterface i {\n  f: func()\n  g: func();\n}\n", "4:3",
     "expected ';' after the type of function 'f', found 'g'"},
    {"missing_close_paren", "package a:b;\ninterface i {\n  f: func(a: u32 func\n}\n", "3:18",
     "expected ')' after parameter list, found 'func'"},
    {"missing_close_brace", "package a:b;\ninterface i {\n  f: func();\n", "4:1",
     "expected '}' to close interface 'i', found end of file"},
    {"package_not_first", "package a:b;\ninterface i {}\npackage a:b;\n", "3:1",
     "the 'package ...;' declaration must come first"},
    {"bad_version", "package a:b@1.0;\n", "1:13",
     "invalid version '1.0': expected MAJOR.MINOR.PATCH"},
    {"version_leading_zero", "package a:b@01.0.0;\n", "1:13",
     "major version '01' has a leading zero"},
    {"nested_namespace", "package a:b:c;\n", "1:12", "nested namespaces and packages"},
    {"static_outside_resource", "package a:b;\ninterface i {\n  f: static func();\n}\n", "3:6",
     "'static' functions are only allowed inside a 'resource' block"},
    {"import_package_without_interface", "package x:y;\nworld w {\n  import a:b;\n}\n", "3:13",
     "expected '/' and an interface name after package 'a:b' (to import interface 'b' under the "
     "name 'a', write 'a: b')"},
    {"since_and_unstable",
     "package a:b@1.0.0;\n@since(version = 1.0.0)\n@unstable(feature = x)\ninterface i {}\n", "2:1",
     "an item cannot be both '@since' and '@unstable'"},
    {"deprecated_alone", "package a:b@1.0.0;\n@deprecated(version = 1.0.0)\ninterface i {}\n",
     "2:1", "'@deprecated' must be paired with '@since' or '@unstable'"},
    {"unknown_attribute", "package a:b;\n@beta\ninterface i {}\n", "2:1",
     "unknown attribute '@beta'"},
    {"empty_enum", "package a:b;\ninterface i {\n  enum e {}\n}\n", "3:8",
     "'e' must have at least one case"},
    {"fixed_list_zero_length", "package a:b;\ninterface i {\n  type t = list<u8, 0>;\n}\n", "3:21",
     "fixed-size list length 0 must be between 1 and"},
    {"float_map_key", "package a:b;\ninterface i {\n  type m = map<f32, u8>;\n}\n", "3:16",
     "map keys must be an integer type, 'bool', 'char' or 'string'"},
    {"toplevel_use_with_names", "package a:b;\nuse i.{t};\n", "2:6",
     "'use path.{...}' is only allowed inside an interface or world"},
    {"result_underscore_alone", "package a:b;\ninterface i {\n  type r = result<_>;\n}\n", "3:20",
     "expected ',' and an error type after '_' in 'result<_, E>', found '>'"},
    // Resolver.
    {"no_package_declaration", "interface i {}\n", "1:1", "no 'package ns:name;' declaration"},
    {"unknown_type", "package a:b;\ninterface i {\n  f: func(x: foo);\n}\n", "3:14",
     "type 'foo' is not defined"},
    {"duplicate_type", "package a:b;\ninterface i {\n  type t = u32;\n  record t { a: u32 }\n}\n",
     "4:10", "type 't' is defined twice in this interface (first at line 3, column 8)"},
    {"duplicate_interface", "package a:b;\ninterface i {}\ninterface i {}\n", "3:11",
     "'i' is defined twice in package 'a:b' (first at bad.wit:2:11)"},
    {"duplicate_field", "package a:b;\ninterface i {\n  record r { a: u32, a: u32 }\n}\n", "3:22",
     "field 'a' appears twice in record 'r'"},
    {"use_cycle",
     "package a:b;\ninterface x {\n  use y.{t};\n  type u = u32;\n}\ninterface y {\n  use x.{u};\n"
     "  type t = u32;\n}\n",
     "7:7", "interfaces 'use' each other in a cycle: 'x' -> 'y' -> 'x'"},
    {"self_referential_type", "package a:b;\ninterface i {\n  type foo = foo;\n}\n", "3:14",
     "type 'foo' refers to itself: 'foo' -> 'foo'"},
    {"mutually_recursive_records",
     "package a:b;\ninterface i {\n  record bar1 { a: bar2 }\n  record bar2 { a: bar1 }\n}\n",
     "4:20", "type 'bar1' refers to itself: 'bar1' -> 'bar2' -> 'bar1'"},
    {"unknown_package", "package a:b;\nworld w {\n  import wasi:io/streams@0.2.0;\n}\n", "3:10",
     "package 'wasi:io@0.2.0' not found (is it missing from deps/?)"},
    {"version_conflict",
     "package a:b;\npackage c:d@1.0.0 {\n  interface i {}\n}\nworld w {\n  import "
     "c:d/i@2.0.0;\n}\n",
     "6:10", "package 'c:d@2.0.0' not found (found c:d@1.0.0)"},
    {"duplicate_package", "package a:b;\npackage c:d {}\npackage c:d {}\n", "3:9",
     "package 'c:d' is defined twice (also at bad.wit:2:9)"},
    {"borrow_of_record",
     "package a:b;\ninterface i {\n  record r { a: u32 }\n  f: func(x: borrow<r>);\n}\n", "4:21",
     "'borrow<r>' needs a resource, but 'r' is not one (it is a record)"},
    {"borrow_in_result",
     "package a:b;\ninterface i {\n  resource r;\n  f: func(x: borrow<r>) -> borrow<r>;\n}\n",
     "4:28", "the result of function 'f' contains a 'borrow' handle"},
    {"two_constructors",
     "package a:b;\ninterface i {\n  resource r {\n    constructor();\n    constructor(x: u32);\n  "
     "}\n}\n",
     "5:5", "resource 'r' has more than one constructor"},
    {"constructor_wrong_result",
     "package a:b;\ninterface i {\n  resource r {\n    constructor() -> u32;\n  }\n}\n", "4:22",
     "a constructor of 'r' returns 'r' or 'result<r, E>'"},
    {"method_with_self_param",
     "package a:b;\ninterface i {\n  resource r {\n    m: func(self: u32);\n  }\n}\n", "4:13",
     "parameter 'self' appears twice in function 'm' (methods have an implicit 'self' parameter)"},
    {"use_of_function",
     "package a:b;\ninterface x {\n  f: func();\n}\ninterface y {\n  use x.{f};\n}\n", "6:10",
     "'f' is a function of interface 'a:b/x'; 'use' only brings in types"},
    {"use_unknown_type", "package a:b;\ninterface x {}\ninterface y {\n  use x.{missing};\n}\n",
     "4:10", "interface 'a:b/x' has no type named 'missing'"},
    {"include_interface", "package a:b;\ninterface i {}\nworld w {\n  include i;\n}\n", "4:11",
     "'i' is an interface, but 'include' needs a world"},
    {"import_world", "package a:b;\nworld v {}\nworld w {\n  import v;\n}\n", "4:10",
     "'v' is a world, but an interface is expected here"},
    {"include_cycle", "package a:b;\nworld x {\n  include y;\n}\nworld y {\n  include x;\n}\n",
     "6:11", "worlds include each other in a cycle: 'x' -> 'y' -> 'x'"},
    {"include_with_unknown_name",
     "package a:b;\nworld x {\n  import f: func();\n}\nworld y {\n  include x with { g as h }\n}\n",
     "6:20", "world 'a:b/x' has no import or export named 'g' to rename"},
    {"include_name_clash",
     "package a:b;\nworld x {\n  import f: func();\n}\nworld y {\n  import f: func();\n"
     "  include x;\n}\n",
     "7:3", "import 'f' of included world 'a:b/x' clashes with an item of the same name"},
    {"duplicate_import_name",
     "package a:b;\nworld w {\n  import f: func();\n  import f: func(x: u32);\n}\n", "4:10",
     "function 'f' is defined twice in this world's imports"},
    {"interface_imported_twice",
     "package a:b;\ninterface i {}\nworld w {\n  import i;\n  import i;\n}\n", "5:10",
     "interface 'a:b/i' is imported twice by world 'w'"},
    {"gated_type_reference",
     "package a:b@1.0.0;\ninterface i {\n  @unstable(feature = fancy)\n  type t = u32;\n"
     "  f: func() -> t;\n}\n",
     "5:16", "type 't' is gated by feature 'fancy', which is not enabled"},
};

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const Case& c, std::ostream* out) {
  *out << c.name;
}

class MalformedWitTest : public ::testing::TestWithParam<Case> {};

TEST_P(MalformedWitTest, IsRejectedWithPosition) {
  const Case& c = GetParam();
  Resolve resolve;
  auto result = load_source(resolve, "bad.wit", c.source);
  ASSERT_FALSE(result.ok()) << "accepted:\n" << c.source;
  const std::string& message = result.error().message();
  std::string prefix = std::string("bad.wit:") + c.where + ": ";
  EXPECT_EQ(message.substr(0, prefix.size()), prefix) << message;
  EXPECT_NE(message.find(c.message), std::string::npos) << message;
  // A failed load leaves the Resolve as it was.
  EXPECT_TRUE(resolve.packages.empty());
  EXPECT_TRUE(resolve.types.empty());
}

INSTANTIATE_TEST_SUITE_P(wit, MalformedWitTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

TEST(wit_malformed_inputs, EnoughDistinctMistakes) {
  EXPECT_GE(std::size(kCases), 30u);
}

// Mistakes that need several files: each fixture folder under tests/wit/malformed/.
struct FolderCase {
  const char* folder;
  const char* file;   // relative to the folder
  const char* where;  // "line:column"
  const char* message;
};

const FolderCase kFolderCases[] = {
    {"package-mismatch", "b.wit", "1:9",
     "package 'ex:two' does not match package 'ex:one' declared at"},
    {"dependency-cycle", "deps/second.wit", "3:7",
     "packages depend on each other in a cycle: 'dep:first' -> 'dep:second' -> 'dep:first'"},
    {"missing-dependency", "root.wit", "4:10",
     "package 'dep:gone@1.0.0' not found (found dep:gone@2.0.0)"},
    {"duplicate-across-deps", "deps/b.wit", "1:9", "package 'dep:same' is defined twice"},
    {"cross-file-duplicate", "b.wit", "1:7", "'thing' is defined twice in package 'ex:dup'"},
};

TEST(wit_malformed_folders, AreRejectedWithPosition) {
  for (const FolderCase& c : kFolderCases) {
    SCOPED_TRACE(c.folder);
    fs::path dir = fs::path(berth::testing::source_dir()) / "tests/wit/malformed" / c.folder;
    Resolve resolve;
    auto result = load_path(resolve, dir);
    ASSERT_FALSE(result.ok());
    const std::string& message = result.error().message();
    std::string prefix = (dir / c.file).string() + ":" + c.where + ": ";
    EXPECT_EQ(message.substr(0, prefix.size()), prefix) << message;
    EXPECT_NE(message.find(c.message), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace berth::wit
