#include "sluice/agent/inline_enforcer.h"

#include <fcntl.h>
#include <glob.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "sluice/agent/cgroup.h"
#include "sluice/agent/process_info.h"
#include "sluice/common/logging.h"
#include "sluice/policy/catalog.h"
#include "sluice/policy/decision.h"
#include "sluice/policy/rules.h"
#include "sluice/scanner/finding.h"
#include "sluice/scanner/redact.h"

namespace sluice::agent {
namespace {

namespace fs = std::filesystem;

// In the state directory: the TLS binaries probed so far, probed again at the next start.
constexpr char kKnownBinaries[] = "inline-binaries";

int64_t monotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

Result<int> openPinnedMap(const std::string& bpffs, const char* name) {
  std::string path = bpffs + "/maps/" + name;
  int fd = bpf_obj_get(path.c_str());
  if (fd < 0) return errnoError(errno, "opening pinned map " + path);
  return fd;
}

// Writes up to this size are kept until the next one, to recognise a retried call.
constexpr size_t kKeepWriteBytes = 4u << 20;

bool startsWithH2Preface(std::string_view d) { return d.substr(0, 14) == "PRI * HTTP/2.0"; }

bool startsWithMethod(std::string_view d) {
  for (std::string_view m : {"GET ", "POST ", "PUT ", "PATCH ", "DELETE ", "HEAD ", "OPTIONS "}) {
    if (d.substr(0, m.size()) == m) return true;
  }
  return false;
}

// The findings of a request, grouped by type: counts, offsets, masked excerpts and keyed
// hashes (never values).
nlohmann::json phiJson(const InspectedRequest& r) {
  std::map<std::string, nlohmann::json> by_type;
  auto add = [&](const std::vector<scanner::Finding>& findings,
                 const std::vector<FindingEvidence>& evidence, const char* where) {
    for (size_t i = 0; i < findings.size(); ++i) {
      const auto& f = findings[i];
      auto& t = by_type[std::string(scanner::typeName(f.type))];
      if (t.is_null()) {
        t = {{"count", 0}, {"findings", nlohmann::json::array()}};
      }
      t["count"] = t["count"].get<int>() + 1;
      nlohmann::json one = {{"in", where}, {"start", f.start}, {"end", f.end}, {"score", f.score}};
      if (i < evidence.size()) {
        one["masked"] = evidence[i].masked;
        one["hash"] = evidence[i].keyed_hash;
      }
      t["findings"].push_back(std::move(one));
    }
  };
  add(r.findings, r.evidence, "body");
  add(r.head_findings, r.head_evidence, "head");
  nlohmann::json out = nlohmann::json::array();
  for (auto& [type, j] : by_type) {
    j["type"] = type;
    out.push_back(std::move(j));
  }
  return out;
}

// The key for the alerts' keyed hashes: made once per host (32 random bytes, 0600) and kept in
// the state directory, so the same value hashes the same across restarts and can be
// correlated across alerts without being revealed.
Result<std::string> evidenceKey(const std::string& state_dir) {
  std::string path = state_dir + "/evidence.key";
  std::string key(32, '\0');
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t n = read(fd, key.data(), key.size());
    close(fd);
    if (n == static_cast<ssize_t>(key.size())) return key;
    return failedPrecondition(path + " is not a 32-byte key; remove it to make a new one");
  }
  if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1) {
    return internalError("no random bytes for the evidence key");
  }
  fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return errnoError(errno, "creating " + path);
  bool ok = write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size());
  close(fd);
  if (!ok) return internalError("writing " + path);
  return key;
}

