/* A node of the dependency tests' graphs (tests/bundle/dependency_test.cc): it exports
 * NODE_PACKAGE/api@0.1.0, whose `ping` answers NODE_ANSWER, and appends "create NODE_NAME" and
 * "destroy NODE_NAME" to the file its configuration's `log` names, so that a test sees in which
 * order berth creates and destroys providers. What the node's world imports is the test's WIT.
 *
 * Built with NODE_CALLS (an interface name, "test:b/api@0.1.0"), the node calls that import's
 * `ping` through host->call_import (tests/bundle/import_call_test.cc) and answers
 * NODE_ANSWER * 100 + its answer. Its configuration's `mode` changes that: "trap" (ping traps),
 * "bad-index" (calls an import that is not in its table), "ignore-trap" (the same, then
 * returns BERTH_OK anyway), "call-in-create" (create asks the import once, and ping answers
 * 1000 + what it said). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "berth/bundle.h"

typedef struct node {
  char log[4096];
  char mode[32];
  uint32_t asked_in_create;
} node;

static void record(const node* n, const char* what) {
  if (n->log[0] == '\0') return;
  FILE* file = fopen(n->log, "a");
  if (file == NULL) return;
  fprintf(file, "%s %s\n", what, NODE_NAME);
  fclose(file);
}

static berth_status create(berth_call* call, const berth_config_entry* config, size_t count,
                           void** self) {
  node* n = calloc(1, sizeof *n);
  if (n == NULL) return call->host->trap(call, "out of memory");
  for (size_t i = 0; i < count; ++i) {
    if (strcmp(config[i].key, "log") == 0) snprintf(n->log, sizeof n->log, "%s", config[i].value);
    if (strcmp(config[i].key, "mode") == 0) {
      snprintf(n->mode, sizeof n->mode, "%s", config[i].value);
    }
  }
  if (strcmp(n->mode, "call-in-create") == 0 &&
      call->host->call_import(call, 0, NULL, &n->asked_in_create) != BERTH_OK) {
    free(n);
    return BERTH_TRAP; /* the message berth recorded stays */
  }
  record(n, "create");
  *self = n;
  return BERTH_OK;
}

static void destroy(void* self) {
  record(self, "destroy");
  free(self);
}

static berth_status ping(berth_call* call, const void* params, void* result) {
  (void)params;
  const node* n = call->instance;
  if (strcmp(n->mode, "trap") == 0) return call->host->trap(call, "ping refused");
#ifdef NODE_CALLS
  if (strcmp(n->mode, "call-in-create") == 0) {
    *(uint32_t*)result = 1000 + n->asked_in_create;
    return BERTH_OK;
  }
  uint32_t index = strcmp(n->mode, "bad-index") == 0 || strcmp(n->mode, "ignore-trap") == 0 ? 7 : 0;
  uint32_t answer = 0;
  berth_status status = call->host->call_import(call, index, NULL, &answer);
  if (status != BERTH_OK && strcmp(n->mode, "ignore-trap") != 0) return status;
  *(uint32_t*)result = NODE_ANSWER * 100 + answer;
#else
  *(uint32_t*)result = NODE_ANSWER;
#endif
  return BERTH_OK;
}

static const berth_function functions[] = {{"ping", "func() -> u32", 0, 4, ping}};
static const berth_interface interfaces[] = {{NODE_PACKAGE "/api@0.1.0", functions, 1, NULL, 0}};
#ifdef NODE_CALLS
static const berth_function imported[] = {{"ping", "func() -> u32", 0, 4, NULL}};
static const berth_interface imports[] = {{NODE_CALLS, imported, 1, NULL, 0}};
#endif

BERTH_BUNDLE_DEFINE_ABI();

static const berth_bundle_descriptor descriptor = {
    .abi_version = BERTH_BUNDLE_ABI_VERSION,
    .abi_minor = BERTH_BUNDLE_ABI_MINOR,
    .name = NODE_NAME,
    .version = "0.1.0",
    .world = NODE_PACKAGE "/host@0.1.0",
    .interfaces = interfaces,
    .interface_count = 1,
    .create = create,
    .destroy = destroy,
#ifdef NODE_CALLS
    .imports = imports,
    .import_count = 1,
#endif
};

BERTH_BUNDLE_EXPORT const berth_bundle_descriptor* berth_bundle_entry(void) {
  return &descriptor;
}
