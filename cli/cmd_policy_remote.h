// File: cmd_policy_remote.h
//
// The controller-backed `sluicectl policy` subcommands: push, history, show, rollback and
// status. `sluicectl policy` itself lives in cmd_policy.cc (validate/explain/diff work on
// local files); it hands these subcommands over to runPolicyRemote.
//
//   if (isPolicyRemoteSubcommand(args[0])) return runPolicyRemote(args[0], rest_of_args);
#pragma once

#include <string>

#include "command.h"

namespace sluice::cli {

bool isPolicyRemoteSubcommand(const std::string& subcommand);
// `args` are the arguments after the subcommand name. Returns the exit status.
int runPolicyRemote(const std::string& subcommand, const Args& args);
extern const char* const kPolicyRemoteUsage;

}  // namespace sluice::cli
