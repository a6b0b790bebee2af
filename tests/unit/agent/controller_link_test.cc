// The agent's controller link without a controller: which agent events become alerts and how
// their fields map, controller flags and config, and the errors an unenrolled agent gives.
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "sluice/agent/config.h"
#include "sluice/agent/controller_link.h"

namespace sluice::agent {
namespace {

nlohmann::json deniedConnect() {
  return {{"type", "connect"},
          {"verdict", "deny"},
          {"rule", "blocked-loopback"},
          {"class", "deny"},
          {"destination", {{"ip", "127.0.0.3"}, {"port", 9}, {"protocol", "tcp"}}},
          {"process",
           {{"pid", 4242}, {"comm", "curl"}, {"exe", "/usr/bin/curl"}, {"cgroup", "/fleet"}}}};
}

TEST(AlertFromEvent, ADeniedConnectIsABlockAlertKeepingItsFields) {
  auto a = alertFromEvent(deniedConnect(), 7);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->action(), "block");
  EXPECT_EQ(a->severity(), sluice::v1::SEVERITY_HIGH);
  EXPECT_EQ(a->rule(), "blocked-loopback");
  EXPECT_EQ(a->vendor(), "blocked-loopback");
  EXPECT_EQ(a->reason(), "denied-destination");
  EXPECT_EQ(a->dest_ip(), "127.0.0.3");
  EXPECT_EQ(a->dest_port(), 9u);
  EXPECT_EQ(a->pid(), 4242u);
  EXPECT_EQ(a->process(), "curl");
  EXPECT_EQ(a->exe(), "/usr/bin/curl");
  EXPECT_EQ(a->cgroup(), "/fleet");
  EXPECT_EQ(a->policy_version(), 7u);
  EXPECT_EQ(nlohmann::json::parse(a->detail_json()), deniedConnect());
}

TEST(AlertFromEvent, AllowedEventsAreNotAlertsAndAlertKindsAre) {
  auto allowed = deniedConnect();
  allowed["verdict"] = "allow";
  EXPECT_FALSE(alertFromEvent(allowed, 1));
  EXPECT_FALSE(alertFromEvent(nlohmann::json::array(), 1));
  nlohmann::json phi = {{"kind", "phi-alert"},
                        {"action", "audit"},
                        {"vendor", "openai"},
                        {"host", "api.openai.com"},
                        {"severity", "critical"},
                        {"reason", "phi"},
                        {"evidence",
                         {{{"phi_type", "ssn"},
                           {"offset", 17},
                           {"length", 11},
                           {"masked_excerpt", "SSN ***-**-6789"}}}}};
  auto a = alertFromEvent(phi, 1);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->action(), "audit");
  EXPECT_EQ(a->severity(), sluice::v1::SEVERITY_CRITICAL);
  EXPECT_EQ(a->vendor(), "openai");
  EXPECT_EQ(a->host(), "api.openai.com");
  ASSERT_EQ(a->evidence_size(), 1);
  EXPECT_EQ(a->evidence(0).masked_excerpt(), "SSN ***-**-6789");
  EXPECT_EQ(a->evidence(0).length(), 11u);
  // Evidence travels in its own (sealed) field only.
  EXPECT_EQ(a->detail_json().find("6789"), std::string::npos);
  EXPECT_TRUE(alertFromEvent({{"kind", "alert"}}, 1));
}

TEST(ControllerAddress, AcceptsAUrlOrHostPort) {
  EXPECT_EQ(controllerAddress("https://ctl.example.org:7443/"), "ctl.example.org:7443");
  EXPECT_EQ(controllerAddress("127.0.0.1:7443"), "127.0.0.1:7443");
}

TEST(ControllerFlags, EnrolNeedsTokenAndFingerprintAndReplacesThePolicyFlag) {
  auto enrol = parseAgentArgs({"--enroll", "https://c:1", "--token", "t", "--ca-sha256", "ab"});
  ASSERT_TRUE(enrol) << enrol.error().message();
  EXPECT_TRUE(enrol->config.managed());
  EXPECT_EQ(enrol->config.enroll_token, "t");
  auto missing = parseAgentArgs({"--enroll", "https://c:1", "--policy", "p"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("--token"), std::string::npos);

  std::string dir =
      std::filesystem::temp_directory_path() / ("sluice-link-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/agent.yaml") << "controller: ctl:7443\n";
  auto file = parseAgentArgs({"--config", dir + "/agent.yaml"});
  ASSERT_TRUE(file) << file.error().message();
  EXPECT_EQ(file->config.controller, "ctl:7443");

  // Not enrolled and no token: the error says how to enrol.
  ControllerLinkOptions o;
  o.address = "127.0.0.1:1";
  o.state_dir = dir;
  auto link = ControllerLink::create(o);
  ASSERT_FALSE(link);
  EXPECT_EQ(link.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(link.error().message().find("--enroll URL --token"), std::string::npos)
      << link.error().message();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sluice::agent
