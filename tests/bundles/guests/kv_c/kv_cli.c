/* A WASI command using keyvalue:store@0.1.0, with the imports declared by hand following the
 * Canonical ABI (there is no wit-bindgen for C here):
 *
 *   kv set KEY VALUE | get KEY | delete KEY | exists KEY | list
 *
 * `get` prints the value, or exits 1 saying there is none; `list` prints one key per line. A
 * store error prints "kv: OPERATION failed: MESSAGE" and exits 1. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KV_IMPORT(name) \
  __attribute__((import_module("keyvalue:store/store@0.1.0"), import_name(name)))

/* string as the Canonical ABI lays it out in linear memory (wasm32) */
typedef struct {
  const char* ptr;
  size_t len;
} kv_string;

/* result<option<string>, string>: tag at 0, payload at 4 */
typedef struct {
  uint8_t is_err;
  union {
    struct {
      uint8_t is_some;
      kv_string value;
    } ok;
    kv_string err;
  } val;
} kv_get_ret;

/* result<_, string> */
typedef struct {
  uint8_t is_err;
  kv_string err;
} kv_unit_ret;

/* result<bool, string> */
typedef struct {
  uint8_t is_err;
  union {
    uint8_t ok;
    kv_string err;
  } val;
} kv_bool_ret;

/* result<list<string>, string> */
typedef struct {
  uint8_t is_err;
  union {
    struct {
      const kv_string* ptr;
      size_t len;
    } ok;
    kv_string err;
  } val;
} kv_list_ret;

/* Results whose flat form has more than one value come back through a pointer. */
KV_IMPORT("get") void kv_get(const char* key, size_t key_len, kv_get_ret* ret);
KV_IMPORT("set")
void kv_set(const char* key, size_t key_len, const char* value, size_t value_len, kv_unit_ret* ret);
KV_IMPORT("delete") void kv_delete(const char* key, size_t key_len, kv_unit_ret* ret);
KV_IMPORT("exists") void kv_exists(const char* key, size_t key_len, kv_bool_ret* ret);
KV_IMPORT("list-keys") void kv_list_keys(kv_list_ret* ret);

/* berth allocates the strings and lists of results in our memory through this export. */
__attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, size_t old_size,
                                                                size_t align, size_t new_size) {
  (void)old_size;
  (void)align; /* malloc's alignment (16) covers every Canonical ABI alignment */
  if (new_size == 0) return (void*)align;
  void* out = realloc(old, new_size);
  if (out == NULL) abort();
  return out;
}

static int failed(const char* operation, kv_string message) {
  fprintf(stderr, "kv: %s failed: %.*s\n", operation, (int)message.len, message.ptr);
  return 1;
}

static int usage(void) {
  fprintf(stderr, "usage: kv set KEY VALUE | get KEY | delete KEY | exists KEY | list\n");
  return 2;
}

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const char* command = argv[1];
  if (strcmp(command, "set") == 0 && argc == 4) {
    kv_unit_ret ret;
    kv_set(argv[2], strlen(argv[2]), argv[3], strlen(argv[3]), &ret);
    return ret.is_err ? failed("set", ret.err) : 0;
  }
  if (strcmp(command, "get") == 0 && argc == 3) {
    kv_get_ret ret;
    kv_get(argv[2], strlen(argv[2]), &ret);
    if (ret.is_err) return failed("get", ret.val.err);
    if (!ret.val.ok.is_some) {
      fprintf(stderr, "kv: no value stored under '%s'\n", argv[2]);
      return 1;
    }
    printf("%.*s\n", (int)ret.val.ok.value.len, ret.val.ok.value.ptr);
    return 0;
  }
  if (strcmp(command, "delete") == 0 && argc == 3) {
    kv_unit_ret ret;
    kv_delete(argv[2], strlen(argv[2]), &ret);
    return ret.is_err ? failed("delete", ret.err) : 0;
  }
  if (strcmp(command, "exists") == 0 && argc == 3) {
    kv_bool_ret ret;
    kv_exists(argv[2], strlen(argv[2]), &ret);
    if (ret.is_err) return failed("exists", ret.val.err);
    printf("%s\n", ret.val.ok ? "true" : "false");
    return 0;
  }
  if (strcmp(command, "list") == 0 && argc == 2) {
    kv_list_ret ret;
    kv_list_keys(&ret);
    if (ret.is_err) return failed("list-keys", ret.val.err);
    for (size_t i = 0; i < ret.val.ok.len; ++i) {
      printf("%.*s\n", (int)ret.val.ok.ptr[i].len, ret.val.ok.ptr[i].ptr);
    }
    return 0;
  }
  return usage();
}
