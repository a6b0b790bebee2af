// File: session_store.h
//
// Console sessions, held in memory by the controller process that signed the person in. A
// session ends at logout, after `idle_ms` without a request (automatic logoff), or after
// `max_ms` in any case. Session ids and CSRF tokens are 256-bit random values; the store
// keys sessions by the SHA-256 of the id, so the cookie itself is never kept.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "sluice/controller/auth.h"
#include "sluice/controller/clock.h"

namespace sluice::controller::web {

struct Session {
  std::string id;  // the cookie value; only set on the result of create()
  std::string csrf;
  Principal principal;
  int64_t created_ms = 0;
  int64_t last_seen_ms = 0;
};

enum class SessionState { kActive, kUnknown, kExpired };

class SessionStore {
 public:
  SessionStore(const Clock& clock, int64_t idle_ms, int64_t max_ms)
      : clock_(clock), idle_ms_(idle_ms), max_ms_(max_ms) {}

  Session create(const Principal& principal);
  // Looks the session up; `refresh` counts this as activity (an API call does, the live
  // event stream does not, so an open tab alone never keeps a session alive). `out` is filled
  // for an active session and for one that has just expired (whose was it).
  SessionState find(const std::string& id, bool refresh, Session* out);
  void remove(const std::string& id);

  int64_t idleMs() const { return idle_ms_; }

 private:
  const Clock& clock_;
  int64_t idle_ms_;
  int64_t max_ms_;
  std::mutex mu_;
  std::map<std::string, Session> sessions_;  // sha256(id) -> session
};

}  // namespace sluice::controller::web
