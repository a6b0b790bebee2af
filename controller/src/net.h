// File: net.h
//
// Parsing host:port and opening a connected socket with I/O timeouts: shared by the agent's
// CA pinning and the alert exporters.
#pragma once

#include <string>

#include "sluice/common/result.h"

namespace sluice::controller {

struct HostPort {
  std::string host;
  std::string port;
};

// "host:port", "[v6]:port"; `default_port` when none is given.
Result<HostPort> splitHostPort(const std::string& text, const std::string& default_port);
// SOCK_STREAM or SOCK_DGRAM; send/receive time out after `timeout_seconds`.
Result<int> connectSocket(const HostPort& where, int type, int timeout_seconds = 5);

}  // namespace sluice::controller
