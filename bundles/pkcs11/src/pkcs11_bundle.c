/* pkcs11:token@0.1.0 over any PKCS#11 module: the module the configuration names is loaded once
 * per process (pkcs11_module.c); each component instance sees the slots the configuration
 * lists, through sessions it opens (pkcs11_session.c) and keys it makes (pkcs11_keys.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkcs11_objects.h"

/* Not in p11-kit's header: PKCS#11 2.40's CKF_ERROR_STATE. */
#define TOKEN_FLAG_ERROR_STATE (1UL << 24)

berth_status pkcs11_create(berth_call* call, const berth_config_entry* config, size_t count,
                           void** self) {
  bundle_instance* instance = calloc(1, sizeof *instance);
  if (instance == NULL) return call->host->trap(call, "out of memory");
  char message[1024];
  if (!config_read(&instance->config, config, count, message, sizeof message)) {
    free(instance);
    return call->host->trap(call, message);
  }
  instance->module = module_acquire(instance->config.module, message, sizeof message);
  if (instance->module == NULL) {
    config_free(&instance->config);
    free(instance);
    return call->host->trap(call, message);
  }
  instance->p11 = module_functions(instance->module);
  *self = instance;
  return BERTH_OK;
}

void pkcs11_destroy(void* self) {
  bundle_instance* instance = self;
  if (instance == NULL) return;
  /* berth destroyed every session the guest held first; these are none, unless it failed to. */
  while (instance->sessions != NULL) session_close(instance->sessions);
  module_release(instance->module);
  config_free(&instance->config);
  free(instance);
}

/* A blank-padded text field of PKCS#11 without its padding, copied into the call's arena. */
static berth_str padded_text(berth_call* call, const unsigned char* field, size_t size) {
  while (size > 0 && (field[size - 1] == ' ' || field[size - 1] == '\0')) --size;
  return berth_str_copy(call, (const char*)field, size);
}

static int label_listed(const bundle_instance* instance, const unsigned char* label) {
  size_t len = 32;
  while (len > 0 && (label[len - 1] == ' ' || label[len - 1] == '\0')) --len;
  for (size_t i = 0; i < instance->config.token_label_count; ++i) {
    const char* listed = instance->config.token_labels[i];
    if (strlen(listed) == len && memcmp(listed, label, len) == 0) return 1;
  }
  return 0;
}

int slot_allowed(berth_call* call, bundle_instance* instance, CK_SLOT_ID slot, token_error* error) {
  for (size_t i = 0; i < instance->config.slot_count; ++i) {
    if (instance->config.slots[i] == slot) return 1;
  }
  if (instance->config.token_label_count > 0) {
    CK_TOKEN_INFO info;
    if (instance->p11->C_GetTokenInfo(slot, &info) == CKR_OK &&
        label_listed(instance, info.label)) {
      return 1;
    }
  }
  char message[160];
  snprintf(message, sizeof message,
           "slot %lu is not one the configuration lists (slots, token-labels)",
           (unsigned long)slot);
  *error = error_not_allowed(call, message);
  return 0;
}

static token_version version_of(CK_VERSION version) {
  token_version out = {version.major, version.minor};
  return out;
}

berth_status token_slots(berth_call* call, pkcs11_result_list_slot_info_error* result) {
  bundle_instance* instance = call->instance;
  CK_ULONG count = 0;
  CK_RV rv = instance->p11->C_GetSlotList(CK_FALSE, NULL, &count);
  CK_SLOT_ID* ids = NULL;
  if (rv == CKR_OK && count > 0) {
    ids = calloc(count, sizeof *ids);
    if (ids == NULL) return call->host->trap(call, "out of memory");
    rv = instance->p11->C_GetSlotList(CK_FALSE, ids, &count);
  }
  token_slot_info* slots = count ? call->host->alloc(call, count * sizeof *slots, 8) : NULL;
  size_t listed = 0;
  for (CK_ULONG i = 0; rv == CKR_OK && i < count && slots != NULL; ++i) {
    token_error ignored;
    if (!slot_allowed(call, instance, ids[i], &ignored)) continue;
    CK_SLOT_INFO info;
    rv = instance->p11->C_GetSlotInfo(ids[i], &info);
    if (rv != CKR_OK) break;
    token_slot_info* slot = &slots[listed++];
    slot->id = ids[i];
    slot->description = padded_text(call, info.slotDescription, sizeof info.slotDescription);
    slot->manufacturer = padded_text(call, info.manufacturerID, sizeof info.manufacturerID);
    slot->token_present = (info.flags & CKF_TOKEN_PRESENT) != 0;
    slot->removable_device = (info.flags & CKF_REMOVABLE_DEVICE) != 0;
    slot->hardware_slot = (info.flags & CKF_HW_SLOT) != 0;
    slot->hardware_version = version_of(info.hardwareVersion);
    slot->firmware_version = version_of(info.firmwareVersion);
  }
  free(ids);
  if (rv != CKR_OK) {
    result->is_err = 1;
    result->val.err = error_of_rv(rv);
    return BERTH_OK;
  }
  result->val.ok.ptr = slots;
  result->val.ok.len = listed;
  return BERTH_OK;
}

