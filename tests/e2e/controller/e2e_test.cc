// A real sluice-controller process on loopback with real TLS, driven by test agents (mutual
// TLS) and by sluicectl, on SQLite and on PostgreSQL.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "e2e_util.h"
#include "sluice/controller/crypto.h"
#include "sluice/controller/files.h"
#include "sluice/controller/policy_store.h"

namespace sluice::controller::testing {
namespace {

namespace v1 = sluice::v1;

TEST_P(ControllerE2eTest, EnrolmentRefusesReusedExpiredAndUnknownTokens) {
  auto token = ctl_->createToken("1h", "env=prod,team=radiology");
  ASSERT_TRUE(token);
  auto agent = ctl_->enrol(*token, "host-a");
  ASSERT_TRUE(agent) << agent.error().toString();

  auto reused = ctl_->enrol(*token, "host-b");
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(reused.error().message().find("already used"), std::string::npos)
      << reused.error().message();

  auto short_lived = ctl_->createToken("1s", "");
  ASSERT_TRUE(short_lived);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  auto expired = ctl_->enrol(*short_lived, "host-c");
  ASSERT_FALSE(expired);
  EXPECT_NE(expired.error().message().find("expired"), std::string::npos);

  auto unknown = ctl_->enrol("set_0000", "host-d");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::kUnauthenticated);

  // The issued certificate works for mutual TLS, and the heartbeat makes the agent online.
  auto acks = sendBatch(agent->channel, heartbeat("hb-1", 0));
  ASSERT_TRUE(acks) << acks.error().toString();
  auto listed = ctl_->cli("agents list --json");
  ASSERT_EQ(listed.status, 0) << listed.out;
  auto json = nlohmann::json::parse(listed.out);
  ASSERT_EQ(json["agents"].size(), 1u);
  EXPECT_EQ(json["agents"][0]["id"], agent->id);
  EXPECT_EQ(json["agents"][0]["online"], true);
  EXPECT_EQ(json["agents"][0]["labels"]["team"], "radiology");

