// `berth bundle keygen`, `sign` and `verify`: what they print and their exit status, through
// the command functions and through the berth executable's command line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "bundle_test_util.h"
#include "cli/bundle_command.h"
#include "cli/bundle_trust_command.h"
#include "cli/exit_codes.h"
#include "common/run_berth.h"

namespace berth::cli {
namespace {

using ::testing::HasSubstr;
using namespace berth::bundle::testing;

using berth::testing::capture_output;
using Ran = berth::testing::Outcome;

class TrustCommandTest : public BundleDirTest {
 protected:
  void SetUp() override {
    BundleDirTest::SetUp();
    bundle_ = dir_ / "types";
    fs::create_directories(bundle_ / "lib");
    fs::copy_file(test_lib("types"), bundle_ / "lib" / "libtypes.so");
    fs::copy(types_wit(), bundle_ / "wit");
    write("types/host.toml",
          "[host]\nname = \"types\"\nversion = \"0.1.0\"\n"
          "lib = \"lib/libtypes.so\"\nwit = \"wit\"\n");
  }

  Ran keygen(const std::string& name) {
    BundleTrustOptions o{.action = "keygen", .output = (dir_ / name).string()};
    return capture_output([&] { return bundle_trust_command(o); });
  }
  Ran sign(const std::string& key) {
    BundleTrustOptions o{
        .action = "sign", .bundle = bundle_.string(), .key = (dir_ / key).string()};
    return capture_output([&] { return bundle_trust_command(o); });
  }
  Ran verify(std::vector<std::string> keys) {
    BundleTrustOptions o{.action = "verify", .bundle = bundle_.string()};
    for (const std::string& k : keys) o.trusted_keys.push_back((dir_ / k).string());
    return capture_output([&] { return bundle_trust_command(o); });
  }

  Ran check(BundleLoadFlags flags) {
    BundleCommandOptions o{.action = "check", .bundle = bundle_.string(), .bundle_loading = flags};
    return capture_output([&] { return bundle_command(o); });
  }

  fs::path bundle_;
};

TEST_F(TrustCommandTest, KeygenSignVerify) {
  Ran made = keygen("alice");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_THAT(made.out, HasSubstr("key id "));
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "alice.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  Ran signed_run = sign("alice.key");
  ASSERT_EQ(signed_run.exit_code, 0) << signed_run.err;
  EXPECT_THAT(signed_run.out, HasSubstr("signatures/"));

  Ran trusted = verify({"alice.pub"});
  EXPECT_EQ(trusted.exit_code, 0) << trusted.out << trusted.err;
  EXPECT_THAT(trusted.out, HasSubstr("TRUSTED: signed by trusted key"));
  EXPECT_THAT(trusted.out, HasSubstr("valid, trusted key"));

  Ran nobody = verify({});
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_THAT(nobody.out, HasSubstr("NOT TRUSTED"));
  EXPECT_THAT(nobody.out, HasSubstr("unknown key"));

  std::ofstream(bundle_ / "wit" / "types.wit", std::ios::app) << "\n";
  Ran tampered = verify({"alice.pub"});
  EXPECT_EQ(tampered.exit_code, 1);
  EXPECT_THAT(tampered.out, HasSubstr("wit/types.wit changed"));
}

TEST_F(TrustCommandTest, ErrorsAreClear) {
  ASSERT_EQ(keygen("alice").exit_code, 0);
  Ran again = keygen("alice");
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, HasSubstr("does not overwrite keys"));

  Ran with_public = sign("alice.pub");
  EXPECT_NE(with_public.exit_code, 0);
  EXPECT_THAT(with_public.err, HasSubstr("is a public key file"));

  Ran with_secret = verify({"alice.key"});
  EXPECT_NE(with_secret.exit_code, 0);
  EXPECT_NE(with_secret.exit_code, 1);
  EXPECT_THAT(with_secret.err, HasSubstr("is a secret key file"));
}

TEST_F(TrustCommandTest, TheCommandLine) {
  using berth::testing::run_berth;
  std::string base = (dir_ / "bob").string();
  auto made = run_berth({"bundle", "keygen", "-o", base});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_TRUE(fs::exists(base + ".key"));
  auto signed_run = run_berth({"bundle", "sign", bundle_.string(), "--key", base + ".key"});
  ASSERT_EQ(signed_run.exit_code, 0) << signed_run.err;
  auto trusted = run_berth({"bundle", "verify", bundle_.string(), "--trusted-key", base + ".pub"});
  EXPECT_EQ(trusted.exit_code, 0) << trusted.out << trusted.err;
  EXPECT_THAT(trusted.out, HasSubstr("TRUSTED"));
  auto untrusted = run_berth({"bundle", "verify", bundle_.string()});
  EXPECT_EQ(untrusted.exit_code, 1);
  EXPECT_THAT(untrusted.out, HasSubstr("NOT TRUSTED"));
  // sign without --key is a usage error.
  EXPECT_EQ(run_berth({"bundle", "sign", bundle_.string()}).exit_code, kExitUsage);
}

TEST_F(TrustCommandTest, CheckHonoursThePolicy) {
  ASSERT_EQ(keygen("alice").exit_code, 0);
  Ran unsigned_check = check({});
  EXPECT_EQ(unsigned_check.exit_code, 0) << unsigned_check.err;
  EXPECT_THAT(unsigned_check.err,
              HasSubstr("warning: bundle " + bundle_.string() + " is not signed"));
  EXPECT_EQ(check({.quiet = true}).err, "");

  BundleLoadFlags policy{.trusted_keys = {(dir_ / "alice.pub").string()}, .require_signed = true};
  Ran refused = check(policy);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("refusing to load the bundle"));

  ASSERT_EQ(sign("alice.key").exit_code, 0);
  Ran accepted = check(policy);
  EXPECT_EQ(accepted.exit_code, 0) << accepted.err;
  EXPECT_EQ(accepted.err, "");
}

TEST_F(TrustCommandTest, AFolderThatCannotBeReadIsAnErrorNamingIt) {
  ASSERT_EQ(keygen("alice").exit_code, 0);
  for (const fs::path& bad : {dir_ / "absent", dir_ / "alice.pub"}) {
    BundleTrustOptions sign_options{
        .action = "sign", .bundle = bad.string(), .key = (dir_ / "alice.key").string()};
    Ran signed_run = capture_output([&] { return bundle_trust_command(sign_options); });
    EXPECT_EQ(signed_run.exit_code, kExitBerthError) << signed_run.err;
    EXPECT_THAT(signed_run.err, HasSubstr(bad.string()));
    BundleTrustOptions verify_options{.action = "verify", .bundle = bad.string()};
    Ran verified = capture_output([&] { return bundle_trust_command(verify_options); });
    EXPECT_EQ(verified.exit_code, kExitBerthError) << verified.err;
    EXPECT_THAT(verified.err, HasSubstr(bad.string()));
  }
}

}  // namespace
}  // namespace berth::cli
