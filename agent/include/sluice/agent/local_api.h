// File: local_api.h
//
// The agent's local control socket, <state-dir>/agent.sock (mode 0600: root only, since
// events name processes and destinations). The protocol is one JSON request line per
// connection and JSON lines back:
//
//   {"cmd":"status"}                    -> one status object
//   {"cmd":"events","follow":bool}      -> the recent events, then (follow) every new one
//   {"cmd":"reload"}                    -> {"ok":bool,"error":...} after re-reading the policy
//
// The server is driven by the agent's event loop (no threads): it exposes fds to poll and is
// told when they are ready. A slow follower never blocks the agent: its output is buffered up
// to a bound and the client is dropped past it.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/common/result.h"

namespace sluice::agent {

class LocalApi {
 public:
  struct Handlers {
    std::function<nlohmann::json()> status;
    std::function<nlohmann::json()> reload;
  };

  static Result<std::unique_ptr<LocalApi>> create(const std::string& socket_path, Handlers handlers,
                                                  size_t history = 1000);
  ~LocalApi();
  LocalApi(const LocalApi&) = delete;
  LocalApi& operator=(const LocalApi&) = delete;

  int listenFd() const { return listen_fd_; }
  // Client fds and whether each wants POLLOUT; the loop polls them.
  std::vector<std::pair<int, bool>> clientFds() const;

  void onListenReadable();
  void onClientReady(int fd, bool readable, bool writable);
  // Records an event and sends it to every follower.
  void publish(const nlohmann::json& event);

  size_t followers() const;

 private:
  struct Client {
    std::string in;
    std::string out;
    bool follow = false;
    bool close_after_flush = false;
  };
  LocalApi(int fd, std::string path, Handlers handlers, size_t history)
      : listen_fd_(fd), path_(std::move(path)), handlers_(std::move(handlers)), history_(history) {}
  void handleRequest(int fd, Client& c, const std::string& line);
  void queue(int fd, Client& c, const std::string& line);
  void flush(int fd, Client& c);
  void drop(int fd);

  int listen_fd_;
  std::string path_;
  Handlers handlers_;
  size_t history_;
  std::deque<std::string> recent_;
  std::map<int, Client> clients_;
};

// Client side, used by sluicectl: sends one request and calls `on_line` for each reply line
// until the server closes or `on_line` returns false.
Status localApiRequest(const std::string& socket_path, const nlohmann::json& request,
                       const std::function<bool(const std::string&)>& on_line);

}  // namespace sluice::agent
