// The ClientHello parser that egress.bpf.c runs, on synthetic hellos, on a real one from
// `openssl s_client`, and on thousands of mutations through the fuzz entry point.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sni_shim.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using Bytes = std::vector<uint8_t>;

void put16(Bytes& b, size_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}

Bytes extension(uint16_t type, const Bytes& body) {
  Bytes e;
  put16(e, type);
  put16(e, body.size());
  e.insert(e.end(), body.begin(), body.end());
  return e;
}

Bytes sniExtension(const std::string& host) {
  Bytes body;
  put16(body, host.size() + 3);
  body.push_back(0);  // host_name
  put16(body, host.size());
  body.insert(body.end(), host.begin(), host.end());
  return extension(0, body);
}

// A TLS 1.2-framed ClientHello record with the given extensions, in order.
Bytes clientHello(const std::vector<Bytes>& extensions) {
  Bytes hello = {0x03, 0x03};
  hello.insert(hello.end(), 32, 0xab);  // random
  hello.push_back(32);                  // session id
  hello.insert(hello.end(), 32, 0xcd);
  put16(hello, 4);  // two cipher suites
  hello.insert(hello.end(), {0x13, 0x01, 0x13, 0x02});
  hello.insert(hello.end(), {1, 0});  // compression: null
  Bytes exts;
  for (const auto& e : extensions) exts.insert(exts.end(), e.begin(), e.end());
  put16(hello, exts.size());
  hello.insert(hello.end(), exts.begin(), exts.end());
  Bytes hs = {0x01, 0, static_cast<uint8_t>(hello.size() >> 8), static_cast<uint8_t>(hello.size())};
  hs.insert(hs.end(), hello.begin(), hello.end());
  Bytes rec = {0x16, 0x03, 0x01};
  put16(rec, hs.size());
  rec.insert(rec.end(), hs.begin(), hs.end());
  return rec;
}

struct Parsed {
  int n;
  std::string name;
  int ech;
};

Parsed parse(const Bytes& b) {
  char name[128];
  int ech = 0;
  int n = sluice_sni_parse(b.data(), static_cast<unsigned>(b.size()), name, &ech);
  return {n, std::string(name), ech};
}

TEST(SniParse, FindsTheNameAmongOtherExtensionsAndLowercasesIt) {
  Bytes groups = extension(10, {0, 2, 0, 29});
  auto p = parse(clientHello({groups, extension(0x17, {}), sniExtension("API.OpenAI.com")}));
  EXPECT_EQ(p.n, 14);
  EXPECT_EQ(p.name, "api.openai.com");
  EXPECT_EQ(p.ech, 0);
}

TEST(SniParse, ReportsEchAndMissingSni) {
  auto with_ech = parse(clientHello({sniExtension("public.example"), extension(0xfe0d, {1, 2})}));
  EXPECT_EQ(with_ech.name, "public.example");
  EXPECT_EQ(with_ech.ech, 1);
  auto no_sni = parse(clientHello({extension(10, {0, 2, 0, 29})}));
  EXPECT_EQ(no_sni.n, 0);
}

TEST(SniParse, RejectsWhatIsNotAClientHello) {
  EXPECT_EQ(parse({'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P'}).n, -1);
  Bytes server_hello = clientHello({sniExtension("x.example")});
  server_hello[5] = 0x02;
  EXPECT_EQ(parse(server_hello).n, -1);
  EXPECT_EQ(parse({0x16, 0x03}).n, -1);
}

TEST(SniParse, NameLengthLimits) {
  std::string longest(127, 'a');
  EXPECT_EQ(parse(clientHello({sniExtension(longest)})).n, 127);
  EXPECT_EQ(parse(clientHello({sniExtension(std::string(128, 'a'))})).n, 0)
      << "longer than any name the policy can hold: no name";
}

TEST(SniParse, TruncatedHellosNeverReadPastTheEnd) {
  Bytes full = clientHello({extension(10, {0, 2, 0, 29}), sniExtension("api.mistral.ai")});
  for (size_t len = 0; len < full.size(); ++len) {
    Bytes cut(full.begin(), full.begin() + static_cast<long>(len));
    auto p = parse(cut);
    EXPECT_LE(p.n, 127);
    if (p.n > 0) {
      EXPECT_EQ(p.name, "api.mistral.ai");
    }
  }
}

TEST(SniParse, RealClientHelloFromOpenssl) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(l, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  ASSERT_EQ(listen(l, 1), 0);
  socklen_t alen = sizeof(a);
  getsockname(l, reinterpret_cast<sockaddr*>(&a), &alen);
  std::string cmd =
      "timeout 5 openssl s_client -connect 127.0.0.1:" + std::to_string(ntohs(a.sin_port)) +
      " -servername Bedrock-Runtime.us-east-1.amazonaws.com </dev/null >/dev/null 2>&1 &";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  int c = accept(l, nullptr, nullptr);
  ASSERT_GE(c, 0);
  Bytes buf(16384);
  size_t got = 0;
  // Read the whole first record.
  while (got < 5 || got < 5 + ((static_cast<size_t>(buf[3]) << 8) | buf[4])) {
    ssize_t n = recv(c, buf.data() + got, buf.size() - got, 0);
    ASSERT_GT(n, 0);
    got += static_cast<size_t>(n);
  }
  buf.resize(got);
  close(c);
  close(l);
  auto p = parse(buf);
  EXPECT_EQ(p.name, "bedrock-runtime.us-east-1.amazonaws.com");
}

TEST(SniParse, FuzzEntryHoldsOnMutations) {
  std::vector<Bytes> seeds = {
      clientHello({sniExtension("api.openai.com")}),
      clientHello({extension(10, {0, 2, 0, 29}), sniExtension("x.y"), extension(0xfe0d, {})}),
      clientHello({})};
  std::mt19937 rng(7);
  for (const auto& seed : seeds) {
    for (int m = 0; m < 3000; ++m) {
      Bytes s = seed;
      int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits; ++e) {
        switch (rng() % 3) {
          case 0: s[rng() % s.size()] = static_cast<uint8_t>(rng()); break;
          case 1: s.resize(1 + rng() % s.size()); break;
          default:
            s.insert(s.begin() + static_cast<long>(rng() % s.size()), static_cast<uint8_t>(rng()));
            break;
        }
      }
      LLVMFuzzerTestOneInput(s.data(), s.size());
    }
  }
}

}  // namespace
