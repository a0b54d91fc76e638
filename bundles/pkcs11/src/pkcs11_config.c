#include "pkcs11_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `text` without leading and trailing blanks, as a new string (NULL when out of memory). */
static char* trimmed(const char* text, size_t len) {
  while (len > 0 && isspace((unsigned char)*text)) ++text, --len;
  while (len > 0 && isspace((unsigned char)text[len - 1])) --len;
  char* copy = malloc(len + 1);
  if (copy != NULL) {
    memcpy(copy, text, len);
    copy[len] = '\0';
  }
  return copy;
}

/* Splits `value` at ',' into trimmed items, empty ones left out; 0 when out of memory. */
static int split(const char* value, char*** items, size_t* count) {
  *items = NULL;
  *count = 0;
  const char* start = value;
  for (;;) {
    const char* end = strchr(start, ',');
    size_t len = end ? (size_t)(end - start) : strlen(start);
    char* item = trimmed(start, len);
    if (item == NULL) return 0;
    if (item[0] == '\0') {
      free(item);
    } else {
      char** grown = realloc(*items, (*count + 1) * sizeof *grown);
      if (grown == NULL) {
        free(item);
        return 0;
      }
      *items = grown;
      (*items)[(*count)++] = item;
    }
    if (end == NULL) return 1;
    start = end + 1;
  }
}

static void free_items(char** items, size_t count) {
  for (size_t i = 0; i < count; ++i) free(items[i]);
  free(items);
}

static int read_slots(bundle_config* config, const char* value, char* message, size_t size) {
  char** items;
  size_t count;
  if (!split(value, &items, &count)) {
    snprintf(message, size, "out of memory");
    return 0;
  }
  config->slots = count ? calloc(count, sizeof *config->slots) : NULL;
  if (count > 0 && config->slots == NULL) {
    snprintf(message, size, "out of memory");
    free_items(items, count);
    return 0;
  }
  for (size_t i = 0; i < count; ++i) {
    char* end = NULL;
    errno = 0;
    unsigned long long id = strtoull(items[i], &end, 10);
    if (*end != '\0' || errno != 0 || items[i][0] == '-' || id != (CK_SLOT_ID)id) {
      snprintf(message, size,
               "configuration 'slots': expected slot IDs (decimal) separated by ',', found \"%s\"",
               items[i]);
      free_items(items, count);
      return 0;
    }
    config->slots[config->slot_count++] = (CK_SLOT_ID)id;
  }
  free_items(items, count);
  return 1;
}

static int read_bool(const char* key, const char* value, int* out, char* message, size_t size) {
  if (strcmp(value, "true") == 0 || strcmp(value, "false") == 0) {
    *out = value[0] == 't';
    return 1;
  }
  snprintf(message, size, "configuration '%s': expected true or false, found \"%s\"", key, value);
  return 0;
}

/* A PIN from `pin` or from the environment variable `pin_env` names (not both). */
static int read_pin(const char* key, const char* pin, const char* pin_env, char** out,
                    char* message, size_t size) {
  if (pin[0] != '\0' && pin_env[0] != '\0') {
    snprintf(message, size, "configuration '%s' and '%s-env': set one of them, not both", key, key);
    return 0;
  }
  const char* value = pin;
  if (pin_env[0] != '\0') {
    value = getenv(pin_env);
    if (value == NULL) {
      snprintf(message, size,
               "configuration '%s-env': the environment variable %s is not set in berth's "
               "environment",
               key, pin_env);
      return 0;
    }
  }
  if (value[0] == '\0') return 1;
  *out = strdup(value);
  if (*out == NULL) {
    snprintf(message, size, "out of memory");
    return 0;
  }
  return 1;
}

int config_read(bundle_config* config, const berth_config_entry* entries, size_t count,
                char* message, size_t size) {
  memset(config, 0, sizeof *config);
  const char* module = "";
  const char* pin[2] = {"", ""};
  const char* so_pin[2] = {"", ""};
  for (size_t i = 0; i < count; ++i) {
    const char* key = entries[i].key;
    const char* value = entries[i].value;
    int ok = 1;
    if (strcmp(key, "module") == 0) {
      module = value;
    } else if (strcmp(key, "slots") == 0) {
      ok = read_slots(config, value, message, size);
    } else if (strcmp(key, "token-labels") == 0) {
      ok = split(value, &config->token_labels, &config->token_label_count);
      if (!ok) snprintf(message, size, "out of memory");
    } else if (strcmp(key, "pin") == 0) {
      pin[0] = value;
    } else if (strcmp(key, "pin-env") == 0) {
      pin[1] = value;
    } else if (strcmp(key, "so-pin") == 0) {
      so_pin[0] = value;
    } else if (strcmp(key, "so-pin-env") == 0) {
      so_pin[1] = value;
    } else if (strcmp(key, "allow-guest-pin") == 0) {
      ok = read_bool(key, value, &config->allow_guest_pin, message, size);
    } else if (strcmp(key, "allow-extractable-keys") == 0) {
      ok = read_bool(key, value, &config->allow_extractable_keys, message, size);
    } else if (strcmp(key, "allow-token-initialization") == 0) {
      ok = read_bool(key, value, &config->allow_token_initialization, message, size);
    }
    if (!ok) {
      config_free(config);
      return 0;
    }
  }
  if (module[0] != '/') {
    snprintf(message, size,
             "configuration 'module': expected the absolute path of a PKCS#11 module, found "
             "\"%s\"",
             module);
    config_free(config);
    return 0;
  }
  config->module = strdup(module);
  if (config->module == NULL) {
    snprintf(message, size, "out of memory");
    config_free(config);
    return 0;
  }
  if (!read_pin("pin", pin[0], pin[1], &config->pin, message, size) ||
      !read_pin("so-pin", so_pin[0], so_pin[1], &config->so_pin, message, size)) {
    config_free(config);
    return 0;
  }
  return 1;
}

static void wipe(char* secret) {
  if (secret == NULL) return;
  /* volatile: the stores must happen although the memory is freed next. */
  for (volatile char* p = secret; *p != '\0'; ++p) *p = '\0';
  free(secret);
}

void config_free(bundle_config* config) {
  free(config->module);
  free(config->slots);
  free_items(config->token_labels, config->token_label_count);
  wipe(config->pin);
  wipe(config->so_pin);
  memset(config, 0, sizeof *config);
}
