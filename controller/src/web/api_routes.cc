// The console's JSON API: alerts and triage, the overview, agents, policies and the audit log.
#include <algorithm>
#include <map>

#include "sluice/controller/labels.h"
#include "web/api.h"
#include "web/policy_insight.h"

namespace sluice::controller::web {
namespace {

using nlohmann::json;

constexpr uint32_t kMaxPerPage = 200;
constexpr uint32_t kOverviewMaxAlerts = 20000;

const char* severityName(int s) {
  static const char* const kNames[] = {"unspecified", "low", "medium", "high", "critical"};
  return s >= 0 && s <= 4 ? kNames[s] : "unspecified";
}

int severityValue(const std::string& name) {
  for (int s = 0; s <= 4; ++s) {
    if (name == severityName(s)) return s;
  }
  return 0;
}

int64_t intParam(const ApiRequest& r, const char* name, int64_t fallback = 0) {
  std::string v = r.param(name);
  if (v.empty()) return fallback;
  try {
    return std::stoll(v);
  } catch (...) {
    return fallback;
  }
}

Result<std::map<std::string, std::string>> hostnames(Controller& c) {
  SLUICE_ASSIGN_OR_RETURN(auto agents, c.agents->list());
  std::map<std::string, std::string> out;
  for (const auto& a : agents) out[a.record.id] = a.record.hostname;
  return out;
}

json policyJson(const PolicyRecord& p, bool with_yaml) {
  json out = {{"version", p.version},         {"name", p.name},
              {"sha256", p.sha256},           {"selector", p.selector},
              {"audit_first", p.audit_first}, {"pushed_by", p.pushed_by},
              {"pushed_at", p.pushed_at},     {"rollback_of", p.rollback_of}};
  if (with_yaml) out["yaml"] = p.yaml;
  return out;
}

json agentJson(const AgentView& a) {
  return {{"id", a.record.id},
          {"hostname", a.record.hostname},
          {"labels", a.labels},
          {"status", a.record.status},
          {"online", a.online},
          {"policy_version", a.record.policy_version},
          {"last_heartbeat", a.record.last_heartbeat},
          {"agent_version", a.record.agent_version},
          {"health", a.record.health}};
}

AlertFilter alertFilter(const ApiRequest& r) {
  AlertFilter f;
  f.since_ms = intParam(r, "since");
  f.until_ms = intParam(r, "until");
  f.min_severity = severityValue(r.param("severity"));
  f.status = r.param("status");
  f.vendor = r.param("vendor");
  f.phi_type = r.param("phi_type");
  f.agent_id = r.param("agent");
  f.process = r.param("process");
  f.assignee = r.param("assignee");
  return f;
}

Result<json> listAlerts(Controller& c, const ApiRequest& r) {
  AlertFilter f = alertFilter(r);
  int64_t page = std::max<int64_t>(1, intParam(r, "page", 1));
  int64_t per_page = std::clamp<int64_t>(intParam(r, "per_page", 25), 1, kMaxPerPage);
  f.limit = static_cast<uint32_t>(per_page);
  f.offset = static_cast<uint32_t>(std::min<int64_t>((page - 1) * per_page, UINT32_MAX));
  SLUICE_ASSIGN_OR_RETURN(auto alerts, c.events->list(f));
  SLUICE_ASSIGN_OR_RETURN(uint64_t total, c.events->count(f));
  SLUICE_ASSIGN_OR_RETURN(auto names, hostnames(c));
  json items = json::array();
  for (const auto& a : alerts) {
    json item = alertJson(a, names[a.agent_id()]);
    item.erase("notes");  // the list shows states, not the triage history
    items.push_back(std::move(item));
  }
  return json{{"alerts", items}, {"total", total}, {"page", page}, {"per_page", per_page}};
}

Result<json> alertDetail(Controller& c, const ApiRequest& r) {
  // Opening the evidence is recorded in the audit log by EventIngest::get.
  SLUICE_ASSIGN_OR_RETURN(auto alert, c.events->get(r.session.principal.actor(), r.matches[0]));
  SLUICE_ASSIGN_OR_RETURN(auto names, hostnames(c));
  json out = alertJson(alert, names[alert.agent_id()]);
  json evidence = json::array();
  for (const auto& e : alert.detail().evidence()) {
    evidence.push_back({{"phi_type", e.phi_type()},
                        {"offset", e.offset()},
                        {"length", e.length()},
                        {"masked_excerpt", e.masked_excerpt()}});
  }
  out["evidence"] = evidence;
  auto policy = c.policies->get(alert.detail().policy_version());
  out["baa"] =
      policy ? baaStateJson(policy->yaml, alert.detail())
             : json{{"state", "unknown"},
                    {"detail", "policy version " + std::to_string(alert.detail().policy_version()) +
                                   " is not on this controller"}};
  return out;
}

ApiHandler triage(Controller& c, TriageAction action) {
  return [&c, action](const ApiRequest& r) -> Result<json> {
    SLUICE_ASSIGN_OR_RETURN(
        auto alert, c.events->triage(r.session.principal.actor(), r.matches[0], action,
                                     r.body.value("note", ""), r.body.value("assignee", "")));
    SLUICE_ASSIGN_OR_RETURN(auto names, hostnames(c));
    return alertJson(alert, names[alert.agent_id()]);
  };
}

// Blocked egress per hour by vendor and by PHI type, and the top processes and hosts.
Result<json> overview(Controller& c, const ApiRequest& r) {
  int64_t hours = std::clamp<int64_t>(intParam(r, "hours", 24), 1, 24 * 31);
  int64_t now = c.clock.nowMs();
  int64_t bucket_ms = hours <= 48 ? 3600 * 1000 : 24 * 3600 * 1000;
  int64_t first = (now - hours * 3600 * 1000) / bucket_ms * bucket_ms;
  AlertFilter f;
  f.since_ms = first;
  f.limit = kOverviewMaxAlerts;
  SLUICE_ASSIGN_OR_RETURN(auto alerts, c.events->list(f));
  SLUICE_ASSIGN_OR_RETURN(auto names, hostnames(c));
  size_t buckets = static_cast<size_t>((now - first) / bucket_ms + 1);
  std::map<std::string, std::vector<uint64_t>> by_vendor, by_phi;
  std::map<std::string, uint64_t> processes, hosts, statuses;
  uint64_t blocked = 0;
  for (const auto& a : alerts) {
    ++statuses[a.status()];
    if (a.detail().action() != "block") continue;
    ++blocked;
    size_t b = static_cast<size_t>((a.time_unix_ms() - first) / bucket_ms);
    if (b >= buckets) b = buckets - 1;
    auto bump = [&](std::map<std::string, std::vector<uint64_t>>& m, const std::string& key) {
      auto& series = m[key.empty() ? "unknown" : key];
      series.resize(buckets);
      ++series[b];
    };
    bump(by_vendor, a.detail().vendor());
    for (const auto& t : a.phi_types()) bump(by_phi, t);
    ++processes[a.detail().process().empty() ? "unknown" : a.detail().process()];
    ++hosts[names[a.agent_id()].empty() ? a.agent_id() : names[a.agent_id()]];
  }
  auto top = [](const std::map<std::string, uint64_t>& counts) {
    std::vector<std::pair<std::string, uint64_t>> v(counts.begin(), counts.end());
    std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.second > b.second; });
    if (v.size() > 8) v.resize(8);
    json out = json::array();
    for (auto& [name, count] : v) out.push_back({{"name", name}, {"count", count}});
    return out;
  };
  return json{{"since", first},
              {"bucket_ms", bucket_ms},
              {"buckets", buckets},
              {"blocked", blocked},
              {"truncated", alerts.size() >= kOverviewMaxAlerts},
              {"by_vendor", by_vendor},
              {"by_phi_type", by_phi},
              {"top_processes", top(processes)},
              {"top_hosts", top(hosts)},
              {"statuses", statuses}};
}

