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
#include "duckdb_sandbox.h"

static void database_release(database_object* database) {
  if (--database->refs == 0) {
    if (database->file) {
      open_file_release(database->file);
    } else {
      duckdb_close(&database->db);
    }
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

/* Whether DuckDB takes `value` for its setting `name`, tried on a configuration of its own. */
static int duckdb_accepts(const char* name, const char* value) {
  duckdb_config config = NULL;
  int accepted = duckdb_create_config(&config) == DuckDBSuccess &&
                 duckdb_set_config(config, name, value) == DuckDBSuccess;
  duckdb_destroy_config(&config);
  return accepted;
}

/* `value` as a whole number from 0 to `max`, into `*out`; 0 when it is not one. */
static int whole_number(const char* value, long max, long* out) {
  char* end = NULL;
  errno = 0;
  *out = strtol(value, &end, 10);
  return value[0] != '\0' && *end == '\0' && errno == 0 && *out >= 0 && *out <= max;
}

/* Reads one configuration entry into `instance`; 0 with a message when the value is wrong. */
static int configure_entry(bundle_instance* instance, const berth_config_entry* entry,
                           char* message, size_t size) {
  const char* value = entry->value;
  if (strcmp(entry->key, "allowed-directories") == 0) {
    return allowed_directories_parse(&instance->allowed, value, message, size);
  }
  if (strcmp(entry->key, "threads") == 0) {
    long threads;
    if (!whole_number(value, 4096, &threads)) {
      snprintf(message, size,
               "configuration 'threads': expected a number of threads from 0 (DuckDB's default) "
               "to 4096, found \"%s\"",
               value);
      return 0;
    }
    if (threads > 0) snprintf(instance->threads, sizeof instance->threads, "%ld", threads);
    return 1;
  }
  if (strcmp(entry->key, "max-memory") == 0) {
    if (value[0] != '\0' &&
        (strlen(value) >= sizeof instance->max_memory || !duckdb_accepts("max_memory", value))) {
      snprintf(message, size,
               "configuration 'max-memory': expected an amount of memory such as \"1GB\" or "
               "\"512MiB\", found \"%s\"",
               value);
      return 0;
    }
    snprintf(instance->max_memory, sizeof instance->max_memory, "%s", value);
    return 1;
  }
  if (strcmp(entry->key, "query-timeout-ms") == 0) {
    long timeout;
    if (!whole_number(value, 86400000, &timeout)) {
      snprintf(message, size,
               "configuration 'query-timeout-ms': expected milliseconds from 0 (no timeout) to "
               "86400000, found \"%s\"",
               value);
      return 0;
    }
    instance->timeout.timeout_ms = timeout;
    return 1;
  }
  if (strcmp(entry->key, "shared") == 0) {
    instance->shared = strcmp(value, "true") == 0;
    if (!instance->shared && strcmp(value, "false") != 0) {
      snprintf(message, size, "configuration 'shared': expected true or false, found \"%s\"",
               value);
      return 0;
    }
    return 1;
  }
  if (strcmp(entry->key, "access-mode") == 0) {
    instance->read_only = strcmp(value, "read-only") == 0;
    if (!instance->read_only && strcmp(value, "read-write") != 0) {
      snprintf(message, size,
               "configuration 'access-mode': expected \"read-write\" or \"read-only\", found "
               "\"%s\"",
               value);
      return 0;
    }
  }
  return 1;
}

berth_status duckdb_create(berth_call* call, const berth_config_entry* config, size_t count,
                           void** self) {
  bundle_instance* instance = calloc(1, sizeof *instance);
  if (instance == NULL) return call->host->trap(call, "out of memory");
  char message[1024];
  for (size_t i = 0; i < count; ++i) {
    if (!configure_entry(instance, &config[i], message, sizeof message)) {
      allowed_directories_free(&instance->allowed);
      free(instance);
      return call->host->trap(call, message);
    }
  }
  if (!watchdog_start(&instance->timeout, instance->timeout.timeout_ms)) {
    allowed_directories_free(&instance->allowed);
    free(instance);
    return call->host->trap(call, "cannot start the thread of query-timeout-ms");
  }
  *self = instance;
  return BERTH_OK;
}

void duckdb_destroy(void* self) {
  bundle_instance* instance = self;
  if (instance == NULL) return;
  watchdog_stop(&instance->timeout);
  allowed_directories_free(&instance->allowed);
  free(instance);
}

/* ---- database ---- */

/* DuckDB settings every database gets at its start: it installs and loads no extension on its
 * own. The rest of the sandbox comes by SQL once it is open (duckdb_sandbox.h). */
static const char* const locked_settings[][2] = {
    {"autoinstall_known_extensions", "false"},
    {"autoload_known_extensions", "false"},
};

static int set(duckdb_config config, const char* name, const char* value, char* message,
               size_t size) {
  if (duckdb_set_config(config, name, value) == DuckDBSuccess) return 1;
  snprintf(message, size, "DuckDB refused the setting %s = %s", name, value);
  return 0;
}

static int configure(const bundle_instance* instance, int in_memory, duckdb_config* config,
                     char* message, size_t size) {
  if (duckdb_create_config(config) == DuckDBError) {
    snprintf(message, size, "DuckDB could not create a configuration");
    return 0;
  }
  if ((instance->threads[0] && !set(*config, "threads", instance->threads, message, size)) ||
      (instance->max_memory[0] &&
       !set(*config, "max_memory", instance->max_memory, message, size)) ||
      /* DuckDB refuses a read-only in-memory database: it could hold nothing. */
      (instance->read_only && !in_memory &&
       !set(*config, "access_mode", "READ_ONLY", message, size))) {
    return 0;
  }
  for (size_t i = 0; i < sizeof locked_settings / sizeof locked_settings[0]; ++i) {
    if (!set(*config, locked_settings[i][0], locked_settings[i][1], message, size)) return 0;
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
  if (!configure(instance, in_memory, &config, message, sizeof message)) {
    duckdb_destroy_config(&config);
    return call->host->trap(call, message);
  }
  database_object* database = calloc(1, sizeof *database);
  if (database == NULL) {
    duckdb_destroy_config(&config);
    return call->host->trap(call, "out of memory");
  }
  duckdb_error_type type = DUCKDB_ERROR_INVALID;
  char* sandbox = sandbox_sql(&instance->allowed);
  if (sandbox == NULL) {
    snprintf(message, sizeof message, "Out of Memory Error: no memory for the sandbox");
  } else if (in_memory) {
    char* error = NULL;
    if (duckdb_open_ext(NULL, &database->db, config, &error) == DuckDBError) {
      snprintf(message, sizeof message, "%s", error ? error : "DuckDB could not open a database");
      database->db = NULL;
    } else if (!sandbox_apply(database->db, sandbox, message, sizeof message)) {
      duckdb_close(&database->db);
      database->db = NULL;
    }
    duckdb_free(error);
  } else {
    /* Instances share a file only with the same settings, the sandbox included. */
    size_t size = strlen(sandbox) + 128;
    char* settings = malloc(size);
    if (settings == NULL) {
      snprintf(message, sizeof message, "Out of Memory Error: no memory for the settings");
    } else {
      snprintf(settings, size, "threads=%s max-memory=%s access-mode=%s; %s",
               instance->threads[0] ? instance->threads : "default",
               instance->max_memory[0] ? instance->max_memory : "default",
               instance->read_only ? "read-only" : "read-write", sandbox);
      database->file = open_file_acquire(path, settings, instance->shared, config, sandbox, &type,
                                         message, sizeof message);
      if (database->file != NULL) database->db = open_file_database(database->file);
      free(settings);
    }
  }
  free(sandbox);
  duckdb_destroy_config(&config);
  if (database->db == NULL) {
    /* DuckDB's own messages start with their class. */
    if (type == DUCKDB_ERROR_INVALID) type = error_type_of_message(message);
    result->is_err = 1;
    result->val.err = error_from_duckdb(call, type, message);
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
  const char* sql =
      connection_sql(call, connection, params->sql, &result->is_err, &result->val.err);
  if (sql == NULL) return BERTH_OK;
  duckdb_result source;
  if (!run_sql(call, connection, sql, &source, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  berth_status status = read_result(call, &source, result);
  duckdb_destroy_result(&source);
  return status;
}

/* Runs a statement that returns nothing the guest needs (BEGIN, COMMIT, ROLLBACK). */
static void run_plain(berth_call* call, connection_object* connection, const char* sql,
                      duckdb_result_void_error* result) {
  if (connection->con == NULL) {
    result->is_err = 1;
    result->val.err = error_closed();
    return;
  }
  duckdb_result source;
  if (run_sql(call, connection, sql, &source, &result->val.err)) {
    duckdb_destroy_result(&source);
  } else {
    result->is_err = 1;
  }
}

berth_status sql_connection_begin_transaction(berth_call* call,
                                              const sql_connection_begin_transaction_params* params,
                                              duckdb_result_void_error* result) {
  run_plain(call, (connection_object*)params->self, "BEGIN TRANSACTION", result);
  return BERTH_OK;
}

berth_status sql_connection_commit(berth_call* call, const sql_connection_commit_params* params,
                                   duckdb_result_void_error* result) {
  run_plain(call, (connection_object*)params->self, "COMMIT", result);
  return BERTH_OK;
}

berth_status sql_connection_rollback(berth_call* call, const sql_connection_rollback_params* params,
                                     duckdb_result_void_error* result) {
  run_plain(call, (connection_object*)params->self, "ROLLBACK", result);
  return BERTH_OK;
}

berth_status sql_connection_interrupt(berth_call* call,
                                      const sql_connection_interrupt_params* params) {
  (void)call;
  connection_object* connection = (connection_object*)params->self;
  if (connection->con == NULL) return BERTH_OK;
  /* Between calls nothing runs, so DuckDB's own interrupt would be lost: the statement whose
   * result a cursor may still be reading is marked instead. */
  connection->interrupted = connection->statements_run;
  return BERTH_OK;
}
