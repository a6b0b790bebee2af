// Privileged: destination identity by name, with the real agent, real TLS servers on
// loopback, curl with --resolve pointing real AI-API hostnames at them, and a loopback DNS
// server. Everything runs in a child cgroup with its own pins and state directory.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
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
using Clock = std::chrono::steady_clock;

std::string policyWith(const std::string& spec) {
  return "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: naming}\nspec:\n"
         "  regions: {allowed: [us]}\n" +
         spec;
}

struct RunResult {
  int exit_code = -1;
  std::string out;
  double ms = 0;           // wall clock, process start to exit
  double transfer_ms = 0;  // curl's own time_total: connect to failure, without exec overhead
};

class NamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SLUICE_REQUIRE_ROOT();
    auto cg = agent::ScopedCgroup::create(uniqueName("sluice-naming"));
    ASSERT_TRUE(cg.ok()) << cg.error().message();
    cgroup_ = std::move(*cg);
    bpffs_ = "/sys/fs/bpf/" + uniqueName("sluice-naming");
    std::string tmpl = (fs::temp_directory_path() / "sluice-naming-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    std::string gen =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test "
        "-keyout " +
        dir_ + "/key.pem -out " + dir_ + "/cert.pem 2>/dev/null";
    ASSERT_EQ(std::system(gen.c_str()), 0);
  }

  void TearDown() override {
    for (pid_t p : children_) {
      kill(p, SIGKILL);  // only processes this test started
      waitpid(p, nullptr, 0);
    }
    if (!bpffs_.empty() && fs::exists(bpffs_)) (void)agent::ConnectEnforcer::uninstall(bpffs_);
    cgroup_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  pid_t spawn(const std::vector<std::string>& argv, const std::string& out_file = "/dev/null") {
    pid_t pid = fork();
    if (pid == 0) {
      FILE* f = std::freopen(out_file.c_str(), "a", stdout);
      (void)f;
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
    children_.push_back(pid);
    return pid;
  }

  // A TLS server on ip:443 answering every request with a small page.
  void tlsServer(const std::string& ip) {
    spawn({"openssl", "s_server", "-accept", ip + ":443", "-cert", dir_ + "/cert.pem", "-key",
           dir_ + "/key.pem", "-www", "-quiet"});
    std::string probe = "bash -c 'echo > /dev/tcp/" + ip + "/443' 2>/dev/null";
    ASSERT_TRUE(eventually([&] { return std::system(probe.c_str()) == 0; }, 10s))
        << "TLS server on " << ip << " did not start";
  }

  // The loopback DNS server of dns_helper.py on addr:53, answering every name with answer;
  // returns once it has bound its sockets.
  void dnsServer(const std::string& addr, const std::string& answer) {
    std::string out = dir_ + "/dns-" + addr + ".out";
    spawn({"python3", dnsHelper(), "serve", addr, answer}, out);
    bool ready = eventually(
        [&] {
          std::ifstream in(out);
          std::string line;
          return std::getline(in, line) && line == "ready";
        },
        10s);
    ASSERT_TRUE(ready) << "DNS server on " << addr << " did not start";
  }

  static std::string dnsHelper() { return sourceDir() + "/tests/integration/dns_helper.py"; }

  void writePolicy(const std::string& text) {
    std::ofstream(dir_ + "/policy.tmp") << text;
    fs::rename(dir_ + "/policy.tmp", dir_ + "/policy.yaml");
  }

  void startAgent(const std::string& policy) {
    writePolicy(policy);
    spawn({buildDir() + "/agent/sluice-agent", "--policy", dir_ + "/policy.yaml", "--scope",
           cgroup_->scope(), "--bpffs", bpffs_, "--state-dir", dir_, "--log-format", "json"},
          dir_ + "/events.jsonl");
    ASSERT_TRUE(eventually([&] { return status().value("enforcing", false); }, 15s))
        << "agent did not start enforcing";
  }

  nlohmann::json status() {
    nlohmann::json out = nlohmann::json::object();
    (void)agent::localApiRequest(dir_ + "/agent.sock", {{"cmd", "status"}},
                                 [&](const std::string& l) {
                                   auto j = nlohmann::json::parse(l, nullptr, false);
                                   if (j.is_object()) out = std::move(j);
                                   return false;
                                 });
    return out;
  }

  // The installed policy's generation, or 0 while the agent does not answer.
  uint32_t generation() {
    static const auto kGeneration = "/policy/generation"_json_pointer;
    auto st = status();
    return st.contains(kGeneration) ? st[kGeneration].get<uint32_t>() : 0;
  }

  // Rewrites the policy and waits until the agent has installed it.
  void reloadTo(const std::string& policy) {
    uint32_t gen = 0;
    ASSERT_TRUE(eventually([&] { return (gen = generation()) != 0; }, 6s))
        << "the agent's status does not answer";
    writePolicy(policy);
    ASSERT_TRUE(eventually([&] { return generation() > gen; }, 6s))
        << "policy reload not picked up";
  }

  // Runs a shell command inside the scope cgroup; returns exit code, stdout and duration.
  RunResult inScope(const std::string& cmd) {
    std::string full =
        "sh -c 'echo $$ > " + cgroup_->path() + "/cgroup.procs && exec " + cmd + "' 2>/dev/null";
    auto t0 = Clock::now();
    FILE* p = popen(full.c_str(), "r");
    RunResult r;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, n);
    int st = pclose(p);
    r.ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
  }

  RunResult curl(const std::string& host, const std::string& ip) {
    RunResult r = inScope(
        "curl -sk --max-time 5 -o /dev/null -w \"%{http_code} %{time_total}\" "
        "--resolve " +
        host + ":443:" + ip + " https://" + host + "/");
    auto space = r.out.find(' ');
    if (space != std::string::npos) {
      r.transfer_ms = std::atof(r.out.c_str() + space + 1) * 1000.0;
      r.out.resize(space);
    }
    return r;
  }

  // The agent's events of a given type for a name. The agent writes them a moment after the
  // fact, later on a loaded machine: waits up to 5 s for the first, then 200 ms more, so that
  // a second one would show too.
  std::vector<nlohmann::json> events(const std::string& type, const std::string& name) {
    if (!eventually([&] { return !eventsNow(type, name).empty(); }, 5s)) return {};
    std::this_thread::sleep_for(200ms);
    return eventsNow(type, name);
  }

  std::vector<nlohmann::json> eventsNow(const std::string& type, const std::string& name) {
    std::vector<nlohmann::json> out;
    std::ifstream in(dir_ + "/events.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_object() && j.value("type", "") == type && j.value("name", "") == name) {
        out.push_back(j);
      }
    }
    return out;
  }

  std::unique_ptr<agent::ScopedCgroup> cgroup_;
  std::string bpffs_, dir_;
  std::vector<pid_t> children_;
};

