// Conformance runner over ../shared/corpora/component-model/{spec,wasmtime,wasm-tools}: follows
// each script's manifest.json in order, checks every binary's expectation, runs assert_return,
// assert_trap and invoke, prints pass/fail/skip counts per corpus and command kind, and fails
// when a count of passes drops below the floor recorded in floors.json. Each script is loaded
// with the validation options it asks for (its feature flags; wasmtime's root embedder rules),
// see tests/component_validate/script_options.h.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "../component_validate/script_options.h"
#include "berth/component/component.h"
#include "berth/engine/engine.h"
#include "component/runtime/loaded_component.h"
#include "component/validate/validator.h"
#include "sexpr.h"
#include "support/file.h"
#include "wast_host.h"
#include "wast_values.h"

namespace fs = std::filesystem;
using namespace berth;
using namespace berth::component;

namespace {

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
};

class Runner {
 public:
  Runner(engine::Engine& engine, std::ofstream& log, fs::path corpora)
      : engine_(engine), log_(log), corpora_(std::move(corpora)) {}

  void run_script(const std::string& corpus, const fs::path& manifest_path) {
    std::ifstream in(manifest_path);
    nlohmann::json manifest = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (manifest.is_discarded()) {
      log_ << manifest_path << ": unreadable manifest\n";
      return;
    }
    std::string source = manifest.value("source", manifest_path.string());
    bool needs_async =
        source.find("async") != std::string::npos || source.find("threading") != std::string::npos;
    // The script's forms are validated with the features its RUN line turns on or off.
    auto text = read_file(corpora_ / corpus / "source" / source);
    std::string_view script_text =
        text ? std::string_view(reinterpret_cast<const char*>(text->data()), text->size())
             : std::string_view();
    if (!text) log_ << source << ": no source, default validation options\n";
    validate_options_ = component::testing::script_options(corpus, script_text);
    corpus_ = corpus;
    store_ = std::move(engine_.create_store().value());
    host_ = std::make_unique<conformance::WastHost>();
    current_ = nullptr;
    current_state_ = State::kNone;
    definitions_.clear();
    skipped_definitions_.clear();
    for (const auto& command : manifest["commands"]) {
      std::string type = command.value("type", "");
      std::string where = fmt::format("{}:{}", source, command.value("line", 0));
      bool binary = command.contains("filename");
      if (needs_async) {
        if (binary || type == "assert_return" || type == "assert_trap" || type == "invoke" ||
            type == "component_instance") {
          count(binary ? kind_of(command) : type).skipped++;
        }
        continue;
      }
      if (binary) {
        if (expectation(command) == "malformed-text") continue;  // a text-format error
        binary_form(manifest_path.parent_path(), command, where);
      } else if (type == "component_instance") {
        component_instance(command.value("text", ""), where);
      } else if (type == "assert_return" || type == "assert_trap" || type == "invoke") {
        assertion(type, command.value("text", ""), where);
      }
    }
    current_ = nullptr;
    host_.reset();
    instances_.clear();
    definitions_.clear();
    store_.reset();
  }

  std::map<std::string, std::map<std::string, Counts>>& counts() { return counts_; }

 private:
  enum class State { kNone, kReady, kSkipped, kBroken };

  // "valid", "invalid", "malformed-binary", "unlinkable", "trap-on-instantiation", ...
  static std::string expectation(const nlohmann::json& command) {
    std::string expect = command.value("expect", "");
    return expect.substr(0, expect.find(' '));
  }
  static std::string kind_of(const nlohmann::json& command) {
    return command.value("type", "") + "/" + expectation(command);
  }
  Counts& count(const std::string& kind) { return counts_[corpus_][kind]; }

  void pass(const std::string& kind) { count(kind).passed++; }
  void fail(const std::string& kind, const std::string& where, const std::string& why) {
    count(kind).failed++;
    log_ << "FAIL " << kind << " " << where << ": " << why << "\n";
  }
  // A failure that was expected: logged with the script's expected message so that the reason
  // can be compared (berth's wording differs from wasmtime's).
  void pass_expected(const std::string& kind, const std::string& where,
                     const nlohmann::json& command, const Error& error) {
    count(kind).passed++;
    log_ << "PASS " << kind << " " << where << ": expected '" << command.value("expected_text", "")
         << "', got: " << error.message() << "\n";
  }
  void skip(const std::string& kind, const std::string& where, const std::string& why) {
    count(kind).skipped++;
    log_ << "SKIP " << kind << " " << where << ": " << why << "\n";
  }

  void binary_form(const fs::path& dir, const nlohmann::json& command, const std::string& where) {
    auto bytes = read_file(dir / command.value("filename", ""));
    if (!bytes) return fail(kind_of(command), where, bytes.error().message());
    bool is_core_module = bytes->size() >= 8 && (*bytes)[4] == 0x01 && (*bytes)[6] == 0x00;
    if (is_core_module) return module_form(std::move(*bytes), command, where);
    component_form(std::move(*bytes), command, where);
  }

