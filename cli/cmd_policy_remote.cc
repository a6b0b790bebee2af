// sluicectl policy push|history|show|rollback|status: policies on the controller. Dispatched
// from cmd_policy.cc; registers no command of its own.
#include "cmd_policy_remote.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cmd_controller_common.h"
#include "sluice/v1/controller.grpc.pb.h"

namespace sluice::cli {
namespace {

namespace v1 = sluice::v1;

int fail(const std::string& sub, const std::string& message) {
  return commandError("policy " + sub, message);
}

bool parseVersion(const FlagParser& flags, uint64_t& version) {
  if (flags.positional().size() != 1) return false;
  try {
    size_t used = 0;
    version = std::stoull(flags.positional()[0], &used);
    return used == flags.positional()[0].size() && version > 0;
  } catch (const std::exception&) {
    return false;
  }
}

int push(v1::PolicyService::Stub& stub, const controller::Connection& conn,
         const FlagParser& flags) {
  if (flags.positional().size() != 1) return fail("push", "needs one policy FILE");
  const std::string& path = flags.positional()[0];
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("push", "cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  v1::PushPolicyRequest req;
  req.set_yaml(text.str());
  req.set_file_name(path);
  req.set_selector(flags.get("--labels"));
  req.set_audit_first(flags.has("--audit-first"));
  v1::PushPolicyResponse resp;
  auto status = stub.PushPolicy(conn.context().get(), req, &resp);
  if (!status.ok()) return rpcError("policy push", status);
  const auto& p = resp.policy();
  std::printf("pushed %s as version %llu (sha256 %s) to %u matching agent(s)%s\n", p.name().c_str(),
              static_cast<unsigned long long>(p.version()), p.sha256().substr(0, 12).c_str(),
              resp.matching_agents(), p.audit_first() ? ", audit mode first" : "");
  return 0;
}

void printVersion(const v1::PolicyVersion& p) {
  std::printf("%-8llu %-24s %-14s %-20s %-12lld %s%s\n",
              static_cast<unsigned long long>(p.version()), p.name().c_str(),
              p.sha256().substr(0, 12).c_str(), p.pushed_by().c_str(),
              static_cast<long long>(p.pushed_at_unix()),
              p.selector().empty() ? "(all agents)" : p.selector().c_str(),
              p.rollback_of() ? (" rollback of v" + std::to_string(p.rollback_of())).c_str() : "");
}

}  // namespace

const char* const kPolicyRemoteUsage =
    "       sluicectl policy push FILE [--labels k=v,...] [--audit-first]\n"
    "       sluicectl policy history [--json]\n"
    "       sluicectl policy show [VERSION] [--json]\n"
    "       sluicectl policy rollback VERSION\n"
    "       sluicectl policy status [--json]\n"
    "connection: --controller HOST:PORT --ca FILE --token T --totp CODE\n";

bool isPolicyRemoteSubcommand(const std::string& sub) {
  return sub == "push" || sub == "history" || sub == "show" || sub == "rollback" || sub == "status";
}

namespace {

int body(const std::string& sub, const FlagParser& flags, const controller::Connection& conn) {
  auto stub = v1::PolicyService::NewStub(conn.channel);
  bool json = flags.has("--json");
  if (sub == "push") return push(*stub, conn, flags);
  if (sub == "history") {
    v1::ListPolicyHistoryResponse resp;
    auto status = stub->ListPolicyHistory(conn.context().get(), {}, &resp);
    if (!status.ok()) return rpcError("policy " + sub, status);
    if (json) {
      printJson(resp);
      return 0;
    }
    std::printf("%-8s %-24s %-14s %-20s %-12s %s\n", "VERSION", "NAME", "SHA256", "PUSHED BY",
                "AT (unix)", "SELECTOR");
    for (const auto& p : resp.versions()) printVersion(p);
    return 0;
  }
  if (sub == "show") {
    v1::GetPolicyRequest req;
    uint64_t version = 0;
    if (!flags.positional().empty() && !parseVersion(flags, version)) {
      return fail(sub, "VERSION must be a positive number");
    }
    req.set_version(version);
    v1::GetPolicyResponse resp;
    auto status = stub->GetPolicy(conn.context().get(), req, &resp);
    if (!status.ok()) return rpcError("policy " + sub, status);
    if (json) {
      printJson(resp.policy());
    } else {
      std::printf("# version %llu, %s, pushed by %s\n",
                  static_cast<unsigned long long>(resp.policy().version()),
                  resp.policy().name().c_str(), resp.policy().pushed_by().c_str());
      std::fputs(resp.policy().yaml().c_str(), stdout);
    }
    return 0;
  }
  if (sub == "rollback") {
    v1::RollbackPolicyRequest req;
    uint64_t version = 0;
    if (!parseVersion(flags, version)) return fail(sub, "needs the VERSION to roll back to");
    req.set_version(version);
    v1::RollbackPolicyResponse resp;
    auto status = stub->RollbackPolicy(conn.context().get(), req, &resp);
    if (!status.ok()) return rpcError("policy " + sub, status);
    std::printf("re-issued version %llu as version %llu\n",
                static_cast<unsigned long long>(version),
                static_cast<unsigned long long>(resp.policy().version()));
    return 0;
  }
  if (sub == "status") {
    v1::GetPolicyStatusResponse resp;
    auto status = stub->GetPolicyStatus(conn.context().get(), {}, &resp);
    if (!status.ok()) return rpcError("policy " + sub, status);
    if (json) {
      printJson(resp);
      return 0;
    }
    std::printf("latest version: %llu\n", static_cast<unsigned long long>(resp.latest_version()));
    std::printf("%-22s %-20s %-8s %-8s %s\n", "AGENT", "HOST", "RUNNING", "TARGET", "STATE");
    for (const auto& a : resp.agents()) {
      bool current = a.running_version() == a.target_version();
      std::printf("%-22s %-20s v%-7llu v%-7llu %s%s\n", a.agent_id().c_str(), a.hostname().c_str(),
                  static_cast<unsigned long long>(a.running_version()),
                  static_cast<unsigned long long>(a.target_version()),
                  a.online() ? "online" : "offline", current ? "" : ", behind");
    }
    return 0;
  }
  return fail(sub, "not a controller policy subcommand");
}

}  // namespace

int runPolicyRemote(const std::string& sub, const Args& args) {
  ControllerCommand command{"policy " + sub, kPolicyRemoteUsage, {"--labels"}, {"--audit-first"}};
  return runControllerSubcommand(command, sub, args, body);
}

}  // namespace sluice::cli
