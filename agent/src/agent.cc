#include "sluice/agent/agent.h"

#include <poll.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <vector>

#include "sluice/agent/cgroup.h"
#include "sluice/agent/controller_link.h"
#include "sluice/agent/inline_enforcer.h"
#include "sluice/agent/policy_compiler.h"
#include "sluice/agent/process_info.h"
#include "sluice/agent/sock_destroy.h"
#include "sluice/common/logging.h"
#include "sluice/common/version.h"
#include "sluice/policy/dates.h"
#include "sluice/scanner/redact.h"
#include "sluice/scanner/scanner.h"

namespace sluice::agent {
namespace {

namespace fs = std::filesystem;

// One name per enum sluice_counter entry; the size check catches a counter added without one.
constexpr const char* kCounterNames[] = {
    "checked",     "allowed",     "denied",      "audited",      "events_lost",
    "no_policy",   "sni_checked", "sni_denied",  "dns_answers",  "dns_bindings",
    "quic_denied", "tls_writes",  "tls_bytes",   "tls_lost",     "held",
    "hold_expired", "uninspectable", "verdict_wait_answered", "verdict_wait_expired",
    "verdict_wait_skipped_asleep", "verdict_wait_skipped_stale", "verdict_wait_skipped_same_cpu"};
static_assert(std::size(kCounterNames) == SLUICE_CNT_MAX, "a counter has no name");

// signal, events, local API listener, inotify, timer, TLS chunks, controller link; then the
// API's clients.
constexpr size_t kFixedFds = 7;

// A daemon enforcing a policy keeps it when a BAA in it expires: the vendor then falls under
// spec.defaults.expiredBaa, rather than the whole policy being refused on the next reload.
policy::ParseOptions parseOptions() {
  policy::ParseOptions o;
  o.expired_baa_is_error = false;
  return o;
}

// SIGTERM and SIGINT stop the agent; SIGHUP reloads the policy.
sigset_t handledSignals() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGHUP);
  return mask;
}

}  // namespace

Agent::Agent(AgentConfig config) : config_(std::move(config)) {}

Result<std::unique_ptr<Agent>> Agent::create(const AgentConfig& config) {
  std::unique_ptr<Agent> agent(new Agent(config));
  SLUICE_RETURN_IF_ERROR(agent->setUp());
  return agent;
}

Agent::~Agent() {
  for (int fd : {signal_fd_, inotify_fd_, timer_fd_}) {
    if (fd >= 0) close(fd);
  }
}

