/* Sessions, login, random bytes, and the objects sessions hand out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkcs11_objects.h"

/* The most bytes one generate-random call returns. */
#define MAX_RANDOM_BYTES (1u << 20)

void session_close(session_object* session) {
  if (!session->open) return;
  session->instance->p11->C_CloseSession(session->handle);
  session->open = 0;
  if (session->prev) {
    session->prev->next = session->next;
  } else {
    session->instance->sessions = session->next;
  }
  if (session->next) session->next->prev = session->prev;
  session->prev = session->next = NULL;
}

void session_release(session_object* session) {
  if (--session->holders > 0) return;
  session_close(session);
  free(session);
}

session_object* open_session(berth_rep rep, token_error* error) {
  session_object* session = (session_object*)rep;
  if (session->open) return session;
  *error = error_closed();
  return NULL;
}

berth_status token_session_open(berth_call* call, const token_session_open_params* params,
                                pkcs11_result_own_session_error* result) {
  bundle_instance* instance = call->instance;
  if (!slot_allowed(call, instance, params->slot, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  session_object* session = calloc(1, sizeof *session);
  if (session == NULL) return call->host->trap(call, "out of memory");
  CK_FLAGS flags = CKF_SERIAL_SESSION | (params->read_write ? CKF_RW_SESSION : 0);
  CK_RV rv = instance->p11->C_OpenSession(params->slot, flags, NULL, NULL, &session->handle);
  if (rv != CKR_OK) {
    free(session);
    result->is_err = 1;
    result->val.err = error_of_rv(rv);
    return BERTH_OK;
  }
  session->instance = instance;
  session->open = 1;
  session->holders = 1;
  session->next = instance->sessions;
  if (session->next) session->next->prev = session;
  instance->sessions = session;
  result->val.ok = (berth_rep)session;
  return BERTH_OK;
}

void token_session_destroy(void* self, berth_rep rep) {
  (void)self;
  session_release((session_object*)rep);
}

berth_status token_session_close(berth_call* call, const token_session_close_params* params) {
  (void)call;
  session_close((session_object*)params->self);
  return BERTH_OK;
}

/* The PIN to log `user` in with: the guest's when the configuration allows one, else the
 * configuration's. NULL with `*error` set when there is none to use. */
static const char* login_pin(berth_call* call, const bundle_config* config, int security_officer,
                             const pkcs11_option_string* guest_pin, size_t* len,
                             token_error* error) {
  if (guest_pin->is_some) {
    if (!config->allow_guest_pin) {
      *error = error_not_allowed(call,
                                 "a component may not log in with a PIN of its own "
                                 "(configuration 'allow-guest-pin' is false)");
      return NULL;
    }
    *len = guest_pin->val.len;
    return guest_pin->val.len ? guest_pin->val.ptr : "";
  }
  const char* pin = security_officer ? config->so_pin : config->pin;
  if (pin == NULL) {
    *error = error_not_allowed(call, security_officer
                                         ? "the configuration holds no security officer's PIN "
                                           "('so-pin' or 'so-pin-env')"
                                         : "the configuration holds no user PIN ('pin' or "
                                           "'pin-env')");
    return NULL;
  }
  *len = strlen(pin);
  return pin;
}

berth_status token_session_login(berth_call* call, const token_session_login_params* params,
                                 pkcs11_result_void_error* result) {
  bundle_instance* instance = call->instance;
  session_object* session = open_session(params->self, &result->val.err);
  int security_officer = params->user == TOKEN_USER_TYPE_SECURITY_OFFICER;
  size_t len = 0;
  const char* pin = session ? login_pin(call, &instance->config, security_officer, &params->pin,
                                        &len, &result->val.err)
                            : NULL;
  if (pin == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_RV rv = instance->p11->C_Login(session->handle, security_officer ? CKU_SO : CKU_USER,
                                    (CK_UTF8CHAR*)pin, len);
  if (rv != CKR_OK) {
    result->is_err = 1;
    result->val.err = error_of_rv(rv);
  }
  return BERTH_OK;
}

berth_status token_session_logout(berth_call* call, const token_session_logout_params* params,
                                  pkcs11_result_void_error* result) {
  bundle_instance* instance = call->instance;
  session_object* session = open_session(params->self, &result->val.err);
  CK_RV rv = session ? instance->p11->C_Logout(session->handle) : CKR_OK;
  if (session == NULL || rv != CKR_OK) {
    result->is_err = 1;
    if (session) result->val.err = error_of_rv(rv);
  }
  return BERTH_OK;
}

berth_status token_session_generate_random(berth_call* call,
                                           const token_session_generate_random_params* params,
                                           pkcs11_result_list_u8_error* result) {
  bundle_instance* instance = call->instance;
  session_object* session = open_session(params->self, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  if (params->length > MAX_RANDOM_BYTES) {
    result->is_err = 1;
    result->val.err = error_of_rv(CKR_ARGUMENTS_BAD);
    return BERTH_OK;
  }
  unsigned char* bytes = call->host->alloc(call, params->length ? params->length : 1, 1);
  if (bytes == NULL) return call->host->trap(call, "out of memory");
  CK_RV rv = params->length
                 ? instance->p11->C_GenerateRandom(session->handle, bytes, params->length)
                 : CKR_OK;
  if (rv != CKR_OK) {
    result->is_err = 1;
    result->val.err = error_of_rv(rv);
    return BERTH_OK;
  }
  result->val.ok.ptr = bytes;
  result->val.ok.len = params->length;
  return BERTH_OK;
}

/* ---- objects ---- */

berth_rep object_new(session_object* session, CK_OBJECT_HANDLE handle) {
  key_object* object = calloc(1, sizeof *object);
  if (object == NULL) return 0;
  object->session = session;
  object->handle = handle;
  session->holders++;
  return (berth_rep)object;
}

void token_object_destroy(void* self, berth_rep rep) {
  (void)self;
  key_object* object = (key_object*)rep;
  session_release(object->session);
  free(object);
}

/* The value of attribute `type` of `object`, copied into the call's arena. */
static CK_RV attribute_value(berth_call* call, const key_object* object, CK_ATTRIBUTE_TYPE type,
                             berth_list* out) {
  CK_FUNCTION_LIST* p11 = object->session->instance->p11;
  CK_ATTRIBUTE attribute = {type, NULL, 0};
  CK_RV rv = p11->C_GetAttributeValue(object->session->handle, object->handle, &attribute, 1);
  if (rv != CKR_OK) return rv;
  if (attribute.ulValueLen == CK_UNAVAILABLE_INFORMATION) return CKR_ATTRIBUTE_TYPE_INVALID;
  attribute.pValue = call->host->alloc(call, attribute.ulValueLen ? attribute.ulValueLen : 1, 1);
  if (attribute.pValue == NULL) return CKR_HOST_MEMORY;
  rv = p11->C_GetAttributeValue(object->session->handle, object->handle, &attribute, 1);
  out->ptr = attribute.pValue;
  out->len = attribute.ulValueLen;
  return rv;
}

/* An object whose session is still open; NULL with `*error` set when it is closed. */
static key_object* live_object(berth_rep rep, token_error* error) {
  key_object* object = (key_object*)rep;
  return open_session((berth_rep)object->session, error) ? object : NULL;
}

berth_status token_object_label(berth_call* call, const token_object_label_params* params,
                                pkcs11_result_string_error* result) {
  key_object* object = live_object(params->self, &result->val.err);
  berth_list value = {NULL, 0};
  CK_RV rv = object ? attribute_value(call, object, CKA_LABEL, &value) : CKR_OK;
  if (object == NULL || rv != CKR_OK) {
    result->is_err = 1;
    if (object) result->val.err = error_of_rv(rv);
    return BERTH_OK;
  }
  result->val.ok.ptr = value.ptr;
  result->val.ok.len = value.len;
  return BERTH_OK;
}

berth_status token_object_ec_point(berth_call* call, const token_object_ec_point_params* params,
                                   pkcs11_result_list_u8_error* result) {
  key_object* object = live_object(params->self, &result->val.err);
  CK_RV rv = object ? attribute_value(call, object, CKA_EC_POINT, &result->val.ok) : CKR_OK;
  if (object == NULL || rv != CKR_OK) {
    result->is_err = 1;
    if (object) result->val.err = error_of_rv(rv);
  }
  return BERTH_OK;
}
