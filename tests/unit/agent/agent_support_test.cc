// Agent pieces that need no privileges: config and flags, process attribution helpers, event
// JSON, and the local API socket protocol.
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "sluice/agent/cgroup.h"
#include "sluice/agent/config.h"
#include "sluice/agent/events.h"
#include "sluice/agent/latency_histogram.h"
#include "sluice/agent/local_api.h"
#include "sluice/agent/process_info.h"

namespace sluice::agent {
namespace {

std::string tempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "sluice-unit-XXXXXX").string();
  return mkdtemp(tmpl.data());
}

TEST(AgentConfig, FlagsOverrideTheFile) {
  std::string dir = tempDir();
  std::ofstream(dir + "/agent.yaml") << "policy: /etc/p.yaml\nscope: /a\nlogFormat: json\n";
  auto o = parseAgentArgs({"--scope", "/b", "--config", dir + "/agent.yaml", "--bpffs", "/x"});
  ASSERT_TRUE(o.ok()) << o.error().message();
  EXPECT_EQ(o->config.policy_file, "/etc/p.yaml");
  EXPECT_EQ(o->config.scope, "/b") << "the flag wins even before --config";
  EXPECT_EQ(o->config.bpffs_dir, "/x");
  EXPECT_EQ(o->config.log_format, logging::Format::kJson);
  EXPECT_EQ(o->config.state_dir, "/var/lib/sluice");
  std::filesystem::remove_all(dir);
}

TEST(AgentConfig, UnknownKeyIsReportedWithItsLine) {
  std::string dir = tempDir();
  std::ofstream(dir + "/agent.yaml") << "policy: /p\nscop: /a\n";
  auto o = parseAgentArgs({"--config", dir + "/agent.yaml"});
  ASSERT_FALSE(o.ok());
  EXPECT_NE(o.error().message().find("agent.yaml:2:1: unknown key 'scop'"), std::string::npos)
      << o.error().message();
  std::filesystem::remove_all(dir);
}

TEST(AgentConfig, RunNeedsAPolicyAndRejectsUnknownFlags) {
  EXPECT_FALSE(parseAgentArgs({}).ok());
  EXPECT_TRUE(parseAgentArgs({"--uninstall"}).ok());
  auto bad = parseAgentArgs({"--policy", "p", "--frobnicate"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("--frobnicate"), std::string::npos);
  EXPECT_FALSE(parseAgentArgs({"--policy", "p", "--log-format", "xml"}).ok());
}

TEST(AgentConfig, VerdictThreadSettings) {
  auto defaults = parseAgentArgs({"--policy", "p"});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->config.verdict_priority, 0) << "normal scheduling unless asked";
  EXPECT_EQ(defaults->config.verdict_wait_us, 50u);
  EXPECT_FALSE(defaults->config.verdict_spin_us.has_value()) << "chosen by the priority";

  auto flags = parseAgentArgs({"--policy", "p", "--verdict-priority", "20", "--verdict-wait-us",
                               "0", "--verdict-spin-us", "1000"});
  ASSERT_TRUE(flags.ok()) << flags.error().message();
  EXPECT_EQ(flags->config.verdict_priority, 20);
  EXPECT_EQ(flags->config.verdict_wait_us, 0u);
  EXPECT_EQ(flags->config.verdict_spin_us, 1000u);

  for (auto bad : {std::vector<std::string>{"--verdict-priority", "100"},
                   {"--verdict-priority", "-1"},
                   {"--verdict-wait-us", "10001"},
                   {"--verdict-wait-us", "-5"},
                   {"--verdict-spin-us", "x"}}) {
    bad.insert(bad.begin(), {"--policy", "p"});
    auto o = parseAgentArgs(bad);
    ASSERT_FALSE(o.ok()) << bad[2] << " " << bad[3];
    EXPECT_NE(o.error().message().find(bad[3]), std::string::npos) << o.error().message();
  }

  std::string dir = tempDir();
  std::ofstream(dir + "/agent.yaml") << "policy: /p\nverdictPriority: 5\nverdictWaitUs: 80\n"
                                        "verdictSpinUs: 50\n";
  auto file = parseAgentArgs({"--config", dir + "/agent.yaml"});
  ASSERT_TRUE(file.ok()) << file.error().message();
  EXPECT_EQ(file->config.verdict_priority, 5);
  EXPECT_EQ(file->config.verdict_wait_us, 80u);
  EXPECT_EQ(file->config.verdict_spin_us, 50u);
  std::ofstream(dir + "/agent.yaml") << "policy: /p\nverdictPriority: high\n";
  auto wrong = parseAgentArgs({"--config", dir + "/agent.yaml"});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("agent.yaml:2:1: verdictPriority 'high'"),
            std::string::npos)
      << wrong.error().message();
  std::filesystem::remove_all(dir);
}

