#include "berth/wit/semver.h"

#include <fmt/format.h>

namespace berth::wit {
namespace {

bool is_ident_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

Error version_error(std::string_view text, std::string_view why) {
  return Error(ErrorCode::kMalformed, fmt::format("invalid version '{}': {}", text, why));
}

Result<uint64_t> parse_number(std::string_view text, std::string_view part, std::string_view what) {
  if (!all_digits(part)) {
    return version_error(text, fmt::format("{} '{}' is not a number", what, part));
  }
  if (part.size() > 1 && part[0] == '0') {
    return version_error(text, fmt::format("{} '{}' has a leading zero", what, part));
  }
  if (part.size() > 19) return version_error(text, fmt::format("{} '{}' is too large", what, part));
  uint64_t value = 0;
  for (char c : part) value = value * 10 + static_cast<uint64_t>(c - '0');
  return value;
}

Result<std::vector<std::string>> parse_identifiers(std::string_view text, std::string_view list,
                                                   std::string_view what, bool numeric_rules) {
  std::vector<std::string> out;
  for (std::string_view id : split(list, '.')) {
    if (id.empty()) return version_error(text, fmt::format("empty {} identifier", what));
    for (char c : id) {
      if (!is_ident_char(c)) {
        return version_error(text, fmt::format("character '{}' is not allowed in {}", c, what));
      }
    }
    if (numeric_rules && all_digits(id) && id.size() > 1 && id[0] == '0') {
      return version_error(text,
                           fmt::format("numeric {} identifier '{}' has a leading zero", what, id));
    }
    out.emplace_back(id);
  }
  return out;
}

int compare_identifier(const std::string& a, const std::string& b) {
  bool a_num = all_digits(a);
  bool b_num = all_digits(b);
  if (a_num && b_num) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  }
  // Numeric identifiers have lower precedence than alphanumeric ones.
  if (a_num != b_num) return a_num ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace

Result<Version> Version::parse(std::string_view text) {
  if (text.empty()) return version_error(text, "it is empty");
  std::string_view rest = text;
  std::string_view build_part;
  bool has_build = false;
  if (size_t plus = rest.find('+'); plus != std::string_view::npos) {
    build_part = rest.substr(plus + 1);
    rest = rest.substr(0, plus);
    has_build = true;
  }
  std::string_view pre_part;
  bool has_pre = false;
  if (size_t dash = rest.find('-'); dash != std::string_view::npos) {
    pre_part = rest.substr(dash + 1);
    rest = rest.substr(0, dash);
    has_pre = true;
  }
  std::vector<std::string_view> core = split(rest, '.');
  if (core.size() != 3) {
    return version_error(text, "expected MAJOR.MINOR.PATCH, e.g. '1.0.0'");
  }
  Version v;
  BERTH_TRY_ASSIGN(v.major, parse_number(text, core[0], "major version"));
  BERTH_TRY_ASSIGN(v.minor, parse_number(text, core[1], "minor version"));
  BERTH_TRY_ASSIGN(v.patch, parse_number(text, core[2], "patch version"));
  if (has_pre) {
    BERTH_TRY_ASSIGN(v.pre, parse_identifiers(text, pre_part, "pre-release", true));
  }
  if (has_build) {
    BERTH_TRY_ASSIGN(v.build, parse_identifiers(text, build_part, "build", false));
  }
  return v;
}

std::string Version::to_string() const {
  std::string out = fmt::format("{}.{}.{}", major, minor, patch);
  if (!pre.empty()) out += "-" + fmt::format("{}", fmt::join(pre, "."));
  if (!build.empty()) out += "+" + fmt::format("{}", fmt::join(build, "."));
  return out;
}

int compare(const Version& a, const Version& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  if (a.pre.empty() || b.pre.empty()) {
    if (a.pre.empty() == b.pre.empty()) return 0;
    return a.pre.empty() ? 1 : -1;
  }
  for (size_t i = 0; i < a.pre.size() && i < b.pre.size(); ++i) {
    if (int c = compare_identifier(a.pre[i], b.pre[i]); c != 0) return c;
  }
  if (a.pre.size() == b.pre.size()) return 0;
  return a.pre.size() < b.pre.size() ? -1 : 1;
}

bool compatible(const Version& a, const Version& b) {
  return compatibility_key(a) == compatibility_key(b);
}

std::string compatibility_key(const Version& v) {
  if (!v.pre.empty()) {
    return fmt::format("{}.{}.{}-{}", v.major, v.minor, v.patch, fmt::join(v.pre, "."));
  }
  if (v.major > 0) return fmt::format("{}", v.major);
  if (v.minor > 0) return fmt::format("0.{}", v.minor);
  return fmt::format("0.0.{}", v.patch);
}

size_t version_prefix_length(std::string_view text) {
  size_t i = 0;
  auto run = [&] {
    size_t start = i;
    while (i < text.size() && is_ident_char(text[i])) ++i;
    return i > start;
  };
  auto dotted = [&] {
    if (!run()) return false;
    while (i + 1 < text.size() && text[i] == '.' && is_ident_char(text[i + 1])) {
      ++i;
      run();
    }
    return true;
  };
  if (!dotted()) return 0;
  if (i + 1 < text.size() && text[i] == '+' && is_ident_char(text[i + 1])) {
    ++i;
    dotted();
  }
  return i;
}

}  // namespace berth::wit
