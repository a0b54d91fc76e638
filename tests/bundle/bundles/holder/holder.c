/* The holder test bundle (wit/holder.wit): it calls the counters of the types test bundle
 * through the imports of its world, holding the handles berth gives it for them. */
#include <stdlib.h>

#include "berth/bundle.h"

/* The imported functions, in the order of the descriptor's `imports`. */
enum { COUNTER_NEW, COUNTER_NEXT, COUNTER_FINISH };

typedef struct holder {
  berth_rep kept[16];
  size_t kept_count;
} holder;

static berth_status create(berth_call* call, const berth_config_entry* config, size_t count,
                           void** self) {
  (void)config;
  (void)count;
  *self = calloc(1, sizeof(holder));
  return *self ? BERTH_OK : call->host->trap(call, "out of memory");
}

/* The handles it kept are berth's to drop when the instance goes. */
static void destroy(void* self) {
  free(self);
}

static berth_status make_counter(berth_call* call, uint32_t start, berth_rep* out) {
  return call->host->call_import(call, COUNTER_NEW, &start, out);
}

static berth_status keep_handle(berth_call* call, berth_rep handle) {
  holder* h = call->instance;
  if (h->kept_count == sizeof h->kept / sizeof h->kept[0]) {
    return call->host->trap(call, "keeps no more");
  }
  h->kept[h->kept_count++] = handle;
  return BERTH_OK;
}

static berth_status make(berth_call* call, const void* params, void* result) {
  return make_counter(call, *(const uint32_t*)params, result);
}

static berth_status make_and_keep(berth_call* call, const void* params, void* result) {
  (void)result;
  berth_rep handle;
  berth_status status = make_counter(call, *(const uint32_t*)params, &handle);
  return status != BERTH_OK ? status : keep_handle(call, handle);
}

static berth_status make_and_drop(berth_call* call, const void* params, void* result) {
  berth_rep handle;
  berth_status status = make_counter(call, *(const uint32_t*)params, &handle);
  if (status == BERTH_OK) status = call->host->call_import(call, COUNTER_NEXT, &handle, result);
  if (status == BERTH_OK) status = call->host->drop_resource(call, handle);
  return status;
}

static berth_status next_of(berth_call* call, const void* params, void* result) {
  return call->host->call_import(call, COUNTER_NEXT, params, result);
}

static berth_status finish_of(berth_call* call, const void* params, void* result) {
  return call->host->call_import(call, COUNTER_FINISH, params, result);
}

static berth_status keep(berth_call* call, const void* params, void* result) {
  (void)result;
  return keep_handle(call, *(const berth_rep*)params);
}

static berth_status drop_twice(berth_call* call, const void* params, void* result) {
  (void)result;
  berth_rep handle;
  berth_status status = make_counter(call, *(const uint32_t*)params, &handle);
  if (status == BERTH_OK) status = call->host->drop_resource(call, handle);
  if (status == BERTH_OK) status = call->host->drop_resource(call, handle);
  return status;
}

static berth_status next_of_dead(berth_call* call, const void* params, void* result) {
  (void)params;
  berth_rep never_given = 99;
  return call->host->call_import(call, COUNTER_NEXT, &never_given, result);
}

static berth_status finish_lent(berth_call* call, const void* params, void* result) {
  return call->host->call_import(call, COUNTER_FINISH, params, result);
}

static const berth_function functions[] = {
    {"make", "func(start: u32) -> own<counter>", 4, sizeof(berth_rep), make},
    {"make-and-keep", "func(start: u32)", 4, 0, make_and_keep},
    {"make-and-drop", "func(start: u32) -> u32", 4, 4, make_and_drop},
    {"next-of", "func(c: borrow<counter>) -> u32", sizeof(berth_rep), 4, next_of},
    {"finish-of", "func(c: own<counter>) -> u32", sizeof(berth_rep), 4, finish_of},
    {"keep", "func(c: own<counter>)", sizeof(berth_rep), 0, keep},
    {"drop-twice", "func(start: u32)", 4, 0, drop_twice},
    {"next-of-dead", "func() -> u32", 0, 4, next_of_dead},
    {"finish-lent", "func(c: borrow<counter>) -> u32", sizeof(berth_rep), 4, finish_lent},
};
static const berth_interface interfaces[] = {
    {"test:holder/api@0.1.0", functions, sizeof functions / sizeof functions[0], NULL, 0}};

static const berth_function imported[] = {
    {"[constructor]counter", "func(start: u32) -> own<counter>", 4, sizeof(berth_rep), NULL},
    {"[method]counter.next", "func(self: borrow<counter>) -> u32", sizeof(berth_rep), 4, NULL},
    {"[static]counter.finish", "func(c: own<counter>) -> u32", sizeof(berth_rep), 4, NULL},
};
static const berth_interface imports[] = {
    {"test:types/counters@0.1.0", imported, sizeof imported / sizeof imported[0], NULL, 0}};

BERTH_BUNDLE_DEFINE_ABI();

static const berth_bundle_descriptor descriptor = {
    .abi_version = BERTH_BUNDLE_ABI_VERSION,
    .abi_minor = BERTH_BUNDLE_ABI_MINOR,
    .name = "holder",
    .version = "0.1.0",
    .world = "test:holder/host@0.1.0",
    .interfaces = interfaces,
    .interface_count = 1,
    .create = create,
    .destroy = destroy,
    .imports = imports,
    .import_count = 1,
};

BERTH_BUNDLE_EXPORT const berth_bundle_descriptor* berth_bundle_entry(void) {
  return &descriptor;
}
