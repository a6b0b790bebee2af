// File: storage.h
//
// Everything the controller remembers sits behind this one interface, so that the same code
// (and the same test suite) runs over SQLite, the embedded default, and PostgreSQL, which
// lets several stateless controller replicas share one database. Records are plain data:
// protobuf payloads and sealed (encrypted) values arrive here already encoded, so a backend
// never sees plaintext evidence or secrets.
//
//   SLUICE_ASSIGN_OR_RETURN(auto db, openStorage("postgres://...", data_dir));
//   SLUICE_RETURN_IF_ERROR(db->insertAgent(agent));
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sluice/common/result.h"

namespace sluice::controller {

struct UserRecord {
  std::string id;
  std::string name;
  std::string role;
  std::string token_hash;          // hex SHA-256 of the API token's secret part
  std::string totp_secret_sealed;  // base64 AES-GCM
  int64_t created_at = 0;
  bool disabled = false;
};

struct EnrollTokenRecord {
  std::string id;
  std::string secret_hash;  // hex SHA-256 of the token
  std::string labels_json;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::string created_by;
  int64_t used_at = 0;
  std::string used_by;
};

struct AgentRecord {
  std::string id;
  std::string hostname;
  std::string labels_json;
  std::string status = "active";  // active | revoked
  std::string cert_serial;
  int64_t cert_not_after = 0;
  int64_t enrolled_at = 0;
  int64_t last_heartbeat = 0;
  uint64_t policy_version = 0;
  std::string agent_version;
  std::string kernel;
  std::string health;
};

struct PolicyRecord {
  uint64_t version = 0;  // assigned by insertPolicy
  std::string name;
  std::string sha256;
  std::string yaml;
  std::string selector;
  bool audit_first = false;
  std::string pushed_by;
  int64_t pushed_at = 0;
  uint64_t rollback_of = 0;
};

struct AlertRecord {
  std::string id;
  std::string agent_id;
  int64_t time_ms = 0;
  int64_t received_ms = 0;
  int severity = 0;
  std::string vendor;
  std::string status = "open";
  std::string assignee;
  std::string detail;           // base64 serialized AlertEvent without evidence
  std::string evidence_sealed;  // base64 AES-GCM of the serialized evidence
  std::string notes_json = "[]";
  std::string process;    // the process name, for filtering without opening the detail
  std::string phi_types;  // ",ssn,mrn," (types only, never values), for filtering
};

struct AlertFilter {
  int64_t since_ms = 0;
  int64_t until_ms = 0;  // 0 = no upper bound (exclusive otherwise)
  int min_severity = 0;
  std::string agent_id;
  std::string vendor;
  std::string status;
  std::string process;
  std::string phi_type;
  std::string assignee;
  uint32_t limit = 100;
  uint32_t offset = 0;  // newest first: skip this many
};

// One agent event as stored for de-duplication (alerts go to their own table as well).
struct EventRecord {
  std::string id;
  std::string kind;  // alert | heartbeat | inventory | stats
  int64_t time_ms = 0;
  std::string payload;  // base64 serialized event body; empty for alerts (held sealed)
};

struct HeartbeatRecord {
  int64_t time_unix = 0;
  uint64_t policy_version = 0;
  std::string agent_version;
  std::string kernel;
  std::string health;
};

// What one event does besides being recorded, applied only the first time its id is seen.
struct IngestItem {
  EventRecord event;
  std::optional<AlertRecord> alert;
  std::optional<HeartbeatRecord> heartbeat;
};

struct AuditRecord {
  uint64_t seq = 0;
  int64_t time_ms = 0;
  std::string actor;
  std::string action;
  std::string target;
  std::string details;  // JSON
  std::string prev_hash;
  std::string hash;
};

struct CheckpointRecord {
  uint64_t seq = 0;
  std::string hash;
  int64_t time_ms = 0;
  std::string signature;  // hex Ed25519
};

class Storage {
 public:
  virtual ~Storage() = default;

  virtual std::string backendName() const = 0;  // "sqlite" | "postgres"

  // People.
  virtual Status insertUser(const UserRecord& user) = 0;
  virtual Result<std::optional<UserRecord>> findUser(const std::string& id) = 0;
  virtual Result<std::vector<UserRecord>> listUsers() = 0;
  virtual Status setUserDisabled(const std::string& id, bool disabled) = 0;

  // Enrolment tokens. consumeEnrollToken marks the token used atomically: of two agents
  // racing with one token exactly one succeeds. It fails with kNotFound for an unknown token,
  // kFailedPrecondition (message says "already used" or "expired") otherwise.
  virtual Status insertEnrollToken(const EnrollTokenRecord& token) = 0;
  virtual Result<EnrollTokenRecord> consumeEnrollToken(const std::string& secret_hash, int64_t now,
                                                       const std::string& agent_id) = 0;
  virtual Result<std::vector<EnrollTokenRecord>> listEnrollTokens() = 0;

  // Agents.
  virtual Status insertAgent(const AgentRecord& agent) = 0;
  virtual Result<std::optional<AgentRecord>> findAgent(const std::string& id) = 0;
  virtual Result<std::vector<AgentRecord>> listAgents() = 0;
  virtual Status updateAgentCert(const std::string& id, const std::string& serial,
                                 int64_t not_after) = 0;
  virtual Status setAgentStatus(const std::string& id, const std::string& status) = 0;

  // Policies. insertPolicy assigns the next version number and returns it.
  virtual Result<uint64_t> insertPolicy(const PolicyRecord& policy) = 0;
  virtual Result<std::optional<PolicyRecord>> findPolicy(uint64_t version) = 0;
  virtual Result<std::vector<PolicyRecord>> listPolicies(bool with_yaml) = 0;

  // Events: a batch is stored in one transaction; items whose (agent, id) was already stored
  // are skipped, so redelivery is harmless. Returns the ids that were new.
  virtual Result<std::vector<std::string>> ingest(const std::string& agent_id,
                                                  const std::vector<IngestItem>& items) = 0;
  virtual Result<std::vector<AlertRecord>> listAlerts(const AlertFilter& filter) = 0;
  // How many alerts match the filter (limit and offset ignored), for pagination.
  virtual Result<uint64_t> countAlerts(const AlertFilter& filter) = 0;
  virtual Result<std::optional<AlertRecord>> findAlert(const std::string& id) = 0;
  virtual Status updateAlertTriage(const std::string& id, const std::string& status,
                                   const std::string& assignee, const std::string& notes_json) = 0;
  virtual Result<uint64_t> countEvents(const std::string& agent_id) = 0;

  // Audit log. appendAudit hands `make` the current last entry (if any) inside an exclusive
  // transaction, so the chain stays linear even with several controller replicas.
  virtual Result<AuditRecord> appendAudit(
      const std::function<Result<AuditRecord>(const std::optional<AuditRecord>&)>& make) = 0;
  virtual Result<std::vector<AuditRecord>> listAudit(uint64_t after_seq, uint32_t limit) = 0;
  virtual Status insertCheckpoint(const CheckpointRecord& checkpoint) = 0;
  virtual Result<std::vector<CheckpointRecord>> listCheckpoints() = 0;
};

// "sqlite:///path/to.db", a bare path, or "" (DATA_DIR/controller.db) selects SQLite in WAL
// mode; "postgres://..." or "postgresql://..." selects PostgreSQL. Creates the schema.
Result<std::unique_ptr<Storage>> openStorage(const std::string& url, const std::string& data_dir);

}  // namespace sluice::controller
