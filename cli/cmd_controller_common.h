// File: cmd_controller_common.h
//
// What every controller-backed sluicectl command shares: the connection flags (--controller,
// --ca, --token, --totp, or SLUICE_* in the environment), the `COMMAND SUB [flags]` shape,
// `--help`, and one way of reporting errors. A command supplies its usage text, its own flags
// and a body that receives a parsed FlagParser and an open connection.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include "command.h"
#include "sluice/controller/client.h"

namespace sluice::cli {

using ControllerBody = std::function<int(const std::string& sub, const FlagParser& flags,
                                         const controller::Connection& conn)>;

struct ControllerCommand {
  std::string name;  // for messages: "sluicectl <name>: ..."
  const char* usage;
  std::vector<std::string> value_flags;  // besides the connection flags
  std::vector<std::string> bool_flags;   // --json is always accepted
};

// `args` start with the subcommand.
int runControllerCommand(const ControllerCommand& command, const Args& args,
                         const ControllerBody& body);
// `args` follow an already chosen subcommand.
int runControllerSubcommand(const ControllerCommand& command, const std::string& sub,
                            const Args& args, const ControllerBody& body);

// Prints "sluicectl <name>: <message>" to stderr and returns 1.
int commandError(const std::string& name, const std::string& message);
int rpcError(const std::string& name, const grpc::Status& status);
void printJson(const google::protobuf::Message& message);

}  // namespace sluice::cli
