/* A WASI command using pkcs11:token@0.1.0, with the imports declared by hand following the
 * Canonical ABI (there is no wit-bindgen for C here):
 *
 *   p11 [--keep-going] COMMAND...
 *
 * Runs each COMMAND in order, keeping a current session, a current key pair, a table of up to
 * 64 named objects (names of at most 63 bytes; a key pair named N is N.public and N.private;
 * storing under a name in use drops what it held), the current AAD of aes-gcm ("berth" at
 * first), one kept encryptor and "the buffer": the last signature, ciphertext or wrapped key.
 *   .slots                        "slot ID: DESCRIPTION | MANUFACTURER | token present|absent"
 *                                 per slot, or "no slots"
 *   .token SLOT                   "token LABEL | MANUFACTURER | MODEL | serial SERIAL", then
 *                                 "flags: NAME..." and "pin length MIN to MAX"
 *   .mechanisms SLOT [HEX...]     "N mechanisms", then "HEX yes|no" per HEX (0x1087...): whether
 *                                 the token has that mechanism
 *   .mechanism-info SLOT HEX      "key size MIN to MAX, flags: NAME..."
 *   .init-token SLOT LABEL        initialises the token with the configuration's SO PIN:
 *                                 "token initialised"
 *   .init-token-pin SLOT SOPIN LABEL   the same with SOPIN
 *   .open SLOT rw|ro              opens a session (dropping the current one first)
 *   .session-info                 "slot ID, STATE, rw|ro"
 *   .login user|so                logs in with the configuration's PIN
 *   .login-pin user|so PIN        logs in with PIN
 *   .logout
 *   .init-pin                     sets the user PIN to the configuration's: "pin initialised"
 *   .init-pin-with PIN            sets it to PIN: "pin initialised"
 *   .set-pin OLD NEW              changes the PIN (OLD "-": the configuration's): "pin changed"
 *   .generate p256|p384 LABEL [FLAG...]
 *                                 generates an EC key pair (generate-ec-key-pair) that becomes the
 *                                 current one and is stored as LABEL.public and LABEL.private;
 *                                 prints "generated LABEL: N-byte public point"
 *   .labels                       "public LABEL, private LABEL" of the current pair
 *   .sign MECH MESSAGE            signs MESSAGE's bytes with the current private key: the buffer
 *   .sign-public MECH MESSAGE     the same with the public key (which cannot sign)
 *   .verify MECH MESSAGE          checks the buffer with the current public key: "valid|invalid"
 *   .random N                     "N random bytes", then " (not all zero)" when one is not
 *   .seed TEXT                    seed-random: "seeded"
 *   .genkey NAME aes|generic BYTES [FLAG...]
 *                                 generate-key (aes-key-gen: encrypt, decrypt, wrap, unwrap;
 *                                 generic-secret-key-gen: sign, verify, derive): stores NAME,
 *                                 "generated key NAME"
 *   .genpair NAME rsa BITS [FLAG...]
 *   .genpair NAME ec p256|p384 [FLAG...]
 *                                 generate-key-pair: stores NAME.public and NAME.private,
 *                                 "generated pair NAME"
 *   .create-data NAME TEXT [persistent]   a data object valued TEXT: "created NAME"
 *   .create-aes NAME HEX [FLAG...]        an AES key valued HEX (encrypt, decrypt): "created NAME"
 *   .copy NAME NEW [LABEL]        copy-object, relabelled when LABEL is given: "copied NEW"
 *   .find LABEL                   the objects labelled LABEL, stored as found0, found1...:
 *                                 "found N", then "foundI: CLASS" per object
 *   .find-all                     the same for every object the session sees
 *   .attrs NAME KIND...           "KIND=VALUE" per attribute (KIND: a case of attribute-kind, or
 *                                 0xHEX for other); bools true|false, numbers in decimal, text as
 *                                 it is, bytes as "N bytes", classes and key types by case name
 *                                 ("other 0xHEX"), other attributes as "other=0xKIND N bytes"
 *   .set NAME label=TEXT|extractable=true|false|sensitive=true|false   "set"
 *   .size NAME                    "N bytes on the token" (or "size unknown")
 *   .remove NAME                  removes the object from the token: "removed NAME" (the name
 *                                 keeps its handle)
 *   .drop-object NAME             drops the handle and forgets the name: "dropped NAME"
 *   .sign-key NAME MECH TEXT      signs TEXT with NAME: the buffer, "signature N bytes"
 *   .verify-key NAME MECH TEXT    checks the buffer with NAME: "valid|invalid"
 *   .encrypt NAME MECH TEXT       the buffer, "ciphertext N bytes"
 *   .decrypt NAME MECH            decrypts the buffer: "plaintext: TEXT"
 *   .tamper                       flips the lowest bit of the buffer's first byte: "tampered"
 *   .digest MECH TEXT             "digest HEX"
 *   .encrypt-parts NAME MECH TEXT...   an encryptor fed each TEXT (up to the next argument that
 *                                 starts with '.'): the buffer, "ciphertext N bytes in K parts"
 *   .decrypt-parts NAME MECH K    a decryptor fed the buffer in K near-equal parts:
 *                                 "plaintext: TEXT"
 *   .sign-parts NAME MECH TEXT... a signer: the buffer, "signature N bytes in K parts"
 *   .verify-parts NAME MECH TEXT...   a verifier checking the buffer: "valid|invalid"
 *   .digest-parts MECH TEXT...    a digester: "digest HEX"
 *   .begin-encrypt NAME MECH      keeps an encryptor (dropping the one kept before): "encrypting"
 *   .update TEXT                  feeds it TEXT: "N bytes out"
 *   .finish                       finishes and drops it: "N bytes out, finished"
 *   .drop-encryptor               drops it unfinished: "encryptor dropped"
 *   .wrap WRAPPING MECH KEY       wrap-key: the buffer, "wrapped N bytes"
 *   .unwrap UNWRAPPING MECH NEW   unwrap-key of the buffer into an AES key (encrypt, decrypt)
 *                                 stored as NEW: "unwrapped NEW"
 *   .derive NAME PEER NEW         ecdh1-derive with NAME.private and the point of PEER.public
 *                                 into a 32-byte generic secret (sign, verify) stored as NEW:
 *                                 "derived NEW"
 *   .aad TEXT                     makes TEXT the AAD of aes-gcm (prints nothing)
 *   .close                        closes the session, keeping its handle
 *   .drop                         drops the session's handle
 *   .trap                         makes the guest trap
 * where FLAG is persistent (token), extractable or not-sensitive, and MECH is a case of
 * mechanism with fixed parameters: ecdsa, ecdsa-sha256, ecdsa-sha384, ecdsa-sha512, rsa-pkcs,
 * sha256-rsa-pkcs, sha384-rsa-pkcs, sha512-rsa-pkcs, rsa-pkcs-pss (sha256, salt 32),
 * sha256-rsa-pkcs-pss (sha256, 32), sha384-rsa-pkcs-pss (sha384, 48), sha512-rsa-pkcs-pss
 * (sha512, 64), rsa-pkcs-oaep (sha256, no label), rsa-pkcs-oaep-sha1 (sha1: SoftHSM 2.6's only),
 * sha256-hmac, sha384-hmac, sha512-hmac, aes-gcm (IV 01 02 .. 0c, the current AAD, 128-bit tag),
 * aes-cbc-pad (IV of 16 bytes 02), aes-key-wrap, aes-key-wrap-pad, sha256, sha384, sha512,
 * ec-key-pair-gen, rsa-pkcs-key-pair-gen, aes-key-gen, generic-secret-key-gen, or 0xHEX for
 * other(HEX). An error result prints "p11: error: CASE" (the WIT case name) to stdout and exits 1,
 * at once or, with --keep-going, after the rest; so does a command that needs a session, a key
 * pair, an object name, an encryptor or the buffer when there is none (its message, e.g. "p11:
 * .size: no object NAME", going to stderr). An unknown command or missing arguments exits 2. */
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

