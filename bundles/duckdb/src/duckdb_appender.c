/* Appenders: bulk inserts through DuckDB's appender, values checked against the columns first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duckdb_input.h"
#include "duckdb_objects.h"

/* A scalar column of type-id k takes value case k: the two lists share their order. */
_Static_assert((int)SQL_TYPE_ID_BOOLEAN == (int)SQL_VALUE_BOOLEAN &&
                   (int)SQL_TYPE_ID_DECIMAL == (int)SQL_VALUE_DECIMAL &&
                   (int)SQL_TYPE_ID_ENUM == (int)SQL_VALUE_ENUM,
               "type-id and value cases in the same order");

/* The cases of `value`, for messages. */
static const char* const value_cases[] = {
    "null",         "boolean",      "tinyint",      "smallint", "integer",   "bigint",
    "hugeint",      "utinyint",     "usmallint",    "uinteger", "ubigint",   "uhugeint",
    "float",        "double",       "decimal",      "varchar",  "blob",      "bit",
    "date",         "time",         "time-ns",      "time-tz",  "timestamp", "timestamp-s",
    "timestamp-ms", "timestamp-ns", "timestamp-tz", "interval", "uuid",      "enum",
    "nested"};
_Static_assert(sizeof value_cases / sizeof value_cases[0] == SQL_VALUE_NESTED + 1,
               "a name for every value case");

typedef struct appender_object {
  connection_child link;    /* first: the connection's list holds this */
  duckdb_appender appender; /* NULL once closed */
  column_reader* columns;   /* the table's column types, to check values against */
  size_t column_count;
  char** column_names;
} appender_object;

static void free_columns(appender_object* appender) {
  for (size_t i = 0; i < appender->column_count; ++i) {
    column_reader_free(&appender->columns[i]);
    free(appender->column_names ? appender->column_names[i] : NULL);
  }
  free(appender->columns);
  free(appender->column_names);
  appender->columns = NULL;
  appender->column_names = NULL;
  appender->column_count = 0;
}

/* The error DuckDB's appender reports, with its class. */
static sql_error appender_error(berth_call* call, duckdb_appender appender) {
  duckdb_error_data data = duckdb_appender_error_data(appender);
  sql_error error = data && duckdb_error_data_has_error(data)
                        ? error_from_duckdb(call, duckdb_error_data_error_type(data),
                                            duckdb_error_data_message(data))
                        : error_from_duckdb(call, DUCKDB_ERROR_INVALID, "DuckDB's appender failed");
  duckdb_destroy_error_data(&data);
  return error;
}

/* Closes the appender, flushing what it holds; with a `call`, the error DuckDB reports then
 * goes to `error`. */
static int appender_finish(appender_object* appender, berth_call* call, sql_error* error) {
  connection_disown(&appender->link);
  if (appender->appender == NULL) return 1;
  int flushed = duckdb_appender_close(appender->appender) == DuckDBSuccess;
  if (!flushed && call) *error = appender_error(call, appender->appender);
  duckdb_appender_destroy(&appender->appender);
  appender->appender = NULL;
  free_columns(appender);
  return flushed;
}

static void appender_close_child(connection_child* link) {
  appender_finish((appender_object*)link, NULL, NULL);
}

/* Reads the table's columns: their types (as readers) and names. */
static int read_columns(appender_object* appender, const char* table, const char* schema,
                        connection_object* connection, char* message, size_t size) {
  size_t count = duckdb_appender_column_count(appender->appender);
  appender->columns = calloc(count ? count : 1, sizeof *appender->columns);
  appender->column_names = calloc(count ? count : 1, sizeof *appender->column_names);
  if (appender->columns == NULL || appender->column_names == NULL) {
    snprintf(message, size, "out of memory");
    return 0;
  }
  for (size_t i = 0; i < count; ++i) {
    duckdb_logical_type type = duckdb_appender_column_type(appender->appender, i);
    int made = column_reader_init(&appender->columns[i], type, message, size);
    duckdb_destroy_logical_type(&type);
    if (!made) return 0;
    appender->column_count = i + 1;
  }
  /* The appender does not name its columns; the table's description does. */
  duckdb_table_description description = NULL;
  if (duckdb_table_description_create(connection->con, schema, table, &description) ==
      DuckDBSuccess) {
    for (size_t i = 0; i < count; ++i) {
      char* name = duckdb_table_description_get_column_name(description, i);
      appender->column_names[i] = name ? strdup(name) : NULL;
      duckdb_free(name);
    }
  }
  duckdb_table_description_destroy(&description);
  return 1;
}

