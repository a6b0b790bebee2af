// File: event_ingest.h
//
// Where agent events land and alerts are triaged. A batch is stored in one transaction and
// acknowledged only after that, and events whose id was already stored are skipped, so an
// agent may resend freely (at-least-once delivery, exactly-once storage). Alert evidence is
// already masked by the agent; it is sealed here with AES-256-GCM under the controller's
// secrets key, bound to the alert id, and opened only for GetAlert, which is audited.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "sluice/common/result.h"
#include "sluice/controller/alert_export.h"
#include "sluice/controller/audit_log.h"
#include "sluice/controller/clock.h"
#include "sluice/controller/storage.h"
#include "sluice/v1/controller.pb.h"

namespace sluice::controller {

enum class TriageAction { kAck, kAssign, kResolve, kFalsePositive };

class EventIngest {
 public:
  EventIngest(Storage& storage, const Clock& clock, AuditLog& audit, std::string secrets_key);

  // New alerts (not redeliveries) are handed to the exporter after they are stored.
  void setExporter(AlertExporter* exporter) { exporter_ = exporter; }
  // Called with each batch's new alerts (without evidence) once they are stored, on the
  // ingesting thread: the console's live updates.
  using AlertListener = std::function<void(const std::vector<sluice::v1::Alert>&)>;
  void addListener(AlertListener listener);

  // Stores the batch; returns the ids to acknowledge (all of them, new or repeated).
  Result<std::vector<std::string>> ingest(const std::string& agent_id,
                                          const sluice::v1::EventBatch& batch);

  Result<std::vector<sluice::v1::Alert>> list(const AlertFilter& filter);
  Result<uint64_t> count(const AlertFilter& filter);
  // With evidence opened; recorded in the audit log as an evidence access by `actor`.
  Result<sluice::v1::Alert> get(const std::string& actor, const std::string& id);
  Result<sluice::v1::Alert> triage(const std::string& actor, const std::string& id,
                                   TriageAction action, const std::string& note,
                                   const std::string& assignee);

 private:
  Result<sluice::v1::Alert> toAlert(const AlertRecord& record, bool with_evidence);

  Storage& storage_;
  const Clock& clock_;
  AuditLog& audit_;
  std::string secrets_key_;
  AlertExporter* exporter_ = nullptr;
  std::mutex listeners_mu_;
  std::vector<AlertListener> listeners_;
};

}  // namespace sluice::controller
