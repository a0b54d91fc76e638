// The SDK's generators: C bindings (and a thin C++ layer) of a bundle from a WIT world, the
// scaffold of a new bundle project, and C++ host bindings for embedders. `berth bundle new`,
// `berth bundle bindgen` and `berth bindgen` call these.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "berth/result.h"
#include "berth/wit/model.h"

namespace berth::sdk {

struct GeneratedFile {
  std::string path;  // relative to the bundle folder, e.g. "generated/kv_bindings.h"
  std::string text;
};

// The bindings of bundle `name` for `world` (seen from the bundle: its exports are what the
// bundle provides):
//  - generated/NAME_bindings.h: the native C types (include/berth/bundle.h layout) of every
//    function's parameters and result, and the prototypes the author implements;
//  - generated/NAME_descriptor.c: the descriptor and `berth_bundle_entry`;
//  - generated/NAME_bindings.hpp: string and list views for C++ implementations.
// A configuration key the bundle accepts, and what it means.
struct ConfigKey {
  std::string name;
  std::string description;
};

// `version` is the bundle's version as the descriptor states it. With `config_keys`, the
// descriptor lists them and berth refuses any other key in a manifest; without, any key passes.
Result<std::vector<GeneratedFile>> generate_bindings(
    const std::string& name, const std::string& version, const wit::Resolve& resolve,
    wit::WorldId world, const std::vector<ConfigKey>& config_keys = {});

// The C++ header with which a program that embeds berth implements the interfaces `world`
// exports (docs/embedding.md, "Bindings"): per interface a namespace with its records, enums and
// resources as C++ types and an abstract `Host` class of its functions; per world the WIT text,
// an `Exports` struct of implementations, and make_provider/add_to_linker. `path` is the file
// name to give the result. kUnsupported for a world that exports functions or unnamed
// interfaces.
Result<GeneratedFile> generate_host_bindings(const wit::Resolve& resolve, wit::WorldId world,
                                             const std::string& path);

struct ScaffoldOptions {
  std::string name;                 // the bundle's name: a C identifier-like word ("kv", "my-db")
  std::filesystem::path wit;        // a .wit file or a folder (with deps/)
  std::string world;                // empty: the package's only world
  std::filesystem::path directory;  // where to create the project; must not exist yet
};

// Creates a complete bundle project: host.toml, wit/ (a copy), CMakeLists.txt that builds
// lib/libNAME.so against the installed SDK, src/NAME.c with a stub of every function (each
// traps with "not implemented"), and the generated bindings. Returns the files written.
Result<std::vector<std::filesystem::path>> scaffold_bundle(const ScaffoldOptions& options);

// Regenerates generated/ of the bundle in `directory` from its host.toml and WIT. The keys of
// host.toml's [config] table are the configuration keys the bundle accepts; the comment lines
// right above a key are its description.
Result<std::vector<std::filesystem::path>> regenerate_bindings(
    const std::filesystem::path& directory);

}  // namespace berth::sdk
