/* The native host bundle ABI, version 1.2: the plain C interface between berth and the shared
 * library of a host bundle. Nothing of C++ crosses it; a bundle never links against berth.
 *
 * docs/abi.md is the reference: the entry point, the native layout of every WIT type, lifetimes,
 * threading, errors and versioning. In short:
 *
 *   - The library exports its ABI version as data (`berth_bundle_abi`, defined by
 *     BERTH_BUNDLE_DEFINE_ABI()), which berth reads before calling anything in it, and
 *     `berth_bundle_entry` (BERTH_BUNDLE_ENTRY_SYMBOL), which returns a
 *     static berth_bundle_descriptor: the ABI version, the bundle's name and version, the WIT
 *     world it was generated from, and per exported interface its functions (name, signature
 *     string, sizes of the native parameter and result structs, implementation) and resource
 *     types (name, destructor).
 *   - berth checks the descriptor against the bundle's WIT before anything is called, creates
 *     one bundle instance per component instance (create/destroy with configuration), and calls
 *     functions with their arguments lifted into native C structs. Results are written into a
 *     result struct; strings and lists in results live in a per-call arena (host->alloc).
 *   - A function returns BERTH_OK, or traps the guest: `return call->host->trap(call, "msg");`.
 *     WIT errors are ordinary `result<_, E>` values.
 *   - (1.2) A bundle calls the functions of the interfaces its world imports, whoever provides
 *     them (another bundle, built-in WASI), with call->host->call_import and the same native
 *     layout; the descriptor lists them in `imports`.
 */
#ifndef BERTH_BUNDLE_H_
#define BERTH_BUNDLE_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes: major.minor (docs/abi.md, "Versioning"). berth
 * refuses a library built for another major, or for a newer minor than its own (the library
 * may use what this berth lacks); libraries built for an older minor of its major load. */
#define BERTH_BUNDLE_ABI_VERSION 1u
#define BERTH_BUNDLE_ABI_MINOR 2u

/* The ABI version as data, read with dlsym before anything in the library is called. A library
 * without it was built before 1.1 and is taken to be 1.0. */
#define BERTH_BUNDLE_ABI_SYMBOL "berth_bundle_abi"
typedef struct berth_abi_version {
  uint32_t major;
  uint32_t minor;
} berth_abi_version;

/* The symbol berth looks up with dlsym. */
#define BERTH_BUNDLE_ENTRY_SYMBOL "berth_bundle_entry"

/* Marks the entry point exported (bundles are best built with -fvisibility=hidden). */
#if defined(__GNUC__) || defined(__clang__)
#define BERTH_BUNDLE_EXPORT __attribute__((visibility("default")))
#else
#define BERTH_BUNDLE_EXPORT
#endif

/* ---------------------------------------------------------------------------------------- */
/* Native layout of values (docs/abi.md, "Types").                                          */

/* string: UTF-8 bytes, not NUL-terminated. When len is 0, ptr may be anything. */
typedef struct berth_str {
  const char* ptr;
  size_t len;
} berth_str;

/* list<T>: len elements of T's native layout back to back (a C array of T). */
typedef struct berth_list {
  const void* ptr;
  size_t len;
} berth_list;

/* own<R> and borrow<R>: for a resource the bundle defines, the rep the bundle chose when it
 * returned the resource (any value, e.g. a pointer to its state); for resources of other
 * providers, a handle berth gives the bundle (from ABI 1.2; before, the runtime's 32-bit rep). */
typedef uintptr_t berth_rep;

/* What a function or create returns. */
typedef enum berth_status {
  BERTH_OK = 0,
  BERTH_TRAP = 1, /* trap the guest (or fail creation); the message is given with host->trap */
} berth_status;

/* ---------------------------------------------------------------------------------------- */
/* Calls                                                                                    */

typedef struct berth_host_api berth_host_api;

/* The context of one call (or of one create). Valid only until the call returns. */
typedef struct berth_call {
  const berth_host_api* host; /* what the bundle may ask of berth */
  void* instance;             /* the bundle instance create made (NULL during create) */
  void* berth_private;        /* berth's own; do not touch */
} berth_call;

/* The functions berth offers a bundle, passed with every call so the bundle links nothing. */
struct berth_host_api {
  uint32_t abi_version; /* BERTH_BUNDLE_ABI_VERSION of the berth calling */
  uint32_t abi_minor;   /* BERTH_BUNDLE_ABI_MINOR of the berth calling (0 before 1.1) */
  /* Allocates `size` bytes aligned to `align` (a power of two, at most 16) from the call's
   * arena; zero-filled. berth frees the arena after it has read the results. NULL when the
   * arena's limit is reached (berth then traps the call whatever the function returns). */
  void* (*alloc)(berth_call* call, size_t size, size_t align);
  /* Records `message` (UTF-8, NUL-terminated; copied) as the reason of a trap, and returns
   * BERTH_TRAP so a function can `return call->host->trap(call, "...")`. During create it is
   * the reason creation failed. */
  berth_status (*trap)(berth_call* call, const char* message);
  /* 1.2: calls function `index` of the descriptor's `imports` (counted across its interfaces,
   * in order; the generated bindings wrap each one) on the provider that satisfies that import
   * for this component instance. `params` as for a bundle function (NULL without parameters);
   * `result` (NULL without a result) is zero-filled first, then written; its strings and lists
   * live in this call's arena or in the provider's memory, and stay valid until this function
   * returns or calls that provider again. Returns BERTH_OK, or BERTH_TRAP when the callee
   * trapped or the call could not be made: the message is recorded, and this call traps
   * whatever the function returns afterwards (return at once). Also from create, which runs
   * once the imports are linked. Resources of other providers cross as handles (see
   * drop_resource). */
  berth_status (*call_import)(berth_call* call, uint32_t index, const void* params, void* result);
  /* 1.2: drops `handle`, a resource of another provider the bundle owns: one an imported
   * function returned, or a guest gave as `own`. Such handles are berth's (docs/abi.md,
   * "Resources of other providers"): the bundle passes them on (as own: they leave it; as
   * borrow: they stay), drops them here, or berth drops them when the bundle instance goes
   * away. A handle the bundle does not own, or that is not live, traps the call. */
  berth_status (*drop_resource)(berth_call* call, berth_rep handle);
};

