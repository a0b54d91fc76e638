#include "berth/wit/version_range.h"

#include <fmt/format.h>

#include <optional>

namespace berth::wit {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// A version with 1 to 3 numeric parts given; `parts` says how many.
struct Partial {
  Version version;
  int parts = 0;
};

Result<Partial> parse_partial(std::string_view text) {
  Partial out;
  size_t dots = 0;
  size_t end = text.find_first_of("-+");
  for (size_t i = 0; i < std::min(end, text.size()); ++i) dots += text[i] == '.';
  out.parts = static_cast<int>(dots) + 1;
  if (out.parts > 3 || text.empty()) {
    return Error(ErrorCode::kInvalid, fmt::format("\"{}\" is not a version", text));
  }
  std::string full(text.substr(0, std::min(end, text.size())));
  for (int i = out.parts; i < 3; ++i) full += ".0";
  if (out.parts < 3 && end != std::string_view::npos) {
    return Error(
        ErrorCode::kInvalid,
        fmt::format("\"{}\": a pre-release or build needs all three version numbers", text));
  }
  if (end != std::string_view::npos) full += text.substr(end);
  BERTH_TRY_ASSIGN(out.version, Version::parse(full));
  return out;
}

Version bumped(const Version& v, int part) {
  Version out;
  if (part == 0) out.major = v.major + 1;
  if (part == 1) out = Version{v.major, v.minor + 1, 0, {}, {}};
  if (part == 2) out = Version{v.major, v.minor, v.patch + 1, {}, {}};
  return out;
}

}  // namespace

Result<VersionRange> VersionRange::parse(std::string_view text) {
  VersionRange range;
  range.text_ = std::string(trim(text));
  if (range.text_.empty()) {
    return Error(ErrorCode::kInvalid, "an empty version requirement (expected e.g. \"^1.2\")");
  }
  std::string_view rest = range.text_;
  while (true) {
    size_t comma = rest.find(',');
    std::string_view item = trim(rest.substr(0, comma));
    auto fail = [&](std::string why) {
      return Error(ErrorCode::kInvalid, fmt::format("comparator \"{}\" {}", item, why));
    };
    if (item.empty()) return fail("is empty");
    if (item == "*") {
      range.bounds_.push_back({Op::kGreaterEqual, Version{}});
    } else {
      std::string_view op;
      for (std::string_view candidate : {">=", "<=", ">", "<", "=", "^", "~"}) {
        if (item.starts_with(candidate)) {
          op = candidate;
          break;
        }
      }
      std::string_view number = trim(item.substr(op.size()));
      // "1.*" and "1.2.*" are the partial versions "=1" and "=1.2".
      if (number.ends_with(".*")) {
        if (!op.empty()) return fail("puts an operator before a wildcard");
        number.remove_suffix(2);
        op = "=";
      }
      auto partial = parse_partial(number);
      if (!partial) return fail(fmt::format("has no valid version: {}", partial.error().message()));
      const Version& v = partial->version;
      int parts = partial->parts;
      if (!v.pre.empty()) range.pre_release_triples_.push_back(Version{v.major, v.minor, v.patch});
      if (op.empty() || op == "^") {
        // The leftmost non-zero part given may not change.
        int fixed = v.major > 0 || parts == 1 ? 0 : (v.minor > 0 || parts == 2 ? 1 : 2);
        range.bounds_.push_back({Op::kGreaterEqual, v});
        range.bounds_.push_back({Op::kLess, bumped(v, std::min(fixed, parts - 1))});
      } else if (op == "~") {
        range.bounds_.push_back({Op::kGreaterEqual, v});
        range.bounds_.push_back({Op::kLess, bumped(v, parts == 1 ? 0 : 1)});
      } else if (op == "=") {
        if (parts == 3) {
          range.bounds_.push_back({Op::kEqual, v});
        } else {
          range.bounds_.push_back({Op::kGreaterEqual, v});
          range.bounds_.push_back({Op::kLess, bumped(v, parts - 1)});
        }
      } else if (op == ">") {
        range.bounds_.push_back(parts == 3 ? Bound{Op::kGreater, v}
                                           : Bound{Op::kGreaterEqual, bumped(v, parts - 1)});
      } else if (op == ">=") {
        range.bounds_.push_back({Op::kGreaterEqual, v});
      } else if (op == "<") {
        range.bounds_.push_back({Op::kLess, v});
      } else {
        range.bounds_.push_back(parts == 3 ? Bound{Op::kLessEqual, v}
                                           : Bound{Op::kLess, bumped(v, parts - 1)});
      }
    }
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return range;
}

bool VersionRange::matches(const Version& version) const {
  if (!version.pre.empty()) {
    bool named = false;
    for (const Version& triple : pre_release_triples_) {
      named = named || (triple.major == version.major && triple.minor == version.minor &&
                        triple.patch == version.patch);
    }
    if (!named) return false;
  }
  for (const Bound& bound : bounds_) {
    int c = compare(version, bound.version);
    bool ok = false;
    switch (bound.op) {
      case Op::kGreaterEqual:
        ok = c >= 0;
        break;
      case Op::kGreater:
        ok = c > 0;
        break;
      case Op::kLess:
        ok = c < 0;
        break;
      case Op::kLessEqual:
        ok = c <= 0;
        break;
      case Op::kEqual:
        ok = c == 0;
        break;
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace berth::wit
