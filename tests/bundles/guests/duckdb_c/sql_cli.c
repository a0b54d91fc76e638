/* A WASI command using duckdb:database@0.1.0, with the imports declared by hand following the
 * Canonical ABI (there is no wit-bindgen for C here):
 *
 *   sql [--keep-going] [--db PATH] STATEMENT...
 *
 * Opens the database PATH (default ":memory:"), connects, and runs each STATEMENT in order. A
 * result with columns prints a header line "name:TYPE<TAB>..." (DuckDB's spelling of the type)
 * then one line per row (checking each value's case against its column's type-id), and "N rows
 * changed" when the statement changed any; one without columns prints "ok, N rows changed". The
 * argument ".close" closes the connection, so later statements show the `closed` error. An error
 * prints "sql: error: ..." and exits 1, at once or, with --keep-going, after the rest.
 *
 * Prepared statements: ".prepare SQL" (replacing the current one), ".params" (count and names),
 * ".bind N VALUE", ".bind-named NAME VALUE", ".bind-all COUNT VALUE...", ".clear", ".exec" and
 * ".close-statement"; VALUE forms are listed above parse_scalar. Cursors: ".query SQL" or
 * ".query-statement" (replacing the current cursor), ".columns", ".next N" (prints up to N rows, or
 * "end"), ".count N" (reads the rest N rows at a time), ".batch N" and ".count-batches N" (the
 * same by column) and ".close-cursor". Appenders:
 * ".appender TABLE", ".appender-columns", ".append COUNT VALUE...", ".load ROWS BATCH" (generated
 * rows, see appender_command), ".flush" and ".close-appender". The connection: ".begin",
 * ".commit", ".rollback", ".interrupt", ".close"; ".trap" makes the guest trap. */
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
  sql_string type_name;
} sql_column;

/* enum type-id */
enum {
  TYPE_SQLNULL,
  TYPE_BOOLEAN,
  TYPE_TINYINT,
  TYPE_SMALLINT,
  TYPE_INTEGER,
  TYPE_BIGINT,
  TYPE_HUGEINT,
  TYPE_UTINYINT,
  TYPE_USMALLINT,
  TYPE_UINTEGER,
  TYPE_UBIGINT,
  TYPE_UHUGEINT,
  TYPE_FLOAT,
  TYPE_DOUBLE,
  TYPE_DECIMAL,
  TYPE_VARCHAR,
  TYPE_BLOB,
  TYPE_BIT,
  TYPE_DATE,
  TYPE_TIME,
  TYPE_TIME_NS,
  TYPE_TIME_TZ,
  TYPE_TIMESTAMP,
  TYPE_TIMESTAMP_S,
  TYPE_TIMESTAMP_MS,
  TYPE_TIMESTAMP_NS,
  TYPE_TIMESTAMP_TZ,
  TYPE_INTERVAL,
  TYPE_UUID,
  TYPE_ENUM,
  TYPE_LIST,
  TYPE_ARRAY,
  TYPE_STRUCT,
  TYPE_MAP,
  TYPE_UNION,
};

/* The cases of variant scalar, then value's `nested`. */
enum {
  VALUE_NULL,
  VALUE_BOOLEAN,
  VALUE_TINYINT,
  VALUE_SMALLINT,
  VALUE_INTEGER,
  VALUE_BIGINT,
  VALUE_HUGEINT,
  VALUE_UTINYINT,
  VALUE_USMALLINT,
  VALUE_UINTEGER,
  VALUE_UBIGINT,
  VALUE_UHUGEINT,
  VALUE_FLOAT,
  VALUE_DOUBLE,
  VALUE_DECIMAL,
  VALUE_VARCHAR,
  VALUE_BLOB,
  VALUE_BIT,
  VALUE_DATE,
  VALUE_TIME,
  VALUE_TIME_NS,
  VALUE_TIME_TZ,
  VALUE_TIMESTAMP,
  VALUE_TIMESTAMP_S,
  VALUE_TIMESTAMP_MS,
  VALUE_TIMESTAMP_NS,
  VALUE_TIMESTAMP_TZ,
  VALUE_INTERVAL,
  VALUE_UUID,
  VALUE_ENUM,
  VALUE_NESTED,
};

typedef struct {
  uint64_t lower;
  int64_t upper;
} sql_hugeint;

/* variant scalar, and variant value (the same, plus `nested`): tag at 0, payload at 8 */
typedef struct {
  uint8_t tag;
  union {
    uint8_t boolean;
    int8_t tinyint;
    int16_t smallint;
    int32_t integer;
    int64_t bigint;
    sql_hugeint hugeint;
    uint8_t utinyint;
    uint16_t usmallint;
    uint32_t uinteger;
    uint64_t ubigint;
    struct {
      uint64_t lower, upper;
    } uhugeint;
    float f32;
    double f64;
    struct {
      uint8_t width, scale;
      sql_hugeint value;
    } decimal;
    sql_string varchar;
    sql_list blob;
    sql_string bit;
    int32_t date;
    int64_t time; /* time, time-ns and the timestamps */
    struct {
      int64_t micros;
      int32_t offset_seconds;
    } time_tz;
    struct {
      int32_t months, days;
      int64_t micros;
    } interval;
    struct {
      uint64_t high, low;
    } uuid;
    sql_string label;
    sql_list nested; /* sql_node, in value only */
  } val;
} sql_value;

enum { NODE_SCALAR, NODE_LIST, NODE_ARRAY, NODE_STRUCT, NODE_MAP, NODE_UNION };

typedef struct {
  sql_string name;
  uint32_t value;
} sql_field;

typedef struct {
  uint32_t key, value;
} sql_map_entry;

/* variant node: tag at 0, payload at 8 */
typedef struct {
  uint8_t tag;
  union {
    sql_value scalar;
    sql_list items; /* list, array: uint32_t; struct: sql_field; map: sql_map_entry */
    sql_field member;
  } val;
} sql_node;

/* record row-set: the values of all rows, row after row */
typedef struct {
  uint32_t count;
  sql_list values; /* sql_value */
} row_set;

