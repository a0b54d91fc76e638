/* A WASI command using pkcs11:token@0.1.0, with the imports declared by hand following the
 * Canonical ABI (there is no wit-bindgen for C here):
 *
 *   p11 [--keep-going] COMMAND...
 *
 * Runs each COMMAND in order, keeping a current session, a current key pair and the last
 * signature:
 *   .slots                        "slot ID: DESCRIPTION | MANUFACTURER | token present|absent"
 *                                 per slot, or "no slots"
 *   .token SLOT                   "token LABEL | MANUFACTURER | MODEL | serial SERIAL", then
 *                                 "flags: NAME..." and "pin length MIN to MAX"
 *   .open SLOT rw|ro              opens a session (dropping the current one first)
 *   .login user|so                logs in with the configuration's PIN
 *   .login-pin user|so PIN        logs in with PIN
 *   .logout
 *   .generate p256|p384 LABEL [persistent|extractable|not-sensitive]...
 *                                 generates a key pair (replacing the current one) and prints
 *                                 "generated LABEL: N-byte public point"
 *   .labels                       "public LABEL, private LABEL"
 *   .sign MECH MESSAGE            signs MESSAGE's bytes with the private key, keeps the signature
 *   .sign-public MECH MESSAGE     the same with the public key (which cannot sign)
 *   .verify MECH MESSAGE          checks the kept signature with the public key: "valid|invalid"
 *   .random N                     "N random bytes", then " (not all zero)" when one is not
 *   .close                        closes the session, keeping its handle
 *   .drop                         drops the session's handle
 *   .trap                         makes the guest trap
 * where MECH is ecdsa, ecdsa-sha256, ecdsa-sha384 or ecdsa-sha512. An error result prints
 * "p11: error: CASE" (the WIT case name) to stdout and exits 1, at once or, with --keep-going,
 * after the rest; so does a command that needs a session or a key pair when there is none (its
 * message going to stderr). An unknown command or missing arguments exits 2. */
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P11_IMPORT(name) \
  __attribute__((import_module("pkcs11:token/token@0.1.0"), import_name(name)))

/* ---- the types as the Canonical ABI lays them out in linear memory (wasm32) ---- */

typedef struct {
  const char* ptr;
  size_t len;
} p11_string;

typedef struct {
  const uint8_t* ptr;
  size_t len;
} p11_bytes; /* list<u8> */

typedef struct {
  const void* ptr;
  size_t len;
} p11_list;

/* The cases of variant error with a payload; the others are named by error_names. */
enum { ERROR_NOT_ALLOWED, ERROR_CLOSED, ERROR_OTHER };

/* variant error (96 cases, so a u8 tag): tag at 0, payload at 4 (string: align 4) */
typedef struct {
  uint8_t tag;
  union {
    p11_string not_allowed;
    uint32_t other;
  } val;
} p11_error;
_Static_assert(offsetof(p11_error, val) == 4, "error payload");
_Static_assert(sizeof(p11_error) == 12 && _Alignof(p11_error) == 4, "error size");

typedef struct {
  uint8_t major, minor;
} p11_version;
_Static_assert(sizeof(p11_version) == 2 && _Alignof(p11_version) == 1, "version");

/* record slot-info */
typedef struct {
  uint64_t id;
  p11_string description;
  p11_string manufacturer;
  uint8_t token_present;
  uint8_t removable_device;
  uint8_t hardware_slot;
  p11_version hardware_version;
  p11_version firmware_version;
} p11_slot_info;
_Static_assert(offsetof(p11_slot_info, description) == 8, "slot-info.description");
_Static_assert(offsetof(p11_slot_info, manufacturer) == 16, "slot-info.manufacturer");
_Static_assert(offsetof(p11_slot_info, token_present) == 24, "slot-info.token-present");
_Static_assert(offsetof(p11_slot_info, removable_device) == 25, "slot-info.removable-device");
_Static_assert(offsetof(p11_slot_info, hardware_slot) == 26, "slot-info.hardware-slot");
_Static_assert(offsetof(p11_slot_info, hardware_version) == 27, "slot-info.hardware-version");
_Static_assert(offsetof(p11_slot_info, firmware_version) == 29, "slot-info.firmware-version");
_Static_assert(sizeof(p11_slot_info) == 32 && _Alignof(p11_slot_info) == 8, "slot-info size");

