// `berth bundle new` and `berth bundle bindgen`: a bundle project on disk.
#include <fmt/format.h>

#include <fstream>

#include "berth/bundle/manifest.h"
#include "berth/sdk/bindgen.h"
#include "berth/wit/resolve.h"
#include "sdk/generators.h"
#include "support/file.h"

namespace berth::sdk {
namespace {

namespace fs = std::filesystem;

Result<void> check_name(const std::string& name) {
  bool ok = !name.empty() && std::isalpha(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
  }
  if (!ok) {
    return Error(ErrorCode::kUsage,
                 fmt::format("bundle name '{}': expected a letter followed by letters, digits, "
                             "'-' or '_' (it names the library and the C functions)",
                             name));
  }
  return {};
}

Result<std::vector<fs::path>> write_generated(const fs::path& directory,
                                              const std::vector<GeneratedFile>& files) {
  std::vector<fs::path> written;
  for (const GeneratedFile& file : files) {
    fs::path path = directory / file.path;
    BERTH_TRY(write_text_file(path, file.text));
    written.push_back(path);
  }
  return written;
}

// Loads the WIT at `wit` and selects `world` in it.
Result<std::pair<wit::Resolve, wit::WorldId>> load_world(const fs::path& wit,
                                                         const std::string& world) {
  wit::Resolve resolve;
  BERTH_TRY_ASSIGN(wit::PackageId package, wit::load_path(resolve, wit));
  BERTH_TRY_ASSIGN(wit::WorldId id, wit::select_world(resolve, package, world));
  return std::pair{std::move(resolve), id};
}

std::string manifest_text(const ScaffoldOptions& options, const std::string& wit_entry) {
  std::string out = fmt::format(
      "# The bundle berth loads with --host-bundle (see docs/bundles.md).\n"
      "[host]\nname = \"{0}\"\nversion = \"0.1.0\"\nlib = \"lib/lib{0}.so\"\nwit = \"{1}\"\n",
      options.name, wit_entry);
  if (!options.world.empty()) out += fmt::format("world = \"{}\"\n", options.world);
  out += "\n# Defaults handed to create(); a hosts.toml [host.config] overrides them.\n[config]\n";
  return out;
}

std::string cmake_text(const std::string& name) {
  return fmt::format(
      "cmake_minimum_required(VERSION 3.16)\n"
      "project({0} LANGUAGES C)\n\n"
      "# The berth bundle SDK (berth/bundle.h), installed with berth. If CMake does not find it,\n"
      "# pass -DCMAKE_PREFIX_PATH=<berth's install prefix>.\n"
      "find_package(berth-sdk REQUIRED)\n\n"
      "add_library({0} MODULE src/{0}.c generated/{0}_descriptor.c)\n"
      "target_include_directories({0} PRIVATE generated)\n"
      "target_link_libraries({0} PRIVATE berth::sdk)\n"
      "# Only berth_bundle_entry needs to be visible; the library lands in lib/ so that this\n"
      "# folder is the bundle: berth run --host-bundle <this folder> app.wasm\n"
      "set_target_properties({0} PROPERTIES\n"
      "  C_STANDARD 11\n  C_VISIBILITY_PRESET hidden\n  PREFIX \"lib\"\n"
      "  LIBRARY_OUTPUT_DIRECTORY \"${{CMAKE_CURRENT_SOURCE_DIR}}/lib\")\n",
      name);
}

// The keys of host.toml's [config] table with the comment lines right above each as its
// description. toml++ drops comments, so this reads the text; the manifest parser has already
// checked that it is valid TOML.
Result<std::vector<ConfigKey>> config_keys(const fs::path& manifest) {
  std::ifstream in(manifest);
  if (!in) return Error(ErrorCode::kIo, fmt::format("{}: cannot read the file", manifest.string()));
  std::vector<ConfigKey> keys;
  std::string line, comment;
  bool in_config = false;
  while (std::getline(in, line)) {
    size_t start = line.find_first_not_of(" \t");
    std::string_view text = start == std::string::npos ? "" : std::string_view(line).substr(start);
    if (text.starts_with("[")) {
      in_config = text.starts_with("[config]");
      comment.clear();
    } else if (text.starts_with("#")) {
      std::string_view words = text.substr(text.find_first_not_of("# \t") == std::string_view::npos
                                               ? text.size()
                                               : text.find_first_not_of("# \t"));
      comment += (comment.empty() ? "" : " ") + std::string(words);
    } else if (in_config && !text.empty()) {
      size_t eq = text.find('=');
      std::string_view key = text.substr(0, eq);
      while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.remove_suffix(1);
      if (key.size() >= 2 && key.front() == '"' && key.back() == '"') {
        key = key.substr(1, key.size() - 2);
      }
      keys.push_back({std::string(key), comment});
      comment.clear();
    } else {
      comment.clear();
    }
  }
  return keys;
}

}  // namespace

Result<std::vector<fs::path>> scaffold_bundle(const ScaffoldOptions& options) {
  BERTH_TRY(check_name(options.name));
  std::error_code ec;
  if (fs::exists(options.directory, ec)) {
    return Error(ErrorCode::kUsage, fmt::format("{}: already exists; choose a new folder",
                                                options.directory.string()));
  }
  if (!fs::exists(options.wit, ec)) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: no such WIT file or folder", options.wit.string()));
  }
  // Check the WIT before anything is written, so a bad WIT leaves no half-made project.
  BERTH_TRY_ASSIGN(auto loaded, load_world(options.wit, options.world));
  auto& [resolve, world] = loaded;
  BERTH_TRY_ASSIGN(std::vector<GeneratedFile> bindings,
                   generate_bindings(options.name, "0.1.0", resolve, world));
  BERTH_TRY_ASSIGN(std::string stub, stub_source(options.name, resolve, world));