/* result<query-result, error>: tag at 0, payload at 8 */
typedef struct {
  uint8_t is_err;
  union {
    struct {
      sql_list columns; /* sql_column */
      row_set rows;
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
SQL_IMPORT("[method]connection.prepare")
void connection_prepare(uint32_t self, const char* sql, size_t len, handle_ret*);
SQL_IMPORT("[method]statement.parameter-count") uint32_t statement_parameter_count(uint32_t self);
/* option<string>: tag at 0, payload at 4 */
typedef struct {
  uint8_t is_some;
  sql_string val;
} option_string;
SQL_IMPORT("[method]statement.parameter-name")
void statement_parameter_name(uint32_t self, uint32_t index, option_string*);
/* result<_, error>: tag at 0, payload at 4 */
typedef struct {
  uint8_t is_err;
  sql_error err;
} unit_ret;
/* A `value` parameter is passed flat (7 core parameters in all fit the limit of 16): its case,
 * then four slots joining every case's flat types, all i64 here (see flat_value). */
SQL_IMPORT("[method]statement.bind")
void statement_bind(uint32_t self, uint32_t index, uint32_t tag, int64_t, int64_t, int64_t, int64_t,
                    unit_ret*);
SQL_IMPORT("[method]statement.bind-named")
void statement_bind_named(uint32_t self, const char* name, size_t len, uint32_t tag, int64_t,
                          int64_t, int64_t, int64_t, unit_ret*);
SQL_IMPORT("[method]statement.bind-all")
void statement_bind_all(uint32_t self, const sql_value* values, size_t count, unit_ret*);
SQL_IMPORT("[method]statement.clear-bindings")
void statement_clear_bindings(uint32_t self, unit_ret*);
SQL_IMPORT("[method]statement.execute") void statement_execute(uint32_t self, execute_ret*);
SQL_IMPORT("[method]statement.close") void statement_close(uint32_t self);
SQL_IMPORT("[resource-drop]statement") void statement_drop(uint32_t handle);
SQL_IMPORT("[method]connection.query")
void connection_query(uint32_t self, const char* sql, size_t len, handle_ret*);
SQL_IMPORT("[method]statement.query") void statement_query(uint32_t self, handle_ret*);
SQL_IMPORT("[method]cursor.columns") void cursor_columns(uint32_t self, sql_list*);
/* result<row-set, error>: tag at 0, payload at 4 */
typedef struct {
  uint8_t is_err;
  union {
    row_set ok;
    sql_error err;
  } val;
} next_ret;
SQL_IMPORT("[method]cursor.next") void cursor_next(uint32_t self, uint32_t max_rows, next_ret*);
SQL_IMPORT("[method]cursor.close") void cursor_close(uint32_t self);

/* variant column-data: tag at 0, the list at 4 */
enum {
  DATA_BOOLEAN,
  DATA_TINYINT,
  DATA_SMALLINT,
  DATA_INTEGER,
  DATA_BIGINT,
  DATA_UTINYINT,
  DATA_USMALLINT,
  DATA_UINTEGER,
  DATA_UBIGINT,
  DATA_FLOAT,
  DATA_DOUBLE,
  DATA_VARCHAR,
  DATA_BLOB,
  DATA_DATE,
  DATA_TIME,
  DATA_TIMESTAMP,
  DATA_TIMESTAMP_TZ,
  DATA_VALUES,
};
typedef struct {
  uint8_t tag;
  union {
    sql_list items; /* the typed list */
    struct {
      sql_list data;    /* uint8_t */
      sql_list offsets; /* uint32_t, one more than the rows */
    } strings;          /* varchar, blob */
  } data;
  sql_list validity; /* uint64_t words */
} column_batch;
/* result<batch, error>: tag at 0, payload at 4 */
typedef struct {
  uint8_t is_err;
  union {
    struct {
      uint32_t rows;
      sql_list columns; /* column_batch */
    } ok;
    sql_error err;
  } val;
} batch_ret;
SQL_IMPORT("[method]cursor.next-batch")
void cursor_next_batch(uint32_t self, uint32_t max_rows, batch_ret*);
SQL_IMPORT("[resource-drop]cursor") void cursor_drop(uint32_t handle);
SQL_IMPORT("[method]connection.appender")
void connection_appender(uint32_t self, const char* table, size_t len, uint32_t schema_is_some,
                         const char* schema, size_t schema_len, handle_ret*);
SQL_IMPORT("[method]appender.columns") void appender_columns(uint32_t self, sql_list*);
SQL_IMPORT("[method]appender.append-row")
void appender_append_row(uint32_t self, const sql_value* values, size_t count, unit_ret*);
SQL_IMPORT("[method]appender.append-rows")
void appender_append_rows(uint32_t self, const sql_list* rows, size_t count, unit_ret*);
SQL_IMPORT("[method]appender.flush") void appender_flush(uint32_t self, unit_ret*);
SQL_IMPORT("[method]appender.close") void appender_close(uint32_t self, unit_ret*);
SQL_IMPORT("[resource-drop]appender") void appender_drop(uint32_t handle);
SQL_IMPORT("[method]connection.begin-transaction")
void connection_begin_transaction(uint32_t self, unit_ret*);
SQL_IMPORT("[method]connection.commit") void connection_commit(uint32_t self, unit_ret*);
SQL_IMPORT("[method]connection.rollback") void connection_rollback(uint32_t self, unit_ret*);
SQL_IMPORT("[method]connection.interrupt") void connection_interrupt(uint32_t self);

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
      fprintf(stderr, "sql: error: closed\n");
      break;
    default:
      fprintf(stderr, "sql: error: unknown error case %u\n", error->tag);
      break;
  }
  return 1;
}

/* The decimal digits of the 128-bit magnitude high:low, into `out` (at least 40 bytes); returns
 * their count. Divides by 10 in 32-bit parts: Debian's wasm32 runtime library cannot link
 * 128-bit division into a wasi-libc program. */
static int u128_digits(uint64_t high, uint64_t low, char* out) {
  uint32_t parts[4] = {(uint32_t)(high >> 32), (uint32_t)high, (uint32_t)(low >> 32),
                       (uint32_t)low};
  char reversed[40];
  int n = 0;
  int zero;
  do {
    uint64_t rest = 0;
    zero = 1;
    for (int i = 0; i < 4; ++i) {
      uint64_t current = rest << 32 | parts[i];
      parts[i] = (uint32_t)(current / 10);
      rest = current % 10;
      zero = zero && parts[i] == 0;
    }
    reversed[n++] = (char)('0' + rest);
  } while (!zero);
  for (int i = 0; i < n; ++i) out[i] = reversed[n - 1 - i];
  return n;
}

/* A hugeint's sign and magnitude digits; returns the digit count. */
static int hugeint_digits(sql_hugeint value, int* negative, char* out) {
  uint64_t high = (uint64_t)value.upper, low = value.lower;
  *negative = value.upper < 0;
  if (*negative) { /* two's complement negation of high:low */
    low = ~low + 1;
    high = ~high + (low == 0);
  }
  return u128_digits(high, low, out);
}

/* An exact decimal: the scaled integer with its point put back (scale 0: an integer). */
static void print_decimal(sql_hugeint stored, int scale) {
  char digits[40];
  int negative;
  int n = hugeint_digits(stored, &negative, digits);
  if (negative) putchar('-');
  if (scale == 0) {
    printf("%.*s", n, digits);
  } else if (n > scale) {
    printf("%.*s.%.*s", n - scale, digits, scale, digits + n - scale);
  } else {
    printf("0.");
    for (int i = n; i < scale; ++i) putchar('0');
    printf("%.*s", n, digits);
  }
}

/* Days since 1970-01-01 as a civil date (proleptic Gregorian). */
static void print_date(int64_t days) {
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t day = doy - (153 * mp + 2) / 5 + 1;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  int64_t year = yoe + era * 400 + (month <= 2);
  printf("%04lld-%02lld-%02lld", (long long)year, (long long)month, (long long)day);
}

/* A time of day from `ticks` of 1/`per_second` s, with as many fraction digits as it has. */
static void print_time(int64_t ticks, int64_t per_second, int digits) {
  int64_t seconds = ticks / per_second, fraction = ticks % per_second;
  printf("%02lld:%02lld:%02lld", (long long)(seconds / 3600), (long long)(seconds / 60 % 60),
         (long long)(seconds % 60));
  if (fraction) printf(".%0*lld", digits, (long long)fraction);
}

static void print_timestamp(int64_t ticks, int64_t per_second, int digits) {
  int64_t per_day = 86400 * per_second;
  int64_t days = ticks / per_day, rest = ticks % per_day;
  if (rest < 0) {
    rest += per_day;
    days -= 1;
  }
  print_date(days);
  putchar(' ');
  print_time(rest, per_second, digits);
}

static void print_nested(const sql_node* nodes, size_t count, uint32_t index);

/* Prints a value, or a scalar of a nested value (`quoted`: strings in quotes). */
static void print_value(const sql_value* v, int quoted) {
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
    case VALUE_HUGEINT:
      print_decimal(v->val.hugeint, 0);
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
    case VALUE_UHUGEINT: {
      char digits[40];
      int n = u128_digits(v->val.uhugeint.upper, v->val.uhugeint.lower, digits);
      printf("%.*s", n, digits);
      break;
    }
    case VALUE_FLOAT:
      printf("%g", v->val.f32);
      break;
    case VALUE_DOUBLE:
      printf("%.17g", v->val.f64);
      break;
    case VALUE_DECIMAL:
      print_decimal(v->val.decimal.value, v->val.decimal.scale);
      break;
    case VALUE_VARCHAR:
    case VALUE_ENUM:
      printf(quoted ? "'%.*s'" : "%.*s", (int)v->val.varchar.len, v->val.varchar.ptr);
      break;
    case VALUE_BLOB:
      printf("x'");
      for (size_t i = 0; i < v->val.blob.len; ++i) {
        printf("%02x", ((const uint8_t*)v->val.blob.ptr)[i]);
      }
      printf("'");
      break;
    case VALUE_BIT:
      printf("b%.*s", (int)v->val.bit.len, v->val.bit.ptr);
      break;
    case VALUE_DATE:
      print_date(v->val.date);
      break;
    case VALUE_TIME:
      print_time(v->val.time, 1000000, 6);
      break;
    case VALUE_TIME_NS:
      print_time(v->val.time, 1000000000, 9);
      break;
    case VALUE_TIME_TZ:
      print_time(v->val.time_tz.micros, 1000000, 6);
      printf("%+03d", (int)(v->val.time_tz.offset_seconds / 3600));
      break;
    case VALUE_TIMESTAMP:
      print_timestamp(v->val.time, 1000000, 6);
      break;
    case VALUE_TIMESTAMP_S:
      print_timestamp(v->val.time, 1, 0);
      break;
    case VALUE_TIMESTAMP_MS:
      print_timestamp(v->val.time, 1000, 3);
      break;
    case VALUE_TIMESTAMP_NS:
      print_timestamp(v->val.time, 1000000000, 9);
      break;
    case VALUE_TIMESTAMP_TZ:
      print_timestamp(v->val.time, 1000000, 6);
      printf("+00");
      break;
    case VALUE_INTERVAL:
      printf("%d months %d days %lld us", (int)v->val.interval.months, (int)v->val.interval.days,
             (long long)v->val.interval.micros);
      break;
    case VALUE_UUID: {
      uint64_t h = v->val.uuid.high, l = v->val.uuid.low;
      printf("%08llx-%04llx-%04llx-%04llx-%012llx", (unsigned long long)(h >> 32),
             (unsigned long long)(h >> 16 & 0xffff), (unsigned long long)(h & 0xffff),
             (unsigned long long)(l >> 48), (unsigned long long)(l & 0xffffffffffffull));
      break;
    }
    case VALUE_NESTED:
      print_nested(v->val.nested.ptr, v->val.nested.len, 0);
      break;
    default:
      printf("<value case %u>", v->tag);
      break;
  }
}