/* CKF_* token flags in the order of the WIT's token-flags. */
static const CK_FLAGS token_flag_bits[] = {
    CKF_RNG,
    CKF_WRITE_PROTECTED,
    CKF_LOGIN_REQUIRED,
    CKF_USER_PIN_INITIALIZED,
    CKF_RESTORE_KEY_NOT_NEEDED,
    CKF_CLOCK_ON_TOKEN,
    CKF_PROTECTED_AUTHENTICATION_PATH,
    CKF_DUAL_CRYPTO_OPERATIONS,
    CKF_TOKEN_INITIALIZED,
    CKF_SECONDARY_AUTHENTICATION,
    CKF_USER_PIN_COUNT_LOW,
    CKF_USER_PIN_FINAL_TRY,
    CKF_USER_PIN_LOCKED,
    CKF_USER_PIN_TO_BE_CHANGED,
    CKF_SO_PIN_COUNT_LOW,
    CKF_SO_PIN_FINAL_TRY,
    CKF_SO_PIN_LOCKED,
    CKF_SO_PIN_TO_BE_CHANGED,
    TOKEN_FLAG_ERROR_STATE,
};

/* A count of CK_TOKEN_INFO: none when the token does not say (or, for a maximum, when it is
 * unlimited: `unlimited_is_zero`). */
static pkcs11_option_u64 count_of(CK_ULONG value, int unlimited_is_zero) {
  pkcs11_option_u64 out = {0, 0};
  if (value == CK_UNAVAILABLE_INFORMATION || (unlimited_is_zero && value == 0)) return out;
  out.is_some = 1;
  out.val = value;
  return out;
}