std::vector<std::string> phiTypes(const InspectedRequest& r) {
  std::vector<std::string> out;
  for (const auto* list : {&r.findings, &r.head_findings}) {
    for (const auto& f : *list) out.emplace_back(scanner::typeName(f.type));
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<InlineEnforcer>> InlineEnforcer::create(const InlineOptions& options,
                                                               InlineHooks hooks) {
  std::unique_ptr<InlineEnforcer> self(new InlineEnforcer(options, std::move(hooks)));
  SLUICE_RETURN_IF_ERROR(self->setUp());
  return self;
}

void InlineEnforcer::stop() {
  if (thread_.joinable()) {
    uint64_t one = 1;
    (void)!write(stop_fd_, &one, sizeof(one));
    thread_.join();
  }
}

InlineEnforcer::~InlineEnforcer() {
  stop();
  for (int fd : {holds_fd_, answers_fd_, sk_state_fd_, cfg_fd_, stop_fd_, outbox_fd_}) {
    if (fd >= 0) close(fd);
  }
}

Status InlineEnforcer::setUp() {
  auto log = logging::get("inline");
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  outbox_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd_ < 0 || outbox_fd_ < 0) return errnoError(errno, "eventfd");
  if (options_.scanner) {
    scanner_ = options_.scanner;
  } else {
    SLUICE_ASSIGN_OR_RETURN(scanner_, scanner::Scanner::create());
  }
  SLUICE_ASSIGN_OR_RETURN(evidence_key_, evidenceKey(options_.state_dir));
  SLUICE_ASSIGN_OR_RETURN(holds_fd_, openPinnedMap(options_.bpffs_dir, "holds"));
  SLUICE_ASSIGN_OR_RETURN(answers_fd_, openPinnedMap(options_.bpffs_dir, "hold_answers"));
  SLUICE_ASSIGN_OR_RETURN(sk_state_fd_, openPinnedMap(options_.bpffs_dir, "sk_state"));
  SLUICE_ASSIGN_OR_RETURN(cfg_fd_, openPinnedMap(options_.bpffs_dir, "name_cfg"));
  TlsCapture::CaptureOptions co;
  co.ring_bytes = options_.ring_bytes;
  SLUICE_ASSIGN_OR_RETURN(capture_, TlsCapture::create(options_.bpffs_dir, options_.scope_path, co));
  capture_handlers_.chunk = [this](const sluice_tls_chunk& c) { onChunk(c); };
  capture_handlers_.exec = [this](pid_t pid) {
    // Probing a new program reads /proc and ELF files (milliseconds): the agent's event loop
    // does it, so that the verdict thread never keeps a held write waiting for it.
    {
      std::lock_guard lock(outbox_mu_);
      execs_.push_back(pid);
    }
    uint64_t one = 1;
    (void)!write(outbox_fd_, &one, sizeof(one));
  };
  mono_offset_ns_ = monotonicToRealtimeOffset();

  // Probe the system's TLS libraries before any process maps them, then whatever the running
  // processes map (a container's own libssl, node, Go binaries).
  for (const auto& pattern : options_.library_globs) {
    glob_t g{};
    if (::glob(pattern.c_str(), 0, nullptr, &g) == 0) {
      for (size_t i = 0; i < g.gl_pathc; ++i) {
        if (fs::is_symlink(g.gl_pathv[i])) continue;  // the file itself is probed once
        if (auto r = inventory_.analyseFile(g.gl_pathv[i]); !r) {
          log->debug("{}: {}", g.gl_pathv[i], r.error().message());
        }
      }
    }
    globfree(&g);
  }
  // The programs an earlier run probed (node, Go binaries, other static TLS): probed again
  // now, so that their next process is captured from its first write instead of racing the
  // probe at exec.
  std::ifstream known(options_.state_dir + "/" + kKnownBinaries);
  uint64_t dev = 0, inode = 0;
  std::string path;
  while (known >> dev >> inode && std::getline(known >> std::ws, path)) {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0 || static_cast<uint64_t>(st.st_dev) != dev ||
        static_cast<uint64_t>(st.st_ino) != inode) {
      continue;  // gone or replaced: its next process is probed at exec
    }
    (void)inventory_.analyseFile(path);
  }
  if (Status s = inventory_.scan("/proc"); !s) log->warn("TLS library scan: {}", s.error().message());
  std::vector<std::string> errors;
  size_t probes = capture_->attach(inventory_, &errors);
  for (const auto& e : errors) log->warn("uprobe not attached: {}", e);
  rememberBinaries();
  SLUICE_RETURN_IF_ERROR(capture_->watchExecs());
  log->info("inline inspection: {} uprobes on {} TLS binaries", probes,
            inventory_.binaries().size());

  return okStatus();
}

void InlineEnforcer::reconcile() {
  // Holds left by a previous agent: their plaintext is gone, so the fail mode decides. The
  // records of exited processes are removed.
  auto log = logging::get("inline");
  auto mount = findCgroup2Mount();
  std::vector<uint32_t> tgids;
  uint32_t key = 0, next = 0;
  uint32_t* prev = nullptr;
  while (bpf_map_get_next_key(holds_fd_, prev, &next) == 0) {
    tgids.push_back(next);
    key = next;
    prev = &key;
  }
  for (uint32_t tgid : tgids) {
    if (kill(static_cast<pid_t>(tgid), 0) != 0 && errno == ESRCH) {
      bpf_map_delete_elem(holds_fd_, &tgid);
      bpf_map_delete_elem(answers_fd_, &tgid);
      continue;
    }
    auto h = readHold(tgid);
    sluice_hold_answer a{};
    bpf_map_lookup_elem(answers_fd_, &tgid, &a);
    if (!h || h->writes <= a.answered) continue;
    Proc& p = procs_[tgid];
    p.tgid = static_cast<pid_t>(tgid);
    p.answered = a.answered;
    p.pending = a.pending;
    p.complete = h->writes;
    auto cg = processCgroup(p.tgid);
    if (cg && mount) {
      if (auto id = cgroupId(*mount + *cg)) p.cgroup_id = *id;
    }
    log->warn("process {} had {} unanswered TLS writes when the agent started", tgid,
              h->writes - a.answered);
    failMode(p, "the agent restarted during a hold", "");
  }
}

