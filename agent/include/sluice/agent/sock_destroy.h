// File: sock_destroy.h
//
// Ends a TCP connection from outside the process that owns it, with sock_diag's SOCK_DESTROY
// (needs CONFIG_INET_DIAG_DESTROY and CAP_NET_ADMIN). The owner's next read or write fails
// with ECONNABORTED; the process itself is not signalled. Sluice uses it after refusing a
// ClientHello: dropping the packet alone would leave the client waiting for its timeout.
#pragma once

#include <cstdint>

#include "sluice/abi.h"
#include "sluice/common/result.h"

namespace sluice::agent {

struct SocketTuple {
  uint8_t family = 0;      // AF_INET or AF_INET6 (of the packet)
  uint8_t saddr[16] = {};  // IPv4 as IPv4-mapped
  uint8_t daddr[16] = {};
  uint16_t sport = 0;  // host byte order
  uint16_t dport = 0;
  uint64_t cookie = 0;  // 0 = match the tuple alone
};

// The socket a kernel name/hold event was about.
SocketTuple socketTupleOf(const sluice_name_event& e);

// Destroys the TCP socket with this local/remote tuple.
Status destroyTcpSocket(const SocketTuple& tuple);

}  // namespace sluice::agent
