#include "sluice/controller/audit_log.h"

#include <map>

#include <nlohmann/json.hpp>

#include "sluice/controller/files.h"

namespace sluice::controller {
namespace {

constexpr uint32_t kPage = 1000;

// Length-prefixed fields, so that no choice of field contents can collide with another.
void field(std::string& out, std::string_view value) {
  out += std::to_string(value.size());
  out += ':';
  out += value;
  out += ';';
}

}  // namespace

AuditLog::AuditLog(Storage& storage, const Clock& clock, crypto::Ed25519Key key,
                   std::string anchor_path, uint64_t checkpoint_every)
    : storage_(storage),
      clock_(clock),
      key_(std::move(key)),
      anchor_path_(std::move(anchor_path)),
      checkpoint_every_(checkpoint_every == 0 ? 1 : checkpoint_every) {}

std::string AuditLog::entryHash(const AuditRecord& e) {
  std::string canonical = "sluice.audit.v1;";
  field(canonical, std::to_string(e.seq));
  field(canonical, std::to_string(e.time_ms));
  field(canonical, e.actor);
  field(canonical, e.action);
  field(canonical, e.target);
  field(canonical, e.details);
  field(canonical, e.prev_hash);
  return crypto::sha256Hex(canonical);
}

std::string AuditLog::checkpointMessage(uint64_t seq, const std::string& hash) {
  return std::string("sluice.v1.AuditCheckpoint") + '\0' + std::to_string(seq) + '\0' + hash;
}

Result<AuditRecord> AuditLog::record(const std::string& actor, const std::string& action,
                                     const std::string& target, const std::string& details_json) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.nowMs();
  SLUICE_ASSIGN_OR_RETURN(
      AuditRecord entry,
      storage_.appendAudit([&](const std::optional<AuditRecord>& last) -> Result<AuditRecord> {
        AuditRecord e;
        e.seq = last ? last->seq + 1 : 1;
        e.time_ms = now;
        e.actor = actor;
        e.action = action;
        e.target = target;
        e.details = details_json;
        e.prev_hash = last ? last->hash : std::string();
        e.hash = entryHash(e);
        return e;
      }));
  SLUICE_RETURN_IF_ERROR(writeAnchor(entry));
  if (entry.seq % checkpoint_every_ == 0) {
    SLUICE_ASSIGN_OR_RETURN(std::string sig, key_.sign(checkpointMessage(entry.seq, entry.hash)));
    SLUICE_RETURN_IF_ERROR(
        storage_.insertCheckpoint({entry.seq, entry.hash, now, crypto::toHex(sig)}));
    last_checkpoint_seq_ = entry.seq;
  }
  return entry;
}

Status AuditLog::writeAnchor(const AuditRecord& head) {
  if (anchor_path_.empty()) return okStatus();
  SLUICE_ASSIGN_OR_RETURN(std::string sig, key_.sign(checkpointMessage(head.seq, head.hash)));
  nlohmann::json j = {{"seq", head.seq}, {"hash", head.hash}, {"signature", crypto::toHex(sig)}};
  return writeFileAtomic(anchor_path_, j.dump() + "\n", 0600);
}

Status AuditLog::checkpoint() {
  std::lock_guard lock(mu_);
  SLUICE_ASSIGN_OR_RETURN(auto checkpoints, storage_.listCheckpoints());
  uint64_t after = checkpoints.empty() ? 0 : checkpoints.back().seq;
  std::optional<AuditRecord> head;
  while (true) {
    SLUICE_ASSIGN_OR_RETURN(auto page, storage_.listAudit(after, kPage));
    if (page.empty()) break;
    head = page.back();
    after = head->seq;
  }
  if (!head) return okStatus();
  SLUICE_ASSIGN_OR_RETURN(std::string sig, key_.sign(checkpointMessage(head->seq, head->hash)));
  last_checkpoint_seq_ = head->seq;
  return storage_.insertCheckpoint({head->seq, head->hash, clock_.nowMs(), crypto::toHex(sig)});
}

Result<AuditVerifyReport> AuditLog::verify() {
  AuditVerifyReport report;
  auto fail = [&](uint64_t seq, std::string problem) {
    if (!report.ok) return;  // keep the first problem found
    report.ok = false;
    report.first_bad_seq = seq;
    report.problem = std::move(problem);
  };

  std::map<uint64_t, std::string> hashes;  // seq -> stored hash, for the checkpoint checks
  uint64_t expected = 1;
  std::string prev;
  uint64_t after = 0;
  while (report.ok) {
    SLUICE_ASSIGN_OR_RETURN(auto page, storage_.listAudit(after, kPage));
    if (page.empty()) break;
    for (const auto& e : page) {
      ++report.entries_checked;
      if (e.seq != expected) {
        fail(expected, "entry " + std::to_string(expected) +
                           " is missing (deleted); the next "
                           "entry is " +
                           std::to_string(e.seq));
      } else if (e.prev_hash != prev) {
        fail(e.seq, "entry " + std::to_string(e.seq) + " does not link to entry " +
                        std::to_string(e.seq - 1) + " (entries modified, reordered or removed)");
      } else if (entryHash(e) != e.hash) {
        fail(e.seq, "entry " + std::to_string(e.seq) + " does not match its hash (modified)");
      }
      if (!report.ok) break;
      hashes[e.seq] = e.hash;
      prev = e.hash;
      ++expected;
    }
    after = page.back().seq;
  }
  uint64_t last_seq = expected - 1;
  if (!report.ok) return report;

  // A signed point the log must still contain: a checkpoint or the anchored head.
  auto checkSigned = [&](uint64_t seq, const std::string& hash, const std::string& sig_hex,
                         const std::string& what) {
    auto sig = crypto::fromHex(sig_hex);
    if (!sig || !key_.verify(checkpointMessage(seq, hash), *sig)) {
      fail(seq, what + " at entry " + std::to_string(seq) + " has a bad signature");
    } else if (seq > last_seq) {
      fail(last_seq + 1, "entries " + std::to_string(last_seq + 1) + ".." + std::to_string(seq) +
                             " are missing (log truncated; " + what + " signed entry " +
                             std::to_string(seq) + ")");
    } else if (hashes[seq] != hash) {
      fail(seq, "entry " + std::to_string(seq) + " differs from the " + what +
                    " signed for it (chain rewritten)");
    }
  };
  SLUICE_ASSIGN_OR_RETURN(auto checkpoints, storage_.listCheckpoints());
  for (const auto& c : checkpoints) {
    ++report.checkpoints_checked;
    checkSigned(c.seq, c.hash, c.signature, "checkpoint");
  }
  if (!anchor_path_.empty()) {
    auto text = readFile(anchor_path_);
    if (text) {
      auto j = nlohmann::json::parse(*text, nullptr, false);
      if (j.is_discarded() || !j.contains("seq")) {
        fail(last_seq, "the signed head " + anchor_path_ + " is unreadable");
      } else {
        checkSigned(j.value("seq", uint64_t{0}), j.value("hash", ""), j.value("signature", ""),
                    "signed head");
      }
    } else if (last_seq > 0) {
      fail(last_seq, "the signed head " + anchor_path_ + " is missing");
    }
  }
  return report;
}

}  // namespace sluice::controller
