// File: https.h
//
// The two ends of the inline_latency benchmark's traffic: a keep-alive HTTPS/1.1 server on
// loopback that answers every POST with a small chat-completion JSON (it runs in the
// benchmark's own process, outside the enforced cgroup, so only the client side is
// inspected), and a client that times POST round trips and each SSL_write call with
// CLOCK_MONOTONIC. The client runs in a child process placed in the agent's scope.
#pragma once

#include <openssl/ssl.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sluice/common/result.h"

namespace sluice::bench {

int64_t monotonicNs();

// A TLS server listening on the same port of several loopback addresses, with a self-signed
// EC certificate made in memory. One thread per connection; stop() closes everything.
class HttpsServer {
 public:
  static Result<std::unique_ptr<HttpsServer>> start(const std::vector<std::string>& addrs,
                                                    const std::string& host_name);
  ~HttpsServer();
  HttpsServer(const HttpsServer&) = delete;
  HttpsServer& operator=(const HttpsServer&) = delete;

  uint16_t port() const { return port_; }
  uint64_t requests() const { return requests_.load(); }
  void stop();

 private:
  HttpsServer() = default;
  void acceptLoop(int lfd);
  void serve(int fd);

  SSL_CTX* ctx_ = nullptr;
  uint16_t port_ = 0;
  std::vector<int> listen_fds_;
  std::vector<std::thread> acceptors_;
  std::mutex mu_;
  std::vector<std::thread> connections_;
  std::vector<int> connection_fds_;
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> requests_{0};
};

struct ClientRun {
  std::string addr;
  uint16_t port = 0;
  std::string host_name;  // SNI and Host header
  int count = 0;          // timed round trips
  int warmup = 0;         // untimed round trips first, on the same connection
  size_t body_bytes = 0;  // approximate size of the JSON body
  // CLOCK_MONOTONIC ns before which no request is timed: after the warm-up the client waits
  // until then and warms up again (the agent examines a program that starts in its scope at
  // exec and 20 ms, 200 ms and 1 s later; a long-running client does not pay that per request).
  int64_t settle_until_ns = 0;
};

struct Sample {
  int64_t round_trip_ns;
  int64_t ssl_write_ns;
};

// A realistic chat-completion request body without PHI, padded with clean prose to about
// `bytes` bytes.
std::string chatBody(size_t bytes);

// One keep-alive connection: handshake, `warmup` untimed POSTs, then `count` timed ones.
Result<std::vector<Sample>> runClient(const ClientRun& run);

// The cost of SSL_write alone: a TLS client and server in this process joined by a memory
// BIO pair (no socket, no peer process), then `calls` timed SSL_write calls of `bytes` bytes
// each after `warmup` untimed ones, waiting until `settle_until_ns` (CLOCK_MONOTONIC) first.
// Returns each timed call's duration in ns.
Result<std::vector<int64_t>> sslWriteLoop(int calls, int warmup, size_t bytes,
                                          int64_t settle_until_ns);

}  // namespace sluice::bench