  void module_form(std::vector<uint8_t> bytes, const nlohmann::json& command,
                   const std::string& where) {
    std::string kind = "module:" + kind_of(command);
    std::string expect = expectation(command);
    auto module = engine_.compile(bytes);
    bool should_load =
        expect == "valid" || expect == "unlinkable" || expect == "trap-on-instantiation";
    if (module.ok() == should_load) return pass(kind);
    fail(kind, where, module ? "accepted" : module.error().message());
  }

  void component_form(std::vector<uint8_t> bytes, const nlohmann::json& command,
                      const std::string& where) {
    std::string kind = kind_of(command);
    std::string expect = expectation(command);
    bool definition = command.value("definition", false);
    auto loaded =
        component::runtime::load_component(engine_, std::move(bytes), where, validate_options_);
    if (expect == "invalid" || expect == "malformed-binary") {
      current_state_ = State::kNone;
      if (loaded) return fail(kind, where, "accepted");
      if (loaded.error().code() == ErrorCode::kUnsupported && expect == "invalid") {
        return skip(kind, where, loaded.error().message());
      }
      return pass(kind);
    }
    if (!loaded) {
      bool unsupported = loaded.error().code() == ErrorCode::kUnsupported;
      current_state_ = unsupported ? State::kSkipped : State::kBroken;
      if (command.contains("name")) skipped_definitions_.insert(command["name"].get<std::string>());
      if (unsupported) return skip(kind, where, loaded.error().message());
      return fail(kind, where, loaded.error().message());
    }
    if (definition) {
      if (command.contains("name")) definitions_[command["name"]] = *loaded;
      return pass(kind);
    }
    auto instance = instantiate_with_host(*loaded);
    if (expect == "unlinkable") {
      current_state_ = State::kNone;
      if (instance) return fail(kind, where, "instantiated");
      if (instance.error().code() != ErrorCode::kLink)
        return fail(kind, where, instance.error().describe());
      return pass_expected(kind, where, command, instance.error());
    }
    if (expect == "trap-on-instantiation") {
      current_state_ = State::kNone;
      if (instance) return fail(kind, where, "instantiated");
      if (instance.error().code() != ErrorCode::kTrap)
        return fail(kind, where, instance.error().message());
      return pass_expected(kind, where, command, instance.error());
    }
    if (command.contains("name")) definitions_[command["name"]] = *loaded;
    if (!instance) {
      if (instance.error().code() == ErrorCode::kLink) {
        current_state_ = State::kSkipped;
        return skip(kind, where, instance.error().message());
      }
      current_state_ = State::kBroken;
      return fail(kind, where, instance.error().describe());
    }
    current_ = keep(std::move(*instance));
    // `(component $foo ...)`: later components import it as "foo".
    std::string name = command.value("name", "");
    if (!name.empty() && name[0] == '$') host_->register_instance(name.substr(1), *current_);
    current_state_ = State::kReady;
    pass(kind);
  }

  // Instantiates with the harness's imports, after the checks a linker makes first.
  Result<std::unique_ptr<ComponentInstance>> instantiate_with_host(
      const std::shared_ptr<const Component>& component) {
    BERTH_TRY(host_->check_imports(component->type()));
    return instantiate(*store_, component, *host_);
  }

  // Instances live as long as the script: later components may import them.
  ComponentInstance* keep(std::unique_ptr<ComponentInstance> instance) {
    instances_.push_back(std::move(instance));
    return instances_.back().get();
  }

  void component_instance(const std::string& text, const std::string& where) {
    const std::string kind = "component_instance";
    auto form = conformance::parse_sexpr(text);
    if (!form || form->items.size() < 4) return fail(kind, where, "cannot parse");
    auto it = definitions_.find(form->items[3].text);
    if (it == definitions_.end() && skipped_definitions_.count(form->items[3].text)) {
      current_state_ = State::kSkipped;
      return skip(kind, where, "its component was skipped");
    }
    if (it == definitions_.end()) {
      current_state_ = State::kBroken;
      return fail(kind, where, "unknown component " + form->items[3].text);
    }
    auto instance = instantiate_with_host(it->second);
    if (!instance) {
      current_state_ =
          instance.error().code() == ErrorCode::kLink ? State::kSkipped : State::kBroken;
      if (current_state_ == State::kSkipped) return skip(kind, where, instance.error().message());
      return fail(kind, where, instance.error().describe());
    }
    current_ = keep(std::move(*instance));
    // `(component instance $I1 $C1)`: later components import it as "I1".
    const std::string& name = form->items[2].text;
    if (!name.empty() && name[0] == '$') host_->register_instance(name.substr(1), *current_);
    current_state_ = State::kReady;
    pass(kind);
  }

