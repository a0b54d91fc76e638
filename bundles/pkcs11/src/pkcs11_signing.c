/* Signatures and MACs, at once or in parts. A module without a hash-and-sign mechanism the
 * component asks for (SoftHSM 2.6 has only CKM_ECDSA of the ECDSA ones) hashes the data itself
 * (C_Digest) and the bare mechanism signs the hash: the same signature. */
#include <stdlib.h>
#include <string.h>

#include "pkcs11_objects.h"

/* The digest and bare mechanism of a hash-and-sign mechanism the bundle can split; 0 for
 * others. */
static CK_MECHANISM_TYPE hash_of(CK_MECHANISM_TYPE type) {
  switch (type) {
    case CKM_ECDSA_SHA256:
      return CKM_SHA256;
    case CKM_ECDSA_SHA384:
      return CKM_SHA384;
    case CKM_ECDSA_SHA512:
      return CKM_SHA512;
    default:
      return 0;
  }
}

static CK_RV init(CK_FUNCTION_LIST* p11, CK_SESSION_HANDLE session, int verify,
                  CK_MECHANISM* mechanism, CK_OBJECT_HANDLE key) {
  return verify ? p11->C_VerifyInit(session, mechanism, key)
                : p11->C_SignInit(session, mechanism, key);
}

static CK_RV init_bare(CK_FUNCTION_LIST* p11, CK_SESSION_HANDLE session, int verify,
                       CK_OBJECT_HANDLE key) {
  CK_MECHANISM bare = {CKM_ECDSA, NULL, 0};
  return init(p11, session, verify, &bare, key);
}

/* Starts signing (or verifying) with `mechanism` and `key`. When the module lacks the
 * mechanism but the bundle can split it, starts a digest instead: `*hashed` says so. */
static CK_RV begin(CK_FUNCTION_LIST* p11, CK_SESSION_HANDLE session, int verify,
                   const token_mechanism* mechanism, CK_OBJECT_HANDLE key, int* hashed) {
  ck_mechanism wanted;
  mechanism_from(mechanism, &wanted);
  CK_RV rv = init(p11, session, verify, &wanted.mechanism, key);
  CK_MECHANISM hash = {hash_of(wanted.mechanism.mechanism), NULL, 0};
  *hashed = rv == CKR_MECHANISM_INVALID && hash.mechanism != 0;
  return *hashed ? p11->C_DigestInit(session, &hash) : rv;
}

