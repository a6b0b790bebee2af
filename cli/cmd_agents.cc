// sluicectl agents: the fleet as the controller sees it, and revocation.
#include <cstdio>

#include "cmd_controller_common.h"
#include "sluice/v1/controller.grpc.pb.h"

namespace sluice::cli {
namespace {

namespace v1 = sluice::v1;

const ControllerCommand kCommand{"agents",
                                 "usage: sluicectl agents list [--json]\n"
                                 "       sluicectl agents revoke ID [--reason TEXT]\n"
                                 "connection: --controller HOST:PORT --ca FILE --token T "
                                 "--totp CODE\n",
                                 {"--reason"},
                                 {}};

int body(const std::string& sub, const FlagParser& flags, const controller::Connection& conn) {
  auto stub = v1::AgentAdminService::NewStub(conn.channel);
  if (sub == "list") {
    v1::ListAgentsResponse resp;
    auto status = stub->ListAgents(conn.context().get(), {}, &resp);
    if (!status.ok()) return rpcError(kCommand.name, status);
    if (flags.has("--json")) {
      printJson(resp);
      return 0;
    }
    std::printf("%-22s %-20s %-8s %-8s %-7s %s\n", "ID", "HOST", "STATUS", "STATE", "POLICY",
                "LAST HEARTBEAT (unix)");
    for (const auto& a : resp.agents()) {
      std::printf("%-22s %-20s %-8s %-8s v%-6llu %lld\n", a.id().c_str(), a.hostname().c_str(),
                  a.status().c_str(), a.online() ? "online" : "offline",
                  static_cast<unsigned long long>(a.policy_version()),
                  static_cast<long long>(a.last_heartbeat_unix()));
    }
    return 0;
  }
  if (sub == "revoke") {
    if (flags.positional().size() != 1) return commandError(kCommand.name, "revoke needs one ID");
    v1::RevokeAgentRequest req;
    req.set_id(flags.positional()[0]);
    req.set_reason(flags.get("--reason"));
    v1::RevokeAgentResponse resp;
    auto status = stub->RevokeAgent(conn.context().get(), req, &resp);
    if (!status.ok()) return rpcError(kCommand.name, status);
    std::printf("agent %s revoked\n", req.id().c_str());
    return 0;
  }
  return commandError(kCommand.name, "unknown subcommand '" + sub + "'\n" + kCommand.usage);
}

const CommandRegistrar kRegistrar({"agents", "list enrolled agents, revoke one",
                                   [](const Args& args) {
                                     return runControllerCommand(kCommand, args, body);
                                   }});

}  // namespace
}  // namespace sluice::cli