  void assertion(const std::string& kind, const std::string& text, const std::string& where) {
    if (current_state_ == State::kSkipped) return skip(kind, where, "its component was skipped");
    if (current_state_ != State::kReady) return fail(kind, where, "no instance to run it on");
    auto form = conformance::parse_sexpr(text);
    if (!form) return fail(kind, where, "cannot parse: " + form.error().message());
    const conformance::SExpr& invoke = kind == "invoke" ? *form : form->items.at(1);
    if (invoke.head() != "invoke" || invoke.items.size() < 2) return fail(kind, where, "no invoke");
    auto func = current_->find_function(invoke.items[1].text);
    if (!func) return fail(kind, where, func.error().message());
    const FuncType& type = *(*func)->type;
    if (invoke.items.size() - 2 != type.params.size()) return fail(kind, where, "argument count");
    std::vector<Val> args;
    for (size_t i = 0; i < type.params.size(); ++i) {
      auto v = conformance::wast_value(invoke.items[i + 2], type.params[i].type);
      if (!v) return fail(kind, where, "argument: " + v.error().message());
      args.push_back(std::move(*v));
    }
    auto result = current_->call(**func, args);
    if (kind == "assert_trap") {
      if (result) return fail(kind, where, "returned instead of trapping");
      if (result.error().code() != ErrorCode::kTrap)
        return fail(kind, where, result.error().message());
      return pass(kind);
    }
    if (!result) return fail(kind, where, result.error().describe());
    if (kind == "invoke") return pass(kind);
    size_t expected_count = form->items.size() - 2;
    if (expected_count == 0) {
      return result->has_value() ? fail(kind, where, "unexpected result") : pass(kind);
    }
    if (!type.result || !result->has_value()) return fail(kind, where, "missing result");
    auto expected = conformance::wast_value(form->items[2], type.result);
    if (!expected) return fail(kind, where, "expected value: " + expected.error().message());
    if (!vals_equal(**result, *expected)) return fail(kind, where, "wrong result");
    pass(kind);
  }

  engine::Engine& engine_;
  std::ofstream& log_;
  fs::path corpora_;
  std::string corpus_;
  ValidateOptions validate_options_;  // of the script being run
  std::unique_ptr<engine::Store> store_;
  std::unique_ptr<conformance::WastHost> host_;
  std::vector<std::unique_ptr<ComponentInstance>> instances_;
  ComponentInstance* current_ = nullptr;
  State current_state_ = State::kNone;
  std::map<std::string, std::shared_ptr<const Component>> definitions_;
  std::set<std::string> skipped_definitions_;
  std::map<std::string, std::map<std::string, Counts>> counts_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    fmt::print(stderr, "usage: component_conformance CORPORA_DIR FLOORS_JSON [LOG [FILTER]]\n");
    return 2;
  }
  fs::path corpora = argv[1];
  std::ifstream floors_in(argv[2]);
  nlohmann::json floors = nlohmann::json::parse(floors_in, nullptr, false);
  std::ofstream log(argc > 3 ? argv[3] : "component-conformance.log");
  // Only scripts whose manifest path contains FILTER (for debugging one script).
  std::string filter = argc > 4 ? argv[4] : "";

  auto engine = engine::create_engine();
  if (!engine) {
    fmt::print(stderr, "{}\n", engine.error().message());
    return 1;
  }
  Runner runner(**engine, log, corpora);
  for (const std::string corpus : {"spec", "wasmtime", "wasm-tools"}) {
    std::vector<fs::path> manifests;
    for (const auto& entry : fs::recursive_directory_iterator(corpora / corpus / "bin")) {
      if (entry.path().filename() == "manifest.json" &&
          entry.path().string().find(filter) != std::string::npos) {
        manifests.push_back(entry.path());
      }
    }
    std::sort(manifests.begin(), manifests.end());
    for (const auto& m : manifests) runner.run_script(corpus, m);
  }

  int below_floor = 0;
  int total_passed = 0, total_failed = 0, total_skipped = 0;
  for (const auto& [corpus, kinds] : runner.counts()) {
    for (const auto& [kind, c] : kinds) {
      int floor =
          floors.is_object() ? floors.value(corpus, nlohmann::json::object()).value(kind, 0) : 0;
      fmt::print("{:<11} {:<34} passed {:>4}  failed {:>4}  skipped {:>4}  (floor {}){}\n", corpus,
                 kind, c.passed, c.failed, c.skipped, floor,
                 c.passed < floor ? "  BELOW FLOOR" : "");
      if (c.passed < floor) ++below_floor;
      total_passed += c.passed;
      total_failed += c.failed;
      total_skipped += c.skipped;
    }
  }
  fmt::print("component conformance: {} passed, {} failed, {} skipped\n", total_passed,
             total_failed, total_skipped);
  if (below_floor) fmt::print("{} counts are below their floor\n", below_floor);
  return below_floor ? 1 : 0;
}
