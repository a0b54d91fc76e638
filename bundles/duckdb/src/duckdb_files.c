#include "duckdb_files.h"

#include "duckdb_sandbox.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct open_file {
  char* path;
  char* settings;
  int shared;
  duckdb_database db;
  size_t holders;
  struct open_file* next;
};

static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;
static open_file* files;

open_file* open_file_acquire(const char* path, const char* settings, int shared,
                             duckdb_config config, const char* sandbox, duckdb_error_type* type,
                             char* message, size_t message_size) {
  pthread_mutex_lock(&files_lock);
  open_file* file = files;
  while (file != NULL && strcmp(file->path, path) != 0) file = file->next;
  if (file != NULL) {
    *type = DUCKDB_ERROR_CONNECTION;
    if (!shared || !file->shared) {
      snprintf(message, message_size,
               "the database file %s is open in another instance of the component in this "
               "process (set shared = true in the bundle's configuration to share it)",
               path);
      file = NULL;
    } else if (strcmp(file->settings, settings) != 0) {
      *type = DUCKDB_INVALID_CONFIGURATION;
      snprintf(message, message_size,
               "the database file %s is shared in this process with other settings (%s) than "
               "this instance's (%s)",
               path, file->settings, settings);
      file = NULL;
    } else {
      file->holders++;
    }
    pthread_mutex_unlock(&files_lock);
    return file;
  }
  file = calloc(1, sizeof *file);
  char* error = NULL;
  if (file == NULL || (file->path = strdup(path)) == NULL ||
      (file->settings = strdup(settings)) == NULL) {
    *type = DUCKDB_ERROR_OUT_OF_MEMORY;
    snprintf(message, message_size, "out of memory");
  } else if (duckdb_open_ext(path, &file->db, config, &error) == DuckDBError) {
    /* DuckDB starts the message with its class; the caller reads it from there. */
    *type = DUCKDB_ERROR_INVALID;
    snprintf(message, message_size, "%s", error ? error : "DuckDB could not open the database");
    duckdb_free(error);
  } else if (!sandbox_apply(file->db, sandbox, message, message_size)) {
    *type = DUCKDB_ERROR_INVALID;
    duckdb_close(&file->db);
  } else {
    file->shared = shared;
    file->holders = 1;
    file->next = files;
    files = file;
    pthread_mutex_unlock(&files_lock);
    return file;
  }
  if (file) {
    free(file->path);
    free(file->settings);
    free(file);
  }
  pthread_mutex_unlock(&files_lock);
  return NULL;
}

duckdb_database open_file_database(const open_file* file) {
  return file->db;
}

void open_file_release(open_file* file) {
  pthread_mutex_lock(&files_lock);
  if (--file->holders > 0) {
    pthread_mutex_unlock(&files_lock);
    return;
  }
  open_file** link = &files;
  while (*link != file) link = &(*link)->next;
  *link = file->next;
  pthread_mutex_unlock(&files_lock);
  duckdb_close(&file->db);
  free(file->path);
  free(file->settings);
  free(file);
}