  const fs::path& dir = options.directory;
  std::vector<fs::path> written;
  std::string wit_entry = "wit";
  fs::create_directories(dir / "wit", ec);
  if (fs::is_directory(options.wit)) {
    fs::copy(options.wit, dir / "wit", fs::copy_options::recursive, ec);
  } else {
    fs::copy_file(options.wit, dir / "wit" / options.wit.filename(), ec);
    wit_entry = "wit/" + options.wit.filename().string();
  }
  if (ec) {
    return Error(ErrorCode::kIo,
                 fmt::format("{}: cannot copy the WIT into {}: {}", options.wit.string(),
                             (dir / "wit").string(), ec.message()));
  }
  written.push_back(dir / "wit");
  BERTH_TRY(write_text_file(dir / "host.toml", manifest_text(options, wit_entry)));
  written.push_back(dir / "host.toml");
  BERTH_TRY(write_text_file(dir / "CMakeLists.txt", cmake_text(options.name)));
  written.push_back(dir / "CMakeLists.txt");
  fs::path source = dir / "src" / (options.name + ".c");
  BERTH_TRY(write_text_file(source, stub));
  written.push_back(source);
  BERTH_TRY_ASSIGN(std::vector<fs::path> generated, write_generated(dir, bindings));
  written.insert(written.end(), generated.begin(), generated.end());
  return written;
}

Result<std::vector<fs::path>> regenerate_bindings(const fs::path& directory) {
  BERTH_TRY_ASSIGN(bundle::HostManifest manifest, bundle::read_host_manifest(directory));
  BERTH_TRY(check_name(manifest.name));
  BERTH_TRY_ASSIGN(auto loaded, load_world(manifest.wit, manifest.world));
  auto& [resolve, world] = loaded;
  BERTH_TRY_ASSIGN(std::vector<ConfigKey> keys, config_keys(manifest.file));
  BERTH_TRY_ASSIGN(
      std::vector<GeneratedFile> bindings,
      generate_bindings(manifest.name, manifest.version.value_or("0.0.0"), resolve, world, keys));
  return write_generated(directory, bindings);
}

}  // namespace berth::sdk
