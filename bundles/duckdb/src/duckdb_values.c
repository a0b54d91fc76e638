#include "duckdb_values.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A scalar is read straight into a value: `value` has the cases of `scalar`, in the same order,
 * then `nested`, so the two share their layout up to the end of `scalar`. */
_Static_assert(offsetof(sql_scalar, val) == offsetof(sql_value, val), "scalar and value layouts");
_Static_assert(sizeof(sql_scalar) <= sizeof(sql_value), "scalar and value layouts");
_Static_assert((int)SQL_SCALAR_ENUM == (int)SQL_VALUE_ENUM &&
                   SQL_VALUE_NESTED == SQL_VALUE_ENUM + 1,
               "value has the cases of scalar, then nested");

/* ---- type names ---- */

static const struct {
  duckdb_type type;
  sql_type_id kind;
  const char* name;
} simple_types[] = {
    {DUCKDB_TYPE_SQLNULL, SQL_TYPE_ID_SQLNULL, "NULL"},
    {DUCKDB_TYPE_BOOLEAN, SQL_TYPE_ID_BOOLEAN, "BOOLEAN"},
    {DUCKDB_TYPE_TINYINT, SQL_TYPE_ID_TINYINT, "TINYINT"},
    {DUCKDB_TYPE_SMALLINT, SQL_TYPE_ID_SMALLINT, "SMALLINT"},
    {DUCKDB_TYPE_INTEGER, SQL_TYPE_ID_INTEGER, "INTEGER"},
    {DUCKDB_TYPE_BIGINT, SQL_TYPE_ID_BIGINT, "BIGINT"},
    {DUCKDB_TYPE_HUGEINT, SQL_TYPE_ID_HUGEINT, "HUGEINT"},
    {DUCKDB_TYPE_UTINYINT, SQL_TYPE_ID_UTINYINT, "UTINYINT"},
    {DUCKDB_TYPE_USMALLINT, SQL_TYPE_ID_USMALLINT, "USMALLINT"},
    {DUCKDB_TYPE_UINTEGER, SQL_TYPE_ID_UINTEGER, "UINTEGER"},
    {DUCKDB_TYPE_UBIGINT, SQL_TYPE_ID_UBIGINT, "UBIGINT"},
    {DUCKDB_TYPE_UHUGEINT, SQL_TYPE_ID_UHUGEINT, "UHUGEINT"},
    {DUCKDB_TYPE_FLOAT, SQL_TYPE_ID_FLOAT, "FLOAT"},
    {DUCKDB_TYPE_DOUBLE, SQL_TYPE_ID_DOUBLE, "DOUBLE"},
    {DUCKDB_TYPE_VARCHAR, SQL_TYPE_ID_VARCHAR, "VARCHAR"},
    {DUCKDB_TYPE_BLOB, SQL_TYPE_ID_BLOB, "BLOB"},
    {DUCKDB_TYPE_BIT, SQL_TYPE_ID_BIT, "BIT"},
    {DUCKDB_TYPE_DATE, SQL_TYPE_ID_DATE, "DATE"},
    {DUCKDB_TYPE_TIME, SQL_TYPE_ID_TIME, "TIME"},
    {DUCKDB_TYPE_TIME_NS, SQL_TYPE_ID_TIME_NS, "TIME_NS"},
    {DUCKDB_TYPE_TIME_TZ, SQL_TYPE_ID_TIME_TZ, "TIME WITH TIME ZONE"},
    {DUCKDB_TYPE_TIMESTAMP, SQL_TYPE_ID_TIMESTAMP, "TIMESTAMP"},
    {DUCKDB_TYPE_TIMESTAMP_S, SQL_TYPE_ID_TIMESTAMP_S, "TIMESTAMP_S"},
    {DUCKDB_TYPE_TIMESTAMP_MS, SQL_TYPE_ID_TIMESTAMP_MS, "TIMESTAMP_MS"},
    {DUCKDB_TYPE_TIMESTAMP_NS, SQL_TYPE_ID_TIMESTAMP_NS, "TIMESTAMP_NS"},
    {DUCKDB_TYPE_TIMESTAMP_TZ, SQL_TYPE_ID_TIMESTAMP_TZ, "TIMESTAMP WITH TIME ZONE"},
    {DUCKDB_TYPE_INTERVAL, SQL_TYPE_ID_INTERVAL, "INTERVAL"},
    {DUCKDB_TYPE_UUID, SQL_TYPE_ID_UUID, "UUID"},
};

