// bundles/pkcs11 end to end: a C WASI command (tests/bundles/guests/pkcs11_c) that imports
// pkcs11:token@0.1.0, run by the berth executable against a real SoftHSM2 token. Each test
// initialises its own token in its own folder (SOFTHSM2_CONF, which the berth processes it
// starts inherit), never in the system's token directory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <regex>

#include "bundles/reference_test_util.h"
#include "bundles/softhsm_token.h"

namespace berth::bundles {
namespace {

using ::testing::AnyOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace berth::bundles::testing;

constexpr const char* kLabel = kTokenLabel;
constexpr const char* kPin = kUserPin;

class Pkcs11CommandTest : public ReferenceBundleTest {
 protected:
  void SetUp() override {
    ReferenceBundleTest::SetUp();
    slot_ = init_softhsm_token(dir_);
    ASSERT_FALSE(slot_.empty());
  }

  void TearDown() override {
    unsetenv("SOFTHSM2_CONF");
    ReferenceBundleTest::TearDown();
  }

  // The bundle configured with the token's label, the user PIN and `more` TOML lines.
  std::vector<std::string> bundle(const std::string& more = "") {
    std::string config = "module = " + toml_string(BERTH_SOFTHSM2_MODULE) +
                         "\ntoken-labels = " + toml_string(kLabel) +
                         "\npin = " + toml_string(kPin) + "\n" + more;
    return {"--host-bundle", configured_copy("pkcs11", config).string()};
  }

  // `berth run -q PROVIDERS pkcs11_c.wasm ARGS...`
  Outcome p11(const std::vector<std::string>& providers, const std::vector<std::string>& args) {
    std::vector<std::string> all = {"run", "-q"};
    all.insert(all.end(), providers.begin(), providers.end());
    all.push_back(berth::testing::guest("bundles_pkcs11_c"));
    all.insert(all.end(), args.begin(), args.end());
    return berth(all);
  }

  std::string ok(const std::vector<std::string>& providers, const std::vector<std::string>& args) {
    Outcome o = p11(providers, args);
    EXPECT_EQ(o.exit_code, 0) << describe(o);
    EXPECT_EQ(o.err, "") << describe(o);
    return o.out;
  }

  // What the guest printed of a run that must fail with a WIT error.
  std::string error(const std::vector<std::string>& providers,
                    const std::vector<std::string>& args) {
    Outcome o = p11(providers, args);
    EXPECT_EQ(o.exit_code, 1) << describe(o);
    return o.out;
  }

