// File: command_line.h
//
// The sluice-controller command line, parsed into the options the library takes, so that
// main.cc stays a thin dispatcher.
#pragma once

#include <string>
#include <vector>

#include "sluice/common/result.h"
#include "sluice/controller/controller.h"
#include "sluice/controller/server.h"

namespace sluice::controller {

struct CommandLine {
  std::string command;  // init | serve | help | version
  InitOptions init;     // data_dir and db_url are shared with serve
  ServeOptions serve;
  ExportOptions exports;
  std::string log_format = "text";
};

Result<CommandLine> parseCommandLine(const std::vector<std::string>& args);
const char* commandLineUsage();

}  // namespace sluice::controller
