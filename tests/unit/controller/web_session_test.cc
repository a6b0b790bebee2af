// Console sessions: automatic logoff after the idle time, the absolute limit, logout, and
// that only API activity (not the live stream) keeps a session alive.
#include <gtest/gtest.h>

#include "controller_test_support.h"
#include "web/session_store.h"

namespace sluice::controller::testing {
namespace {

using web::Session;
using web::SessionState;
using web::SessionStore;

constexpr int64_t kIdleMs = 15 * 60 * 1000;
constexpr int64_t kMaxMs = 12 * 3600 * 1000;

Principal rita() {
  return Principal{Role::kResponder, "usr-1", "rita"};
}

TEST(WebSessionTest, IdleSessionsEndAndActivityKeepsThemAlive) {
  FakeClock clock;
  SessionStore store(clock, kIdleMs, kMaxMs);
  Session created = store.create(rita());
  ASSERT_EQ(created.id.size(), 64u);
  EXPECT_NE(created.id, created.csrf);

  Session found;
  clock.advanceSeconds(14 * 60);
  ASSERT_EQ(store.find(created.id, true, &found), SessionState::kActive);
  EXPECT_EQ(found.principal.name, "rita");
  EXPECT_EQ(found.csrf, created.csrf);
  EXPECT_TRUE(found.id.empty());  // the store does not keep the cookie value

  clock.advanceSeconds(14 * 60);  // 28 min after sign-in, 14 after the last request
  EXPECT_EQ(store.find(created.id, false, nullptr), SessionState::kActive);
  clock.advanceSeconds(2 * 60);  // the look-up without refresh did not count
  Session expired;
  EXPECT_EQ(store.find(created.id, true, &expired), SessionState::kExpired);
  EXPECT_EQ(expired.principal.name, "rita");  // whose session ended, for the audit log
  EXPECT_EQ(store.find(created.id, true, nullptr), SessionState::kUnknown);
}

TEST(WebSessionTest, SessionsEndAtTheAbsoluteLimitAndAtLogout) {
  FakeClock clock;
  SessionStore store(clock, kIdleMs, kMaxMs);
  Session busy = store.create(rita());
  for (int i = 0; i <= 12 * 6; ++i) {
    clock.advanceSeconds(10 * 60);
    if (store.find(busy.id, true, nullptr) != SessionState::kActive) break;
  }
  EXPECT_EQ(store.find(busy.id, true, nullptr), SessionState::kUnknown);

  Session leaving = store.create(rita());
  store.remove(leaving.id);
  EXPECT_EQ(store.find(leaving.id, true, nullptr), SessionState::kUnknown);
  EXPECT_EQ(store.find("", true, nullptr), SessionState::kUnknown);
  EXPECT_EQ(store.find("forged", true, nullptr), SessionState::kUnknown);
}

}  // namespace
}  // namespace sluice::controller::testing
