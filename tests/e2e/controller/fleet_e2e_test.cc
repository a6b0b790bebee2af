// The fleet end to end: a real sluice-controller and real sluice-agent processes, each agent
// scoped to its own child cgroup with its own --state-dir and --bpffs, all on loopback. The
// agents enrol with `--enroll`, enforce what the controller pushes, report blocked
// connections as alerts, spool them while the controller is down, refuse bundles a
// controller impostor replays or signs with another key, and are cut off when revoked.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_util.h"
#include "harness.h"
#include "privileged.h"
#include "sluice/agent/bpf_loader.h"
#include "sluice/agent/cgroup.h"
#include "sluice/agent/local_api.h"
#include "sluice/controller/bundle.h"
#include "sluice/controller/ca.h"
#include "sluice/controller/files.h"

namespace sluice::controller::testing {
namespace {

namespace v1 = sluice::v1;
using namespace std::chrono_literals;
using ::sluice::testing::connectFrom;
using ::sluice::testing::Outcome;
using ::sluice::testing::uniqueName;

// What each agent enforces until the controller pushes something: 127.0.0.3 is open.
const char* kLocalPolicy = R"(apiVersion: sluice.dev/v1
kind: EgressPolicy
metadata: {name: fleet-local}
spec:
  destinations:
    - {name: open-loopback, cidrs: ["127.0.0.3/32"], class: allow}
)";

std::string denyPolicy(const std::string& name) {
  return "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: " + name +
         "}\nspec:\n  destinations:\n    - {name: blocked-loopback, cidrs: [\"127.0.0.3/32\"], "
         "class: deny}\n";
}

// One real sluice-agent process in its own child cgroup, pin directory and state directory.
class RealAgent {
 public:
  RealAgent() {
    auto cg = agent::ScopedCgroup::create(uniqueName("sluice-fleet"));
    if (cg) cgroup_ = std::move(*cg);
    bpffs_ = "/sys/fs/bpf/" + uniqueName("sluice-fleet");
    policy_ = state_.path() + "/local-policy.yaml";
    std::ofstream(policy_) << kLocalPolicy;
  }
  ~RealAgent() {
    stop();
    (void)agent::ConnectEnforcer::uninstall(bpffs_);
  }
  RealAgent(const RealAgent&) = delete;
  RealAgent& operator=(const RealAgent&) = delete;

  bool ready() const { return cgroup_ != nullptr; }
  const std::string& cgroup() const { return cgroup_->path(); }
  std::string stateDir() const { return state_.path() + "/state"; }
  std::string log() const { return readFile(state_.path() + "/agent.log").valueOr(""); }