/* option<u64>: tag at 0, value at 8 */
typedef struct {
  uint8_t is_some;
  uint64_t val;
} option_u64;
_Static_assert(offsetof(option_u64, val) == 8 && sizeof(option_u64) == 16, "option<u64>");

/* option<string>: tag at 0, value at 4 */
typedef struct {
  uint8_t is_some;
  p11_string val;
} option_string;
_Static_assert(offsetof(option_string, val) == 4 && sizeof(option_string) == 12, "option<string>");

/* flags token-flags, in WIT order: bit N is flag N (19 flags, so a u32) */
static const char* const token_flag_names[] = {"rng",
                                               "write-protected",
                                               "login-required",
                                               "user-pin-initialized",
                                               "restore-key-not-needed",
                                               "clock-on-token",
                                               "protected-authentication-path",
                                               "dual-crypto-operations",
                                               "token-initialized",
                                               "secondary-authentication",
                                               "user-pin-count-low",
                                               "user-pin-final-try",
                                               "user-pin-locked",
                                               "user-pin-to-be-changed",
                                               "so-pin-count-low",
                                               "so-pin-final-try",
                                               "so-pin-locked",
                                               "so-pin-to-be-changed",
                                               "error-state"};
_Static_assert(sizeof token_flag_names / sizeof token_flag_names[0] == 19, "token-flags");

/* record token-info */
typedef struct {
  p11_string label;
  p11_string manufacturer;
  p11_string model;
  p11_string serial_number;
  uint32_t flags;
  option_u64 max_session_count;
  option_u64 session_count;
  option_u64 max_rw_session_count;
  option_u64 rw_session_count;
  uint64_t min_pin_length;
  uint64_t max_pin_length;
  option_u64 total_public_memory;
  option_u64 free_public_memory;
  option_u64 total_private_memory;
  option_u64 free_private_memory;
  p11_version hardware_version;
  p11_version firmware_version;
  option_string utc_time;
} p11_token_info;
_Static_assert(offsetof(p11_token_info, serial_number) == 24, "token-info.serial-number");
_Static_assert(offsetof(p11_token_info, flags) == 32, "token-info.flags");
_Static_assert(offsetof(p11_token_info, max_session_count) == 40, "token-info.max-session-count");
_Static_assert(offsetof(p11_token_info, session_count) == 56, "token-info.session-count");
_Static_assert(offsetof(p11_token_info, max_rw_session_count) == 72,
               "token-info.max-rw-session-count");
_Static_assert(offsetof(p11_token_info, rw_session_count) == 88, "token-info.rw-session-count");
_Static_assert(offsetof(p11_token_info, min_pin_length) == 104, "token-info.min-pin-length");
_Static_assert(offsetof(p11_token_info, max_pin_length) == 112, "token-info.max-pin-length");
_Static_assert(offsetof(p11_token_info, total_public_memory) == 120,
               "token-info.total-public-memory");
_Static_assert(offsetof(p11_token_info, free_public_memory) == 136,
               "token-info.free-public-memory");
_Static_assert(offsetof(p11_token_info, total_private_memory) == 152,
               "token-info.total-private-memory");
_Static_assert(offsetof(p11_token_info, free_private_memory) == 168,
               "token-info.free-private-memory");
_Static_assert(offsetof(p11_token_info, hardware_version) == 184, "token-info.hardware-version");
_Static_assert(offsetof(p11_token_info, firmware_version) == 186, "token-info.firmware-version");
_Static_assert(offsetof(p11_token_info, utc_time) == 188, "token-info.utc-time");
_Static_assert(sizeof(p11_token_info) == 200 && _Alignof(p11_token_info) == 8, "token-info size");

/* result<list<slot-info>, error>: tag at 0, payload at 4 */
typedef struct {
  uint8_t is_err;
  union {
    p11_list ok; /* p11_slot_info */
    p11_error err;
  } val;
} slots_ret;
_Static_assert(offsetof(slots_ret, val) == 4 && sizeof(slots_ret) == 16, "slots result");

/* result<token-info, error>: tag at 0, payload at 8 (token-info: align 8) */
typedef struct {
  uint8_t is_err;
  union {
    p11_token_info ok;
    p11_error err;
  } val;
} token_ret;
_Static_assert(offsetof(token_ret, val) == 8 && sizeof(token_ret) == 208, "token result");

