#include "component/ir/names.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace berth::component::binary {
namespace {

Error name_error(std::string message) {
  return Error(ErrorCode::kInvalid, std::move(message));
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_alpha(char c) {
  return is_lower(c) || is_upper(c);
}
bool is_alnum(char c) {
  return is_alpha(c) || is_digit(c);
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// A word ([0-9a-z]+) or an acronym ([0-9A-Z]+).
bool is_fragment(std::string_view fragment) {
  if (fragment.empty()) return false;
  bool all_lower = std::all_of(fragment.begin(), fragment.end(),
                               [](char c) { return is_lower(c) || is_digit(c); });
  bool all_upper = std::all_of(fragment.begin(), fragment.end(),
                               [](char c) { return is_upper(c) || is_digit(c); });
  return all_lower || all_upper;
}

template <typename Fn>
bool all_split(std::string_view text, char separator, Fn&& each) {
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    std::string_view part =
        text.substr(start, end == std::string_view::npos ? text.npos : end - start);
    if (!each(part)) return false;
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

Result<void> check_label(std::string_view text) {
  if (!is_kebab_label(text)) return name_error(fmt::format("`{}` is not in kebab case", text));
  return {};
}

// words ::= first-word ('-' word)*: the lowercase-only labels of namespaces and packages.
Result<void> check_words(std::string_view text) {
  for (char c : text) {
    if (is_upper(c)) {
      return name_error(
          fmt::format("character `{}` is not lowercase in package name/namespace", c));
    }
  }
  return check_label(text);
}

bool is_numeric_identifier(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), is_digit)) return false;
  return text.size() == 1 || text[0] != '0';
}

bool is_semver_identifier(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return is_alnum(c) || c == '-'; });
}

bool is_base64_char(char c) {
  return is_alnum(c) || c == '+' || c == '/';
}

// hash-expression ::= ('sha256' | 'sha384' | 'sha512') '-' base64 ('?' option)?
Result<void> check_hash_expression(std::string_view hash) {
  size_t dash = hash.find('-');
  if (dash == std::string_view::npos) {
    return name_error(fmt::format("expected `-` after hash algorithm in `{}`", hash));
  }
  std::string_view algorithm = hash.substr(0, dash);
  if (algorithm != "sha256" && algorithm != "sha384" && algorithm != "sha512") {
    return name_error(fmt::format("unrecognized hash algorithm `{}`", algorithm));
  }
  std::string_view digest = hash.substr(dash + 1);
  digest = digest.substr(0, digest.find('?'));
  size_t chars = 0;
  while (chars < digest.size() && is_base64_char(digest[chars])) ++chars;
  size_t padding = digest.size() - chars;
  bool padding_ok = padding <= 2 && std::all_of(digest.begin() + chars, digest.end(),
                                                [](char c) { return c == '='; });
  if (chars == 0 || !padding_ok) {
    return name_error(fmt::format("`{}` is not valid base64", digest));
  }
  return {};
}

// integrity-metadata ::= ws* hash-expression (ws+ hash-expression)* ws*
Result<void> check_integrity(std::string_view metadata) {
  bool any = false;
  size_t pos = 0;
  while (pos < metadata.size()) {
    if (metadata[pos] == ' ' || metadata[pos] == '\t') {
      ++pos;
      continue;
    }
    size_t end = metadata.find_first_of(" \t", pos);
    if (end == std::string_view::npos) end = metadata.size();
    BERTH_TRY(check_hash_expression(metadata.substr(pos, end - pos)));
    any = true;
    pos = end;
  }
  if (!any) return name_error("integrity hash cannot be empty");
  return {};
}

// Reads `<...>` at the start of `text` (up to the first '>'); returns the inside and advances.
Result<std::string_view> take_bracketed(std::string_view& text) {
  if (text.empty() || text[0] != '<') {
    return name_error(fmt::format("expected `<` at `{}`", text));
  }
  size_t close = text.find('>');
  if (close == std::string_view::npos) {
    return name_error(fmt::format("failed to find `>` in `{}`", text));
  }
  std::string_view inside = text.substr(1, close - 1);
  text.remove_prefix(close + 1);
  return inside;
}