/* Node `index` of a nested value: lists and arrays as [..], structs as {'name': ..}, maps as
 * {key=value, ..}, a union as its member. */
static void print_nested(const sql_node* nodes, size_t count, uint32_t index) {
  if (index >= count) {
    printf("<node %u of %zu>", (unsigned)index, count);
    return;
  }
  const sql_node* node = &nodes[index];
  switch (node->tag) {
    case NODE_SCALAR:
      print_value(&node->val.scalar, 1);
      break;
    case NODE_LIST:
    case NODE_ARRAY: {
      const uint32_t* items = node->val.items.ptr;
      putchar('[');
      for (size_t i = 0; i < node->val.items.len; ++i) {
        if (i) printf(", ");
        print_nested(nodes, count, items[i]);
      }
      putchar(']');
      break;
    }
    case NODE_STRUCT: {
      const sql_field* fields = node->val.items.ptr;
      putchar('{');
      for (size_t i = 0; i < node->val.items.len; ++i) {
        printf("%s'%.*s': ", i ? ", " : "", (int)fields[i].name.len, fields[i].name.ptr);
        print_nested(nodes, count, fields[i].value);
      }
      putchar('}');
      break;
    }
    case NODE_MAP: {
      const sql_map_entry* entries = node->val.items.ptr;
      putchar('{');
      for (size_t i = 0; i < node->val.items.len; ++i) {
        if (i) printf(", ");
        print_nested(nodes, count, entries[i].key);
        putchar('=');
        print_nested(nodes, count, entries[i].value);
      }
      putchar('}');
      break;
    }
    case NODE_UNION:
      printf("%.*s: ", (int)node->val.member.name.len, node->val.member.name.ptr);
      print_nested(nodes, count, node->val.member.value);
      break;
    default:
      printf("<node case %u>", node->tag);
      break;
  }
}

