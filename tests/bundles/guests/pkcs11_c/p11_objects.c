/* The named objects: the table of up to MAX_OBJECTS names and the current key pair, which share
 * handles; and the commands that make objects (.generate, .genkey, .genpair, .create-data,
 * .create-aes, .copy, .find, .find-all) or work on them (.labels, .attrs, .set, .size, .remove,
 * .drop-object). */
#include <inttypes.h>
#include <string.h>

#include "p11.h"

/* ---- the table ---- */

/* An object handle can be both a named object and one of the current pair (.generate): it is
 * dropped once neither holds it. */
void unref(state* s, uint32_t handle) {
  if (handle == 0 || handle == s->public_key || handle == s->private_key) return;
  for (size_t i = 0; i < MAX_OBJECTS; ++i) {
    if (s->objects[i].handle == handle) return;
  }
  object_drop(handle);
}

void drop_key_pair(state* s) {
  uint32_t public_key = s->public_key, private_key = s->private_key;
  s->public_key = s->private_key = 0;
  unref(s, public_key);
  unref(s, private_key);
}

named_object* find_name(state* s, const char* name) {
  for (size_t i = 0; i < MAX_OBJECTS; ++i) {
    if (s->objects[i].handle && strcmp(s->objects[i].name, name) == 0) return &s->objects[i];
  }
  return NULL;
}

uint32_t lookup(state* s, const char* name) {
  named_object* entry = find_name(s, name);
  return entry ? entry->handle : 0;
}

/* Names `handle` `name`, dropping what the name held; 0 when the table is full or the name too
 * long (the handle is then the caller's still). */
static int store(state* s, const char* name, uint32_t handle) {
  if (strlen(name) > MAX_NAME) return 0;
  named_object* entry = find_name(s, name);
  if (entry == NULL) {
    for (size_t i = 0; i < MAX_OBJECTS && entry == NULL; ++i) {
      if (s->objects[i].handle == 0) entry = &s->objects[i];
    }
    if (entry == NULL) return 0;
    strcpy(entry->name, name);
    entry->handle = 0;
  }
  uint32_t old = entry->handle;
  entry->handle = handle;
  unref(s, old);
  return 1;
}

/* `name` with `suffix` (".public", ".private") in `out`, of MAX_NAME + 1 bytes; an empty name
 * (which no object has) when the two do not fit. */
const char* suffixed(char* out, const char* name, const char* suffix) {
  if (strlen(name) + strlen(suffix) > MAX_NAME)
    out[0] = '\0';
  else
    snprintf(out, MAX_NAME + 1, "%s%s", name, suffix);
  return out;
}

int no_object(const char* command, const char* name) {
  fflush(stdout);
  fprintf(stderr, "p11: %s: no object %s\n", command, name);
  return 1;
}

/* Stores a new handle as `name`, or reports that it cannot and drops it. */
int keep(state* s, const char* command, const char* name, uint32_t handle) {
  if (store(s, name, handle)) return 0;
  unref(s, handle);
  fflush(stdout);
  fprintf(stderr, "p11: %s: no room for %s\n", command, name);
  return 1;
}

/* ---- the commands ---- */

