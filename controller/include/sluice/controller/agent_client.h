// File: agent_client.h
//
// The agent's half of the controller protocol, as a library the agent daemon calls (it is not
// the daemon). Enrolment pins the controller's CA by the fingerprint the operator was given at
// `sluice-controller init`, so the first contact cannot be intercepted; the agent's key never
// leaves the host (only a CSR does); and everything needed afterwards is kept in the agent's
// state directory:
//
//   controller-ca.crt  agent.key (0600)  agent.crt  policy-signing.pub  identity.json
//
//   SLUICE_ASSIGN_OR_RETURN(auto id, enrollAgent({addr, token, fp, host}, state_dir));
//   SLUICE_ASSIGN_OR_RETURN(auto channel, agentChannel(addr, id));   // mutual TLS
//   if (renewalDue(id, now)) SLUICE_ASSIGN_OR_RETURN(id, renewAgent(addr, id, state_dir));
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <grpcpp/grpcpp.h>

#include "sluice/common/result.h"
#include "sluice/controller/crypto.h"
#include "sluice/v1/agent.pb.h"

namespace sluice::controller {

struct EnrollRequestOptions {
  std::string address;    // host:port of the controller
  std::string token;      // one-time enrolment token
  std::string ca_sha256;  // hex SHA-256 of the CA certificate (DER), from `init`
  std::string hostname;
  std::string agent_version;
};

struct AgentIdentity {
  std::string agent_id;
  std::string key_pem;
  std::string cert_pem;
  std::string ca_pem;
  std::string policy_key_pem;  // Ed25519 public key that signs bundles
  int64_t not_after_unix = 0;
  std::string labels_json;
};

// Connects without trusting anything, takes the certificate in the presented chain whose
// SHA-256 matches `ca_sha256`, and checks that the server certificate chains to it.
Result<std::string> fetchPinnedCa(const std::string& address, const std::string& ca_sha256);

Result<AgentIdentity> enrollAgent(const EnrollRequestOptions& options,
                                  const std::string& state_dir);
Result<AgentIdentity> loadAgentIdentity(const std::string& state_dir);
// Due when less than a third of a 24 h certificate's life is left.
bool renewalDue(const AgentIdentity& identity, int64_t now_unix);
// A new key and CSR over mutual TLS with the current certificate; persisted on success.
Result<AgentIdentity> renewAgent(const std::string& address, const AgentIdentity& identity,
                                 const std::string& state_dir);
// Reconnect quickly (250 ms, at most 5 s apart) once the controller is back.
grpc::ChannelArguments agentChannelArguments();
// A mutual-TLS channel with the agent's certificate.
std::shared_ptr<grpc::Channel> agentChannel(const std::string& address,
                                            const AgentIdentity& identity);

// Accepts policy bundles the way an agent must: signed by the controller's key, never older
// than the last good one, and not already expired. The last good bundle is persisted
// (policy-bundle.pb in the state directory) and re-verified when loaded, so the agent keeps
// enforcing it across restarts and while the controller is unreachable.
class BundleGuard {
 public:
  static Result<BundleGuard> open(const std::string& state_dir, const std::string& policy_key_pem);

  // The body of a bundle that is now the current one. Re-delivery of the current version is
  // accepted (a fresh signature and expiry); an older version is kFailedPrecondition; a bad
  // signature is kDataLoss.
  Result<sluice::v1::PolicyBundleBody> accept(const sluice::v1::PolicyBundle& bundle,
                                              int64_t now_unix);
  const std::optional<sluice::v1::PolicyBundleBody>& current() const { return current_; }
  uint64_t currentVersion() const { return current_ ? current_->version() : 0; }

 private:
  BundleGuard(std::string path, crypto::Ed25519Key key)
      : path_(std::move(path)), key_(std::move(key)) {}
  std::string path_;
  crypto::Ed25519Key key_;
  std::optional<sluice::v1::PolicyBundleBody> current_;
};

}  // namespace sluice::controller
