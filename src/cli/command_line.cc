// The command line of `berth`: every subcommand's options and the parse. CLI11 is included here
// and nowhere else: its inline code and validators cost seconds in every file that includes it
// (docs/contributing.md), and the commands themselves only need their options structs.
#include "cli/command_line.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "berth/version.h"
#include "cli/bindgen_command.h"
#include "cli/bundle_author_command.h"
#include "cli/bundle_command.h"
#include "cli/bundle_trust_command.h"
#include "cli/exit_codes.h"
#include "cli/run_command.h"
#include "cli/wit_command.h"

namespace berth::cli {
namespace {

// --trusted-key, --require-signed, -q and -v, for `run` and `bundle check`.
void add_bundle_load_flags(CLI::App& command, BundleLoadFlags& flags) {
  command
      .add_option("--trusted-key", flags.trusted_keys,
                  "Trust bundles signed by the public key in FILE (from berth bundle keygen); "
                  "repeatable, added to a hosts.toml's [global] trusted_keys")
      ->type_name("FILE")
      ->allow_extra_args(false);
  command.add_flag("--require-signed", flags.require_signed,
                   "Refuse, before loading its library, any bundle that no trusted key signed "
                   "as it is now (as require_signed = true in a hosts.toml)");
  command.add_flag("-q,--quiet", flags.quiet,
                   "No warnings about bundles loaded unsigned or signed by keys not trusted");
  command.add_flag("-v,--verbose", flags.verbose,
                   "Say which bundle folder each [[host]] of a hosts.toml got, from which search "
                   "path, and why every other candidate was passed over");
}

// CLI11 cannot show positionals it does not parse; `run` leaves FILE and what follows to us so
// that options after FILE belong to the guest.
class RunFormatter : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string name) const override {
    std::string usage = CLI::Formatter::make_usage(app, std::move(name));
    if (size_t nl = usage.rfind('\n'); nl != std::string::npos) usage.erase(nl);
    return usage + " FILE [ARGS...]\n";
  }
};

CLI::App* add_run_command(CLI::App& app, RunOptions& options) {
  CLI::App* run = app.add_subcommand("run", "Run a WebAssembly module or call one of its exports");
  run->formatter(std::make_shared<RunFormatter>());
  run->prefix_command();  // everything from FILE on is the guest's
  run->add_option_function<std::string>(
      "--invoke", [&options](const std::string& expr) { options.invoke = expr; },
      "Call an exported function instead of running the program, e.g. 'add(1, -2)'; results "
      "print one per line");
  run->add_option_function<double>(
         "--timeout", [&options](double seconds) { options.timeout_seconds = seconds; },
         "Stop the guest after SECONDS of wall-clock time (exit code 124)")
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber);
  run->add_option_function<std::string>(
         "--max-memory",
         [&options](const std::string& text) {
           auto bytes = parse_byte_size(text);
           if (!bytes) throw CLI::ValidationError("--max-memory", bytes.error().message());
           options.max_memory_bytes = *bytes;
         },
         "Cap each linear memory at BYTES (suffixes K, M, G); memory.grow beyond it fails")
      ->type_name("BYTES");
  auto add_dir = [&](const char* name, bool read_only, const char* help) {
    run->add_option_function<std::vector<std::string>>(
           name,
           [&options, read_only](const std::vector<std::string>& specs) {
             for (const auto& spec : specs) {
               options.dirs.push_back(parse_dir_grant(spec, read_only));
             }
           },
           help)
        ->type_name("HOST[::GUEST]")
        ->allow_extra_args(false);
  };
  add_dir("--dir", false,
          "Let the guest use directory HOST, seen as GUEST (default: the same path); "
          "repeatable");
  add_dir("--dir-ro", true, "Like --dir, read-only: writes fail with an error");
  run->add_option("--env", options.env,
                  "Set an environment variable of the guest (NAME=VALUE), or pass on berth's "
                  "own (NAME); repeatable")
      ->type_name("NAME[=VALUE]")
      ->allow_extra_args(false);
  run->add_flag("--inherit-env", options.inherit_env,
                "Give the guest all of berth's environment variables");
  run->add_flag("--inherit-network", options.inherit_network,
                "Let the guest open sockets (wasi:sockets); denied by default");
  run->add_flag("--allow-ip-name-lookup", options.allow_ip_name_lookup,
                "With --inherit-network, also let the guest resolve host names "
                "(wasi:sockets/ip-name-lookup)");
  run->add_flag("--trap-unknown-imports", options.trap_unknown_imports,
                "Link imports that nothing provides to functions that trap when called, "
                "instead of refusing to run");
  run->add_option("--host-bundle", options.host_bundles,
                  "Load the host bundle in folder DIR (host.toml, wit/, lib/); repeatable")
      ->type_name("DIR")
      ->allow_extra_args(false);
  run->add_option_function<std::string>(
         "--host-config", [&options](const std::string& file) { options.host_config = file; },
         "Load the host bundles a hosts.toml file names")
      ->type_name("FILE");
  add_bundle_load_flags(*run, options.bundle_loading);
  run->footer(
      "FILE is a WebAssembly component or core module (.wasm). A component runs as a WASI 0.2\n"
      "command (its wasi:cli/run export) with ARGS as its arguments, and sees no files,\n"
      "environment or network unless the options above grant them. With --invoke, EXPR is a\n"
      "call in WAVE syntax, e.g. 'greet(\"bob\")' or 'example:t/api@0.1.0#sum([1, 2])', and the\n"
      "result prints in WAVE; for a core module, arguments are numbers. ARGS, and any option\n"
      "after FILE, go to the guest.\n"
      "Exit codes: the guest's own, 124 timeout, 125 berth could not load or link the program,\n"
      "134 the guest trapped, 2 bad command line.");
  return run;
}

