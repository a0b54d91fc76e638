#include "duckdb_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static duckdb_hugeint to_hugeint(sql_hugeint h) {
  return (duckdb_hugeint){h.lower, h.upper};
}

/* A bit string of '0' and '1' in DuckDB's form: a byte counting the padding bits, then the
 * bits, padded at the front. */
static duckdb_value bit_value(berth_str bits, char* message, size_t size) {
  size_t bytes = (bits.len + 7) / 8;
  uint8_t* data = calloc(1 + bytes, 1);
  if (data == NULL) {
    snprintf(message, size, "out of memory");
    return NULL;
  }
  size_t padding = bytes * 8 - bits.len;
  data[0] = (uint8_t)padding;
  for (size_t i = 0; i < padding; ++i) data[1] |= (uint8_t)(0x80 >> i); /* padding is 1s */
  for (size_t i = 0; i < bits.len; ++i) {
    if (bits.ptr[i] != '0' && bits.ptr[i] != '1') {
      free(data);
      snprintf(message, size, "a bit string holds only the characters 0 and 1");
      return NULL;
    }
    size_t bit = padding + i;
    if (bits.ptr[i] == '1') data[1 + bit / 8] |= (uint8_t)(0x80 >> (bit % 8));
  }
  duckdb_value out = duckdb_create_bit((duckdb_bit){data, 1 + bytes});
  free(data);
  return out;
}

/* `scalar` has the layout of the scalar cases of `value` (see duckdb_values.c). */
static duckdb_value scalar_to_duckdb(const sql_scalar* v, char* message, size_t size) {
  switch (v->tag) {
    case SQL_SCALAR_NULL:
      return duckdb_create_null_value();
    case SQL_SCALAR_BOOLEAN:
      return duckdb_create_bool(v->val.boolean);
    case SQL_SCALAR_TINYINT:
      return duckdb_create_int8(v->val.tinyint);
    case SQL_SCALAR_SMALLINT:
      return duckdb_create_int16(v->val.smallint);
    case SQL_SCALAR_INTEGER:
      return duckdb_create_int32(v->val.integer);
    case SQL_SCALAR_BIGINT:
      return duckdb_create_int64(v->val.bigint);
    case SQL_SCALAR_HUGEINT:
      return duckdb_create_hugeint(to_hugeint(v->val.hugeint));
    case SQL_SCALAR_UTINYINT:
      return duckdb_create_uint8(v->val.utinyint);
    case SQL_SCALAR_USMALLINT:
      return duckdb_create_uint16(v->val.usmallint);
    case SQL_SCALAR_UINTEGER:
      return duckdb_create_uint32(v->val.uinteger);
    case SQL_SCALAR_UBIGINT:
      return duckdb_create_uint64(v->val.ubigint);
    case SQL_SCALAR_UHUGEINT:
      return duckdb_create_uhugeint(
          (duckdb_uhugeint){v->val.uhugeint.lower, v->val.uhugeint.upper});
    case SQL_SCALAR_FLOAT:
      return duckdb_create_float(v->val.float_);
    case SQL_SCALAR_DOUBLE:
      return duckdb_create_double(v->val.double_);
    case SQL_SCALAR_DECIMAL:
      if (v->val.decimal.width < 1 || v->val.decimal.width > 38 ||
          v->val.decimal.scale > v->val.decimal.width) {
        snprintf(message, size,
                 "a decimal needs a width from 1 to 38 and a scale up to it, not "
                 "DECIMAL(%u,%u)",
                 v->val.decimal.width, v->val.decimal.scale);
        return NULL;
      }
      return duckdb_create_decimal((duckdb_decimal){v->val.decimal.width, v->val.decimal.scale,
                                                    to_hugeint(v->val.decimal.value)});
    case SQL_SCALAR_VARCHAR:
    case SQL_SCALAR_ENUM: /* a label: DuckDB casts it to the enum type of its use */
      return duckdb_create_varchar_length(v->val.varchar.ptr, v->val.varchar.len);
    case SQL_SCALAR_BLOB:
      return duckdb_create_blob((const uint8_t*)v->val.blob.ptr, v->val.blob.len);
    case SQL_SCALAR_BIT:
      return bit_value(v->val.bit, message, size);
    case SQL_SCALAR_DATE:
      return duckdb_create_date((duckdb_date){v->val.date});
    case SQL_SCALAR_TIME:
      return duckdb_create_time((duckdb_time){v->val.time});
    case SQL_SCALAR_TIME_NS:
      return duckdb_create_time_ns((duckdb_time_ns){v->val.time_ns});
    case SQL_SCALAR_TIME_TZ:
      return duckdb_create_time_tz_value(
          duckdb_create_time_tz(v->val.time_tz.micros, v->val.time_tz.offset_seconds));
    case SQL_SCALAR_TIMESTAMP:
      return duckdb_create_timestamp((duckdb_timestamp){v->val.timestamp});
    case SQL_SCALAR_TIMESTAMP_S:
      return duckdb_create_timestamp_s((duckdb_timestamp_s){v->val.timestamp_s});
    case SQL_SCALAR_TIMESTAMP_MS:
      return duckdb_create_timestamp_ms((duckdb_timestamp_ms){v->val.timestamp_ms});
    case SQL_SCALAR_TIMESTAMP_NS:
      return duckdb_create_timestamp_ns((duckdb_timestamp_ns){v->val.timestamp_ns});
    case SQL_SCALAR_TIMESTAMP_TZ:
      return duckdb_create_timestamp_tz((duckdb_timestamp){v->val.timestamp_tz});
    case SQL_SCALAR_INTERVAL:
      return duckdb_create_interval(
          (duckdb_interval){v->val.interval.months, v->val.interval.days, v->val.interval.micros});
    case SQL_SCALAR_UUID:
      return duckdb_create_uuid((duckdb_uhugeint){v->val.uuid.low, v->val.uuid.high});
    default:
      snprintf(message, size, "unknown value case %u", (unsigned)v->tag);
      return NULL;
  }
}

