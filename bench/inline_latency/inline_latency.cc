// bench/inline_latency: what inline PHI enforcement adds to an HTTPS request (issue 4).
//
// A keep-alive HTTPS/1.1 server runs in this process on 127.0.0.5 (an inspect-class
// destination in the policy) and 127.0.0.6 (not inspected). Clients run in child processes
// placed in a child cgroup made for this run, which is the agent's --scope; each does
// keep-alive POSTs of a clean chat-completion body and times every round trip and every
// SSL_write with CLOCK_MONOTONIC. Three configurations are measured in alternating blocks, so
// that drift in machine load hits all of them equally:
//   (a) no agent, nothing pinned;
//   (b) the agent running, destination not inspected (127.0.0.6);
//   (c) the agent running, inspecting and allowing (127.0.0.5).
// The agent's own counters confirm that (c) was inspected and (b) was not captured. Needs
// root. Nothing outside the child cgroup is enforced.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agent_process.h"
#include "https.h"
#include "prog_stats.h"
#include "sluice/agent/cgroup.h"

namespace {

namespace fs = std::filesystem;
using sluice::Result;
using sluice::Status;
using sluice::bench::Sample;

// Set by SIGINT/SIGTERM: the run stops after the current block and cleans up.
volatile sig_atomic_t g_stop = 0;

const char kHost[] = "api.inline.test";
const char kInspected[] = "127.0.0.5";
const char kNotInspected[] = "127.0.0.6";
// The name sent (SNI, Host) to 127.0.0.6: a name of its own, since the policy also inspects
// api.inline.test by name wherever it resolves.
const char kOtherHost[] = "other.inline.test";

const char kUsage[] =
    "usage: inline_latency [--rounds N] [--blocks B] [--warmup W] [--settle-ms T]\n"
    "                      [--body-bytes N] [--bulk-posts N] [--bulk-kb K] [--agent PATH]\n"
    "                      [--sluicectl PATH] [--agent-arg ARG]... [--write-calls N]\n"
    "                      [--verdict-cpu N]\n"
    "  --rounds N      timed round trips per configuration (default 2000)\n"
    "  --blocks B      alternating blocks the rounds are split into (default 8; the agent is\n"
    "                  started and stopped once per block)\n"
    "  --warmup W      untimed round trips at the start of each connection (default 50)\n"
    "  --settle-ms T   each client waits until T ms after it started before it times anything:\n"
    "                  the agent examines a new program at exec and up to 1 s later (default\n"
    "                  1100; 0 times a client that has just started)\n"
    "  --body-bytes N  size of the small chat-completion body (default 700)\n"
    "  --bulk-posts N  timed POSTs of the large body per configuration (default 160)\n"
    "  --bulk-kb K     size of the large body in KiB (default 64)\n"
    "  --agent PATH    sluice-agent (default: ../../agent/sluice-agent next to this binary)\n"
    "  --sluicectl PATH sluicectl (default: ../../cli/sluicectl next to this binary)\n"
    "  --agent-arg ARG one more argument for sluice-agent, e.g. --agent-arg --verdict-wait-us\n"
    "                  --agent-arg 100 (repeatable; default: none, the agent's defaults)\n"
    "  --write-calls N SSL_write calls timed alone (64 bytes into a memory BIO, no socket) per\n"
    "                  configuration, (a) and (b), split over the blocks (default 400000)\n"
    "  --verdict-cpu N the agent's verdict thread gets CPU N to itself (--verdict-cpus N);\n"
    "                  the clients, the server and the rest of the agent run on the other\n"
    "                  CPUs, in all three configurations (default: no CPU is reserved)\n"
    "Needs root: it creates a child cgroup and runs sluice-agent scoped to it.\n";

struct Options {
  int rounds = 2000;
  int blocks = 8;
  int warmup = 50;
  int settle_ms = 1100;
  size_t body_bytes = 700;
  int bulk_posts = 160;
  size_t bulk_kb = 64;
  std::string agent, sluicectl;
  std::vector<std::string> agent_args;
  int verdict_cpu = -1;
  int write_calls = 400000;
};

struct Stats {
  double p50, p99, mean, p90, p999;  // microseconds
};

Stats summarize(std::vector<double> v) {
  if (v.empty()) return {0, 0, 0, 0, 0};
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  auto at = [&](size_t per_mille) { return v[std::min(v.size() - 1, v.size() * per_mille / 1000)]; };
  return {at(500), at(990), sum / static_cast<double>(v.size()), at(900), at(999)};
}

std::string loadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a + " " + b + " " + c;
}

