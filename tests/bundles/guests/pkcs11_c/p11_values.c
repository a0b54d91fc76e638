/* Names and parsing of WIT values: the names of the cases of error, object-class, key-type,
 * attribute and mechanism; error results and bad command lines reported; bytes; the arguments
 * parsed (numbers, user types, booleans, hex, mechanisms, key flags); templates built; and
 * attributes released and printed. */
#include <inttypes.h>
#include <string.h>

#include "p11.h"

/* ---- the names of the cases ---- */

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

/* variant object-class and variant key-type */
static const char* const object_class_names[] = {
    "data",       "certificate",       "public-key", "private-key", "secret-key",
    "hw-feature", "domain-parameters", "mechanism",  "otp-key",     "other"};
_Static_assert(sizeof object_class_names / sizeof object_class_names[0] == CLASS_OTHER + 1,
               "object-class");

static const char* const key_type_names[] = {
    "rsa", "dsa",         "dh",          "ec",          "generic-secret", "des3",
    "aes", "sha256-hmac", "sha384-hmac", "sha512-hmac", "ec-edwards",     "other"};
_Static_assert(sizeof key_type_names / sizeof key_type_names[0] == KEY_TYPE_OTHER + 1, "key-type");

/* variant attribute and variant attribute-kind (the same names, in the same order) */
static const char* const attribute_names[] = {"class",
                                              "key-type",
                                              "label",
                                              "id",
                                              "application",
                                              "value",
                                              "value-len",
                                              "token",
                                              "private",
                                              "modifiable",
                                              "copyable",
                                              "destroyable",
                                              "sensitive",
                                              "extractable",
                                              "always-sensitive",
                                              "never-extractable",
                                              "local",
                                              "encrypt",
                                              "decrypt",
                                              "sign",
                                              "verify",
                                              "wrap",
                                              "unwrap",
                                              "derive",
                                              "modulus",
                                              "modulus-bits",
                                              "public-exponent",
                                              "ec-params",
                                              "ec-point",
                                              "other"};
_Static_assert(sizeof attribute_names / sizeof attribute_names[0] == ATTR_OTHER + 1,
               "the 30 cases of attribute");

/* variant mechanism, but other */
static const char* const mechanism_names[] = {"ecdsa",
                                              "ecdsa-sha256",
                                              "ecdsa-sha384",
                                              "ecdsa-sha512",
                                              "rsa-pkcs",
                                              "sha256-rsa-pkcs",
                                              "sha384-rsa-pkcs",
                                              "sha512-rsa-pkcs",
                                              "rsa-pkcs-pss",
                                              "sha256-rsa-pkcs-pss",
                                              "sha384-rsa-pkcs-pss",
                                              "sha512-rsa-pkcs-pss",
                                              "rsa-pkcs-oaep",
                                              "sha256-hmac",
                                              "sha384-hmac",
                                              "sha512-hmac",
                                              "aes-gcm",
                                              "aes-cbc-pad",
                                              "aes-key-wrap",
                                              "aes-key-wrap-pad",
                                              "sha256",
                                              "sha384",
                                              "sha512",
                                              "ecdh1-derive",
                                              "ec-key-pair-gen",
                                              "rsa-pkcs-key-pair-gen",
                                              "aes-key-gen",
                                              "generic-secret-key-gen"};
_Static_assert(sizeof mechanism_names / sizeof mechanism_names[0] == MECH_OTHER,
               "the cases of mechanism but other");

/* ---- errors and bad command lines ---- */

