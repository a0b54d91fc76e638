/* Bundle beta's `store.get`, written with the short names its bindings offer. */
#include <stdio.h>

#include "beta_bindings.h"

berth_status beta_create(berth_call* call, const berth_config_entry* config, size_t count,
                         void** instance) {
  (void)call, (void)config, (void)count;
  *instance = NULL;
  return BERTH_OK;
}
void beta_destroy(void* instance) {
  (void)instance;
}

berth_status store_get(berth_call* call, const store_get_params* params, berth_str* result) {
  char text[64];
  int len = snprintf(text, sizeof text, "beta:%.*s", (int)params->key.len, params->key.ptr);
  *result = berth_str_copy(call, text, (size_t)len);
  return BERTH_OK;
}
