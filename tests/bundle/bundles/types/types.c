/* The test bundle of tests/bundle: echo functions for every kind of value (their C structs
 * below are the documented native layout, compiled by a C compiler: berth checks their sizes
 * through the descriptor), functions that break the rules, and a resource. */
#include <stdlib.h>
#include <string.h>

#include "berth/bundle.h"

typedef struct types_mixed {
  uint8_t flag;
  uint8_t small;
  berth_str name;
  double ratio;
  berth_list tags;
  uint32_t c;
} types_mixed;

typedef struct types_tuple {
  uint8_t f0;
  berth_str f1;
  uint64_t f2;
} types_tuple;

typedef struct types_tuple_u8_u64 {
  uint8_t f0;
  uint64_t f1;
} types_tuple_u8_u64;

typedef struct types_shape {
  uint32_t tag;
  union {
    float circle;
    berth_str label;
    types_tuple_u8_u64 pair;
  } val;
} types_shape;

typedef struct types_many {
  uint32_t words[2];
} types_many;

typedef struct types_option_u32 {
  uint8_t is_some;
  uint32_t val;
} types_option_u32;

typedef struct types_option_option_u32 {
  uint8_t is_some;
  types_option_u32 val;
} types_option_option_u32;

typedef struct types_result_string_u16 {
  uint8_t is_err;
  union {
    berth_str ok;
    uint16_t err;
  } val;
} types_result_string_u16;

typedef struct types_many_args {
  uint8_t a;
  berth_str b;
  uint64_t c;
  float d;
} types_many_args;

/* Echo: the parameter struct of a one-parameter function is that parameter's layout, which is
 * also the result's: copying it returns views of the arguments, which berth accepts. */
#define ECHO(fn, T)                                                            \
  static berth_status fn(berth_call* call, const void* params, void* result) { \
    (void)call;                                                                \
    memcpy(result, params, sizeof(T));                                         \
    return BERTH_OK;                                                           \
  }
ECHO(echo_bool, uint8_t)
ECHO(echo_s8, int8_t)
ECHO(echo_u8, uint8_t)
ECHO(echo_s16, int16_t)
ECHO(echo_u16, uint16_t)
ECHO(echo_s32, int32_t)
ECHO(echo_u32, uint32_t)
ECHO(echo_s64, int64_t)
ECHO(echo_u64, uint64_t)
ECHO(echo_f32, float)
ECHO(echo_f64, double)
ECHO(echo_char, uint32_t)
ECHO(echo_string, berth_str)
ECHO(echo_list_u8, berth_list)
ECHO(echo_list_string, berth_list)
ECHO(echo_list_point, berth_list)
ECHO(echo_mixed, types_mixed)
ECHO(echo_tuple, types_tuple)
ECHO(echo_shape, types_shape)
ECHO(echo_color, uint32_t)
ECHO(echo_perms, uint32_t)
ECHO(echo_many, types_many)
ECHO(echo_option, types_option_option_u32)
ECHO(echo_result, types_result_string_u16)
ECHO(many_args, types_many_args)

static berth_status copy_string(berth_call* call, const void* params, void* result) {
  const berth_str* in = params;
  *(berth_str*)result = berth_str_copy(call, in->ptr, in->len);
  return BERTH_OK;
}

/* ---- bad ---- */

