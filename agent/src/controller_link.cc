#include "sluice/agent/controller_link.h"

#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <map>
#include <random>

#include "sluice/agent/tls_discovery.h"
#include "sluice/common/logging.h"
#include "sluice/common/version.h"
#include "sluice/controller/files.h"
#include "sluice/v1/agent.grpc.pb.h"

namespace sluice::agent {
namespace {

namespace v1 = sluice::v1;

constexpr size_t kMaxBatch = 250;
constexpr size_t kMaxPending = 100000;

int64_t nowUnix() {
  return static_cast<int64_t>(std::time(nullptr));
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

uint64_t number(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return 0;
  return it->is_number_unsigned() ? it->get<uint64_t>()
                                  : static_cast<uint64_t>(std::max<int64_t>(0, it->get<int64_t>()));
}

v1::Severity severityOf(const nlohmann::json& event, const std::string& action) {
  static const std::map<std::string, v1::Severity> kNames = {{"low", v1::SEVERITY_LOW},
                                                             {"medium", v1::SEVERITY_MEDIUM},
                                                             {"high", v1::SEVERITY_HIGH},
                                                             {"critical", v1::SEVERITY_CRITICAL}};
  auto named = kNames.find(text(event, "severity"));
  if (named != kNames.end()) return named->second;
  return action == "audit" ? v1::SEVERITY_MEDIUM : v1::SEVERITY_HIGH;
}

std::string kernelRelease() {
  utsname u{};
  return uname(&u) == 0 ? u.release : "";
}

std::string randomHex(size_t bytes) {
  std::random_device rd;
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes; ++i) {
    unsigned v = rd() & 0xff;
    out += kHex[v >> 4];
    out += kHex[v & 15];
  }
  return out;
}

}  // namespace

std::string controllerAddress(const std::string& url) {
  std::string addr = url;
  for (const char* scheme : {"https://", "grpcs://", "http://"}) {
    if (addr.rfind(scheme, 0) == 0) addr = addr.substr(std::string(scheme).size());
  }
  while (!addr.empty() && addr.back() == '/') addr.pop_back();
  return addr;
}

ControllerLinkOptions linkOptions(const AgentConfig& config) {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  ControllerLinkOptions o;
  o.address = config.controller;
  o.enroll_url = config.enroll_url;
  o.token = config.enroll_token;
  o.ca_sha256 = config.ca_sha256;
  o.state_dir = config.state_dir;
  o.hostname = host;
  o.agent_version = versionString();
  return o;
}

std::optional<v1::AlertEvent> alertFromEvent(const nlohmann::json& event, uint64_t policy_version) {
  if (!event.is_object()) return std::nullopt;
  std::string action = text(event, "action");
  if (action.empty()) action = text(event, "verdict");
  std::string kind = text(event, "kind");
  if (kind.empty()) kind = text(event, "type");
  bool is_alert = action == "deny" || action == "block" || action == "audit" ||
                  kind.find("alert") != std::string::npos;
  if (!is_alert) return std::nullopt;

  v1::AlertEvent a;
  a.set_action(action == "audit" ? "audit" : "block");
  a.set_severity(severityOf(event, action));
  a.set_rule(text(event, "rule"));
  std::string vendor = text(event, "vendor");
  std::string host = text(event, "host");
  if (auto d = event.find("destination"); d != event.end() && d->is_object()) {
    a.set_dest_ip(text(*d, "ip"));
    a.set_dest_port(static_cast<uint32_t>(number(*d, "port")));
    if (vendor.empty()) vendor = text(*d, "vendor");  // inline alerts: {host, vendor}
    if (host.empty()) host = text(*d, "host");
  }
  // An inline block names the destroyed socket's address.
  if (auto socks = event.find("sockets"); a.dest_ip().empty() && socks != event.end() &&
                                          socks->is_array() && !socks->empty()) {
    a.set_dest_ip(text((*socks)[0], "dst"));
    a.set_dest_port(static_cast<uint32_t>(number((*socks)[0], "dport")));
  }
  a.set_vendor(vendor.empty() ? a.rule() : vendor);
  a.set_host(host.empty() ? text(event, "name") : host);
  a.set_region(text(event, "region"));
  std::string reason = text(event, "reason");
  if (reason.empty()) reason = text(event, "class") == "deny" ? "denied-destination" : kind;
  a.set_reason(reason);
  if (auto p = event.find("process"); p != event.end() && p->is_object()) {
    a.set_pid(static_cast<uint32_t>(number(*p, "pid")));
    a.set_process(text(*p, "comm"));
    a.set_exe(text(*p, "exe"));
    a.set_cgroup(text(*p, "cgroup"));
  }
  a.set_policy_version(policy_version);
  nlohmann::json detail = event;
  // Evidence is masked by the scanner already; it travels in its own field, sealed at rest.
  if (auto ev = event.find("evidence"); ev != event.end() && ev->is_array()) {
    for (const auto& item : *ev) {
      if (!item.is_object()) continue;
      auto* e = a.add_evidence();
      e->set_phi_type(text(item, "phi_type").empty() ? text(item, "type") : text(item, "phi_type"));
      e->set_offset(number(item, "offset"));
      e->set_length(static_cast<uint32_t>(number(item, "length")));
      e->set_masked_excerpt(text(item, "masked_excerpt").empty() ? text(item, "masked")
                                                                 : text(item, "masked_excerpt"));
      e->set_value_hmac(text(item, "value_hmac"));
    }
    detail.erase("evidence");
  }
  // Inline PHI alerts group their findings by type: {type, count, findings: [{in, start, end,
  // masked, hash}]}. Each finding becomes one evidence item; the detail keeps types and counts.
  if (auto phi = event.find("phi"); phi != event.end() && phi->is_array()) {
    nlohmann::json summary = nlohmann::json::array();
    for (const auto& group : *phi) {
      if (!group.is_object()) continue;
      summary.push_back({{"type", text(group, "type")}, {"count", number(group, "count")}});
      auto findings = group.find("findings");
      if (findings == group.end() || !findings->is_array()) continue;
      for (const auto& f : *findings) {
        auto* e = a.add_evidence();
        e->set_phi_type(text(group, "type"));
        e->set_offset(number(f, "start"));
        e->set_length(static_cast<uint32_t>(number(f, "end") - number(f, "start")));
        e->set_masked_excerpt(text(f, "masked"));
        e->set_value_hmac(text(f, "hash"));
      }
    }
    detail["phi"] = summary;
    if (a.reason() == "phi") {
      std::string types;
      for (const auto& t : summary) types += (types.empty() ? "" : ",") + t["type"].get<std::string>();
      a.set_reason("phi:" + types);
    }
  }
  a.set_detail_json(detail.dump());
  return a;
}

Result<std::unique_ptr<ControllerLink>> ControllerLink::create(
    const ControllerLinkOptions& options) {
  std::unique_ptr<ControllerLink> link(new ControllerLink(options));
  SLUICE_RETURN_IF_ERROR(link->setUp());
  return link;
}

Status ControllerLink::setUp() {
  auto log = logging::get("controller-link");
  dir_ = options_.state_dir + "/controller";
  std::error_code ec;
  std::filesystem::create_directories(options_.state_dir, ec);
  if ((::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) || ec) {
    return errnoError(ec ? ec.value() : errno, "cannot create " + dir_);
  }
  std::string address_file = dir_ + "/controller-address";
  std::string address = options_.address;
  if (address.empty() && !options_.enroll_url.empty()) {
    address = controllerAddress(options_.enroll_url);
  }
  if (address.empty()) address = controller::readFile(address_file).valueOr("");
  while (!address.empty() && (address.back() == '\n' || address.back() == ' ')) address.pop_back();
  if (address.empty()) {
    return invalidArgument("no controller address: pass --controller ADDR or --enroll URL");
  }
  options_.address = address;

  auto loaded = controller::loadAgentIdentity(dir_);
  if (loaded) {
    identity_ = std::move(*loaded);
    if (!options_.token.empty()) {
      log->info("already enrolled as {} (identity in {}); --token is not used again",
                identity_.agent_id, dir_);
    }
  } else if (options_.token.empty() || options_.ca_sha256.empty()) {
    return Error(ErrorCode::kFailedPrecondition,
                 "not enrolled: no agent identity in " + dir_ +
                     "; enrol once with --enroll URL --token TOKEN --ca-sha256 FINGERPRINT");
  } else {
    controller::EnrollRequestOptions req{address, options_.token, options_.ca_sha256,
                                         options_.hostname, options_.agent_version};
    auto enrolled = controller::enrollAgent(req, dir_);
    if (!enrolled) {
      return Error(enrolled.error().code(), "enrolment with controller " + address +
                                                " refused: " + enrolled.error().message());
    }
    identity_ = std::move(*enrolled);
    log->info("enrolled with {} as agent {}; certificate valid until {}", address,
              identity_.agent_id, identity_.not_after_unix);
  }
  agent_id_ = identity_.agent_id;
  SLUICE_RETURN_IF_ERROR(controller::writeFileAtomic(address_file, address + "\n", 0644));

  SLUICE_ASSIGN_OR_RETURN(auto guard,
                          controller::BundleGuard::open(dir_, identity_.policy_key_pem));
  guard_.emplace(std::move(guard));
  if (guard_->current()) {
    SLUICE_ASSIGN_OR_RETURN(PushedPolicy p, writePolicy(*guard_->current()));
    current_ = p;
  }
  SLUICE_ASSIGN_OR_RETURN(auto spool, controller::EventSpool::open(dir_ + "/spool"));
  spool_.emplace(std::move(spool));
  // Ids stay unique across restarts: a random part per process, then a counter.
  id_prefix_ = agent_id_ + "-" + randomHex(6) + "-";
  channel_ = controller::agentChannel(address, identity_);
  event_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (event_fd_ < 0) return errnoError(errno, "eventfd");
  return okStatus();
}

ControllerLink::~ControllerLink() {
  stop_ = true;
  {
    std::lock_guard lock(mu_);
    if (watch_context_) watch_context_->TryCancel();
  }
  wake_.notify_all();
  for (auto* t : {&watch_thread_, &delivery_thread_, &inventory_thread_}) {
    if (t->joinable()) t->join();
  }
  if (event_fd_ >= 0) ::close(event_fd_);
}

void ControllerLink::start() {
  watch_thread_ = std::thread([this] { watchLoop(); });
  delivery_thread_ = std::thread([this] { deliveryLoop(); });
  inventory_thread_ = std::thread([this] { inventoryLoop(); });
}

std::optional<PushedPolicy> ControllerLink::currentPolicy() const {
  std::lock_guard lock(mu_);
  return current_;
}

Result<PushedPolicy> ControllerLink::fetchPolicy(int timeout_ms) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms));
  auto stub = v1::AgentService::NewStub(channel());
  v1::WatchPolicyRequest req;
  req.set_current_version(guard_->currentVersion());
  auto reader = stub->WatchPolicy(&context, req);
  v1::PolicyBundle bundle;
  std::optional<Result<PushedPolicy>> result;
  while (!result && reader->Read(&bundle)) {
    auto body = guard_->accept(bundle, nowUnix());
    if (!body) {
      logging::get("controller-link")->error("policy bundle refused: {}", body.error().message());
      continue;
    }
    result = writePolicy(*body);
    context.TryCancel();
  }
  grpc::Status status = reader->Finish();
  if (!result) {
    return failedPrecondition("no policy yet: controller " + options_.address +
                              " sent none for this agent (" + status.error_message() +
                              "); push one, or pass --policy FILE to enforce until it does");
  }
  if (*result) {
    std::lock_guard lock(mu_);
    current_ = **result;
  }
  return *result;
}