/* A growing string; `failed` once memory ran out. */
typedef struct text {
  char* data;
  size_t len, cap;
  int failed;
} text;

static void text_add(text* t, const char* format, ...) {
  if (t->failed) return;
  va_list args;
  va_start(args, format);
  va_list again;
  va_copy(again, args);
  int n = vsnprintf(NULL, 0, format, args);
  va_end(args);
  if (n < 0 || t->len + (size_t)n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 64;
    while (n >= 0 && cap < t->len + (size_t)n + 1) cap *= 2;
    char* grown = n < 0 ? NULL : realloc(t->data, cap);
    if (grown == NULL) {
      t->failed = 1;
      va_end(again);
      return;
    }
    t->data = grown;
    t->cap = cap;
  }
  vsnprintf(t->data + t->len, t->cap - t->len, format, again);
  va_end(again);
  t->len += (size_t)n;
}

/* A field name as DuckDB's SQL writes it: quoted unless a plain lower-case identifier. */
static void text_add_name(text* t, const char* name) {
  int plain = (name[0] >= 'a' && name[0] <= 'z') || name[0] == '_';
  for (const char* c = name; *c && plain; ++c) {
    plain = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_';
  }
  if (plain) {
    text_add(t, "%s", name);
    return;
  }
  text_add(t, "\"");
  for (const char* c = name; *c; ++c) text_add(t, *c == '"' ? "\"\"" : "%c", *c);
  text_add(t, "\"");
}

/* ---- readers ---- */

void column_reader_free(column_reader* reader) {
  for (size_t i = 0; i < reader->name_count; ++i) free(reader->names[i]);
  free(reader->names);
  for (size_t i = 0; i < reader->child_count; ++i) column_reader_free(&reader->children[i]);
  free(reader->children);
  free(reader->type_name);
  memset(reader, 0, sizeof *reader);
}

/* Copies a string DuckDB allocated and frees it. */
static char* take_duckdb_string(char* text) {
  char* copy = text ? strdup(text) : NULL;
  duckdb_free(text);
  return copy;
}

static int no_memory(char* message, size_t size) {
  snprintf(message, size, "out of memory reading the result's types");
  return 0;
}

/* Makes `count` children (and, with `named`, as many names) from `type`'s child types. */
static int init_children(column_reader* reader, duckdb_logical_type type, size_t count,
                         char* message, size_t size) {
  reader->children = calloc(count ? count : 1, sizeof *reader->children);
  if (reader->children == NULL) return no_memory(message, size);
  for (size_t i = 0; i < count; ++i) {
    duckdb_logical_type child = NULL;
    switch (reader->type) {
      case DUCKDB_TYPE_LIST:
        child = duckdb_list_type_child_type(type);
        break;
      case DUCKDB_TYPE_ARRAY:
        child = duckdb_array_type_child_type(type);
        break;
      case DUCKDB_TYPE_MAP:
        child = i == 0 ? duckdb_map_type_key_type(type) : duckdb_map_type_value_type(type);
        break;
      case DUCKDB_TYPE_STRUCT:
        child = duckdb_struct_type_child_type(type, i);
        break;
      default:
        child = duckdb_union_type_member_type(type, i);
        break;
    }
    int made = child != NULL && column_reader_init(&reader->children[i], child, message, size);
    duckdb_destroy_logical_type(&child);
    if (!made) return child == NULL ? no_memory(message, size) : 0;
    reader->child_count = i + 1;
  }
  return 1;
}

static int init_names(column_reader* reader, duckdb_logical_type type, size_t count, char* message,
                      size_t size) {
  reader->names = calloc(count ? count : 1, sizeof *reader->names);
  if (reader->names == NULL) return no_memory(message, size);
  for (size_t i = 0; i < count; ++i) {
    char* name = reader->type == DUCKDB_TYPE_ENUM     ? duckdb_enum_dictionary_value(type, i)
                 : reader->type == DUCKDB_TYPE_STRUCT ? duckdb_struct_type_child_name(type, i)
                                                      : duckdb_union_type_member_name(type, i);
    reader->names[i] = take_duckdb_string(name);
    if (reader->names[i] == NULL) return no_memory(message, size);
    reader->name_count = i + 1;
  }
  return 1;
}

