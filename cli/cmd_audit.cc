// sluicectl audit: check the controller's hash-chained audit log, and read it.
#include <cstdio>

#include "cmd_controller_common.h"
#include "sluice/v1/controller.grpc.pb.h"

namespace sluice::cli {
namespace {

namespace v1 = sluice::v1;

const ControllerCommand kCommand{
    "audit",
    "usage: sluicectl audit verify [--json]      exit 0 intact, 1 tampered or unreachable\n"
    "       sluicectl audit list [--after SEQ] [--limit N] [--json]\n"
    "connection: --controller HOST:PORT --ca FILE --token T --totp CODE\n",
    {"--after", "--limit"},
    {}};

int verify(v1::AuditService::Stub& stub, const FlagParser& flags,
           const controller::Connection& conn) {
  v1::VerifyAuditResponse resp;
  auto status = stub.VerifyAudit(conn.context(120).get(), {}, &resp);
  if (!status.ok()) return rpcError(kCommand.name, status);
  if (flags.has("--json")) {
    printJson(resp);
  } else if (resp.ok()) {
    std::printf("audit log intact: %llu entries, %llu signed checkpoints\n",
                static_cast<unsigned long long>(resp.entries_checked()),
                static_cast<unsigned long long>(resp.checkpoints_checked()));
  } else {
    std::printf("audit log TAMPERED: first bad entry %llu: %s\n",
                static_cast<unsigned long long>(resp.first_bad_seq()), resp.problem().c_str());
  }
  return resp.ok() ? 0 : 1;
}

int body(const std::string& sub, const FlagParser& flags, const controller::Connection& conn) {
  auto stub = v1::AuditService::NewStub(conn.channel);
  if (sub == "verify") return verify(*stub, flags, conn);
  if (sub == "list") {
    v1::ListAuditRequest req;
    try {
      req.set_after_seq(std::stoull(flags.get("--after", "0")));
      req.set_limit(static_cast<uint32_t>(std::stoul(flags.get("--limit", "100"))));
    } catch (const std::exception&) {
      return commandError(kCommand.name, "--after and --limit take numbers");
    }
    v1::ListAuditResponse resp;
    auto status = stub->ListAudit(conn.context().get(), req, &resp);
    if (!status.ok()) return rpcError(kCommand.name, status);
    if (flags.has("--json")) {
      printJson(resp);
      return 0;
    }
    for (const auto& e : resp.entries()) {
      std::printf("%6llu %lld %-24s %-22s %-28s %s\n", static_cast<unsigned long long>(e.seq()),
                  static_cast<long long>(e.time_unix_ms()), e.actor().c_str(), e.action().c_str(),
                  e.target().c_str(), e.details().c_str());
    }
    return 0;
  }
  return commandError(kCommand.name, "unknown subcommand '" + sub + "'\n" + kCommand.usage);
}

const CommandRegistrar kRegistrar({"audit", "verify and read the controller's audit log",
                                   [](const Args& args) {
                                     return runControllerCommand(kCommand, args, body);
                                   }});

}  // namespace
}  // namespace sluice::cli
