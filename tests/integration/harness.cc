#include "harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace sluice::testing {
namespace {

bool fillAddress(const std::string& ip, uint16_t port, sockaddr_storage& ss, socklen_t& len) {
  std::memset(&ss, 0, sizeof(ss));
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    len = sizeof(sockaddr_in);
    return true;
  }
  if (inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    len = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

}  // namespace

const char* outcomeName(Outcome o) {
  switch (o) {
    case Outcome::kOk: return "ok";
    case Outcome::kDenied: return "denied(EPERM)";
    case Outcome::kOtherError: return "other-error";
    case Outcome::kChildFailed: return "child-failed";
  }
  return "?";
}

Outcome socketOpFromCgroup(const std::string& cgroup_dir, const std::string& ip, uint16_t port,
                           int sock_type, pid_t* pid_out) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (!fillAddress(ip, port, ss, len)) return Outcome::kChildFailed;
  std::string procs = cgroup_dir + "/cgroup.procs";
  pid_t pid = fork();
  if (pid < 0) return Outcome::kChildFailed;
  if (pid == 0) {
    // Child: only async-signal-safe calls from here on.
    if (!cgroup_dir.empty()) {
      int fd = open(procs.c_str(), O_WRONLY);
      if (fd < 0 || write(fd, "0", 1) != 1) _exit(10);
      close(fd);
    }
    int s = socket(ss.ss_family, sock_type, 0);
    if (s < 0) _exit(11);
    int rc;
    if (sock_type == SOCK_DGRAM) {
      rc = sendto(s, "x", 1, 0, reinterpret_cast<sockaddr*>(&ss), len) == 1 ? 0 : -1;
    } else {
      rc = connect(s, reinterpret_cast<sockaddr*>(&ss), len);
    }
    if (rc == 0) _exit(0);
    _exit(errno == EPERM ? 1 : 2);
  }
  if (pid_out) *pid_out = pid;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return Outcome::kChildFailed;
  switch (WEXITSTATUS(status)) {
    case 0: return Outcome::kOk;
    case 1: return Outcome::kDenied;
    case 2: return Outcome::kOtherError;
    default: return Outcome::kChildFailed;
  }
}

LoopbackListener::LoopbackListener(const std::string& ip, int sock_type) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (!fillAddress(ip, 0, ss, len)) throw std::runtime_error("bad address " + ip);
  fd_ = socket(ss.ss_family, sock_type | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || bind(fd_, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    throw std::runtime_error("bind " + ip + ": " + std::strerror(errno));
  }
  if (sock_type == SOCK_STREAM && listen(fd_, 4096) != 0) {
    throw std::runtime_error("listen: " + std::string(std::strerror(errno)));
  }
  sockaddr_storage bound{};
  socklen_t blen = sizeof(bound);
  getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &blen);
  port_ = ntohs(bound.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&bound)->sin_port
                                           : reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port);
}

LoopbackListener::~LoopbackListener() {
  if (fd_ >= 0) close(fd_);
}

std::string uniqueName(const std::string& prefix) {
  static std::atomic<int> n{0};
  return prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(n++);
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace sluice::testing

namespace sluice::testing {

int connectLoopViolations(const std::string& cgroup_dir, const std::string& allowed_ip,
                          const std::string& denied_ip, uint16_t port, int iterations,
                          int pause_us) {
  sockaddr_storage allowed{}, denied{};
  socklen_t alen = 0, dlen = 0;
  if (!fillAddress(allowed_ip, port, allowed, alen) ||
      !fillAddress(denied_ip, port, denied, dlen)) {
    return -1;
  }
  std::string procs = cgroup_dir + "/cgroup.procs";
  int pipefd[2];
  if (pipe(pipefd) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    close(pipefd[0]);
    int fd = open(procs.c_str(), O_WRONLY);
    if (fd < 0 || write(fd, "0", 1) != 1) _exit(10);
    close(fd);
    int violations = 0;
    for (int i = 0; i < iterations; ++i) {
      bool want_denied = (i % 2) == 1;
      auto& ss = want_denied ? denied : allowed;
      int s = socket(ss.ss_family, SOCK_STREAM, 0);
      int rc = connect(s, reinterpret_cast<sockaddr*>(&ss), want_denied ? dlen : alen);
      bool was_denied = rc != 0 && errno == EPERM;
      if (was_denied != want_denied) ++violations;
      close(s);
      if (pause_us > 0) usleep(static_cast<useconds_t>(pause_us));
    }
    (void)!write(pipefd[1], &violations, sizeof(violations));
    _exit(0);
  }
  close(pipefd[1]);
  int violations = -1;
  if (read(pipefd[0], &violations, sizeof(violations)) != sizeof(violations)) violations = -1;
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return violations;
}

}  // namespace sluice::testing
