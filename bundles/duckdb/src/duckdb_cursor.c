/* Cursors: results streamed from DuckDB and read by the guest in batches. */
#include <stdlib.h>

#include "duckdb_objects.h"

typedef struct cursor_object {
  connection_child link; /* first: the connection's list holds this */
  int open;
  duckdb_prepared_statement owned; /* the statement connection.query made, or NULL */
  duckdb_result result;
  result_shape shape;
  duckdb_data_chunk chunk; /* the chunk being read, or NULL */
  idx_t offset;            /* the rows of `chunk` already returned */
  int exhausted;
  connection_object* connection;
  uint64_t started; /* the connection's statements_run when the cursor started */
} cursor_object;

static void cursor_close(connection_child* link) {
  cursor_object* cursor = (cursor_object*)link;
  connection_disown(link);
  if (!cursor->open) return;
  cursor->open = 0;
  if (cursor->chunk) duckdb_destroy_data_chunk(&cursor->chunk);
  duckdb_destroy_result(&cursor->result);
  if (cursor->owned) duckdb_destroy_prepare(&cursor->owned);
  result_shape_free(&cursor->shape);
}

berth_status cursor_start(berth_call* call, connection_object* connection,
                          duckdb_prepared_statement prepared, int owned,
                          duckdb_result_own_cursor_error* result) {
  cursor_object* cursor = calloc(1, sizeof *cursor);
  if (cursor == NULL) {
    if (owned) duckdb_destroy_prepare(&prepared);
    return call->host->trap(call, "out of memory");
  }
  cursor->owned = owned ? prepared : NULL;
  cursor->connection = connection;
  cursor->started = ++connection->statements_run;
  watchdog_arm(timeout_of(call), connection->con);
  duckdb_state state = duckdb_execute_prepared_streaming(prepared, &cursor->result);
  watchdog_disarm(timeout_of(call));
  if (state == DuckDBError) {
    result->is_err = 1;
    result->val.err = error_from_duckdb(call, duckdb_result_error_type(&cursor->result),
                                        duckdb_result_error(&cursor->result));
    duckdb_destroy_result(&cursor->result);
    if (cursor->owned) duckdb_destroy_prepare(&cursor->owned);
    free(cursor);
    return BERTH_OK;
  }
  if (!result_shape_init(call, &cursor->result, &cursor->shape, &result->val.err)) {
    result->is_err = 1;
    duckdb_destroy_result(&cursor->result);
    if (cursor->owned) duckdb_destroy_prepare(&cursor->owned);
    free(cursor);
    return BERTH_OK;
  }
  cursor->open = 1;
  cursor->link.close = cursor_close;
  connection_adopt(connection, &cursor->link);
  result->val.ok = (berth_rep)cursor;
  return BERTH_OK;
}

berth_status sql_connection_query(berth_call* call, const sql_connection_query_params* params,
                                  duckdb_result_own_cursor_error* result) {
  connection_object* connection = (connection_object*)params->self;
  if (connection->con == NULL) {
    result->is_err = 1;
    result->val.err = error_closed();
    return BERTH_OK;
  }
  const char* sql = sql_text(call, params->sql, &result->val.err);
  if (sql == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  duckdb_prepared_statement prepared = NULL;
  connection->statements_run++;
  if (duckdb_prepare(connection->con, sql, &prepared) == DuckDBError) {
    const char* message = duckdb_prepare_error(prepared);
    result->is_err = 1;
    result->val.err = error_from_duckdb(call, error_type_of_message(message), message);
    duckdb_destroy_prepare(&prepared);
    return BERTH_OK;
  }
  return cursor_start(call, connection, prepared, 1, result);
}

void sql_cursor_destroy(void* self, berth_rep rep) {
  (void)self;
  cursor_object* cursor = (cursor_object*)rep;
  cursor_close(&cursor->link);
  free(cursor);
}

berth_status sql_cursor_close(berth_call* call, const sql_cursor_close_params* params) {
  (void)call;
  cursor_close(&((cursor_object*)params->self)->link);
  return BERTH_OK;
}

berth_status sql_cursor_columns(berth_call* call, const sql_cursor_columns_params* params,
                                berth_list* result) {
  cursor_object* cursor = (cursor_object*)params->self;
  if (cursor->open) *result = result_shape_columns(call, &cursor->result, &cursor->shape);
  return BERTH_OK;
}

berth_status sql_cursor_next(berth_call* call, const sql_cursor_next_params* params,
                             duckdb_result_list_list_value_error* result) {
  cursor_object* cursor = (cursor_object*)params->self;
  if (!cursor->open) {
    result->is_err = 1;
    result->val.err = error_closed();
    return BERTH_OK;
  }
  if (!cursor->exhausted && cursor->connection->interrupted == cursor->started) {
    cursor->exhausted = 1;
    result->is_err = 1;
    result->val.err = error_from_duckdb(call, DUCKDB_ERROR_INTERRUPT,
                                        "INTERRUPT Error: interrupted by connection.interrupt");
    return BERTH_OK;
  }
  if (!cursor->exhausted && cursor->connection->statements_run != cursor->started) {
    cursor->exhausted = 1;
    result->is_err = 1;
    result->val.err =
        error_from_duckdb(call, DUCKDB_ERROR_INVALID_INPUT,
                          "the cursor's result was ended by another statement run on its "
                          "connection (read a cursor to its end, or use another connection)");
    return BERTH_OK;
  }
  berth_list* rows = &result->val.ok;
  size_t capacity = 0;
  while (rows->len < params->max_rows && !cursor->exhausted) {
    idx_t size = cursor->chunk ? duckdb_data_chunk_get_size(cursor->chunk) : 0;
    if (cursor->offset == size) {
      if (cursor->chunk) duckdb_destroy_data_chunk(&cursor->chunk);
      watchdog_arm(timeout_of(call), cursor->connection->con);
      cursor->chunk = duckdb_fetch_chunk(cursor->result);
      watchdog_disarm(timeout_of(call));
      cursor->offset = 0;
      if (cursor->chunk == NULL) {
        cursor->exhausted = 1;
        /* A stream another query on the connection ended says so here. */
        const char* error = duckdb_result_error(&cursor->result);
        if (error != NULL) {
          result->is_err = 1;
          result->val.err =
              error_from_duckdb(call, duckdb_result_error_type(&cursor->result), error);
        }
      }
      continue;
    }
    idx_t take = size - cursor->offset;
    if (take > params->max_rows - rows->len) take = params->max_rows - rows->len;
    if (!read_rows(call, &cursor->shape, cursor->chunk, cursor->offset, take, rows, &capacity)) {
      return call->host->trap(call, UNREADABLE_RESULT);
    }
    cursor->offset += take;
  }
  return BERTH_OK;
}
