#include "https.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sluice::bench {
namespace {

std::string sslError(const char* what) {
  char buf[256];
  unsigned long e = ERR_get_error();
  ERR_error_string_n(e, buf, sizeof(buf));
  return std::string(what) + ": " + (e ? buf : "no OpenSSL error queued");
}

// A self-signed P-256 certificate for host_name, valid for a day.
Status useSelfSignedCert(SSL_CTX* ctx, const std::string& host_name) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (key == nullptr) return internalError(sslError("generating an EC key"));
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(host_name.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  bool ok = X509_sign(cert, key, EVP_sha256()) > 0 && SSL_CTX_use_certificate(ctx, cert) == 1 &&
            SSL_CTX_use_PrivateKey(ctx, key) == 1;
  X509_free(cert);
  EVP_PKEY_free(key);
  if (!ok) return internalError(sslError("installing the test certificate"));
  return okStatus();
}

// Reads one HTTP/1.1 message (head + Content-Length body) into `msg`; `buf` keeps what was
// read past it. Returns false on EOF or error.
bool readMessage(SSL* ssl, std::string& buf, std::string* msg) {
  char chunk[16384];
  size_t head_end;
  while ((head_end = buf.find("\r\n\r\n")) == std::string::npos) {
    int n = SSL_read(ssl, chunk, sizeof(chunk));
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
  }
  size_t length = 0;
  for (const char* key : {"Content-Length: ", "content-length: "}) {
    if (size_t p = buf.find(key); p != std::string::npos && p < head_end) {
      length = std::strtoull(buf.c_str() + p + std::strlen(key), nullptr, 10);
    }
  }
  size_t total = head_end + 4 + length;
  while (buf.size() < total) {
    int n = SSL_read(ssl, chunk, sizeof(chunk));
    if (n <= 0) return false;
    buf.append(chunk, static_cast<size_t>(n));
  }
  if (msg != nullptr) msg->assign(buf, 0, total);
  buf.erase(0, total);
  return true;
}

bool writeAll(SSL* ssl, const std::string& data) {
  return SSL_write(ssl, data.data(), static_cast<int>(data.size())) ==
         static_cast<int>(data.size());
}

const char kAnswer[] =
    "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
    "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Noted; the "
    "appointment summary is ready.\"},\"finish_reason\":\"stop\"}],"
    "\"usage\":{\"prompt_tokens\":61,\"completion_tokens\":9,\"total_tokens\":70}}";

}  // namespace

int64_t monotonicNs() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

Result<std::unique_ptr<HttpsServer>> HttpsServer::start(const std::vector<std::string>& addrs,
                                                        const std::string& host_name) {
  std::unique_ptr<HttpsServer> self(new HttpsServer());
  self->ctx_ = SSL_CTX_new(TLS_server_method());
  if (self->ctx_ == nullptr) return internalError(sslError("SSL_CTX_new"));
  SLUICE_RETURN_IF_ERROR(useSelfSignedCert(self->ctx_, host_name));
  for (const auto& a : addrs) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return errnoError(errno, "socket");
    self->listen_fds_.push_back(fd);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(self->port_);
    inet_pton(AF_INET, a.c_str(), &sa.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0 || listen(fd, 64) != 0) {
      return errnoError(errno, "listening on " + a + ":" + std::to_string(self->port_));
    }
    socklen_t len = sizeof(sa);
    getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
    self->port_ = ntohs(sa.sin_port);  // every further address uses the first one's port
  }
  for (int fd : self->listen_fds_) {
    self->acceptors_.emplace_back([s = self.get(), fd] { s->acceptLoop(fd); });
  }
  return self;
}

void HttpsServer::acceptLoop(int lfd) {
  while (!stopping_) {
    int fd = accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR) continue;
      return;  // shut down by stop()
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) {
      close(fd);
      return;
    }
    connection_fds_.push_back(fd);
    connections_.emplace_back([this, fd] { serve(fd); });
  }
}