static berth_status bad_bool(berth_call* call, const void* params, void* result) {
  (void)call, (void)params;
  *(uint8_t*)result = 2;
  return BERTH_OK;
}
/* Memory the bundle owns, returned without a copy: berth reads it before the bundle runs again. */
static const berth_str kOwnedText[] = {{"static", 6}, {"text", 4}};
static berth_status owned_text(berth_call* call, const void* params, void* result) {
  (void)call, (void)params;
  berth_list list = {kOwnedText, 2};
  *(berth_list*)result = list;
  return BERTH_OK;
}
static berth_status bad_utf8(berth_call* call, const void* params, void* result) {
  (void)params;
  *(berth_str*)result = berth_str_copy(call, "ok\xff", 3);
  return BERTH_OK;
}
static berth_status bad_pointer(berth_call* call, const void* params, void* result) {
  (void)call, (void)params;
  berth_str s = {NULL, 11};
  *(berth_str*)result = s;
  return BERTH_OK;
}
static berth_status bad_option(berth_call* call, const void* params, void* result) {
  (void)call, (void)params;
  *(uint8_t*)result = 7;
  return BERTH_OK;
}
static berth_status bad_enum(berth_call* call, const void* params, void* result) {
  (void)call, (void)params;
  *(uint32_t*)result = 5;
  return BERTH_OK;
}
static berth_status bad_char(berth_call* call, const void* params, void* result) {
  (void)call, (void)params;
  *(uint32_t*)result = 0xD800;
  return BERTH_OK;
}
static berth_status bad_flags(berth_call* call, const void* params, void* result) {
  (void)call, (void)params;
  *(uint32_t*)result = 0x9;
  return BERTH_OK;
}
static berth_status bad_list(berth_call* call, const void* params, void* result) {
  (void)params;
  uint32_t* numbers = call->host->alloc(call, 2 * sizeof(uint32_t), 4);
  berth_list list = {numbers, (size_t)1 << 24}; /* far past the arena */
  *(berth_list*)result = list;
  return BERTH_OK;
}
static berth_status trap(berth_call* call, const void* params, void* result) {
  (void)result;
  const berth_str* message = params;
  char buffer[256];
  size_t len = message->len < sizeof buffer - 1 ? message->len : sizeof buffer - 1;
  memcpy(buffer, message->ptr, len);
  buffer[len] = 0;
  return call->host->trap(call, buffer);
}
static berth_status trap_silently(berth_call* call, const void* params, void* result) {
  (void)call, (void)params, (void)result;
  return BERTH_TRAP;
}
static berth_status bad_status(berth_call* call, const void* params, void* result) {
  (void)call, (void)params, (void)result;
  return (berth_status)7;
}
static berth_status huge_alloc(berth_call* call, const void* params, void* result) {
  (void)params;
  void* big = call->host->alloc(call, (size_t)1 << 40, 1);
  berth_str s = {big, big ? 1 : 0};
  *(berth_str*)result = s;
  return BERTH_OK;
}

/* ---- counters ---- */

typedef struct instance {
  uint32_t destroyed;
} instance;

typedef struct counter {
  uint32_t value;
} counter;

/* Counters made and not yet destroyed, in the whole process: each must be destroyed exactly
 * once, whatever happens to the results that carry them. */
static int32_t live_counters;

static counter* counter_make(uint32_t value) {
  counter* c = malloc(sizeof *c);
  c->value = value;
  live_counters++;
  return c;
}
static berth_status counter_new(berth_call* call, const void* params, void* result) {
  (void)call;
  *(berth_rep*)result = (berth_rep)counter_make(*(const uint32_t*)params);
  return BERTH_OK;
}
/* tuple<string, own<counter>> */
typedef struct {
  berth_str text;
  berth_rep counter;
} string_and_counter;
typedef struct {
  uint32_t start;
  berth_str text;
} make_pair_params;
static berth_status make_pair(berth_call* call, const void* params, void* result) {
  const make_pair_params* p = params;
  string_and_counter* out = result;
  out->text = berth_str_copy(call, p->text.ptr, p->text.len);
  out->counter = (berth_rep)counter_make(p->start);
  return BERTH_OK;
}
static berth_status bad_pair(berth_call* call, const void* params, void* result) {
  string_and_counter* out = result;
  out->text = berth_str_copy(call, "\xff", 1); /* not UTF-8: the result breaks a rule */
  out->counter = (berth_rep)counter_make(*(const uint32_t*)params);
  return BERTH_OK;
}
static berth_status live(berth_call* call, const void* params, void* result) {
  (void)call, (void)params;
  *(int32_t*)result = live_counters;
  return BERTH_OK;
}
static berth_status counter_next(berth_call* call, const void* params, void* result) {
  (void)call;
  counter* c = (counter*)*(const berth_rep*)params;
  *(uint32_t*)result = ++c->value;
  return BERTH_OK;
}
static void counter_destroy(void* self, berth_rep rep) {
  ((instance*)self)->destroyed++;
  live_counters--;
  free((counter*)rep);
}
static berth_status counter_finish(berth_call* call, const void* params, void* result) {
  berth_rep rep = *(const berth_rep*)params;
  *(uint32_t*)result = ((counter*)rep)->value;
  counter_destroy(call->instance, rep);
  return BERTH_OK;
}
static berth_status destroyed(berth_call* call, const void* params, void* result) {
  (void)params;
  *(uint32_t*)result = ((instance*)call->instance)->destroyed;
  return BERTH_OK;
}

