// File: rbac_expectations.h
//
// The RBAC matrix as the tests expect it, written independently of controller/src/rbac.cc so
// that a change to either shows up as a failure: the unit test checks the table, the e2e test
// checks real calls. Letters: a=admin p=policy-author r=responder u=auditor g=agent
// n=no credentials (anonymous).
#pragma once

#include <map>
#include <string>

namespace sluice::controller::testing {

inline const std::map<std::string, std::string> kRbacExpectations = {
    {"AgentService/Enroll", "n"},
    {"AgentService/Renew", "g"},
    {"AgentService/WatchPolicy", "g"},
    {"AgentService/StreamEvents", "g"},
    {"AuthService/WhoAmI", "apru"},
    {"AuthService/CreateUser", "a"},
    {"AuthService/ListUsers", "au"},
    {"AuthService/DisableUser", "a"},
    {"EnrollTokenService/CreateEnrollToken", "a"},
    {"EnrollTokenService/ListEnrollTokens", "au"},
    {"AgentAdminService/ListAgents", "apru"},
    {"AgentAdminService/RevokeAgent", "a"},
    {"PolicyService/PushPolicy", "ap"},
    {"PolicyService/ListPolicyHistory", "apru"},
    {"PolicyService/GetPolicy", "apru"},
    {"PolicyService/RollbackPolicy", "ap"},
    {"PolicyService/GetPolicyStatus", "apru"},
    {"AlertService/ListAlerts", "aru"},
    {"AlertService/GetAlert", "aru"},
    {"AlertService/AckAlert", "ar"},
    {"AlertService/AssignAlert", "ar"},
    {"AlertService/ResolveAlert", "ar"},
    {"AlertService/MarkFalsePositive", "ar"},
    {"AuditService/VerifyAudit", "au"},
    {"AuditService/ListAudit", "au"},
};

}  // namespace sluice::controller::testing