Status Agent::setUp() {
  auto log = logging::get("agent");
  // Blocked before any thread starts (the controller link's, gRPC's, the verdict thread), so
  // that every thread inherits the mask and the event loop alone takes these signals, from
  // its signalfd; one left deliverable to another thread would end the process uncleanly.
  sigset_t mask = handledSignals();
  sigprocmask(SIG_BLOCK, &mask, nullptr);
  SLUICE_RETURN_IF_ERROR(connectController());
  SLUICE_ASSIGN_OR_RETURN(policy_, loadPolicy());
  for (const auto& w : policy_.warnings) log->warn("{}", w.toString());
  scope_ = config_.scope.empty() ? policy_.scope_cgroup : config_.scope;
  SLUICE_ASSIGN_OR_RETURN(cgroup_mount_, findCgroup2Mount());
  SLUICE_ASSIGN_OR_RETURN(scope_path_, resolveScope(cgroup_mount_, scope_));

  std::error_code ec;
  fs::create_directories(config_.state_dir, ec);
  if (ec) return internalError("creating state dir " + config_.state_dir + ": " + ec.message());
  scanner::ScannerOptions scan_options;
  scan_options.reach =
      config_.all_identifiers ? scanner::Reach::kAll : scanner::Reach::kHealthContext;
  SLUICE_ASSIGN_OR_RETURN(redactor_, scanner::Scanner::create(scan_options));

  uint32_t generation = ConnectEnforcer::pinnedGeneration(config_.bpffs_dir) + 1;
  SLUICE_ASSIGN_OR_RETURN(CompiledPolicy compiled, compilePolicy(policy_, generation));
  LoaderConfig lc{config_.bpffs_dir, scope_path_};
  SLUICE_ASSIGN_OR_RETURN(enforcer_, ConnectEnforcer::create(lc, compiled));
  policy_ctx_ = {policy_.name, policy_.sha256, generation, compiled.rule_names};
  compiled_for_date_ = compiled.today;
  for (const auto& w : compiled.expiry_warnings) log->warn("{}", w);
  for (const auto& p : enforcer_->programs()) {
    log->info("{} {} (link {}, prog {}) on {}", p.adopted ? "adopted" : "attached", p.name,
              p.link_id, p.prog_id, scope_path_);
  }
  log->info(
      "policy '{}' generation {} enforcing on scope {} ({} address and {} name entries, "
      "mode {})",
      policy_.name, generation, scope_, compiled.entries.size(), compiled.names.size(),
      policy::modeName(policy_.mode));

  if (config_.inline_inspection) {
    InlineOptions io;
    io.bpffs_dir = config_.bpffs_dir;
    io.scope_path = scope_path_;
    io.state_dir = config_.state_dir;
    io.ring_bytes = config_.tls_ring_bytes;
    io.scanner = redactor_;
    io.verdict_priority = config_.verdict_priority;
    io.verdict_wait_us = config_.verdict_wait_us;
    io.spin_us = config_.verdict_spin_us;
    io.verdict_cpus = config_.verdict_cpus;
    InlineHooks hooks{[this](const nlohmann::json& j) { emit(j); },
                      [this](uint64_t cgroup_id) { return inScope(cgroup_id); }};
    SLUICE_ASSIGN_OR_RETURN(inline_, InlineEnforcer::create(io, std::move(hooks)));
    inline_->setPolicy(policy_, policy_ctx_);
  }

  LocalApi::Handlers handlers;
  handlers.status = [this] { return status(); };
  handlers.reload = [this] {
    Status s = reload();
    return s ? nlohmann::json{{"ok", true}, {"generation", policy_ctx_.generation}}
             : nlohmann::json{{"ok", false}, {"error", s.error().message()}};
  };
  SLUICE_ASSIGN_OR_RETURN(api_, LocalApi::create(config_.state_dir + "/agent.sock", handlers));

  signal_fd_ = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
  if (signal_fd_ < 0) return errnoError(errno, "signalfd");

  // Watch the policy's directory, not the file: editors and config managers replace files.
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  fs::path pdir = fs::absolute(config_.policy_file).parent_path();
  if (inotify_fd_ >= 0 &&
      inotify_add_watch(inotify_fd_, pdir.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO) < 0) {
    log->warn("cannot watch {} for policy changes; SIGHUP still reloads", pdir.string());
  }

  timer_fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  itimerspec every{{2, 0}, {2, 0}};
  timerfd_settime(timer_fd_, 0, &every, nullptr);
  mono_offset_ns_ = monotonicToRealtimeOffset();
  if (link_) {
    if (auto p = link_->currentPolicy(); p && p->file == config_.policy_file) {
      link_->policyApplied(p->version, okStatus());
    }
    link_->publishStatus(status());
    link_->start();
  }
  return okStatus();
}

Status Agent::connectController() {
  if (!config_.managed()) return okStatus();
  SLUICE_ASSIGN_OR_RETURN(link_, ControllerLink::create(linkOptions(config_)));
  auto pushed = link_->currentPolicy();
  if (!pushed && config_.policy_file.empty()) {
    SLUICE_ASSIGN_OR_RETURN(pushed, link_->fetchPolicy(30000));
  }
  auto log = logging::get("agent");
  if (pushed) {
    // A pushed policy this agent cannot load must not keep it from starting: the local file
    // (when there is one) is enforced until the controller pushes a better one.
    auto usable = policy::loadPolicyFile(pushed->file, parseOptions());
    if (!usable && !config_.policy_file.empty()) {
      log->error("the controller's policy version {} does not load, enforcing {} instead: {}",
                 pushed->version, config_.policy_file, usable.error().message());
      return okStatus();
    }
    log->info("enforcing the controller's policy version {} ({})", pushed->version, pushed->file);
    config_.policy_file = pushed->file;
    audit_first_ = pushed->audit_first;
  }
  return okStatus();
}