#ifdef TYPES_WITH_HELPER
/* From libberth_types_helper.so, which the bundle ships beside its own library. */
int types_helper_answer(void);
#endif

static berth_status create(berth_call* call, const berth_config_entry* config, size_t count,
                           void** self) {
#ifdef TYPES_WITH_HELPER
  if (types_helper_answer() != 42) return call->host->trap(call, "the helper library is not ours");
#endif
  for (size_t i = 0; i < count; ++i) {
    if (strcmp(config[i].key, "fail") == 0) return call->host->trap(call, config[i].value);
  }
  *self = calloc(1, sizeof(instance));
  return BERTH_OK;
}
static void destroy(void* self) {
  free(self);
}

static const berth_function echo_functions[] = {
    {"echo-bool", "func(v: bool) -> bool", sizeof(uint8_t), sizeof(uint8_t), echo_bool},
    {"echo-s8", "func(v: s8) -> s8", sizeof(int8_t), sizeof(int8_t), echo_s8},
    {"echo-u8", "func(v: u8) -> u8", sizeof(uint8_t), sizeof(uint8_t), echo_u8},
    {"echo-s16", "func(v: s16) -> s16", sizeof(int16_t), sizeof(int16_t), echo_s16},
    {"echo-u16", "func(v: u16) -> u16", sizeof(uint16_t), sizeof(uint16_t), echo_u16},
    {"echo-s32", "func(v: s32) -> s32", sizeof(int32_t), sizeof(int32_t), echo_s32},
    {"echo-u32", "func(v: u32) -> u32", sizeof(uint32_t), sizeof(uint32_t), echo_u32},
    {"echo-s64", "func(v: s64) -> s64", sizeof(int64_t), sizeof(int64_t), echo_s64},
    {"echo-u64", "func(v: u64) -> u64", sizeof(uint64_t), sizeof(uint64_t), echo_u64},
    {"echo-f32", "func(v: f32) -> f32", sizeof(float), sizeof(float), echo_f32},
    {"echo-f64", "func(v: f64) -> f64", sizeof(double), sizeof(double), echo_f64},
    {"echo-char", "func(v: char) -> char", sizeof(uint32_t), sizeof(uint32_t), echo_char},
    {"echo-string", "func(v: string) -> string", sizeof(berth_str), sizeof(berth_str), echo_string},
    {"echo-list-u8", "func(v: list<u8>) -> list<u8>", sizeof(berth_list), sizeof(berth_list),
     echo_list_u8},
    {"echo-list-string", "func(v: list<string>) -> list<string>", sizeof(berth_list),
     sizeof(berth_list), echo_list_string},
    {"echo-list-point",
     "func(v: list<record { x: s32, y: s32 }>) -> list<record { x: s32, y: s32 }>",
     sizeof(berth_list), sizeof(berth_list), echo_list_point},
    {"echo-mixed",
     "func(v: record { flag: bool, small: u8, name: string, ratio: f64, tags: list<string>, c: "
     "char }) -> record { flag: bool, small: u8, name: string, ratio: f64, tags: list<string>, c: "
     "char }",
     sizeof(types_mixed), sizeof(types_mixed), echo_mixed},
    {"echo-tuple", "func(v: tuple<u8, string, u64>) -> tuple<u8, string, u64>", sizeof(types_tuple),
     sizeof(types_tuple), echo_tuple},
    {"echo-shape",
     "func(v: variant { nothing, circle(f32), label(string), pair(tuple<u8, u64>) }) -> variant { "
     "nothing, circle(f32), label(string), pair(tuple<u8, u64>) }",
     sizeof(types_shape), sizeof(types_shape), echo_shape},
    {"echo-color", "func(v: enum { red, green, blue }) -> enum { red, green, blue }",
     sizeof(uint32_t), sizeof(uint32_t), echo_color},
    {"echo-perms", "func(v: flags { read, write, exec }) -> flags { read, write, exec }",
     sizeof(uint32_t), sizeof(uint32_t), echo_perms},
    {"echo-many",
     "func(v: flags { g0, g1, g2, g3, g4, g5, g6, g7, g8, g9, g10, g11, g12, g13, g14, g15, g16, "
     "g17, g18, g19, g20, g21, g22, g23, g24, g25, g26, g27, g28, g29, g30, g31, g32, g33, g34, "
     "g35, g36, g37, g38, g39 }) -> flags { g0, g1, g2, g3, g4, g5, g6, g7, g8, g9, g10, g11, g12, "
     "g13, g14, g15, g16, g17, g18, g19, g20, g21, g22, g23, g24, g25, g26, g27, g28, g29, g30, "
     "g31, g32, g33, g34, g35, g36, g37, g38, g39 }",
     sizeof(types_many), sizeof(types_many), echo_many},
    {"echo-option", "func(v: option<option<u32>>) -> option<option<u32>>",
     sizeof(types_option_option_u32), sizeof(types_option_option_u32), echo_option},
    {"echo-result", "func(v: result<string, u16>) -> result<string, u16>",
     sizeof(types_result_string_u16), sizeof(types_result_string_u16), echo_result},
    {"many-args", "func(a: u8, b: string, c: u64, d: f32) -> tuple<u8, string, u64, f32>",
     sizeof(types_many_args), sizeof(types_many_args), many_args},
    {"copy-string", "func(v: string) -> string", sizeof(berth_str), sizeof(berth_str), copy_string},
    {"owned-text", "func() -> list<string>", 0, sizeof(berth_list), owned_text},
};

