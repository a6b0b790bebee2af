// File: alert_export.h
//
// Alerts leave the controller for the SIEM and on-call tooling: as RFC 5424 syslog carrying
// either CEF or JSON, and as an HTTPS webhook whose body is signed with HMAC-SHA256 so the
// receiver can tell it came from this controller. Exports carry the alert's facts and the PHI
// *types* found, never the masked excerpts: evidence stays in the controller, where reading it
// is audited.
//
// Delivery runs on its own thread so that a slow SIEM never slows ingest. It retries a few
// times and then drops (and logs) the alert; the controller's database stays the record.
#pragma once

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sluice/common/result.h"
#include "sluice/v1/controller.pb.h"

namespace sluice::controller {

std::string alertToCef(const sluice::v1::Alert& alert);
std::string alertToJson(const sluice::v1::Alert& alert);
// <PRI>1 TIMESTAMP HOSTNAME sluice-controller PROCID alert - MSG
std::string syslogFrame(const sluice::v1::Alert& alert, const std::string& message,
                        const std::string& hostname);
// "t=<unix>,v1=<hex HMAC-SHA256 of "<unix>.<body>">", sent as X-Sluice-Signature.
std::string webhookSignature(const std::string& secret, int64_t unix_time, const std::string& body);

class AlertSink {
 public:
  virtual ~AlertSink() = default;
  virtual std::string name() const = 0;
  virtual Status send(const sluice::v1::Alert& alert) = 0;
};

// "udp://host:port" or "tcp://host:port" (octet-counted frames, RFC 6587); format "cef" or
// "json".
Result<std::unique_ptr<AlertSink>> makeSyslogSink(const std::string& url,
                                                  const std::string& format);
// "https://host[:port]/path"; `ca_file` empty = the system trust store.
Result<std::unique_ptr<AlertSink>> makeWebhookSink(const std::string& url,
                                                   const std::string& secret,
                                                   const std::string& ca_file);

class AlertExporter {
 public:
  explicit AlertExporter(std::vector<std::unique_ptr<AlertSink>> sinks, size_t max_queue = 10000);
  ~AlertExporter();
  AlertExporter(const AlertExporter&) = delete;
  AlertExporter& operator=(const AlertExporter&) = delete;

  void enqueue(const sluice::v1::Alert& alert);
  // Waits until the queue is empty (tests, shutdown).
  void drain();

 private:
  void run();

  std::vector<std::unique_ptr<AlertSink>> sinks_;
  size_t max_queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<sluice::v1::Alert> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace sluice::controller