TEST(AgentConfig, Identifiers) {
  auto defaults = parseAgentArgs({"--policy", "p"});
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->config.all_identifiers) << "only in health context unless asked";
  auto all = parseAgentArgs({"--policy", "p", "--identifiers", "all"});
  ASSERT_TRUE(all.ok()) << all.error().message();
  EXPECT_TRUE(all->config.all_identifiers);
  auto bad = parseAgentArgs({"--policy", "p", "--identifiers", "some"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("--identifiers 'some' must be health or all"),
            std::string::npos)
      << bad.error().message();
  std::string dir = tempDir();
  std::ofstream(dir + "/agent.yaml") << "policy: /p\nidentifiers: all\n";
  auto file = parseAgentArgs({"--config", dir + "/agent.yaml"});
  ASSERT_TRUE(file.ok()) << file.error().message();
  EXPECT_TRUE(file->config.all_identifiers);
  std::ofstream(dir + "/agent.yaml") << "policy: /p\nidentifiers: every\n";
  auto wrong = parseAgentArgs({"--config", dir + "/agent.yaml"});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("agent.yaml:2:1: identifiers 'every'"), std::string::npos)
      << wrong.error().message();
  std::filesystem::remove_all(dir);
}

TEST(AgentConfig, VerdictCpus) {
  auto defaults = parseAgentArgs({"--policy", "p"});
  ASSERT_TRUE(defaults.ok());
  EXPECT_TRUE(defaults->config.verdict_cpus.empty()) << "any CPU unless asked";

  auto list = parseAgentArgs({"--policy", "p", "--verdict-cpus", "3,0-1,1"});
  ASSERT_TRUE(list.ok()) << list.error().message();
  EXPECT_EQ(list->config.verdict_cpus, (std::vector<int>{3, 0, 1})) << "ranges, no duplicates";

  for (std::string bad : {"", "x", "2-1", "1,,2", "-1", "4-", "99999"}) {
    auto o = parseAgentArgs({"--policy", "p", "--verdict-cpus", bad});
    ASSERT_FALSE(o.ok()) << "'" << bad << "' was taken";
    EXPECT_NE(o.error().message().find("--verdict-cpus '" + bad + "'"), std::string::npos)
        << o.error().message();
  }

  std::string dir = tempDir();
  std::ofstream(dir + "/agent.yaml") << "policy: /p\nverdictCpus: 2-3\n";
  auto file = parseAgentArgs({"--config", dir + "/agent.yaml"});
  ASSERT_TRUE(file.ok()) << file.error().message();
  EXPECT_EQ(file->config.verdict_cpus, (std::vector<int>{2, 3}));
  std::ofstream(dir + "/agent.yaml") << "policy: /p\nverdictCpus: all\n";
  auto wrong = parseAgentArgs({"--config", dir + "/agent.yaml"});
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("agent.yaml:2:1: verdictCpus 'all'"), std::string::npos)
      << wrong.error().message();
  std::filesystem::remove_all(dir);
}

