// File: inline_enforcer.h
//
// Inline PHI enforcement: the user-space half of the hold (docs/architecture.md, "Inline
// enforcement"). The kernel side is in bpf/tls_capture.bpf.c (capture and arm) and
// bpf/egress.bpf.c (hold, timeout, fail mode, uninspectable TLS).
//
// For every TLS write captured in the scope this class
//   1. puts the plaintext of each TLS object back together and decodes it into HTTP requests
//      (RequestInspector: HTTP/1.1, HTTP/2, WebSocket, gzip, multipart) scanned for PHI;
//   2. judges each complete request with spec.rules[] (policy::judgeRequest);
//   3. block: destroys the socket that carries the request (SOCK_DESTROY, found by matching
//      the request's Host to the socket's SNI), so the bytes never leave and the client's write
//      fails with ECONNABORTED; audit: raises the alert and lets it go;
//   4. answers the process's writes once none of its requests is incomplete, which ends the
//      hold, and nudges the held sockets (TCP_NODELAY through pidfd_getfd) so the data leaves
//      now rather than at TCP's retransmission timer.
// Lost plaintext, undecodable bytes and expired holds get spec.failMode. Alerts carry the PHI
// types, counts, offsets and masked excerpts; never a raw value.
//
// Two threads. The verdict thread (started by the first setPolicy) reads the ring, judges
// and answers; every held request waits for it, so it does nothing else. The agent's event
// loop calls the public methods, which lock the shared state, delivers the alerts
// (flushOutbox) so that output and the controller link stay on one thread, and probes new
// programs (flushOutbox, onTimeout): the library inventory and the uprobe attachments are
// its alone.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/abi.h"
#include "sluice/agent/events.h"
#include "sluice/agent/latency_histogram.h"
#include "sluice/agent/process_sockets.h"
#include "sluice/agent/request_inspector.h"
#include "sluice/agent/tls_capture.h"
#include "sluice/agent/tls_discovery.h"
#include "sluice/common/result.h"
#include "sluice/policy/policy.h"
#include "sluice/scanner/scanner.h"

namespace sluice::agent {

struct InlineOptions {
  std::string bpffs_dir;   // where ConnectEnforcer pinned the maps (holds, sk_state, ...)
  std::string scope_path;  // absolute cgroup directory
  std::string state_dir;   // holds evidence.key, the key of the alerts' keyed hashes
  uint32_t ring_bytes = 0;  // chunk ring buffer size; 0 = the default
  std::shared_ptr<scanner::Scanner> scanner;  // shared with the caller; null: one of its own
  // The verdict thread's SCHED_FIFO priority (1-99), or 0 for normal scheduling. A held
  // request waits for this thread: at a real-time priority no other work on the host delays
  // it once it is woken, but being woken costs more than a normal thread that is still
  // reading (docs/PERFORMANCE.md). Where the kernel refuses real-time scheduling it warns and
  // runs at normal scheduling.
  int verdict_priority = 0;
  // CPUs the verdict thread may run on (empty: any). A verdict thread with a CPU of its own
  // is never kept waiting by the clients it judges, nor keeps them waiting while it reads on.
  std::vector<int> verdict_cpus;
  // After a write, how long the verdict thread keeps reading the ring before it sleeps (0:
  // never spins). Unset: 2000 us when it has CPUs of its own (verdict_cpus); otherwise 200 us
  // at normal scheduling and 0 at real-time priority, where reading on would keep the client
  // and server it waits for off its CPU.
  std::optional<uint32_t> spin_us;
  // How long a captured write waits in its probe for the verdict before it goes on to the
  // socket (and is held there by egress if the verdict is later). 0: no wait.
  uint32_t verdict_wait_us = 50;
  // Libraries probed at start even when no process maps them yet, so a process that starts
  // later is captured from its first write.
  std::vector<std::string> library_globs = {
      "/usr/lib/x86_64-linux-gnu/libssl.so*", "/usr/lib/x86_64-linux-gnu/libgnutls.so*",
      "/usr/lib/x86_64-linux-gnu/libnspr4.so", "/lib64/libssl.so*", "/usr/lib64/libssl.so*",
      "/usr/local/lib/libssl.so*"};
};

struct InlineHooks {
  std::function<void(const nlohmann::json&)> emit;  // alerts and inline events
  std::function<bool(uint64_t cgroup_id)> in_scope;  // checked before anything destructive
};

class InlineEnforcer {
 public:
  static Result<std::unique_ptr<InlineEnforcer>> create(const InlineOptions& options,
                                                        InlineHooks hooks);
  ~InlineEnforcer();
  InlineEnforcer(const InlineEnforcer&) = delete;
  InlineEnforcer& operator=(const InlineEnforcer&) = delete;

