/* keyvalue:store@0.1.0 on SQLite: one connection per component instance, to the database file
 * named by the `path` configuration entry, or to a private in-memory database without one. */
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keyvalue_bindings.h"

typedef struct keyvalue {
  sqlite3* db;
  sqlite3_stmt* get;
  sqlite3_stmt* set;
  sqlite3_stmt* del;
  sqlite3_stmt* list;
} keyvalue;

static void finalize_all(keyvalue* kv) {
  sqlite3_finalize(kv->get);
  sqlite3_finalize(kv->set);
  sqlite3_finalize(kv->del);
  sqlite3_finalize(kv->list);
  sqlite3_close(kv->db);
  free(kv);
}

/* Reports a creation failure with a formatted message. */
static berth_status fail(berth_call* call, keyvalue* kv, const char* format, const char* a,
                         const char* b) {
  char message[1024];
  snprintf(message, sizeof message, format, a, b);
  if (kv) finalize_all(kv);
  return call->host->trap(call, message);
}

berth_status keyvalue_create(berth_call* call, const berth_config_entry* config, size_t count,
                             void** self) {
  const char* path = "";
  long timeout = 1000;
  for (size_t i = 0; i < count; ++i) {
    if (strcmp(config[i].key, "path") == 0) {
      path = config[i].value;
    } else if (strcmp(config[i].key, "busy-timeout-ms") == 0) {
      char* end = NULL;
      errno = 0;
      timeout = strtol(config[i].value, &end, 10);
      if (config[i].value[0] == '\0' || *end != '\0' || errno != 0 || timeout < 0 ||
          timeout > INT_MAX) {
        return fail(call, NULL,
                    "configuration '%s': expected a non-negative integer (milliseconds), found "
                    "\"%s\"",
                    config[i].key, config[i].value);
      }
    }
  }
  keyvalue* kv = calloc(1, sizeof *kv);
  if (kv == NULL) return call->host->trap(call, "out of memory");
  const char* file = path[0] ? path : ":memory:";
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(file, &kv->db, flags, NULL) != SQLITE_OK) {
    return fail(call, kv, "configuration 'path': cannot open the database \"%s\": %s", file,
                kv->db ? sqlite3_errmsg(kv->db) : "out of memory");
  }
  sqlite3_busy_timeout(kv->db, (int)timeout);
  char* error = NULL;
  if (sqlite3_exec(kv->db,
                   "CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                   NULL, NULL, &error) != SQLITE_OK) {
    char message[512];
    snprintf(message, sizeof message, "%s", error ? error : "unknown error");
    sqlite3_free(error);
    return fail(call, kv, "configuration 'path': \"%s\" is not a usable key-value database: %s",
                file, message);
  }
  if (sqlite3_prepare_v2(kv->db, "SELECT value FROM kv WHERE key = ?1", -1, &kv->get, NULL) ||
      sqlite3_prepare_v2(kv->db, "INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)", -1,
                         &kv->set, NULL) ||
      sqlite3_prepare_v2(kv->db, "DELETE FROM kv WHERE key = ?1", -1, &kv->del, NULL) ||
      sqlite3_prepare_v2(kv->db, "SELECT key FROM kv ORDER BY key", -1, &kv->list, NULL)) {
    return fail(call, kv, "cannot prepare statements on \"%s\": %s", file, sqlite3_errmsg(kv->db));
  }
  *self = kv;
  return BERTH_OK;
}

void keyvalue_destroy(void* self) {
  if (self) finalize_all((keyvalue*)self);
}

/* The database's last error as a berth_str in the call's arena. */
static berth_str db_error(berth_call* call, keyvalue* kv) {
  return berth_str_from_cstr(call, sqlite3_errmsg(kv->db));
}

static int bind_text(sqlite3_stmt* stmt, int index, berth_str text) {
  return sqlite3_bind_text64(stmt, index, text.len ? text.ptr : "", text.len, SQLITE_STATIC,
                             SQLITE_UTF8);
}

