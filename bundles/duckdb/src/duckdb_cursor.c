/* Cursors: results streamed from DuckDB and read by the guest in batches. */
#include <stdlib.h>
#include <string.h>

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
    result->val.err = error_of_result(call, &cursor->result);
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
  duckdb_prepared_statement prepared =
      prepare_sql(call, connection, params->sql, &result->is_err, &result->val.err);
  if (prepared == NULL) return BERTH_OK;
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

/* Whether the cursor may be read; `*error` says why not (closed, interrupted, ended). */
static int cursor_readable(berth_call* call, cursor_object* cursor, sql_error* error) {
  if (!cursor->open) {
    *error = error_closed();
    return 0;
  }
  if (cursor->exhausted) return 1;
  if (cursor->connection->interrupted == cursor->started) {
    cursor->exhausted = 1;
    *error = error_from_duckdb(call, DUCKDB_ERROR_INTERRUPT,
                               "INTERRUPT Error: interrupted by connection.interrupt");
    return 0;
  }
  if (cursor->connection->statements_run != cursor->started) {
    cursor->exhausted = 1;
    *error = error_from_duckdb(call, DUCKDB_ERROR_INVALID_INPUT,
                               "the cursor's result was ended by another statement run on its "
                               "connection (read a cursor to its end, or use another connection)");
    return 0;
  }
  return 1;
}

/* The rows of the current chunk not returned yet, fetching the next chunk when none are left:
 * 0 once the result is exhausted, -1 with `*error` set when DuckDB fails. */
static idx_t cursor_available(berth_call* call, cursor_object* cursor, int* failed,
                              sql_error* error) {
  *failed = 0;
  while (!cursor->exhausted) {
    idx_t size = cursor->chunk ? duckdb_data_chunk_get_size(cursor->chunk) : 0;
    if (cursor->offset < size) return size - cursor->offset;
    if (cursor->chunk) duckdb_destroy_data_chunk(&cursor->chunk);
    watchdog_arm(timeout_of(call), cursor->connection->con);
    cursor->chunk = duckdb_fetch_chunk(cursor->result);
    watchdog_disarm(timeout_of(call));
    cursor->offset = 0;
    if (cursor->chunk == NULL) {
      cursor->exhausted = 1;
      if (duckdb_result_error(&cursor->result) != NULL) {
        *failed = 1;
        *error = error_of_result(call, &cursor->result);
      }
    }
  }
  return 0;
}

