// Reading TOML files with messages that name the file (with line and column), the table, the
// key and what was expected: the manifests (manifest.cc) and signature files (trust/) use it.
#pragma once

#include <fmt/format.h>

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "berth/bundle/manifest.h"
#include "berth/result.h"
#include "berth/wit/semver.h"
#include "berth/wit/version_range.h"

namespace berth::bundle {

namespace fs = std::filesystem;

// "file:line:column" for a node, "file" when the node has no position.
inline std::string where(const fs::path& file, const toml::source_region& source) {
  if (source.begin.line == 0) return file.string();
  return fmt::format("{}:{}:{}", file.string(), source.begin.line, source.begin.column);
}

inline const char* type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date or time";
    default:
      return "nothing";
  }
}

// Reads one table, checking that it holds only known keys.
class TableReader {
 public:
  TableReader(const fs::path& file, std::string item, const toml::table& table)
      : file_(file), item_(std::move(item)), table_(table) {}

  // The first unknown key, as an error.
  Result<void> check_keys(std::initializer_list<std::string_view> known) const {
    for (auto&& [key, node] : table_) {
      bool ok = false;
      for (std::string_view k : known) ok = ok || key.str() == k;
      if (!ok) {
        std::string list;
        for (std::string_view k : known) list += fmt::format("{}'{}'", list.empty() ? "" : ", ", k);
        return Error(ErrorCode::kInvalid,
                     fmt::format("{}: unknown key '{}' in {} (expected one of: {})",
                                 where(file_, key.source()), key.str(), item_, list));
      }
    }
    return {};
  }

  const toml::node* get(std::string_view key) const { return table_.get(key); }

