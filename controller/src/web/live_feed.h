// File: live_feed.h
//
// New alerts for the console's server-sent event streams. EventIngest calls `publish` after a
// batch is stored; each open stream waits for entries after the last sequence it sent. Only a
// short window is kept: a stream that falls behind skips ahead (the page reloads its list on
// reconnect anyway). Shared by pointer, so the ingest listener never outlives it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sluice::controller::web {

class LiveFeed {
 public:
  void publish(std::vector<std::string> json_events);
  uint64_t head();
  // Events after `after`, waiting up to `timeout_ms` for one; empty on timeout or close.
  std::vector<std::pair<uint64_t, std::string>> waitAfter(uint64_t after, int64_t timeout_ms);
  void close();
  bool closed();

 private:
  static constexpr size_t kWindow = 512;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::pair<uint64_t, std::string>> events_;
  uint64_t seq_ = 0;
  bool closed_ = false;
};

}  // namespace sluice::controller::web