  auto tokens = ctl_->cli("enroll-token list --json");
  ASSERT_EQ(tokens.status, 0);
  EXPECT_EQ(nlohmann::json::parse(tokens.out)["tokens"].size(), 2u);
}

TEST_P(ControllerE2eTest, SignedPolicyReachesMatchingAgentsAndRollbackMovesForward) {
  auto prod = ctl_->enrol(*ctl_->createToken("1h", "env=prod"), "prod-1");
  auto dev = ctl_->enrol(*ctl_->createToken("1h", "env=dev"), "dev-1");
  ASSERT_TRUE(prod && dev);
  PolicyWatcher prod_watch(prod->channel);
  PolicyWatcher dev_watch(dev->channel);

  auto v1 = push(policyYaml("fleet-v1"), "");
  ASSERT_TRUE(v1) << v1.error().toString();
  EXPECT_EQ(v1->version(), 1u);
  ASSERT_TRUE(prod_watch.waitForVersion(1, 5000));
  ASSERT_TRUE(dev_watch.waitForVersion(1, 5000));

  // What an agent must do: verify with the key it got at enrolment; any other key fails.
  auto key = crypto::Ed25519Key::fromPublicPem(prod->policy_public_key_pem);
  ASSERT_TRUE(key);
  auto bundle = prod_watch.bundles().front();
  auto body = verifyBundle(bundle, *key);
  ASSERT_TRUE(body) << body.error().toString();
  EXPECT_EQ(body->policy_name(), "fleet-v1");
  EXPECT_GT(body->expires_at_unix(), body->issued_at_unix());
  EXPECT_FALSE(verifyBundle(bundle, *crypto::Ed25519Key::generate()));

  auto v2 = push(policyYaml("prod-only"), "env=prod");
  ASSERT_TRUE(v2);
  ASSERT_TRUE(prod_watch.waitForVersion(2, 5000));
  EXPECT_FALSE(dev_watch.waitForVersion(2, 1000)) << "a prod-only policy reached a dev agent";

  auto invalid = push("kind: EgressPolicy\nspec: [", "");
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(invalid.error().message().find("e2e.yaml:"), std::string::npos)
      << invalid.error().message();

  // Rollback re-issues v1's content as v3, so agents that refuse older versions take it.
  auto stub = v1::PolicyService::NewStub(adminChannel());
  v1::RollbackPolicyRequest rb;
  rb.set_version(1);
  v1::RollbackPolicyResponse rb_resp;
  ASSERT_TRUE(stub->RollbackPolicy(makeContext(adminOptions()).get(), rb, &rb_resp).ok());
  EXPECT_EQ(rb_resp.policy().version(), 3u);
  EXPECT_EQ(rb_resp.policy().rollback_of(), 1u);
  ASSERT_TRUE(dev_watch.waitForVersion(3, 5000));
  auto dev_latest = *verifyBundle(dev_watch.bundles().back(), *key);
  EXPECT_EQ(dev_latest.version(), 3u);
  EXPECT_EQ(dev_latest.policy_sha256(), body->policy_sha256());

  // Agents report what they run; status shows it against what they should run.
  ASSERT_TRUE(sendBatch(prod->channel, heartbeat("hb-p", 3)));
  ASSERT_TRUE(sendBatch(dev->channel, heartbeat("hb-d", 1)));
  v1::GetPolicyStatusResponse status;
  ASSERT_TRUE(stub->GetPolicyStatus(makeContext(adminOptions()).get(), {}, &status).ok());
  EXPECT_EQ(status.latest_version(), 3u);
  ASSERT_EQ(status.agents_size(), 2);
  for (const auto& a : status.agents()) {
    EXPECT_EQ(a.target_version(), 3u);
    EXPECT_EQ(a.running_version(), a.agent_id() == prod->id ? 3u : 1u);
  }
  v1::ListPolicyHistoryResponse history;
  ASSERT_TRUE(stub->ListPolicyHistory(makeContext(adminOptions()).get(), {}, &history).ok());
  EXPECT_EQ(history.versions_size(), 3);
}

TEST_P(ControllerE2eTest, SluicectlPolicyCommandsDriveTheController) {
  std::string file = ctl_->dataDir() + "/cli-policy.yaml";
  ASSERT_TRUE(writeFileAtomic(file, policyYaml("cli-v1"), 0644));
  auto pushed = ctl_->cli("policy push " + file + " --labels env=prod --audit-first");
  ASSERT_EQ(pushed.status, 0) << pushed.out;
  EXPECT_NE(pushed.out.find("as version 1"), std::string::npos) << pushed.out;
  auto history = ctl_->cli("policy history --json");
  ASSERT_EQ(history.status, 0);
  auto versions = nlohmann::json::parse(history.out)["versions"];
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0]["selector"], "env=prod");
  EXPECT_EQ(versions[0]["audit_first"], true);
  auto rolled = ctl_->cli("policy rollback 1");
  ASSERT_EQ(rolled.status, 0) << rolled.out;
  auto shown = ctl_->cli("policy show 2");
  ASSERT_EQ(shown.status, 0);
  EXPECT_NE(shown.out.find("name: cli-v1"), std::string::npos);
  EXPECT_EQ(ctl_->cli("policy status").status, 0);
  // A responder may read policy but not push it.
  auto responder = ctl_->createPerson("resp", "responder");
  ASSERT_TRUE(responder);
  EXPECT_NE(ctl_->cliAs(*responder, "policy push " + file).status, 0);
  EXPECT_EQ(ctl_->cliAs(*responder, "policy history").status, 0);
}

