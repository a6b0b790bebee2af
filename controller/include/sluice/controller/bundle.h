// File: bundle.h
//
// How a PolicyBundle is signed and checked. The controller signs the serialized body bytes
// with its Ed25519 key, under a domain-separation prefix, and an agent checks exactly those
// bytes before parsing them, so no two protobuf encoders can disagree about what was signed.
#pragma once

#include <string>

#include "sluice/common/result.h"
#include "sluice/controller/crypto.h"
#include "sluice/v1/agent.pb.h"

namespace sluice::controller {

// "sluice.v1.PolicyBundle\0" || body
std::string bundleSigningMessage(const std::string& body);
// Checks the signature over the body with `key`, then parses the body.
Result<sluice::v1::PolicyBundleBody> verifyBundle(const sluice::v1::PolicyBundle& bundle,
                                                  const crypto::Ed25519Key& key);

}  // namespace sluice::controller
