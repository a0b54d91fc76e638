/* A WASI command using counter:service@0.1.0, with the imports declared by hand following the
 * Canonical ABI:
 *
 *   counter inc NAME BY | get NAME | reset NAME | names
 *
 * `inc` and `get` print the counter's value, `names` one name per line. An error result
 * prints "counter: OPERATION failed: MESSAGE" to stderr and exits 1. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNTER_IMPORT(name) \
  __attribute__((import_module("counter:service/counter@0.1.0"), import_name(name)))

/* string as the Canonical ABI lays it out in linear memory (wasm32) */
typedef struct {
  const char* ptr;
  size_t len;
} ct_string;

/* result<s64, string>: tag at 0, payload at 8 */
typedef struct {
  uint8_t is_err;
  union {
    int64_t ok;
    ct_string err;
  } val;
} ct_s64_ret;

/* result<_, string> */
typedef struct {
  uint8_t is_err;
  ct_string err;
} ct_unit_ret;

/* result<list<string>, string> */
typedef struct {
  uint8_t is_err;
  union {
    struct {
      const ct_string* ptr;
      size_t len;
    } ok;
    ct_string err;
  } val;
} ct_list_ret;

_Static_assert(sizeof(ct_s64_ret) == 16, "result<s64, string> is 16 bytes");

/* Results whose flat form has more than one value come back through a pointer. */
COUNTER_IMPORT("increment")
void counter_increment(const char* name, size_t name_len, int64_t by, ct_s64_ret* ret);
COUNTER_IMPORT("get") void counter_get(const char* name, size_t name_len, ct_s64_ret* ret);
COUNTER_IMPORT("reset") void counter_reset(const char* name, size_t name_len, ct_unit_ret* ret);
COUNTER_IMPORT("names") void counter_names(ct_list_ret* ret);

/* berth allocates the strings and lists of results in our memory through this export. */
__attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, size_t old_size,
                                                                size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void*)align;
  void* out = realloc(old, new_size); /* malloc's alignment (16) covers every ABI alignment */
  if (out == NULL) abort();
  return out;
}

static int failed(const char* operation, ct_string message) {
  fprintf(stderr, "counter: %s failed: %.*s\n", operation, (int)message.len, message.ptr);
  return 1;
}

static int usage(void) {
  fprintf(stderr, "usage: counter inc NAME BY | get NAME | reset NAME | names\n");
  return 2;
}

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const char* command = argv[1];
  if (strcmp(command, "inc") == 0 && argc == 4) {
    char* end = NULL;
    int64_t by = strtoll(argv[3], &end, 10);
    if (end == argv[3] || *end != '\0') return usage();
    ct_s64_ret ret;
    counter_increment(argv[2], strlen(argv[2]), by, &ret);
    if (ret.is_err) return failed("increment", ret.val.err);
    printf("%" PRId64 "\n", ret.val.ok);
    return 0;
  }
  if (strcmp(command, "get") == 0 && argc == 3) {
    ct_s64_ret ret;
    counter_get(argv[2], strlen(argv[2]), &ret);
    if (ret.is_err) return failed("get", ret.val.err);
    printf("%" PRId64 "\n", ret.val.ok);
    return 0;
  }
  if (strcmp(command, "reset") == 0 && argc == 3) {
    ct_unit_ret ret;
    counter_reset(argv[2], strlen(argv[2]), &ret);
    return ret.is_err ? failed("reset", ret.err) : 0;
  }
  if (strcmp(command, "names") == 0 && argc == 2) {
    ct_list_ret ret;
    counter_names(&ret);
    if (ret.is_err) return failed("names", ret.val.err);
    for (size_t i = 0; i < ret.val.ok.len; ++i) {
      printf("%.*s\n", (int)ret.val.ok.ptr[i].len, ret.val.ok.ptr[i].ptr);
    }
    return 0;
  }
  return usage();
}
