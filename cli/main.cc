// sluicectl: the one command-line tool for Sluice. Commands register themselves from
// cli/cmd_*.cc; this file only dispatches.
#include <cstdio>
#include <string>

#include "command.h"
#include "sluice/common/version.h"

int main(int argc, char** argv) {
  using sluice::cli::CommandRegistry;
  std::string first = argc > 1 ? argv[1] : "--help";
  if (first == "--version" || first == "version") {
    std::printf("sluicectl %s\n", sluice::versionString().c_str());
    return 0;
  }
  if (first == "--help" || first == "-h" || first == "help") {
    std::printf("usage: sluicectl COMMAND [ARGS...]\n\ncommands:\n");
    for (const auto& [name, cmd] : CommandRegistry::instance().all()) {
      std::printf("  %-14s %s\n", name.c_str(), cmd.summary.c_str());
    }
    std::printf("\nRun 'sluicectl COMMAND --help' for a command's flags.\n");
    return argc > 1 ? 0 : 2;
  }
  const auto* cmd = CommandRegistry::instance().find(first);
  if (cmd == nullptr) {
    std::fprintf(stderr, "sluicectl: unknown command '%s' (see sluicectl --help)\n", first.c_str());
    return 2;
  }
  sluice::cli::Args args(argv + 2, argv + argc);
  return cmd->run(args);
}
