// File: agent_registry.h
//
// The life of an agent on the controller: an admin creates a one-time enrolment token (with a
// TTL and the labels the agent will carry), the agent trades it and a CSR for a short-lived
// client certificate, renews that certificate over mTLS before it expires, and is revoked by
// an admin, after which every call it makes is refused. Whether an agent is online comes from
// its heartbeats (EventIngest records them).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sluice/common/result.h"
#include "sluice/controller/audit_log.h"
#include "sluice/controller/ca.h"
#include "sluice/controller/clock.h"
#include "sluice/controller/labels.h"
#include "sluice/controller/storage.h"

namespace sluice::controller {

struct NewEnrollToken {
  EnrollTokenRecord record;
  std::string secret;  // shown once
};

struct Enrollment {
  AgentRecord agent;
  IssuedCert cert;
  Labels labels;
};

struct AgentView {
  AgentRecord record;
  Labels labels;
  bool online = false;
};

struct RegistryOptions {
  int64_t cert_validity_seconds = 24 * 3600;
  int64_t offline_after_seconds = 90;  // three missed 30 s heartbeats
  int64_t max_token_ttl_seconds = 30 * 24 * 3600;
};

class AgentRegistry {
 public:
  AgentRegistry(Storage& storage, const Clock& clock, AuditLog& audit,
                const CertificateAuthority& ca, RegistryOptions options = {});

  Result<NewEnrollToken> createToken(const std::string& actor, int64_t ttl_seconds,
                                     const Labels& labels);
  Result<std::vector<EnrollTokenRecord>> listTokens();

  Result<Enrollment> enroll(const std::string& token, const std::string& csr_pem,
                            const std::string& hostname, const std::string& agent_version);
  Result<IssuedCert> renew(const std::string& agent_id, const std::string& csr_pem);
  Status revoke(const std::string& actor, const std::string& agent_id, const std::string& reason);

  Result<std::vector<AgentView>> list();
  Result<AgentView> get(const std::string& agent_id);
  bool isOnline(const AgentRecord& agent) const;

 private:
  Storage& storage_;
  const Clock& clock_;
  AuditLog& audit_;
  const CertificateAuthority& ca_;
  RegistryOptions options_;
};

Labels parseLabelsJson(const std::string& json);
std::string labelsToJson(const Labels& labels);

}  // namespace sluice::controller