Result<json> policyStatus(Controller& c) {
  SLUICE_ASSIGN_OR_RETURN(auto versions, c.policies->history());
  SLUICE_ASSIGN_OR_RETURN(auto rollout, c.policies->rollout(*c.agents));
  json agents = json::array();
  for (const auto& a : rollout) {
    json j = agentJson(a.agent);
    j["target_version"] = a.target_version;
    agents.push_back(std::move(j));
  }
  return json{{"latest_version", versions.empty() ? 0 : versions.back().version},
              {"agents", agents}};
}

Result<json> policyDiff(Controller& c, const ApiRequest& r) {
  SLUICE_ASSIGN_OR_RETURN(auto from, c.policies->get(static_cast<uint64_t>(intParam(r, "from"))));
  SLUICE_ASSIGN_OR_RETURN(auto to, c.policies->get(static_cast<uint64_t>(intParam(r, "to"))));
  SLUICE_ASSIGN_OR_RETURN(json diff, policyDiffJson(from.yaml, to.yaml));
  diff["from"] = policyJson(from, true);
  diff["to"] = policyJson(to, true);
  return diff;
}

// Validates a policy before the author confirms the push, and says what it would change.
Result<json> previewPush(Controller& c, const ApiRequest& r) {
  std::string yaml = r.body.value("yaml", "");
  std::string file = r.body.value("file_name", "console.yaml");
  SLUICE_ASSIGN_OR_RETURN(Labels selector, parseSelector(r.body.value("selector", "")));
  SLUICE_ASSIGN_OR_RETURN(auto validated, defaultPolicyValidator()(yaml, file));
  json out = {{"name", validated.name}, {"sha256", validated.sha256}};
  SLUICE_ASSIGN_OR_RETURN(auto versions, c.policies->history());
  if (!versions.empty()) {
    SLUICE_ASSIGN_OR_RETURN(auto latest, c.policies->get(versions.back().version));
    auto diff = policyDiffJson(latest.yaml, yaml);
    out["diff"] = diff ? *diff : json{{"error", diff.error().message()}};
    out["against_version"] = latest.version;
  }
  SLUICE_ASSIGN_OR_RETURN(auto agents, c.agents->list());
  uint64_t matching = 0;
  for (const auto& a : agents) {
    if (a.record.status == "active" && selectorMatches(selector, a.labels)) ++matching;
  }
  out["matching_agents"] = matching;
  return out;
}