berth_status sql_cursor_next(berth_call* call, const sql_cursor_next_params* params,
                             duckdb_result_row_set_error* result) {
  cursor_object* cursor = (cursor_object*)params->self;
  if (!cursor_readable(call, cursor, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  sql_row_set rows = {0, {NULL, 0}};
  size_t capacity = 0;
  while (rows.count < params->max_rows) {
    int failed;
    sql_error error;
    idx_t take = cursor_available(call, cursor, &failed, &error);
    if (failed) {
      result->is_err = 1;
      result->val.err = error;
      return BERTH_OK;
    }
    if (take == 0) break;
    if (take > params->max_rows - rows.count) take = params->max_rows - rows.count;
    if (!read_rows(call, &cursor->shape, cursor->chunk, cursor->offset, take, &rows, &capacity)) {
      return call->host->trap(call, UNREADABLE_RESULT);
    }
    cursor->offset += take;
  }
  result->val.ok = rows;
  return BERTH_OK;
}

/* ---- by column ---- */

/* The column-data case of a column read as a typed list, and its element size; 0 when its
 * values go one by one (`values`). */
static size_t typed_column(duckdb_type type, uint32_t* tag) {
  static const struct {
    duckdb_type type;
    uint32_t tag;
    size_t size;
  } typed[] = {
      {DUCKDB_TYPE_BOOLEAN, SQL_COLUMN_DATA_BOOLEAN, 1},
      {DUCKDB_TYPE_TINYINT, SQL_COLUMN_DATA_TINYINT, 1},
      {DUCKDB_TYPE_SMALLINT, SQL_COLUMN_DATA_SMALLINT, 2},
      {DUCKDB_TYPE_INTEGER, SQL_COLUMN_DATA_INTEGER, 4},
      {DUCKDB_TYPE_BIGINT, SQL_COLUMN_DATA_BIGINT, 8},
      {DUCKDB_TYPE_UTINYINT, SQL_COLUMN_DATA_UTINYINT, 1},
      {DUCKDB_TYPE_USMALLINT, SQL_COLUMN_DATA_USMALLINT, 2},
      {DUCKDB_TYPE_UINTEGER, SQL_COLUMN_DATA_UINTEGER, 4},
      {DUCKDB_TYPE_UBIGINT, SQL_COLUMN_DATA_UBIGINT, 8},
      {DUCKDB_TYPE_FLOAT, SQL_COLUMN_DATA_FLOAT, 4},
      {DUCKDB_TYPE_DOUBLE, SQL_COLUMN_DATA_DOUBLE, 8},
      {DUCKDB_TYPE_VARCHAR, SQL_COLUMN_DATA_VARCHAR, sizeof(uint32_t)}, /* offsets */
      {DUCKDB_TYPE_BLOB, SQL_COLUMN_DATA_BLOB, sizeof(uint32_t)},
      {DUCKDB_TYPE_DATE, SQL_COLUMN_DATA_DATE, 4},
      {DUCKDB_TYPE_TIME, SQL_COLUMN_DATA_TIME, 8},
      {DUCKDB_TYPE_TIMESTAMP, SQL_COLUMN_DATA_TIMESTAMP, 8},
      {DUCKDB_TYPE_TIMESTAMP_TZ, SQL_COLUMN_DATA_TIMESTAMP_TZ, 8},
  };
  for (size_t i = 0; i < sizeof typed / sizeof typed[0]; ++i) {
    if (typed[i].type == type) {
      *tag = typed[i].tag;
      return typed[i].size;
    }
  }
  *tag = SQL_COLUMN_DATA_VALUES;
  return 0;
}

/* Rows first .. first+count-1 of `vector` as one column of a batch. */
static int read_column(berth_call* call, const column_reader* reader, duckdb_vector vector,
                       idx_t first, idx_t count, sql_column_batch* out) {
  uint64_t* validity = duckdb_vector_get_validity(vector);
  if (validity != NULL) {
    /* DuckDB's mask starts at row 0 of the chunk: shift it to the batch's first row. */
    size_t words = (count + 63) / 64;
    uint64_t* mask = call->host->alloc(call, words * sizeof *mask, _Alignof(uint64_t));
    if (mask == NULL) return 0;
    int any_null = 0;
    for (idx_t row = 0; row < count; ++row) {
      if (duckdb_validity_row_is_valid(validity, first + row)) {
        mask[row / 64] |= (uint64_t)1 << (row % 64);
      } else {
        any_null = 1;
      }
    }
    if (any_null) out->validity = (berth_list){mask, words};
  }
  uint32_t tag;
  size_t size = typed_column(reader->type, &tag);
  out->data.tag = tag;
  const uint8_t* data = duckdb_vector_get_data(vector);
  int fixed_width = tag != SQL_COLUMN_DATA_VALUES && tag != SQL_COLUMN_DATA_VARCHAR &&
                    tag != SQL_COLUMN_DATA_BLOB && tag != SQL_COLUMN_DATA_BOOLEAN;
  if (fixed_width && validity == NULL) {
    /* Laid out in DuckDB's vector as in the native list, with no null slot to zero: lent
     * as it is. berth copies it into the guest when this call returns, and the cursor keeps
     * the chunk until its next call (docs/abi.md, "Memory": memory the bundle owns). */
    out->data.val.values = (berth_list){data + first * size, count};
    return 1;
  }
  /* One more element for the offsets of a string column. */
  void* list = call->host->alloc(call, (count + 1) * (size ? size : sizeof(sql_value)), 8);
  if (list == NULL) return 0;
  out->data.val.values = (berth_list){list, count};
  if (tag == SQL_COLUMN_DATA_VALUES) {
    for (idx_t row = 0; row < count; ++row) {
      if (!column_reader_read(call, reader, vector, first + row, (sql_value*)list + row)) return 0;
    }
  } else if (tag == SQL_COLUMN_DATA_VARCHAR || tag == SQL_COLUMN_DATA_BLOB) {
    /* The strings end to end, with their offsets. */
    duckdb_string_t* strings = (duckdb_string_t*)data + first;
    uint32_t* offsets = list;
    size_t total = 0;
    for (idx_t row = 0; row < count; ++row) {
      offsets[row] = (uint32_t)total;
      if (validity && !duckdb_validity_row_is_valid(validity, first + row)) continue;
      total += duckdb_string_t_length(strings[row]);
      if (total > UINT32_MAX) return 0;
    }
    offsets[count] = (uint32_t)total;
    char* bytes = call->host->alloc(call, total ? total : 1, 1);
    if (bytes == NULL) return 0;
    for (idx_t row = 0; row < count; ++row) {
      uint32_t len = offsets[row + 1] - offsets[row];
      if (len) memcpy(bytes + offsets[row], duckdb_string_t_data(&strings[row]), len);
    }
    out->data.val.varchar = (sql_string_column){{bytes, total}, {offsets, count + 1}};
  } else if (tag == SQL_COLUMN_DATA_BOOLEAN) {
    uint8_t* flags = list;
    for (idx_t row = 0; row < count; ++row) {
      flags[row] = data[first + row] != 0 &&
                   (validity == NULL || duckdb_validity_row_is_valid(validity, first + row));
    }
  } else {
    /* The rest are laid out in DuckDB's vectors as in the native list: copied whole, then
     * the null slots zeroed. */
    memcpy(list, data + first * size, count * size);
  }
  if (fixed_width) {
    /* A null row's slot holds whatever DuckDB left there: zero it. */
    for (idx_t row = 0; row < count; ++row) {
      if (!duckdb_validity_row_is_valid(validity, first + row)) {
        memset((uint8_t*)list + row * size, 0, size);
      }
    }
  }
  return 1;
}

berth_status sql_cursor_next_batch(berth_call* call, const sql_cursor_next_batch_params* params,
                                   duckdb_result_batch_error* result) {
  cursor_object* cursor = (cursor_object*)params->self;
  if (!cursor_readable(call, cursor, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  int failed = 0;
  sql_error error;
  idx_t take = params->max_rows ? cursor_available(call, cursor, &failed, &error) : 0;
  if (failed) {
    result->is_err = 1;
    result->val.err = error;
    return BERTH_OK;
  }
  if (take > params->max_rows) take = params->max_rows;
  size_t columns = cursor->shape.columns;
  sql_column_batch* batches = call->host->alloc(call, (columns ? columns : 1) * sizeof *batches,
                                                _Alignof(sql_column_batch));
  if (batches == NULL) return BERTH_OK; /* the call traps */
  for (size_t c = 0; c < columns; ++c) {
    uint32_t tag;
    typed_column(cursor->shape.readers[c].type, &tag);
    batches[c].data.tag = tag;
    if (take > 0 && !read_column(call, &cursor->shape.readers[c],
                                 duckdb_data_chunk_get_vector(cursor->chunk, c), cursor->offset,
                                 take, &batches[c])) {
      return call->host->trap(call, UNREADABLE_RESULT);
    }
  }
  cursor->offset += take;
  result->val.ok.rows = (uint32_t)take;
  result->val.ok.columns = (berth_list){batches, columns};
  return BERTH_OK;
}