TEST_P(ControllerE2eTest, AlertsArriveOnceWithSealedEvidenceAndAreTriaged) {
  auto agent = ctl_->enrol(*ctl_->createToken("1h", ""), "host-a");
  ASSERT_TRUE(agent);
  for (int first = 0; first < 50; first += 10) {
    auto acks = sendBatch(agent->channel, alertBatch("al-", first, 10));
    ASSERT_TRUE(acks) << acks.error().toString();
    EXPECT_EQ(acks->size(), 10u);
  }
  ASSERT_TRUE(sendBatch(agent->channel, alertBatch("al-", 0, 50)));  // redelivered
  auto listed = ctl_->cli("alerts list --since 1h --severity high --json --limit 500");
  ASSERT_EQ(listed.status, 0) << listed.out;
  auto alerts = nlohmann::json::parse(listed.out)["alerts"];
  ASSERT_EQ(alerts.size(), 50u);
  EXPECT_TRUE(alerts[0]["detail"]["evidence"].empty());

  if (GetParam() == "sqlite") {
    for (const char* file : {"/data/controller.db", "/data/controller.db-wal"}) {
      auto bytes = readFile(ctl_->dataDir() + file).valueOr("");
      EXPECT_EQ(bytes.find("***-**-6789"), std::string::npos) << "evidence in clear in " << file;
    }
  }

  auto shown = ctl_->cli("alerts show al-7 --json");
  ASSERT_EQ(shown.status, 0) << shown.out;
  auto alert = nlohmann::json::parse(shown.out);
  EXPECT_EQ(alert["detail"]["evidence"][0]["masked_excerpt"], "SSN ***-**-6789");
  EXPECT_EQ(ctl_->cli("alerts ack al-7 --note looking").status, 0);
  EXPECT_EQ(ctl_->cli("alerts assign al-7 --to carol").status, 0);
  auto resolved = ctl_->cli("alerts resolve al-7 --note 'test data, not PHI'");
  ASSERT_EQ(resolved.status, 0);
  EXPECT_NE(resolved.out.find("resolved"), std::string::npos);
  auto open_alerts = ctl_->cli("alerts list --status open --json --limit 500");
  EXPECT_EQ(nlohmann::json::parse(open_alerts.out)["alerts"].size(), 49u);
  EXPECT_NE(ctl_->cli("alerts show al-999").status, 0);

  auto audit = ctl_->cli("audit list --limit 1000 --json");
  ASSERT_EQ(audit.status, 0);
  std::vector<std::string> actions;
  auto entries = nlohmann::json::parse(audit.out)["entries"];
  for (const auto& e : entries) {
    actions.push_back(e["action"].get<std::string>());
  }
  EXPECT_GT(actions.size(), 5u) << audit.out.substr(0, 300);
  for (const char* expected : {"alert.evidence.view", "alert.ack", "alert.assign", "alert.resolve",
                               "agent.enroll", "auth.login"}) {
    EXPECT_NE(std::find(actions.begin(), actions.end(), expected), actions.end()) << expected;
  }
}

TEST_P(ControllerE2eTest, RevokedAgentIsCutOffAtOnce) {
  auto agent = ctl_->enrol(*ctl_->createToken("1h", ""), "host-a");
  ASSERT_TRUE(agent);
  ASSERT_TRUE(sendBatch(agent->channel, heartbeat("hb-1", 0)));
  PolicyWatcher watch(agent->channel);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto revoked = ctl_->cli("agents revoke " + agent->id + " --reason e2e");
  ASSERT_EQ(revoked.status, 0) << revoked.out;

  auto ended = watch.waitForEnd(5000);
  EXPECT_EQ(ended.error_code(), grpc::StatusCode::PERMISSION_DENIED) << ended.error_message();
  auto refused = sendBatch(agent->channel, heartbeat("hb-2", 0));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kPermissionDenied);

  auto stub = v1::AgentService::NewStub(agent->channel);
  v1::RenewRequest renew;
  renew.set_csr_pem(*makeCsr(*generateEcKeyPem(), "x"));
  v1::RenewResponse renewed;
  grpc::ClientContext ctx;
  EXPECT_EQ(stub->Renew(&ctx, renew, &renewed).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  auto listed = nlohmann::json::parse(ctl_->cli("agents list --json").out);
  EXPECT_EQ(listed["agents"][0]["status"], "revoked");
}

TEST_P(ControllerE2eTest, AgentRenewsItsCertificate) {
  auto agent = ctl_->enrol(*ctl_->createToken("1h", ""), "host-a");
  ASSERT_TRUE(agent);
  auto stub = v1::AgentService::NewStub(agent->channel);
  v1::RenewRequest req;
  req.set_csr_pem(*makeCsr(*generateEcKeyPem(), "x"));
  v1::RenewResponse resp;
  grpc::ClientContext ctx;
  auto status = stub->Renew(&ctx, req, &resp);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(*certificateCommonName(resp.certificate_pem()), agent->id);
  auto ca = readFile(ctl_->dataDir() + "/data/ca.crt");
  EXPECT_TRUE(verifyCertificate(resp.certificate_pem(), *ca, std::time(nullptr)));
  EXPECT_GE(resp.not_after_unix(), std::time(nullptr) + 24 * 3600 - 60);
}

