/* Key generation, signing and verifying. */
#include <stdlib.h>
#include <string.h>

#include "pkcs11_objects.h"

/* The DER of a named curve's OID, as CKA_EC_PARAMS takes it. */
static const unsigned char p256_params[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                            0xce, 0x3d, 0x03, 0x01, 0x07};
static const unsigned char p384_params[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};

/* A bytes argument as PKCS#11 takes it: never NULL, even when empty. */
static CK_BYTE* bytes_of(berth_list list) {
  static CK_BYTE empty;
  return list.len ? (CK_BYTE*)list.ptr : &empty;
}

berth_status token_session_generate_ec_key_pair(
    berth_call* call, const token_session_generate_ec_key_pair_params* params,
    pkcs11_result_key_pair_error* result) {
  bundle_instance* instance = call->instance;
  session_object* session = open_session(params->self, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  const token_key_options* options = &params->options;
  if ((options->extractable || !options->sensitive) && !instance->config.allow_extractable_keys) {
    result->is_err = 1;
    result->val.err = error_not_allowed(
        call,
        "a component may not make private keys that are extractable or not sensitive "
        "(configuration 'allow-extractable-keys' is false)");
    return BERTH_OK;
  }
  CK_BBOOL yes = CK_TRUE;
  CK_BBOOL persistent = options->persistent ? CK_TRUE : CK_FALSE;
  CK_BBOOL extractable = options->extractable ? CK_TRUE : CK_FALSE;
  CK_BBOOL sensitive = options->sensitive ? CK_TRUE : CK_FALSE;
  const unsigned char* curve = params->curve == TOKEN_CURVE_P384 ? p384_params : p256_params;
  CK_ULONG curve_len = params->curve == TOKEN_CURVE_P384 ? sizeof p384_params : sizeof p256_params;
  CK_UTF8CHAR empty = 0;
  CK_UTF8CHAR* label = options->label.len ? (CK_UTF8CHAR*)options->label.ptr : &empty;
  CK_ATTRIBUTE public_template[] = {
      {CKA_TOKEN, &persistent, sizeof persistent},      {CKA_VERIFY, &yes, sizeof yes},
      {CKA_EC_PARAMS, (void*)curve, curve_len},         {CKA_LABEL, label, options->label.len},
      {CKA_ID, bytes_of(options->id), options->id.len},
  };
  CK_ATTRIBUTE private_template[] = {
      {CKA_TOKEN, &persistent, sizeof persistent},
      {CKA_PRIVATE, &yes, sizeof yes},
      {CKA_SIGN, &yes, sizeof yes},
      {CKA_SENSITIVE, &sensitive, sizeof sensitive},
      {CKA_EXTRACTABLE, &extractable, sizeof extractable},
      {CKA_LABEL, label, options->label.len},
      {CKA_ID, bytes_of(options->id), options->id.len},
  };
  /* Without an ID the keys get none (the last entry of each template is left out). */
  CK_ULONG public_count = sizeof public_template / sizeof public_template[0];
  CK_ULONG private_count = sizeof private_template / sizeof private_template[0];
  if (options->id.len == 0) --public_count, --private_count;
  CK_MECHANISM mechanism = {CKM_EC_KEY_PAIR_GEN, NULL, 0};
  CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE;
  CK_OBJECT_HANDLE private_key = CK_INVALID_HANDLE;
  CK_RV rv =
      instance->p11->C_GenerateKeyPair(session->handle, &mechanism, public_template, public_count,
                                       private_template, private_count, &public_key, &private_key);
  if (rv != CKR_OK) {
    result->is_err = 1;
    result->val.err = error_of_rv(rv);
    return BERTH_OK;
  }
  result->val.ok.public_key = object_new(session, public_key);
  result->val.ok.private_key = object_new(session, private_key);
  if (result->val.ok.public_key == 0 || result->val.ok.private_key == 0) {
    if (result->val.ok.public_key) token_object_destroy(instance, result->val.ok.public_key);
    if (result->val.ok.private_key) token_object_destroy(instance, result->val.ok.private_key);
    return call->host->trap(call, "out of memory");
  }
  return BERTH_OK;
}

static CK_MECHANISM_TYPE mechanism_type(const token_mechanism* mechanism) {
  switch (mechanism->tag) {
    case TOKEN_MECHANISM_ECDSA_SHA256:
      return CKM_ECDSA_SHA256;
    case TOKEN_MECHANISM_ECDSA_SHA384:
      return CKM_ECDSA_SHA384;
    case TOKEN_MECHANISM_ECDSA_SHA512:
      return CKM_ECDSA_SHA512;
    default:
      return CKM_ECDSA;
  }
}

/* The session of a call and the key it names, both open; 0 with `*error` set when not. */
static int session_and_key(berth_rep self, berth_rep key, session_object** session,
                           key_object** object, token_error* error) {
  *session = open_session(self, error);
  *object = (key_object*)key;
  return *session != NULL && open_session((berth_rep)(*object)->session, error) != NULL;
}

/* The hash of a hash-and-sign mechanism; 0 for others. */
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

/* Starts signing (or verifying) `data` with `mechanism` and `key`; `*input` is what to pass on.
 * A module without the hash-and-sign mechanism (SoftHSM 2.6 has only CKM_ECDSA) hashes `data`
 * itself first, into `digest`, and the bare CKM_ECDSA signs the hash: the same signature. */
static CK_RV begin(CK_FUNCTION_LIST* p11, CK_SESSION_HANDLE session, int verify,
                   const token_mechanism* mechanism, CK_OBJECT_HANDLE key, berth_list data,
                   CK_BYTE digest[64], CK_BYTE** input, CK_ULONG* length) {
  CK_MECHANISM wanted = {mechanism_type(mechanism), NULL, 0};
  CK_RV rv =
      verify ? p11->C_VerifyInit(session, &wanted, key) : p11->C_SignInit(session, &wanted, key);
  *input = bytes_of(data);
  *length = data.len;
  CK_MECHANISM hash = {hash_of(wanted.mechanism), NULL, 0};
  if (rv != CKR_MECHANISM_INVALID || hash.mechanism == 0) return rv;
  CK_ULONG size = 64;
  rv = p11->C_DigestInit(session, &hash);
  if (rv == CKR_OK) rv = p11->C_Digest(session, bytes_of(data), data.len, digest, &size);
  if (rv != CKR_OK) return rv;
  *input = digest;
  *length = size;
  CK_MECHANISM bare = {CKM_ECDSA, NULL, 0};
  return verify ? p11->C_VerifyInit(session, &bare, key) : p11->C_SignInit(session, &bare, key);
}

berth_status token_session_sign(berth_call* call, const token_session_sign_params* params,
                                pkcs11_result_list_u8_error* result) {
  bundle_instance* instance = call->instance;
  session_object* session;
  key_object* key;
  if (!session_and_key(params->self, params->key, &session, &key, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_BYTE digest[64];
  CK_BYTE* input;
  CK_ULONG input_length;
  CK_ULONG length = 0;
  CK_RV rv = begin(instance->p11, session->handle, 0, &params->mechanism, key->handle, params->data,
                   digest, &input, &input_length);
  /* Asking for the length first leaves the operation active for the second call. */
  if (rv == CKR_OK) rv = instance->p11->C_Sign(session->handle, input, input_length, NULL, &length);
  CK_BYTE* signature = NULL;
  if (rv == CKR_OK) {
    signature = call->host->alloc(call, length ? length : 1, 1);
    if (signature == NULL) return call->host->trap(call, "out of memory");
    rv = instance->p11->C_Sign(session->handle, input, input_length, signature, &length);
  }
  if (rv != CKR_OK) {
    result->is_err = 1;
    result->val.err = error_of_rv(rv);
    return BERTH_OK;
  }
  result->val.ok.ptr = signature;
  result->val.ok.len = length;
  return BERTH_OK;
}

berth_status token_session_verify(berth_call* call, const token_session_verify_params* params,
                                  pkcs11_result_bool_error* result) {
  bundle_instance* instance = call->instance;
  session_object* session;
  key_object* key;
  if (!session_and_key(params->self, params->key, &session, &key, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_BYTE digest[64];
  CK_BYTE* input;
  CK_ULONG input_length;
  CK_RV rv = begin(instance->p11, session->handle, 1, &params->mechanism, key->handle, params->data,
                   digest, &input, &input_length);
  if (rv == CKR_OK) {
    rv = instance->p11->C_Verify(session->handle, input, input_length, bytes_of(params->signature),
                                 params->signature.len);
  }
  if (rv == CKR_OK || rv == CKR_SIGNATURE_INVALID || rv == CKR_SIGNATURE_LEN_RANGE) {
    result->val.ok = rv == CKR_OK;
    return BERTH_OK;
  }
  result->is_err = 1;
  result->val.err = error_of_rv(rv);
  return BERTH_OK;
}