Result<policy::Policy> Agent::loadPolicy() {
  SLUICE_ASSIGN_OR_RETURN(auto loaded, policy::loadPolicyFile(config_.policy_file, parseOptions()));
  if (audit_first_ && loaded.mode == policy::Mode::kEnforce) {
    // Pushed with --audit-first: what it would block is reported and nothing is blocked,
    // until the controller pushes it (or another version) without that flag.
    logging::get("agent")->info(
        "policy '{}' was pushed to be audited first: running it in audit mode", loaded.name);
    loaded.mode = policy::Mode::kAudit;
  }
  return loaded;
}

void Agent::onPushedPolicy() {
  auto pushed = link_->takePolicy();
  if (!pushed) return;
  std::string previous = config_.policy_file;
  bool previous_audit_first = audit_first_;
  config_.policy_file = pushed->file;
  audit_first_ = pushed->audit_first;
  Status s = reload();
  if (!s) {
    config_.policy_file = previous;
    audit_first_ = previous_audit_first;
  }
  link_->policyApplied(pushed->version, s);
  link_->publishStatus(status());
}

Status Agent::reload() {
  auto log = logging::get("agent");
  auto loaded = loadPolicy();
  if (!loaded) {
    last_reload_error_ = loaded.error().message();
    log->error("policy reload refused, keeping generation {}:\n{}", policy_ctx_.generation,
               last_reload_error_);
    return loaded.error();
  }
  for (const auto& w : loaded->warnings) log->warn("{}", w.toString());
  if (config_.scope.empty() && loaded->scope_cgroup != policy_.scope_cgroup) {
    log->warn("spec.scope.cgroup changed to '{}'; the scope changes on restart",
              loaded->scope_cgroup);
  }
  uint32_t generation = policy_ctx_.generation + 1;
  auto compiled = compilePolicy(*loaded, generation);
  if (!compiled) {
    last_reload_error_ = compiled.error().message();
    log->error("policy reload refused: {}", last_reload_error_);
    return compiled.error();
  }
  if (Status s = enforcer_->installPolicy(*compiled); !s) {
    last_reload_error_ = s.error().message();
    log->error("policy reload failed, previous policy still enforced: {}", last_reload_error_);
    return s;
  }
  policy_ = std::move(*loaded);
  policy_ctx_ = {policy_.name, policy_.sha256, generation, compiled->rule_names};
  if (inline_) inline_->setPolicy(policy_, policy_ctx_);
  compiled_for_date_ = compiled->today;
  last_reload_error_.clear();
  for (const auto& w : compiled->expiry_warnings) log->warn("{}", w);
  log->info("policy '{}' generation {} installed ({} address and {} name entries)", policy_.name,
            generation, compiled->entries.size(), compiled->names.size());
  return okStatus();
}