std::string policyText() {
  return std::string(
             "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: inline-bench}\n"
             "spec:\n  mode: enforce\n  failMode: closed\n  holdTimeoutMs: 2000\n"
             "  destinations:\n    - {name: test-ai, hosts: [") +
         kHost + "], cidrs: [\"" + kInspected +
         "/32\"], class: inspect}\n"
         "  rules:\n    - {name: no-ssn, match: {phi: [SSN]}, action: block}\n"
         "    - {name: rest, match: {phi: [any]}, action: allow}\n"
         "  defaults: {unknownDestination: allow}\n";
}

// --write-loop CALLS WARMUP SETTLE_MS: SSL_write alone (sslWriteLoop); prints "ns" per timed
// call.
int writeLoopMain(char** argv) {
  int64_t start_ns = sluice::bench::monotonicNs();
  auto calls = sluice::bench::sslWriteLoop(std::atoi(argv[0]), std::atoi(argv[1]), 64,
                                           start_ns + std::atoll(argv[2]) * 1000000);
  if (!calls) {
    std::fprintf(stderr, "inline_latency write loop: %s\n", calls.error().message().c_str());
    return 1;
  }
  std::string out;
  for (int64_t ns : *calls) out += std::to_string(ns) + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

// --client ADDR PORT COUNT WARMUP BODY_BYTES SETTLE_MS: one keep-alive connection; prints
// "round_trip_ns ssl_write_ns" per timed request.
int clientMain(char** argv) {
  int64_t start_ns = sluice::bench::monotonicNs();
  sluice::bench::ClientRun run;
  run.addr = argv[0];
  run.port = static_cast<uint16_t>(std::atoi(argv[1]));
  run.host_name = std::strcmp(argv[0], kNotInspected) == 0 ? kOtherHost : kHost;
  run.count = std::atoi(argv[2]);
  run.warmup = std::atoi(argv[3]);
  run.body_bytes = std::strtoull(argv[4], nullptr, 10);
  run.settle_until_ns = start_ns + std::atoll(argv[5]) * 1000000;
  auto samples = sluice::bench::runClient(run);
  if (!samples) {
    std::fprintf(stderr, "inline_latency client: %s\n", samples.error().message().c_str());
    return 1;
  }
  std::string out;
  for (const auto& s : *samples) {
    out += std::to_string(s.round_trip_ns) + " " + std::to_string(s.ssl_write_ns) + "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

void printProgStats(const sluice::bench::ProgStats& stats) {
  if (!stats.enabled()) return;
  std::printf(
      "in-kernel run time of the agent's programs during the small-body blocks (kernel "
      "bpf_stats; any process, the server's SSL_write included):\n");
  for (const auto& [label, programs] : stats.totals()) {
    for (const auto& [name, t] : programs) {
      if (t.runs == 0) continue;
      std::printf("  %-26s %-16s %8.0f ns per run x %llu runs\n", label.c_str(), name.c_str(),
                  static_cast<double>(t.run_ns) / static_cast<double>(t.runs),
                  static_cast<unsigned long long>(t.runs));
    }
  }
}

class Bench {
 public:
  Bench(Options o) : o_(std::move(o)) {}
  ~Bench() { cleanUp(); }
  int run();

 private:
  Status setUp();
  // Runs this program with `args` in the scope cgroup and returns what it printed.
  Result<std::string> runInScope(const std::vector<std::string>& args);
  Result<std::vector<Sample>> block(const char* addr, int count, size_t body_bytes);
  // One block's share of the SSL_write loop (us per call).
  Result<std::vector<double>> writeLoopBlock();
  Status startAgent();
  Status stopAgent();
  Result<nlohmann::json> inlineCounters();
  void cleanUp();
  void report();

  Options o_;
  std::string self_exe_, dir_, bpffs_, procs_file_;
  std::unique_ptr<sluice::agent::ScopedCgroup> cgroup_;
  std::unique_ptr<sluice::bench::HttpsServer> server_;
  std::unique_ptr<sluice::bench::AgentProcess> agent_;
  sluice::bench::AgentOptions agent_opts_;
  pid_t client_ = -1;
  sluice::bench::ProgStats prog_stats_;
  // Measurements, microseconds.
  std::vector<double> rt_[3], write_[3], bulk_rt_[2];
  std::vector<double> write_alone_[2];  // SSL_write alone, us per call: (a), (b)
  uint64_t inspected_requests_ = 0, writes_in_b_ = 0, requests_in_b_ = 0;
  // Per (c) block: the agent's read and verdict latency histograms (status JSON).
  std::vector<std::pair<nlohmann::json, nlohmann::json>> agent_latency_;
};

Status Bench::setUp() {
  self_exe_ = fs::read_symlink("/proc/self/exe").string();
  fs::path build = fs::path(self_exe_).parent_path().parent_path().parent_path();
  if (o_.agent.empty()) o_.agent = (build / "agent" / "sluice-agent").string();
  if (o_.sluicectl.empty()) o_.sluicectl = (build / "cli" / "sluicectl").string();
  for (const auto& b : {o_.agent, o_.sluicectl}) {
    if (access(b.c_str(), X_OK) != 0) return sluice::notFound(b + " is not there (build it)");
  }
  std::string id = "sluice-bench-inline-" + std::to_string(getpid());
  SLUICE_ASSIGN_OR_RETURN(cgroup_, sluice::agent::ScopedCgroup::create(id));
  procs_file_ = cgroup_->path() + "/cgroup.procs";
  char tmpl[] = "/tmp/sluice-bench-inline-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return sluice::errnoError(errno, "mkdtemp");
  dir_ = tmpl;
  bpffs_ = "/sys/fs/bpf/" + id;
  std::ofstream(dir_ + "/policy.yaml") << policyText();
  agent_opts_ = {o_.agent, o_.sluicectl,    dir_ + "/policy.yaml", cgroup_->scope(),
                 bpffs_,   dir_ + "/state", dir_ + "/agent.log", o_.agent_args};
  SLUICE_ASSIGN_OR_RETURN(server_,
                          sluice::bench::HttpsServer::start({kInspected, kNotInspected}, kHost));
  return sluice::okStatus();
}

Result<std::string> Bench::runInScope(const std::vector<std::string>& args) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return sluice::errnoError(errno, "pipe");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) return sluice::errnoError(errno, "fork");
  if (pid == 0) {
    // Only async-signal-safe calls here: this process has threads.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    int fd = open(procs_file_.c_str(), O_WRONLY);
    if (fd < 0 || write(fd, "0", 1) != 1) _exit(3);  // "0" moves the writer itself
    close(fd);
    dup2(out[1], STDOUT_FILENO);
    execv(argv[0], const_cast<char**>(argv.data()));
    _exit(127);
  }
  client_ = pid;
  close(out[1]);
  auto [code, text] = sluice::bench::collect(pid, out[0]);
  client_ = -1;
  if (code != 0) {
    return sluice::internalError(args[1] + " " + args[2] + " failed (exit status " +
                                 std::to_string(code) + ")");
  }
  return text;
}

Result<std::vector<double>> Bench::writeLoopBlock() {
  SLUICE_ASSIGN_OR_RETURN(
      std::string text,
      runInScope({self_exe_, "--write-loop", std::to_string(o_.write_calls / o_.blocks),
                  std::to_string(o_.warmup), std::to_string(o_.settle_ms)}));
  std::vector<double> us;
  const char* p = text.c_str();
  char* end;
  for (long long ns = std::strtoll(p, &end, 10); end != p; ns = std::strtoll(p, &end, 10)) {
    us.push_back(static_cast<double>(ns) / 1000.0);
    p = end;
  }
  if (us.size() != static_cast<size_t>(o_.write_calls / o_.blocks)) {
    return sluice::internalError("the SSL_write loop reported " + std::to_string(us.size()) +
                                 " calls");
  }
  return us;
}

Result<std::vector<Sample>> Bench::block(const char* addr, int count, size_t body_bytes) {
  SLUICE_ASSIGN_OR_RETURN(
      std::string text,
      runInScope({self_exe_, "--client", addr, std::to_string(server_->port()),
                  std::to_string(count), std::to_string(o_.warmup), std::to_string(body_bytes),
                  std::to_string(o_.settle_ms)}));
  std::vector<Sample> samples;
  const char* p = text.c_str();
  char* end;
  for (;;) {
    long long rt = std::strtoll(p, &end, 10);
    if (end == p) break;
    long long wr = std::strtoll(end, &end, 10);
    samples.push_back({rt, wr});
    p = end;
  }
  if (samples.size() != static_cast<size_t>(count)) {
    return sluice::internalError("client to " + std::string(addr) + " reported " +
                                 std::to_string(samples.size()) + " of " +
                                 std::to_string(count) + " samples");
  }
  return samples;
}

Result<nlohmann::json> Bench::inlineCounters() {
  SLUICE_ASSIGN_OR_RETURN(auto st, agent_->status());
  if (!st.contains("inline") || !st["inline"].value("enabled", false)) {
    return sluice::failedPrecondition("the agent reports inline inspection disabled");
  }
  return st["inline"];
}

Status Bench::startAgent() {
  SLUICE_ASSIGN_OR_RETURN(agent_, sluice::bench::AgentProcess::start(agent_opts_));
  return sluice::okStatus();
}

Status Bench::stopAgent() {
  Status s = agent_ ? agent_->stop() : sluice::okStatus();
  agent_.reset();
  return s;
}

void Bench::cleanUp() {
  if (client_ > 0) {
    kill(client_, SIGKILL);
    waitpid(client_, nullptr, 0);
    client_ = -1;
  }
  if (agent_) {
    if (Status s = stopAgent(); !s)
      std::fprintf(stderr, "inline_latency: %s\n", s.error().message().c_str());
  } else if (!bpffs_.empty() && fs::exists(bpffs_)) {
    (void)sluice::bench::uninstallPins(o_.agent, bpffs_);
  }
  if (server_) server_->stop();
  server_.reset();
  cgroup_.reset();  // every client has exited, so the cgroup is empty
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
  }
}

