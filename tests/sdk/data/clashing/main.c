/* One program holding two bundles whose interfaces are both `store` with a function `get`:
 * the symbols carry their packages, so both link, and both headers can be included together
 * once their short names are turned off. */
#include <stdio.h>
#include <stdlib.h>

#define ALPHA_NO_SHORT_NAMES
#define BETA_NO_SHORT_NAMES
#include "alpha_bindings.h"
#include "beta_bindings.h"

static void* test_alloc(berth_call* call, size_t size, size_t align) {
  (void)call, (void)align;
  return calloc(1, size);
}
static berth_status test_trap(berth_call* call, const char* message) {
  (void)call;
  fprintf(stderr, "trap: %s\n", message);
  return BERTH_TRAP;
}

int main(void) {
  berth_host_api host = {.abi_version = BERTH_BUNDLE_ABI_VERSION,
                         .abi_minor = BERTH_BUNDLE_ABI_MINOR,
                         .alloc = test_alloc,
                         .trap = test_trap};
  berth_call call = {.host = &host};
  alpha_kv_store_get_params alpha_params = {{"key", 3}};
  beta_kv_store_get_params beta_params = {{"key", 3}};
  berth_str a, b;
  if (alpha_kv_store_get(&call, &alpha_params, &a) != BERTH_OK) return 1;
  if (beta_kv_store_get(&call, &beta_params, &b) != BERTH_OK) return 1;
  printf("%.*s %.*s\n", (int)a.len, a.ptr, (int)b.len, b.ptr);
  return 0;
}