TEST_F(NamingTest, NoBaaVendorIsBlockedAtTheClientHelloWithinMilliseconds) {
  ASSERT_NO_FATAL_FAILURE(tlsServer("127.0.0.21"));
  ASSERT_NO_FATAL_FAILURE(startAgent(policyWith("")));
  auto r = curl("api.mistral.ai", "127.0.0.21");
  EXPECT_NE(r.exit_code, 0) << "curl must fail, got HTTP " << r.out;
  EXPECT_LT(r.transfer_ms, 100.0) << "the client must fail fast, not hang";
  EXPECT_LT(r.ms, 2000.0);
  auto ev = events("sni", "api.mistral.ai");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0]["verdict"], "deny");
  EXPECT_EQ(ev[0]["connection"], "destroyed");
  EXPECT_EQ(ev[0]["rule"], "vendor:mistral");
  EXPECT_EQ(ev[0]["destination"]["ip"], "127.0.0.21");
  EXPECT_EQ(ev[0]["process"]["comm"].get<std::string>().empty() &&
                ev[0]["process"]["exe"].get<std::string>().empty(),
            false);
}

TEST_F(NamingTest, OpenAiBlockedWithoutBaaAndAllowedOnceSigned) {
  ASSERT_NO_FATAL_FAILURE(tlsServer("127.0.0.22"));
  ASSERT_NO_FATAL_FAILURE(startAgent(policyWith("")));
  EXPECT_NE(curl("api.openai.com", "127.0.0.22").exit_code, 0);
  reloadTo(policyWith("  vendors:\n    openai: {baa: {signed: true, expires: 2099-12-31}}\n"));
  auto r = curl("api.openai.com", "127.0.0.22");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "200");
}

