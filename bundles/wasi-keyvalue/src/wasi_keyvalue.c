/* wasi:keyvalue@0.2.0-draft (store, atomics, batch) on SQLite.
 *
 * One connection per component instance, to the database file named by the `path`
 * configuration entry, or to a private in-memory database without one. Every bucket lives in
 * the one table `wasi_keyvalue (bucket, key, value)`: a bucket identifier is a column value, so
 * opening a bucket creates nothing and an empty bucket is indistinguishable from a new one.
 *
 * Configuration (all optional):
 *   path             the SQLite database file; empty: in memory
 *   buckets          a comma-separated list of the identifiers `open` accepts; empty: any
 *   page-size        how many keys one `list-keys` call returns at most (1..1000000)
 *   busy-timeout-ms  how long to wait for another process holding the database's lock
 *
 * `atomics.increment` keeps counters as the decimal text of a u64 ("42"), so a counter reads
 * back with `get` as readable bytes. Database failures are `error::other` values; only a fault
 * of the runtime contract (an arena that is full) traps. */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi-keyvalue_bindings.h"

#define DEFAULT_PAGE_SIZE 1000
#define MAX_PAGE_SIZE 1000000
#define DEFAULT_BUSY_TIMEOUT_MS 5000

typedef struct kv_instance {
  sqlite3* db;
  char* buckets; /* the accepted identifiers, each NUL-terminated, back to back; NULL: any */
  size_t bucket_count;
  int64_t page_size;
  sqlite3_stmt* get;
  sqlite3_stmt* set;
  sqlite3_stmt* del;
  sqlite3_stmt* list;
} kv_instance;

typedef struct kv_bucket {
  kv_instance* kv;
  size_t name_len;
  char name[]; /* the identifier, not NUL-terminated (it may contain NUL) */
} kv_bucket;

/* ------------------------------------------------------------------------------------------ */
/* Instances                                                                                  */

static void free_instance(kv_instance* kv) {
  if (kv == NULL) return;
  sqlite3_finalize(kv->get);
  sqlite3_finalize(kv->set);
  sqlite3_finalize(kv->del);
  sqlite3_finalize(kv->list);
  sqlite3_close(kv->db);
  free(kv->buckets);
  free(kv);
}

static berth_status create_failed(berth_call* call, kv_instance* kv, const char* message) {
  free_instance(kv);
  return call->host->trap(call, message);
}

/* Parses a decimal integer in [min, max]; 0 when `text` is not one. */
static int parse_integer(const char* text, long long min, long long max, long long* out) {
  if (text[0] < '0' || text[0] > '9') return 0;
  char* end = NULL;
  errno = 0;
  long long value = strtoll(text, &end, 10);
  if (*end != '\0' || errno != 0 || value < min || value > max) return 0;
  *out = value;
  return 1;
}

/* Splits "a, b,c" into NUL-terminated trimmed names; an empty name is an error. */
static int parse_buckets(const char* text, char** names, size_t* count) {
  size_t len = strlen(text);
  char* out = malloc(len + 1);
  if (out == NULL) return -1;
  size_t n = 0, used = 0;
  const char* p = text;
  for (;;) {
    const char* comma = strchr(p, ',');
    const char* end = comma ? comma : p + strlen(p);
    const char* start = p;
    while (start < end && (*start == ' ' || *start == '\t')) ++start;
    const char* stop = end;
    while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t')) --stop;
    if (stop == start) {
      free(out);
      return 0;
    }
    memcpy(out + used, start, (size_t)(stop - start));
    used += (size_t)(stop - start);
    out[used++] = '\0';
    ++n;
    if (comma == NULL) break;
    p = comma + 1;
  }
  *names = out;
  *count = n;
  return 1;
}

