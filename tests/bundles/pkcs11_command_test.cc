// bundles/pkcs11 end to end: a C WASI command (tests/bundles/guests/pkcs11_c) that imports
// pkcs11:token@0.1.0, run by the berth executable against a real SoftHSM2 token. Each test
// initialises its own token in its own folder (SOFTHSM2_CONF, which the berth processes it
// starts inherit), never in the system's token directory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "bundles/reference_test_util.h"

namespace berth::bundles {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace berth::bundles::testing;

constexpr char kLabel[] = "berth-test";
constexpr char kPin[] = "1234";
constexpr char kSoPin[] = "5678";

class Pkcs11CommandTest : public ReferenceBundleTest {
 protected:
  void SetUp() override {
    ReferenceBundleTest::SetUp();
    fs::create_directories(dir_ / "tokens");
    fs::path conf = write("softhsm2.conf", "directories.tokendir = " + (dir_ / "tokens").string() +
                                               "\nobjectstore.backend = file\nlog.level = ERROR\n");
    setenv("SOFTHSM2_CONF", conf.c_str(), 1);
    // softhsm2-util says which slot the initialised token moved to.
    std::string log = (dir_ / "init.log").string();
    std::string command = std::string(BERTH_SOFTHSM2_UTIL) + " --init-token --free --label " +
                          kLabel + " --pin " + kPin + " --so-pin " + kSoPin + " > " + log + " 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << read(log);
    std::smatch match;
    std::string said = read(log);
    ASSERT_TRUE(std::regex_search(said, match, std::regex("reassigned to slot ([0-9]+)"))) << said;
    slot_ = match[1];
  }

  void TearDown() override {
    unsetenv("SOFTHSM2_CONF");
    ReferenceBundleTest::TearDown();
  }

  static std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
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

}  // namespace
}  // namespace berth::bundles