/* The SQL spelling of a nested, decimal or enum type, from its parts. */
static char* compose_type_name(const column_reader* reader) {
  text t = {0};
  switch (reader->type) {
    case DUCKDB_TYPE_DECIMAL:
      text_add(&t, "DECIMAL(%u,%u)", reader->width, reader->scale);
      break;
    case DUCKDB_TYPE_ENUM:
      text_add(&t, "ENUM(");
      for (size_t i = 0; i < reader->name_count; ++i) {
        text_add(&t, "%s'", i ? ", " : "");
        for (const char* c = reader->names[i]; *c; ++c) text_add(&t, *c == '\'' ? "''" : "%c", *c);
        text_add(&t, "'");
      }
      text_add(&t, ")");
      break;
    case DUCKDB_TYPE_LIST:
      text_add(&t, "%s[]", reader->children[0].type_name);
      break;
    case DUCKDB_TYPE_ARRAY:
      text_add(&t, "%s[%llu]", reader->children[0].type_name,
               (unsigned long long)reader->array_size);
      break;
    case DUCKDB_TYPE_MAP:
      text_add(&t, "MAP(%s, %s)", reader->children[0].type_name, reader->children[1].type_name);
      break;
    default: /* STRUCT, UNION */
      text_add(&t, reader->type == DUCKDB_TYPE_STRUCT ? "STRUCT(" : "UNION(");
      for (size_t i = 0; i < reader->child_count; ++i) {
        if (i) text_add(&t, ", ");
        text_add_name(&t, reader->names[i]);
        text_add(&t, " %s", reader->children[i].type_name);
      }
      text_add(&t, ")");
      break;
  }
  if (t.failed) {
    free(t.data);
    return NULL;
  }
  return t.data;
}

static int init_parts(column_reader* reader, duckdb_logical_type type, char* message, size_t size) {
  for (size_t i = 0; i < sizeof simple_types / sizeof simple_types[0]; ++i) {
    if (simple_types[i].type == reader->type) {
      reader->kind = simple_types[i].kind;
      reader->type_name = strdup(simple_types[i].name);
      return reader->type_name ? 1 : no_memory(message, size);
    }
  }
  int made = 0;
  switch (reader->type) {
    case DUCKDB_TYPE_DECIMAL:
      reader->kind = SQL_TYPE_ID_DECIMAL;
      reader->width = duckdb_decimal_width(type);
      reader->scale = duckdb_decimal_scale(type);
      reader->storage = duckdb_decimal_internal_type(type);
      made = 1;
      break;
    case DUCKDB_TYPE_ENUM:
      reader->kind = SQL_TYPE_ID_ENUM;
      reader->storage = duckdb_enum_internal_type(type);
      made = init_names(reader, type, duckdb_enum_dictionary_size(type), message, size);
      break;
    case DUCKDB_TYPE_LIST:
      reader->kind = SQL_TYPE_ID_LIST;
      made = init_children(reader, type, 1, message, size);
      break;
    case DUCKDB_TYPE_ARRAY:
      reader->kind = SQL_TYPE_ID_ARRAY;
      reader->array_size = duckdb_array_type_array_size(type);
      made = init_children(reader, type, 1, message, size);
      break;
    case DUCKDB_TYPE_MAP:
      reader->kind = SQL_TYPE_ID_MAP;
      made = init_children(reader, type, 2, message, size);
      break;
    case DUCKDB_TYPE_STRUCT:
    case DUCKDB_TYPE_UNION: {
      int is_struct = reader->type == DUCKDB_TYPE_STRUCT;
      reader->kind = is_struct ? SQL_TYPE_ID_STRUCT : SQL_TYPE_ID_UNION;
      size_t count =
          is_struct ? duckdb_struct_type_child_count(type) : duckdb_union_type_member_count(type);
      made = init_names(reader, type, count, message, size) &&
             init_children(reader, type, count, message, size);
      break;
    }
    case DUCKDB_TYPE_BIGNUM:
      snprintf(message, size, "BIGNUM");
      return 0;
    default:
      snprintf(message, size, "an unknown type (DuckDB type number %d)", (int)reader->type);
      return 0;
  }
  if (!made) return 0;
  reader->type_name = compose_type_name(reader);
  return reader->type_name ? 1 : no_memory(message, size);
}