/* result<own<session>, error>: tag at 0, payload at 4 */
typedef struct {
  uint8_t is_err;
  union {
    uint32_t handle;
    p11_error err;
  } val;
} handle_ret;
_Static_assert(offsetof(handle_ret, val) == 4 && sizeof(handle_ret) == 16, "handle result");

/* result<key-pair, error>: tag at 0, payload at 4 (key-pair: two handles) */
typedef struct {
  uint8_t is_err;
  union {
    struct {
      uint32_t public_key;
      uint32_t private_key;
    } ok;
    p11_error err;
  } val;
} key_pair_ret;
_Static_assert(offsetof(key_pair_ret, val.ok.public_key) == 4, "key-pair.public-key");
_Static_assert(offsetof(key_pair_ret, val.ok.private_key) == 8, "key-pair.private-key");
_Static_assert(sizeof(key_pair_ret) == 16, "key-pair result");

/* result<string, error>: tag at 0, payload at 4 */
typedef struct {
  uint8_t is_err;
  union {
    p11_string ok;
    p11_error err;
  } val;
} string_ret;
_Static_assert(offsetof(string_ret, val) == 4 && sizeof(string_ret) == 16, "string result");

/* result<list<u8>, error>: tag at 0, payload at 4 */
typedef struct {
  uint8_t is_err;
  union {
    p11_bytes ok;
    p11_error err;
  } val;
} bytes_ret;
_Static_assert(offsetof(bytes_ret, val) == 4 && sizeof(bytes_ret) == 16, "bytes result");

/* result<bool, error>: tag at 0, payload at 4 (the error's alignment) */
typedef struct {
  uint8_t is_err;
  union {
    uint8_t ok;
    p11_error err;
  } val;
} bool_ret;
_Static_assert(offsetof(bool_ret, val) == 4 && sizeof(bool_ret) == 16, "bool result");

/* result<_, error>: tag at 0, payload at 4 */
typedef struct {
  uint8_t is_err;
  p11_error err;
} unit_ret;
_Static_assert(offsetof(unit_ret, err) == 4 && sizeof(unit_ret) == 16, "unit result");

/* enum user-type, enum curve and variant mechanism (no payloads): passed as their case. */
enum { USER_USER, USER_SECURITY_OFFICER };
enum { CURVE_P256, CURVE_P384 };
static const char* const mechanism_names[] = {"ecdsa", "ecdsa-sha256", "ecdsa-sha384",
                                              "ecdsa-sha512"};

/* ---- the imports: parameters flattened, every result through a return area passed last ---- */

P11_IMPORT("slots") void p11_slots(slots_ret*);
P11_IMPORT("token") void p11_token(uint64_t slot, token_ret*);
P11_IMPORT("[method]object.label") void object_label(uint32_t self, string_ret*);
P11_IMPORT("[method]object.ec-point") void object_ec_point(uint32_t self, bytes_ret*);
P11_IMPORT("[static]session.open")
void session_open(uint64_t slot, uint32_t read_write, handle_ret*);
/* option<string> flattens to (is-some, ptr, len) */
P11_IMPORT("[method]session.login")
void session_login(uint32_t self, uint32_t user, uint32_t pin_is_some, const char* pin,
                   size_t pin_len, unit_ret*);
P11_IMPORT("[method]session.logout") void session_logout(uint32_t self, unit_ret*);
/* key-options flattens to label (ptr, len), id (ptr, len), persistent, extractable, sensitive */
P11_IMPORT("[method]session.generate-ec-key-pair")
void session_generate_ec_key_pair(uint32_t self, uint32_t curve, const char* label,
                                  size_t label_len, const uint8_t* id, size_t id_len,
                                  uint32_t persistent, uint32_t extractable, uint32_t sensitive,
                                  key_pair_ret*);
P11_IMPORT("[method]session.sign")
void session_sign(uint32_t self, uint32_t mechanism, uint32_t key, const uint8_t* data,
                  size_t data_len, bytes_ret*);
P11_IMPORT("[method]session.verify")
void session_verify(uint32_t self, uint32_t mechanism, uint32_t key, const uint8_t* data,
                    size_t data_len, const uint8_t* signature, size_t signature_len, bool_ret*);
P11_IMPORT("[method]session.generate-random")
void session_generate_random(uint32_t self, uint32_t length, bytes_ret*);
P11_IMPORT("[method]session.close") void session_close(uint32_t self);
P11_IMPORT("[resource-drop]object") void object_drop(uint32_t handle);
P11_IMPORT("[resource-drop]session") void session_drop(uint32_t handle);

