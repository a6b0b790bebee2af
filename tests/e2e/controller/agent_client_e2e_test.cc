// The agent-side library against a real controller: enrolment with the CA pinned by
// fingerprint (and refused with a wrong one), the persisted identity, renewal, and bundles
// from a live WatchPolicy stream through the BundleGuard.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>

#include "e2e_util.h"
#include "sluice/controller/agent_client.h"
#include "sluice/controller/ca.h"
#include "sluice/controller/event_spool.h"
#include "sluice/controller/files.h"

namespace sluice::controller::testing {
namespace {

std::string caFingerprint(const ControllerProcess& ctl) {
  auto pem = readFile(ctl.dataDir() + "/data/ca.crt");
  auto key = readFile(ctl.dataDir() + "/data/ca.key");
  return CertificateAuthority::load(*pem, *key)->fingerprintSha256();
}

TEST_P(ControllerE2eTest, AgentLibraryEnrolsWithPinnedCaRenewsAndGuardsBundles) {
  TempDir state;
  EnrollRequestOptions options{ctl_->address(), *ctl_->createToken("1h", "env=prod"),
                               caFingerprint(*ctl_), "lib-host", "e2e"};
  auto wrong = options;
  wrong.ca_sha256 = std::string(64, 'a');
  auto refused = enrollAgent(wrong, state.path());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kUnauthenticated) << refused.error().toString();

  auto id = enrollAgent(options, state.path());
  ASSERT_TRUE(id) << id.error().toString();
  auto loaded = loadAgentIdentity(state.path());
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->agent_id, id->agent_id);
  EXPECT_NE(loaded->labels_json.find("prod"), std::string::npos);
  EXPECT_FALSE(renewalDue(*loaded, std::time(nullptr)));
  EXPECT_TRUE(renewalDue(*loaded, loaded->not_after_unix - 3600));

  auto renewed = renewAgent(ctl_->address(), *loaded, state.path());
  ASSERT_TRUE(renewed) << renewed.error().toString();
  EXPECT_NE(renewed->key_pem, loaded->key_pem);
  EXPECT_EQ(*certificateCommonName(readFile(state.path() + "/agent.crt").valueOr("")),
            id->agent_id);

  auto channel = agentChannel(ctl_->address(), *loadAgentIdentity(state.path()));
  auto guard = BundleGuard::open(state.path(), renewed->policy_key_pem);
  ASSERT_TRUE(guard);
  PolicyWatcher watch(channel);
  ASSERT_TRUE(push(policyYaml("lib-v1"), "env=prod"));
  ASSERT_TRUE(watch.waitForVersion(1, 5000));
  auto accepted = guard->accept(watch.bundles().back(), std::time(nullptr));
  ASSERT_TRUE(accepted) << accepted.error().toString();
  EXPECT_EQ(accepted->policy_name(), "lib-v1");
  ASSERT_TRUE(push(policyYaml("lib-v2"), ""));
  ASSERT_TRUE(watch.waitForVersion(2, 5000));
  ASSERT_TRUE(guard->accept(watch.bundles().back(), std::time(nullptr)));
  EXPECT_FALSE(guard->accept(watch.bundles().front(), std::time(nullptr)));  // v1 again
  EXPECT_EQ(BundleGuard::open(state.path(), renewed->policy_key_pem)->currentVersion(), 2u);
}

TEST_P(ControllerE2eTest, SpooledEventsReachARestartedControllerExactlyOnce) {
  TempDir state;
  EnrollRequestOptions options{ctl_->address(), *ctl_->createToken("1h", ""), caFingerprint(*ctl_),
                               "spool-host", "e2e"};
  auto id = enrollAgent(options, state.path());
  ASSERT_TRUE(id) << id.error().toString();
  auto spool = EventSpool::open(state.path() + "/spool");
  ASSERT_TRUE(spool);
  int port = ctl_->port();
  ctl_->stop();
  // The controller is away: everything goes to the spool.
  for (int first = 0; first < 200; first += 20) {
    ASSERT_TRUE(spool->append(alertBatch("sp-", first, 20)));
  }
  auto channel = agentChannel(ctl_->address(), *id);
  auto first = spool->oldest();
  ASSERT_TRUE(first && *first);
  EXPECT_FALSE(sendBatch(channel, (*first)->batch));  // unreachable: stays spooled
  ASSERT_TRUE(ctl_->start(port));
  int delivered = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    auto next = spool->oldest();
    ASSERT_TRUE(next);
    if (!*next) break;
    auto acks = sendBatch(channel, (*next)->batch);
    if (!acks) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    ASSERT_TRUE(spool->remove((*next)->seq));
    delivered += static_cast<int>(acks->size());
  }
  EXPECT_EQ(delivered, 200);
  EXPECT_EQ(spool->batches(), 0u);
  auto listed = ctl_->cli("alerts list --json --limit 1000");
  ASSERT_EQ(listed.status, 0);
  EXPECT_EQ(nlohmann::json::parse(listed.out)["alerts"].size(), 200u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ControllerE2eTest, ::testing::Values("sqlite", "postgres"),
                         backendName);

}  // namespace
}  // namespace sluice::controller::testing
