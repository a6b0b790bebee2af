// sluice-agent: the host daemon. All logic is in sluice_agent_core; this only parses flags.
#include <cstdio>
#include <string>
#include <vector>

#include "sluice/agent/agent.h"
#include "sluice/agent/bpf_loader.h"
#include "sluice/agent/config.h"
#include "sluice/agent/controller_link.h"
#include "sluice/common/logging.h"
#include "sluice/common/version.h"

int main(int argc, char** argv) {
  using namespace sluice;
  auto opts = agent::parseAgentArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!opts) {
    std::fprintf(stderr, "sluice-agent: %s\n", opts.error().message().c_str());
    return 2;
  }
  const auto& cfg = opts->config;
  logging::init(cfg.log_format, spdlog::level::from_str(cfg.log_level));
  auto log = logging::get("agent");
  switch (opts->action) {
    case agent::AgentAction::kHelp: std::printf("%s", agent::agentUsage().c_str()); return 0;
    case agent::AgentAction::kVersion:
      std::printf("sluice-agent %s\n", versionString().c_str());
      return 0;
    case agent::AgentAction::kUninstall:
      if (auto s = agent::ConnectEnforcer::uninstall(cfg.bpffs_dir); !s) {
        log->error("uninstall: {}", s.error().message());
        return 1;
      }
      log->info("detached and unpinned everything under {}", cfg.bpffs_dir);
      return 0;
    case agent::AgentAction::kEnrollOnly: {
      auto link = agent::ControllerLink::create(agent::linkOptions(cfg));
      if (!link) {
        log->error("{}", link.error().message());
        return 1;
      }
      std::printf("enrolled with %s as %s\n", (*link)->address().c_str(),
                  (*link)->agentId().c_str());
      return 0;
    }
    case agent::AgentAction::kRun: break;
  }
  auto a = agent::Agent::create(cfg);
  if (!a) {
    log->error("{}", a.error().message());
    return 1;
  }
  return (*a)->run();
}