TEST(LatencyHistogram, QuantilesWithinABucket) {
  LatencyHistogram h;
  EXPECT_EQ(h.quantileUs(0.5), 0u);
  for (uint64_t us = 1; us <= 1000; ++us) h.record(us * 1000);
  EXPECT_EQ(h.count(), 1000u);
  EXPECT_EQ(h.maxUs(), 1000u);
  // True p50 is 500 us and p99 990 us; a bucket is at most 12.5% wide.
  EXPECT_GE(h.quantileUs(0.5), 500u);
  EXPECT_LE(h.quantileUs(0.5), 563u);
  EXPECT_GE(h.quantileUs(0.99), 990u);
  EXPECT_LE(h.quantileUs(0.99), 1000u) << "never above the maximum seen";
  h.record(5'000'000'000);  // 5 s: far past the sub-microsecond values
  EXPECT_EQ(h.maxUs(), 5'000'000u);
  EXPECT_LE(h.quantileUs(0.5), 563u) << "one outlier moves no median";
  LatencyHistogram small;
  for (int i = 0; i < 10; ++i) small.record(3000);  // values below 8 us are exact
  EXPECT_EQ(small.quantileUs(0.5), 3u);
  EXPECT_EQ(small.quantileUs(1.0), 3u);
}

TEST(Cgroup, ResolveScopeRejectsEscapes) {
  EXPECT_FALSE(resolveScope("/sys/fs/cgroup", "/../etc").ok());
  std::string dir = tempDir();
  EXPECT_EQ(*resolveScope(dir, "/"), dir);
  std::filesystem::create_directory(dir + "/child");
  EXPECT_EQ(*resolveScope(dir, "child/"), dir + "/child");
  EXPECT_FALSE(resolveScope(dir, "/missing").ok());
  std::filesystem::remove_all(dir);
}

TEST(Cgroup, FindsTheCgroup2MountInAMountTable) {
  std::string dir = tempDir();
  std::ofstream(dir + "/mounts")
      << "tmpfs /sys/fs/cgroup tmpfs rw 0 0\ncgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\n";
  EXPECT_EQ(*findCgroup2Mount(dir + "/mounts"), "/sys/fs/cgroup/unified");
  std::ofstream(dir + "/none") << "tmpfs /tmp tmpfs rw 0 0\n";
  EXPECT_FALSE(findCgroup2Mount(dir + "/none").ok());
  std::filesystem::remove_all(dir);
}

TEST(ProcessInfo, ContainerIdFromRuntimeCgroupPaths) {
  const std::string id(64, 'a');
  EXPECT_EQ(containerIdFromCgroup("/system.slice/docker-" + id + ".scope"), id);
  EXPECT_EQ(containerIdFromCgroup("/kubepods/burstable/pod1234/" + id), id);
  EXPECT_EQ(containerIdFromCgroup("/system.slice/cri-containerd-" + id + ".scope"), id);
  EXPECT_EQ(containerIdFromCgroup("/user.slice/user-0.slice/session-1.scope"), "");
  EXPECT_EQ(containerIdFromCgroup("/x/" + std::string(63, 'b')), "") << "63 hex is not an id";
}

TEST(ProcessInfo, DescribesThisProcess) {
  auto p = describeProcess(getpid(), getpid(), getuid(), "comm", 1);
  EXPECT_NE(p.exe.find("agent_support_test"), std::string::npos) << p.exe;
  EXPECT_NE(p.cmdline.find("agent_support_test"), std::string::npos);
  EXPECT_EQ(p.user, userName(getuid()));
}

TEST(Events, JsonCarriesDestinationProcessAndRule) {
  sluice_conn_event e{};
  e.ts_ns = 1;
  e.tgid = 42;
  e.rule_id = 1;
  e.addr[10] = e.addr[11] = 0xff;
  e.addr[12] = 127;
  e.addr[15] = 2;
  e.port = 443;
  e.proto = SLUICE_PROTO_TCP;
  e.action = SLUICE_ACTION_DENY;
  e.hook = SLUICE_HOOK_CONNECT4;
  e.dest_class = SLUICE_CLASS_DENY;
  ProcessInfo p;
  p.pid = 42;
  p.exe = "/usr/bin/curl";
  PolicyContext ctx{"pol", "abc", 3, {"default", "block-x"}};
  auto j = connEventJson(e, p, ctx, 0);
  EXPECT_EQ(j["verdict"], "deny");
  EXPECT_EQ(j["rule"], "block-x");
  EXPECT_EQ(j["destination"]["ip"], "127.0.0.2");
  EXPECT_EQ(j["destination"]["port"], 443);
  EXPECT_EQ(j["destination"]["protocol"], "tcp");
  EXPECT_EQ(j["process"]["exe"], "/usr/bin/curl");
  EXPECT_EQ(j["policy"]["name"], "pol");
  uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8};
  v6[15] = 1;
  EXPECT_EQ(addressText(v6), "2001:db8::1");
}

TEST(LocalApi, StatusEventsAndFollow) {
  std::string dir = tempDir();
  std::string path = dir + "/agent.sock";
  LocalApi::Handlers h;
  h.status = [] { return nlohmann::json{{"enforcing", true}}; };
  auto api = LocalApi::create(path, h, 2);
  ASSERT_TRUE(api.ok()) << api.error().message();
  for (int i = 0; i < 3; ++i) (*api)->publish({{"n", i}});  // history keeps the last 2

  // Serve the loop on a thread the way the agent's poll loop would.
  std::atomic<bool> stop{false};
  std::thread loop([&] {
    while (!stop) {
      (*api)->onListenReadable();
      for (auto [fd, out] : (*api)->clientFds()) (*api)->onClientReady(fd, true, out);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  std::vector<std::string> lines;
  ASSERT_TRUE(localApiRequest(path, {{"cmd", "status"}}, [&](const std::string& l) {
                lines.push_back(l);
                return true;
              }).ok());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["enforcing"], true);

  lines.clear();
  ASSERT_TRUE(localApiRequest(path, {{"cmd", "events"}}, [&](const std::string& l) {
                lines.push_back(l);
                return true;
              }).ok());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(lines[0])["n"], 1);
  stop = true;
  loop.join();
  EXPECT_FALSE(localApiRequest(dir + "/nope.sock", {{"cmd", "status"}}, [](const std::string&) {
                 return true;
               }).ok());
  api->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sluice::agent
