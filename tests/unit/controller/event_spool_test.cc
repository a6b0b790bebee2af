// The agent's encrypted, bounded event spool.
#include <gtest/gtest.h>

#include <filesystem>

#include "controller_test_support.h"
#include "sluice/controller/event_spool.h"
#include "sluice/controller/files.h"

namespace sluice::controller {
namespace {

using testing::TempDir;

sluice::v1::EventBatch batchOf(const std::string& id) {
  sluice::v1::EventBatch b;
  auto* e = b.add_events();
  e->set_id(id);
  e->mutable_alert()->add_evidence()->set_masked_excerpt("SSN ***-**-6789");
  return b;
}

TEST(EventSpool, FifoAcrossReopenAndOnlyRemovedWhenAcked) {
  TempDir dir;
  std::string spool_dir = dir.path() + "/spool";
  {
    auto spool = EventSpool::open(spool_dir);
    ASSERT_TRUE(spool);
    ASSERT_TRUE(spool->append(batchOf("a")));
    ASSERT_TRUE(spool->append(batchOf("b")));
    EXPECT_EQ(spool->batches(), 2u);
  }
  auto spool = EventSpool::open(spool_dir);
  ASSERT_TRUE(spool);
  EXPECT_EQ(spool->batches(), 2u);
  auto first = spool->oldest();
  ASSERT_TRUE(first && *first);
  EXPECT_EQ((*first)->batch.events(0).id(), "a");
  EXPECT_EQ((*spool->oldest())->batch.events(0).id(), "a");  // still there until removed
  ASSERT_TRUE(spool->remove((*first)->seq));
  ASSERT_TRUE(spool->append(batchOf("c")));
  EXPECT_EQ((*spool->oldest())->batch.events(0).id(), "b");
  ASSERT_TRUE(spool->remove((*spool->oldest())->seq));
  EXPECT_EQ((*spool->oldest())->batch.events(0).id(), "c");
  ASSERT_TRUE(spool->remove((*spool->oldest())->seq));
  EXPECT_FALSE(*spool->oldest());
  EXPECT_EQ(spool->batches(), 0u);
  EXPECT_EQ(spool->bytes(), 0u);
}

TEST(EventSpool, EncryptedOnDiskWithAPrivateKey) {
  TempDir dir;
  auto spool = EventSpool::open(dir.path());
  ASSERT_TRUE(spool->append(batchOf("secret-id")));
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    auto bytes = readFile(entry.path().string()).valueOr("");
    if (entry.path().filename() == "spool.key") {
      auto perms = std::filesystem::status(entry.path()).permissions();
      EXPECT_EQ(perms & std::filesystem::perms::group_read, std::filesystem::perms::none);
      EXPECT_EQ(perms & std::filesystem::perms::others_read, std::filesystem::perms::none);
      continue;
    }
    EXPECT_EQ(bytes.find("6789"), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find("secret-id"), std::string::npos) << entry.path();
  }
}

TEST(EventSpool, BoundedAndTamperEvident) {
  TempDir dir;
  auto spool = EventSpool::open(dir.path(), SpoolLimits{1 << 20, 2});
  ASSERT_TRUE(spool->append(batchOf("1")));
  ASSERT_TRUE(spool->append(batchOf("2")));
  auto full = spool->append(batchOf("3"));
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code(), ErrorCode::kResourceExhausted);

  auto first = *spool->oldest();
  std::string path = dir.path() + "/00000000000000000001.batch";
  auto bytes = *readFile(path);
  bytes[bytes.size() - 1] ^= 1;
  ASSERT_TRUE(writeFileAtomic(path, bytes, 0600));
  auto opened = spool->oldest();
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code(), ErrorCode::kDataLoss);
  ASSERT_TRUE(spool->remove(first->seq));
  EXPECT_EQ((*spool->oldest())->batch.events(0).id(), "2");
}

}  // namespace
}  // namespace sluice::controller