Result<void> take_positionals(CLI::App& run, RunOptions& options) {
  std::vector<std::string> rest = run.remaining();
  if (rest.empty()) {
    return Error(ErrorCode::kUsage, "berth run needs a FILE to run (see berth run --help)");
  }
  options.file = rest.front();
  options.guest_args.assign(rest.begin() + 1, rest.end());
  return {};
}

CLI::App* add_wit_command(CLI::App& app, WitOptions& options) {
  CLI::App* wit = app.add_subcommand(
      "wit",
      "Print a component's world as WIT, or check a WIT file or folder (with deps/) and print "
      "it in canonical form");
  wit->add_option("PATH", options.path,
                  "A component (.wasm), a .wit file, or a folder of .wit files with deps/")
      ->required();
  wit->add_option("--features", options.features,
                  "Include items gated by @unstable(feature = NAME)")
      ->delimiter(',')
      ->type_name("NAME,...");
  wit->add_flag("--all-features", options.all_features, "Include every @unstable item");
  return wit;
}

CLI::App* add_bindgen_command(CLI::App& app, BindgenOptions& options) {
  CLI::App* cmd = app.add_subcommand(
      "bindgen",
      "Generate the C++ header with which a program that embeds berth implements the interfaces "
      "a WIT world exports (docs/embedding.md)");
  cmd->add_option("WIT", options.wit, "A .wit file, or a folder of .wit files with deps/")
      ->required();
  cmd->add_option("--world", options.world, "The world (default: the package's only world)");
  cmd->add_option("-o,--output", options.output, "The header to write (default: standard output)")
      ->type_name("FILE");
  return cmd;
}

CLI::App* add_bundle_command(CLI::App& app, BundleCommandOptions& options) {
  CLI::App* bundle =
      app.add_subcommand("bundle", "Create, build bindings for and check host bundles");
  bundle->require_subcommand(1);
  CLI::App* check = bundle->add_subcommand(
      "check",
      "Load a bundle and print what it provides; given a component, say for each import "
      "whether the bundle satisfies it and why not (exit status 1 when it does not)");
  check
      ->add_option("BUNDLE", options.bundle,
                   "A bundle folder (holding host.toml), or a hosts.toml: every bundle it names")
      ->required();
  check->add_option("COMPONENT", options.component,
                    "A component (.wasm) to check against the bundles");
  add_bundle_load_flags(*check, options.bundle_loading);
  check->callback([&options] { options.action = "check"; });
  return bundle;
}

CLI::App* add_bundle_new_command(CLI::App& bundle, BundleNewOptions& options) {
  CLI::App* cmd = bundle.add_subcommand(
      "new",
      "Create a bundle project from a WIT world: host.toml, the WIT, CMakeLists.txt, generated "
      "C bindings and a stub implementation that builds");
  cmd->add_option("NAME", options.name,
                  "The bundle's name; it names the library and the C "
                  "functions of create/destroy")
      ->required();
  cmd->add_option("--wit", options.wit,
                  "The WIT file or folder (with deps/) whose world the bundle implements")
      ->required()
      ->type_name("PATH");
  cmd->add_option("--world", options.world,
                  "The world, when the package has several; its exports are what the bundle "
                  "provides")
      ->type_name("WORLD");
  cmd->add_option("--output", options.output, "Where to create the project (default: ./NAME)")
      ->type_name("DIR");
  cmd->footer(
      "Build the project with CMake against the installed SDK (find_package(berth-sdk)); the\n"
      "library lands in lib/, and the folder is then a bundle for berth run --host-bundle.");
  return cmd;
}

