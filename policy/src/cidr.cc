// Cidr and PortRange: the address and port vocabulary of destinations. inet_pton does the
// address syntax; everything here is about prefixes in the v4-mapped space.
#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "sluice/policy/policy.h"

namespace sluice::policy {
namespace {

constexpr uint8_t kV4MappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
constexpr int kV4MappedBits = 96;

// True when the first `bits` bits of a and b are equal.
bool samePrefix(const uint8_t* a, const uint8_t* b, int bits) {
  int full = bits / 8;
  if (std::memcmp(a, b, static_cast<size_t>(full)) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[full] & mask) == (b[full] & mask);
}

bool hostBitsSet(const uint8_t* addr, int bits) {
  for (int i = bits; i < 128; ++i) {
    if (addr[i / 8] & (0x80 >> (i % 8))) return true;
  }
  return false;
}

void clearHostBits(uint8_t* addr, int bits) {
  for (int i = bits; i < 128; ++i) addr[i / 8] &= static_cast<uint8_t>(~(0x80 >> (i % 8)));
}

Result<Cidr> parseAddressPart(std::string_view addr_text, std::string_view whole) {
  Cidr c;
  c.text = std::string(whole);
  std::string addr(addr_text);
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, addr.c_str(), &v4) == 1) {
    std::memcpy(c.addr, kV4MappedPrefix, sizeof(kV4MappedPrefix));
    std::memcpy(c.addr + 12, &v4, 4);
    c.is_v4 = true;
    c.prefix_len = 128;
    return c;
  }
  if (inet_pton(AF_INET6, addr.c_str(), &v6) == 1) {
    std::memcpy(c.addr, &v6, 16);
    // A v4-mapped address written in IPv6 form is the same destination as its IPv4 form.
    c.is_v4 = std::memcmp(c.addr, kV4MappedPrefix, sizeof(kV4MappedPrefix)) == 0;
    c.prefix_len = 128;
    return c;
  }
  return invalidArgument("'" + std::string(whole) + "' is not an IPv4 or IPv6 address");
}

}  // namespace

Result<Cidr> Cidr::parseAddress(std::string_view text) {
  return parseAddressPart(text, text);
}

Result<Cidr> Cidr::parse(std::string_view text) {
  auto slash = text.find('/');
  SLUICE_ASSIGN_OR_RETURN(Cidr c, parseAddressPart(text.substr(0, slash), text));
  if (slash == std::string_view::npos) return c;  // a single address
  std::string_view len_text = text.substr(slash + 1);
  int len = -1;
  auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
  bool v4_written = c.is_v4 && text.find(':') == std::string_view::npos;
  int max_len = v4_written ? 32 : 128;
  if (ec != std::errc() || end != len_text.data() + len_text.size() || len < 0 || len > max_len) {
    return invalidArgument("'" + std::string(text) + "': prefix length must be 0.." +
                           std::to_string(max_len));
  }
  int mapped_len = v4_written ? len + kV4MappedBits : len;
  if (c.is_v4 && !v4_written && mapped_len < kV4MappedBits) c.is_v4 = false;
  if (hostBitsSet(c.addr, mapped_len)) {
    Cidr net = c;
    clearHostBits(net.addr, mapped_len);
    net.prefix_len = static_cast<uint8_t>(mapped_len);
    return invalidArgument("'" + std::string(text) + "' has host bits set; write " +
                           net.canonical() + " for the network or " +
                           std::string(text.substr(0, slash)) + (v4_written ? "/32" : "/128") +
                           " for the single address");
  }
  c.prefix_len = static_cast<uint8_t>(mapped_len);
  return c;
}

bool Cidr::contains(const Cidr& other) const {
  return other.prefix_len >= prefix_len && samePrefix(addr, other.addr, prefix_len);
}

bool Cidr::overlaps(const Cidr& other) const {
  return samePrefix(addr, other.addr, std::min(prefix_len, other.prefix_len));
}

std::string Cidr::canonical() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (is_v4) {
    inet_ntop(AF_INET, addr + 12, buf, sizeof(buf));
    return std::string(buf) + "/" + std::to_string(prefix_len - kV4MappedBits);
  }
  inet_ntop(AF_INET6, addr, buf, sizeof(buf));
  return std::string(buf) + "/" + std::to_string(prefix_len);
}

Result<PortRange> parsePortRange(std::string_view text) {
  auto parseOne = [&](std::string_view s, uint16_t& out) -> bool {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 1 || v > 65535) return false;
    out = static_cast<uint16_t>(v);
    return true;
  };
  PortRange r;
  auto dash = text.find('-');
  bool ok = dash == std::string_view::npos ? parseOne(text, r.first)
                                           : parseOne(text.substr(0, dash), r.first) &&
                                                 parseOne(text.substr(dash + 1), r.last);
  if (!ok) {
    return invalidArgument("bad port '" + std::string(text) +
                           "': expected 1..65535 or a range like 8000-8100");
  }
  if (dash == std::string_view::npos) r.last = r.first;
  if (r.first > r.last) {
    return invalidArgument("bad port range '" + std::string(text) +
                           "': " + std::to_string(r.first) + " is above " + std::to_string(r.last));
  }
  return r;
}

bool portsOverlap(const std::vector<PortRange>& a, const std::vector<PortRange>& b) {
  if (a.empty() || b.empty()) return true;  // empty = every port
  for (const auto& x : a) {
    for (const auto& y : b) {
      if (x.first <= y.last && y.first <= x.last) return true;
    }
  }
  return false;
}

bool protocolsOverlap(Protocol a, Protocol b) {
  return a == Protocol::kAny || b == Protocol::kAny || a == b;
}

}  // namespace sluice::policy
