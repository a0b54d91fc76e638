#include "cli/bundle_trust_command.h"

#include <fmt/format.h>

#include "berth/bundle/trust.h"
#include "cli/exit_codes.h"

namespace berth::cli {
namespace {

namespace fs = std::filesystem;

constexpr int kExitUntrusted = 1;

const char* status_name(bundle::SignatureStatus status) {
  switch (status) {
    case bundle::SignatureStatus::kValid:
      return "valid, trusted key";
    case bundle::SignatureStatus::kUnknownKey:
      return "unknown key";
    case bundle::SignatureStatus::kBadSignature:
      return "INVALID signature";
    case bundle::SignatureStatus::kFilesDiffer:
      return "files differ";
    case bundle::SignatureStatus::kMalformed:
      return "unreadable";
  }
  return "";
}

Result<int> keygen(const BundleTrustOptions& options) {
  BERTH_TRY_ASSIGN(bundle::PublicKey key, bundle::generate_key_pair(options.output));
  fmt::print("key id {}\n  secret key: {}.key (keep it private; mode 0600)\n  public key: {}\n",
             key.id, options.output, key.file.string());
  return kExitOk;
}

Result<int> sign(const BundleTrustOptions& options) {
  BERTH_TRY_ASSIGN(bundle::SecretKey key, bundle::read_secret_key(options.key));
  BERTH_TRY_ASSIGN(fs::path written, bundle::sign_bundle(options.bundle, key));
  fmt::print("signed {} with key {}: {}\n", options.bundle, key.id, written.string());
  return kExitOk;
}

Result<int> verify(const BundleTrustOptions& options) {
  std::vector<fs::path> key_files(options.trusted_keys.begin(), options.trusted_keys.end());
  BERTH_TRY_ASSIGN(bundle::TrustPolicy trust, bundle::trust_policy(key_files, false, nullptr));
  bundle::BundleFiles files(options.bundle);
  BERTH_TRY_ASSIGN(bundle::Verdict verdict, bundle::verify_bundle(files, trust.trusted_keys));
  fmt::print("bundle {}: {} files\n", files.root().string(), files.files().size());
  for (const bundle::SignatureCheck& check : verdict.signatures) {
    fmt::print("  {}: key {}: {}{}{}\n", check.file, check.key_id.empty() ? "?" : check.key_id,
               status_name(check.status), check.detail.empty() ? "" : ": ", check.detail);
  }
  if (verdict.trusted) {
    fmt::print("TRUSTED: {}\n", verdict.summary());
    return kExitOk;
  }
  fmt::print("NOT TRUSTED: {}\n", verdict.summary());
  return kExitUntrusted;
}

}  // namespace

void apply_bundle_load_flags(const BundleLoadFlags& flags, bundle::BundleOptions& options) {
  for (const std::string& key : flags.trusted_keys) options.trusted_keys.emplace_back(key);
  options.require_signed = flags.require_signed;
  if (!flags.quiet) options.warn = report_warning;
  if (flags.verbose) options.note = report_note;
}

Result<bundle::TrustPolicy> trust_policy_of(const BundleLoadFlags& flags) {
  bundle::BundleOptions options;
  apply_bundle_load_flags(flags, options);
  BERTH_TRY_ASSIGN(bundle::TrustPolicy policy,
                   bundle::trust_policy(options.trusted_keys, options.require_signed, nullptr));
  policy.warn = options.warn;
  return policy;
}

int bundle_trust_command(const BundleTrustOptions& options) {
  Result<int> status = options.action == "keygen" ? keygen(options)
                       : options.action == "sign" ? sign(options)
                                                  : verify(options);
  if (!status) {
    report_error(status.error());
    return exit_code_for(status.error());
  }
  return *status;
}

}  // namespace berth::cli
