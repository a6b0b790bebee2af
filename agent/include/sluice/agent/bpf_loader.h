// File: bpf_loader.h
//
// The one loader for the enforcement programs: connect/sendmsg (bpf/connect.bpf.c) and the
// SNI/DNS programs (bpf/egress.bpf.c). The agent and the privileged tests both use it, so the
// tests exercise exactly what runs in production.
//
// Lifecycle and pinning (<bpffs> defaults to /sys/fs/bpf/sluice):
//   <bpffs>/maps/{dest_policy,name_policy,dns_bindings,sk_state,conn_counters,conn_events,
//                 name_events,name_cfg}
//   <bpffs>/links/{connect4,connect6,sendmsg4,sendmsg6,egress,ingress}
// Both objects pin the maps they share under the same path, so the second object loaded reuses
// the first one's instance.
// `create` adopts whatever is pinned: existing maps are reused (libbpf pin_path), and a pinned
// link gets the newly loaded program swapped in with BPF_LINK_UPDATE, which is atomic, so a
// restart or upgrade never leaves a window without enforcement. Only when nothing is pinned
// are links created on the scope cgroup and pinned. Destroying a ConnectEnforcer closes its
// descriptors and leaves the pins, i.e. enforcement, in place; `uninstall` removes them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sluice/abi.h"
#include "sluice/agent/policy_compiler.h"
#include "sluice/common/result.h"

struct connect_bpf;
struct egress_bpf;
struct ring_buffer;

namespace sluice::agent {

struct LoaderConfig {
  std::string bpffs_dir = "/sys/fs/bpf/sluice";
  std::string scope_path;  // absolute cgroup2 directory to attach to
};

struct AttachedProgram {
  std::string name;
  uint32_t prog_id = 0;
  uint32_t link_id = 0;
  uint64_t cgroup_id = 0;
  bool adopted = false;  // the link was already pinned when this agent started
};

struct Counters {
  uint64_t values[SLUICE_CNT_MAX] = {};
};

class ConnectEnforcer {
 public:
  static constexpr size_t kProgramCount = 6;

  struct EventHandlers {
    std::function<void(const sluice_conn_event&)> conn;
    std::function<void(const sluice_name_event&)> name;
  };

  // Loads, attaches (or adopts) and pins. Does not install a policy: call installPolicy,
  // which `create` requires before it attaches new links (pass the first policy here).
  static Result<std::unique_ptr<ConnectEnforcer>> create(const LoaderConfig& config,
                                                         const CompiledPolicy& initial_policy);
  ~ConnectEnforcer();
  ConnectEnforcer(const ConnectEnforcer&) = delete;
  ConnectEnforcer& operator=(const ConnectEnforcer&) = delete;

  // Builds fresh tries (addresses, names) with every entry, then swaps each into its policy
  // slot in one update.
  Status installPolicy(const CompiledPolicy& policy);

  // The generation of the policy in the pinned slot, or 0 if none.
  static uint32_t pinnedGeneration(const std::string& bpffs_dir);

  Result<Counters> counters() const;
  const std::vector<AttachedProgram>& programs() const { return programs_; }
  // True while every link is still attached to a live cgroup.
  bool enforcing() const;

  // Ring buffers: one fd to poll for readiness, and a drain that calls the handlers.
  int eventsFd() const;
  Status drainEvents(const EventHandlers& handlers);

  // Detaches every pinned link and removes the pins under `bpffs_dir`.
  static Status uninstall(const std::string& bpffs_dir);

 private:
  ConnectEnforcer() = default;
  Status load(const LoaderConfig& config);
  Status attachOrAdopt(const LoaderConfig& config);

  Status swapInner(int outer_fd, int inner_fd, const char* what);

  connect_bpf* skel_ = nullptr;
  egress_bpf* egress_ = nullptr;
  ring_buffer* ring_ = nullptr;
  std::vector<int> link_fds_;
  std::vector<AttachedProgram> programs_;
  std::string bpffs_dir_;
  EventHandlers const* current_handlers_ = nullptr;
};

// Routes libbpf's messages into the "bpf" logger. Idempotent.
void routeLibbpfLogging();

}  // namespace sluice::agent
