#include "duckdb_watchdog.h"

static void* watch(void* arg) {
  watchdog* dog = arg;
  pthread_mutex_lock(&dog->mutex);
  while (!dog->stop) {
    if (dog->armed == NULL) {
      pthread_cond_wait(&dog->changed, &dog->mutex);
      continue;
    }
    duckdb_connection watched = dog->armed;
    struct timespec deadline = dog->deadline;
    if (pthread_cond_timedwait(&dog->changed, &dog->mutex, &deadline) != 0 &&
        dog->armed == watched && dog->deadline.tv_sec == deadline.tv_sec &&
        dog->deadline.tv_nsec == deadline.tv_nsec) {
      /* Still the same call, past its deadline: DuckDB's call then fails with INTERRUPT. */
      duckdb_interrupt(watched);
      dog->armed = NULL;
    }
  }
  pthread_mutex_unlock(&dog->mutex);
  return NULL;
}

int watchdog_start(watchdog* dog, long timeout_ms) {
  dog->timeout_ms = timeout_ms;
  if (timeout_ms == 0) return 1;
  pthread_condattr_t attributes;
  pthread_condattr_init(&attributes);
  pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
  pthread_cond_init(&dog->changed, &attributes);
  pthread_condattr_destroy(&attributes);
  pthread_mutex_init(&dog->mutex, NULL);
  dog->started = pthread_create(&dog->thread, NULL, watch, dog) == 0;
  if (!dog->started) {
    pthread_cond_destroy(&dog->changed);
    pthread_mutex_destroy(&dog->mutex);
  }
  return dog->started;
}

void watchdog_stop(watchdog* dog) {
  if (!dog->started) return;
  pthread_mutex_lock(&dog->mutex);
  dog->stop = 1;
  pthread_cond_signal(&dog->changed);
  pthread_mutex_unlock(&dog->mutex);
  pthread_join(dog->thread, NULL);
  pthread_cond_destroy(&dog->changed);
  pthread_mutex_destroy(&dog->mutex);
  dog->started = 0;
}

void watchdog_arm(watchdog* dog, duckdb_connection connection) {
  if (!dog->started) return;
  struct timespec deadline;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += dog->timeout_ms / 1000;
  deadline.tv_nsec += (dog->timeout_ms % 1000) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&dog->mutex);
  dog->armed = connection;
  dog->deadline = deadline;
  pthread_cond_signal(&dog->changed);
  pthread_mutex_unlock(&dog->mutex);
}

void watchdog_disarm(watchdog* dog) {
  if (!dog->started) return;
  pthread_mutex_lock(&dog->mutex);
  dog->armed = NULL;
  pthread_cond_signal(&dog->changed);
  pthread_mutex_unlock(&dog->mutex);
}
