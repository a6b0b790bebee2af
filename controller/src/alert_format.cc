// CEF, JSON and RFC 5424 renderings of an alert, and the webhook signature.
#include <unistd.h>

#include <ctime>
#include <set>

#include <nlohmann/json.hpp>

#include "sluice/common/version.h"
#include "sluice/controller/alert_export.h"
#include "sluice/controller/crypto.h"

namespace sluice::controller {
namespace {

namespace v1 = sluice::v1;

int cefSeverity(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_LOW: return 3;
    case v1::SEVERITY_MEDIUM: return 5;
    case v1::SEVERITY_HIGH: return 8;
    case v1::SEVERITY_CRITICAL: return 10;
    default: return 5;
  }
}

// RFC 5424 severity: critical 2, error 3, warning 4, notice 5.
int syslogSeverity(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_CRITICAL: return 2;
    case v1::SEVERITY_HIGH: return 3;
    case v1::SEVERITY_MEDIUM: return 4;
    default: return 5;
  }
}

constexpr int kFacilityAuthpriv = 10;

std::string cefHeader(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '|') out += '\\';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

std::string cefValue(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '=') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

std::set<std::string> phiTypes(const v1::AlertEvent& detail) {
  std::set<std::string> types;
  for (const auto& e : detail.evidence()) types.insert(e.phi_type());
  return types;
}

std::string join(const std::set<std::string>& items) {
  std::string out;
  for (const auto& t : items) out += (out.empty() ? "" : ",") + t;
  return out;
}

}  // namespace

std::string alertToCef(const v1::Alert& alert) {
  const auto& d = alert.detail();
  std::string reason = d.reason().empty() ? "egress" : d.reason();
  std::string version = sluice::versionString();
  std::string out =
      "CEF:0|Sluice|sluice-controller|" + cefHeader(version.substr(0, version.find(' '))) + "|" +
      cefHeader(reason) + "|" +
      cefHeader("AI egress " + (d.action().empty() ? "alert" : d.action()) + ": " + reason) + "|" +
      std::to_string(cefSeverity(d.severity())) + "|";
  std::vector<std::pair<std::string, std::string>> ext = {
      {"rt", std::to_string(alert.time_unix_ms())},
      {"externalId", alert.id()},
      {"deviceExternalId", alert.agent_id()},
      {"act", d.action()},
      {"dhost", d.host()},
      {"dst", d.dest_ip()},
      {"dpt", std::to_string(d.dest_port())},
      {"sproc", d.process()},
      {"spid", std::to_string(d.pid())},
      {"filePath", d.exe()},
      {"cs1Label", "vendor"},
      {"cs1", d.vendor()},
      {"cs2Label", "region"},
      {"cs2", d.region()},
      {"cs3Label", "phiTypes"},
      {"cs3", join(phiTypes(d))},
      {"cs4Label", "rule"},
      {"cs4", d.rule()},
      {"cn1Label", "policyVersion"},
      {"cn1", std::to_string(d.policy_version())},
  };
  bool first = true;
  for (const auto& [k, v] : ext) {
    if (v.empty()) continue;
    out += (first ? "" : " ") + k + "=" + cefValue(v);
    first = false;
  }
  return out;
}

std::string alertToJson(const v1::Alert& alert) {
  const auto& d = alert.detail();
  nlohmann::json phi = phiTypes(d);
  nlohmann::json j = {{"type", "sluice.alert"},
                      {"id", alert.id()},
                      {"agent_id", alert.agent_id()},
                      {"time_unix_ms", alert.time_unix_ms()},
                      {"severity", v1::Severity_Name(d.severity())},
                      {"action", d.action()},
                      {"reason", d.reason()},
                      {"rule", d.rule()},
                      {"vendor", d.vendor()},
                      {"host", d.host()},
                      {"dest_ip", d.dest_ip()},
                      {"dest_port", d.dest_port()},
                      {"region", d.region()},
                      {"process", d.process()},
                      {"pid", d.pid()},
                      {"exe", d.exe()},
                      {"cgroup", d.cgroup()},
                      {"policy_version", d.policy_version()},
                      {"phi_types", phi}};
  return j.dump();
}

std::string syslogFrame(const v1::Alert& alert, const std::string& message,
                        const std::string& hostname) {
  int pri = kFacilityAuthpriv * 8 + syslogSeverity(alert.detail().severity());
  int64_t ms = alert.time_unix_ms();
  time_t secs = static_cast<time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char ts[64];
  std::snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return "<" + std::to_string(pri) + ">1 " + ts + " " + (hostname.empty() ? "-" : hostname) +
         " sluice-controller " + std::to_string(::getpid()) + " alert - " + message;
}

std::string webhookSignature(const std::string& secret, int64_t unix_time,
                             const std::string& body) {
  std::string ts = std::to_string(unix_time);
  return "t=" + ts + ",v1=" + crypto::toHex(crypto::hmacSha256(secret, ts + "." + body));
}

}  // namespace sluice::controller
