#include "pkcs11_attributes.h"

#include <stdlib.h>
#include <string.h>

/* How an attribute's value is kept, on both sides. */
typedef enum value_form {
  FORM_CLASS,
  FORM_KEY_TYPE,
  FORM_TEXT,
  FORM_BYTES,
  FORM_NUMBER,
  FORM_FLAG,
  FORM_RAW,
} value_form;

/* The CKA_* and form of each case of `attribute` and of `attribute-kind`, by tag; `other`,
 * the last case, names its own CKA_*. */
static const struct {
  CK_ATTRIBUTE_TYPE type;
  value_form form;
} attribute_cases[] = {
    {CKA_CLASS, FORM_CLASS},
    {CKA_KEY_TYPE, FORM_KEY_TYPE},
    {CKA_LABEL, FORM_TEXT},
    {CKA_ID, FORM_BYTES},
    {CKA_APPLICATION, FORM_TEXT},
    {CKA_VALUE, FORM_BYTES},
    {CKA_VALUE_LEN, FORM_NUMBER},
    {CKA_TOKEN, FORM_FLAG},
    {CKA_PRIVATE, FORM_FLAG},
    {CKA_MODIFIABLE, FORM_FLAG},
    {CKA_COPYABLE, FORM_FLAG},
    {CKA_DESTROYABLE, FORM_FLAG},
    {CKA_SENSITIVE, FORM_FLAG},
    {CKA_EXTRACTABLE, FORM_FLAG},
    {CKA_ALWAYS_SENSITIVE, FORM_FLAG},
    {CKA_NEVER_EXTRACTABLE, FORM_FLAG},
    {CKA_LOCAL, FORM_FLAG},
    {CKA_ENCRYPT, FORM_FLAG},
    {CKA_DECRYPT, FORM_FLAG},
    {CKA_SIGN, FORM_FLAG},
    {CKA_VERIFY, FORM_FLAG},
    {CKA_WRAP, FORM_FLAG},
    {CKA_UNWRAP, FORM_FLAG},
    {CKA_DERIVE, FORM_FLAG},
    {CKA_MODULUS, FORM_BYTES},
    {CKA_MODULUS_BITS, FORM_NUMBER},
    {CKA_PUBLIC_EXPONENT, FORM_BYTES},
    {CKA_EC_PARAMS, FORM_BYTES},
    {CKA_EC_POINT, FORM_BYTES},
};
#define KNOWN_ATTRIBUTES (sizeof attribute_cases / sizeof attribute_cases[0])

/* CKK_* of each case of `key-type` but `other`. The cases of `object-class` are the CKO_*
 * values 0 to 8 in order. */
static const CK_KEY_TYPE key_types[] = {
    CKK_RSA, CKK_DSA,         CKK_DH,          CKK_EC,          CKK_GENERIC_SECRET, CKK_DES3,
    CKK_AES, CKK_SHA256_HMAC, CKK_SHA384_HMAC, CKK_SHA512_HMAC, CKK_EC_EDWARDS,
};
#define KNOWN_KEY_TYPES (sizeof key_types / sizeof key_types[0])
#define KNOWN_CLASSES 9

int template_from(berth_list attributes, size_t extra, ck_template* out) {
  memset(out, 0, sizeof *out);
  out->capacity = attributes.len + extra;
  if (out->capacity == 0) return 1;
  out->items = calloc(out->capacity, sizeof *out->items);
  out->values = calloc(out->capacity, sizeof *out->values);
  if (out->items == NULL || out->values == NULL) {
    template_free(out);
    return 0;
  }
  const token_attribute* given = attributes.ptr;
  for (size_t i = 0; i < attributes.len; ++i) {
    const token_attribute* attribute = &given[i];
    CK_ATTRIBUTE* item = &out->items[out->count];
    union ck_value* value = &out->values[out->count];
    ++out->count;
    if (attribute->tag >= KNOWN_ATTRIBUTES) {
      item->type = (CK_ATTRIBUTE_TYPE)attribute->val.other.kind;
      item->pValue = (void*)attribute->val.other.value.ptr;
      item->ulValueLen = attribute->val.other.value.len;
      continue;
    }
    item->type = attribute_cases[attribute->tag].type;
    switch (attribute_cases[attribute->tag].form) {
      case FORM_CLASS:
        value->number = attribute->val.class_.tag < KNOWN_CLASSES
                            ? attribute->val.class_.tag
                            : (CK_ULONG)attribute->val.class_.val.other;
        break;
      case FORM_KEY_TYPE:
        value->number = attribute->val.key_type.tag < KNOWN_KEY_TYPES
                            ? key_types[attribute->val.key_type.tag]
                            : (CK_ULONG)attribute->val.key_type.val.other;
        break;
      case FORM_TEXT:
        item->pValue = (void*)attribute->val.label.ptr;
        item->ulValueLen = attribute->val.label.len;
        continue;
      case FORM_BYTES:
        item->pValue = (void*)attribute->val.id.ptr;
        item->ulValueLen = attribute->val.id.len;
        continue;
      case FORM_NUMBER:
        value->number = (CK_ULONG)attribute->val.value_len;
        break;
      case FORM_FLAG:
        value->flag = attribute->val.token ? CK_TRUE : CK_FALSE;
        item->pValue = &value->flag;
        item->ulValueLen = sizeof value->flag;
        continue;
      case FORM_RAW:
        break;
    }
    item->pValue = &value->number;
    item->ulValueLen = sizeof value->number;
  }
  return 1;
}

void template_free(ck_template* template) {
  free(template->items);
  free(template->values);
  memset(template, 0, sizeof *template);
}

