// Decodes the 55 components of jco's fixtures (built by wit-component, componentize-js and
// others) and checks their top-level imports and exports against jco-fixtures/INDEX.tsv.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "component/binary/decoder.h"
#include "test_support.h"

namespace berth::component::binary {
namespace {

struct IndexRow {
  std::string path;
  size_t bytes = 0;
  std::string kind;
  bool async = false;
  std::vector<std::string> imports;  // INDEX.tsv writes function imports as `name()`
  std::vector<std::string> exports;
};

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

std::vector<IndexRow> read_index() {
  std::vector<IndexRow> rows;
  std::istringstream in(testing::read_text(testing::corpora_dir() / "jco-fixtures" / "INDEX.tsv"));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    size_t start = 0;
    while (true) {
      size_t tab = line.find('\t', start);
      fields.push_back(
          line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    fields.resize(8);
    IndexRow row;
    row.path = fields[0];
    row.bytes = std::stoul(fields[1]);
    row.kind = fields[2];
    row.async = fields[3] == "yes";
    for (const std::string& f : {fields[4], fields[5]}) {
      for (std::string& word : split_words(f)) row.imports.push_back(std::move(word));
    }
    row.exports = split_words(fields[6]);
    rows.push_back(std::move(row));
  }
  return rows;
}

// INDEX.tsv lists a world's imports and exports as WIT shows them, with `()` after functions
// (and, by its heuristic, after some interfaces too, so the suffix is not compared). WIT shows a
// world's own resources apart, so their types and `[constructor]`/`[method]`/`[static]`
// functions are not listed; the test allows those as extra names.
std::string strip_call(std::string name) {
  if (name.size() > 2 && name.compare(name.size() - 2, 2, "()") == 0) name.resize(name.size() - 2);
  return name;
}

bool is_resource_item(const ExternName& name, ExternKind kind) {
  return kind == ExternKind::kType || (!name.name.empty() && name.name[0] == '[');
}

void expect_names(const std::vector<std::pair<const ExternName*, ExternKind>>& actual,
                  const std::vector<std::string>& listed, const char* what) {
  std::multiset<std::string> expected;
  for (const std::string& name : listed) expected.insert(strip_call(name));
  std::multiset<std::string> found;
  for (const auto& [name, kind] : actual) {
    if (expected.count(name->name) || !is_resource_item(*name, kind)) found.insert(name->name);
  }
  EXPECT_EQ(found, expected) << what;
}

// An export's kind comes from its ascribed type or, failing that, from the sort exported.
ExternKind export_kind(const Export& e) {
  if (e.ascribed_type) return e.ascribed_type->kind;
  switch (e.target.sort) {
    case Sort::kFunc:
      return ExternKind::kFunc;
    case Sort::kInstance:
      return ExternKind::kInstance;
    case Sort::kComponent:
      return ExternKind::kComponent;
    case Sort::kType:
      return ExternKind::kType;
    case Sort::kValue:
      return ExternKind::kValue;
    default:
      return ExternKind::kCoreModule;
  }
}

void check_core_modules(const Component& component, std::span<const uint8_t> input,
                        const std::string& path, int& modules) {
  for (const Definition& definition : component.definitions) {
    if (const auto* module = std::get_if<CoreModule>(&definition)) {
      std::span<const uint8_t> bytes = bytes_of(input, module->bytes);
      ASSERT_GE(bytes.size(), 8u) << path;
      EXPECT_EQ(bytes[0], 0x00) << path;
      EXPECT_EQ(bytes[4], 0x01) << path << ": a core module's version";
      ++modules;
    } else if (const auto* nested = std::get_if<Box<Component>>(&definition)) {
      check_core_modules(**nested, input, path, modules);
    }
  }
}

TEST(JcoFixtures, AllDecodeWithTheIndexedImportsAndExports) {
  std::vector<IndexRow> rows = read_index();
  ASSERT_EQ(rows.size(), 55u);
  int decoded = 0;
  for (const IndexRow& row : rows) {
    SCOPED_TRACE(row.path);
    std::vector<uint8_t> bytes =
        testing::read_file(testing::corpora_dir() / "jco-fixtures" / row.path);
    ASSERT_EQ(bytes.size(), row.bytes);
    Result<DecodedBinary> result = decode(bytes);
    ASSERT_TRUE(result.ok()) << result.error().message();
    ASSERT_EQ(result->kind, BinaryKind::kComponent);
    const Component& component = result->component;
    EXPECT_EQ(component.bytes.size, bytes.size());

    std::vector<std::pair<const ExternName*, ExternKind>> imports;
    for (const Import* import : component.imports()) {
      imports.emplace_back(&import->name, import->type.kind);
    }
    std::vector<std::pair<const ExternName*, ExternKind>> exports;
    for (const Export* e : component.exports()) exports.emplace_back(&e->name, export_kind(*e));
    expect_names(imports, row.imports, "imports");
    expect_names(exports, row.exports, "exports");
    // INDEX.tsv's p3_async flags async canon built-ins, options and stream/future types only,
    // not `func async` types, so it implies the async feature but not the other way round.
    if (row.async) {
      EXPECT_TRUE(component.features.has(Feature::kAsync));
    }

    int modules = 0;
    check_core_modules(component, bytes, row.path, modules);
    EXPECT_GT(modules, 0);
    ++decoded;
  }
  std::printf("jco-fixtures: %d of %zu components decoded\n", decoded, rows.size());
}

}  // namespace
}  // namespace berth::component::binary