/* The nodes of one nested value, each used at most once and at most `max_depth` deep, so that
 * a malformed list (a cycle, a node shared many times, a chain a million deep) fails instead of
 * recursing without end. */
enum { max_depth = 128 };

typedef struct node_walk {
  const sql_node* nodes;
  size_t count;
  uint8_t* used;
  size_t depth;
  char* message;
  size_t size;
} node_walk;

static duckdb_value node_to_duckdb(node_walk* walk, uint32_t index);

/* Converts the nodes `indexes[0..count)`; NULL (after destroying what it made) on failure. */
static duckdb_value* nodes_to_duckdb(node_walk* walk, const uint32_t* indexes, size_t count) {
  duckdb_value* values = calloc(count ? count : 1, sizeof *values);
  if (values == NULL) {
    snprintf(walk->message, walk->size, "out of memory");
    return NULL;
  }
  for (size_t i = 0; i < count; ++i) {
    values[i] = node_to_duckdb(walk, indexes[i]);
    if (values[i] == NULL) {
      for (size_t j = 0; j < i; ++j) duckdb_destroy_value(&values[j]);
      free(values);
      return NULL;
    }
  }
  return values;
}

static void destroy_values(duckdb_value* values, size_t count) {
  for (size_t i = 0; values && i < count; ++i) duckdb_destroy_value(&values[i]);
  free(values);
}

/* The type the elements of a list share: the first non-null element's (NULL elements fit any
 * type); SQLNULL when there is none. The caller destroys it. */
static duckdb_logical_type element_type(const duckdb_value* values, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    duckdb_logical_type type = duckdb_get_value_type(values[i]);
    if (duckdb_get_type_id(type) != DUCKDB_TYPE_SQLNULL) {
      /* duckdb_get_value_type lends the type: make one the caller owns. */
      duckdb_logical_type copy = duckdb_create_list_type(type);
      duckdb_logical_type child = duckdb_list_type_child_type(copy);
      duckdb_destroy_logical_type(&copy);
      return child;
    }
  }
  return duckdb_create_logical_type(DUCKDB_TYPE_SQLNULL);
}

static duckdb_value list_to_duckdb(node_walk* walk, const sql_node* node) {
  const uint32_t* indexes = node->val.list.ptr;
  size_t count = node->val.list.len;
  duckdb_value* values = nodes_to_duckdb(walk, indexes, count);
  if (values == NULL) return NULL;
  duckdb_logical_type type = element_type(values, count);
  duckdb_value out = node->tag == SQL_NODE_LIST ? duckdb_create_list_value(type, values, count)
                                                : duckdb_create_array_value(type, values, count);
  duckdb_destroy_logical_type(&type);
  destroy_values(values, count);
  if (out == NULL) {
    snprintf(walk->message, walk->size, "the elements of a list are not all of one type");
  }
  return out;
}

