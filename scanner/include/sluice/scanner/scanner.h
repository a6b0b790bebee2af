// File: scanner.h
//
// The PHI scanner the agent runs inline on every inspected AI-API request, and that
// `sluicectl scan` runs on files. Create one Scanner per process: it compiles the Hyperscan
// databases and loads the name dictionaries once (a few hundred milliseconds) and is then
// shared read-only by every thread; each thread lazily gets its own Hyperscan scratch.
//
//   SLUICE_ASSIGN_OR_RETURN(auto scanner, Scanner::create());
//   auto findings = scanner->scan(body);                 // one request body
//
//   auto stream = scanner->openStream();                 // one per connection/request
//   stream->write(chunk1); stream->write(chunk2);        // a value split across writes
//   auto all = stream->finish();                         // is found exactly once
//
// The stream runs the keyword databases in Hyperscan streaming mode (a few dozen bytes of
// state per stream), and the digit-shaped regexes and the name lookup over its history.
// Opening a stream is cheap enough to do per request.
//
// Both APIs scan the JSON-unescaped view of the bytes (json_view.h) and report offsets into
// the bytes as given. A stream holds a bounded history (see kStreamHistory in scanner.cc), so
// its memory does not grow with the request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "sluice/common/result.h"
#include "sluice/scanner/finding.h"

namespace sluice::scanner {

// Which identifiers a scan reports.
enum class Reach : uint8_t {
  // Identifiers of a person only in a request about someone's health: one with a clinical
  // cue, a health term (scanner/data/health_terms.txt), a record number, a health plan ID,
  // an age over 89 or a biometric ID. A W-2's SSN, a car sale's VIN or a hotel booking's
  // name and phone are not PHI. Images are reported in any request.
  kHealthContext,
  // Every identifier, whatever the request is about: for masking text (maskPhi()).
  kAll,
};

// The reach a configuration names: "health" or "all"; nullopt for anything else. The agent's
// `identifiers` setting and `sluicectl scan --identifiers` both read it here.
std::optional<Reach> parseReach(std::string_view text);

struct ScannerOptions {
  // Findings scoring below this are dropped. 0.55 keeps bare dates in non-clinical text and
  // lone dictionary names out; see docs/scanner.md for how scores are built.
  float min_score = 0.55f;
  // The name dictionaries are the bulk of compile time and memory; tests of other detectors
  // may turn them off.
  bool names = true;
  // What scan() and openStream() report; see Reach.
  Reach reach = Reach::kHealthContext;
};

class ScanStream;

class Scanner : public std::enable_shared_from_this<Scanner> {
 public:
  static Result<std::shared_ptr<Scanner>> create(const ScannerOptions& options = {});
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;

  // Findings in `body`, sorted by start, non-overlapping. Thread-safe. Fails only when
  // Hyperscan fails (out of memory for scratch).
  Result<std::vector<Finding>> scan(std::string_view body) const;
  Result<std::vector<Finding>> scan(std::string_view body, Reach reach) const;

  // A stream for one connection or request. The stream keeps the Scanner alive.
  Result<std::unique_ptr<ScanStream>> openStream() const;
  Result<std::unique_ptr<ScanStream>> openStream(Reach reach) const;

  const ScannerOptions& options() const;
  double compileMillis() const;      // time spent compiling the databases
  size_t streamStateBytes() const;   // Hyperscan stream state per open stream
  size_t databaseBytes() const;      // size of the compiled databases

 private:
  friend class ScanStream;
  struct Impl;
  explicit Scanner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class ScanStream {
 public:
  ~ScanStream();
  ScanStream(const ScanStream&) = delete;
  ScanStream& operator=(const ScanStream&) = delete;

  // Feeds the next bytes of the request. Offsets continue from the previous write.
  Status write(std::string_view bytes);
  // Ends the stream and returns every finding, sorted, non-overlapping. The stream cannot be
  // written after this.
  Result<std::vector<Finding>> finish();
  uint64_t bytesSeen() const;

 private:
  friend class Scanner;
  struct State;
  explicit ScanStream(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace sluice::scanner
