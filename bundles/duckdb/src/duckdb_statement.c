/* Prepared statements: connection.prepare and the statement resource. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duckdb_input.h"
#include "duckdb_objects.h"

typedef struct statement_object {
  connection_child link;              /* first: the connection's list holds this */
  duckdb_prepared_statement prepared; /* NULL once closed */
  connection_object* connection;
} statement_object;

static void statement_close(connection_child* link) {
  statement_object* statement = (statement_object*)link;
  connection_disown(link);
  duckdb_destroy_prepare(&statement->prepared);
  statement->prepared = NULL;
}

berth_status sql_connection_prepare(berth_call* call, const sql_connection_prepare_params* params,
                                    duckdb_result_own_statement_error* result) {
  connection_object* connection = (connection_object*)params->self;
  duckdb_prepared_statement prepared =
      prepare_sql(call, connection, params->sql, &result->is_err, &result->val.err);
  if (prepared == NULL) return BERTH_OK;
  statement_object* statement = calloc(1, sizeof *statement);
  if (statement == NULL) {
    duckdb_destroy_prepare(&prepared);
    return call->host->trap(call, "out of memory");
  }
  statement->prepared = prepared;
  statement->link.close = statement_close;
  statement->connection = connection;
  connection_adopt(connection, &statement->link);
  result->val.ok = (berth_rep)statement;
  return BERTH_OK;
}

void sql_statement_destroy(void* self, berth_rep rep) {
  (void)self;
  statement_object* statement = (statement_object*)rep;
  if (statement->prepared != NULL) statement_close(&statement->link);
  free(statement);
}

berth_status sql_statement_close(berth_call* call, const sql_statement_close_params* params) {
  (void)call;
  statement_object* statement = (statement_object*)params->self;
  if (statement->prepared != NULL) statement_close(&statement->link);
  return BERTH_OK;
}

berth_status sql_statement_parameter_count(berth_call* call,
                                           const sql_statement_parameter_count_params* params,
                                           uint32_t* result) {
  (void)call;
  statement_object* statement = (statement_object*)params->self;
  *result = statement->prepared ? (uint32_t)duckdb_nparams(statement->prepared) : 0;
  return BERTH_OK;
}

berth_status sql_statement_parameter_name(berth_call* call,
                                          const sql_statement_parameter_name_params* params,
                                          duckdb_option_string* result) {
  statement_object* statement = (statement_object*)params->self;
  if (statement->prepared == NULL || params->index < 1 ||
      params->index > duckdb_nparams(statement->prepared)) {
    return BERTH_OK;
  }
  const char* name = duckdb_parameter_name(statement->prepared, params->index);
  if (name != NULL) {
    result->is_some = 1;
    result->val = berth_str_from_cstr(call, name);
    duckdb_free((void*)name);
  }
  return BERTH_OK;
}

/* Binds `value` to parameter `index`, or says why not in `error`. */
static int bind(berth_call* call, statement_object* statement, idx_t index, const sql_value* value,
                sql_error* error) {
  idx_t count = duckdb_nparams(statement->prepared);
  char message[512];
  if (index < 1 || index > count) {
    snprintf(message, sizeof message, "parameter %llu does not exist: the statement has %llu",
             (unsigned long long)index, (unsigned long long)count);
    *error = error_from_duckdb(call, DUCKDB_ERROR_INVALID_INPUT, message);
    return 0;
  }
  duckdb_value converted = value_to_duckdb(value, message, sizeof message);
  if (converted == NULL) {
    *error = error_from_duckdb(call, DUCKDB_ERROR_INVALID_INPUT, message);
    return 0;
  }
  duckdb_state state = duckdb_bind_value(statement->prepared, index, converted);
  duckdb_destroy_value(&converted);
  if (state == DuckDBError) {
    snprintf(message, sizeof message, "DuckDB refused the value of parameter %llu",
             (unsigned long long)index);
    *error = error_from_duckdb(call, DUCKDB_ERROR_INVALID_INPUT, message);
    return 0;
  }
  return 1;
}

