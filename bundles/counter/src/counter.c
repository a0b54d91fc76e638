/* Named counters over keyvalue:store@0.1.0: counter NAME is the decimal text under the key
 * "counter/NAME" of the store berth links to this bundle. Every store access is a call to an
 * imported function (import_store_*, host->call_import), whose native results the bundle
 * reads like its own parameters. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counter_bindings.h"

#define KEY_PREFIX "counter/"
#define KEY_PREFIX_LEN (sizeof KEY_PREFIX - 1)

berth_status counter_create(berth_call* call, const berth_config_entry* config, size_t config_count,
                            void** instance) {
  (void)call;
  (void)config;
  (void)config_count;
  *instance = NULL; /* all state is in the store */
  return BERTH_OK;
}

void counter_destroy(void* instance) {
  (void)instance;
}

/* A formatted message in the call's arena. */
static berth_str message(berth_call* call, const char* format, ...) {
  char text[512];
  va_list args;
  va_start(args, format);
  vsnprintf(text, sizeof text, format, args);
  va_end(args);
  return berth_str_from_cstr(call, text);
}

/* The store's key of counter `name`, in the call's arena; {NULL, 0} when the arena is full. */
static berth_str key_of(berth_call* call, berth_str name) {
  char* key = call->host->alloc(call, KEY_PREFIX_LEN + name.len, 1);
  if (key == NULL) return (berth_str){NULL, 0};
  memcpy(key, KEY_PREFIX, KEY_PREFIX_LEN);
  if (name.len) memcpy(key + KEY_PREFIX_LEN, name.ptr, name.len);
  return (berth_str){key, KEY_PREFIX_LEN + name.len};
}

/* The outcome of reading a counter: its value, or the error message to return. */
typedef struct reading {
  int failed;
  int64_t value;
  berth_str error;
} reading;

/* Reads counter `name` from the store (0 when absent). BERTH_TRAP when the store's call
 * trapped (the caller returns it at once). */
static berth_status read_counter(berth_call* call, berth_str name, reading* out) {
  memset(out, 0, sizeof *out);
  store_get_params params = {key_of(call, name)};
  if (params.key.ptr == NULL) return call->host->trap(call, "out of memory");
  counter_result_option_string_string got;
  berth_status status = import_store_get(call, &params, &got);
  if (status != BERTH_OK) return status;
  if (got.is_err) {
    out->failed = 1;
    out->error = message(call, "keyvalue: %.*s", (int)got.val.err.len, got.val.err.ptr);
    return BERTH_OK;
  }
  if (!got.val.ok.is_some) return BERTH_OK;
  /* The value's bytes stay valid until the next store call: parse them now. */
  berth_str text = got.val.ok.val;
  char digits[32];
  char* end = NULL;
  int parsed = 0;
  if (text.len > 0 && text.len < sizeof digits) {
    memcpy(digits, text.ptr, text.len);
    digits[text.len] = '\0';
    errno = 0;
    out->value = strtoimax(digits, &end, 10);
    parsed = errno == 0 && end == digits + text.len;
  }
  if (!parsed) {
    out->failed = 1;
    out->error = message(call, "counter '%.*s' holds \"%.*s\", not a 64-bit integer", (int)name.len,
                         name.ptr, (int)(text.len > 64 ? 64 : text.len), text.ptr);
  }
  return BERTH_OK;
}

berth_status counter_service_counter_increment(berth_call* call,
                                               const counter_increment_params* params,
                                               counter_result_s64_string* result) {
  reading current;
  berth_status status = read_counter(call, params->name, &current);
  if (status != BERTH_OK) return status;
  if (current.failed) {
    result->is_err = 1;
    result->val.err = current.error;
    return BERTH_OK;
  }
  int64_t sum;
  if (__builtin_add_overflow(current.value, params->by, &sum)) {
    result->is_err = 1;
    result->val.err = message(call, "counter '%.*s' would overflow: %" PRId64 " + %" PRId64,
                              (int)params->name.len, params->name.ptr, current.value, params->by);
    return BERTH_OK;
  }
  char text[24];
  snprintf(text, sizeof text, "%" PRId64, sum);
  store_set_params set = {key_of(call, params->name), berth_str_from_cstr(call, text)};
  if (set.key.ptr == NULL || set.value.ptr == NULL) return call->host->trap(call, "out of memory");
  counter_result_void_string stored;
  status = import_store_set(call, &set, &stored);
  if (status != BERTH_OK) return status;
  if (stored.is_err) {
    result->is_err = 1;
    result->val.err = message(call, "keyvalue: %.*s", (int)stored.val.err.len, stored.val.err.ptr);
    return BERTH_OK;
  }
  result->val.ok = sum;
  return BERTH_OK;
}

berth_status counter_service_counter_get(berth_call* call, const counter_get_params* params,
                                         counter_result_s64_string* result) {
  reading current;
  berth_status status = read_counter(call, params->name, &current);
  if (status != BERTH_OK) return status;
  result->is_err = (bool)current.failed;
  if (current.failed) {
    result->val.err = current.error;
  } else {
    result->val.ok = current.value;
  }
  return BERTH_OK;
}

berth_status counter_service_counter_reset(berth_call* call, const counter_reset_params* params,
                                           counter_result_void_string* result) {
  store_delete_params removal = {key_of(call, params->name)};
  if (removal.key.ptr == NULL) return call->host->trap(call, "out of memory");
  counter_result_void_string removed;
  berth_status status = import_store_delete(call, &removal, &removed);
  if (status != BERTH_OK) return status;
  if (removed.is_err) {
    result->is_err = 1;
    result->val.err =
        message(call, "keyvalue: %.*s", (int)removed.val.err.len, removed.val.err.ptr);
  }
  return BERTH_OK;
}

berth_status counter_service_counter_names(berth_call* call,
                                           counter_result_list_string_string* result) {
  counter_result_list_string_string keys;
  berth_status status = import_store_list_keys(call, &keys);
  if (status != BERTH_OK) return status;
  if (keys.is_err) {
    result->is_err = 1;
    result->val.err = message(call, "keyvalue: %.*s", (int)keys.val.err.len, keys.val.err.ptr);
    return BERTH_OK;
  }
  const berth_str* all = keys.val.ok.ptr;
  berth_str* names = call->host->alloc(
      call, (keys.val.ok.len ? keys.val.ok.len : 1) * sizeof(berth_str), _Alignof(berth_str));
  if (names == NULL) return call->host->trap(call, "out of memory");
  size_t count = 0;
  /* The store lists keys in ascending byte order, so the names under the prefix are too. They
   * are returned as views of the store's result, which stays valid until this call ends. */
  for (size_t i = 0; i < keys.val.ok.len; ++i) {
    if (all[i].len < KEY_PREFIX_LEN || memcmp(all[i].ptr, KEY_PREFIX, KEY_PREFIX_LEN) != 0) {
      continue;
    }
    names[count++] = (berth_str){all[i].ptr + KEY_PREFIX_LEN, all[i].len - KEY_PREFIX_LEN};
  }
  result->val.ok = (berth_list){names, count};
  return BERTH_OK;
}
