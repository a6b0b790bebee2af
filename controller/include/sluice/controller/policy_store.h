// File: policy_store.h
//
// Versioned policies and the signed bundles agents receive. A push validates the YAML with
// the policy library, stores it as the next version and wakes every agent watching for
// policy; a rollback re-issues an older version's content as a new, higher version, because
// agents refuse to go backwards. Bundles are signed with the controller's Ed25519 key over the
// exact serialized body bytes, and re-signed with a fresh expiry as they age.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sluice/common/result.h"
#include "sluice/controller/agent_registry.h"
#include "sluice/controller/audit_log.h"
#include "sluice/controller/bundle.h"
#include "sluice/controller/clock.h"
#include "sluice/controller/crypto.h"
#include "sluice/controller/storage.h"
#include "sluice/v1/agent.pb.h"

namespace sluice::controller {

// What validation learns about a policy file: its name and the hash of its bytes.
struct ValidatedPolicy {
  std::string name;
  std::string sha256;
};
// Parses and validates YAML; the error lists every problem as file:line:col.
using PolicyValidator =
    std::function<Result<ValidatedPolicy>(const std::string& yaml, const std::string& file)>;

struct PolicyStoreOptions {
  int64_t bundle_ttl_seconds = 7 * 24 * 3600;
};

// One active agent's rollout state: what it runs against what it should run.
struct AgentRollout {
  AgentView agent;
  uint64_t target_version = 0;  // the newest version whose selector matches; 0 = none
};

class PolicyStore {
 public:
  PolicyStore(Storage& storage, const Clock& clock, AuditLog& audit, crypto::Ed25519Key key,
              PolicyValidator validator, PolicyStoreOptions options = {});

  Result<PolicyRecord> push(const std::string& actor, const std::string& yaml,
                            const std::string& file_name, const std::string& selector,
                            bool audit_first);
  Result<PolicyRecord> rollback(const std::string& actor, uint64_t version);
  Result<std::vector<PolicyRecord>> history();
  Result<PolicyRecord> get(uint64_t version);  // 0 = latest

  // The newest version whose selector matches the labels, if any.
  Result<std::optional<PolicyRecord>> latestFor(const Labels& labels);
  Result<sluice::v1::PolicyBundle> bundle(const PolicyRecord& policy);
  // Every active agent with its target version (GetPolicyStatus and the console).
  Result<std::vector<AgentRollout>> rollout(AgentRegistry& agents);

  // Blocks until a version newer than `known_generation` is pushed or `timeout_ms` passes;
  // returns the current generation. Watchers poll storage as well, so pushes made through
  // another controller replica arrive within one timeout.
  uint64_t waitForChange(uint64_t known_generation, int64_t timeout_ms);
  uint64_t generation();
  void wakeAll();  // at shutdown

  const crypto::Ed25519Key& key() const { return key_; }

 private:
  Result<PolicyRecord> store(const std::string& actor, PolicyRecord record,
                             const std::string& action);

  Storage& storage_;
  const Clock& clock_;
  AuditLog& audit_;
  crypto::Ed25519Key key_;
  PolicyValidator validator_;
  PolicyStoreOptions options_;

  std::mutex mu_;
  std::condition_variable changed_;
  uint64_t generation_ = 0;
  std::map<uint64_t, std::pair<int64_t, sluice::v1::PolicyBundle>>
      signed_;  // version -> (issued, bundle)
};

}  // namespace sluice::controller
