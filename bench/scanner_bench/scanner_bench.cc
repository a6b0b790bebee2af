// scanner_bench: throughput and latency of the PHI scanner, with RE2::Set over the same
// regexes as the baseline measured in the same run (issue 3).
//
//   scanner_bench [--mb N] [--seed S] [--rounds R]
//   scanner_bench --mb 4 --seed 7 --pass oneshot|stream|stream1460|small|smallstream|re2
//
// --pass runs one pass of one kind over the corpus (small: 400 bodies of 4 KB) inside
// measuredPass(), for instruction counts that the machine's load does not disturb:
//   valgrind --tool=callgrind --toggle-collect='*measuredPass*' scanner_bench ... --pass oneshot
//
// Prints, per core (one thread): MB/s of Scanner::scan end to end (JSON view, the regex,
// keyword and name databases, validators, context) and of the stream API fed in 1460-byte
// writes; MB/s of RE2::Set::Match over the regex patterns and keywords (no names: RE2 cannot
// hold the 20,000-literal dictionary in its DFA budget, and Set::Match only says which
// patterns matched, so the baseline does less work than the scanner); their ratio; p50/p99
// of one 4 KB body, through scan() and through openStream() + one write() + finish() (the
// agent's inline path); database compile times; the per-stream Hyperscan state. It also runs the
// same pattern list as one plain Hyperscan database (match only), the like-for-like engine
// comparison with RE2::Set.
//
// Each figure is given twice: over bodies as the corpus holds them, read cold from memory
// (16 MB, larger than the core's L2), and over each body just copied into a request buffer,
// the way the agent holds the bytes it took from the ring buffer before it scans them. Only
// the scan is timed in both. A last figure times the first read of each cold 4 KB body alone
// (one load per cache line), the part of the cold figures that is the memory, not a scan.
// The latency figures have a baseline of their own, timed the same way in the same run: a
// compute loop calibrated to the p50 of a 4 KB body just copied. Its p99 is what the
// machine's preemption and interrupts alone make of a p99 that long.
#include <hs/hs.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "bodies.h"
#include "rules.h"
#include "sluice/scanner/scanner.h"

namespace {

using Clock = std::chrono::steady_clock;
using sluice::scanner::Scanner;

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// A fixed compute loop (no memory reads) of `iterations` steps, timed; the result is kept
// live so the loop is not removed.
double loopMicros(uint64_t iterations, uint64_t& sink) {
  auto t = Clock::now();
  uint64_t x = sink | 1;
  for (uint64_t i = 0; i < iterations; ++i) x = x * 6364136223846793005ULL + 1442695040888963407ULL;
  double us = seconds(t, Clock::now()) * 1e6;
  sink = x;
  return us;
}

// The same number of timings of a loop calibrated to take `target_us` (the scan's p50): what
// the machine's preemption and interrupts alone make of a p99 of that length.
std::vector<double> baselineLoop(double target_us, size_t count) {
  uint64_t sink = 1;
  uint64_t iterations = 1000;
  for (int round = 0; round < 8; ++round) {
    std::vector<double> trial;
    for (int i = 0; i < 101; ++i) trial.push_back(loopMicros(iterations, sink));
    std::nth_element(trial.begin(), trial.begin() + 50, trial.end());
    double median = std::max(trial[50], 0.01);
    iterations = std::max<uint64_t>(
        1, static_cast<uint64_t>(static_cast<double>(iterations) * target_us / median));
  }
  std::vector<double> us;
  us.reserve(count);
  for (size_t i = 0; i < count; ++i) us.push_back(loopMicros(iterations, sink));
  asm volatile("" : : "r"(sink));
  return us;
}

std::string re2Escape(std::string_view literal) {
  return RE2::QuoteMeta(re2::StringPiece(literal.data(), literal.size()));
}

struct Args {
  size_t mb = 16;
  uint64_t seed = 42;
  int rounds = 3;
  std::string pass;
};

Args parseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--mb") == 0) a.mb = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--seed") == 0) a.seed = std::stoull(argv[i + 1]);
    if (std::strcmp(argv[i], "--rounds") == 0) a.rounds = std::stoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--pass") == 0) a.pass = argv[i + 1];
  }
  return a;
}

// RE2::Set over the scanner's regexes and keywords; `patterns` counts what it accepted.
std::unique_ptr<RE2::Set> makeRe2Set(int& patterns) {
  RE2::Options opts;
  opts.set_max_mem(int64_t{1} << 30);
  opts.set_log_errors(false);
  auto set = std::make_unique<RE2::Set>(opts, RE2::UNANCHORED);
  patterns = 0;
  for (const auto& p : sluice::scanner::regexPatterns()) {
    std::string re = p.caseless ? "(?i)" + std::string(p.regex) : std::string(p.regex);
    std::string error;
    if (set->Add(re, &error) < 0) {
      std::fprintf(stderr, "RE2 rejects %s: %s\n", re.c_str(), error.c_str());
      return nullptr;
    }
    ++patterns;
  }
  for (const auto& k : sluice::scanner::keywords()) {
    std::string re = (k.caseless ? "(?i)" : "") + re2Escape(k.text);
    if (set->Add(re, nullptr) >= 0) ++patterns;
  }
  if (!set->Compile()) {
    std::fprintf(stderr, "RE2::Set failed to compile\n");
    return nullptr;
  }
  return set;
}