TEST_F(NamingTest, BedrockRegionOutsideTheAllowedSetIsBlocked) {
  ASSERT_NO_FATAL_FAILURE(tlsServer("127.0.0.23"));
  ASSERT_NO_FATAL_FAILURE(
      startAgent(policyWith("  vendors:\n    aws-bedrock: {baa: {signed: true}}\n")));
  EXPECT_NE(curl("bedrock-runtime.eu-west-1.amazonaws.com", "127.0.0.23").exit_code, 0);
  auto r = curl("bedrock-runtime.us-east-1.amazonaws.com", "127.0.0.23");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "200");
  auto ev = events("sni", "bedrock-runtime.eu-west-1.amazonaws.com");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0]["verdict"], "deny");
}

TEST_F(NamingTest, ExpiredBaaIsBlocked) {
  ASSERT_NO_FATAL_FAILURE(tlsServer("127.0.0.24"));
  ASSERT_NO_FATAL_FAILURE(startAgent(
      policyWith("  vendors:\n    openai: {baa: {signed: true, expires: 2020-01-31}}\n")));
  EXPECT_NE(curl("api.openai.com", "127.0.0.24").exit_code, 0);
  EXPECT_EQ(events("sni", "api.openai.com").size(), 1u);
}

TEST_F(NamingTest, DnsAnswerTeachesTheKernelAndConnectIsRefusedBeforeAnyPacket) {
  std::string helper = dnsHelper();
  ASSERT_NO_FATAL_FAILURE(dnsServer("127.0.0.25", "127.0.0.26"));
  LoopbackListener target("127.0.0.26");
  ASSERT_NO_FATAL_FAILURE(startAgent(policyWith("")));
  // Before DNS has named the address, it is just an unknown destination.
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.26", target.port()), Outcome::kOk);
  auto q = inScope("python3 " + helper + " query 127.0.0.25 api.mistral.ai");
  ASSERT_EQ(q.exit_code, 0);
  EXPECT_EQ(q.out, "127.0.0.26\n");
  // Now the address is api.mistral.ai's: refused at connect(), so no SYN is ever sent.
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.26", target.port()), Outcome::kDenied);
  EXPECT_EQ(connectFrom("", "127.0.0.26", target.port()), Outcome::kOk) << "outside the scope";
  auto ev = events("dns", "api.mistral.ai");
  ASSERT_GE(ev.size(), 1u);
  EXPECT_EQ(ev[0]["answer"]["ip"], "127.0.0.26");
  EXPECT_GE(status()["counters"]["dns_bindings"].get<uint64_t>(), 1u);
}

TEST_F(NamingTest, DnsOverTcpIsLearntToo) {
  std::string helper = dnsHelper();
  ASSERT_NO_FATAL_FAILURE(dnsServer("127.0.0.32", "127.0.0.33"));
  LoopbackListener target("127.0.0.33");
  ASSERT_NO_FATAL_FAILURE(startAgent(policyWith("")));
  auto q = inScope("python3 " + helper + " query 127.0.0.32 api.deepseek.com tcp");
  ASSERT_EQ(q.exit_code, 0);
  EXPECT_EQ(q.out, "127.0.0.33\n");
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.33", target.port()), Outcome::kDenied);
}

