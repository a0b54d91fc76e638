// Bundle trust: Ed25519 keys, detached signatures over every file of a bundle folder, and the
// verdict of checking a folder against a set of trusted keys (docs/bundles.md, "Signing", has
// the formats; docs/security.md what a signature proves).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "berth/file_tree.h"
#include "berth/result.h"

namespace berth::bundle {

inline constexpr size_t kPublicKeySize = 32;
inline constexpr size_t kSecretKeySize = 64;
inline constexpr size_t kSignatureSize = 64;
inline constexpr size_t kFileHashSize = 32;

struct PublicKey {
  std::array<uint8_t, kPublicKeySize> bytes{};
  std::string id;              // 16 hex digits: the start of the key's BLAKE2b-256 hash
  std::filesystem::path file;  // where it was read from (empty when not from a file)
};

struct SecretKey {
  std::array<uint8_t, kSecretKeySize> bytes{};  // libsodium's layout: seed, then public key
  std::string id;                               // the id of its public key
};

// The id of a public key.
std::string key_id(const std::array<uint8_t, kPublicKeySize>& public_key);

// Makes a key pair and writes BASE.key (the secret key, created mode 0600, never overwritten)
// and BASE.pub. Returns the public key.
Result<PublicKey> generate_key_pair(const std::filesystem::path& base);

// Reads key files; a file of the other kind, of another algorithm or of the wrong length is
// refused with a message that says which it is.
Result<PublicKey> read_public_key(const std::filesystem::path& file);
Result<SecretKey> read_secret_key(const std::filesystem::path& file);
// The same for a key file's contents; `file` names it in errors.
Result<PublicKey> parse_public_key(std::string_view contents, const std::filesystem::path& file);
Result<SecretKey> parse_secret_key(std::string_view contents, const std::filesystem::path& file);

// The files of a bundle folder, each read from disk at most once. Once sealed (by verification)
// it answers only from the bytes it holds, so what was verified is what is loaded: a file
// replaced, added or removed on disk afterwards is not seen.
class BundleFiles final : public FileTree {
 public:
  explicit BundleFiles(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }

  // Reads every file under the root (except signatures/*.sig) and seals. Symbolic links and
  // special files are refused with their path.
  Result<void> read_all();
  bool sealed() const { return sealed_; }

  // Relative path ("lib/libkv.so") to bytes, of every file read so far.
  const std::map<std::string, std::string>& files() const { return files_; }
  // The path of `path` relative to the root, or empty when it lies outside the folder.
  std::string relative(const std::filesystem::path& path) const;

  Result<std::string> read(const std::filesystem::path& path) const override;
  Result<std::vector<std::filesystem::path>> list(const std::filesystem::path& dir) const override;
  bool is_directory(const std::filesystem::path& path) const override;
  bool is_regular_file(const std::filesystem::path& path) const override;

 private:
  std::filesystem::path root_;
  bool sealed_ = false;
  mutable std::map<std::string, std::string> files_;
};

// Whether `relative` is a signature file (signatures/NAME.sig), which no digest covers.
bool is_signature_file(const std::string& relative);

// One file as a signature records it.
struct SignedFile {
  std::string path;  // relative, '/'-separated
  uint64_t size = 0;
  std::array<uint8_t, kFileHashSize> hash{};  // BLAKE2b-256 of the bytes
  bool operator==(const SignedFile&) const = default;
};

// The files of a sealed BundleFiles, sorted by path, with their hashes.
std::vector<SignedFile> signed_files(const BundleFiles& files);

// The exact bytes an Ed25519 signature covers (the canonical digest text).
std::string signed_message(const std::vector<SignedFile>& files);

struct SignatureFile {
  uint32_t format = 1;
  std::string key_id;
  std::array<uint8_t, kSignatureSize> signature{};
  std::vector<SignedFile> files;
};

// Signature file text, and its parser (every field checked; `file` names it in errors).
std::string format_signature_file(const SignatureFile& signature);
Result<SignatureFile> parse_signature_file(std::string_view text, const std::string& file);

// Signs the folder: writes DIR/signatures/<key id>.sig, replacing an earlier signature by the
// same key and keeping those of other keys. Returns the signature file's path.
Result<std::filesystem::path> sign_bundle(const std::filesystem::path& dir, const SecretKey& key);

enum class SignatureStatus {
  kValid,         // a trusted key signed exactly these files
  kUnknownKey,    // signed by a key that is not trusted
  kBadSignature,  // a trusted key's signature does not verify: the signature file was altered
  kFilesDiffer,   // a trusted key signed other contents than the folder holds now
  kMalformed,     // the signature file cannot be read
};

struct SignatureCheck {
  std::string file;  // "signatures/0123456789abcdef.sig"
  std::string key_id;
  SignatureStatus status = SignatureStatus::kMalformed;
  std::string detail;  // why, for every status but kValid
};

struct Verdict {
  bool trusted = false;  // at least one signature is kValid
  std::vector<SignatureCheck> signatures;
  // One line: "signed by trusted key X" or why the bundle is not trusted.
  std::string summary() const;
};

// Reads the folder (sealing `files`) and checks its signatures against `trusted`.
Result<Verdict> verify_bundle(BundleFiles& files, const std::vector<PublicKey>& trusted);

}  // namespace berth::bundle
