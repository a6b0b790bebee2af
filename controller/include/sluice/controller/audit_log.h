// File: audit_log.h
//
// The tamper-evident record of who did what: logins, policy pushes and rollbacks, enrolments,
// revocations, alert state changes and every read of alert evidence. Each entry carries the
// SHA-256 of its predecessor, so changing, removing or reordering an entry breaks the chain
// from that point. Signed checkpoints (every `checkpoint_every` entries and on demand) and a
// signed head kept outside the database (`anchor_path`) catch what a chain alone cannot: a
// rewritten chain, and entries cut off the end.
//
//   audit.record("user:alice", "policy.push", "policy/7", R"({"sha256":"..."})");
//   auto report = audit.verify();  // report->first_bad_seq names the first bad entry
#pragma once

#include <cstdint>
#include <mutex>
#include <string>

#include "sluice/common/result.h"
#include "sluice/controller/clock.h"
#include "sluice/controller/crypto.h"
#include "sluice/controller/storage.h"

namespace sluice::controller {

struct AuditVerifyReport {
  bool ok = true;
  uint64_t entries_checked = 0;
  uint64_t checkpoints_checked = 0;
  uint64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;
};

class AuditLog {
 public:
  AuditLog(Storage& storage, const Clock& clock, crypto::Ed25519Key key, std::string anchor_path,
           uint64_t checkpoint_every = 100);

  Result<AuditRecord> record(const std::string& actor, const std::string& action,
                             const std::string& target, const std::string& details_json = "{}");
  // Signs the current head as a checkpoint, if it moved since the last one.
  Status checkpoint();
  Result<AuditVerifyReport> verify();

  static std::string entryHash(const AuditRecord& entry);
  static std::string checkpointMessage(uint64_t seq, const std::string& hash);

 private:
  Status writeAnchor(const AuditRecord& head);

  Storage& storage_;
  const Clock& clock_;
  crypto::Ed25519Key key_;
  std::string anchor_path_;
  uint64_t checkpoint_every_;
  std::mutex mu_;
  uint64_t last_checkpoint_seq_ = 0;
};

}  // namespace sluice::controller
