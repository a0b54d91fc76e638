// Bundle trust: key files, signing and verifying a bundle folder, and every kind of tampering.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "berth/bundle/trust.h"
#include "berth/file_tree.h"
#include "bundle_test_util.h"
#include "common/paths.h"

namespace berth::bundle {
namespace {

using berth::testing::expect_ok;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace berth::bundle::testing;

class TrustTest : public BundleDirTest {
 protected:
  // A self-contained bundle folder: the types library in lib/, its WIT in wit/.
  fs::path self_contained(const std::string& name, const std::string& version = "0.1.0") {
    fs::path root = dir_ / name;
    fs::create_directories(root / "lib");
    fs::create_directories(root / "wit");
    fs::copy_file(test_lib("types"), root / "lib" / "libtypes.so");
    fs::copy_file(types_wit() / "types.wit", root / "wit" / "types.wit");
    write(fs::path(name) / "host.toml",
          "[host]\nname = \"types\"\nversion = \"" + version +
              "\"\nlib = \"lib/libtypes.so\"\nwit = \"wit\"\n\n[config]\ngreeting = \"hi\"\n");
    write(fs::path(name) / "NOTES", "notes\n");
    return root;
  }

  SecretKey key(const std::string& base) {
    expect_ok(generate_key_pair(dir_ / base));
    return expect_ok(read_secret_key(dir_ / (base + ".key")));
  }
  PublicKey pub(const std::string& base) {
    return expect_ok(read_public_key(dir_ / (base + ".pub")));
  }

  Verdict verify(const fs::path& root, const std::vector<PublicKey>& keys) {
    BundleFiles files(root);
    return expect_ok(verify_bundle(files, keys));
  }