void InlineEnforcer::setPolicy(const policy::Policy& policy, const PolicyContext& context) {
  std::lock_guard lock(mu_);
  bool first = policy_ == nullptr;
  policy_ = std::make_unique<policy::Policy>(policy);
  context_ = context;
  hold_ = policy.mode == policy::Mode::kEnforce;
  fail_open_ = policy.fail_mode == policy::FailMode::kOpen;
  hold_timeout_ns_ = static_cast<uint64_t>(policy.hold_timeout_ms) * 1000000;
  // Waiting for a verdict only pays where there is a hold to avoid.
  uint64_t wait_ns = hold_ ? uint64_t{options_.verdict_wait_us} * 1000 : 0;
  capture_->setVerdictWait(wait_ns);
  vendor_by_host_.clear();
  // A write repeated after this is judged by this policy, not taken for a retry of one the
  // previous policy judged.
  for (auto& [tgid, p] : procs_) {
    for (auto& [obj, st] : p.streams) st.forgetLastWrite();
  }
  if (first) {
    reconcile();
    // It inherits the signal mask of the agent, which blocks the signals its event loop
    // reads from a signalfd before any thread starts (Agent::setUp).
    thread_ = std::thread([this] { verdictLoop(); });
  }
}

void InlineEnforcer::setThreadCpus() {
  if (options_.verdict_cpus.empty()) return;
  auto log = logging::get("inline");
  cpu_set_t set;
  CPU_ZERO(&set);
  std::string list;
  for (int cpu : options_.verdict_cpus) {
    CPU_SET(cpu, &set);
    list += (list.empty() ? "" : ",") + std::to_string(cpu);
  }
  if (sched_setaffinity(0, sizeof(set), &set) != 0) {
    log->warn("verdict thread: CPUs {} refused ({}); it runs on any CPU (offline CPUs, or a "
              "cpuset without them?)",
              list, std::strerror(errno));
    return;
  }
  pinned_ = true;
  log->info("verdict thread on CPUs {}", list);
}

void InlineEnforcer::setThreadPriority() {
  auto log = logging::get("inline");
  if (options_.verdict_priority <= 0) {
    log->info("verdict thread at normal scheduling");
    return;
  }
  sched_param param{};
  param.sched_priority = options_.verdict_priority;
  // Only this thread; anything it might start runs at normal scheduling.
  if (sched_setscheduler(0, SCHED_FIFO | SCHED_RESET_ON_FORK, &param) != 0) {
    log->warn(
        "verdict thread: real-time priority {} refused ({}); it runs at normal scheduling and "
        "held requests may wait longer on a busy host (CAP_SYS_NICE, or a cgroup without "
        "real-time runtime?)",
        options_.verdict_priority, std::strerror(errno));
    return;
  }
  realtime_ = true;
  log->info("verdict thread at SCHED_FIFO priority {}", options_.verdict_priority);
}

void InlineEnforcer::verdictLoop() {
  pthread_setname_np(pthread_self(), "sluice-verdict");  // as ps and top show it
  setThreadCpus();
  setThreadPriority();
  spin_us_ = options_.spin_us.value_or(pinned_ ? 2000 : realtime_ ? 0 : 200);
  logging::get("inline")->info("verdict thread reads for {} us after each write", spin_us_);
  for (;;) {
    pollfd fds[2] = {{capture_->chunksFd(), POLLIN, 0}, {stop_fd_, POLLIN, 0}};
    int n = poll(fds, 2, -1);
    if (n < 0 && errno != EINTR) {
      logging::get("inline")->error("verdict thread: poll: {}", std::strerror(errno));
      return;
    }
    if (fds[1].revents & POLLIN) return;
    if (fds[0].revents & POLLIN) serviceRing();
  }
}

void InlineEnforcer::serviceRing() {
  // Keep reading for a short while after a write instead of sleeping: a client's next request
  // usually follows its response within tens of microseconds, and waking a sleeping thread
  // (an idle vCPU, a context switch) costs more than that. The window restarts with every
  // record and ends after spin_us_ without one. The lock is taken per drain so that the
  // agent's status and reloads are not kept waiting.
  const int64_t spin_ns = static_cast<int64_t>(spin_us_) * 1000;
  int64_t last = monotonicNs(), now = last;
  for (;;) {
    // While it reads, writes on other CPUs wait for their verdicts in the probe.
    capture_->readerLooked(static_cast<uint64_t>(now), sched_getcpu());
    Result<int> n = 0;
    {
      std::lock_guard lock(mu_);
      n = capture_->drain(capture_handlers_);
    }
    if (!n) {
      capture_->readerSleeps();
      logging::get("inline")->warn("{}", n.error().message());
      return;
    }
    now = monotonicNs();
    if (*n > 0) {
      last = now;
    } else if (now - last >= spin_ns) {
      capture_->readerSleeps();
      return;
    }
  }
}