  // With `local_policy` false the agent has only what its state dir and the controller give.
  void start(const std::vector<std::string>& extra, bool local_policy = true) {
    std::vector<std::string> args = {"sluice-agent", "--scope",      cgroup_->scope(),
                                     "--bpffs",      bpffs_,         "--state-dir",
                                     stateDir(),     "--log-format", "json"};
    if (local_policy) args.insert(args.end(), {"--policy", policy_});
    args.insert(args.end(), extra.begin(), extra.end());
    std::string binary = ::sluice::testing::buildDir() + "/agent/sluice-agent";
    std::string out = state_.path() + "/agent.log";
    pid_ = fork();
    if (pid_ == 0) {
      if (!std::freopen(out.c_str(), "a", stdout) || !std::freopen(out.c_str(), "a", stderr)) {
        _exit(126);
      }
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
  }

  // The exit status of an agent that should stop on its own, or -1 if it keeps running.
  int waitExit(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      int st = 0;
      if (waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
      }
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }

  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);  // only ever the agent this test started
    if (waitExit(10s) < 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

  nlohmann::json status() const {
    nlohmann::json out;
    (void)agent::localApiRequest(stateDir() + "/agent.sock", {{"cmd", "status"}},
                                 [&](const std::string& l) {
                                   out = nlohmann::json::parse(l, nullptr, false);
                                   return false;
                                 });
    return out;
  }

  bool waitFor(const std::function<bool(const nlohmann::json&)>& ok,
               std::chrono::milliseconds limit = 15s) const {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      auto st = status();
      if (st.is_object() && ok(st)) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  bool waitForPolicy(const std::string& name, uint64_t version) const {
    return waitFor([&](const nlohmann::json& st) {
      return st["policy"]["name"] == name && st["controller"]["policy_version"] == version;
    });
  }

  std::string agentId() const { return status()["controller"].value("agent_id", ""); }

 private:
  TempDir state_;
  std::unique_ptr<agent::ScopedCgroup> cgroup_;
  std::string bpffs_;
  std::string policy_;
  pid_t pid_ = -1;
};

class FleetE2eTest : public ControllerE2eTest {
 protected:
  void SetUp() override {
    SLUICE_REQUIRE_ROOT();
    ControllerE2eTest::SetUp();
  }

  std::string fingerprint() const {
    auto pem = readFile(ctl_->dataDir() + "/data/ca.crt");
    auto key = readFile(ctl_->dataDir() + "/data/ca.key");
    return CertificateAuthority::load(*pem, *key)->fingerprintSha256();
  }

  std::vector<std::string> enrolArgs(const std::string& token) const {
    return {"--enroll",   "https://" + ctl_->address() + "/", "--token", token, "--ca-sha256",
            fingerprint()};
  }

  // Starts an agent enrolled with a fresh token and waits until it is connected.
  ::testing::AssertionResult startEnrolled(RealAgent& agent) {
    if (!agent.ready()) return ::testing::AssertionFailure() << "cannot create a child cgroup";
    auto token = ctl_->createToken("1h", "env=e2e");
    if (!token) return ::testing::AssertionFailure() << token.error().toString();
    agent.start(enrolArgs(*token));
    if (!agent.waitFor([](const nlohmann::json& st) {
          return st.value("enforcing", false) && st["controller"]["state"] == "connected";
        })) {
      return ::testing::AssertionFailure() << "agent never connected:\n" << agent.log();
    }
    return ::testing::AssertionSuccess();
  }

  ::testing::AssertionResult pushFile(const std::string& yaml, const std::string& flags = "") {
    std::string file = ctl_->dataDir() + "/push.yaml";
    if (!writeFileAtomic(file, yaml, 0644)) return ::testing::AssertionFailure() << "write";
    auto pushed = ctl_->cli("policy push " + file + flags);
    if (pushed.status != 0) return ::testing::AssertionFailure() << pushed.out;
    return ::testing::AssertionSuccess();
  }

  nlohmann::json alertsOf(const std::string& agent_id) {
    auto listed = ctl_->cli("alerts list --json --limit 5000 --agent " + agent_id);
    if (listed.status != 0) return nlohmann::json::array();
    return nlohmann::json::parse(listed.out, nullptr, false)
        .value("alerts", nlohmann::json::array());
  }
};

TEST_P(FleetE2eTest, TwoAgentsEnrolEnforceAPushAndReportTheBlockedConnection) {
  RealAgent a, b, reuser;
  ASSERT_TRUE(a.ready() && b.ready() && reuser.ready());
  auto token_a = ctl_->createToken("1h", "env=e2e");
  auto token_b = ctl_->createToken("1h", "env=e2e");
  ASSERT_TRUE(token_a && token_b);
  a.start(enrolArgs(*token_a));
  b.start(enrolArgs(*token_b));
  for (RealAgent* agent : {&a, &b}) {
    ASSERT_TRUE(agent->waitFor([](const nlohmann::json& st) {
      return st["controller"]["state"] == "connected";
    })) << agent->log();
  }

  // A token is good once: a third agent presenting A's token is refused and says why.
  reuser.start(enrolArgs(*token_a));
  EXPECT_EQ(reuser.waitExit(20s), 1);
  EXPECT_NE(reuser.log().find("already used"), std::string::npos) << reuser.log();

  // Before the push, the local policy leaves 127.0.0.3 open (refused: nothing listens).
  EXPECT_EQ(connectFrom(a.cgroup(), "127.0.0.3", 9), Outcome::kOtherError);
  ASSERT_TRUE(pushFile(denyPolicy("fleet-deny")));
  for (RealAgent* agent : {&a, &b}) {
    ASSERT_TRUE(agent->waitForPolicy("fleet-deny", 1)) << agent->status().dump() << agent->log();
    EXPECT_EQ(connectFrom(agent->cgroup(), "127.0.0.3", 9), Outcome::kDenied);
  }

  // The blocked connection is an alert within 2 s.
  std::string id_b = b.agentId();
  pid_t child = 0;
  auto blocked_at = std::chrono::steady_clock::now();
  ASSERT_EQ(connectFrom(b.cgroup(), "127.0.0.3", 9, &child), Outcome::kDenied);
  nlohmann::json found;
  while (found.is_null() && std::chrono::steady_clock::now() - blocked_at < 5s) {
    for (const auto& alert : alertsOf(id_b)) {
      if (alert["detail"].value("pid", 0) == child) found = alert;
    }
  }
  auto took = std::chrono::steady_clock::now() - blocked_at;
  ASSERT_FALSE(found.is_null()) << "no alert for pid " << child;
  EXPECT_LT(took, 2s) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  EXPECT_EQ(found["detail"]["dest_ip"], "127.0.0.3");
  EXPECT_EQ(found["detail"]["action"], "block");
  EXPECT_EQ(found["detail"]["rule"], "blocked-loopback");
  EXPECT_EQ(found["detail"]["policy_version"], "1");  // uint64 is a string in proto JSON
  auto detail = nlohmann::json::parse(found["detail"].value("detail_json", "{}"));
  EXPECT_EQ(detail["verdict"], "deny");

  // Both report the version they run in their heartbeats.
  auto deadline = std::chrono::steady_clock::now() + 20s;
  nlohmann::json agents;
  while (std::chrono::steady_clock::now() < deadline) {
    agents = nlohmann::json::parse(ctl_->cli("agents list --json").out)["agents"];
    int running = 0;
    for (const auto& ag : agents) running += ag.value("policy_version", "0") == "1" ? 1 : 0;
    if (running == 2) break;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_EQ(agents.size(), 2u);
  for (const auto& ag : agents) {
    EXPECT_EQ(ag.value("policy_version", "0"), "1") << ag.dump();
    EXPECT_EQ(ag["online"], true);
  }
}

TEST_P(FleetE2eTest, AThousandBlockedEventsWhileTheControllerIsDownArriveExactlyOnce) {
  RealAgent agent;
  ASSERT_TRUE(startEnrolled(agent));
  ASSERT_TRUE(pushFile(denyPolicy("fleet-deny")));
  ASSERT_TRUE(agent.waitForPolicy("fleet-deny", 1)) << agent.log();
  std::string id = agent.agentId();
  int port = ctl_->port();
  ctl_->stop(/*crash=*/true);

  // 1,000 denied connects (alternating with 1,000 allowed ones to 127.0.0.1).
  int wrong = ::sluice::testing::connectLoopViolations(agent.cgroup(), "127.0.0.1", "127.0.0.3", 9,
                                                       2000, 200);
  ASSERT_EQ(wrong, 0);
  ASSERT_TRUE(agent.waitFor([](const nlohmann::json& st) {
    return st["counters"].value("denied", uint64_t{0}) >= 1000 &&
           st["controller"].value("spool_batches", uint64_t{0}) > 0;
  })) << agent.status().dump();
  EXPECT_EQ(agent.status()["counters"].value("events_lost", uint64_t{1}), 0u);

  ASSERT_TRUE(ctl_->start(port));
  nlohmann::json alerts;
  auto deadline = std::chrono::steady_clock::now() + 60s;
  while (std::chrono::steady_clock::now() < deadline) {
    alerts = alertsOf(id);
    if (alerts.size() >= 1000) break;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_TRUE(agent.waitFor([](const nlohmann::json& st) {
    return st["controller"].value("spool_batches", uint64_t{1}) == 0;
  }));
  alerts = alertsOf(id);
  EXPECT_EQ(alerts.size(), 1000u) << agent.status()["controller"].dump();
  std::set<std::string> ids;
  for (const auto& a : alerts) ids.insert(a["id"].get<std::string>());
  EXPECT_EQ(ids.size(), alerts.size());
}

TEST_P(FleetE2eTest, AnAgentEnrolledOnceNeedsOnlyItsStateDirToTakeTheControllersPolicy) {
  ASSERT_TRUE(pushFile(denyPolicy("fleet-deny")));
  RealAgent agent;
  ASSERT_TRUE(agent.ready());
  std::string command = ::sluice::testing::buildDir() + "/agent/sluice-agent --enroll-only" +
                        " --state-dir " + agent.stateDir();
  for (const auto& a : enrolArgs(*ctl_->createToken("1h", ""))) command += " " + a;
  auto enrolled = runCapture(command);
  ASSERT_EQ(enrolled.status, 0) << enrolled.out;
  EXPECT_NE(enrolled.out.find("enrolled with " + ctl_->address()), std::string::npos);

  agent.start({}, /*local_policy=*/false);
  ASSERT_TRUE(agent.waitForPolicy("fleet-deny", 1)) << agent.log();
  EXPECT_EQ(connectFrom(agent.cgroup(), "127.0.0.3", 9), Outcome::kDenied);
}

TEST_P(FleetE2eTest, APolicyPushedToBeAuditedFirstBlocksNothingUntilPushedWithout) {
  RealAgent agent;
  ASSERT_TRUE(startEnrolled(agent));
  ASSERT_TRUE(pushFile(denyPolicy("fleet-audit-first"), " --audit-first"));
  ASSERT_TRUE(agent.waitForPolicy("fleet-audit-first", 1)) << agent.log();
  EXPECT_EQ(agent.status()["policy"]["mode"], "audit") << agent.status().dump();
  EXPECT_EQ(connectFrom(agent.cgroup(), "127.0.0.3", 9), Outcome::kOtherError)
      << "audited, not denied (refused: nothing listens)";
  // It stays in audit mode across a restart (the bundle says so), ...
  agent.stop();
  agent.start({}, /*local_policy=*/false);
  ASSERT_TRUE(agent.waitForPolicy("fleet-audit-first", 1)) << agent.log();
  EXPECT_EQ(agent.status()["policy"]["mode"], "audit");
  // ... and the same policy pushed without the flag is enforced.
  ASSERT_TRUE(pushFile(denyPolicy("fleet-audit-first")));
  ASSERT_TRUE(agent.waitForPolicy("fleet-audit-first", 2)) << agent.log();
  EXPECT_EQ(agent.status()["policy"]["mode"], "enforce");
  EXPECT_EQ(connectFrom(agent.cgroup(), "127.0.0.3", 9), Outcome::kDenied);
}

// A controller impostor: real TLS from the real CA, replaying a genuine but older bundle and
// serving one signed with another key. The agent must refuse both and keep what it has.
class ImpostorAgentService final : public v1::AgentService::Service {
 public:
  explicit ImpostorAgentService(std::vector<v1::PolicyBundle> bundles)
      : bundles_(std::move(bundles)) {}
  grpc::Status WatchPolicy(grpc::ServerContext* context, const v1::WatchPolicyRequest*,
                           grpc::ServerWriter<v1::PolicyBundle>* writer) override {
    for (const auto& b : bundles_) writer->Write(b);
    while (!context->IsCancelled()) std::this_thread::sleep_for(50ms);
    return grpc::Status::OK;
  }

 private:
  std::vector<v1::PolicyBundle> bundles_;
};

TEST_P(FleetE2eTest, WrongKeyAndOlderBundlesAreRefusedAndTheCurrentPolicyStays) {
  // A test agent records the genuine v1 bundle for the replay.
  auto recorder = ctl_->enrol(*ctl_->createToken("1h", ""), "recorder");
  ASSERT_TRUE(recorder);
  PolicyWatcher watch(recorder->channel);
  RealAgent agent;
  ASSERT_TRUE(startEnrolled(agent));
  ASSERT_TRUE(pushFile(denyPolicy("fleet-v1")));
  ASSERT_TRUE(watch.waitForVersion(1, 5000));
  ASSERT_TRUE(pushFile(denyPolicy("fleet-v2")));
  ASSERT_TRUE(agent.waitForPolicy("fleet-v2", 2)) << agent.log();
  agent.stop();

  v1::PolicyBundle replayed = watch.bundles().front();
  v1::PolicyBundleBody body;
  ASSERT_TRUE(body.ParseFromString(replayed.body()));
  ASSERT_EQ(body.version(), 1u);
  body.set_version(9);
  body.set_policy_name("impostor");
  body.set_policy_yaml(kLocalPolicy);
  auto other_key = crypto::Ed25519Key::generate();
  ASSERT_TRUE(other_key);
  v1::PolicyBundle forged;
  forged.set_body(body.SerializeAsString());
  forged.set_signature(*other_key->sign(bundleSigningMessage(forged.body())));
  forged.set_key_id(other_key->keyId());

  auto ca = CertificateAuthority::load(*readFile(ctl_->dataDir() + "/data/ca.crt"),
                                       *readFile(ctl_->dataDir() + "/data/ca.key"));
  ASSERT_TRUE(ca);
  auto server_cert = ca->issueServerCert("127.0.0.1", {"127.0.0.1"}, std::time(nullptr), 3600);
  ASSERT_TRUE(server_cert);
  grpc::SslServerCredentialsOptions tls(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  tls.pem_root_certs = ca->certPem();
  tls.pem_key_cert_pairs.push_back({server_cert->second, server_cert->first.pem});
  ImpostorAgentService impostor({replayed, forged});
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(tls), &port);
  builder.RegisterService(&impostor);
  auto server = builder.BuildAndStart();
  ASSERT_TRUE(server && port > 0);

  agent.start({"--controller", "127.0.0.1:" + std::to_string(port)});
  bool refused = agent.waitFor([](const nlohmann::json& st) {
    return st["controller"].value("bundles_refused", uint64_t{0}) >= 2;
  });
  auto st = agent.status();
  server->Shutdown(std::chrono::system_clock::now() + 1s);
  ASSERT_TRUE(refused) << st.dump() << agent.log();
  EXPECT_EQ(st["policy"]["name"], "fleet-v2");
  EXPECT_EQ(st["controller"]["policy_version"], 2u);
  std::string log = agent.log();
  EXPECT_NE(log.find("rollback refused"), std::string::npos) << log;
  EXPECT_NE(log.find("signature"), std::string::npos) << log;
  EXPECT_EQ(connectFrom(agent.cgroup(), "127.0.0.3", 9), Outcome::kDenied);
}

TEST_P(FleetE2eTest, ARevokedAgentIsRefusedAndKeepsEnforcingItsLastPolicy) {
  RealAgent agent;
  ASSERT_TRUE(startEnrolled(agent));
  ASSERT_TRUE(pushFile(denyPolicy("fleet-deny")));
  ASSERT_TRUE(agent.waitForPolicy("fleet-deny", 1)) << agent.log();
  auto revoked = ctl_->cli("agents revoke " + agent.agentId() + " --reason e2e");
  ASSERT_EQ(revoked.status, 0) << revoked.out;
  ASSERT_TRUE(agent.waitFor([](const nlohmann::json& st) {
    return st["controller"]["state"] == "revoked";
  })) << agent.status().dump();
  // Its alerts are refused (they stay spooled); enforcement does not depend on the controller.
  EXPECT_EQ(connectFrom(agent.cgroup(), "127.0.0.3", 9), Outcome::kDenied);
  ASSERT_TRUE(agent.waitFor([](const nlohmann::json& st) {
    return st["controller"].value("spool_batches", uint64_t{0}) > 0;
  }));
  EXPECT_TRUE(alertsOf(agent.agentId()).empty());
  EXPECT_EQ(agent.status()["controller"]["state"], "revoked");
}

INSTANTIATE_TEST_SUITE_P(Backends, FleetE2eTest, ::testing::Values("sqlite", "postgres"),
                         backendName);

}  // namespace
}  // namespace sluice::controller::testing
