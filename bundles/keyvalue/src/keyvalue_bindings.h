/* Bindings of keyvalue:store@0.1.0 (world kv-host) for the berth bundle ABI: the native types
 * of the functions' parameters and results, and the functions the bundle implements.
 *
 * Written by hand in the regular shape a bindings generator produces from the WIT:
 *   - one `<iface>_<func>_params` struct per function with parameters (fields in order);
 *   - one `<iface>_<func>_result` type per function with a result;
 *   - one `<iface>_<func>` implementation per function, taking the bundle instance;
 *   - the descriptor (keyvalue_bindings.c) ties them to the WIT names and signatures. */
#ifndef KEYVALUE_BINDINGS_H_
#define KEYVALUE_BINDINGS_H_

#include "berth/bundle.h"

#ifdef __cplusplus
extern "C" {
#endif

/* option<string> */
typedef struct keyvalue_option_string {
  uint8_t is_some;
  berth_str val;
} keyvalue_option_string;

/* list<string> */
typedef struct keyvalue_list_string {
  const berth_str* ptr;
  size_t len;
} keyvalue_list_string;

/* get: func(key: string) -> result<option<string>, string> */
typedef struct keyvalue_store_get_params {
  berth_str key;
} keyvalue_store_get_params;
typedef struct keyvalue_store_get_result {
  uint8_t is_err;
  union {
    keyvalue_option_string ok;
    berth_str err;
  } val;
} keyvalue_store_get_result;

/* set: func(key: string, value: string) -> result<_, string> */
typedef struct keyvalue_store_set_params {
  berth_str key;
  berth_str value;
} keyvalue_store_set_params;
typedef struct keyvalue_result_void_string {
  uint8_t is_err;
  union {
    berth_str err;
  } val;
} keyvalue_result_void_string;
typedef keyvalue_result_void_string keyvalue_store_set_result;

/* delete: func(key: string) -> result<_, string> */
typedef struct keyvalue_store_delete_params {
  berth_str key;
} keyvalue_store_delete_params;
typedef keyvalue_result_void_string keyvalue_store_delete_result;

/* exists: func(key: string) -> result<bool, string> */
typedef struct keyvalue_store_exists_params {
  berth_str key;
} keyvalue_store_exists_params;
typedef struct keyvalue_store_exists_result {
  uint8_t is_err;
  union {
    uint8_t ok;
    berth_str err;
  } val;
} keyvalue_store_exists_result;

/* list-keys: func() -> result<list<string>, string> */
typedef struct keyvalue_store_list_keys_result {
  uint8_t is_err;
  union {
    keyvalue_list_string ok;
    berth_str err;
  } val;
} keyvalue_store_list_keys_result;

/* Implemented by the bundle. `self` is what keyvalue_create stored. */
berth_status keyvalue_create(berth_call* call, const berth_config_entry* config, size_t count,
                             void** self);
void keyvalue_destroy(void* self);
berth_status keyvalue_store_get(berth_call* call, void* self,
                                const keyvalue_store_get_params* params,
                                keyvalue_store_get_result* result);
berth_status keyvalue_store_set(berth_call* call, void* self,
                                const keyvalue_store_set_params* params,
                                keyvalue_store_set_result* result);
berth_status keyvalue_store_delete(berth_call* call, void* self,
                                   const keyvalue_store_delete_params* params,
                                   keyvalue_store_delete_result* result);
berth_status keyvalue_store_exists(berth_call* call, void* self,
                                   const keyvalue_store_exists_params* params,
                                   keyvalue_store_exists_result* result);
berth_status keyvalue_store_list_keys(berth_call* call, void* self,
                                      keyvalue_store_list_keys_result* result);

#ifdef __cplusplus
}
#endif

#endif /* KEYVALUE_BINDINGS_H_ */
