// File: engine.h
//
// The parts of the scanner that both APIs share: the compiled Hyperscan databases with their
// per-thread scratch, and the Evaluator that turns raw hits into findings. The one-shot API
// collects every hit of a body and evaluates them at once; the stream API evaluates a hit as
// soon as enough bytes after it have arrived (lookahead) and keeps only a bounded history.
#pragma once

#include <hs/hs.h>

#include <cstdint>
#include <string>
#include <vector>

#include "names.h"
#include "rules.h"
#include "sluice/common/result.h"
#include "sluice/scanner/scanner.h"
#include "window.h"

namespace sluice::scanner {

struct Databases {
  // Block mode only: both APIs run it over digit windows (scanDigitWindows in scanner.cc).
  hs_database_t* regex_block = nullptr;
  hs_database_t* keyword_block = nullptr;
  hs_database_t* keyword_stream = nullptr;
  // The name dictionaries, stream mode only (the one-shot API opens a stream over the body):
  // this database is most of the compile time, so it is compiled once, not per mode.
  hs_database_t* names_stream = nullptr;
  std::vector<uint32_t> keyword_lengths;
  uint64_t id = 0;                        // unique per instance, keys the scratch cache

  Databases() = default;
  Databases(const Databases&) = delete;
  Databases& operator=(const Databases&) = delete;
  ~Databases();
};

Result<std::unique_ptr<Databases>> compileDatabases(bool with_names, double& compile_ms);

// This thread's scratch for `dbs`, allocated on first use and freed at thread exit.
Result<hs_scratch_t*> scratchFor(const Databases& dbs);

class Evaluator {
 public:
  Evaluator(const Databases& dbs, const NameData& names) : dbs_(dbs), names_(names) {}

  // Hyperscan callbacks: `context` is the Evaluator.
  static int onRegex(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                     void* context);
  static int onKeyword(unsigned id, unsigned long long from, unsigned long long to,
                       unsigned flags, void* context);
  static int onName(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void* context);

  // Judges pending hits that have enough bytes after them in `w` (all of them if w.final).
  void evaluate(Window w);
  // The oldest decoded offset a pending hit may still look at.
  uint64_t oldestNeeded(uint64_t fallback) const;
  bool clinical() const { return clinical_; }
  // Offsets of regex matches are relative to a window starting here (one-shot prefilter).
  void setRegexBase(uint64_t base) { regex_base_ = base; }
  std::vector<Finding>& findings() { return findings_; }

 private:
  void dispatch(const Window& w, const Hit& hit);

  const Databases& dbs_;
  const NameData& names_;
  std::vector<Hit> pending_;
  std::vector<Finding> findings_;
  bool clinical_ = false;
  bool general_ = false;
  uint64_t table_end_ = 0;
  uint64_t image_end_ = 0;
  uint64_t regex_base_ = 0;
};

// Drops low scores, lets IMAGE spans swallow what is inside them, keeps the best of any
// overlapping findings, and sorts by start.
std::vector<Finding> resolveFindings(std::vector<Finding> findings, float min_score);

}  // namespace sluice::scanner
