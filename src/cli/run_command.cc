#include "cli/run_command.h"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "berth/bundle/bundle.h"
#include "berth/component/component.h"
#include "berth/component/typed_func.h"
#include "berth/engine/engine.h"
#include "berth/host/linker.h"
#include "berth/wasi/wasi.h"
#include "berth/wit/component_bridge.h"
#include "cli/exit_codes.h"
#include "cli/invoke_expr.h"
#include "support/file.h"

namespace berth::cli {
namespace {

enum class BinaryKind { kCoreModule, kComponent };

Result<BinaryKind> classify(const std::string& file, std::span<const uint8_t> bytes) {
  static constexpr uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, 4) != 0) {
    return Error(ErrorCode::kMalformed,
                 fmt::format("{}: not a WebAssembly file (it does not start with \\0asm)", file));
  }
  if (bytes[4] == 0x01 && bytes[5] == 0 && bytes[6] == 0 && bytes[7] == 0) {
    return BinaryKind::kCoreModule;
  }
  if (bytes[6] == 0x01 && bytes[7] == 0x00) return BinaryKind::kComponent;
  return Error(ErrorCode::kMalformed,
               fmt::format("{}: unknown WebAssembly binary version {:02x} {:02x} {:02x} {:02x}",
                           file, bytes[4], bytes[5], bytes[6], bytes[7]));
}

std::string exported_functions(const engine::ModuleInfo& info) {
  std::string names;
  for (const auto& e : info.exports) {
    if (e.type.kind != engine::ExternKind::kFunc) continue;
    names += names.empty() ? e.name : ", " + e.name;
  }
  return names.empty() ? "none" : names;
}

// Shared by the core-module and component paths of `run --invoke`.
Result<void> check_no_guest_args(const RunOptions& options) {
  if (!options.guest_args.empty()) {
    return Error(ErrorCode::kUsage,
                 "arguments after FILE go to a program's main; with --invoke, put them in the "
                 "call expression");
  }
  return {};
}

Result<std::shared_ptr<engine::Engine>> create_engine(const RunOptions& options) {
  engine::EngineConfig config;
  config.max_memory_bytes = options.max_memory_bytes;
  return engine::create_engine(config);
}

void apply_timeout(engine::Store& store, const RunOptions& options) {
  if (!options.timeout_seconds) return;
  auto timeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(*options.timeout_seconds));
  store.set_deadline(std::chrono::steady_clock::now() + timeout);
}

Result<int> run_core_module(const RunOptions& options, std::span<const uint8_t> bytes) {
  const std::string& file = options.file;
  if (!options.invoke) {
    BERTH_TRY_ASSIGN(engine::ModuleInfo info, engine::read_module_info(bytes));
    return Error(ErrorCode::kUsage,
                 fmt::format("{} is a core module; use --invoke to call one of its exported "
                             "functions ({})",
                             file, exported_functions(info)));
  }
  BERTH_TRY(check_no_guest_args(options));
  BERTH_TRY_ASSIGN(InvokeExpr expr, parse_invoke_expr(*options.invoke));

  BERTH_TRY_ASSIGN(auto engine, create_engine(options));
  auto compiled = engine->compile(bytes, {.name = file});
  if (!compiled) return std::move(compiled.error().prepend(file));
  const engine::Module& module = **compiled;
  const engine::ModuleInfo& info = module.info();

  if (!info.imports.empty()) {
    std::string list;
    for (const auto& imp : info.imports) {
      list += fmt::format("\n  {} {}: {}", imp.module, imp.name, imp.type.to_string());
    }
    return Error(
        ErrorCode::kLink,
        fmt::format("{}: cannot instantiate: nothing provides its imports:{}", file, list));
  }
  const engine::ExportType* target = info.find_export(expr.function);
  if (target == nullptr || target->type.kind != engine::ExternKind::kFunc) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{} has no exported function '{}' (exported functions: {})", file,
                             expr.function, exported_functions(info)));
  }
  const engine::FuncType& type = target->type.func;
  if (expr.arguments.size() != type.params.size()) {
    return Error(ErrorCode::kUsage,
                 fmt::format("{} takes {} argument{} {}, the call passes {}", expr.function,
                             type.params.size(), type.params.size() == 1 ? "" : "s",
                             type.to_string(), expr.arguments.size()));
  }
  std::vector<engine::Value> args;
  for (size_t i = 0; i < type.params.size(); ++i) {
    auto value = parse_core_value(expr.arguments[i], type.params[i]);
    if (!value) {
      return std::move(
          value.error().prepend(fmt::format("argument {} of {}", i + 1, expr.function)));
    }
    args.push_back(*value);
  }

  BERTH_TRY_ASSIGN(auto store, engine->create_store());
  apply_timeout(*store, options);
  BERTH_TRY_ASSIGN(engine::Instance instance, store->instantiate(module, {}));
  std::vector<engine::Value> results(type.results.size());
  BERTH_TRY(
      store->call(engine::Func{store->get_export(instance, expr.function)->id}, args, results));
  for (const auto& value : results) fmt::print("{}\n", format_core_value(value));
  return kExitOk;
}

