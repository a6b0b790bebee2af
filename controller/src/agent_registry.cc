#include "sluice/controller/agent_registry.h"

#include <nlohmann/json.hpp>

#include "sluice/common/logging.h"
#include "sluice/controller/crypto.h"

namespace sluice::controller {

Labels parseLabelsJson(const std::string& json) {
  Labels out;
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.value().is_string()) out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

std::string labelsToJson(const Labels& labels) {
  return nlohmann::json(labels).dump();
}

AgentRegistry::AgentRegistry(Storage& storage, const Clock& clock, AuditLog& audit,
                             const CertificateAuthority& ca, RegistryOptions options)
    : storage_(storage), clock_(clock), audit_(audit), ca_(ca), options_(options) {}

Result<NewEnrollToken> AgentRegistry::createToken(const std::string& actor, int64_t ttl_seconds,
                                                  const Labels& labels) {
  if (ttl_seconds <= 0 || ttl_seconds > options_.max_token_ttl_seconds) {
    return invalidArgument("token TTL must be between 1 s and " +
                           std::to_string(options_.max_token_ttl_seconds / 3600) + " h");
  }
  NewEnrollToken out;
  out.secret = "set_" + crypto::toHex(crypto::randomBytes(24));
  out.record.id = crypto::randomId("tok-");
  out.record.secret_hash = crypto::sha256Hex(out.secret);
  out.record.labels_json = labelsToJson(labels);
  out.record.created_at = clock_.nowUnix();
  out.record.expires_at = out.record.created_at + ttl_seconds;
  out.record.created_by = actor;
  SLUICE_RETURN_IF_ERROR(storage_.insertEnrollToken(out.record));
  SLUICE_RETURN_IF_ERROR(
      audit_.record(actor, "enroll_token.create", "enroll_token/" + out.record.id,
                    nlohmann::json{{"ttl_seconds", ttl_seconds}, {"labels", labels}}.dump()));
  return out;
}

Result<std::vector<EnrollTokenRecord>> AgentRegistry::listTokens() {
  return storage_.listEnrollTokens();
}

Result<Enrollment> AgentRegistry::enroll(const std::string& token, const std::string& csr_pem,
                                         const std::string& hostname,
                                         const std::string& agent_version) {
  if (token.empty()) return invalidArgument("an enrolment token is required");
  std::string agent_id = crypto::randomId("agt-");
  int64_t now = clock_.nowUnix();
  // Sign first so that a bad CSR does not burn the token.
  SLUICE_ASSIGN_OR_RETURN(
      IssuedCert cert, ca_.signClientCsr(csr_pem, agent_id, now, options_.cert_validity_seconds));
  auto consumed = storage_.consumeEnrollToken(crypto::sha256Hex(token), now, agent_id);
  if (!consumed) {
    const Error& err = consumed.error();
    (void)audit_.record("anonymous", "agent.enroll.refused", "host/" + hostname,
                        nlohmann::json{{"reason", err.message()}}.dump());
    ErrorCode code = err.code() == ErrorCode::kNotFound ? ErrorCode::kUnauthenticated : err.code();
    return Error(code, "enrolment refused: " + err.message());
  }
  Enrollment out;
  out.labels = parseLabelsJson(consumed->labels_json);
  out.agent.id = agent_id;
  out.agent.hostname = hostname;
  out.agent.labels_json = consumed->labels_json;
  out.agent.cert_serial = cert.serial_hex;
  out.agent.cert_not_after = cert.not_after_unix;
  out.agent.enrolled_at = now;
  out.agent.agent_version = agent_version;
  SLUICE_RETURN_IF_ERROR(storage_.insertAgent(out.agent));
  out.cert = std::move(cert);
  SLUICE_RETURN_IF_ERROR(audit_.record(
      "agent:" + agent_id, "agent.enroll", "agent/" + agent_id,
      nlohmann::json{
          {"hostname", hostname}, {"token", consumed->id}, {"cert_serial", out.cert.serial_hex}}
          .dump()));
  return out;
}

Result<IssuedCert> AgentRegistry::renew(const std::string& agent_id, const std::string& csr_pem) {
  SLUICE_ASSIGN_OR_RETURN(AgentView view, get(agent_id));
  if (view.record.status != "active") {
    return Error(ErrorCode::kPermissionDenied, "agent " + agent_id + " is revoked");
  }
  SLUICE_ASSIGN_OR_RETURN(IssuedCert cert, ca_.signClientCsr(csr_pem, agent_id, clock_.nowUnix(),
                                                             options_.cert_validity_seconds));
  SLUICE_RETURN_IF_ERROR(storage_.updateAgentCert(agent_id, cert.serial_hex, cert.not_after_unix));
  SLUICE_RETURN_IF_ERROR(audit_.record("agent:" + agent_id, "agent.renew", "agent/" + agent_id,
                                       nlohmann::json{{"cert_serial", cert.serial_hex}}.dump()));
  return cert;
}

Status AgentRegistry::revoke(const std::string& actor, const std::string& agent_id,
                             const std::string& reason) {
  SLUICE_RETURN_IF_ERROR(storage_.setAgentStatus(agent_id, "revoked"));
  SLUICE_RETURN_IF_ERROR(audit_.record(actor, "agent.revoke", "agent/" + agent_id,
                                       nlohmann::json{{"reason", reason}}.dump()));
  return okStatus();
}

bool AgentRegistry::isOnline(const AgentRecord& agent) const {
  return agent.status == "active" && agent.last_heartbeat > 0 &&
         clock_.nowUnix() - agent.last_heartbeat <= options_.offline_after_seconds;
}

Result<std::vector<AgentView>> AgentRegistry::list() {
  SLUICE_ASSIGN_OR_RETURN(auto records, storage_.listAgents());
  std::vector<AgentView> out;
  out.reserve(records.size());
  for (auto& r : records) {
    bool online = isOnline(r);
    Labels labels = parseLabelsJson(r.labels_json);
    out.push_back({std::move(r), std::move(labels), online});
  }
  return out;
}

Result<AgentView> AgentRegistry::get(const std::string& agent_id) {
  SLUICE_ASSIGN_OR_RETURN(auto record, storage_.findAgent(agent_id));
  if (!record) return notFound("agent " + agent_id + " not found");
  bool online = isOnline(*record);
  Labels labels = parseLabelsJson(record->labels_json);
  return AgentView{std::move(*record), std::move(labels), online};
}

}  // namespace sluice::controller
