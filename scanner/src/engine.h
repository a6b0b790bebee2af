// File: engine.h
//
// The parts of the scanner that both APIs share: the compiled Hyperscan databases with their
// per-thread scratch, the name lexicon, and the Evaluator that turns raw hits into findings. The one-shot API
// collects every hit of a body and evaluates them at once; the stream API evaluates a hit as
// soon as enough bytes after it have arrived (lookahead) and keeps only a bounded history.
#pragma once

#include <hs/hs.h>

#include <cstdint>
#include <string>
#include <vector>

#include "name_lexicon.h"
#include "names.h"
#include "rules.h"
#include "sluice/common/result.h"
#include "sluice/scanner/scanner.h"
#include "window.h"

namespace sluice::scanner {

// Whether a keyword holds a letter of another script or an accented one (a lead byte that
// classes::scriptLead() accepts): it can match only in text that holds such a byte
// (classes::holdsScriptLead()).
bool scriptKeyword(std::string_view text);

struct Databases {
  // Block mode only: both APIs run it over digit windows (scanDigitWindows in scanner.cc).
  hs_database_t* regex_block = nullptr;
  // The keywords written in other scripts (scriptKeyword()) are a block-mode database of
  // their own, scanned only over text that holds such a letter (classes::holdsScriptLead()): most
  // bodies are ASCII, and those keywords cost the keyword scan about 3% (docs/PERFORMANCE.md,
  // thirteenth round). The stream API scans it over each write that holds one or follows one
  // closely, from `script_length` bytes before the write (ScanStream::State::scanScript()).
  hs_database_t* keyword_block = nullptr;
  hs_database_t* script_block = nullptr;
  hs_database_t* keyword_stream = nullptr;
  size_t script_length = 0;  // the longest keyword in script_block, in bytes
  // The document-wide cues (Cue::kClinical, kGeneral), on their own: a detector only needs to
  // know whether the document is clinical (and, when it is not, whether it asks about public
  // figures), so this scan stops at the first clinical cue, which in a clinical document
  // comes within a few words. Kept in the keyword database, these frequent words cost more
  // than all the other keywords together.
  hs_database_t* cue_block = nullptr;
  hs_database_t* cue_stream = nullptr;
  // The health vocabulary (healthTerms()): scanned only while a document shows neither a
  // clinical cue nor a health term, and stopped at the first term.
  hs_database_t* health_block = nullptr;
  hs_database_t* health_stream = nullptr;
  // The name dictionaries, outside Hyperscan (name_lexicon.h); empty without names.
  NameLexicon names;
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

// Where a digit window starts in the buffer the regex database scans (scanDigitWindows in
// scanner.cc) and in the decoded text.
struct RegexSegment {
  uint64_t packed;
  uint64_t decoded;
};

class Evaluator {
 public:
  Evaluator(const Databases& dbs, const NameData& names, float min_score)
      : dbs_(dbs), names_(names), min_score_(min_score) {}

  // Hyperscan callbacks: `context` is the Evaluator.
  static int onRegex(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                     void* context);
  static int onKeyword(unsigned id, unsigned long long from, unsigned long long to,
                       unsigned flags, void* context);
  // Stops the scan (returns non-zero) once the document is known to be clinical.
  static int onDocumentCue(unsigned id, unsigned long long from, unsigned long long to,
                           unsigned flags, void* context);
  // Marks the document as about health and stops the scan, where the term stands as a word
  // in the bytes given to setHealthText().
  static int onHealthTerm(unsigned id, unsigned long long from, unsigned long long to,
                          unsigned flags, void* context);

  // Adds the dictionary names of `text` from `cursor` on (NameLexicon::scan).
  void scanNames(std::string_view text, uint64_t base, bool final, uint64_t& cursor) {
    dbs_.names.scan(text, base, final, cursor, pending_);
  }