  Result<std::optional<std::string>> string(std::string_view key, std::string_view what) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::optional<std::string>();
    if (!node->is_string()) return mistyped(key, *node, fmt::format("a string ({})", what));
    const std::string& value = node->as_string()->get();
    if (value.empty()) {
      return Error(ErrorCode::kInvalid,
                   fmt::format("{}: {} '{}' is empty; expected {}", where(file_, node->source()),
                               item_, key, what));
    }
    return std::optional<std::string>(value);
  }

  Result<std::string> required_string(std::string_view key, std::string_view what) const {
    BERTH_TRY_ASSIGN(std::optional<std::string> value, string(key, what));
    if (!value) {
      return Error(
          ErrorCode::kInvalid,
          fmt::format("{}: {} lacks '{}' ({})", where(file_, table_.source()), item_, key, what));
    }
    return *value;
  }

  Result<std::vector<std::string>> strings(std::string_view key, std::string_view what) const {
    std::vector<std::string> out;
    const toml::node* node = table_.get(key);
    if (node == nullptr) return out;
    const toml::array* array = node->as_array();
    if (array == nullptr)
      return mistyped(key, *node, fmt::format("an array of strings ({})", what));
    for (const toml::node& element : *array) {
      if (!element.is_string() || element.as_string()->get().empty()) {
        return Error(ErrorCode::kInvalid,
                     fmt::format("{}: {} '{}': expected an array of non-empty strings ({}), "
                                 "found an element that is {}",
                                 where(file_, element.source()), item_, key, what,
                                 element.is_string() ? "empty" : type_name(element)));
      }
      out.push_back(element.as_string()->get());
    }
    return out;
  }

  // A configuration table: text, numbers and booleans, all passed on as text.
  Result<ConfigEntries> config(std::string_view key, const std::string& config_item) const {
    ConfigEntries out;
    const toml::node* node = table_.get(key);
    if (node == nullptr) return out;
    const toml::table* table = node->as_table();
    if (table == nullptr) return mistyped(key, *node, "a table of configuration values");
    for (auto&& [k, value] : *table) {
      std::string text;
      if (const auto* s = value.as_string()) {
        text = s->get();
      } else if (const auto* i = value.as_integer()) {
        text = std::to_string(i->get());
      } else if (const auto* b = value.as_boolean()) {
        text = b->get() ? "true" : "false";
      } else if (const auto* f = value.as_floating_point()) {
        text = fmt::format("{}", f->get());
      } else {
        return Error(
            ErrorCode::kInvalid,
            fmt::format("{}: {} '{}': expected a string, number or boolean, found {}",
                        where(file_, value.source()), config_item, k.str(), type_name(value)));
      }
      set_config(out, std::string(k.str()), std::move(text));
    }
    return out;
  }

  // An optional semantic version.
  Result<std::optional<std::string>> version(std::string_view key, std::string_view what) const {
    BERTH_TRY_ASSIGN(std::optional<std::string> value, string(key, what));
    if (value) {
      auto parsed = wit::Version::parse(*value);
      if (!parsed) {
        return Error(ErrorCode::kInvalid,
                     fmt::format("{}: {} '{}': expected {} (a semantic version such as 0.1.0), "
                                 "found \"{}\": {}",
                                 where(file_, table_.get(key)->source()), item_, key, what, *value,
                                 parsed.error().message()));
      }
    }
    return value;
  }

  // An optional version requirement ("^1.2", ">=1.2, <2", "=1.4.1", "~1.4").
  Result<std::optional<std::string>> version_range(std::string_view key) const {
    BERTH_TRY_ASSIGN(std::optional<std::string> value, string(key, "a version requirement"));
    if (value) {
      auto parsed = wit::VersionRange::parse(*value);
      if (!parsed) {
        return Error(ErrorCode::kInvalid,
                     fmt::format("{}: {} '{}': expected a version requirement such as \"^1.2\", "
                                 "\">=1.2, <2\", \"=1.4.1\" or \"~1.4\", found \"{}\": {}",
                                 where(file_, table_.get(key)->source()), item_, key, *value,
                                 parsed.error().message()));
      }
    }
    return value;
  }

  Error mistyped(std::string_view key, const toml::node& node, std::string_view expected) const {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: {} '{}': expected {}, found {}", where(file_, node.source()),
                             item_, key, expected, type_name(node)));
  }

  // An optional boolean.
  Result<std::optional<bool>> boolean(std::string_view key) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::optional<bool>();
    if (!node->is_boolean()) return mistyped(key, *node, "true or false");
    return std::optional<bool>(node->as_boolean()->get());
  }

  // A required integer in [min, max].
  Result<int64_t> integer(std::string_view key, std::string_view what, int64_t min,
                          int64_t max) const {
    const toml::node* node = table_.get(key);
    if (node == nullptr) {
      return Error(
          ErrorCode::kInvalid,
          fmt::format("{}: {} lacks '{}' ({})", where(file_, table_.source()), item_, key, what));
    }
    const auto* value = node->as_integer();
    if (value == nullptr) return mistyped(key, *node, fmt::format("an integer ({})", what));
    if (value->get() < min || value->get() > max) {
      return Error(
          ErrorCode::kInvalid,
          fmt::format("{}: {} '{}': expected {} from {} to {}, found {}",
                      where(file_, node->source()), item_, key, what, min, max, value->get()));
    }
    return value->get();
  }

  const fs::path& file() const { return file_; }

 private:
  const fs::path& file_;
  std::string item_;
  const toml::table& table_;
};

inline Result<toml::table> parse_toml(std::string_view text, const fs::path& file) {
  try {
    return toml::parse(text, file.string());
  } catch (const toml::parse_error& e) {
    return Error(ErrorCode::kMalformed,
                 fmt::format("{}: invalid TOML: {}", where(file, e.source()), e.description()));
  }
}

inline fs::path anchored(const fs::path& file, const std::string& path) {
  fs::path p(path);
  if (p.is_absolute()) return p;
  return (file.parent_path() / p).lexically_normal();
}

}  // namespace berth::bundle