berth_status wasi_keyvalue_create(berth_call* call, const berth_config_entry* config,
                                  size_t config_count, void** instance) {
  char message[1024];
  const char* path = "";
  const char* buckets = "";
  long long page_size = DEFAULT_PAGE_SIZE;
  long long timeout = DEFAULT_BUSY_TIMEOUT_MS;
  for (size_t i = 0; i < config_count; ++i) {
    const char* key = config[i].key;
    const char* value = config[i].value;
    if (strcmp(key, "path") == 0) {
      path = value;
    } else if (strcmp(key, "buckets") == 0) {
      buckets = value;
    } else if (strcmp(key, "page-size") == 0) {
      if (!parse_integer(value, 1, MAX_PAGE_SIZE, &page_size)) {
        snprintf(message, sizeof message,
                 "configuration 'page-size': expected an integer from 1 to %d, found \"%s\"",
                 MAX_PAGE_SIZE, value);
        return call->host->trap(call, message);
      }
    } else if (strcmp(key, "busy-timeout-ms") == 0) {
      if (!parse_integer(value, 0, INT_MAX, &timeout)) {
        snprintf(message, sizeof message,
                 "configuration 'busy-timeout-ms': expected a non-negative integer "
                 "(milliseconds), found \"%s\"",
                 value);
        return call->host->trap(call, message);
      }
    } else {
      snprintf(message, sizeof message,
               "configuration '%s': unknown key (wasi-keyvalue accepts path, buckets, "
               "page-size, busy-timeout-ms)",
               key);
      return call->host->trap(call, message);
    }
  }

  kv_instance* kv = calloc(1, sizeof *kv);
  if (kv == NULL) return call->host->trap(call, "out of memory");
  kv->page_size = page_size;
  if (buckets[0] != '\0') {
    int parsed = parse_buckets(buckets, &kv->buckets, &kv->bucket_count);
    if (parsed < 0) return create_failed(call, kv, "out of memory");
    if (parsed == 0) {
      snprintf(message, sizeof message,
               "configuration 'buckets': expected a comma-separated list of bucket identifiers, "
               "found an empty identifier in \"%s\"",
               buckets);
      return create_failed(call, kv, message);
    }
  }

  const char* file = path[0] ? path : ":memory:";
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(file, &kv->db, flags, NULL) != SQLITE_OK) {
    snprintf(message, sizeof message, "configuration 'path': cannot open the database \"%s\": %s",
             file, kv->db ? sqlite3_errmsg(kv->db) : "out of memory");
    return create_failed(call, kv, message);
  }
  sqlite3_busy_timeout(kv->db, (int)timeout);
  char* error = NULL;
  if (sqlite3_exec(kv->db,
                   "CREATE TABLE IF NOT EXISTS wasi_keyvalue (bucket TEXT NOT NULL, key TEXT NOT "
                   "NULL, value BLOB NOT NULL, PRIMARY KEY (bucket, key))",
                   NULL, NULL, &error) != SQLITE_OK) {
    snprintf(message, sizeof message,
             "configuration 'path': \"%s\" is not a usable key-value database: %s", file,
             error ? error : sqlite3_errmsg(kv->db));
    sqlite3_free(error);
    return create_failed(call, kv, message);
  }
  static const char* const sql[4] = {
      "SELECT value FROM wasi_keyvalue WHERE bucket = ?1 AND key = ?2",
      "INSERT INTO wasi_keyvalue (bucket, key, value) VALUES (?1, ?2, ?3) "
      "ON CONFLICT (bucket, key) DO UPDATE SET value = excluded.value",
      "DELETE FROM wasi_keyvalue WHERE bucket = ?1 AND key = ?2",
      "SELECT rowid, key FROM wasi_keyvalue WHERE bucket = ?1 AND rowid > ?2 "
      "ORDER BY rowid LIMIT ?3"};
  sqlite3_stmt** stmts[4] = {&kv->get, &kv->set, &kv->del, &kv->list};
  for (size_t i = 0; i < 4; ++i) {
    if (sqlite3_prepare_v3(kv->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, stmts[i], NULL) !=
        SQLITE_OK) {
      snprintf(message, sizeof message, "configuration 'path': cannot use the database \"%s\": %s",
               file, sqlite3_errmsg(kv->db));
      return create_failed(call, kv, message);
    }
  }
  *instance = kv;
  return BERTH_OK;
}

