#include "sluice/controller/event_ingest.h"

#include <set>

#include <nlohmann/json.hpp>

#include "sluice/controller/crypto.h"

namespace sluice::controller {
namespace {

constexpr size_t kMaxEventIdLength = 128;

std::string evidenceAad(const std::string& alert_id) {
  return "evidence:" + alert_id;
}

const char* kindName(const sluice::v1::Event& e) {
  switch (e.kind_case()) {
    case sluice::v1::Event::kAlert: return "alert";
    case sluice::v1::Event::kHeartbeat: return "heartbeat";
    case sluice::v1::Event::kInventory: return "inventory";
    case sluice::v1::Event::kStats: return "stats";
    default: return "unknown";
  }
}

}  // namespace

EventIngest::EventIngest(Storage& storage, const Clock& clock, AuditLog& audit,
                         std::string secrets_key)
    : storage_(storage), clock_(clock), audit_(audit), secrets_key_(std::move(secrets_key)) {}

Result<std::vector<std::string>> EventIngest::ingest(const std::string& agent_id,
                                                     const sluice::v1::EventBatch& batch) {
  std::vector<IngestItem> items;
  std::vector<std::string> ids;
  items.reserve(static_cast<size_t>(batch.events_size()));
  int64_t now_ms = clock_.nowMs();
  for (const auto& e : batch.events()) {
    if (e.id().empty() || e.id().size() > kMaxEventIdLength) {
      return invalidArgument("every event needs an id of 1-128 bytes");
    }
    IngestItem item;
    item.event.id = e.id();
    item.event.kind = kindName(e);
    item.event.time_ms = e.time_unix_ms();
    if (e.has_alert()) {
      sluice::v1::AlertEvent summary = e.alert();
      sluice::v1::AlertEvent evidence_only;
      evidence_only.mutable_evidence()->Swap(summary.mutable_evidence());
      AlertRecord a;
      a.id = e.id();
      a.agent_id = agent_id;
      a.time_ms = e.time_unix_ms();
      a.received_ms = now_ms;
      a.severity = static_cast<int>(summary.severity());
      a.vendor = summary.vendor();
      a.process = summary.process();
      std::set<std::string> types;
      for (const auto& ev : evidence_only.evidence()) types.insert(ev.phi_type());
      if (!types.empty()) {
        for (const auto& t : types) a.phi_types += "," + t;
        a.phi_types += ",";
      }
      a.detail = crypto::base64Encode(summary.SerializeAsString());
      SLUICE_ASSIGN_OR_RETURN(
          std::string sealed,
          crypto::aeadSeal(secrets_key_, evidence_only.SerializeAsString(), evidenceAad(a.id)));
      a.evidence_sealed = crypto::base64Encode(sealed);
      item.alert = std::move(a);
    } else {
      std::string body;
      if (e.has_heartbeat()) {
        const auto& h = e.heartbeat();
        item.heartbeat = HeartbeatRecord{e.time_unix_ms() / 1000, h.policy_version(),
                                         h.agent_version(), h.kernel(), h.health()};
        // The controller's clock decides "online", not the agent's.
        item.heartbeat->time_unix = now_ms / 1000;
        body = h.SerializeAsString();
      } else if (e.has_inventory()) {
        body = e.inventory().SerializeAsString();
      } else if (e.has_stats()) {
        body = e.stats().SerializeAsString();
      }
      item.event.payload = crypto::base64Encode(body);
    }
    ids.push_back(e.id());
    items.push_back(std::move(item));
  }
  SLUICE_ASSIGN_OR_RETURN(std::vector<std::string> fresh, storage_.ingest(agent_id, items));
  std::vector<AlertListener> listeners;
  {
    std::lock_guard lock(listeners_mu_);
    listeners = listeners_;
  }
  if (exporter_ == nullptr && listeners.empty()) return ids;
  std::set<std::string> fresh_ids(fresh.begin(), fresh.end());
  std::vector<sluice::v1::Alert> fresh_alerts;
  for (const auto& item : items) {
    if (!item.alert || fresh_ids.count(item.alert->id) == 0) continue;
    SLUICE_ASSIGN_OR_RETURN(auto alert, toAlert(*item.alert, false));
    fresh_alerts.push_back(std::move(alert));
  }
  if (exporter_ != nullptr) {
    for (const auto& e : batch.events()) {
      if (!e.has_alert() || fresh_ids.count(e.id()) == 0) continue;
      sluice::v1::Alert alert;
      alert.set_id(e.id());
      alert.set_agent_id(agent_id);
      alert.set_time_unix_ms(e.time_unix_ms());
      alert.set_received_unix_ms(now_ms);
      alert.set_status("open");
      *alert.mutable_detail() = e.alert();
      exporter_->enqueue(alert);
    }
  }
  if (!fresh_alerts.empty()) {
    for (const auto& listener : listeners) listener(fresh_alerts);
  }
  return ids;
}

void EventIngest::addListener(AlertListener listener) {
  std::lock_guard lock(listeners_mu_);
  listeners_.push_back(std::move(listener));
}

Result<sluice::v1::Alert> EventIngest::toAlert(const AlertRecord& r, bool with_evidence) {
  sluice::v1::Alert out;
  out.set_id(r.id);
  out.set_agent_id(r.agent_id);
  out.set_time_unix_ms(r.time_ms);
  out.set_received_unix_ms(r.received_ms);
  out.set_status(r.status);
  out.set_assignee(r.assignee);
  // ",ssn,mrn," -> ssn, mrn
  for (size_t start = 1; start < r.phi_types.size();) {
    size_t end = r.phi_types.find(',', start);
    if (end == std::string::npos) break;
    if (end > start) out.add_phi_types(r.phi_types.substr(start, end - start));
    start = end + 1;
  }
  SLUICE_ASSIGN_OR_RETURN(std::string detail, crypto::base64Decode(r.detail));
  if (!out.mutable_detail()->ParseFromString(detail)) {
    return Error(ErrorCode::kDataLoss, "alert " + r.id + " has an unreadable detail");
  }
  if (with_evidence) {
    SLUICE_ASSIGN_OR_RETURN(std::string sealed, crypto::base64Decode(r.evidence_sealed));
    SLUICE_ASSIGN_OR_RETURN(std::string plain,
                            crypto::aeadOpen(secrets_key_, sealed, evidenceAad(r.id)));
    sluice::v1::AlertEvent evidence;
    if (!evidence.ParseFromString(plain)) {
      return Error(ErrorCode::kDataLoss, "alert " + r.id + " has unreadable evidence");
    }
    out.mutable_detail()->mutable_evidence()->Swap(evidence.mutable_evidence());
  }
  auto notes = nlohmann::json::parse(r.notes_json, nullptr, false);
  if (notes.is_array()) {
    for (const auto& n : notes) {
      auto* note = out.add_notes();
      note->set_time_unix(n.value("time", int64_t{0}));
      note->set_author(n.value("author", ""));
      note->set_action(n.value("action", ""));
      note->set_text(n.value("text", ""));
    }
  }
  return out;
}

Result<std::vector<sluice::v1::Alert>> EventIngest::list(const AlertFilter& filter) {
  SLUICE_ASSIGN_OR_RETURN(auto records, storage_.listAlerts(filter));
  std::vector<sluice::v1::Alert> out;
  out.reserve(records.size());
  for (const auto& r : records) {
    SLUICE_ASSIGN_OR_RETURN(auto alert, toAlert(r, false));
    out.push_back(std::move(alert));
  }
  return out;
}

Result<uint64_t> EventIngest::count(const AlertFilter& filter) {
  return storage_.countAlerts(filter);
}

Result<sluice::v1::Alert> EventIngest::get(const std::string& actor, const std::string& id) {
  SLUICE_ASSIGN_OR_RETURN(auto record, storage_.findAlert(id));
  if (!record) return notFound("alert " + id + " not found");
  // Record the access before the evidence leaves: a failed audit write means no evidence.
  SLUICE_RETURN_IF_ERROR(audit_.record(actor, "alert.evidence.view", "alert/" + id));
  return toAlert(*record, true);
}

Result<sluice::v1::Alert> EventIngest::triage(const std::string& actor, const std::string& id,
                                              TriageAction action, const std::string& note,
                                              const std::string& assignee) {
  SLUICE_ASSIGN_OR_RETURN(auto record, storage_.findAlert(id));
  if (!record) return notFound("alert " + id + " not found");
  std::string action_name;
  switch (action) {
    case TriageAction::kAck:
      action_name = "ack";
      if (record->status == "open") record->status = "acknowledged";
      break;
    case TriageAction::kAssign:
      if (assignee.empty()) return invalidArgument("assign needs an assignee");
      action_name = "assign";
      record->assignee = assignee;
      if (record->status == "open") record->status = "acknowledged";
      break;
    case TriageAction::kResolve:
      action_name = "resolve";
      record->status = "resolved";
      break;
    case TriageAction::kFalsePositive:
      action_name = "false-positive";
      record->status = "false-positive";
      break;
  }
  auto notes = nlohmann::json::parse(record->notes_json, nullptr, false);
  if (!notes.is_array()) notes = nlohmann::json::array();
  notes.push_back(
      {{"time", clock_.nowUnix()}, {"author", actor}, {"action", action_name}, {"text", note}});
  SLUICE_RETURN_IF_ERROR(
      storage_.updateAlertTriage(id, record->status, record->assignee, notes.dump()));
  SLUICE_RETURN_IF_ERROR(audit_.record(
      actor, "alert." + action_name, "alert/" + id,
      nlohmann::json{{"status", record->status}, {"assignee", record->assignee}, {"note", note}}
          .dump()));
  record->notes_json = notes.dump();
  return toAlert(*record, false);
}

}  // namespace sluice::controller