void appendUs(const std::vector<Sample>& s, std::vector<double>& rt, std::vector<double>* wr) {
  for (const auto& x : s) {
    rt.push_back(static_cast<double>(x.round_trip_ns) / 1000.0);
    if (wr) wr->push_back(static_cast<double>(x.ssl_write_ns) / 1000.0);
  }
}

int Bench::run() {
  std::string load_before = loadAverage();
  if (Status s = setUp(); !s) {
    std::fprintf(stderr, "inline_latency: %s\n", s.error().message().c_str());
    return 1;
  }
  size_t bulk_bytes = o_.bulk_kb * 1024;
  auto fail = [](const sluice::Error& e) {
    std::fprintf(stderr, "inline_latency: %s\n", e.message().c_str());
    return 1;
  };
  for (int b = 0; b < o_.blocks; ++b) {
    int n = o_.rounds / o_.blocks + (b == o_.blocks - 1 ? o_.rounds % o_.blocks : 0);
    int bulk = o_.bulk_posts / o_.blocks + (b == o_.blocks - 1 ? o_.bulk_posts % o_.blocks : 0);
    if (g_stop) return fail(sluice::unavailable("interrupted"));
    // (a): no agent and nothing pinned.
    if (fs::exists(bpffs_ + "/maps")) return fail(sluice::internalError("pins left in " + bpffs_));
    auto a = block(kInspected, n, o_.body_bytes);
    if (!a) return fail(a.error());
    appendUs(*a, rt_[0], &write_[0]);
    auto a_bulk = block(kInspected, bulk, bulk_bytes);
    if (!a_bulk) return fail(a_bulk.error());
    appendUs(*a_bulk, bulk_rt_[0], nullptr);
    auto a_alone = writeLoopBlock();
    if (!a_alone) return fail(a_alone.error());
    write_alone_[0].insert(write_alone_[0].end(), a_alone->begin(), a_alone->end());

    if (Status s = startAgent(); !s) return fail(s.error());
    std::vector<std::pair<std::string, uint32_t>> programs;
    if (auto st = agent_->status()) {
      for (const auto& p : (*st)["programs"]) {
        programs.emplace_back(p.value("name", ""), p.value("prog_id", 0u));
      }
    }
    std::string holds_pin = bpffs_ + "/maps/holds";
    for (int k = 0; k < 2; ++k) {
      bool inspect = (k == 0) == (b % 2 == 1);  // odd blocks measure (c) first
      if (g_stop) return fail(sluice::unavailable("interrupted"));
      auto before = inlineCounters();
      if (!before) return fail(before.error());
      auto stats_before = prog_stats_.read(programs, holds_pin);
      auto r = block(inspect ? kInspected : kNotInspected, n, o_.body_bytes);
      if (!r) return fail(r.error());
      prog_stats_.add(inspect ? "(c) inspecting" : "(b) not inspected", stats_before,
                      prog_stats_.read(programs, holds_pin));
      appendUs(*r, rt_[inspect ? 2 : 1], &write_[inspect ? 2 : 1]);
      if (inspect) {
        // The agent's own view of this block's small requests (its histograms count from its
        // start, and block (b) adds nothing to them).
        if (auto st = agent_->status(); st && st->contains("inline")) {
          const nlohmann::json& in = (*st)["inline"];
          nlohmann::json verdict = in["verdict_latency_us"];
          verdict["nudged"] = in["sockets_nudged"];
          verdict["nudge"] = in["nudge_latency_us"];
          verdict["waited"] = (*st)["counters"].value("verdict_wait_answered", 0ULL);
          verdict["wait_expired"] = (*st)["counters"].value("verdict_wait_expired", 0ULL);
          std::vector<double> block_rt;
          appendUs(*r, block_rt, nullptr);
          Stats bs = summarize(block_rt);
          verdict["client_p50"] = bs.p50;
          verdict["client_p99"] = bs.p99;
          for (const char* why : {"asleep", "stale", "same_cpu"}) {
            verdict[std::string("skipped_") + why] =
                (*st)["counters"].value(std::string("verdict_wait_skipped_") + why, 0ULL);
          }
          agent_latency_.push_back({in["read_latency_us"], verdict});
        }
        auto r_bulk = block(kInspected, bulk, bulk_bytes);
        if (!r_bulk) return fail(r_bulk.error());
        appendUs(*r_bulk, bulk_rt_[1], nullptr);
      } else {
        auto alone = writeLoopBlock();
        if (!alone) return fail(alone.error());
        write_alone_[1].insert(write_alone_[1].end(), alone->begin(), alone->end());
      }
      auto after = inlineCounters();
      if (!after) return fail(after.error());
      uint64_t requests =
          (*after)["requests"].get<uint64_t>() - (*before)["requests"].get<uint64_t>();
      uint64_t writes = (*after)["writes"].get<uint64_t>() - (*before)["writes"].get<uint64_t>();
      if (inspect) {
        inspected_requests_ += requests;
        if (requests < static_cast<uint64_t>(n + bulk)) {
          return fail(sluice::internalError(
              "block " + std::to_string(b) + ": the agent inspected " + std::to_string(requests) +
              " requests to " + kInspected + ", expected at least " + std::to_string(n + bulk) +
              "; agent status: " + after->dump()));
        }
      } else {
        writes_in_b_ += writes;
        requests_in_b_ += requests;
        if (writes != 0 || requests != 0) {
          return fail(sluice::internalError("block " + std::to_string(b) + ": the agent captured " +
                                            std::to_string(writes) + " writes to " + kNotInspected +
                                            ", which is not an inspect-class destination"));
        }
      }
    }
    if (Status s = stopAgent(); !s) return fail(s.error());
  }
  std::printf("load average: %s at start, %s at end\n", load_before.c_str(), loadAverage().c_str());
  report();
  return 0;
}

