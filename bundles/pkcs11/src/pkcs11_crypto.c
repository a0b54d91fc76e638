/* Encryption, decryption and digests, at once or in parts through the multipart resources. */
#include <stdlib.h>
#include <string.h>

#include "pkcs11_objects.h"

CK_BYTE* input_of(berth_list list) {
  static CK_BYTE empty;
  return list.len ? (CK_BYTE*)list.ptr : &empty;
}

CK_RV sized_output(berth_call* call, CK_ULONG room, output_fn fill, const void* context,
                   berth_list* out) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    CK_BYTE* output = call->host->alloc(call, room ? room : 1, 1);
    if (output == NULL) return CKR_HOST_MEMORY;
    CK_RV rv = fill(context, output, &room);
    if (rv == CKR_BUFFER_TOO_SMALL && attempt == 0) continue; /* `room` is what it needs */
    out->ptr = output;
    out->len = room;
    return rv;
  }
  return CKR_BUFFER_TOO_SMALL;
}

typedef struct transform_context {
  transform_fn transform;
  CK_SESSION_HANDLE session;
  berth_list input;
} transform_context;

static CK_RV fill_transformed(const void* context, CK_BYTE* output, CK_ULONG* length) {
  const transform_context* c = context;
  return c->transform(c->session, input_of(c->input), c->input.len, output, length);
}

CK_RV transformed(berth_call* call, transform_fn transform, CK_SESSION_HANDLE session,
                  berth_list input, berth_list* out) {
  transform_context context = {transform, session, input};
  /* A block and a tag more than the input, or an RSA-4096 signature. */
  CK_ULONG room = input.len + 64 > 512 ? input.len + 64 : 512;
  return sized_output(call, room, fill_transformed, &context, out);
}

typedef struct final_context {
  final_fn finish;
  CK_SESSION_HANDLE session;
} final_context;

static CK_RV fill_finished(const void* context, CK_BYTE* output, CK_ULONG* length) {
  const final_context* c = context;
  return c->finish(c->session, output, length);
}

CK_RV finished(berth_call* call, final_fn finish, CK_SESSION_HANDLE session, berth_list* out) {
  final_context context = {finish, session};
  /* Enough for a final block, a tag or a signature. */
  return sized_output(call, 512, fill_finished, &context, out);
}

/* The kinds of operation, as PKCS#11 keeps one of each per session. */
typedef enum operation_kind {
  OPERATION_ENCRYPT,
  OPERATION_DECRYPT,
  OPERATION_DIGEST,
} operation_kind;

/* Starts an operation of `kind` with `mechanism` (and `key`, but for digests). */
static CK_RV start(CK_FUNCTION_LIST* p11, CK_SESSION_HANDLE session, operation_kind kind,
                   const token_mechanism* mechanism, const key_object* key) {
  ck_mechanism ck;
  mechanism_from(mechanism, &ck);
  switch (kind) {
    case OPERATION_ENCRYPT:
      return p11->C_EncryptInit(session, &ck.mechanism, key->handle);
    case OPERATION_DECRYPT:
      return p11->C_DecryptInit(session, &ck.mechanism, key->handle);
    case OPERATION_DIGEST:
      return p11->C_DigestInit(session, &ck.mechanism);
  }
  return CKR_GENERAL_ERROR;
}