  // The policy the verdicts follow (copied). Call before the first event and on every reload.
  void setPolicy(const policy::Policy& policy, const PolicyContext& context);

  // Alerts and inline events are made on the verdict thread and handed to the caller's
  // thread: when outboxFd() is readable, flushOutbox() passes them to hooks.emit in order,
  // and probes the programs that started in the scope.
  int outboxFd() const { return outbox_fd_; }
  void flushOutbox();
  // Milliseconds until onTimeout() has work (a delayed library rescan), or -1.
  int timeoutMs() const;
  void onTimeout();
  // Ends the verdict thread (the destructor does too); the holds stay with the kernel.
  void stop();
  // Events of cgroup_skb/egress: SLUICE_HOOK_HOLD (expired, lost, uninspectable) and the SNI
  // of inspect-class sockets (remembered to match a request's Host to its socket).
  void onNameEvent(const sluice_name_event& e, const nlohmann::json& event_json);
  // Every few seconds: forgets exited processes and deletes their hold records.
  void tick();

  nlohmann::json status() const;

 private:
  struct Stream {
    std::unique_ptr<RequestInspector> inspector;
    std::string host;  // of the last request seen on it
    // The last write fed to the inspector: a TLS library call that could not send everything
    // is repeated by the application with the same buffer (or the unsent tail of it), and
    // the uprobe sees each call. Those repeats are recognised here and not fed twice.
    uint64_t last_buf = 0;
    uint32_t last_len = 0;
    std::string last_bytes;
    // The next write is never taken for a retry of an earlier one.
    void forgetLastWrite() {
      last_buf = 0;
      last_len = 0;
      last_bytes.clear();
    }
  };
  struct Write {
    uint64_t tls_obj = 0;
    uint16_t next_index = 0;
    bool lost = false;
    bool discard = false;  // its request was blocked: the rest is not inspected
    bool maybe_retry = false;  // buffered until complete, then compared with the last write
    std::string bytes;         // this write's bytes (kept to recognise its retries)
  };
  struct Proc {
    pid_t tgid = 0;
    uint64_t cgroup_id = 0;
    uint64_t answered = 0;              // last answer given to the kernel
    uint64_t answered_ns = 0;           // when (CLOCK_MONOTONIC)
    uint64_t pending = 0;               // last write said to need more bytes
    uint64_t hold_start_ns = 0;         // first chunk of the write that began the hold
    uint64_t complete = 0;              // writes 1..complete were all seen whole
    std::map<uint64_t, Write> writing;  // by seq: writes whose last chunk has not come
    std::set<uint64_t> done_ahead;      // complete writes past a gap
    std::map<uint64_t, Stream> streams;  // by TLS object
    std::optional<ProcessSockets> sockets;
    std::string fail_reason;  // set: the fail mode applies at the next answer
    std::string fail_host;
  };