/* Prints an error result to stdout; returns the exit status 1. */
int failed(const p11_error* error) {
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
int missing(const char* command, const char* what) {
  fflush(stdout);
  fprintf(stderr, "p11: %s: no %s\n", command, what);
  return 1;
}

int usage(const char* arg) {
  fflush(stdout);
  fprintf(stderr, "p11: unknown command or missing arguments: %s\n", arg);
  return 2;
}

/* ---- bytes ---- */

static void append(byte_buffer* out, const uint8_t* data, size_t len) {
  if (len == 0) return;
  uint8_t* grown = realloc(out->ptr, out->len + len);
  if (grown == NULL) abort();
  memcpy(grown + out->len, data, len);
  out->ptr = grown;
  out->len += len;
}

/* Appends a list the host made and frees it. */
void take(byte_buffer* out, p11_bytes list) {
  append(out, list.ptr, list.len);
  release(list.ptr, list.len);
}

void print_hex(const uint8_t* data, size_t len) {
  for (size_t i = 0; i < len; ++i) printf("%02x", data[i]);
}

/* ---- parsing arguments ---- */

int parse_u64(const char* text, uint64_t* out) {
  char* end;
  if (text[0] < '0' || text[0] > '9') return 0;
  *out = strtoull(text, &end, 0);
  return *end == '\0';
}

int is_hex_number(const char* text) {
  return text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

int parse_user(const char* text, uint32_t* out) {
  if (strcmp(text, "user") == 0)
    *out = USER_USER;
  else if (strcmp(text, "so") == 0)
    *out = USER_SECURITY_OFFICER;
  else
    return 0;
  return 1;
}

int parse_bool(const char* text, int* out) {
  if (strcmp(text, "true") == 0)
    *out = 1;
  else if (strcmp(text, "false") == 0)
    *out = 0;
  else
    return 0;
  return 1;
}

static int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* HEX (with or without 0x) into a buffer of ours; 0 when it is not an even number of digits. */
int parse_hex_bytes(const char* text, byte_buffer* out) {
  if (is_hex_number(text)) text += 2;
  size_t digits = strlen(text);
  if (digits % 2) return 0;
  out->ptr = NULL;
  out->len = 0;
  for (size_t i = 0; i < digits; i += 2) {
    int high = hex_digit(text[i]), low = hex_digit(text[i + 1]);
    if (high < 0 || low < 0) {
      free(out->ptr);
      out->ptr = NULL;
      out->len = 0;
      return 0;
    }
    uint8_t byte = (uint8_t)(high << 4 | low);
    append(out, &byte, 1);
  }
  return 1;
}

/* The fixed parameters of the mechanisms that have some. */
static const uint8_t gcm_iv[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
static const uint8_t cbc_iv[16] = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2};

static uint32_t address(const void* ptr) {
  return (uint32_t)(uintptr_t)ptr;
}

/* A MECH word (see p11_cli.c) flattened, aes-gcm with `aad`; 0 when it is none. */
int parse_mechanism(const char* aad, const char* text, mech_flat* out) {
  memset(out, 0, sizeof *out);
  if (is_hex_number(text)) {
    out->tag = MECH_OTHER;
    return parse_u64(text, &out->p0);
  }
  if (strcmp(text, "rsa-pkcs-oaep-sha1") == 0) {
    out->tag = MECH_RSA_PKCS_OAEP;
    out->p0 = HASH_SHA1;
    return 1;
  }
  uint32_t m = 0;
  while (m < MECH_OTHER && (m == MECH_ECDH1_DERIVE || strcmp(text, mechanism_names[m]) != 0)) ++m;
  if (m == MECH_OTHER) return 0;
  out->tag = m;
  switch (m) {
    case MECH_RSA_PKCS_PSS:
    case MECH_SHA256_RSA_PKCS_PSS:
      out->p0 = HASH_SHA256; /* pss-params: hash, salt-length */
      out->p1 = 32;
      break;
    case MECH_SHA384_RSA_PKCS_PSS:
      out->p0 = HASH_SHA384;
      out->p1 = 48;
      break;
    case MECH_SHA512_RSA_PKCS_PSS:
      out->p0 = HASH_SHA512;
      out->p1 = 64;
      break;
    case MECH_RSA_PKCS_OAEP:
      out->p0 = HASH_SHA256; /* oaep-params: hash, label (empty: ptr 0, len 0) */
      break;
    case MECH_AES_GCM: /* gcm-params: iv, aad, tag-bits */
      out->p0 = address(gcm_iv);
      out->p1 = sizeof gcm_iv;
      out->p2 = address(aad);
      out->p3 = (uint32_t)strlen(aad);
      out->p4 = 128;
      break;
    case MECH_AES_CBC_PAD: /* list<u8>: the IV */
      out->p0 = address(cbc_iv);
      out->p1 = sizeof cbc_iv;
      break;
    default:
      break;
  }
  return 1;
}

/* ecdh1-derive(ecdh-params { public-data, kdf: none, shared-data: empty }) */
mech_flat ecdh_mechanism(const uint8_t* public_data, size_t public_data_len) {
  mech_flat out = {0};
  out.tag = MECH_ECDH1_DERIVE;
  out.p0 = address(public_data);
  out.p1 = (uint32_t)public_data_len;
  return out; /* p2 (kdf is-some), p3 (its hash), p4 and p5 (shared-data) stay 0 */
}

/* Reads FLAG words from args[from]; returns the index of the first that is none. */
int parse_flags(char** args, int left, int from, key_flags* flags) {
  int used = from;
  for (; used < left; ++used) {
    if (strcmp(args[used], "persistent") == 0)
      flags->persistent = 1;
    else if (strcmp(args[used], "extractable") == 0)
      flags->extractable = 1;
    else if (strcmp(args[used], "not-sensitive") == 0)
      flags->not_sensitive = 1;
    else
      break; /* the next command */
  }
  return used;
}

/* How many of args[from..left) come before the next command (an argument starting with '.'). */
int words(char** args, int left, int from) {
  int end = from;
  while (end < left && args[end][0] != '.') ++end;
  return end - from;
}

/* An attribute-kind word's case: ATTR_OTHER when it names none (0xHEX, for other). */
uint32_t attribute_kind(const char* word) {
  uint32_t k = 0;
  while (k < ATTR_OTHER && strcmp(word, attribute_names[k]) != 0) ++k;
  return k;
}

/* ---- templates ---- */

static p11_attribute* add(p11_template* t, uint8_t tag) {
  if (t->count == TEMPLATE_MAX) abort();
  p11_attribute* a = &t->items[t->count++];
  memset(a, 0, sizeof *a);
  a->tag = tag;
  return a;
}

void add_flag(p11_template* t, uint8_t tag, int value) {
  add(t, tag)->val.flag = value ? 1 : 0;
}

void add_number(p11_template* t, uint8_t tag, uint64_t value) {
  add(t, tag)->val.number = value;
}

void add_text(p11_template* t, uint8_t tag, const char* text) {
  p11_attribute* a = add(t, tag);
  a->val.text.ptr = text;
  a->val.text.len = strlen(text);
}

void add_bytes(p11_template* t, uint8_t tag, const uint8_t* data, size_t len) {
  p11_attribute* a = add(t, tag);
  a->val.bytes.ptr = data;
  a->val.bytes.len = len;
}

/* class(object-class) or key-type(key-type), a case without a payload */
void add_case(p11_template* t, uint8_t tag, uint8_t value) {
  add(t, tag)->val.class_.tag = value;
}

void add_key_flags(p11_template* t, const key_flags* flags) {
  if (flags->persistent) add_flag(t, ATTR_TOKEN, 1);
  if (flags->extractable) add_flag(t, ATTR_EXTRACTABLE, 1);
  if (flags->not_sensitive) add_flag(t, ATTR_SENSITIVE, 0);
}

/* ---- attributes the host returned ---- */

/* Frees what the host allocated in an attribute it returned. */
void release_attribute(const p11_attribute* a) {
  switch (a->tag) {
    case ATTR_LABEL:
    case ATTR_APPLICATION:
      release(a->val.text.ptr, a->val.text.len);
      break;
    case ATTR_ID:
    case ATTR_VALUE:
    case ATTR_MODULUS:
    case ATTR_PUBLIC_EXPONENT:
    case ATTR_EC_PARAMS:
    case ATTR_EC_POINT:
      release(a->val.bytes.ptr, a->val.bytes.len);
      break;
    case ATTR_OTHER:
      release(a->val.other.value.ptr, a->val.other.value.len);
      break;
    default:
      break;
  }
}

static void print_case(const p11_tagged_u64* value, const char* const* names, uint8_t other) {
  if (value->tag == other)
    printf("other 0x%" PRIx64, value->other);
  else if (value->tag < other)
    printf("%s", names[value->tag]);
  else
    printf("unknown case %u", value->tag);
}

void print_object_class(const p11_tagged_u64* value) {
  print_case(value, object_class_names, CLASS_OTHER);
}

void print_attribute(const p11_attribute* a) {
  if (a->tag > ATTR_OTHER) {
    printf("unknown case %u\n", a->tag);
    return;
  }
  printf("%s=", attribute_names[a->tag]);
  switch (a->tag) {
    case ATTR_CLASS:
      print_object_class(&a->val.class_);
      break;
    case ATTR_KEY_TYPE:
      print_case(&a->val.class_, key_type_names, KEY_TYPE_OTHER);
      break;
    case ATTR_LABEL:
    case ATTR_APPLICATION:
      printf("%.*s", (int)a->val.text.len, a->val.text.ptr);
      break;
    case ATTR_ID:
    case ATTR_VALUE:
    case ATTR_MODULUS:
    case ATTR_PUBLIC_EXPONENT:
    case ATTR_EC_PARAMS:
    case ATTR_EC_POINT:
      printf("%zu bytes", a->val.bytes.len);
      break;
    case ATTR_VALUE_LEN:
    case ATTR_MODULUS_BITS:
      printf("%" PRIu64, a->val.number);
      break;
    case ATTR_OTHER:
      printf("0x%" PRIx64 " %zu bytes", a->val.other.kind, a->val.other.value.len);
      break;
    default:
      printf("%s", a->val.flag ? "true" : "false");
      break;
  }
  printf("\n");
}
