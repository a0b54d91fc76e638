/* What the files of p11 share: the state its commands run on (session, key pair, named objects,
 * encryptor, AAD, buffer), the types of its helpers (byte buffers, key flags, templates), and the
 * functions one file calls in another, by the file that defines them. */
#ifndef P11_H
#define P11_H

#include "p11_abi.h"

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

/* ---- bytes, key flags and templates ---- */

/* Bytes of ours (malloc'd), grown by appending. */
typedef struct {
  uint8_t* ptr;
  size_t len;
} byte_buffer;

/* The flags generated or created keys may take. */
typedef struct {
  int persistent, extractable, not_sensitive;
} key_flags;

/* A list of attributes in our memory. */
#define TEMPLATE_MAX 16

typedef struct {
  p11_attribute items[TEMPLATE_MAX];
  size_t count;
} p11_template;

static inline const uint8_t* text_bytes(const char* text) {
  return (const uint8_t*)text;
}

/* ---- p11_values.c: names and parsing of WIT values, error messages, templates ---- */

int failed(const p11_error* error);
int missing(const char* command, const char* what);
int usage(const char* arg);

void take(byte_buffer* out, p11_bytes list);
void print_hex(const uint8_t* data, size_t len);

int parse_u64(const char* text, uint64_t* out);
int is_hex_number(const char* text);
int parse_user(const char* text, uint32_t* out);
int parse_bool(const char* text, int* out);
int parse_hex_bytes(const char* text, byte_buffer* out);
int parse_mechanism(const char* aad, const char* text, mech_flat* out);
mech_flat ecdh_mechanism(const uint8_t* public_data, size_t public_data_len);
int parse_flags(char** args, int left, int from, key_flags* flags);
int words(char** args, int left, int from);
uint32_t attribute_kind(const char* word);

void add_flag(p11_template* t, uint8_t tag, int value);
void add_number(p11_template* t, uint8_t tag, uint64_t value);
void add_text(p11_template* t, uint8_t tag, const char* text);
void add_bytes(p11_template* t, uint8_t tag, const uint8_t* data, size_t len);
void add_case(p11_template* t, uint8_t tag, uint8_t value);
void add_key_flags(p11_template* t, const key_flags* flags);

void release_attribute(const p11_attribute* a);
void print_object_class(const p11_tagged_u64* value);
void print_attribute(const p11_attribute* a);

/* ---- p11_session.c: slots, tokens, mechanisms, the session, PINs, random ---- */

int list_slots(void);
int show_token(uint64_t slot);
int list_mechanisms(uint64_t slot, char** hex, int count);
int describe_mechanism(uint64_t slot, uint64_t mechanism);
int init_token(uint64_t slot, const char* so_pin, const char* label);
int open_session(state* s, uint64_t slot, uint32_t read_write);
int show_session(state* s);
int login(state* s, uint32_t user, const char* pin);
int logout(state* s);
int init_pin(state* s, const char* pin);
int set_pin(state* s, const char* old_pin, const char* new_pin);
int seed(state* s, const char* text);
int random_bytes(state* s, uint32_t length);

/* ---- p11_objects.c: the named-object table, the key pair, the object commands ---- */

void unref(state* s, uint32_t handle);
void drop_key_pair(state* s);
named_object* find_name(state* s, const char* name);
uint32_t lookup(state* s, const char* name);
const char* suffixed(char* out, const char* name, const char* suffix);
int no_object(const char* command, const char* name);
int keep(state* s, const char* command, const char* name, uint32_t handle);

int generate(state* s, uint32_t curve, const char* label, const key_flags* flags);
int labels(state* s);
int generate_key(state* s, const char* name, int aes, uint64_t bytes, const key_flags* flags);
int generate_rsa_pair(state* s, const char* name, uint64_t bits, const key_flags* flags);
int generate_ec_pair(state* s, const char* name, uint32_t curve, const key_flags* flags);
int create_data(state* s, const char* name, const char* text, int persistent);
int create_aes(state* s, const char* name, const byte_buffer* value, const key_flags* flags);
int copy_object(state* s, uint32_t source, const char* new_name, const char* label);
int find_objects(state* s, const char* command, const char* label);
int show_attributes(uint32_t object, char** kind_words, int count);
int set_attributes(uint32_t object, const p11_template* t);
int object_size_of(uint32_t object);
int remove_object(uint32_t object, const char* name);
void drop_object(state* s, named_object* entry);

/* ---- p11_crypto.c: the buffer, signing, encryption, digests, multipart, wrapping, deriving ----
 */

void set_buffer(state* s, uint8_t* ptr, size_t len);
int sign_message(state* s, const mech_flat* mechanism, uint32_t key, const char* message);
int sign_repeatedly(const state* s, const mech_flat* mechanism, uint32_t key, const char* message,
                    uint64_t count);
int truncate_buffer(state* s, uint64_t length);
int verify_message(state* s, const mech_flat* mechanism, uint32_t key, const char* message);
int encrypt_text(state* s, const mech_flat* mechanism, uint32_t key, const char* text);
int decrypt_buffer(state* s, const mech_flat* mechanism, uint32_t key);
int digest_text(state* s, const mech_flat* mechanism, const char* text);
int encrypt_parts(state* s, const mech_flat* mechanism, uint32_t key, char** texts, int count);
int decrypt_parts(state* s, const mech_flat* mechanism, uint32_t key, uint64_t count);
int sign_parts(state* s, const mech_flat* mechanism, uint32_t key, char** texts, int count);
int verify_parts(state* s, const mech_flat* mechanism, uint32_t key, char** texts, int count);
int digest_parts(state* s, const mech_flat* mechanism, char** texts, int count);
void drop_encryptor(state* s);
int begin_encrypt(state* s, const mech_flat* mechanism, uint32_t key);
int update_encryptor(state* s, const char* text);
int finish_encryptor(state* s);
int wrap_key(state* s, const mech_flat* mechanism, uint32_t wrapping_key, uint32_t key);
int unwrap_key(state* s, const mech_flat* mechanism, uint32_t unwrapping_key, const char* new_name);
int derive_key(state* s, uint32_t base_key, uint32_t peer_public_key, const char* new_name);

#endif /* P11_H */
