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

const char* login_pin(berth_call* call, const bundle_config* config, int security_officer,
                      const pkcs11_option_string* guest_pin, size_t* len, token_error* error) {
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

berth_status token_session_describe(berth_call* call, const token_session_describe_params* params,
                                    pkcs11_result_session_info_error* result) {
  (void)call;
  session_object* session = open_session(params->self, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_SESSION_INFO info;
  if (failed(session->instance->p11->C_GetSessionInfo(session->handle, &info), &result->is_err,
             &result->val.err)) {
    return BERTH_OK;
  }
  result->val.ok.slot = info.slotID;
  /* CKS_RO_PUBLIC_SESSION (0) to CKS_RW_SO_FUNCTIONS (4), the order of session-state. */
  result->val.ok.state = info.state <= CKS_RW_SO_FUNCTIONS ? (uint32_t)info.state : 0;
  result->val.ok.read_write = (info.flags & CKF_RW_SESSION) != 0;
  result->val.ok.device_error = info.ulDeviceError;
  return BERTH_OK;
}

berth_status token_session_init_pin(berth_call* call, const token_session_init_pin_params* params,
                                    pkcs11_result_void_error* result) {
  bundle_instance* instance = call->instance;
  session_object* session = open_session(params->self, &result->val.err);
  size_t len = 0;
  const char* pin =
      session ? login_pin(call, &instance->config, 0, &params->pin, &len, &result->val.err) : NULL;
  if (pin == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  failed(instance->p11->C_InitPIN(session->handle, (CK_UTF8CHAR*)pin, len), &result->is_err,
         &result->val.err);
  return BERTH_OK;
}

berth_status token_session_set_pin(berth_call* call, const token_session_set_pin_params* params,
                                   pkcs11_result_void_error* result) {
  bundle_instance* instance = call->instance;
  session_object* session = open_session(params->self, &result->val.err);
  size_t old_len = 0;
  const char* old_pin =
      session ? login_pin(call, &instance->config, 0, &params->old_pin, &old_len, &result->val.err)
              : NULL;
  /* The new PIN comes from the component: it knows it. */
  pkcs11_option_string new_pin = {1, params->new_pin};
  size_t new_len = 0;
  const char* pin =
      old_pin ? login_pin(call, &instance->config, 0, &new_pin, &new_len, &result->val.err) : NULL;
  if (pin == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  failed(instance->p11->C_SetPIN(session->handle, (CK_UTF8CHAR*)old_pin, old_len, (CK_UTF8CHAR*)pin,
                                 new_len),
         &result->is_err, &result->val.err);
  return BERTH_OK;
}

berth_status token_session_seed_random(berth_call* call,
                                       const token_session_seed_random_params* params,
                                       pkcs11_result_void_error* result) {
  (void)call;
  session_object* session = open_session(params->self, &result->val.err);
  static CK_BYTE nothing;
  if (session == NULL) {
    result->is_err = 1;
  } else {
    failed(session->instance->p11->C_SeedRandom(
               session->handle, params->seed.len ? (CK_BYTE*)params->seed.ptr : &nothing,
               params->seed.len),
           &result->is_err, &result->val.err);
  }
  return BERTH_OK;
}
