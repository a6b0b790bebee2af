// sluicectl alerts: triage of blocked-egress alerts reported by agents.
#include <chrono>
#include <cstdio>
#include <map>

#include "cmd_controller_common.h"
#include "sluice/v1/controller.grpc.pb.h"

namespace sluice::cli {
namespace {

namespace v1 = sluice::v1;

const ControllerCommand kCommand{
    "alerts",
    "usage: sluicectl alerts list [--since 1h] [--severity low|medium|high|critical]\n"
    "                             [--agent ID] [--vendor V] [--process P] [--phi-type T]\n"
    "                             [--assignee USER] [--status open|acknowledged|resolved|\n"
    "                             false-positive]\n"
    "                             [--limit N] [--json]\n"
    "       sluicectl alerts show ID [--json]        (evidence access is audited)\n"
    "       sluicectl alerts ack ID [--note TEXT]\n"
    "       sluicectl alerts assign ID --to USER [--note TEXT]\n"
    "       sluicectl alerts resolve ID [--note TEXT]\n"
    "       sluicectl alerts false-positive ID [--note TEXT]\n"
    "connection: --controller HOST:PORT --ca FILE --token T --totp CODE\n",
    {"--since", "--severity", "--agent", "--vendor", "--status", "--limit", "--note", "--to",
     "--process", "--phi-type", "--assignee"},
    {}};

int fail(const std::string& message) {
  return commandError(kCommand.name, message);
}

const char* severityName(v1::Severity s) {
  switch (s) {
    case v1::SEVERITY_LOW: return "low";
    case v1::SEVERITY_MEDIUM: return "medium";
    case v1::SEVERITY_HIGH: return "high";
    case v1::SEVERITY_CRITICAL: return "critical";
    default: return "-";
  }
}

void printAlert(const v1::Alert& a) {
  const auto& d = a.detail();
  std::printf("alert %s\n  agent:    %s\n  time:     %lld\n  status:   %s%s%s\n", a.id().c_str(),
              a.agent_id().c_str(), static_cast<long long>(a.time_unix_ms()), a.status().c_str(),
              a.assignee().empty() ? "" : ", assigned to ", a.assignee().c_str());
  std::printf("  action:   %s (%s) severity %s\n  dest:     %s %s:%u vendor %s region %s\n",
              d.action().c_str(), d.reason().c_str(), severityName(d.severity()), d.host().c_str(),
              d.dest_ip().c_str(), d.dest_port(), d.vendor().c_str(), d.region().c_str());
  std::printf("  process:  %s (pid %u) %s\n", d.process().c_str(), d.pid(), d.exe().c_str());
  for (const auto& e : d.evidence()) {
    std::printf("  evidence: %s at %llu: %s\n", e.phi_type().c_str(),
                static_cast<unsigned long long>(e.offset()), e.masked_excerpt().c_str());
  }
  for (const auto& n : a.notes()) {
    std::printf("  note:     %lld %s %s: %s\n", static_cast<long long>(n.time_unix()),
                n.author().c_str(), n.action().c_str(), n.text().c_str());
  }
}

int list(v1::AlertService::Stub& stub, const controller::Connection& conn,
         const FlagParser& flags) {
  v1::ListAlertsRequest req;
  if (flags.has("--since")) {
    auto ago = controller::parseDuration(flags.get("--since"));
    if (!ago) return fail("--since: " + ago.error().message());
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    req.set_since_unix_ms(now - *ago * 1000);
  }
  static const std::map<std::string, v1::Severity> kSeverities = {
      {"low", v1::SEVERITY_LOW},
      {"medium", v1::SEVERITY_MEDIUM},
      {"high", v1::SEVERITY_HIGH},
      {"critical", v1::SEVERITY_CRITICAL}};
  if (flags.has("--severity")) {
    auto it = kSeverities.find(flags.get("--severity"));
    if (it == kSeverities.end()) return fail("--severity must be low, medium, high or critical");
    req.set_min_severity(it->second);
  }
  req.set_agent_id(flags.get("--agent"));
  req.set_vendor(flags.get("--vendor"));
  req.set_status(flags.get("--status"));
  req.set_process(flags.get("--process"));
  req.set_phi_type(flags.get("--phi-type"));
  req.set_assignee(flags.get("--assignee"));
  try {
    req.set_limit(static_cast<uint32_t>(std::stoul(flags.get("--limit", "100"))));
  } catch (const std::exception&) {
    return fail("--limit takes a number");
  }
  v1::ListAlertsResponse resp;
  auto status = stub.ListAlerts(conn.context().get(), req, &resp);
  if (!status.ok()) return rpcError(kCommand.name, status);
  if (flags.has("--json")) {
    printJson(resp);
    return 0;
  }
  std::printf("%-34s %-15s %-8s %-13s %-10s %-12s %s\n", "ID", "TIME (ms)", "SEVERITY", "STATUS",
              "ACTION", "VENDOR", "HOST");
  for (const auto& a : resp.alerts()) {
    std::printf("%-34s %-15lld %-8s %-13s %-10s %-12s %s\n", a.id().c_str(),
                static_cast<long long>(a.time_unix_ms()), severityName(a.detail().severity()),
                a.status().c_str(), a.detail().action().c_str(), a.detail().vendor().c_str(),
                a.detail().host().c_str());
  }
  return 0;
}

int body(const std::string& sub, const FlagParser& flags, const controller::Connection& conn) {
  auto stub = v1::AlertService::NewStub(conn.channel);
  if (sub == "list") return list(*stub, conn, flags);

  if (flags.positional().size() != 1) return fail(sub + " needs one alert ID\n" + kCommand.usage);
  const std::string id = flags.positional()[0];
  if (sub == "show") {
    v1::GetAlertRequest req;
    req.set_id(id);
    v1::GetAlertResponse resp;
    auto status = stub->GetAlert(conn.context().get(), req, &resp);
    if (!status.ok()) return rpcError(kCommand.name, status);
    if (flags.has("--json")) {
      printJson(resp.alert());
    } else {
      printAlert(resp.alert());
    }
    return 0;
  }
  v1::TriageAlertRequest req;
  req.set_id(id);
  req.set_note(flags.get("--note"));
  req.set_assignee(flags.get("--to"));
  v1::TriageAlertResponse resp;
  grpc::Status status;
  if (sub == "ack") {
    status = stub->AckAlert(conn.context().get(), req, &resp);
  } else if (sub == "assign") {
    if (req.assignee().empty()) return fail("assign needs --to USER");
    status = stub->AssignAlert(conn.context().get(), req, &resp);
  } else if (sub == "resolve") {
    status = stub->ResolveAlert(conn.context().get(), req, &resp);
  } else if (sub == "false-positive") {
    status = stub->MarkFalsePositive(conn.context().get(), req, &resp);
  } else {
    return fail("unknown subcommand '" + sub + "'\n" + kCommand.usage);
  }
  if (!status.ok()) return rpcError(kCommand.name, status);
  std::printf("alert %s: %s\n", id.c_str(), resp.alert().status().c_str());
  return 0;
}

const CommandRegistrar kRegistrar({"alerts", "list, show and triage alerts from agents",
                                   [](const Args& args) {
                                     return runControllerCommand(kCommand, args, body);
                                   }});

}  // namespace
}  // namespace sluice::cli
