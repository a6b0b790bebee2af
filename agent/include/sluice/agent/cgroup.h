// File: cgroup.h
//
// cgroup v2 helpers. The agent's scope is a path inside the cgroup2 mount ("/" = whole host,
// "/sluice-demo" = one subtree). The mount point is read from /proc/mounts because hosts
// differ: a pure v2 host mounts it at /sys/fs/cgroup, a hybrid host at /sys/fs/cgroup/unified.
//
// ScopedCgroup creates a child cgroup and removes it when it goes away; tests and the demo
// use it so that nothing they run is enforced on the rest of the machine.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>

#include "sluice/common/result.h"

namespace sluice::agent {

// The cgroup2 mount point, e.g. "/sys/fs/cgroup/unified".
Result<std::string> findCgroup2Mount(const std::string& proc_mounts = "/proc/mounts");

// Joins a scope ("/a/b", "a/b" or "/") onto the mount and checks that it exists.
// Rejects ".." so a scope can never name a cgroup outside the mount.
Result<std::string> resolveScope(const std::string& mount, const std::string& scope);

// The kernel's 64-bit id of a cgroup directory (the inode number on cgroup2), which is what
// bpf_get_current_cgroup_id() reports.
Result<uint64_t> cgroupId(const std::string& cgroup_path);

// The cgroup2 path of a process relative to the mount ("/system.slice/x.service"), from
// /proc/PID/cgroup's "0::" line.
Result<std::string> processCgroup(pid_t pid);

// Moves a process into a cgroup.
Status moveToCgroup(const std::string& cgroup_path, pid_t pid);

class ScopedCgroup {
 public:
  // Creates <cgroup2 mount>/<name>. Fails if it already exists, so two runs never share one.
  static Result<std::unique_ptr<ScopedCgroup>> create(const std::string& name);
  ~ScopedCgroup();
  ScopedCgroup(const ScopedCgroup&) = delete;
  ScopedCgroup& operator=(const ScopedCgroup&) = delete;

  const std::string& path() const { return path_; }    // absolute directory
  const std::string& scope() const { return scope_; }  // "/name", as --scope takes it
  uint64_t id() const { return id_; }

 private:
  ScopedCgroup(std::string path, std::string scope, uint64_t id)
      : path_(std::move(path)), scope_(std::move(scope)), id_(id) {}
  std::string path_;
  std::string scope_;
  uint64_t id_;
};

}  // namespace sluice::agent