berth_status token_session_sign(berth_call* call, const token_session_sign_params* params,
                                pkcs11_result_list_u8_error* result) {
  session_object* session;
  key_object* key;
  if (!session_and_object(params->self, params->key, &session, &key, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_FUNCTION_LIST* p11 = session->instance->p11;
  int hashed;
  berth_list input = params->data;
  CK_RV rv = begin(p11, session->handle, 0, &params->mechanism, key->handle, &hashed);
  if (rv == CKR_OK && hashed) {
    rv = transformed(call, p11->C_Digest, session->handle, params->data, &input);
    if (rv == CKR_OK) rv = init_bare(p11, session->handle, 0, key->handle);
  }
  if (rv == CKR_OK) rv = transformed(call, p11->C_Sign, session->handle, input, &result->val.ok);
  failed(rv, &result->is_err, &result->val.err);
  return BERTH_OK;
}

/* A verification's outcome: true, false for a signature that does not match, or an error. */
static void verdict(CK_RV rv, pkcs11_result_bool_error* result) {
  if (rv == CKR_OK || rv == CKR_SIGNATURE_INVALID || rv == CKR_SIGNATURE_LEN_RANGE) {
    result->val.ok = rv == CKR_OK;
  } else {
    failed(rv, &result->is_err, &result->val.err);
  }
}

berth_status token_session_verify(berth_call* call, const token_session_verify_params* params,
                                  pkcs11_result_bool_error* result) {
  session_object* session;
  key_object* key;
  if (!session_and_object(params->self, params->key, &session, &key, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_FUNCTION_LIST* p11 = session->instance->p11;
  int hashed;
  berth_list input = params->data;
  CK_RV rv = begin(p11, session->handle, 1, &params->mechanism, key->handle, &hashed);
  if (rv == CKR_OK && hashed) {
    rv = transformed(call, p11->C_Digest, session->handle, params->data, &input);
    if (rv == CKR_OK) rv = init_bare(p11, session->handle, 1, key->handle);
  }
  if (rv == CKR_OK) {
    rv = p11->C_Verify(session->handle, input_of(input), input.len, input_of(params->signature),
                       params->signature.len);
  }
  verdict(rv, result);
  return BERTH_OK;
}

/* ---- signers and verifiers ---- */

static berth_status begin_part_signing(berth_call* call, int verify, berth_rep self, berth_rep key,
                                       const token_mechanism* mechanism, berth_rep* out,
                                       bool* is_err, token_error* error) {
  session_object* session;
  key_object* object;
  if (!session_and_object(self, key, &session, &object, error)) {
    *is_err = 1;
    return BERTH_OK;
  }
  int hashed;
  if (failed(begin(session->instance->p11, session->handle, verify, mechanism, object->handle,
                   &hashed),
             is_err, error)) {
    return BERTH_OK;
  }
  *out = operation_new(session);
  if (*out == 0) return call->host->trap(call, "out of memory");
  ((part_operation*)*out)->hashed = hashed;
  ((part_operation*)*out)->key = object->handle;
  return BERTH_OK;
}

berth_status token_session_signer(berth_call* call, const token_session_signer_params* params,
                                  pkcs11_result_own_signer_error* result) {
  return begin_part_signing(call, 0, params->self, params->key, &params->mechanism, &result->val.ok,
                            &result->is_err, &result->val.err);
}

berth_status token_session_verifier(berth_call* call, const token_session_verifier_params* params,
                                    pkcs11_result_own_verifier_error* result) {
  return begin_part_signing(call, 1, params->self, params->key, &params->mechanism, &result->val.ok,
                            &result->is_err, &result->val.err);
}

/* The start of a signer's or verifier's finish: the operation ends here, and a hashed one has
 * the digest of its parts taken into `digest` with the bare mechanism started (`*rv` says how
 * that went). NULL with `*error` set when the operation is not going. */
static session_object* finishing(berth_call* call, berth_rep self, int verify, berth_list* digest,
                                 CK_RV* rv, token_error* error) {
  part_operation* operation = (part_operation*)self;
  session_object* session = going(self, error);
  if (session == NULL) return NULL;
  operation->active = 0;
  *rv = CKR_OK;
  if (operation->hashed) {
    CK_FUNCTION_LIST* p11 = session->instance->p11;
    *rv = finished(call, p11->C_DigestFinal, session->handle, digest);
    if (*rv == CKR_OK) *rv = init_bare(p11, session->handle, verify, operation->key);
  }
  return session;
}

berth_status token_signer_update(berth_call* call, const token_signer_update_params* params,
                                 pkcs11_result_void_error* result) {
  (void)call;
  part_operation* operation = (part_operation*)params->self;
  CK_FUNCTION_LIST* p11 = OPERATION_P11(operation);
  return update_input(params->self, operation->hashed ? p11->C_DigestUpdate : p11->C_SignUpdate,
                      params->data, result);
}

berth_status token_signer_finish(berth_call* call, const token_signer_finish_params* params,
                                 pkcs11_result_list_u8_error* result) {
  berth_list digest;
  CK_RV rv;
  session_object* session = finishing(call, params->self, 0, &digest, &rv, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_FUNCTION_LIST* p11 = session->instance->p11;
  if (rv == CKR_OK) {
    rv = ((part_operation*)params->self)->hashed
             ? transformed(call, p11->C_Sign, session->handle, digest, &result->val.ok)
             : finished(call, p11->C_SignFinal, session->handle, &result->val.ok);
  }
  failed(rv, &result->is_err, &result->val.err);
  return BERTH_OK;
}

void token_signer_destroy(void* self, berth_rep rep) {
  (void)self;
  part_operation* operation = (part_operation*)rep;
  end_operation(operation, operation->hashed ? OPERATION_P11(rep)->C_DigestFinal
                                             : OPERATION_P11(rep)->C_SignFinal);
}

berth_status token_verifier_update(berth_call* call, const token_verifier_update_params* params,
                                   pkcs11_result_void_error* result) {
  (void)call;
  part_operation* operation = (part_operation*)params->self;
  CK_FUNCTION_LIST* p11 = OPERATION_P11(operation);
  return update_input(params->self, operation->hashed ? p11->C_DigestUpdate : p11->C_VerifyUpdate,
                      params->data, result);
}

berth_status token_verifier_finish(berth_call* call, const token_verifier_finish_params* params,
                                   pkcs11_result_bool_error* result) {
  berth_list digest;
  CK_RV rv;
  session_object* session = finishing(call, params->self, 1, &digest, &rv, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_FUNCTION_LIST* p11 = session->instance->p11;
  if (rv == CKR_OK) {
    rv = ((part_operation*)params->self)->hashed
             ? p11->C_Verify(session->handle, input_of(digest), digest.len,
                             input_of(params->signature), params->signature.len)
             : p11->C_VerifyFinal(session->handle, input_of(params->signature),
                                  params->signature.len);
  }
  verdict(rv, result);
  return BERTH_OK;
}

void token_verifier_destroy(void* self, berth_rep rep) {
  (void)self;
  part_operation* operation = (part_operation*)rep;
  if (!operation->hashed && operation->active && operation->session->open) {
    /* Any signature ends a verification: there is no output to make room for. */
    CK_BYTE nothing = 0;
    OPERATION_P11(rep)->C_VerifyFinal(operation->session->handle, &nothing, 1);
    operation->active = 0;
  }
  end_operation(operation, OPERATION_P11(rep)->C_DigestFinal);
}
