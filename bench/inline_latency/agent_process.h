// File: agent_process.h
//
// sluice-agent as a child process of the benchmark, run the only safe way on a shared host:
// scoped to the benchmark's own child cgroup, with its own bpffs directory and state
// directory. stop() (also run by the destructor) terminates it and unpins everything with
// `sluice-agent --uninstall`, so the configuration "no agent" really has nothing attached.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/common/result.h"

namespace sluice::bench {

struct AgentOptions {
  std::string agent_binary;      // build/agent/sluice-agent
  std::string sluicectl_binary;  // build/cli/sluicectl
  std::string policy_file;
  std::string scope;      // "/sluice-bench-inline-PID"
  std::string bpffs_dir;  // "/sys/fs/bpf/sluice-bench-inline-PID"
  std::string state_dir;
  std::string log_file;  // the agent's stdout (events) and stderr go here
  std::vector<std::string> extra_args;  // appended to the command line
};

class AgentProcess {
 public:
  // Starts the agent and waits until `sluicectl agent status` answers (at most 30 s).
  static Result<std::unique_ptr<AgentProcess>> start(const AgentOptions& options);
  ~AgentProcess();
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  // `sluicectl agent status --state-dir DIR`, parsed.
  Result<nlohmann::json> status() const;
  // SIGTERM (SIGKILL after 20 s), then --uninstall. Idempotent.
  Status stop();

 private:
  explicit AgentProcess(AgentOptions options) : options_(std::move(options)) {}
  AgentOptions options_;
  pid_t pid_ = -1;
  bool stopped_ = false;
};

// Runs argv (no shell), returns its exit status and what it wrote to stdout.
Result<std::pair<int, std::string>> runCommand(const std::vector<std::string>& argv);

// Reads a child's stdout pipe to its end (closing it), then reaps the child: its exit status
// (128 + signal when killed) and what it wrote.
std::pair<int, std::string> collect(pid_t pid, int out_fd);

// Detaches and unpins whatever an agent left under bpffs_dir.
Status uninstallPins(const std::string& agent_binary, const std::string& bpffs_dir);

}  // namespace sluice::bench