/* A function: `params` points to the struct of its parameters (a record of them, in order;
 * NULL when it has none), `result` to the zero-filled native layout of its result type (NULL
 * when it has none). Arguments are borrowed for the duration of the call. */
typedef berth_status (*berth_function_impl)(berth_call* call, const void* params, void* result);

/* ---------------------------------------------------------------------------------------- */
/* The descriptor                                                                           */

typedef struct berth_function {
  /* The component-level name: "get", "[constructor]bucket", "[method]bucket.get",
   * "[static]bucket.open". */
  const char* name;
  /* The native signature (docs/abi.md, "Signatures"), e.g.
   * "func(key: string) -> result<option<string>, string>". berth compares it with the WIT. */
  const char* signature;
  /* sizeof the parameter struct and of the result type as the bundle was compiled (0 when there
   * is none); berth compares them with the layout it computes. */
  uint32_t params_size;
  uint32_t result_size;
  berth_function_impl impl;
} berth_function;

typedef struct berth_resource {
  const char* name; /* "bucket" */
  /* Runs when the guest drops the last owning handle, or when the component instance goes
   * away with the resource still alive. NULL when nothing needs to be done. */
  void (*destroy)(void* instance, berth_rep rep);
} berth_resource;

typedef struct berth_interface {
  const char* name; /* the full interface name, "keyvalue:store/store@0.1.0" */
  const berth_function* functions;
  size_t function_count;
  const berth_resource* resources;
  size_t resource_count;
} berth_interface;

/* A configuration key the bundle accepts. */
typedef struct berth_config_key {
  const char* name;
  const char* description;
} berth_config_key;

/* One configuration entry handed to create: host.toml [config] overridden by hosts.toml
 * [host.config]. Values are text (numbers and booleans in TOML arrive in their TOML spelling). */
typedef struct berth_config_entry {
  const char* key;
  const char* value;
} berth_config_entry;

typedef struct berth_bundle_descriptor {
  uint32_t abi_version; /* BERTH_BUNDLE_ABI_VERSION */
  uint32_t abi_minor;   /* BERTH_BUNDLE_ABI_MINOR (0 in libraries built before 1.1) */
  const char* name;     /* "keyvalue" */
  const char* version;  /* the bundle's version, "0.1.0" */
  /* The WIT world the descriptor was generated from, "keyvalue:store/kv-host@0.1.0", and
   * optionally a digest of the WIT text (informational; NULL when absent). */
  const char* world;
  const char* wit_digest;
  const berth_interface* interfaces;
  size_t interface_count;
  /* The configuration keys the bundle accepts; with config_keys NULL, any key is passed on. */
  const berth_config_key* config_keys;
  size_t config_key_count;
  /* Creates the state of one component instance; stores it in *instance (may be NULL). On
   * failure returns BERTH_TRAP after call->host->trap(call, "why"). May be NULL. */
  berth_status (*create)(berth_call* call, const berth_config_entry* config, size_t config_count,
                         void** instance);
  /* Destroys what create made, after every resource destructor has run. May be NULL. */
  void (*destroy)(void* instance);
  /* 1.2: the functions of imported interfaces the bundle calls with host->call_import, by
   * interface (the import's full name, "keyvalue:store/store@0.1.0"); `impl` and `resources`
   * unused (NULL). berth checks their signatures and sizes against the WIT like exports'; an
   * imported function left out cannot be called. Read only from libraries of ABI 1.2 on. */
  const berth_interface* imports;
  size_t import_count;
} berth_bundle_descriptor;

/* The entry point every bundle exports. Returns a descriptor that lives as long as the library
 * is loaded (berth never unloads bundles). */
typedef const berth_bundle_descriptor* (*berth_bundle_entry_fn)(void);

/* Defines berth_bundle_abi, once per library (generated descriptors do), in C or C++. */
#ifdef __cplusplus
#define BERTH_BUNDLE_C_LINKAGE extern "C"
#else
#define BERTH_BUNDLE_C_LINKAGE
#endif
#define BERTH_BUNDLE_DEFINE_ABI()                                                         \
  BERTH_BUNDLE_C_LINKAGE BERTH_BUNDLE_EXPORT const berth_abi_version berth_bundle_abi = { \
      BERTH_BUNDLE_ABI_VERSION, BERTH_BUNDLE_ABI_MINOR}

/* ---------------------------------------------------------------------------------------- */
/* Helpers for bundle code                                                                  */

/* A copy of `len` bytes in the call's arena, as a berth_str; {NULL, 0} when the arena is full. */
static inline berth_str berth_str_copy(berth_call* call, const char* ptr, size_t len) {
  berth_str out = {NULL, 0};
  char* copy = (char*)call->host->alloc(call, len ? len : 1, 1);
  if (copy != NULL) {
    if (len) memcpy(copy, ptr, len);
    out.ptr = copy;
    out.len = len;
  }
  return out;
}

/* A NUL-terminated C string copied into the arena. */
static inline berth_str berth_str_from_cstr(berth_call* call, const char* text) {
  return berth_str_copy(call, text, strlen(text));
}

#ifdef __cplusplus
}
#endif

#endif /* BERTH_BUNDLE_H_ */
