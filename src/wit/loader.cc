// Files and folders to packages, and packages to the model in dependency order.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "berth/wit/resolve.h"
#include "parser.h"
#include "resolver.h"

namespace berth::wit {
namespace {

namespace fs = std::filesystem;

// Folders under deps/ may have deps/ of their own; this bounds the nesting (and symlink loops).
constexpr int kMaxDepsDepth = 16;

struct Batch {
  const FileTree& tree;
  std::vector<std::unique_ptr<ast::File>> files;
  std::vector<UnresolvedPackage> packages;
};

// A reference from one package to another, for ordering and for "not found" errors.
struct PackageRef {
  PackageName name;
  Pos pos;
  const ast::File* file = nullptr;
};

Result<void> parse_into(Batch& batch, const std::string& path, std::string_view text) {
  BERTH_TRY_ASSIGN(ast::File file, parse_file(path, text));
  batch.files.push_back(std::make_unique<ast::File>(std::move(file)));
  return {};
}

Result<void> parse_path(Batch& batch, const fs::path& path) {
  BERTH_TRY_ASSIGN(std::string text, batch.tree.read(path));
  return parse_into(batch, path.string(), text);
}

// Makes packages of files [first, batch.files.size()): their top-level items form one package
// (they must agree on its name) and each nested block is a package of its own. Returns the index
// of the top-level package, if the files have one.
Result<std::optional<size_t>> add_group(Batch& batch, size_t first) {
  const ast::File* name_file = nullptr;
  bool has_items = false;
  for (size_t i = first; i < batch.files.size(); ++i) {
    const ast::File& file = *batch.files[i];
    has_items |= !file.items.empty();
    if (!file.package) continue;
    if (name_file && !(to_model(*file.package) == to_model(*name_file->package))) {
      const ast::PackageName& other = *name_file->package;
      return located_error(
          ErrorCode::kInvalid, file.path, file.package->pos,
          fmt::format("package '{}' does not match package '{}' declared at {}:{}:{}; the files "
                      "of one folder form one package",
                      to_model(*file.package).to_string(), to_model(other).to_string(),
                      name_file->path, other.pos.line, other.pos.column));
    }
    if (!name_file) name_file = &file;
  }
  std::optional<size_t> root;
  if (name_file) {
    UnresolvedPackage package;
    package.name = *name_file->package;
    package.name_file = name_file;
    for (size_t i = first; i < batch.files.size(); ++i) {
      const ast::File& file = *batch.files[i];
      if (!file.package_docs.empty()) {
        if (!package.docs.empty()) package.docs += '\n';
        package.docs += file.package_docs;
      }
      package.parts.push_back({&file, &file.items});
    }
    root = batch.packages.size();
    batch.packages.push_back(std::move(package));
  } else if (has_items) {
    const ast::File* file = nullptr;
    for (size_t i = first; i < batch.files.size() && !file; ++i) {
      if (!batch.files[i]->items.empty()) file = batch.files[i].get();
    }
    return located_error(ErrorCode::kInvalid, file->path, Pos{},
                         "no 'package ns:name;' declaration: one file of a package must name it");
  }
  for (size_t i = first; i < batch.files.size(); ++i) {
    const ast::File& file = *batch.files[i];
    for (const ast::NestedPackage& nested : file.nested) {
      UnresolvedPackage package;
      package.name = nested.name;
      package.name_file = &file;
      package.docs = nested.docs;
      package.parts.push_back({&file, &nested.items});
      batch.packages.push_back(std::move(package));
    }
  }
  return root;
}

bool is_wit_file(const Batch& batch, const fs::path& path) {
  return path.extension() == ".wit" && batch.tree.is_regular_file(path);
}

Result<void> load_deps(Batch& batch, const fs::path& deps, int depth);

// The *.wit files of `dir` as one package, then its deps/.
Result<std::optional<size_t>> load_folder(Batch& batch, const fs::path& dir, int depth) {
  if (depth > kMaxDepsDepth) {
    return Error(ErrorCode::kLimit, fmt::format("{}: deps/ folders are nested more than {} deep",
                                                dir.string(), kMaxDepsDepth));
  }
  BERTH_TRY_ASSIGN(std::vector<fs::path> entries, batch.tree.list(dir));
  size_t first = batch.files.size();
  for (const fs::path& entry : entries) {
    if (is_wit_file(batch, entry)) BERTH_TRY(parse_path(batch, entry));
  }
  BERTH_TRY_ASSIGN(std::optional<size_t> root, add_group(batch, first));
  if (batch.tree.is_directory(dir / "deps")) BERTH_TRY(load_deps(batch, dir / "deps", depth + 1));
  return root;
}

Result<void> load_deps(Batch& batch, const fs::path& deps, int depth) {
  BERTH_TRY_ASSIGN(std::vector<fs::path> entries, batch.tree.list(deps));
  for (const fs::path& entry : entries) {
    if (batch.tree.is_directory(entry)) {
      BERTH_TRY(load_folder(batch, entry, depth));
    } else if (is_wit_file(batch, entry)) {
      size_t first = batch.files.size();
      BERTH_TRY(parse_path(batch, entry));
      BERTH_TRY(add_group(batch, first));
    }
  }
  return {};
}

void collect_interface_refs(const std::vector<ast::InterfaceItem>& items, const ast::File* file,
                            const ResolveOptions& options, std::vector<PackageRef>& out) {
  for (const ast::InterfaceItem& item : items) {
    const auto* use = std::get_if<ast::UseItem>(&item);
    if (use && gate_enabled(use->gates, options) && use->path.package) {
      out.push_back({to_model(*use->path.package), use->path.package->pos, file});
    }
  }
}

// Every other package the enabled items of `package` refer to.
std::vector<PackageRef> collect_refs(const UnresolvedPackage& package,
                                     const ResolveOptions& options) {
  std::vector<PackageRef> out;
  auto add = [&](const ast::UsePath& path, const ast::File* file) {
    if (path.package) out.push_back({to_model(*path.package), path.package->pos, file});
  };
  for (const UnresolvedPackage::Part& part : package.parts) {
    for (const ast::PackageItem& item : *part.items) {
      if (const auto* use = std::get_if<ast::TopUse>(&item)) {
        if (gate_enabled(use->gates, options)) add(use->path, part.file);
      } else if (const auto* iface = std::get_if<ast::Interface>(&item)) {
        if (gate_enabled(iface->gates, options)) {
          collect_interface_refs(iface->items, part.file, options, out);
        }
      } else {
        const auto& world = std::get<ast::World>(item);
        if (!gate_enabled(world.gates, options)) continue;
        for (const ast::WorldItem& witem : world.items) {
          if (const auto* use = std::get_if<ast::UseItem>(&witem)) {
            if (gate_enabled(use->gates, options)) add(use->path, part.file);
          } else if (const auto* ext = std::get_if<ast::Extern>(&witem)) {
            if (!gate_enabled(ext->gates, options)) continue;
            if (ext->kind == ast::Extern::Kind::kInterface) {
              collect_interface_refs(ext->items, part.file, options, out);
            } else if (ext->kind != ast::Extern::Kind::kFunc) {
              add(ext->path, part.file);
            }
          } else if (const auto* include = std::get_if<ast::Include>(&witem)) {
            if (gate_enabled(include->gates, options)) add(include->path, part.file);
          }
        }
      }
    }
  }
  return out;
}

std::string missing_package_hint(const PackageName& wanted, const Batch& batch,
                                 const Resolve& resolve) {
  std::vector<std::string> versions;
  auto consider = [&](const PackageName& name) {
    if (name.ns == wanted.ns && name.name == wanted.name) versions.push_back(name.to_string());
  };
  for (const UnresolvedPackage& p : batch.packages) consider(to_model(p.name));
  for (const Package& p : resolve.packages) consider(p.name);
  if (versions.empty()) return " (is it missing from deps/?)";
  return fmt::format(" (found {})", fmt::join(versions, ", "));
}

Result<PackageId> resolve_batch(Resolve& resolve, const Batch& batch, size_t root,
                                const ResolveOptions& options) {
  Resolve work = resolve;
  std::map<std::string, size_t> by_name;
  for (size_t i = 0; i < batch.packages.size(); ++i) {
    const UnresolvedPackage& p = batch.packages[i];
    std::string key = to_model(p.name).to_string();
    if (auto it = by_name.find(key); it != by_name.end()) {
      const UnresolvedPackage& first = batch.packages[it->second];
      return located_error(
          ErrorCode::kInvalid, p.name_file->path, p.name.pos,
          fmt::format("package '{}' is defined twice (also at {}:{}:{})", key,
                      first.name_file->path, first.name.pos.line, first.name.pos.column));
    }
    if (work.find_package(to_model(p.name))) {
      return located_error(ErrorCode::kInvalid, p.name_file->path, p.name.pos,
                           fmt::format("package '{}' is already loaded", key));
    }
    by_name[key] = i;
  }
  std::vector<std::vector<Dependency>> deps(batch.packages.size());
  std::vector<std::vector<const ast::File*>> dep_files(batch.packages.size());
  for (size_t i = 0; i < batch.packages.size(); ++i) {
    PackageName own = to_model(batch.packages[i].name);
    for (const PackageRef& ref : collect_refs(batch.packages[i], options)) {
      if (ref.name == own) continue;
      if (auto it = by_name.find(ref.name.to_string()); it != by_name.end()) {
        deps[i].push_back({it->second, ref.pos});
        dep_files[i].push_back(ref.file);
      } else if (!work.find_package(ref.name)) {
        return located_error(ErrorCode::kNotFound, ref.file->path, ref.pos,
                             fmt::format("package '{}' not found{}", ref.name.to_string(),
                                         missing_package_hint(ref.name, batch, work)));
      }
    }
  }
  auto sorted = topo_sort(deps);
  if (auto* cycle = std::get_if<Cycle>(&sorted)) {
    std::string path;
    for (size_t n : cycle->nodes) {
      path += fmt::format("'{}' -> ", to_model(batch.packages[n].name).to_string());
    }
    path += fmt::format("'{}'", to_model(batch.packages[cycle->nodes.front()].name).to_string());
    const ast::File* file = batch.packages[cycle->closing_node].name_file;
    for (size_t k = 0; k < deps[cycle->closing_node].size(); ++k) {
      const Dependency& d = deps[cycle->closing_node][k];
      if (d.pos.line == cycle->pos.line && d.pos.column == cycle->pos.column) {
        file = dep_files[cycle->closing_node][k];
      }
    }
    return located_error(ErrorCode::kInvalid, file->path, cycle->pos,
                         fmt::format("packages depend on each other in a cycle: {}", path));
  }
  PackageId root_id;
  for (size_t i : std::get<0>(sorted)) {
    PackageResolver resolver(work, batch.packages[i], options);
    BERTH_TRY_ASSIGN(PackageId id, resolver.run());
    if (i == root) root_id = id;
  }
  resolve = std::move(work);
  return root_id;
}

Result<PackageId> load_single_file(Resolve& resolve, Batch& batch, const ResolveOptions& options) {
  const ast::File& file = *batch.files.back();
  BERTH_TRY_ASSIGN(std::optional<size_t> root, add_group(batch, 0));
  if (!root) {
    if (batch.packages.empty()) {
      return located_error(ErrorCode::kInvalid, file.path, Pos{},
                           "the file defines no package; start it with 'package ns:name;'");
    }
    root = batch.packages.size() - 1;
  }
  return resolve_batch(resolve, batch, *root, options);
}

}  // namespace

Result<PackageId> load_source(Resolve& resolve, std::string_view file_name, std::string_view text,
                              const ResolveOptions& options) {
  Batch batch{disk_files()};
  BERTH_TRY(parse_into(batch, std::string(file_name), text));
  return load_single_file(resolve, batch, options);
}

Result<PackageId> load_path(Resolve& resolve, const std::filesystem::path& path,
                            const ResolveOptions& options, const FileTree& tree) {
  if (!tree.exists(path)) {
    return Error(ErrorCode::kNotFound, fmt::format("{}: no such file or folder", path.string()));
  }
  Batch batch{tree};
  if (!tree.is_directory(path)) {
    BERTH_TRY(parse_path(batch, path));
    return load_single_file(resolve, batch, options);
  }
  BERTH_TRY_ASSIGN(std::optional<size_t> root, load_folder(batch, path, 0));
  if (!root) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("{}: no WIT package in this folder (no *.wit file declares "
                             "'package ns:name;')",
                             path.string()));
  }
  return resolve_batch(resolve, batch, *root, options);
}