/* berth allocates the strings and lists of results in our memory through this export. */
__attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, size_t old_size,
                                                                size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void*)align;
  void* out = realloc(old, new_size); /* malloc's alignment (16) covers every ABI alignment */
  if (out == NULL) abort();
  return out;
}

/* wasm-ld wraps every export of a command, cabi_realloc too, in calls to the constructors and
 * destructors, and the destructors flush stdout: a flush there would call fd_write while berth is
 * lowering a result, which the Canonical ABI forbids (the guest traps). So nothing may sit in
 * stdout's buffer when a call that returns lists or strings is made: each goes through here. */
#define CALL(expression) (fflush(stdout), expression)

/* Frees what the host allocated for a string or list; an empty one was never allocated. */
static void release(const void* ptr, size_t len) {
  if (len) free((void*)ptr);
}

/* The cases of variant error in WIT order: the index is the discriminant. */
static const char* const error_names[] = {"not-allowed",
                                          "closed",
                                          "other",
                                          "cancel",
                                          "host-memory",
                                          "slot-id-invalid",
                                          "general-error",
                                          "function-failed",
                                          "arguments-bad",
                                          "no-event",
                                          "need-to-create-threads",
                                          "cant-lock",
                                          "attribute-read-only",
                                          "attribute-sensitive",
                                          "attribute-type-invalid",
                                          "attribute-value-invalid",
                                          "action-prohibited",
                                          "data-invalid",
                                          "data-len-range",
                                          "device-error",
                                          "device-memory",
                                          "device-removed",
                                          "encrypted-data-invalid",
                                          "encrypted-data-len-range",
                                          "function-canceled",
                                          "function-not-parallel",
                                          "function-not-supported",
                                          "key-handle-invalid",
                                          "key-size-range",
                                          "key-type-inconsistent",
                                          "key-not-needed",
                                          "key-changed",
                                          "key-needed",
                                          "key-indigestible",
                                          "key-function-not-permitted",
                                          "key-not-wrappable",
                                          "key-unextractable",
                                          "mechanism-invalid",
                                          "mechanism-param-invalid",
                                          "object-handle-invalid",
                                          "operation-active",
                                          "operation-not-initialized",
                                          "pin-incorrect",
                                          "pin-invalid",
                                          "pin-len-range",
                                          "pin-expired",
                                          "pin-locked",
                                          "session-closed",
                                          "session-count",
                                          "session-handle-invalid",
                                          "session-parallel-not-supported",
                                          "session-read-only",
                                          "session-exists",
                                          "session-read-only-exists",
                                          "session-read-write-so-exists",
                                          "signature-invalid",
                                          "signature-len-range",
                                          "template-incomplete",
                                          "template-inconsistent",
                                          "token-not-present",
                                          "token-not-recognized",
                                          "token-write-protected",
                                          "unwrapping-key-handle-invalid",
                                          "unwrapping-key-size-range",
                                          "unwrapping-key-type-inconsistent",
                                          "user-already-logged-in",
                                          "user-not-logged-in",
                                          "user-pin-not-initialized",
                                          "user-type-invalid",
                                          "user-another-already-logged-in",
                                          "user-too-many-types",
                                          "wrapped-key-invalid",
                                          "wrapped-key-len-range",
                                          "wrapping-key-handle-invalid",
                                          "wrapping-key-size-range",
                                          "wrapping-key-type-inconsistent",
                                          "random-seed-not-supported",
                                          "random-no-rng",
                                          "domain-params-invalid",
                                          "curve-not-supported",
                                          "buffer-too-small",
                                          "saved-state-invalid",
                                          "information-sensitive",
                                          "state-unsaveable",
                                          "cryptoki-not-initialized",
                                          "cryptoki-already-initialized",
                                          "mutex-bad",
                                          "mutex-not-locked",
                                          "new-pin-mode",
                                          "next-otp",
                                          "exceeded-max-iterations",
                                          "fips-self-test-failed",
                                          "library-load-failed",
                                          "pin-too-weak",
                                          "public-key-invalid",
                                          "function-rejected"};
_Static_assert(sizeof error_names / sizeof error_names[0] == 96, "the 96 cases of error");

