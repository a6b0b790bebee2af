// AuthService, EnrollTokenService, AgentAdminService and AuditService.
#include <nlohmann/json.hpp>

#include "grpc_common.h"
#include "grpc_services.h"
#include "sluice/controller/crypto.h"
#include "sluice/controller/totp.h"

namespace sluice::controller {
namespace {

void toProto(const UserRecord& u, v1::User* out) {
  out->set_id(u.id);
  out->set_name(u.name);
  out->set_role(u.role);
  out->set_created_at_unix(u.created_at);
  out->set_disabled(u.disabled);
}

void toProto(const EnrollTokenRecord& t, v1::EnrollToken* out) {
  out->set_id(t.id);
  Labels labels = parseLabelsJson(t.labels_json);
  out->mutable_labels()->insert(labels.begin(), labels.end());
  out->set_created_at_unix(t.created_at);
  out->set_expires_at_unix(t.expires_at);
  out->set_created_by(t.created_by);
  out->set_used_at_unix(t.used_at);
  out->set_used_by_agent(t.used_by);
}

}  // namespace

grpc::Status AuthServiceImpl::WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest*,
                                     v1::WhoAmIResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AuthService/WhoAmI");
  SLUICE_GRPC_ASSIGN_OR_RETURN(auto user, core_.storage->findUser(principal.id));
  if (user) toProto(*user, response->mutable_user());
  return grpc::Status::OK;
}

grpc::Status AuthServiceImpl::CreateUser(grpc::ServerContext* context,
                                         const v1::CreateUserRequest* request,
                                         v1::CreateUserResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AuthService/CreateUser");
  SLUICE_GRPC_ASSIGN_OR_RETURN(Role role, parsePersonRole(request->role()));
  SLUICE_GRPC_ASSIGN_OR_RETURN(NewUser created, core_.auth->createUser(request->name(), role));
  SLUICE_GRPC_RETURN_IF_ERROR(core_.audit->record(
      principal.actor(), "user.create", "user/" + created.user.id,
      nlohmann::json{{"name", created.user.name}, {"role", created.user.role}}.dump()));
  toProto(created.user, response->mutable_user());
  response->set_api_token(created.api_token);
  response->set_totp_secret(crypto::base32Encode(created.totp_secret));
  response->set_totp_uri(totpUri(created.totp_secret, created.user.name));
  return grpc::Status::OK;
}

grpc::Status AuthServiceImpl::ListUsers(grpc::ServerContext* context, const v1::ListUsersRequest*,
                                        v1::ListUsersResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AuthService/ListUsers");
  (void)principal;
  SLUICE_GRPC_ASSIGN_OR_RETURN(auto users, core_.storage->listUsers());
  for (const auto& u : users) toProto(u, response->add_users());
  return grpc::Status::OK;
}

grpc::Status AuthServiceImpl::DisableUser(grpc::ServerContext* context,
                                          const v1::DisableUserRequest* request,
                                          v1::DisableUserResponse*) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AuthService/DisableUser");
  if (request->id() == principal.id) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "you cannot disable yourself");
  }
  SLUICE_GRPC_RETURN_IF_ERROR(core_.storage->setUserDisabled(request->id(), true));
  SLUICE_GRPC_RETURN_IF_ERROR(
      core_.audit->record(principal.actor(), "user.disable", "user/" + request->id()));
  return grpc::Status::OK;
}

grpc::Status EnrollTokenServiceImpl::CreateEnrollToken(grpc::ServerContext* context,
                                                       const v1::CreateEnrollTokenRequest* request,
                                                       v1::CreateEnrollTokenResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.EnrollTokenService/CreateEnrollToken");
  Labels labels(request->labels().begin(), request->labels().end());
  SLUICE_GRPC_ASSIGN_OR_RETURN(
      NewEnrollToken token,
      core_.agents->createToken(principal.actor(), request->ttl_seconds(), labels));
  toProto(token.record, response->mutable_token());
  response->set_secret(token.secret);
  return grpc::Status::OK;
}

grpc::Status EnrollTokenServiceImpl::ListEnrollTokens(grpc::ServerContext* context,
                                                      const v1::ListEnrollTokensRequest*,
                                                      v1::ListEnrollTokensResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.EnrollTokenService/ListEnrollTokens");
  (void)principal;
  SLUICE_GRPC_ASSIGN_OR_RETURN(auto tokens, core_.agents->listTokens());
  for (const auto& t : tokens) toProto(t, response->add_tokens());
  return grpc::Status::OK;
}

grpc::Status AgentAdminServiceImpl::ListAgents(grpc::ServerContext* context,
                                               const v1::ListAgentsRequest*,
                                               v1::ListAgentsResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AgentAdminService/ListAgents");
  (void)principal;
  SLUICE_GRPC_ASSIGN_OR_RETURN(auto agents, core_.agents->list());
  for (const auto& a : agents) {
    auto* out = response->add_agents();
    out->set_id(a.record.id);
    out->set_hostname(a.record.hostname);
    out->mutable_labels()->insert(a.labels.begin(), a.labels.end());
    out->set_status(a.record.status);
    out->set_online(a.online);
    out->set_policy_version(a.record.policy_version);
    out->set_last_heartbeat_unix(a.record.last_heartbeat);
    out->set_enrolled_at_unix(a.record.enrolled_at);
    out->set_cert_not_after_unix(a.record.cert_not_after);
    out->set_agent_version(a.record.agent_version);
    out->set_kernel(a.record.kernel);
    out->set_health(a.record.health);
  }
  return grpc::Status::OK;
}

grpc::Status AgentAdminServiceImpl::RevokeAgent(grpc::ServerContext* context,
                                                const v1::RevokeAgentRequest* request,
                                                v1::RevokeAgentResponse*) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AgentAdminService/RevokeAgent");
  SLUICE_GRPC_RETURN_IF_ERROR(
      core_.agents->revoke(principal.actor(), request->id(), request->reason()));
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::VerifyAudit(grpc::ServerContext* context,
                                           const v1::VerifyAuditRequest*,
                                           v1::VerifyAuditResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AuditService/VerifyAudit");
  SLUICE_GRPC_ASSIGN_OR_RETURN(AuditVerifyReport report, core_.audit->verify());
  // Recorded after checking, so that the check itself does not change what it checked.
  SLUICE_GRPC_RETURN_IF_ERROR(core_.audit->record(principal.actor(), "audit.verify", "audit",
                                                  report.ok ? "{\"ok\":true}" : "{\"ok\":false}"));
  response->set_ok(report.ok);
  response->set_entries_checked(report.entries_checked);
  response->set_checkpoints_checked(report.checkpoints_checked);
  response->set_first_bad_seq(report.first_bad_seq);
  response->set_problem(report.problem);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListAudit(grpc::ServerContext* context,
                                         const v1::ListAuditRequest* request,
                                         v1::ListAuditResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AuditService/ListAudit");
  (void)principal;
  uint32_t limit = request->limit() == 0 ? 100 : std::min<uint32_t>(request->limit(), 1000);
  SLUICE_GRPC_ASSIGN_OR_RETURN(auto entries, core_.storage->listAudit(request->after_seq(), limit));
  for (const auto& e : entries) {
    auto* out = response->add_entries();
    out->set_seq(e.seq);
    out->set_time_unix_ms(e.time_ms);
    out->set_actor(e.actor);
    out->set_action(e.action);
    out->set_target(e.target);
    out->set_details(e.details);
    out->set_prev_hash(e.prev_hash);
    out->set_hash(e.hash);
  }
  return grpc::Status::OK;
}

}  // namespace sluice::controller
