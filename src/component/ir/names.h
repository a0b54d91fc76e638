// The import/export name grammar (Explainer.md "Import and Export Definitions"), plus the older
// forms that wasm-tools still accepts on imports (url=, integrity=, locked-dep=, unlocked-dep=).
// The decoder keeps names as text; validation parses them with these functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "berth/result.h"

namespace berth::component::binary {

// `ns:pkg/iface@version`, or with 🪺 nested names `ns:sub:pkg/iface/sub@version`.
struct InterfaceName {
  std::vector<std::string_view> namespaces;
  std::string_view package;
  std::vector<std::string_view> projections;  // the interface path; empty in a dependency name
  std::string_view version;                   // without '@'; empty when absent

  bool nested() const { return namespaces.size() > 1 || projections.size() > 1; }
  // 🔗 true when there is no version or it is a canonversion (`1`, `0.2`, `0.0.3`).
  bool has_canonical_version() const;
};

enum class ExternNameKind : uint8_t {
  kLabel,        // custom-hook
  kConstructor,  // [constructor]r
  kMethod,       // [method]r.f
  kStatic,       // [static]r.f
  kInterface,    // wasi:http/handler@0.2.0
  kUrl,          // url=<...>[,integrity=<...>]          (imports only)
  kLockedDep,    // locked-dep=<ns:pkg@1.2.3>[,integrity=<...>]  (imports only)
  kUnlockedDep,  // unlocked-dep=<ns:pkg@{>=1.0.0}>      (imports only)
  kIntegrity,    // integrity=<sha256-...>               (imports only)
};

// A parsed name. The views point into the string given to parse_extern_name.
struct ParsedExternName {
  ExternNameKind kind = ExternNameKind::kLabel;
  std::string_view label;          // kLabel; the function label of kMethod and kStatic
  std::string_view resource;       // kConstructor, kMethod, kStatic
  InterfaceName interface;         // kInterface; the package of kLockedDep and kUnlockedDep
  std::string_view version_range;  // kUnlockedDep: `*` or `{>=a <b}` (without '@')
  std::string_view url;            // kUrl
  std::string_view integrity;      // kUrl, kLockedDep, kIntegrity: the metadata inside <...>
};

enum class NamePosition : uint8_t { kImport, kExport };

struct NameGrammar {
  bool nested_names = false;  // 🪺 several namespaces / projections in interface names
};

// Checks `name` against the grammar for an import or export. Errors are kInvalid and say why,
// e.g. "`Foo-bar` is not in kebab case".
Result<ParsedExternName> parse_extern_name(std::string_view name, NamePosition position,
                                           NameGrammar grammar = {});

Result<InterfaceName> parse_interface_name(std::string_view name, NameGrammar grammar = {});

// label ::= first-fragment ('-' fragment)*, each fragment all lowercase or all uppercase.
bool is_kebab_label(std::string_view text);
// Semantic Versioning 2.0.0, e.g. 1.2.3-rc.1+build.5.
bool is_valid_semver(std::string_view text);
// 🔗 canonversion: [1-9][0-9]* | 0.[1-9][0-9]* | 0.0.[1-9][0-9]* | 0.0.0
bool is_canonical_version(std::string_view text);
// 🔗 semversuffix ::= [0-9A-Za-z.+-]*
bool is_version_suffix(std::string_view text);

// The key under which two names clash (Explainer.md "Name Uniqueness"): acronyms lowercased,
// `[method]l.l` / `[static]l.l` reduced to `l`, other annotations except [constructor] dropped.
std::string strong_uniqueness_key(std::string_view name);

}  // namespace berth::component::binary
