// Signing a bundle folder: the digest of every file, signed by one key, written as
// signatures/<key id>.sig beside the signatures of other keys.
#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "berth/bundle/trust.h"
#include "sodium_init.h"

namespace berth::bundle {
namespace {

namespace fs = std::filesystem;

// Writes `text` to `path` through a temporary file and a rename, so a reader never sees half.
Result<void> write_atomically(const fs::path& path, const std::string& text) {
  fs::path temporary = path;
  temporary += ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  bool ok = fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  int saved = errno;
  if (fd >= 0) ok = ::close(fd) == 0 && ok;
  if (ok && ::rename(temporary.c_str(), path.c_str()) != 0) {
    ok = false;
    saved = errno;
  }
  if (!ok) {
    ::unlink(temporary.c_str());
    return Error(ErrorCode::kIo,
                 fmt::format("{}: cannot write: {}", path.string(), std::strerror(saved)));
  }
  return {};
}

}  // namespace

Result<fs::path> sign_bundle(const fs::path& dir, const SecretKey& key) {
  BERTH_TRY(ensure_sodium());
  BundleFiles files(dir);
  BERTH_TRY(files.read_all());
  if (!files.files().contains("host.toml")) {
    return Error(
        ErrorCode::kNotFound,
        fmt::format("{}: no host.toml; only a bundle folder can be signed", files.root().string()));
  }
  SignatureFile signature;
  signature.key_id = key.id;
  signature.files = signed_files(files);
  std::string message = signed_message(signature.files);
  crypto_sign_detached(signature.signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key.bytes.data());
  fs::path signatures = files.root() / "signatures";
  std::error_code ec;
  fs::create_directories(signatures, ec);
  if (ec) {
    return Error(ErrorCode::kIo,
                 fmt::format("{}: cannot create: {}", signatures.string(), ec.message()));
  }
  fs::path out = signatures / (key.id + ".sig");
  BERTH_TRY(write_atomically(out, format_signature_file(signature)));
  return out;
}

}  // namespace berth::bundle
