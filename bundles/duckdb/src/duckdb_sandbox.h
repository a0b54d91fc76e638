/* What SQL may reach: files inside the allowed directories only, no extension installed or
 * loaded from outside, and a configuration nobody can change afterwards. DuckDB applies its
 * `allowed_directories` only when it is set before `enable_external_access` is turned off, by
 * SQL on the opened database, so each new database runs sandbox_sql before anyone else sees
 * it. */
#ifndef BERTH_DUCKDB_SANDBOX_H
#define BERTH_DUCKDB_SANDBOX_H

#include <duckdb.h>
#include <stddef.h>

#include "duckdb_paths.h"

/* The statements that confine a database to `dirs` and lock its configuration (malloc'd; NULL
 * when memory ran out). */
char* sandbox_sql(const allowed_directories* dirs);

/* Runs `sql` on a connection of its own to `db`; 0 with DuckDB's message when it fails. */
int sandbox_apply(duckdb_database db, const char* sql, char* message, size_t message_size);

#endif