// The optional `,integrity=<...>` tail of url= and locked-dep= names.
Result<std::string_view> take_optional_integrity(std::string_view rest) {
  if (rest.empty()) return std::string_view{};
  constexpr std::string_view kTail = ",integrity=";
  if (!starts_with(rest, kTail)) {
    if (rest[0] == ',') return name_error("expected `integrity=<` after `,`");
    return name_error(fmt::format("trailing characters found: `{}`", rest));
  }
  rest.remove_prefix(kTail.size());
  BERTH_TRY_ASSIGN(std::string_view integrity, take_bracketed(rest));
  if (!rest.empty()) return name_error(fmt::format("trailing characters found: `{}`", rest));
  BERTH_TRY(check_integrity(integrity));
  return integrity;
}

// `ns:pkg` followed by projections; `require_projection` for interface names.
Result<InterfaceName> parse_package_path(std::string_view path, NameGrammar grammar,
                                         bool require_projection) {
  InterfaceName out;
  size_t colon = path.find(':');
  if (colon == std::string_view::npos) {
    return name_error(fmt::format("`{}` is not in kebab case", path));
  }
  std::string_view rest = path;
  while ((colon = rest.find(':')) != std::string_view::npos) {
    std::string_view ns = rest.substr(0, colon);
    if (ns.find('/') != std::string_view::npos) break;
    out.namespaces.push_back(ns);
    rest.remove_prefix(colon + 1);
  }
  size_t slash = rest.find('/');
  out.package = rest.substr(0, slash);
  if (out.package.find(':') != std::string_view::npos) {
    return name_error(fmt::format("`{}` is not in kebab case", out.package));
  }
  if (out.namespaces.size() > 1 && !grammar.nested_names) {
    return name_error(fmt::format("expected `/` after package name in `{}`", path));
  }
  if (slash != std::string_view::npos) {
    std::string_view projections = rest.substr(slash + 1);
    all_split(projections, '/', [&](std::string_view p) {
      out.projections.push_back(p);
      return true;
    });
  }
  for (std::string_view ns : out.namespaces) BERTH_TRY(check_words(ns));
  BERTH_TRY(check_words(out.package));
  if (require_projection && out.projections.empty()) {
    return name_error(fmt::format("expected `/` after package name in `{}`", path));
  }
  if (!out.projections.empty()) BERTH_TRY(check_label(out.projections[0]));
  if (out.projections.size() > 1 && !grammar.nested_names) {
    std::string_view first = out.projections[0];
    size_t trailing = static_cast<size_t>(first.data() + first.size() - path.data());
    return name_error(fmt::format("trailing characters found: `{}`", path.substr(trailing)));
  }
  for (size_t i = 1; i < out.projections.size(); ++i) BERTH_TRY(check_label(out.projections[i]));
  return out;
}

Result<void> check_version(std::string_view version, std::string_view name) {
  if (version.empty()) return name_error(fmt::format("empty version in `{}`", name));
  if (!is_valid_semver(version) && !is_canonical_version(version)) {
    return name_error(fmt::format("`{}` is not a valid semver", version));
  }
  return {};
}

// unlocked-dep version range: `*` or `{>=v}`, `{<v}`, `{>=v <w}`.
Result<void> check_version_range(std::string_view range) {
  if (range == "*") return {};
  if (range.empty() || range.front() != '{') {
    return name_error(fmt::format("expected `{{` at `{}`", range));
  }
  if (range.back() != '}') return name_error(fmt::format("expected `}}` at end of `{}`", range));
  std::string_view inside = range.substr(1, range.size() - 2);
  if (starts_with(inside, ">=")) {
    inside.remove_prefix(2);
    size_t space = inside.find(' ');
    std::string_view lower = inside.substr(0, space);
    if (!is_valid_semver(lower))
      return name_error(fmt::format("`{}` is not a valid semver", lower));
    if (space == std::string_view::npos) return {};
    inside.remove_prefix(space + 1);
    if (!starts_with(inside, "<")) {
      return name_error(fmt::format("expected `<` at `{}`", inside));
    }
  } else if (!starts_with(inside, "<")) {
    return name_error("expected `>=` or `<` at start of version range");
  }
  std::string_view upper = inside.substr(1);
  if (!is_valid_semver(upper)) return name_error(fmt::format("`{}` is not a valid semver", upper));
  return {};
}

