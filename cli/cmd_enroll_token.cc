// sluicectl enroll-token: one-time tokens that let a new host's agent enrol with the controller.
#include <cstdio>

#include "cmd_controller_common.h"
#include "sluice/controller/labels.h"
#include "sluice/v1/controller.grpc.pb.h"

namespace sluice::cli {
namespace {

namespace v1 = sluice::v1;

const ControllerCommand kCommand{
    "enroll-token",
    "usage: sluicectl enroll-token create [--ttl 1h] [--labels k=v,...] [--json]\n"
    "       sluicectl enroll-token list [--json]\n"
    "connection: --controller HOST:PORT --ca FILE --token T --totp CODE\n"
    "            (or SLUICE_CONTROLLER, SLUICE_CA, SLUICE_TOKEN, SLUICE_TOTP)\n",
    {"--ttl", "--labels"},
    {}};

int create(v1::EnrollTokenService::Stub& stub, const FlagParser& flags,
           const controller::Connection& conn) {
  v1::CreateEnrollTokenRequest req;
  auto ttl = controller::parseDuration(flags.get("--ttl", "1h"));
  if (!ttl) return commandError(kCommand.name, "--ttl: " + ttl.error().message());
  req.set_ttl_seconds(*ttl);
  auto labels = controller::parseSelector(flags.get("--labels"));
  if (!labels) return commandError(kCommand.name, labels.error().message());
  req.mutable_labels()->insert(labels->begin(), labels->end());
  v1::CreateEnrollTokenResponse resp;
  auto status = stub.CreateEnrollToken(conn.context().get(), req, &resp);
  if (!status.ok()) return rpcError(kCommand.name, status);
  if (flags.has("--json")) {
    printJson(resp);
  } else {
    std::printf("%s\n", resp.secret().c_str());
    std::fprintf(stderr, "token %s expires in %s; it works once\n", resp.token().id().c_str(),
                 flags.get("--ttl", "1h").c_str());
  }
  return 0;
}

int body(const std::string& sub, const FlagParser& flags, const controller::Connection& conn) {
  auto stub = v1::EnrollTokenService::NewStub(conn.channel);
  if (sub == "create") return create(*stub, flags, conn);
  if (sub == "list") {
    v1::ListEnrollTokensResponse resp;
    auto status = stub->ListEnrollTokens(conn.context().get(), {}, &resp);
    if (!status.ok()) return rpcError(kCommand.name, status);
    if (flags.has("--json")) {
      printJson(resp);
      return 0;
    }
    std::printf("%-22s %-20s %-8s %s\n", "ID", "EXPIRES (unix)", "USED", "USED BY");
    for (const auto& t : resp.tokens()) {
      std::printf("%-22s %-20lld %-8s %s\n", t.id().c_str(),
                  static_cast<long long>(t.expires_at_unix()), t.used_at_unix() ? "yes" : "no",
                  t.used_by_agent().c_str());
    }
    return 0;
  }
  return commandError(kCommand.name, "unknown subcommand '" + sub + "'\n" + kCommand.usage);
}

const CommandRegistrar kRegistrar(
    {"enroll-token", "create and list one-time agent enrolment tokens",
     [](const Args& args) { return runControllerCommand(kCommand, args, body); }});

}  // namespace
}  // namespace sluice::cli
