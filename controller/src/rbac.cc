#include "sluice/controller/rbac.h"

namespace sluice::controller {
namespace {

const std::set<Role> kPeople = {Role::kAdmin, Role::kPolicyAuthor, Role::kResponder,
                                Role::kAuditor};
const std::set<Role> kAdmin = {Role::kAdmin};
const std::set<Role> kAdminAuditor = {Role::kAdmin, Role::kAuditor};
const std::set<Role> kPolicyWriters = {Role::kAdmin, Role::kPolicyAuthor};
const std::set<Role> kAlertReaders = {Role::kAdmin, Role::kResponder, Role::kAuditor};
const std::set<Role> kTriagers = {Role::kAdmin, Role::kResponder};
const std::set<Role> kAgentOnly = {Role::kAgent};
// Enrolment is the one call made before any identity exists; the token is its credential.
const std::set<Role> kAnyone = {Role::kAnonymous};

}  // namespace

std::string_view roleName(Role role) {
  switch (role) {
    case Role::kAdmin: return "admin";
    case Role::kPolicyAuthor: return "policy-author";
    case Role::kResponder: return "responder";
    case Role::kAuditor: return "auditor";
    case Role::kAgent: return "agent";
    case Role::kAnonymous: return "anonymous";
  }
  return "unknown";
}

Result<Role> parsePersonRole(std::string_view name) {
  for (Role r : kPeople) {
    if (roleName(r) == name) return r;
  }
  return invalidArgument("unknown role '" + std::string(name) +
                         "' (admin, policy-author, responder, auditor)");
}

const std::map<std::string, std::set<Role>>& rbacTable() {
  static const std::map<std::string, std::set<Role>> table = {
      {"/sluice.v1.AgentService/Enroll", kAnyone},
      {"/sluice.v1.AgentService/Renew", kAgentOnly},
      {"/sluice.v1.AgentService/WatchPolicy", kAgentOnly},
      {"/sluice.v1.AgentService/StreamEvents", kAgentOnly},
      {"/sluice.v1.AuthService/WhoAmI", kPeople},
      {"/sluice.v1.AuthService/CreateUser", kAdmin},
      {"/sluice.v1.AuthService/ListUsers", kAdminAuditor},
      {"/sluice.v1.AuthService/DisableUser", kAdmin},
      {"/sluice.v1.EnrollTokenService/CreateEnrollToken", kAdmin},
      {"/sluice.v1.EnrollTokenService/ListEnrollTokens", kAdminAuditor},
      {"/sluice.v1.AgentAdminService/ListAgents", kPeople},
      {"/sluice.v1.AgentAdminService/RevokeAgent", kAdmin},
      {"/sluice.v1.PolicyService/PushPolicy", kPolicyWriters},
      {"/sluice.v1.PolicyService/ListPolicyHistory", kPeople},
      {"/sluice.v1.PolicyService/GetPolicy", kPeople},
      {"/sluice.v1.PolicyService/RollbackPolicy", kPolicyWriters},
      {"/sluice.v1.PolicyService/GetPolicyStatus", kPeople},
      {"/sluice.v1.AlertService/ListAlerts", kAlertReaders},
      {"/sluice.v1.AlertService/GetAlert", kAlertReaders},
      {"/sluice.v1.AlertService/AckAlert", kTriagers},
      {"/sluice.v1.AlertService/AssignAlert", kTriagers},
      {"/sluice.v1.AlertService/ResolveAlert", kTriagers},
      {"/sluice.v1.AlertService/MarkFalsePositive", kTriagers},
      {"/sluice.v1.AuditService/VerifyAudit", kAdminAuditor},
      {"/sluice.v1.AuditService/ListAudit", kAdminAuditor},
  };
  return table;
}

bool isAllowed(Role role, std::string_view full_method) {
  const auto& table = rbacTable();
  auto it = table.find(std::string(full_method));
  return it != table.end() && it->second.count(role) > 0;
}

Status authorizeRole(Role role, std::string_view full_method) {
  if (isAllowed(role, full_method)) return okStatus();
  if (role == Role::kAnonymous) {
    return Error(ErrorCode::kUnauthenticated,
                 "this call needs an API token and TOTP code, or an agent certificate");
  }
  return Error(ErrorCode::kPermissionDenied, "role '" + std::string(roleName(role)) +
                                                 "' may not call " + std::string(full_method));
}

}  // namespace sluice::controller
