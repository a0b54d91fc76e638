/* The commands on slots, tokens and mechanisms (.slots, .token, .mechanisms, .mechanism-info,
 * .init-token), and on the session itself: .open, .session-info, logging in and out, the PINs,
 * and random numbers (.seed, .random). */
#include <inttypes.h>
#include <string.h>

#include "p11.h"

/* flags token-flags, in WIT order: bit N is flag N (19 flags, so a u32) */
static const char* const token_flag_names[] = {"rng",
                                               "write-protected",
                                               "login-required",
                                               "user-pin-initialized",
                                               "restore-key-not-needed",
                                               "clock-on-token",
                                               "protected-authentication-path",
                                               "dual-crypto-operations",
                                               "token-initialized",
                                               "secondary-authentication",
                                               "user-pin-count-low",
                                               "user-pin-final-try",
                                               "user-pin-locked",
                                               "user-pin-to-be-changed",
                                               "so-pin-count-low",
                                               "so-pin-final-try",
                                               "so-pin-locked",
                                               "so-pin-to-be-changed",
                                               "error-state"};
_Static_assert(sizeof token_flag_names / sizeof token_flag_names[0] == 19, "token-flags");

/* flags mechanism-flags, in WIT order: bit N is flag N (14 flags, so a u16 in memory) */
static const char* const mechanism_flag_names[] = {
    "hw",           "encrypt", "decrypt",        "digest",   "sign",
    "sign-recover", "verify",  "verify-recover", "generate", "generate-key-pair",
    "wrap",         "unwrap",  "derive",         "extension"};
_Static_assert(sizeof mechanism_flag_names / sizeof mechanism_flag_names[0] == 14,
               "mechanism-flags");

/* enum session-state (5 cases: a u8) */
static const char* const session_state_names[] = {"read-only-public", "read-only-user",
                                                  "read-write-public", "read-write-user",
                                                  "read-write-security-officer"};

/* " NAME" per flag set in `flags`, bit N being names[N]. */
static void print_flags(uint32_t flags, const char* const* names, unsigned count) {
  for (unsigned f = 0; f < count; ++f) {
    if (flags & (UINT32_C(1) << f)) printf(" %s", names[f]);
  }
}

