// File: prog_stats.h
//
// The kernel's own accounting of BPF program run time (BPF_ENABLE_STATS), summed per program
// name over the agent's successive runs: which part of the added latency is spent inside the
// uprobe and the cgroup programs, as opposed to waking the agent and its verdict.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sluice::bench {

class ProgStats {
 public:
  ProgStats();  // enables run-time statistics while this object lives
  ~ProgStats();
  ProgStats(const ProgStats&) = delete;
  ProgStats& operator=(const ProgStats&) = delete;

  bool enabled() const { return stats_fd_ >= 0; }

  struct Total {
    uint64_t run_ns = 0, runs = 0;
  };
  using Snapshot = std::map<std::string, Total>;  // by program name
  // The current totals of the programs with these ids, and of the uprobe programs that use
  // the map pinned at `pinned_map` (the capture's, which the agent's status does not list).
  Snapshot read(const std::vector<std::pair<std::string, uint32_t>>& programs,
                const std::string& pinned_map) const;
  // Adds what ran between two snapshots to the totals of `label`.
  void add(const std::string& label, const Snapshot& before, const Snapshot& after);
  const std::map<std::string, Snapshot>& totals() const { return totals_; }

 private:
  static void readProgram(const std::string& name, uint32_t id, Snapshot* out);
  int stats_fd_ = -1;
  std::map<std::string, Snapshot> totals_;  // by label
};

}  // namespace sluice::bench
