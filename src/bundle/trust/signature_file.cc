// The signature file (signatures/<key id>.sig): TOML naming the format, the algorithms and the
// key, the Ed25519 signature, and the files it covers, so that a verifier can say which file
// differs. docs/bundles.md, "Signing", describes it for other tools.
#include <fmt/format.h>

#include <sodium.h>

#include <sstream>

#include "berth/bundle/trust.h"
#include "hex.h"
#include "support/utf8.h"
#include "toml_reader.h"

namespace berth::bundle {
namespace {

constexpr int64_t kFormat = 1;
constexpr std::string_view kAlgorithm = "ed25519";
constexpr std::string_view kHash = "blake2b-256";
constexpr std::string_view kMessageHeader = "berth-bundle-signature 1\n";
constexpr size_t kMaxSignatureFileSize = 64 << 20;

Result<std::string> required_exact(const TableReader& table, std::string_view key,
                                   std::string_view expected) {
  BERTH_TRY_ASSIGN(std::string value, table.required_string(key, fmt::format("\"{}\"", expected)));
  if (value != expected) {
    return Error(ErrorCode::kUnsupported,
                 fmt::format("{}: '{}' is \"{}\"; this berth knows only \"{}\"",
                             table.file().string(), key, value, expected));
  }
  return value;
}

template <size_t N>
Result<std::array<uint8_t, N>> required_hex(const TableReader& table, std::string_view key,
                                            std::string_view what) {
  std::string expected = fmt::format("{} ({} hex digits)", what, 2 * N);
  BERTH_TRY_ASSIGN(std::string value, table.required_string(key, expected));
  auto bytes = from_hex<N>(value);
  if (!bytes) {
    return Error(
        ErrorCode::kMalformed,
        fmt::format("{}: '{}': expected {}, found \"{}{}\"", table.file().string(), key, expected,
                    std::string_view(value).substr(0, 80), value.size() > 80 ? "..." : ""));
  }
  return *bytes;
}

}  // namespace

std::vector<SignedFile> signed_files(const BundleFiles& files) {
  std::vector<SignedFile> out;
  for (const auto& [path, bytes] : files.files()) {
    SignedFile file{.path = path, .size = bytes.size()};
    crypto_generichash(file.hash.data(), file.hash.size(),
                       reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr,
                       0);
    out.push_back(std::move(file));
  }
  return out;
}

std::string signed_message(const std::vector<SignedFile>& files) {
  std::string out(kMessageHeader);
  for (const SignedFile& file : files) {
    out += fmt::format("{} {} {}\n", to_hex(file.hash), file.size, file.path);
  }
  return out;
}

std::string format_signature_file(const SignatureFile& signature) {
  std::string out = fmt::format(
      "# A berth bundle signature (docs/bundles.md, \"Signing\").\n"
      "format = {}\nalgorithm = \"{}\"\nhash = \"{}\"\nkey_id = \"{}\"\nsignature = \"{}\"\n",
      signature.format, kAlgorithm, kHash, signature.key_id, to_hex(signature.signature));
  for (const SignedFile& file : signature.files) {
    toml::table entry{{"path", file.path}};
    std::ostringstream path;
    path << entry;
    out += fmt::format("\n[[file]]\n{}\nsize = {}\nhash = \"{}\"\n", path.str(), file.size,
                       to_hex(file.hash));
  }
  return out;
}

Result<SignatureFile> parse_signature_file(std::string_view text, const std::string& file) {
  fs::path path(file);
  if (text.size() > kMaxSignatureFileSize) {
    return Error(ErrorCode::kLimit,
                 fmt::format("{}: a signature file of {} bytes is too large", file, text.size()));
  }
  BERTH_TRY_ASSIGN(toml::table root, parse_toml(text, path));
  TableReader top(path, "the signature file", root);
  BERTH_TRY(top.check_keys({"format", "algorithm", "hash", "key_id", "signature", "file"}));
  SignatureFile out;
  BERTH_TRY_ASSIGN(int64_t format, top.integer("format", "the signature format", 1, 1000));
  if (format != kFormat) {
    return Error(
        ErrorCode::kUnsupported,
        fmt::format("{}: signature format {}; this berth reads format {}", file, format, kFormat));
  }
  out.format = static_cast<uint32_t>(format);
  BERTH_TRY(required_exact(top, "algorithm", kAlgorithm));
  BERTH_TRY(required_exact(top, "hash", kHash));
  BERTH_TRY_ASSIGN(out.key_id, top.required_string("key_id", "the signing key's id"));
  if (out.key_id.size() != 16 || !from_hex<8>(out.key_id)) {
    return Error(ErrorCode::kMalformed,
                 fmt::format("{}: 'key_id': expected 16 hex digits, found \"{}\"", file,
                             out.key_id.substr(0, 40)));
  }
  BERTH_TRY_ASSIGN(out.signature,
                   required_hex<kSignatureSize>(top, "signature", "an Ed25519 signature"));
  const toml::node* files = root.get("file");
  if (files == nullptr) return out;
  const toml::array* array = files->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    return top.mistyped("file", *files, "[[file]] tables");
  }
  size_t index = 0;
  for (const toml::node& node : *array) {
    TableReader entry(path, fmt::format("[[file]] #{}", ++index), *node.as_table());
    BERTH_TRY(entry.check_keys({"path", "size", "hash"}));
    SignedFile signed_file;
    BERTH_TRY_ASSIGN(signed_file.path, entry.required_string("path", "a relative path"));
    BERTH_TRY_ASSIGN(int64_t size, entry.integer("size", "the file's size in bytes", 0, INT64_MAX));
    signed_file.size = static_cast<uint64_t>(size);
    BERTH_TRY_ASSIGN(signed_file.hash,
                     required_hex<kFileHashSize>(entry, "hash", "a BLAKE2b-256 hash"));
    if (signed_file.path.find('\n') != std::string::npos || !is_valid_utf8(signed_file.path)) {
      return Error(ErrorCode::kMalformed,
                   fmt::format("{}: [[file]] #{} 'path' is not one line of text", file, index));
    }
    if (!out.files.empty() && !(out.files.back().path < signed_file.path)) {
      return Error(ErrorCode::kMalformed,
                   fmt::format("{}: [[file]] #{} '{}' is out of order or repeated (paths are "
                               "sorted by their bytes)",
                               file, index, signed_file.path));
    }
    out.files.push_back(std::move(signed_file));
  }
  return out;
}

}  // namespace berth::bundle