static const berth_function bad_functions[] = {
    {"bad-bool", "func() -> bool", 0, 1, bad_bool},
    {"bad-utf8", "func() -> string", 0, sizeof(berth_str), bad_utf8},
    {"bad-pointer", "func() -> string", 0, sizeof(berth_str), bad_pointer},
    {"bad-option", "func() -> option<u32>", 0, sizeof(types_option_u32), bad_option},
    {"bad-enum", "func() -> enum { a, b }", 0, 4, bad_enum},
    {"bad-char", "func() -> char", 0, 4, bad_char},
    {"bad-flags", "func() -> flags { x, y, z }", 0, 4, bad_flags},
    {"bad-list", "func() -> list<u32>", 0, sizeof(berth_list), bad_list},
    {"trap", "func(message: string) -> u32", sizeof(berth_str), 4, trap},
    {"trap-silently", "func()", 0, 0, trap_silently},
    {"bad-status", "func()", 0, 0, bad_status},
    {"huge-alloc", "func() -> string", 0, sizeof(berth_str), huge_alloc},
};

static const berth_function counter_functions[] = {
    {"[constructor]counter", "func(start: u32) -> own<counter>", 4, sizeof(berth_rep), counter_new},
    {"[method]counter.next", "func(self: borrow<counter>) -> u32", sizeof(berth_rep), 4,
     counter_next},
    {"[static]counter.finish", "func(c: own<counter>) -> u32", sizeof(berth_rep), 4,
     counter_finish},
    {"destroyed", "func() -> u32", 0, 4, destroyed},
    {"make-pair", "func(start: u32, text: string) -> tuple<string, own<counter>>",
     sizeof(make_pair_params), sizeof(string_and_counter), make_pair},
    {"bad-pair", "func(start: u32) -> tuple<string, own<counter>>", 4, sizeof(string_and_counter),
     bad_pair},
    {"live", "func() -> s32", 0, 4, live},
};

