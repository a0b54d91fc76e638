#include "pkcs11_module.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct p11_module {
  p11_module* next;
  char* path;
  void* library;
  CK_FUNCTION_LIST* functions;
  /* Whether this load initialised the module, and so must finalise it: another part of the
   * process may have done so already (CKR_CRYPTOKI_ALREADY_INITIALIZED). */
  int finalize;
  size_t uses;
};

static pthread_mutex_t modules_lock = PTHREAD_MUTEX_INITIALIZER;
static p11_module* modules = NULL;

static p11_module* load(const char* path, char* message, size_t size) {
  void* library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) {
    snprintf(message, size, "configuration 'module': cannot load \"%s\": %s", path, dlerror());
    return NULL;
  }
  CK_C_GetFunctionList get_function_list =
      (CK_C_GetFunctionList)(void (*)(void))dlsym(library, "C_GetFunctionList");
  CK_FUNCTION_LIST* functions = NULL;
  if (get_function_list == NULL || get_function_list(&functions) != CKR_OK || functions == NULL) {
    snprintf(message, size,
             "configuration 'module': \"%s\" is not a PKCS#11 module (no usable "
             "C_GetFunctionList)",
             path);
    dlclose(library);
    return NULL;
  }
  /* The module may be called from the threads of several component instances. */
  CK_C_INITIALIZE_ARGS args;
  memset(&args, 0, sizeof args);
  args.flags = CKF_OS_LOCKING_OK;
  CK_RV rv = functions->C_Initialize(&args);
  if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
    snprintf(message, size, "configuration 'module': C_Initialize of \"%s\" failed with 0x%lx",
             path, (unsigned long)rv);
    dlclose(library);
    return NULL;
  }
  p11_module* module = calloc(1, sizeof *module);
  char* copy = strdup(path);
  if (module == NULL || copy == NULL) {
    if (rv == CKR_OK) functions->C_Finalize(NULL);
    dlclose(library);
    free(module);
    free(copy);
    snprintf(message, size, "out of memory");
    return NULL;
  }
  module->path = copy;
  module->library = library;
  module->functions = functions;
  module->finalize = rv == CKR_OK;
  return module;
}

p11_module* module_acquire(const char* path, char* message, size_t size) {
  pthread_mutex_lock(&modules_lock);
  p11_module* module = modules;
  while (module != NULL && strcmp(module->path, path) != 0) module = module->next;
  if (module == NULL) {
    module = load(path, message, size);
    if (module != NULL) {
      module->next = modules;
      modules = module;
    }
  }
  if (module != NULL) module->uses++;
  pthread_mutex_unlock(&modules_lock);
  return module;
}

void module_release(p11_module* module) {
  if (module == NULL) return;
  pthread_mutex_lock(&modules_lock);
  if (--module->uses == 0) {
    p11_module** link = &modules;
    while (*link != module) link = &(*link)->next;
    *link = module->next;
    if (module->finalize) module->functions->C_Finalize(NULL);
    dlclose(module->library);
    free(module->path);
    free(module);
  }
  pthread_mutex_unlock(&modules_lock);
}

CK_FUNCTION_LIST* module_functions(const p11_module* module) {
  return module->functions;
}
