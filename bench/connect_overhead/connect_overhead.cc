// bench/connect_overhead: what the connect/sendmsg programs add to connect()+close().
//
// Two child cgroups: one with Sluice's programs attached (and a 1,000-rule policy in the
// trie), one without. One process moves itself between the two and times batches of
// connect()+close() to a loopback listener, interleaving the configurations round by round so
// that drift in machine load hits both equally. Prints p50/p99/mean per configuration, the
// ratio, and the nanoseconds added. Needs root. Nothing outside the two cgroups is affected.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <bpf/bpf.h>

#include "sluice/agent/bpf_loader.h"
#include "sluice/agent/cgroup.h"
#include "sluice/agent/policy_compiler.h"
#include "sluice/policy/policy.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Stats {
  double p50, p99, mean;
};

Stats summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  return {v[v.size() / 2], v[v.size() * 99 / 100], sum / static_cast<double>(v.size())};
}

std::string policyText(int rules) {
  std::string y =
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: bench}\n"
      "spec:\n  destinations:\n";
  for (int i = 0; i < rules; ++i) {
    y += "    - {name: r" + std::to_string(i) + ", cidrs: [\"10." + std::to_string(i / 250) + "." +
         std::to_string(i % 250) + ".0/24\"], ports: [443], class: deny}\n";
  }
  return y;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 20;
  int per_round = argc > 2 ? std::atoi(argv[2]) : 2000;
  if (geteuid() != 0) {
    std::fprintf(stderr, "connect_overhead: needs root (BPF and cgroups)\n");
    return 2;
  }
  using namespace sluice;
  auto on = agent::ScopedCgroup::create("sluice-bench-on-" + std::to_string(getpid()));
  auto off = agent::ScopedCgroup::create("sluice-bench-off-" + std::to_string(getpid()));
  if (!on || !off) {
    std::fprintf(stderr, "connect_overhead: cannot create cgroups\n");
    return 1;
  }
  std::string bpffs = "/sys/fs/bpf/sluice-bench-" + std::to_string(getpid());
  auto pol = policy::parsePolicy(policyText(1000), "bench.yaml");
  if (!pol) {
    std::fprintf(stderr, "%s\n", pol.error().message().c_str());
    return 1;
  }
  auto compiled = agent::compilePolicy(*pol, 1);
  auto enforcer = agent::ConnectEnforcer::create({bpffs, (*on)->path()}, *compiled);
  if (!enforcer) {
    std::fprintf(stderr, "connect_overhead: %s\n", enforcer.error().message().c_str());
    return 1;
  }

  // Kernel-side cost, measured by the kernel itself (run_time_ns/run_cnt per program) while
  // this fd is open.
  int stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
  uint32_t connect4_id = 0;
  for (const auto& p : (*enforcer)->programs()) {
    if (p.name == "connect4") connect4_id = p.prog_id;
  }

  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  listen(lfd, 4096);
  socklen_t alen = sizeof(addr);
  getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &alen);
  std::atomic<bool> stop{false};
  std::thread acceptor([&] {
    while (!stop) {
      int c = accept(lfd, nullptr, nullptr);
      if (c >= 0) close(c);
    }
  });

  std::vector<double> with, without;
  linger lg{1, 0};  // RST on close: no TIME_WAIT pile-up across 80k connects
  auto batch = [&](std::vector<double>& out) {
    for (int i = 0; i < per_round; ++i) {
      auto t0 = Clock::now();
      int s = socket(AF_INET, SOCK_STREAM, 0);
      connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
      setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
      close(s);
      out.push_back(std::chrono::duration<double, std::nano>(Clock::now() - t0).count());
    }
  };
  for (int r = 0; r < rounds; ++r) {
    (void)agent::moveToCgroup((*off)->path(), 0);
    batch(without);
    (void)agent::moveToCgroup((*on)->path(), 0);
    batch(with);
  }
  // Leave the cgroups before they are removed.
  if (auto mount = agent::findCgroup2Mount()) (void)agent::moveToCgroup(*mount, 0);
  stop = true;
  {  // wake the acceptor
    int s = socket(AF_INET, SOCK_STREAM, 0);
    connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    close(s);
  }
  acceptor.join();
  close(lfd);
  auto counters = (*enforcer)->counters();
  // Per program: average run time and runs per measured connect.
  struct ProgCost {
    std::string name;
    double ns_per_run;
    double runs_per_connect;
  };
  std::vector<ProgCost> costs;
  double prog_ns = -1;
  double total_ns_per_connect = 0;
  for (const auto& p : (*enforcer)->programs()) {
    int pfd = bpf_prog_get_fd_by_id(p.prog_id);
    if (pfd < 0) continue;
    bpf_prog_info info{};
    uint32_t len = sizeof(info);
    if (bpf_obj_get_info_by_fd(pfd, &info, &len) == 0 && info.run_cnt > 0) {
      double per_run = static_cast<double>(info.run_time_ns) / static_cast<double>(info.run_cnt);
      double runs = static_cast<double>(info.run_cnt) / static_cast<double>(rounds * per_round);
      costs.push_back({p.name, per_run, runs});
      total_ns_per_connect += per_run * runs;
      if (p.prog_id == connect4_id) prog_ns = per_run;
    }
    close(pfd);
  }
  if (stats_fd >= 0) close(stats_fd);
  enforcer->reset();
  (void)agent::ConnectEnforcer::uninstall(bpffs);

  Stats b = summarize(without), w = summarize(with);
  std::printf("connect_overhead: %d rounds x %d connect()+close() on loopback, interleaved\n",
              rounds, per_round);
  std::printf(
      "policy: %zu kernel entries; checked by the programs: %llu\n", compiled->entries.size(),
      counters ? static_cast<unsigned long long>(counters->values[SLUICE_CNT_CHECKED]) : 0ULL);
  std::printf("%-28s %10s %10s %10s\n", "configuration", "p50 ns", "p99 ns", "mean ns");
  std::printf("%-28s %10.0f %10.0f %10.0f\n", "baseline (no programs)", b.p50, b.p99, b.mean);
  std::printf("%-28s %10.0f %10.0f %10.0f\n", "sluice connect4 attached", w.p50, w.p99, w.mean);
  std::printf("ratio (sluice/baseline): p50 %.3f  mean %.3f\n", w.p50 / b.p50, w.mean / b.mean);
  std::printf("added per connect: p50 %+.0f ns  mean %+.0f ns  (goal: < 1000 ns)\n", w.p50 - b.p50,
              w.mean - b.mean);
  if (prog_ns >= 0) {
    std::printf("in-kernel connect4 program time (kernel bpf_stats): %.0f ns per call\n", prog_ns);
  }
  for (const auto& c : costs) {
    std::printf("  %-10s %6.0f ns per run x %.2f runs per connect\n", c.name.c_str(),
                c.ns_per_run, c.runs_per_connect);
  }
  std::printf("in-kernel time of all programs per connect()+close(): %.0f ns\n",
              total_ns_per_connect);
  return 0;
}
