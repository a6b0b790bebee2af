#include "web/live_feed.h"

#include <chrono>

namespace sluice::controller::web {

void LiveFeed::publish(std::vector<std::string> json_events) {
  {
    std::lock_guard lock(mu_);
    for (auto& e : json_events) {
      events_.emplace_back(++seq_, std::move(e));
      if (events_.size() > kWindow) events_.pop_front();
    }
  }
  cv_.notify_all();
}

uint64_t LiveFeed::head() {
  std::lock_guard lock(mu_);
  return seq_;
}

std::vector<std::pair<uint64_t, std::string>> LiveFeed::waitAfter(uint64_t after,
                                                                  int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
               [&] { return closed_ || seq_ > after; });
  std::vector<std::pair<uint64_t, std::string>> out;
  if (closed_) return out;
  for (const auto& e : events_) {
    if (e.first > after) out.push_back(e);
  }
  return out;
}

void LiveFeed::close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
}

bool LiveFeed::closed() {
  std::lock_guard lock(mu_);
  return closed_;
}

}  // namespace sluice::controller::web