Result<PushedPolicy> ControllerLink::writePolicy(const v1::PolicyBundleBody& body) {
  PushedPolicy p{body.version(), dir_ + "/policy.yaml", body.audit_first()};
  SLUICE_RETURN_IF_ERROR(controller::writeFileAtomic(p.file, body.policy_yaml(), 0600));
  return p;
}

std::shared_ptr<grpc::Channel> ControllerLink::channel() {
  std::lock_guard lock(mu_);
  return channel_;
}

std::string ControllerLink::nextEventId() {
  return id_prefix_ + std::to_string(++next_event_);
}

void ControllerLink::sleepFor(int ms) {
  std::unique_lock lock(mu_);
  wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping(); });
}

void ControllerLink::noteState(const std::string& state, const std::string& error) {
  std::lock_guard lock(mu_);
  if (state != state_) {
    auto log = logging::get("controller-link");
    if (state == "revoked") {
      log->error(
          "controller {} refused this agent ({}): it was revoked; the last good policy "
          "stays enforced and events stay spooled",
          options_.address, error);
    } else if (state == "connected") {
      log->info("connected to controller {} as {}", options_.address, agent_id_);
    } else {
      log->warn("controller {} {}: {}", options_.address, state, error);
    }
    state_ = state;
  }
  if (!error.empty()) last_error_ = error;
}

