/* The pkcs11:token@0.1.0 interface as the Canonical ABI lays it out for wasm32, declared by hand
 * (there is no wit-bindgen for C here): the records, variants and results in linear memory with
 * checks of their layout, the cases' numbers, the flattened mechanism, and the imports. The names
 * of the cases are in p11_values.c and p11_session.c. */
#ifndef P11_ABI_H
#define P11_ABI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

/* The cases of variant error with a payload; error_names (p11_values.c) names them all. */
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

/* record token-info */
typedef struct {
  p11_string label;
  p11_string manufacturer;
  p11_string model;
  p11_string serial_number;
  uint32_t flags; /* flags token-flags: bit N is flag N in WIT order (19 flags, so a u32) */
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

/* result<list<T>, error> for T other than u8 and slot-info (u64, attribute, own<object>):
 * tag at 0, payload at 4 */
typedef struct {
  uint8_t is_err;
  union {
    p11_list ok;
    p11_error err;
  } val;
} list_ret;
_Static_assert(offsetof(list_ret, val) == 4 && sizeof(list_ret) == 16, "list result");

/* result<option<u64>, error>: tag at 0, payload at 8 (option: is-some at 8, value at 16);
 * 8 + max(16, 12) = 24 */
typedef struct {
  uint8_t is_err;
  union {
    struct {
      uint8_t is_some;
      uint64_t val;
    } ok;
    p11_error err;
  } val;
} u64_ret;
_Static_assert(offsetof(u64_ret, val) == 8 && sizeof(u64_ret) == 24, "u64 result");
_Static_assert(_Alignof(u64_ret) == 8, "u64 result alignment");

/* record mechanism-info */
typedef struct {
  uint64_t min_key_size;
  uint64_t max_key_size;
  uint16_t flags; /* flags mechanism-flags: bit N is flag N in WIT order (14 flags, so a u16) */
} p11_mechanism_info;
_Static_assert(offsetof(p11_mechanism_info, max_key_size) == 8, "mechanism-info.max-key-size");
_Static_assert(offsetof(p11_mechanism_info, flags) == 16, "mechanism-info.flags");
_Static_assert(sizeof(p11_mechanism_info) == 24 && _Alignof(p11_mechanism_info) == 8,
               "mechanism-info size");

/* result<mechanism-info, error>: tag at 0, payload at 8 */
typedef struct {
  uint8_t is_err;
  union {
    p11_mechanism_info ok;
    p11_error err;
  } val;
} mechanism_info_ret;
_Static_assert(offsetof(mechanism_info_ret, val) == 8 && sizeof(mechanism_info_ret) == 32,
               "mechanism-info result");

/* record session-info */
typedef struct {
  uint64_t slot;
  uint8_t state; /* enum session-state (5 cases: a u8) */
  uint8_t read_write;
  uint64_t device_error;
} p11_session_info;
_Static_assert(offsetof(p11_session_info, state) == 8, "session-info.state");
_Static_assert(offsetof(p11_session_info, read_write) == 9, "session-info.read-write");
_Static_assert(offsetof(p11_session_info, device_error) == 16, "session-info.device-error");
_Static_assert(sizeof(p11_session_info) == 24 && _Alignof(p11_session_info) == 8,
               "session-info size");

/* result<session-info, error>: tag at 0, payload at 8 */
typedef struct {
  uint8_t is_err;
  union {
    p11_session_info ok;
    p11_error err;
  } val;
} session_info_ret;
_Static_assert(offsetof(session_info_ret, val) == 8 && sizeof(session_info_ret) == 32,
               "session-info result");

/* variant object-class (10 cases), variant key-type (12) and variant attribute-kind (30): a u8
 * tag at 0 and, for their last case other(u64), the number at 8 */
typedef struct {
  uint8_t tag;
  uint64_t other;
} p11_tagged_u64;
_Static_assert(offsetof(p11_tagged_u64, other) == 8, "tagged u64 payload");
_Static_assert(sizeof(p11_tagged_u64) == 16 && _Alignof(p11_tagged_u64) == 8, "tagged u64 size");

/* The cases of variant object-class and of variant key-type that are used here. */
enum {
  CLASS_DATA,
  CLASS_CERTIFICATE,
  CLASS_PUBLIC_KEY,
  CLASS_PRIVATE_KEY,
  CLASS_SECRET_KEY,
  CLASS_OTHER = 9
};

enum { KEY_TYPE_GENERIC_SECRET = 4, KEY_TYPE_AES = 6, KEY_TYPE_OTHER = 11 };

/* record raw-attribute */
typedef struct {
  uint64_t kind;
  p11_bytes value;
} p11_raw_attribute;
_Static_assert(offsetof(p11_raw_attribute, value) == 8, "raw-attribute.value");
_Static_assert(sizeof(p11_raw_attribute) == 16 && _Alignof(p11_raw_attribute) == 8,
               "raw-attribute size");

/* The cases of variant attribute and of variant attribute-kind (the same names, in the same
 * order). */
enum {
  ATTR_CLASS,
  ATTR_KEY_TYPE,
  ATTR_LABEL,
  ATTR_ID,
  ATTR_APPLICATION,
  ATTR_VALUE,
  ATTR_VALUE_LEN,
  ATTR_TOKEN,
  ATTR_PRIVATE,
  ATTR_MODIFIABLE,
  ATTR_COPYABLE,
  ATTR_DESTROYABLE,
  ATTR_SENSITIVE,
  ATTR_EXTRACTABLE,
  ATTR_ALWAYS_SENSITIVE,
  ATTR_NEVER_EXTRACTABLE,
  ATTR_LOCAL,
  ATTR_ENCRYPT,
  ATTR_DECRYPT,
  ATTR_SIGN,
  ATTR_VERIFY,
  ATTR_WRAP,
  ATTR_UNWRAP,
  ATTR_DERIVE,
  ATTR_MODULUS,
  ATTR_MODULUS_BITS,
  ATTR_PUBLIC_EXPONENT,
  ATTR_EC_PARAMS,
  ATTR_EC_POINT,
  ATTR_OTHER
};

/* variant attribute (30 cases: a u8 tag at 0); the payloads' largest alignment is 8 (u64,
 * object-class, key-type, raw-attribute) and their largest size 16, so the payload is at 8 and
 * the whole 24 bytes. */
typedef struct {
  uint8_t tag;
  union {
    p11_tagged_u64 class_; /* class, key-type */
    p11_string text;       /* label, application */
    p11_bytes bytes;       /* id, value, modulus, public-exponent, ec-params, ec-point */
    uint64_t number;       /* value-len, modulus-bits */
    uint8_t flag;          /* token ... derive */
    p11_raw_attribute other;
  } val;
} p11_attribute;
_Static_assert(offsetof(p11_attribute, val) == 8, "attribute payload");
_Static_assert(offsetof(p11_attribute, val.other.value) == 16, "attribute other.value");
_Static_assert(sizeof(p11_attribute) == 24 && _Alignof(p11_attribute) == 8, "attribute size");

/* enum hash (5 cases) */
enum { HASH_SHA1, HASH_SHA224, HASH_SHA256, HASH_SHA384, HASH_SHA512 };

/* The cases of variant mechanism, in WIT order. */
enum {
  MECH_ECDSA,
  MECH_ECDSA_SHA256,
  MECH_ECDSA_SHA384,
  MECH_ECDSA_SHA512,
  MECH_RSA_PKCS,
  MECH_SHA256_RSA_PKCS,
  MECH_SHA384_RSA_PKCS,
  MECH_SHA512_RSA_PKCS,
  MECH_RSA_PKCS_PSS,
  MECH_SHA256_RSA_PKCS_PSS,
  MECH_SHA384_RSA_PKCS_PSS,
  MECH_SHA512_RSA_PKCS_PSS,
  MECH_RSA_PKCS_OAEP,
  MECH_SHA256_HMAC,
  MECH_SHA384_HMAC,
  MECH_SHA512_HMAC,
  MECH_AES_GCM,
  MECH_AES_CBC_PAD,
  MECH_AES_KEY_WRAP,
  MECH_AES_KEY_WRAP_PAD,
  MECH_SHA256,
  MECH_SHA384,
  MECH_SHA512,
  MECH_ECDH1_DERIVE,
  MECH_EC_KEY_PAIR_GEN,
  MECH_RSA_PKCS_KEY_PAIR_GEN,
  MECH_AES_KEY_GEN,
  MECH_GENERIC_SECRET_KEY_GEN,
  MECH_OTHER
};

/* variant mechanism as a parameter, flattened (flatten_variant): the i32 discriminant, then per
 * position the join of what the cases' payloads flatten to there:
 *   pss-params       (i32 hash, i32 salt-length)
 *   oaep-params      (i32 hash, i32 label.ptr, i32 label.len)
 *   gcm-params       (i32 iv.ptr, i32 iv.len, i32 aad.ptr, i32 aad.len, i32 tag-bits)
 *   list<u8>         (i32 ptr, i32 len)
 *   ecdh-params      (i32 public-data.ptr, i32 .len, i32 kdf is-some, i32 kdf hash,
 *                     i32 shared-data.ptr, i32 .len)
 *   u64              (i64)
 * so position 0 is i64 (i32 joined with i64) and positions 1 to 5 i32: seven values,
 * (i32, i64, i32, i32, i32, i32, i32). A case's i32 at position 0 goes there zero-extended; the
 * positions a case does not use are 0. */
typedef struct {
  uint32_t tag;
  uint64_t p0;
  uint32_t p1, p2, p3, p4, p5;
} mech_flat;
#define MECH_PARAMS                                                                         \
  uint32_t mechanism_tag, uint64_t mechanism_0, uint32_t mechanism_1, uint32_t mechanism_2, \
      uint32_t mechanism_3, uint32_t mechanism_4, uint32_t mechanism_5
#define MECH_ARGS(m) (m).tag, (m).p0, (m).p1, (m).p2, (m).p3, (m).p4, (m).p5

/* variant mechanism in memory, for reference only: no function here takes more than 16 flat
 * parameters (the most is 13: verify and unwrap-key), so a mechanism is never passed through
 * memory. Tag u8 at 0; payloads (pss 8 bytes align 4, oaep 12/4, gcm 20/4, list 8/4, ecdh 20/4,
 * u64 8/8) at 8; 8 + 20 = 28, rounded to 8. */
typedef struct {
  uint8_t tag;
  union {
    struct {
      uint8_t hash;
      uint32_t salt_length;
    } pss;
    struct {
      uint8_t hash;
      p11_bytes label;
    } oaep;
    struct {
      p11_bytes iv;
      p11_bytes aad;
      uint32_t tag_bits;
    } gcm;
    p11_bytes iv;
    struct {
      p11_bytes public_data;
      struct {
        uint8_t is_some;
        uint8_t hash;
      } kdf;
      p11_bytes shared_data;
    } ecdh;
    uint64_t other;
  } val;
} p11_mechanism_in_memory;
_Static_assert(offsetof(p11_mechanism_in_memory, val) == 8, "mechanism payload");
_Static_assert(offsetof(p11_mechanism_in_memory, val.pss.salt_length) == 12, "pss salt-length");
_Static_assert(offsetof(p11_mechanism_in_memory, val.oaep.label) == 12, "oaep label");
_Static_assert(offsetof(p11_mechanism_in_memory, val.gcm.tag_bits) == 24, "gcm tag-bits");
_Static_assert(offsetof(p11_mechanism_in_memory, val.ecdh.kdf) == 16, "ecdh kdf");
_Static_assert(offsetof(p11_mechanism_in_memory, val.ecdh.shared_data) == 20, "ecdh shared-data");
_Static_assert(sizeof(p11_mechanism_in_memory) == 32 && _Alignof(p11_mechanism_in_memory) == 8,
               "mechanism size");

/* enum user-type and enum curve: passed as their case. */
enum { USER_USER, USER_SECURITY_OFFICER };
enum { CURVE_P256, CURVE_P384 };

/* ---- the imports: parameters flattened, every result through a return area passed last ----
 * None has more than 16 flat parameters (counting self); the counts are given where they come
 * near. */

P11_IMPORT("slots") void p11_slots(slots_ret*);
P11_IMPORT("token") void p11_token(uint64_t slot, token_ret*);
P11_IMPORT("mechanisms") void p11_mechanisms(uint64_t slot, list_ret*);
P11_IMPORT("describe-mechanism")
void p11_describe_mechanism(uint64_t slot, uint64_t mechanism, mechanism_info_ret*);
/* option<string> flattens to (is-some, ptr, len) */
P11_IMPORT("init-token")
void p11_init_token(uint64_t slot, uint32_t so_pin_is_some, const char* so_pin, size_t so_pin_len,
                    const char* label, size_t label_len, unit_ret*);

P11_IMPORT("[method]object.label") void object_label(uint32_t self, string_ret*);
P11_IMPORT("[method]object.ec-point") void object_ec_point(uint32_t self, bytes_ret*);
/* list<attribute-kind>: (ptr, len) of 16-byte p11_tagged_u64 */
P11_IMPORT("[method]object.attributes")
void object_attributes(uint32_t self, const p11_tagged_u64* kinds, size_t kinds_len, list_ret*);
/* list<attribute>: (ptr, len) of 24-byte p11_attribute */
P11_IMPORT("[method]object.set-attributes")
void object_set_attributes(uint32_t self, const p11_attribute* template, size_t template_len,
                           unit_ret*);
P11_IMPORT("[method]object.size") void object_size(uint32_t self, u64_ret*);
P11_IMPORT("[method]object.remove") void object_remove(uint32_t self, unit_ret*);

/* list<own<object>>: (ptr, len) of u32 handles */
P11_IMPORT("[method]search.next") void search_next(uint32_t self, uint32_t max, list_ret*);

P11_IMPORT("[method]encryptor.update")
void encryptor_update(uint32_t self, const uint8_t* data, size_t data_len, bytes_ret*);
P11_IMPORT("[method]encryptor.finish") void encryptor_finish(uint32_t self, bytes_ret*);
P11_IMPORT("[method]decryptor.update")
void decryptor_update(uint32_t self, const uint8_t* data, size_t data_len, bytes_ret*);
P11_IMPORT("[method]decryptor.finish") void decryptor_finish(uint32_t self, bytes_ret*);
P11_IMPORT("[method]signer.update")
void signer_update(uint32_t self, const uint8_t* data, size_t data_len, unit_ret*);
P11_IMPORT("[method]signer.finish") void signer_finish(uint32_t self, bytes_ret*);
P11_IMPORT("[method]verifier.update")
void verifier_update(uint32_t self, const uint8_t* data, size_t data_len, unit_ret*);
P11_IMPORT("[method]verifier.finish")
void verifier_finish(uint32_t self, const uint8_t* signature, size_t signature_len, bool_ret*);
P11_IMPORT("[method]digester.update")
void digester_update(uint32_t self, const uint8_t* data, size_t data_len, unit_ret*);
P11_IMPORT("[method]digester.finish") void digester_finish(uint32_t self, bytes_ret*);

P11_IMPORT("[static]session.open")
void session_open(uint64_t slot, uint32_t read_write, handle_ret*);
P11_IMPORT("[method]session.describe") void session_describe(uint32_t self, session_info_ret*);
P11_IMPORT("[method]session.login")
void session_login(uint32_t self, uint32_t user, uint32_t pin_is_some, const char* pin,
                   size_t pin_len, unit_ret*);
P11_IMPORT("[method]session.logout") void session_logout(uint32_t self, unit_ret*);
P11_IMPORT("[method]session.init-pin")
void session_init_pin(uint32_t self, uint32_t pin_is_some, const char* pin, size_t pin_len,
                      unit_ret*);
P11_IMPORT("[method]session.set-pin")
void session_set_pin(uint32_t self, uint32_t old_pin_is_some, const char* old_pin,
                     size_t old_pin_len, const char* new_pin, size_t new_pin_len, unit_ret*);
/* key-options flattens to label (ptr, len), id (ptr, len), persistent, extractable, sensitive */
P11_IMPORT("[method]session.generate-ec-key-pair")
void session_generate_ec_key_pair(uint32_t self, uint32_t curve, const char* label,
                                  size_t label_len, const uint8_t* id, size_t id_len,
                                  uint32_t persistent, uint32_t extractable, uint32_t sensitive,
                                  key_pair_ret*);
/* 1 + 7 + 2 + 2 = 12 flat parameters */
P11_IMPORT("[method]session.generate-key-pair")
void session_generate_key_pair(uint32_t self, MECH_PARAMS, const p11_attribute* public_template,
                               size_t public_template_len, const p11_attribute* private_template,
                               size_t private_template_len, key_pair_ret*);
/* 1 + 7 + 2 = 10 */
P11_IMPORT("[method]session.generate-key")
void session_generate_key(uint32_t self, MECH_PARAMS, const p11_attribute* template,
                          size_t template_len, handle_ret*);
P11_IMPORT("[method]session.create-object")
void session_create_object(uint32_t self, const p11_attribute* template, size_t template_len,
                           handle_ret*);
P11_IMPORT("[method]session.copy-object")
void session_copy_object(uint32_t self, uint32_t source, const p11_attribute* template,
                         size_t template_len, handle_ret*);
P11_IMPORT("[method]session.find-objects")
void session_find_objects(uint32_t self, const p11_attribute* template, size_t template_len,
                          handle_ret*);
/* 1 + 7 + 1 + 2 = 11 */
P11_IMPORT("[method]session.sign")
void session_sign(uint32_t self, MECH_PARAMS, uint32_t key, const uint8_t* data, size_t data_len,
                  bytes_ret*);
/* 1 + 7 + 1 + 2 + 2 = 13 */
P11_IMPORT("[method]session.verify")
void session_verify(uint32_t self, MECH_PARAMS, uint32_t key, const uint8_t* data, size_t data_len,
                    const uint8_t* signature, size_t signature_len, bool_ret*);
/* 11 each */
P11_IMPORT("[method]session.encrypt")
void session_encrypt(uint32_t self, MECH_PARAMS, uint32_t key, const uint8_t* data, size_t data_len,
                     bytes_ret*);
P11_IMPORT("[method]session.decrypt")
void session_decrypt(uint32_t self, MECH_PARAMS, uint32_t key, const uint8_t* data, size_t data_len,
                     bytes_ret*);
/* 10 */
P11_IMPORT("[method]session.digest")
void session_digest(uint32_t self, MECH_PARAMS, const uint8_t* data, size_t data_len, bytes_ret*);
/* 9 each, the digester 8 */
P11_IMPORT("[method]session.encryptor")
void session_encryptor(uint32_t self, MECH_PARAMS, uint32_t key, handle_ret*);
P11_IMPORT("[method]session.decryptor")
void session_decryptor(uint32_t self, MECH_PARAMS, uint32_t key, handle_ret*);
P11_IMPORT("[method]session.signer")
void session_signer(uint32_t self, MECH_PARAMS, uint32_t key, handle_ret*);
P11_IMPORT("[method]session.verifier")
void session_verifier(uint32_t self, MECH_PARAMS, uint32_t key, handle_ret*);
P11_IMPORT("[method]session.digester")
void session_digester(uint32_t self, MECH_PARAMS, handle_ret*);
/* 10 */
P11_IMPORT("[method]session.wrap-key")
void session_wrap_key(uint32_t self, MECH_PARAMS, uint32_t wrapping_key, uint32_t key, bytes_ret*);
/* 1 + 7 + 1 + 2 + 2 = 13 */
P11_IMPORT("[method]session.unwrap-key")
void session_unwrap_key(uint32_t self, MECH_PARAMS, uint32_t unwrapping_key, const uint8_t* wrapped,
                        size_t wrapped_len, const p11_attribute* template, size_t template_len,
                        handle_ret*);
/* 1 + 7 + 1 + 2 = 11 */
P11_IMPORT("[method]session.derive-key")
void session_derive_key(uint32_t self, MECH_PARAMS, uint32_t base_key,
                        const p11_attribute* template, size_t template_len, handle_ret*);
P11_IMPORT("[method]session.generate-random")
void session_generate_random(uint32_t self, uint32_t length, bytes_ret*);
P11_IMPORT("[method]session.seed-random")
void session_seed_random(uint32_t self, const uint8_t* seed, size_t seed_len, unit_ret*);
P11_IMPORT("[method]session.close") void session_close(uint32_t self);

P11_IMPORT("[resource-drop]object") void object_drop(uint32_t handle);
P11_IMPORT("[resource-drop]search") void search_drop(uint32_t handle);
P11_IMPORT("[resource-drop]encryptor") void encryptor_drop(uint32_t handle);
P11_IMPORT("[resource-drop]decryptor") void decryptor_drop(uint32_t handle);
P11_IMPORT("[resource-drop]signer") void signer_drop(uint32_t handle);
P11_IMPORT("[resource-drop]verifier") void verifier_drop(uint32_t handle);
P11_IMPORT("[resource-drop]digester") void digester_drop(uint32_t handle);
P11_IMPORT("[resource-drop]session") void session_drop(uint32_t handle);

/* wasm-ld wraps every export of a command, cabi_realloc too, in calls to the constructors and
 * destructors, and the destructors flush stdout: a flush there would call fd_write while berth is
 * lowering a result, which the Canonical ABI forbids (the guest traps). So nothing may sit in
 * stdout's buffer when a call that returns lists or strings is made: each goes through here. */
#define CALL(expression) (fflush(stdout), expression)

/* Frees what the host allocated for a string or list; an empty one was never allocated. */
static inline void release(const void* ptr, size_t len) {
  if (len) free((void*)ptr);
}

#endif /* P11_ABI_H */