// The guest's environment: nothing unless granted. --inherit-env passes berth's own, then each
// --env sets one variable (NAME=VALUE) or passes one of berth's (NAME).
Result<std::vector<std::pair<std::string, std::string>>> guest_environment(
    const RunOptions& options) {
  std::vector<std::pair<std::string, std::string>> env;
  auto set = [&env](std::string name, std::string value) {
    for (auto& [n, v] : env) {
      if (n == name) {
        v = std::move(value);
        return;
      }
    }
    env.emplace_back(std::move(name), std::move(value));
  };
  if (options.inherit_env) {
    for (char** entry = environ; *entry != nullptr; ++entry) {
      std::string_view text(*entry);
      size_t eq = text.find('=');
      if (eq == std::string_view::npos) continue;
      set(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1)));
    }
  }
  for (const std::string& spec : options.env) {
    size_t eq = spec.find('=');
    if (eq == 0) {
      return Error(ErrorCode::kUsage, fmt::format("--env '{}': expected NAME=VALUE or NAME", spec));
    }
    if (eq != std::string::npos) {
      set(spec.substr(0, eq), spec.substr(eq + 1));
      continue;
    }
    const char* value = std::getenv(spec.c_str());
    if (value == nullptr) {
      return Error(
          ErrorCode::kUsage,
          fmt::format("--env {}: berth's environment has no variable {} to pass on", spec, spec));
    }
    set(spec, value);
  }
  return env;
}

// Every provider the command line names: built-in WASI with the granted capabilities, then the
// host bundles.
Result<host::Linker> make_linker(const RunOptions& options) {
  wasi::WasiConfig config;
  config.args.push_back(options.file);
  config.args.insert(config.args.end(), options.guest_args.begin(), options.guest_args.end());
  BERTH_TRY_ASSIGN(config.env, guest_environment(options));
  for (const DirGrant& dir : options.dirs) {
    config.preopens.push_back(
        wasi::Preopen{.host = dir.host, .guest = dir.guest, .read_only = dir.read_only});
  }
  config.inherit_network = options.inherit_network;
  config.allow_ip_name_lookup = options.allow_ip_name_lookup;
  BERTH_TRY_ASSIGN(std::shared_ptr<host::Provider> wasi, wasi::make_provider(std::move(config)));

  host::Linker linker;
  linker.add(std::move(wasi));
  bundle::BundleOptions bundles;
  for (const std::string& dir : options.host_bundles) bundles.bundle_dirs.emplace_back(dir);
  if (options.host_config) bundles.host_config = *options.host_config;
  apply_bundle_load_flags(options.bundle_loading, bundles);
  BERTH_TRY(bundle::add_bundles(linker, bundles));
  linker.set_trap_unknown_imports(options.trap_unknown_imports);
  return linker;
}

// The export a command component runs: `run` of wasi:cli/run at any 0.2.x version.
const component::ComponentInstance::ExportedFunc* find_cli_run(
    const component::ComponentInstance& instance) {
  for (const auto& func : instance.functions()) {
    size_t hash = func.name.find('#');
    if (hash == std::string::npos || func.name.substr(hash + 1) != "run") continue;
    auto name = wit::parse_interface_name(std::string_view(func.name).substr(0, hash));
    if (name && name->path() == "wasi:cli/run" && name->version && name->version->major == 0 &&
        name->version->minor == 2) {
      return &func;
    }
  }
  return nullptr;
}

