// sluicectl agent status|events|reload: talks to the local agent's socket
// (<state-dir>/agent.sock, see agent/include/sluice/agent/local_api.h).
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command.h"
#include "sluice/agent/local_api.h"

namespace sluice::cli {
namespace {

constexpr const char* kUsage =
    "usage: sluicectl agent status [--state-dir DIR | --socket PATH]\n"
    "       sluicectl agent events [--follow] [--state-dir DIR | --socket PATH]\n"
    "       sluicectl agent reload [--state-dir DIR | --socket PATH]\n"
    "\n"
    "status exits 0 only while the agent runs and enforcement is active; 3 when the agent\n"
    "cannot be reached, 1 when it runs but is not enforcing.\n";

int runAgent(const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string sub = args[0];
  Args rest(args.begin() + 1, args.end());
  FlagParser flags(rest);
  std::string err;
  if (!flags.parse({"--state-dir", "--socket"}, {"--follow"}, err)) {
    std::fprintf(stderr, "sluicectl agent %s: %s\n%s", sub.c_str(), err.c_str(), kUsage);
    return 2;
  }
  std::string socket = flags.get("--socket");
  if (socket.empty()) socket = flags.get("--state-dir", "/var/lib/sluice") + "/agent.sock";

  nlohmann::json request;
  if (sub == "status") {
    request = {{"cmd", "status"}};
  } else if (sub == "events") {
    request = {{"cmd", "events"}, {"follow", flags.has("--follow")}};
  } else if (sub == "reload") {
    request = {{"cmd", "reload"}};
  } else {
    std::fprintf(stderr, "sluicectl agent: unknown subcommand '%s'\n%s", sub.c_str(), kUsage);
    return 2;
  }

  int exit_code = 0;
  Status s = agent::localApiRequest(socket, request, [&](const std::string& line) {
    if (sub == "events") {
      std::cout << line << '\n' << std::flush;
      return true;
    }
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      std::cerr << "sluicectl: the agent sent an unreadable reply: " << line << '\n';
      exit_code = 1;
      return false;
    }
    std::cout << j.dump(2) << '\n';
    if (sub == "status") exit_code = j.value("enforcing", false) ? 0 : 1;
    if (sub == "reload") exit_code = j.value("ok", false) ? 0 : 1;
    return false;
  });
  if (!s) {
    std::fprintf(stderr, "sluicectl agent %s: %s\n", sub.c_str(), s.error().message().c_str());
    return 3;
  }
  return exit_code;
}

const CommandRegistrar kRegistrar({"agent", "inspect the local agent: status, events, reload",
                                   runAgent});

}  // namespace
}  // namespace sluice::cli
