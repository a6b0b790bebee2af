#include "sluice/controller/bundle.h"

namespace sluice::controller {

std::string bundleSigningMessage(const std::string& body) {
  return std::string("sluice.v1.PolicyBundle") + '\0' + body;
}

Result<sluice::v1::PolicyBundleBody> verifyBundle(const sluice::v1::PolicyBundle& bundle,
                                                  const crypto::Ed25519Key& key) {
  if (!key.verify(bundleSigningMessage(bundle.body()), bundle.signature())) {
    return Error(ErrorCode::kDataLoss,
                 "policy bundle signature does not verify with key " + key.keyId().substr(0, 16));
  }
  sluice::v1::PolicyBundleBody body;
  if (!body.ParseFromString(bundle.body())) {
    return Error(ErrorCode::kDataLoss, "policy bundle body does not parse");
  }
  return body;
}

}  // namespace sluice::controller