void ControllerLink::noteRpcFailure(const grpc::Status& status) {
  noteState(status.error_code() == grpc::StatusCode::PERMISSION_DENIED ? "revoked" : "unreachable",
            status.error_message());
}

void ControllerLink::watchLoop() {
  auto log = logging::get("controller-link");
  int backoff_ms = 250;
  while (!stopping()) {
    auto context = std::make_shared<grpc::ClientContext>();
    {
      std::lock_guard lock(mu_);
      watch_context_ = context;
    }
    if (stopping()) break;
    auto stub = v1::AgentService::NewStub(channel());
    v1::WatchPolicyRequest req;
    req.set_current_version(guard_->currentVersion());
    auto reader = stub->WatchPolicy(context.get(), req);
    v1::PolicyBundle bundle;
    while (reader->Read(&bundle)) {
      noteState("connected", "");
      backoff_ms = 250;
      auto body = guard_->accept(bundle, nowUnix());
      if (!body) {
        log->error("policy bundle refused, keeping version {}: {}", guard_->currentVersion(),
                   body.error().message());
        std::lock_guard lock(mu_);
        ++bundles_refused_;
        last_bundle_error_ = body.error().message();
        continue;
      }
      auto pushed = writePolicy(*body);
      if (!pushed) {
        log->error("cannot write policy version {}: {}", body->version(), pushed.error().message());
        continue;
      }
      log->info("policy bundle version {} ('{}') accepted", body->version(), body->policy_name());
      {
        std::lock_guard lock(mu_);
        current_ = offered_ = *pushed;
      }
      uint64_t one = 1;
      (void)!::write(event_fd_, &one, sizeof(one));
    }
    grpc::Status status = reader->Finish();
    if (stopping()) break;
    noteRpcFailure(status);
    bool revoked = status.error_code() == grpc::StatusCode::PERMISSION_DENIED;
    sleepFor(revoked ? 30000 : backoff_ms);
    backoff_ms = std::min(backoff_ms * 2, 5000);
  }
}