Result<ParsedExternName> parse_resource_function(std::string_view name, std::string_view rest,
                                                 ExternNameKind kind) {
  ParsedExternName out;
  out.kind = kind;
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos) {
    return name_error(fmt::format("`{}` is missing a `.` between resource and function", name));
  }
  out.resource = rest.substr(0, dot);
  out.label = rest.substr(dot + 1);
  BERTH_TRY(check_label(out.resource));
  BERTH_TRY(check_label(out.label));
  return out;
}

}  // namespace

bool InterfaceName::has_canonical_version() const {
  return version.empty() || is_canonical_version(version);
}

bool is_kebab_label(std::string_view text) {
  if (text.empty() || !is_alpha(text[0])) return false;
  return all_split(text, '-', is_fragment);
}

bool is_valid_semver(std::string_view text) {
  std::string_view core = text;
  std::string_view pre;
  std::string_view build;
  if (size_t plus = core.find('+'); plus != std::string_view::npos) {
    build = core.substr(plus + 1);
    core = core.substr(0, plus);
    if (!all_split(build, '.', is_semver_identifier)) return false;
  }
  if (size_t dash = core.find('-'); dash != std::string_view::npos) {
    pre = core.substr(dash + 1);
    core = core.substr(0, dash);
    bool ok = all_split(pre, '.', [](std::string_view id) {
      if (!is_semver_identifier(id)) return false;
      bool numeric = std::all_of(id.begin(), id.end(), is_digit);
      return !numeric || is_numeric_identifier(id);
    });
    if (!ok) return false;
  }
  int parts = 0;
  bool ok = all_split(core, '.', [&](std::string_view part) {
    ++parts;
    return is_numeric_identifier(part);
  });
  return ok && parts == 3;
}

bool is_canonical_version(std::string_view text) {
  auto positive = [](std::string_view n) {
    return !n.empty() && n[0] != '0' && std::all_of(n.begin(), n.end(), is_digit);
  };
  if (text == "0.0.0") return true;
  if (starts_with(text, "0.0.")) return positive(text.substr(4));
  if (starts_with(text, "0.")) return positive(text.substr(2));
  return positive(text);
}

bool is_version_suffix(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return is_alnum(c) || c == '.' || c == '+' || c == '-'; });
}

Result<InterfaceName> parse_interface_name(std::string_view name, NameGrammar grammar) {
  std::string_view path = name;
  std::string_view version;
  if (size_t at = name.find('@'); at != std::string_view::npos) {
    path = name.substr(0, at);
    version = name.substr(at + 1);
    BERTH_TRY(check_version(version, name));
  }
  BERTH_TRY_ASSIGN(InterfaceName out, parse_package_path(path, grammar, true));
  out.version = version;
  return out;
}