/* Whether a value of column type `kind` may have case `tag`. */
static int matches_kind(uint8_t kind, uint8_t tag) {
  if (tag == VALUE_NULL) return 1;
  if (kind >= TYPE_LIST) return tag == VALUE_NESTED;
  static const uint8_t tags[] = {
      VALUE_NULL,         VALUE_BOOLEAN,      VALUE_TINYINT,      VALUE_SMALLINT,
      VALUE_INTEGER,      VALUE_BIGINT,       VALUE_HUGEINT,      VALUE_UTINYINT,
      VALUE_USMALLINT,    VALUE_UINTEGER,     VALUE_UBIGINT,      VALUE_UHUGEINT,
      VALUE_FLOAT,        VALUE_DOUBLE,       VALUE_DECIMAL,      VALUE_VARCHAR,
      VALUE_BLOB,         VALUE_BIT,          VALUE_DATE,         VALUE_TIME,
      VALUE_TIME_NS,      VALUE_TIME_TZ,      VALUE_TIMESTAMP,    VALUE_TIMESTAMP_S,
      VALUE_TIMESTAMP_MS, VALUE_TIMESTAMP_NS, VALUE_TIMESTAMP_TZ, VALUE_INTERVAL,
      VALUE_UUID,         VALUE_ENUM};
  return kind < sizeof tags && tags[kind] == tag;
}

static void print_header(sql_list columns) {
  const sql_column* column = columns.ptr;
  for (size_t c = 0; c < columns.len; ++c) {
    printf("%s%.*s:%.*s", c ? "\t" : "", (int)column[c].name.len, column[c].name.ptr,
           (int)column[c].type_name.len, column[c].type_name.ptr);
  }
  printf("\n");
}

/* Prints `rows` (or, with `quiet`, only checks them), each value checked against its column. */
static int print_rows(sql_list columns, row_set rows, int quiet) {
  const sql_column* column = columns.ptr;
  if (rows.values.len != (size_t)rows.count * columns.len) {
    fprintf(stderr, "sql: %zu values for %u rows of %zu columns\n", rows.values.len, rows.count,
            columns.len);
    return 1;
  }
  for (size_t r = 0; r < rows.count; ++r) {
    const sql_value* values = (const sql_value*)rows.values.ptr + r * columns.len;
    for (size_t c = 0; c < columns.len; ++c) {
      if (!matches_kind(column[c].kind, values[c].tag)) {
        fprintf(stderr, "sql: row %zu: column %zu of type-id %u holds value case %u\n", r, c,
                column[c].kind, values[c].tag);
        return 1;
      }
      if (quiet) continue;
      if (c) printf("\t");
      print_value(&values[c], 0);
    }
    if (!quiet) printf("\n");
  }
  return 0;
}

static int print_result(const execute_ret* ret) {
  if (ret->is_err) return failed(&ret->val.err);
  if (ret->val.ok.columns.len == 0) {
    printf("ok, %llu rows changed\n", (unsigned long long)ret->val.ok.rows_changed);
    return 0;
  }
  print_header(ret->val.ok.columns);
  if (print_rows(ret->val.ok.columns, ret->val.ok.rows, 0)) return 1;
  if (ret->val.ok.rows_changed) {
    printf("%llu rows changed\n", (unsigned long long)ret->val.ok.rows_changed);
  }
  return 0;
}

static int row_valid(const column_batch* column, size_t row) {
  const uint64_t* words = column->validity.ptr;
  return column->validity.len == 0 || (words[row / 64] >> (row % 64) & 1);
}

