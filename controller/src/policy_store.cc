#include "sluice/controller/policy_store.h"

#include <chrono>

#include <nlohmann/json.hpp>

namespace sluice::controller {

PolicyStore::PolicyStore(Storage& storage, const Clock& clock, AuditLog& audit,
                         crypto::Ed25519Key key, PolicyValidator validator,
                         PolicyStoreOptions options)
    : storage_(storage),
      clock_(clock),
      audit_(audit),
      key_(std::move(key)),
      validator_(std::move(validator)),
      options_(options) {}

Result<PolicyRecord> PolicyStore::push(const std::string& actor, const std::string& yaml,
                                       const std::string& file_name, const std::string& selector,
                                       bool audit_first) {
  SLUICE_RETURN_IF_ERROR(parseSelector(selector));
  auto validated = validator_(yaml, file_name.empty() ? "policy.yaml" : file_name);
  if (!validated) return validated.error().withContext("policy rejected");
  PolicyRecord record;
  record.name = validated->name;
  record.sha256 = validated->sha256;
  record.yaml = yaml;
  record.selector = selector;
  record.audit_first = audit_first;
  return store(actor, std::move(record), "policy.push");
}

Result<PolicyRecord> PolicyStore::rollback(const std::string& actor, uint64_t version) {
  SLUICE_ASSIGN_OR_RETURN(PolicyRecord old, get(version));
  if (version == 0) return invalidArgument("rollback needs a version");
  old.rollback_of = version;
  return store(actor, std::move(old), "policy.rollback");
}

Result<PolicyRecord> PolicyStore::store(const std::string& actor, PolicyRecord record,
                                        const std::string& action) {
  record.pushed_by = actor;
  record.pushed_at = clock_.nowUnix();
  SLUICE_ASSIGN_OR_RETURN(record.version, storage_.insertPolicy(record));
  SLUICE_RETURN_IF_ERROR(audit_.record(actor, action, "policy/" + std::to_string(record.version),
                                       nlohmann::json{{"name", record.name},
                                                      {"sha256", record.sha256},
                                                      {"selector", record.selector},
                                                      {"audit_first", record.audit_first},
                                                      {"rollback_of", record.rollback_of}}
                                           .dump()));
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  changed_.notify_all();
  return record;
}

Result<std::vector<PolicyRecord>> PolicyStore::history() {
  return storage_.listPolicies(false);
}

Result<PolicyRecord> PolicyStore::get(uint64_t version) {
  if (version == 0) {
    SLUICE_ASSIGN_OR_RETURN(auto all, storage_.listPolicies(false));
    if (all.empty()) return notFound("no policy has been pushed yet");
    version = all.back().version;
  }
  SLUICE_ASSIGN_OR_RETURN(auto record, storage_.findPolicy(version));
  if (!record) return notFound("policy version " + std::to_string(version) + " does not exist");
  return *record;
}

Result<std::vector<AgentRollout>> PolicyStore::rollout(AgentRegistry& agents) {
  SLUICE_ASSIGN_OR_RETURN(auto versions, history());
  SLUICE_ASSIGN_OR_RETURN(auto views, agents.list());
  std::vector<AgentRollout> out;
  for (auto& a : views) {
    if (a.record.status != "active") continue;
    AgentRollout r{std::move(a), 0};
    for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
      auto selector = parseSelector(it->selector);
      if (selector && selectorMatches(*selector, r.agent.labels)) {
        r.target_version = it->version;
        break;
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::optional<PolicyRecord>> PolicyStore::latestFor(const Labels& labels) {
  SLUICE_ASSIGN_OR_RETURN(auto all, storage_.listPolicies(false));
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    auto selector = parseSelector(it->selector);
    if (selector && selectorMatches(*selector, labels)) {
      SLUICE_ASSIGN_OR_RETURN(PolicyRecord full, get(it->version));
      return std::optional<PolicyRecord>(std::move(full));
    }
  }
  return std::optional<PolicyRecord>();
}

Result<sluice::v1::PolicyBundle> PolicyStore::bundle(const PolicyRecord& policy) {
  int64_t now = clock_.nowUnix();
  {
    // Re-use a signature until half its lifetime is gone: 1,000 agents asking at once cost
    // one signature, and an agent never receives a bundle about to expire.
    std::lock_guard lock(mu_);
    auto it = signed_.find(policy.version);
    if (it != signed_.end() && now - it->second.first < options_.bundle_ttl_seconds / 2) {
      return it->second.second;
    }
  }
  sluice::v1::PolicyBundleBody body;
  body.set_version(policy.version);
  body.set_issued_at_unix(now);
  body.set_expires_at_unix(now + options_.bundle_ttl_seconds);
  body.set_policy_name(policy.name);
  body.set_policy_yaml(policy.yaml);
  body.set_policy_sha256(policy.sha256);
  body.set_selector(policy.selector);
  body.set_audit_first(policy.audit_first);
  body.set_pushed_by(policy.pushed_by);
  sluice::v1::PolicyBundle out;
  body.SerializeToString(out.mutable_body());
  SLUICE_ASSIGN_OR_RETURN(std::string sig, key_.sign(bundleSigningMessage(out.body())));
  out.set_signature(sig);
  out.set_key_id(key_.keyId());
  std::lock_guard lock(mu_);
  signed_[policy.version] = {now, out};
  return out;
}

uint64_t PolicyStore::waitForChange(uint64_t known_generation, int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                    [&] { return generation_ != known_generation; });
  return generation_;
}

uint64_t PolicyStore::generation() {
  std::lock_guard lock(mu_);
  return generation_;
}

void PolicyStore::wakeAll() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  changed_.notify_all();
}

}  // namespace sluice::controller
