#include "web/session_store.h"

#include "sluice/controller/crypto.h"

namespace sluice::controller::web {

Session SessionStore::create(const Principal& principal) {
  Session s;
  s.id = crypto::toHex(crypto::randomBytes(32));
  s.csrf = crypto::toHex(crypto::randomBytes(32));
  s.principal = principal;
  s.created_ms = s.last_seen_ms = clock_.nowMs();
  std::lock_guard lock(mu_);
  // Drop what has expired, so the map stays as small as the set of people signed in.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    bool expired = s.created_ms - it->second.last_seen_ms > idle_ms_ ||
                   s.created_ms - it->second.created_ms > max_ms_;
    it = expired ? sessions_.erase(it) : std::next(it);
  }
  Session stored = s;
  stored.id.clear();
  sessions_[crypto::sha256Hex(s.id)] = stored;
  return s;
}

SessionState SessionStore::find(const std::string& id, bool refresh, Session* out) {
  if (id.empty()) return SessionState::kUnknown;
  std::string key = crypto::sha256Hex(id);
  int64_t now = clock_.nowMs();
  std::lock_guard lock(mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return SessionState::kUnknown;
  if (out != nullptr) *out = it->second;
  if (now - it->second.last_seen_ms > idle_ms_ || now - it->second.created_ms > max_ms_) {
    sessions_.erase(it);
    return SessionState::kExpired;
  }
  if (refresh) it->second.last_seen_ms = now;
  return SessionState::kActive;
}

void SessionStore::remove(const std::string& id) {
  std::lock_guard lock(mu_);
  sessions_.erase(crypto::sha256Hex(id));
}

}  // namespace sluice::controller::web