/* Runs a statement that returns no rows; fills a result<_, string>. */
static void run(berth_call* call, keyvalue* kv, sqlite3_stmt* stmt,
                keyvalue_result_void_string* result) {
  if (sqlite3_step(stmt) != SQLITE_DONE) {
    result->is_err = 1;
    result->val.err = db_error(call, kv);
  }
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

berth_status keyvalue_store_get(berth_call* call, void* self,
                                const keyvalue_store_get_params* params,
                                keyvalue_store_get_result* result) {
  keyvalue* kv = self;
  bind_text(kv->get, 1, params->key);
  int rc = sqlite3_step(kv->get);
  if (rc == SQLITE_ROW) {
    const char* text = (const char*)sqlite3_column_text(kv->get, 0);
    int len = sqlite3_column_bytes(kv->get, 0);
    result->val.ok.is_some = 1;
    result->val.ok.val = berth_str_copy(call, text, (size_t)len);
  } else if (rc != SQLITE_DONE) {
    result->is_err = 1;
    result->val.err = db_error(call, kv);
  }
  sqlite3_reset(kv->get);
  sqlite3_clear_bindings(kv->get);
  return BERTH_OK;
}

berth_status keyvalue_store_set(berth_call* call, void* self,
                                const keyvalue_store_set_params* params,
                                keyvalue_store_set_result* result) {
  keyvalue* kv = self;
  bind_text(kv->set, 1, params->key);
  bind_text(kv->set, 2, params->value);
  run(call, kv, kv->set, result);
  return BERTH_OK;
}

berth_status keyvalue_store_delete(berth_call* call, void* self,
                                   const keyvalue_store_delete_params* params,
                                   keyvalue_store_delete_result* result) {
  keyvalue* kv = self;
  bind_text(kv->del, 1, params->key);
  run(call, kv, kv->del, result);
  return BERTH_OK;
}

berth_status keyvalue_store_exists(berth_call* call, void* self,
                                   const keyvalue_store_exists_params* params,
                                   keyvalue_store_exists_result* result) {
  keyvalue* kv = self;
  bind_text(kv->get, 1, params->key);
  int rc = sqlite3_step(kv->get);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
    result->val.ok = rc == SQLITE_ROW;
  } else {
    result->is_err = 1;
    result->val.err = db_error(call, kv);
  }
  sqlite3_reset(kv->get);
  sqlite3_clear_bindings(kv->get);
  return BERTH_OK;
}

berth_status keyvalue_store_list_keys(berth_call* call, void* self,
                                      keyvalue_store_list_keys_result* result) {
  keyvalue* kv = self;
  size_t count = 0, capacity = 16;
  berth_str* keys = call->host->alloc(call, capacity * sizeof *keys, _Alignof(berth_str));
  int rc;
  while (keys != NULL && (rc = sqlite3_step(kv->list)) == SQLITE_ROW) {
    if (count == capacity) {
      /* Grow within the arena; the old array is freed with the arena. */
      berth_str* bigger = call->host->alloc(call, 2 * capacity * sizeof *keys, _Alignof(berth_str));
      if (bigger == NULL) break;
      memcpy(bigger, keys, count * sizeof *keys);
      keys = bigger;
      capacity *= 2;
    }
    keys[count++] = berth_str_copy(call, (const char*)sqlite3_column_text(kv->list, 0),
                                   (size_t)sqlite3_column_bytes(kv->list, 0));
  }
  if (keys == NULL || (rc != SQLITE_DONE && rc != SQLITE_ROW)) {
    result->is_err = 1;
    result->val.err = keys ? db_error(call, kv) : berth_str_from_cstr(call, "out of memory");
  } else {
    result->val.ok.ptr = keys;
    result->val.ok.len = count;
  }
  sqlite3_reset(kv->list);
  return BERTH_OK;
}
