// Checking a bundle folder against its signatures and a set of trusted keys.
#include <sodium.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "berth/bundle/trust.h"
#include "sodium_init.h"

namespace berth::bundle {
namespace {

namespace fs = std::filesystem;

// The signature files of the folder (read from disk once, here), by relative path.
Result<std::map<std::string, std::string>> signature_files(const fs::path& root) {
  std::map<std::string, std::string> out;
  const FileTree& disk = disk_files();
  fs::path dir = root / "signatures";
  if (!disk.is_directory(dir)) return out;
  BERTH_TRY_ASSIGN(std::vector<fs::path> entries, disk.list(dir));
  for (const fs::path& entry : entries) {
    std::string rel = "signatures/" + entry.filename().string();
    if (!is_signature_file(rel) || !disk.is_regular_file(entry)) continue;
    BERTH_TRY_ASSIGN(std::string text, disk.read(entry));
    out.emplace(std::move(rel), std::move(text));
  }
  return out;
}

// How the folder's files differ from the signed ones, one phrase per file.
std::vector<std::string> differences(const std::vector<SignedFile>& signed_list,
                                     const std::vector<SignedFile>& now) {
  std::map<std::string, const SignedFile*> before;
  std::map<std::string, const SignedFile*> after;
  for (const SignedFile& f : signed_list) before.emplace(f.path, &f);
  for (const SignedFile& f : now) after.emplace(f.path, &f);
  std::vector<std::string> out;
  std::vector<const SignedFile*> removed;
  std::vector<const SignedFile*> added;
  for (const auto& [path, file] : before) {
    auto it = after.find(path);
    if (it == after.end()) {
      removed.push_back(file);
    } else if (!(*it->second == *file)) {
      out.push_back(fmt::format("{} changed", path));
    }
  }
  for (const auto& [path, file] : after) {
    if (!before.contains(path)) added.push_back(file);
  }
  // A file removed and one added with the same bytes is a rename.
  for (const SignedFile* gone : removed) {
    auto match = std::find_if(added.begin(), added.end(), [&](const SignedFile* f) {
      return f->hash == gone->hash && f->size == gone->size;
    });
    if (match != added.end()) {
      out.push_back(fmt::format("{} was renamed to {}", gone->path, (*match)->path));
      added.erase(match);
    } else {
      out.push_back(fmt::format("{} was removed", gone->path));
    }
  }
  for (const SignedFile* extra : added) out.push_back(fmt::format("{} was added", extra->path));
  return out;
}

}  // namespace

std::string Verdict::summary() const {
  if (signatures.empty()) return "it is not signed (no signatures/*.sig)";
  for (const SignatureCheck& check : signatures) {
    if (check.status == SignatureStatus::kValid) {
      return fmt::format("signed by trusted key {}", check.key_id);
    }
  }
  std::string out = "no trusted key signed its current files:";
  for (const SignatureCheck& check : signatures) {
    out += fmt::format(" {}{}: {};", check.file,
                       check.key_id.empty() ? "" : fmt::format(" (key {})", check.key_id),
                       check.detail);
  }
  out.pop_back();
  return out;
}

Result<Verdict> verify_bundle(BundleFiles& files, const std::vector<PublicKey>& trusted) {
  BERTH_TRY(ensure_sodium());
  BERTH_TRY_ASSIGN(auto signature_texts, signature_files(files.root()));
  BERTH_TRY(files.read_all());
  std::vector<SignedFile> now = signed_files(files);
  Verdict verdict;
  for (const auto& [rel, text] : signature_texts) {
    SignatureCheck check{.file = rel};
    auto parsed = parse_signature_file(text, (files.root() / rel).string());
    if (!parsed) {
      check.status = SignatureStatus::kMalformed;
      check.detail = parsed.error().message();
      verdict.signatures.push_back(std::move(check));
      continue;
    }
    check.key_id = parsed->key_id;
    auto key = std::find_if(trusted.begin(), trusted.end(),
                            [&](const PublicKey& k) { return k.id == parsed->key_id; });
    if (key == trusted.end()) {
      check.status = SignatureStatus::kUnknownKey;
      check.detail = "signed by a key that is not trusted";
    } else {
      std::string message = signed_message(parsed->files);
      if (crypto_sign_verify_detached(parsed->signature.data(),
                                      reinterpret_cast<const unsigned char*>(message.data()),
                                      message.size(), key->bytes.data()) != 0) {
        check.status = SignatureStatus::kBadSignature;
        check.detail =
            "the signature does not verify with the trusted key (the signature file was "
            "altered)";
      } else if (std::vector<std::string> diff = differences(parsed->files, now); !diff.empty()) {
        check.status = SignatureStatus::kFilesDiffer;
        check.detail =
            fmt::format("the files differ from what was signed: {}", fmt::join(diff, ", "));
      } else {
        check.status = SignatureStatus::kValid;
        verdict.trusted = true;
      }
    }
    verdict.signatures.push_back(std::move(check));
  }
  return verdict;
}

}  // namespace berth::bundle