int list_slots(void) {
  slots_ret ret;
  CALL(p11_slots(&ret));
  if (ret.is_err) return failed(&ret.val.err);
  const p11_slot_info* slots = ret.val.ok.ptr;
  if (ret.val.ok.len == 0) printf("no slots\n");
  for (size_t i = 0; i < ret.val.ok.len; ++i) {
    const p11_slot_info* slot = &slots[i];
    printf("slot %" PRIu64 ": %.*s | %.*s | token %s\n", slot->id, (int)slot->description.len,
           slot->description.ptr, (int)slot->manufacturer.len, slot->manufacturer.ptr,
           slot->token_present ? "present" : "absent");
    release(slot->description.ptr, slot->description.len);
    release(slot->manufacturer.ptr, slot->manufacturer.len);
  }
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

int show_token(uint64_t slot) {
  token_ret ret;
  CALL(p11_token(slot, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  const p11_token_info* info = &ret.val.ok;
  printf("token %.*s | %.*s | %.*s | serial %.*s\n", (int)info->label.len, info->label.ptr,
         (int)info->manufacturer.len, info->manufacturer.ptr, (int)info->model.len, info->model.ptr,
         (int)info->serial_number.len, info->serial_number.ptr);
  printf("flags:");
  print_flags(info->flags, token_flag_names, sizeof token_flag_names / sizeof token_flag_names[0]);
  printf("\n");
  printf("pin length %" PRIu64 " to %" PRIu64 "\n", info->min_pin_length, info->max_pin_length);
  release(info->label.ptr, info->label.len);
  release(info->manufacturer.ptr, info->manufacturer.len);
  release(info->model.ptr, info->model.len);
  release(info->serial_number.ptr, info->serial_number.len);
  if (info->utc_time.is_some) release(info->utc_time.val.ptr, info->utc_time.val.len);
  return 0;
}

/* `hex` holds the numbers to look for, already checked. */
int list_mechanisms(uint64_t slot, char** hex, int count) {
  list_ret ret;
  CALL(p11_mechanisms(slot, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  const uint64_t* mechanisms = ret.val.ok.ptr;
  printf("%zu mechanisms\n", ret.val.ok.len);
  for (int j = 0; j < count; ++j) {
    uint64_t wanted = 0;
    parse_u64(hex[j], &wanted);
    int found = 0;
    for (size_t k = 0; k < ret.val.ok.len && !found; ++k) found = mechanisms[k] == wanted;
    printf("%s %s\n", hex[j], found ? "yes" : "no");
  }
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}

int describe_mechanism(uint64_t slot, uint64_t mechanism) {
  mechanism_info_ret ret;
  CALL(p11_describe_mechanism(slot, mechanism, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  printf("key size %" PRIu64 " to %" PRIu64 ", flags:", ret.val.ok.min_key_size,
         ret.val.ok.max_key_size);
  print_flags(ret.val.ok.flags, mechanism_flag_names,
              sizeof mechanism_flag_names / sizeof mechanism_flag_names[0]);
  printf("\n");
  return 0;
}

int init_token(uint64_t slot, const char* so_pin, const char* label) {
  unit_ret ret;
  CALL(p11_init_token(slot, so_pin != NULL, so_pin, so_pin ? strlen(so_pin) : 0, label,
                      strlen(label), &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("token initialised\n");
  return 0;
}

int open_session(state* s, uint64_t slot, uint32_t read_write) {
  if (s->session) session_drop(s->session);
  s->session = 0;
  handle_ret ret;
  CALL(session_open(slot, read_write, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  s->session = ret.val.handle;
  printf("session open\n");
  return 0;
}

int show_session(state* s) {
  session_info_ret ret;
  CALL(session_describe(s->session, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  const p11_session_info* info = &ret.val.ok;
  printf("slot %" PRIu64 ", ", info->slot);
  if (info->state < sizeof session_state_names / sizeof session_state_names[0])
    printf("%s", session_state_names[info->state]);
  else
    printf("unknown state %u", info->state);
  printf(", %s\n", info->read_write ? "rw" : "ro");
  return 0;
}

int login(state* s, uint32_t user, const char* pin) {
  unit_ret ret;
  CALL(session_login(s->session, user, pin != NULL, pin, pin ? strlen(pin) : 0, &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("logged in\n");
  return 0;
}

int logout(state* s) {
  unit_ret ret;
  CALL(session_logout(s->session, &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("logged out\n");
  return 0;
}

int init_pin(state* s, const char* pin) {
  unit_ret ret;
  CALL(session_init_pin(s->session, pin != NULL, pin, pin ? strlen(pin) : 0, &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("pin initialised\n");
  return 0;
}

int set_pin(state* s, const char* old_pin, const char* new_pin) {
  unit_ret ret;
  CALL(session_set_pin(s->session, old_pin != NULL, old_pin, old_pin ? strlen(old_pin) : 0, new_pin,
                       strlen(new_pin), &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("pin changed\n");
  return 0;
}

int seed(state* s, const char* text) {
  unit_ret ret;
  CALL(session_seed_random(s->session, text_bytes(text), strlen(text), &ret));
  if (ret.is_err) return failed(&ret.err);
  printf("seeded\n");
  return 0;
}

int random_bytes(state* s, uint32_t length) {
  bytes_ret ret;
  CALL(session_generate_random(s->session, length, &ret));
  if (ret.is_err) return failed(&ret.val.err);
  int any = 0;
  for (size_t i = 0; i < ret.val.ok.len; ++i) any |= ret.val.ok.ptr[i] != 0;
  printf("%zu random bytes%s\n", ret.val.ok.len, any ? " (not all zero)" : "");
  release(ret.val.ok.ptr, ret.val.ok.len);
  return 0;
}