void ControllerLink::submit(const nlohmann::json& event) {
  uint64_t version;
  {
    std::lock_guard lock(mu_);
    version = running_version_;
  }
  auto alert = alertFromEvent(event, version);
  if (!alert) return;
  v1::Event e;
  e.set_id(nextEventId());
  e.set_time_unix_ms(nowMs());
  *e.mutable_alert() = std::move(*alert);
  enqueue(std::move(e));
}

void ControllerLink::enqueue(v1::Event event) {
  std::lock_guard lock(mu_);
  if (pending_.size() >= kMaxPending) {
    ++events_dropped_;
    return;
  }
  pending_.push_back(std::move(event));
  wake_.notify_all();
}

void ControllerLink::publishStatus(nlohmann::json status) {
  std::lock_guard lock(mu_);
  agent_status_ = std::move(status);
}

std::optional<PushedPolicy> ControllerLink::takePolicy() {
  uint64_t count;
  (void)!::read(event_fd_, &count, sizeof(count));
  std::lock_guard lock(mu_);
  auto out = std::move(offered_);
  offered_.reset();
  return out;
}

void ControllerLink::policyApplied(uint64_t version, const Status& result) {
  std::lock_guard lock(mu_);
  if (result) {
    running_version_ = version;
    last_bundle_error_.clear();
  } else {
    last_bundle_error_ = "version " + std::to_string(version) + ": " + result.error().message();
  }
}

