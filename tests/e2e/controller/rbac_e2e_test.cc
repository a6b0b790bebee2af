// The RBAC matrix over real gRPC: every role (and an agent certificate, and no credentials at
// all) calls every RPC with an empty request. An allowed call may still fail on its empty
// input, but never with PERMISSION_DENIED or UNAUTHENTICATED; a denied call always does.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <optional>

#include "e2e_util.h"
#include "rbac_expectations.h"

namespace sluice::controller::testing {
namespace {

namespace v1 = sluice::v1;

using Call =
    std::function<grpc::Status(const std::shared_ptr<grpc::Channel>&, grpc::ClientContext*)>;

template <typename Service, typename Req, typename Resp>
Call unary(grpc::Status (Service::Stub::*method)(grpc::ClientContext*, const Req&, Resp*)) {
  return [method](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* ctx) {
    auto stub = Service::NewStub(channel);
    Resp resp;
    return ((*stub).*method)(ctx, Req(), &resp);
  };
}

const std::map<std::string, Call>& calls() {
  static const std::map<std::string, Call> table = {
      {"AgentService/Enroll", unary<v1::AgentService>(&v1::AgentService::Stub::Enroll)},
      {"AgentService/Renew", unary<v1::AgentService>(&v1::AgentService::Stub::Renew)},
      {"AgentService/WatchPolicy",
       [](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* ctx) {
         auto reader = v1::AgentService::NewStub(channel)->WatchPolicy(ctx, {});
         v1::PolicyBundle bundle;
         while (reader->Read(&bundle)) {
         }
         return reader->Finish();  // an allowed watch runs into the deadline
       }},
      {"AgentService/StreamEvents",
       [](const std::shared_ptr<grpc::Channel>& channel, grpc::ClientContext* ctx) {
         auto stream = v1::AgentService::NewStub(channel)->StreamEvents(ctx);
         stream->WritesDone();
         v1::EventAck ack;
         while (stream->Read(&ack)) {
         }
         return stream->Finish();
       }},
      {"AuthService/WhoAmI", unary<v1::AuthService>(&v1::AuthService::Stub::WhoAmI)},
      {"AuthService/CreateUser", unary<v1::AuthService>(&v1::AuthService::Stub::CreateUser)},
      {"AuthService/ListUsers", unary<v1::AuthService>(&v1::AuthService::Stub::ListUsers)},
      {"AuthService/DisableUser", unary<v1::AuthService>(&v1::AuthService::Stub::DisableUser)},
      {"EnrollTokenService/CreateEnrollToken",
       unary<v1::EnrollTokenService>(&v1::EnrollTokenService::Stub::CreateEnrollToken)},
      {"EnrollTokenService/ListEnrollTokens",
       unary<v1::EnrollTokenService>(&v1::EnrollTokenService::Stub::ListEnrollTokens)},
      {"AgentAdminService/ListAgents",
       unary<v1::AgentAdminService>(&v1::AgentAdminService::Stub::ListAgents)},
      {"AgentAdminService/RevokeAgent",
       unary<v1::AgentAdminService>(&v1::AgentAdminService::Stub::RevokeAgent)},
      {"PolicyService/PushPolicy", unary<v1::PolicyService>(&v1::PolicyService::Stub::PushPolicy)},
      {"PolicyService/ListPolicyHistory",
       unary<v1::PolicyService>(&v1::PolicyService::Stub::ListPolicyHistory)},
      {"PolicyService/GetPolicy", unary<v1::PolicyService>(&v1::PolicyService::Stub::GetPolicy)},
      {"PolicyService/RollbackPolicy",
       unary<v1::PolicyService>(&v1::PolicyService::Stub::RollbackPolicy)},
      {"PolicyService/GetPolicyStatus",
       unary<v1::PolicyService>(&v1::PolicyService::Stub::GetPolicyStatus)},
      {"AlertService/ListAlerts", unary<v1::AlertService>(&v1::AlertService::Stub::ListAlerts)},
      {"AlertService/GetAlert", unary<v1::AlertService>(&v1::AlertService::Stub::GetAlert)},
      {"AlertService/AckAlert", unary<v1::AlertService>(&v1::AlertService::Stub::AckAlert)},
      {"AlertService/AssignAlert", unary<v1::AlertService>(&v1::AlertService::Stub::AssignAlert)},
      {"AlertService/ResolveAlert", unary<v1::AlertService>(&v1::AlertService::Stub::ResolveAlert)},
      {"AlertService/MarkFalsePositive",
       unary<v1::AlertService>(&v1::AlertService::Stub::MarkFalsePositive)},
      {"AuditService/VerifyAudit", unary<v1::AuditService>(&v1::AuditService::Stub::VerifyAudit)},
      {"AuditService/ListAudit", unary<v1::AuditService>(&v1::AuditService::Stub::ListAudit)},
  };
  return table;
}

struct Caller {
  char letter;
  std::string name;
  std::optional<Person> person;  // people sign each call with a fresh TOTP code
  std::shared_ptr<grpc::Channel> channel;
};

TEST_P(ControllerE2eTest, RbacMatrixEveryRoleTimesEveryRpc) {
  ASSERT_EQ(calls().size(), kRbacExpectations.size());
  std::vector<Caller> callers;
  callers.push_back({'a', "admin", ctl_->admin(), adminChannel()});
  for (auto [letter, role] : std::vector<std::pair<char, std::string>>{
           {'p', "policy-author"}, {'r', "responder"}, {'u', "auditor"}}) {
    auto person = ctl_->createPerson("user-" + role, role);
    ASSERT_TRUE(person) << person.error().toString();
    auto channel = makeChannel(ctl_->optionsFor(*person));
    ASSERT_TRUE(channel);
    callers.push_back({letter, role, *person, *channel});
  }
  auto agent = ctl_->enrol(*ctl_->createToken("1h", ""), "matrix-agent");
  ASSERT_TRUE(agent);
  callers.push_back({'g', "agent", std::nullopt, agent->channel});
  ClientOptions anonymous;
  anonymous.address = ctl_->address();
  anonymous.ca_file = ctl_->dataDir() + "/data/ca.crt";
  auto anonymous_channel = makeChannel(anonymous);
  ASSERT_TRUE(anonymous_channel);
  callers.push_back({'n', "anonymous", std::nullopt, *anonymous_channel});

  int checked = 0;
  for (const auto& [method, call] : calls()) {
    for (const auto& caller : callers) {
      bool allowed = kRbacExpectations.at(method).find(caller.letter) != std::string::npos;
      auto ctx = makeContext(caller.person ? ctl_->optionsFor(*caller.person) : ClientOptions{}, 0);
      ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(1500));
      grpc::Status status = call(caller.channel, ctx.get());
      auto code = status.error_code();
      bool denied =
          code == grpc::StatusCode::PERMISSION_DENIED || code == grpc::StatusCode::UNAUTHENTICATED;
      EXPECT_EQ(!denied, allowed) << caller.name << " on " << method << ": "
                                  << static_cast<int>(code) << " " << status.error_message();
      ++checked;
    }
  }
  EXPECT_EQ(checked, 25 * 6);
}

INSTANTIATE_TEST_SUITE_P(Backends, ControllerE2eTest, ::testing::Values("sqlite", "postgres"),
                         backendName);

}  // namespace
}  // namespace sluice::controller::testing