  // The policy at load time.
  static TrustPolicy requiring(std::vector<PublicKey> keys) {
    return TrustPolicy{.trusted_keys = std::move(keys), .require_signed = true};
  }
  std::string refusal(const fs::path& root, const TrustPolicy& policy) {
    auto loaded = load_bundle_dir(root, {}, policy);
    EXPECT_FALSE(loaded);
    return loaded ? "" : loaded.error().message();
  }
};

TEST_F(TrustTest, KeyPairFilesAndTheSecretKeysMode) {
  PublicKey made = expect_ok(generate_key_pair(dir_ / "alice"));
  EXPECT_EQ(made.id.size(), 16u);
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "alice.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(pub("alice").id, made.id);
  EXPECT_EQ(pub("alice").bytes, made.bytes);
  EXPECT_EQ(expect_ok(read_secret_key(dir_ / "alice.key")).id, made.id);
  // A second key pair under the same name would lose the first secret key.
  auto again = generate_key_pair(dir_ / "alice");
  ASSERT_FALSE(again);
  EXPECT_THAT(again.error().message(), HasSubstr("alice.key"));
  EXPECT_EQ(pub("alice").id, made.id);
}

TEST_F(TrustTest, BadKeyFilesAreRefusedWithWhatTheyAre) {
  expect_ok(generate_key_pair(dir_ / "alice"));
  auto message = [](const auto& result) {
    EXPECT_FALSE(result);
    return result ? std::string() : result.error().message();
  };
  EXPECT_THAT(message(read_public_key(dir_ / "alice.key")), HasSubstr("is a secret key file"));
  EXPECT_THAT(message(read_secret_key(dir_ / "alice.pub")), HasSubstr("is a public key file"));
  write("short.pub", "berth-ed25519-public-key abcd\n");
  EXPECT_THAT(message(read_public_key(dir_ / "short.pub")), HasSubstr("4 hex digits"));
  write("nothex.pub", "berth-ed25519-public-key " + std::string(64, 'z') + "\n");
  EXPECT_THAT(message(read_public_key(dir_ / "nothex.pub")), HasSubstr("nothex.pub"));
  write("ssh.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGr user@host\n");
  EXPECT_THAT(message(read_public_key(dir_ / "ssh.pub")), HasSubstr("not a berth key file"));
  write("empty.pub", "");
  EXPECT_THAT(message(read_public_key(dir_ / "empty.pub")), HasSubstr("empty.pub"));
  std::string binary(5000, '\0');
  write("binary.pub", binary);
  EXPECT_THAT(message(read_public_key(dir_ / "binary.pub")), HasSubstr("not a berth key file"));
  EXPECT_THAT(message(read_public_key(dir_ / "missing.pub")), HasSubstr("missing.pub"));
}

TEST_F(TrustTest, SignThenVerify) {
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  fs::path sig = expect_ok(sign_bundle(root, alice));
  EXPECT_EQ(sig, root / "signatures" / (alice.id + ".sig"));

  Verdict verdict = verify(root, {pub("alice")});
  EXPECT_TRUE(verdict.trusted);
  ASSERT_EQ(verdict.signatures.size(), 1u);
  EXPECT_EQ(verdict.signatures[0].status, SignatureStatus::kValid);
  EXPECT_EQ(verdict.summary(), "signed by trusted key " + alice.id);
}

TEST_F(TrustTest, TheSignatureFileListsEveryFileButSignatures) {
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  expect_ok(sign_bundle(root, alice));
  std::string text = expect_ok(disk_files().read(root / "signatures" / (alice.id + ".sig")));
  SignatureFile parsed = expect_ok(parse_signature_file(text, "x.sig"));
  std::vector<std::string> paths;
  for (const SignedFile& f : parsed.files) paths.push_back(f.path);
  EXPECT_THAT(paths,
              ::testing::ElementsAre("NOTES", "host.toml", "lib/libtypes.so", "wit/types.wit"));
  EXPECT_EQ(parsed.key_id, alice.id);
  // The text round-trips through its parser and printer.
  EXPECT_EQ(format_signature_file(parsed), text);
}

struct Tampering {
  const char* name;
  std::function<void(const fs::path&)> change;
  const char* difference;
};

class TamperingTest : public TrustTest, public ::testing::WithParamInterface<Tampering> {};

void append(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::app | std::ios::binary) << text;
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, TamperingTest,
    ::testing::Values(
        Tampering{"ChangedLibrary",
                  [](const fs::path& r) { append(r / "lib" / "libtypes.so", "x"); },
                  "lib/libtypes.so changed"},
        Tampering{"ChangedHostToml",
                  [](const fs::path& r) { append(r / "host.toml", "\n# edited\n"); },
                  "host.toml changed"},
        Tampering{"ChangedWit",
                  [](const fs::path& r) { append(r / "wit" / "types.wit", "\n// edited\n"); },
                  "wit/types.wit changed"},
        Tampering{"AddedFile",
                  [](const fs::path& r) { std::ofstream(r / "lib" / "libextra.so") << "x"; },
                  "lib/libextra.so was added"},
        Tampering{"RemovedFile", [](const fs::path& r) { fs::remove(r / "NOTES"); },
                  "NOTES was removed"},
        Tampering{"RenamedFile", [](const fs::path& r) { fs::rename(r / "NOTES", r / "README"); },
                  "NOTES was renamed to README"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_P(TamperingTest, IsRefusedNamingTheFile) {
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  expect_ok(sign_bundle(root, alice));
  GetParam().change(root);

  Verdict verdict = verify(root, {pub("alice")});
  EXPECT_FALSE(verdict.trusted);
  ASSERT_EQ(verdict.signatures.size(), 1u);
  EXPECT_EQ(verdict.signatures[0].status, SignatureStatus::kFilesDiffer);
  EXPECT_THAT(verdict.summary(), HasSubstr(GetParam().difference));
}

TEST_F(TrustTest, AnUnknownKeyIsRefusedNamingIt) {
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  key("bob");
  expect_ok(sign_bundle(root, alice));
  Verdict verdict = verify(root, {pub("bob")});
  EXPECT_FALSE(verdict.trusted);
  ASSERT_EQ(verdict.signatures.size(), 1u);
  EXPECT_EQ(verdict.signatures[0].status, SignatureStatus::kUnknownKey);
  EXPECT_EQ(verdict.signatures[0].key_id, alice.id);
  EXPECT_THAT(verdict.summary(), HasSubstr(alice.id));
  // No trusted keys at all: the same.
  EXPECT_EQ(verify(root, {}).signatures[0].status, SignatureStatus::kUnknownKey);
}

TEST_F(TrustTest, SeveralSignaturesOneTrusted) {
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  SecretKey bob = key("bob");
  expect_ok(sign_bundle(root, alice));
  expect_ok(sign_bundle(root, bob));
  // Signing again by the same key replaces its signature rather than adding one.
  expect_ok(sign_bundle(root, bob));
  size_t count =
      std::distance(fs::directory_iterator(root / "signatures"), fs::directory_iterator());
  EXPECT_EQ(count, 2u);

  Verdict verdict = verify(root, {pub("bob")});
  EXPECT_TRUE(verdict.trusted);
  EXPECT_EQ(verdict.summary(), "signed by trusted key " + bob.id);
}

TEST_F(TrustTest, AnAlteredSignatureDoesNotVerify) {
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  fs::path sig = expect_ok(sign_bundle(root, alice));
  std::string text = expect_ok(disk_files().read(sig));
  size_t at = text.find("signature = \"") + 13;
  text[at] = text[at] == '0' ? '1' : '0';
  std::ofstream(sig, std::ios::binary | std::ios::trunc) << text;
  Verdict verdict = verify(root, {pub("alice")});
  EXPECT_FALSE(verdict.trusted);
  ASSERT_EQ(verdict.signatures.size(), 1u);
  EXPECT_EQ(verdict.signatures[0].status, SignatureStatus::kBadSignature);
}

TEST_F(TrustTest, ASignatureListThatLiesIsCaught) {
  // Editing the file list to match tampered contents breaks the signature.
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  fs::path sig = expect_ok(sign_bundle(root, alice));
  append(root / "NOTES", "more");
  BundleFiles files(root);
  expect_ok(files.read_all());
  SignatureFile parsed = expect_ok(parse_signature_file(expect_ok(disk_files().read(sig)), "x"));
  parsed.files = signed_files(files);
  std::ofstream(sig, std::ios::binary | std::ios::trunc) << format_signature_file(parsed);
  Verdict verdict = verify(root, {pub("alice")});
  EXPECT_FALSE(verdict.trusted);
  EXPECT_EQ(verdict.signatures[0].status, SignatureStatus::kBadSignature);
}

TEST_F(TrustTest, TruncatedOrGarbageSignatureFilesAreMalformedNotFatal) {
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  fs::path sig = expect_ok(sign_bundle(root, alice));
  std::string text = expect_ok(disk_files().read(sig));
  for (const std::string& bad : {text.substr(0, text.size() / 2),
                                 std::string("\x7f"
                                             "ELF\x01\x02\0\0garbage",
                                             15),
                                 std::string(), std::string("format = 2\n"), text.substr(0, 40)}) {
    std::ofstream(sig, std::ios::binary | std::ios::trunc) << bad;
    Verdict verdict = verify(root, {pub("alice")});
    EXPECT_FALSE(verdict.trusted);
    ASSERT_EQ(verdict.signatures.size(), 1u);
    EXPECT_EQ(verdict.signatures[0].status, SignatureStatus::kMalformed);
    EXPECT_THAT(verdict.signatures[0].detail, HasSubstr(alice.id + ".sig"));
  }
}

TEST_F(TrustTest, SymbolicLinksInABundleAreRefused) {
  fs::path root = self_contained("types");
  fs::create_symlink(root / "NOTES", root / "LINK");
  SecretKey alice = key("alice");
  auto signed_bundle = sign_bundle(root, alice);
  ASSERT_FALSE(signed_bundle);
  EXPECT_THAT(signed_bundle.error().message(), HasSubstr("LINK"));
}

TEST_F(TrustTest, ASymbolicLinkPutInPlaceOfASignedFileIsRefused) {
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  expect_ok(sign_bundle(root, alice));
  fs::remove(root / "NOTES");
  fs::create_symlink(root / "host.toml", root / "NOTES");
  BundleFiles files(root);
  auto verdict = verify_bundle(files, {pub("alice")});
  ASSERT_FALSE(verdict);
  EXPECT_THAT(verdict.error().message(), HasSubstr("NOTES"));
}

TEST_F(TrustTest, PolicyOnLoadsWhatATrustedKeySigned) {
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  SecretKey bob = key("bob");
  expect_ok(sign_bundle(root, alice));
  expect_ok(sign_bundle(root, bob));
  auto bundle = expect_ok(load_bundle_dir(root, {}, requiring({pub("bob")})));
  EXPECT_EQ(bundle->library_name(), "types");
}

TEST_F(TrustTest, PolicyOnRefusesBeforeTheLibraryIsLoaded) {
  // The library leaves a mark when it is loaded at all (its constructor runs at dlopen).
  fs::path root = self_contained("types");
  fs::copy_file(test_lib("leaves_mark"), root / "lib" / "libtypes.so",
                fs::copy_options::overwrite_existing);
  fs::path mark = dir_ / "loaded";
  ASSERT_EQ(::setenv("BERTH_TEST_LOAD_MARK", mark.c_str(), 1), 0);
  SecretKey alice = key("alice");
  SecretKey bob = key("bob");

  EXPECT_THAT(refusal(root, requiring({pub("alice")})), HasSubstr("it is not signed"));
  EXPECT_FALSE(fs::exists(mark));

  expect_ok(sign_bundle(root, bob));
  std::string unknown = refusal(root, requiring({pub("alice")}));
  EXPECT_THAT(unknown, HasSubstr(bob.id));
  EXPECT_THAT(unknown, HasSubstr("signatures are required"));
  EXPECT_FALSE(fs::exists(mark));

  expect_ok(sign_bundle(root, alice));
  append(root / "NOTES", "changed");
  std::string changed = refusal(root, requiring({pub("alice")}));
  EXPECT_THAT(changed, HasSubstr("refusing to load the bundle"));
  EXPECT_THAT(changed, HasSubstr("NOTES changed"));
  EXPECT_THAT(changed, HasSubstr(alice.id));
  EXPECT_FALSE(fs::exists(mark));

  // The mark does show a load: without signatures and with the policy off, the bundle loads.
  fs::remove_all(root / "signatures");
  expect_ok(load_bundle_dir(root, {}, TrustPolicy{}));
  EXPECT_TRUE(fs::exists(mark));
  ::unsetenv("BERTH_TEST_LOAD_MARK");
}

TEST_F(TrustTest, PolicyOffLoadsUnsignedBundlesWithOneWarning) {
  fs::path root = self_contained("types");
  std::vector<std::string> warnings;
  TrustPolicy policy{.warn = [&](const std::string& w) { warnings.push_back(w); }};
  expect_ok(load_bundle_dir(root, {}, policy));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr(root.string() + " is not signed"));
}

TEST_F(TrustTest, PolicyOffWarnsOfUnknownKeysAndRefusesASignatureThatDoesNotVerify) {
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  SecretKey bob = key("bob");
  std::vector<std::string> warnings;
  TrustPolicy policy{.trusted_keys = {pub("alice")},
                     .warn = [&](const std::string& w) { warnings.push_back(w); }};
  expect_ok(sign_bundle(root, bob));
  expect_ok(load_bundle_dir(root, {}, policy));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr(bob.id));

  expect_ok(sign_bundle(root, alice));
  append(root / "wit" / "types.wit", "\n// edited\n");
  EXPECT_THAT(refusal(root, policy), HasSubstr("wit/types.wit changed"));
}

TEST_F(TrustTest, HostsTomlStatesThePolicyWithKeysRelativeToIt) {
  self_contained("types");
  SecretKey alice = key("alice");
  fs::path hosts = write("hosts.toml",
                         "[global]\nsearch_paths = [\".\"]\ntrusted_keys = [\"alice.pub\"]\n"
                         "require_signed = true\n[[host]]\nname = \"t\"\nbundle = \"types\"\n");
  auto unsigned_load = load_hosts_manifest(hosts);
  ASSERT_FALSE(unsigned_load);
  EXPECT_THAT(unsigned_load.error().message(), HasSubstr("it is not signed"));
  expect_ok(sign_bundle(dir_ / "types", alice));
  EXPECT_EQ(expect_ok(load_hosts_manifest(hosts)).providers.size(), 1u);

  fs::path bad_key = write("bad.toml", "[global]\ntrusted_keys = [\"alice.key\"]\n");
  auto refused = load_hosts_manifest(bad_key);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message(), HasSubstr("[global] 'trusted_keys'"));
  EXPECT_THAT(refused.error().message(), HasSubstr("is a secret key file"));
}

TEST_F(TrustTest, AnExplicitLibraryPairIsRefusedUnderThePolicy) {
  fs::path hosts = write("hosts.toml", "[[host]]\nname = \"t\"\nwit = \"" + types_wit().string() +
                                           "\"\nlib = \"" + test_lib("types").string() + "\"\n");
  auto refused = load_hosts_manifest(hosts, {}, true);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message(), HasSubstr("only a bundle folder can be signed"));
  std::vector<std::string> warnings;
  expect_ok(
      load_hosts_manifest(hosts, {}, false, [&](const std::string& w) { warnings.push_back(w); }));
  EXPECT_EQ(warnings.size(), 1u);
}