  // Keyword matches of the next scans end at `shift` plus the offset Hyperscan reports, and
  // those that end at or before `floor` are dropped (an earlier scan found them).
  void setKeywordWindow(uint64_t shift, uint64_t floor) {
    keyword_shift_ = shift;
    keyword_floor_ = floor;
  }
  // Judges pending hits that have enough bytes after them in `w` (all of them if w.final).
  void evaluate(Window w);
  // The oldest decoded offset a pending hit may still look at.
  uint64_t oldestNeeded(uint64_t fallback) const;
  bool clinical() const { return clinical_; }
  // The bytes the next health-term scan reads (with what came before it that is still held);
  // judges the terms that ended the previous write.
  void setHealthText(const Window& w);
  // Whether the document is about someone's health by its words: a clinical cue, a patient's
  // record or a health term (limitToHealthContext() also counts the identifiers found).
  bool healthContext() const { return health_; }
  // Outside health context, drops the findings that identify a person but say nothing of
  // health by themselves (names, contacts, dates, SSNs, ...); see docs/scanner.md.
  void limitToHealthContext();
  // Makes every finding in the rows of a staff table count only beside another identifier:
  // the phones, dates and names other detectors found there too. Called once all is judged.
  void corroborateStaffTables();
  // Regex matches are offsets into the packed digit windows described by `segments`.
  void setRegexSegments(const std::vector<RegexSegment>* segments) { segments_ = segments; }
  std::vector<Finding>& findings() { return findings_; }
  // Adds to `resolved` (resolveFindings()'s answer) the other places where a dictionary word
  // of a reported name stands capitalised on its own: "Okafor was seen again", "Marisol
  // called" after "Patient: Marisol Okafor". Not a word that is also safe-listed or English
  // ("Will", "Grace"), nor one after a clinician's title ("Dr. Okafor" is another person).
  void addNameRepeats(std::vector<Finding>& resolved) const;

 private:
  void dispatch(const Window& w, const Hit& hit);
  // Whether `f` lies in the rows of a staff or place table read so far.
  bool inStaffTable(const Finding& f) const;
  void dispatchHit(const Window& w, const Hit& hit);
  // Sets general_ from the general-knowledge cues that stand as words in `w` ("actor",
  // "authors"; not "factor", "authorize", "foreign"), and keeps those whose neighbouring
  // bytes are not there yet.
  void resolveWordCues(const Window& w);
  // Extends the open image payload (open_image_) over the bytes `w` adds.
  void extendOpenImage(const Window& w);

  const Databases& dbs_;
  const NameData& names_;
  // keywords() once: its guard check showed in the profile, at every hit.
  const std::vector<Keyword>& keywords_ = keywords();
  const std::vector<HealthTerm>& health_vocabulary_ = healthTerms();
  std::vector<Hit> pending_;
  size_t pending_sorted_ = 0;   // pending_ begins with this many hits in order (evaluate())
  uint64_t keyword_shift_ = 0;  // see setKeywordWindow()
  uint64_t keyword_floor_ = 0;
  std::vector<Finding> findings_;
  // Every dictionary word judged (addNameRepeats()), its id without kNameHit, and whether a
  // clinician's title was right before it (then kClinicianBefore is set in the id).
  std::vector<Hit> name_words_;
  static constexpr uint32_t kClinicianBefore = 1u << 31;
  static constexpr size_t kMaxNameWords = 1u << 16;
  bool clinical_ = false;
  // A clinical cue, a health term, or a patient's record (MRN, HL7, X12, DICOM, "patient")
  // was seen. A DOB makes a document clinical_ (its context rules loosen) but not about health.
  bool health_ = false;
  Window health_text_;
  std::vector<Hit> health_terms_;  // whole-word terms whose next byte has not arrived
  bool general_ = false;
  bool fiction_ = false;
  bool fhir_ = false;  // a "resourceType" key was seen: FHIR resources are in the request
  bool fixture_ = false;  // a test fixture's mark was seen ("ZZTEST", "Testpatient")
  float min_score_;
  bool strong_found_ = false;  // see Window::strong_found
  uint64_t email_from_ = UINT64_MAX;
  uint64_t email_to_ = UINT64_MAX;
  std::vector<Hit> word_cues_;  // general and fiction cues found, not yet judged as words
  uint64_t table_end_ = 0;
  std::vector<std::pair<uint64_t, uint64_t>> staff_tables_;
  uint64_t image_end_ = 0;
  uint64_t speech_end_ = 0;
  std::vector<std::pair<uint64_t, std::string>> figures_;  // Window::figures
  Window::OpenImage open_image_;  // an image payload still running at the end of the bytes
  const std::vector<RegexSegment>* segments_ = nullptr;
};

// Drops low scores, lets IMAGE spans swallow what is inside them, keeps the best of any
// overlapping findings, and sorts by start.
std::vector<Finding> resolveFindings(std::vector<Finding> findings, float min_score);

}  // namespace sluice::scanner
