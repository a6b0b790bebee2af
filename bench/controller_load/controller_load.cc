// controller_load: N simulated agents against a real controller (the library, serving gRPC
// over mutual TLS on 127.0.0.1), on SQLite and on PostgreSQL.
//
//   controller_load [--agents 1000] [--senders 16] [--batch 50] [--seconds 5]
//                   [--postgres URL | --no-postgres]
//
// For each backend it prints:
//   - the baseline: events/s when batches are handed to EventIngest in-process (no gRPC,
//     no TLS), one thread;
//   - sustained events/s over gRPC: `senders` threads, each sending for a rotating share of
//     the agents one StreamEvents call per batch (`batch` alerts plus a heartbeat), as the
//     agent does, with the p50/p99 time from sending a batch to its acknowledgement (the
//     acknowledgement comes after the batch is committed);
//   - the time from a policy push until every one of the N agents' WatchPolicy streams has
//     delivered it.
// Ratios are against the in-process baseline of the same backend and, for PostgreSQL, against
// SQLite in the same run. Without --postgres a throw-away server is started when the
// PostgreSQL binaries are installed (as the controller tests do).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "controller_test_support.h"
#include "sluice/controller/agent_client.h"
#include "sluice/controller/controller.h"
#include "sluice/controller/server.h"
#include "sluice/v1/agent.grpc.pb.h"

namespace {

using namespace sluice;
using namespace sluice::controller;
namespace v1 = sluice::v1;
using Clock = std::chrono::steady_clock;

struct Options {
  int agents = 1000;
  int senders = 16;
  int batch = 50;
  int seconds = 5;
  std::string postgres;
  bool no_postgres = false;
};

struct SimAgent {
  std::string id;
  std::shared_ptr<grpc::Channel> channel;
};

struct Figures {
  double raw_eps = 0;
  double grpc_eps = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double push_s = 0;
  int push_reached = 0;
};

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

v1::EventBatch makeBatch(const std::string& prefix, uint64_t first, int alerts) {
  v1::EventBatch batch;
  int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  for (int i = 0; i < alerts; ++i) {
    auto* e = batch.add_events();
    e->set_id(prefix + std::to_string(first + static_cast<uint64_t>(i)));
    e->set_time_unix_ms(now_ms);
    auto* a = e->mutable_alert();
    a->set_vendor("deepseek");
    a->set_host("api.deepseek.com");
    a->set_dest_ip("198.51.100.7");
    a->set_dest_port(443);
    a->set_severity(v1::SEVERITY_HIGH);
    a->set_action("block");
    a->set_reason("no-baa");
    a->set_process("python3");
    auto* ev = a->add_evidence();
    ev->set_phi_type("ssn");
    ev->set_masked_excerpt("SSN ***-**-6789");
  }
  auto* hb = batch.add_events();
  hb->set_id(prefix + "hb-" + std::to_string(first));
  hb->set_time_unix_ms(now_ms);
  hb->mutable_heartbeat()->set_health("ok");
  return batch;
}

// Receives every agent's WatchPolicy stream on one completion queue.
class WatchFleet {
 public:
  explicit WatchFleet(const std::vector<SimAgent>& agents) : watches_(agents.size()) {
    for (size_t i = 0; i < agents.size(); ++i) {
      auto& w = watches_[i];
      w.stub = v1::AgentService::NewStub(agents[i].channel);
      w.reader = w.stub->PrepareAsyncWatchPolicy(&w.context, v1::WatchPolicyRequest(), &cq_);
      w.reader->StartCall(tag(i, false));
    }
    thread_ = std::thread([this] { drain(); });
  }
  ~WatchFleet() {
    for (auto& w : watches_) w.context.TryCancel();
    cq_.Shutdown();
    thread_.join();
  }
  // Streams the controller has accepted (each one is a TLS connection and a server thread).
  int started() const { return started_.load(); }
  int reached(uint64_t version) const {
    int n = 0;
    for (const auto& w : watches_) n += w.version.load() >= version ? 1 : 0;
    return n;
  }