void InlineEnforcer::emit(nlohmann::json event) {
  {
    std::lock_guard lock(outbox_mu_);
    outbox_.push_back(std::move(event));
  }
  uint64_t one = 1;
  (void)!write(outbox_fd_, &one, sizeof(one));
}

void InlineEnforcer::flushOutbox() {
  uint64_t n;
  (void)!read(outbox_fd_, &n, sizeof(n));
  std::vector<nlohmann::json> events;
  std::vector<pid_t> execs;
  {
    std::lock_guard lock(outbox_mu_);
    events.swap(outbox_);
    execs.swap(execs_);
  }
  for (const auto& e : events) hooks_.emit(e);
  for (pid_t pid : execs) onExec(pid);
}

int InlineEnforcer::timeoutMs() const {
  if (rescans_.empty()) return -1;
  int64_t now = monotonicNs() / 1000000;
  return static_cast<int>(std::max<int64_t>(0, rescans_.front().first - now));
}

void InlineEnforcer::onTimeout() {
  int64_t now = monotonicNs() / 1000000;
  while (!rescans_.empty() && rescans_.front().first <= now) {
    pid_t pid = rescans_.front().second;
    rescans_.pop_front();
    attachNewBinaries(pid);
  }
}

void InlineEnforcer::onExec(pid_t pid) {
  // The executable is mapped now; its shared libraries only once the dynamic loader (or a
  // dlopen, as Python's ssl module does) maps them: look again shortly.
  attachNewBinaries(pid);
  int64_t now = monotonicNs() / 1000000;
  for (int64_t delay : {20, 200, 1000}) rescans_.emplace_back(now + delay, pid);
  std::sort(rescans_.begin(), rescans_.end());
}

void InlineEnforcer::attachNewBinaries(pid_t pid) {
  if (kill(pid, 0) != 0) return;
  size_t before = inventory_.binaries().size();
  if (Status s = inventory_.scanProcess("/proc", pid); !s) return;
  if (inventory_.binaries().size() == before) return;
  std::vector<std::string> errors;
  size_t added = capture_->attach(inventory_, &errors);
  auto log = logging::get("inline");
  for (const auto& e : errors) log->warn("uprobe not attached: {}", e);
  if (added > 0) {
    log->info("{} new uprobes for process {}", added, pid);
    rememberBinaries();
  }
}

void InlineEnforcer::rememberBinaries() {
  // "dev inode path" per probed file, as its processes name it; written whole and renamed.
  std::string file = options_.state_dir + "/" + kKnownBinaries;
  std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (const auto& [key, b] : inventory_.binaries()) {
      if (!b.targets.empty()) out << b.dev << ' ' << b.inode << ' ' << b.path << '\n';
    }
    if (!out) {
      logging::get("inline")->warn("cannot write {}", tmp);
      return;
    }
  }
  if (std::rename(tmp.c_str(), file.c_str()) != 0) {
    logging::get("inline")->warn("cannot replace {}: {}", file, std::strerror(errno));
  }
}

InlineEnforcer::Proc& InlineEnforcer::proc(const sluice_tls_chunk& c) {
  auto [it, fresh] = procs_.try_emplace(c.tgid);
  Proc& p = it->second;
  if (fresh) {
    p.tgid = static_cast<pid_t>(c.tgid);
    // Writes before this one were answered by an earlier agent or reconciled at start.
    sluice_hold_answer a{};
    if (bpf_map_lookup_elem(answers_fd_, &c.tgid, &a) == 0) {
      p.answered = a.answered;
      p.pending = a.pending;
    }
    p.complete = std::max<uint64_t>(p.answered, c.seq - 1);
  }
  p.cgroup_id = c.cgroup_id;
  return p;
}

