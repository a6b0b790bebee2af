#include "sluice/agent/local_api.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sluice/common/logging.h"

namespace sluice::agent {
namespace {

constexpr size_t kMaxPendingBytes = 4 << 20;  // per client, before it is dropped
constexpr size_t kMaxRequestBytes = 64 << 10;

Result<sockaddr_un> unixAddress(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return invalidArgument("socket path too long (" + std::to_string(path.size()) +
                           " bytes, limit " + std::to_string(sizeof(addr.sun_path) - 1) +
                           "): " + path);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  return addr;
}

}  // namespace

Result<std::unique_ptr<LocalApi>> LocalApi::create(const std::string& socket_path,
                                                   Handlers handlers, size_t history) {
  SLUICE_ASSIGN_OR_RETURN(sockaddr_un addr, unixAddress(socket_path));
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errnoError(errno, "creating the local API socket");
  unlink(socket_path.c_str());  // a stale socket from a previous run
  mode_t old = umask(0077);
  int rc = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  umask(old);
  if (rc != 0 || listen(fd, 16) != 0) {
    int err = errno;
    close(fd);
    return errnoError(err, "listening on " + socket_path);
  }
  return std::unique_ptr<LocalApi>(new LocalApi(fd, socket_path, std::move(handlers), history));
}

LocalApi::~LocalApi() {
  for (auto& [fd, c] : clients_) close(fd);
  close(listen_fd_);
  unlink(path_.c_str());
}

std::vector<std::pair<int, bool>> LocalApi::clientFds() const {
  std::vector<std::pair<int, bool>> out;
  for (const auto& [fd, c] : clients_) out.emplace_back(fd, !c.out.empty());
  return out;
}

size_t LocalApi::followers() const {
  size_t n = 0;
  for (const auto& [fd, c] : clients_) n += c.follow ? 1 : 0;
  return n;
}

void LocalApi::onListenReadable() {
  for (;;) {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    clients_.emplace(fd, Client{});
  }
}

void LocalApi::onClientReady(int fd, bool readable, bool writable) {
  auto it = clients_.find(fd);
  if (it == clients_.end()) return;
  Client& c = it->second;
  if (readable) {
    char buf[4096];
    for (;;) {
      ssize_t n = recv(fd, buf, sizeof(buf), 0);
      if (n == 0) {  // the client hung up
        drop(fd);
        return;
      }
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        drop(fd);
        return;
      }
      c.in.append(buf, static_cast<size_t>(n));
      if (c.in.size() > kMaxRequestBytes) {
        drop(fd);
        return;
      }
    }
    size_t nl;
    while ((nl = c.in.find('\n')) != std::string::npos) {
      std::string line = c.in.substr(0, nl);
      c.in.erase(0, nl + 1);
      handleRequest(fd, c, line);
      if (clients_.find(fd) == clients_.end()) return;
    }
  }
  if (writable || !c.out.empty()) flush(fd, c);
}

void LocalApi::handleRequest(int fd, Client& c, const std::string& line) {
  nlohmann::json req = nlohmann::json::parse(line, nullptr, false);
  std::string cmd = req.is_object() ? req.value("cmd", "") : "";
  if (cmd == "status" && handlers_.status) {
    queue(fd, c, handlers_.status().dump());
    c.close_after_flush = true;
  } else if (cmd == "reload" && handlers_.reload) {
    queue(fd, c, handlers_.reload().dump());
    c.close_after_flush = true;
  } else if (cmd == "events") {
    for (const auto& e : recent_) queue(fd, c, e);
    c.follow = req.value("follow", false);
    c.close_after_flush = !c.follow;
  } else {
    queue(fd, c, nlohmann::json{{"ok", false}, {"error", "unknown request: " + line}}.dump());
    c.close_after_flush = true;
  }
  flush(fd, c);
}

void LocalApi::queue(int fd, Client& c, const std::string& line) {
  if (c.out.size() + line.size() > kMaxPendingBytes) {
    logging::get("agent")->warn("local API client fd {} is not reading; dropping it", fd);
    c.out.clear();
    c.follow = false;
    c.close_after_flush = true;
    return;
  }
  c.out += line;
  c.out += '\n';
}

void LocalApi::flush(int fd, Client& c) {
  while (!c.out.empty()) {
    ssize_t n = send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      drop(fd);
      return;
    }
    c.out.erase(0, static_cast<size_t>(n));
  }
  if (c.close_after_flush) drop(fd);
}

void LocalApi::drop(int fd) {
  close(fd);
  clients_.erase(fd);
}

void LocalApi::publish(const nlohmann::json& event) {
  std::string line = event.dump();
  recent_.push_back(line);
  while (recent_.size() > history_) recent_.pop_front();
  std::vector<int> fds;
  for (auto& [fd, c] : clients_) {
    if (c.follow) fds.push_back(fd);
  }
  for (int fd : fds) {
    auto it = clients_.find(fd);
    if (it == clients_.end()) continue;
    queue(fd, it->second, line);
    flush(fd, it->second);
  }
}

Status localApiRequest(const std::string& socket_path, const nlohmann::json& request,
                       const std::function<bool(const std::string&)>& on_line) {
  SLUICE_ASSIGN_OR_RETURN(sockaddr_un addr, unixAddress(socket_path));
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errnoError(errno, "creating a socket");
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    int err = errno;
    close(fd);
    return Error(ErrorCode::kUnavailable, "cannot reach the agent at " + socket_path + ": " +
                                              std::strerror(err) + " (is sluice-agent running?)");
  }
  std::string req = request.dump() + "\n";
  if (send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    int err = errno;
    close(fd);
    return errnoError(err, "sending the request to " + socket_path);
  }
  std::string buf;
  char chunk[8192];
  for (;;) {
    ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) break;
    buf.append(chunk, static_cast<size_t>(n));
    size_t nl;
    while ((nl = buf.find('\n')) != std::string::npos) {
      std::string line = buf.substr(0, nl);
      buf.erase(0, nl + 1);
      if (!on_line(line)) {
        close(fd);
        return okStatus();
      }
    }
  }
  close(fd);
  return okStatus();
}

}  // namespace sluice::agent
