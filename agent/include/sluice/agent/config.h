// File: config.h
//
// sluice-agent's configuration: a YAML file (--config, /etc/sluice/agent.yaml when packaged)
// with command-line flags that override it. Defaults are the safe production ones; nothing
// here enables enforcement on its own, the policy does.
//
//   policy: /etc/sluice/policy.yaml
//   scope: /                     # cgroup2 path; overrides the policy's spec.scope.cgroup
//   bpffs: /sys/fs/bpf/sluice
//   stateDir: /var/lib/sluice
//   logFormat: text              # or json
//   logLevel: info
//   controller: ctl.example.org:7443   # an enrolled agent's controller (see --enroll)
//
// With a controller, the policy it pushes replaces the policy file as the source of truth;
// the file (when given) is only enforced until the first bundle arrives.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sluice/common/logging.h"
#include "sluice/common/result.h"

namespace sluice::agent {

struct AgentConfig {
  std::string policy_file;
  std::string scope;  // empty: take spec.scope.cgroup from the policy
  std::string bpffs_dir = "/sys/fs/bpf/sluice";
  std::string state_dir = "/var/lib/sluice";
  logging::Format log_format = logging::Format::kText;
  std::string log_level = "info";
  // Inline PHI inspection of TLS traffic to inspect-class destinations (uprobes + hold).
  bool inline_inspection = true;
  // Which identifiers in a request body count: false, only those of a request about someone's
  // health (a person's details in a W-2 or a car sale are not PHI); true, every one.
  bool all_identifiers = false;
  // Size of the TLS plaintext ring buffer in bytes; 0 = the built-in 16 MiB.
  uint32_t tls_ring_bytes = 0;
  // SCHED_FIFO priority (1-99) of the thread that gives held requests their verdicts; 0 =
  // normal scheduling.
  int verdict_priority = 0;
  // How long a captured TLS write waits in its probe for its verdict while the verdict thread
  // is reading on another CPU (0: never; the egress hold alone).
  uint32_t verdict_wait_us = 50;
  // How long the verdict thread keeps reading after a write; unset: 2000 us on CPUs of its
  // own (verdict_cpus), else 200 us at normal scheduling and 0 at real-time priority.
  std::optional<uint32_t> verdict_spin_us;
  // CPUs the verdict thread runs on (sched_setaffinity); empty: wherever the kernel puts it.
  std::vector<int> verdict_cpus;
  std::string controller;    // host:port; empty and no enrolment: standalone
  std::string enroll_url;    // --enroll URL: enrol once if the state dir has no identity
  std::string enroll_token;  // --token
  std::string ca_sha256;     // --ca-sha256: the controller CA's fingerprint
  // Connected to a controller: named one, enrolling, or enrolled before (an identity in
  // state_dir/controller/).
  bool managed() const;
};

enum class AgentAction { kRun, kEnrollOnly, kUninstall, kVersion, kHelp };

struct AgentOptions {
  AgentAction action = AgentAction::kRun;
  AgentConfig config;
};

// Reads `path` into `config`, keeping fields the file does not set. Unknown keys are errors.
Status loadAgentConfigFile(const std::string& path, AgentConfig& config);

// Parses argv: --config FILE first (if given), then every other flag on top.
Result<AgentOptions> parseAgentArgs(const std::vector<std::string>& args);

std::string agentUsage();

}  // namespace sluice::agent