// One pass of `pass` over `bodies`; returns findings (or matched bodies for re2).
__attribute__((noinline)) size_t measuredPass(const std::string& pass, const Scanner& scanner,
                                             const RE2::Set* set,
                                             const std::vector<std::string>& bodies) {
  size_t count = 0;
  std::vector<int> ids;
  for (const auto& b : bodies) {
    if (pass == "re2") {
      ids.clear();
      count += set->Match(b, &ids) ? 1 : 0;
    } else if (pass == "oneshot" || pass == "small") {
      auto f = scanner.scan(b);
      count += f.ok() ? f->size() : 0;
    } else {
      size_t chunk = pass == "stream1460" ? 1460 : b.size() + 1;
      auto stream = scanner.openStream();
      if (!stream) return count;
      for (size_t off = 0; off < b.size(); off += chunk) {
        (void)(*stream)->write(std::string_view(b).substr(off, chunk));
      }
      auto f = (*stream)->finish();
      count += f.ok() ? f->size() : 0;
    }
  }
  return count;
}

int singlePass(const Args& args, const Scanner& scanner) {
  bool small = args.pass == "small" || args.pass == "smallstream";
  auto bodies = small ? sluice::bench::makeFixedBodies(args.seed + 1, 400, 4096)
                      : sluice::bench::makeBodies(args.seed, args.mb << 20);
  size_t total = 0;
  for (const auto& b : bodies) total += b.size();
  std::unique_ptr<RE2::Set> set;
  int patterns = 0;
  if (args.pass == "re2" && (set = makeRe2Set(patterns)) == nullptr) return 1;
  // Warm up (scratch, thread-local buffers, RE2's DFA states) outside the measured pass.
  for (const auto& b : bodies) {
    std::vector<int> ids;
    if (set != nullptr) set->Match(b, &ids);
  }
  (void)scanner.scan(bodies.front());
  size_t count = measuredPass(args.pass, scanner, set.get(), bodies);
  std::printf("pass %s: %zu bodies, %zu bytes, %zu %s\n", args.pass.c_str(), bodies.size(),
              total, count, set != nullptr ? "bodies matched" : "findings");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parseArgs(argc, argv);
  auto bodies = sluice::bench::makeBodies(args.seed, args.mb << 20);
  size_t total = 0;
  for (const auto& b : bodies) total += b.size();
  std::printf("corpus: %zu bodies, %.1f MB, 1-64 KB each (seed %llu)\n", bodies.size(),
              static_cast<double>(total) / 1e6, static_cast<unsigned long long>(args.seed));

  auto scanner_result = Scanner::create();
  if (!scanner_result) {
    std::fprintf(stderr, "scanner: %s\n", scanner_result.error().toString().c_str());
    return 1;
  }
  auto scanner = *scanner_result;
  if (!args.pass.empty()) return singlePass(args, *scanner);

  // RE2::Set over the same regexes and keywords.
  auto re2_start = Clock::now();
  int re2_patterns = 0;
  auto re2_set = makeRe2Set(re2_patterns);
  if (re2_set == nullptr) return 1;
  RE2::Set& set = *re2_set;
  double re2_compile_ms = seconds(re2_start, Clock::now()) * 1e3;

  // The same pattern list as one Hyperscan database, matching only (like RE2::Set::Match):
  // the like-for-like engine comparison, without the scanner's prefilter and detectors.
  std::vector<std::string> hs_exprs;
  std::vector<unsigned> hs_flags;
  for (const auto& p : sluice::scanner::regexPatterns()) {
    hs_exprs.emplace_back(p.regex);
    hs_flags.push_back(HS_FLAG_SINGLEMATCH | (p.caseless ? HS_FLAG_CASELESS : 0u));
  }
  for (const auto& k : sluice::scanner::keywords()) {
    hs_exprs.push_back(re2Escape(k.text));
    hs_flags.push_back(HS_FLAG_SINGLEMATCH | (k.caseless ? HS_FLAG_CASELESS : 0u));
  }
  std::vector<const char*> hs_ptrs;
  std::vector<unsigned> hs_ids;
  for (size_t i = 0; i < hs_exprs.size(); ++i) {
    hs_ptrs.push_back(hs_exprs[i].c_str());
    hs_ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* hs_set = nullptr;
  hs_compile_error_t* hs_err = nullptr;
  if (hs_compile_multi(hs_ptrs.data(), hs_flags.data(), hs_ids.data(),
                       static_cast<unsigned>(hs_ptrs.size()), HS_MODE_BLOCK, nullptr, &hs_set,
                       &hs_err) != HS_SUCCESS) {
    std::fprintf(stderr, "Hyperscan set: %s\n", hs_err->message);
    return 1;
  }
  hs_scratch_t* hs_scratch = nullptr;
  if (hs_alloc_scratch(hs_set, &hs_scratch) != HS_SUCCESS) return 1;
  auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned,
                     void*) -> int { return 0; };

  // Warm up both (scratch allocation, RE2 DFA states), then take the best of `rounds`.
  size_t findings = 0, re2_matched = 0;
  std::vector<int> ids;
  for (size_t i = 0; i < std::min<size_t>(bodies.size(), 50); ++i) {
    (void)scanner->scan(bodies[i]);
    set.Match(bodies[i], &ids);
  }
  double hs_best = 1e9, stream_best = 1e9, re2_best = 1e9, set_best = 1e9;
  double hs_hot_best = 1e9, re2_hot_best = 1e9;
  std::string request;  // the agent's buffer: each body is copied in, then scanned
  for (int r = 0; r < args.rounds; ++r) {
    findings = 0;
    auto t0 = Clock::now();
    for (const auto& b : bodies) {
      auto f = scanner->scan(b);
      findings += f.ok() ? f->size() : 0;
    }
    auto t1 = Clock::now();
    for (const auto& b : bodies) {
      auto stream = scanner->openStream();
      if (!stream) return 1;
      for (size_t off = 0; off < b.size(); off += 1460) {
        (void)(*stream)->write(std::string_view(b).substr(off, 1460));
      }
      (void)(*stream)->finish();
    }
    auto t2 = Clock::now();
    re2_matched = 0;
    for (const auto& b : bodies) {
      ids.clear();
      re2_matched += set.Match(b, &ids) ? 1 : 0;
    }
    auto t3 = Clock::now();
    for (const auto& b : bodies) {
      hs_scan(hs_set, b.data(), static_cast<unsigned>(b.size()), 0, hs_scratch, on_match,
              nullptr);
    }
    auto t4 = Clock::now();
    double hs_hot = 0, re2_hot = 0;
    for (const auto& b : bodies) {
      request.assign(b);
      auto a = Clock::now();
      (void)scanner->scan(request);
      hs_hot += seconds(a, Clock::now());
    }
    for (const auto& b : bodies) {
      request.assign(b);
      ids.clear();
      auto a = Clock::now();
      set.Match(request, &ids);
      re2_hot += seconds(a, Clock::now());
    }
    hs_hot_best = std::min(hs_hot_best, hs_hot);
    re2_hot_best = std::min(re2_hot_best, re2_hot);
    set_best = std::min(set_best, seconds(t3, t4));
    hs_best = std::min(hs_best, seconds(t0, t1));
    stream_best = std::min(stream_best, seconds(t1, t2));
    re2_best = std::min(re2_best, seconds(t2, t3));
  }
  double mb = static_cast<double>(total) / 1e6;
  double hs_mbs = mb / hs_best, stream_mbs = mb / stream_best, re2_mbs = mb / re2_best;
  double set_mbs = mb / set_best;
  double hs_hot_mbs = mb / hs_hot_best, re2_hot_mbs = mb / re2_hot_best;

  // Latency of one 4 KB body.
  auto small = sluice::bench::makeFixedBodies(args.seed + 1, 4000, 4096);
  for (int i = 0; i < 200; ++i) (void)scanner->scan(small[static_cast<size_t>(i)]);
  std::vector<double> us;
  us.reserve(small.size());
  for (const auto& b : small) {
    auto t = Clock::now();
    (void)scanner->scan(b);
    us.push_back(seconds(t, Clock::now()) * 1e6);
  }
  // The agent's inline path: openStream() per request, one write() per body chunk, finish().
  std::vector<double> stream_us;
  stream_us.reserve(small.size());
  for (const auto& b : small) {
    auto t = Clock::now();
    auto stream = scanner->openStream();
    if (!stream || !(*stream)->write(b).ok() || !(*stream)->finish().ok()) return 1;
    stream_us.push_back(seconds(t, Clock::now()) * 1e6);
  }
  // The same two paths over each body just copied into the request buffer.
  std::vector<double> hot_us, hot_stream_us, touch_us;
  hot_us.reserve(small.size());
  hot_stream_us.reserve(small.size());
  for (const auto& b : small) {
    request.assign(b);
    auto t = Clock::now();
    (void)scanner->scan(request);
    hot_us.push_back(seconds(t, Clock::now()) * 1e6);
  }
  for (const auto& b : small) {
    request.assign(b);
    auto t = Clock::now();
    auto stream = scanner->openStream();
    if (!stream || !(*stream)->write(request).ok() || !(*stream)->finish().ok()) return 1;
    hot_stream_us.push_back(seconds(t, Clock::now()) * 1e6);
  }
  // The first read of each cold body alone: one load per cache line.
  touch_us.reserve(small.size());
  uint64_t touched = 0;
  for (const auto& b : small) {
    auto t = Clock::now();
    for (size_t at = 0; at < b.size(); at += 64) touched += static_cast<unsigned char>(b[at]);
    touch_us.push_back(seconds(t, Clock::now()) * 1e6);
  }
  asm volatile("" : : "r"(touched));
  auto pct = [](std::vector<double>& v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
  };
  // The baseline of the latency figures, timed alongside: a loop as long as the scan of a
  // body just copied, with nothing of the scanner in it.
  std::vector<double> loop_us = baselineLoop(pct(hot_us, 0.50), small.size());

  std::printf("\n%-44s %10s\n", "measure", "value");
  std::printf("%-44s %10.0f\n", "Hyperscan scanner, one-shot (MB/s per core)", hs_mbs);
  std::printf("%-44s %10.0f\n", "Hyperscan scanner, stream 1460 B (MB/s/core)", stream_mbs);
  std::printf("%-44s %10.0f\n", "RE2::Set baseline (MB/s per core)", re2_mbs);
  std::printf("%-44s %10.2f\n", "ratio one-shot / RE2::Set", hs_mbs / re2_mbs);
  std::printf("%-44s %10.0f\n", "one-shot, body just copied (MB/s per core)", hs_hot_mbs);
  std::printf("%-44s %10.0f\n", "RE2::Set, body just copied (MB/s per core)", re2_hot_mbs);
  std::printf("%-44s %10.2f\n", "ratio, bodies just copied", hs_hot_mbs / re2_hot_mbs);
  std::printf("%-44s %10.0f\n", "Hyperscan set, same patterns, match only", set_mbs);
  std::printf("%-44s %10.2f\n", "ratio Hyperscan set / RE2::Set", set_mbs / re2_mbs);
  std::printf("%-44s %10.1f\n", "4 KB body p50 (us)", pct(us, 0.50));
  std::printf("%-44s %10.1f\n", "4 KB body p99 (us)", pct(us, 0.99));
  std::printf("%-44s %10.1f\n", "4 KB stream open+write+finish p50 (us)", pct(stream_us, 0.50));
  std::printf("%-44s %10.1f\n", "4 KB stream open+write+finish p99 (us)", pct(stream_us, 0.99));
  std::printf("%-44s %10.1f\n", "4 KB just copied, p50 (us)", pct(hot_us, 0.50));
  std::printf("%-44s %10.1f\n", "4 KB just copied, p99 (us)", pct(hot_us, 0.99));
  std::printf("%-44s %10.1f\n", "4 KB just copied, stream p50 (us)", pct(hot_stream_us, 0.50));
  std::printf("%-44s %10.1f\n", "4 KB just copied, stream p99 (us)", pct(hot_stream_us, 0.99));
  std::printf("%-44s %10.1f\n", "fixed loop as long as that p50, p50 (us)", pct(loop_us, 0.50));
  std::printf("%-44s %10.1f\n", "fixed loop as long as that p50, p99 (us)", pct(loop_us, 0.99));
  std::printf("%-44s %10.2f\n", "ratio 4 KB just copied p99 / loop p99",
              pct(hot_us, 0.99) / pct(loop_us, 0.99));
  std::printf("%-44s %10.1f\n", "first read of a cold 4 KB body, p99 (us)", pct(touch_us, 0.99));
  std::printf("%-44s %10.1f\n", "first read of a cold 4 KB body, p99.9 (us)", pct(touch_us, 0.999));
  std::printf("%-44s %10.0f\n", "Hyperscan database compile (ms)", scanner->compileMillis());
  std::printf("%-44s %10.0f\n", "RE2::Set compile (ms)", re2_compile_ms);
  std::printf("%-44s %10zu\n", "stream state per connection (bytes)", scanner->streamStateBytes());
  std::printf("%-44s %10.1f\n", "Hyperscan databases (MB)",
              static_cast<double>(scanner->databaseBytes()) / 1e6);
  std::printf("%-44s %10d\n", "RE2::Set patterns (regexes + keywords)", re2_patterns);
  std::printf("%-44s %10zu\n", "findings in corpus", findings);
  std::printf("%-44s %10zu\n", "bodies RE2::Set matched", re2_matched);
  hs_free_scratch(hs_scratch);
  hs_free_database(hs_set);
  return 0;
}
