// Schema, people, enrolment tokens, agents and policies. Events, alerts and the audit log are
// in sql_storage_events.cc.
#include "sql_storage.h"

#include <cstring>

namespace sluice::controller {
namespace {

// BIGINT and TEXT only, so that one schema serves SQLite and PostgreSQL.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,
  token_hash TEXT NOT NULL, totp_secret TEXT NOT NULL, created_at BIGINT NOT NULL,
  disabled BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS enroll_tokens (
  id TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, labels TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, created_by TEXT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0, used_by TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS agents (
  id TEXT PRIMARY KEY, hostname TEXT NOT NULL, labels TEXT NOT NULL, status TEXT NOT NULL,
  cert_serial TEXT NOT NULL, cert_not_after BIGINT NOT NULL, enrolled_at BIGINT NOT NULL,
  last_heartbeat BIGINT NOT NULL DEFAULT 0, policy_version BIGINT NOT NULL DEFAULT 0,
  agent_version TEXT NOT NULL DEFAULT '', kernel TEXT NOT NULL DEFAULT '',
  health TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS policies (
  version BIGINT PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, yaml TEXT NOT NULL,
  selector TEXT NOT NULL, audit_first BIGINT NOT NULL, pushed_by TEXT NOT NULL,
  pushed_at BIGINT NOT NULL, rollback_of BIGINT NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS events (
  agent_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, time_ms BIGINT NOT NULL,
  received_ms BIGINT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (agent_id, id));
CREATE TABLE IF NOT EXISTS alerts (
  id TEXT PRIMARY KEY, agent_id TEXT NOT NULL, time_ms BIGINT NOT NULL,
  received_ms BIGINT NOT NULL, severity BIGINT NOT NULL, vendor TEXT NOT NULL,
  status TEXT NOT NULL, assignee TEXT NOT NULL, detail TEXT NOT NULL, evidence TEXT NOT NULL,
  notes TEXT NOT NULL, process TEXT NOT NULL DEFAULT '', phi_types TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (time_ms);
CREATE TABLE IF NOT EXISTS audit_log (
  seq BIGINT PRIMARY KEY, time_ms BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  target TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  seq BIGINT PRIMARY KEY, hash TEXT NOT NULL, time_ms BIGINT NOT NULL, signature TEXT NOT NULL);
)sql";

constexpr const char* kUserCols = "id, name, role, token_hash, totp_secret, created_at, disabled";
constexpr const char* kTokenCols =
    "id, secret_hash, labels, created_at, expires_at, created_by, used_at, used_by";
constexpr const char* kAgentCols =
    "id, hostname, labels, status, cert_serial, cert_not_after, enrolled_at, last_heartbeat, "
    "policy_version, agent_version, kernel, health";

UserRecord toUser(const SqlRow& r) {
  return UserRecord{r.text(0), r.text(1),    r.text(2),        r.text(3),
                    r.text(4), r.integer(5), r.integer(6) != 0};
}

EnrollTokenRecord toToken(const SqlRow& r) {
  return EnrollTokenRecord{r.text(0),    r.text(1), r.text(2),    r.integer(3),
                           r.integer(4), r.text(5), r.integer(6), r.text(7)};
}

AgentRecord toAgent(const SqlRow& r) {
  AgentRecord a;
  a.id = r.text(0);
  a.hostname = r.text(1);
  a.labels_json = r.text(2);
  a.status = r.text(3);
  a.cert_serial = r.text(4);
  a.cert_not_after = r.integer(5);
  a.enrolled_at = r.integer(6);
  a.last_heartbeat = r.integer(7);
  a.policy_version = static_cast<uint64_t>(r.integer(8));
  a.agent_version = r.text(9);
  a.kernel = r.text(10);
  a.health = r.text(11);
  return a;
}

PolicyRecord toPolicy(const SqlRow& r) {
  PolicyRecord p;
  p.version = static_cast<uint64_t>(r.integer(0));
  p.name = r.text(1);
  p.sha256 = r.text(2);
  p.yaml = r.text(3);
  p.selector = r.text(4);
  p.audit_first = r.integer(5) != 0;
  p.pushed_by = r.text(6);
  p.pushed_at = r.integer(7);
  p.rollback_of = static_cast<uint64_t>(r.integer(8));
  return p;
}

Status expectOneRow(Result<int64_t> changed, const std::string& what) {
  if (!changed) return std::move(changed).error();
  if (*changed == 0) return notFound(what + " not found");
  return okStatus();
}

}  // namespace

Result<std::unique_ptr<Storage>> openStorage(const std::string& url, const std::string& data_dir) {
  Result<std::unique_ptr<SqlDatabase>> db = internalError("unreachable");
  if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
    db = openPostgres(url);
  } else if (url.empty()) {
    db = openSqlite(data_dir + "/controller.db");
  } else {
    db = openSqlite(url.rfind("sqlite://", 0) == 0 ? url.substr(std::strlen("sqlite://")) : url);
  }
  if (!db) return std::move(db).error();
  SLUICE_ASSIGN_OR_RETURN(auto storage, SqlStorage::create(std::move(db).value()));
  return std::unique_ptr<Storage>(std::move(storage));
}

// Columns added after the first release; a database created before them gains them here.
Status addMissingColumns(SqlDatabase& db) {
  struct Column {
    const char* table;
    const char* name;
    const char* type;
  };
  for (const Column& c : {Column{"alerts", "process", "TEXT NOT NULL DEFAULT ''"},
                          Column{"alerts", "phi_types", "TEXT NOT NULL DEFAULT ''"}}) {
    std::string add = std::string("ALTER TABLE ") + c.table + " ADD COLUMN ";
    if (db.dialect() == "postgres") {
      SLUICE_RETURN_IF_ERROR(db.script(add + "IF NOT EXISTS " + c.name + " " + c.type));
      continue;
    }
    SLUICE_ASSIGN_OR_RETURN(auto rows,
                            db.query("SELECT COUNT(*) FROM pragma_table_info($1) WHERE name = $2",
                                     {std::string(c.table), std::string(c.name)}));
    if (rows.at(0).integer(0) == 0) {
      SLUICE_RETURN_IF_ERROR(db.script(add + c.name + " " + c.type));
    }
  }
  return okStatus();
}

Result<std::unique_ptr<SqlStorage>> SqlStorage::create(std::unique_ptr<SqlDatabase> db) {
  SLUICE_RETURN_IF_ERROR(db->script(kSchema));
  SLUICE_RETURN_IF_ERROR(addMissingColumns(*db));
  return std::unique_ptr<SqlStorage>(new SqlStorage(std::move(db)));
}

Status SqlStorage::insertUser(const UserRecord& u) {
  std::lock_guard lock(mu_);
  auto r =
      db_->exec(std::string("INSERT INTO users (") + kUserCols + ") VALUES ($1,$2,$3,$4,$5,$6,$7)",
                {u.id, u.name, u.role, u.token_hash, u.totp_secret_sealed, u.created_at,
                 int64_t{u.disabled}});
  if (r) return okStatus();
  if (r.error().code() == ErrorCode::kAlreadyExists) {
    return Error(ErrorCode::kAlreadyExists, "a user named '" + u.name + "' already exists");
  }
  return std::move(r).error();
}

Result<std::optional<UserRecord>> SqlStorage::findUser(const std::string& id) {
  std::lock_guard lock(mu_);
  return firstRow<UserRecord>(
      db_->query(std::string("SELECT ") + kUserCols + " FROM users WHERE id = $1", {id}), toUser);
}

Result<std::vector<UserRecord>> SqlStorage::listUsers() {
  std::lock_guard lock(mu_);
  return allRows<UserRecord>(
      db_->query(std::string("SELECT ") + kUserCols + " FROM users ORDER BY created_at, id", {}),
      toUser);
}

Status SqlStorage::setUserDisabled(const std::string& id, bool disabled) {
  std::lock_guard lock(mu_);
  return expectOneRow(
      db_->exec("UPDATE users SET disabled = $1 WHERE id = $2", {int64_t{disabled}, id}),
      "user " + id);
}

Status SqlStorage::insertEnrollToken(const EnrollTokenRecord& t) {
  std::lock_guard lock(mu_);
  auto r = db_->exec(std::string("INSERT INTO enroll_tokens (") + kTokenCols +
                         ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                     {t.id, t.secret_hash, t.labels_json, t.created_at, t.expires_at, t.created_by,
                      t.used_at, t.used_by});
  if (!r) return std::move(r).error();
  return okStatus();
}

Result<EnrollTokenRecord> SqlStorage::consumeEnrollToken(const std::string& secret_hash,
                                                         int64_t now, const std::string& agent_id) {
  std::lock_guard lock(mu_);
  return transaction("enroll_tokens", [&]() -> Result<EnrollTokenRecord> {
    SLUICE_ASSIGN_OR_RETURN(
        auto row,
        firstRow<EnrollTokenRecord>(db_->query(std::string("SELECT ") + kTokenCols +
                                                   " FROM enroll_tokens WHERE secret_hash = $1",
                                               {secret_hash}),
                                    toToken));
    if (!row) return notFound("unknown enrolment token");
    if (row->used_at != 0) {
      return failedPrecondition("enrolment token " + row->id + " was already used (by agent " +
                                row->used_by + "); create a new one");
    }
    if (row->expires_at <= now) {
      return failedPrecondition("enrolment token " + row->id + " expired; create a new one");
    }
    // The guard on used_at makes the claim atomic even without the table lock.
    SLUICE_ASSIGN_OR_RETURN(int64_t changed,
                            db_->exec("UPDATE enroll_tokens SET used_at = $1, used_by = $2 "
                                      "WHERE secret_hash = $3 AND used_at = 0",
                                      {now, agent_id, secret_hash}));
    if (changed != 1) return failedPrecondition("enrolment token " + row->id + " was already used");
    row->used_at = now;
    row->used_by = agent_id;
    return *row;
  });
}

Result<std::vector<EnrollTokenRecord>> SqlStorage::listEnrollTokens() {
  std::lock_guard lock(mu_);
  return allRows<EnrollTokenRecord>(
      db_->query(
          std::string("SELECT ") + kTokenCols + " FROM enroll_tokens ORDER BY created_at, id", {}),
      toToken);
}

Status SqlStorage::insertAgent(const AgentRecord& a) {
  std::lock_guard lock(mu_);
  auto r = db_->exec(std::string("INSERT INTO agents (") + kAgentCols +
                         ") VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
                     {a.id, a.hostname, a.labels_json, a.status, a.cert_serial, a.cert_not_after,
                      a.enrolled_at, a.last_heartbeat, static_cast<int64_t>(a.policy_version),
                      a.agent_version, a.kernel, a.health});
  if (!r) return std::move(r).error();
  return okStatus();
}

Result<std::optional<AgentRecord>> SqlStorage::findAgent(const std::string& id) {
  std::lock_guard lock(mu_);
  return firstRow<AgentRecord>(
      db_->query(std::string("SELECT ") + kAgentCols + " FROM agents WHERE id = $1", {id}),
      toAgent);
}

Result<std::vector<AgentRecord>> SqlStorage::listAgents() {
  std::lock_guard lock(mu_);
  return allRows<AgentRecord>(
      db_->query(std::string("SELECT ") + kAgentCols + " FROM agents ORDER BY enrolled_at, id", {}),
      toAgent);
}

Status SqlStorage::updateAgentCert(const std::string& id, const std::string& serial,
                                   int64_t not_after) {
  std::lock_guard lock(mu_);
  return expectOneRow(db_->exec("UPDATE agents SET cert_serial = $1, cert_not_after = $2 "
                                "WHERE id = $3",
                                {serial, not_after, id}),
                      "agent " + id);
}

Status SqlStorage::setAgentStatus(const std::string& id, const std::string& status) {
  std::lock_guard lock(mu_);
  return expectOneRow(db_->exec("UPDATE agents SET status = $1 WHERE id = $2", {status, id}),
                      "agent " + id);
}

Result<uint64_t> SqlStorage::insertPolicy(const PolicyRecord& p) {
  std::lock_guard lock(mu_);
  return transaction("policies", [&]() -> Result<uint64_t> {
    SLUICE_ASSIGN_OR_RETURN(auto rows,
                            db_->query("SELECT COALESCE(MAX(version), 0) FROM policies", {}));
    int64_t version = rows.at(0).integer(0) + 1;
    SLUICE_RETURN_IF_ERROR(db_->exec(
        "INSERT INTO policies (version, name, sha256, yaml, selector, audit_first, pushed_by, "
        "pushed_at, rollback_of) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
        {version, p.name, p.sha256, p.yaml, p.selector, int64_t{p.audit_first}, p.pushed_by,
         p.pushed_at, static_cast<int64_t>(p.rollback_of)}));
    return static_cast<uint64_t>(version);
  });
}

Result<std::optional<PolicyRecord>> SqlStorage::findPolicy(uint64_t version) {
  std::lock_guard lock(mu_);
  return firstRow<PolicyRecord>(
      db_->query("SELECT version, name, sha256, yaml, selector, audit_first, pushed_by, "
                 "pushed_at, rollback_of FROM policies WHERE version = $1",
                 {static_cast<int64_t>(version)}),
      toPolicy);
}

Result<std::vector<PolicyRecord>> SqlStorage::listPolicies(bool with_yaml) {
  std::lock_guard lock(mu_);
  std::string yaml_col = with_yaml ? "yaml" : "''";
  return allRows<PolicyRecord>(
      db_->query("SELECT version, name, sha256, " + yaml_col +
                     ", selector, audit_first, pushed_by, pushed_at, rollback_of FROM policies "
                     "ORDER BY version",
                 {}),
      toPolicy);
}

}  // namespace sluice::controller
