// bundles/pkcs11 in one process: many instances of the C guest, one after another, each in its
// own store, with the bundle loaded once. A guest that traps in the middle of a multipart
// operation leaves nothing behind: no session of it stays open (the login it made ends with
// it), the next instance logs in afresh (a session left open would keep the login:
// user-already-logged-in) and runs the same operation, and the process's open files do not
// grow.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <p11-kit/pkcs11.h>

#include <string>
#include <vector>

#include "bundles/in_process_guest.h"
#include "bundles/reference_test_util.h"
#include "bundles/softhsm_token.h"

namespace berth::bundles {
namespace {

using testing::open_files;

class Pkcs11InstancesTest : public testing::InProcessGuestTest {
 protected:
  void SetUp() override {
    InProcessGuestTest::SetUp();
    slot_ = testing::init_softhsm_token(dir_);
    ASSERT_FALSE(slot_.empty());
    load_guest("bundles_pkcs11_c", "p11");
    if (HasFatalFailure()) return;
    auto bundle = bundle::load_bundle_dir(testing::built_bundle("pkcs11"),
                                          {{"module", BERTH_SOFTHSM2_MODULE},
                                           {"token-labels", testing::kTokenLabel},
                                           {"pin", testing::kUserPin}});
    ASSERT_TRUE(bundle) << bundle.error().describe();
    bundle_ = std::move(*bundle);
  }

  void TearDown() override {
    bundle_.reset();
    unsetenv("SOFTHSM2_CONF");
    InProcessGuestTest::TearDown();
  }

  // Whether the process is logged in to the token, asked of SoftHSM2 itself through the
  // process's one load of it, which the bundle initialised (a bundle instance must be alive).
  // PKCS#11 keeps a login while any session of the process on the token is open, and SoftHSM2
  // does not count sessions (CK_UNAVAILABLE_INFORMATION): a session a trapped guest left open
  // shows as a login that outlives it.
  bool logged_in() {
    void* module = dlopen(BERTH_SOFTHSM2_MODULE, RTLD_NOW | RTLD_NOLOAD);
    EXPECT_NE(module, nullptr) << "the bundle has not loaded SoftHSM2";
    if (module == nullptr) return true;
    auto get_function_list =
        reinterpret_cast<CK_C_GetFunctionList>(dlsym(module, "C_GetFunctionList"));
    CK_FUNCTION_LIST* p11 = nullptr;
    CK_SESSION_HANDLE session = 0;
    CK_SESSION_INFO info{};
    EXPECT_EQ(get_function_list(&p11), CKR_OK);
    EXPECT_EQ(p11->C_OpenSession(std::stoul(slot_), CKF_SERIAL_SESSION, nullptr, nullptr, &session),
              CKR_OK);
    EXPECT_EQ(p11->C_GetSessionInfo(session, &info), CKR_OK);
    p11->C_CloseSession(session);
    dlclose(module);
    return info.state != CKS_RO_PUBLIC_SESSION;
  }

  std::string slot_;
};

TEST_F(Pkcs11InstancesTest, ATrapInTheMiddleOfAMultipartOperationLeavesTheTokenUsable) {
  // An instance that stays, so that the module stays loaded between the runs.
  Kept holder;
  ASSERT_EQ(run({".slots"}, nullptr, &holder).status, 0);
  Run made =
      run({".open", slot_, "rw", ".login", "user", ".genkey", "k", "aes", "32", "persistent"});
  ASSERT_EQ(made.status, 0) << made.out;
  const std::vector<std::string> trapping = {
      ".open",  slot_,         "rw",      ".login",
      "user",   ".find",       "k",       ".begin-encrypt",
      "found0", "aes-cbc-pad", ".update", "0123456789abcdef0123",
      ".trap"};
  Run first = run(trapping);
  ASSERT_TRUE(first.trapped) << first.out;
  size_t files = open_files();
  for (int i = 0; i < 20; ++i) {
    Run again = run(trapping);
    ASSERT_TRUE(again.trapped) << i << ": " << again.out;
    EXPECT_EQ(again.out,
              "session open\nlogged in\nfound 1\nfound0: secret-key\nencrypting\n16 bytes out\n")
        << i;
    EXPECT_FALSE(logged_in()) << i;
  }
  EXPECT_EQ(open_files(), files);

  // The check sees a session that is still open: an instance kept after it trapped.
  Kept trapped;
  ASSERT_TRUE(run(trapping, nullptr, &trapped).trapped);
  EXPECT_TRUE(logged_in());
  trapped = {};
  EXPECT_FALSE(logged_in());

  Run works = run({".open", slot_, "rw", ".login", "user", ".find", "k", ".encrypt-parts", "found0",
                   "aes-cbc-pad", "first part ", "second part", ".decrypt-parts", "found0",
                   "aes-cbc-pad", "3"});
  EXPECT_EQ(works.status, 0) << works.out;
  EXPECT_EQ(works.out,
            "session open\nlogged in\nfound 1\nfound0: secret-key\n"
            "ciphertext 32 bytes in 2 parts\nplaintext: first part second part\n");
}

}  // namespace
}  // namespace berth::bundles
