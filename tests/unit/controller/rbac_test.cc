// The RBAC table against the API itself: every RPC in the proto has a row, and each role ×
// each RPC is allowed or denied exactly as this test's own expectation table says. The e2e
// suite repeats the matrix over real gRPC calls.
#include <gtest/gtest.h>

#include <google/protobuf/descriptor.h>

#include "rbac_expectations.h"
#include "sluice/controller/rbac.h"
#include "sluice/v1/agent.pb.h"
#include "sluice/v1/controller.pb.h"

namespace sluice::controller {
namespace {

const std::vector<std::string> kServices = {
    "sluice.v1.AgentService",      "sluice.v1.AuthService",   "sluice.v1.EnrollTokenService",
    "sluice.v1.AgentAdminService", "sluice.v1.PolicyService", "sluice.v1.AlertService",
    "sluice.v1.AuditService"};

std::vector<std::string> allMethods() {
  // Referencing the generated descriptors makes sure both files are linked and registered.
  (void)sluice::v1::EnrollRequest::descriptor();
  (void)sluice::v1::WhoAmIRequest::descriptor();
  std::vector<std::string> out;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& name : kServices) {
    const auto* service = pool->FindServiceByName(name);
    EXPECT_NE(service, nullptr) << name;
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      out.push_back("/" + name + "/" + service->method(i)->name());
    }
  }
  return out;
}

using testing::kRbacExpectations;

const std::vector<std::pair<Role, char>> kRoles = {
    {Role::kAdmin, 'a'},   {Role::kPolicyAuthor, 'p'}, {Role::kResponder, 'r'},
    {Role::kAuditor, 'u'}, {Role::kAgent, 'g'},        {Role::kAnonymous, 'n'}};

TEST(Rbac, EveryRpcHasARowAndNoRowIsStale) {
  auto methods = allMethods();
  EXPECT_EQ(methods.size(), kRbacExpectations.size());
  for (const auto& m : methods) {
    EXPECT_EQ(rbacTable().count(m), 1u) << m << " has no RBAC row: it would be denied to all";
    EXPECT_EQ(kRbacExpectations.count(m.substr(std::string("/sluice.v1.").size())), 1u) << m;
  }
  EXPECT_EQ(rbacTable().size(), methods.size());
}

TEST(Rbac, EachRoleTimesEachRpc) {
  int checked = 0;
  for (const auto& [method, letters] : kRbacExpectations) {
    for (const auto& [role, letter] : kRoles) {
      bool expected = letters.find(letter) != std::string::npos;
      EXPECT_EQ(isAllowed(role, "/sluice.v1." + method), expected)
          << roleName(role) << " on " << method;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 25 * 6);
}

TEST(Rbac, UnknownMethodsAreDenied) {
  for (const auto& [role, letter] : kRoles) {
    EXPECT_FALSE(isAllowed(role, "/sluice.v1.PolicyService/DropAllTables")) << letter;
  }
}

TEST(Rbac, OnlyPeopleRolesParse) {
  EXPECT_EQ(*parsePersonRole("policy-author"), Role::kPolicyAuthor);
  EXPECT_FALSE(parsePersonRole("agent"));
  EXPECT_FALSE(parsePersonRole("anonymous"));
  EXPECT_FALSE(parsePersonRole("root"));
}

}  // namespace
}  // namespace sluice::controller
