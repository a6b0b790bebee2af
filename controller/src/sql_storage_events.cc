// Events, alerts and the audit log.
#include "sql_storage.h"

namespace sluice::controller {
namespace {

constexpr const char* kAlertCols =
    "id, agent_id, time_ms, received_ms, severity, vendor, status, assignee, detail, evidence, "
    "notes, process, phi_types";
// Every AlertFilter condition; $1..$9 are bound by filterParams in this order.
constexpr const char* kAlertWhere =
    " FROM alerts WHERE time_ms >= $1 AND ($2 = 0 OR time_ms < $2) AND severity >= $3"
    " AND ($4 = '' OR agent_id = $4) AND ($5 = '' OR vendor = $5) AND ($6 = '' OR status = $6)"
    " AND ($7 = '' OR process = $7) AND ($8 = '' OR phi_types LIKE $8 ESCAPE '!')"
    " AND ($9 = '' OR assignee = $9)";
constexpr const char* kAuditCols = "seq, time_ms, actor, action, target, details, prev_hash, hash";

AlertRecord toAlert(const SqlRow& r) {
  AlertRecord a;
  a.id = r.text(0);
  a.agent_id = r.text(1);
  a.time_ms = r.integer(2);
  a.received_ms = r.integer(3);
  a.severity = static_cast<int>(r.integer(4));
  a.vendor = r.text(5);
  a.status = r.text(6);
  a.assignee = r.text(7);
  a.detail = r.text(8);
  a.evidence_sealed = r.text(9);
  a.notes_json = r.text(10);
  a.process = r.text(11);
  a.phi_types = r.text(12);
  return a;
}

std::vector<SqlValue> filterParams(const AlertFilter& f) {
  // Matches one whole entry of ",a,b,", with LIKE's wildcards in the type taken literally.
  std::string phi;
  if (!f.phi_type.empty()) {
    phi = "%,";
    for (char c : f.phi_type) {
      if (c == '%' || c == '_' || c == '!') phi += '!';
      phi += c;
    }
    phi += ",%";
  }
  return {f.since_ms, f.until_ms, int64_t{f.min_severity},
          f.agent_id, f.vendor,   f.status,
          f.process,  phi,        f.assignee};
}

AuditRecord toAudit(const SqlRow& r) {
  return AuditRecord{static_cast<uint64_t>(r.integer(0)),
                     r.integer(1),
                     r.text(2),
                     r.text(3),
                     r.text(4),
                     r.text(5),
                     r.text(6),
                     r.text(7)};
}

}  // namespace

Result<std::vector<std::string>> SqlStorage::ingest(const std::string& agent_id,
                                                    const std::vector<IngestItem>& items) {
  std::lock_guard lock(mu_);
  return transaction("", [&]() -> Result<std::vector<std::string>> {
    std::vector<std::string> fresh;
    for (const auto& item : items) {
      const EventRecord& e = item.event;
      int64_t received = item.alert ? item.alert->received_ms : e.time_ms;
      SLUICE_ASSIGN_OR_RETURN(
          int64_t inserted,
          db_->exec("INSERT INTO events (agent_id, id, kind, time_ms, received_ms, payload) "
                    "VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING",
                    {agent_id, e.id, e.kind, e.time_ms, received, e.payload}));
      if (inserted == 0) continue;  // seen before: at-least-once delivery, stored once
      fresh.push_back(e.id);
      if (item.alert) {
        const AlertRecord& a = *item.alert;
        SLUICE_RETURN_IF_ERROR(db_->exec(
            std::string("INSERT INTO alerts (") + kAlertCols +
                ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13) ON CONFLICT DO NOTHING",
            {a.id, agent_id, a.time_ms, a.received_ms, int64_t{a.severity}, a.vendor, a.status,
             a.assignee, a.detail, a.evidence_sealed, a.notes_json, a.process, a.phi_types}));
      }
      if (item.heartbeat) {
        const HeartbeatRecord& h = *item.heartbeat;
        SLUICE_RETURN_IF_ERROR(db_->exec(
            "UPDATE agents SET last_heartbeat = $1, policy_version = $2, agent_version = $3, "
            "kernel = $4, health = $5 WHERE id = $6 AND last_heartbeat <= $1",
            {h.time_unix, static_cast<int64_t>(h.policy_version), h.agent_version, h.kernel,
             h.health, agent_id}));
      }
    }
    return fresh;
  });
}