/* The statement of `self`, or NULL with `closed` set in the result. */
static statement_object* open_statement(berth_rep self, bool* is_err, sql_error* error) {
  statement_object* statement = (statement_object*)self;
  if (statement->prepared != NULL) return statement;
  *is_err = 1;
  *error = error_closed();
  return NULL;
}

berth_status sql_statement_bind(berth_call* call, const sql_statement_bind_params* params,
                                duckdb_result_void_error* result) {
  statement_object* statement = open_statement(params->self, &result->is_err, &result->val.err);
  if (statement && !bind(call, statement, params->index, &params->value, &result->val.err)) {
    result->is_err = 1;
  }
  return BERTH_OK;
}

berth_status sql_statement_bind_named(berth_call* call,
                                      const sql_statement_bind_named_params* params,
                                      duckdb_result_void_error* result) {
  statement_object* statement = open_statement(params->self, &result->is_err, &result->val.err);
  if (statement == NULL) return BERTH_OK;
  char* name = strndup(params->name.len ? params->name.ptr : "", params->name.len);
  if (name == NULL) return call->host->trap(call, "out of memory");
  idx_t index = 0;
  duckdb_state state = duckdb_bind_parameter_index(statement->prepared, &index, name);
  if (state == DuckDBError) {
    char message[512];
    snprintf(message, sizeof message, "the statement has no parameter named '%s'", name);
    result->is_err = 1;
    result->val.err = error_from_duckdb(call, DUCKDB_ERROR_INVALID_INPUT, message);
  } else if (!bind(call, statement, index, &params->value, &result->val.err)) {
    result->is_err = 1;
  }
  free(name);
  return BERTH_OK;
}

berth_status sql_statement_bind_all(berth_call* call, const sql_statement_bind_all_params* params,
                                    duckdb_result_void_error* result) {
  statement_object* statement = open_statement(params->self, &result->is_err, &result->val.err);
  if (statement == NULL) return BERTH_OK;
  idx_t count = duckdb_nparams(statement->prepared);
  if (params->values.len != count) {
    char message[256];
    snprintf(message, sizeof message, "the statement has %llu parameters; %zu values were given",
             (unsigned long long)count, params->values.len);
    result->is_err = 1;
    result->val.err = error_from_duckdb(call, DUCKDB_ERROR_INVALID_INPUT, message);
    return BERTH_OK;
  }
  const sql_value* values = params->values.ptr;
  for (idx_t i = 0; i < count; ++i) {
    if (!bind(call, statement, i + 1, &values[i], &result->val.err)) {
      result->is_err = 1;
      break;
    }
  }
  return BERTH_OK;
}

berth_status sql_statement_clear_bindings(berth_call* call,
                                          const sql_statement_clear_bindings_params* params,
                                          duckdb_result_void_error* result) {
  statement_object* statement = open_statement(params->self, &result->is_err, &result->val.err);
  if (statement && duckdb_clear_bindings(statement->prepared) == DuckDBError) {
    result->is_err = 1;
    result->val.err =
        error_from_duckdb(call, DUCKDB_ERROR_INVALID, "DuckDB could not clear the bindings");
  }
  return BERTH_OK;
}

berth_status sql_statement_execute(berth_call* call, const sql_statement_execute_params* params,
                                   duckdb_result_query_result_error* result) {
  statement_object* statement = open_statement(params->self, &result->is_err, &result->val.err);
  if (statement == NULL) return BERTH_OK;
  duckdb_result source;
  statement->connection->statements_run++;
  watchdog_arm(timeout_of(call), statement->connection->con);
  duckdb_state state = duckdb_execute_prepared(statement->prepared, &source);
  watchdog_disarm(timeout_of(call));
  if (state == DuckDBError) {
    result->is_err = 1;
    result->val.err = error_of_result(call, &source);
    duckdb_destroy_result(&source);
    return BERTH_OK;
  }
  berth_status status = read_result(call, &source, result);
  duckdb_destroy_result(&source);
  return status;
}

berth_status sql_statement_query(berth_call* call, const sql_statement_query_params* params,
                                 duckdb_result_own_cursor_error* result) {
  statement_object* statement = open_statement(params->self, &result->is_err, &result->val.err);
  if (statement == NULL) return BERTH_OK;
  return cursor_start(call, statement->connection, statement->prepared, 0, result);
}
