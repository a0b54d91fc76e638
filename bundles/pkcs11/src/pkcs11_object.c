/* Objects: their attributes, creating, copying, finding and removing them. */
#include <stdlib.h>
#include <string.h>

#include "pkcs11_objects.h"

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

/* An object whose session is still open; NULL with `*error` set when it is closed. */
static key_object* live_object(berth_rep rep, token_error* error) {
  key_object* object = (key_object*)rep;
  return open_session((berth_rep)object->session, error) ? object : NULL;
}

int session_and_object(berth_rep self, berth_rep rep, session_object** session, key_object** object,
                       token_error* error) {
  *session = open_session(self, error);
  *object = *session ? live_object(rep, error) : NULL;
  return *object != NULL;
}

const char* refused_template(const bundle_instance* instance, const ck_template* template) {
  if (instance->config.allow_extractable_keys || !template_exposes_key(template)) return NULL;
  return "a component may not make keys that are extractable or not sensitive (configuration "
         "'allow-extractable-keys' is false)";
}

/* The value of attribute `type` of `object`, copied into the call's arena. */
static CK_RV attribute_value(berth_call* call, const key_object* object, CK_ATTRIBUTE_TYPE type,
                             berth_list* out) {
  CK_ATTRIBUTE item = {type, NULL, 0};
  CK_RV rv = attribute_read(call, object->session->instance->p11, object->session->handle,
                            object->handle, &item);
  out->ptr = item.pValue;
  out->len = item.ulValueLen;
  return rv;
}

berth_status token_object_label(berth_call* call, const token_object_label_params* params,
                                pkcs11_result_string_error* result) {
  key_object* object = live_object(params->self, &result->val.err);
  berth_list value = {NULL, 0};
  if (object == NULL) {
    result->is_err = 1;
  } else if (!failed(attribute_value(call, object, CKA_LABEL, &value), &result->is_err,
                     &result->val.err)) {
    result->val.ok.ptr = value.ptr;
    result->val.ok.len = value.len;
  }
  return BERTH_OK;
}

berth_status token_object_ec_point(berth_call* call, const token_object_ec_point_params* params,
                                   pkcs11_result_list_u8_error* result) {
  key_object* object = live_object(params->self, &result->val.err);
  if (object == NULL) {
    result->is_err = 1;
  } else {
    failed(attribute_value(call, object, CKA_EC_POINT, &result->val.ok), &result->is_err,
           &result->val.err);
  }
  return BERTH_OK;
}

