/* The benchmark bundle: `add` and a one-slot key-value store, so that what is measured is the
 * cost of crossing into a bundle, not of the work done there. */
#include <string.h>

#include "bench-calls_bindings.h"

typedef struct slot {
  char key[64];
  size_t key_len;
  char value[64];
  size_t value_len;
} slot;

static slot the_slot;

berth_status bench_calls_create(berth_call* call, const berth_config_entry* config,
                                size_t config_count, void** instance) {
  (void)call;
  (void)config;
  (void)config_count;
  *instance = &the_slot;
  return BERTH_OK;
}

void bench_calls_destroy(void* instance) { (void)instance; }

berth_status api_add(berth_call* call, const api_add_params* params, uint32_t* result) {
  (void)call;
  *result = params->a + params->b;
  return BERTH_OK;
}

berth_status api_get(berth_call* call, const api_get_params* params,
                     bench_calls_option_string* result) {
  slot* s = call->instance;
  if (params->key.len != s->key_len || memcmp(params->key.ptr, s->key, s->key_len) != 0) {
    return BERTH_OK; /* none */
  }
  result->is_some = true;
  result->val = berth_str_copy(call, s->value, s->value_len);
  return BERTH_OK;
}

berth_status api_set(berth_call* call, const api_set_params* params) {
  slot* s = call->instance;
  if (params->key.len > sizeof s->key || params->value.len > sizeof s->value) {
    return call->host->trap(call, "the benchmark slot holds 64-byte keys and values");
  }
  memcpy(s->key, params->key.ptr, params->key.len);
  s->key_len = params->key.len;
  memcpy(s->value, params->value.ptr, params->value.len);
  s->value_len = params->value.len;
  return BERTH_OK;
}