Result<json> pushPolicy(Controller& c, const ApiRequest& r) {
  SLUICE_ASSIGN_OR_RETURN(
      auto pushed,
      c.policies->push(r.session.principal.actor(), r.body.value("yaml", ""),
                       r.body.value("file_name", "console.yaml"), r.body.value("selector", ""),
                       r.body.value("audit_first", false)));
  return policyJson(pushed, false);
}

Result<json> listAudit(Controller& c, const ApiRequest& r) {
  uint32_t limit = static_cast<uint32_t>(std::clamp<int64_t>(intParam(r, "limit", 50), 1, 500));
  SLUICE_ASSIGN_OR_RETURN(
      auto entries, c.storage->listAudit(static_cast<uint64_t>(intParam(r, "after_seq")), limit));
  json out = json::array();
  for (const auto& e : entries) {
    out.push_back({{"seq", e.seq},
                   {"time_ms", e.time_ms},
                   {"actor", e.actor},
                   {"action", e.action},
                   {"target", e.target},
                   {"details", e.details},
                   {"hash", e.hash}});
  }
  return json{{"entries", out}};
}

Result<json> verifyAudit(Controller& c) {
  SLUICE_ASSIGN_OR_RETURN(auto report, c.audit->verify());
  return json{{"ok", report.ok},
              {"entries_checked", report.entries_checked},
              {"checkpoints_checked", report.checkpoints_checked},
              {"first_bad_seq", report.first_bad_seq},
              {"problem", report.problem}};
}

}  // namespace

