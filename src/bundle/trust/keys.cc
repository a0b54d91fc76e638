// Ed25519 key files: one line, a tag that says what the file is, then the key in hex.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "berth/bundle/trust.h"
#include "hex.h"
#include "sodium_init.h"

namespace berth::bundle {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPublicTag = "berth-ed25519-public-key";
constexpr std::string_view kSecretTag = "berth-ed25519-secret-key";
constexpr size_t kMaxKeyFileSize = 4096;

// The key text of a key file whose tag is `wanted`, with errors for every other kind of file.
Result<std::string> key_text(std::string_view contents, const fs::path& file,
                             std::string_view wanted, size_t bytes) {
  if (contents.size() > kMaxKeyFileSize) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: not a berth key file ({} bytes; a key file is one short line)",
                             file.string(), contents.size()));
  }
  std::string text(contents);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  size_t space = text.find(' ');
  std::string_view tag = std::string_view(text).substr(0, space);
  std::string_view key =
      space == std::string::npos ? std::string_view() : std::string_view(text).substr(space + 1);
  if (tag != wanted) {
    if (wanted == kPublicTag && tag == kSecretTag) {
      return Error(ErrorCode::kInvalid,
                   fmt::format("{}: is a secret key file; give the public key (the .pub file "
                               "that `berth bundle keygen` wrote beside it)",
                               file.string()));
    }
    if (wanted == kSecretTag && tag == kPublicTag) {
      return Error(ErrorCode::kInvalid,
                   fmt::format("{}: is a public key file; signing needs the secret key (the "
                               ".key file)",
                               file.string()));
    }
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: not a berth key file (expected a line '{} <hex>')", file.string(),
                             wanted));
  }
  if (key.size() != 2 * bytes) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: the key is {} hex digits; an Ed25519 {} key is {} bytes, {} "
                             "hex digits",
                             file.string(), key.size(), wanted == kPublicTag ? "public" : "secret",
                             bytes, 2 * bytes));
  }
  return std::string(key);
}

Result<void> write_new_file(const fs::path& path, const std::string& text, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    return Error(ErrorCode::kIo, fmt::format("{}: cannot create: {}", path.string(),
                                             errno == EEXIST ? "the file exists (berth does "
                                                               "not overwrite keys)"
                                                             : std::strerror(errno)));
  }
  // open's mode is filtered by the umask; the secret key must be 0600 whatever it is.
  bool ok = ::fchmod(fd, mode) == 0 &&
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  int saved = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    return Error(ErrorCode::kIo,
                 fmt::format("{}: cannot write: {}", path.string(), std::strerror(saved)));
  }
  return {};
}

}  // namespace

std::string key_id(const std::array<uint8_t, kPublicKeySize>& public_key) {
  std::array<uint8_t, 32> hash{};
  crypto_generichash(hash.data(), hash.size(), public_key.data(), public_key.size(), nullptr, 0);
  return to_hex(hash).substr(0, 16);
}

Result<PublicKey> generate_key_pair(const fs::path& base) {
  BERTH_TRY(ensure_sodium());
  fs::path secret_path = base;
  secret_path += ".key";
  fs::path public_path = base;
  public_path += ".pub";
  // Checked before anything is written: a second pair under one name would lose the first.
  for (const fs::path& path : {secret_path, public_path}) {
    std::error_code ec;
    if (fs::exists(path, ec)) {
      return Error(
          ErrorCode::kIo,
          fmt::format("{}: the file exists (berth does not overwrite keys)", path.string()));
    }
  }
  PublicKey pub;
  SecretKey secret;
  crypto_sign_keypair(pub.bytes.data(), secret.bytes.data());
  pub.id = key_id(pub.bytes);
  std::string secret_text = fmt::format("{} {}\n", kSecretTag, to_hex(secret.bytes));
  sodium_memzero(secret.bytes.data(), secret.bytes.size());
  BERTH_TRY(write_new_file(secret_path, secret_text, 0600));
  sodium_memzero(secret_text.data(), secret_text.size());
  BERTH_TRY(
      write_new_file(public_path, fmt::format("{} {}\n", kPublicTag, to_hex(pub.bytes)), 0644));
  pub.file = public_path;
  return pub;
}

Result<PublicKey> read_public_key(const fs::path& file) {
  BERTH_TRY_ASSIGN(std::string text, disk_files().read(file));
  return parse_public_key(text, file);
}

Result<SecretKey> read_secret_key(const fs::path& file) {
  BERTH_TRY_ASSIGN(std::string text, disk_files().read(file));
  auto key = parse_secret_key(text, file);
  sodium_memzero(text.data(), text.size());
  return key;
}

Result<PublicKey> parse_public_key(std::string_view contents, const fs::path& file) {
  BERTH_TRY(ensure_sodium());
  BERTH_TRY_ASSIGN(std::string hex, key_text(contents, file, kPublicTag, kPublicKeySize));
  auto bytes = from_hex<kPublicKeySize>(hex);
  if (!bytes) {
    return Error(ErrorCode::kInvalid, fmt::format("{}: the key is not hexadecimal", file.string()));
  }
  PublicKey key{.bytes = *bytes, .id = key_id(*bytes), .file = file};
  return key;
}

Result<SecretKey> parse_secret_key(std::string_view contents, const fs::path& file) {
  BERTH_TRY(ensure_sodium());
  BERTH_TRY_ASSIGN(std::string hex, key_text(contents, file, kSecretTag, kSecretKeySize));
  auto bytes = from_hex<kSecretKeySize>(hex);
  sodium_memzero(hex.data(), hex.size());
  if (!bytes) {
    return Error(ErrorCode::kInvalid, fmt::format("{}: the key is not hexadecimal", file.string()));
  }
  // The second half is the public key; it must be the one the seed (the first half) makes.
  std::array<uint8_t, kPublicKeySize> derived{};
  std::array<uint8_t, kSecretKeySize> scratch{};
  crypto_sign_seed_keypair(derived.data(), scratch.data(), bytes->data());
  sodium_memzero(scratch.data(), scratch.size());
  if (sodium_memcmp(derived.data(), bytes->data() + 32, kPublicKeySize) != 0) {
    return Error(ErrorCode::kInvalid,
                 fmt::format("{}: damaged secret key (its public half does not belong to its "
                             "seed)",
                             file.string()));
  }
  SecretKey key{.bytes = *bytes, .id = key_id(derived)};
  sodium_memzero(bytes->data(), bytes->size());
  return key;
}

}  // namespace berth::bundle