void wasi_keyvalue_destroy(void* instance) {
  free_instance(instance);
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

/* error::other(message) */
static store_error other_error(berth_call* call, const char* message) {
  store_error error;
  memset(&error, 0, sizeof error);
  error.tag = STORE_ERROR_OTHER;
  error.val.other = berth_str_from_cstr(call, message);
  return error;
}

/* error::other with the database's last error, prefixed by what was being done. */
static store_error db_error(berth_call* call, kv_instance* kv, const char* doing) {
  char message[1024];
  snprintf(message, sizeof message, "%s: %s", doing, sqlite3_errmsg(kv->db));
  return other_error(call, message);
}

static void bind_bucket(sqlite3_stmt* stmt, const kv_bucket* bucket) {
  sqlite3_bind_text64(stmt, 1, bucket->name_len ? bucket->name : "", bucket->name_len,
                      SQLITE_STATIC, SQLITE_UTF8);
}

static void bind_str(sqlite3_stmt* stmt, int index, berth_str text) {
  sqlite3_bind_text64(stmt, index, text.len ? text.ptr : "", text.len, SQLITE_STATIC, SQLITE_UTF8);
}

static void done(sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
}

/* Reads the value of `key` into the arena: 1 found, 0 absent, -1 a database error (with
 * *error set), -2 the arena is full. */
static int read_value(berth_call* call, const kv_bucket* bucket, berth_str key, berth_list* value,
                      store_error* error) {
  kv_instance* kv = bucket->kv;
  bind_bucket(kv->get, bucket);
  bind_str(kv->get, 2, key);
  int rc = sqlite3_step(kv->get);
  int found = 0;
  if (rc == SQLITE_ROW) {
    const void* data = sqlite3_column_blob(kv->get, 0);
    size_t len = (size_t)sqlite3_column_bytes(kv->get, 0);
    void* copy = call->host->alloc(call, len ? len : 1, 1);
    if (copy == NULL) {
      found = -2;
    } else {
      if (len) memcpy(copy, data, len);
      value->ptr = copy;
      value->len = len;
      found = 1;
    }
  } else if (rc != SQLITE_DONE) {
    *error = db_error(call, kv, "get");
    found = -1;
  }
  done(kv->get);
  return found;
}

/* Stores `value` under `key`; 0 on success, -1 with *error set. */
static int write_value(berth_call* call, const kv_bucket* bucket, berth_str key, const void* value,
                       size_t len, store_error* error) {
  kv_instance* kv = bucket->kv;
  bind_bucket(kv->set, bucket);
  bind_str(kv->set, 2, key);
  sqlite3_bind_blob64(kv->set, 3, len ? value : "", len, SQLITE_STATIC);
  int rc = sqlite3_step(kv->set);
  done(kv->set);
  if (rc != SQLITE_DONE) {
    *error = db_error(call, kv, "set");
    return -1;
  }
  return 0;
}

static int delete_value(berth_call* call, const kv_bucket* bucket, berth_str key,
                        store_error* error) {
  kv_instance* kv = bucket->kv;
  bind_bucket(kv->del, bucket);
  bind_str(kv->del, 2, key);
  int rc = sqlite3_step(kv->del);
  done(kv->del);
  if (rc != SQLITE_DONE) {
    *error = db_error(call, kv, "delete");
    return -1;
  }
  return 0;
}

/* Runs BEGIN IMMEDIATE / COMMIT / ROLLBACK; 0 on success, -1 with *error set. */
static int exec(berth_call* call, kv_instance* kv, const char* sql, store_error* error) {
  if (sqlite3_exec(kv->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
    *error = db_error(call, kv, sql);
    return -1;
  }
  return 0;
}

static void rollback(kv_instance* kv) {
  if (!sqlite3_get_autocommit(kv->db)) sqlite3_exec(kv->db, "ROLLBACK", NULL, NULL, NULL);
}

static berth_status arena_full(berth_call* call) {
  return call->host->trap(call, "wasi-keyvalue: the call's result arena is full");
}

/* ------------------------------------------------------------------------------------------ */
/* store                                                                                      */

static int bucket_allowed(const kv_instance* kv, berth_str identifier) {
  if (kv->buckets == NULL) return 1;
  const char* name = kv->buckets;
  for (size_t i = 0; i < kv->bucket_count; ++i) {
    size_t len = strlen(name);
    if (len == identifier.len && memcmp(name, identifier.ptr, len) == 0) return 1;
    name += len + 1;
  }
  return 0;
}

berth_status store_open(berth_call* call, const store_open_params* params,
                        wasi_keyvalue_result_own_bucket_error* result) {
  kv_instance* kv = call->instance;
  if (!bucket_allowed(kv, params->identifier)) {
    result->is_err = 1;
    result->val.err.tag = STORE_ERROR_NO_SUCH_STORE;
    return BERTH_OK;
  }
  kv_bucket* bucket = malloc(sizeof *bucket + params->identifier.len + 1);
  if (bucket == NULL) return call->host->trap(call, "wasi-keyvalue: out of memory");
  bucket->kv = kv;
  bucket->name_len = params->identifier.len;
  if (params->identifier.len) memcpy(bucket->name, params->identifier.ptr, params->identifier.len);
  bucket->name[params->identifier.len] = '\0';
  result->val.ok = (berth_rep)bucket;
  return BERTH_OK;
}

void store_bucket_destroy(void* instance, berth_rep rep) {
  (void)instance;
  free((kv_bucket*)rep);
}

berth_status store_bucket_get(berth_call* call, const store_bucket_get_params* params,
                              wasi_keyvalue_result_option_list_u8_error* result) {
  const kv_bucket* bucket = (const kv_bucket*)params->self;
  int found = read_value(call, bucket, params->key, &result->val.ok.val, &result->val.err);
  if (found == -2) return arena_full(call);
  if (found < 0) {
    result->is_err = 1;
  } else {
    result->val.ok.is_some = found == 1;
  }
  return BERTH_OK;
}

berth_status store_bucket_set(berth_call* call, const store_bucket_set_params* params,
                              wasi_keyvalue_result_void_error* result) {
  const kv_bucket* bucket = (const kv_bucket*)params->self;
  if (write_value(call, bucket, params->key, params->value.ptr, params->value.len,
                  &result->val.err) < 0) {
    result->is_err = 1;
  }
  return BERTH_OK;
}

berth_status store_bucket_delete(berth_call* call, const store_bucket_delete_params* params,
                                 wasi_keyvalue_result_void_error* result) {
  const kv_bucket* bucket = (const kv_bucket*)params->self;
  if (delete_value(call, bucket, params->key, &result->val.err) < 0) result->is_err = 1;
  return BERTH_OK;
}

berth_status store_bucket_exists(berth_call* call, const store_bucket_exists_params* params,
                                 wasi_keyvalue_result_bool_error* result) {
  const kv_bucket* bucket = (const kv_bucket*)params->self;
  kv_instance* kv = bucket->kv;
  bind_bucket(kv->get, bucket);
  bind_str(kv->get, 2, params->key);
  int rc = sqlite3_step(kv->get);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
    result->val.ok = rc == SQLITE_ROW;
  } else {
    result->is_err = 1;
    result->val.err = db_error(call, kv, "exists");
  }
  done(kv->get);
  return BERTH_OK;
}

/* Pages through the bucket in rowid order (an upsert keeps a key's rowid), so a cursor stays
 * valid while keys are added or removed: it is the rowid of the last key returned. */
berth_status store_bucket_list_keys(berth_call* call, const store_bucket_list_keys_params* params,
                                    wasi_keyvalue_result_key_response_error* result) {
  const kv_bucket* bucket = (const kv_bucket*)params->self;
  kv_instance* kv = bucket->kv;
  int64_t after = 0;
  if (params->cursor.is_some) {
    if (params->cursor.val > (uint64_t)INT64_MAX) return BERTH_OK; /* past the end: no keys */
    after = (int64_t)params->cursor.val;
  }
  size_t capacity = 16;
  berth_str* keys = call->host->alloc(call, capacity * sizeof *keys, _Alignof(berth_str));
  if (keys == NULL) return arena_full(call);
  size_t count = 0;
  int64_t last = 0;
  bind_bucket(kv->list, bucket);
  sqlite3_bind_int64(kv->list, 2, after);
  sqlite3_bind_int64(kv->list, 3, kv->page_size + 1);
  int rc;
  int more = 0;
  while ((rc = sqlite3_step(kv->list)) == SQLITE_ROW) {
    if ((int64_t)count == kv->page_size) {
      more = 1;
      break;
    }
    if (count == capacity) {
      berth_str* bigger = call->host->alloc(call, 2 * capacity * sizeof *keys, _Alignof(berth_str));
      if (bigger == NULL) {
        done(kv->list);
        return arena_full(call);
      }
      memcpy(bigger, keys, count * sizeof *keys);
      keys = bigger;
      capacity *= 2;
    }
    last = sqlite3_column_int64(kv->list, 0);
    size_t len = (size_t)sqlite3_column_bytes(kv->list, 1);
    keys[count] = berth_str_copy(call, (const char*)sqlite3_column_text(kv->list, 1), len);
    if (keys[count].ptr == NULL) {
      done(kv->list);
      return arena_full(call);
    }
    ++count;
  }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    result->is_err = 1;
    result->val.err = db_error(call, kv, "list-keys");
  } else {
    result->val.ok.keys.ptr = keys;
    result->val.ok.keys.len = count;
    if (more) {
      result->val.ok.cursor.is_some = 1;
      result->val.ok.cursor.val = (uint64_t)last;
    }
  }
  done(kv->list);
  return BERTH_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* atomics                                                                                    */

/* Parses the decimal text of a u64; 0 when `bytes` is not one. */
static int parse_counter(const uint8_t* bytes, size_t len, uint64_t* out) {
  if (len == 0 || len > 20) return 0;
  uint64_t value = 0;
  for (size_t i = 0; i < len; ++i) {
    if (bytes[i] < '0' || bytes[i] > '9') return 0;
    uint64_t digit = (uint64_t)(bytes[i] - '0');
    if (value > (UINT64_MAX - digit) / 10) return 0;
    value = value * 10 + digit;
  }
  *out = value;
  return 1;
}

static void key_error(berth_call* call, store_error* error, const char* format, berth_str key) {
  char message[512];
  int shown = key.len > 200 ? 200 : (int)key.len;
  snprintf(message, sizeof message, format, shown, key.ptr ? key.ptr : "");
  *error = other_error(call, message);
}

berth_status atomics_increment(berth_call* call, const atomics_increment_params* params,
                               wasi_keyvalue_result_u64_error* result) {
  const kv_bucket* bucket = (const kv_bucket*)params->bucket;
  kv_instance* kv = bucket->kv;
  store_error* error = &result->val.err;
  if (exec(call, kv, "BEGIN IMMEDIATE", error) < 0) {
    result->is_err = 1;
    return BERTH_OK;
  }
  berth_list current = {NULL, 0};
  int found = read_value(call, bucket, params->key, &current, error);
  if (found == -2) {
    rollback(kv);
    return arena_full(call);
  }
  uint64_t value = 0;
  if (found < 0) {
    result->is_err = 1;
  } else if (found == 1 && !parse_counter(current.ptr, current.len, &value)) {
    key_error(call, error,
              "increment: the value of '%.*s' is not a counter (the decimal text of a u64)",
              params->key);
    result->is_err = 1;
  } else if (value > UINT64_MAX - params->delta) {
    key_error(call, error, "increment: the counter '%.*s' would overflow u64", params->key);
    result->is_err = 1;
  } else {
    value += params->delta;
    char text[24];
    int len = snprintf(text, sizeof text, "%" PRIu64, value);
    if (write_value(call, bucket, params->key, text, (size_t)len, error) < 0 ||
        exec(call, kv, "COMMIT", error) < 0) {
      result->is_err = 1;
    } else {
      result->val.ok = value;
    }
  }
  rollback(kv);
  return BERTH_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* batch                                                                                      */

berth_status batch_get_many(berth_call* call, const batch_get_many_params* params,
                            wasi_keyvalue_result_list_option_tuple_string_list_u8_error* result) {
  const kv_bucket* bucket = (const kv_bucket*)params->bucket;
  const berth_str* keys = params->keys.ptr;
  size_t count = params->keys.len;
  wasi_keyvalue_option_tuple_string_list_u8* items =
      call->host->alloc(call, count ? count * sizeof *items : 1, _Alignof(berth_str));
  if (items == NULL) return arena_full(call);
  for (size_t i = 0; i < count; ++i) {
    int found = read_value(call, bucket, keys[i], &items[i].val.f1, &result->val.err);
    if (found == -2) return arena_full(call);
    if (found < 0) {
      result->is_err = 1;
      return BERTH_OK;
    }
    if (found == 1) {
      items[i].is_some = 1;
      items[i].val.f0 = keys[i]; /* the argument's own string: allowed in results */
    }
  }
  result->val.ok.ptr = items;
  result->val.ok.len = count;
  return BERTH_OK;
}

/* set-many and delete-many run in one transaction: faster, and all or nothing. */
berth_status batch_set_many(berth_call* call, const batch_set_many_params* params,
                            wasi_keyvalue_result_void_error* result) {
  const kv_bucket* bucket = (const kv_bucket*)params->bucket;
  const wasi_keyvalue_tuple_string_list_u8* pairs = params->key_values.ptr;
  if (exec(call, bucket->kv, "BEGIN IMMEDIATE", &result->val.err) < 0) {
    result->is_err = 1;
    return BERTH_OK;
  }
  for (size_t i = 0; i < params->key_values.len; ++i) {
    if (write_value(call, bucket, pairs[i].f0, pairs[i].f1.ptr, pairs[i].f1.len, &result->val.err) <
        0) {
      result->is_err = 1;
      rollback(bucket->kv);
      return BERTH_OK;
    }
  }
  if (exec(call, bucket->kv, "COMMIT", &result->val.err) < 0) result->is_err = 1;
  rollback(bucket->kv);
  return BERTH_OK;
}

berth_status batch_delete_many(berth_call* call, const batch_delete_many_params* params,
                               wasi_keyvalue_result_void_error* result) {
  const kv_bucket* bucket = (const kv_bucket*)params->bucket;
  const berth_str* keys = params->keys.ptr;
  if (exec(call, bucket->kv, "BEGIN IMMEDIATE", &result->val.err) < 0) {
    result->is_err = 1;
    return BERTH_OK;
  }
  for (size_t i = 0; i < params->keys.len; ++i) {
    if (delete_value(call, bucket, keys[i], &result->val.err) < 0) {
      result->is_err = 1;
      rollback(bucket->kv);
      return BERTH_OK;
    }
  }
  if (exec(call, bucket->kv, "COMMIT", &result->val.err) < 0) result->is_err = 1;
  rollback(bucket->kv);
  return BERTH_OK;
}