void InlineEnforcer::onChunk(const sluice_tls_chunk& c) {
  Proc& p = proc(c);
  if (c.seq <= p.complete) return;  // a write already given up on
  auto [wit, fresh] = p.writing.try_emplace(c.seq);
  Write& w = wit->second;
  if (fresh) {
    w.tls_obj = c.tls_obj;
    ++stats_.writes;
    if (c.seq == p.answered + 1) p.hold_start_ns = c.ts_ns;  // this write began a hold
  }
  if (c.index != w.next_index || (c.flags & (SLUICE_TLS_F_READ_FAILED | SLUICE_TLS_F_TRUNCATED))) {
    w.lost = true;  // a chunk is missing, unreadable or past the copy limit
  }
  w.next_index = static_cast<uint16_t>(c.index + 1);
  stats_.bytes += c.len;

  Stream& s = p.streams[c.tls_obj];
  std::string_view data(reinterpret_cast<const char*>(c.data),
                        std::min<size_t>(c.len, SLUICE_TLS_CHUNK));
  if (c.index == 0) {
    // The same buffer again, or the tail of the last one: possibly a retried call.
    w.maybe_retry = s.last_len != 0 && c.buf >= s.last_buf &&
                    c.buf + c.total == s.last_buf + s.last_len;
    // A TLS object's address is reused by the library for a new connection: a request that
    // starts a new protocol on an idle stream starts a new inspector.
    if (s.inspector && !s.inspector->pending()) {
      std::string_view proto = s.inspector->protocol();
      if (startsWithH2Preface(data) || (proto == "h2" && startsWithMethod(data))) {
        s.inspector.reset();
      }
    }
  }
  if (w.bytes.size() < kKeepWriteBytes) w.bytes.append(data);
  if (!w.maybe_retry) feed(p, s, w, data, c.ts_ns);
  if (c.flags & SLUICE_TLS_F_LAST) {
    stats_.read_latency.record(static_cast<uint64_t>(monotonicNs()) - c.ts_ns);
    if (w.maybe_retry) {
      size_t skip = c.buf - s.last_buf;
      bool repeat = !w.lost && w.bytes.size() == c.total && s.last_bytes.size() == s.last_len &&
                    std::string_view(s.last_bytes).substr(skip) == w.bytes;
      if (!repeat) feed(p, s, w, w.bytes, c.ts_ns);  // new bytes in a reused buffer
      w.maybe_retry = repeat;
    }
    if (!w.maybe_retry && !w.discard) {  // a blocked write is never taken for a retry's original
      s.last_buf = c.buf;
      s.last_len = c.total;
      s.last_bytes = std::move(w.bytes);
    }
    if (w.lost) {
      ++stats_.lost_writes;
      s.inspector.reset();
      p.writing.erase(c.seq);
      finishWrite(p, c.seq);
      failMode(p, "captured plaintext was lost (ring buffer full or write too large)", s.host);
      return;
    }
    p.writing.erase(c.seq);
    finishWrite(p, c.seq);
    markPending(p, c.seq);  // no-op once answered
  }
}

void InlineEnforcer::feed(Proc& p, Stream& s, Write& w, std::string_view data, uint64_t ts) {
  if (w.lost || w.discard) return;
  if (!s.inspector) {
    InspectorLimits limits;
    limits.max_evidence_bytes = kKeepWriteBytes;  // a masked excerpt for a value 1 MB in
    auto created = RequestInspector::create(scanner_, limits);
    if (!created) {
      p.fail_reason = "cannot inspect: " + created.error().message();
      p.fail_host = s.host;
      return;
    }
    s.inspector = std::move(*created);
    s.inspector->setEvidenceKey(evidence_key_);
  }
  auto done = s.inspector->feed(data);
  if (!done) {
    p.fail_reason = "undecodable request: " + done.error().message();
    p.fail_host = s.inspector->pendingHost().value_or(s.host);
    s.inspector.reset();
    w.discard = true;
    return;
  }
  for (const auto& r : *done) {
    if (!r.host.empty()) s.host = r.host;
    if (judge(p, s, r, ts)) {
      w.discard = true;  // the connection is gone; the rest of this write goes with it
      return;
    }
  }
  if (auto h = s.inspector->pendingHost()) s.host = *h;
}

void InlineEnforcer::forgetStreams(Proc& p) {
  for (auto& [obj, s] : p.streams) {
    s.inspector.reset();
    s.forgetLastWrite();
  }
}

void InlineEnforcer::finishWrite(Proc& p, uint64_t seq) {
  p.done_ahead.insert(seq);
  while (!p.done_ahead.empty() && *p.done_ahead.begin() <= p.complete + 1) {
    p.complete = std::max(p.complete, *p.done_ahead.begin());
    p.done_ahead.erase(p.done_ahead.begin());
  }
  settle(p);
}

