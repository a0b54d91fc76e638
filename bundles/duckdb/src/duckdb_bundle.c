/* duckdb:database@0.1.0 on DuckDB's C API. Each component instance opens its own databases;
 * DuckDB runs locked down (no file access through SQL, no extension installs, configuration
 * locked), and database files must lie inside the configured allowed directories. */
#include <duckdb.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "duckdb_objects.h"

static void database_release(database_object* database) {
  if (--database->refs == 0) {
    duckdb_close(&database->db);
    free(database);
  }
}

void connection_adopt(connection_object* connection, connection_child* child) {
  child->prev = &connection->children;
  child->next = connection->children.next;
  child->next->prev = child;
  connection->children.next = child;
}

void connection_disown(connection_child* child) {
  if (child->next == NULL) return;
  child->prev->next = child->next;
  child->next->prev = child->prev;
  child->prev = child->next = NULL;
}

static void connection_close(connection_object* connection) {
  if (connection->con == NULL) return;
  while (connection->children.next != &connection->children) {
    connection_child* child = connection->children.next;
    connection_disown(child);
    child->close(child);
  }
  duckdb_disconnect(&connection->con);
  connection->con = NULL;
  database_release(connection->database);
  connection->database = NULL;
}

berth_status duckdb_create(berth_call* call, const berth_config_entry* config, size_t count,
                           void** self) {
  bundle_instance* instance = calloc(1, sizeof *instance);
  if (instance == NULL) return call->host->trap(call, "out of memory");
  char message[1024];
  for (size_t i = 0; i < count; ++i) {
    if (strcmp(config[i].key, "allowed-directories") == 0) {
      if (!allowed_directories_parse(&instance->allowed, config[i].value, message,
                                     sizeof message)) {
        free(instance);
        return call->host->trap(call, message);
      }
    } else if (strcmp(config[i].key, "threads") == 0) {
      char* end = NULL;
      errno = 0;
      instance->threads = strtol(config[i].value, &end, 10);
      if (config[i].value[0] == '\0' || *end != '\0' || errno != 0 || instance->threads < 0 ||
          instance->threads > 4096) {
        snprintf(message, sizeof message,
                 "configuration 'threads': expected a number of threads from 0 (DuckDB's "
                 "default) to 4096, found \"%s\"",
                 config[i].value);
        allowed_directories_free(&instance->allowed);
        free(instance);
        return call->host->trap(call, message);
      }
    }
  }
  *self = instance;
  return BERTH_OK;
}

void duckdb_destroy(void* self) {
  bundle_instance* instance = self;
  if (instance == NULL) return;
  allowed_directories_free(&instance->allowed);
  free(instance);
}

/* ---- database ---- */

/* DuckDB settings every database gets: SQL reaches no file but the database's own, installs and
 * loads no extension on its own, and cannot undo this. */
static const char* const locked_settings[][2] = {
    {"enable_external_access", "false"},
    {"autoinstall_known_extensions", "false"},
    {"autoload_known_extensions", "false"},
    {"lock_configuration", "true"},
};

static int configure(const bundle_instance* instance, duckdb_config* config, char* message,
                     size_t size) {
  if (duckdb_create_config(config) == DuckDBError) {
    snprintf(message, size, "DuckDB could not create a configuration");
    return 0;
  }
  char threads[32];
  snprintf(threads, sizeof threads, "%ld", instance->threads);
  if (instance->threads > 0 && duckdb_set_config(*config, "threads", threads) == DuckDBError) {
    snprintf(message, size, "DuckDB refused the setting threads = %s", threads);
    return 0;
  }
  for (size_t i = 0; i < sizeof locked_settings / sizeof locked_settings[0]; ++i) {
    if (duckdb_set_config(*config, locked_settings[i][0], locked_settings[i][1]) == DuckDBError) {
      snprintf(message, size, "DuckDB refused the setting %s = %s", locked_settings[i][0],
               locked_settings[i][1]);
      return 0;
    }
  }
  return 1;
}

berth_status sql_database_open(berth_call* call, const sql_database_open_params* params,
                               duckdb_result_own_database_error* result) {
  bundle_instance* instance = call->instance;
  char path[PATH_MAX];
  char message[PATH_MAX + 256];
  int in_memory = 0;
  if (!allowed_directories_resolve(&instance->allowed, params->path.ptr, params->path.len, path,
                                   &in_memory, message, sizeof message)) {
    result->is_err = 1;
    result->val.err = error_not_allowed(call, message);
    return BERTH_OK;
  }
  duckdb_config config = NULL;
  if (!configure(instance, &config, message, sizeof message)) {
    duckdb_destroy_config(&config);
    return call->host->trap(call, message);
  }
  database_object* database = calloc(1, sizeof *database);
  if (database == NULL) {
    duckdb_destroy_config(&config);
    return call->host->trap(call, "out of memory");
  }
  char* error = NULL;
  duckdb_state state = duckdb_open_ext(in_memory ? NULL : path, &database->db, config, &error);
  duckdb_destroy_config(&config);
  if (state == DuckDBError) {
    result->is_err = 1;
    result->val.err = error_from_duckdb(call, error_type_of_message(error), error);
    duckdb_free(error);
    free(database);
    return BERTH_OK;
  }
  database->refs = 1;
  result->val.ok = (berth_rep)database;
  return BERTH_OK;
}

berth_status sql_database_connect(berth_call* call, const sql_database_connect_params* params,
                                  duckdb_result_own_connection_error* result) {
  database_object* database = (database_object*)params->self;
  connection_object* connection = calloc(1, sizeof *connection);
  if (connection == NULL) return call->host->trap(call, "out of memory");
  if (duckdb_connect(database->db, &connection->con) == DuckDBError) {
    free(connection);
    result->is_err = 1;
    result->val.err = error_from_duckdb(call, DUCKDB_ERROR_CONNECTION,
                                        "DuckDB could not open a connection to the database");
    return BERTH_OK;
  }
  connection->database = database;
  connection->children.prev = connection->children.next = &connection->children;
  database->refs++;
  result->val.ok = (berth_rep)connection;
  return BERTH_OK;
}

void sql_database_destroy(void* self, berth_rep rep) {
  (void)self;
  database_release((database_object*)rep);
}

/* ---- connection ---- */

void sql_connection_destroy(void* self, berth_rep rep) {
  (void)self;
  connection_object* connection = (connection_object*)rep;
  connection_close(connection);
  free(connection);
}

berth_status sql_connection_close(berth_call* call, const sql_connection_close_params* params) {
  (void)call;
  connection_close((connection_object*)params->self);
  return BERTH_OK;
}

berth_status sql_connection_execute(berth_call* call, const sql_connection_execute_params* params,
                                    duckdb_result_query_result_error* result) {
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
  duckdb_result source;
  connection->statements_run++;
  if (duckdb_query(connection->con, sql, &source) == DuckDBError) {
    result->is_err = 1;
    result->val.err =
        error_from_duckdb(call, duckdb_result_error_type(&source), duckdb_result_error(&source));
    duckdb_destroy_result(&source);
    return BERTH_OK;
  }
  berth_status status = read_result(call, &source, result);
  duckdb_destroy_result(&source);
  return status;
}
