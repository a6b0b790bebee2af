// File: agent.h
//
// The sluice-agent daemon: loads the policy, installs enforcement (ConnectEnforcer), and runs
// one single-threaded event loop over the signal fd, the event ring buffer, the local API
// socket, the policy file watch and a health timer. One thread means no locks around the
// policy or the event history, and a stop is just leaving the loop.
//
// Shutdown (SIGTERM/SIGINT) closes the agent's descriptors and leaves every pin in place:
// enforcement does not depend on the process being alive.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice/agent/bpf_loader.h"
#include "sluice/agent/config.h"
#include "sluice/agent/events.h"
#include "sluice/agent/local_api.h"
#include "sluice/common/result.h"
#include "sluice/policy/policy.h"

namespace sluice::scanner {
class Scanner;
}

namespace sluice::agent {

class InlineEnforcer;
class ControllerLink;
struct ProcessInfo;

class Agent {
 public:
  // Blocks SIGTERM/SIGINT/SIGHUP for the calling thread (they are read from a signalfd).
  static Result<std::unique_ptr<Agent>> create(const AgentConfig& config);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Runs until SIGTERM or SIGINT. Returns the process exit status.
  int run();

  nlohmann::json status() const;
  // Re-reads the policy file. On error the running policy is kept and the error returned.
  Status reload();
  // Loads config_.policy_file; a policy pushed with --audit-first is put in audit mode.
  Result<policy::Policy> loadPolicy();

 private:
  explicit Agent(AgentConfig config);  // out of line: ControllerLink is incomplete here
  Status setUp();
  void maskCommandLine(ProcessInfo& proc) const;
  void onEvent(const sluice_conn_event& e);
  void onNameEvent(const sluice_name_event& e);
  void emit(const nlohmann::json& j);
  void checkHealth();
  // With a controller: enrol/connect, and take the last good pushed policy as the policy file.
  Status connectController();
  // Installs the policy the controller pushed through reload(); the old one stays on failure.
  void onPushedPolicy();
  // Whether a cgroup (by id) is the scope or inside it; destructive actions check this first.
  bool inScope(uint64_t cgroup_id) const;

  AgentConfig config_;
  std::string scope_;       // as configured ("/x")
  std::string scope_path_;  // absolute cgroup directory
  std::string cgroup_mount_;
  policy::Policy policy_;
  PolicyContext policy_ctx_;
  std::unique_ptr<ConnectEnforcer> enforcer_;
  std::unique_ptr<LocalApi> api_;
  std::unique_ptr<InlineEnforcer> inline_;
  std::unique_ptr<ControllerLink> link_;  // null when standalone
  int signal_fd_ = -1;
  int inotify_fd_ = -1;
  int timer_fd_ = -1;
  int64_t mono_offset_ns_ = 0;
  uint64_t events_seen_ = 0;
  uint64_t lost_reported_ = 0;
  std::string last_reload_error_;
  std::string compiled_for_date_;  // BAA expiry is re-judged when the UTC date changes
  bool was_enforcing_ = true;
  // The policy in force was pushed with --audit-first: it runs in audit mode.
  bool audit_first_ = false;
  // Masks PHI in the command lines events carry; shared with inline inspection.
  std::shared_ptr<scanner::Scanner> redactor_;
};

}  // namespace sluice::agent