void Bench::report() {
  Stats rt[3], wr[3];
  for (int i = 0; i < 3; ++i) {
    rt[i] = summarize(rt_[i]);
    wr[i] = summarize(write_[i]);
  }
  std::printf(
      "inline_latency: %d keep-alive HTTPS POST round trips (%zu-byte chat body) per "
      "configuration, %d alternating blocks\n",
      o_.rounds, sluice::bench::chatBody(o_.body_bytes).size(), o_.blocks);
  std::string args;
  for (const auto& a : o_.agent_args) args += " " + a;
  std::printf("agent started with its defaults%s%s\n", args.empty() ? "" : " and", args.c_str());
  std::printf(
      "agent counters: (c) inline.requests +%llu; (b) inline.writes +%llu, requests +%llu\n",
      static_cast<unsigned long long>(inspected_requests_),
      static_cast<unsigned long long>(writes_in_b_),
      static_cast<unsigned long long>(requests_in_b_));
  const char* names[3] = {"(a) no agent", "(b) agent, not inspected", "(c) agent, inspecting"};
  std::printf("%-28s %9s %9s %9s %12s %12s\n", "round trip", "p50 us", "p99 us", "mean us",
              "write p50 us", "write mean");
  for (int i = 0; i < 3; ++i) {
    std::printf("%-28s %9.1f %9.1f %9.1f %12.2f %12.2f\n", names[i], rt[i].p50, rt[i].p99,
                rt[i].mean, wr[i].p50, wr[i].mean);
  }
  std::printf("round trip p90 / p99.9 us: (a) %.1f / %.1f  (b) %.1f / %.1f  (c) %.1f / %.1f\n",
              rt[0].p90, rt[0].p999, rt[1].p90, rt[1].p999, rt[2].p90, rt[2].p999);
  std::printf("added by (b), not inspected: p50 %+.1f us  p99 %+.1f us\n", rt[1].p50 - rt[0].p50,
              rt[1].p99 - rt[0].p99);
  std::printf("added by (c), inspecting:    p50 %+.1f us  p99 %+.1f us  (goal: <= 30 / <= 100)\n",
              rt[2].p50 - rt[0].p50, rt[2].p99 - rt[0].p99);
  std::printf("added per SSL_write, (b) vs (a): p50 %+.2f us  mean %+.2f us  (goal: <= 1)\n",
              wr[1].p50 - wr[0].p50, wr[1].mean - wr[0].mean);
  double bulk_bytes = static_cast<double>(sluice::bench::chatBody(o_.bulk_kb * 1024).size());
  double mbs[2];
  for (int i = 0; i < 2; ++i) {
    double total_us = 0;
    for (double x : bulk_rt_[i]) total_us += x;
    mbs[i] = total_us > 0 ? bulk_bytes * static_cast<double>(bulk_rt_[i].size()) / total_us : 0;
  }
  Stats b0 = summarize(bulk_rt_[0]), b1 = summarize(bulk_rt_[1]);
  std::printf(
      "%zu KiB bodies, %d POSTs each: (a) %.1f MB/s (p50 %.0f us)  (c) %.1f MB/s "
      "(p50 %.0f us)  ratio (c)/(a) %.3f\n",
      o_.bulk_kb, o_.bulk_posts, mbs[0], b0.p50, mbs[1], b1.p50, mbs[0] > 0 ? mbs[1] / mbs[0] : 0);
  Stats alone[2] = {summarize(write_alone_[0]), summarize(write_alone_[1])};
  std::printf(
      "SSL_write alone, 64 bytes into a memory BIO, %zu calls each: (a) p50 %.3f mean %.3f us, "
      "(b) p50 %.3f mean %.3f us\n",
      write_alone_[0].size(), alone[0].p50, alone[0].mean, alone[1].p50, alone[1].mean);
  std::printf("added per SSL_write alone, (b) vs (a): p50 %+.3f us  mean %+.3f us  (goal: <= 1)\n",
              alone[1].p50 - alone[0].p50, alone[1].mean - alone[0].mean);
  std::printf(
      "agent's view per (c) block, us from the uprobe: write read p50/p99/max, hold answered "
      "p50/p99/max\n");
  for (size_t i = 0; i < agent_latency_.size(); ++i) {
    const auto& [rd, vd] = agent_latency_[i];
    std::printf(
        "  block %zu: round trip p50/p99 %.0f/%.0f; read %llu/%llu/%llu  answered %llu/%llu/%llu (%llu holds; %llu answered "
        "in the probe, %llu waits expired; %llu nudged, nudge p50/p99 %llu/%llu; writes not "
        "waiting: reader asleep %llu, stale %llu, on the writer's CPU %llu)\n",
        i, vd.value("client_p50", 0.0), vd.value("client_p99", 0.0), rd.value("p50", 0ULL), rd.value("p99", 0ULL), rd.value("max", 0ULL), vd.value("p50", 0ULL),
        vd.value("p99", 0ULL), vd.value("max", 0ULL), vd.value("count", 0ULL),
        vd.value("waited", 0ULL), vd.value("wait_expired", 0ULL), vd.value("nudged", 0ULL),
        vd["nudge"].value("p50", 0ULL), vd["nudge"].value("p99", 0ULL),
        vd.value("skipped_asleep", 0ULL), vd.value("skipped_stale", 0ULL),
        vd.value("skipped_same_cpu", 0ULL));
  }
  printProgStats(prog_stats_);
}

