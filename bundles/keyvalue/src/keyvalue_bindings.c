/* The descriptor of keyvalue:store@0.1.0 (world kv-host) and the trampolines from the generic
 * berth_function_impl shape to the typed functions of keyvalue_bindings.h. Regular by design:
 * a bindings generator writes this file from the WIT. */
#include "keyvalue_bindings.h"

static berth_status store_get(berth_call* call, const void* params, void* result) {
  return keyvalue_store_get(call, call->instance, (const keyvalue_store_get_params*)params,
                            (keyvalue_store_get_result*)result);
}
static berth_status store_set(berth_call* call, const void* params, void* result) {
  return keyvalue_store_set(call, call->instance, (const keyvalue_store_set_params*)params,
                            (keyvalue_store_set_result*)result);
}
static berth_status store_delete(berth_call* call, const void* params, void* result) {
  return keyvalue_store_delete(call, call->instance, (const keyvalue_store_delete_params*)params,
                               (keyvalue_store_delete_result*)result);
}
static berth_status store_exists(berth_call* call, const void* params, void* result) {
  return keyvalue_store_exists(call, call->instance, (const keyvalue_store_exists_params*)params,
                               (keyvalue_store_exists_result*)result);
}
static berth_status store_list_keys(berth_call* call, const void* params, void* result) {
  (void)params;
  return keyvalue_store_list_keys(call, call->instance, (keyvalue_store_list_keys_result*)result);
}

static const berth_function store_functions[] = {
    {"get", "func(key: string) -> result<option<string>, string>",
     sizeof(keyvalue_store_get_params), sizeof(keyvalue_store_get_result), store_get},
    {"set", "func(key: string, value: string) -> result<_, string>",
     sizeof(keyvalue_store_set_params), sizeof(keyvalue_store_set_result), store_set},
    {"delete", "func(key: string) -> result<_, string>", sizeof(keyvalue_store_delete_params),
     sizeof(keyvalue_store_delete_result), store_delete},
    {"exists", "func(key: string) -> result<bool, string>", sizeof(keyvalue_store_exists_params),
     sizeof(keyvalue_store_exists_result), store_exists},
    {"list-keys", "func() -> result<list<string>, string>", 0,
     sizeof(keyvalue_store_list_keys_result), store_list_keys},
};

static const berth_interface interfaces[] = {
    {"keyvalue:store/store@0.1.0", store_functions,
     sizeof store_functions / sizeof store_functions[0], NULL, 0},
};

static const berth_config_key config_keys[] = {
    {"path", "the SQLite database file; empty or absent: an in-memory store per instance"},
    {"busy-timeout-ms", "how long to wait for a database another process has locked"},
};

static const berth_bundle_descriptor descriptor = {
    .abi_version = BERTH_BUNDLE_ABI_VERSION,
    .name = "keyvalue",
    .version = "0.1.0",
    .world = "keyvalue:store/kv-host@0.1.0",
    .wit_digest = NULL,
    .interfaces = interfaces,
    .interface_count = sizeof interfaces / sizeof interfaces[0],
    .config_keys = config_keys,
    .config_key_count = sizeof config_keys / sizeof config_keys[0],
    .create = keyvalue_create,
    .destroy = keyvalue_destroy,
};

BERTH_BUNDLE_EXPORT const berth_bundle_descriptor* berth_bundle_entry(void) {
  return &descriptor;
}