int generate(state* s, uint32_t curve, const char* label, const key_flags* flags) {
  key_pair_ret ret;
  CALL(session_generate_ec_key_pair(s->session, curve, label, strlen(label), NULL, 0,
                                    (uint32_t)flags->persistent, (uint32_t)flags->extractable,
                                    (uint32_t)!flags->not_sensitive, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  drop_key_pair(s);
  s->public_key = ret.val.ok.public_key;
  s->private_key = ret.val.ok.private_key;
  /* Named too, when the names fit and there is room (quietly otherwise: the pair is current). */
  char name[MAX_NAME + 1];
  if (*suffixed(name, label, ".public")) store(s, name, s->public_key);
  if (*suffixed(name, label, ".private")) store(s, name, s->private_key);
  bytes_ret point;
  CALL(object_ec_point(s->public_key, &point));
  if (point.is_err) return failed(&point.val.err);
  printf("generated %s: %zu-byte public point\n", label, point.val.ok.len);
  release(point.val.ok.ptr, point.val.ok.len);
  return 0;
}

int labels(state* s) {
  string_ret public_label, private_label;
  CALL(object_label(s->public_key, &public_label));
  if (public_label.is_err) return failed(&public_label.val.err);
  CALL(object_label(s->private_key, &private_label));
  if (private_label.is_err) {
    release(public_label.val.ok.ptr, public_label.val.ok.len);
    return failed(&private_label.val.err);
  }
  printf("public %.*s, private %.*s\n", (int)public_label.val.ok.len, public_label.val.ok.ptr,
         (int)private_label.val.ok.len, private_label.val.ok.ptr);
  release(public_label.val.ok.ptr, public_label.val.ok.len);
  release(private_label.val.ok.ptr, private_label.val.ok.len);
  return 0;
}

int generate_key(state* s, const char* name, int aes, uint64_t bytes, const key_flags* flags) {
  p11_template t = {0};
  add_text(&t, ATTR_LABEL, name);
  add_number(&t, ATTR_VALUE_LEN, bytes);
  if (aes) {
    add_flag(&t, ATTR_ENCRYPT, 1);
    add_flag(&t, ATTR_DECRYPT, 1);
    add_flag(&t, ATTR_WRAP, 1);
    add_flag(&t, ATTR_UNWRAP, 1);
  } else {
    add_flag(&t, ATTR_SIGN, 1);
    add_flag(&t, ATTR_VERIFY, 1);
    add_flag(&t, ATTR_DERIVE, 1);
  }
  add_key_flags(&t, flags);
  mech_flat mechanism = {0};
  mechanism.tag = aes ? MECH_AES_KEY_GEN : MECH_GENERIC_SECRET_KEY_GEN;
  handle_ret ret;
  CALL(session_generate_key(s->session, MECH_ARGS(mechanism), t.items, t.count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  if (keep(s, ".genkey", name, ret.val.handle)) return 1;
  printf("generated key %s\n", name);
  return 0;
}

static const uint8_t rsa_public_exponent[] = {0x01, 0x00, 0x01};
static const uint8_t p256_oid[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
static const uint8_t p384_oid[] = {0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22};

/* An RSA pair of `bits` when `curve` is NULL, else an EC pair on it (p256_oid, p384_oid). */
static int generate_pair(state* s, const char* name, uint64_t bits, const uint8_t* curve,
                         size_t curve_len, const key_flags* flags) {
  p11_template public_template = {0}, private_template = {0};
  add_text(&public_template, ATTR_LABEL, name);
  add_text(&private_template, ATTR_LABEL, name);
  mech_flat mechanism = {0};
  if (curve == NULL) {
    mechanism.tag = MECH_RSA_PKCS_KEY_PAIR_GEN;
    add_number(&public_template, ATTR_MODULUS_BITS, bits);
    add_bytes(&public_template, ATTR_PUBLIC_EXPONENT, rsa_public_exponent,
              sizeof rsa_public_exponent);
    add_flag(&public_template, ATTR_ENCRYPT, 1);
    add_flag(&public_template, ATTR_VERIFY, 1);
    add_flag(&public_template, ATTR_WRAP, 1);
    add_flag(&private_template, ATTR_DECRYPT, 1);
    add_flag(&private_template, ATTR_SIGN, 1);
    add_flag(&private_template, ATTR_UNWRAP, 1);
  } else {
    mechanism.tag = MECH_EC_KEY_PAIR_GEN;
    add_bytes(&public_template, ATTR_EC_PARAMS, curve, curve_len);
    add_flag(&public_template, ATTR_VERIFY, 1);
    add_flag(&private_template, ATTR_SIGN, 1);
    add_flag(&private_template, ATTR_DERIVE, 1);
  }
  if (flags->persistent) add_flag(&public_template, ATTR_TOKEN, 1);
  add_key_flags(&private_template, flags);
  key_pair_ret ret;
  CALL(session_generate_key_pair(s->session, MECH_ARGS(mechanism), public_template.items,
                                 public_template.count, private_template.items,
                                 private_template.count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  char public_name[MAX_NAME + 1], private_name[MAX_NAME + 1];
  int status = keep(s, ".genpair", suffixed(public_name, name, ".public"), ret.val.ok.public_key);
  status |= keep(s, ".genpair", suffixed(private_name, name, ".private"), ret.val.ok.private_key);
  if (status) return status;
  printf("generated pair %s\n", name);
  return 0;
}

int generate_rsa_pair(state* s, const char* name, uint64_t bits, const key_flags* flags) {
  return generate_pair(s, name, bits, NULL, 0, flags);
}

int generate_ec_pair(state* s, const char* name, uint32_t curve, const key_flags* flags) {
  if (curve == CURVE_P256) return generate_pair(s, name, 0, p256_oid, sizeof p256_oid, flags);
  return generate_pair(s, name, 0, p384_oid, sizeof p384_oid, flags);
}

static int create_object(state* s, const char* command, const char* name, const p11_template* t) {
  handle_ret ret;
  CALL(session_create_object(s->session, t->items, t->count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  if (keep(s, command, name, ret.val.handle)) return 1;
  printf("created %s\n", name);
  return 0;
}

int create_data(state* s, const char* name, const char* text, int persistent) {
  p11_template t = {0};
  add_case(&t, ATTR_CLASS, CLASS_DATA);
  add_text(&t, ATTR_LABEL, name);
  add_bytes(&t, ATTR_VALUE, text_bytes(text), strlen(text));
  if (persistent) add_flag(&t, ATTR_TOKEN, 1);
  return create_object(s, ".create-data", name, &t);
}

int create_aes(state* s, const char* name, const byte_buffer* value, const key_flags* flags) {
  p11_template t = {0};
  add_case(&t, ATTR_CLASS, CLASS_SECRET_KEY);
  add_case(&t, ATTR_KEY_TYPE, KEY_TYPE_AES);
  add_text(&t, ATTR_LABEL, name);
  add_bytes(&t, ATTR_VALUE, value->ptr, value->len);
  add_flag(&t, ATTR_ENCRYPT, 1);
  add_flag(&t, ATTR_DECRYPT, 1);
  add_key_flags(&t, flags);
  return create_object(s, ".create-aes", name, &t);
}

int copy_object(state* s, uint32_t source, const char* new_name, const char* label) {
  p11_template t = {0};
  if (label) add_text(&t, ATTR_LABEL, label);
  handle_ret ret;
  CALL(session_copy_object(s->session, source, t.items, t.count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  if (keep(s, ".copy", new_name, ret.val.handle)) return 1;
  printf("copied %s\n", new_name);
  return 0;
}

/* .find LABEL (`label` NULL: .find-all) */
int find_objects(state* s, const char* command, const char* label) {
  p11_template t = {0};
  if (label) add_text(&t, ATTR_LABEL, label);
  handle_ret ret;
  CALL(session_find_objects(s->session, t.items, t.count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  uint32_t search = ret.val.handle;
  uint32_t* found = NULL;
  size_t count = 0;
  for (;;) {
    list_ret next;
    CALL(search_next(search, 16, &next));
    if (next.is_err) {
      search_drop(search);
      for (size_t i = 0; i < count; ++i) object_drop(found[i]);
      free(found);
      return failed(&next.val.err);
    }
    if (next.val.ok.len == 0) break;
    uint32_t* grown = realloc(found, (count + next.val.ok.len) * sizeof *found);
    if (grown == NULL) abort();
    found = grown;
    memcpy(found + count, next.val.ok.ptr, next.val.ok.len * sizeof *found);
    count += next.val.ok.len;
    release(next.val.ok.ptr, next.val.ok.len);
  }
  search_drop(search);
  int status = 0;
  char name[MAX_NAME + 1];
  for (size_t i = 0; i < count; ++i) {
    snprintf(name, sizeof name, "found%zu", i);
    status |= keep(s, command, name, found[i]);
  }
  free(found);
  if (status) return status;
  printf("found %zu\n", count);
  for (size_t i = 0; i < count; ++i) {
    snprintf(name, sizeof name, "found%zu", i);
    p11_tagged_u64 kind = {ATTR_CLASS, 0};
    list_ret attributes;
    CALL(object_attributes(lookup(s, name), &kind, 1, &attributes));
    if (attributes.is_err) return failed(&attributes.val.err);
    const p11_attribute* read = attributes.val.ok.ptr;
    printf("%s: ", name);
    if (attributes.val.ok.len == 1 && read[0].tag == ATTR_CLASS)
      print_object_class(&read[0].val.class_);
    else
      printf("no class");
    printf("\n");
    for (size_t j = 0; j < attributes.val.ok.len; ++j) release_attribute(&read[j]);
    release(attributes.val.ok.ptr, attributes.val.ok.len);
  }
  return 0;
}

static int print_attributes(uint32_t object, const p11_tagged_u64* kinds, size_t count) {
  list_ret ret;
  CALL(object_attributes(object, kinds, count, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  const p11_attribute* read = ret.val.ok.ptr;
  for (size_t i = 0; i < ret.val.ok.len; ++i) {
    print_attribute(&read[i]);
    release_attribute(&read[i]);
  }
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

/* .attrs: `kind_words` holds `count` KIND words, already checked. */
int show_attributes(uint32_t object, char** kind_words, int count) {
  p11_tagged_u64* kinds = calloc(count ? (size_t)count : 1, sizeof *kinds);
  if (kinds == NULL) abort();
  for (int j = 0; j < count; ++j) {
    uint32_t k = attribute_kind(kind_words[j]);
    kinds[j].tag = (uint8_t)k;
    if (k == ATTR_OTHER) parse_u64(kind_words[j], &kinds[j].other);
  }
  int status = print_attributes(object, kinds, (size_t)count);
  free(kinds);
  return status;
}

int set_attributes(uint32_t object, const p11_template* t) {
  unit_ret ret;
  CALL(object_set_attributes(object, t->items, t->count, &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("set\n");
  return 0;
}

int object_size_of(uint32_t object) {
  u64_ret ret;
  CALL(object_size(object, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  if (ret.val.ok.is_some) {
    printf("%" PRIu64 " bytes on the token\n", ret.val.ok.val);
  } else {
    printf("size unknown\n");
  }
  return 0;
}

int remove_object(uint32_t object, const char* name) {
  unit_ret ret;
  CALL(object_remove(object, &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("removed %s\n", name);
  return 0;
}

void drop_object(state* s, named_object* entry) {
  uint32_t handle = entry->handle;
  entry->handle = 0;
  /* A handle of the current pair: the pair goes with it. */
  if (handle == s->public_key || handle == s->private_key) {
    uint32_t other = handle == s->public_key ? s->private_key : s->public_key;
    s->public_key = s->private_key = 0;
    unref(s, other);
  }
  object_drop(handle);
}