berth_status token_token(berth_call* call, const token_token_params* params,
                         pkcs11_result_token_info_error* result) {
  bundle_instance* instance = call->instance;
  if (!slot_allowed(call, instance, params->slot, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_TOKEN_INFO info;
  CK_RV rv = instance->p11->C_GetTokenInfo(params->slot, &info);
  if (rv != CKR_OK) {
    result->is_err = 1;
    result->val.err = error_of_rv(rv);
    return BERTH_OK;
  }
  token_token_info* out = &result->val.ok;
  out->label = padded_text(call, info.label, sizeof info.label);
  out->manufacturer = padded_text(call, info.manufacturerID, sizeof info.manufacturerID);
  out->model = padded_text(call, info.model, sizeof info.model);
  out->serial_number = padded_text(call, info.serialNumber, sizeof info.serialNumber);
  for (size_t i = 0; i < sizeof token_flag_bits / sizeof token_flag_bits[0]; ++i) {
    if (info.flags & token_flag_bits[i]) out->flags.bits[0] |= 1u << i;
  }
  out->max_session_count = count_of(info.ulMaxSessionCount, 1);
  out->session_count = count_of(info.ulSessionCount, 0);
  out->max_rw_session_count = count_of(info.ulMaxRwSessionCount, 1);
  out->rw_session_count = count_of(info.ulRwSessionCount, 0);
  out->min_pin_length = info.ulMinPinLen;
  out->max_pin_length = info.ulMaxPinLen;
  out->total_public_memory = count_of(info.ulTotalPublicMemory, 0);
  out->free_public_memory = count_of(info.ulFreePublicMemory, 0);
  out->total_private_memory = count_of(info.ulTotalPrivateMemory, 0);
  out->free_private_memory = count_of(info.ulFreePrivateMemory, 0);
  out->hardware_version = version_of(info.hardwareVersion);
  out->firmware_version = version_of(info.firmwareVersion);
  if (info.flags & CKF_CLOCK_ON_TOKEN) {
    out->utc_time.is_some = 1;
    out->utc_time.val = berth_str_copy(call, (const char*)info.utcTime, sizeof info.utcTime);
  }
  return BERTH_OK;
}

berth_status token_mechanisms(berth_call* call, const token_mechanisms_params* params,
                              pkcs11_result_list_u64_error* result) {
  bundle_instance* instance = call->instance;
  if (!slot_allowed(call, instance, params->slot, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_ULONG count = 0;
  CK_RV rv = instance->p11->C_GetMechanismList(params->slot, NULL, &count);
  CK_MECHANISM_TYPE* types = NULL;
  if (rv == CKR_OK) {
    types = calloc(count ? count : 1, sizeof *types);
    if (types == NULL) return call->host->trap(call, "out of memory");
    rv = instance->p11->C_GetMechanismList(params->slot, types, &count);
  }
  uint64_t* listed = rv == CKR_OK ? call->host->alloc(call, (count ? count : 1) * 8, 8) : NULL;
  if (rv == CKR_OK && listed == NULL) rv = CKR_HOST_MEMORY;
  if (!failed(rv, &result->is_err, &result->val.err)) {
    for (CK_ULONG i = 0; i < count; ++i) listed[i] = types[i];
    result->val.ok.ptr = listed;
    result->val.ok.len = count;
  }
  free(types);
  return BERTH_OK;
}

/* CKF_* mechanism flags in the order of the WIT's mechanism-flags. */
static const CK_FLAGS mechanism_flag_bits[] = {
    CKF_HW,           CKF_ENCRYPT, CKF_DECRYPT,        CKF_DIGEST,    CKF_SIGN,
    CKF_SIGN_RECOVER, CKF_VERIFY,  CKF_VERIFY_RECOVER, CKF_GENERATE,  CKF_GENERATE_KEY_PAIR,
    CKF_WRAP,         CKF_UNWRAP,  CKF_DERIVE,         CKF_EXTENSION,
};

berth_status token_describe_mechanism(berth_call* call,
                                      const token_describe_mechanism_params* params,
                                      pkcs11_result_mechanism_info_error* result) {
  bundle_instance* instance = call->instance;
  if (!slot_allowed(call, instance, params->slot, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_MECHANISM_INFO info;
  if (failed(instance->p11->C_GetMechanismInfo(params->slot, params->mechanism, &info),
             &result->is_err, &result->val.err)) {
    return BERTH_OK;
  }
  result->val.ok.min_key_size = info.ulMinKeySize;
  result->val.ok.max_key_size = info.ulMaxKeySize;
  for (size_t i = 0; i < sizeof mechanism_flag_bits / sizeof mechanism_flag_bits[0]; ++i) {
    if (info.flags & mechanism_flag_bits[i]) result->val.ok.flags.bits[0] |= 1u << i;
  }
  return BERTH_OK;
}

berth_status token_init_token(berth_call* call, const token_init_token_params* params,
                              pkcs11_result_void_error* result) {
  bundle_instance* instance = call->instance;
  if (!slot_allowed(call, instance, params->slot, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  if (!instance->config.allow_token_initialization) {
    result->is_err = 1;
    result->val.err = error_not_allowed(call,
                                        "a component may not initialise a token (configuration "
                                        "'allow-token-initialization' is false)");
    return BERTH_OK;
  }
  size_t len = 0;
  const char* pin = login_pin(call, &instance->config, 1, &params->so_pin, &len, &result->val.err);
  if (pin == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  /* The label is 32 bytes padded with blanks; a longer one is refused, not cut. */
  if (params->label.len > 32) {
    failed(CKR_ARGUMENTS_BAD, &result->is_err, &result->val.err);
    return BERTH_OK;
  }
  CK_UTF8CHAR label[32];
  memset(label, ' ', sizeof label);
  if (params->label.len) memcpy(label, params->label.ptr, params->label.len);
  failed(instance->p11->C_InitToken(params->slot, (CK_UTF8CHAR*)pin, len, label), &result->is_err,
         &result->val.err);
  return BERTH_OK;
}
