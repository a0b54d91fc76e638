/* The commands that sign, verify, encrypt, decrypt and digest: in one call (.sign-key,
 * .verify-key, .encrypt, .decrypt, .digest; .sign, .sign-public and .verify with the key pair), in
 * parts (.encrypt-parts, .decrypt-parts, .sign-parts, .verify-parts, .digest-parts) or through the
 * kept encryptor (.begin-encrypt, .update, .finish, .drop-encryptor); that wrap, unwrap and derive
 * keys (.wrap, .unwrap, .derive); and the buffer they fill. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "p11.h"

/* ---- the buffer and what is printed ---- */

/* Replaces the buffer with `len` bytes at `ptr`, allocated by the host or by us (or none when
 * `len` is 0). */
void set_buffer(state* s, uint8_t* ptr, size_t len) {
  release(s->buffer, s->buffer_len);
  s->buffer = ptr;
  s->buffer_len = len;
}

static int print_validity(uint8_t valid) {
  printf("%s\n", valid ? "valid" : "invalid");
  return 0;
}

static void print_plaintext(const uint8_t* text, size_t len) {
  printf("plaintext: %.*s\n", (int)len, (const char*)text);
}

/* "digest HEX" for a digest the host made, which is then freed. */
static int print_digest(p11_bytes hash) {
  printf("digest ");
  print_hex(hash.ptr, hash.len);
  printf("\n");
  release(hash.ptr, hash.len);
  return 0;
}

/* ---- in one call ---- */

int sign_message(state* s, const mech_flat* mechanism, uint32_t key, const char* message) {
  bytes_ret ret;
  CALL(session_sign(s->session, MECH_ARGS(*mechanism), key, text_bytes(message), strlen(message),
                    &ret));
  if (ret.is_err) return failed(&ret.val.err);
  set_buffer(s, (uint8_t*)ret.val.ok.ptr, ret.val.ok.len);
  printf("signature %zu bytes\n", s->buffer_len);
  return 0;
}

/* Signs `message` `count` times, timing the loop with the monotonic clock: what a signature
 * costs through berth and the bundle, without the instance's start (bench/pkcs11_bench.cc). */
