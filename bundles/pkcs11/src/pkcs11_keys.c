/* Keys: generated, wrapped and unwrapped, derived. */
#include <stdlib.h>
#include <string.h>

#include "pkcs11_objects.h"

/* The DER of a named curve's OID, as CKA_EC_PARAMS takes it. */
static const unsigned char p256_params[] = {0x06, 0x08, 0x2a, 0x86, 0x48,
                                            0xce, 0x3d, 0x03, 0x01, 0x07};
static const unsigned char p384_params[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};

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
      {CKA_ID, input_of(options->id), options->id.len},
  };
  CK_ATTRIBUTE private_template[] = {
      {CKA_TOKEN, &persistent, sizeof persistent},
      {CKA_PRIVATE, &yes, sizeof yes},
      {CKA_SIGN, &yes, sizeof yes},
      {CKA_SENSITIVE, &sensitive, sizeof sensitive},
      {CKA_EXTRACTABLE, &extractable, sizeof extractable},
      {CKA_LABEL, label, options->label.len},
      {CKA_ID, input_of(options->id), options->id.len},
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

/* ---- keys from templates ---- */

/* The defaults of a secret or private key the bundle makes: hidden, kept on the token. */
static void secret_defaults(ck_template* template) {
  template_default_bool(template, CKA_SENSITIVE, CK_TRUE);
  template_default_bool(template, CKA_EXTRACTABLE, CK_FALSE);
}

/* `attributes` as a template for a secret or private key, defaults added: 1, or 0 with
 * `*error` set when the configuration refuses it, or -1 when out of memory. */
static int key_template(berth_call* call, const bundle_instance* instance, berth_list attributes,
                        int private_key, ck_template* template, bool* is_err, token_error* error) {
  if (!template_from(attributes, 3, template)) return -1;
  if (private_key) template_default_bool(template, CKA_PRIVATE, CK_TRUE);
  secret_defaults(template);
  const char* refused = refused_template(instance, template);
  if (refused == NULL) return 1;
  template_free(template);
  *is_err = 1;
  *error = error_not_allowed(call, refused);
  return 0;
}

/* The new key `handle` of `session` (when `rv` is CKR_OK) as the result. */
static berth_status new_key(berth_call* call, CK_RV rv, session_object* session,
                            CK_OBJECT_HANDLE handle, pkcs11_result_own_object_error* result) {
  if (failed(rv, &result->is_err, &result->val.err)) return BERTH_OK;
  result->val.ok = object_new(session, handle);
  return result->val.ok ? BERTH_OK : call->host->trap(call, "out of memory");
}

berth_status token_session_generate_key(berth_call* call,
                                        const token_session_generate_key_params* params,
                                        pkcs11_result_own_object_error* result) {
  bundle_instance* instance = call->instance;
  session_object* session = open_session(params->self, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  ck_template template;
  int made = key_template(call, instance, params->template_, 0, &template, &result->is_err,
                          &result->val.err);
  if (made < 0) return call->host->trap(call, "out of memory");
  if (made == 0) return BERTH_OK;
  ck_mechanism mechanism;
  mechanism_from(&params->mechanism, &mechanism);
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  CK_RV rv = instance->p11->C_GenerateKey(session->handle, &mechanism.mechanism, template.items,
                                          template.count, &handle);
  template_free(&template);
  return new_key(call, rv, session, handle, result);
}

berth_status token_session_generate_key_pair(berth_call* call,
                                             const token_session_generate_key_pair_params* params,
                                             pkcs11_result_key_pair_error* result) {
  bundle_instance* instance = call->instance;
  session_object* session = open_session(params->self, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  ck_template public_template;
  ck_template private_template;
  if (!template_from(params->public_template, 0, &public_template)) {
    return call->host->trap(call, "out of memory");
  }
  int made = key_template(call, instance, params->private_template, 1, &private_template,
                          &result->is_err, &result->val.err);
  if (made <= 0) {
    template_free(&public_template);
    return made < 0 ? call->host->trap(call, "out of memory") : BERTH_OK;
  }
  ck_mechanism mechanism;
  mechanism_from(&params->mechanism, &mechanism);
  CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE;
  CK_OBJECT_HANDLE private_key = CK_INVALID_HANDLE;
  CK_RV rv = instance->p11->C_GenerateKeyPair(
      session->handle, &mechanism.mechanism, public_template.items, public_template.count,
      private_template.items, private_template.count, &public_key, &private_key);
  template_free(&public_template);
  template_free(&private_template);
  if (failed(rv, &result->is_err, &result->val.err)) return BERTH_OK;
  result->val.ok.public_key = object_new(session, public_key);
  result->val.ok.private_key = object_new(session, private_key);
  if (result->val.ok.public_key == 0 || result->val.ok.private_key == 0) {
    if (result->val.ok.public_key) token_object_destroy(instance, result->val.ok.public_key);
    if (result->val.ok.private_key) token_object_destroy(instance, result->val.ok.private_key);
    return call->host->trap(call, "out of memory");
  }
  return BERTH_OK;
}

typedef struct wrap_context {
  CK_FUNCTION_LIST* p11;
  CK_SESSION_HANDLE session;
  ck_mechanism mechanism;
  CK_OBJECT_HANDLE wrapping_key;
  CK_OBJECT_HANDLE key;
} wrap_context;

static CK_RV fill_wrapped(const void* context, CK_BYTE* output, CK_ULONG* length) {
  const wrap_context* c = context;
  return c->p11->C_WrapKey(c->session, (CK_MECHANISM*)&c->mechanism.mechanism, c->wrapping_key,
                           c->key, output, length);
}

berth_status token_session_wrap_key(berth_call* call, const token_session_wrap_key_params* params,
                                    pkcs11_result_list_u8_error* result) {
  session_object* session;
  key_object* wrapping;
  key_object* key;
  if (!session_and_object(params->self, params->wrapping_key, &session, &wrapping,
                          &result->val.err) ||
      !session_and_object(params->self, params->key, &session, &key, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  wrap_context context = {.p11 = session->instance->p11,
                          .session = session->handle,
                          .wrapping_key = wrapping->handle,
                          .key = key->handle};
  mechanism_from(&params->mechanism, &context.mechanism);
  /* A wrapped AES key fits; a wrapped private key may ask for more. */
  failed(sized_output(call, 512, fill_wrapped, &context, &result->val.ok), &result->is_err,
         &result->val.err);
  return BERTH_OK;
}

/* unwrap-key and derive-key: a key made from `base` (and `wrapped`, for unwrap). */
static berth_status key_from(berth_call* call, int unwrap, berth_rep self, berth_rep base,
                             const token_mechanism* given, berth_list wrapped,
                             berth_list attributes, pkcs11_result_own_object_error* result) {
  bundle_instance* instance = call->instance;
  session_object* session;
  key_object* key;
  if (!session_and_object(self, base, &session, &key, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  ck_template template;
  int made =
      key_template(call, instance, attributes, 0, &template, &result->is_err, &result->val.err);
  if (made < 0) return call->host->trap(call, "out of memory");
  if (made == 0) return BERTH_OK;
  ck_mechanism mechanism;
  mechanism_from(given, &mechanism);
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  CK_RV rv = unwrap ? instance->p11->C_UnwrapKey(session->handle, &mechanism.mechanism, key->handle,
                                                 input_of(wrapped), wrapped.len, template.items,
                                                 template.count, &handle)
                    : instance->p11->C_DeriveKey(session->handle, &mechanism.mechanism, key->handle,
                                                 template.items, template.count, &handle);
  template_free(&template);
  return new_key(call, rv, session, handle, result);
}

berth_status token_session_unwrap_key(berth_call* call,
                                      const token_session_unwrap_key_params* params,
                                      pkcs11_result_own_object_error* result) {
  return key_from(call, 1, params->self, params->unwrapping_key, &params->mechanism,
                  params->wrapped, params->template_, result);
}

berth_status token_session_derive_key(berth_call* call,
                                      const token_session_derive_key_params* params,
                                      pkcs11_result_own_object_error* result) {
  berth_list none = {NULL, 0};
  return key_from(call, 0, params->self, params->base_key, &params->mechanism, none,
                  params->template_, result);
}