void HttpsServer::serve(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  SSL* ssl = SSL_new(ctx_);
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) == 1) {
    std::string buf;
    std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                         std::to_string(sizeof(kAnswer) - 1) + "\r\n\r\n" + kAnswer;
    while (readMessage(ssl, buf, nullptr)) {
      ++requests_;
      if (!writeAll(ssl, answer)) break;
    }
  }
  SSL_free(ssl);  // the fd is closed by stop()
}

void HttpsServer::stop() {
  if (stopping_.exchange(true)) return;
  for (int fd : listen_fds_) shutdown(fd, SHUT_RDWR);
  for (auto& t : acceptors_) t.join();
  std::vector<std::thread> connections;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : connection_fds_) shutdown(fd, SHUT_RDWR);
    connections.swap(connections_);
  }
  for (auto& t : connections) t.join();
  for (int fd : connection_fds_) close(fd);
  for (int fd : listen_fds_) close(fd);
  connection_fds_.clear();
  listen_fds_.clear();
}

HttpsServer::~HttpsServer() {
  stop();
  if (ctx_ != nullptr) SSL_CTX_free(ctx_);
}

std::string chatBody(size_t bytes) {
  std::string head =
      "{\"model\":\"gpt-4o-mini\",\"user\":\"bench-000000\",\"temperature\":0.2,\"max_tokens\":256,"
      "\"messages\":["
      "{\"role\":\"system\",\"content\":\"You are an assistant that drafts short, friendly "
      "appointment reminders for a clinic's front desk.\"},"
      "{\"role\":\"user\",\"content\":\"Write a reminder for a routine check-up next Tuesday "
      "at 10:30 in the east building, second floor. Mention that parking is free and that "
      "the visit takes about twenty minutes.";
  std::string tail = "\"}]}";
  const std::string filler =
      " Keep the tone warm and the wording plain, and suggest arriving ten minutes early.";
  while (head.size() + tail.size() + filler.size() <= bytes) head += filler;
  return head + tail;
}

Result<std::vector<Sample>> runClient(const ClientRun& run) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errnoError(errno, "socket");
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(run.port);
  inet_pton(AF_INET, run.addr.c_str(), &sa.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
    int e = errno;
    close(fd);
    return errnoError(e, "connecting to " + run.addr + ":" + std::to_string(run.port));
  }
  // What HTTP clients do (curl, Python's http.client, Go, node): no Nagle on request sockets.
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast"  // the OpenSSL macro casts to void*
  SSL_set_tlsext_host_name(ssl, run.host_name.c_str());
#pragma GCC diagnostic pop
  SSL_set_fd(ssl, fd);
  auto done = [&] {
    SSL_shutdown(ssl);
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fd);
  };
  if (SSL_connect(ssl) != 1) {
    std::string msg = sslError(("TLS handshake with " + run.addr).c_str());
    done();
    return unavailable(msg);
  }
  std::string body = chatBody(run.body_bytes);
  std::string request = "POST /v1/chat/completions HTTP/1.1\r\nHost: " + run.host_name +
                        "\r\nUser-Agent: sluice-bench/1\r\nAuthorization: Bearer sk-bench-"
                        "0000000000000000\r\nContent-Type: application/json\r\nAccept: "
                        "application/json\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body;
  std::vector<Sample> samples;
  samples.reserve(static_cast<size_t>(run.count));
  std::string buf, answer;
  // Every request differs (a sequence number in "user"), as real ones do: the agent does not
  // inspect again a write that repeats the previous one byte for byte from the same buffer
  // (it takes it for a retried SSL_write).
  size_t seq_at = request.find("bench-000000") + 6;
  // Warm-up, then (when asked) a pause until the agent has finished looking at this new
  // program, then a short warm-up again after the pause, then the timed requests.
  int rewarm = run.settle_until_ns > monotonicNs() ? std::min(run.warmup, 20) : 0;
  int total = run.warmup + rewarm + run.count;
  for (int i = 0; i < total; ++i) {
    if (i == run.warmup && rewarm > 0) {
      int64_t wait = run.settle_until_ns - monotonicNs();
      if (wait > 0) usleep(static_cast<useconds_t>(wait / 1000));
    }
    char seq[8];
    std::snprintf(seq, sizeof(seq), "%06d", i % 1000000);
    request.replace(seq_at, 6, seq);
    int64_t t0 = monotonicNs();
    bool wrote = writeAll(ssl, request);
    int64_t t1 = monotonicNs();
    if (!wrote || !readMessage(ssl, buf, &answer)) {
      std::string msg = "round trip " + std::to_string(i) + " to " + run.addr + " failed";
      done();
      return unavailable(msg);
    }
    int64_t t2 = monotonicNs();
    if (answer.compare(0, 12, "HTTP/1.1 200") != 0) {
      done();
      return internalError("unexpected answer: " + answer.substr(0, 40));
    }
    if (i >= run.warmup + rewarm) samples.push_back({t2 - t0, t1 - t0});
  }
  done();
  return samples;
}