nlohmann::json Agent::status() const {
  nlohmann::json programs = nlohmann::json::array();
  for (const auto& p : enforcer_->programs()) {
    programs.push_back({{"name", p.name},
                        {"prog_id", p.prog_id},
                        {"link_id", p.link_id},
                        {"cgroup_id", p.cgroup_id},
                        {"adopted", p.adopted}});
  }
  nlohmann::json counters = nlohmann::json::object();
  if (auto c = enforcer_->counters()) {
    for (int i = 0; i < SLUICE_CNT_MAX; ++i) counters[kCounterNames[i]] = c->values[i];
  }
  counters["events_delivered"] = events_seen_;
  return {{"enforcing", enforcer_->enforcing()},
          {"version", versionString()},
          {"pid", getpid()},
          {"policy",
           {{"name", policy_.name},
            {"file", config_.policy_file},
            {"sha256", policy_.sha256},
            {"generation", policy_ctx_.generation},
            {"mode", policy::modeName(policy_.mode)},
            {"last_reload_error", last_reload_error_}}},
          {"scope", {{"cgroup", scope_}, {"path", scope_path_}}},
          {"bpffs", config_.bpffs_dir},
          {"programs", programs},
          {"inline", inline_ ? inline_->status() : nlohmann::json{{"enabled", false}}},
          {"counters", counters},
          {"controller", link_ ? link_->status() : nlohmann::json()}};
}

void Agent::onEvent(const sluice_conn_event& e) {
  ++events_seen_;
  std::string comm(e.comm, strnlen(e.comm, sizeof(e.comm)));
  ProcessInfo proc = describeProcess(static_cast<pid_t>(e.tgid), static_cast<pid_t>(e.tid), e.uid,
                                     comm, e.cgroup_id);
  maskCommandLine(proc);
  emit(connEventJson(e, proc, policy_ctx_, mono_offset_ns_));
}

void Agent::maskCommandLine(ProcessInfo& proc) const {
  // Events go to the journal, the local API and the controller: a command line that carries
  // the prompt it sends ("ask.py 'Patient ..., SSN ...'") must not put PHI there.
  proc.cmdline = scanner::maskPhi(*redactor_, proc.cmdline);
}

void Agent::emit(const nlohmann::json& j) {
  std::string line = j.dump();
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
  api_->publish(j);
  if (link_) link_->submit(j);
}

