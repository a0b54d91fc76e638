// The bindings generator: what the generated C says, and that a bundle built from it with a C
// compiler loads (its descriptor's signatures and struct sizes agree with berth's) and answers.
#include "berth/sdk/bindgen.h"
#include "common/paths.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "berth/bundle/bundle.h"
#include "berth/host/linker.h"
#include "berth/wit/resolve.h"
#include "common/run_berth.h"
#include "common/test_support.h"

namespace berth::sdk {
namespace {

namespace fs = std::filesystem;
using berth::testing::expect_ok;
using berth::testing::read_guest;
using berth::testing::slurp;
using component::Val;
using ::testing::HasSubstr;

const fs::path kData = fs::path(berth::testing::source_dir()) / "tests/sdk/data";

std::vector<GeneratedFile> greeter_bindings() {
  wit::Resolve resolve;
  auto package = expect_ok(wit::load_path(resolve, kData / "greeter.wit"));
  auto world = expect_ok(wit::select_world(resolve, package, ""));
  return expect_ok(generate_bindings("greeter", "1.2.3", resolve, world));
}

const GeneratedFile& file_named(const std::vector<GeneratedFile>& files, std::string_view path) {
  for (const GeneratedFile& f : files) {
    if (f.path == path) return f;
  }
  ADD_FAILURE() << "no generated file " << path;
  std::abort();
}

TEST(BindgenTest, HeaderDeclaresTypesAndFunctionsToImplement) {
  auto files = greeter_bindings();
  ASSERT_EQ(files.size(), 3u);
  const std::string& header = file_named(files, "generated/greeter_bindings.h").text;
  // Every name carries the package and interface; short names drop the package.
  EXPECT_THAT(header, HasSubstr("typedef struct acme_greeter_greet_stats {\n  uint32_t calls;\n"
                                "  greeter_option_string last;\n} acme_greeter_greet_stats;"));
  EXPECT_THAT(header, HasSubstr("typedef uint32_t acme_greeter_greet_mood;"));
  EXPECT_THAT(header, HasSubstr("ACME_GREETER_GREET_MOOD_BUSY = 1,"));
  EXPECT_THAT(header, HasSubstr("ACME_GREETER_GREET_PERMS_WRITE = 1,"));
  EXPECT_THAT(header,
              HasSubstr("typedef struct acme_greeter_greet_shape {\n  uint32_t tag;\n  union {\n"
                        "    double circle;\n    greeter_tuple_f32_f32 rect;\n"
                        "  } val;\n} acme_greeter_greet_shape;"));
  EXPECT_THAT(header, HasSubstr("berth_status acme_greeter_greet_hello(berth_call* call, const "
                                "acme_greeter_greet_hello_params* params, berth_str* result);"));
  EXPECT_THAT(header, HasSubstr("berth_status acme_greeter_greet_get_stats(berth_call* call, "
                                "acme_greeter_greet_stats* result);"));
  EXPECT_THAT(header, HasSubstr("berth_status acme_greeter_greet_counter_next(berth_call* call, "
                                "const acme_greeter_greet_counter_next_params* params, uint32_t* "
                                "result);"));
  EXPECT_THAT(header,
              HasSubstr("void acme_greeter_greet_counter_destroy(void* instance, berth_rep rep);"));
  EXPECT_THAT(header, HasSubstr("#ifndef GREETER_NO_SHORT_NAMES\n"
                                "typedef acme_greeter_greet_stats greet_stats;\n"));
  EXPECT_THAT(header, HasSubstr("#define GREET_MOOD_BUSY ACME_GREETER_GREET_MOOD_BUSY\n"));
  EXPECT_THAT(header, HasSubstr("#define greet_hello acme_greeter_greet_hello\n"));
  EXPECT_THAT(header, HasSubstr("berth_status greeter_create("));

  const std::string& descriptor = file_named(files, "generated/greeter_descriptor.c").text;
  EXPECT_THAT(descriptor, HasSubstr("\"func(s: variant { empty, circle(f64), rect(tuple<f32, "
                                    "f32>) }, p: flags { read, write }) -> result<enum { calm, "
                                    "busy }, string>\""));
  EXPECT_THAT(descriptor, HasSubstr("\"acme:greeter/greet@1.0.0\""));
  EXPECT_THAT(descriptor, HasSubstr("\"greeter\", \"1.2.3\", \"acme:greeter/greeter-host@1.0.0\""));
  EXPECT_THAT(descriptor, HasSubstr("berth_bundle_entry(void)"));
}

// Bindings of `name` for a package NAME:kv whose interface is `store` with `get`.
std::vector<GeneratedFile> kv_bindings(const std::string& name) {
  wit::Resolve resolve;
  auto package = expect_ok(
      wit::load_source(resolve, name + ".wit",
                       "package " + name +
                           ":kv@1.0.0;\ninterface store { get: func(key: string) -> string; }\n"
                           "world host { export store; }\n"));
  auto world = expect_ok(wit::select_world(resolve, package, ""));
  return expect_ok(generate_bindings(name, "1.0.0", resolve, world));
}

TEST(BindgenTest, TwoBundlesWithTheSameInterfaceNamesLinkIntoOneProgram) {
  fs::path dir = fs::temp_directory_path() / ("berth-clashing-" + std::to_string(getpid()));
  fs::remove_all(dir);
  for (const char* name : {"alpha", "beta"}) {
    for (const GeneratedFile& f : kv_bindings(name)) {
      fs::create_directories((dir / f.path).parent_path());
      std::ofstream(dir / f.path) << f.text;
    }
  }
  fs::path data = kData / "clashing";
  std::string command = "cc -std=c11 -Wall -Wextra -Werror -I" +
                        std::string(berth::testing::source_dir()) + "/include -I" +
                        (dir / "generated").string() + " -o " + (dir / "program").string() + " " +
                        (data / "main.c").string() + " " + (data / "alpha.c").string() + " " +
                        (data / "beta.c").string() + " > " + (dir / "out.txt").string() + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command << "\n" << slurp(dir / "out.txt");
  command = (dir / "program").string() + " > " + (dir / "out.txt").string();
  ASSERT_EQ(std::system(command.c_str()), 0);
  EXPECT_EQ(slurp(dir / "out.txt"), "alpha:key beta:key\n");
  // Each header alone offers the short names its bundle's code uses (alpha.c, beta.c).
  const std::string& header = file_named(kv_bindings("alpha"), "generated/alpha_bindings.h").text;
  EXPECT_THAT(header, HasSubstr("#define store_get alpha_kv_store_get\n"));
  fs::remove_all(dir);
}

TEST(BindgenTest, InterfacesSharingANameGetNoShortNames) {
  wit::Resolve resolve;
  expect_ok(wit::load_source(resolve, "dep.wit",
                             "package other:kv@1.0.0;\ninterface store { record entry { k: u32 } "
                             "}\n"));
  auto package = expect_ok(wit::load_source(
      resolve, "main.wit",
      "package main:kv@1.0.0;\ninterface store { use other:kv/store@1.0.0.{entry};\n"
      "  get: func(e: entry) -> u32; }\nworld host { export store; }\n"));
  auto world = expect_ok(wit::select_world(resolve, package, ""));
  auto files = expect_ok(generate_bindings("both", "1.0.0", resolve, world));
  const std::string& header = file_named(files, "generated/both_bindings.h").text;
  EXPECT_THAT(header, HasSubstr("berth_status main_kv_store_get("));
  EXPECT_THAT(header, HasSubstr("other_kv_store_entry"));
  // `store` would mean two interfaces: no short names for either.
  EXPECT_THAT(header, ::testing::Not(HasSubstr("NO_SHORT_NAMES")));
  EXPECT_THAT(header, ::testing::Not(HasSubstr(" store_entry;")));
}

TEST(BindgenTest, WorldWithoutExportsIsRefused) {
  wit::Resolve resolve;
  auto package = expect_ok(wit::load_source(
      resolve, "empty.wit", "package a:b; interface i { f: func(); } world w { import i; }"));
  auto world = expect_ok(wit::select_world(resolve, package, ""));
  auto files = generate_bindings("empty", "0.1.0", resolve, world);
  ASSERT_FALSE(files);
  EXPECT_THAT(files.error().message(), HasSubstr("world a:b/w exports no named interface"));
}

TEST(BindgenTest, StreamsCannotCrossTheNativeAbi) {
  wit::Resolve resolve;
  auto package = expect_ok(wit::load_source(
      resolve, "s.wit",
      "package a:b; interface i { f: func(x: stream<u8>); } world w { export i; }"));
  auto world = expect_ok(wit::select_world(resolve, package, ""));
  auto files = generate_bindings("s", "0.1.0", resolve, world);
  ASSERT_FALSE(files);
  EXPECT_THAT(files.error().message(),
              HasSubstr("stream values cannot cross the native bundle ABI"));
}

// What the world imports gets a wrapper per function calling host->call_import with its index
// in the descriptor's `imports`, which lists them; an interface imported and exported shares
// its types and parameter structs; a function that cannot cross the ABI is left out, said in a
// comment. The generated C compiles.
TEST(BindgenTest, ImportsGetCallWrappers) {
  wit::Resolve resolve;
  auto package = expect_ok(wit::load_source(
      resolve, "imp.wit",
      "package a:b; interface i { record point { x: u32 } get: func(p: point) -> u32; "
      "put: func(); } interface j { f: func() -> u32; } interface k { s: func() -> stream<u8>; } "
      "world w { import i; import k; export i; export j; }"));
  auto world = expect_ok(wit::select_world(resolve, package, ""));
  auto files = expect_ok(generate_bindings("imp", "0.1.0", resolve, world));
  const std::string& header = file_named(files, "generated/imp_bindings.h").text;
  const std::string& descriptor = file_named(files, "generated/imp_descriptor.c").text;
  EXPECT_THAT(header, HasSubstr("static inline berth_status import_a_b_i_get(berth_call* call, "
                                "const a_b_i_get_params* params, uint32_t* result) {\n"
                                "  return call->host->call_import(call, 0, params, result);\n}"));
  EXPECT_THAT(header, HasSubstr("static inline berth_status import_a_b_i_put(berth_call* call) {\n"
                                "  return call->host->call_import(call, 1, NULL, NULL);\n}"));
  EXPECT_THAT(header, HasSubstr("/* a:b/k s: stream values cannot cross the native bundle ABI"));
  EXPECT_THAT(header, HasSubstr("#define import_i_get import_a_b_i_get\n"));
  // The exported side of i is implemented as before.
  EXPECT_THAT(header, HasSubstr("berth_status a_b_i_get(berth_call* call, const a_b_i_get_params* "
                                "params, uint32_t* result);"));
  EXPECT_THAT(descriptor, HasSubstr("static const berth_interface imports[] = {\n"
                                    "    {\"a:b/i\", import_a_b_i_functions, 2, NULL, 0},\n};"));
  EXPECT_THAT(descriptor, HasSubstr("imp_destroy, imports, sizeof imports / sizeof imports[0]}"));

  fs::path dir = fs::temp_directory_path() / ("berth-bindgen-imports-" + std::to_string(getpid()));
  fs::remove_all(dir);
  for (const GeneratedFile& f : files) {
    fs::create_directories((dir / f.path).parent_path());
    std::ofstream(dir / f.path) << f.text;
  }
  std::string command = "cc -std=c11 -Wall -Wextra -Werror -fsyntax-only -I" +
                        std::string(berth::testing::source_dir()) + "/include -I" +
                        (dir / "generated").string() + " " +
                        (dir / "generated/imp_descriptor.c").string();
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  fs::remove_all(dir);
}

// Two WIT items whose C names would be the same are refused with both named, not left to the C
// compiler: a method `info` of resource `session` and a type `session-info`, a method `destroy`
// and the resource's destroy function.
TEST(BindgenTest, ItemsWhoseCNamesWouldClashAreRefused) {
  for (const auto& [source, expected] : std::vector<std::pair<std::string, std::string>>{
           {"record session-info { slot: u32 } resource session { info: func() -> session-info; }",
            "a:b/i: type 'session-info' and function '[method]session.info' would both be called "
            "a_b_i_session_info in C; rename one of them in the WIT"},
           {"resource object { destroy: func(); }",
            "a:b/i: the destroy function of resource 'object' and function "
            "'[method]object.destroy' would both be called a_b_i_object_destroy in C"}}) {
    wit::Resolve resolve;
    auto package = expect_ok(wit::load_source(
        resolve, "c.wit", "package a:b; interface i { " + source + " } world w { export i; }"));
    auto world = expect_ok(wit::select_world(resolve, package, ""));
    auto files = generate_bindings("c", "0.1.0", resolve, world);
    ASSERT_FALSE(files) << source;
    EXPECT_THAT(files.error().message(), HasSubstr(expected));
  }
}

// Builds the generated bindings and tests/sdk/data/greeter_impl.c into a bundle folder with the
// system C compiler, then links a component against it.
class GeneratedBundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("berth-bindgen-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    for (const GeneratedFile& f : greeter_bindings()) {
      fs::create_directories((dir_ / f.path).parent_path());
      std::ofstream(dir_ / f.path) << f.text;
    }
    fs::create_directories(dir_ / "wit");
    fs::create_directories(dir_ / "lib");
    fs::copy_file(kData / "greeter.wit", dir_ / "wit/greeter.wit");
    std::ofstream(dir_ / "host.toml") << "[host]\nname = \"greeter\"\nversion = \"1.2.3\"\n"
                                         "lib = \"lib/libgreeter.so\"\nwit = \"wit\"\n"
                                         "[config]\ngreeting = \"Hi\"\n";
    std::string command = "cc -std=c11 -Wall -Wextra -Werror -shared -fPIC -I" +
                          std::string(berth::testing::source_dir()) + "/include -I" +
                          (dir_ / "generated").string() + " -o " +
                          (dir_ / "lib/libgreeter.so").string() + " " +
                          (dir_ / "generated/greeter_descriptor.c").string() + " " +
                          (kData / "greeter_impl.c").string();
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
};

TEST_F(GeneratedBundleTest, LoadsAndAnswersCalls) {
  auto engine = expect_ok(engine::create_engine({}));
  auto component =
      expect_ok(component::load_component(*engine, read_guest("greeter_user"), "greeter_user"));
  host::Linker linker;
  expect_ok(bundle::add_bundles(linker, {.bundle_dirs = {dir_}}));
  auto store = expect_ok(engine->create_store());
  auto linked = expect_ok(linker.instantiate(*store, component));
  auto& instance = linked->component();

  auto hello = expect_ok(instance.find_function("hello"));
  auto greeting = expect_ok(instance.call(*hello, std::vector<Val>{Val::string("bob")}));
  ASSERT_TRUE(greeting);
  EXPECT_EQ(greeting->str, "Hi, bob!");

  auto add = expect_ok(instance.find_function("add"));
  auto sum = expect_ok(instance.call(*add, std::vector<Val>{Val::u32(2), Val::u32(40)}));
  ASSERT_TRUE(sum);
  EXPECT_EQ(sum->u, 42u);
  auto trapped = instance.call(*add, std::vector<Val>{Val::u32(13), Val::u32(1)});
  ASSERT_FALSE(trapped);
  EXPECT_EQ(trapped.error().code(), ErrorCode::kTrap);
  EXPECT_THAT(trapped.error().message(), HasSubstr("13 is unlucky"));
}

}  // namespace
}  // namespace berth::sdk
