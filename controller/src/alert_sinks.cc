// Syslog (UDP, or TCP with octet counting) and HTTPS webhook sinks, plus the delivery thread.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "net.h"
#include "sluice/common/logging.h"
#include "sluice/controller/alert_export.h"
#include "sluice/controller/crypto.h"

namespace sluice::controller {
namespace {

struct Endpoint {
  std::string scheme, host, port, path;
  HostPort hostPort() const { return {host, port}; }
};

Result<Endpoint> parseUrl(const std::string& url, const std::string& default_port) {
  Endpoint e;
  auto sep = url.find("://");
  if (sep == std::string::npos) return invalidArgument("'" + url + "' is not scheme://host:port");
  e.scheme = url.substr(0, sep);
  std::string rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  e.path = slash == std::string::npos ? "/" : rest.substr(slash);
  SLUICE_ASSIGN_OR_RETURN(HostPort hp, splitHostPort(rest.substr(0, slash), default_port));
  e.host = hp.host;
  e.port = hp.port;
  return e;
}

class SyslogSink : public AlertSink {
 public:
  SyslogSink(Endpoint endpoint, bool json) : endpoint_(std::move(endpoint)), json_(json) {
    char host[256] = {};
    ::gethostname(host, sizeof(host) - 1);
    hostname_ = host;
  }
  ~SyslogSink() override {
    if (fd_ >= 0) ::close(fd_);
  }
  std::string name() const override { return endpoint_.scheme + "://" + endpoint_.host; }

  Status send(const sluice::v1::Alert& alert) override {
    std::string frame =
        syslogFrame(alert, json_ ? alertToJson(alert) : alertToCef(alert), hostname_);
    bool tcp = endpoint_.scheme == "tcp";
    if (tcp) frame = std::to_string(frame.size()) + " " + frame;  // RFC 6587 octet counting
    if (fd_ < 0) {
      SLUICE_ASSIGN_OR_RETURN(fd_,
                              connectSocket(endpoint_.hostPort(), tcp ? SOCK_STREAM : SOCK_DGRAM));
    }
    if (::send(fd_, frame.data(), frame.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(frame.size())) {
      int err = errno;
      ::close(fd_);
      fd_ = -1;  // reconnect next time
      return errnoError(err, "syslog send to " + endpoint_.host);
    }
    return okStatus();
  }

 private:
  Endpoint endpoint_;
  bool json_;
  std::string hostname_;
  int fd_ = -1;
};

class WebhookSink : public AlertSink {
 public:
  WebhookSink(Endpoint endpoint, std::string secret, std::string ca_file)
      : endpoint_(std::move(endpoint)), secret_(std::move(secret)), ca_file_(std::move(ca_file)) {}
  std::string name() const override { return "https://" + endpoint_.host + endpoint_.path; }

  Status send(const sluice::v1::Alert& alert) override {
    std::string body = alertToJson(alert);
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    std::string request =
        "POST " + endpoint_.path + " HTTP/1.1\r\nHost: " + endpoint_.host +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nX-Sluice-Signature: " + webhookSignature(secret_, now, body) +
        "\r\nConnection: close\r\n\r\n" + body;
    SLUICE_ASSIGN_OR_RETURN(std::string response, exchange(request));
    // "HTTP/1.1 204 No Content"
    auto space = response.find(' ');
    int code = space == std::string::npos ? 0 : std::atoi(response.c_str() + space + 1);
    if (code < 200 || code >= 300) {
      return unavailable("webhook " + name() + " answered " +
                         response.substr(0, response.find('\r')));
    }
    return okStatus();
  }

 private:
  // One TLS connection per request: alerts are rare enough, and it keeps failure handling
  // simple. The server certificate and its name are verified.
  Result<std::string> exchange(const std::string& request) {
    std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                          SSL_CTX_free);
    if (!ctx) return internalError("SSL_CTX_new failed");
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
    int loaded = ca_file_.empty()
                     ? SSL_CTX_set_default_verify_paths(ctx.get())
                     : SSL_CTX_load_verify_locations(ctx.get(), ca_file_.c_str(), nullptr);
    if (loaded != 1) return invalidArgument("cannot load webhook CA " + ca_file_);
    SLUICE_ASSIGN_OR_RETURN(int fd, connectSocket(endpoint_.hostPort(), SOCK_STREAM));
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
    SSL_set_fd(ssl.get(), fd);
    // SSL_set_tlsext_host_name() is a macro with a C cast; this is what it expands to.
    SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(endpoint_.host.c_str()));
    SSL_set1_host(ssl.get(), endpoint_.host.c_str());
    std::string response;
    Status status = okStatus();
    if (SSL_connect(ssl.get()) != 1) {
      status = unavailable("TLS to webhook " + name() + " failed: " + crypto::opensslError());
    } else if (SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) <= 0) {
      status = unavailable("cannot write to webhook " + name());
    } else {
      char buf[4096];
      int n;
      while ((n = SSL_read(ssl.get(), buf, sizeof(buf))) > 0) {
        response.append(buf, static_cast<size_t>(n));
        if (response.find("\r\n") != std::string::npos) break;  // the status line is enough
      }
      SSL_shutdown(ssl.get());
    }
    ERR_clear_error();
    ::close(fd);
    if (!status) return status.error();
    return response;
  }

  Endpoint endpoint_;
  std::string secret_;
  std::string ca_file_;
};

}  // namespace

Result<std::unique_ptr<AlertSink>> makeSyslogSink(const std::string& url,
                                                  const std::string& format) {
  SLUICE_ASSIGN_OR_RETURN(Endpoint e, parseUrl(url, "514"));
  if (e.scheme != "udp" && e.scheme != "tcp") {
    return invalidArgument("syslog target must be udp://host:port or tcp://host:port");
  }
  if (format != "cef" && format != "json") return invalidArgument("syslog format is cef or json");
  return std::unique_ptr<AlertSink>(new SyslogSink(std::move(e), format == "json"));
}

Result<std::unique_ptr<AlertSink>> makeWebhookSink(const std::string& url,
                                                   const std::string& secret,
                                                   const std::string& ca_file) {
  SLUICE_ASSIGN_OR_RETURN(Endpoint e, parseUrl(url, "443"));
  if (e.scheme != "https") return invalidArgument("the webhook must be an https:// URL");
  if (secret.size() < 16) return invalidArgument("the webhook secret must be at least 16 bytes");
  return std::unique_ptr<AlertSink>(new WebhookSink(std::move(e), secret, ca_file));
}

AlertExporter::AlertExporter(std::vector<std::unique_ptr<AlertSink>> sinks, size_t max_queue)
    : sinks_(std::move(sinks)), max_queue_(max_queue), worker_([this] { run(); }) {}

AlertExporter::~AlertExporter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void AlertExporter::enqueue(const sluice::v1::Alert& alert) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= max_queue_) {
      logging::get("export")->warn("export queue full; dropping alert {}", queue_.front().id());
      queue_.pop_front();
    }
    queue_.push_back(alert);
  }
  cv_.notify_all();
}

void AlertExporter::drain() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
}

void AlertExporter::run() {
  auto log = logging::get("export");
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    sluice::v1::Alert alert = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    for (auto& sink : sinks_) {
      for (int attempt = 1; attempt <= 3; ++attempt) {
        Status st = sink->send(alert);
        if (st) break;
        log->warn("export of alert {} to {} failed (attempt {}/3): {}", alert.id(), sink->name(),
                  attempt, st.error().message());
        if (attempt < 3) std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
      }
    }
    lock.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

}  // namespace sluice::controller