/* flags mechanism-flags, in WIT order: bit N is flag N (14 flags, so a u16 in memory) */
static const char* const mechanism_flag_names[] = {
    "hw",           "encrypt", "decrypt",        "digest",   "sign",
    "sign-recover", "verify",  "verify-recover", "generate", "generate-key-pair",
    "wrap",         "unwrap",  "derive",         "extension"};
_Static_assert(sizeof mechanism_flag_names / sizeof mechanism_flag_names[0] == 14,
               "mechanism-flags");

/* record mechanism-info */
typedef struct {
  uint64_t min_key_size;
  uint64_t max_key_size;
  uint16_t flags;
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

/* enum session-state (5 cases: a u8) */
static const char* const session_state_names[] = {"read-only-public", "read-only-user",
                                                  "read-write-public", "read-write-user",
                                                  "read-write-security-officer"};

/* record session-info */
typedef struct {
  uint64_t slot;
  uint8_t state;
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

enum {
  CLASS_DATA,
  CLASS_CERTIFICATE,
  CLASS_PUBLIC_KEY,
  CLASS_PRIVATE_KEY,
  CLASS_SECRET_KEY,
  CLASS_OTHER = 9
};
static const char* const object_class_names[] = {
    "data",       "certificate",       "public-key", "private-key", "secret-key",
    "hw-feature", "domain-parameters", "mechanism",  "otp-key",     "other"};
_Static_assert(sizeof object_class_names / sizeof object_class_names[0] == CLASS_OTHER + 1,
               "object-class");

enum { KEY_TYPE_GENERIC_SECRET = 4, KEY_TYPE_AES = 6, KEY_TYPE_OTHER = 11 };
static const char* const key_type_names[] = {
    "rsa", "dsa",         "dh",          "ec",          "generic-secret", "des3",
    "aes", "sha256-hmac", "sha384-hmac", "sha512-hmac", "ec-edwards",     "other"};
_Static_assert(sizeof key_type_names / sizeof key_type_names[0] == KEY_TYPE_OTHER + 1, "key-type");

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

/* ---- the state ---- */

#define MAX_OBJECTS 64
#define MAX_NAME 63

typedef struct {
  char name[MAX_NAME + 1];
  uint32_t handle; /* 0: a free entry */
} named_object;

typedef struct {
  uint32_t session;                 /* 0: none */
  uint32_t public_key, private_key; /* 0: no key pair */
  uint8_t* buffer;                  /* the last signature, ciphertext or wrapped key */
  size_t buffer_len;
  uint32_t encryptor; /* the one .begin-encrypt keeps; 0: none */
  const char* aad;    /* of aes-gcm */
  named_object objects[MAX_OBJECTS];
} state;

/* Replaces the buffer with `len` bytes at `ptr`, allocated by the host or by us (or none when
 * `len` is 0). */
static void set_buffer(state* s, uint8_t* ptr, size_t len) {
  release(s->buffer, s->buffer_len);
  s->buffer = ptr;
  s->buffer_len = len;
}

/* An object handle can be both a named object and one of the current pair (.generate): it is
 * dropped once neither holds it. */
static void unref(state* s, uint32_t handle) {
  if (handle == 0 || handle == s->public_key || handle == s->private_key) return;
  for (size_t i = 0; i < MAX_OBJECTS; ++i) {
    if (s->objects[i].handle == handle) return;
  }
  object_drop(handle);
}

static void drop_key_pair(state* s) {
  uint32_t public_key = s->public_key, private_key = s->private_key;
  s->public_key = s->private_key = 0;
  unref(s, public_key);
  unref(s, private_key);
}

static named_object* find_name(state* s, const char* name) {
  for (size_t i = 0; i < MAX_OBJECTS; ++i) {
    if (s->objects[i].handle && strcmp(s->objects[i].name, name) == 0) return &s->objects[i];
  }
  return NULL;
}

static uint32_t lookup(state* s, const char* name) {
  named_object* entry = find_name(s, name);
  return entry ? entry->handle : 0;
}

/* Names `handle` `name`, dropping what the name held; 0 when the table is full or the name too
 * long (the handle is then the caller's still). */
static int store(state* s, const char* name, uint32_t handle) {
  if (strlen(name) > MAX_NAME) return 0;
  named_object* entry = find_name(s, name);
  if (entry == NULL) {
    for (size_t i = 0; i < MAX_OBJECTS && entry == NULL; ++i) {
      if (s->objects[i].handle == 0) entry = &s->objects[i];
    }
    if (entry == NULL) return 0;
    strcpy(entry->name, name);
    entry->handle = 0;
  }
  uint32_t old = entry->handle;
  entry->handle = handle;
  unref(s, old);
  return 1;
}

/* `name` with `suffix` (".public", ".private") in `out`, of MAX_NAME + 1 bytes; an empty name
 * (which no object has) when the two do not fit. */
static const char* suffixed(char* out, const char* name, const char* suffix) {
  if (strlen(name) + strlen(suffix) > MAX_NAME)
    out[0] = '\0';
  else
    snprintf(out, MAX_NAME + 1, "%s%s", name, suffix);
  return out;
}

static int no_object(const char* command, const char* name) {
  fflush(stdout);
  fprintf(stderr, "p11: %s: no object %s\n", command, name);
  return 1;
}

/* Stores a new handle as `name`, or reports that it cannot and drops it. */
static int keep(state* s, const char* command, const char* name, uint32_t handle) {
  if (store(s, name, handle)) return 0;
  unref(s, handle);
  fflush(stdout);
  fprintf(stderr, "p11: %s: no room for %s\n", command, name);
  return 1;
}

/* ---- bytes ---- */

typedef struct {
  uint8_t* ptr;
  size_t len;
} byte_buffer;

static void append(byte_buffer* out, const uint8_t* data, size_t len) {
  if (len == 0) return;
  uint8_t* grown = realloc(out->ptr, out->len + len);
  if (grown == NULL) abort();
  memcpy(grown + out->len, data, len);
  out->ptr = grown;
  out->len += len;
}

/* Appends a list the host made and frees it. */
static void take(byte_buffer* out, p11_bytes list) {
  append(out, list.ptr, list.len);
  release(list.ptr, list.len);
}

static void print_hex(const uint8_t* data, size_t len) {
  for (size_t i = 0; i < len; ++i) printf("%02x", data[i]);
}

static const uint8_t* text_bytes(const char* text) {
  return (const uint8_t*)text;
}

/* ---- parsing arguments ---- */

static int parse_u64(const char* text, uint64_t* out) {
  char* end;
  if (text[0] < '0' || text[0] > '9') return 0;
  *out = strtoull(text, &end, 0);
  return *end == '\0';
}

static int is_hex_number(const char* text) {
  return text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
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

static int parse_bool(const char* text, int* out) {
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
static int parse_hex_bytes(const char* text, byte_buffer* out) {
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

/* A MECH word (see the top) flattened; 0 when it is none. */
static int parse_mechanism(const state* s, const char* text, mech_flat* out) {
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
      out->p2 = address(s->aad);
      out->p3 = (uint32_t)strlen(s->aad);
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
static mech_flat ecdh_mechanism(const uint8_t* public_data, size_t public_data_len) {
  mech_flat out = {0};
  out.tag = MECH_ECDH1_DERIVE;
  out.p0 = address(public_data);
  out.p1 = (uint32_t)public_data_len;
  return out; /* p2 (kdf is-some), p3 (its hash), p4 and p5 (shared-data) stay 0 */
}

/* The flags generated or created keys may take. */
typedef struct {
  int persistent, extractable, not_sensitive;
} key_flags;

/* Reads FLAG words from args[from]; returns the index of the first that is none. */
static int parse_flags(char** args, int left, int from, key_flags* flags) {
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
static int words(char** args, int left, int from) {
  int end = from;
  while (end < left && args[end][0] != '.') ++end;
  return end - from;
}

/* ---- templates: lists of attributes in our memory ---- */

#define TEMPLATE_MAX 16

typedef struct {
  p11_attribute items[TEMPLATE_MAX];
  size_t count;
} p11_template;

static p11_attribute* add(p11_template* t, uint8_t tag) {
  if (t->count == TEMPLATE_MAX) abort();
  p11_attribute* a = &t->items[t->count++];
  memset(a, 0, sizeof *a);
  a->tag = tag;
  return a;
}

static void add_flag(p11_template* t, uint8_t tag, int value) {
  add(t, tag)->val.flag = value ? 1 : 0;
}

static void add_number(p11_template* t, uint8_t tag, uint64_t value) {
  add(t, tag)->val.number = value;
}

static void add_text(p11_template* t, uint8_t tag, const char* text) {
  p11_attribute* a = add(t, tag);
  a->val.text.ptr = text;
  a->val.text.len = strlen(text);
}

static void add_bytes(p11_template* t, uint8_t tag, const uint8_t* data, size_t len) {
  p11_attribute* a = add(t, tag);
  a->val.bytes.ptr = data;
  a->val.bytes.len = len;
}

/* class(object-class) or key-type(key-type), a case without a payload */
static void add_case(p11_template* t, uint8_t tag, uint8_t value) {
  add(t, tag)->val.class_.tag = value;
}

static void add_key_flags(p11_template* t, const key_flags* flags) {
  if (flags->persistent) add_flag(t, ATTR_TOKEN, 1);
  if (flags->extractable) add_flag(t, ATTR_EXTRACTABLE, 1);
  if (flags->not_sensitive) add_flag(t, ATTR_SENSITIVE, 0);
}

/* Frees what the host allocated in an attribute it returned. */
static void release_attribute(const p11_attribute* a) {
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

static void print_attribute(const p11_attribute* a) {
  if (a->tag > ATTR_OTHER) {
    printf("unknown case %u\n", a->tag);
    return;
  }
  printf("%s=", attribute_names[a->tag]);
  switch (a->tag) {
    case ATTR_CLASS:
      print_case(&a->val.class_, object_class_names, CLASS_OTHER);
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

/* ---- the commands ---- */

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

/* `hex` holds the numbers to look for, already checked. */
static int list_mechanisms(uint64_t slot, char** hex, int count) {
  list_ret ret;
  CALL(p11_mechanisms(slot, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  const uint64_t* mechanisms = ret.val.ok.ptr;
  printf("%zu mechanisms\n", ret.val.ok.len);
  for (int j = 0; j < count; ++j) {
    uint64_t wanted = 0;
    parse_u64(hex[j], &wanted);
    int found = 0;
    for (size_t k = 0; k < ret.val.ok.len && !found; ++k) found = mechanisms[k] == wanted;
    printf("%s %s\n", hex[j], found ? "yes" : "no");
  }
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

static int describe_mechanism(uint64_t slot, uint64_t mechanism) {
  mechanism_info_ret ret;
  CALL(p11_describe_mechanism(slot, mechanism, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  printf("key size %" PRIu64 " to %" PRIu64 ", flags:", ret.val.ok.min_key_size,
         ret.val.ok.max_key_size);
  for (unsigned f = 0; f < sizeof mechanism_flag_names / sizeof mechanism_flag_names[0]; ++f) {
    if (ret.val.ok.flags & (1u << f)) printf(" %s", mechanism_flag_names[f]);
  }
  printf("\n");
  return 0;
}

static int init_token(uint64_t slot, const char* so_pin, const char* label) {
  unit_ret ret;
  CALL(p11_init_token(slot, so_pin != NULL, so_pin, so_pin ? strlen(so_pin) : 0, label,
                      strlen(label), &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("token initialised\n");
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

static int show_session(state* s) {
  session_info_ret ret;
  CALL(session_describe(s->session, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  const p11_session_info* info = &ret.val.ok;
  printf("slot %" PRIu64 ", ", info->slot);
  if (info->state < sizeof session_state_names / sizeof session_state_names[0])
    printf("%s", session_state_names[info->state]);
  else
    printf("unknown state %u", info->state);
  printf(", %s\n", info->read_write ? "rw" : "ro");
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

static int init_pin(state* s, const char* pin) {
  unit_ret ret;
  CALL(session_init_pin(s->session, pin != NULL, pin, pin ? strlen(pin) : 0, &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("pin initialised\n");
  return 0;
}

static int set_pin(state* s, const char* old_pin, const char* new_pin) {
  unit_ret ret;
  CALL(session_set_pin(s->session, old_pin != NULL, old_pin, old_pin ? strlen(old_pin) : 0, new_pin,
                       strlen(new_pin), &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("pin changed\n");
  return 0;
}

static int generate(state* s, uint32_t curve, const char* label, const key_flags* flags) {
  key_pair_ret ret;
  CALL(session_generate_ec_key_pair(s->session, curve, label, strlen(label), NULL, 0,
                                    (uint32_t)flags->persistent, (uint32_t)flags->extractable,
                                    (uint32_t)!flags->not_sensitive, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  drop_key_pair(s);
  s->public_key = ret.val.ok.public_key;
  s->private_key = ret.val.ok.private_key;
  /* Named too, when the names fit and there is room (quietly otherwise: the pair is current). */
  char name[MAX_NAME + 1];
  if (*suffixed(name, label, ".public")) store(s, name, s->public_key);
  if (*suffixed(name, label, ".private")) store(s, name, s->private_key);
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

static int generate_key(state* s, const char* name, int aes, uint64_t bytes,
                        const key_flags* flags) {
  p11_template t = {0};
  add_text(&t, ATTR_LABEL, name);
  add_number(&t, ATTR_VALUE_LEN, bytes);
  if (aes) {
    add_flag(&t, ATTR_ENCRYPT, 1);
    add_flag(&t, ATTR_DECRYPT, 1);
    add_flag(&t, ATTR_WRAP, 1);
    add_flag(&t, ATTR_UNWRAP, 1);
  } else {
    add_flag(&t, ATTR_SIGN, 1);
    add_flag(&t, ATTR_VERIFY, 1);
    add_flag(&t, ATTR_DERIVE, 1);
  }
  add_key_flags(&t, flags);
  mech_flat mechanism = {0};
  mechanism.tag = aes ? MECH_AES_KEY_GEN : MECH_GENERIC_SECRET_KEY_GEN;
  handle_ret ret;
  CALL(session_generate_key(s->session, MECH_ARGS(mechanism), t.items, t.count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  if (keep(s, ".genkey", name, ret.val.handle)) return 1;
  printf("generated key %s\n", name);
  return 0;
}

static const uint8_t rsa_public_exponent[] = {0x01, 0x00, 0x01};
static const uint8_t p256_oid[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t p384_oid[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};

/* An RSA pair of `bits` when `curve` is NULL, else an EC pair on it (p256_oid, p384_oid). */
static int generate_pair(state* s, const char* name, uint64_t bits, const uint8_t* curve,
                         size_t curve_len, const key_flags* flags) {
  p11_template public_template = {0}, private_template = {0};
  add_text(&public_template, ATTR_LABEL, name);
  add_text(&private_template, ATTR_LABEL, name);
  mech_flat mechanism = {0};
  if (curve == NULL) {
    mechanism.tag = MECH_RSA_PKCS_KEY_PAIR_GEN;
    add_number(&public_template, ATTR_MODULUS_BITS, bits);
    add_bytes(&public_template, ATTR_PUBLIC_EXPONENT, rsa_public_exponent,
              sizeof rsa_public_exponent);
    add_flag(&public_template, ATTR_ENCRYPT, 1);
    add_flag(&public_template, ATTR_VERIFY, 1);
    add_flag(&public_template, ATTR_WRAP, 1);
    add_flag(&private_template, ATTR_DECRYPT, 1);
    add_flag(&private_template, ATTR_SIGN, 1);
    add_flag(&private_template, ATTR_UNWRAP, 1);
  } else {
    mechanism.tag = MECH_EC_KEY_PAIR_GEN;
    add_bytes(&public_template, ATTR_EC_PARAMS, curve, curve_len);
    add_flag(&public_template, ATTR_VERIFY, 1);
    add_flag(&private_template, ATTR_SIGN, 1);
    add_flag(&private_template, ATTR_DERIVE, 1);
  }
  if (flags->persistent) add_flag(&public_template, ATTR_TOKEN, 1);
  add_key_flags(&private_template, flags);
  key_pair_ret ret;
  CALL(session_generate_key_pair(s->session, MECH_ARGS(mechanism), public_template.items,
                                 public_template.count, private_template.items,
                                 private_template.count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  char public_name[MAX_NAME + 1], private_name[MAX_NAME + 1];
  int status = keep(s, ".genpair", suffixed(public_name, name, ".public"), ret.val.ok.public_key);
  status |= keep(s, ".genpair", suffixed(private_name, name, ".private"), ret.val.ok.private_key);
  if (status) return status;
  printf("generated pair %s\n", name);
  return 0;
}

static int create_object(state* s, const char* command, const char* name, const p11_template* t) {
  handle_ret ret;
  CALL(session_create_object(s->session, t->items, t->count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  if (keep(s, command, name, ret.val.handle)) return 1;
  printf("created %s\n", name);
  return 0;
}

static int create_data(state* s, const char* name, const char* text, int persistent) {
  p11_template t = {0};
  add_case(&t, ATTR_CLASS, CLASS_DATA);
  add_text(&t, ATTR_LABEL, name);
  add_bytes(&t, ATTR_VALUE, text_bytes(text), strlen(text));
  if (persistent) add_flag(&t, ATTR_TOKEN, 1);
  return create_object(s, ".create-data", name, &t);
}

static int create_aes(state* s, const char* name, const byte_buffer* value,
                      const key_flags* flags) {
  p11_template t = {0};
  add_case(&t, ATTR_CLASS, CLASS_SECRET_KEY);
  add_case(&t, ATTR_KEY_TYPE, KEY_TYPE_AES);
  add_text(&t, ATTR_LABEL, name);
  add_bytes(&t, ATTR_VALUE, value->ptr, value->len);
  add_flag(&t, ATTR_ENCRYPT, 1);
  add_flag(&t, ATTR_DECRYPT, 1);
  add_key_flags(&t, flags);
  return create_object(s, ".create-aes", name, &t);
}

static int copy_object(state* s, uint32_t source, const char* new_name, const char* label) {
  p11_template t = {0};
  if (label) add_text(&t, ATTR_LABEL, label);
  handle_ret ret;
  CALL(session_copy_object(s->session, source, t.items, t.count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  if (keep(s, ".copy", new_name, ret.val.handle)) return 1;
  printf("copied %s\n", new_name);
  return 0;
}

/* .find LABEL (`label` NULL: .find-all) */
static int find_objects(state* s, const char* command, const char* label) {
  p11_template t = {0};
  if (label) add_text(&t, ATTR_LABEL, label);
  handle_ret ret;
  CALL(session_find_objects(s->session, t.items, t.count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t search = ret.val.handle;
  uint32_t* found = NULL;
  size_t count = 0;
  for (;;) {
    list_ret next;
    CALL(search_next(search, 16, &next));
    if (next.is_err) {
      search_drop(search);
      for (size_t i = 0; i < count; ++i) object_drop(found[i]);
      free(found);
      return failed(&next.val.err);
    }
    if (next.val.ok.len == 0) break;
    uint32_t* grown = realloc(found, (count + next.val.ok.len) * sizeof *found);
    if (grown == NULL) abort();
    found = grown;
    memcpy(found + count, next.val.ok.ptr, next.val.ok.len * sizeof *found);
    count += next.val.ok.len;
    release(next.val.ok.ptr, next.val.ok.len);
  }
  search_drop(search);
  int status = 0;
  char name[MAX_NAME + 1];
  for (size_t i = 0; i < count; ++i) {
    snprintf(name, sizeof name, "found%zu", i);
    status |= keep(s, command, name, found[i]);
  }
  free(found);
  if (status) return status;
  printf("found %zu\n", count);
  for (size_t i = 0; i < count; ++i) {
    snprintf(name, sizeof name, "found%zu", i);
    p11_tagged_u64 kind = {ATTR_CLASS, 0};
    list_ret attributes;
    CALL(object_attributes(lookup(s, name), &kind, 1, &attributes));
    if (attributes.is_err) return failed(&attributes.val.err);
    const p11_attribute* read = attributes.val.ok.ptr;
    printf("%s: ", name);
    if (attributes.val.ok.len == 1 && read[0].tag == ATTR_CLASS)
      print_case(&read[0].val.class_, object_class_names, CLASS_OTHER);
    else
      printf("no class");
    printf("\n");
    for (size_t j = 0; j < attributes.val.ok.len; ++j) release_attribute(&read[j]);
    release(attributes.val.ok.ptr, attributes.val.ok.len);
  }
  return 0;
}

static int show_attributes(uint32_t object, const p11_tagged_u64* kinds, size_t count) {
  list_ret ret;
  CALL(object_attributes(object, kinds, count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  const p11_attribute* read = ret.val.ok.ptr;
  for (size_t i = 0; i < ret.val.ok.len; ++i) {
    print_attribute(&read[i]);
    release_attribute(&read[i]);
  }
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

static int set_attributes(uint32_t object, const p11_template* t) {
  unit_ret ret;
  CALL(object_set_attributes(object, t->items, t->count, &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("set\n");
  return 0;
}

static int object_size_of(uint32_t object) {
  u64_ret ret;
  CALL(object_size(object, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  if (ret.val.ok.is_some) {
    printf("%" PRIu64 " bytes on the token\n", ret.val.ok.val);
  } else {
    printf("size unknown\n");
  }
  return 0;
}

static int remove_object(uint32_t object, const char* name) {
  unit_ret ret;
  CALL(object_remove(object, &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("removed %s\n", name);
  return 0;
}

static void drop_object(state* s, named_object* entry) {
  uint32_t handle = entry->handle;
  entry->handle = 0;
  /* A handle of the current pair: the pair goes with it. */
  if (handle == s->public_key || handle == s->private_key) {
    uint32_t other = handle == s->public_key ? s->private_key : s->public_key;
    s->public_key = s->private_key = 0;
    unref(s, other);
  }
  object_drop(handle);
}

static int sign(state* s, const mech_flat* mechanism, uint32_t key, const char* message) {
  bytes_ret ret;
  CALL(session_sign(s->session, MECH_ARGS(*mechanism), key, text_bytes(message), strlen(message),
                    &ret));
  if (ret.is_err) return failed(&ret.val.err);
  set_buffer(s, (uint8_t*)ret.val.ok.ptr, ret.val.ok.len);
  printf("signature %zu bytes\n", s->buffer_len);
  return 0;
}

static int verify(state* s, const mech_flat* mechanism, uint32_t key, const char* message) {
  bool_ret ret;
  CALL(session_verify(s->session, MECH_ARGS(*mechanism), key, text_bytes(message), strlen(message),
                      s->buffer, s->buffer_len, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  printf("%s\n", ret.val.ok ? "valid" : "invalid");
  return 0;
}

static int encrypt(state* s, const mech_flat* mechanism, uint32_t key, const char* text) {
  bytes_ret ret;
  CALL(session_encrypt(s->session, MECH_ARGS(*mechanism), key, text_bytes(text), strlen(text),
                       &ret));
  if (ret.is_err) return failed(&ret.val.err);
  set_buffer(s, (uint8_t*)ret.val.ok.ptr, ret.val.ok.len);
  printf("ciphertext %zu bytes\n", s->buffer_len);
  return 0;
}

static int decrypt(state* s, const mech_flat* mechanism, uint32_t key) {
  bytes_ret ret;
  CALL(session_decrypt(s->session, MECH_ARGS(*mechanism), key, s->buffer, s->buffer_len, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  printf("plaintext: %.*s\n", (int)ret.val.ok.len, (const char*)ret.val.ok.ptr);
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

static int digest(state* s, const mech_flat* mechanism, const char* text) {
  bytes_ret ret;
  CALL(session_digest(s->session, MECH_ARGS(*mechanism), text_bytes(text), strlen(text), &ret));
  if (ret.is_err) return failed(&ret.val.err);
  printf("digest ");
  print_hex(ret.val.ok.ptr, ret.val.ok.len);
  printf("\n");
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

static int encrypt_parts(state* s, const mech_flat* mechanism, uint32_t key, char** texts,
                         int count) {
  handle_ret ret;
  CALL(session_encryptor(s->session, MECH_ARGS(*mechanism), key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t encryptor = ret.val.handle;
  byte_buffer out = {0};
  bytes_ret part = {0};
  for (int i = 0; i < count && !part.is_err; ++i) {
    CALL(encryptor_update(encryptor, text_bytes(texts[i]), strlen(texts[i]), &part));
    if (!part.is_err) take(&out, part.val.ok);
  }
  if (!part.is_err) CALL(encryptor_finish(encryptor, &part));
  encryptor_drop(encryptor);
  if (part.is_err) {
    free(out.ptr);
    return failed(&part.val.err);
  }
  take(&out, part.val.ok);
  set_buffer(s, out.ptr, out.len);
  printf("ciphertext %zu bytes in %d parts\n", out.len, count);
  return 0;
}

static int decrypt_parts(state* s, const mech_flat* mechanism, uint32_t key, uint64_t count) {
  handle_ret ret;
  CALL(session_decryptor(s->session, MECH_ARGS(*mechanism), key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t decryptor = ret.val.handle;
  byte_buffer out = {0};
  bytes_ret part = {0};
  for (uint64_t i = 0; i < count && !part.is_err; ++i) {
    size_t from = (size_t)(s->buffer_len * i / count);
    size_t to = (size_t)(s->buffer_len * (i + 1) / count);
    CALL(decryptor_update(decryptor, s->buffer ? s->buffer + from : NULL, to - from, &part));
    if (!part.is_err) take(&out, part.val.ok);
  }
  if (!part.is_err) CALL(decryptor_finish(decryptor, &part));
  decryptor_drop(decryptor);
  if (part.is_err) {
    free(out.ptr);
    return failed(&part.val.err);
  }
  take(&out, part.val.ok);
  printf("plaintext: %.*s\n", (int)out.len, (const char*)out.ptr);
  free(out.ptr);
  return 0;
}

static int sign_parts(state* s, const mech_flat* mechanism, uint32_t key, char** texts, int count) {
  handle_ret ret;
  CALL(session_signer(s->session, MECH_ARGS(*mechanism), key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t signer = ret.val.handle;
  for (int i = 0; i < count; ++i) {
    unit_ret updated;
    CALL(signer_update(signer, text_bytes(texts[i]), strlen(texts[i]), &updated));
    if (updated.is_err) {
      signer_drop(signer);
      return failed(&updated.err);
    }
  }
  bytes_ret signature;
  CALL(signer_finish(signer, &signature));
  signer_drop(signer);
  if (signature.is_err) return failed(&signature.val.err);
  set_buffer(s, (uint8_t*)signature.val.ok.ptr, signature.val.ok.len);
  printf("signature %zu bytes in %d parts\n", s->buffer_len, count);
  return 0;
}

static int verify_parts(state* s, const mech_flat* mechanism, uint32_t key, char** texts,
                        int count) {
  handle_ret ret;
  CALL(session_verifier(s->session, MECH_ARGS(*mechanism), key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t verifier = ret.val.handle;
  for (int i = 0; i < count; ++i) {
    unit_ret updated;
    CALL(verifier_update(verifier, text_bytes(texts[i]), strlen(texts[i]), &updated));
    if (updated.is_err) {
      verifier_drop(verifier);
      return failed(&updated.err);
    }
  }
  bool_ret valid;
  CALL(verifier_finish(verifier, s->buffer, s->buffer_len, &valid));
  verifier_drop(verifier);
  if (valid.is_err) return failed(&valid.val.err);
  printf("%s\n", valid.val.ok ? "valid" : "invalid");
  return 0;
}

static int digest_parts(state* s, const mech_flat* mechanism, char** texts, int count) {
  handle_ret ret;
  CALL(session_digester(s->session, MECH_ARGS(*mechanism), &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t digester = ret.val.handle;
  for (int i = 0; i < count; ++i) {
    unit_ret updated;
    CALL(digester_update(digester, text_bytes(texts[i]), strlen(texts[i]), &updated));
    if (updated.is_err) {
      digester_drop(digester);
      return failed(&updated.err);
    }
  }
  bytes_ret hash;
  CALL(digester_finish(digester, &hash));
  digester_drop(digester);
  if (hash.is_err) return failed(&hash.val.err);
  printf("digest ");
  print_hex(hash.val.ok.ptr, hash.val.ok.len);
  printf("\n");
  release(hash.val.ok.ptr, hash.val.ok.len);
  return 0;
}

static void drop_encryptor(state* s) {
  if (s->encryptor) encryptor_drop(s->encryptor);
  s->encryptor = 0;
}

static int begin_encrypt(state* s, const mech_flat* mechanism, uint32_t key) {
  drop_encryptor(s); /* first: a session runs one encryption at a time */
  handle_ret ret;
  CALL(session_encryptor(s->session, MECH_ARGS(*mechanism), key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  s->encryptor = ret.val.handle;
  printf("encrypting\n");
  return 0;
}

static int update_encryptor(state* s, const char* text) {
  bytes_ret ret;
  CALL(encryptor_update(s->encryptor, text_bytes(text), strlen(text), &ret));
  if (ret.is_err) return failed(&ret.val.err);
  printf("%zu bytes out\n", ret.val.ok.len);
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

static int finish_encryptor(state* s) {
  bytes_ret ret;
  CALL(encryptor_finish(s->encryptor, &ret));
  drop_encryptor(s);
  if (ret.is_err) return failed(&ret.val.err);
  printf("%zu bytes out, finished\n", ret.val.ok.len);
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

static int wrap(state* s, const mech_flat* mechanism, uint32_t wrapping_key, uint32_t key) {
  bytes_ret ret;
  CALL(session_wrap_key(s->session, MECH_ARGS(*mechanism), wrapping_key, key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  set_buffer(s, (uint8_t*)ret.val.ok.ptr, ret.val.ok.len);
  printf("wrapped %zu bytes\n", s->buffer_len);
  return 0;
}

static int unwrap(state* s, const mech_flat* mechanism, uint32_t unwrapping_key,
                  const char* new_name) {
  p11_template t = {0};
  add_case(&t, ATTR_CLASS, CLASS_SECRET_KEY);
  add_case(&t, ATTR_KEY_TYPE, KEY_TYPE_AES);
  add_text(&t, ATTR_LABEL, new_name);
  add_flag(&t, ATTR_ENCRYPT, 1);
  add_flag(&t, ATTR_DECRYPT, 1);
  handle_ret ret;
  CALL(session_unwrap_key(s->session, MECH_ARGS(*mechanism), unwrapping_key, s->buffer,
                          s->buffer_len, t.items, t.count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  if (keep(s, ".unwrap", new_name, ret.val.handle)) return 1;
  printf("unwrapped %s\n", new_name);
  return 0;
}

static int derive(state* s, uint32_t base_key, uint32_t peer_public_key, const char* new_name) {
  bytes_ret point;
  CALL(object_ec_point(peer_public_key, &point));
  if (point.is_err) return failed(&point.val.err);
  p11_template t = {0};
  add_case(&t, ATTR_CLASS, CLASS_SECRET_KEY);
  add_case(&t, ATTR_KEY_TYPE, KEY_TYPE_GENERIC_SECRET);
  add_text(&t, ATTR_LABEL, new_name);
  add_number(&t, ATTR_VALUE_LEN, 32);
  add_flag(&t, ATTR_SIGN, 1);
  add_flag(&t, ATTR_VERIFY, 1);
  mech_flat mechanism = ecdh_mechanism(point.val.ok.ptr, point.val.ok.len);
  handle_ret ret;
  CALL(session_derive_key(s->session, MECH_ARGS(mechanism), base_key, t.items, t.count, &ret));
  release(point.val.ok.ptr, point.val.ok.len);
  if (ret.is_err) return failed(&ret.val.err);
  if (keep(s, ".derive", new_name, ret.val.handle)) return 1;
  printf("derived %s\n", new_name);
  return 0;
}

static int seed(state* s, const char* text) {
  unit_ret ret;
  CALL(session_seed_random(s->session, text_bytes(text), strlen(text), &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("seeded\n");
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

/* ---- the command line ---- */

static int is(const char* name, const char* command) {
  return strcmp(name, command) == 0;
}

/* The commands that need the session (checked once their arguments are). */
static const char* const session_commands[] = {
    ".session-info",  ".login",         ".login-pin",     ".logout",     ".init-pin",
    ".init-pin-with", ".set-pin",       ".generate",      ".labels",     ".sign",
    ".sign-public",   ".verify",        ".random",        ".seed",       ".genkey",
    ".genpair",       ".create-data",   ".create-aes",    ".copy",       ".find",
    ".find-all",      ".sign-key",      ".verify-key",    ".encrypt",    ".decrypt",
    ".digest",        ".encrypt-parts", ".decrypt-parts", ".sign-parts", ".verify-parts",
    ".digest-parts",  ".begin-encrypt", ".wrap",          ".unwrap",     ".derive",
    ".close",         ".drop"};

/* The commands that need only their objects, the encryptor or the buffer. */
static const char* const other_commands[] = {".attrs",  ".set",         ".size",
                                             ".remove", ".drop-object", ".tamper",
                                             ".update", ".finish",      ".drop-encryptor"};

static int among(const char* name, const char* const* commands, size_t count) {
  for (size_t c = 0; c < count; ++c) {
    if (is(name, commands[c])) return 1;
  }
  return 0;
}

#define NEED_OBJECT(var, object_name)    \
  uint32_t var = lookup(s, object_name); \
  if (var == 0) return no_object(name, object_name)

/* Runs the command at argv[*i], moving *i past its arguments; returns the exit status so far
 * (0: go on, 1: an error, 2: a bad command line). */
static int command(state* s, int argc, char** argv, int* i) {
  const char* name = argv[*i];
  int left = argc - *i - 1; /* the arguments after the command */
  char** args = argv + *i + 1;
  /* The commands that need no session. */
  if (is(name, ".slots")) return list_slots();
  if (is(name, ".token") && left >= 1) {
    uint64_t slot;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    *i += 1;
    return show_token(slot);
  }
  if (is(name, ".mechanisms") && left >= 1) {
    uint64_t slot, number;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    int count = words(args, left, 1);
    for (int j = 1; j <= count; ++j) {
      if (!parse_u64(args[j], &number)) return usage(args[j]);
    }
    *i += 1 + count;
    return list_mechanisms(slot, args + 1, count);
  }
  if (is(name, ".mechanism-info") && left >= 2) {
    uint64_t slot, mechanism;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    if (!parse_u64(args[1], &mechanism)) return usage(args[1]);
    *i += 2;
    return describe_mechanism(slot, mechanism);
  }
  if (is(name, ".init-token") && left >= 2) {
    uint64_t slot;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    *i += 2;
    return init_token(slot, NULL, args[1]);
  }
  if (is(name, ".init-token-pin") && left >= 3) {
    uint64_t slot;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    *i += 3;
    return init_token(slot, args[1], args[2]);
  }
  if (is(name, ".open") && left >= 2) {
    uint64_t slot;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    if (!is(args[1], "rw") && !is(args[1], "ro")) return usage(args[1]);
    *i += 2;
    return open_session(s, slot, is(args[1], "rw"));
  }
  if (is(name, ".aad") && left >= 1) {
    s->aad = args[0];
    *i += 1;
    return 0;
  }
  if (is(name, ".trap")) {
    fflush(stdout);
    __builtin_trap(); /* everything still open goes with the instance */
  }
  int needs_session =
      among(name, session_commands, sizeof session_commands / sizeof session_commands[0]);
  if (!needs_session &&
      !among(name, other_commands, sizeof other_commands / sizeof other_commands[0]))
    return usage(name);
  /* Check the arguments first, so that a bad command line is one whatever the state. */
  uint32_t user = 0, curve = 0;
  uint64_t number = 0;
  mech_flat mechanism = {0};
  key_flags flags = {0};
  int used = 0, count = 0, flag_value = 0;
  const char* optional = NULL;
  if (is(name, ".login") || is(name, ".login-pin")) {
    used = is(name, ".login") ? 1 : 2;
    if (left < used) return usage(name);
    if (!parse_user(args[0], &user)) return usage(args[0]);
  } else if (is(name, ".init-pin-with") || is(name, ".seed") || is(name, ".update") ||
             is(name, ".size") || is(name, ".remove") || is(name, ".drop-object") ||
             is(name, ".find")) {
    used = 1;
    if (left < used) return usage(name);
  } else if (is(name, ".set-pin")) {
    used = 2;
    if (left < used) return usage(name);
  } else if (is(name, ".generate")) {
    if (left < 2) return usage(name);
    if (is(args[0], "p256"))
      curve = CURVE_P256;
    else if (is(args[0], "p384"))
      curve = CURVE_P384;
    else
      return usage(args[0]);
    used = parse_flags(args, left, 2, &flags);
  } else if (is(name, ".sign") || is(name, ".sign-public") || is(name, ".verify") ||
             is(name, ".digest")) {
    used = 2;
    if (left < used) return usage(name);
    if (!parse_mechanism(s, args[0], &mechanism)) return usage(args[0]);
  } else if (is(name, ".random")) {
    used = 1;
    if (left < used) return usage(name);
    if (!parse_u64(args[0], &number) || number > UINT32_MAX) return usage(args[0]);
  } else if (is(name, ".genkey")) {
    if (left < 3) return usage(name);
    if (strlen(args[0]) > MAX_NAME) return usage(args[0]);
    if (!is(args[1], "aes") && !is(args[1], "generic")) return usage(args[1]);
    if (!parse_u64(args[2], &number)) return usage(args[2]);
    used = parse_flags(args, left, 3, &flags);
  } else if (is(name, ".genpair")) {
    if (left < 3) return usage(name);
    if (strlen(args[0]) + strlen(".private") > MAX_NAME) return usage(args[0]);
    if (is(args[1], "rsa")) {
      if (!parse_u64(args[2], &number)) return usage(args[2]);
    } else if (is(args[1], "ec")) {
      if (!is(args[2], "p256") && !is(args[2], "p384")) return usage(args[2]);
    } else {
      return usage(args[1]);
    }
    used = parse_flags(args, left, 3, &flags);
  } else if (is(name, ".create-data")) {
    used = 2;
    if (left < used) return usage(name);
    if (strlen(args[0]) > MAX_NAME) return usage(args[0]);
    if (left > used && is(args[used], "persistent")) flags.persistent = 1, ++used;
  } else if (is(name, ".create-aes")) {
    if (left < 2) return usage(name);
    if (strlen(args[0]) > MAX_NAME) return usage(args[0]);
    byte_buffer check;
    if (!parse_hex_bytes(args[1], &check)) return usage(args[1]);
    free(check.ptr);
    used = parse_flags(args, left, 2, &flags);
  } else if (is(name, ".copy")) {
    used = 2;
    if (left < used) return usage(name);
    if (strlen(args[1]) > MAX_NAME) return usage(args[1]);
    if (left > used && args[used][0] != '.') optional = args[used++];
  } else if (is(name, ".attrs")) {
    if (left < 1) return usage(name);
    count = words(args, left, 1);
    for (int j = 1; j <= count; ++j) {
      uint32_t k = 0;
      while (k < ATTR_OTHER && !is(args[j], attribute_names[k])) ++k;
      if (k == ATTR_OTHER && !(is_hex_number(args[j]) && parse_u64(args[j], &number)))
        return usage(args[j]);
    }
    used = 1 + count;
  } else if (is(name, ".set")) {
    used = 2;
    if (left < used) return usage(name);
    const char* setting = args[1];
    if (strncmp(setting, "label=", 6) == 0)
      optional = setting + 6;
    else if (!((strncmp(setting, "extractable=", 12) == 0 &&
                parse_bool(setting + 12, &flag_value)) ||
               (strncmp(setting, "sensitive=", 10) == 0 && parse_bool(setting + 10, &flag_value))))
      return usage(setting);
  } else if (is(name, ".sign-key") || is(name, ".verify-key") || is(name, ".encrypt")) {
    used = 3;
    if (left < used) return usage(name);
    if (!parse_mechanism(s, args[1], &mechanism)) return usage(args[1]);
  } else if (is(name, ".decrypt") || is(name, ".begin-encrypt")) {
    used = 2;
    if (left < used) return usage(name);
    if (!parse_mechanism(s, args[1], &mechanism)) return usage(args[1]);
  } else if (is(name, ".encrypt-parts") || is(name, ".sign-parts") || is(name, ".verify-parts")) {
    if (left < 2) return usage(name);
    if (!parse_mechanism(s, args[1], &mechanism)) return usage(args[1]);
    count = words(args, left, 2);
    used = 2 + count;
  } else if (is(name, ".decrypt-parts")) {
    used = 3;
    if (left < used) return usage(name);
    if (!parse_mechanism(s, args[1], &mechanism)) return usage(args[1]);
    if (!parse_u64(args[2], &number) || number == 0) return usage(args[2]);
  } else if (is(name, ".digest-parts")) {
    if (left < 1) return usage(name);
    if (!parse_mechanism(s, args[0], &mechanism)) return usage(args[0]);
    count = words(args, left, 1);
    used = 1 + count;
  } else if (is(name, ".wrap") || is(name, ".unwrap")) {
    used = 3;
    if (left < used) return usage(name);
    if (!parse_mechanism(s, args[1], &mechanism)) return usage(args[1]);
    if (is(name, ".unwrap") && strlen(args[2]) > MAX_NAME) return usage(args[2]);
  } else if (is(name, ".derive")) {
    used = 3;
    if (left < used) return usage(name);
    if (strlen(args[2]) > MAX_NAME) return usage(args[2]);
  }
  *i += used;

  /* The commands that need no session. */
  if (is(name, ".tamper")) {
    if (s->buffer_len == 0) return missing(name, "buffer");
    s->buffer[0] ^= 1;
    printf("tampered\n");
    return 0;
  }
  if (is(name, ".update") || is(name, ".finish") || is(name, ".drop-encryptor")) {
    if (s->encryptor == 0) return missing(name, "encryptor");
    if (is(name, ".update")) return update_encryptor(s, args[0]);
    if (is(name, ".finish")) return finish_encryptor(s);
    drop_encryptor(s);
    printf("encryptor dropped\n");
    return 0;
  }
  if (is(name, ".drop-object")) {
    named_object* entry = find_name(s, args[0]);
    if (entry == NULL) return no_object(name, args[0]);
    drop_object(s, entry);
    printf("dropped %s\n", args[0]);
    return 0;
  }
  if (is(name, ".attrs")) {
    NEED_OBJECT(object, args[0]);
    p11_tagged_u64* kinds = calloc(count ? (size_t)count : 1, sizeof *kinds);
    if (kinds == NULL) abort();
    for (int j = 0; j < count; ++j) {
      const char* word = args[1 + j];
      uint32_t k = 0;
      while (k < ATTR_OTHER && !is(word, attribute_names[k])) ++k;
      kinds[j].tag = (uint8_t)k;
      if (k == ATTR_OTHER) parse_u64(word, &kinds[j].other);
    }
    int status = show_attributes(object, kinds, (size_t)count);
    free(kinds);
    return status;
  }
  if (is(name, ".set")) {
    NEED_OBJECT(object, args[0]);
    p11_template t = {0};
    if (optional)
      add_text(&t, ATTR_LABEL, optional);
    else
      add_flag(&t, args[1][0] == 'e' ? ATTR_EXTRACTABLE : ATTR_SENSITIVE, flag_value);
    return set_attributes(object, &t);
  }
  if (is(name, ".size")) {
    NEED_OBJECT(object, args[0]);
    return object_size_of(object);
  }
  if (is(name, ".remove")) {
    NEED_OBJECT(object, args[0]);
    return remove_object(object, args[0]);
  }

  /* Every other command needs the session. */
  if (s->session == 0) return missing(name, "session");
  if (is(name, ".session-info")) return show_session(s);
  if (is(name, ".login")) return login(s, user, NULL);
  if (is(name, ".login-pin")) return login(s, user, args[1]);
  if (is(name, ".logout")) return logout(s);
  if (is(name, ".init-pin")) return init_pin(s, NULL);
  if (is(name, ".init-pin-with")) return init_pin(s, args[0]);
  if (is(name, ".set-pin")) return set_pin(s, is(args[0], "-") ? NULL : args[0], args[1]);
  if (is(name, ".generate")) return generate(s, curve, args[1], &flags);
  if (is(name, ".random")) return random_bytes(s, (uint32_t)number);
  if (is(name, ".seed")) return seed(s, args[0]);
  if (is(name, ".digest")) return digest(s, &mechanism, args[1]);
  if (is(name, ".digest-parts")) return digest_parts(s, &mechanism, args + 1, count);
  if (is(name, ".genkey")) return generate_key(s, args[0], is(args[1], "aes"), number, &flags);
  if (is(name, ".genpair")) {
    if (is(args[1], "rsa")) return generate_pair(s, args[0], number, NULL, 0, &flags);
    if (is(args[2], "p256")) return generate_pair(s, args[0], 0, p256_oid, sizeof p256_oid, &flags);
    return generate_pair(s, args[0], 0, p384_oid, sizeof p384_oid, &flags);
  }
  if (is(name, ".create-data")) return create_data(s, args[0], args[1], flags.persistent);
  if (is(name, ".create-aes")) {
    byte_buffer value;
    parse_hex_bytes(args[1], &value);
    int status = create_aes(s, args[0], &value, &flags);
    free(value.ptr);
    return status;
  }
  if (is(name, ".copy")) {
    NEED_OBJECT(source, args[0]);
    return copy_object(s, source, args[1], optional);
  }
  if (is(name, ".find")) return find_objects(s, name, args[0]);
  if (is(name, ".find-all")) return find_objects(s, name, NULL);
  if (is(name, ".sign-key")) {
    NEED_OBJECT(key, args[0]);
    return sign(s, &mechanism, key, args[2]);
  }
  if (is(name, ".verify-key")) {
    NEED_OBJECT(key, args[0]);
    return verify(s, &mechanism, key, args[2]);
  }
  if (is(name, ".encrypt")) {
    NEED_OBJECT(key, args[0]);
    return encrypt(s, &mechanism, key, args[2]);
  }
  if (is(name, ".decrypt")) {
    NEED_OBJECT(key, args[0]);
    return decrypt(s, &mechanism, key);
  }
  if (is(name, ".encrypt-parts")) {
    NEED_OBJECT(key, args[0]);
    return encrypt_parts(s, &mechanism, key, args + 2, count);
  }
  if (is(name, ".decrypt-parts")) {
    NEED_OBJECT(key, args[0]);
    return decrypt_parts(s, &mechanism, key, number);
  }
  if (is(name, ".sign-parts")) {
    NEED_OBJECT(key, args[0]);
    return sign_parts(s, &mechanism, key, args + 2, count);
  }
  if (is(name, ".verify-parts")) {
    NEED_OBJECT(key, args[0]);
    return verify_parts(s, &mechanism, key, args + 2, count);
  }
  if (is(name, ".begin-encrypt")) {
    NEED_OBJECT(key, args[0]);
    return begin_encrypt(s, &mechanism, key);
  }
  if (is(name, ".wrap")) {
    NEED_OBJECT(wrapping_key, args[0]);
    NEED_OBJECT(key, args[2]);
    return wrap(s, &mechanism, wrapping_key, key);
  }
  if (is(name, ".unwrap")) {
    NEED_OBJECT(unwrapping_key, args[0]);
    return unwrap(s, &mechanism, unwrapping_key, args[2]);
  }
  if (is(name, ".derive")) {
    char base_name[MAX_NAME + 1], peer_name[MAX_NAME + 1];
    const char* base_wanted = suffixed(base_name, args[0], ".private");
    const char* peer_wanted = suffixed(peer_name, args[1], ".public");
    uint32_t base_key = lookup(s, base_wanted);
    if (base_key == 0) return no_object(name, *base_wanted ? base_wanted : args[0]);
    uint32_t peer_key = lookup(s, peer_wanted);
    if (peer_key == 0) return no_object(name, *peer_wanted ? peer_wanted : args[1]);
    return derive(s, base_key, peer_key, args[2]);
  }
  if (is(name, ".close")) {
    session_close(s->session);
    printf("session closed\n");
    return 0;
  }
  if (is(name, ".drop")) {
    session_drop(s->session);
    s->session = 0;
    printf("session dropped\n");
    return 0;
  }
  /* .labels, .sign, .sign-public and .verify need the key pair as well. */
  if (s->public_key == 0) return missing(name, "key pair");
  if (is(name, ".labels")) return labels(s);
  if (is(name, ".sign")) return sign(s, &mechanism, s->private_key, args[1]);
  if (is(name, ".sign-public")) return sign(s, &mechanism, s->public_key, args[1]);
  return verify(s, &mechanism, s->public_key, args[1]);
}

static state the_state; /* static: the object table is too big for a comfortable stack */

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
  the_state.aad = "berth";
  int status = 0;
  for (int i = first; i < argc && status == 0; ++i) {
    status = command(&the_state, argc, argv, &i);
    if (status == 1 && keep_going) {
      any_failed = 1;
      status = 0;
    }
  }
  /* The encryptor and the objects first: they belong to the session. stdout first, so that what
   * was printed comes before what the drops may make the host log. */
  fflush(stdout);
  drop_encryptor(&the_state);
  for (size_t i = 0; i < MAX_OBJECTS; ++i) {
    uint32_t handle = the_state.objects[i].handle;
    the_state.objects[i].handle = 0;
    unref(&the_state, handle);
  }
  drop_key_pair(&the_state);
  if (the_state.session) session_drop(the_state.session);
  set_buffer(&the_state, NULL, 0);
  return status ? status : any_failed;
}