/* Prints a column of a batch as "name: [v, v, NULL, ...]". */
static void print_column(const sql_column* header, const column_batch* column, uint32_t rows) {
  printf("%.*s: %s[", (int)header->name.len, header->name.ptr,
         column->tag == DATA_VALUES ? "values " : "");
  for (uint32_t r = 0; r < rows; ++r) {
    if (r) printf(", ");
    if (!row_valid(column, r)) {
      printf("NULL");
      continue;
    }
    const void* items = column->data.items.ptr;
    switch (column->tag) {
      case DATA_BOOLEAN:
        printf("%s", ((const uint8_t*)items)[r] ? "true" : "false");
        break;
      case DATA_TINYINT:
        printf("%d", ((const int8_t*)items)[r]);
        break;
      case DATA_SMALLINT:
        printf("%d", ((const int16_t*)items)[r]);
        break;
      case DATA_INTEGER:
      case DATA_DATE:
        printf("%d", (int)((const int32_t*)items)[r]);
        break;
      case DATA_UTINYINT:
        printf("%u", ((const uint8_t*)items)[r]);
        break;
      case DATA_USMALLINT:
        printf("%u", ((const uint16_t*)items)[r]);
        break;
      case DATA_UINTEGER:
        printf("%u", (unsigned)((const uint32_t*)items)[r]);
        break;
      case DATA_UBIGINT:
        printf("%llu", (unsigned long long)((const uint64_t*)items)[r]);
        break;
      case DATA_FLOAT:
        printf("%g", ((const float*)items)[r]);
        break;
      case DATA_DOUBLE:
        printf("%.17g", ((const double*)items)[r]);
        break;
      case DATA_VARCHAR:
      case DATA_BLOB: {
        const uint32_t* offsets = column->data.strings.offsets.ptr;
        printf("'%.*s'", (int)(offsets[r + 1] - offsets[r]),
               (const char*)column->data.strings.data.ptr + offsets[r]);
        break;
      }
      case DATA_VALUES:
        print_value(&((const sql_value*)items)[r], 1);
        break;
      default:
        printf("%lld", (long long)((const int64_t*)items)[r]);
        break; /* the 64-bit ones */
    }
  }
  printf("]\n");
}

/* Frees what berth allocated for a batch of rows (through cabi_realloc). */
static void free_rows(row_set rows) {
  sql_value* values = (sql_value*)rows.values.ptr;
  for (size_t c = 0; c < rows.values.len; ++c) {
    switch (values[c].tag) {
      case VALUE_VARCHAR:
      case VALUE_BLOB:
      case VALUE_BIT:
      case VALUE_ENUM:
        if (values[c].val.varchar.len) free((void*)values[c].val.varchar.ptr);
        break;
      case VALUE_NESTED: /* the test's nested values in cursors are not freed part by part */
        break;
    }
  }
  if (rows.values.len) free(values);
}

/* wasm-ld wraps every export of a command, cabi_realloc too, in calls to the constructors and
 * destructors, and the destructors flush stdout: a flush there would call fd_write while berth is
 * lowering a result, which the Canonical ABI forbids (the guest traps). So nothing may sit in
 * stdout's buffer when a call that returns lists or strings is made: each goes through here. */
#define CALL(expression) (fflush(stdout), expression)

static int run(uint32_t connection, const char* statement) {
  execute_ret ret;
  CALL(connection_execute(connection, statement, strlen(statement), &ret));
  return print_result(&ret);
}

/* ---- parameter values from the command line ----
 *   null | bool:true | i8:N i16:N i32:N i64:N | u8:N ... u64:N | f32:X f64:X | str:TEXT
 *   | dec:WIDTH,SCALE,SCALED | date:DAYS | ts:MICROS | list:V;V;... | struct:NAME=V;...
 * where each V of a list or struct is one of the scalar forms. */

static int parse_scalar(const char* text, sql_value* out) {
  memset(out, 0, sizeof *out);
  const char* colon = strchr(text, ':');
  const char* rest = colon ? colon + 1 : "";
  size_t kind = colon ? (size_t)(colon - text) : strlen(text);
  static const struct {
    const char* name;
    uint8_t tag;
  } integers[] = {{"i8", VALUE_TINYINT},   {"i16", VALUE_SMALLINT}, {"i32", VALUE_INTEGER},
                  {"i64", VALUE_BIGINT},   {"u8", VALUE_UTINYINT},  {"u16", VALUE_USMALLINT},
                  {"u32", VALUE_UINTEGER}, {"u64", VALUE_UBIGINT},  {"date", VALUE_DATE},
                  {"ts", VALUE_TIMESTAMP}};
  if (strncmp(text, "null", kind) == 0 && kind == 4) {
    out->tag = VALUE_NULL;
    return 1;
  }
  for (size_t i = 0; i < sizeof integers / sizeof integers[0]; ++i) {
    if (strlen(integers[i].name) == kind && strncmp(text, integers[i].name, kind) == 0) {
      long long n = strtoll(rest, NULL, 10);
      out->tag = integers[i].tag;
      switch (out->tag) {
        case VALUE_TINYINT:
          out->val.tinyint = (int8_t)n;
          break;
        case VALUE_SMALLINT:
          out->val.smallint = (int16_t)n;
          break;
        case VALUE_INTEGER:
        case VALUE_DATE:
          out->val.integer = (int32_t)n;
          break;
        case VALUE_UTINYINT:
          out->val.utinyint = (uint8_t)n;
          break;
        case VALUE_USMALLINT:
          out->val.usmallint = (uint16_t)n;
          break;
        case VALUE_UINTEGER:
          out->val.uinteger = (uint32_t)n;
          break;
        case VALUE_UBIGINT:
          out->val.ubigint = strtoull(rest, NULL, 10);
          break;
        default:
          out->val.bigint = n;
          break; /* i64, ts */
      }
      return 1;
    }
  }
  if (strncmp(text, "bool:", 5) == 0) {
    out->tag = VALUE_BOOLEAN;
    out->val.boolean = strcmp(rest, "true") == 0;
  } else if (strncmp(text, "f32:", 4) == 0) {
    out->tag = VALUE_FLOAT;
    out->val.f32 = strtof(rest, NULL);
  } else if (strncmp(text, "f64:", 4) == 0) {
    out->tag = VALUE_DOUBLE;
    out->val.f64 = strtod(rest, NULL);
  } else if (strncmp(text, "str:", 4) == 0) {
    out->tag = VALUE_VARCHAR;
    out->val.varchar = (sql_string){rest, strlen(rest)};
  } else if (strncmp(text, "dec:", 4) == 0) {
    unsigned width = 0, scale = 0;
    long long scaled = 0;
    if (sscanf(rest, "%u,%u,%lld", &width, &scale, &scaled) != 3) return 0;
    out->tag = VALUE_DECIMAL;
    out->val.decimal.width = (uint8_t)width;
    out->val.decimal.scale = (uint8_t)scale;
    out->val.decimal.value = (sql_hugeint){(uint64_t)scaled, scaled < 0 ? -1 : 0};
  } else {
    return 0;
  }
  return 1;
}

