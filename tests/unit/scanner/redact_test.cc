#include "sluice/scanner/redact.h"

#include <gtest/gtest.h>

#include "sluice/scanner/scanner.h"

namespace sluice::scanner {
namespace {

TEST(Redact, MaskKeepsAtMostFourCharacters) {
  EXPECT_EQ(maskValue(PhiType::kSsn, "123-45-6789"), "***-**-6789");
  EXPECT_EQ(maskValue(PhiType::kAccount, "4111 1111 1111 1111"), "**** **** **** 1111");
  EXPECT_EQ(maskValue(PhiType::kMrn, "12345"), "*****");  // short values are masked whole
  EXPECT_EQ(maskValue(PhiType::kEmail, "jane.doe@example.org"), "j***@example.org");
  EXPECT_EQ(maskValue(PhiType::kName, "John Smith"), "J*** S***");
  std::string date = maskValue(PhiType::kDate, "03/14/1962");
  EXPECT_EQ(date.find("1962"), std::string::npos);
}

TEST(Redact, KeyedHashCorrelatesNormalisedValuesAndDependsOnKey) {
  auto a = keyedHash("k1", PhiType::kSsn, "123-45-6789");
  auto b = keyedHash("k1", PhiType::kSsn, "123456789");
  auto c = keyedHash("k2", PhiType::kSsn, "123456789");
  auto d = keyedHash("k1", PhiType::kMrn, "123456789");
  ASSERT_TRUE(a && b && c && d);
  EXPECT_EQ(a->size(), 64u);
  EXPECT_EQ(*a, *b);
  EXPECT_NE(*a, *c);
  EXPECT_NE(*b, *d);
  // RFC 4231 test case 2 checks the HMAC itself: key "Jefe" over "what do ya want for nothing?"
  // is not reachable through the typed API, so check stability of a known value instead.
  auto e = keyedHash("key", PhiType::kEmail, "A@B.org");
  auto f = keyedHash("key", PhiType::kEmail, "a@b.org");
  ASSERT_TRUE(e && f);
  EXPECT_EQ(*e, *f);
}

TEST(Redact, MaskPhiMasksEveryValueAndKeepsTheRest) {
  auto scanner = Scanner::create();
  ASSERT_TRUE(scanner.ok()) << scanner.error().message();
  std::string cmd =
      "node ask.mjs https://api.openai.com/v1 Patient Maria Lopez, SSN 536-22-1847, call "
      "(617) 555-0142: draft a discharge letter.";
  std::string masked = maskPhi(**scanner, cmd);
  EXPECT_EQ(masked.find("536-22-1847"), std::string::npos) << masked;
  EXPECT_EQ(masked.find("555-0142"), std::string::npos) << masked;
  EXPECT_EQ(masked.find("Lopez"), std::string::npos) << masked;
  EXPECT_NE(masked.find("***-**-1847"), std::string::npos) << masked;
  EXPECT_NE(masked.find("draft a discharge letter."), std::string::npos) << masked;
  EXPECT_EQ(masked.rfind("node ask.mjs ", 0), 0u) << masked;
  std::string clean = "python3 train.py --epochs 3 --model gpt-4o-2024-08-06";
  EXPECT_EQ(maskPhi(**scanner, clean), clean);
  EXPECT_EQ(maskPhi(**scanner, ""), "");
}

}  // namespace
}  // namespace sluice::scanner