TEST_F(TrustTest, WhatWasVerifiedIsWhatRuns) {
  fs::path root = self_contained("types");
  SecretKey alice = key("alice");
  expect_ok(sign_bundle(root, alice));
  OpenedBundle opened = expect_ok(open_bundle_dir(root, requiring({pub("alice")})));
  ASSERT_NE(opened.files, nullptr);

  // Between the check and the load every file is replaced: the library by one without an entry
  // point, the WIT by nonsense, host.toml by one naming another library.
  fs::remove(root / "lib" / "libtypes.so");
  fs::copy_file(test_lib("no_entry"), root / "lib" / "libtypes.so");
  std::ofstream(root / "wit" / "types.wit", std::ios::trunc) << "this is not WIT";
  std::ofstream(root / "host.toml", std::ios::trunc)
      << "[host]\nname = \"types\"\nlib = \"lib/other.so\"\nwit = \"wit\"\n";

  auto bundle = expect_ok(load_opened_bundle(opened));
  EXPECT_EQ(bundle->library_name(), "types");
  EXPECT_TRUE(bundle->create_instance());
  // Opening the folder afresh sees the swap, and the policy refuses it.
  EXPECT_THAT(refusal(root, requiring({pub("alice")})), HasSubstr("lib/libtypes.so changed"));
}