  InlineEnforcer(InlineOptions options, InlineHooks hooks)
      : options_(std::move(options)), hooks_(std::move(hooks)) {}
  Status setUp();
  // The verdict thread: reads the chunk ring, judges, answers. Everything below runs on it
  // with mu_ held, except the public entry points, which take mu_ themselves.
  void verdictLoop();
  // The verdict thread's CPUs and priority, from options_; they set pinned_ and realtime_,
  // which choose the default spin_us_.
  void setThreadPriority();
  void setThreadCpus();
  // Drains the ring; at normal priority keeps reading for spin_us after the last record.
  void serviceRing();
  void emit(nlohmann::json event);
  void reconcile();
  void onChunk(const sluice_tls_chunk& c);
  // Feeds bytes of a write to its stream's inspector and judges completed requests.
  void feed(Proc& p, Stream& s, Write& w, std::string_view data, uint64_t ts);
  void onExec(pid_t pid);
  void attachNewBinaries(pid_t pid);
  // Saves the probed binaries to the state directory, for the next start.
  void rememberBinaries();
  Proc& proc(const sluice_tls_chunk& c);
  // Returns true when the request was blocked (its socket destroyed).
  bool judge(Proc& p, Stream& s, const InspectedRequest& r, uint64_t chunk_ts);
  void finishWrite(Proc& p, uint64_t seq);
  // After a destroy: the process's streams start afresh (no inspector, no retry memory).
  void forgetStreams(Proc& p);
  bool inspectedHost(Proc& p, const std::string& host);
  // The process's sockets to inspect-class destinations (their sk_storage says so).
  std::optional<std::vector<ProcessSocket>> inspectSockets(Proc& p);
  void settle(Proc& p);
  void answer(Proc& p, uint64_t upto);
  // Tells the probe that write `seq` has been read but its request is incomplete, so the
  // write stops waiting for a verdict (egress holds it until the request is judged).
  void markPending(Proc& p, uint64_t seq);
  bool writeAnswer(const Proc& p, uint64_t answered, uint64_t answered_ns, uint64_t pending);
  // Nudges the held sockets if the kernel dropped anything after `answered_before`.
  void nudgeHeld(Proc& p, uint64_t answered_before);
  // Destroys the sockets of `p` that carry traffic for `host` (empty: the held ones, else
  // every inspect-class one). Returns a description per socket for the alert.
  nlohmann::json destroyFor(Proc& p, const std::string& host, const std::string& why);
  void failMode(Proc& p, const std::string& reason, const std::string& host);
  std::optional<sluice_hold> readHold(uint32_t tgid) const;
  bool holdExpired(const Proc& p) const;
  ProcessSockets* sockets(Proc& p);
  nlohmann::json processJson(const Proc& p) const;

  InlineOptions options_;
  InlineHooks hooks_;
  std::shared_ptr<scanner::Scanner> scanner_;
  std::string evidence_key_;
  std::unique_ptr<TlsCapture> capture_;
  TlsCapture::Handlers capture_handlers_;
  TlsInventory inventory_;
  std::map<uint32_t, Proc> procs_;
  std::map<uint64_t, std::string> sni_by_cookie_;
  struct HostClass {
    std::string vendor;    // catalog vendor id, or ""
    bool inspect = false;  // the policy classes the name itself as inspect
  };
  std::map<std::string, HostClass> vendor_by_host_;
  std::deque<std::pair<int64_t, pid_t>> rescans_;  // (due CLOCK_MONOTONIC ms, pid)
  int holds_fd_ = -1;
  int answers_fd_ = -1;
  int sk_state_fd_ = -1;
  int cfg_fd_ = -1;
  int64_t mono_offset_ns_ = 0;

  mutable std::mutex mu_;  // all of the state above and below, between the two threads
  std::thread thread_;
  int stop_fd_ = -1;  // eventfd: the verdict thread returns
  std::atomic<bool> realtime_{false};
  std::atomic<bool> pinned_{false};  // running on options_.verdict_cpus
  uint32_t spin_us_ = 0;               // the verdict thread's own
  std::mutex outbox_mu_;
  std::vector<nlohmann::json> outbox_;
  std::vector<pid_t> execs_;  // programs started in the scope, to probe
  int outbox_fd_ = -1;  // eventfd: outbox_ has events

  // The policy, as the verdicts need it.
  std::unique_ptr<policy::Policy> policy_;
  PolicyContext context_;
  bool hold_ = true;
  bool fail_open_ = false;
  uint64_t hold_timeout_ns_ = 2000000000ull;

  struct Stats {
    uint64_t writes = 0, bytes = 0, requests = 0, blocked = 0, audited = 0, allowed = 0;
    uint64_t failed = 0, destroyed = 0, nudged = 0, lost_writes = 0;
    // From the uprobe's timestamp of a write's last chunk to the agent reading it, and from
    // the start of a hold to its answer: the latency a held request sees. Then the time the
    // agent takes to push held sockets out.
    LatencyHistogram read_latency, verdict_latency, nudge_latency;
  } stats_;
};

}  // namespace sluice::agent