int column_reader_init(column_reader* reader, duckdb_logical_type type, char* message,
                       size_t message_size) {
  memset(reader, 0, sizeof *reader);
  reader->type = duckdb_get_type_id(type);
  if (!init_parts(reader, type, message, message_size)) {
    column_reader_free(reader);
    return 0;
  }
  return 1;
}

/* ---- values ---- */

static int is_nested(const column_reader* reader) {
  switch (reader->type) {
    case DUCKDB_TYPE_LIST:
    case DUCKDB_TYPE_ARRAY:
    case DUCKDB_TYPE_MAP:
    case DUCKDB_TYPE_STRUCT:
    case DUCKDB_TYPE_UNION:
      return 1;
    default:
      return 0;
  }
}

static int is_valid(duckdb_vector vector, idx_t row) {
  uint64_t* validity = duckdb_vector_get_validity(vector);
  return validity == NULL || duckdb_validity_row_is_valid(validity, row);
}

/* An integer of DuckDB's storage type `storage` (DECIMAL, ENUM) as a hugeint. */
static sql_hugeint stored_integer(duckdb_type storage, const void* data, idx_t row) {
  int64_t small;
  switch (storage) {
    case DUCKDB_TYPE_UTINYINT:
      small = ((const uint8_t*)data)[row];
      break;
    case DUCKDB_TYPE_USMALLINT:
      small = ((const uint16_t*)data)[row];
      break;
    case DUCKDB_TYPE_UINTEGER:
      small = ((const uint32_t*)data)[row];
      break;
    case DUCKDB_TYPE_SMALLINT:
      small = ((const int16_t*)data)[row];
      break;
    case DUCKDB_TYPE_INTEGER:
      small = ((const int32_t*)data)[row];
      break;
    case DUCKDB_TYPE_BIGINT:
      small = ((const int64_t*)data)[row];
      break;
    default: {
      duckdb_hugeint h = ((const duckdb_hugeint*)data)[row];
      return (sql_hugeint){h.lower, h.upper};
    }
  }
  return (sql_hugeint){(uint64_t)small, small < 0 ? -1 : 0};
}

static berth_str copy_string(berth_call* call, duckdb_string_t* text) {
  return berth_str_copy(call, duckdb_string_t_data(text), duckdb_string_t_length(*text));
}

/* BIT values: a first byte counting the padding bits of the second, then the bits. */
static berth_str bit_string(berth_call* call, duckdb_string_t* stored) {
  const uint8_t* bytes = (const uint8_t*)duckdb_string_t_data(stored);
  uint32_t len = duckdb_string_t_length(*stored);
  if (len < 2) return (berth_str){NULL, 0};
  size_t count = (size_t)(len - 1) * 8 - bytes[0];
  char* out = call->host->alloc(call, count ? count : 1, 1);
  if (out == NULL) return (berth_str){NULL, 0};
  for (size_t i = 0; i < count; ++i) {
    size_t bit = i + bytes[0];
    out[i] = (bytes[1 + bit / 8] >> (7 - bit % 8)) & 1 ? '1' : '0';
  }
  return (berth_str){out, count};
}

