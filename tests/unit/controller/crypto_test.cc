// Crypto primitives, TOTP against the RFC 6238 vectors, and the CA's certificates.
#include <gtest/gtest.h>

#include "sluice/controller/ca.h"
#include "sluice/controller/crypto.h"
#include "sluice/controller/totp.h"

namespace sluice::controller {
namespace {

TEST(Crypto, HexBase64Base32RoundTrip) {
  std::string bytes = crypto::randomBytes(37);
  EXPECT_EQ(*crypto::fromHex(crypto::toHex(bytes)), bytes);
  for (size_t n : {0u, 1u, 2u, 3u, 4u, 31u}) {
    std::string b = bytes.substr(0, n);
    EXPECT_EQ(*crypto::base64Decode(crypto::base64Encode(b)), b) << n;
    EXPECT_EQ(*crypto::base32Decode(crypto::base32Encode(b)), b) << n;
  }
  EXPECT_EQ(crypto::base32Encode("foobar"), "MZXW6YTBOI");  // RFC 4648 vector, unpadded
  EXPECT_FALSE(crypto::fromHex("zz"));
}

TEST(Crypto, AeadDetectsTamperingAndWrongContext) {
  std::string key = crypto::randomBytes(32);
  auto sealed = crypto::aeadSeal(key, "SSN ***-**-6789", "evidence:a1");
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->find("6789"), std::string::npos);
  EXPECT_EQ(*crypto::aeadOpen(key, *sealed, "evidence:a1"), "SSN ***-**-6789");
  EXPECT_FALSE(crypto::aeadOpen(key, *sealed, "evidence:a2"));
  std::string flipped = *sealed;
  flipped[14] = static_cast<char>(flipped[14] ^ 1);
  auto opened = crypto::aeadOpen(key, flipped, "evidence:a1");
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code(), ErrorCode::kDataLoss);
  EXPECT_FALSE(crypto::aeadOpen(crypto::randomBytes(32), *sealed, "evidence:a1"));
}

TEST(Crypto, Ed25519SignVerifyAndPemRoundTrip) {
  auto key = crypto::Ed25519Key::generate();
  ASSERT_TRUE(key);
  auto sig = key->sign("bundle bytes");
  ASSERT_TRUE(sig);
  EXPECT_EQ(sig->size(), 64u);
  auto pub = crypto::Ed25519Key::fromPublicPem(*key->publicPem());
  ASSERT_TRUE(pub);
  EXPECT_TRUE(pub->verify("bundle bytes", *sig));
  EXPECT_FALSE(pub->verify("bundle bytez", *sig));
  auto reloaded = crypto::Ed25519Key::fromPrivatePem(*key->privatePem());
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->keyId(), key->keyId());
  auto other = crypto::Ed25519Key::generate();
  EXPECT_FALSE(other->verify("bundle bytes", *sig));
}

TEST(Totp, MatchesRfc6238Vectors) {
  const std::string secret = "12345678901234567890";  // RFC 6238 appendix B, SHA-1
  EXPECT_EQ(totpCode(secret, 59, 8), "94287082");
  EXPECT_EQ(totpCode(secret, 1111111109, 8), "07081804");
  EXPECT_EQ(totpCode(secret, 20000000000, 8), "65353130");
  EXPECT_EQ(totpCode(secret, 59), "287082");
}

TEST(Totp, AcceptsOneStepOfSkewOnly) {
  const std::string secret = crypto::randomBytes(20);
  const int64_t t = 1'800'000'000;
  EXPECT_TRUE(totpVerify(secret, totpCode(secret, t), t));
  EXPECT_TRUE(totpVerify(secret, totpCode(secret, t - 30), t));
  EXPECT_TRUE(totpVerify(secret, totpCode(secret, t + 30), t));
  EXPECT_FALSE(totpVerify(secret, totpCode(secret, t - 90), t));
  EXPECT_FALSE(totpVerify(secret, "", t));
  EXPECT_FALSE(totpVerify(secret, "12345", t));
}

TEST(CertificateAuthority, SignsClientCsrWithShortLifetime) {
  const int64_t now = 1'800'000'000;
  auto ca = CertificateAuthority::create("test CA", now, 3600 * 24 * 365);
  ASSERT_TRUE(ca);
  auto key = generateEcKeyPem();
  ASSERT_TRUE(key);
  auto csr = makeCsr(*key, "ignored-subject");
  ASSERT_TRUE(csr);
  auto cert = ca->signClientCsr(*csr, "agt-0001", now, 24 * 3600);
  ASSERT_TRUE(cert) << cert.error().toString();
  EXPECT_EQ(cert->not_after_unix, now + 24 * 3600);
  EXPECT_EQ(*certificateCommonName(cert->pem), "agt-0001");
  EXPECT_TRUE(verifyCertificate(cert->pem, ca->certPem(), now + 3600));
  EXPECT_FALSE(verifyCertificate(cert->pem, ca->certPem(), now + 25 * 3600));  // expired

  auto other = CertificateAuthority::create("other CA", now, 3600);
  EXPECT_FALSE(verifyCertificate(cert->pem, other->certPem(), now + 60));
  EXPECT_FALSE(ca->signClientCsr("not a csr", "agt-0002", now, 60));
}

TEST(CertificateAuthority, ReloadsFromPemAndRejectsMismatchedKey) {
  auto ca = CertificateAuthority::create("test CA", 1'800'000'000, 3600);
  auto reloaded = CertificateAuthority::load(ca->certPem(), *ca->keyPem());
  ASSERT_TRUE(reloaded);
  EXPECT_EQ(reloaded->fingerprintSha256(), ca->fingerprintSha256());
  EXPECT_EQ(ca->fingerprintSha256().size(), 64u);
  auto other = CertificateAuthority::create("other", 1'800'000'000, 3600);
  EXPECT_FALSE(CertificateAuthority::load(ca->certPem(), *other->keyPem()));
}

}  // namespace
}  // namespace sluice::controller