TEST_F(TrustTest, ShippedLibrariesAreLoadedFromTheVerifiedCopies) {
  // The bundle's library needs libberth_types_helper.so, which it ships in lib/ and has no run
  // path to: only berth's checked copy can satisfy it.
  fs::path libs = fs::path(berth::testing::binary_dir()) / "tests" / "bundle" / "libs";
  fs::path helper = "libberth_types_helper.so";
  fs::path root = dir_ / "helper";
  fs::create_directories(root / "lib");
  fs::copy_file(test_lib("types_with_helper"), root / "lib" / "libtypes_with_helper.so");
  fs::copy_file(libs / "helper-42" / helper, root / "lib" / helper);
  fs::copy(types_wit(), root / "wit");
  write("helper/host.toml",
        "[host]\nname = \"types\"\nlib = \"lib/libtypes_with_helper.so\"\nwit = \"wit\"\n");
  SecretKey alice = key("alice");
  expect_ok(sign_bundle(root, alice));
  OpenedBundle opened = expect_ok(open_bundle_dir(root, requiring({pub("alice")})));

  // The helper is replaced by a build whose answer the bundle refuses (its create traps).
  fs::remove(root / "lib" / helper);
  fs::copy_file(libs / "helper-41" / helper, root / "lib" / helper);
  auto bundle = expect_ok(load_opened_bundle(opened));
  auto instance = bundle->create_instance();
  EXPECT_TRUE(instance) << instance.error().message();
}

}  // namespace
}  // namespace berth::bundle