 private:
  struct Watch {
    grpc::ClientContext context;
    std::unique_ptr<v1::AgentService::Stub> stub;
    std::unique_ptr<grpc::ClientAsyncReader<v1::PolicyBundle>> reader;
    v1::PolicyBundle bundle;
    std::atomic<uint64_t> version{0};
  };
  static void* tag(size_t i, bool read) {
    return reinterpret_cast<void*>(static_cast<uintptr_t>(i * 2 + (read ? 1 : 0) + 2));
  }
  void drain() {
    void* t = nullptr;
    bool ok = false;
    while (cq_.Next(&t, &ok)) {
      auto v = reinterpret_cast<uintptr_t>(t) - 2;
      auto& w = watches_[v / 2];
      if (!ok) continue;  // the stream ended; the figures count it as not reached
      if (v % 2 == 0) ++started_;
      if (v % 2 == 1) {
        v1::PolicyBundleBody body;
        if (body.ParseFromString(w.bundle.body())) w.version = body.version();
      }
      w.reader->Read(&w.bundle, tag(v / 2, true));
    }
  }
  std::vector<Watch> watches_;
  grpc::CompletionQueue cq_;
  std::atomic<int> started_{0};
  std::thread thread_;
};

bool sendBatch(const SimAgent& agent, const v1::EventBatch& batch) {
  auto stub = v1::AgentService::NewStub(agent.channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  auto stream = stub->StreamEvents(&ctx);
  v1::EventAck ack;
  bool acked = stream->Write(batch) && stream->Read(&ack);
  stream->WritesDone();
  return stream->Finish().ok() && acked && ack.event_ids_size() == batch.events_size();
}

Result<Figures> runBackend(const std::string& label, const std::string& db_url,
                           const Options& opt) {
  SystemClock clock;
  controller::testing::TempDir dir;
  InitOptions init;
  init.data_dir = dir.path() + "/data";
  init.db_url = db_url;
  SLUICE_RETURN_IF_ERROR(initDataDir(init, clock));
  SLUICE_ASSIGN_OR_RETURN(auto owned,
                          Controller::open(init.data_dir, db_url, clock, defaultPolicyValidator()));
  Controller* ctl = owned.get();
  ServeOptions serve;
  serve.listen = "127.0.0.1:0";
  SLUICE_ASSIGN_OR_RETURN(auto server, ControllerServer::start(std::move(owned), serve));
  std::string address = "127.0.0.1:" + std::to_string(server->port());

  // Enrolment through the registry (one key for every simulated agent keeps set-up short).
  auto t_enrol = Clock::now();
  SLUICE_ASSIGN_OR_RETURN(std::string key, generateEcKeyPem());
  SLUICE_ASSIGN_OR_RETURN(std::string csr, makeCsr(key, "bench"));
  std::vector<SimAgent> agents;
  for (int i = 0; i < opt.agents; ++i) {
    SLUICE_ASSIGN_OR_RETURN(auto token, ctl->agents->createToken("bench", 3600, {}));
    SLUICE_ASSIGN_OR_RETURN(
        auto enrolled, ctl->agents->enroll(token.secret, csr, "sim-" + std::to_string(i), "bench"));
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = ctl->ca->certPem();
    tls.pem_private_key = key;
    tls.pem_cert_chain = enrolled.cert.pem;
    grpc::ChannelArguments args = agentChannelArguments();
    args.SetInt("sluice.bench.agent", i);  // one connection per agent, as in a real fleet
    agents.push_back(
        {enrolled.agent.id, grpc::CreateCustomChannel(address, grpc::SslCredentials(tls), args)});
  }
  std::fprintf(stderr, "%s: %d agents enrolled in %.1f s\n", label.c_str(), opt.agents,
               since(t_enrol));

  Figures f;
  // Baseline: EventIngest in-process, one thread.
  {
    uint64_t events = 0;
    uint64_t seq = 0;
    auto t0 = Clock::now();
    while (since(t0) < opt.seconds) {
      auto batch = makeBatch("raw-", seq, opt.batch);
      seq += static_cast<uint64_t>(opt.batch);
      SLUICE_RETURN_IF_ERROR(ctl->events->ingest(agents[0].id, batch));
      events += static_cast<uint64_t>(batch.events_size());
    }
    f.raw_eps = static_cast<double>(events) / since(t0);
  }

  // Every agent connected and watching before the load starts, as in a running fleet.
  WatchFleet watchers(agents);
  auto t_watch = Clock::now();
  while (watchers.started() < opt.agents && since(t_watch) < 120) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::fprintf(stderr, "%s: %d policy streams open after %.1f s\n", label.c_str(),
               watchers.started(), since(t_watch));
  // Sustained load over gRPC.
  {
    std::atomic<bool> stop{false};
    std::atomic<uint64_t> events{0};
    std::atomic<int> failures{0};
    std::vector<std::vector<double>> latencies(static_cast<size_t>(opt.senders));
    std::vector<std::thread> senders;
    auto t0 = Clock::now();
    for (int s = 0; s < opt.senders; ++s) {
      senders.emplace_back([&, s] {
        uint64_t seq = 0;
        for (size_t i = static_cast<size_t>(s); !stop; i += static_cast<size_t>(opt.senders)) {
          const SimAgent& agent = agents[i % agents.size()];
          auto batch = makeBatch("g" + std::to_string(s) + "-", seq, opt.batch);
          seq += static_cast<uint64_t>(opt.batch);
          auto sent = Clock::now();
          if (!sendBatch(agent, batch)) {
            ++failures;
            continue;
          }
          latencies[static_cast<size_t>(s)].push_back(since(sent) * 1000);
          events += static_cast<uint64_t>(batch.events_size());
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::seconds(opt.seconds));
    stop = true;
    for (auto& t : senders) t.join();
    f.grpc_eps = static_cast<double>(events.load()) / since(t0);
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    std::sort(all.begin(), all.end());
    if (!all.empty()) {
      f.p50_ms = all[all.size() / 2];
      f.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)];
    }
    if (failures > 0)
      std::fprintf(stderr, "%s: %d batches failed\n", label.c_str(), failures.load());
  }

  // A push reaching every agent.
  {
    std::string yaml =
        "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: bench}\nspec:\n"
        "  destinations:\n    - {name: blocked, cidrs: [\"198.51.100.0/24\"], class: deny}\n";
    auto t0 = Clock::now();
    SLUICE_ASSIGN_OR_RETURN(auto pushed,
                            ctl->policies->push("bench", yaml, "bench.yaml", "", false));
    while (watchers.reached(pushed.version) < opt.agents && since(t0) < 60) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    f.push_s = since(t0);
    f.push_reached = watchers.reached(pushed.version);
  }
  server->shutdown();
  return f;
}

void print(const std::string& label, const Figures& f, const Options& opt, const Figures* sqlite) {
  std::printf("%-10s baseline (EventIngest in-process, 1 thread): %9.0f events/s\n", label.c_str(),
              f.raw_eps);
  std::printf(
      "%-10s gRPC, %d senders over %d agents, %d alerts + 1 heartbeat per batch: "
      "%9.0f events/s = %.2fx baseline",
      label.c_str(), opt.senders, opt.agents, opt.batch, f.grpc_eps, f.grpc_eps / f.raw_eps);
  if (sqlite) std::printf(" = %.2fx SQLite", f.grpc_eps / sqlite->grpc_eps);
  std::printf("\n%-10s ingest latency (send to ack, per batch): p50 %.1f ms, p99 %.1f ms\n",
              label.c_str(), f.p50_ms, f.p99_ms);
  std::printf("%-10s policy push reached %d/%d agents in %.2f s\n", label.c_str(), f.push_reached,
              opt.agents, f.push_s);
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--agents")
      opt.agents = std::atoi(next().c_str());
    else if (a == "--senders")
      opt.senders = std::atoi(next().c_str());
    else if (a == "--batch")
      opt.batch = std::atoi(next().c_str());
    else if (a == "--seconds")
      opt.seconds = std::atoi(next().c_str());
    else if (a == "--postgres")
      opt.postgres = next();
    else if (a == "--no-postgres")
      opt.no_postgres = true;
    else {
      std::fprintf(stderr,
                   "usage: controller_load [--agents N] [--senders N] [--batch N] "
                   "[--seconds N] [--postgres URL | --no-postgres]\n");
      return 2;
    }
  }
  if (opt.agents < 1 || opt.senders < 1 || opt.batch < 1 || opt.seconds < 1) {
    std::fprintf(stderr, "controller_load: every count must be at least 1\n");
    return 2;
  }
  auto sqlite = runBackend("sqlite", "", opt);
  if (!sqlite) {
    std::fprintf(stderr, "controller_load: sqlite: %s\n", sqlite.error().toString().c_str());
    return 1;
  }
  print("sqlite", *sqlite, opt, nullptr);
  if (opt.no_postgres) return 0;
  std::unique_ptr<controller::testing::TempPostgres> pg;
  std::string url = opt.postgres;
  if (url.empty()) {
    auto started = controller::testing::TempPostgres::start();
    if (!started) {
      std::printf("postgres   skipped: %s\n", started.error().toString().c_str());
      return 0;
    }
    pg = std::move(*started);
    auto db = pg->newDatabase();
    if (!db) {
      std::fprintf(stderr, "controller_load: %s\n", db.error().toString().c_str());
      return 1;
    }
    url = *db;
  }
  auto postgres = runBackend("postgres", url, opt);
  if (!postgres) {
    std::fprintf(stderr, "controller_load: postgres: %s\n", postgres.error().toString().c_str());
    return 1;
  }
  print("postgres", *postgres, opt, &*sqlite);
  return 0;
}