berth_status token_object_attributes(berth_call* call, const token_object_attributes_params* params,
                                     pkcs11_result_list_attribute_error* result) {
  key_object* object = live_object(params->self, &result->val.err);
  if (object == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  session_object* session = object->session;
  failed(attributes_read(call, session->instance->p11, session->handle, object->handle,
                         params->kinds, &result->val.ok),
         &result->is_err, &result->val.err);
  return BERTH_OK;
}

berth_status token_object_set_attributes(berth_call* call,
                                         const token_object_set_attributes_params* params,
                                         pkcs11_result_void_error* result) {
  key_object* object = live_object(params->self, &result->val.err);
  if (object == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  bundle_instance* instance = object->session->instance;
  ck_template template;
  if (!template_from(params->template_, 0, &template)) {
    return call->host->trap(call, "out of memory");
  }
  const char* refused = refused_template(instance, &template);
  if (refused != NULL) {
    result->is_err = 1;
    result->val.err = error_not_allowed(call, refused);
  } else {
    failed(instance->p11->C_SetAttributeValue(object->session->handle, object->handle,
                                              template.items, template.count),
           &result->is_err, &result->val.err);
  }
  template_free(&template);
  return BERTH_OK;
}

berth_status token_object_size(berth_call* call, const token_object_size_params* params,
                               pkcs11_result_option_u64_error* result) {
  (void)call;
  key_object* object = live_object(params->self, &result->val.err);
  if (object == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_ULONG size = 0;
  if (!failed(object->session->instance->p11->C_GetObjectSize(object->session->handle,
                                                              object->handle, &size),
              &result->is_err, &result->val.err) &&
      size != CK_UNAVAILABLE_INFORMATION) {
    result->val.ok.is_some = 1;
    result->val.ok.val = size;
  }
  return BERTH_OK;
}

berth_status token_object_remove(berth_call* call, const token_object_remove_params* params,
                                 pkcs11_result_void_error* result) {
  (void)call;
  key_object* object = live_object(params->self, &result->val.err);
  if (object == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  failed(object->session->instance->p11->C_DestroyObject(object->session->handle, object->handle),
         &result->is_err, &result->val.err);
  return BERTH_OK;
}

/* Runs `make` (C_CreateObject or C_CopyObject) with `template` once the configuration allows
 * it, and returns the new object in `result`. */
static berth_status made_object(berth_call* call, session_object* session, berth_list attributes,
                                const key_object* source, pkcs11_result_own_object_error* result) {
  bundle_instance* instance = session->instance;
  ck_template template;
  if (!template_from(attributes, 0, &template)) return call->host->trap(call, "out of memory");
  const char* refused = refused_template(instance, &template);
  CK_OBJECT_HANDLE handle = CK_INVALID_HANDLE;
  if (refused != NULL) {
    result->is_err = 1;
    result->val.err = error_not_allowed(call, refused);
  } else {
    CK_RV rv = source ? instance->p11->C_CopyObject(session->handle, source->handle, template.items,
                                                    template.count, &handle)
                      : instance->p11->C_CreateObject(session->handle, template.items,
                                                      template.count, &handle);
    if (!failed(rv, &result->is_err, &result->val.err)) {
      result->val.ok = object_new(session, handle);
      if (result->val.ok == 0) {
        template_free(&template);
        return call->host->trap(call, "out of memory");
      }
    }
  }
  template_free(&template);
  return BERTH_OK;
}

berth_status token_session_create_object(berth_call* call,
                                         const token_session_create_object_params* params,
                                         pkcs11_result_own_object_error* result) {
  session_object* session = open_session(params->self, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  return made_object(call, session, params->template_, NULL, result);
}

berth_status token_session_copy_object(berth_call* call,
                                       const token_session_copy_object_params* params,
                                       pkcs11_result_own_object_error* result) {
  session_object* session;
  key_object* source;
  if (!session_and_object(params->self, params->source, &session, &source, &result->val.err)) {
    result->is_err = 1;
    return BERTH_OK;
  }
  return made_object(call, session, params->template_, source, result);
}

/* ---- search ---- */

typedef struct search_object {
  session_object* session;
  int active; /* between C_FindObjectsInit and C_FindObjectsFinal */
} search_object;

berth_status token_session_find_objects(berth_call* call,
                                        const token_session_find_objects_params* params,
                                        pkcs11_result_own_search_error* result) {
  session_object* session = open_session(params->self, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  ck_template template;
  if (!template_from(params->template_, 0, &template))
    return call->host->trap(call, "out of memory");
  CK_RV rv =
      session->instance->p11->C_FindObjectsInit(session->handle, template.items, template.count);
  template_free(&template);
  if (failed(rv, &result->is_err, &result->val.err)) return BERTH_OK;
  search_object* search = calloc(1, sizeof *search);
  if (search == NULL) {
    session->instance->p11->C_FindObjectsFinal(session->handle);
    return call->host->trap(call, "out of memory");
  }
  search->session = session;
  search->active = 1;
  session->holders++;
  result->val.ok = (berth_rep)search;
  return BERTH_OK;
}

berth_status token_search_next(berth_call* call, const token_search_next_params* params,
                               pkcs11_result_list_own_object_error* result) {
  search_object* search = (search_object*)params->self;
  session_object* session = open_session((berth_rep)search->session, &result->val.err);
  if (session == NULL) {
    result->is_err = 1;
    return BERTH_OK;
  }
  CK_ULONG max = params->max > 1024 ? 1024 : params->max;
  CK_OBJECT_HANDLE handles[1024];
  CK_ULONG count = 0;
  if (max > 0 &&
      failed(session->instance->p11->C_FindObjects(session->handle, handles, max, &count),
             &result->is_err, &result->val.err)) {
    return BERTH_OK;
  }
  berth_rep* objects = call->host->alloc(call, (count ? count : 1) * sizeof *objects, 8);
  if (objects == NULL) return call->host->trap(call, "out of memory");
  for (CK_ULONG i = 0; i < count; ++i) {
    objects[i] = object_new(session, handles[i]);
    if (objects[i] == 0) {
      while (i > 0) token_object_destroy(session->instance, objects[--i]);
      return call->host->trap(call, "out of memory");
    }
  }
  result->val.ok.ptr = objects;
  result->val.ok.len = count;
  return BERTH_OK;
}

void token_search_destroy(void* self, berth_rep rep) {
  (void)self;
  search_object* search = (search_object*)rep;
  if (search->active && search->session->open) {
    search->session->instance->p11->C_FindObjectsFinal(search->session->handle);
  }
  session_release(search->session);
  free(search);
}
