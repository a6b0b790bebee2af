// Alert export: the CEF/JSON/RFC 5424 renderings, real UDP/TCP syslog and HTTPS webhook
// deliveries on loopback, and the exporter's queue and retries.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "controller_test_support.h"
#include "sluice/controller/alert_export.h"
#include "sluice/controller/ca.h"
#include "sluice/controller/crypto.h"
#include "sluice/controller/files.h"

namespace sluice::controller {
namespace {

using testing::TempDir;

sluice::v1::Alert sampleAlert(const std::string& id = "al-1") {
  sluice::v1::Alert a;
  a.set_id(id);
  a.set_agent_id("agt-7");
  a.set_time_unix_ms(1'800'000'000'123);
  auto* d = a.mutable_detail();
  d->set_vendor("deepseek");
  d->set_host("api.deepseek.com");
  d->set_dest_ip("203.0.113.9");
  d->set_dest_port(443);
  d->set_severity(sluice::v1::SEVERITY_HIGH);
  d->set_action("block");
  d->set_reason("no-baa");
  d->set_rule("a=b|c\\d");
  d->set_process("python3");
  d->set_pid(4242);
  auto* e = d->add_evidence();
  e->set_phi_type("ssn");
  e->set_masked_excerpt("SSN ***-**-6789");
  d->add_evidence()->set_phi_type("mrn");
  return a;
}

// A socket bound to 127.0.0.1 on a free port.
int boundSocket(int type, int& port) {
  int fd = ::socket(AF_INET, type, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    return -1;
  }
  port = ntohs(addr.sin_port);
  if (type == SOCK_STREAM) ::listen(fd, 4);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

TEST(AlertFormat, CefEscapesAndCarriesNoEvidenceText) {
  std::string cef = alertToCef(sampleAlert());
  EXPECT_EQ(cef.rfind("CEF:0|Sluice|sluice-controller|", 0), 0u) << cef;
  EXPECT_NE(cef.find("|no-baa|AI egress block: no-baa|8|"), std::string::npos) << cef;
  EXPECT_NE(cef.find("externalId=al-1"), std::string::npos);
  EXPECT_NE(cef.find("dst=203.0.113.9 dpt=443"), std::string::npos);
  EXPECT_NE(cef.find("cs3Label=phiTypes cs3=mrn,ssn"), std::string::npos);
  EXPECT_NE(cef.find("cs4=a\\=b|c\\\\d"), std::string::npos) << cef;  // = and \ escaped
  EXPECT_EQ(cef.find("6789"), std::string::npos) << "masked evidence must not be exported";
}

TEST(AlertFormat, JsonAndSyslogFrame) {
  auto j = nlohmann::json::parse(alertToJson(sampleAlert()));
  EXPECT_EQ(j["type"], "sluice.alert");
  EXPECT_EQ(j["severity"], "SEVERITY_HIGH");
  EXPECT_EQ(j["phi_types"], nlohmann::json::array({"mrn", "ssn"}));
  EXPECT_EQ(j.dump().find("6789"), std::string::npos);

  std::string frame = syslogFrame(sampleAlert(), "MSG", "host1");
  // authpriv (10) * 8 + error (3) = 83
  std::regex rfc5424(
      R"(^<83>1 2027-01-15T08:00:00\.123Z host1 sluice-controller \d+ alert - MSG$)");
  EXPECT_TRUE(std::regex_match(frame, rfc5424)) << frame;
}

TEST(AlertFormat, WebhookSignatureIsHmacOverTimestampAndBody) {
  std::string sig = webhookSignature("0123456789abcdef", 1700000000, "{}");
  EXPECT_EQ(sig, "t=1700000000,v1=" +
                     crypto::toHex(crypto::hmacSha256("0123456789abcdef", "1700000000.{}")));
  EXPECT_NE(sig, webhookSignature("0123456789abcdeF", 1700000000, "{}"));
}

TEST(SyslogSink, DeliversOverUdpAndTcp) {
  int port = 0;
  int udp = boundSocket(SOCK_DGRAM, port);
  ASSERT_GE(udp, 0);
  auto sink = makeSyslogSink("udp://127.0.0.1:" + std::to_string(port), "json");
  ASSERT_TRUE(sink);
  ASSERT_TRUE((*sink)->send(sampleAlert()));
  char buf[8192];
  ssize_t n = ::recv(udp, buf, sizeof(buf), 0);
  ASSERT_GT(n, 0);
  std::string got(buf, static_cast<size_t>(n));
  EXPECT_EQ(got.rfind("<83>1 ", 0), 0u) << got;
  EXPECT_NE(got.find(R"("type":"sluice.alert")"), std::string::npos) << got;
  ::close(udp);

  int tcp = boundSocket(SOCK_STREAM, port);
  ASSERT_GE(tcp, 0);
  auto tcp_sink = makeSyslogSink("tcp://127.0.0.1:" + std::to_string(port), "cef");
  ASSERT_TRUE(tcp_sink);
  ASSERT_TRUE((*tcp_sink)->send(sampleAlert()));
  int conn = ::accept(tcp, nullptr, nullptr);
  ASSERT_GE(conn, 0);
  timeval tv{5, 0};
  ::setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  n = ::recv(conn, buf, sizeof(buf), 0);
  ASSERT_GT(n, 0);
  got.assign(buf, static_cast<size_t>(n));
  auto space = got.find(' ');
  ASSERT_NE(space, std::string::npos);
  EXPECT_EQ(std::stoul(got.substr(0, space)), got.size() - space - 1) << "octet count";
  EXPECT_NE(got.find("CEF:0|Sluice|"), std::string::npos);
  ::close(conn);
  ::close(tcp);

  EXPECT_FALSE(makeSyslogSink("http://x:1", "cef"));
  EXPECT_FALSE(makeSyslogSink("udp://x:1", "xml"));
}

// A one-shot HTTPS server on loopback with a certificate from a throw-away CA.
class HttpsServer {
 public:
  HttpsServer(const std::string& dir, int status) {
    auto ca = CertificateAuthority::create("webhook test CA", std::time(nullptr), 3600);
    auto server = ca->issueServerCert("127.0.0.1", {"127.0.0.1"}, std::time(nullptr), 3600);
    ca_file = dir + "/webhook-ca.crt";
    (void)writeFileAtomic(ca_file, ca->certPem(), 0644);
    (void)writeFileAtomic(dir + "/srv.crt", server->first.pem, 0644);
    (void)writeFileAtomic(dir + "/srv.key", server->second, 0600);
    ctx_ = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate_file(ctx_, (dir + "/srv.crt").c_str(), SSL_FILETYPE_PEM);
    SSL_CTX_use_PrivateKey_file(ctx_, (dir + "/srv.key").c_str(), SSL_FILETYPE_PEM);
    fd_ = boundSocket(SOCK_STREAM, port);
    thread_ = std::thread([this, status] {
      int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) return;
      SSL* ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, conn);
      if (SSL_accept(ssl) == 1) {
        char buf[8192];
        int n;
        while ((n = SSL_read(ssl, buf, sizeof(buf))) > 0) {
          request.append(buf, static_cast<size_t>(n));
          auto end = request.find("\r\n\r\n");
          auto cl = request.find("Content-Length: ");
          if (end != std::string::npos && cl != std::string::npos &&
              request.size() >= end + 4 + std::stoul(request.substr(cl + 16))) {
            break;
          }
        }
        std::string reply =
            "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\n\r\n";
        SSL_write(ssl, reply.data(), static_cast<int>(reply.size()));
        SSL_shutdown(ssl);
      }
      SSL_free(ssl);
      ::close(conn);
    });
  }
  ~HttpsServer() {
    ::shutdown(fd_, SHUT_RDWR);
    finish();
    ::close(fd_);
    SSL_CTX_free(ctx_);
  }
  // Waits for the one exchange to end; `request` is complete afterwards.
  void finish() {
    if (thread_.joinable()) thread_.join();
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port) + "/hooks/sluice"; }

