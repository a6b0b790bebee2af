// A fixed-size latency histogram for the agent's status: log-linear buckets (8 per power of
// two, so a quantile is within 12.5% of the true value) from 1 us up, no allocation after
// construction, O(1) record. It answers "how long did inspected requests wait" in production
// without keeping samples.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>

namespace sluice::agent {

class LatencyHistogram {
 public:
  void record(uint64_t ns) {
    uint64_t us = ns / 1000;
    ++counts_[bucketOf(us)];
    ++count_;
    if (us > max_us_) max_us_ = us;
  }

  uint64_t count() const { return count_; }
  uint64_t maxUs() const { return max_us_; }

  // The upper bound (us) of the bucket holding quantile q (0 < q <= 1); 0 when empty.
  uint64_t quantileUs(double q) const {
    if (count_ == 0) return 0;
    uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(count_));
    if (rank == 0) rank = 1;
    uint64_t seen = 0;
    for (size_t b = 0; b < counts_.size(); ++b) {
      seen += counts_[b];
      if (seen >= rank) return std::min(upperOf(b), max_us_);
    }
    return max_us_;
  }

 private:
  static constexpr int kSub = 3;  // 2^3 sub-buckets per power of two
  static constexpr size_t kBuckets = 64 * (1 << kSub);

  // Values below 8 us get a bucket each; above, the top kSub+1 bits choose the bucket.
  static size_t bucketOf(uint64_t us) {
    if (us < (1u << kSub)) return static_cast<size_t>(us);
    int top = 63 - std::countl_zero(us);  // >= kSub
    uint64_t sub = (us >> (top - kSub)) & ((1u << kSub) - 1);
    return static_cast<size_t>((top - kSub + 1) * (1 << kSub) + sub);
  }

  static uint64_t upperOf(size_t b) {
    if (b < (1u << kSub)) return b;
    int top = static_cast<int>(b >> kSub) + kSub - 1;
    uint64_t sub = b & ((1u << kSub) - 1);
    uint64_t low = (uint64_t{1} << top) | (sub << (top - kSub));
    return low + (uint64_t{1} << (top - kSub)) - 1;
  }

  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0, max_us_ = 0;
};

}  // namespace sluice::agent