bool Agent::inScope(uint64_t cgroup_id) const {
  if (scope_path_ == cgroup_mount_) return true;  // the whole host
  std::error_code ec;
  if (auto id = cgroupId(scope_path_); id && *id == cgroup_id) return true;
  for (fs::recursive_directory_iterator it(scope_path_, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (!it->is_directory(ec)) continue;
    if (auto id = cgroupId(it->path().string()); id && *id == cgroup_id) return true;
  }
  return false;
}

void Agent::onNameEvent(const sluice_name_event& e) {
  ++events_seen_;
  ProcessInfo proc = describeProcess(static_cast<pid_t>(e.tgid), static_cast<pid_t>(e.tgid), e.uid,
                                     "", e.cgroup_id);
  maskCommandLine(proc);
  std::string destroyed;
  if (e.hook == SLUICE_HOOK_SNI && e.action == SLUICE_ACTION_DENY) {
    // The kernel already drops every packet of this socket; destroying it makes the client
    // fail now instead of at its timeout. Only ever for a socket inside our scope.
    if (!inScope(e.cgroup_id)) {
      destroyed = "left alone: cgroup outside the scope";
    } else {
      Status s = destroyTcpSocket(socketTupleOf(e));
      destroyed = s ? "destroyed" : "destroy failed: " + s.error().message();
      if (!s) logging::get("agent")->warn("{}", destroyed);
    }
  }
  nlohmann::json j = nameEventJson(e, proc, policy_ctx_, mono_offset_ns_, destroyed);
  if (inline_ && (e.hook == SLUICE_HOOK_HOLD || e.hook == SLUICE_HOOK_SNI)) {
    inline_->onNameEvent(e, j);  // it reports hold events itself, as alerts
    if (e.hook == SLUICE_HOOK_HOLD) return;
  }
  emit(j);
}

void Agent::checkHealth() {
  auto log = logging::get("agent");
  bool now = enforcer_->enforcing();
  if (was_enforcing_ && !now) {
    log->error("enforcement lost: a link is detached (was scope cgroup {} removed?)", scope_path_);
  }
  was_enforcing_ = now;
  if (link_) link_->publishStatus(status());
  // BAA expiry is enforced on the date: re-judge every name when the UTC date changes.
  if (!compiled_for_date_.empty() && policy::todayUtc() != compiled_for_date_) {
    log->info("date changed to {}: recompiling the policy for BAA expiry", policy::todayUtc());
    (void)reload();
  }
  if (inline_) inline_->tick();
  if (auto c = enforcer_->counters()) {
    uint64_t lost = c->values[SLUICE_CNT_EVENTS_LOST];
    if (lost > lost_reported_) {
      log->warn("{} connect events lost (ring buffer full); verdicts were still applied",
                lost - lost_reported_);
      lost_reported_ = lost;
    }
  }
}

int Agent::run() {
  auto log = logging::get("agent");
  log->info("sluice-agent {} running (pid {}), local API {}/agent.sock", versionString(), getpid(),
            config_.state_dir);
  std::string policy_name = fs::path(config_.policy_file).filename().string();
  ConnectEnforcer::EventHandlers handler{[this](const sluice_conn_event& e) { onEvent(e); },
                                         [this](const sluice_name_event& e) { onNameEvent(e); }};
  for (;;) {
    std::vector<pollfd> fds = {{signal_fd_, POLLIN, 0},
                               {enforcer_->eventsFd(), POLLIN, 0},
                               {api_->listenFd(), POLLIN, 0},
                               {inotify_fd_, POLLIN, 0},
                               {timer_fd_, POLLIN, 0},
                               {inline_ ? inline_->outboxFd() : -1, POLLIN, 0},
                               {link_ ? link_->notifyFd() : -1, POLLIN, 0}};
    for (auto [fd, want_out] : api_->clientFds()) {
      fds.push_back({fd, static_cast<short>(POLLIN | (want_out ? POLLOUT : 0)), 0});
    }
    int n = poll(fds.data(), fds.size(), inline_ ? inline_->timeoutMs() : -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      log->error("poll failed: {}", std::strerror(errno));
      return 1;
    }
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo si{};
      while (read(signal_fd_, &si, sizeof(si)) == sizeof(si)) {
        if (si.ssi_signo == SIGHUP) {
          (void)reload();
        } else {
          log->info("signal {}: stopping; enforcement stays pinned under {}", si.ssi_signo,
                    config_.bpffs_dir);
          if (Status s = enforcer_->drainEvents(handler); !s) log->warn("{}", s.error().message());
          if (inline_) {
            inline_->stop();
            inline_->flushOutbox();
          }
          return 0;
        }
      }
    }
    if (inline_ && (fds[5].revents & POLLIN)) inline_->flushOutbox();
    if (fds[1].revents & POLLIN) {
      if (Status s = enforcer_->drainEvents(handler); !s) log->warn("{}", s.error().message());
    }
    if (fds[2].revents & POLLIN) api_->onListenReadable();
    if (fds[3].revents & POLLIN) {
      alignas(inotify_event) char buf[4096];
      bool changed = false;
      ssize_t len;
      while ((len = read(inotify_fd_, buf, sizeof(buf))) > 0) {
        for (char* p = buf; p < buf + len;) {
          auto* ev = reinterpret_cast<inotify_event*>(p);
          if (ev->len > 0 && policy_name == ev->name) changed = true;
          p += sizeof(inotify_event) + ev->len;
        }
      }
      if (changed) (void)reload();
    }
    if (fds[4].revents & POLLIN) {
      uint64_t ticks;
      (void)!read(timer_fd_, &ticks, sizeof(ticks));
      checkHealth();
    }
    if (inline_) inline_->onTimeout();
    if (fds[6].revents & POLLIN) onPushedPolicy();
    for (size_t i = kFixedFds; i < fds.size(); ++i) {
      if (fds[i].revents != 0) {
        api_->onClientReady(fds[i].fd, fds[i].revents & (POLLIN | POLLHUP | POLLERR),
                            fds[i].revents & POLLOUT);
      }
    }
  }
}

}  // namespace sluice::agent
