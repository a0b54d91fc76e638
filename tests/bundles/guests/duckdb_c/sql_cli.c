/* A WASI command using duckdb:database@0.1.0, with the imports declared by hand following the
 * Canonical ABI (there is no wit-bindgen for C here):
 *
 *   sql [--db PATH] STATEMENT...
 *
 * Opens the database PATH (default ":memory:"), connects, and runs each STATEMENT in order. A
 * result with columns prints a header line "name:type<TAB>..." then one line per row, and "N rows
 * changed" when the statement changed any; one without columns prints "ok, N rows changed". The
 * argument ".close" closes the connection, so later statements show the `closed` error. An error
 * prints "sql: error: ..." and exits 1. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQL_IMPORT(name) \
  __attribute__((import_module("duckdb:database/sql@0.1.0"), import_name(name)))

/* The types as the Canonical ABI lays them out in linear memory (wasm32). */
typedef struct {
  const char* ptr;
  size_t len;
} sql_string;

typedef struct {
  const void* ptr;
  size_t len;
} sql_list;

enum { ERROR_DUCKDB, ERROR_NOT_ALLOWED, ERROR_UNSUPPORTED, ERROR_CLOSED };

/* variant error: tag at 0, payload at 4 */
typedef struct {
  uint8_t tag;
  union {
    struct {
      uint8_t kind; /* enum error-kind */
      sql_string message;
    } duckdb;
    sql_string text; /* not-allowed, unsupported */
  } val;
} sql_error;

/* result<own<database>, error> and result<own<connection>, error> */
typedef struct {
  uint8_t is_err;
  union {
    uint32_t handle;
    sql_error err;
  } val;
} handle_ret;

typedef struct {
  sql_string name;
  uint8_t kind; /* enum type-id */
} sql_column;

enum {
  VALUE_NULL,
  VALUE_BOOLEAN,
  VALUE_TINYINT,
  VALUE_SMALLINT,
  VALUE_INTEGER,
  VALUE_BIGINT,
  VALUE_UTINYINT,
  VALUE_USMALLINT,
  VALUE_UINTEGER,
  VALUE_UBIGINT,
  VALUE_FLOAT,
  VALUE_DOUBLE,
  VALUE_VARCHAR,
  VALUE_BLOB,
};

/* variant value: tag at 0, payload at 8 */
typedef struct {
  uint8_t tag;
  union {
    uint8_t boolean;
    int8_t tinyint;
    int16_t smallint;
    int32_t integer;
    int64_t bigint;
    uint8_t utinyint;
    uint16_t usmallint;
    uint32_t uinteger;
    uint64_t ubigint;
    float f32;
    double f64;
    sql_string varchar;
    sql_list blob;
  } val;
} sql_value;

/* result<query-result, error>: tag at 0, payload at 8 */
typedef struct {
  uint8_t is_err;
  union {
    struct {
      sql_list columns; /* sql_column */
      sql_list rows;    /* sql_list of sql_value */
      uint64_t rows_changed;
    } ok;
    sql_error err;
  } val;
} execute_ret;

SQL_IMPORT("[static]database.open") void database_open(const char* path, size_t len, handle_ret*);
SQL_IMPORT("[method]database.connect") void database_connect(uint32_t self, handle_ret*);
SQL_IMPORT("[method]connection.execute")
void connection_execute(uint32_t self, const char* sql, size_t len, execute_ret*);
SQL_IMPORT("[method]connection.close") void connection_close(uint32_t self);
SQL_IMPORT("[resource-drop]database") void database_drop(uint32_t handle);
SQL_IMPORT("[resource-drop]connection") void connection_drop(uint32_t handle);

/* berth allocates the strings and lists of results in our memory through this export. */
__attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, size_t old_size,
                                                                size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void*)align;
  void* out = realloc(old, new_size); /* malloc's alignment (16) covers every ABI alignment */
  if (out == NULL) abort();
  return out;
}

static const char* const error_kinds[] = {"invalid",
                                          "out-of-range",
                                          "conversion",
                                          "unknown-type",
                                          "decimal",
                                          "mismatch-type",
                                          "divide-by-zero",
                                          "object-size",
                                          "invalid-type",
                                          "serialization",
                                          "transaction",
                                          "not-implemented",
                                          "expression",
                                          "catalog",
                                          "parser",
                                          "planner",
                                          "scheduler",
                                          "executor",
                                          "constraint",
                                          "index",
                                          "stat",
                                          "connection",
                                          "syntax",
                                          "settings",
                                          "binder",
                                          "network",
                                          "optimizer",
                                          "null-pointer",
                                          "io",
                                          "interrupt",
                                          "fatal",
                                          "internal",
                                          "invalid-input",
                                          "out-of-memory",
                                          "permission",
                                          "parameter-not-resolved",
                                          "parameter-not-allowed",
                                          "dependency",
                                          "http",
                                          "missing-extension",
                                          "autoload",
                                          "sequence",
                                          "invalid-configuration"};

static const char* const type_ids[] = {"boolean",  "tinyint",   "smallint", "integer", "bigint",
                                       "utinyint", "usmallint", "uinteger", "ubigint", "float",
                                       "double",   "varchar",   "blob"};

