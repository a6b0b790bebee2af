#include "sluice/agent/events.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <ctime>

namespace sluice::agent {

namespace {

std::string ruleName(const PolicyContext& policy, uint32_t rule_id) {
  return rule_id < policy.rule_names.size() ? policy.rule_names[rule_id]
                                            : "rule#" + std::to_string(rule_id);
}

}  // namespace

std::string actionName(uint8_t action) {
  switch (action) {
    case SLUICE_ACTION_ALLOW: return "allow";
    case SLUICE_ACTION_DENY: return "deny";
    case SLUICE_ACTION_AUDIT: return "audit";
    default: return "unknown";
  }
}

std::string hookName(uint8_t hook) {
  switch (hook) {
    case SLUICE_HOOK_CONNECT4: return "connect4";
    case SLUICE_HOOK_CONNECT6: return "connect6";
    case SLUICE_HOOK_SENDMSG4: return "sendmsg4";
    case SLUICE_HOOK_SENDMSG6: return "sendmsg6";
    case SLUICE_HOOK_SNI: return "sni";
    case SLUICE_HOOK_DNS: return "dns";
    case SLUICE_HOOK_HOLD: return "hold";
    default: return "unknown";
  }
}

std::string className(uint8_t dest_class) {
  switch (dest_class) {
    case SLUICE_CLASS_ALLOW: return "allow";
    case SLUICE_CLASS_INSPECT: return "inspect";
    case SLUICE_CLASS_DENY: return "deny";
    default: return "unknown";
  }
}

std::string addressText(const uint8_t addr[16]) {
  static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (std::memcmp(addr, kMapped, sizeof(kMapped)) == 0) {
    inet_ntop(AF_INET, addr + 12, buf.data(), buf.size());
  } else {
    inet_ntop(AF_INET6, addr, buf.data(), buf.size());
  }
  return buf.data();
}

int64_t monotonicToRealtimeOffset() {
  timespec mono{}, real{};
  clock_gettime(CLOCK_MONOTONIC, &mono);
  clock_gettime(CLOCK_REALTIME, &real);
  return (static_cast<int64_t>(real.tv_sec) - mono.tv_sec) * 1000000000LL +
         (real.tv_nsec - mono.tv_nsec);
}

std::string isoTime(int64_t realtime_ns) {
  time_t secs = static_cast<time_t>(realtime_ns / 1000000000LL);
  int64_t micros = (realtime_ns % 1000000000LL) / 1000;
  tm utc{};
  gmtime_r(&secs, &utc);
  std::array<char, 64> buf{};
  size_t n = strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(buf.data() + n, buf.size() - n, ".%06lldZ", static_cast<long long>(micros));
  return buf.data();
}

nlohmann::json connEventJson(const sluice_conn_event& e, const ProcessInfo& process,
                             const PolicyContext& policy, int64_t mono_to_realtime_ns) {
  std::string rule = ruleName(policy, e.rule_id);
  std::string proto = e.proto == SLUICE_PROTO_UDP ? "udp" : "tcp";
  return nlohmann::json{
      {"type", "connect"},
      {"ts", isoTime(static_cast<int64_t>(e.ts_ns) + mono_to_realtime_ns)},
      {"verdict", actionName(e.action)},
      {"hook", hookName(e.hook)},
      {"rule_id", e.rule_id},
      {"rule", rule},
      {"class", className(e.dest_class)},
      {"destination",
       {{"ip", addressText(e.addr)},
        {"port", e.port},
        {"protocol", proto},
        {"family", e.family == AF_INET6 ? "ipv6" : "ipv4"}}},
      {"process", process},
      {"policy",
       {{"name", policy.name}, {"generation", e.policy_generation}, {"sha256", policy.sha256}}},
  };
}

nlohmann::json nameEventJson(const sluice_name_event& e, const ProcessInfo& process,
                             const PolicyContext& policy, int64_t mono_to_realtime_ns,
                             const std::string& destroy_result) {
  std::string rule = ruleName(policy, e.rule_id);
  std::string name(e.name, strnlen(e.name, sizeof(e.name)));
  nlohmann::json flags = nlohmann::json::array();
  if (e.flags & SLUICE_NAME_EV_ECH) flags.push_back("ech");
  if (e.flags & SLUICE_NAME_EV_MISMATCH) flags.push_back("sni-differs-from-dns");
  if (e.flags & SLUICE_NAME_EV_NO_SNI) flags.push_back("no-sni");
  if (e.flags & SLUICE_NAME_EV_HOLD_EXPIRED) flags.push_back("hold-expired");
  if (e.flags & SLUICE_NAME_EV_HOLD_LOST) flags.push_back("hold-lost");
  if (e.flags & SLUICE_NAME_EV_UNINSPECTABLE) flags.push_back("uninspectable-tls");
  nlohmann::json j{
      {"type", e.hook == SLUICE_HOOK_DNS ? "dns" : "sni"},
      {"ts", isoTime(static_cast<int64_t>(e.ts_ns) + mono_to_realtime_ns)},
      {"verdict", actionName(e.action)},
      {"hook", hookName(e.hook)},
      {"name", name},
      {"rule_id", e.rule_id},
      {"rule", rule},
      {"class", className(e.dest_class)},
      {"flags", flags},
      {"process", process},
      {"policy",
       {{"name", policy.name}, {"generation", e.policy_generation}, {"sha256", policy.sha256}}},
  };
  if (e.hook == SLUICE_HOOK_DNS) {
    j["answer"] = {{"ip", addressText(e.daddr)}, {"ttl", e.ttl}};
  } else {
    j["destination"] = {{"ip", addressText(e.daddr)},
                        {"port", e.dport},
                        {"protocol", "tcp"},
                        {"family", e.family == AF_INET6 ? "ipv6" : "ipv4"}};
    j["source"] = {{"ip", addressText(e.saddr)}, {"port", e.sport}};
    if (!destroy_result.empty()) j["connection"] = destroy_result;
  }
  return j;
}

}  // namespace sluice::agent
