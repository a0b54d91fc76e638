// Runs a WASI command with the key-value store compiled in: keyvalue:store@0.1.0 implemented in
// C++ on SQLite through the header that `berth bindgen` generates from bundles/keyvalue's WIT,
// where `berth run --host-bundle bundles/keyvalue` would load the bundle (docs/embedding.md).
//
//   static-keyvalue [--store FILE] [--dir HOST[::GUEST]]... APP.wasm [ARGS...]
//
// Without --store the store lives in memory for one run, as the bundle's does without `path`.
#include <berth/component/component.h>
#include <berth/engine/engine.h>
#include <berth/host/linker.h>
#include <berth/wasi/wasi.h>
#include <sqlite3.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "keyvalue_host.hpp"  // generated: berth bindgen bundles/keyvalue/wit --world store-host

namespace {

namespace kv = keyvalue::store::store;
using berth::component::Expected;

// The store on one SQLite connection. One program runs one guest here, so no lock is needed;
// a host serving instances on several threads would guard the connection.
class SqliteStore final : public kv::Host {
 public:
  static berth::Result<std::shared_ptr<SqliteStore>> open(const std::string& path) {
    auto store = std::shared_ptr<SqliteStore>(new SqliteStore());
    const char* file = path.empty() ? ":memory:" : path.c_str();
    if (sqlite3_open(file, &store->db_) != SQLITE_OK ||
        sqlite3_exec(store->db_,
                     "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                     nullptr, nullptr, nullptr) != SQLITE_OK) {
      return berth::Error(berth::ErrorCode::kIo,
                          std::string("cannot open the store ") + file + ": " + store->error());
    }
    sqlite3_busy_timeout(store->db_, 1000);
    return store;
  }
  ~SqliteStore() override { sqlite3_close(db_); }

  Expected<std::optional<std::string>, std::string> get(std::string_view key) override {
    Statement s(db_, "SELECT value FROM kv WHERE key = ?1", {key});
    int rc = s.step();
    if (rc == SQLITE_ROW) return Expected<std::optional<std::string>, std::string>::ok(s.text(0));
    if (rc == SQLITE_DONE) return Expected<std::optional<std::string>, std::string>::ok({});
    return Expected<std::optional<std::string>, std::string>::err(error());
  }
  Expected<void, std::string> set(std::string_view key, std::string_view value) override {
    return run("INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)", {key, value});
  }
  Expected<void, std::string> delete_(std::string_view key) override {
    return run("DELETE FROM kv WHERE key = ?1", {key});
  }
  Expected<bool, std::string> exists(std::string_view key) override {
    Statement s(db_, "SELECT 1 FROM kv WHERE key = ?1", {key});
    int rc = s.step();
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
      return Expected<bool, std::string>::ok(rc == SQLITE_ROW);
    }
    return Expected<bool, std::string>::err(error());
  }
  Expected<std::vector<std::string>, std::string> list_keys() override {
    Statement s(db_, "SELECT key FROM kv ORDER BY key", {});
    std::vector<std::string> keys;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) keys.push_back(s.text(0));
    if (rc != SQLITE_DONE) return Expected<std::vector<std::string>, std::string>::err(error());
    return Expected<std::vector<std::string>, std::string>::ok(std::move(keys));
  }

 private:
  // A statement with its text parameters bound, finalised when it goes out of scope.
  class Statement {
   public:
    Statement(sqlite3* db, const char* sql, std::vector<std::string_view> params) {
      sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
      for (size_t i = 0; i < params.size(); ++i) {
        sqlite3_bind_text64(stmt_, static_cast<int>(i + 1), params[i].data(), params[i].size(),
                            SQLITE_STATIC, SQLITE_UTF8);
      }
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    int step() { return stmt_ ? sqlite3_step(stmt_) : SQLITE_ERROR; }
    std::string text(int column) {
      auto* data = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
      return std::string(data ? data : "", sqlite3_column_bytes(stmt_, column));
    }

   private:
    sqlite3_stmt* stmt_ = nullptr;
  };

  SqliteStore() = default;
  std::string error() const { return sqlite3_errmsg(db_); }
  Expected<void, std::string> run(const char* sql, std::vector<std::string_view> params) {
    Statement s(db_, sql, std::move(params));
    if (s.step() != SQLITE_DONE) return Expected<void, std::string>::err(error());
    return Expected<void, std::string>::ok();
  }

  sqlite3* db_ = nullptr;
};

int fail(const std::string& message) {
  std::fprintf(stderr, "static-keyvalue: %s\n", message.c_str());
  return 125;
}

}  // namespace

int main(int argc, char** argv) {
  berth::wasi::WasiConfig wasi;
  std::string store_path;
  int i = 1;
  for (; i + 1 < argc; i += 2) {
    std::string_view option = argv[i];
    std::string value = argv[i + 1];
    if (option == "--store") {
      store_path = value;
    } else if (option == "--dir") {
      size_t sep = value.find("::");
      std::string guest = sep == std::string::npos ? value : value.substr(sep + 2);
      wasi.preopens.push_back({.host = value.substr(0, sep), .guest = guest});
    } else {
      break;
    }
  }
  if (i >= argc) {
    std::fprintf(stderr,
                 "usage: static-keyvalue [--store FILE] [--dir HOST[::GUEST]]... APP.wasm "
                 "[ARGS...]\n");
    return 2;
  }
  std::string file = argv[i];
  wasi.args.assign(argv + i, argv + argc);
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(file + ": cannot open the file");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());

  auto engine = berth::engine::create_engine();
  if (!engine) return fail(engine.error().describe());
  auto component = berth::component::load_component(**engine, std::move(bytes), file);
  if (!component) return fail(component.error().describe());
  auto store = SqliteStore::open(store_path);
  if (!store) return fail(store.error().describe());

  berth::host::Linker linker;
  auto wasi_provider = berth::wasi::make_provider(std::move(wasi));
  if (!wasi_provider) return fail(wasi_provider.error().describe());
  linker.add(*wasi_provider);
  auto added = keyvalue::store::store_host::add_to_linker(linker, {.store = *store});
  if (!added) return fail(added.error().describe());

  auto wasm_store = (*engine)->create_store();
  if (!wasm_store) return fail(wasm_store.error().describe());
  auto linked = linker.instantiate(**wasm_store, *component);
  if (!linked) return fail(linked.error().describe());
  berth::component::ComponentInstance& instance = (*linked)->component();
  for (const auto& func : instance.functions()) {
    if (func.name.starts_with("wasi:cli/run@0.2.") && func.name.ends_with("#run")) {
      auto result = instance.call(func, {});
      if (!result && result.error().code() == berth::ErrorCode::kExit) {
        return result.error().exit_status();
      }
      if (!result) return fail(result.error().describe());
      return *result && (*result)->discriminant == 0 ? 0 : 1;
    }
  }
  return fail(file + " does not export wasi:cli/run@0.2");
}
