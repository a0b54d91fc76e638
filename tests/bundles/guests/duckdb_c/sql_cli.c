/* A WASI command using duckdb:database@0.1.0, with the imports declared by hand following the
 * Canonical ABI (there is no wit-bindgen for C here):
 *
 *   sql [--db PATH] STATEMENT...
 *
 * Opens the database PATH (default ":memory:"), connects, and runs each STATEMENT in order. A
 * result with columns prints a header line "name:TYPE<TAB>..." (DuckDB's spelling of the type)
 * then one line per row (checking each value's case against its column's type-id), and "N rows
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
    printf("%s%.*s:%.*s", c ? "\t" : "", (int)columns[c].name.len, columns[c].name.ptr,
           (int)columns[c].type_name.len, columns[c].type_name.ptr);
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
      if (!matches_kind(columns[c].kind, values[c].tag)) {
        fprintf(stderr, "sql: row %zu: column %zu of type-id %u holds value case %u\n", r, c,
                columns[c].kind, values[c].tag);
        return 1;
      }
      if (c) printf("\t");
      print_value(&values[c], 0);
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