  int port = 0;
  std::string ca_file;
  std::string request;

 private:
  SSL_CTX* ctx_ = nullptr;
  int fd_ = -1;
  std::thread thread_;
};

TEST(WebhookSink, PostsSignedJsonOverVerifiedTls) {
  TempDir dir;
  const std::string secret = "a-webhook-secret-of-32-bytes!!!!";
  HttpsServer server(dir.path(), 204);
  auto sink = makeWebhookSink(server.url(), secret, server.ca_file);
  ASSERT_TRUE(sink);
  auto sent = (*sink)->send(sampleAlert());
  ASSERT_TRUE(sent) << sent.error().toString();
  server.finish();
  const std::string& req = server.request;
  EXPECT_EQ(req.rfind("POST /hooks/sluice HTTP/1.1\r\n", 0), 0u) << req;
  std::string body = req.substr(req.find("\r\n\r\n") + 4);
  EXPECT_EQ(nlohmann::json::parse(body)["id"], "al-1");
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(req, m, std::regex(R"(X-Sluice-Signature: t=(\d+),v1=([0-9a-f]{64}))")));
  // What a receiver does: recompute the HMAC over "<t>.<body>" with the shared secret.
  EXPECT_EQ(m[2].str(), crypto::toHex(crypto::hmacSha256(secret, m[1].str() + "." + body)));
}

