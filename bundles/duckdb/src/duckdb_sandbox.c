#include "duckdb_sandbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char* sandbox_sql(const allowed_directories* dirs) {
  static const char* const lock =
      "SET enable_external_access = false; SET allow_community_extensions = false; "
      "SET lock_configuration = true;";
  size_t size = strlen(lock) + 64;
  for (size_t i = 0; i < dirs->count; ++i) size += 2 * strlen(dirs->paths[i]) + 8;
  char* sql = malloc(size);
  if (sql == NULL) return NULL;
  size_t len = 0;
  if (dirs->count > 0) {
    len += (size_t)snprintf(sql + len, size - len, "SET allowed_directories = [");
    for (size_t i = 0; i < dirs->count; ++i) {
      /* A directory with a trailing '/', so that /data does not also allow /database. */
      len += (size_t)snprintf(sql + len, size - len, "%s'", i ? ", " : "");
      for (const char* c = dirs->paths[i]; *c; ++c) {
        if (*c == '\'') sql[len++] = '\'';
        sql[len++] = *c;
      }
      const char* end = strcmp(dirs->paths[i], "/") == 0 ? "'" : "/'";
      len += (size_t)snprintf(sql + len, size - len, "%s", end);
    }
    len += (size_t)snprintf(sql + len, size - len, "]; ");
  }
  snprintf(sql + len, size - len, "%s", lock);
  return sql;
}

int sandbox_apply(duckdb_database db, const char* sql, char* message, size_t message_size) {
  duckdb_connection connection = NULL;
  if (duckdb_connect(db, &connection) == DuckDBError) {
    snprintf(message, message_size, "Connection Error: cannot connect to lock the database down");
    return 0;
  }
  duckdb_result result;
  int applied = duckdb_query(connection, sql, &result) == DuckDBSuccess;
  if (!applied) {
    const char* error = duckdb_result_error(&result);
    snprintf(message, message_size, "%s", error ? error : "the sandbox settings failed");
  }
  duckdb_destroy_result(&result);
  duckdb_disconnect(&connection);
  return applied;
}
