/* The query timeout: a thread that interrupts a DuckDB call running past its deadline. */
#ifndef BERTH_DUCKDB_WATCHDOG_H
#define BERTH_DUCKDB_WATCHDOG_H

#include <duckdb.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

typedef struct watchdog {
  long timeout_ms; /* 0: no timeout, no thread */
  int started, stop;
  pthread_t thread;
  pthread_mutex_t mutex;
  pthread_cond_t changed;
  duckdb_connection armed; /* the connection of the call being watched, or NULL */
  struct timespec deadline;
} watchdog;

/* Starts the thread when `timeout_ms` is not 0; 0 when it cannot be started. */
int watchdog_start(watchdog* dog, long timeout_ms);
void watchdog_stop(watchdog* dog);

/* Watches a call on `connection` from now until watchdog_disarm. */
void watchdog_arm(watchdog* dog, duckdb_connection connection);
void watchdog_disarm(watchdog* dog);

#endif