static const CK_ATTRIBUTE* find(const ck_template* template, CK_ATTRIBUTE_TYPE type) {
  for (size_t i = 0; i < template->count; ++i) {
    if (template->items[i].type == type) return &template->items[i];
  }
  return NULL;
}

void template_default_bool(ck_template* template, CK_ATTRIBUTE_TYPE type, CK_BBOOL value) {
  if (find(template, type) != NULL || template->count == template->capacity) return;
  union ck_value* slot = &template->values[template->count];
  slot->flag = value;
  template->items[template->count++] = (CK_ATTRIBUTE){type, &slot->flag, sizeof slot->flag};
}

/* Whether the template sets `type` to `value` (a CK_BBOOL). */
static int sets_flag(const ck_template* template, CK_ATTRIBUTE_TYPE type, CK_BBOOL value) {
  const CK_ATTRIBUTE* item = find(template, type);
  return item != NULL && item->ulValueLen == sizeof(CK_BBOOL) &&
         *(const CK_BBOOL*)item->pValue == value;
}

int template_exposes_key(const ck_template* template) {
  return sets_flag(template, CKA_EXTRACTABLE, CK_TRUE) ||
         sets_flag(template, CKA_SENSITIVE, CK_FALSE);
}

/* A CK_ULONG-sized value read back. */
static int number_of(const CK_ATTRIBUTE* item, CK_ULONG* number) {
  if (item->ulValueLen != sizeof *number) return 0;
  memcpy(number, item->pValue, sizeof *number);
  return 1;
}

/* Converts one attribute read from the module into `out`. */
static CK_RV convert(const CK_ATTRIBUTE* item, value_form form, token_attribute* out) {
  CK_ULONG number = 0;
  switch (form) {
    case FORM_CLASS:
      if (!number_of(item, &number)) return CKR_ATTRIBUTE_VALUE_INVALID;
      out->val.class_.tag = number < KNOWN_CLASSES ? (uint32_t)number : TOKEN_OBJECT_CLASS_OTHER;
      out->val.class_.val.other = number;
      return CKR_OK;
    case FORM_KEY_TYPE:
      if (!number_of(item, &number)) return CKR_ATTRIBUTE_VALUE_INVALID;
      out->val.key_type.tag = TOKEN_KEY_TYPE_OTHER;
      out->val.key_type.val.other = number;
      for (uint32_t i = 0; i < KNOWN_KEY_TYPES; ++i) {
        if (key_types[i] == number) out->val.key_type.tag = i;
      }
      return CKR_OK;
    case FORM_TEXT:
      out->val.label.ptr = item->pValue;
      out->val.label.len = item->ulValueLen;
      return CKR_OK;
    case FORM_BYTES:
      out->val.id.ptr = item->pValue;
      out->val.id.len = item->ulValueLen;
      return CKR_OK;
    case FORM_NUMBER:
      if (!number_of(item, &number)) return CKR_ATTRIBUTE_VALUE_INVALID;
      out->val.value_len = number;
      return CKR_OK;
    case FORM_FLAG:
      if (item->ulValueLen != sizeof(CK_BBOOL)) return CKR_ATTRIBUTE_VALUE_INVALID;
      out->val.token = *(const CK_BBOOL*)item->pValue != CK_FALSE;
      return CKR_OK;
    case FORM_RAW:
      out->val.other.kind = item->type;
      out->val.other.value.ptr = item->pValue;
      out->val.other.value.len = item->ulValueLen;
      return CKR_OK;
  }
  return CKR_GENERAL_ERROR;
}

CK_RV attribute_read(berth_call* call, CK_FUNCTION_LIST* p11, CK_SESSION_HANDLE session,
                     CK_OBJECT_HANDLE object, CK_ATTRIBUTE* item) {
  item->pValue = NULL;
  CK_RV rv = p11->C_GetAttributeValue(session, object, item, 1);
  if (rv != CKR_OK) return rv;
  /* Aligned for a CK_ULONG value read back in place. */
  item->pValue = call->host->alloc(call, item->ulValueLen ? item->ulValueLen : 1, 8);
  if (item->pValue == NULL) return CKR_HOST_MEMORY;
  return p11->C_GetAttributeValue(session, object, item, 1);
}

CK_RV attributes_read(berth_call* call, CK_FUNCTION_LIST* p11, CK_SESSION_HANDLE session,
                      CK_OBJECT_HANDLE object, berth_list kinds, berth_list* out) {
  const token_attribute_kind* wanted = kinds.ptr;
  token_attribute* read = call->host->alloc(call, (kinds.len ? kinds.len : 1) * sizeof *read,
                                            _Alignof(token_attribute));
  if (read == NULL) return CKR_HOST_MEMORY;
  for (size_t i = 0; i < kinds.len; ++i) {
    int known = wanted[i].tag < KNOWN_ATTRIBUTES;
    CK_ATTRIBUTE item = {
        known ? attribute_cases[wanted[i].tag].type : (CK_ATTRIBUTE_TYPE)wanted[i].val.other, NULL,
        0};
    /* One attribute at a time, so that the error names the attribute's own trouble. */
    CK_RV rv = attribute_read(call, p11, session, object, &item);
    if (rv != CKR_OK) return rv;
    read[i].tag = known ? wanted[i].tag : TOKEN_ATTRIBUTE_OTHER;
    rv = convert(&item, known ? attribute_cases[wanted[i].tag].form : FORM_RAW, &read[i]);
    if (rv != CKR_OK) return rv;
  }
  out->ptr = read;
  out->len = kinds.len;
  return CKR_OK;
}