/* Prints an error result to stdout; returns the exit status 1. */
static int failed(const p11_error* error) {
  switch (error->tag) {
    case ERROR_NOT_ALLOWED:
      printf("p11: error: not-allowed: %.*s\n", (int)error->val.not_allowed.len,
             error->val.not_allowed.ptr);
      release(error->val.not_allowed.ptr, error->val.not_allowed.len);
      break;
    case ERROR_OTHER:
      printf("p11: error: other: 0x%" PRIx32 "\n", error->val.other);
      break;
    default:
      if (error->tag < sizeof error_names / sizeof error_names[0])
        printf("p11: error: %s\n", error_names[error->tag]);
      else
        printf("p11: error: unknown case %u\n", error->tag);
      break;
  }
  return 1;
}

/* Messages to stderr; stdout is flushed first so that the two keep their order. */
static int missing(const char* command, const char* what) {
  fflush(stdout);
  fprintf(stderr, "p11: %s: no %s\n", command, what);
  return 1;
}

static int usage(const char* arg) {
  fflush(stdout);
  fprintf(stderr, "p11: unknown command or missing arguments: %s\n", arg);
  return 2;
}

/* ---- parsing arguments ---- */

static int parse_u64(const char* text, uint64_t* out) {
  char* end;
  if (text[0] < '0' || text[0] > '9') return 0;
  *out = strtoull(text, &end, 0);
  return *end == '\0';
}

static int parse_user(const char* text, uint32_t* out) {
  if (strcmp(text, "user") == 0)
    *out = USER_USER;
  else if (strcmp(text, "so") == 0)
    *out = USER_SECURITY_OFFICER;
  else
    return 0;
  return 1;
}

static int parse_mechanism(const char* text, uint32_t* out) {
  for (uint32_t m = 0; m < sizeof mechanism_names / sizeof mechanism_names[0]; ++m) {
    if (strcmp(text, mechanism_names[m]) == 0) {
      *out = m;
      return 1;
    }
  }
  return 0;
}

/* ---- the commands ---- */

typedef struct {
  uint32_t session;                 /* 0: none */
  uint32_t public_key, private_key; /* 0: no key pair */
  uint8_t* signature;               /* the last one .sign made */
  size_t signature_len;
} state;

static void drop_key_pair(state* s) {
  if (s->public_key) object_drop(s->public_key);
  if (s->private_key) object_drop(s->private_key);
  s->public_key = s->private_key = 0;
}