/* A list or struct of scalars as nodes: node 0 the container, then one node per element. */
static int parse_nested(const char* text, sql_value* out) {
  int is_list = strncmp(text, "list:", 5) == 0;
  const char* rest = text + (is_list ? 5 : 7);
  size_t count = 0;
  char* copy = strdup(rest);
  for (char* c = copy; *c; ++c) count += *c == ';';
  count += *copy != '\0';
  sql_node* nodes = calloc(count + 1, sizeof *nodes);
  uint32_t* items = calloc(count ? count : 1, sizeof *items);
  sql_field* fields = calloc(count ? count : 1, sizeof *fields);
  size_t n = 0;
  for (char* part = count ? strtok(copy, ";") : NULL; part; part = strtok(NULL, ";"), ++n) {
    char* scalar = part;
    if (!is_list) {
      char* equals = strchr(part, '=');
      if (equals == NULL) return 0;
      *equals = '\0';
      fields[n] = (sql_field){{part, strlen(part)}, (uint32_t)n + 1};
      scalar = equals + 1;
    }
    items[n] = (uint32_t)n + 1;
    nodes[n + 1].tag = NODE_SCALAR;
    if (!parse_scalar(scalar, &nodes[n + 1].val.scalar)) return 0;
  }
  nodes[0].tag = is_list ? NODE_LIST : NODE_STRUCT;
  nodes[0].val.items = is_list ? (sql_list){items, n} : (sql_list){fields, n};
  memset(out, 0, sizeof *out);
  out->tag = VALUE_NESTED;
  out->val.nested = (sql_list){nodes, n + 1};
  return 1;
}

static int parse_value(const char* text, sql_value* out) {
  if (strncmp(text, "list:", 5) == 0 || strncmp(text, "struct:", 7) == 0) {
    return parse_nested(text, out);
  }
  return parse_scalar(text, out);
}

/* A value as the Canonical ABI flattens a `value` parameter: its case and four i64 slots, the
 * join of every case's flat types (i32 and f32 values widened unsigned, f64 by its bits). */
static void flat_value(const sql_value* v, int64_t slots[4]) {
  memset(slots, 0, 4 * sizeof *slots);
  switch (v->tag) {
    case VALUE_BOOLEAN:
    case VALUE_UTINYINT:
      slots[0] = v->val.utinyint;
      break;
    case VALUE_TINYINT:
      slots[0] = (uint32_t)(int32_t)v->val.tinyint;
      break;
    case VALUE_SMALLINT:
      slots[0] = (uint32_t)(int32_t)v->val.smallint;
      break;
    case VALUE_USMALLINT:
      slots[0] = v->val.usmallint;
      break;
    case VALUE_INTEGER:
    case VALUE_DATE:
    case VALUE_UINTEGER:
      slots[0] = v->val.uinteger;
      break;
    case VALUE_FLOAT: {
      uint32_t bits;
      memcpy(&bits, &v->val.f32, sizeof bits);
      slots[0] = bits;
      break;
    }
    case VALUE_DOUBLE:
      memcpy(&slots[0], &v->val.f64, sizeof slots[0]);
      break;
    case VALUE_DECIMAL:
      slots[0] = v->val.decimal.width;
      slots[1] = v->val.decimal.scale;
      slots[2] = (int64_t)v->val.decimal.value.lower;
      slots[3] = v->val.decimal.value.upper;
      break;
    case VALUE_VARCHAR:
    case VALUE_NESTED:
      slots[0] = (uint32_t)(uintptr_t)v->val.varchar.ptr;
      slots[1] = (uint32_t)v->val.varchar.len;
      break;
    case VALUE_NULL:
      break;
    default:
      slots[0] = v->val.bigint;
      break; /* i64, u64, timestamps */
  }
}

static int bad_value(const char* text) {
  fprintf(stderr, "sql: cannot read the value '%s'\n", text);
  return 2;
}

/* The commands about cursors; returns the exit status so far (0: go on), or -1 when `command`
 * is not one of them. */