bool InlineEnforcer::judge(Proc& p, Stream& s, const InspectedRequest& r, uint64_t chunk_ts) {
  ++stats_.requests;
  std::vector<std::string> types = phiTypes(r);
  if (types.empty()) {
    ++stats_.allowed;
    return false;
  }
  std::string host = policy::requestHostName(r.host.empty() ? s.host : r.host);
  auto vit = vendor_by_host_.find(host);
  if (vit == vendor_by_host_.end()) {
    HostClass hc;
    if (auto target = policy::parseTarget(host)) {
      auto d = policy::decide(*policy_, policy::Catalog::builtin(), *target);
      hc.vendor = d.vendor_id;
      hc.inspect = d.cls == policy::DestClass::kInspect;
    }
    vit = vendor_by_host_.emplace(host, hc).first;
  }
  // Rules apply to inspect-class traffic only. The same process may also talk to hosts that
  // are not inspected (its writes there are captured too, because the process is).
  if (!vit->second.inspect && !inspectedHost(p, host)) {
    ++stats_.allowed;
    return false;
  }
  auto v = policy::judgeRequest(*policy_, types, host, vit->second.vendor);
  if (v.action == policy::RequestAction::kAllow) {
    ++stats_.allowed;
    return false;
  }
  nlohmann::json alert = {
      {"kind", "phi"},
      {"action", std::string(policy::requestActionName(v.action))},
      {"rule", v.rule},
      {"time", isoTime(static_cast<int64_t>(chunk_ts) + mono_offset_ns_)},
      {"process", processJson(p)},
      {"destination", {{"host", host}, {"vendor", vit->second.vendor}}},
      {"request",
       {{"protocol", r.protocol},
        {"method", r.method},
        {"path", r.path},
        {"body_bytes", r.body_bytes},
        {"notes", r.notes}}},
      {"phi", phiJson(r)},
      {"policy", {{"name", context_.name}, {"sha256", context_.sha256}, {"generation", context_.generation}}}};
  bool blocked = v.action == policy::RequestAction::kBlock && hold_;
  if (blocked) {
    ++stats_.blocked;
    alert["sockets"] = destroyFor(p, host, "blocked");
    // Its connection is gone. The library may give the next connection's TLS object the same
    // address, and the application may send the same bytes from the same buffer again: that
    // is a new request to judge, not a retried write.
    forgetStreams(p);
  } else {
    ++stats_.audited;
    alert["action"] = "audit";
  }
  emit(std::move(alert));
  return blocked;
}

bool InlineEnforcer::inspectedHost(Proc& p, const std::string& host) {
  // A name the policy does not class as inspect still is when one of the process's
  // inspect-class sockets (classed by its address) carries it, or when such a socket's name is
  // unknown (no SNI was seen for it): then the request cannot be told apart and is judged.
  auto inspect = inspectSockets(p);
  if (!inspect) return true;
  for (const auto& sock : *inspect) {
    auto sni = sni_by_cookie_.find(sock.cookie);
    if (sni == sni_by_cookie_.end() || sni->second == host) return true;
  }
  return false;
}

std::optional<std::vector<ProcessSocket>> InlineEnforcer::inspectSockets(Proc& p) {
  ProcessSockets* socks = sockets(p);
  if (socks == nullptr) return std::nullopt;
  auto listed = socks->list();
  if (!listed) return std::nullopt;
  std::vector<ProcessSocket> out;
  for (const auto& sock : *listed) {
    int dup = socks->duplicate(sock.fd);
    if (dup < 0) continue;
    sluice_sk_state st{};  // the socket's sk_storage, looked up by a descriptor of it
    bool is_inspect = bpf_map_lookup_elem(sk_state_fd_, &dup, &st) == 0 &&
                      st.dest_class == SLUICE_CLASS_INSPECT;
    close(dup);
    if (is_inspect) out.push_back(sock);
  }
  return out;
}

void InlineEnforcer::settle(Proc& p) {
  if (!p.fail_reason.empty()) {
    std::string why = std::move(p.fail_reason), host = std::move(p.fail_host);
    p.fail_reason.clear();
    failMode(p, why, host);
    return;
  }
  for (const auto& [obj, s] : p.streams) {
    if (s.inspector && s.inspector->pending()) return;  // a request is still incomplete
  }
  if (!p.writing.empty() && p.writing.begin()->first <= p.complete + 1) return;
  if (p.complete <= p.answered) return;
  if (hold_ && !fail_open_ && holdExpired(p)) {
    // The kernel already treats this hold as failed closed; a late verdict does not undo it.
    failMode(p, "no verdict within the hold timeout", "");
    return;
  }
  uint64_t before = p.answered;
  answer(p, p.complete);
  nudgeHeld(p, before);
}

bool InlineEnforcer::writeAnswer(const Proc& p, uint64_t answered, uint64_t answered_ns,
                                 uint64_t pending) {
  sluice_hold_answer a{answered, answered_ns, pending};
  uint32_t tgid = static_cast<uint32_t>(p.tgid);
  if (bpf_map_update_elem(answers_fd_, &tgid, &a, BPF_ANY) != 0) {
    logging::get("inline")->error("answering the hold of process {}: {}", p.tgid,
                                  std::strerror(errno));
    return false;
  }
  return true;
}

void InlineEnforcer::markPending(Proc& p, uint64_t seq) {
  if (seq <= p.pending || seq <= p.answered) return;
  if (writeAnswer(p, p.answered, p.answered_ns, seq)) p.pending = seq;
}

void InlineEnforcer::answer(Proc& p, uint64_t upto) {
  uint64_t now = static_cast<uint64_t>(monotonicNs());
  if (!writeAnswer(p, upto, now, p.pending)) return;
  if (p.hold_start_ns != 0 && now > p.hold_start_ns) {
    stats_.verdict_latency.record(now - std::max(p.hold_start_ns, p.answered_ns));
  }
  p.answered = upto;
  p.answered_ns = now;
}

