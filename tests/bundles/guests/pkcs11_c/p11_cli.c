/* A WASI command using pkcs11:token@0.1.0, with the imports declared by hand following the
 * Canonical ABI (there is no wit-bindgen for C here; see p11_abi.h). This file holds main, the
 * command line and cabi_realloc; the commands are in p11_session.c, p11_objects.c and
 * p11_crypto.c, the names and parsing of values in p11_values.c.
 *
 *   p11 [--keep-going] COMMAND...
 *
 * Runs each COMMAND in order, keeping a current session, a current key pair, a table of up to
 * 64 named objects (names of at most 63 bytes; a key pair named N is N.public and N.private;
 * storing under a name in use drops what it held), the current AAD of aes-gcm ("berth" at
 * first), one kept encryptor and "the buffer": the last signature, ciphertext or wrapped key.
 *   .slots                        "slot ID: DESCRIPTION | MANUFACTURER | token present|absent"
 *                                 per slot, or "no slots"
 *   .token SLOT                   "token LABEL | MANUFACTURER | MODEL | serial SERIAL", then
 *                                 "flags: NAME..." and "pin length MIN to MAX"
 *   .mechanisms SLOT [HEX...]     "N mechanisms", then "HEX yes|no" per HEX (0x1087...): whether
 *                                 the token has that mechanism
 *   .mechanism-info SLOT HEX      "key size MIN to MAX, flags: NAME..."
 *   .init-token SLOT LABEL        initialises the token with the configuration's SO PIN:
 *                                 "token initialised"
 *   .init-token-pin SLOT SOPIN LABEL   the same with SOPIN
 *   .open SLOT rw|ro              opens a session (dropping the current one first)
 *   .session-info                 "slot ID, STATE, rw|ro"
 *   .login user|so                logs in with the configuration's PIN
 *   .login-pin user|so PIN        logs in with PIN
 *   .logout
 *   .init-pin                     sets the user PIN to the configuration's: "pin initialised"
 *   .init-pin-with PIN            sets it to PIN: "pin initialised"
 *   .set-pin OLD NEW              changes the PIN (OLD "-": the configuration's): "pin changed"
 *   .generate p256|p384 LABEL [FLAG...]
 *                                 generates an EC key pair (generate-ec-key-pair) that becomes the
 *                                 current one and is stored as LABEL.public and LABEL.private;
 *                                 prints "generated LABEL: N-byte public point"
 *   .labels                       "public LABEL, private LABEL" of the current pair
 *   .sign MECH MESSAGE            signs MESSAGE's bytes with the current private key: the buffer
 *   .sign-public MECH MESSAGE     the same with the public key (which cannot sign)
 *   .verify MECH MESSAGE          checks the buffer with the current public key: "valid|invalid"
 *   .random N                     "N random bytes", then " (not all zero)" when one is not
 *   .seed TEXT                    seed-random: "seeded"
 *   .genkey NAME aes|generic BYTES [FLAG...]
 *                                 generate-key (aes-key-gen: encrypt, decrypt, wrap, unwrap;
 *                                 generic-secret-key-gen: sign, verify, derive): stores NAME,
 *                                 "generated key NAME"
 *   .genpair NAME rsa BITS [FLAG...]
 *   .genpair NAME ec p256|p384 [FLAG...]
 *                                 generate-key-pair: stores NAME.public and NAME.private,
 *                                 "generated pair NAME"
 *   .create-data NAME TEXT [persistent]   a data object valued TEXT: "created NAME"
 *   .create-aes NAME HEX [FLAG...]        an AES key valued HEX (encrypt, decrypt): "created NAME"
 *   .copy NAME NEW [LABEL]        copy-object, relabelled when LABEL is given: "copied NEW"
 *   .find LABEL                   the objects labelled LABEL, stored as found0, found1...:
 *                                 "found N", then "foundI: CLASS" per object
 *   .find-all                     the same for every object the session sees
 *   .attrs NAME KIND...           "KIND=VALUE" per attribute (KIND: a case of attribute-kind, or
 *                                 0xHEX for other); bools true|false, numbers in decimal, text as
 *                                 it is, bytes as "N bytes", classes and key types by case name
 *                                 ("other 0xHEX"), other attributes as "other=0xKIND N bytes"
 *   .set NAME label=TEXT|extractable=true|false|sensitive=true|false   "set"
 *   .size NAME                    "N bytes on the token" (or "size unknown")
 *   .remove NAME                  removes the object from the token: "removed NAME" (the name
 *                                 keeps its handle)
 *   .drop-object NAME             drops the handle and forgets the name: "dropped NAME"
 *   .sign-key NAME MECH TEXT      signs TEXT with NAME: the buffer, "signature N bytes"
 *   .verify-key NAME MECH TEXT    checks the buffer with NAME: "valid|invalid"
 *   .encrypt NAME MECH TEXT       the buffer, "ciphertext N bytes"
 *   .decrypt NAME MECH            decrypts the buffer: "plaintext: TEXT"
 *   .tamper                       flips the lowest bit of the buffer's first byte: "tampered"
 *   .truncate N                   keeps the buffer's first N bytes: "truncated to N bytes"
 *   .sign-repeat NAME MECH TEXT N signs TEXT N times with NAME, timing the loop:
 *                                 "N signatures in T ns"
 *   .digest MECH TEXT             "digest HEX"
 *   .encrypt-parts NAME MECH TEXT...   an encryptor fed each TEXT (up to the next argument that
 *                                 starts with '.'): the buffer, "ciphertext N bytes in K parts"
 *   .decrypt-parts NAME MECH K    a decryptor fed the buffer in K near-equal parts:
 *                                 "plaintext: TEXT"
 *   .sign-parts NAME MECH TEXT... a signer: the buffer, "signature N bytes in K parts"
 *   .verify-parts NAME MECH TEXT...   a verifier checking the buffer: "valid|invalid"
 *   .digest-parts MECH TEXT...    a digester: "digest HEX"
 *   .begin-encrypt NAME MECH      keeps an encryptor (dropping the one kept before): "encrypting"
 *   .update TEXT                  feeds it TEXT: "N bytes out"
 *   .finish                       finishes and drops it: "N bytes out, finished"
 *   .drop-encryptor               drops it unfinished: "encryptor dropped"
 *   .wrap WRAPPING MECH KEY       wrap-key: the buffer, "wrapped N bytes"
 *   .unwrap UNWRAPPING MECH NEW   unwrap-key of the buffer into an AES key (encrypt, decrypt)
 *                                 stored as NEW: "unwrapped NEW"
 *   .derive NAME PEER NEW         ecdh1-derive with NAME.private and the point of PEER.public
 *                                 into a 32-byte generic secret (sign, verify) stored as NEW:
 *                                 "derived NEW"
 *   .aad TEXT                     makes TEXT the AAD of aes-gcm (prints nothing)
 *   .close                        closes the session, keeping its handle
 *   .drop                         drops the session's handle
 *   .trap                         makes the guest trap
 * where FLAG is persistent (token), extractable or not-sensitive, and MECH is a case of
 * mechanism with fixed parameters: ecdsa, ecdsa-sha256, ecdsa-sha384, ecdsa-sha512, rsa-pkcs,
 * sha256-rsa-pkcs, sha384-rsa-pkcs, sha512-rsa-pkcs, rsa-pkcs-pss (sha256, salt 32),
 * sha256-rsa-pkcs-pss (sha256, 32), sha384-rsa-pkcs-pss (sha384, 48), sha512-rsa-pkcs-pss
 * (sha512, 64), rsa-pkcs-oaep (sha256, no label), rsa-pkcs-oaep-sha1 (sha1: SoftHSM 2.6's only),
 * sha256-hmac, sha384-hmac, sha512-hmac, aes-gcm (IV 01 02 .. 0c, the current AAD, 128-bit tag),
 * aes-cbc-pad (IV of 16 bytes 02), aes-key-wrap, aes-key-wrap-pad, sha256, sha384, sha512,
 * ec-key-pair-gen, rsa-pkcs-key-pair-gen, aes-key-gen, generic-secret-key-gen, or 0xHEX for
 * other(HEX). An error result prints "p11: error: CASE" (the WIT case name) to stdout and exits 1,
 * at once or, with --keep-going, after the rest; so does a command that needs a session, a key
 * pair, an object name, an encryptor or the buffer when there is none (its message, e.g. "p11:
 * .size: no object NAME", going to stderr). An unknown command or missing arguments exits 2. */
