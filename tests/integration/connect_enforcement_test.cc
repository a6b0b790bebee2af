// Privileged: the connect/sendmsg programs in a real kernel, attached to a child cgroup, with
// real sockets on loopback. Each test has its own cgroup and pin directory.
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "enforcer_fixture.h"

namespace sluice::testing {
namespace {

bool addrIs(const sluice_conn_event& e, const std::string& ip) {
  uint8_t want[16] = {};
  in_addr v4{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) {
    want[10] = want[11] = 0xff;
    std::memcpy(want + 12, &v4, 4);
  } else {
    inet_pton(AF_INET6, ip.c_str(), want);
  }
  return std::memcmp(e.addr, want, 16) == 0;
}

TEST_F(EnforcerTest, DeniesAndAllowsIpv4WithAnEvent) {
  LoopbackListener ok("127.0.0.1"), blocked("127.0.0.2");
  start(policyYaml(R"(  destinations:
    - {name: blocked-host, cidrs: ["127.0.0.2/32"], class: deny}
    - {name: local, cidrs: ["127.0.0.1/32"], class: allow}
)"));
  pid_t child = 0;
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", blocked.port(), &child), Outcome::kDenied);
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.1", ok.port()), Outcome::kOk);

  auto events = drain();
  ASSERT_EQ(events.size(), 1u) << "only the denied connect is reported";
  const auto& e = events[0];
  EXPECT_EQ(e.tgid, static_cast<uint32_t>(child));
  EXPECT_EQ(e.tid, static_cast<uint32_t>(child));
  EXPECT_EQ(e.action, SLUICE_ACTION_DENY);
  EXPECT_EQ(e.hook, SLUICE_HOOK_CONNECT4);
  EXPECT_EQ(e.proto, SLUICE_PROTO_TCP);
  EXPECT_EQ(e.port, blocked.port());
  EXPECT_EQ(e.rule_id, 1u);
  EXPECT_EQ(e.cgroup_id, cgroup_->id());
  EXPECT_EQ(e.uid, 0u);
  EXPECT_EQ(e.dest_class, SLUICE_CLASS_DENY);
  EXPECT_TRUE(addrIs(e, "127.0.0.2"));
  EXPECT_GT(std::strlen(e.comm), 0u);
}

TEST_F(EnforcerTest, DeniesAndAllowsIpv6ByPort) {
  LoopbackListener denied_port("::1"), open_port("::1");
  start(policyYaml("  destinations:\n    - {name: v6, cidrs: [\"::1/128\"], ports: [" +
                   std::to_string(denied_port.port()) + "], class: deny}\n"));
  EXPECT_EQ(connectFrom(cgroup_->path(), "::1", denied_port.port()), Outcome::kDenied);
  EXPECT_EQ(connectFrom(cgroup_->path(), "::1", open_port.port()), Outcome::kOk);
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].hook, SLUICE_HOOK_CONNECT6);
  EXPECT_TRUE(addrIs(events[0], "::1"));
}

TEST_F(EnforcerTest, Ipv4RuleCatchesV4MappedAddressOnIpv6Socket) {
  LoopbackListener target("127.0.0.2");
  start(policyYaml(R"(  destinations:
    - {name: blocked-host, cidrs: ["127.0.0.2/32"], class: deny}
)"));
  EXPECT_EQ(connectFrom(cgroup_->path(), "::ffff:127.0.0.2", target.port()), Outcome::kDenied);
}

TEST_F(EnforcerTest, DeniesUdpSendmsgOnly) {
  LoopbackListener udp("127.0.0.3", SOCK_DGRAM), tcp("127.0.0.3");
  start(policyYaml(R"(  destinations:
    - {name: no-udp, cidrs: ["127.0.0.3/32"], protocol: udp, class: deny}
)"));
  pid_t child = 0;
  EXPECT_EQ(socketOpFromCgroup(cgroup_->path(), "127.0.0.3", udp.port(), SOCK_DGRAM, &child),
            Outcome::kDenied);
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.3", tcp.port()), Outcome::kOk)
      << "a UDP rule must not touch TCP";
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].hook, SLUICE_HOOK_SENDMSG4);
  EXPECT_EQ(events[0].proto, SLUICE_PROTO_UDP);
  EXPECT_EQ(events[0].tgid, static_cast<uint32_t>(child));
}

TEST_F(EnforcerTest, AuditModeAllowsAndReports) {
  LoopbackListener target("127.0.0.2");
  start(policyYaml(R"(  mode: audit
  destinations:
    - {name: would-block, cidrs: ["127.0.0.2/32"], class: deny}
)"));
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", target.port()), Outcome::kOk);
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].action, SLUICE_ACTION_AUDIT);
  EXPECT_EQ(events[0].dest_class, SLUICE_CLASS_DENY);
}

