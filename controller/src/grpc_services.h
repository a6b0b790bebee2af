// File: grpc_services.h
//
// The gRPC service implementations. Each handler authorises, translates the request into a
// call on one component, and translates the answer back; no decisions are made here.
#pragma once

#include <atomic>

#include "sluice/controller/server.h"
#include "sluice/v1/agent.grpc.pb.h"
#include "sluice/v1/controller.grpc.pb.h"

namespace sluice::controller {

namespace v1 = ::sluice::v1;

class AgentServiceImpl final : public v1::AgentService::Service {
 public:
  AgentServiceImpl(Controller& core, const ServeOptions& options, std::atomic<bool>& stopping)
      : core_(core), options_(options), stopping_(stopping) {}
  grpc::Status Enroll(grpc::ServerContext* context, const v1::EnrollRequest* request,
                      v1::EnrollResponse* response) override;
  grpc::Status Renew(grpc::ServerContext* context, const v1::RenewRequest* request,
                     v1::RenewResponse* response) override;
  grpc::Status WatchPolicy(grpc::ServerContext* context, const v1::WatchPolicyRequest* request,
                           grpc::ServerWriter<v1::PolicyBundle>* writer) override;
  grpc::Status StreamEvents(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::EventAck, v1::EventBatch>* stream) override;

 private:
  Controller& core_;
  const ServeOptions& options_;
  std::atomic<bool>& stopping_;
};

class AuthServiceImpl final : public v1::AuthService::Service {
 public:
  explicit AuthServiceImpl(Controller& core) : core_(core) {}
  grpc::Status WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override;
  grpc::Status CreateUser(grpc::ServerContext* context, const v1::CreateUserRequest* request,
                          v1::CreateUserResponse* response) override;
  grpc::Status ListUsers(grpc::ServerContext* context, const v1::ListUsersRequest* request,
                         v1::ListUsersResponse* response) override;
  grpc::Status DisableUser(grpc::ServerContext* context, const v1::DisableUserRequest* request,
                           v1::DisableUserResponse* response) override;

 private:
  Controller& core_;
};

class EnrollTokenServiceImpl final : public v1::EnrollTokenService::Service {
 public:
  explicit EnrollTokenServiceImpl(Controller& core) : core_(core) {}
  grpc::Status CreateEnrollToken(grpc::ServerContext* context,
                                 const v1::CreateEnrollTokenRequest* request,
                                 v1::CreateEnrollTokenResponse* response) override;
  grpc::Status ListEnrollTokens(grpc::ServerContext* context,
                                const v1::ListEnrollTokensRequest* request,
                                v1::ListEnrollTokensResponse* response) override;

 private:
  Controller& core_;
};

class AgentAdminServiceImpl final : public v1::AgentAdminService::Service {
 public:
  explicit AgentAdminServiceImpl(Controller& core) : core_(core) {}
  grpc::Status ListAgents(grpc::ServerContext* context, const v1::ListAgentsRequest* request,
                          v1::ListAgentsResponse* response) override;
  grpc::Status RevokeAgent(grpc::ServerContext* context, const v1::RevokeAgentRequest* request,
                           v1::RevokeAgentResponse* response) override;

 private:
  Controller& core_;
};

class PolicyServiceImpl final : public v1::PolicyService::Service {
 public:
  explicit PolicyServiceImpl(Controller& core) : core_(core) {}
  grpc::Status PushPolicy(grpc::ServerContext* context, const v1::PushPolicyRequest* request,
                          v1::PushPolicyResponse* response) override;
  grpc::Status ListPolicyHistory(grpc::ServerContext* context,
                                 const v1::ListPolicyHistoryRequest* request,
                                 v1::ListPolicyHistoryResponse* response) override;
  grpc::Status GetPolicy(grpc::ServerContext* context, const v1::GetPolicyRequest* request,
                         v1::GetPolicyResponse* response) override;
  grpc::Status RollbackPolicy(grpc::ServerContext* context,
                              const v1::RollbackPolicyRequest* request,
                              v1::RollbackPolicyResponse* response) override;
  grpc::Status GetPolicyStatus(grpc::ServerContext* context,
                               const v1::GetPolicyStatusRequest* request,
                               v1::GetPolicyStatusResponse* response) override;

 private:
  Controller& core_;
};

class AlertServiceImpl final : public v1::AlertService::Service {
 public:
  explicit AlertServiceImpl(Controller& core) : core_(core) {}
  grpc::Status ListAlerts(grpc::ServerContext* context, const v1::ListAlertsRequest* request,
                          v1::ListAlertsResponse* response) override;
  grpc::Status GetAlert(grpc::ServerContext* context, const v1::GetAlertRequest* request,
                        v1::GetAlertResponse* response) override;
  grpc::Status AckAlert(grpc::ServerContext* context, const v1::TriageAlertRequest* request,
                        v1::TriageAlertResponse* response) override;
  grpc::Status AssignAlert(grpc::ServerContext* context, const v1::TriageAlertRequest* request,
                           v1::TriageAlertResponse* response) override;
  grpc::Status ResolveAlert(grpc::ServerContext* context, const v1::TriageAlertRequest* request,
                            v1::TriageAlertResponse* response) override;
  grpc::Status MarkFalsePositive(grpc::ServerContext* context,
                                 const v1::TriageAlertRequest* request,
                                 v1::TriageAlertResponse* response) override;

 private:
  grpc::Status triage(grpc::ServerContext* context, const char* method, TriageAction action,
                      const v1::TriageAlertRequest* request, v1::TriageAlertResponse* response);
  Controller& core_;
};

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  explicit AuditServiceImpl(Controller& core) : core_(core) {}
  grpc::Status VerifyAudit(grpc::ServerContext* context, const v1::VerifyAuditRequest* request,
                           v1::VerifyAuditResponse* response) override;
  grpc::Status ListAudit(grpc::ServerContext* context, const v1::ListAuditRequest* request,
                         v1::ListAuditResponse* response) override;

 private:
  Controller& core_;
};

}  // namespace sluice::controller
