// Shared plumbing for the controller-backed commands; registers no command itself.
#include "cmd_controller_common.h"

#include <cstdio>

namespace sluice::cli {

int commandError(const std::string& name, const std::string& message) {
  std::fprintf(stderr, "sluicectl %s: %s\n", name.c_str(), message.c_str());
  return 1;
}

int rpcError(const std::string& name, const grpc::Status& status) {
  return commandError(name, controller::fromGrpcStatus(status).message());
}

void printJson(const google::protobuf::Message& message) {
  std::printf("%s\n", controller::toJson(message).c_str());
}

int runControllerCommand(const ControllerCommand& command, const Args& args,
                         const ControllerBody& body) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(command.usage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  return runControllerSubcommand(command, args[0], Args(args.begin() + 1, args.end()), body);
}

int runControllerSubcommand(const ControllerCommand& command, const std::string& sub,
                            const Args& args, const ControllerBody& body) {
  FlagParser flags(args);
  std::vector<std::string> values = controller::connectionFlags();
  values.insert(values.end(), command.value_flags.begin(), command.value_flags.end());
  std::vector<std::string> bools = command.bool_flags;
  bools.push_back("--json");
  std::string error;
  if (!flags.parse(values, bools, error)) {
    return commandError(command.name, error + "\n" + command.usage);
  }
  auto conn = controller::connectFromFlags([&](const std::string& f) { return flags.get(f); });
  if (!conn) return commandError(command.name, conn.error().message());
  return body(sub, flags, *conn);
}

}  // namespace sluice::cli