TEST_F(EnforcerTest, ProcessOutsideScopeIsUnaffected) {
  LoopbackListener target("127.0.0.2");
  start(policyYaml(R"(  destinations:
    - {name: blocked-host, cidrs: ["127.0.0.2/32"], class: deny}
)"));
  EXPECT_EQ(connectFrom("", "127.0.0.2", target.port()), Outcome::kOk);
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", target.port()), Outcome::kDenied);
  EXPECT_EQ(drain().size(), 1u);
}

TEST_F(EnforcerTest, UnknownDestinationDefaultAndLongestPrefix) {
  LoopbackListener a("127.0.0.1"), b("127.0.0.5"), c("127.0.0.6");
  start(
      policyYaml("  defaults: {unknownDestination: deny}\n  destinations:\n"
                 "    - {name: lo-one, cidrs: [\"127.0.0.1/32\"], class: allow}\n"
                 "    - {name: lo-five, cidrs: [\"127.0.0.5/32\"], class: allow}\n"
                 "    - {name: lo-port, cidrs: [\"127.0.0.0/8\"], ports: [" +
                 std::to_string(b.port()) + "], class: deny}\n"));
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.1", a.port()), Outcome::kOk);
  // 127.0.0.5/32 (every port) is longer than 127.0.0.0/8 (one port): the /32 wins.
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.5", b.port()), Outcome::kOk);
  // Nothing but the default matches 127.0.0.6 on c's port.
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.6", c.port()), Outcome::kDenied);
  auto events = drain();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].rule_id, 0u) << "the default entry reports rule 0";
}