#include <string.h>

#include "p11.h"

/* berth allocates the strings and lists of results in our memory through this export. */
__attribute__((export_name("cabi_realloc"))) void* cabi_realloc(void* old, size_t old_size,
                                                                size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void*)align;
  void* out = realloc(old, new_size); /* malloc's alignment (16) covers every ABI alignment */
  if (out == NULL) abort();
  return out;
}

/* ---- the command line ---- */

static int is(const char* name, const char* command) {
  return strcmp(name, command) == 0;
}

/* The commands that need the session (checked once their arguments are). */
static const char* const session_commands[] = {
    ".session-info",  ".login",         ".login-pin",     ".logout",     ".init-pin",
    ".init-pin-with", ".set-pin",       ".generate",      ".labels",     ".sign",
    ".sign-public",   ".verify",        ".random",        ".seed",       ".genkey",
    ".genpair",       ".create-data",   ".create-aes",    ".copy",       ".find",
    ".find-all",      ".sign-key",      ".verify-key",    ".encrypt",    ".decrypt",
    ".digest",        ".encrypt-parts", ".decrypt-parts", ".sign-parts", ".verify-parts",
    ".digest-parts",  ".begin-encrypt", ".wrap",          ".unwrap",     ".derive",
    ".close",         ".drop",          ".sign-repeat"};