Result<WorldId> select_world(const Resolve& resolve, PackageId package, std::string_view name) {
  const Package& pkg = resolve.package(package);
  if (name.empty()) {
    if (pkg.worlds.size() == 1) return pkg.worlds[0];
    if (pkg.worlds.empty()) {
      return Error(ErrorCode::kNotFound,
                   fmt::format("package '{}' has no world", pkg.name.to_string()));
    }
    std::vector<std::string> names;
    for (WorldId w : pkg.worlds) names.push_back(resolve.world(w).name);
    return Error(ErrorCode::kUsage,
                 fmt::format("package '{}' has several worlds ({}); name the one to use",
                             pkg.name.to_string(), fmt::join(names, ", ")));
  }
  size_t colon = name.find(':');
  if (colon == std::string_view::npos) {
    if (auto w = resolve.find_world(package, name)) return *w;
    return Error(ErrorCode::kNotFound,
                 fmt::format("package '{}' has no world named '{}'", pkg.name.to_string(), name));
  }
  size_t slash = name.find('/', colon);
  if (slash == std::string_view::npos) {
    return Error(ErrorCode::kUsage,
                 fmt::format("'{}' is not a world path like 'ns:pkg/world@1.0.0'", name));
  }
  PackageName wanted;
  wanted.ns = std::string(name.substr(0, colon));
  wanted.name = std::string(name.substr(colon + 1, slash - colon - 1));
  std::string_view world = name.substr(slash + 1);
  if (size_t at = world.find('@'); at != std::string_view::npos) {
    BERTH_TRY_ASSIGN(wanted.version, Version::parse(world.substr(at + 1)));
    world = world.substr(0, at);
  }
  std::optional<PackageId> found = resolve.find_package(wanted);
  if (!found) {
    return Error(ErrorCode::kNotFound, fmt::format("package '{}' not found", wanted.to_string()));
  }
  if (auto w = resolve.find_world(*found, world)) return *w;
  return Error(ErrorCode::kNotFound,
               fmt::format("package '{}' has no world named '{}'", wanted.to_string(), world));
}

}  // namespace berth::wit
