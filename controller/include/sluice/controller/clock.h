// File: clock.h
//
// Time as a dependency. Certificate lifetimes, token TTLs, TOTP windows, bundle expiry and
// "online" all depend on the current time, and tests need to move it at will, so every
// component takes a Clock instead of calling time() itself.
#pragma once

#include <chrono>
#include <cstdint>

namespace sluice::controller {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t nowMs() const = 0;
  int64_t nowUnix() const { return nowMs() / 1000; }
};

class SystemClock : public Clock {
 public:
  int64_t nowMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace sluice::controller
