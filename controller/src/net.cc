#include "net.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace sluice::controller {

Result<HostPort> splitHostPort(const std::string& text, const std::string& default_port) {
  HostPort hp;
  auto colon = text.rfind(':');
  auto bracket = text.find(']');  // [v6]:port
  if (colon == std::string::npos || (bracket != std::string::npos && bracket > colon)) {
    hp.host = text;
    hp.port = default_port;
  } else {
    hp.host = text.substr(0, colon);
    hp.port = text.substr(colon + 1);
  }
  if (!hp.host.empty() && hp.host.front() == '[') hp.host = hp.host.substr(1, hp.host.size() - 2);
  if (hp.host.empty() || hp.port.empty()) return invalidArgument("'" + text + "' is not host:port");
  return hp;
}

Result<int> connectSocket(const HostPort& where, int type, int timeout_seconds) {
  addrinfo hints{};
  hints.ai_socktype = type;
  addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(where.host.c_str(), where.port.c_str(), &hints, &res); rc != 0) {
    return unavailable("cannot resolve " + where.host + ": " + gai_strerror(rc));
  }
  int fd = -1;
  int err = 0;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    timeval tv{timeout_seconds, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
    err = errno;
    ::close(fd);
    fd = -1;
  }
  ::freeaddrinfo(res);
  if (fd < 0) return errnoError(err, "cannot connect to " + where.host + ":" + where.port);
  return fd;
}

}  // namespace sluice::controller
