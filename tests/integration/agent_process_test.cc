// Privileged: the real sluice-agent binary, scoped to a child cgroup with its own pins and
// state dir, driven the way an operator would: kill -9 and restart, SIGTERM, policy edits,
// sluicectl against its socket, --uninstall.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness.h"
#include "privileged.h"
#include "sluice/agent/bpf_loader.h"
#include "sluice/agent/cgroup.h"
#include "sluice/agent/local_api.h"

namespace sluice::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const char* kDenyPolicy = R"(apiVersion: sluice.dev/v1
kind: EgressPolicy
metadata: {name: restart-test}
spec:
  destinations:
    - {name: blocked-host, cidrs: ["127.0.0.2/32"], class: deny}
)";

const char* kAllowPolicy = R"(apiVersion: sluice.dev/v1
kind: EgressPolicy
metadata: {name: restart-test-open}
spec:
  destinations:
    - {name: opened, cidrs: ["127.0.0.2/32"], class: allow}
)";

class AgentProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SLUICE_REQUIRE_ROOT();
    auto cg = agent::ScopedCgroup::create(uniqueName("sluice-agent-test"));
    ASSERT_TRUE(cg.ok()) << cg.error().message();
    cgroup_ = std::move(*cg);
    bpffs_ = "/sys/fs/bpf/" + uniqueName("sluice-agent-test");
    std::string tmpl = (fs::temp_directory_path() / "sluice-agent-XXXXXX").string();
    state_ = mkdtemp(tmpl.data());
    policy_ = state_ + "/policy.yaml";
    writePolicy(kDenyPolicy);
  }

  void TearDown() override {
    stopAgent(SIGKILL);
    if (!bpffs_.empty() && fs::exists(bpffs_)) (void)agent::ConnectEnforcer::uninstall(bpffs_);
    cgroup_.reset();
    if (!state_.empty()) fs::remove_all(state_);
  }

  void writePolicy(const std::string& text) {
    // Write-then-rename, as config managers do.
    std::ofstream(policy_ + ".tmp") << text;
    fs::rename(policy_ + ".tmp", policy_);
  }

  std::string agentPath() const { return buildDir() + "/agent/sluice-agent"; }
  std::string ctlPath() const { return buildDir() + "/cli/sluicectl"; }

  pid_t startAgent() {
    pid_t pid = fork();
    if (pid == 0) {
      std::string out = state_ + "/agent.out";
      FILE* f = std::freopen(out.c_str(), "a", stdout);
      (void)f;
      execl(agentPath().c_str(), "sluice-agent", "--policy", policy_.c_str(), "--scope",
            cgroup_->scope().c_str(), "--bpffs", bpffs_.c_str(), "--state-dir", state_.c_str(),
            "--log-format", "json", static_cast<char*>(nullptr));
      _exit(127);
    }
    agent_pid_ = pid;
    return pid;
  }

  // Waits until the agent answers status with enforcing=true.
  bool waitEnforcing(std::chrono::milliseconds limit = 10s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      nlohmann::json st = status();
      if (st.is_object() && st.value("enforcing", false)) return true;
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }

  nlohmann::json status() {
    nlohmann::json out;
    (void)agent::localApiRequest(state_ + "/agent.sock", {{"cmd", "status"}},
                                 [&](const std::string& l) {
                                   out = nlohmann::json::parse(l, nullptr, false);
                                   return false;
                                 });
    return out;
  }

  int stopAgent(int sig) {
    if (agent_pid_ <= 0) return -1;
    kill(agent_pid_, sig);  // only ever the agent this test started
    int st = 0;
    waitpid(agent_pid_, &st, 0);
    agent_pid_ = -1;
    return st;
  }

  // Runs sluicectl and returns (exit status, stdout).
  std::pair<int, std::string> ctl(const std::string& args) {
    std::string cmd = ctlPath() + " " + args + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
    int st = pclose(p);
    return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, out};
  }

  std::unique_ptr<agent::ScopedCgroup> cgroup_;
  std::string bpffs_, state_, policy_;
  pid_t agent_pid_ = -1;
};

TEST_F(AgentProcessTest, KillNineRestartLoopNeverOpensAGap) {
  startAgent();
  ASSERT_TRUE(waitEnforcing());
  std::atomic<bool> done{false};
  std::atomic<int> restarts{0};
  std::thread chaos([&] {
    while (!done) {
      stopAgent(SIGKILL);
      ++restarts;
      startAgent();
      waitEnforcing(5s);
      std::this_thread::sleep_for(30ms);
    }
  });
  // 1000 attempts alternating allowed (127.0.0.1) and denied (127.0.0.2): 500 to the denied
  // destination, spread over 10 s so they straddle many kills and restarts (a restart takes
  // about a second: the inline scanner's databases are compiled at start). On a loaded machine
  // a restart takes longer: the attempts go on, 10 s at a time, until five restarts happened.
  int violations = 0;
  for (int round = 0; round < 4 && (round == 0 || restarts < 5); ++round) {
    violations += connectLoopViolations(cgroup_->path(), "127.0.0.1", "127.0.0.2", 9, 1000, 10000);
  }
  done = true;
  chaos.join();
  EXPECT_EQ(violations, 0) << "a denied connect got through (or an allowed one was denied)";
  EXPECT_GE(restarts, 5) << "the agent must have been killed during the attempts";
}