TEST_F(NamingTest, SniThatDiffersFromTheDnsNameIsReported) {
  std::string helper = dnsHelper();
  ASSERT_NO_FATAL_FAILURE(dnsServer("127.0.0.34", "127.0.0.35"));
  ASSERT_NO_FATAL_FAILURE(tlsServer("127.0.0.35"));
  ASSERT_NO_FATAL_FAILURE(
      startAgent(policyWith("  vendors:\n    openai: {baa: {signed: true}}\n"
                            "    anthropic: {baa: {signed: true}}\n")));
  ASSERT_EQ(inScope("python3 " + helper + " query 127.0.0.34 api.openai.com").exit_code, 0);
  // The address was resolved for api.openai.com; the ClientHello says api.anthropic.com.
  EXPECT_EQ(curl("api.anthropic.com", "127.0.0.35").out, "200");
  auto ev = events("sni", "api.anthropic.com");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0]["verdict"], "allow");
  EXPECT_NE(ev[0]["flags"].dump().find("sni-differs-from-dns"), std::string::npos) << ev[0].dump();
}

TEST_F(NamingTest, QuicToAnAiDestinationIsRefused) {
  std::string helper = dnsHelper();
  ASSERT_NO_FATAL_FAILURE(dnsServer("127.0.0.27", "127.0.0.28"));
  LoopbackListener udp("127.0.0.28", SOCK_DGRAM);
  ASSERT_NO_FATAL_FAILURE(
      startAgent(policyWith("  vendors:\n    openai: {baa: {signed: true}}\n")));
  ASSERT_EQ(inScope("python3 " + helper + " query 127.0.0.27 api.openai.com").exit_code, 0);
  // TCP to the vendor (inspect class) is allowed; UDP 443 (QUIC) is not.
  EXPECT_EQ(socketOpFromCgroup(cgroup_->path(), "127.0.0.28", 443, SOCK_DGRAM), Outcome::kDenied);
  EXPECT_GE(status()["counters"]["quic_denied"].get<uint64_t>(), 1u);
}

TEST_F(NamingTest, ReloadFlipsADecisionWithoutDroppingOtherConnections) {
  ASSERT_NO_FATAL_FAILURE(tlsServer("127.0.0.29"));
  ASSERT_NO_FATAL_FAILURE(startAgent(policyWith("")));
  // A long-lived connection to an unrelated server, opened before the reload.
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  LoopbackListener echo("127.0.0.30");
  pid_t client = fork();
  if (client == 0) {
    std::string procs = cgroup_->path() + "/cgroup.procs";
    std::ofstream(procs) << getpid();
    int s = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(echo.port());
    inet_pton(AF_INET, "127.0.0.30", &a.sin_addr);
    if (connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) _exit(2);
    char c;
    if (read(fds[0], &c, 1) != 1) _exit(3);  // wait for the reload
    _exit(send(s, "still-here", 10, MSG_NOSIGNAL) == 10 ? 0 : 4);
  }
  children_.push_back(client);
  int conn = accept(echo.fd(), nullptr, nullptr);
  ASSERT_GE(conn, 0);

  EXPECT_NE(curl("api.openai.com", "127.0.0.29").exit_code, 0);
  reloadTo(policyWith("  vendors:\n    openai: {baa: {signed: true}}\n"));
  EXPECT_EQ(curl("api.openai.com", "127.0.0.29").out, "200");

  ASSERT_EQ(write(fds[1], "x", 1), 1);
  char buf[16] = {};
  EXPECT_EQ(recv(conn, buf, sizeof(buf), MSG_WAITALL), 10);
  EXPECT_STREQ(buf, "still-here");
  int st = 0;
  waitpid(client, &st, 0);
  children_.pop_back();
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  close(conn);
}

TEST_F(NamingTest, AuditModeReportsAndNeverBlocks) {
  ASSERT_NO_FATAL_FAILURE(tlsServer("127.0.0.31"));
  ASSERT_NO_FATAL_FAILURE(startAgent(policyWith("  mode: audit\n")));
  auto r = curl("api.mistral.ai", "127.0.0.31");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "200");
  auto ev = events("sni", "api.mistral.ai");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0]["verdict"], "audit");
}

}  // namespace
}  // namespace sluice::testing