CLI::App* add_bundle_bindgen_command(CLI::App& bundle, BundleBindgenOptions& options) {
  CLI::App* cmd = bundle.add_subcommand(
      "bindgen",
      "Regenerate a bundle project's generated/ bindings from its host.toml and WIT (after the "
      "WIT changed); src/ is left alone");
  cmd->add_option("DIR", options.directory, "The bundle project (default: the current folder)");
  return cmd;
}

void add_bundle_trust_commands(CLI::App& bundle, BundleTrustOptions& options) {
  CLI::App* keygen_cmd = bundle.add_subcommand(
      "keygen",
      "Make an Ed25519 key pair for signing bundles: NAME.key (secret, mode 0600) and "
      "NAME.pub (public, for trust stores)");
  keygen_cmd->add_option("-o,--output", options.output, "The key files' base name")
      ->required()
      ->type_name("NAME");
  keygen_cmd->callback([&options] { options.action = "keygen"; });

  CLI::App* sign_cmd = bundle.add_subcommand(
      "sign",
      "Sign every file of a bundle folder: writes BUNDLE/signatures/<key id>.sig (signing "
      "again with another key adds a signature; with the same key, replaces it)");
  sign_cmd->add_option("BUNDLE", options.bundle, "The bundle folder")->required();
  sign_cmd->add_option("--key", options.key, "The secret key file (NAME.key)")
      ->required()
      ->type_name("SECRET");
  sign_cmd->callback([&options] { options.action = "sign"; });

  CLI::App* verify_cmd = bundle.add_subcommand(
      "verify",
      "Check a bundle folder's signatures against trusted public keys; exit status 0 when a "
      "trusted key signed exactly its current files, 1 when not");
  verify_cmd->add_option("BUNDLE", options.bundle, "The bundle folder")->required();
  verify_cmd
      ->add_option("--trusted-key", options.trusted_keys, "A trusted public key file; repeatable")
      ->type_name("PUB")
      ->allow_extra_args(false);
  verify_cmd->callback([&options] { options.action = "verify"; });
}

}  // namespace

int run_command_line(int argc, char** argv) {
  CLI::App app{"berth: a WebAssembly runtime for components and native host bundles", "berth"};
  app.set_version_flag("--version", "berth " BERTH_VERSION);
  app.require_subcommand(1);

  RunOptions run_options;
  CLI::App* run = add_run_command(app, run_options);
  WitOptions wit_options;
  CLI::App* wit = add_wit_command(app, wit_options);
  BindgenOptions bindgen_options;
  CLI::App* bindgen = add_bindgen_command(app, bindgen_options);
  BundleCommandOptions bundle_options;
  CLI::App* bundle = add_bundle_command(app, bundle_options);
  BundleNewOptions bundle_new_options;
  CLI::App* bundle_new = add_bundle_new_command(*bundle, bundle_new_options);
  BundleBindgenOptions bundle_bindgen_options;
  CLI::App* bundle_bindgen = add_bundle_bindgen_command(*bundle, bundle_bindgen_options);
  BundleTrustOptions bundle_trust_options;
  add_bundle_trust_commands(*bundle, bundle_trust_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }

  if (run->parsed()) {
    if (auto ok = take_positionals(*run, run_options); !ok) {
      report_error(ok.error());
      return kExitUsage;
    }
    return run_command(run_options);
  }
  if (wit->parsed()) return wit_command(wit_options);
  if (bindgen->parsed()) return bindgen_command(bindgen_options);
  if (bundle_new->parsed()) return bundle_new_command(bundle_new_options);
  if (bundle_bindgen->parsed()) return bundle_bindgen_command(bundle_bindgen_options);
  if (!bundle_trust_options.action.empty()) return bundle_trust_command(bundle_trust_options);
  if (bundle->parsed()) return bundle_command(bundle_options);
  return kExitUsage;
}

}  // namespace berth::cli
