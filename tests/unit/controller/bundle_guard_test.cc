// The agent's acceptance rules for policy bundles: signature, no rollback, no expired bundle,
// persistence across restarts, and a tampered file on disk refused.
#include <gtest/gtest.h>

#include "controller_test_support.h"
#include "sluice/controller/agent_client.h"
#include "sluice/controller/bundle.h"
#include "sluice/controller/files.h"

namespace sluice::controller {
namespace {

using testing::TempDir;

constexpr int64_t kNow = 1'800'000'000;

sluice::v1::PolicyBundle makeBundle(const crypto::Ed25519Key& key, uint64_t version,
                                    const std::string& yaml, int64_t expires = kNow + 3600) {
  sluice::v1::PolicyBundleBody body;
  body.set_version(version);
  body.set_issued_at_unix(kNow);
  body.set_expires_at_unix(expires);
  body.set_policy_yaml(yaml);
  body.set_policy_sha256(crypto::sha256Hex(yaml));
  sluice::v1::PolicyBundle bundle;
  body.SerializeToString(bundle.mutable_body());
  bundle.set_signature(*key.sign(bundleSigningMessage(bundle.body())));
  bundle.set_key_id(key.keyId());
  return bundle;
}

class BundleGuardTest : public ::testing::Test {
 protected:
  TempDir dir_;
  crypto::Ed25519Key key_ = *crypto::Ed25519Key::generate();
  std::string pub_ = *key_.publicPem();
};

TEST_F(BundleGuardTest, AcceptsNewerRefusesOlderAndPersists) {
  auto guard = BundleGuard::open(dir_.path(), pub_);
  ASSERT_TRUE(guard);
  EXPECT_EQ(guard->currentVersion(), 0u);
  ASSERT_TRUE(guard->accept(makeBundle(key_, 2, "v2"), kNow));
  ASSERT_TRUE(guard->accept(makeBundle(key_, 2, "v2"), kNow));  // re-signed re-delivery
  auto older = guard->accept(makeBundle(key_, 1, "v1"), kNow);
  ASSERT_FALSE(older);
  EXPECT_EQ(older.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(older.error().message().find("rollback refused"), std::string::npos);
  EXPECT_EQ(guard->currentVersion(), 2u);

  auto restarted = BundleGuard::open(dir_.path(), pub_);
  ASSERT_TRUE(restarted);
  EXPECT_EQ(restarted->currentVersion(), 2u);
  EXPECT_EQ(restarted->current()->policy_yaml(), "v2");
  EXPECT_FALSE(restarted->accept(makeBundle(key_, 1, "v1"), kNow));
  EXPECT_TRUE(restarted->accept(makeBundle(key_, 3, "v3"), kNow));
}

TEST_F(BundleGuardTest, RefusesWrongKeyTamperingExpiryAndEquivocation) {
  auto guard = BundleGuard::open(dir_.path(), pub_);
  auto other = crypto::Ed25519Key::generate();
  auto forged = guard->accept(makeBundle(*other, 5, "evil"), kNow);
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code(), ErrorCode::kDataLoss);

  auto bundle = makeBundle(key_, 5, "v5");
  bundle.mutable_body()->back() ^= 1;
  EXPECT_FALSE(guard->accept(bundle, kNow));
  EXPECT_FALSE(guard->accept(makeBundle(key_, 5, "v5", kNow - 1), kNow));  // expired
  ASSERT_TRUE(guard->accept(makeBundle(key_, 5, "v5"), kNow));
  EXPECT_FALSE(guard->accept(makeBundle(key_, 5, "different v5"), kNow));
  EXPECT_EQ(guard->current()->policy_yaml(), "v5");
}

TEST_F(BundleGuardTest, TamperedStateFileIsRefused) {
  {
    auto guard = BundleGuard::open(dir_.path(), pub_);
    ASSERT_TRUE(guard->accept(makeBundle(key_, 1, "v1"), kNow));
  }
  std::string path = dir_.path() + "/policy-bundle.pb";
  auto bytes = *readFile(path);
  bytes[bytes.size() / 2] ^= 1;
  ASSERT_TRUE(writeFileAtomic(path, bytes, 0600));
  EXPECT_FALSE(BundleGuard::open(dir_.path(), pub_));
}

}  // namespace
}  // namespace sluice::controller