std::optional<sluice_hold> InlineEnforcer::readHold(uint32_t tgid) const {
  sluice_hold h{};
  if (bpf_map_lookup_elem(holds_fd_, &tgid, &h) != 0) return std::nullopt;
  return h;
}

bool InlineEnforcer::holdExpired(const Proc& p) const {
  // The kernel counts the hold from its start or the last answer, whichever is later; the
  // agent knows both without asking it (the first chunk's time stands for the start).
  uint64_t start = std::max(p.hold_start_ns, p.answered_ns);
  return start != 0 && static_cast<uint64_t>(monotonicNs()) > start + hold_timeout_ns_;
}

ProcessSockets* InlineEnforcer::sockets(Proc& p) {
  if (!p.sockets) {
    auto s = ProcessSockets::open(p.tgid);
    if (!s) return nullptr;
    p.sockets = std::move(*s);
  }
  return &*p.sockets;
}

void InlineEnforcer::nudgeHeld(Proc& p, uint64_t answered_before) {
  auto h = readHold(static_cast<uint32_t>(p.tgid));
  // Nothing was dropped since the last answer (the verdict beat TCP): nothing waits. A drop
  // racing this answer re-reads the answer after marking held_seq (egress.bpf.c), so it
  // either is seen here or lets its packet go.
  if (!h || (h->held_seq <= answered_before && answered_before != 0)) return;
  ProcessSockets* socks = sockets(p);
  if (socks == nullptr) return;
  int64_t start = monotonicNs();
  for (uint64_t cookie : h->held_cookie) {
    if (cookie != 0 && socks->nudge(cookie)) ++stats_.nudged;
  }
  stats_.nudge_latency.record(static_cast<uint64_t>(monotonicNs() - start));
}

nlohmann::json InlineEnforcer::destroyFor(Proc& p, const std::string& host, const std::string& why) {
  nlohmann::json out = nlohmann::json::array();
  auto log = logging::get("inline");
  if (!hooks_.in_scope(p.cgroup_id)) {
    log->error("process {} is outside the scope: its sockets are left alone", p.tgid);
    return out;
  }
  auto listed = inspectSockets(p);
  if (!listed) return out;
  const std::vector<ProcessSocket>& inspect = *listed;
  std::vector<ProcessSocket> chosen;
  std::string matched_by;
  if (!host.empty()) {
    for (const auto& s : inspect) {
      auto sni = sni_by_cookie_.find(s.cookie);
      if (sni != sni_by_cookie_.end() && sni->second == host) chosen.push_back(s);
    }
    matched_by = "sni";
  }
  if (chosen.empty()) {
    auto h = readHold(static_cast<uint32_t>(p.tgid));
    for (const auto& s : inspect) {
      if (h && std::find(std::begin(h->held_cookie), std::end(h->held_cookie), s.cookie) !=
                   std::end(h->held_cookie)) {
        chosen.push_back(s);
      }
    }
    matched_by = "held";
  }
  if (chosen.empty()) {
    chosen = inspect;
    matched_by = "inspect-class";
  }
  for (const auto& s : chosen) {
    Status st = destroyTcpSocket(s.tuple);
    if (st) ++stats_.destroyed;
    auto sni = sni_by_cookie_.find(s.cookie);
    out.push_back({{"fd", s.fd},
                   {"cookie", s.cookie},
                   {"dst", addressText(s.tuple.daddr)},
                   {"dport", s.tuple.dport},
                   {"sni", sni == sni_by_cookie_.end() ? "" : sni->second},
                   {"matched_by", matched_by},
                   {"result", st ? "destroyed" : "destroy failed: " + st.error().message()}});
    if (!st) log->warn("{}: destroying socket fd {} of {}: {}", why, s.fd, p.tgid, st.error().message());
  }
  return out;
}

void InlineEnforcer::failMode(Proc& p, const std::string& reason, const std::string& host) {
  ++stats_.failed;
  bool closed = hold_ && !fail_open_;
  nlohmann::json event = {{"kind", "inline_failure"},
                          {"action", closed ? "block" : "allow"},
                          {"reason", reason},
                          {"fail_mode", fail_open_ ? "open" : "closed"},
                          {"process", processJson(p)},
                          {"destination", {{"host", policy::requestHostName(host)}}},
                          {"policy", {{"name", context_.name}, {"generation", context_.generation}}}};
  if (closed) event["sockets"] = destroyFor(p, policy::requestHostName(host), reason);
  // Nothing of the failed writes can be judged any more; the next write starts afresh.
  for (auto& [obj, s] : p.streams) {
    if (s.inspector && s.inspector->pending()) s.inspector.reset();
  }
  if (closed) forgetStreams(p);
  auto h = readHold(static_cast<uint32_t>(p.tgid));
  uint64_t upto = std::max(p.complete, h ? h->writes : 0);
  p.writing.clear();
  p.done_ahead.clear();
  p.complete = upto;
  answer(p, upto);
  if (!closed) nudgeHeld(p, 0);
  emit(std::move(event));
}

