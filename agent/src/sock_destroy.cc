#include "sluice/agent/sock_destroy.h"

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sluice::agent {

Status destroyTcpSocket(const SocketTuple& t) {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return errnoError(errno, "opening a sock_diag socket");

  struct {
    nlmsghdr nlh;
    inet_diag_req_v2 req;
  } msg{};
  msg.nlh.nlmsg_len = sizeof(msg);
  msg.nlh.nlmsg_type = SOCK_DESTROY;
  msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  msg.req.sdiag_family = t.family;
  msg.req.sdiag_protocol = IPPROTO_TCP;
  msg.req.idiag_states = ~0U;
  msg.req.id.idiag_sport = htons(t.sport);
  msg.req.id.idiag_dport = htons(t.dport);
  if (t.family == AF_INET) {
    std::memcpy(msg.req.id.idiag_src, t.saddr + 12, 4);
    std::memcpy(msg.req.id.idiag_dst, t.daddr + 12, 4);
  } else {
    std::memcpy(msg.req.id.idiag_src, t.saddr, 16);
    std::memcpy(msg.req.id.idiag_dst, t.daddr, 16);
  }
  if (t.cookie != 0) {
    msg.req.id.idiag_cookie[0] = static_cast<uint32_t>(t.cookie);
    msg.req.id.idiag_cookie[1] = static_cast<uint32_t>(t.cookie >> 32);
  } else {
    msg.req.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
    msg.req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
  }
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd, &msg, sizeof(msg), 0, reinterpret_cast<sockaddr*>(&kernel), sizeof(kernel)) < 0) {
    int err = errno;
    close(fd);
    return errnoError(err, "sending SOCK_DESTROY");
  }
  alignas(nlmsghdr) char buf[512];
  ssize_t n = recv(fd, buf, sizeof(buf), 0);
  int err = errno;
  close(fd);
  if (n < 0) return errnoError(err, "reading the SOCK_DESTROY answer");
  auto* reply = reinterpret_cast<nlmsghdr*>(buf);
  if (reply->nlmsg_type == NLMSG_ERROR) {
    auto* e = reinterpret_cast<nlmsgerr*>(buf + NLMSG_HDRLEN);
    if (e->error != 0) {
      return errnoError(-e->error, e->error == -EOPNOTSUPP
                                       ? "SOCK_DESTROY (kernel lacks CONFIG_INET_DIAG_DESTROY)"
                                       : "SOCK_DESTROY");
    }
  }
  return okStatus();
}

SocketTuple socketTupleOf(const sluice_name_event& e) {
  SocketTuple t;
  t.family = e.family;
  std::memcpy(t.saddr, e.saddr, 16);
  std::memcpy(t.daddr, e.daddr, 16);
  t.sport = e.sport;
  t.dport = e.dport;
  t.cookie = e.sock_cookie;
  return t;
}

}  // namespace sluice::agent
