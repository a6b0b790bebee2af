// File: harness.h
//
// Helpers for privileged tests: run a socket operation from a forked child that first moves
// itself into a child cgroup, and report how it ended. Only that child is ever inside the
// enforced scope; the test process itself (and everything else on the machine) stays out.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace sluice::testing {

// How a child's socket operation ended.
enum class Outcome { kOk, kDenied /* EPERM */, kOtherError, kChildFailed };

const char* outcomeName(Outcome o);

// connect() (SOCK_STREAM) or sendto() (SOCK_DGRAM) to ip:port from inside `cgroup_dir`
// (empty = stay in the test's own cgroup). `pid_out` receives the child's pid for matching
// against events.
Outcome socketOpFromCgroup(const std::string& cgroup_dir, const std::string& ip, uint16_t port,
                           int sock_type, pid_t* pid_out = nullptr);

inline Outcome connectFrom(const std::string& cgroup_dir, const std::string& ip, uint16_t port,
                           pid_t* pid_out = nullptr) {
  return socketOpFromCgroup(cgroup_dir, ip, port, 1 /* SOCK_STREAM */, pid_out);
}

// A listening TCP socket (or a bound UDP socket) on a loopback address, port chosen by the
// kernel. Closed on destruction.
class LoopbackListener {
 public:
  LoopbackListener(const std::string& ip, int sock_type = 1 /* SOCK_STREAM */);
  ~LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;
  uint16_t port() const { return port_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// A unique, short name for test cgroups and pin directories: "<prefix>-<pid>-<n>".
std::string uniqueName(const std::string& prefix);

// Whether `done` holds within `timeout`, asked every 20 ms: for what a process under test
// does a moment later (later on a loaded machine), instead of a fixed sleep.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout);

}  // namespace sluice::testing

namespace sluice::testing {

// From one child inside `cgroup_dir`, alternates `iterations` connects to allowed_ip:port and
// denied_ip:port (no listeners: an allowed connect ends in ECONNREFUSED, a denied one in
// EPERM). Returns how many ended the wrong way, or -1 if the child failed.
// `pause_us` sleeps between attempts, to spread them over time.
int connectLoopViolations(const std::string& cgroup_dir, const std::string& allowed_ip,
                          const std::string& denied_ip, uint16_t port, int iterations,
                          int pause_us = 0);

}  // namespace sluice::testing