TEST_F(AgentProcessTest, StatusAndEventsThroughSluicectl) {
  startAgent();
  ASSERT_TRUE(waitEnforcing());
  pid_t child = 0;
  ASSERT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", 9, &child), Outcome::kDenied);

  auto [code, out] = ctl("agent status --state-dir " + state_);
  EXPECT_EQ(code, 0) << out;
  auto st = nlohmann::json::parse(out, nullptr, false);
  ASSERT_TRUE(st.is_object()) << out;
  EXPECT_EQ(st["policy"]["name"], "restart-test");
  EXPECT_EQ(st["scope"]["cgroup"], cgroup_->scope());
  EXPECT_EQ(st["programs"].size(), agent::ConnectEnforcer::kProgramCount);
  EXPECT_GE(st["counters"]["denied"].get<uint64_t>(), 1u);

  // The event may take a poll cycle to arrive.
  nlohmann::json event;
  for (int i = 0; i < 100 && event.is_null(); ++i) {
    auto [ecode, eout] = ctl("agent events --socket " + state_ + "/agent.sock");
    EXPECT_EQ(ecode, 0);
    std::istringstream lines(eout);
    std::string line;
    while (std::getline(lines, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j["process"]["pid"] == child) event = j;
    }
    if (event.is_null()) std::this_thread::sleep_for(20ms);
  }
  ASSERT_FALSE(event.is_null()) << "no event for the denied child";
  EXPECT_EQ(event["verdict"], "deny");
  EXPECT_EQ(event["rule"], "blocked-host");
  EXPECT_EQ(event["destination"]["ip"], "127.0.0.2");
  EXPECT_EQ(event["destination"]["port"], 9);
  EXPECT_EQ(event["process"]["user"], "root");
  EXPECT_EQ(event["process"]["cgroup_id"], cgroup_->id());

  // The same event is on the agent's stdout as a JSON line (written a moment later on a loaded
  // machine).
  std::string all;
  bool logged = eventually(
      [&] {
        std::ifstream log(state_ + "/agent.out");
        all.assign(std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>());
        return all.find("\"rule\":\"blocked-host\"") != std::string::npos;
      },
      5s);
  EXPECT_TRUE(logged) << all;

  stopAgent(SIGTERM);
  auto [down_code, down_out] = ctl("agent status --state-dir " + state_);
  EXPECT_EQ(down_code, 3) << "status must fail when the agent is down";
}

TEST_F(AgentProcessTest, InvalidPolicyIsRefusedAndThePreviousOneKept) {
  startAgent();
  ASSERT_TRUE(waitEnforcing());
  writePolicy(
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: broken}\n"
      "spec:\n  destinations:\n    - {name: x, cidrs: [\"300.1.1.1/32\"], class: deny}\n");
  nlohmann::json st;
  for (int i = 0; i < 200; ++i) {
    st = status();
    if (!st["policy"]["last_reload_error"].get<std::string>().empty()) break;
    std::this_thread::sleep_for(20ms);
  }
  std::string err = st["policy"]["last_reload_error"];
  EXPECT_NE(err.find("policy.yaml:6:"), std::string::npos) << "file:line in the error: " << err;
  EXPECT_EQ(st["policy"]["name"], "restart-test");
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", 9), Outcome::kDenied);

  // A valid edit is picked up without a restart.
  uint32_t gen = st["policy"]["generation"];
  writePolicy(kAllowPolicy);
  for (int i = 0; i < 200; ++i) {
    st = status();
    if (st["policy"]["generation"].get<uint32_t>() > gen) break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(st["policy"]["name"], "restart-test-open");
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", 9), Outcome::kOtherError)
      << "allowed now: the connect reaches loopback and is refused there";
}

TEST_F(AgentProcessTest, SigtermLeavesEnforcementAndUninstallRemovesIt) {
  startAgent();
  ASSERT_TRUE(waitEnforcing());
  int st = stopAgent(SIGTERM);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "clean exit on SIGTERM";
  EXPECT_FALSE(fs::exists(state_ + "/agent.sock")) << "socket removed on shutdown";
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", 9), Outcome::kDenied);

  std::string cmd = agentPath() + " --uninstall --bpffs " + bpffs_ + " 2>/dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_FALSE(fs::exists(bpffs_));
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", 9), Outcome::kOtherError);
}

}  // namespace
}  // namespace sluice::testing