bool parseArgs(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help" || i + 1 >= argc) return false;
    std::string v = argv[++i];
    if (a == "--rounds")
      o->rounds = std::atoi(v.c_str());
    else if (a == "--blocks")
      o->blocks = std::atoi(v.c_str());
    else if (a == "--warmup")
      o->warmup = std::atoi(v.c_str());
    else if (a == "--settle-ms")
      o->settle_ms = std::atoi(v.c_str());
    else if (a == "--body-bytes")
      o->body_bytes = std::strtoull(v.c_str(), nullptr, 10);
    else if (a == "--bulk-posts")
      o->bulk_posts = std::atoi(v.c_str());
    else if (a == "--bulk-kb")
      o->bulk_kb = std::strtoull(v.c_str(), nullptr, 10);
    else if (a == "--agent")
      o->agent = v;
    else if (a == "--sluicectl")
      o->sluicectl = v;
    else if (a == "--agent-arg")
      o->agent_args.push_back(v);
    else if (a == "--write-calls")
      o->write_calls = std::atoi(v.c_str());
    else if (a == "--verdict-cpu")
      o->verdict_cpu = std::atoi(v.c_str());
    else
      return false;
  }
  return o->blocks > 0 && o->rounds >= o->blocks && o->bulk_posts >= o->blocks && o->warmup >= 0 &&
         o->write_calls >= o->blocks &&
         o->settle_ms >= 0 && o->body_bytes > 0 && o->bulk_kb > 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 8 && std::strcmp(argv[1], "--client") == 0) return clientMain(argv + 2);
  if (argc == 5 && std::strcmp(argv[1], "--write-loop") == 0) return writeLoopMain(argv + 2);
  Options o;
  if (!parseArgs(argc, argv, &o)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (geteuid() != 0) {
    std::fprintf(stderr,
                 "inline_latency: needs root (it creates a child cgroup and runs sluice-agent, "
                 "which loads BPF programs); run it with sudo\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  // SIGINT/SIGTERM: run the destructors (agent stopped, pins removed, cgroup removed).
  struct sigaction sa {};
  sa.sa_handler = [](int) { g_stop = 1; };
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  if (o.verdict_cpu >= 0) {
    // Everything this process starts inherits the other CPUs; the agent moves its verdict
    // thread to the reserved one.
    cpu_set_t others;
    CPU_ZERO(&others);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    for (long c = 0; c < cpus; ++c) {
      if (c != o.verdict_cpu) CPU_SET(c, &others);
    }
    if (o.verdict_cpu >= cpus || cpus < 2 || sched_setaffinity(0, sizeof(others), &others) != 0) {
      std::fprintf(stderr, "inline_latency: --verdict-cpu %d needs another online CPU besides it "
                           "(%ld online)\n", o.verdict_cpu, cpus);
      return 2;
    }
    o.agent_args.insert(o.agent_args.end(), {"--verdict-cpus", std::to_string(o.verdict_cpu)});
  }
  Bench bench(std::move(o));
  return bench.run();
}