static int cursor_command(uint32_t connection, uint32_t statement, uint32_t* cursor, int argc,
                          char** argv, int* i) {
  const char* command = argv[*i];
  if ((strcmp(command, ".query") == 0 && *i + 1 < argc) ||
      strcmp(command, ".query-statement") == 0) {
    handle_ret made;
    if (command[6] == '\0') {
      ++*i;
      CALL(connection_query(connection, argv[*i], strlen(argv[*i]), &made));
    } else {
      CALL(statement_query(statement, &made));
    }
    if (made.is_err) return failed(&made.val.err);
    if (*cursor) cursor_drop(*cursor);
    *cursor = made.val.handle;
    return 0;
  }
  int known = strcmp(command, ".columns") == 0 || strcmp(command, ".next") == 0 ||
              strcmp(command, ".count") == 0 || strcmp(command, ".close-cursor") == 0 ||
              strcmp(command, ".batch") == 0 || strcmp(command, ".count-batches") == 0;
  if (known && *cursor == 0) {
    fprintf(stderr, "sql: %s: there is no cursor\n", command);
    if (strcmp(command, ".columns") != 0 && strcmp(command, ".close-cursor") != 0 &&
        *i + 1 < argc) {
      ++*i; /* the N of .next, .count, .batch, .count-batches */
    }
    return 1;
  }
  if (strcmp(command, ".columns") == 0) {
    sql_list columns;
    CALL(cursor_columns(*cursor, &columns));
    print_header(columns);
    return 0;
  }
  if ((strcmp(command, ".next") == 0 || strcmp(command, ".count") == 0) && *i + 1 < argc) {
    /* .next N prints the next N rows (or "end"); .count N reads the rest N at a time, freeing
     * each batch, and prints how many rows and batches it took. */
    int count_only = command[1] == 'c';
    uint32_t max_rows = (uint32_t)strtoul(argv[++*i], NULL, 10);
    sql_list columns;
    CALL(cursor_columns(*cursor, &columns));
    unsigned long long total = 0, batches = 0;
    for (;;) {
      next_ret batch;
      CALL(cursor_next(*cursor, max_rows, &batch));
      if (batch.is_err) return failed(&batch.val.err);
      if (batch.val.ok.count == 0) {
        if (!count_only) printf("end\n");
        break;
      }
      if (print_rows(columns, batch.val.ok, count_only)) return 1;
      total += batch.val.ok.count;
      batches++;
      free_rows(batch.val.ok);
      if (!count_only) break;
    }
    if (count_only) printf("%llu rows in %llu batches\n", total, batches);
    return 0;
  }
  if ((strcmp(command, ".batch") == 0 || strcmp(command, ".count-batches") == 0) && *i + 1 < argc) {
    /* .batch N prints the next batch by column (or "end"); .count-batches N reads the rest
     * by batches of at most N rows, and prints the rows and the sum of the first column when
     * it is a bigint column. */
    int count_only = command[1] == 'c';
    uint32_t max_rows = (uint32_t)strtoul(argv[++*i], NULL, 10);
    sql_list columns;
    CALL(cursor_columns(*cursor, &columns));
    unsigned long long total = 0, batches = 0;
    long long sum = 0;
    for (;;) {
      batch_ret batch;
      CALL(cursor_next_batch(*cursor, max_rows, &batch));
      if (batch.is_err) return failed(&batch.val.err);
      uint32_t rows = batch.val.ok.rows;
      const column_batch* column = batch.val.ok.columns.ptr;
      if (batch.val.ok.columns.len != columns.len) {
        fprintf(stderr, "sql: a batch of %zu columns for %zu\n", batch.val.ok.columns.len,
                columns.len);
        return 1;
      }
      if (rows == 0) {
        if (!count_only) printf("end\n");
        break;
      }
      for (size_t c = 0; c < columns.len; ++c) {
        int strings = column[c].tag == DATA_VARCHAR || column[c].tag == DATA_BLOB;
        size_t items = strings ? column[c].data.strings.offsets.len - 1 : column[c].data.items.len;
        if (items != rows) {
          fprintf(stderr, "sql: column %zu has %zu items for %u rows\n", c, items, rows);
          return 1;
        }
        if (!count_only) print_column(&((const sql_column*)columns.ptr)[c], &column[c], rows);
      }
      total += rows;
      batches++;
      if (columns.len > 0 && column[0].tag == DATA_BIGINT) {
        for (uint32_t r = 0; r < rows; ++r) sum += ((const int64_t*)column[0].data.items.ptr)[r];
      }
      for (size_t c = 0; c < columns.len; ++c) {
        if (column[c].tag == DATA_VARCHAR || column[c].tag == DATA_BLOB) {
          if (column[c].data.strings.data.len) free((void*)column[c].data.strings.data.ptr);
          free((void*)column[c].data.strings.offsets.ptr);
        } else if (column[c].data.items.len) {
          free((void*)column[c].data.items.ptr);
        }
        if (column[c].validity.len) free((void*)column[c].validity.ptr);
      }
      if (columns.len) free((void*)column);
      if (!count_only) break;
    }
    if (count_only) printf("%llu rows in %llu batches, sum %lld\n", total, batches, sum);
    return 0;
  }
  if (strcmp(command, ".close-cursor") == 0) {
    cursor_close(*cursor);
    return 0;
  }
  return -1;
}

/* The commands about appenders; returns the exit status so far (0: go on), or -1 when `command`
 * is not one of them. */
static int appender_command(uint32_t connection, uint32_t* appender, int argc, char** argv,
                            int* i) {
  const char* command = argv[*i];
  unit_ret ret = {0};
  if (strcmp(command, ".appender") == 0 && *i + 1 < argc) {
    const char* table = argv[++*i];
    handle_ret made;
    CALL(connection_appender(connection, table, strlen(table), 0, NULL, 0, &made));
    if (made.is_err) return failed(&made.val.err);
    if (*appender) appender_drop(*appender);
    *appender = made.val.handle;
    return 0;
  }
  if (strcmp(command, ".appender-columns") == 0) {
    sql_list columns;
    CALL(appender_columns(*appender, &columns));
    print_header(columns);
    return 0;
  }
  if (strcmp(command, ".append") == 0 && *i + 1 < argc) {
    int count = atoi(argv[*i + 1]);
    if (count < 0 || *i + 1 + count >= argc) return bad_value(argv[*i + 1]);
    sql_value* values = calloc(count ? (size_t)count : 1, sizeof *values);
    for (int v = 0; v < count; ++v) {
      if (!parse_value(argv[*i + 2 + v], &values[v])) return bad_value(argv[*i + 2 + v]);
    }
    CALL(appender_append_row(*appender, values, (size_t)count, &ret));
    *i += 1 + count;
  } else if (strcmp(command, ".load") == 0 && *i + 2 < argc) {
    /* .load ROWS BATCH: rows (id BIGINT, name VARCHAR, score DOUBLE) = (n, 'row n', n / 2),
     * BATCH rows per append-rows call. */
    unsigned long total = strtoul(argv[*i + 1], NULL, 10);
    unsigned long batch = strtoul(argv[*i + 2], NULL, 10);
    *i += 2;
    if (batch == 0) return bad_value("0");
    sql_value* cells = calloc(batch * 3, sizeof *cells);
    sql_list* rows = calloc(batch, sizeof *rows);
    char* names = calloc(batch, 24);
    for (unsigned long done = 0; done < total && !ret.is_err;) {
      unsigned long n = total - done < batch ? total - done : batch;
      for (unsigned long r = 0; r < n; ++r) {
        unsigned long id = done + r;
        sql_value* row = &cells[r * 3];
        char* name = &names[r * 24];
        row[0].tag = VALUE_BIGINT;
        row[0].val.bigint = (int64_t)id;
        row[1].tag = VALUE_VARCHAR;
        row[1].val.varchar = (sql_string){name, (size_t)snprintf(name, 24, "row %lu", id)};
        row[2].tag = VALUE_DOUBLE;
        row[2].val.f64 = id / 2.0;
        rows[r] = (sql_list){row, 3};
      }
      CALL(appender_append_rows(*appender, rows, n, &ret));
      done += n;
    }
  } else if (strcmp(command, ".flush") == 0) {
    CALL(appender_flush(*appender, &ret));
  } else if (strcmp(command, ".close-appender") == 0) {
    CALL(appender_close(*appender, &ret));
  } else {
    return -1;
  }
  return ret.is_err ? failed(&ret.err) : 0;
}

