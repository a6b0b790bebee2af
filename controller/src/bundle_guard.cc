#include "sluice/controller/agent_client.h"
#include "sluice/controller/bundle.h"
#include "sluice/controller/files.h"

namespace sluice::controller {

Result<BundleGuard> BundleGuard::open(const std::string& state_dir,
                                      const std::string& policy_key_pem) {
  SLUICE_ASSIGN_OR_RETURN(auto key, crypto::Ed25519Key::fromPublicPem(policy_key_pem));
  BundleGuard guard(state_dir + "/policy-bundle.pb", std::move(key));
  auto stored = readFile(guard.path_);
  if (stored) {
    sluice::v1::PolicyBundle bundle;
    if (!bundle.ParseFromString(*stored)) {
      return Error(ErrorCode::kDataLoss, guard.path_ + " is not a policy bundle");
    }
    // A tampered file on disk is refused like a tampered bundle on the wire.
    SLUICE_ASSIGN_OR_RETURN(auto body, verifyBundle(bundle, guard.key_));
    guard.current_ = std::move(body);
  }
  return guard;
}

Result<sluice::v1::PolicyBundleBody> BundleGuard::accept(const sluice::v1::PolicyBundle& bundle,
                                                         int64_t now_unix) {
  SLUICE_ASSIGN_OR_RETURN(auto body, verifyBundle(bundle, key_));
  if (current_ && body.version() < current_->version()) {
    return failedPrecondition("policy bundle v" + std::to_string(body.version()) +
                              " is older than v" + std::to_string(current_->version()) +
                              " already enforced; rollback refused");
  }
  if (current_ && body.version() == current_->version() &&
      body.policy_sha256() != current_->policy_sha256()) {
    return Error(ErrorCode::kDataLoss,
                 "two different policies signed as v" + std::to_string(body.version()));
  }
  if (body.expires_at_unix() <= now_unix) {
    return failedPrecondition("policy bundle v" + std::to_string(body.version()) +
                              " expired; keeping the current policy");
  }
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(path_, bundle.SerializeAsString(), 0600));
  current_ = body;
  return body;
}

}  // namespace sluice::controller