json alertJson(const sluice::v1::Alert& a, const std::string& hostname) {
  const auto& d = a.detail();
  json notes = json::array();
  for (const auto& n : a.notes()) {
    notes.push_back({{"time", n.time_unix()},
                     {"author", n.author()},
                     {"action", n.action()},
                     {"text", n.text()}});
  }
  return {{"id", a.id()},
          {"agent_id", a.agent_id()},
          {"hostname", hostname},
          {"time_ms", a.time_unix_ms()},
          {"received_ms", a.received_unix_ms()},
          {"status", a.status()},
          {"assignee", a.assignee()},
          {"severity", severityName(static_cast<int>(d.severity()))},
          {"vendor", d.vendor()},
          {"host", d.host()},
          {"dest_ip", d.dest_ip()},
          {"dest_port", d.dest_port()},
          {"region", d.region()},
          {"action", d.action()},
          {"reason", d.reason()},
          {"rule", d.rule()},
          {"pid", d.pid()},
          {"process", d.process()},
          {"exe", d.exe()},
          {"policy_version", d.policy_version()},
          {"phi_types", std::vector<std::string>(a.phi_types().begin(), a.phi_types().end())},
          {"notes", notes}};
}

std::vector<ApiRoute> apiRoutes(Controller& c) {
  const std::string alerts = "/sluice.v1.AlertService/";
  const std::string policies = "/sluice.v1.PolicyService/";
  const std::string audit = "/sluice.v1.AuditService/";
  const std::string id = "/([A-Za-z0-9._:-]{1,128})";
  return {
      {false, "/api/alerts", alerts + "ListAlerts", [&c](auto& r) { return listAlerts(c, r); }},
      {false, "/api/alerts" + id, alerts + "GetAlert", [&c](auto& r) { return alertDetail(c, r); }},
      {true, "/api/alerts" + id + "/ack", alerts + "AckAlert", triage(c, TriageAction::kAck)},
      {true, "/api/alerts" + id + "/assign", alerts + "AssignAlert",
       triage(c, TriageAction::kAssign)},
      {true, "/api/alerts" + id + "/resolve", alerts + "ResolveAlert",
       triage(c, TriageAction::kResolve)},
      {true, "/api/alerts" + id + "/false-positive", alerts + "MarkFalsePositive",
       triage(c, TriageAction::kFalsePositive)},
      {false, "/api/overview", alerts + "ListAlerts", [&c](auto& r) { return overview(c, r); }},
      {false, "/api/agents", "/sluice.v1.AgentAdminService/ListAgents",
       [&c](auto&) -> Result<json> {
         SLUICE_ASSIGN_OR_RETURN(auto agents, c.agents->list());
         json out = json::array();
         for (const auto& a : agents) out.push_back(agentJson(a));
         return json{{"agents", out}};
       }},
      {false, "/api/policies", policies + "ListPolicyHistory",
       [&c](auto&) -> Result<json> {
         SLUICE_ASSIGN_OR_RETURN(auto versions, c.policies->history());
         json out = json::array();
         for (const auto& p : versions) out.push_back(policyJson(p, false));
         return json{{"versions", out}};
       }},
      {false, "/api/policies/status", policies + "GetPolicyStatus",
       [&c](auto&) { return policyStatus(c); }},
      {false, "/api/policies/diff", policies + "GetPolicy",
       [&c](auto& r) { return policyDiff(c, r); }},
      {false, "/api/policies/([0-9]{1,19})", policies + "GetPolicy",
       [&c](auto& r) -> Result<json> {
         SLUICE_ASSIGN_OR_RETURN(auto p, c.policies->get(std::stoull(r.matches[0])));
         return policyJson(p, true);
       }},
      {true, "/api/policies/preview", policies + "PushPolicy",
       [&c](auto& r) { return previewPush(c, r); }},
      {true, "/api/policies", policies + "PushPolicy", [&c](auto& r) { return pushPolicy(c, r); }},
      {true, "/api/policies/([0-9]{1,19})/rollback", policies + "RollbackPolicy",
       [&c](auto& r) -> Result<json> {
         SLUICE_ASSIGN_OR_RETURN(
             auto p, c.policies->rollback(r.session.principal.actor(), std::stoull(r.matches[0])));
         return policyJson(p, false);
       }},
      {false, "/api/audit", audit + "ListAudit", [&c](auto& r) { return listAudit(c, r); }},
      {false, "/api/audit/verify", audit + "VerifyAudit", [&c](auto&) { return verifyAudit(c); }},
  };
}

}  // namespace sluice::controller::web
