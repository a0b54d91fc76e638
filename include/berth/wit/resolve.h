// Loading WIT into a Resolve: text, a file, or a folder with its deps/.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "berth/file_tree.h"
#include "berth/result.h"
#include "berth/wit/model.h"

namespace berth::wit {

struct ResolveOptions {
  // Items gated by `@unstable(feature = x)` are left out unless x is listed here.
  std::vector<std::string> features;
  bool all_features = false;
};

// Parses and resolves `text` as the single file `file_name` (the name only appears in error
// messages). The file's own package comes with any nested `package a:b { ... }` blocks it holds;
// packages it refers to must be among those or already in `resolve`. Returns the file's own
// package (the last nested one when the file has no top-level package). On error `resolve` is
// left as it was.
Result<PackageId> load_source(Resolve& resolve, std::string_view file_name, std::string_view text,
                              const ResolveOptions& options = {});

// Loads a .wit file, or a folder: all of its *.wit files form one package, and `deps/` holds its
// dependencies as `deps/<name>.wit` files or `deps/<name>/` folders (which may have deps/ of
// their own). Dependencies are resolved in dependency order. Returns the root package. The
// files are read from `tree` (the disk unless a caller has them already, as a bundle does).
Result<PackageId> load_path(Resolve& resolve, const std::filesystem::path& path,
                            const ResolveOptions& options = {},
                            const FileTree& tree = disk_files());

// Picks a world as WIT tooling does: with an empty `name` the package's only world; a plain
// identifier names a world of `package`; "ns:pkg/world@1.0.0" names one anywhere in `resolve`.
Result<WorldId> select_world(const Resolve& resolve, PackageId package, std::string_view name);

}  // namespace berth::wit