TEST(WebhookSink, RefusesUntrustedServersAndReportsHttpErrors) {
  TempDir dir;
  const std::string secret = "a-webhook-secret-of-32-bytes!!!!";
  {
    HttpsServer server(dir.path(), 500);
    auto sink = makeWebhookSink(server.url(), secret, server.ca_file);
    auto sent = (*sink)->send(sampleAlert());
    ASSERT_FALSE(sent);
    EXPECT_NE(sent.error().message().find("500"), std::string::npos) << sent.error().message();
  }
  {
    HttpsServer server(dir.path(), 204);
    TempDir other;
    auto other_ca = CertificateAuthority::create("someone else", std::time(nullptr), 3600);
    ASSERT_TRUE(writeFileAtomic(other.path() + "/ca.crt", other_ca->certPem(), 0644));
    auto sink = makeWebhookSink(server.url(), secret, other.path() + "/ca.crt");
    auto sent = (*sink)->send(sampleAlert());
    ASSERT_FALSE(sent);
    EXPECT_NE(sent.error().message().find("TLS"), std::string::npos) << sent.error().message();
  }
  EXPECT_FALSE(makeWebhookSink("http://127.0.0.1/x", secret, ""));
  EXPECT_FALSE(makeWebhookSink("https://127.0.0.1/x", "short", ""));
}

class RecordingSink : public AlertSink {
 public:
  RecordingSink(std::vector<std::string>& seen, int failures) : seen_(seen), failures_(failures) {}
  std::string name() const override { return "recording"; }
  Status send(const sluice::v1::Alert& alert) override {
    seen_.push_back(alert.id());
    if (failures_-- > 0) return unavailable("not yet");
    return okStatus();
  }

 private:
  std::vector<std::string>& seen_;
  int failures_;
};

TEST(AlertExporter, DeliversInOrderAndRetries) {
  std::vector<std::string> seen;
  std::vector<std::unique_ptr<AlertSink>> sinks;
  sinks.push_back(std::make_unique<RecordingSink>(seen, 2));
  AlertExporter exporter(std::move(sinks));
  exporter.enqueue(sampleAlert("a"));
  exporter.enqueue(sampleAlert("b"));
  exporter.drain();
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "a", "a", "b"}));
}

}  // namespace
}  // namespace sluice::controller