static int read_scalar(berth_call* call, const column_reader* reader, duckdb_vector vector,
                       idx_t row, sql_scalar* out) {
  void* data = duckdb_vector_get_data(vector);
  switch (reader->type) {
    case DUCKDB_TYPE_SQLNULL:
      out->tag = SQL_SCALAR_NULL;
      break;
    case DUCKDB_TYPE_BOOLEAN:
      out->tag = SQL_SCALAR_BOOLEAN;
      out->val.boolean = ((const bool*)data)[row];
      break;
    case DUCKDB_TYPE_TINYINT:
      out->tag = SQL_SCALAR_TINYINT;
      out->val.tinyint = ((const int8_t*)data)[row];
      break;
    case DUCKDB_TYPE_SMALLINT:
      out->tag = SQL_SCALAR_SMALLINT;
      out->val.smallint = ((const int16_t*)data)[row];
      break;
    case DUCKDB_TYPE_INTEGER:
      out->tag = SQL_SCALAR_INTEGER;
      out->val.integer = ((const int32_t*)data)[row];
      break;
    case DUCKDB_TYPE_BIGINT:
      out->tag = SQL_SCALAR_BIGINT;
      out->val.bigint = ((const int64_t*)data)[row];
      break;
    case DUCKDB_TYPE_HUGEINT:
      out->tag = SQL_SCALAR_HUGEINT;
      out->val.hugeint = stored_integer(DUCKDB_TYPE_HUGEINT, data, row);
      break;
    case DUCKDB_TYPE_UTINYINT:
      out->tag = SQL_SCALAR_UTINYINT;
      out->val.utinyint = ((const uint8_t*)data)[row];
      break;
    case DUCKDB_TYPE_USMALLINT:
      out->tag = SQL_SCALAR_USMALLINT;
      out->val.usmallint = ((const uint16_t*)data)[row];
      break;
    case DUCKDB_TYPE_UINTEGER:
      out->tag = SQL_SCALAR_UINTEGER;
      out->val.uinteger = ((const uint32_t*)data)[row];
      break;
    case DUCKDB_TYPE_UBIGINT:
      out->tag = SQL_SCALAR_UBIGINT;
      out->val.ubigint = ((const uint64_t*)data)[row];
      break;
    case DUCKDB_TYPE_UHUGEINT: {
      duckdb_uhugeint u = ((const duckdb_uhugeint*)data)[row];
      out->tag = SQL_SCALAR_UHUGEINT;
      out->val.uhugeint = (sql_uhugeint){u.lower, u.upper};
      break;
    }
    case DUCKDB_TYPE_FLOAT:
      out->tag = SQL_SCALAR_FLOAT;
      out->val.float_ = ((const float*)data)[row];
      break;
    case DUCKDB_TYPE_DOUBLE:
      out->tag = SQL_SCALAR_DOUBLE;
      out->val.double_ = ((const double*)data)[row];
      break;
    case DUCKDB_TYPE_DECIMAL:
      out->tag = SQL_SCALAR_DECIMAL;
      out->val.decimal.width = reader->width;
      out->val.decimal.scale = reader->scale;
      out->val.decimal.value = stored_integer(reader->storage, data, row);
      break;
    case DUCKDB_TYPE_VARCHAR:
      out->tag = SQL_SCALAR_VARCHAR;
      out->val.varchar = copy_string(call, &((duckdb_string_t*)data)[row]);
      break;
    case DUCKDB_TYPE_BLOB: {
      berth_str bytes = copy_string(call, &((duckdb_string_t*)data)[row]);
      out->tag = SQL_SCALAR_BLOB;
      out->val.blob = (berth_list){bytes.ptr, bytes.len};
      break;
    }
    case DUCKDB_TYPE_BIT:
      out->tag = SQL_SCALAR_BIT;
      out->val.bit = bit_string(call, &((duckdb_string_t*)data)[row]);
      break;
    case DUCKDB_TYPE_DATE:
      out->tag = SQL_SCALAR_DATE;
      out->val.date = ((const duckdb_date*)data)[row].days;
      break;
    case DUCKDB_TYPE_TIME:
      out->tag = SQL_SCALAR_TIME;
      out->val.time = ((const duckdb_time*)data)[row].micros;
      break;
    case DUCKDB_TYPE_TIME_NS:
      out->tag = SQL_SCALAR_TIME_NS;
      out->val.time_ns = ((const duckdb_time_ns*)data)[row].nanos;
      break;
    case DUCKDB_TYPE_TIME_TZ: {
      duckdb_time_tz_struct parts = duckdb_from_time_tz(((const duckdb_time_tz*)data)[row]);
      out->tag = SQL_SCALAR_TIME_TZ;
      out->val.time_tz.micros =
          ((int64_t)parts.time.hour * 3600 + parts.time.min * 60 + parts.time.sec) * 1000000 +
          parts.time.micros;
      out->val.time_tz.offset_seconds = parts.offset;
      break;
    }
    case DUCKDB_TYPE_TIMESTAMP:
      out->tag = SQL_SCALAR_TIMESTAMP;
      out->val.timestamp = ((const duckdb_timestamp*)data)[row].micros;
      break;
    case DUCKDB_TYPE_TIMESTAMP_S:
      out->tag = SQL_SCALAR_TIMESTAMP_S;
      out->val.timestamp_s = ((const duckdb_timestamp_s*)data)[row].seconds;
      break;
    case DUCKDB_TYPE_TIMESTAMP_MS:
      out->tag = SQL_SCALAR_TIMESTAMP_MS;
      out->val.timestamp_ms = ((const duckdb_timestamp_ms*)data)[row].millis;
      break;
    case DUCKDB_TYPE_TIMESTAMP_NS:
      out->tag = SQL_SCALAR_TIMESTAMP_NS;
      out->val.timestamp_ns = ((const duckdb_timestamp_ns*)data)[row].nanos;
      break;
    case DUCKDB_TYPE_TIMESTAMP_TZ:
      out->tag = SQL_SCALAR_TIMESTAMP_TZ;
      out->val.timestamp_tz = ((const duckdb_timestamp*)data)[row].micros;
      break;
    case DUCKDB_TYPE_INTERVAL: {
      duckdb_interval i = ((const duckdb_interval*)data)[row];
      out->tag = SQL_SCALAR_INTERVAL;
      out->val.interval = (sql_interval){i.months, i.days, i.micros};
      break;
    }
    case DUCKDB_TYPE_UUID: {
      /* DuckDB stores a UUID as a hugeint with the top bit flipped, so that it sorts. */
      duckdb_hugeint h = ((const duckdb_hugeint*)data)[row];
      out->tag = SQL_SCALAR_UUID;
      out->val.uuid = (sql_uuid){(uint64_t)h.upper ^ ((uint64_t)1 << 63), h.lower};
      break;
    }
    case DUCKDB_TYPE_ENUM: {
      sql_hugeint index = stored_integer(reader->storage, data, row);
      if (index.lower >= reader->name_count) return 0;
      out->tag = SQL_SCALAR_ENUM;
      out->val.enum_ = berth_str_from_cstr(call, reader->names[index.lower]);
      break;
    }
    default:
      return 0;
  }
  return 1;
}

