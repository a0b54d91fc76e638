/* The database files open in this process, shared by every instance of the bundle: DuckDB's
 * file lock does not stop a second database of the same process from opening a file, and two
 * would corrupt it, so a file is either held by one instance or shared on purpose. */
#ifndef BERTH_DUCKDB_FILES_H
#define BERTH_DUCKDB_FILES_H

#include <duckdb.h>
#include <stddef.h>

typedef struct open_file open_file;

/* The database of file `path` (a resolved host path): opened with `config` when no instance has
 * it open (and confined by the `sandbox` statements, duckdb_sandbox.h, before it is shared), or
 * joined when one has and both share (`shared`) with the same `settings`. NULL
 * with a message and an error class otherwise: DUCKDB_ERROR_INVALID when the message is
 * DuckDB's own, which names its class. */
open_file* open_file_acquire(const char* path, const char* settings, int shared,
                             duckdb_config config, const char* sandbox, duckdb_error_type* type,
                             char* message, size_t message_size);

duckdb_database open_file_database(const open_file* file);

/* Gives the instance's hold back; the last one closes the database. */
void open_file_release(open_file* file);

#endif