/* The commands that need only their objects, the encryptor or the buffer. */
static const char* const other_commands[] = {".attrs",          ".set",     ".size",   ".remove",
                                             ".drop-object",    ".tamper",  ".update", ".finish",
                                             ".drop-encryptor", ".truncate"};

static int among(const char* name, const char* const* commands, size_t count) {
  for (size_t c = 0; c < count; ++c) {
    if (is(name, commands[c])) return 1;
  }
  return 0;
}

#define NEED_OBJECT(var, object_name)    \
  uint32_t var = lookup(s, object_name); \
  if (var == 0) return no_object(name, object_name)

/* Runs the command at argv[*i], moving *i past its arguments; returns the exit status so far
 * (0: go on, 1: an error, 2: a bad command line). */
static int command(state* s, int argc, char** argv, int* i) {
  const char* name = argv[*i];
  int left = argc - *i - 1; /* the arguments after the command */
  char** args = argv + *i + 1;
  /* The commands that need no session. */
  if (is(name, ".slots")) return list_slots();
  if (is(name, ".token") && left >= 1) {
    uint64_t slot;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    *i += 1;
    return show_token(slot);
  }
  if (is(name, ".mechanisms") && left >= 1) {
    uint64_t slot, number;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    int count = words(args, left, 1);
    for (int j = 1; j <= count; ++j) {
      if (!parse_u64(args[j], &number)) return usage(args[j]);
    }
    *i += 1 + count;
    return list_mechanisms(slot, args + 1, count);
  }
  if (is(name, ".mechanism-info") && left >= 2) {
    uint64_t slot, mechanism;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    if (!parse_u64(args[1], &mechanism)) return usage(args[1]);
    *i += 2;
    return describe_mechanism(slot, mechanism);
  }
  if (is(name, ".init-token") && left >= 2) {
    uint64_t slot;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    *i += 2;
    return init_token(slot, NULL, args[1]);
  }
  if (is(name, ".init-token-pin") && left >= 3) {
    uint64_t slot;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    *i += 3;
    return init_token(slot, args[1], args[2]);
  }
  if (is(name, ".open") && left >= 2) {
    uint64_t slot;
    if (!parse_u64(args[0], &slot)) return usage(args[0]);
    if (!is(args[1], "rw") && !is(args[1], "ro")) return usage(args[1]);
    *i += 2;
    return open_session(s, slot, is(args[1], "rw"));
  }
  if (is(name, ".aad") && left >= 1) {
    s->aad = args[0];
    *i += 1;
    return 0;
  }
  if (is(name, ".trap")) {
    fflush(stdout);
    __builtin_trap(); /* everything still open goes with the instance */
  }
  int needs_session =
      among(name, session_commands, sizeof session_commands / sizeof session_commands[0]);
  if (!needs_session &&
      !among(name, other_commands, sizeof other_commands / sizeof other_commands[0]))
    return usage(name);
  /* Check the arguments first, so that a bad command line is one whatever the state. */
  uint32_t user = 0, curve = 0;
  uint64_t number = 0;
  mech_flat mechanism = {0};
  key_flags flags = {0};
  int used = 0, count = 0, flag_value = 0;
  const char* optional = NULL;
  if (is(name, ".login") || is(name, ".login-pin")) {
    used = is(name, ".login") ? 1 : 2;
    if (left < used) return usage(name);
    if (!parse_user(args[0], &user)) return usage(args[0]);
  } else if (is(name, ".init-pin-with") || is(name, ".seed") || is(name, ".update") ||
             is(name, ".size") || is(name, ".remove") || is(name, ".drop-object") ||
             is(name, ".find")) {
    used = 1;
    if (left < used) return usage(name);
  } else if (is(name, ".set-pin")) {
    used = 2;
    if (left < used) return usage(name);
  } else if (is(name, ".generate")) {
    if (left < 2) return usage(name);
    if (is(args[0], "p256"))
      curve = CURVE_P256;
    else if (is(args[0], "p384"))
      curve = CURVE_P384;
    else
      return usage(args[0]);
    used = parse_flags(args, left, 2, &flags);
  } else if (is(name, ".sign") || is(name, ".sign-public") || is(name, ".verify") ||
             is(name, ".digest")) {
    used = 2;
    if (left < used) return usage(name);
    if (!parse_mechanism(s->aad, args[0], &mechanism)) return usage(args[0]);
  } else if (is(name, ".random")) {
    used = 1;
    if (left < used) return usage(name);
    if (!parse_u64(args[0], &number) || number > UINT32_MAX) return usage(args[0]);
  } else if (is(name, ".genkey")) {
    if (left < 3) return usage(name);
    if (strlen(args[0]) > MAX_NAME) return usage(args[0]);
    if (!is(args[1], "aes") && !is(args[1], "generic")) return usage(args[1]);
    if (!parse_u64(args[2], &number)) return usage(args[2]);
    used = parse_flags(args, left, 3, &flags);
  } else if (is(name, ".genpair")) {
    if (left < 3) return usage(name);
    if (strlen(args[0]) + strlen(".private") > MAX_NAME) return usage(args[0]);
    if (is(args[1], "rsa")) {
      if (!parse_u64(args[2], &number)) return usage(args[2]);
    } else if (is(args[1], "ec")) {
      if (!is(args[2], "p256") && !is(args[2], "p384")) return usage(args[2]);
    } else {
      return usage(args[1]);
    }
    used = parse_flags(args, left, 3, &flags);
  } else if (is(name, ".create-data")) {
    used = 2;
    if (left < used) return usage(name);
    if (strlen(args[0]) > MAX_NAME) return usage(args[0]);
    if (left > used && is(args[used], "persistent")) flags.persistent = 1, ++used;
  } else if (is(name, ".create-aes")) {
    if (left < 2) return usage(name);
    if (strlen(args[0]) > MAX_NAME) return usage(args[0]);
    byte_buffer check;
    if (!parse_hex_bytes(args[1], &check)) return usage(args[1]);
    free(check.ptr);
    used = parse_flags(args, left, 2, &flags);
  } else if (is(name, ".copy")) {
    used = 2;
    if (left < used) return usage(name);
    if (strlen(args[1]) > MAX_NAME) return usage(args[1]);
    if (left > used && args[used][0] != '.') optional = args[used++];
  } else if (is(name, ".attrs")) {
    if (left < 1) return usage(name);
    count = words(args, left, 1);
    for (int j = 1; j <= count; ++j) {
      if (attribute_kind(args[j]) == ATTR_OTHER &&
          !(is_hex_number(args[j]) && parse_u64(args[j], &number)))
        return usage(args[j]);
    }
    used = 1 + count;
  } else if (is(name, ".set")) {
    used = 2;
    if (left < used) return usage(name);
    const char* setting = args[1];
    if (strncmp(setting, "label=", 6) == 0)
      optional = setting + 6;
    else if (!((strncmp(setting, "extractable=", 12) == 0 &&
                parse_bool(setting + 12, &flag_value)) ||
               (strncmp(setting, "sensitive=", 10) == 0 && parse_bool(setting + 10, &flag_value))))
      return usage(setting);
  } else if (is(name, ".sign-key") || is(name, ".verify-key") || is(name, ".encrypt")) {
    used = 3;
    if (left < used) return usage(name);
    if (!parse_mechanism(s->aad, args[1], &mechanism)) return usage(args[1]);
  } else if (is(name, ".sign-repeat")) {
    used = 4;
    if (left < used) return usage(name);
    if (!parse_mechanism(s->aad, args[1], &mechanism)) return usage(args[1]);
    if (!parse_u64(args[3], &number)) return usage(args[3]);
  } else if (is(name, ".truncate")) {
    used = 1;
    if (left < used) return usage(name);
    if (!parse_u64(args[0], &number)) return usage(args[0]);
  } else if (is(name, ".decrypt") || is(name, ".begin-encrypt")) {
    used = 2;
    if (left < used) return usage(name);
    if (!parse_mechanism(s->aad, args[1], &mechanism)) return usage(args[1]);
  } else if (is(name, ".encrypt-parts") || is(name, ".sign-parts") || is(name, ".verify-parts")) {
    if (left < 2) return usage(name);
    if (!parse_mechanism(s->aad, args[1], &mechanism)) return usage(args[1]);
    count = words(args, left, 2);
    used = 2 + count;
  } else if (is(name, ".decrypt-parts")) {
    used = 3;
    if (left < used) return usage(name);
    if (!parse_mechanism(s->aad, args[1], &mechanism)) return usage(args[1]);
    if (!parse_u64(args[2], &number) || number == 0) return usage(args[2]);
  } else if (is(name, ".digest-parts")) {
    if (left < 1) return usage(name);
    if (!parse_mechanism(s->aad, args[0], &mechanism)) return usage(args[0]);
    count = words(args, left, 1);
    used = 1 + count;
  } else if (is(name, ".wrap") || is(name, ".unwrap")) {
    used = 3;
    if (left < used) return usage(name);
    if (!parse_mechanism(s->aad, args[1], &mechanism)) return usage(args[1]);
    if (is(name, ".unwrap") && strlen(args[2]) > MAX_NAME) return usage(args[2]);
  } else if (is(name, ".derive")) {
    used = 3;
    if (left < used) return usage(name);
    if (strlen(args[2]) > MAX_NAME) return usage(args[2]);
  }
  *i += used;

  /* The commands that need no session. */
  if (is(name, ".truncate")) {
    if (s->buffer_len == 0) return missing(name, "buffer");
    return truncate_buffer(s, number);
  }
  if (is(name, ".tamper")) {
    if (s->buffer_len == 0) return missing(name, "buffer");
    s->buffer[0] ^= 1;
    printf("tampered\n");
    return 0;
  }
  if (is(name, ".update") || is(name, ".finish") || is(name, ".drop-encryptor")) {
    if (s->encryptor == 0) return missing(name, "encryptor");
    if (is(name, ".update")) return update_encryptor(s, args[0]);
    if (is(name, ".finish")) return finish_encryptor(s);
    drop_encryptor(s);
    printf("encryptor dropped\n");
    return 0;
  }
  if (is(name, ".drop-object")) {
    named_object* entry = find_name(s, args[0]);
    if (entry == NULL) return no_object(name, args[0]);
    drop_object(s, entry);
    printf("dropped %s\n", args[0]);
    return 0;
  }
  if (is(name, ".attrs")) {
    NEED_OBJECT(object, args[0]);
    return show_attributes(object, args + 1, count);
  }
  if (is(name, ".set")) {
    NEED_OBJECT(object, args[0]);
    p11_template t = {0};
    if (optional)
      add_text(&t, ATTR_LABEL, optional);
    else
      add_flag(&t, args[1][0] == 'e' ? ATTR_EXTRACTABLE : ATTR_SENSITIVE, flag_value);
    return set_attributes(object, &t);
  }
  if (is(name, ".size")) {
    NEED_OBJECT(object, args[0]);
    return object_size_of(object);
  }
  if (is(name, ".remove")) {
    NEED_OBJECT(object, args[0]);
    return remove_object(object, args[0]);
  }

  /* Every other command needs the session. */
  if (s->session == 0) return missing(name, "session");
  if (is(name, ".session-info")) return show_session(s);
  if (is(name, ".login")) return login(s, user, NULL);
  if (is(name, ".login-pin")) return login(s, user, args[1]);
  if (is(name, ".logout")) return logout(s);
  if (is(name, ".init-pin")) return init_pin(s, NULL);
  if (is(name, ".init-pin-with")) return init_pin(s, args[0]);
  if (is(name, ".set-pin")) return set_pin(s, is(args[0], "-") ? NULL : args[0], args[1]);
  if (is(name, ".generate")) return generate(s, curve, args[1], &flags);
  if (is(name, ".random")) return random_bytes(s, (uint32_t)number);
  if (is(name, ".seed")) return seed(s, args[0]);
  if (is(name, ".digest")) return digest_text(s, &mechanism, args[1]);
  if (is(name, ".digest-parts")) return digest_parts(s, &mechanism, args + 1, count);
  if (is(name, ".genkey")) return generate_key(s, args[0], is(args[1], "aes"), number, &flags);
  if (is(name, ".genpair")) {
    if (is(args[1], "rsa")) return generate_rsa_pair(s, args[0], number, &flags);
    return generate_ec_pair(s, args[0], is(args[2], "p256") ? CURVE_P256 : CURVE_P384, &flags);
  }
  if (is(name, ".create-data")) return create_data(s, args[0], args[1], flags.persistent);
  if (is(name, ".create-aes")) {
    byte_buffer value;
    parse_hex_bytes(args[1], &value);
    int status = create_aes(s, args[0], &value, &flags);
    free(value.ptr);
    return status;
  }
  if (is(name, ".copy")) {
    NEED_OBJECT(source, args[0]);
    return copy_object(s, source, args[1], optional);
  }
  if (is(name, ".find")) return find_objects(s, name, args[0]);
  if (is(name, ".find-all")) return find_objects(s, name, NULL);
  if (is(name, ".sign-key")) {
    NEED_OBJECT(key, args[0]);
    return sign_message(s, &mechanism, key, args[2]);
  }
  if (is(name, ".sign-repeat")) {
    NEED_OBJECT(key, args[0]);
    return sign_repeatedly(s, &mechanism, key, args[2], number);
  }
  if (is(name, ".verify-key")) {
    NEED_OBJECT(key, args[0]);
    return verify_message(s, &mechanism, key, args[2]);
  }
  if (is(name, ".encrypt")) {
    NEED_OBJECT(key, args[0]);
    return encrypt_text(s, &mechanism, key, args[2]);
  }
  if (is(name, ".decrypt")) {
    NEED_OBJECT(key, args[0]);
    return decrypt_buffer(s, &mechanism, key);
  }
  if (is(name, ".encrypt-parts")) {
    NEED_OBJECT(key, args[0]);
    return encrypt_parts(s, &mechanism, key, args + 2, count);
  }
  if (is(name, ".decrypt-parts")) {
    NEED_OBJECT(key, args[0]);
    return decrypt_parts(s, &mechanism, key, number);
  }
  if (is(name, ".sign-parts")) {
    NEED_OBJECT(key, args[0]);
    return sign_parts(s, &mechanism, key, args + 2, count);
  }
  if (is(name, ".verify-parts")) {
    NEED_OBJECT(key, args[0]);
    return verify_parts(s, &mechanism, key, args + 2, count);
  }
  if (is(name, ".begin-encrypt")) {
    NEED_OBJECT(key, args[0]);
    return begin_encrypt(s, &mechanism, key);
  }
  if (is(name, ".wrap")) {
    NEED_OBJECT(wrapping_key, args[0]);
    NEED_OBJECT(key, args[2]);
    return wrap_key(s, &mechanism, wrapping_key, key);
  }
  if (is(name, ".unwrap")) {
    NEED_OBJECT(unwrapping_key, args[0]);
    return unwrap_key(s, &mechanism, unwrapping_key, args[2]);
  }
  if (is(name, ".derive")) {
    char base_name[MAX_NAME + 1], peer_name[MAX_NAME + 1];
    const char* base_wanted = suffixed(base_name, args[0], ".private");
    const char* peer_wanted = suffixed(peer_name, args[1], ".public");
    uint32_t base_key = lookup(s, base_wanted);
    if (base_key == 0) return no_object(name, *base_wanted ? base_wanted : args[0]);
    uint32_t peer_key = lookup(s, peer_wanted);
    if (peer_key == 0) return no_object(name, *peer_wanted ? peer_wanted : args[1]);
    return derive_key(s, base_key, peer_key, args[2]);
  }
  if (is(name, ".close")) {
    session_close(s->session);
    printf("session closed\n");
    return 0;
  }
  if (is(name, ".drop")) {
    session_drop(s->session);
    s->session = 0;
    printf("session dropped\n");
    return 0;
  }
  /* .labels, .sign, .sign-public and .verify need the key pair as well. */
  if (s->public_key == 0) return missing(name, "key pair");
  if (is(name, ".labels")) return labels(s);
  if (is(name, ".sign")) return sign_message(s, &mechanism, s->private_key, args[1]);
  if (is(name, ".sign-public")) return sign_message(s, &mechanism, s->public_key, args[1]);
  return verify_message(s, &mechanism, s->public_key, args[1]);
}

static state the_state; /* static: the object table is too big for a comfortable stack */

int main(int argc, char** argv) {
  int first = 1, keep_going = 0, any_failed = 0;
  if (argc > first && strcmp(argv[first], "--keep-going") == 0) {
    keep_going = 1;
    first++;
  }
  if (first >= argc) {
    fprintf(stderr, "usage: p11 [--keep-going] COMMAND...\n");
    return 2;
  }
  the_state.aad = "berth";
  int status = 0;
  for (int i = first; i < argc && status == 0; ++i) {
    status = command(&the_state, argc, argv, &i);
    if (status == 1 && keep_going) {
      any_failed = 1;
      status = 0;
    }
  }
  /* The encryptor and the objects first: they belong to the session. stdout first, so that what
   * was printed comes before what the drops may make the host log. */
  fflush(stdout);
  drop_encryptor(&the_state);
  for (size_t i = 0; i < MAX_OBJECTS; ++i) {
    uint32_t handle = the_state.objects[i].handle;
    the_state.objects[i].handle = 0;
    unref(&the_state, handle);
  }
  drop_key_pair(&the_state);
  if (the_state.session) session_drop(the_state.session);
  set_buffer(&the_state, NULL, 0);
  return status ? status : any_failed;
}
