// sluicectl users / whoami: the people who may use the controller, each with one role.
#include <cstdio>

#include "cmd_controller_common.h"
#include "sluice/v1/controller.grpc.pb.h"

namespace sluice::cli {
namespace {

namespace v1 = sluice::v1;

const ControllerCommand kCommand{
    "users",
    "usage: sluicectl users create NAME --role admin|policy-author|responder|auditor [--json]\n"
    "       sluicectl users list [--json]\n"
    "       sluicectl users disable ID\n"
    "       sluicectl users whoami\n"
    "connection: --controller HOST:PORT --ca FILE --token T --totp CODE\n",
    {"--role"},
    {}};

int fail(const std::string& message) {
  return commandError(kCommand.name, message);
}

int body(const std::string& sub, const FlagParser& flags, const controller::Connection& conn) {
  auto stub = v1::AuthService::NewStub(conn.channel);
  grpc::Status status;

  if (sub == "create") {
    if (flags.positional().size() != 1 || !flags.has("--role")) return fail(kCommand.usage);
    v1::CreateUserRequest req;
    req.set_name(flags.positional()[0]);
    req.set_role(flags.get("--role"));
    v1::CreateUserResponse resp;
    status = stub->CreateUser(conn.context().get(), req, &resp);
    if (!status.ok()) return rpcError(kCommand.name, status);
    if (flags.has("--json")) {
      printJson(resp);
    } else {
      std::printf(
          "user %s (%s) created; these are shown once:\n  API token:   %s\n"
          "  TOTP secret: %s\n  TOTP URI:    %s\n",
          resp.user().name().c_str(), resp.user().role().c_str(), resp.api_token().c_str(),
          resp.totp_secret().c_str(), resp.totp_uri().c_str());
    }
    return 0;
  }
  if (sub == "list") {
    v1::ListUsersResponse resp;
    status = stub->ListUsers(conn.context().get(), {}, &resp);
    if (!status.ok()) return rpcError(kCommand.name, status);
    if (flags.has("--json")) {
      printJson(resp);
      return 0;
    }
    for (const auto& u : resp.users()) {
      std::printf("%-22s %-20s %-14s %s\n", u.id().c_str(), u.name().c_str(), u.role().c_str(),
                  u.disabled() ? "disabled" : "active");
    }
    return 0;
  }
  if (sub == "disable") {
    if (flags.positional().size() != 1) return fail("disable needs one user ID");
    v1::DisableUserRequest req;
    req.set_id(flags.positional()[0]);
    v1::DisableUserResponse resp;
    status = stub->DisableUser(conn.context().get(), req, &resp);
    if (!status.ok()) return rpcError(kCommand.name, status);
    std::printf("user %s disabled\n", req.id().c_str());
    return 0;
  }
  if (sub == "whoami") {
    v1::WhoAmIResponse resp;
    status = stub->WhoAmI(conn.context().get(), {}, &resp);
    if (!status.ok()) return rpcError(kCommand.name, status);
    std::printf("%s (%s, %s)\n", resp.user().name().c_str(), resp.user().role().c_str(),
                resp.user().id().c_str());
    return 0;
  }
  return fail("unknown subcommand '" + sub + "'\n" + kCommand.usage);
}

const CommandRegistrar kRegistrar({"users", "manage the people who use the controller",
                                   [](const Args& args) {
                                     return runControllerCommand(kCommand, args, body);
                                   }});

}  // namespace
}  // namespace sluice::cli