void ControllerLink::spoolPending() {
  std::deque<v1::Event> taken;
  {
    std::lock_guard lock(mu_);
    taken.swap(pending_);
  }
  while (!taken.empty()) {
    v1::EventBatch batch;
    while (!taken.empty() && static_cast<size_t>(batch.events_size()) < kMaxBatch) {
      *batch.add_events() = std::move(taken.front());
      taken.pop_front();
    }
    if (Status s = spool_->append(batch); !s) {
      logging::get("controller-link")
          ->error("{} events dropped: {}", batch.events_size(), s.error().message());
      std::lock_guard lock(mu_);
      events_dropped_ += static_cast<uint64_t>(batch.events_size());
    }
  }
  std::lock_guard lock(mu_);
  spool_batches_ = spool_->batches();
}

bool ControllerLink::sendNow(const v1::EventBatch& batch) {
  auto stub = v1::AgentService::NewStub(channel());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stream = stub->StreamEvents(&ctx);
  v1::EventAck ack;
  bool acked = stream->Write(batch) && stream->Read(&ack);
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    noteRpcFailure(status);
    return false;
  }
  if (!acked || ack.event_ids_size() != batch.events_size()) {
    noteState("unreachable", "the controller closed the stream before acknowledging");
    return false;
  }
  noteState("connected", "");
  return true;
}

bool ControllerLink::deliverSpooled() {
  auto log = logging::get("controller-link");
  while (!stopping()) {
    auto next = spool_->oldest();
    if (!next) {
      // A batch that does not open cannot be delivered; keep the rest moving.
      log->error("{}; dropped", next.error().message());
      (void)spool_->remove(spool_->oldestSeq());
      continue;
    }
    if (!*next) return true;
    if (!sendNow((*next)->batch)) return false;
    (void)spool_->remove((*next)->seq);
    std::lock_guard lock(mu_);
    events_delivered_ += static_cast<uint64_t>((*next)->batch.events_size());
    spool_batches_ = spool_->batches();
  }
  return false;
}

void ControllerLink::sendHeartbeat() {
  v1::EventBatch batch;
  auto* e = batch.add_events();
  e->set_id(nextEventId());
  e->set_time_unix_ms(nowMs());
  auto* h = e->mutable_heartbeat();
  h->set_kernel(kernelRelease());
  h->set_agent_version(options_.agent_version);
  {
    std::lock_guard lock(mu_);
    h->set_policy_version(running_version_);
    h->set_inspectable_processes(inspectable_processes_);
    const auto& st = agent_status_;
    bool enforcing = st.is_object() && st.value("enforcing", false);
    std::string reload_error;
    if (st.is_object() && st.contains("policy")) {
      reload_error = st["policy"].value("last_reload_error", "");
    }
    h->set_health(!enforcing                                               ? "failing"
                  : (!reload_error.empty() || !last_bundle_error_.empty()) ? "degraded"
                                                                           : "ok");
    h->set_health_detail(!enforcing                    ? "enforcement is not attached"
                         : !last_bundle_error_.empty() ? last_bundle_error_
                                                       : reload_error);
    if (st.is_object() && st.contains("counters") && st["counters"].is_object()) {
      for (const auto& [name, value] : st["counters"].items()) {
        if (value.is_number_unsigned()) (*h->mutable_counters())[name] = value.get<uint64_t>();
      }
    }
    (*h->mutable_counters())["controller_events_delivered"] = events_delivered_;
    (*h->mutable_counters())["controller_events_dropped"] = events_dropped_;
    (*h->mutable_counters())["controller_spool_batches"] = spool_batches_;
  }
  // A heartbeat is only worth anything now: it is not spooled.
  (void)sendNow(batch);
}