int sign_repeatedly(const state* s, const mech_flat* mechanism, uint32_t key, const char* message,
                    uint64_t count) {
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (uint64_t i = 0; i < count; ++i) {
    bytes_ret ret;
    CALL(session_sign(s->session, MECH_ARGS(*mechanism), key, text_bytes(message), strlen(message),
                      &ret));
    if (ret.is_err) return failed(&ret.val.err);
    release(ret.val.ok.ptr, ret.val.ok.len);
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  uint64_t ns = (uint64_t)(end.tv_sec - start.tv_sec) * 1000000000u + (uint64_t)end.tv_nsec -
                (uint64_t)start.tv_nsec;
  printf("%" PRIu64 " signatures in %" PRIu64 " ns\n", count, ns);
  return 0;
}

int truncate_buffer(state* s, uint64_t length) {
  if (length > s->buffer_len) return usage("N");
  s->buffer_len = (size_t)length;
  printf("truncated to %zu bytes\n", s->buffer_len);
  return 0;
}

int verify_message(state* s, const mech_flat* mechanism, uint32_t key, const char* message) {
  bool_ret ret;
  CALL(session_verify(s->session, MECH_ARGS(*mechanism), key, text_bytes(message), strlen(message),
                      s->buffer, s->buffer_len, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  return print_validity(ret.val.ok);
}

int encrypt_text(state* s, const mech_flat* mechanism, uint32_t key, const char* text) {
  bytes_ret ret;
  CALL(session_encrypt(s->session, MECH_ARGS(*mechanism), key, text_bytes(text), strlen(text),
                       &ret));
  if (ret.is_err) return failed(&ret.val.err);
  set_buffer(s, (uint8_t*)ret.val.ok.ptr, ret.val.ok.len);
  printf("ciphertext %zu bytes\n", s->buffer_len);
  return 0;
}

int decrypt_buffer(state* s, const mech_flat* mechanism, uint32_t key) {
  bytes_ret ret;
  CALL(session_decrypt(s->session, MECH_ARGS(*mechanism), key, s->buffer, s->buffer_len, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  print_plaintext(ret.val.ok.ptr, ret.val.ok.len);
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

int digest_text(state* s, const mech_flat* mechanism, const char* text) {
  bytes_ret ret;
  CALL(session_digest(s->session, MECH_ARGS(*mechanism), text_bytes(text), strlen(text), &ret));
  if (ret.is_err) return failed(&ret.val.err);
  return print_digest(ret.val.ok);
}

/* ---- in parts ---- */

/* The methods of an encryptor or a decryptor, which have the same shapes. */
typedef struct {
  void (*update)(uint32_t self, const uint8_t* data, size_t data_len, bytes_ret*);
  void (*finish)(uint32_t self, bytes_ret*);
  void (*drop)(uint32_t handle);
} cipher_methods;

static const cipher_methods encryptor_methods = {encryptor_update, encryptor_finish,
                                                 encryptor_drop};
static const cipher_methods decryptor_methods = {decryptor_update, decryptor_finish,
                                                 decryptor_drop};

/* Feeds `len` bytes at `data` to the encryptor or decryptor `op`, appending what comes out to
 * `out`; `part` holds the result. */
static void cipher_update(const cipher_methods* m, uint32_t op, const uint8_t* data, size_t len,
                          bytes_ret* part, byte_buffer* out) {
  CALL(m->update(op, data, len, part));
  if (!part->is_err) take(out, part->val.ok);
}

/* Finishes `op` unless a part failed (`part` holds the last result), drops it and appends what
 * comes out to `out`: 0, or the status of the error (`out` freed). */
static int cipher_finish(const cipher_methods* m, uint32_t op, bytes_ret* part, byte_buffer* out) {
  if (!part->is_err) CALL(m->finish(op, part));
  m->drop(op);
  if (part->is_err) {
    free(out->ptr);
    return failed(&part->val.err);
  }
  take(out, part->val.ok);
  return 0;
}

/* The update method of a signer, a verifier or a digester, which have the same shape. */
typedef void update_method(uint32_t self, const uint8_t* data, size_t data_len, unit_ret*);

/* Feeds each of texts[0..count) to `op` with `update`: 0, or on an error the status, `op` dropped
 * with `drop`. */
static int feed(uint32_t op, update_method* update, void (*drop)(uint32_t handle), char** texts,
                int count) {
  for (int i = 0; i < count; ++i) {
    unit_ret updated;
    CALL(update(op, text_bytes(texts[i]), strlen(texts[i]), &updated));
    if (updated.is_err) {
      drop(op);
      return failed(&updated.err);
    }
  }
  return 0;
}

int encrypt_parts(state* s, const mech_flat* mechanism, uint32_t key, char** texts, int count) {
  handle_ret ret;
  CALL(session_encryptor(s->session, MECH_ARGS(*mechanism), key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t encryptor = ret.val.handle;
  byte_buffer out = {0};
  bytes_ret part = {0};
  for (int i = 0; i < count && !part.is_err; ++i) {
    cipher_update(&encryptor_methods, encryptor, text_bytes(texts[i]), strlen(texts[i]), &part,
                  &out);
  }
  int status = cipher_finish(&encryptor_methods, encryptor, &part, &out);
  if (status) return status;
  set_buffer(s, out.ptr, out.len);
  printf("ciphertext %zu bytes in %d parts\n", out.len, count);
  return 0;
}

int decrypt_parts(state* s, const mech_flat* mechanism, uint32_t key, uint64_t count) {
  handle_ret ret;
  CALL(session_decryptor(s->session, MECH_ARGS(*mechanism), key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t decryptor = ret.val.handle;
  byte_buffer out = {0};
  bytes_ret part = {0};
  for (uint64_t i = 0; i < count && !part.is_err; ++i) {
    size_t from = (size_t)(s->buffer_len * i / count);
    size_t to = (size_t)(s->buffer_len * (i + 1) / count);
    cipher_update(&decryptor_methods, decryptor, s->buffer ? s->buffer + from : NULL, to - from,
                  &part, &out);
  }
  int status = cipher_finish(&decryptor_methods, decryptor, &part, &out);
  if (status) return status;
  print_plaintext(out.ptr, out.len);
  free(out.ptr);
  return 0;
}

int sign_parts(state* s, const mech_flat* mechanism, uint32_t key, char** texts, int count) {
  handle_ret ret;
  CALL(session_signer(s->session, MECH_ARGS(*mechanism), key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t signer = ret.val.handle;
  int status = feed(signer, signer_update, signer_drop, texts, count);
  if (status) return status;
  bytes_ret signature;
  CALL(signer_finish(signer, &signature));
  signer_drop(signer);
  if (signature.is_err) return failed(&signature.val.err);
  set_buffer(s, (uint8_t*)signature.val.ok.ptr, signature.val.ok.len);
  printf("signature %zu bytes in %d parts\n", s->buffer_len, count);
  return 0;
}

int verify_parts(state* s, const mech_flat* mechanism, uint32_t key, char** texts, int count) {
  handle_ret ret;
  CALL(session_verifier(s->session, MECH_ARGS(*mechanism), key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t verifier = ret.val.handle;
  int status = feed(verifier, verifier_update, verifier_drop, texts, count);
  if (status) return status;
  bool_ret valid;
  CALL(verifier_finish(verifier, s->buffer, s->buffer_len, &valid));
  verifier_drop(verifier);
  if (valid.is_err) return failed(&valid.val.err);
  return print_validity(valid.val.ok);
}

int digest_parts(state* s, const mech_flat* mechanism, char** texts, int count) {
  handle_ret ret;
  CALL(session_digester(s->session, MECH_ARGS(*mechanism), &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t digester = ret.val.handle;
  int status = feed(digester, digester_update, digester_drop, texts, count);
  if (status) return status;
  bytes_ret hash;
  CALL(digester_finish(digester, &hash));
  digester_drop(digester);
  if (hash.is_err) return failed(&hash.val.err);
  return print_digest(hash.val.ok);
}

/* ---- the kept encryptor ---- */

void drop_encryptor(state* s) {
  if (s->encryptor) encryptor_drop(s->encryptor);
  s->encryptor = 0;
}

int begin_encrypt(state* s, const mech_flat* mechanism, uint32_t key) {
  drop_encryptor(s); /* first: a session runs one encryption at a time */
  handle_ret ret;
  CALL(session_encryptor(s->session, MECH_ARGS(*mechanism), key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  s->encryptor = ret.val.handle;
  printf("encrypting\n");
  return 0;
}

int update_encryptor(state* s, const char* text) {
  bytes_ret ret;
  CALL(encryptor_update(s->encryptor, text_bytes(text), strlen(text), &ret));
  if (ret.is_err) return failed(&ret.val.err);
  printf("%zu bytes out\n", ret.val.ok.len);
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

int finish_encryptor(state* s) {
  bytes_ret ret;
  CALL(encryptor_finish(s->encryptor, &ret));
  drop_encryptor(s);
  if (ret.is_err) return failed(&ret.val.err);
  printf("%zu bytes out, finished\n", ret.val.ok.len);
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

/* ---- keys ---- */

int wrap_key(state* s, const mech_flat* mechanism, uint32_t wrapping_key, uint32_t key) {
  bytes_ret ret;
  CALL(session_wrap_key(s->session, MECH_ARGS(*mechanism), wrapping_key, key, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  set_buffer(s, (uint8_t*)ret.val.ok.ptr, ret.val.ok.len);
  printf("wrapped %zu bytes\n", s->buffer_len);
  return 0;
}

int unwrap_key(state* s, const mech_flat* mechanism, uint32_t unwrapping_key,
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

int derive_key(state* s, uint32_t base_key, uint32_t peer_public_key, const char* new_name) {
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
