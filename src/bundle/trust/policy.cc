// The trust policy at load time: which keys are trusted, and whether a bundle folder may load
// before any of its code is (docs/bundles.md, "Signing and trust").
#include <fmt/format.h>

#include <algorithm>

#include "berth/bundle/bundle.h"

namespace berth::bundle {
namespace fs = std::filesystem;

Result<TrustPolicy> trust_policy(const std::vector<fs::path>& trusted_keys, bool require_signed,
                                 const HostsManifest* manifest) {
  TrustPolicy policy;
  policy.require_signed = require_signed || (manifest != nullptr && manifest->require_signed);
  auto add = [&policy](const fs::path& file) -> Result<void> {
    BERTH_TRY_ASSIGN(PublicKey key, read_public_key(file));
    bool known = std::any_of(policy.trusted_keys.begin(), policy.trusted_keys.end(),
                             [&](const PublicKey& k) { return k.id == key.id; });
    if (!known) policy.trusted_keys.push_back(std::move(key));
    return {};
  };
  for (const fs::path& file : trusted_keys) BERTH_TRY(add(file));
  if (manifest != nullptr) {
    for (const fs::path& file : manifest->trusted_keys) {
      if (auto added = add(file); !added) {
        Error error = std::move(added).error();
        error.prepend(fmt::format("{}: [global] 'trusted_keys'", manifest->file.string()));
        return error;
      }
    }
  }
  return policy;
}

namespace {

// A signature that a trusted key made but that does not match the folder, or a signature file
// that cannot be read: the bundle is not what was signed, whatever the policy.
bool broken(const SignatureCheck& check) {
  return check.status == SignatureStatus::kBadSignature ||
         check.status == SignatureStatus::kFilesDiffer ||
         check.status == SignatureStatus::kMalformed;
}

}  // namespace

Result<std::shared_ptr<const BundleFiles>> check_bundle_trust(const fs::path& dir,
                                                              const TrustPolicy& policy) {
  std::error_code ec;
  bool has_signatures = fs::is_directory(dir / "signatures", ec);
  if (!has_signatures && !policy.require_signed) {
    if (policy.warn) {
      policy.warn(
          fmt::format("bundle {} is not signed; loading it because signatures are not "
                      "required (--require-signed)",
                      dir.string()));
    }
    return std::shared_ptr<const BundleFiles>();
  }
  auto files = std::make_shared<BundleFiles>(dir);
  BERTH_TRY_ASSIGN(Verdict verdict, verify_bundle(*files, policy.trusted_keys));
  if (verdict.trusted) return std::shared_ptr<const BundleFiles>(std::move(files));
  bool any_broken = std::any_of(verdict.signatures.begin(), verdict.signatures.end(), broken);
  if (policy.require_signed || any_broken) {
    return Error(
        ErrorCode::kInvalid,
        fmt::format("{}: refusing to load the bundle: {}{}", dir.string(), verdict.summary(),
                    any_broken ? "" : " (signatures are required: --require-signed)"));
  }
  if (policy.warn) {
    policy.warn(
        fmt::format("bundle {}: {}; loading it because signatures are not required "
                    "(--require-signed)",
                    dir.string(), verdict.summary()));
  }
  return std::shared_ptr<const BundleFiles>(std::move(files));
}

}  // namespace berth::bundle