  std::string slot_;
};

TEST_F(Pkcs11CommandTest, ListsOnlyTheSlotsTheConfigurationNames) {
  // SoftHSM2 also has a slot with a fresh, uninitialised token: not listed.
  EXPECT_EQ(
      ok(bundle(), {".slots"}), "slot " + slot_ + ": SoftHSM slot ID 0x" + [&] {
        char hex[32];
        std::snprintf(hex, sizeof hex, "%llx", std::stoull(slot_));
        return std::string(hex);
      }() + " | SoftHSM project | token present\n");
  // By slot ID instead of label.
  std::string config =
      "module = " + toml_string(BERTH_SOFTHSM2_MODULE) + "\nslots = \"" + slot_ + "\"\n";
  EXPECT_THAT(ok({"--host-bundle", configured_copy("pkcs11", config).string()}, {".slots"}),
              StartsWith("slot " + slot_ + ": "));
  // Neither: no slot at all.
  config = "module = " + toml_string(BERTH_SOFTHSM2_MODULE) + "\n";
  EXPECT_EQ(ok({"--host-bundle", configured_copy("pkcs11", config).string()}, {".slots"}),
            "no slots\n");
}

TEST_F(Pkcs11CommandTest, DescribesTheToken) {
  std::string out = ok(bundle(), {".token", slot_});
  EXPECT_THAT(out, StartsWith("token berth-test | SoftHSM project | SoftHSM v2 | serial "));
  EXPECT_THAT(out, HasSubstr("flags: rng login-required user-pin-initialized "));
  EXPECT_THAT(out, HasSubstr(" token-initialized"));
  EXPECT_THAT(out, HasSubstr("pin length 4 to 255\n"));
}

TEST_F(Pkcs11CommandTest, SignsAndVerifiesWithAnEcKeyItCannotRead) {
  EXPECT_EQ(ok(bundle(), {".open",        slot_,          "rw",      ".login",       "user",
                          ".generate",    "p256",         "signer",  ".labels",      ".sign",
                          "ecdsa-sha256", "hello",        ".verify", "ecdsa-sha256", "hello",
                          ".verify",      "ecdsa-sha256", "hellO",   ".random",      "32"}),
            "session open\nlogged in\n"
            // 0x04, the length, and the uncompressed point: 04 || x || y.
            "generated signer: 67-byte public point\n"
            "public signer, private signer\n"
            "signature 64 bytes\nvalid\ninvalid\n"
            "32 random bytes (not all zero)\n");
  EXPECT_EQ(ok(bundle(), {".open",
                          slot_,
                          "ro",
                          ".login",
                          "user",
                          ".generate",
                          "p384",
                          "big",
                          ".sign",
                          "ecdsa-sha384",
                          "message",
                          ".verify",
                          "ecdsa-sha384",
                          "message",
                          ".sign",
                          "ecdsa",
                          "0123456789abcdef0123456789abcdef",
                          ".verify",
                          "ecdsa",
                          "0123456789abcdef0123456789abcdef"}),
            "session open\nlogged in\ngenerated big: 99-byte public point\n"
            "signature 96 bytes\nvalid\nsignature 96 bytes\nvalid\n");
}

TEST_F(Pkcs11CommandTest, TakesThePinFromAnEnvironmentVariable) {
  std::string config = "module = " + toml_string(BERTH_SOFTHSM2_MODULE) +
                       "\ntoken-labels = " + toml_string(kLabel) +
                       "\npin-env = \"BERTH_TEST_PKCS11_PIN\"\n";
  std::vector<std::string> providers = {"--host-bundle",
                                        configured_copy("pkcs11", config).string()};
  setenv("BERTH_TEST_PKCS11_PIN", kPin, 1);
  EXPECT_EQ(ok(providers, {".open", slot_, "ro", ".login", "user"}), "session open\nlogged in\n");
  unsetenv("BERTH_TEST_PKCS11_PIN");
  Outcome o = p11(providers, {".slots"});
  EXPECT_EQ(o.exit_code, 125) << describe(o);
  EXPECT_THAT(o.err, HasSubstr("configuration 'pin-env': the environment variable "
                               "BERTH_TEST_PKCS11_PIN is not set in berth's environment"));
}

TEST_F(Pkcs11CommandTest, RefusesWhatTheConfigurationDoesNotAllow) {
  // A PIN of the guest's own, a slot not listed, a private key that could leave the token.
  EXPECT_EQ(error(bundle(), {".open", slot_, "ro", ".login-pin", "user", kPin}),
            "session open\np11: error: not-allowed: a component may not log in with a PIN of "
            "its own (configuration 'allow-guest-pin' is false)\n");
  EXPECT_EQ(error(bundle(), {".token", "1"}),
            "p11: error: not-allowed: slot 1 is not one the configuration lists (slots, "
            "token-labels)\n");
  EXPECT_EQ(error(bundle(), {".open", "1", "rw"}),
            "p11: error: not-allowed: slot 1 is not one the configuration lists (slots, "
            "token-labels)\n");
  EXPECT_EQ(error(bundle(), {".open", slot_, "rw", ".login", "user", ".generate", "p256", "k",
                             "extractable"}),
            "session open\nlogged in\np11: error: not-allowed: a component may not make private "
            "keys that are extractable or not sensitive (configuration 'allow-extractable-keys' "
            "is false)\n");
  EXPECT_EQ(error(bundle(), {".open", slot_, "ro", ".login", "so"}),
            "session open\np11: error: not-allowed: the configuration holds no security "
            "officer's PIN ('so-pin' or 'so-pin-env')\n");
  // Allowed by the configuration, an extractable key is made.
  EXPECT_EQ(ok(bundle("allow-extractable-keys = true\n"),
               {".open", slot_, "rw", ".login", "user", ".generate", "p256", "k", "extractable"}),
            "session open\nlogged in\ngenerated k: 67-byte public point\n");
}

TEST_F(Pkcs11CommandTest, ReturnsTheTokensErrorsByName) {
  std::vector<std::string> guest_pin = bundle("allow-guest-pin = true\n");
  EXPECT_EQ(error(guest_pin, {".open", slot_, "ro", ".login-pin", "user", "0000"}),
            "session open\np11: error: pin-incorrect\n");
  EXPECT_EQ(ok(guest_pin, {".open", slot_, "ro", ".login-pin", "user", kPin}),
            "session open\nlogged in\n");
  // A private key needs a logged-in user.
  EXPECT_EQ(error(bundle(), {".open", slot_, "rw", ".generate", "p256", "k"}),
            "session open\np11: error: user-not-logged-in\n");
  // A persistent key needs a read-write session.
  EXPECT_EQ(error(bundle(),
                  {".open", slot_, "ro", ".login", "user", ".generate", "p256", "k", "persistent"}),
            "session open\nlogged in\np11: error: session-read-only\n");
  // A public key does not sign.
  EXPECT_EQ(error(bundle(), {".open", slot_, "rw", ".login", "user", ".generate", "p256", "k",
                             ".sign-public", "ecdsa-sha256", "x"}),
            "session open\nlogged in\ngenerated k: 67-byte public point\n"
            "p11: error: key-function-not-permitted\n");
  EXPECT_EQ(error(bundle(), {".open", slot_, "ro", ".login", "user", ".login", "user"}),
            "session open\nlogged in\np11: error: user-already-logged-in\n");
}

TEST_F(Pkcs11CommandTest, AClosedSessionAndItsKeysAnswerClosed) {
  EXPECT_EQ(error(bundle(), {"--keep-going", ".open", slot_, "rw", ".login", "user", ".generate",
                             "p256", "k", ".close", ".random", "8", ".labels", ".sign",
                             "ecdsa-sha256", "x", ".logout", ".close"}),
            "session open\nlogged in\ngenerated k: 67-byte public point\nsession closed\n"
            "p11: error: closed\np11: error: closed\np11: error: closed\np11: error: closed\n"
            "session closed\n");
}

TEST_F(Pkcs11CommandTest, AGuestThatTrapsLeavesTheTokenUsable) {
  for (int i = 0; i < 3; ++i) {
    Outcome o =
        p11(bundle(), {".open", slot_, "rw", ".login", "user", ".generate", "p256", "k", ".trap"});
    EXPECT_EQ(o.exit_code, 134) << describe(o);
  }
  EXPECT_EQ(ok(bundle(), {".open", slot_, "rw", ".login", "user", ".generate", "p256", "k", ".sign",
                          "ecdsa-sha256", "x", ".verify", "ecdsa-sha256", "x"}),
            "session open\nlogged in\ngenerated k: 67-byte public point\nsignature 64 bytes\n"
            "valid\n");
}

TEST_F(Pkcs11CommandTest, ExplainsABadConfiguration) {
  Outcome o = p11({"--host-bundle", configured_copy("pkcs11", "").string()}, {".slots"});
  EXPECT_EQ(o.exit_code, 125) << describe(o);
  EXPECT_THAT(o.err, HasSubstr("configuration 'module': expected the absolute path of a PKCS#11 "
                               "module, found \"\""));
  o = p11(
      {"--host-bundle", configured_copy("pkcs11", "module = \"/nonexistent/p11.so\"\n").string()},
      {".slots"});
  EXPECT_EQ(o.exit_code, 125) << describe(o);
  EXPECT_THAT(o.err, HasSubstr("configuration 'module': cannot load \"/nonexistent/p11.so\""));
  o = p11(bundle("allow-guest-pin = \"maybe\"\n"), {".slots"});
  EXPECT_EQ(o.exit_code, 125) << describe(o);
  EXPECT_THAT(o.err, HasSubstr("configuration 'allow-guest-pin': expected true or false, found "
                               "\"maybe\""));
}

// ---- step 2: the whole surface ----

TEST_F(Pkcs11CommandTest, DescribesMechanisms) {
  std::string out = ok(bundle(), {".mechanisms", slot_, "0x1087", "0x1041", "0x9999"});
  EXPECT_THAT(out, HasSubstr(" mechanisms\n0x1087 yes\n0x1041 yes\n0x9999 no\n"));
  EXPECT_EQ(ok(bundle(), {".mechanism-info", slot_, "0x1087"}),
            "key size 16 to 32, flags: encrypt decrypt\n");
  EXPECT_EQ(error(bundle(), {".mechanism-info", slot_, "0x9999"}),
            "p11: error: mechanism-invalid\n");
  EXPECT_EQ(error(bundle(), {".mechanisms", "1"}),
            "p11: error: not-allowed: slot 1 is not one the configuration lists (slots, "
            "token-labels)\n");
}

TEST_F(Pkcs11CommandTest, KeepsObjectsByTemplate) {
  EXPECT_EQ(ok(bundle(),
               {".open", slot_,    "rw",      ".login", "user",   ".session-info", ".create-data",
                "notes", "hello",  ".find",   "notes",  ".attrs", "found0",        "class",
                "label", "value",  "token",   ".set",   "found0", "label=renamed", ".find",
                "notes", ".find",  "renamed", ".copy",  "found0", "copy",          "copied",
                ".find", "copied", ".remove", "found0", ".find",  "copied",        ".find-all"}),
            "session open\nlogged in\n"
            "slot " +
                slot_ +
                ", read-write-user, rw\n"
                "created notes\nfound 1\nfound0: data\n"
                "class=data\nlabel=notes\nvalue=5 bytes\ntoken=false\n"
                "set\nfound 0\nfound 1\nfound0: data\ncopied copy\n"
                "found 1\nfound0: data\nremoved found0\nfound 0\n"
                "found 1\nfound0: data\n");
}

TEST_F(Pkcs11CommandTest, GeneratedKeysAreSensitiveAndStayOnTheToken) {
  EXPECT_EQ(error(bundle(), {"--keep-going",
                             ".open",
                             slot_,
                             "rw",
                             ".login",
                             "user",
                             ".genkey",
                             "k",
                             "aes",
                             "32",
                             ".attrs",
                             "k",
                             "class",
                             "key-type",
                             "label",
                             "value-len",
                             "sensitive",
                             "extractable",
                             "always-sensitive",
                             "local",
                             ".attrs",
                             "k",
                             "value",
                             ".size",
                             "k",
                             ".genkey",
                             "x",
                             "aes",
                             "32",
                             "extractable",
                             ".genkey",
                             "y",
                             "aes",
                             "32",
                             "not-sensitive",
                             ".create-aes",
                             "z",
                             "00112233445566778899aabbccddeeff",
                             "extractable"}),
            "session open\nlogged in\ngenerated key k\n"
            "class=secret-key\nkey-type=aes\nlabel=k\nvalue-len=32\nsensitive=true\n"
            "extractable=false\nalways-sensitive=true\nlocal=true\n"
            "p11: error: attribute-sensitive\n"
            // SoftHSM2 does not say how big an object is.
            "size unknown\n"
            "p11: error: not-allowed: a component may not make keys that are extractable or "
            "not sensitive (configuration 'allow-extractable-keys' is false)\n"
            "p11: error: not-allowed: a component may not make keys that are extractable or "
            "not sensitive (configuration 'allow-extractable-keys' is false)\n"
            "p11: error: not-allowed: a component may not make keys that are extractable or "
            "not sensitive (configuration 'allow-extractable-keys' is false)\n");
}

TEST_F(Pkcs11CommandTest, EncryptsAndDecryptsWithAesAndRsa) {
  EXPECT_EQ(error(bundle(), {"--keep-going",
                             ".open",
                             slot_,
                             "rw",
                             ".login",
                             "user",
                             ".genkey",
                             "k",
                             "aes",
                             "32",
                             ".encrypt",
                             "k",
                             "aes-gcm",
                             "secret message",
                             ".decrypt",
                             "k",
                             "aes-gcm",
                             ".aad",
                             "other",
                             ".decrypt",
                             "k",
                             "aes-gcm",
                             ".aad",
                             "berth",
                             ".tamper",
                             ".decrypt",
                             "k",
                             "aes-gcm",
                             ".encrypt",
                             "k",
                             "aes-cbc-pad",
                             "secret message",
                             ".decrypt",
                             "k",
                             "aes-cbc-pad",
                             ".genpair",
                             "r",
                             "rsa",
                             "2048",
                             ".encrypt",
                             "r.public",
                             "rsa-pkcs-oaep-sha1",
                             "oaep secret",
                             ".decrypt",
                             "r.private",
                             "rsa-pkcs-oaep-sha1"}),
            "session open\nlogged in\ngenerated key k\n"
            // 14 bytes and a 16-byte tag.
            "ciphertext 30 bytes\nplaintext: secret message\n"
            // SoftHSM2 reports a wrong tag as general-error.
            "p11: error: general-error\ntampered\np11: error: general-error\n"
            "ciphertext 16 bytes\nplaintext: secret message\n"
            "generated pair r\nciphertext 256 bytes\nplaintext: oaep secret\n");
}

TEST_F(Pkcs11CommandTest, SignsWithRsaHmacAndEcdsaAtOnceAndInParts) {
  EXPECT_EQ(ok(bundle(), {".open",
                          slot_,
                          "rw",
                          ".login",
                          "user",
                          ".genpair",
                          "r",
                          "rsa",
                          "2048",
                          ".sign-key",
                          "r.private",
                          "sha256-rsa-pkcs",
                          "msg",
                          ".verify-key",
                          "r.public",
                          "sha256-rsa-pkcs",
                          "msg",
                          ".verify-key",
                          "r.public",
                          "sha256-rsa-pkcs",
                          "other",
                          ".sign-key",
                          "r.private",
                          "sha256-rsa-pkcs-pss",
                          "msg",
                          ".verify-key",
                          "r.public",
                          "sha256-rsa-pkcs-pss",
                          "msg",
                          ".verify-key",
                          "r.public",
                          "sha256-rsa-pkcs-pss",
                          "msh",
                          ".genkey",
                          "h",
                          "generic",
                          "32",
                          ".sign-key",
                          "h",
                          "sha256-hmac",
                          "msg",
                          ".verify-key",
                          "h",
                          "sha256-hmac",
                          "msg",
                          ".verify-key",
                          "h",
                          "sha256-hmac",
                          "msgx",
                          ".genpair",
                          "e",
                          "ec",
                          "p256",
                          ".sign-parts",
                          "e.private",
                          "ecdsa-sha256",
                          "hello ",
                          "world",
                          ".verify-parts",
                          "e.public",
                          "ecdsa-sha256",
                          "hello ",
                          "world",
                          ".verify-key",
                          "e.public",
                          "ecdsa-sha256",
                          "hello world",
                          ".verify-parts",
                          "e.public",
                          "ecdsa-sha256",
                          "hello ",
                          "World",
                          ".sign-parts",
                          "r.private",
                          "sha256-rsa-pkcs",
                          "a",
                          "b",
                          ".verify-key",
                          "r.public",
                          "sha256-rsa-pkcs",
                          "ab"}),
            "session open\nlogged in\ngenerated pair r\n"
            "signature 256 bytes\nvalid\ninvalid\n"
            "signature 256 bytes\nvalid\ninvalid\n"
            "generated key h\nsignature 32 bytes\nvalid\ninvalid\n"
            // In parts, and checked at once: the same signature.
            "generated pair e\nsignature 64 bytes in 2 parts\nvalid\nvalid\ninvalid\n"
            "signature 256 bytes in 2 parts\nvalid\n");
}

TEST_F(Pkcs11CommandTest, DigestsAtOnceAndInParts) {
  EXPECT_EQ(
      ok(bundle(), {".open", slot_, "ro", ".digest", "sha256", "abc", ".digest-parts", "sha256",
                    "a", "b", "c", ".digest", "sha384", "abc"}),
      "session open\n"
      "digest ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"
      "digest ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"
      "digest cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358"
      "baeca134c825a7\n");
}

TEST_F(Pkcs11CommandTest, EncryptsInPartsOneOperationAtATime) {
  EXPECT_EQ(error(bundle(), {"--keep-going",
                             ".open",
                             slot_,
                             "rw",
                             ".login",
                             "user",
                             ".genkey",
                             "k",
                             "aes",
                             "32",
                             ".encrypt-parts",
                             "k",
                             "aes-cbc-pad",
                             "first part ",
                             "second part",
                             ".decrypt-parts",
                             "k",
                             "aes-cbc-pad",
                             "3",
                             ".encrypt-parts",
                             "k",
                             "aes-gcm",
                             "first part ",
                             "second part",
                             ".decrypt-parts",
                             "k",
                             "aes-gcm",
                             "3",
                             ".begin-encrypt",
                             "k",
                             "aes-cbc-pad",
                             ".update",
                             "0123456789abcdef0123",
                             ".encrypt",
                             "k",
                             "aes-cbc-pad",
                             "busy",
                             ".finish",
                             ".encrypt",
                             "k",
                             "aes-cbc-pad",
                             "free",
                             ".begin-encrypt",
                             "k",
                             "aes-cbc-pad",
                             ".drop-encryptor",
                             ".encrypt",
                             "k",
                             "aes-cbc-pad",
                             "free again"}),
            "session open\nlogged in\ngenerated key k\n"
            "ciphertext 32 bytes in 2 parts\nplaintext: first part second part\n"
            "ciphertext 38 bytes in 2 parts\nplaintext: first part second part\n"
            "encrypting\n16 bytes out\n"
            // One encryption per session at a time.
            "p11: error: operation-active\n16 bytes out, finished\n"
            "ciphertext 16 bytes\n"
            // Dropped unfinished, the operation ends.
            "encrypting\nencryptor dropped\nciphertext 16 bytes\n");
}

TEST_F(Pkcs11CommandTest, WrapsUnwrapsAndDerivesKeys) {
  EXPECT_EQ(error(bundle("allow-extractable-keys = true\n"), {"--keep-going",
                                                              ".open",
                                                              slot_,
                                                              "rw",
                                                              ".login",
                                                              "user",
                                                              ".genkey",
                                                              "w",
                                                              "aes",
                                                              "32",
                                                              ".genkey",
                                                              "k",
                                                              "aes",
                                                              "16",
                                                              "extractable",
                                                              ".genkey",
                                                              "n",
                                                              "aes",
                                                              "16",
                                                              ".wrap",
                                                              "w",
                                                              "aes-key-wrap",
                                                              "k",
                                                              ".unwrap",
                                                              "w",
                                                              "aes-key-wrap",
                                                              "k2",
                                                              ".encrypt",
                                                              "k",
                                                              "aes-gcm",
                                                              "hi",
                                                              ".decrypt",
                                                              "k2",
                                                              "aes-gcm",
                                                              ".attrs",
                                                              "k2",
                                                              "extractable",
                                                              "sensitive",
                                                              ".wrap",
                                                              "w",
                                                              "aes-key-wrap",
                                                              "n",
                                                              ".genpair",
                                                              "a",
                                                              "ec",
                                                              "p256",
                                                              ".genpair",
                                                              "b",
                                                              "ec",
                                                              "p256",
                                                              ".derive",
                                                              "a",
                                                              "b",
                                                              "ab",
                                                              ".derive",
                                                              "b",
                                                              "a",
                                                              "ba",
                                                              ".sign-key",
                                                              "ab",
                                                              "sha256-hmac",
                                                              "m",
                                                              ".verify-key",
                                                              "ba",
                                                              "sha256-hmac",
                                                              "m"}),
            "session open\nlogged in\ngenerated key w\ngenerated key k\ngenerated key n\n"
            "wrapped 24 bytes\nunwrapped k2\nciphertext 18 bytes\nplaintext: hi\n"
            // Unwrapped keys are hidden unless the template says otherwise.
            "extractable=false\nsensitive=true\n"
            "p11: error: key-unextractable\n"
            // ECDH both ways gives one secret: a MAC made with one checks with the other.
            "generated pair a\ngenerated pair b\nderived ab\nderived ba\nsignature 32 bytes\n"
            "valid\n");
}

TEST_F(Pkcs11CommandTest, InitialisesTheTokenAndItsPinsWhenAllowed) {
  std::string config = "module = " + toml_string(BERTH_SOFTHSM2_MODULE) + "\nslots = \"" + slot_ +
                       "\"\npin = \"1234\"\nso-pin = \"5678\"\n";
  std::vector<std::string> allowed = {
      "--host-bundle",
      configured_copy("pkcs11",
                      config + "allow-token-initialization = true\nallow-guest-pin = true\n")
          .string()};
  EXPECT_EQ(error({"--host-bundle", configured_copy("pkcs11", config).string()},
                  {".init-token", slot_, "fresh"}),
            "p11: error: not-allowed: a component may not initialise a token (configuration "
            "'allow-token-initialization' is false)\n");
  std::string out = error(
      allowed, {"--keep-going", ".init-token", slot_,    "fresh",    ".token", slot_,  ".open",
                slot_,          "rw",          ".login", "user",     ".login", "so",   ".init-pin",
                ".logout",      ".login",      "user",   ".set-pin", "-",      "9999", ".logout",
                ".login-pin",   "user",        "9999",   ".set-pin", "9999",   "1234", ".logout",
                ".login",       "user"});
  EXPECT_EQ(std::regex_replace(out, std::regex("serial [0-9a-f]+"), "serial S"),
            "token initialised\n"
            "token fresh | SoftHSM project | SoftHSM v2 | serial S\n"
            "flags: rng login-required restore-key-not-needed token-initialized\n"
            "pin length 4 to 255\n"
            // Initialising the token removed the user PIN; the security officer sets it again.
            "session open\np11: error: user-pin-not-initialized\nlogged in\npin initialised\n"
            "logged out\nlogged in\n"
            // Changed to the component's PIN and back.
            "pin changed\nlogged out\nlogged in\npin changed\nlogged out\nlogged in\n");
  // Without the security officer's PIN in the configuration, or with a wrong one of the
  // component's own.
  EXPECT_EQ(error(allowed, {".init-token-pin", slot_, "0000", "again"}),
            "p11: error: pin-incorrect\n");
  EXPECT_EQ(error(allowed, {".open", slot_, "rw", ".init-token", slot_, "again"}),
            "session open\np11: error: session-exists\n");
}

TEST_F(Pkcs11CommandTest, FindsPersistentKeysAcrossRuns) {
  EXPECT_EQ(
      ok(bundle(), {".open", slot_, "rw", ".login", "user", ".genpair", "signer", "ec", "p256",
                    "persistent", ".sign-key", "signer.private", "ecdsa-sha256", "first run"}),
      "session open\nlogged in\ngenerated pair signer\nsignature 64 bytes\n");
  // The token keeps no order among objects.
  EXPECT_THAT(ok(bundle(), {".open", slot_, "ro", ".login", "user", ".find", "signer"}),
              AnyOf("session open\nlogged in\nfound 2\nfound0: public-key\nfound1: private-key\n",
                    "session open\nlogged in\nfound 2\nfound0: private-key\nfound1: public-key\n"));
  // Not logged in, a session sees only the public key (the private one is CKA_PRIVATE).
  EXPECT_EQ(ok(bundle(), {".open", slot_, "ro", ".find", "signer"}),
            "session open\nfound 1\nfound0: public-key\n");
}

// The bad inputs that step 1 did not reach: a mechanism the token lacks, sizes that do
// not fit, a key label nothing has.
TEST_F(Pkcs11CommandTest, BadInputsAreErrorsByName) {
  EXPECT_EQ(error(bundle(), {"--keep-going", ".open",
                             slot_,          "rw",
                             ".login",       "user",
                             ".genkey",      "k",
                             "aes",          "32",
                             ".encrypt",     "k",
                             "0x9999",       "x",
                             ".encrypt",     "k",
                             "aes-cbc-pad",  "sixteen bytes!!!",
                             ".truncate",    "20",
                             ".decrypt",     "k",
                             "aes-cbc-pad",  ".generate",
                             "p256",         "e",
                             ".sign",        "ecdsa-sha256",
                             "message",      ".truncate",
                             "63",           ".verify",
                             "ecdsa-sha256", "message",
                             ".random",      "2000000",
                             ".find",        "no such key"}),
            "session open\nlogged in\ngenerated key k\n"
            "p11: error: mechanism-invalid\n"
            // A ciphertext cut short of a whole block.
            "ciphertext 32 bytes\ntruncated to 20 bytes\np11: error: encrypted-data-len-range\n"
            // A signature one byte short does not verify.
            "generated e: 67-byte public point\nsignature 64 bytes\ntruncated to 63 bytes\n"
            "invalid\n"
            "p11: error: arguments-bad\nfound 0\n");
}

// ---- step 3: end to end ----

// The scenario through a hosts.toml, the PIN in berth's environment: keys made and used
// in one run, found again by label in the next (the token keeps them).
TEST_F(Pkcs11CommandTest, WorksThroughAHostsTomlAcrossRuns) {
  setenv("BERTH_TEST_PKCS11_PIN", kPin, 1);
  std::vector<std::string> providers = {
      "--host-config", hosts_toml("pkcs11", "module = " + toml_string(BERTH_SOFTHSM2_MODULE) +
                                                "\ntoken-labels = " + toml_string(kLabel) +
                                                "\npin-env = \"BERTH_TEST_PKCS11_PIN\"\n")
                           .string()};
  EXPECT_EQ(ok(providers, {".open",
                           slot_,
                           "rw",
                           ".login",
                           "user",
                           ".genpair",
                           "ec-signer",
                           "ec",
                           "p256",
                           "persistent",
                           ".sign-key",
                           "ec-signer.private",
                           "ecdsa-sha256",
                           "release 1.0",
                           ".verify-key",
                           "ec-signer.public",
                           "ecdsa-sha256",
                           "release 1.0",
                           ".verify-key",
                           "ec-signer.public",
                           "ecdsa-sha256",
                           "release 1.1",
                           ".genpair",
                           "rsa-signer",
                           "rsa",
                           "2048",
                           "persistent",
                           ".sign-key",
                           "rsa-signer.private",
                           "sha256-rsa-pkcs-pss",
                           "release 1.0",
                           ".verify-key",
                           "rsa-signer.public",
                           "sha256-rsa-pkcs-pss",
                           "release 1.0",
                           ".verify-key",
                           "rsa-signer.public",
                           "sha256-rsa-pkcs-pss",
                           "release 1.1",
                           ".genkey",
                           "data-key",
                           "aes",
                           "32",
                           "persistent",
                           ".encrypt",
                           "data-key",
                           "aes-gcm",
                           "a secret",
                           ".decrypt",
                           "data-key",
                           "aes-gcm",
                           ".digest",
                           "sha256",
                           "abc",
                           ".random",
                           "32"}),
            "session open\nlogged in\ngenerated pair ec-signer\nsignature 64 bytes\nvalid\n"
            "invalid\ngenerated pair rsa-signer\nsignature 256 bytes\nvalid\ninvalid\n"
            "generated key data-key\nciphertext 24 bytes\nplaintext: a secret\n"
            "digest ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n"
            "32 random bytes (not all zero)\n");
  std::string later =
      ok(providers, {".open", slot_, "ro", ".login", "user", ".find", "data-key", ".encrypt",
                     "found0", "aes-gcm", "still a secret", ".decrypt", "found0", "aes-gcm",
                     ".find", "rsa-signer", ".find", "nothing"});
  EXPECT_THAT(later, StartsWith("session open\nlogged in\nfound 1\nfound0: secret-key\n"
                                "ciphertext 30 bytes\nplaintext: still a secret\nfound 2\n"));
  // Both keys of the pair, in the token's order.
  EXPECT_THAT(later, HasSubstr(": public-key\n"));
  EXPECT_THAT(later, HasSubstr(": private-key\n"));
  EXPECT_THAT(later, EndsWith("found 0\n"));
  unsetenv("BERTH_TEST_PKCS11_PIN");
}

}  // namespace
}  // namespace berth::bundles