/* The commands about prepared statements; returns the exit status so far (0: go on). */
static int statement_command(uint32_t connection, uint32_t* statement, int argc, char** argv,
                             int* i) {
  const char* command = argv[*i];
  if (strcmp(command, ".prepare") == 0 && *i + 1 < argc) {
    handle_ret made;
    ++*i;
    CALL(connection_prepare(connection, argv[*i], strlen(argv[*i]), &made));
    if (made.is_err) return failed(&made.val.err);
    if (*statement) statement_drop(*statement);
    *statement = made.val.handle;
    return 0;
  }
  if (strcmp(command, ".params") == 0) {
    uint32_t count = statement_parameter_count(*statement);
    printf("%u parameters:", count);
    for (uint32_t p = 1; p <= count + 1; ++p) { /* one past the end answers none */
      option_string name;
      CALL(statement_parameter_name(*statement, p, &name));
      if (name.is_some)
        printf(" %.*s", (int)name.val.len, name.val.ptr);
      else
        printf(" -");
    }
    printf("\n");
    return 0;
  }
  unit_ret ret = {0};
  if (strcmp(command, ".bind") == 0 && *i + 2 < argc) {
    sql_value value;
    uint32_t index = (uint32_t)strtoul(argv[*i + 1], NULL, 10);
    if (!parse_value(argv[*i + 2], &value)) return bad_value(argv[*i + 2]);
    int64_t f[4];
    flat_value(&value, f);
    CALL(statement_bind(*statement, index, value.tag, f[0], f[1], f[2], f[3], &ret));
    *i += 2;
  } else if (strcmp(command, ".bind-named") == 0 && *i + 2 < argc) {
    sql_value value;
    const char* name = argv[*i + 1];
    if (!parse_value(argv[*i + 2], &value)) return bad_value(argv[*i + 2]);
    int64_t f[4];
    flat_value(&value, f);
    CALL(statement_bind_named(*statement, name, strlen(name), value.tag, f[0], f[1], f[2], f[3],
                              &ret));
    *i += 2;
  } else if (strcmp(command, ".bind-all") == 0 && *i + 1 < argc) {
    int count = atoi(argv[*i + 1]);
    if (count < 0 || *i + 1 + count >= argc) return bad_value(argv[*i + 1]);
    sql_value* values = calloc(count ? (size_t)count : 1, sizeof *values);
    for (int v = 0; v < count; ++v) {
      if (!parse_value(argv[*i + 2 + v], &values[v])) return bad_value(argv[*i + 2 + v]);
    }
    CALL(statement_bind_all(*statement, values, (size_t)count, &ret));
    *i += 1 + count;
  } else if (strcmp(command, ".clear") == 0) {
    CALL(statement_clear_bindings(*statement, &ret));
  } else if (strcmp(command, ".exec") == 0) {
    execute_ret result;
    CALL(statement_execute(*statement, &result));
    return print_result(&result);
  } else if (strcmp(command, ".close-statement") == 0) {
    statement_close(*statement);
  } else {
    fprintf(stderr, "sql: unknown command or missing arguments: %s\n", command);
    return 2;
  }
  return ret.is_err ? failed(&ret.err) : 0;
}

int main(int argc, char** argv) {
  int first = 1, keep_going = 0, any_failed = 0;
  const char* path = ":memory:";
  if (argc > first && strcmp(argv[first], "--keep-going") == 0) {
    keep_going = 1;
    first++;
  }
  if (argc > first + 1 && strcmp(argv[first], "--db") == 0) {
    path = argv[first + 1];
    first += 2;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: sql [--keep-going] [--db PATH] STATEMENT...\n");
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
  uint32_t statement = 0, cursor = 0, appender = 0;
  int status = 0;
  for (int i = first; i < argc && status == 0; ++i) {
    unit_ret done = {0};
    if (strcmp(argv[i], ".close") == 0) {
      connection_close(connection);
    } else if (strcmp(argv[i], ".begin") == 0) {
      CALL(connection_begin_transaction(connection, &done));
    } else if (strcmp(argv[i], ".commit") == 0) {
      CALL(connection_commit(connection, &done));
    } else if (strcmp(argv[i], ".rollback") == 0) {
      CALL(connection_rollback(connection, &done));
    } else if (strcmp(argv[i], ".interrupt") == 0) {
      connection_interrupt(connection);
    } else if (strcmp(argv[i], ".trap") == 0) {
      fflush(stdout);
      __builtin_trap(); /* everything still open goes with the instance */
    } else if (argv[i][0] == '.') {
      status = cursor_command(connection, statement, &cursor, argc, argv, &i);
      if (status < 0) status = appender_command(connection, &appender, argc, argv, &i);
      if (status < 0) status = statement_command(connection, &statement, argc, argv, &i);
    } else {
      status = run(connection, argv[i]);
    }
    if (done.is_err) status = failed(&done.err);
    if (status == 1 && keep_going) {
      any_failed = 1;
      status = 0;
    }
  }
  if (appender) appender_drop(appender); /* flushes what close did not */
  if (cursor) cursor_drop(cursor);
  if (statement) statement_drop(statement);
  connection_drop(connection);
  return status ? status : any_failed;
}
