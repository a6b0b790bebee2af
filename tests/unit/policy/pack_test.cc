// The shipped policy packs validate, without warnings, and say what their names promise.
#include <gtest/gtest.h>

#include <cstdlib>

#include "sluice/policy/policy.h"

namespace sluice::policy {
namespace {

std::string packPath(const std::string& name) {
  const char* src = std::getenv("SLUICE_SOURCE_DIR");
  return std::string(src != nullptr ? src : ".") + "/policy/packs/" + name + ".yaml";
}

TEST(PolicyPackTest, HipaaDefaultValidatesWithoutWarnings) {
  auto report = checkPolicyFile(packPath("hipaa-default"));
  ASSERT_TRUE(report.ok()) << report.error().message();
  std::string all;
  for (const auto& d : report->diagnostics) all += d.toString() + "\n";
  ASSERT_TRUE(report->ok()) << all;
  EXPECT_TRUE(report->diagnostics.empty()) << all;
}

TEST(PolicyPackTest, HipaaDefaultIsUsOnlyWithNoBaasAndDeniesAiWithoutOne) {
  auto p = loadPolicyFile(packPath("hipaa-default"));
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->name, "hipaa-default");
  EXPECT_EQ(p->mode, Mode::kEnforce);
  EXPECT_EQ(p->scope_cgroup, "/");
  EXPECT_EQ(p->fail_mode, FailMode::kClosed);
  EXPECT_EQ(p->allowed_regions, std::vector<std::string>{"us"});
  for (const auto& v : p->vendors) EXPECT_FALSE(v.baa.is_signed) << v.id;
  EXPECT_EQ(p->defaults.ai_without_baa, DestClass::kDeny);
  EXPECT_EQ(p->defaults.unknown_destination, DestClass::kAllow);
  EXPECT_EQ(p->defaults.out_of_region, DestClass::kDeny);
  EXPECT_EQ(p->defaults.expired_baa, DestClass::kDeny);
}

}  // namespace
}  // namespace sluice::policy
