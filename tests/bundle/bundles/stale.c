/* A keyvalue library generated from an older keyvalue WIT: `get` returned option<string>,
 * `exists` did not exist and `clear` did. Loading it with bundles/keyvalue/wit must fail and
 * show each difference. */
#include "berth/bundle.h"

static berth_status unused(berth_call* call, const void* params, void* result) {
  (void)params, (void)result;
  return call->host->trap(call, "never called");
}

static const berth_function functions[] = {
    {"get", "func(key: string) -> option<string>", sizeof(berth_str), 24, unused},
    {"set", "func(key: string, value: string) -> result<_, string>", 2 * sizeof(berth_str), 24,
     unused},
    {"delete", "func(key: string) -> result<_, string>", sizeof(berth_str), 24, unused},
    {"list-keys", "func() -> result<list<string>, string>", 0, 16, unused},
    {"clear", "func()", 0, 0, unused},
};

static const berth_interface interfaces[] = {
    {"keyvalue:store/store@0.1.0", functions, sizeof functions / sizeof functions[0], NULL, 0},
};

static const berth_bundle_descriptor descriptor = {
    .abi_version = BERTH_BUNDLE_ABI_VERSION,
    .name = "keyvalue",
    .version = "0.0.9",
    .world = "keyvalue:store/kv-host@0.0.9",
    .interfaces = interfaces,
    .interface_count = 1,
};

BERTH_BUNDLE_EXPORT const berth_bundle_descriptor* berth_bundle_entry(void) {
  return &descriptor;
}