TEST_F(EnforcerTest, EnforcementSurvivesLoaderAndIsAdoptedWithoutGap) {
  LoopbackListener target("127.0.0.2");
  start(policyYaml(R"(  destinations:
    - {name: blocked-host, cidrs: ["127.0.0.2/32"], class: deny}
)"));
  auto first_links = enforcer_->programs();
  enforcer_.reset();  // like the agent exiting: descriptors closed, pins kept
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", target.port()), Outcome::kDenied);
  EXPECT_EQ(agent::ConnectEnforcer::pinnedGeneration(bpffs_), generation_);

  start(policyYaml(R"(  destinations:
    - {name: blocked-host, cidrs: ["127.0.0.2/32"], class: deny}
)"));
  ASSERT_EQ(enforcer_->programs().size(), agent::ConnectEnforcer::kProgramCount);
  for (size_t i = 0; i < agent::ConnectEnforcer::kProgramCount; ++i) {
    EXPECT_TRUE(enforcer_->programs()[i].adopted) << enforcer_->programs()[i].name;
    EXPECT_EQ(enforcer_->programs()[i].link_id, first_links[i].link_id) << "same pinned link";
  }
  EXPECT_TRUE(enforcer_->enforcing());
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", target.port()), Outcome::kDenied);
}

TEST_F(EnforcerTest, PolicySwapIsAtomicUnderConcurrentConnects) {
  // Default deny with one allowed address: any half-written trie would either lose the allow
  // entry (the allowed connect fails with EPERM) or the default (the denied one goes through).
  const std::string base =
      "  defaults: {unknownDestination: deny}\n  destinations:\n"
      "    - {name: allowed, cidrs: [\"127.0.0.1/32\"], class: allow}\n";
  std::string big = base;
  for (int i = 0; i < 2000; ++i) {
    big += "    - {name: filler-" + std::to_string(i) + ", cidrs: [\"10." +
           std::to_string(i / 250) + "." + std::to_string(i % 250) + ".0/24\"], class: deny}\n";
  }
  start(policyYaml(base));
  auto small_policy = compile(policyYaml(base));
  auto big_policy = compile(policyYaml(big));
  std::atomic<bool> stop{false};
  std::atomic<int> swaps{0};
  std::thread swapper([&] {
    while (!stop) {
      if (!enforcer_->installPolicy(swaps % 2 ? small_policy : big_policy).ok()) break;
      ++swaps;
    }
  });
  // Keep connecting until the swapper has replaced the policy many times (bounded rounds).
  int violations = 0;
  int connects = 0;
  for (int round = 0; round < 30 && swaps < 40; ++round) {
    int v = connectLoopViolations(cgroup_->path(), "127.0.0.1", "127.0.0.9", 1, 10000);
    ASSERT_GE(v, 0) << "connect loop child failed";
    violations += v;
    connects += 10000;
  }
  stop = true;
  swapper.join();
  EXPECT_EQ(violations, 0) << "out of " << connects << " connects";
  EXPECT_GE(swaps.load(), 40) << "the swapper must have raced the connects";
}

// The id of the map pinned at `name` under the test's bpffs directory, and its max_entries.
std::pair<uint32_t, uint32_t> pinnedMap(const std::string& bpffs, const std::string& name) {
  int fd = bpf_obj_get((bpffs + "/maps/" + name).c_str());
  if (fd < 0) return {0, 0};
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  int rc = bpf_obj_get_info_by_fd(fd, &info, &len);
  close(fd);
  return rc == 0 ? std::pair{info.id, info.max_entries} : std::pair{0u, 0u};
}

// Pins a map of another layout at `name`, as another version of the agent would have left it.
void pinOtherLayout(const std::string& bpffs, const std::string& name, bpf_map_type type,
                    uint32_t key_size, uint32_t value_size, uint32_t max_entries) {
  std::string pin = bpffs + "/maps/" + name;
  ASSERT_EQ(unlink(pin.c_str()), 0) << pin;
  int fd = bpf_map_create(type, name.c_str(), key_size, value_size, max_entries, nullptr);
  ASSERT_GE(fd, 0) << std::strerror(errno);
  ASSERT_EQ(bpf_obj_pin(fd, pin.c_str()), 0) << std::strerror(errno);
  close(fd);
}

TEST_F(EnforcerTest, UpgradeReplacesStatelessPinsOfAnotherLayout) {
  LoopbackListener target("127.0.0.2");
  const std::string policy = policyYaml(R"(  destinations:
    - {name: blocked-host, cidrs: ["127.0.0.2/32"], class: deny}
)");
  start(policy);
  enforcer_.reset();
  // A restart of the same version keeps the counters.
  auto counters = pinnedMap(bpffs_, "conn_counters");
  ASSERT_EQ(counters.second, static_cast<uint32_t>(SLUICE_CNT_MAX));
  start(policy);
  EXPECT_EQ(pinnedMap(bpffs_, "conn_counters").first, counters.first) << "replaced needlessly";
  enforcer_.reset();

  // An older version had fewer counters: the new agent starts, replaces them, and keeps
  // enforcing through the same links.
  pinOtherLayout(bpffs_, "conn_counters", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 3);
  start(policy);
  auto replaced = pinnedMap(bpffs_, "conn_counters");
  EXPECT_EQ(replaced.second, static_cast<uint32_t>(SLUICE_CNT_MAX));
  EXPECT_NE(replaced.first, counters.first);
  for (const auto& p : enforcer_->programs()) EXPECT_TRUE(p.adopted) << p.name;
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", target.port()), Outcome::kDenied);
  auto c = enforcer_->counters();
  ASSERT_TRUE(c.ok()) << c.error().message();
  EXPECT_GE(c->values[SLUICE_CNT_DENIED], 1u) << "the new programs count into the new map";
  enforcer_.reset();

  // A map with state (the holds of requests in flight) of another layout is still refused,
  // with what to do about it.
  pinOtherLayout(bpffs_, "holds", BPF_MAP_TYPE_HASH, 4, 8, 16);
  try {
    start(policy);
    ADD_FAILURE() << "a pinned map with state of another layout was taken";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("--uninstall"), std::string::npos) << e.what();
  }
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", target.port()), Outcome::kDenied)
      << "the pinned links keep enforcing";
}

TEST_F(EnforcerTest, UninstallRemovesLinksAndPins) {
  LoopbackListener target("127.0.0.2");
  start(policyYaml(R"(  destinations:
    - {name: blocked-host, cidrs: ["127.0.0.2/32"], class: deny}
)"));
  ASSERT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", target.port()), Outcome::kDenied);
  enforcer_.reset();
  auto s = agent::ConnectEnforcer::uninstall(bpffs_);
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_FALSE(std::filesystem::exists(bpffs_));
  EXPECT_EQ(connectFrom(cgroup_->path(), "127.0.0.2", target.port()), Outcome::kOk);
}

}  // namespace
}  // namespace sluice::testing
