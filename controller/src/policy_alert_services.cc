// PolicyService and AlertService.
#include "grpc_common.h"
#include "grpc_services.h"

namespace sluice::controller {
namespace {

void toProto(const PolicyRecord& p, v1::PolicyVersion* out) {
  out->set_version(p.version);
  out->set_name(p.name);
  out->set_sha256(p.sha256);
  out->set_selector(p.selector);
  out->set_audit_first(p.audit_first);
  out->set_pushed_by(p.pushed_by);
  out->set_pushed_at_unix(p.pushed_at);
  out->set_rollback_of(p.rollback_of);
  out->set_yaml(p.yaml);
}

}  // namespace

grpc::Status PolicyServiceImpl::PushPolicy(grpc::ServerContext* context,
                                           const v1::PushPolicyRequest* request,
                                           v1::PushPolicyResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.PolicyService/PushPolicy");
  SLUICE_GRPC_ASSIGN_OR_RETURN(
      PolicyRecord pushed,
      core_.policies->push(principal.actor(), request->yaml(), request->file_name(),
                           request->selector(), request->audit_first()));
  SLUICE_GRPC_ASSIGN_OR_RETURN(Labels selector, parseSelector(pushed.selector));
  SLUICE_GRPC_ASSIGN_OR_RETURN(auto agents, core_.agents->list());
  uint32_t matching = 0;
  for (const auto& a : agents) {
    if (a.record.status == "active" && selectorMatches(selector, a.labels)) ++matching;
  }
  pushed.yaml.clear();
  toProto(pushed, response->mutable_policy());
  response->set_matching_agents(matching);
  return grpc::Status::OK;
}

grpc::Status PolicyServiceImpl::ListPolicyHistory(grpc::ServerContext* context,
                                                  const v1::ListPolicyHistoryRequest*,
                                                  v1::ListPolicyHistoryResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.PolicyService/ListPolicyHistory");
  (void)principal;
  SLUICE_GRPC_ASSIGN_OR_RETURN(auto versions, core_.policies->history());
  for (const auto& p : versions) toProto(p, response->add_versions());
  return grpc::Status::OK;
}

grpc::Status PolicyServiceImpl::GetPolicy(grpc::ServerContext* context,
                                          const v1::GetPolicyRequest* request,
                                          v1::GetPolicyResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.PolicyService/GetPolicy");
  (void)principal;
  SLUICE_GRPC_ASSIGN_OR_RETURN(PolicyRecord policy, core_.policies->get(request->version()));
  SLUICE_GRPC_ASSIGN_OR_RETURN(v1::PolicyBundle bundle, core_.policies->bundle(policy));
  toProto(policy, response->mutable_policy());
  *response->mutable_bundle() = std::move(bundle);
  return grpc::Status::OK;
}

grpc::Status PolicyServiceImpl::RollbackPolicy(grpc::ServerContext* context,
                                               const v1::RollbackPolicyRequest* request,
                                               v1::RollbackPolicyResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.PolicyService/RollbackPolicy");
  SLUICE_GRPC_ASSIGN_OR_RETURN(PolicyRecord policy,
                               core_.policies->rollback(principal.actor(), request->version()));
  policy.yaml.clear();
  toProto(policy, response->mutable_policy());
  return grpc::Status::OK;
}

grpc::Status PolicyServiceImpl::GetPolicyStatus(grpc::ServerContext* context,
                                                const v1::GetPolicyStatusRequest*,
                                                v1::GetPolicyStatusResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.PolicyService/GetPolicyStatus");
  (void)principal;
  SLUICE_GRPC_ASSIGN_OR_RETURN(auto versions, core_.policies->history());
  response->set_latest_version(versions.empty() ? 0 : versions.back().version);
  SLUICE_GRPC_ASSIGN_OR_RETURN(auto rollout, core_.policies->rollout(*core_.agents));
  for (const auto& r : rollout) {
    auto* out = response->add_agents();
    out->set_agent_id(r.agent.record.id);
    out->set_hostname(r.agent.record.hostname);
    out->set_running_version(r.agent.record.policy_version);
    out->set_online(r.agent.online);
    out->set_target_version(r.target_version);
  }
  return grpc::Status::OK;
}

grpc::Status AlertServiceImpl::ListAlerts(grpc::ServerContext* context,
                                          const v1::ListAlertsRequest* request,
                                          v1::ListAlertsResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AlertService/ListAlerts");
  (void)principal;
  AlertFilter filter;
  filter.since_ms = request->since_unix_ms();
  filter.min_severity = static_cast<int>(request->min_severity());
  filter.agent_id = request->agent_id();
  filter.vendor = request->vendor();
  filter.status = request->status();
  filter.until_ms = request->until_unix_ms();
  filter.process = request->process();
  filter.phi_type = request->phi_type();
  filter.assignee = request->assignee();
  filter.offset = request->offset();
  filter.limit = request->limit() == 0 ? 100 : std::min<uint32_t>(request->limit(), 10000);
  SLUICE_GRPC_ASSIGN_OR_RETURN(auto alerts, core_.events->list(filter));
  SLUICE_GRPC_ASSIGN_OR_RETURN(uint64_t total, core_.events->count(filter));
  for (auto& a : alerts) *response->add_alerts() = std::move(a);
  response->set_total(total);
  return grpc::Status::OK;
}

grpc::Status AlertServiceImpl::GetAlert(grpc::ServerContext* context,
                                        const v1::GetAlertRequest* request,
                                        v1::GetAlertResponse* response) {
  SLUICE_AUTHORIZE(principal, "/sluice.v1.AlertService/GetAlert");
  SLUICE_GRPC_ASSIGN_OR_RETURN(v1::Alert alert,
                               core_.events->get(principal.actor(), request->id()));
  *response->mutable_alert() = std::move(alert);
  return grpc::Status::OK;
}

grpc::Status AlertServiceImpl::triage(grpc::ServerContext* context, const char* method,
                                      TriageAction action, const v1::TriageAlertRequest* request,
                                      v1::TriageAlertResponse* response) {
  SLUICE_AUTHORIZE(principal, method);
  SLUICE_GRPC_ASSIGN_OR_RETURN(v1::Alert alert,
                               core_.events->triage(principal.actor(), request->id(), action,
                                                    request->note(), request->assignee()));
  *response->mutable_alert() = std::move(alert);
  return grpc::Status::OK;
}

grpc::Status AlertServiceImpl::AckAlert(grpc::ServerContext* context,
                                        const v1::TriageAlertRequest* request,
                                        v1::TriageAlertResponse* response) {
  return triage(context, "/sluice.v1.AlertService/AckAlert", TriageAction::kAck, request, response);
}

grpc::Status AlertServiceImpl::AssignAlert(grpc::ServerContext* context,
                                           const v1::TriageAlertRequest* request,
                                           v1::TriageAlertResponse* response) {
  return triage(context, "/sluice.v1.AlertService/AssignAlert", TriageAction::kAssign, request,
                response);
}

grpc::Status AlertServiceImpl::ResolveAlert(grpc::ServerContext* context,
                                            const v1::TriageAlertRequest* request,
                                            v1::TriageAlertResponse* response) {
  return triage(context, "/sluice.v1.AlertService/ResolveAlert", TriageAction::kResolve, request,
                response);
}

grpc::Status AlertServiceImpl::MarkFalsePositive(grpc::ServerContext* context,
                                                 const v1::TriageAlertRequest* request,
                                                 v1::TriageAlertResponse* response) {
  return triage(context, "/sluice.v1.AlertService/MarkFalsePositive", TriageAction::kFalsePositive,
                request, response);
}

}  // namespace sluice::controller
