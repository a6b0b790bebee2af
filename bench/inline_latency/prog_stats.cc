#include "prog_stats.h"

#include <unistd.h>

#include <algorithm>

#include <bpf/bpf.h>

namespace sluice::bench {

ProgStats::ProgStats() : stats_fd_(bpf_enable_stats(BPF_STATS_RUN_TIME)) {}

ProgStats::~ProgStats() {
  if (stats_fd_ >= 0) close(stats_fd_);
}

void ProgStats::readProgram(const std::string& name, uint32_t id, Snapshot* out) {
  int fd = bpf_prog_get_fd_by_id(id);
  if (fd < 0) return;
  bpf_prog_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0) {
    Total& t = (*out)[name.empty() ? info.name : name];
    t.run_ns += info.run_time_ns;
    t.runs += info.run_cnt;
  }
  close(fd);
}

ProgStats::Snapshot ProgStats::read(const std::vector<std::pair<std::string, uint32_t>>& programs,
                                    const std::string& pinned_map) const {
  Snapshot out;
  for (const auto& [name, id] : programs) readProgram(name, id, &out);
  int map_fd = bpf_obj_get(pinned_map.c_str());
  if (map_fd < 0) return out;
  bpf_map_info map_info{};
  uint32_t len = sizeof(map_info);
  bool have_map = bpf_obj_get_info_by_fd(map_fd, &map_info, &len) == 0;
  close(map_fd);
  if (!have_map) return out;
  // Programs that are not listed, use that map and are uprobes: the capture's.
  uint32_t id = 0;
  while (bpf_prog_get_next_id(id, &id) == 0) {
    int fd = bpf_prog_get_fd_by_id(id);
    if (fd < 0) continue;
    uint32_t map_ids[64];
    bpf_prog_info info{};
    info.nr_map_ids = 64;
    info.map_ids = reinterpret_cast<uint64_t>(map_ids);
    len = sizeof(info);
    bool uses = false;
    if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && info.type == BPF_PROG_TYPE_KPROBE) {
      for (uint32_t i = 0; i < std::min<uint32_t>(info.nr_map_ids, 64); ++i) {
        uses = uses || map_ids[i] == map_info.id;
      }
    }
    close(fd);
    if (uses) readProgram("", id, &out);
  }
  return out;
}

void ProgStats::add(const std::string& label, const Snapshot& before, const Snapshot& after) {
  Snapshot& into = totals_[label];
  for (const auto& [name, t] : after) {
    auto it = before.find(name);
    Total& sum = into[name];
    sum.run_ns += t.run_ns - (it == before.end() ? 0 : it->second.run_ns);
    sum.runs += t.runs - (it == before.end() ? 0 : it->second.runs);
  }
}

}  // namespace sluice::bench