static const berth_resource counter_resources[] = {{"counter", counter_destroy}};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const berth_interface interfaces[] = {
    {"test:types/echo@0.1.0", echo_functions, COUNT(echo_functions), NULL, 0},
    {"test:types/bad@0.1.0", bad_functions, COUNT(bad_functions), NULL, 0},
    {"test:types/counters@0.1.0", counter_functions, COUNT(counter_functions), counter_resources,
     COUNT(counter_resources)},
};

/* The ABI the library states. TYPES_OTHER_MAJOR and TYPES_NEWER_MINOR claim versions berth
 * refuses (and abort if berth calls into them anyway); TYPES_LEGACY_ABI is a library from
 * before 1.1, with no berth_bundle_abi symbol; TYPES_OLDER_MINOR one built for 1.1, whose
 * descriptor ended before `imports`; TYPES_BAD_ABI states this minor but its descriptor
 * claims another major. */
#if defined(TYPES_OTHER_MAJOR)
BERTH_BUNDLE_EXPORT const berth_abi_version berth_bundle_abi = {2, 0};
#define TYPES_REFUSED 1
#elif defined(TYPES_NEWER_MINOR)
BERTH_BUNDLE_EXPORT const berth_abi_version berth_bundle_abi = {BERTH_BUNDLE_ABI_VERSION,
                                                                BERTH_BUNDLE_ABI_MINOR + 1};
#define TYPES_REFUSED 1
#elif defined(TYPES_OLDER_MINOR)
BERTH_BUNDLE_EXPORT const berth_abi_version berth_bundle_abi = {BERTH_BUNDLE_ABI_VERSION, 1};
#elif !defined(TYPES_LEGACY_ABI)
BERTH_BUNDLE_DEFINE_ABI();
#endif

static const berth_bundle_descriptor descriptor = {
    .abi_version = BERTH_BUNDLE_ABI_VERSION,
#if defined(TYPES_OLDER_MINOR)
    .abi_minor = 1,
    /* A 1.1 descriptor has no import table: berth must not read these. */
    .imports = (const berth_interface*)1,
    .import_count = 99,
#elif !defined(TYPES_LEGACY_ABI)
    .abi_minor = BERTH_BUNDLE_ABI_MINOR,
#endif
    .name = "types",
    .version = "0.1.0",
    .world = "test:types/types-host@0.1.0",
    .interfaces = interfaces,
    .interface_count = COUNT(interfaces),
    .create = create,
    .destroy = destroy,
};

#ifdef TYPES_LEAVES_MARK
// A mark that the library was loaded at all: its constructor runs at dlopen, before berth
// calls anything in it. The trust tests show a refused bundle never gets that far.
#include <stdio.h>
#include <stdlib.h>
__attribute__((constructor)) static void leave_mark(void) {
  const char* mark = getenv("BERTH_TEST_LOAD_MARK");
  if (mark == NULL) return;
  FILE* file = fopen(mark, "w");
  if (file != NULL) fclose(file);
}
#endif

BERTH_BUNDLE_EXPORT const berth_bundle_descriptor* berth_bundle_entry(void) {
#ifdef TYPES_REFUSED
  abort(); /* berth must refuse the library before calling anything in it */
#endif
#ifdef TYPES_BAD_ABI
  static berth_bundle_descriptor bad;
  bad = descriptor;
  bad.abi_version = 99;
  return &bad;
#else
  return &descriptor;
#endif
}