berth_status sql_connection_appender(berth_call* call, const sql_connection_appender_params* params,
                                     duckdb_result_own_appender_error* result) {
  connection_object* connection = (connection_object*)params->self;
  if (connection->con == NULL) {
    result->is_err = 1;
    result->val.err = error_closed();
    return BERTH_OK;
  }
  const char* table = sql_text(call, params->table, &result->val.err);
  const char* schema = NULL;
  if (table != NULL && params->schema.is_some) {
    schema = sql_text(call, params->schema.val, &result->val.err);
    if (schema == NULL) table = NULL;
  }
  if (table == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  appender_object* appender = calloc(1, sizeof *appender);
  if (appender == NULL) return call->host->trap(call, "out of memory");
  connection->statements_run++;
  char message[512];
  if (duckdb_appender_create(connection->con, schema, table, &appender->appender) == DuckDBError) {
    result->is_err = 1;
    result->val.err = appender_error(call, appender->appender);
    duckdb_appender_destroy(&appender->appender);
    free(appender);
    return BERTH_OK;
  }
  if (!read_columns(appender, table, schema, connection, message, sizeof message)) {
    duckdb_appender_destroy(&appender->appender);
    free_columns(appender);
    free(appender);
    result->is_err = 1;
    result->val.err = error_unsupported(call, message);
    return BERTH_OK;
  }
  appender->link.close = appender_close_child;
  connection_adopt(connection, &appender->link);
  result->val.ok = (berth_rep)appender;
  return BERTH_OK;
}

void sql_appender_destroy(void* self, berth_rep rep) {
  (void)self;
  appender_object* appender = (appender_object*)rep;
  appender_finish(appender, NULL, NULL);
  free(appender);
}

static appender_object* open_appender(berth_rep self, bool* is_err, sql_error* error) {
  appender_object* appender = (appender_object*)self;
  if (appender->appender != NULL) return appender;
  *is_err = 1;
  *error = error_closed();
  return NULL;
}

berth_status sql_appender_columns(berth_call* call, const sql_appender_columns_params* params,
                                  berth_list* result) {
  appender_object* appender = (appender_object*)params->self;
  if (appender->appender == NULL) return BERTH_OK;
  sql_column* columns = call->host->alloc(
      call, (appender->column_count ? appender->column_count : 1) * sizeof *columns,
      _Alignof(sql_column));
  if (columns == NULL) return BERTH_OK; /* the call traps */
  for (size_t i = 0; i < appender->column_count; ++i) {
    const char* name = appender->column_names[i];
    columns[i].name = berth_str_from_cstr(call, name ? name : "");
    columns[i].kind = appender->columns[i].kind;
    columns[i].type_name = berth_str_from_cstr(call, appender->columns[i].type_name);
  }
  *result = (berth_list){columns, appender->column_count};
  return BERTH_OK;
}

/* Whether `value` has column `column`'s type exactly; a message saying why not otherwise. */
static int fits(const appender_object* appender, size_t column, const sql_value* value,
                char* message, size_t size) {
  const column_reader* type = &appender->columns[column];
  const char* name = appender->column_names[column] ? appender->column_names[column] : "?";
  if (value->tag == SQL_VALUE_NULL) return 1;
  if (type->kind >= SQL_TYPE_ID_LIST) {
    /* Nested: compare the type DuckDB gives the converted value with the column's. */
    if (value->tag != SQL_VALUE_NESTED) {
      snprintf(message, size, "column %zu (%s %s) takes nested values, not %s", column + 1, name,
               type->type_name, value_cases[value->tag]);
      return 0;
    }
    char why[256];
    duckdb_value converted = value_to_duckdb(value, why, sizeof why);
    if (converted == NULL) {
      snprintf(message, size, "column %zu (%s): %s", column + 1, name, why);
      return 0;
    }
    column_reader given;
    int same = column_reader_init(&given, duckdb_get_value_type(converted), why, sizeof why) &&
               strcmp(given.type_name, type->type_name) == 0;
    if (!same) {
      snprintf(message, size, "column %zu (%s %s) cannot take a value of type %s", column + 1, name,
               type->type_name, given.type_name ? given.type_name : why);
    }
    column_reader_free(&given);
    duckdb_destroy_value(&converted);
    return same;
  }
  if (value->tag != type->kind) {
    snprintf(message, size, "column %zu (%s %s) takes %s values, not %s", column + 1, name,
             type->type_name, value_cases[type->kind], value_cases[value->tag]);
    return 0;
  }
  if (value->tag == SQL_VALUE_DECIMAL &&
      (value->val.decimal.width != type->width || value->val.decimal.scale != type->scale)) {
    snprintf(message, size, "column %zu (%s %s) cannot take a DECIMAL(%u,%u)", column + 1, name,
             type->type_name, value->val.decimal.width, value->val.decimal.scale);
    return 0;
  }
  if (value->tag == SQL_VALUE_ENUM) {
    for (size_t i = 0; i < type->name_count; ++i) {
      if (strlen(type->names[i]) == value->val.enum_.len &&
          memcmp(type->names[i], value->val.enum_.ptr, value->val.enum_.len) == 0) {
        return 1;
      }
    }
    snprintf(message, size, "column %zu (%s %s) has no label '%.*s'", column + 1, name,
             type->type_name, (int)value->val.enum_.len, value->val.enum_.ptr);
    return 0;
  }
  return 1;
}

/* Checks every row of `rows` (each a berth_list of sql_value); a message naming the first
 * wrong one otherwise. */
static int check_rows(const appender_object* appender, const berth_list* rows, size_t count,
                      char* message, size_t size) {
  for (size_t r = 0; r < count; ++r) {
    if (rows[r].len != appender->column_count) {
      snprintf(message, size, "row %zu has %zu values; the table has %zu columns", r + 1,
               rows[r].len, appender->column_count);
      return 0;
    }
    const sql_value* values = rows[r].ptr;
    for (size_t c = 0; c < rows[r].len; ++c) {
      char why[400];
      if (!fits(appender, c, &values[c], why, sizeof why)) {
        snprintf(message, size, "row %zu: %s", r + 1, why);
        return 0;
      }
    }
  }
  return 1;
}

/* Appends checked rows. A failure now (memory, a constraint DuckDB checks while appending)
 * can leave a partial row, so the appender is closed then. */
static int append_rows(berth_call* call, appender_object* appender, const berth_list* rows,
                       size_t count, sql_error* error) {
  for (size_t r = 0; r < count; ++r) {
    const sql_value* values = rows[r].ptr;
    for (size_t c = 0; c < rows[r].len; ++c) {
      char message[256];
      duckdb_value converted = value_to_duckdb(&values[c], message, sizeof message);
      if (converted == NULL) {
        *error = error_from_duckdb(call, DUCKDB_ERROR_INVALID_INPUT, message);
        return 0;
      }
      duckdb_state state = duckdb_append_value(appender->appender, converted);
      duckdb_destroy_value(&converted);
      if (state == DuckDBError) {
        *error = appender_error(call, appender->appender);
        return 0;
      }
    }
    if (duckdb_appender_end_row(appender->appender) == DuckDBError) {
      *error = appender_error(call, appender->appender);
      return 0;
    }
  }
  return 1;
}

static berth_status append(berth_call* call, berth_rep self, const berth_list* rows, size_t count,
                           duckdb_result_void_error* result) {
  appender_object* appender = open_appender(self, &result->is_err, &result->val.err);
  if (appender == NULL) return BERTH_OK;
  char message[1024];
  if (!check_rows(appender, rows, count, message, sizeof message)) {
    result->is_err = 1;
    result->val.err = error_from_duckdb(call, DUCKDB_ERROR_MISMATCH_TYPE, message);
    return BERTH_OK;
  }
  if (!append_rows(call, appender, rows, count, &result->val.err)) {
    result->is_err = 1;
    appender_finish(appender, NULL, NULL);
  }
  return BERTH_OK;
}

berth_status sql_appender_append_row(berth_call* call, const sql_appender_append_row_params* params,
                                     duckdb_result_void_error* result) {
  return append(call, params->self, &params->values, 1, result);
}

berth_status sql_appender_append_rows(berth_call* call,
                                      const sql_appender_append_rows_params* params,
                                      duckdb_result_void_error* result) {
  return append(call, params->self, params->rows.ptr, params->rows.len, result);
}

berth_status sql_appender_flush(berth_call* call, const sql_appender_flush_params* params,
                                duckdb_result_void_error* result) {
  appender_object* appender = open_appender(params->self, &result->is_err, &result->val.err);
  if (appender && duckdb_appender_flush(appender->appender) == DuckDBError) {
    result->is_err = 1;
    result->val.err = appender_error(call, appender->appender);
  }
  return BERTH_OK;
}

berth_status sql_appender_close(berth_call* call, const sql_appender_close_params* params,
                                duckdb_result_void_error* result) {
  appender_object* appender = open_appender(params->self, &result->is_err, &result->val.err);
  if (appender == NULL) return BERTH_OK;
  if (!appender_finish(appender, call, &result->val.err)) result->is_err = 1;
  return BERTH_OK;
}
