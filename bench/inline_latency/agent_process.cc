#include "agent_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

namespace sluice::bench {
namespace {

std::vector<char*> argvOf(const std::vector<std::string>& args) {
  std::vector<char*> out;
  for (const auto& a : args) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

// Waits up to `timeout` for pid; returns true once it has been reaped.
bool waitFor(pid_t pid, std::chrono::milliseconds timeout, int* status) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    pid_t r = waitpid(pid, status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

// The end of the agent's log, for error messages (the log's directory is removed on exit).
std::string logTail(const std::string& path) {
  std::ifstream f(path);
  std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

}  // namespace

Result<std::pair<int, std::string>> runCommand(const std::vector<std::string>& argv) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return errnoError(errno, "pipe");
  auto args = argvOf(argv);
  pid_t pid = fork();
  if (pid < 0) return errnoError(errno, "fork");
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  return collect(pid, out[0]);
}

std::pair<int, std::string> collect(pid_t pid, int out_fd) {
  std::string text;
  char buf[65536];
  ssize_t n;
  while ((n = read(out_fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) text.append(buf, static_cast<size_t>(n));
  }
  close(out_fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return {code, std::move(text)};
}

Status uninstallPins(const std::string& agent_binary, const std::string& bpffs_dir) {
  SLUICE_ASSIGN_OR_RETURN(auto r, runCommand({agent_binary, "--uninstall", "--bpffs", bpffs_dir}));
  if (r.first != 0) {
    return internalError("sluice-agent --uninstall --bpffs " + bpffs_dir + " exited with " +
                         std::to_string(r.first));
  }
  std::error_code ec;
  if (std::filesystem::exists(bpffs_dir + "/maps", ec)) {
    return internalError(bpffs_dir + " still holds pinned maps after --uninstall");
  }
  return okStatus();
}

Result<std::unique_ptr<AgentProcess>> AgentProcess::start(const AgentOptions& options) {
  std::unique_ptr<AgentProcess> self(new AgentProcess(options));
  int log = open(options.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log < 0) return errnoError(errno, "opening " + options.log_file);
  std::vector<std::string> argv = {
      options.agent_binary, "--policy",    options.policy_file, "--scope", options.scope, "--bpffs",
      options.bpffs_dir,    "--state-dir", options.state_dir};
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  auto args = argvOf(argv);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(log);
    return errnoError(errno, "fork");
  }
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGTERM);  // the benchmark died: do not leave the agent behind
    if (getppid() != parent) _exit(1);
    dup2(log, STDOUT_FILENO);
    dup2(log, STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  close(log);
  self->pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto s = self->status()) return self;
    int st = 0;
    if (waitpid(pid, &st, WNOHANG) == pid) {
      self->pid_ = -1;
      return unavailable("sluice-agent exited during start-up:\n" + logTail(options.log_file));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return unavailable("sluice-agent did not answer within 30 s:\n" + logTail(options.log_file));
}

Result<nlohmann::json> AgentProcess::status() const {
  SLUICE_ASSIGN_OR_RETURN(auto r, runCommand({options_.sluicectl_binary, "agent", "status",
                                              "--state-dir", options_.state_dir}));
  if (r.first != 0)
    return unavailable("sluicectl agent status exited with " + std::to_string(r.first));
  auto j = nlohmann::json::parse(r.second, nullptr, false);
  if (j.is_discarded()) return internalError("sluicectl agent status printed no JSON");
  return j;
}

Status AgentProcess::stop() {
  if (stopped_) return okStatus();
  stopped_ = true;
  if (pid_ > 0) {
    kill(pid_, SIGCONT);
    kill(pid_, SIGTERM);
    int st = 0;
    if (!waitFor(pid_, std::chrono::seconds(20), &st)) {
      kill(pid_, SIGKILL);
      waitFor(pid_, std::chrono::seconds(5), &st);
    }
    pid_ = -1;
  }
  return uninstallPins(options_.agent_binary, options_.bpffs_dir);
}

AgentProcess::~AgentProcess() {
  (void)stop();
}

}  // namespace sluice::bench
