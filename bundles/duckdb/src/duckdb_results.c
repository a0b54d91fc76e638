#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duckdb_objects.h"

/* ---- errors ---- */

sql_error error_from_duckdb(berth_call* call, duckdb_error_type type, const char* message) {
  sql_error error = {.tag = SQL_ERROR_DUCKDB};
  error.val.duckdb.kind = (uint32_t)type <= SQL_ERROR_KIND_INVALID_CONFIGURATION
                              ? (sql_error_kind)type
                              : SQL_ERROR_KIND_INVALID;
  error.val.duckdb.message = berth_str_from_cstr(call, message ? message : "unknown error");
  return error;
}

sql_error error_not_allowed(berth_call* call, const char* message) {
  sql_error error = {.tag = SQL_ERROR_NOT_ALLOWED};
  error.val.not_allowed = berth_str_from_cstr(call, message);
  return error;
}

sql_error error_unsupported(berth_call* call, const char* message) {
  sql_error error = {.tag = SQL_ERROR_UNSUPPORTED};
  error.val.unsupported = berth_str_from_cstr(call, message);
  return error;
}

duckdb_error_type error_type_of_message(const char* message) {
  /* DuckDB's names of its exception classes, in duckdb_error_type's order. */
  static const char* const classes[] = {"Invalid",
                                        "Out of Range",
                                        "Conversion",
                                        "Unknown Type",
                                        "Decimal",
                                        "Mismatch Type",
                                        "Divide by Zero",
                                        "Object Size",
                                        "Invalid type",
                                        "Serialization",
                                        "TransactionContext",
                                        "Not implemented",
                                        "Expression",
                                        "Catalog",
                                        "Parser",
                                        "Planner",
                                        "Scheduler",
                                        "Executor",
                                        "Constraint",
                                        "Index",
                                        "Stat",
                                        "Connection",
                                        "Syntax",
                                        "Settings",
                                        "Binder",
                                        "Network",
                                        "Optimizer",
                                        "NullPointer",
                                        "IO",
                                        "INTERRUPT",
                                        "FATAL",
                                        "INTERNAL",
                                        "Invalid Input",
                                        "Out of Memory",
                                        "Permission",
                                        "Parameter Not Resolved",
                                        "Parameter Not Allowed",
                                        "Dependency",
                                        "HTTP",
                                        "Missing Extension",
                                        "Extension Autoloading",
                                        "Sequence",
                                        "Invalid Configuration"};
  for (size_t i = 0; message && i < sizeof classes / sizeof classes[0]; ++i) {
    size_t len = strlen(classes[i]);
    if (strncmp(message, classes[i], len) == 0 && strncmp(message + len, " Error:", 7) == 0) {
      return (duckdb_error_type)i;
    }
  }
  return DUCKDB_ERROR_INVALID;
}

sql_error error_closed(void) {
  sql_error error = {.tag = SQL_ERROR_CLOSED};
  return error;
}

const char* sql_text(berth_call* call, berth_str sql, sql_error* error) {
  if (memchr(sql.ptr, '\0', sql.len) != NULL) {
    *error = error_from_duckdb(call, DUCKDB_ERROR_INVALID_INPUT,
                               "the SQL text contains a NUL character");
    return NULL;
  }
  char* text = call->host->alloc(call, sql.len + 1, 1);
  if (text == NULL) {
    *error = error_from_duckdb(call, DUCKDB_ERROR_OUT_OF_MEMORY, "out of memory");
    return NULL;
  }
  if (sql.len) memcpy(text, sql.ptr, sql.len);
  return text;
}

const char* connection_sql(berth_call* call, const connection_object* connection, berth_str sql,
                           bool* is_err, sql_error* error) {
  const char* text = NULL;
  if (connection->con == NULL) {
    *error = error_closed();
  } else {
    text = sql_text(call, sql, error);
  }
  if (text == NULL) *is_err = 1;
  return text;
}

sql_error error_of_result(berth_call* call, duckdb_result* source) {
  return error_from_duckdb(call, duckdb_result_error_type(source), duckdb_result_error(source));
}

duckdb_prepared_statement prepare_sql(berth_call* call, connection_object* connection,
                                      berth_str sql, bool* is_err, sql_error* error) {
  const char* text = connection_sql(call, connection, sql, is_err, error);
  if (text == NULL) return NULL;
  duckdb_prepared_statement prepared = NULL;
  connection->statements_run++;
  if (duckdb_prepare(connection->con, text, &prepared) == DuckDBSuccess) return prepared;
  /* A failed prepare keeps DuckDB's message until destroyed; its class is not kept. */
  const char* message = duckdb_prepare_error(prepared);
  *is_err = 1;
  *error = error_from_duckdb(call, error_type_of_message(message), message);
  duckdb_destroy_prepare(&prepared);
  return NULL;
}