static int failed(const sql_error* error) {
  switch (error->tag) {
    case ERROR_DUCKDB:
      fprintf(stderr, "sql: error: duckdb %s: %.*s\n",
              error->val.duckdb.kind < sizeof error_kinds / sizeof error_kinds[0]
                  ? error_kinds[error->val.duckdb.kind]
                  : "?",
              (int)error->val.duckdb.message.len, error->val.duckdb.message.ptr);
      break;
    case ERROR_NOT_ALLOWED:
      fprintf(stderr, "sql: error: not allowed: %.*s\n", (int)error->val.text.len,
              error->val.text.ptr);
      break;
    case ERROR_UNSUPPORTED:
      fprintf(stderr, "sql: error: unsupported: %.*s\n", (int)error->val.text.len,
              error->val.text.ptr);
      break;
    case ERROR_CLOSED:
      fprintf(stderr, "sql: error: the connection is closed\n");
      break;
    default:
      fprintf(stderr, "sql: error: unknown error case %u\n", error->tag);
      break;
  }
  return 1;
}

static void print_value(const sql_value* v) {
  switch (v->tag) {
    case VALUE_NULL:
      printf("NULL");
      break;
    case VALUE_BOOLEAN:
      printf("%s", v->val.boolean ? "true" : "false");
      break;
    case VALUE_TINYINT:
      printf("%d", v->val.tinyint);
      break;
    case VALUE_SMALLINT:
      printf("%d", v->val.smallint);
      break;
    case VALUE_INTEGER:
      printf("%d", (int)v->val.integer);
      break;
    case VALUE_BIGINT:
      printf("%lld", (long long)v->val.bigint);
      break;
    case VALUE_UTINYINT:
      printf("%u", v->val.utinyint);
      break;
    case VALUE_USMALLINT:
      printf("%u", v->val.usmallint);
      break;
    case VALUE_UINTEGER:
      printf("%u", (unsigned)v->val.uinteger);
      break;
    case VALUE_UBIGINT:
      printf("%llu", (unsigned long long)v->val.ubigint);
      break;
    case VALUE_FLOAT:
      printf("%g", v->val.f32);
      break;
    case VALUE_DOUBLE:
      printf("%.17g", v->val.f64);
      break;
    case VALUE_VARCHAR:
      printf("%.*s", (int)v->val.varchar.len, v->val.varchar.ptr);
      break;
    case VALUE_BLOB:
      printf("x'");
      for (size_t i = 0; i < v->val.blob.len; ++i) {
        printf("%02x", ((const uint8_t*)v->val.blob.ptr)[i]);
      }
      printf("'");
      break;
    default:
      printf("<value case %u>", v->tag);
      break;
  }
}

static int run(uint32_t connection, const char* statement) {
  /* wasm-ld wraps every export of a command, cabi_realloc too, in calls to the constructors and
   * destructors, and the destructors flush stdout: a flush there would call fd_write while berth
   * is lowering a result, which the Canonical ABI forbids (the guest traps). So nothing may sit
   * in stdout's buffer when a call that returns lists or strings is made. */
  fflush(stdout);
  execute_ret ret;
  connection_execute(connection, statement, strlen(statement), &ret);
  if (ret.is_err) return failed(&ret.val.err);
  const sql_column* columns = ret.val.ok.columns.ptr;
  size_t column_count = ret.val.ok.columns.len;
  if (column_count == 0) {
    printf("ok, %llu rows changed\n", (unsigned long long)ret.val.ok.rows_changed);
    return 0;
  }
  for (size_t c = 0; c < column_count; ++c) {
    printf(
        "%s%.*s:%s", c ? "\t" : "", (int)columns[c].name.len, columns[c].name.ptr,
        columns[c].kind < sizeof type_ids / sizeof type_ids[0] ? type_ids[columns[c].kind] : "?");
  }
  printf("\n");
  const sql_list* rows = ret.val.ok.rows.ptr;
  for (size_t r = 0; r < ret.val.ok.rows.len; ++r) {
    if (rows[r].len != column_count) {
      fprintf(stderr, "sql: row %zu has %zu values for %zu columns\n", r, rows[r].len,
              column_count);
      return 1;
    }
    const sql_value* values = rows[r].ptr;
    for (size_t c = 0; c < column_count; ++c) {
      if (c) printf("\t");
      print_value(&values[c]);
    }
    printf("\n");
  }
  if (ret.val.ok.rows_changed) {
    printf("%llu rows changed\n", (unsigned long long)ret.val.ok.rows_changed);
  }
  return 0;
}

int main(int argc, char** argv) {
  int first = 1;
  const char* path = ":memory:";
  if (argc > 2 && strcmp(argv[1], "--db") == 0) {
    path = argv[2];
    first = 3;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: sql [--db PATH] STATEMENT...\n");
    return 2;
  }
  handle_ret opened;
  database_open(path, strlen(path), &opened);
  if (opened.is_err) return failed(&opened.val.err);
  uint32_t database = opened.val.handle;
  handle_ret connected;
  database_connect(database, &connected);
  if (connected.is_err) return failed(&connected.val.err);
  uint32_t connection = connected.val.handle;
  /* The connection keeps the database open: dropping our handle early must not close it. */
  database_drop(database);
  int status = 0;
  for (int i = first; i < argc && status == 0; ++i) {
    if (strcmp(argv[i], ".close") == 0) {
      connection_close(connection);
    } else {
      status = run(connection, argv[i]);
    }
  }
  connection_drop(connection);
  return status;
}
