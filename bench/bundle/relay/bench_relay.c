/* The relay benchmark bundle: loops of calls into bench:calls/api, made from native code with
 * the generated import wrappers (host->call_import), so that one component call times n bundle
 * -> bundle calls. Both interfaces are called `api`, so the header offers no short names. */
#include <string.h>

#include "bench-relay_bindings.h"

berth_status bench_relay_create(berth_call* call, const berth_config_entry* config,
                                size_t config_count, void** instance) {
  (void)call;
  (void)config;
  (void)config_count;
  *instance = NULL;
  return BERTH_OK;
}

void bench_relay_destroy(void* instance) {
  (void)instance;
}

berth_status bench_relay_api_add_loop(berth_call* call,
                                      const bench_relay_api_add_loop_params* params,
                                      uint32_t* result) {
  uint32_t acc = 0;
  for (uint32_t i = params->n; i > 0; --i) {
    bench_calls_api_add_params add = {acc, i};
    berth_status status = import_bench_calls_api_add(call, &add, &acc);
    if (status != BERTH_OK) return status;
  }
  *result = acc;
  return BERTH_OK;
}

berth_status bench_relay_api_get_loop(berth_call* call,
                                      const bench_relay_api_get_loop_params* params,
                                      uint32_t* result) {
  static const char key[] = "key-0123456789ab";
  static const char value[] = "value-0123456789";
  bench_calls_api_set_params set = {{key, 16}, {value, 16}};
  berth_status status = import_bench_calls_api_set(call, &set);
  if (status != BERTH_OK) return status;
  bench_calls_api_get_params get = {{key, 16}};
  for (uint32_t i = 0; i < params->n; ++i) {
    bench_relay_option_string got;
    status = import_bench_calls_api_get(call, &get, &got);
    if (status != BERTH_OK) return status;
    *result = got.is_some ? (uint32_t)got.val.len : 0;
  }
  return BERTH_OK;
}