Result<std::vector<AlertRecord>> SqlStorage::listAlerts(const AlertFilter& f) {
  std::lock_guard lock(mu_);
  std::vector<SqlValue> params = filterParams(f);
  params.emplace_back(int64_t{f.limit});
  params.emplace_back(int64_t{f.offset});
  std::string sql = std::string("SELECT ") + kAlertCols + kAlertWhere +
                    " ORDER BY time_ms DESC, id LIMIT $10 OFFSET $11";
  return allRows<AlertRecord>(db_->query(sql, params), toAlert);
}

Result<uint64_t> SqlStorage::countAlerts(const AlertFilter& f) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(
      auto rows, db_->query(std::string("SELECT COUNT(*)") + kAlertWhere, filterParams(f)));
  return static_cast<uint64_t>(rows.at(0).integer(0));
}

Result<std::optional<AlertRecord>> SqlStorage::findAlert(const std::string& id) {
  std::lock_guard lock(mu_);
  return firstRow<AlertRecord>(
      db_->query(std::string("SELECT ") + kAlertCols + " FROM alerts WHERE id = $1", {id}),
      toAlert);
}

Status SqlStorage::updateAlertTriage(const std::string& id, const std::string& status,
                                     const std::string& assignee, const std::string& notes_json) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(
      int64_t changed,
      db_->exec("UPDATE alerts SET status = $1, assignee = $2, notes = $3 WHERE id = $4",
                {status, assignee, notes_json, id}));
  if (changed == 0) return notFound("alert " + id + " not found");
  return okStatus();
}

Result<uint64_t> SqlStorage::countEvents(const std::string& agent_id) {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(
      auto rows, db_->query("SELECT COUNT(*) FROM events WHERE agent_id = $1", {agent_id}));
  return static_cast<uint64_t>(rows.at(0).integer(0));
}

Result<AuditRecord> SqlStorage::appendAudit(
    const std::function<Result<AuditRecord>(const std::optional<AuditRecord>&)>& make) {
  std::lock_guard lock(mu_);
  return transaction("audit_log", [&]() -> Result<AuditRecord> {
    SLUICE_ASSIGN_OR_RETURN(auto rows, db_->query(std::string("SELECT ") + kAuditCols +
                                                      " FROM audit_log ORDER BY seq DESC LIMIT 1",
                                                  {}));
    std::optional<AuditRecord> last;
    if (!rows.empty()) last = toAudit(rows.front());
    SLUICE_ASSIGN_OR_RETURN(AuditRecord e, make(last));
    SLUICE_RETURN_IF_ERROR(db_->exec(
        std::string("INSERT INTO audit_log (") + kAuditCols + ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
        {static_cast<int64_t>(e.seq), e.time_ms, e.actor, e.action, e.target, e.details,
         e.prev_hash, e.hash}));
    return e;
  });
}

Result<std::vector<AuditRecord>> SqlStorage::listAudit(uint64_t after_seq, uint32_t limit) {
  std::lock_guard lock(mu_);
  return allRows<AuditRecord>(db_->query(std::string("SELECT ") + kAuditCols +
                                             " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                                         {static_cast<int64_t>(after_seq), int64_t{limit}}),
                              toAudit);
}

Status SqlStorage::insertCheckpoint(const CheckpointRecord& c) {
  std::lock_guard lock(mu_);
  SLUICE_RETURN_IF_ERROR(db_->exec(
      "INSERT INTO audit_checkpoints (seq, hash, time_ms, signature) VALUES ($1,$2,$3,$4) "
      "ON CONFLICT DO NOTHING",
      {static_cast<int64_t>(c.seq), c.hash, c.time_ms, c.signature}));
  return okStatus();
}

Result<std::vector<CheckpointRecord>> SqlStorage::listCheckpoints() {
  std::lock_guard lock(mu_);
  return allRows<CheckpointRecord>(
      db_->query("SELECT seq, hash, time_ms, signature FROM audit_checkpoints ORDER BY seq", {}),
      [](const SqlRow& r) {
        return CheckpointRecord{static_cast<uint64_t>(r.integer(0)), r.text(1), r.integer(2),
                                r.text(3)};
      });
}

}  // namespace sluice::controller
