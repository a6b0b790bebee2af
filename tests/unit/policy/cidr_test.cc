#include <gtest/gtest.h>

#include "sluice/policy/policy.h"

namespace sluice::policy {
namespace {

Cidr mustParse(std::string_view text) {
  auto c = Cidr::parse(text);
  EXPECT_TRUE(c.ok()) << text << ": " << (c.ok() ? "" : c.error().message());
  return c.ok() ? *c : Cidr{};
}

TEST(CidrTest, V4IsHeldAsV4MappedWithPrefixPlus96) {
  Cidr c = mustParse("10.20.0.0/16");
  EXPECT_TRUE(c.is_v4);
  EXPECT_EQ(c.prefix_len, 16 + 96);
  EXPECT_EQ(c.familyPrefixLen(), 16);
  const uint8_t expected[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 20, 0, 0};
  for (int i = 0; i < 16; ++i) EXPECT_EQ(c.addr[i], expected[i]) << "byte " << i;
  EXPECT_EQ(c.text, "10.20.0.0/16");
  EXPECT_EQ(c.canonical(), "10.20.0.0/16");
}

TEST(CidrTest, BareAddressesAreFullLengthPrefixes) {
  EXPECT_EQ(mustParse("192.0.2.7").prefix_len, 128);
  EXPECT_EQ(mustParse("2001:db8::1").prefix_len, 128);
  EXPECT_FALSE(mustParse("2001:db8::1").is_v4);
}

TEST(CidrTest, V6Parses) {
  Cidr c = mustParse("2001:db8::/32");
  EXPECT_FALSE(c.is_v4);
  EXPECT_EQ(c.prefix_len, 32);
  EXPECT_EQ(c.addr[0], 0x20);
  EXPECT_EQ(c.addr[1], 0x01);
  EXPECT_EQ(c.addr[2], 0x0d);
  EXPECT_EQ(c.addr[3], 0xb8);
  EXPECT_EQ(c.canonical(), "2001:db8::/32");
}

TEST(CidrTest, V4MappedWrittenAsV6IsTheSameDestination) {
  Cidr mapped = mustParse("::ffff:10.0.0.0/104");
  Cidr v4 = mustParse("10.0.0.0/8");
  EXPECT_TRUE(mapped.is_v4);
  EXPECT_EQ(mapped.prefix_len, v4.prefix_len);
  EXPECT_TRUE(v4.contains(mustParse("::ffff:10.1.2.3")));
}

TEST(CidrTest, RejectsMalformed) {
  for (const char* bad : {"", "10.0.0.0/33", "10.0.0/8", "300.1.1.1", "10.0.0.0/-1", "10.0.0.0/",
                          "10.0.0.0/8x", "2001:db8::/129", "fe80::1%eth0", "example.com"}) {
    EXPECT_FALSE(Cidr::parse(bad).ok()) << bad;
  }
}

TEST(CidrTest, HostBitsSetIsAnErrorThatSuggestsBothReadings) {
  auto c = Cidr::parse("10.1.2.3/8");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message().find("10.0.0.0/8"), std::string::npos) << c.error().message();
  EXPECT_NE(c.error().message().find("10.1.2.3/32"), std::string::npos) << c.error().message();
  auto v6 = Cidr::parse("2001:db8::1/32");
  ASSERT_FALSE(v6.ok());
  EXPECT_NE(v6.error().message().find("2001:db8::/32"), std::string::npos);
}

TEST(CidrTest, ContainsV4) {
  Cidr net = mustParse("10.0.0.0/8");
  EXPECT_TRUE(net.contains(mustParse("10.1.0.0/16")));
  EXPECT_TRUE(net.contains(mustParse("10.255.255.255")));
  EXPECT_TRUE(net.contains(net));
  EXPECT_FALSE(net.contains(mustParse("11.0.0.0/16")));
  EXPECT_FALSE(mustParse("10.1.0.0/16").contains(net));
  EXPECT_TRUE(mustParse("0.0.0.0/0").contains(mustParse("203.0.113.9")));
  // 0.0.0.0/0 is every IPv4 address, not every address.
  EXPECT_FALSE(mustParse("0.0.0.0/0").contains(mustParse("2001:db8::1")));
  EXPECT_TRUE(mustParse("172.16.0.0/12").contains(mustParse("172.31.255.1")));
  EXPECT_FALSE(mustParse("172.16.0.0/12").contains(mustParse("172.32.0.1")));
}

TEST(CidrTest, ContainsV6) {
  Cidr net = mustParse("2001:db8::/32");
  EXPECT_TRUE(net.contains(mustParse("2001:db8:1::/48")));
  EXPECT_TRUE(net.contains(mustParse("2001:db8:ffff::1")));
  EXPECT_FALSE(net.contains(mustParse("2001:db9::1")));
  EXPECT_TRUE(mustParse("::/0").contains(mustParse("::ffff:10.0.0.1")));
  EXPECT_TRUE(mustParse("::/0").contains(mustParse("10.0.0.1")));
  EXPECT_FALSE(mustParse("2001:db8::/33").contains(mustParse("2001:db8:8000::/33")));
}

TEST(CidrTest, Overlaps) {
  EXPECT_TRUE(mustParse("10.0.0.0/8").overlaps(mustParse("10.20.0.0/16")));
  EXPECT_TRUE(mustParse("10.20.0.0/16").overlaps(mustParse("10.0.0.0/8")));
  EXPECT_FALSE(mustParse("10.0.0.0/16").overlaps(mustParse("10.1.0.0/16")));
  EXPECT_FALSE(mustParse("10.0.0.0/8").overlaps(mustParse("2001:db8::/32")));
  EXPECT_TRUE(mustParse("2001:db8::/32").overlaps(mustParse("2001:db8:5::/48")));
  EXPECT_FALSE(mustParse("2001:db8::/48").overlaps(mustParse("2001:db8:1::/48")));
}

TEST(PortRangeTest, ParsesSingleAndRanges) {
  auto p = parsePortRange("443");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->first, 443);
  EXPECT_EQ(p->last, 443);
  auto r = parsePortRange("8000-8100");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->first, 8000);
  EXPECT_EQ(r->last, 8100);
  for (const char* bad : {"0", "65536", "100-50", "http", "1-", "-5", "80 ", ""}) {
    EXPECT_FALSE(parsePortRange(bad).ok()) << bad;
  }
}

TEST(PortRangeTest, Overlap) {
  std::vector<PortRange> https = {{443, 443}};
  std::vector<PortRange> high = {{8000, 8100}};
  EXPECT_FALSE(portsOverlap(https, high));
  EXPECT_TRUE(portsOverlap(https, {}));  // empty = every port
  EXPECT_TRUE(portsOverlap(high, {{8100, 9000}}));
  EXPECT_FALSE(portsOverlap(high, {{8101, 9000}}));
  EXPECT_TRUE(protocolsOverlap(Protocol::kAny, Protocol::kUdp));
  EXPECT_FALSE(protocolsOverlap(Protocol::kTcp, Protocol::kUdp));
}

}  // namespace
}  // namespace sluice::policy