std::string exported_function_names(const component::ComponentInstance& instance) {
  std::string names;
  for (const auto& func : instance.functions()) names += (names.empty() ? "" : ", ") + func.name;
  return names.empty() ? "none" : names;
}

Result<int> run_component(const RunOptions& options, std::vector<uint8_t> bytes) {
  const std::string& file = options.file;
  if (options.invoke) BERTH_TRY(check_no_guest_args(options));
  BERTH_TRY_ASSIGN(auto engine, create_engine(options));
  BERTH_TRY_ASSIGN(auto loaded, component::load_component(*engine, std::move(bytes), file));
  BERTH_TRY_ASSIGN(host::Linker linker, make_linker(options));
  BERTH_TRY_ASSIGN(auto store, engine->create_store());
  apply_timeout(*store, options);
  BERTH_TRY_ASSIGN(auto linked, linker.instantiate(*store, loaded));
  component::ComponentInstance& instance = linked->component();

  if (!options.invoke) {
    const component::ComponentInstance::ExportedFunc* run = find_cli_run(instance);
    if (run == nullptr) {
      return Error(ErrorCode::kUsage,
                   fmt::format("{} does not export wasi:cli/run, so it cannot run as a command; "
                               "use --invoke to call one of its exports ({})",
                               file, exported_function_names(instance)));
    }
    BERTH_TRY_ASSIGN(std::optional<component::Val> result, instance.call(*run, {}));
    // `run` returns result: ok is success, err a failure the program already reported.
    return result && result->discriminant == 0 ? kExitOk : 1;
  }

  Result<std::optional<std::string>> printed = component::call_wave(instance, *options.invoke);
  if (!printed) {
    Error error = std::move(printed).error();
    if (error.code() == ErrorCode::kUsage) error.prepend("--invoke");
    return error;
  }
  if (*printed) fmt::print("{}\n", **printed);
  return kExitOk;
}

Result<int> run(const RunOptions& options) {
  BERTH_TRY_ASSIGN(auto bytes, read_file(options.file));
  BERTH_TRY_ASSIGN(BinaryKind kind, classify(options.file, bytes));
  if (kind == BinaryKind::kComponent) return run_component(options, std::move(bytes));
  return run_core_module(options, bytes);
}

}  // namespace

DirGrant parse_dir_grant(std::string_view spec, bool read_only) {
  size_t sep = spec.find("::");
  if (sep == std::string_view::npos) {
    return DirGrant{std::string(spec), std::string(spec), read_only};
  }
  return DirGrant{std::string(spec.substr(0, sep)), std::string(spec.substr(sep + 2)), read_only};
}

Result<uint64_t> parse_byte_size(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) {
    return Error(ErrorCode::kUsage, fmt::format("'{}' is not a size in bytes", text));
  }
  std::string_view suffix(end, text.data() + text.size() - end);
  uint64_t unit = 1;
  if (suffix == "K" || suffix == "Ki" || suffix == "KiB")
    unit = uint64_t{1} << 10;
  else if (suffix == "M" || suffix == "Mi" || suffix == "MiB")
    unit = uint64_t{1} << 20;
  else if (suffix == "G" || suffix == "Gi" || suffix == "GiB")
    unit = uint64_t{1} << 30;
  else if (!suffix.empty() && suffix != "B") {
    return Error(ErrorCode::kUsage,
                 fmt::format("'{}': unknown size suffix '{}' (use K, M or G, or KiB, MiB, GiB)",
                             text, suffix));
  }
  if (value > UINT64_MAX / unit)
    return Error(ErrorCode::kUsage, fmt::format("'{}' is too large", text));
  return value * unit;
}

int run_command(const RunOptions& options) {
  Result<int> outcome = run(options);
  if (outcome) return *outcome;
  Error& error = outcome.error();
  if (error.code() == ErrorCode::kExit) return error.exit_status();
  if (error.code() == ErrorCode::kDeadline && options.timeout_seconds) {
    error = Error(error.code(),
                  fmt::format("{} (--timeout {}s)", error.message(), *options.timeout_seconds))
                .set_backtrace(error.backtrace());
  }
  report_error(error);
  return exit_code_for(error);
}

}  // namespace berth::cli