Result<std::vector<int64_t>> sslWriteLoop(int calls, int warmup, size_t bytes,
                                          int64_t settle_until_ns) {
  SSL_CTX* server_ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX* client_ctx = SSL_CTX_new(TLS_client_method());
  SSL* server = nullptr;
  SSL* client = nullptr;
  auto done = [&] {
    SSL_free(client);  // each frees its end of the BIO pair
    SSL_free(server);
    SSL_CTX_free(client_ctx);
    SSL_CTX_free(server_ctx);
  };
  if (server_ctx == nullptr || client_ctx == nullptr) {
    done();
    return internalError(sslError("SSL_CTX_new"));
  }
  if (Status s = useSelfSignedCert(server_ctx, "write-loop.invalid"); !s) {
    done();
    return s.error();
  }
  server = SSL_new(server_ctx);
  client = SSL_new(client_ctx);
  BIO *client_end = nullptr, *server_end = nullptr;
  if (server == nullptr || client == nullptr ||
      BIO_new_bio_pair(&client_end, 1 << 20, &server_end, 1 << 20) != 1) {
    done();
    return internalError(sslError("setting up the memory TLS pair"));
  }
  SSL_set_bio(client, client_end, client_end);
  SSL_set_bio(server, server_end, server_end);
  SSL_set_connect_state(client);
  SSL_set_accept_state(server);
  bool client_done = false, server_done = false;
  for (int step = 0; step < 100 && !(client_done && server_done); ++step) {
    if (!client_done) client_done = SSL_do_handshake(client) == 1;
    if (!server_done) server_done = SSL_do_handshake(server) == 1;
  }
  if (!client_done || !server_done) {
    std::string msg = sslError("handshake over the memory BIO pair");
    done();
    return unavailable(msg);
  }
  std::string payload(bytes, 'x');
  std::vector<char> sink(1 << 16);
  std::vector<int64_t> out;
  out.reserve(static_cast<size_t>(calls));
  for (int i = 0; i < warmup + calls; ++i) {
    if (i == warmup) {
      int64_t wait = settle_until_ns - monotonicNs();
      if (wait > 0) usleep(static_cast<useconds_t>(wait / 1000));
    }
    int64_t t0 = monotonicNs();
    int n = SSL_write(client, payload.data(), static_cast<int>(payload.size()));
    int64_t t1 = monotonicNs();
    if (n != static_cast<int>(payload.size())) {
      std::string msg = sslError(("SSL_write " + std::to_string(i)).c_str());
      done();
      return internalError(msg);
    }
    if (i >= warmup) out.push_back(t1 - t0);
    // The ciphertext is thrown away unread, untimed, before the pair's buffer fills.
    if (i % 1024 == 1023) {
      while (BIO_read(server_end, sink.data(), static_cast<int>(sink.size())) > 0) {
      }
    }
  }
  done();
  return out;
}

}  // namespace sluice::bench
