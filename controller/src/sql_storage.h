// File: sql_storage.h
//
// Storage over a SqlDatabase: one implementation of the schema and queries for both SQLite
// and PostgreSQL. A mutex serialises use of the single connection; that is enough for one
// controller (SQLite allows one writer anyway), and PostgreSQL replicas each hold their own.
#pragma once

#include <memory>
#include <mutex>

#include "sluice/controller/storage.h"
#include "sql.h"

namespace sluice::controller {

class SqlStorage : public Storage {
 public:
  static Result<std::unique_ptr<SqlStorage>> create(std::unique_ptr<SqlDatabase> db);

  std::string backendName() const override { return db_->dialect(); }

  Status insertUser(const UserRecord& user) override;
  Result<std::optional<UserRecord>> findUser(const std::string& id) override;
  Result<std::vector<UserRecord>> listUsers() override;
  Status setUserDisabled(const std::string& id, bool disabled) override;

  Status insertEnrollToken(const EnrollTokenRecord& token) override;
  Result<EnrollTokenRecord> consumeEnrollToken(const std::string& secret_hash, int64_t now,
                                               const std::string& agent_id) override;
  Result<std::vector<EnrollTokenRecord>> listEnrollTokens() override;

  Status insertAgent(const AgentRecord& agent) override;
  Result<std::optional<AgentRecord>> findAgent(const std::string& id) override;
  Result<std::vector<AgentRecord>> listAgents() override;
  Status updateAgentCert(const std::string& id, const std::string& serial,
                         int64_t not_after) override;
  Status setAgentStatus(const std::string& id, const std::string& status) override;

  Result<uint64_t> insertPolicy(const PolicyRecord& policy) override;
  Result<std::optional<PolicyRecord>> findPolicy(uint64_t version) override;
  Result<std::vector<PolicyRecord>> listPolicies(bool with_yaml) override;

  Result<std::vector<std::string>> ingest(const std::string& agent_id,
                                          const std::vector<IngestItem>& items) override;
  Result<std::vector<AlertRecord>> listAlerts(const AlertFilter& filter) override;
  Result<uint64_t> countAlerts(const AlertFilter& filter) override;
  Result<std::optional<AlertRecord>> findAlert(const std::string& id) override;
  Status updateAlertTriage(const std::string& id, const std::string& status,
                           const std::string& assignee, const std::string& notes_json) override;
  Result<uint64_t> countEvents(const std::string& agent_id) override;

  Result<AuditRecord> appendAudit(
      const std::function<Result<AuditRecord>(const std::optional<AuditRecord>&)>& make) override;
  Result<std::vector<AuditRecord>> listAudit(uint64_t after_seq, uint32_t limit) override;
  Status insertCheckpoint(const CheckpointRecord& checkpoint) override;
  Result<std::vector<CheckpointRecord>> listCheckpoints() override;

 private:
  explicit SqlStorage(std::unique_ptr<SqlDatabase> db) : db_(std::move(db)) {}

  // Runs `body` between BEGIN and COMMIT, rolling back when it fails.
  template <typename F>
  auto transaction(std::string_view exclusive_table, F&& body) -> decltype(body()) {
    SLUICE_RETURN_IF_ERROR(db_->begin(exclusive_table));
    auto result = body();
    if (!result) {
      (void)db_->script("ROLLBACK");
      return result;
    }
    SLUICE_RETURN_IF_ERROR(db_->script("COMMIT"));
    return result;
  }

  std::mutex mu_;
  std::unique_ptr<SqlDatabase> db_;
};

}  // namespace sluice::controller