void ControllerLink::maybeRenew() {
  if (!controller::renewalDue(identity_, nowUnix())) return;
  auto renewed = controller::renewAgent(options_.address, identity_, dir_);
  if (!renewed) {
    logging::get("controller-link")
        ->warn("certificate renewal failed (valid until {}): {}", identity_.not_after_unix,
               renewed.error().message());
    return;
  }
  identity_ = std::move(*renewed);
  logging::get("controller-link")
      ->info("certificate renewed; valid until {}", identity_.not_after_unix);
  std::lock_guard lock(mu_);
  channel_ = controller::agentChannel(options_.address, identity_);
}

void ControllerLink::deliveryLoop() {
  using Clock = std::chrono::steady_clock;
  auto next_heartbeat = Clock::now();
  auto next_renewal_check = Clock::now();
  auto retry_at = Clock::now();
  int backoff_ms = 250;
  while (!stopping()) {
    auto wake = std::min(next_heartbeat, next_renewal_check);
    if (spool_->batches() > 0) wake = std::min(wake, retry_at);  // undelivered batches wait
    {
      std::unique_lock lock(mu_);
      wake_.wait_until(lock, wake, [this] { return stopping() || !pending_.empty(); });
    }
    // Let a burst gather into one batch.
    if (!stopping()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    spoolPending();
    if (stopping()) break;
    auto now = Clock::now();
    if (now >= retry_at) {
      if (deliverSpooled()) {
        backoff_ms = 250;
      } else {
        retry_at = Clock::now() + std::chrono::milliseconds(backoff_ms);
        backoff_ms = std::min(backoff_ms * 2, 2000);
      }
    }
    if (now >= next_renewal_check) {
      maybeRenew();
      next_renewal_check = now + std::chrono::minutes(1);
    }
    if (now >= next_heartbeat) {
      sendHeartbeat();
      next_heartbeat = now + std::chrono::seconds(options_.heartbeat_seconds);
    }
  }
}

void ControllerLink::inventoryLoop() {
  while (!stopping()) {
    TlsInventory inventory;
    if (inventory.scan()) {
      std::map<std::pair<uint64_t, uint64_t>, uint32_t> users;
      uint32_t inspectable = 0;
      for (const auto& p : inventory.processes()) {
        if (p.inspectable()) ++inspectable;
        for (const auto& b : p.binaries) ++users[b];
      }
      v1::Event e;
      e.set_id(nextEventId());
      e.set_time_unix_ms(nowMs());
      for (const auto& [key, binary] : inventory.binaries()) {
        auto* item = e.mutable_inventory()->add_items();
        item->set_exe(binary.path);
        item->set_tls_library(binary.library);
        item->set_inspectable(true);
        item->set_process_count(users[key]);
      }
      {
        std::lock_guard lock(mu_);
        inspectable_processes_ = inspectable;
      }
      enqueue(std::move(e));
    }
    sleepFor(options_.inventory_seconds * 1000);
  }
}

nlohmann::json ControllerLink::status() const {
  std::lock_guard lock(mu_);
  return {{"address", options_.address},
          {"agent_id", agent_id_},
          {"state", state_},
          {"last_error", last_error_},
          {"policy_version", running_version_},
          {"bundle_version", current_ ? current_->version : 0},
          {"last_bundle_error", last_bundle_error_},
          {"bundles_refused", bundles_refused_},
          {"events_delivered", events_delivered_},
          {"events_dropped", events_dropped_},
          {"spool_batches", spool_batches_}};
}

}  // namespace sluice::agent