/* The nodes of one nested value, growing in the call's arena. */
typedef struct node_list {
  sql_node* items;
  size_t len, cap;
} node_list;

static int64_t node_add(berth_call* call, node_list* nodes) {
  if (nodes->len == nodes->cap) {
    size_t cap = nodes->cap ? 2 * nodes->cap : 8;
    sql_node* grown = call->host->alloc(call, cap * sizeof *grown, _Alignof(sql_node));
    if (grown == NULL) return -1;
    if (nodes->len) memcpy(grown, nodes->items, nodes->len * sizeof *grown);
    nodes->items = grown; /* the old array goes with the arena */
    nodes->cap = cap;
  }
  return (int64_t)nodes->len++;
}

static int read_node(berth_call* call, const column_reader* reader, duckdb_vector vector, idx_t row,
                     node_list* nodes, uint32_t* index);

/* `count` nodes from `child`, rows `first`..., their indexes into a new arena array. */
static uint32_t* read_nodes(berth_call* call, const column_reader* reader, duckdb_vector child,
                            idx_t first, idx_t count, node_list* nodes) {
  uint32_t* indexes = call->host->alloc(call, (count ? count : 1) * sizeof *indexes, 4);
  if (indexes == NULL) return NULL;
  for (idx_t i = 0; i < count; ++i) {
    if (!read_node(call, reader, child, first + i, nodes, &indexes[i])) return NULL;
  }
  return indexes;
}

