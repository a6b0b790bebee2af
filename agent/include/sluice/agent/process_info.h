// File: process_info.h
//
// Attributes a kernel event to a process a person can recognise: executable, command line,
// user, cgroup and container. Everything is read from /proc when the event arrives; a process
// that has already exited keeps the comm the kernel recorded.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace sluice::agent {

struct ProcessInfo {
  pid_t pid = 0;
  pid_t tid = 0;
  uint32_t uid = 0;
  std::string user;     // from the passwd database; empty if unknown
  std::string comm;     // from the kernel event
  std::string exe;      // /proc/PID/exe target; empty if the process is gone
  std::string cmdline;  // arguments joined by spaces
  uint64_t cgroup_id = 0;
  std::string cgroup;        // cgroup2 path relative to the mount
  std::string container_id;  // 64-hex container id found in the cgroup path, if any
};

// Fills what /proc still knows about `pid`; the kernel-reported fields are passed in (an
// empty `comm` is read from /proc too).
ProcessInfo describeProcess(pid_t pid, pid_t tid, uint32_t uid, const std::string& comm,
                            uint64_t cgroup_id);

// The container id in a cgroup path: docker-<id>.scope, cri-containerd-<id>.scope,
// crio-<id>.scope, libpod-<id>.scope, /docker/<id>, /kubepods/.../<id>. Empty if none.
std::string containerIdFromCgroup(const std::string& cgroup_path);

std::string userName(uint32_t uid);

void to_json(nlohmann::json& j, const ProcessInfo& p);

}  // namespace sluice::agent
