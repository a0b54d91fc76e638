/* PKCS#11 modules loaded once per process: C_Initialize may run only once per module and
 * process, so the bundle instances that name the same module share one load of it. */
#ifndef PKCS11_MODULE_H_
#define PKCS11_MODULE_H_

#include <p11-kit/pkcs11.h>
#include <stddef.h>

typedef struct p11_module p11_module;

/* The module at `path` (a shared library exporting C_GetFunctionList), loaded and initialised
 * on first use; NULL with `message` filled when it cannot be. Release each with module_release. */
p11_module* module_acquire(const char* path, char* message, size_t size);

/* Drops one use; the last one finalises and unloads the module. */
void module_release(p11_module* module);

/* The module's functions. */
CK_FUNCTION_LIST* module_functions(const p11_module* module);

#endif /* PKCS11_MODULE_H_ */
