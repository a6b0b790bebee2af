// File: event_spool.h
//
// The agent's on-disk queue of event batches waiting for the controller. Each batch is one
// file, sealed with AES-256-GCM under a key that only the agent holds (spool.key, 0600, made on
// first use) and bound to its file name, so a batch can be neither read nor swapped on disk.
// The spool is bounded: when it is full, append fails with kResourceExhausted and the caller
// decides what to drop; nothing is silently lost. A batch leaves the spool only when the
// controller has acknowledged it, so delivery is at least once across agent and controller
// restarts (the controller stores each event id once).
//
//   spool.append(batch);                       // always, before sending
//   while (auto next = spool.oldest()) { send; on ack: spool.remove(next->seq); }
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sluice/common/result.h"
#include "sluice/v1/agent.pb.h"

namespace sluice::controller {

struct SpoolLimits {
  uint64_t max_bytes = 64ull << 20;
  uint64_t max_batches = 100000;
};

struct SpooledBatch {
  uint64_t seq = 0;
  sluice::v1::EventBatch batch;
};

class EventSpool {
 public:
  static Result<EventSpool> open(const std::string& dir, SpoolLimits limits = {});

  Status append(const sluice::v1::EventBatch& batch);
  // The oldest batch still waiting, if any. kDataLoss names a file that fails to open
  // (tampered or from another key); remove(oldestSeq()) to move on.
  Result<std::optional<SpooledBatch>> oldest();
  uint64_t oldestSeq() const;  // 0 when empty
  Status remove(uint64_t seq);
  uint64_t batches() const { return batches_; }
  uint64_t bytes() const { return bytes_; }

 private:
  EventSpool(std::string dir, std::string key, SpoolLimits limits)
      : dir_(std::move(dir)), key_(std::move(key)), limits_(limits) {}
  std::string fileName(uint64_t seq) const;
  Status scan();

  std::string dir_;
  std::string key_;
  SpoolLimits limits_;
  uint64_t next_seq_ = 1;
  uint64_t batches_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace sluice::controller