/* encrypt, decrypt: one call with a key. */
static berth_status at_once(berth_call* call, operation_kind kind, berth_rep self, berth_rep key,
                            const token_mechanism* mechanism, berth_list data,
                            pkcs11_result_list_u8_error* result) {
  session_object* session;
  key_object* object;
  if (!session_and_object(self, key, &session, &object, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_FUNCTION_LIST* p11 = session->instance->p11;
  CK_RV rv = start(p11, session->handle, kind, mechanism, object);
  if (rv == CKR_OK) {
    rv = transformed(call, kind == OPERATION_ENCRYPT ? p11->C_Encrypt : p11->C_Decrypt,
                     session->handle, data, &result->val.ok);
  }
  failed(rv, &result->is_err, &result->val.err);
  return BERTH_OK;
}

berth_status token_session_encrypt(berth_call* call, const token_session_encrypt_params* params,
                                   pkcs11_result_list_u8_error* result) {
  return at_once(call, OPERATION_ENCRYPT, params->self, params->key, &params->mechanism,
                 params->data, result);
}

berth_status token_session_decrypt(berth_call* call, const token_session_decrypt_params* params,
                                   pkcs11_result_list_u8_error* result) {
  return at_once(call, OPERATION_DECRYPT, params->self, params->key, &params->mechanism,
                 params->data, result);
}

berth_status token_session_digest(berth_call* call, const token_session_digest_params* params,
                                  pkcs11_result_list_u8_error* result) {
  session_object* session = open_session(params->self, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_FUNCTION_LIST* p11 = session->instance->p11;
  CK_RV rv = start(p11, session->handle, OPERATION_DIGEST, &params->mechanism, NULL);
  if (rv == CKR_OK)
    rv = transformed(call, p11->C_Digest, session->handle, params->data, &result->val.ok);
  failed(rv, &result->is_err, &result->val.err);
  return BERTH_OK;
}

/* ---- multipart operations ---- */

berth_rep operation_new(session_object* session) {
  part_operation* operation = calloc(1, sizeof *operation);
  if (operation == NULL) return 0;
  operation->session = session;
  operation->active = 1;
  session->holders++;
  return (berth_rep)operation;
}

session_object* going(berth_rep rep, token_error* error) {
  part_operation* operation = (part_operation*)rep;
  session_object* session = open_session((berth_rep)operation->session, error);
  if (session != NULL && !operation->active) {
    *error = error_of_rv(CKR_OPERATION_NOT_INITIALIZED);
    return NULL;
  }
  return session;
}

void end_operation(part_operation* operation, final_fn finish) {
  if (operation->active && operation->session->open) {
    CK_BYTE output[8192];
    CK_ULONG length = sizeof output;
    finish(operation->session->handle, output, &length);
  }
  session_release(operation->session);
  free(operation);
}

berth_status begin_parts(berth_call* call, berth_rep self, int has_key, berth_rep key,
                         CK_RV (*init)(session_object*, const key_object*, void*), void* context,
                         berth_rep* out, bool* is_err, token_error* error) {
  session_object* session;
  key_object* object = NULL;
  if (has_key ? !session_and_object(self, key, &session, &object, error)
              : (session = open_session(self, error)) == NULL) {
    *is_err = 1;
    return BERTH_OK;
  }
  if (failed(init(session, object, context), is_err, error)) return BERTH_OK;
  *out = operation_new(session);
  return *out ? BERTH_OK : call->host->trap(call, "out of memory");
}

static CK_RV init_encrypt(session_object* session, const key_object* key, void* mechanism) {
  return start(session->instance->p11, session->handle, OPERATION_ENCRYPT, mechanism, key);
}
static CK_RV init_decrypt(session_object* session, const key_object* key, void* mechanism) {
  return start(session->instance->p11, session->handle, OPERATION_DECRYPT, mechanism, key);
}
static CK_RV init_digest(session_object* session, const key_object* key, void* mechanism) {
  return start(session->instance->p11, session->handle, OPERATION_DIGEST, mechanism, key);
}

berth_status token_session_encryptor(berth_call* call, const token_session_encryptor_params* params,
                                     pkcs11_result_own_encryptor_error* result) {
  return begin_parts(call, params->self, 1, params->key, init_encrypt, (void*)&params->mechanism,
                     &result->val.ok, &result->is_err, &result->val.err);
}

berth_status token_session_decryptor(berth_call* call, const token_session_decryptor_params* params,
                                     pkcs11_result_own_decryptor_error* result) {
  return begin_parts(call, params->self, 1, params->key, init_decrypt, (void*)&params->mechanism,
                     &result->val.ok, &result->is_err, &result->val.err);
}

berth_status token_session_digester(berth_call* call, const token_session_digester_params* params,
                                    pkcs11_result_own_digester_error* result) {
  return begin_parts(call, params->self, 0, 0, init_digest, (void*)&params->mechanism,
                     &result->val.ok, &result->is_err, &result->val.err);
}

/* update of an encryptor or decryptor: output as it comes. */
static berth_status update_transform(berth_call* call, berth_rep self, int encrypt, berth_list data,
                                     pkcs11_result_list_u8_error* result) {
  session_object* session = going(self, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_FUNCTION_LIST* p11 = session->instance->p11;
  if (failed(transformed(call, encrypt ? p11->C_EncryptUpdate : p11->C_DecryptUpdate,
                         session->handle, data, &result->val.ok),
             &result->is_err, &result->val.err)) {
    /* A failed update ends the operation (PKCS#11 2.40, 5.2). */
    ((part_operation*)self)->active = 0;
  }
  return BERTH_OK;
}

/* finish of an encryptor, decryptor, signer or digester. */
static berth_status finish_output(berth_call* call, berth_rep self, final_fn finish,
                                  pkcs11_result_list_u8_error* result) {
  session_object* session = going(self, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_RV rv = finished(call, finish, session->handle, &result->val.ok);
  /* Only a buffer too small leaves an operation going; ours is never too small. */
  ((part_operation*)self)->active = 0;
  failed(rv, &result->is_err, &result->val.err);
  return BERTH_OK;
}

berth_status update_input(berth_rep self, CK_RV (*update)(CK_SESSION_HANDLE, CK_BYTE*, CK_ULONG),
                          berth_list data, pkcs11_result_void_error* result) {
  session_object* session = going(self, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  if (failed(update(session->handle, input_of(data), data.len), &result->is_err,
             &result->val.err)) {
    ((part_operation*)self)->active = 0;
  }
  return BERTH_OK;
}

berth_status token_encryptor_update(berth_call* call, const token_encryptor_update_params* params,
                                    pkcs11_result_list_u8_error* result) {
  return update_transform(call, params->self, 1, params->data, result);
}

berth_status token_encryptor_finish(berth_call* call, const token_encryptor_finish_params* params,
                                    pkcs11_result_list_u8_error* result) {
  return finish_output(call, params->self, OPERATION_P11(params->self)->C_EncryptFinal, result);
}

void token_encryptor_destroy(void* self, berth_rep rep) {
  (void)self;
  end_operation((part_operation*)rep, OPERATION_P11(rep)->C_EncryptFinal);
}

berth_status token_decryptor_update(berth_call* call, const token_decryptor_update_params* params,
                                    pkcs11_result_list_u8_error* result) {
  return update_transform(call, params->self, 0, params->data, result);
}

berth_status token_decryptor_finish(berth_call* call, const token_decryptor_finish_params* params,
                                    pkcs11_result_list_u8_error* result) {
  return finish_output(call, params->self, OPERATION_P11(params->self)->C_DecryptFinal, result);
}

void token_decryptor_destroy(void* self, berth_rep rep) {
  (void)self;
  end_operation((part_operation*)rep, OPERATION_P11(rep)->C_DecryptFinal);
}

berth_status token_digester_update(berth_call* call, const token_digester_update_params* params,
                                   pkcs11_result_void_error* result) {
  (void)call;
  return update_input(params->self, OPERATION_P11(params->self)->C_DigestUpdate, params->data,
                      result);
}

berth_status token_digester_finish(berth_call* call, const token_digester_finish_params* params,
                                   pkcs11_result_list_u8_error* result) {
  return finish_output(call, params->self, OPERATION_P11(params->self)->C_DigestFinal, result);
}

void token_digester_destroy(void* self, berth_rep rep) {
  (void)self;
  end_operation((part_operation*)rep, OPERATION_P11(rep)->C_DigestFinal);
}