static int read_node(berth_call* call, const column_reader* reader, duckdb_vector vector, idx_t row,
                     node_list* nodes, uint32_t* index) {
  int64_t at = node_add(call, nodes);
  if (at < 0) return 0;
  *index = (uint32_t)at;
  sql_node node;
  memset(&node, 0, sizeof node);
  if (!is_valid(vector, row)) {
    node.tag = SQL_NODE_SCALAR;
    node.val.scalar.tag = SQL_SCALAR_NULL;
  } else if (reader->type == DUCKDB_TYPE_LIST || reader->type == DUCKDB_TYPE_MAP) {
    duckdb_list_entry entry = ((const duckdb_list_entry*)duckdb_vector_get_data(vector))[row];
    duckdb_vector child = duckdb_list_vector_get_child(vector);
    if (reader->type == DUCKDB_TYPE_LIST) {
      uint32_t* items =
          read_nodes(call, &reader->children[0], child, entry.offset, entry.length, nodes);
      if (items == NULL) return 0;
      node.tag = SQL_NODE_LIST;
      node.val.list = (berth_list){items, entry.length};
    } else {
      /* A map is a list of (key, value) structs. */
      duckdb_vector keys = duckdb_struct_vector_get_child(child, 0);
      duckdb_vector values = duckdb_struct_vector_get_child(child, 1);
      sql_map_entry* entries = call->host->alloc(
          call, (entry.length ? entry.length : 1) * sizeof *entries, _Alignof(sql_map_entry));
      if (entries == NULL) return 0;
      for (idx_t i = 0; i < entry.length; ++i) {
        if (!read_node(call, &reader->children[0], keys, entry.offset + i, nodes,
                       &entries[i].key) ||
            !read_node(call, &reader->children[1], values, entry.offset + i, nodes,
                       &entries[i].value)) {
          return 0;
        }
      }
      node.tag = SQL_NODE_MAP;
      node.val.map = (berth_list){entries, entry.length};
    }
  } else if (reader->type == DUCKDB_TYPE_ARRAY) {
    duckdb_vector child = duckdb_array_vector_get_child(vector);
    uint32_t* items = read_nodes(call, &reader->children[0], child, row * reader->array_size,
                                 reader->array_size, nodes);
    if (items == NULL) return 0;
    node.tag = SQL_NODE_ARRAY;
    node.val.array = (berth_list){items, reader->array_size};
  } else if (reader->type == DUCKDB_TYPE_STRUCT) {
    sql_field* fields =
        call->host->alloc(call, (reader->child_count ? reader->child_count : 1) * sizeof *fields,
                          _Alignof(sql_field));
    if (fields == NULL) return 0;
    for (size_t i = 0; i < reader->child_count; ++i) {
      fields[i].name = berth_str_from_cstr(call, reader->names[i]);
      if (!read_node(call, &reader->children[i], duckdb_struct_vector_get_child(vector, i), row,
                     nodes, &fields[i].value)) {
        return 0;
      }
    }
    node.tag = SQL_NODE_STRUCT;
    node.val.struct_ = (berth_list){fields, reader->child_count};
  } else if (reader->type == DUCKDB_TYPE_UNION) {
    /* A union is a struct whose first child is the tag, then one child per member. */
    duckdb_vector tags = duckdb_struct_vector_get_child(vector, 0);
    uint8_t tag = ((const uint8_t*)duckdb_vector_get_data(tags))[row];
    if (tag >= reader->child_count) return 0;
    node.tag = SQL_NODE_UNION;
    node.val.union_.name = berth_str_from_cstr(call, reader->names[tag]);
    if (!read_node(call, &reader->children[tag], duckdb_struct_vector_get_child(vector, tag + 1),
                   row, nodes, &node.val.union_.value)) {
      return 0;
    }
  } else {
    node.tag = SQL_NODE_SCALAR;
    if (!read_scalar(call, reader, vector, row, &node.val.scalar)) return 0;
  }
  nodes->items[at] = node; /* after the children: adding them may have moved the array */
  return 1;
}

int column_reader_read(berth_call* call, const column_reader* reader, duckdb_vector vector,
                       idx_t row, sql_value* out) {
  if (!is_valid(vector, row)) {
    out->tag = SQL_VALUE_NULL;
    return 1;
  }
  if (!is_nested(reader)) {
    sql_scalar scalar;
    memset(&scalar, 0, sizeof scalar);
    if (!read_scalar(call, reader, vector, row, &scalar)) return 0;
    memcpy(out, &scalar, sizeof scalar);
    return 1;
  }
  node_list nodes = {0};
  uint32_t root;
  if (!read_node(call, reader, vector, row, &nodes, &root)) return 0;
  out->tag = SQL_VALUE_NESTED;
  out->val.nested = (berth_list){nodes.items, nodes.len};
  return 1;
}