Result<ParsedExternName> parse_extern_name(std::string_view name, NamePosition position,
                                           NameGrammar grammar) {
  struct Prefixed {
    std::string_view prefix;
    ExternNameKind kind;
  };
  static constexpr std::array<Prefixed, 4> kImportOnly = {{
      {"url=", ExternNameKind::kUrl},
      {"locked-dep=", ExternNameKind::kLockedDep},
      {"unlocked-dep=", ExternNameKind::kUnlockedDep},
      {"integrity=", ExternNameKind::kIntegrity},
  }};

  ParsedExternName out;
  if (starts_with(name, "[constructor]")) {
    out.kind = ExternNameKind::kConstructor;
    out.resource = name.substr(13);
    BERTH_TRY(check_label(out.resource));
    return out;
  }
  if (starts_with(name, "[method]")) {
    return parse_resource_function(name, name.substr(8), ExternNameKind::kMethod);
  }
  if (starts_with(name, "[static]")) {
    return parse_resource_function(name, name.substr(8), ExternNameKind::kStatic);
  }
  if (starts_with(name, "relative-url=")) {
    // Dropped from the grammar; wasm-tools rejects it in both positions.
    return name_error(fmt::format("`{}` is not a valid extern name", name));
  }
  for (const Prefixed& form : kImportOnly) {
    if (!starts_with(name, form.prefix)) continue;
    if (position == NamePosition::kExport) {
      return name_error(fmt::format("`{}` is not a valid export name", name));
    }
    out.kind = form.kind;
    std::string_view rest = name.substr(form.prefix.size());
    switch (form.kind) {
      case ExternNameKind::kUrl: {
        BERTH_TRY_ASSIGN(out.url, take_bracketed(rest));
        if (out.url.find('<') != std::string_view::npos) {
          return name_error("url cannot contain `<`");
        }
        BERTH_TRY_ASSIGN(out.integrity, take_optional_integrity(rest));
        return out;
      }
      case ExternNameKind::kIntegrity: {
        BERTH_TRY_ASSIGN(out.integrity, take_bracketed(rest));
        if (!rest.empty()) return name_error(fmt::format("trailing characters found: `{}`", rest));
        BERTH_TRY(check_integrity(out.integrity));
        return out;
      }
      case ExternNameKind::kLockedDep: {
        BERTH_TRY_ASSIGN(std::string_view package, take_bracketed(rest));
        std::string_view path = package.substr(0, package.find('@'));
        BERTH_TRY_ASSIGN(out.interface, parse_package_path(path, grammar, false));
        if (path.size() < package.size()) {
          out.interface.version = package.substr(path.size() + 1);
          if (!is_valid_semver(out.interface.version)) {
            return name_error(fmt::format("`{}` is not a valid semver", out.interface.version));
          }
        }
        BERTH_TRY_ASSIGN(out.integrity, take_optional_integrity(rest));
        return out;
      }
      case ExternNameKind::kUnlockedDep: {
        // The version range may hold `>=`, so the name must end with the closing `>`.
        if (rest.empty() || rest[0] != '<') {
          return name_error(fmt::format("expected `<` at `{}`", rest));
        }
        if (rest.size() < 2 || rest.back() != '>') {
          return name_error(fmt::format("expected `>` at end of `{}`", rest));
        }
        std::string_view package = rest.substr(1, rest.size() - 2);
        std::string_view path = package.substr(0, package.find('@'));
        BERTH_TRY_ASSIGN(out.interface, parse_package_path(path, grammar, false));
        if (path.size() < package.size()) {
          out.version_range = package.substr(path.size() + 1);
          BERTH_TRY(check_version_range(out.version_range));
        }
        return out;
      }
      default:
        break;
    }
  }
  if (name.find(':') != std::string_view::npos) {
    out.kind = ExternNameKind::kInterface;
    BERTH_TRY_ASSIGN(out.interface, parse_interface_name(name, grammar));
    return out;
  }
  out.kind = ExternNameKind::kLabel;
  out.label = name;
  BERTH_TRY(check_label(name));
  return out;
}

std::string strong_uniqueness_key(std::string_view name) {
  std::string key(name);
  for (char& c : key) {
    if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  for (std::string_view prefix : {std::string_view("[method]"), std::string_view("[static]")}) {
    if (!starts_with(key, prefix)) continue;
    std::string rest = key.substr(prefix.size());
    size_t dot = rest.find('.');
    if (dot != std::string::npos && rest.compare(0, dot, rest, dot + 1) == 0) {
      return rest.substr(0, dot);
    }
    return rest;
  }
  if (!key.empty() && key[0] == '[' && !starts_with(key, "[constructor]")) {
    size_t close = key.find(']');
    if (close != std::string::npos) return key.substr(close + 1);
  }
  return key;
}

}  // namespace berth::component::binary