void InlineEnforcer::onNameEvent(const sluice_name_event& e, const nlohmann::json& event_json) {
  std::lock_guard lock(mu_);
  if (e.hook == SLUICE_HOOK_SNI) {
    std::string sni(e.name, strnlen(e.name, sizeof(e.name)));
    if (e.dest_class == SLUICE_CLASS_INSPECT && !sni.empty()) {
      if (sni_by_cookie_.size() > 65536) sni_by_cookie_.clear();
      sni_by_cookie_[e.sock_cookie] = sni;
    }
    return;
  }
  if (e.hook != SLUICE_HOOK_HOLD) return;
  auto& p = procs_[e.tgid];
  p.tgid = static_cast<pid_t>(e.tgid);
  p.cgroup_id = e.cgroup_id;
  if (e.flags & SLUICE_NAME_EV_UNINSPECTABLE) {
    // The kernel refused the socket's data already (deny) or let it pass (audit).
    nlohmann::json alert = event_json;
    alert["kind"] = "uninspectable_tls";
    if (e.action == SLUICE_ACTION_DENY) {
      alert["action"] = "block";
      if (hooks_.in_scope(e.cgroup_id)) {
        Status s = destroyTcpSocket(socketTupleOf(e));
        alert["destroyed"] = s ? "destroyed" : "destroy failed: " + s.error().message();
        if (s) ++stats_.destroyed;
      }
    }
    emit(std::move(alert));
    return;
  }
  // An expired or lossy hold the kernel reported.
  std::string reason = (e.flags & SLUICE_NAME_EV_HOLD_LOST)
                           ? "captured plaintext was lost (ring buffer full)"
                           : "no verdict within the hold timeout";
  auto sni = sni_by_cookie_.find(e.sock_cookie);
  failMode(p, reason, sni == sni_by_cookie_.end() ? "" : sni->second);
}

void InlineEnforcer::tick() {
  std::lock_guard lock(mu_);
  for (auto it = procs_.begin(); it != procs_.end();) {
    if (kill(it->second.tgid, 0) != 0 && errno == ESRCH) {
      uint32_t tgid = it->first;
      bpf_map_delete_elem(holds_fd_, &tgid);
      bpf_map_delete_elem(answers_fd_, &tgid);
      it = procs_.erase(it);
    } else {
      ++it;
    }
  }
}

nlohmann::json InlineEnforcer::processJson(const Proc& p) const {
  struct stat st {};
  uint32_t uid = stat(("/proc/" + std::to_string(p.tgid)).c_str(), &st) == 0 ? st.st_uid : 0;
  ProcessInfo info = describeProcess(p.tgid, p.tgid, uid, "", p.cgroup_id);
  // A command line can carry the very text that was sent ("ask.py 'patient ... SSN ...'"):
  // it is scanned and its findings masked like any evidence.
  info.cmdline = scanner::maskPhi(*scanner_, info.cmdline);
  nlohmann::json j = info;
  return j;
}

namespace {
nlohmann::json latencyJson(const LatencyHistogram& h) {
  return {{"count", h.count()},
          {"p50", h.quantileUs(0.5)},
          {"p90", h.quantileUs(0.9)},
          {"p99", h.quantileUs(0.99)},
          {"max", h.maxUs()}};
}
}  // namespace

nlohmann::json InlineEnforcer::status() const {
  std::lock_guard lock(mu_);
  nlohmann::json binaries = nlohmann::json::array();
  for (const auto& [key, b] : inventory_.binaries()) {
    binaries.push_back({{"path", b.path}, {"library", b.library}, {"functions", b.targets.size()}});
  }
  return {{"enabled", true},
          {"holding", hold_},
          {"verdict_thread", realtime_ ? "SCHED_FIFO " + std::to_string(options_.verdict_priority)
                                       : std::string("normal")},
          {"verdict_cpus", pinned_ ? nlohmann::json(options_.verdict_cpus) : nlohmann::json("any")},
          {"fail_mode", fail_open_ ? "open" : "closed"},
          {"hold_timeout_ms", hold_timeout_ns_ / 1000000},
          {"uprobes", capture_->probes()},
          {"tls_binaries", binaries},
          {"processes", procs_.size()},
          {"writes", stats_.writes},
          {"bytes", stats_.bytes},
          {"requests", stats_.requests},
          {"allowed", stats_.allowed},
          {"blocked", stats_.blocked},
          {"audited", stats_.audited},
          {"failed", stats_.failed},
          {"sockets_destroyed", stats_.destroyed},
          {"sockets_nudged", stats_.nudged},
          {"lost_writes", stats_.lost_writes},
          {"read_latency_us", latencyJson(stats_.read_latency)},
          {"verdict_latency_us", latencyJson(stats_.verdict_latency)},
          {"nudge_latency_us", latencyJson(stats_.nudge_latency)}};
}

}  // namespace sluice::agent
