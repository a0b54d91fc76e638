/* Where a component may open DuckDB database files: the `allowed-directories` configuration
 * entry, a ':'-separated list of existing directories, and the check of each path against it. */
#ifndef BERTH_DUCKDB_PATHS_H
#define BERTH_DUCKDB_PATHS_H

#include <stddef.h>

typedef struct allowed_directories {
  char** paths; /* each resolved with realpath, without a trailing '/' */
  size_t count;
} allowed_directories;

/* Parses `list` into `out` (which must be empty). Returns 0 with a message on a directory that
 * does not exist or is not absolute. */
int allowed_directories_parse(allowed_directories* out, const char* list, char* message,
                              size_t message_size);

void allowed_directories_free(allowed_directories* dirs);

/* Resolves the guest's `path` (`len` bytes, not NUL-terminated) to a host path inside one of
 * `dirs`, written to `resolved` (PATH_MAX bytes). An empty path or ":memory:" sets `*in_memory`.
 * A relative path is taken relative to the first directory. Symbolic links are followed before
 * the check, so a link cannot lead outside. Returns 0 with a message when the path is refused. */
int allowed_directories_resolve(const allowed_directories* dirs, const char* path, size_t len,
                                char* resolved, int* in_memory, char* message, size_t message_size);

#endif