static int list_slots(void) {
  slots_ret ret;
  CALL(p11_slots(&ret));
  if (ret.is_err) return failed(&ret.val.err);
  const p11_slot_info* slots = ret.val.ok.ptr;
  if (ret.val.ok.len == 0) printf("no slots\n");
  for (size_t i = 0; i < ret.val.ok.len; ++i) {
    const p11_slot_info* slot = &slots[i];
    printf("slot %" PRIu64 ": %.*s | %.*s | token %s\n", slot->id, (int)slot->description.len,
           slot->description.ptr, (int)slot->manufacturer.len, slot->manufacturer.ptr,
           slot->token_present ? "present" : "absent");
    release(slot->description.ptr, slot->description.len);
    release(slot->manufacturer.ptr, slot->manufacturer.len);
  }
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

static int show_token(uint64_t slot) {
  token_ret ret;
  CALL(p11_token(slot, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  const p11_token_info* info = &ret.val.ok;
  printf("token %.*s | %.*s | %.*s | serial %.*s\n", (int)info->label.len, info->label.ptr,
         (int)info->manufacturer.len, info->manufacturer.ptr, (int)info->model.len, info->model.ptr,
         (int)info->serial_number.len, info->serial_number.ptr);
  printf("flags:");
  for (unsigned f = 0; f < sizeof token_flag_names / sizeof token_flag_names[0]; ++f) {
    if (info->flags & (UINT32_C(1) << f)) printf(" %s", token_flag_names[f]);
  }
  printf("\n");
  printf("pin length %" PRIu64 " to %" PRIu64 "\n", info->min_pin_length, info->max_pin_length);
  release(info->label.ptr, info->label.len);
  release(info->manufacturer.ptr, info->manufacturer.len);
  release(info->model.ptr, info->model.len);
  release(info->serial_number.ptr, info->serial_number.len);
  if (info->utc_time.is_some) release(info->utc_time.val.ptr, info->utc_time.val.len);
  return 0;
}

static int open_session(state* s, uint64_t slot, uint32_t read_write) {
  if (s->session) session_drop(s->session);
  s->session = 0;
  handle_ret ret;
  CALL(session_open(slot, read_write, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  s->session = ret.val.handle;
  printf("session open\n");
  return 0;
}

static int login(state* s, uint32_t user, const char* pin) {
  unit_ret ret;
  CALL(session_login(s->session, user, pin != NULL, pin, pin ? strlen(pin) : 0, &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("logged in\n");
  return 0;
}

static int logout(state* s) {
  unit_ret ret;
  CALL(session_logout(s->session, &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("logged out\n");
  return 0;
}

static int generate(state* s, uint32_t curve, const char* label, int persistent, int extractable,
                    int sensitive) {
  key_pair_ret ret;
  CALL(session_generate_ec_key_pair(s->session, curve, label, strlen(label), NULL, 0,
                                    (uint32_t)persistent, (uint32_t)extractable,
                                    (uint32_t)sensitive, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  drop_key_pair(s);
  s->public_key = ret.val.ok.public_key;
  s->private_key = ret.val.ok.private_key;
  bytes_ret point;
  CALL(object_ec_point(s->public_key, &point));
  if (point.is_err) return failed(&point.val.err);
  printf("generated %s: %zu-byte public point\n", label, point.val.ok.len);
  release(point.val.ok.ptr, point.val.ok.len);
  return 0;
}

static int labels(state* s) {
  string_ret public_label, private_label;
  CALL(object_label(s->public_key, &public_label));
  if (public_label.is_err) return failed(&public_label.val.err);
  CALL(object_label(s->private_key, &private_label));
  if (private_label.is_err) {
    release(public_label.val.ok.ptr, public_label.val.ok.len);
    return failed(&private_label.val.err);
  }
  printf("public %.*s, private %.*s\n", (int)public_label.val.ok.len, public_label.val.ok.ptr,
         (int)private_label.val.ok.len, private_label.val.ok.ptr);
  release(public_label.val.ok.ptr, public_label.val.ok.len);
  release(private_label.val.ok.ptr, private_label.val.ok.len);
  return 0;
}

static int sign(state* s, uint32_t mechanism, uint32_t key, const char* message) {
  bytes_ret ret;
  CALL(session_sign(s->session, mechanism, key, (const uint8_t*)message, strlen(message), &ret));
  if (ret.is_err) return failed(&ret.val.err);
  release(s->signature, s->signature_len);
  s->signature = (uint8_t*)ret.val.ok.ptr;
  s->signature_len = ret.val.ok.len;
  printf("signature %zu bytes\n", s->signature_len);
  return 0;
}

static int verify(state* s, uint32_t mechanism, const char* message) {
  bool_ret ret;
  CALL(session_verify(s->session, mechanism, s->public_key, (const uint8_t*)message,
                      strlen(message), s->signature, s->signature_len, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  printf("%s\n", ret.val.ok ? "valid" : "invalid");
  return 0;
}

static int random_bytes(state* s, uint32_t length) {
  bytes_ret ret;
  CALL(session_generate_random(s->session, length, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  int any = 0;
  for (size_t i = 0; i < ret.val.ok.len; ++i) any |= ret.val.ok.ptr[i] != 0;
  printf("%zu random bytes%s\n", ret.val.ok.len, any ? " (not all zero)" : "");
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

/* Runs the command at argv[*i], moving *i past its arguments; returns the exit status so far
 * (0: go on, 1: an error, 2: a bad command line). */
static int command(state* s, int argc, char** argv, int* i) {
  const char* name = argv[*i];
  int left = argc - *i - 1; /* the arguments after the command */
  char** args = argv + *i + 1;
  if (strcmp(name, ".slots") == 0) return list_slots();
  if (strcmp(name, ".token") == 0 && left >= 1) {
    uint64_t slot;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    *i += 1;
    return show_token(slot);
  }
  if (strcmp(name, ".open") == 0 && left >= 2) {
    uint64_t slot;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    if (strcmp(args[1], "rw") != 0 && strcmp(args[1], "ro") != 0) return usage(args[1]);
    *i += 2;
    return open_session(s, slot, strcmp(args[1], "rw") == 0);
  }
  if (strcmp(name, ".trap") == 0) {
    fflush(stdout);
    __builtin_trap(); /* everything still open goes with the instance */
  }
  /* Every other command needs the session. */
  int session_commands = strcmp(name, ".login") == 0 || strcmp(name, ".login-pin") == 0 ||
                         strcmp(name, ".logout") == 0 || strcmp(name, ".generate") == 0 ||
                         strcmp(name, ".labels") == 0 || strcmp(name, ".sign") == 0 ||
                         strcmp(name, ".sign-public") == 0 || strcmp(name, ".verify") == 0 ||
                         strcmp(name, ".random") == 0 || strcmp(name, ".close") == 0 ||
                         strcmp(name, ".drop") == 0;
  if (!session_commands) return usage(name);
  /* Check the arguments first, so that a bad command line is one whatever the state. */
  uint32_t user = 0, mechanism = 0, curve = 0;
  uint64_t length = 0;
  int used = 0;
  int persistent = 0, extractable = 0, sensitive = 1;
  if (strcmp(name, ".login") == 0 || strcmp(name, ".login-pin") == 0) {
    used = strcmp(name, ".login") == 0 ? 1 : 2;
    if (left < used) return usage(name);
    if (!parse_user(args[0], &user)) return usage(args[0]);
  } else if (strcmp(name, ".generate") == 0) {
    if (left < 2) return usage(name);
    if (strcmp(args[0], "p256") == 0)
      curve = CURVE_P256;
    else if (strcmp(args[0], "p384") == 0)
      curve = CURVE_P384;
    else
      return usage(args[0]);
    for (used = 2; used < left; ++used) {
      if (strcmp(args[used], "persistent") == 0)
        persistent = 1;
      else if (strcmp(args[used], "extractable") == 0)
        extractable = 1;
      else if (strcmp(args[used], "not-sensitive") == 0)
        sensitive = 0;
      else
        break; /* the next command */
    }
  } else if (strcmp(name, ".sign") == 0 || strcmp(name, ".sign-public") == 0 ||
             strcmp(name, ".verify") == 0) {
    used = 2;
    if (left < used) return usage(name);
    if (!parse_mechanism(args[0], &mechanism)) return usage(args[0]);
  } else if (strcmp(name, ".random") == 0) {
    used = 1;
    if (left < used) return usage(name);
    if (!parse_u64(args[0], &length) || length > UINT32_MAX) return usage(args[0]);
  }
  *i += used;
  if (s->session == 0) return missing(name, "session");
  if (strcmp(name, ".login") == 0) return login(s, user, NULL);
  if (strcmp(name, ".login-pin") == 0) return login(s, user, args[1]);
  if (strcmp(name, ".logout") == 0) return logout(s);
  if (strcmp(name, ".generate") == 0)
    return generate(s, curve, args[1], persistent, extractable, sensitive);
  if (strcmp(name, ".random") == 0) return random_bytes(s, (uint32_t)length);
  if (strcmp(name, ".close") == 0) {
    session_close(s->session);
    printf("session closed\n");
    return 0;
  }
  if (strcmp(name, ".drop") == 0) {
    session_drop(s->session);
    s->session = 0;
    printf("session dropped\n");
    return 0;
  }
  /* .labels, .sign, .sign-public and .verify need the key pair as well. */
  if (s->public_key == 0) return missing(name, "key pair");
  if (strcmp(name, ".labels") == 0) return labels(s);
  if (strcmp(name, ".sign") == 0) return sign(s, mechanism, s->private_key, args[1]);
  if (strcmp(name, ".sign-public") == 0) return sign(s, mechanism, s->public_key, args[1]);
  return verify(s, mechanism, args[1]);
}

int main(int argc, char** argv) {
  int first = 1, keep_going = 0, any_failed = 0;
  if (argc > first && strcmp(argv[first], "--keep-going") == 0) {
    keep_going = 1;
    first++;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: p11 [--keep-going] COMMAND...\n");
    return 2;
  }
  state s = {0};
  int status = 0;
  for (int i = first; i < argc && status == 0; ++i) {
    status = command(&s, argc, argv, &i);
    if (status == 1 && keep_going) {
      any_failed = 1;
      status = 0;
    }
  }
  /* The objects first: they belong to the session. stdout first, so that what was printed
   * comes before what the drops may make the host log. */
  fflush(stdout);
  drop_key_pair(&s);
  if (s.session) session_drop(s.session);
  release(s.signature, s.signature_len);
  return status ? status : any_failed;
}