TEST_P(ControllerE2eTest, AuditVerifyNamesTheRowWithOneChangedByte) {
  ASSERT_TRUE(ctl_->createToken("1h", ""));
  auto ok = ctl_->cli("audit verify");
  ASSERT_EQ(ok.status, 0) << ok.out;
  EXPECT_NE(ok.out.find("intact"), std::string::npos);
  // Entry 2 is "controller.start"; change one byte of it.
  ASSERT_TRUE(tamper("UPDATE audit_log SET action = 'controller.stars' WHERE seq = 2"));
  auto bad = ctl_->cli("audit verify");
  EXPECT_EQ(bad.status, 1) << bad.out;
  EXPECT_NE(bad.out.find("first bad entry 2"), std::string::npos) << bad.out;
}

TEST_P(ControllerE2eTest, ControllerKilledMidStreamLosesAndDuplicatesNothing) {
  auto agent = ctl_->enrol(*ctl_->createToken("1h", ""), "host-a");
  ASSERT_TRUE(agent);
  const int kEvents = 1000;
  const int kBatch = 25;
  int port = ctl_->port();
  // The agent's side of at-least-once delivery: resend a batch until it is acknowledged.
  std::atomic<int> acked{0};
  std::thread sender([&] {
    for (int first = 0; first < kEvents; first += kBatch) {
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      while (std::chrono::steady_clock::now() < deadline) {
        auto acks = sendBatch(agent->channel, alertBatch("ev-", first, kBatch));
        if (acks && acks->size() == static_cast<size_t>(kBatch)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      acked = first + kBatch;
    }
  });
  while (acked < 300) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ctl_->stop(/*crash=*/true);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_TRUE(ctl_->start(port));
  sender.join();
  ASSERT_EQ(acked.load(), kEvents);
  auto listed = ctl_->cli("alerts list --json --limit 5000");
  ASSERT_EQ(listed.status, 0) << listed.out;
  auto alerts = nlohmann::json::parse(listed.out)["alerts"];
  EXPECT_EQ(alerts.size(), static_cast<size_t>(kEvents));
  std::set<std::string> ids;
  for (const auto& a : alerts) ids.insert(a["id"].get<std::string>());
  EXPECT_EQ(ids.size(), static_cast<size_t>(kEvents));
  EXPECT_EQ(ctl_->cli("audit verify").status, 0);
}

TEST_P(ControllerE2eTest, NewAlertsAreExportedToSyslog) {
  ctl_->stop();
  int udp = ::socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  ASSERT_EQ(::bind(udp, reinterpret_cast<sockaddr*>(&addr), len), 0);
  ASSERT_EQ(::getsockname(udp, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  timeval tv{5, 0};
  ::setsockopt(udp, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ASSERT_TRUE(ctl_->start(0, {"--syslog", "udp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)),
                              "--syslog-format", "cef"}));
  auto agent = ctl_->enrol(*ctl_->createToken("1h", ""), "host-a");
  ASSERT_TRUE(agent);
  ASSERT_TRUE(sendBatch(agent->channel, alertBatch("sys-", 0, 2)));
  ASSERT_TRUE(sendBatch(agent->channel, alertBatch("sys-", 0, 2)));  // redelivery: not re-sent
  std::vector<std::string> frames;
  char buf[8192];
  ssize_t n;
  while (frames.size() < 3 && (n = ::recv(udp, buf, sizeof(buf), 0)) > 0) {
    frames.emplace_back(buf, static_cast<size_t>(n));
    tv = {1, 0};  // after the first frame, wait briefly for an unexpected third
    ::setsockopt(udp, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ::close(udp);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_NE(frames[0].find("CEF:0|Sluice|sluice-controller|"), std::string::npos) << frames[0];
  EXPECT_NE(frames[0].find("externalId=sys-0"), std::string::npos) << frames[0];
  EXPECT_EQ(frames[0].find("6789"), std::string::npos) << "evidence left the controller";
}

INSTANTIATE_TEST_SUITE_P(Backends, ControllerE2eTest, ::testing::Values("sqlite", "postgres"),
                         backendName);

}  // namespace
}  // namespace sluice::controller::testing
