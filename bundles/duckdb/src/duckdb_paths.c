#include "duckdb_paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void allowed_directories_free(allowed_directories* dirs) {
  for (size_t i = 0; i < dirs->count; ++i) free(dirs->paths[i]);
  free(dirs->paths);
  dirs->paths = NULL;
  dirs->count = 0;
}

int allowed_directories_parse(allowed_directories* out, const char* list, char* message,
                              size_t message_size) {
  size_t capacity = 1;
  for (const char* c = list; *c; ++c) capacity += *c == ':';
  out->paths = calloc(capacity, sizeof *out->paths);
  if (out->paths == NULL) {
    snprintf(message, message_size, "out of memory");
    return 0;
  }
  const char* start = list;
  for (;;) {
    const char* end = strchr(start, ':');
    size_t len = end ? (size_t)(end - start) : strlen(start);
    if (len > 0) {
      char entry[PATH_MAX];
      char real[PATH_MAX];
      struct stat info;
      snprintf(entry, sizeof entry, "%.*s", (int)len, start);
      if (entry[0] != '/' || len >= PATH_MAX || realpath(entry, real) == NULL ||
          stat(real, &info) != 0 || !S_ISDIR(info.st_mode)) {
        snprintf(message, message_size,
                 "configuration 'allowed-directories': \"%.*s\" is not an existing directory "
                 "given by its absolute path",
                 (int)len, start);
        allowed_directories_free(out);
        return 0;
      }
      size_t real_len = strlen(real);
      if (real_len > 1 && real[real_len - 1] == '/') real[real_len - 1] = '\0';
      out->paths[out->count] = strdup(real);
      if (out->paths[out->count] == NULL) {
        snprintf(message, message_size, "out of memory");
        allowed_directories_free(out);
        return 0;
      }
      out->count++;
    }
    if (end == NULL) break;
    start = end + 1;
  }
  return 1;
}

static int inside(const char* path, const char* dir) {
  size_t len = strlen(dir);
  if (strcmp(dir, "/") == 0) return path[0] == '/';
  return strncmp(path, dir, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

int allowed_directories_resolve(const allowed_directories* dirs, const char* path, size_t len,
                                char* resolved, int* in_memory, char* message,
                                size_t message_size) {
  *in_memory = 0;
  if (len == 0 || (len == 8 && memcmp(path, ":memory:", 8) == 0)) {
    *in_memory = 1;
    return 1;
  }
  if (memchr(path, '\0', len) != NULL || len >= PATH_MAX) {
    snprintf(message, message_size, "the path is not a file name (it is too long or holds NUL)");
    return 0;
  }
  if (dirs->count == 0) {
    snprintf(message, message_size,
             "\"%.*s\": this bundle's configuration allows in-memory databases only "
             "(allowed-directories is empty)",
             (int)len, path);
    return 0;
  }
  char joined[2 * PATH_MAX];
  if (path[0] == '/') {
    snprintf(joined, sizeof joined, "%.*s", (int)len, path);
  } else {
    snprintf(joined, sizeof joined, "%s/%.*s", dirs->paths[0], (int)len, path);
  }
  /* The file may not exist yet: resolve its directory, then check the name within it. */
  char* slash = strrchr(joined, '/');
  const char* name = slash + 1;
  char directory[PATH_MAX];
  char real[PATH_MAX];
  if (slash == joined) {
    snprintf(directory, sizeof directory, "/");
  } else {
    snprintf(directory, sizeof directory, "%.*s", (int)(slash - joined), joined);
  }
  if (name[0] == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
      realpath(directory, real) == NULL) {
    snprintf(message, message_size, "\"%.*s\" does not name a file in an existing directory",
             (int)len, path);
    return 0;
  }
  char candidate[2 * PATH_MAX];
  snprintf(candidate, sizeof candidate, "%s%s%s", real, strcmp(real, "/") == 0 ? "" : "/", name);
  /* An existing file may itself be a link: follow it too. */
  char target[PATH_MAX];
  struct stat info;
  if (realpath(candidate, target) != NULL) {
    snprintf(candidate, sizeof candidate, "%s", target);
  } else if (lstat(candidate, &info) == 0) {
    snprintf(message, message_size, "\"%.*s\" is a link that leads nowhere", (int)len, path);
    return 0;
  }
  for (size_t i = 0; i < dirs->count; ++i) {
    if (inside(candidate, dirs->paths[i]) && strlen(candidate) < PATH_MAX) {
      memcpy(resolved, candidate, strlen(candidate) + 1);
      return 1;
    }
  }
  snprintf(message, message_size,
           "\"%.*s\" is outside the directories this bundle's configuration allows", (int)len,
           path);
  return 0;
}