static duckdb_value struct_to_duckdb(node_walk* walk, const sql_node* node) {
  const sql_field* fields = node->val.struct_.ptr;
  size_t count = node->val.struct_.len;
  if (count == 0) {
    snprintf(walk->message, walk->size, "a struct needs at least one field");
    return NULL;
  }
  uint32_t* indexes = calloc(count, sizeof *indexes);
  duckdb_logical_type* types = calloc(count, sizeof *types);
  char** names = calloc(count, sizeof *names);
  duckdb_value* values = NULL;
  duckdb_value out = NULL;
  if (indexes && types && names) {
    for (size_t i = 0; i < count; ++i) indexes[i] = fields[i].value;
    values = nodes_to_duckdb(walk, indexes, count);
  } else {
    snprintf(walk->message, walk->size, "out of memory");
  }
  int named = values != NULL;
  for (size_t i = 0; named && i < count; ++i) {
    names[i] = strndup(fields[i].name.ptr ? fields[i].name.ptr : "", fields[i].name.len);
    types[i] = duckdb_get_value_type(values[i]); /* lent by the value */
    named = names[i] != NULL;
  }
  if (named) {
    duckdb_logical_type type = duckdb_create_struct_type(types, (const char**)names, count);
    out = duckdb_create_struct_value(type, values);
    duckdb_destroy_logical_type(&type);
    if (out == NULL) snprintf(walk->message, walk->size, "DuckDB refused the struct value");
  }
  for (size_t i = 0; names && i < count; ++i) free(names[i]);
  destroy_values(values, count);
  free(names);
  free(types);
  free(indexes);
  return out;
}

static duckdb_value map_to_duckdb(node_walk* walk, const sql_node* node) {
  const sql_map_entry* entries = node->val.map.ptr;
  size_t count = node->val.map.len;
  uint32_t* key_indexes = calloc(count ? count : 1, sizeof *key_indexes);
  uint32_t* value_indexes = calloc(count ? count : 1, sizeof *value_indexes);
  duckdb_value *keys = NULL, *values = NULL, out = NULL;
  if (key_indexes && value_indexes) {
    for (size_t i = 0; i < count; ++i) {
      key_indexes[i] = entries[i].key;
      value_indexes[i] = entries[i].value;
    }
    keys = nodes_to_duckdb(walk, key_indexes, count);
    values = keys ? nodes_to_duckdb(walk, value_indexes, count) : NULL;
  } else {
    snprintf(walk->message, walk->size, "out of memory");
  }
  if (values != NULL) {
    duckdb_logical_type key_type = element_type(keys, count);
    duckdb_logical_type value_type = element_type(values, count);
    duckdb_logical_type type = duckdb_create_map_type(key_type, value_type);
    out = duckdb_create_map_value(type, keys, values, count);
    duckdb_destroy_logical_type(&type);
    duckdb_destroy_logical_type(&key_type);
    duckdb_destroy_logical_type(&value_type);
    if (out == NULL) {
      snprintf(walk->message, walk->size,
               "the keys or the values of a map are not all of one type");
    }
  }
  destroy_values(keys, keys ? count : 0);
  destroy_values(values, values ? count : 0);
  free(key_indexes);
  free(value_indexes);
  return out;
}

static duckdb_value node_value(node_walk* walk, const sql_node* node);

static duckdb_value node_to_duckdb(node_walk* walk, uint32_t index) {
  if (walk->depth == max_depth) {
    snprintf(walk->message, walk->size, "a nested value is more than %d levels deep", max_depth);
    return NULL;
  }
  if (index >= walk->count || walk->used[index]) {
    snprintf(walk->message, walk->size,
             index >= walk->count ? "a nested value refers to node %u of %zu"
                                  : "a nested value uses node %u twice (of %zu)",
             (unsigned)index, walk->count);
    return NULL;
  }
  walk->used[index] = 1;
  walk->depth++;
  duckdb_value out = node_value(walk, &walk->nodes[index]);
  walk->depth--;
  return out;
}

static duckdb_value node_value(node_walk* walk, const sql_node* node) {
  switch (node->tag) {
    case SQL_NODE_SCALAR:
      return scalar_to_duckdb(&node->val.scalar, walk->message, walk->size);
    case SQL_NODE_LIST:
    case SQL_NODE_ARRAY:
      return list_to_duckdb(walk, node);
    case SQL_NODE_STRUCT:
      return struct_to_duckdb(walk, node);
    case SQL_NODE_MAP:
      return map_to_duckdb(walk, node);
    default:
      snprintf(walk->message, walk->size,
               "a union value cannot be a parameter yet (bind its member, DuckDB casts it)");
      return NULL;
  }
}

duckdb_value value_to_duckdb(const sql_value* value, char* message, size_t message_size) {
  if (value->tag != SQL_VALUE_NESTED) {
    sql_scalar scalar;
    memcpy(&scalar, value, sizeof scalar);
    return scalar_to_duckdb(&scalar, message, message_size);
  }
  node_walk walk = {value->val.nested.ptr, value->val.nested.len, NULL, 0, message, message_size};
  walk.used = calloc(walk.count ? walk.count : 1, 1);
  if (walk.used == NULL) {
    snprintf(message, message_size, "out of memory");
    return NULL;
  }
  duckdb_value out = node_to_duckdb(&walk, 0);
  free(walk.used);
  return out;
}
