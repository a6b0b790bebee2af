// File: process_sockets.h
//
// The sockets of another process, reached through its pidfd: the agent uses them to release a
// hold (nudge) and to stop a request (destroy), without signalling or stopping the process.
//
//   nudge    pidfd_getfd(2) gives the agent a second descriptor of the socket; setting
//            TCP_NODELAY on it pushes the data waiting in the send queue now, instead of at
//            TCP's retransmission timer (>= 200 ms), and the option is then put back as it was.
//   destroy  sock_diag SOCK_DESTROY on the socket's tuple and cookie: the owner's pending and
//            next writes fail with ECONNABORTED, and the process lives.
//
// Sockets are found by their kernel cookie (SO_COOKIE), the identity the BPF programs report.
// The fd -> cookie map is cached per process and re-read from /proc/PID/fd when a cookie is
// not found or a descriptor was reused.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sluice/agent/sock_destroy.h"
#include "sluice/common/result.h"

namespace sluice::agent {

struct ProcessSocket {
  int fd = -1;  // the descriptor number in the owning process
  uint64_t cookie = 0;
  SocketTuple tuple;  // local/remote addresses, cookie included
};

class ProcessSockets {
 public:
  // Opens a pidfd for `pid`. Fails when the process is gone.
  static Result<ProcessSockets> open(pid_t pid);
  ProcessSockets(ProcessSockets&& other) noexcept;
  ProcessSockets& operator=(ProcessSockets&& other) noexcept;
  ~ProcessSockets();

  // TCP sockets of the process, re-read from /proc/PID/fd.
  Result<std::vector<ProcessSocket>> list();
  // The socket with this cookie, from the cache or a fresh listing; nullopt if none.
  std::optional<ProcessSocket> find(uint64_t cookie);
  // A descriptor of the process's socket, owned by the caller (close it). -1 with errno set.
  int duplicate(int fd) const;

  // A descriptor of the socket with this cookie, owned by the caller; -1 if there is none.
  int openByCookie(uint64_t cookie, ProcessSocket* found);
  // Pushes what waits in the send queue of the socket with this cookie. False if not found.
  bool nudge(uint64_t cookie);
  pid_t pid() const { return pid_; }

 private:
  ProcessSockets(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}
  pid_t pid_ = 0;
  int pidfd_ = -1;
  std::map<uint64_t, ProcessSocket> by_cookie_;
};

// Pushes the send queue of a socket descriptor the agent holds (TCP_NODELAY on, then back).
Status nudgeSocket(int sock_fd);
// The cookie and the tuple of a TCP socket descriptor the agent holds.
Result<ProcessSocket> describeSocket(int sock_fd);

}  // namespace sluice::agent
