#include "sluice/agent/process_sockets.h"

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace sluice::agent {
namespace {

int pidfdOpen(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

int pidfdGetfd(int pidfd, int fd) {
  return static_cast<int>(syscall(SYS_pidfd_getfd, pidfd, fd, 0));
}

void toMapped(const sockaddr_storage& ss, uint8_t out[16], uint16_t& port) {
  std::memset(out, 0, 16);
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out + 12, &a->sin_addr, 4);
    port = ntohs(a->sin_port);
  } else {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    std::memcpy(out, &a->sin6_addr, 16);
    port = ntohs(a->sin6_port);
  }
}

}  // namespace

Status nudgeSocket(int sock_fd) {
  int was = 0;
  socklen_t len = sizeof(was);
  if (getsockopt(sock_fd, IPPROTO_TCP, TCP_NODELAY, &was, &len) != 0) {
    return errnoError(errno, "reading TCP_NODELAY");
  }
  // Turning TCP_NODELAY on pushes the pending frames (even when it was on already).
  int on = 1;
  if (setsockopt(sock_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) != 0) {
    return errnoError(errno, "setting TCP_NODELAY");
  }
  if (was == 0) setsockopt(sock_fd, IPPROTO_TCP, TCP_NODELAY, &was, sizeof(was));
  return okStatus();
}

Result<ProcessSocket> describeSocket(int sock_fd) {
  ProcessSocket s;
  int type = 0;
  socklen_t len = sizeof(type);
  if (getsockopt(sock_fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) {
    return invalidArgument("not a stream socket");
  }
  len = sizeof(s.cookie);
  if (getsockopt(sock_fd, SOL_SOCKET, SO_COOKIE, &s.cookie, &len) != 0) {
    return errnoError(errno, "SO_COOKIE");
  }
  sockaddr_storage local{}, peer{};
  socklen_t ll = sizeof(local), pl = sizeof(peer);
  if (getsockname(sock_fd, reinterpret_cast<sockaddr*>(&local), &ll) != 0 ||
      getpeername(sock_fd, reinterpret_cast<sockaddr*>(&peer), &pl) != 0) {
    return errnoError(errno, "reading the socket's addresses");
  }
  if (local.ss_family != AF_INET && local.ss_family != AF_INET6) {
    return invalidArgument("not an internet socket");
  }
  // The BPF programs report an IPv4-mapped IPv6 socket's packets as IPv4.
  bool v4 = local.ss_family == AF_INET ||
            IN6_IS_ADDR_V4MAPPED(&reinterpret_cast<sockaddr_in6*>(&local)->sin6_addr);
  s.tuple.family = v4 ? AF_INET : AF_INET6;
  toMapped(local, s.tuple.saddr, s.tuple.sport);
  toMapped(peer, s.tuple.daddr, s.tuple.dport);
  s.tuple.cookie = s.cookie;
  return s;
}

Result<ProcessSockets> ProcessSockets::open(pid_t pid) {
  int fd = pidfdOpen(pid);
  if (fd < 0) return errnoError(errno, "pidfd_open " + std::to_string(pid));
  return ProcessSockets(pid, fd);
}

ProcessSockets::ProcessSockets(ProcessSockets&& other) noexcept
    : pid_(other.pid_), pidfd_(other.pidfd_), by_cookie_(std::move(other.by_cookie_)) {
  other.pidfd_ = -1;
}

ProcessSockets& ProcessSockets::operator=(ProcessSockets&& other) noexcept {
  if (this != &other) {
    if (pidfd_ >= 0) close(pidfd_);
    pid_ = other.pid_;
    pidfd_ = other.pidfd_;
    by_cookie_ = std::move(other.by_cookie_);
    other.pidfd_ = -1;
  }
  return *this;
}

ProcessSockets::~ProcessSockets() {
  if (pidfd_ >= 0) close(pidfd_);
}

int ProcessSockets::duplicate(int fd) const { return pidfdGetfd(pidfd_, fd); }

Result<std::vector<ProcessSocket>> ProcessSockets::list() {
  std::string dir = "/proc/" + std::to_string(pid_) + "/fd";
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return errnoError(errno, "listing " + dir);
  std::vector<ProcessSocket> out;
  by_cookie_.clear();
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    char target[64];
    std::string link = dir + "/" + e->d_name;
    ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    if (n <= 0 || std::strncmp(target, "socket:", 7) != 0) continue;
    int fd = std::atoi(e->d_name);
    int dup = duplicate(fd);
    if (dup < 0) continue;
    auto s = describeSocket(dup);
    close(dup);
    if (!s) continue;
    s->fd = fd;
    by_cookie_[s->cookie] = *s;
    out.push_back(*s);
  }
  closedir(d);
  return out;
}

int ProcessSockets::openByCookie(uint64_t cookie, ProcessSocket* found) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto it = by_cookie_.find(cookie);
    if (it != by_cookie_.end()) {
      // The descriptor number may have been closed and reused: check the cookie.
      int dup = duplicate(it->second.fd);
      if (dup >= 0) {
        uint64_t now = 0;
        socklen_t len = sizeof(now);
        if (getsockopt(dup, SOL_SOCKET, SO_COOKIE, &now, &len) == 0 && now == cookie) {
          if (found != nullptr) *found = it->second;
          return dup;
        }
        close(dup);
      }
    }
    if (attempt == 0 && !list()) return -1;
  }
  return -1;
}

std::optional<ProcessSocket> ProcessSockets::find(uint64_t cookie) {
  ProcessSocket s;
  int dup = openByCookie(cookie, &s);
  if (dup < 0) return std::nullopt;
  close(dup);
  return s;
}

bool ProcessSockets::nudge(uint64_t cookie) {
  int dup = openByCookie(cookie, nullptr);
  if (dup < 0) return false;
  bool ok = static_cast<bool>(nudgeSocket(dup));
  close(dup);
  return ok;
}

}  // namespace sluice::agent