int run_sql(berth_call* call, connection_object* connection, const char* sql, duckdb_result* source,
            sql_error* error) {
  connection->statements_run++;
  watchdog_arm(timeout_of(call), connection->con);
  duckdb_state state = duckdb_query(connection->con, sql, source);
  watchdog_disarm(timeout_of(call));
  if (state == DuckDBSuccess) return 1;
  *error = error_of_result(call, source);
  duckdb_destroy_result(source);
  return 0;
}

/* ---- results ---- */

int result_shape_init(berth_call* call, duckdb_result* source, result_shape* shape,
                      sql_error* error) {
  shape->columns = duckdb_column_count(source);
  shape->readers = calloc(shape->columns ? shape->columns : 1, sizeof *shape->readers);
  if (shape->readers == NULL) {
    *error = error_from_duckdb(call, DUCKDB_ERROR_OUT_OF_MEMORY, "out of memory");
    return 0;
  }
  for (size_t i = 0; i < shape->columns; ++i) {
    duckdb_logical_type type = duckdb_column_logical_type(source, i);
    char what[256];
    int known = column_reader_init(&shape->readers[i], type, what, sizeof what);
    duckdb_destroy_logical_type(&type);
    if (!known) {
      const char* name = duckdb_column_name(source, i);
      char message[512];
      snprintf(message, sizeof message,
               "column '%s' has type %s, which duckdb:database@0.1.0 cannot return (CAST it to "
               "VARCHAR)",
               name ? name : "", what);
      *error = error_unsupported(call, message);
      shape->columns = i; /* the readers made so far */
      result_shape_free(shape);
      return 0;
    }
  }
  return 1;
}

void result_shape_free(result_shape* shape) {
  for (size_t i = 0; shape->readers && i < shape->columns; ++i) {
    column_reader_free(&shape->readers[i]);
  }
  free(shape->readers);
  shape->readers = NULL;
  shape->columns = 0;
}

berth_list result_shape_columns(berth_call* call, duckdb_result* source,
                                const result_shape* shape) {
  sql_column* schema = call->host->alloc(
      call, (shape->columns ? shape->columns : 1) * sizeof(sql_column), _Alignof(sql_column));
  if (schema == NULL) return (berth_list){NULL, 0};
  for (size_t i = 0; i < shape->columns; ++i) {
    const char* name = duckdb_column_name(source, i);
    schema[i].name = berth_str_from_cstr(call, name ? name : "");
    schema[i].kind = shape->readers[i].kind;
    schema[i].type_name = berth_str_from_cstr(call, shape->readers[i].type_name);
  }
  return (berth_list){schema, shape->columns};
}

int read_rows(berth_call* call, const result_shape* shape, duckdb_data_chunk chunk, idx_t first,
              idx_t count, sql_row_set* rows, size_t* capacity) {
  if (count == 0) return 1;
  size_t columns = shape->columns;
  if (columns == 0) { /* rows without values: only counted */
    rows->count += (uint32_t)count;
    return 1;
  }
  size_t needed = (rows->count + count) * columns;
  if (needed > *capacity) {
    size_t bigger = *capacity ? *capacity : 1024 * columns;
    while (bigger < needed) bigger *= 2;
    sql_value* grown = call->host->alloc(call, bigger * sizeof(sql_value), _Alignof(sql_value));
    if (grown == NULL) return 0;
    if (rows->values.len) memcpy(grown, rows->values.ptr, rows->values.len * sizeof(sql_value));
    rows->values.ptr = grown; /* the old array is freed with the arena */
    *capacity = bigger;
  }
  sql_value* cells = (sql_value*)rows->values.ptr + rows->count * columns;
  for (size_t column = 0; column < columns; ++column) {
    duckdb_vector vector = duckdb_data_chunk_get_vector(chunk, column);
    for (idx_t row = 0; row < count; ++row) {
      if (!column_reader_read(call, &shape->readers[column], vector, first + row,
                              &cells[row * columns + column])) {
        return 0;
      }
    }
  }
  rows->count += (uint32_t)count;
  rows->values.len = rows->count * columns;
  return 1;
}

berth_status read_result(berth_call* call, duckdb_result* source,
                         duckdb_result_query_result_error* result) {
  result_shape shape;
  if (!result_shape_init(call, source, &shape, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  berth_status status = BERTH_OK;
  sql_query_result* out = &result->val.ok;
  out->columns = result_shape_columns(call, source, &shape);
  size_t capacity = 0;
  for (;;) {
    duckdb_data_chunk chunk = duckdb_fetch_chunk(*source);
    if (chunk == NULL) break;
    int read =
        read_rows(call, &shape, chunk, 0, duckdb_data_chunk_get_size(chunk), &out->rows, &capacity);
    duckdb_destroy_data_chunk(&chunk);
    if (!read) {
      status = call->host->trap(call, UNREADABLE_RESULT);
      break;
    }
  }
  out->rows_changed = duckdb_rows_changed(source);
  result_shape_free(&shape);
  return status;
}
