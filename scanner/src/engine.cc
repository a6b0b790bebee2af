#include "engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <map>

#include "byte_classes.h"
#include "detectors.h"
#include "sluice/scanner/validators.h"

namespace sluice::scanner {
namespace {

constexpr uint64_t kLookahead = 512;      // bytes after a hit its detector may read
constexpr uint64_t kHl7Lookahead = 4096;  // an HL7 segment or SQL statement is read on
// A table under a header is read row by row to its end (up to 500 rows): a stream judges its
// header once this much has arrived after it, or at the end, so that a long CSV or pipe
// table's later rows are read as one-shot reads them. Only findings are delayed (the stream
// reports them at finish()); the history is kept from the header on meanwhile.
constexpr uint64_t kTableLookahead = 65536;
constexpr uint64_t kLookbehind = 1024;    // bytes before a hit its detector may read

std::atomic<uint64_t> next_database_id{1};

Result<hs_database_t*> compileRegex(unsigned mode) {
  const auto& patterns = regexPatterns();
  std::vector<std::string> storage;
  std::vector<const char*> exprs;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  storage.reserve(patterns.size());
  for (size_t i = 0; i < patterns.size(); ++i) {
    storage.emplace_back(patterns[i].regex);
    exprs.push_back(storage.back().c_str());
    flags.push_back((patterns[i].leftmost ? HS_FLAG_SOM_LEFTMOST : 0u) |
                    (patterns[i].caseless ? HS_FLAG_CASELESS : 0u));
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                       mode, nullptr, &db, &err) != HS_SUCCESS) {
    std::string message =
        "compiling scanner pattern " + std::to_string(err->expression) + ": " + err->message;
    hs_free_compile_error(err);
    return internalError(message);
  }
  return db;
}

bool documentCue(const Keyword& k) {
  return k.cue == Cue::kClinical || k.cue == Cue::kGeneral;
}

// Literals with their lengths, Hyperscan flags and ids, as one database; `what` names them in
// an error.
struct Literals {
  std::vector<const char*> exprs;
  std::vector<size_t> lengths;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;

  void add(std::string_view text, unsigned flag, size_t id) {
    exprs.push_back(text.data());
    lengths.push_back(text.size());
    flags.push_back(flag);
    ids.push_back(static_cast<unsigned>(id));
  }

  Result<hs_database_t*> compile(unsigned mode, const char* what) const {
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lengths.data(),
                             static_cast<unsigned>(exprs.size()), mode, nullptr, &db,
                             &err) != HS_SUCCESS) {
      std::string message = std::string("compiling ") + what + ": " + err->message;
      hs_free_compile_error(err);
      return internalError(message);
    }
    return db;
  }
};

// Hyperscan's literal matcher (FDR) sizes its hash table by the number of literals it is
// given: 2^12 entries under 1,000 literals, 2^13 from there to 10,000. The keyword database's
// 700-odd literals, most of them caseless and common in prose ("patient", " St"), crowd the
// smaller table, and its false candidates cost more than the matching itself. Literals no
// text holds fill the set up to this size, which takes the larger table: the keyword scan
// runs about 22% faster (docs/PERFORMANCE.md, eleventh round). Each filler costs compile
// time, so the floor is a little above 1,000 (Hyperscan counts a few literals fewer than it
// is given); 1,150 and 1,700 scanned alike. The document cues and the health words gain
// nothing: their scans stop at their first true match.
constexpr size_t kKeywordLiteralFloor = 1200;

// Adds literals made only of the bytes 0xF8-0xFF, which UTF-8 never uses, up to `floor`
// literals in all. Their ids follow keywords(), and onKeyword() drops them: a body that is
// not UTF-8 may still hold them.
void padLiterals(Literals& literals, size_t floor, std::vector<std::string>& storage) {
  size_t first_id = keywords().size();
  size_t count = floor > literals.exprs.size() ? floor - literals.exprs.size() : 0;
  storage.reserve(count);
  for (size_t n = 0; n < count; ++n) {
    std::string& filler = storage.emplace_back();
    for (size_t digits = n, i = 0; i < 8; ++i, digits >>= 3) {
      filler.push_back(static_cast<char>(0xF8 | (digits & 7)));
    }
    literals.add(filler, 0, first_id + n);
  }
}

// Which keywords a keyword database holds besides the document cues: all of them, or those
// in other scripts (scriptKeyword()) apart from the others.
enum class KeywordPart { kAll, kNotScript, kScript };

// The keywords that are (or are not) document-wide cues, with their index in keywords() as
// the Hyperscan id.
Result<hs_database_t*> compileKeywords(bool document_cues, unsigned mode,
                                       KeywordPart part = KeywordPart::kAll) {
  Literals literals;
  const auto& all = keywords();
  for (size_t i = 0; i < all.size(); ++i) {
    if (documentCue(all[i]) != document_cues) continue;
    if (!document_cues && part != KeywordPart::kAll &&
        scriptKeyword(all[i].text) != (part == KeywordPart::kScript)) {
      continue;
    }
    // A clinical cue counts at its first match. A general one may first match inside a
    // longer word ("factor") and only later as a word ("actor"): every match is reported.
    literals.add(all[i].text,
                 (all[i].caseless ? HS_FLAG_CASELESS : 0u) |
                     (all[i].cue == Cue::kClinical ? HS_FLAG_SINGLEMATCH : 0u),
                 i);
  }
  std::vector<std::string> fillers;
  if (!document_cues && part != KeywordPart::kScript) {
    padLiterals(literals, kKeywordLiteralFloor, fillers);
  }
  return literals.compile(mode, "scanner keywords");
}

// The health vocabulary, with its index in healthTerms() as the id. Every match is reported,
// because a term counts only as a word ("pt" in "prompt" does not): onHealthTerm() checks
// the bytes around it.
Result<hs_database_t*> compileHealthTerms(unsigned mode) {
  Literals literals;
  const auto& terms = healthTerms();
  for (size_t i = 0; i < terms.size(); ++i) literals.add(terms[i].text, HS_FLAG_CASELESS, i);
  return literals.compile(mode, "health terms");
}

struct ScratchCache {
  std::vector<std::pair<uint64_t, hs_scratch_t*>> entries;
  ~ScratchCache() {
    for (auto& e : entries) hs_free_scratch(e.second);
  }
};

}  // namespace

Databases::~Databases() {
  hs_free_database(regex_block);
  hs_free_database(keyword_block);
  hs_free_database(script_block);
  hs_free_database(keyword_stream);
  hs_free_database(cue_block);
  hs_free_database(cue_stream);
  hs_free_database(health_block);
  hs_free_database(health_stream);
}

bool scriptKeyword(std::string_view text) {
  return std::any_of(text.begin(), text.end(), classes::scriptLead);
}

Result<std::unique_ptr<Databases>> compileDatabases(bool with_names, double& compile_ms) {
  auto started = std::chrono::steady_clock::now();
  auto dbs = std::make_unique<Databases>();
  dbs->id = next_database_id.fetch_add(1);
  SLUICE_ASSIGN_OR_RETURN(dbs->regex_block, compileRegex(HS_MODE_BLOCK));

  for (const Keyword& k : keywords()) {
    dbs->keyword_lengths.push_back(static_cast<uint32_t>(k.text.size()));
  }
  SLUICE_ASSIGN_OR_RETURN(dbs->keyword_block,
                          compileKeywords(false, HS_MODE_BLOCK, KeywordPart::kNotScript));
  SLUICE_ASSIGN_OR_RETURN(dbs->script_block,
                          compileKeywords(false, HS_MODE_BLOCK, KeywordPart::kScript));
  SLUICE_ASSIGN_OR_RETURN(dbs->keyword_stream,
                          compileKeywords(false, HS_MODE_STREAM, KeywordPart::kNotScript));
  for (const Keyword& k : keywords()) {
    if (scriptKeyword(k.text)) dbs->script_length = std::max(dbs->script_length, k.text.size());
  }
  SLUICE_ASSIGN_OR_RETURN(dbs->cue_block, compileKeywords(true, HS_MODE_BLOCK));
  SLUICE_ASSIGN_OR_RETURN(dbs->cue_stream, compileKeywords(true, HS_MODE_STREAM));
  SLUICE_ASSIGN_OR_RETURN(dbs->health_block, compileHealthTerms(HS_MODE_BLOCK));
  SLUICE_ASSIGN_OR_RETURN(dbs->health_stream, compileHealthTerms(HS_MODE_STREAM));

  if (with_names) dbs->names = NameLexicon(NameData::instance());
  compile_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return dbs;
}

Result<hs_scratch_t*> scratchFor(const Databases& dbs) {
  thread_local ScratchCache cache;
  for (auto& e : cache.entries) {
    if (e.first == dbs.id) return e.second;
  }
  hs_scratch_t* scratch = nullptr;
  for (hs_database_t* db :
       {dbs.regex_block, dbs.keyword_block, dbs.script_block, dbs.keyword_stream, dbs.cue_block,
        dbs.cue_stream, dbs.health_block, dbs.health_stream}) {
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) {
      if (scratch != nullptr) hs_free_scratch(scratch);
      return Error(ErrorCode::kResourceExhausted, "allocating Hyperscan scratch failed");
    }
  }
  cache.entries.emplace_back(dbs.id, scratch);
  return scratch;
}

int Evaluator::onRegex(unsigned id, unsigned long long from, unsigned long long to,
                       unsigned /*flags*/, void* context) {
  auto* self = static_cast<Evaluator*>(context);
  // A pattern compiled without its start reports the end for it; its detector looks back.
  if (!regexPatterns()[id].leftmost) from = to;
  // Matches never span the separator between windows, so both ends map through one segment.
  const auto& segments = *self->segments_;
  auto it = std::upper_bound(segments.begin(), segments.end(), to - 1,
                             [](uint64_t pos, const RegexSegment& s) { return pos < s.packed; });
  uint64_t shift = (it - 1)->decoded - (it - 1)->packed;
  self->pending_.push_back({id, from + shift, to + shift});
  return 0;
}

int Evaluator::onKeyword(unsigned id, unsigned long long /*from*/, unsigned long long to,
                         unsigned /*flags*/, void* context) {
  auto* self = static_cast<Evaluator*>(context);
  if (id >= self->keywords_.size()) return 0;  // a filler (padLiterals)
  to += self->keyword_shift_;
  if (to <= self->keyword_floor_) return 0;  // found by an earlier scan (setKeywordWindow)
  const Keyword& keyword = self->keywords_[id];
  switch (keyword.cue) {
    case Cue::kDob:  // "DOB" means a patient; "born" is also how history is told
      // (but a traveller's or a taxpayer's DOB says nothing of health)
      if (keyword.text != "born") self->clinical_ = true;
      break;
    case Cue::kX12Segment:
      // DTM and REF are in every X12 transaction (a purchase order's too); the others are
      // the health care transactions' own.
      if (keyword.text == "DTM*" || keyword.text == "REF*") break;
      self->clinical_ = self->health_ = true;
      break;
    case Cue::kMrn:  // a record number or an HL7 or X12 segment means a patient
    case Cue::kHl7Segment:
    case Cue::kDicom: self->clinical_ = self->health_ = true; break;
    case Cue::kNameLabel:  // "patient" - but not "name:" or "my name is"
      // ("pt:" may end "Dept:"; the label itself is judged by its detector). A clinic's
      // flyer in Spanish says "pacientes nuevos" with the clinic's own phones and addresses,
      // which the organisation rules read in English only: "paciente" says health, not more.
      if (keyword.text == "paciente" || keyword.text == "paziente") {
        self->health_ = true;
      } else if (toLower(keyword.text[0]) == 'p' && keyword.text != "pt:") {
        self->clinical_ = self->health_ = true;
      }
      break;
    case Cue::kFiction:
      // A degree in capitals ("DVM", a veterinarian's) counts as a word only: "DVMB2D4" is a
      // device's model (resolveWordCues).
      if (!keyword.caseless && isAlpha(keyword.text.back())) {
        self->word_cues_.push_back({id, to - self->dbs_.keyword_lengths[id], to});
      } else {
        self->fiction_ = true;
      }
      return 0;
    case Cue::kFhirResource: self->fhir_ = true; return 0;
    case Cue::kFixture: self->fixture_ = true; return 0;
    case Cue::kEmailHeader: {
      // "\nFrom: " or "\"From: " (the first line of a message), and "\nTo: ".
      uint64_t& first = keyword.text[1] == 'F' ? self->email_from_ : self->email_to_;
      first = std::min<uint64_t>(first, to - keyword.text.size());
      return 0;
    }
    default: break;
  }
  self->pending_.push_back({kKeywordHit | id, to - self->dbs_.keyword_lengths[id], to});
  return 0;
}

int Evaluator::onDocumentCue(unsigned id, unsigned long long /*from*/, unsigned long long to,
                             unsigned /*flags*/, void* context) {
  auto* self = static_cast<Evaluator*>(context);
  Cue cue = self->keywords_[id].cue;
  // A clinical stem counts anywhere ("diagnos" in "undiagnosed", "therapy" in
  // "psychotherapy"): a document wrongly taken for clinical only loosens some context rules.
  // A general-knowledge cue hides names, so it has to be a word (resolveWordCues).
  if (cue == Cue::kClinical) self->clinical_ = self->health_ = true;
  if (cue == Cue::kGeneral && !self->general_) {
    self->word_cues_.push_back({id, to - self->dbs_.keyword_lengths[id], to});
  }
  return self->clinical_ ? 1 : 0;
}

void Evaluator::setHealthText(const Window& w) {
  health_text_ = w;
  // A term that ended the previous write is judged once the byte after it is here.
  size_t kept = 0;
  for (const Hit& term : health_terms_) {
    if (health_) break;
    if (!w.final && term.end >= w.end()) {
      health_terms_[kept++] = term;
    } else if (!isWordChar(w.at(term.end))) {
      health_ = true;
    }
  }
  health_terms_.resize(health_ ? 0 : kept);
}

int Evaluator::onHealthTerm(unsigned id, unsigned long long /*from*/, unsigned long long to,
                            unsigned /*flags*/, void* context) {
  auto* self = static_cast<Evaluator*>(context);
  const HealthTerm& term = self->health_vocabulary_[id];
  const Window& w = self->health_text_;
  uint64_t start = to - term.text.size();
  // A byte before the bytes still held is taken for a word's start.
  if (term.word_start && start > w.begin() && isWordChar(w.at(start - 1))) return 0;
  if (term.word_end) {
    if (!w.final && to >= w.end()) {
      self->health_terms_.push_back({id, start, to});
      return 0;
    }
    if (isWordChar(w.at(to))) return 0;
  }
  self->health_ = true;
  return 1;
}

bool Evaluator::inStaffTable(const Finding& f) const {
  return std::any_of(staff_tables_.begin(), staff_tables_.end(),
                     [&](const auto& t) { return f.start >= t.first && f.end <= t.second; });
}

void Evaluator::corroborateStaffTables() {
  for (auto [from, to] : staff_tables_) {
    for (Finding& f : findings_) {
      if (f.start >= from && f.end <= to && f.score > 0) f.score = -f.score;
    }
  }
}

void Evaluator::limitToHealthContext() {
  if (healthContext()) return;
  // A record number, a health plan's ID, an age over 89 or a biometric ID is health
  // information itself or kept only for care: beside one, every identifier counts. An image
  // is reported in any request, for the policy to judge.
  auto healthId = [&](const Finding& f) {
    return (f.type == PhiType::kMrn || f.type == PhiType::kHealthPlan || f.type == PhiType::kAge ||
            f.type == PhiType::kBiometric) &&
           f.score >= min_score_;
  };
  if (std::any_of(findings_.begin(), findings_.end(), healthId)) return;
  std::erase_if(findings_, [](const Finding& f) { return f.type != PhiType::kImage; });
}

void Evaluator::resolveWordCues(const Window& w) {
  size_t kept = 0;
  for (const Hit& cue : word_cues_) {
    bool fiction = keywords_[cue.id].cue == Cue::kFiction;
    bool& found = fiction ? fiction_ : general_;
    if (found) continue;
    // The byte before, and the letters after: none, or (for a general cue) an inflection
    // ("actors", "reigned", "writing"), not another word ("authorize", "novelty").
    if (!w.final && cue.end + 4 > w.end()) {
      word_cues_[kept++] = cue;
      continue;
    }
    // A cue whose byte before is no longer held is not counted: names stay reported.
    bool left = cue.start == 0 || (cue.start - 1 >= w.begin() && !isAlpha(w.at(cue.start - 1)));
    std::string suffix;
    for (uint64_t at = cue.end; suffix.size() < 4 && isAlpha(w.at(at)); ++at) {
      suffix += toLower(w.at(at));
    }
    bool right = fiction ? suffix.empty() && !isDigit(w.at(cue.end))
                         : suffix.empty() || suffix == "s" || suffix == "es" || suffix == "d" ||
                               suffix == "ed" || suffix == "ing";
    if (left && right) found = true;
  }
  word_cues_.resize(kept);
}

namespace {

// The keywords that stay judged in their first reach: the image and structure detectors
// depend on the order of judgements, which must stay the one-shot order.
bool structural(Cue cue) {
  return cue == Cue::kImageBlock || cue == Cue::kDataImage || cue == Cue::kJsonKey ||
         cue == Cue::kFhirSystem || cue == Cue::kUrlScheme || cue == Cue::kWww ||
         cue == Cue::kEmailAt || cue == Cue::kX12Segment || cue == Cue::kRecordPath ||
         cue == Cue::kDicom;
}

// Whether a clinician's title stands right before `pos`, or before the capitalised word
// right before it: "Dr. Okafor", "Dr Maria Okafor", "Nurse Okafor".
bool clinicianBefore(const Window& w, uint64_t pos) {
  static const std::vector<std::string_view> kTitles = {"dr",   "dra",       "drs",   "doctor",
                                                        "prof", "professor", "nurse", "np"};
  uint64_t q = pos;
  for (int words = 0; words < 2; ++words) {
    while (q > w.begin() && (w.at(q - 1) == ' ' || w.at(q - 1) == '.')) --q;
    uint64_t e = q;
    while (q > w.begin() && e - q < 10 && isAlpha(w.at(q - 1))) --q;
    if (q == e || e - q >= 10) return false;
    std::string word = lowerCopy(w.slice(q, e));
    if (std::find(kTitles.begin(), kTitles.end(), word) != kTitles.end()) return true;
    if (!isUpper(w.at(q))) return false;
  }
  return false;
}

// Whether the line of `f` (up to 120 bytes each side) is a test fixture's row:
// "TEST0002;Testpatient;Bravo;01/01/1900".
bool fixtureRow(const Window& w, const Finding& f) {
  uint64_t from = f.start > w.begin() + 120 ? f.start - 120 : w.begin();
  std::string around = lowerCopy(w.slice(from, std::min(w.end(), f.end + 120)));
  std::string_view row = around;
  if (size_t nl = row.rfind('\n', f.start - from); nl != std::string_view::npos) {
    row.remove_prefix(nl + 1);
  }
  row = row.substr(0, row.find('\n', f.end - from - (around.size() - row.size())));
  // The marks are the fixture keywords (Cue::kFixture in rules.cc), all caseless.
  for (const Keyword& k : keywords()) {
    if (k.cue == Cue::kFixture && row.find(k.text) != std::string_view::npos) return true;
  }
  return false;
}

// Whether a part of `text` between `separators` is one of `words`, once the digits that end
// it are dropped when `strip_digits` ("loadtest_0041" holds "loadtest").
bool hasPart(std::string_view text, std::string_view separators,
             const std::vector<std::string_view>& words, bool strip_digits) {
  for (size_t i = 0; i < text.size();) {
    size_t j = text.find_first_of(separators, i);
    if (j == std::string_view::npos) j = text.size();
    std::string_view part = text.substr(i, j - i);
    while (strip_digits && !part.empty() && isDigit(part.back())) part.remove_suffix(1);
    if (std::find(words.begin(), words.end(), part) != words.end()) return true;
    i = j + 1;
  }
  return false;
}

// "[VERIFY WITH DOB IN SYSTEM]", "[NON MANM NAN]": a template's slot, words in capitals
// between brackets, with no digit (a DICOM dump's "[DELACRUZ^MARISOL^T]" is a value).
bool capitalsInBrackets(const Window& w, const Finding& f) {
  auto slot = [](char c) {
    return isUpper(c) || c == ' ' || static_cast<unsigned char>(c) >= 0x80;
  };
  uint64_t open = f.start;
  bool space = false;
  while (open > w.begin() && f.start - open < 48 && w.at(open - 1) != '[') {
    if (!slot(w.at(open - 1))) return false;
    space = space || w.at(open - 1) == ' ';
    --open;
  }
  if (open == w.begin() || w.at(open - 1) != '[') return false;
  for (uint64_t close = f.start; close < w.end() && close < f.end + 64; ++close) {
    char c = w.at(close);
    if (c == ']') return space;
    if (!slot(c)) return false;
    space = space || c == ' ';
  }
  return false;
}

// Values that say they are made up: "ZZTEST^PATIENT^A", MRN "TEST123456", "99999901", and
// a date right after "placeholder", "dummy" or "sentinel" ("DOB placeholder 01/01/1970"); and
// a template's variables ("${MRN}", "{{last_name}}").
// `fixture`: the request holds a test fixture's mark (fixtureRow()).
bool placeholderValue(const Window& w, const Finding& f, bool fixture) {
  // Inside MIMIC's de-identification brackets: "[**Medical Record Number 5678**]".
  std::string_view before = w.slice(f.start > w.begin() + 48 ? f.start - 48 : w.begin(), f.start);
  if (std::memchr(before.data(), '[', before.size()) != nullptr) {
    size_t open = before.rfind("[**");
    if (open != std::string_view::npos && before.find("**]", open) == std::string_view::npos) {
      return true;
    }
  }
  static const std::vector<std::string_view> kSaidMadeUp = {"placeholder", "dummy", "sentinel"};
  if (fixture &&
      (f.type == PhiType::kName || f.type == PhiType::kDate || f.type == PhiType::kMrn ||
       f.type == PhiType::kId) &&
      fixtureRow(w, f)) {
    return true;
  }
  if (f.type != PhiType::kDate) {
    // "XX0000000", "00000": a value whose digits are all zeros is a form's or a fixture's
    // blank; and so is one digit said over and over ("vin": "11111111111111111").
    std::string_view value = w.slice(f.start, f.end);
    size_t digits = 0;
    bool nonzero = false;
    for (char c : value) {
      digits += isDigit(c) ? 1 : 0;
      nonzero = nonzero || (isDigit(c) && c != '0');
    }
    if (digits >= 5 && !nonzero) return true;
    if (digits >= 6 && digits == value.size() &&
        value.find_first_not_of(value.front()) == std::string_view::npos) {
      return true;
    }
  }
  if (f.type == PhiType::kDate) {
    // The first day of 1900, in any form: a system's "unknown" birth date.
    std::string_view date = w.slice(f.start, f.end);
    if (date.find("1900") != std::string_view::npos) {
      auto d = validators::parseDate(date);
      if (d && d->year == 1900 && d->month == 1 && d->day == 1) return true;
    }
    // "2099-01-01", "12/31/2099": a system's "no end" or a fixture's far-future date.
    if (date.find("209") != std::string_view::npos) {
      auto d = validators::parseDate(date);
      if (d && d->year >= 2090) return true;
    }
    return cueBefore(w, f.start, 16, kSaidMadeUp);
  }
  std::string text = lowerCopy(w.slice(f.start, f.end));
  if (text.find("${") != std::string::npos || text.find("{{") != std::string::npos) return true;
  static const std::vector<std::string_view> kMadeUp = {
      "test", "zztest", "testpatient", "patientone", "dummy", "sample", "example", "fake",
      "patient", "anonymous", "unknown", "citizen", "lastname", "firstname",
      // What a de-identification tool writes in the name's place ("PN [ANONYMIZED]").
      "anonymized", "anonymised", "deidentified", "redacted", "removed", "withheld",
      // Germany's placeholder people: "Max Mustermann", "Erika Musterfrau".
      "mustermann", "musterfrau"};
  if (size_t at = text.find('@');
      f.type == PhiType::kEmail || (f.type == PhiType::kHealthPlan && at != std::string::npos)) {
    // "test.patient@...", "fake_user@...": a mailbox made up for a fixture; "yourname@abdm",
    // "name@abdm": a guide's example of a mailbox or a health account's handle.
    static const std::vector<std::string_view> kGuide = {"name", "yourname", "username", "user",
                                                         "xyz"};
    std::string_view box = std::string_view(text).substr(0, at);
    return hasPart(box, "._-+", kMadeUp, false) || hasPart(box, "._-+", kGuide, false);
  }
  if (f.type == PhiType::kName) {
    // "Zzdev", "ZZTEST": test patients' names start with ZZ, so that they sort last; and the
    // placeholders of forms and sample cards ("JANE DOE", "Doe, John").
    if (text.rfind("zz", 0) == 0) return true;
    if (capitalsInBrackets(w, f)) return true;
    static const std::vector<std::string_view> kDoes = {
        "john doe", "jane doe",     "baby doe",  "doe, john",      "doe, jane",     "richard roe",
        "jane roe", "roe, richard", "roe, jane", "john appleseed", "jane appleseed"};
    if (std::find(kDoes.begin(), kDoes.end(), text) != kDoes.end()) return true;
    size_t i = 0;
    while (i < text.size()) {
      size_t j = i;
      while (j < text.size() && isAlpha(text[j])) ++j;
      if (j > i && std::find(kMadeUp.begin(), kMadeUp.end(),
                             std::string_view(text).substr(i, j - i)) != kMadeUp.end()) {
        return true;
      }
      i = j + 1;
    }
    return false;
  }
  if (f.type == PhiType::kMrn || f.type == PhiType::kId || f.type == PhiType::kHealthPlan ||
      f.type == PhiType::kAccount) {
    // "ZZ9990001": test patients' record numbers start with ZZ, so that they sort last.
    bool test_record =
        f.type != PhiType::kHealthPlan && f.type != PhiType::kAccount && text.rfind("zz", 0) == 0;
    // "loadtest_0041", "demo-user-7": an account made for a load test or a demo.
    static const std::vector<std::string_view> kMadeUpAccounts = {"test", "loadtest", "demo",
                                                                  "synthetic"};
    // "***", "FAKE123": a scrubbed field, a fixture's value.
    bool no_value = std::none_of(text.begin(), text.end(), [](char c) { return isAlnum(c); });
    // "ABC1234", "XYZ123456789": a format's example, in letters and digits that count up.
    std::string digits = validators::digitsOf(text);
    bool counting = digits.size() >= 4 && std::string_view("1234567890").starts_with(digits) &&
                    (text.rfind("abc", 0) == 0 || text.rfind("xyz", 0) == 0);
    return test_record || no_value || counting || hasPart(text, "_.-", kMadeUpAccounts, true) ||
           text.rfind("test", 0) == 0 || text.rfind("fake", 0) == 0 ||
           text.find("99999") != std::string::npos || text.find("000000") != std::string::npos;
  }
  if (f.type == PhiType::kAddress) {
    // "123 TEST ST^^TESTVILLE": a test patient's address; "Musterweg 1, Musterstadt": a
    // German form's; "ANYTOWN": a sample's.
    for (std::string_view mark : {"test", "muster", "anytown"}) {
      for (size_t at = text.find(mark); at != std::string::npos; at = text.find(mark, at + 1)) {
        if (at == 0 || !isAlpha(text[at - 1])) return true;
      }
    }
    return false;
  }
  if (f.type == PhiType::kPhone || f.type == PhiType::kFax) {
    // "(000)000-0000", "(000)000-0001": no number starts with 000. "555-555-0100", "+1 555
    // 555 0123": the fixtures' and the films' number, no area code 555 being in service.
    std::string digits = validators::digitsOf(text);
    if (digits.rfind("000", 0) == 0) return true;
    // The area code as written: the first run of digits after a country code 1 (a number
    // read aloud has none).
    size_t at = text.find_first_of("0123456789");
    if (at == std::string::npos) return false;
    size_t run = text.find_first_not_of("0123456789", at);
    if (run == at + 1 && text[at] == '1') {
      at = text.find_first_of("0123456789", run);
      if (at == std::string::npos) return false;
      run = text.find_first_not_of("0123456789", at);
    }
    std::string_view area = std::string_view(text).substr(at, run - at);
    return digits.size() >= 10 && digits.find("555555") <= 1 &&
           (area == "555" || area.size() >= 10);
  }
  return false;
}

// Whether the device whose serial starts at `pos` is a person's: one implanted or worn
// ("my husband's pacemaker serial", "insulin pump SN"). Other serials are equipment's (an
// infusion pump's asset record, a lot of monitors) and identify a patient only beside
// another identifier.
bool personalDevice(const Window& w, uint64_t pos) {
  static const std::vector<std::string_view> kPersonal = {
      // Implanted or worn,
      "pacemaker", "implant", "defibrillator", "icd", "insulin pump", "cochlear", "hearing aid",
      "cpap", "bipap", "stimulator", "prosthe", "stent", "glucose monitor", "cgm", "dexcom",
      "libre", "interlock", "wheelchair", "concentrator",
      // or someone's.
      "my ", "his ", "her ", "patient's", "pt's"};
  return cueBefore(w, pos, 56, kPersonal);
}

}  // namespace

void Evaluator::dispatch(const Window& w, const Hit& hit) {
  size_t from = findings_.size();
  dispatchHit(w, hit);
  if (findings_.size() == from) return;
  // A provider directory's entries (FHIR Practitioner, Organization, Location) count only
  // beside a patient's identifiers.
  bool directory = fhir_ && !strong_found_ && detect::fhirDirectoryEntry(w, hit.start);
  for (size_t i = from; i < findings_.size(); ++i) {
    Finding& f = findings_[i];
    if (placeholderValue(w, f, fixture_)) {
      f.score = 0.0f;
    } else if (directory || inStaffTable(f) ||
               (f.type == PhiType::kDevice && !personalDevice(w, f.start))) {
      f.score = -std::abs(f.score);
    } else if (w.fiction && f.type != PhiType::kImage) {
      // A story's, a synthetic record's or an animal's people, dates, places and numbers are
      // no patient's.
      f.score = -std::abs(f.score);
    } else if (!strong_found_ &&
               (f.type == PhiType::kName || f.type == PhiType::kPhone ||
                f.type == PhiType::kEmail) &&
               staffLine(w, f.start, f.end)) {
      // A person named with a role ("account exec Lauren Ziegler 312-555-0163") is staff's
      // or a vendor's: a patient only beside another identifier.
      f.score = -std::abs(f.score);
    } else if (!strong_found_ && f.type == PhiType::kName && addresseeLine(w, f.start)) {
      // The people a message or a meeting lists (To:, Cc:, Present:) are its staff and
      // members: a patient only beside another identifier (which, once a reportable finding
      // is there, they are: the check is skipped).
      f.score = -std::abs(f.score);
    }
    strong_found_ = strong_found_ || f.score >= min_score_;
  }
}

void Evaluator::dispatchHit(const Window& w, const Hit& hit) {
  if ((hit.id & (kKeywordHit | kNameHit)) == 0) {
    detect::formatRule(w, regexPatterns()[hit.id].rule, hit.start, hit.end, findings_);
    return;
  }
  uint32_t id = hit.id & kHitIndexMask;
  if ((hit.id & kNameHit) != 0) {
    detect::nameHit(w, names_, id, hit.start, hit.end, findings_);
    if (name_words_.size() < kMaxNameWords) {
      name_words_.push_back(
          {id | (clinicianBefore(w, hit.start) ? kClinicianBefore : 0u), hit.start, hit.end});
    }
    return;
  }
  Cue cue = keywords_[id].cue;
  switch (cue) {
    case Cue::kEmailAt: detect::email(w, hit.start, findings_); return;
    case Cue::kUrlScheme:
    case Cue::kWww: detect::url(w, cue, hit.start, hit.end, findings_); return;
    case Cue::kDataImage:
    case Cue::kImageBlock: detect::image(w, cue, hit.start, hit.end, findings_); return;
    case Cue::kHl7Segment: detect::hl7Segment(w, names_, hit.start, hit.end, findings_); return;
    case Cue::kFhirSystem: detect::fhirSystem(w, hit.start, hit.end, findings_); return;
    case Cue::kSqlInsert: detect::sqlInsert(w, names_, hit.start, hit.end, findings_); return;
    case Cue::kXmlEnd: detect::xmlElement(w, names_, hit.start, hit.end, findings_); return;
    case Cue::kX12Segment: detect::x12Segment(w, hit.start, hit.end, findings_); return;
    case Cue::kDicom: detect::dicomElement(w, hit.start, findings_); return;
    case Cue::kStreet: detect::streetAddress(w, hit.start, hit.end, findings_); return;
    case Cue::kStreetAhead:
    case Cue::kStreetInWord: detect::streetAhead(w, cue, hit.start, hit.end, findings_); return;
    case Cue::kResidence:
      detect::cityAfterResidenceCue(w, names_, hit.start, hit.end, findings_);
      return;
    case Cue::kRecordPath: detect::recordPath(w, hit.end, findings_); return;
    case Cue::kPatronymic: detect::patronymicName(w, hit.start, hit.end, findings_); return;
    case Cue::kKeyValue:
    case Cue::kDictKey: detect::keyValue(w, names_, cue, hit.start, findings_); return;
    case Cue::kJsonKey: {
      // Back from the closing quote to the opening one: "memberId":
      uint64_t open = hit.start;
      while (open > w.begin() && open + 42 > hit.start && w.at(open - 1) != '"') --open;
      if (open > w.begin() && w.at(open - 1) == '"' && open < hit.start) {
        detect::jsonKey(w, names_, open - 1, hit.end, findings_);
      }
      return;
    }
    default: detect::keywordCue(w, names_, cue, hit.start, hit.end, findings_); return;
  }
}

void Evaluator::extendOpenImage(const Window& w) {
  if (!open_image_.open) return;
  Finding& f = findings_[open_image_.finding];
  uint64_t from = std::max(f.end, w.begin());
  uint64_t end = open_image_.quoted ? detect::quotedEnd(w, from) : detect::payloadEnd(w, from);
  f.end = end;
  image_end_ = std::max(image_end_, end);
  open_image_.open = !w.final && end == w.end();
}

void Evaluator::evaluate(Window w) {
  resolveWordCues(w);
  extendOpenImage(w);
  w.clinical = clinical_;
  w.general = general_;
  w.fiction = fiction_;
  w.strong_found = &strong_found_;
  w.email_from = email_from_;
  w.email_to = email_to_;
  w.table_end = &table_end_;
  w.health = &health_;
  w.staff_tables = &staff_tables_;
  w.names = &names_;
  w.image_end = &image_end_;
  w.speech_end = &speech_end_;
  w.figures = &figures_;
  w.open_image = &open_image_;
  size_t judged_from = findings_.size();
  // Hits are judged in text order (by where they end), in one pass and in a stream alike: a
  // finding may depend on what the findings before it set (strong_found_, a staff table's
  // rows). In a stream, the hits after one that waits for its lookahead wait with it.
  // Each database reports its hits in the order they end, so the hits added since the last
  // evaluate() are a few sorted runs: merge them (sort them only when there are many), then
  // merge them into the hits kept from before, which are sorted.
  auto before = [](const Hit& a, const Hit& b) {
    if (a.end != b.end) return a.end < b.end;
    if (a.start != b.start) return a.start < b.start;
    return a.id < b.id;
  };
  auto at = [&](size_t i) { return pending_.begin() + static_cast<ptrdiff_t>(i); };
  size_t kept = std::min(pending_sorted_, pending_.size());
  thread_local std::vector<size_t> runs;
  runs.clear();
  for (size_t i = kept + 1; i < pending_.size() && runs.size() <= 8; ++i) {
    if (before(pending_[i], pending_[i - 1])) runs.push_back(i);
  }
  if (runs.size() > 8) {
    std::sort(at(kept), pending_.end(), before);
  } else {
    runs.push_back(pending_.size());
    for (size_t k = 0; k + 1 < runs.size(); ++k) {
      std::inplace_merge(at(kept), at(runs[k]), at(runs[k + 1]), before);
    }
  }
  std::inplace_merge(pending_.begin(), at(kept), pending_.end(), before);
  // The first hit that waits for its lookahead holds every hit after it.
  size_t judged = 0;
  for (; judged < pending_.size(); ++judged) {
    const Hit& hit = pending_[judged];
    // An HL7 segment and an SQL statement are read to their end, and so is the table under
    // a keyword that may head a column ("pt_name | dob | mbr_id", "mrn,last,first").
    uint64_t reach = kLookahead;
    if ((hit.id & kKeywordHit) != 0) {
      Cue cue = keywords_[hit.id & kHitIndexMask].cue;
      if (cue == Cue::kHl7Segment || cue == Cue::kSqlInsert || cue == Cue::kSpeech) {
        reach = kHl7Lookahead;
      } else if (!structural(cue) && hit.end + 1 < w.end() && detect::tableHeaderCell(w, hit.end)) {
        reach = kTableLookahead;
      }
    }
    if (!w.final && hit.end + reach > w.end()) break;
    dispatch(w, hit);
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(judged));
  pending_sorted_ = pending_.size();
  // A nickname, or the name in another script, after a name found now (its hit's lookahead
  // holds the bytes after it).
  for (size_t i = judged_from, n = findings_.size(); i < n; ++i) {
    Finding name = findings_[i];
    if (name.type != PhiType::kName || name.score == 0) continue;
    if (detect::Span nick = detect::nicknameAfter(w, name.end); !nick.empty()) {
      findings_.push_back({PhiType::kName, nick.start, nick.end, name.score});
    }
    detect::scriptNameInBrackets(w, name.end, name.score, findings_);
  }
}

void Evaluator::addNameRepeats(std::vector<Finding>& resolved) const {
  if (name_words_.empty()) return;
  auto entry = [](const Hit& word) { return word.id & ~(kClinicianBefore | kUpperName); };
  // The entries of the words inside a reported name; resolved is sorted by start.
  std::vector<uint32_t> reported;
  for (const Hit& word : name_words_) {
    auto it = std::upper_bound(resolved.begin(), resolved.end(), word.start,
                               [](uint64_t at, const Finding& f) { return at < f.start; });
    if (it == resolved.begin()) continue;
    const Finding& f = *std::prev(it);
    if (f.type == PhiType::kName && word.end <= f.end) reported.push_back(entry(word));
  }
  if (reported.empty()) return;
  std::sort(reported.begin(), reported.end());
  reported.erase(std::unique(reported.begin(), reported.end()), reported.end());
  std::erase_if(reported, [&](uint32_t id) {
    const std::string& title = names_.entries()[id].title;
    return names_.safe(title) || names_.englishWord(title);
  });
  size_t count = resolved.size();
  for (const Hit& word : name_words_) {
    if ((word.id & kClinicianBefore) != 0 ||
        !std::binary_search(reported.begin(), reported.end(), entry(word))) {
      continue;
    }
    auto it =
        std::upper_bound(resolved.begin(), resolved.begin() + static_cast<ptrdiff_t>(count),
                         word.start, [](uint64_t at, const Finding& f) { return at < f.start; });
    bool inside = it != resolved.begin() && std::prev(it)->end > word.start;
    bool overlaps = it != resolved.begin() + static_cast<ptrdiff_t>(count) && it->start < word.end;
    if (!inside && !overlaps) resolved.push_back({PhiType::kName, word.start, word.end, 0.7f});
  }
  if (resolved.size() == count) return;
  std::sort(resolved.begin(), resolved.end(),
            [](const Finding& a, const Finding& b) { return a.start < b.start; });
}

uint64_t Evaluator::oldestNeeded(uint64_t fallback) const {
  uint64_t oldest = fallback;
  for (const Hit& h : pending_) oldest = std::min(oldest, h.start);
  for (const Hit& h : word_cues_) oldest = std::min(oldest, h.start);
  return oldest > kLookbehind ? oldest - kLookbehind : 0;
}

std::vector<Finding> resolveFindings(std::vector<Finding> findings, float min_score) {
  // Findings that need another beside them (addCorroboratedFinding) count when one is there.
  bool corroborated = std::any_of(findings.begin(), findings.end(),
                                  [&](const Finding& f) { return f.score >= min_score; });
  for (Finding& f : findings) {
    if (f.score < 0) f.score = corroborated ? -f.score : 0.0f;
  }
  std::erase_if(findings, [&](const Finding& f) { return f.score < min_score; });
  std::vector<Finding> images;
  for (const Finding& f : findings) {
    if (f.type == PhiType::kImage) images.push_back(f);
  }
  if (!images.empty()) {
    std::erase_if(findings, [&](const Finding& f) {
      if (f.type == PhiType::kImage) return false;
      for (const Finding& img : images) {
        if (f.start < img.end && img.start < f.end) return true;
      }
      return false;
    });
  }
  // A total order, so that both APIs (which meet the findings in different orders) keep the
  // same one of two findings that tie on score and span: the more specific type, by its
  // place in PhiType (SSN before ID).
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.end - a.start != b.end - b.start) return a.end - a.start > b.end - b.start;
    if (a.start != b.start) return a.start < b.start;
    return a.type < b.type;
  });
  std::map<uint64_t, uint64_t> kept;  // start -> end, non-overlapping
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    auto it = kept.lower_bound(f.start);
    if (it != kept.end() && it->first < f.end) continue;
    if (it != kept.begin() && std::prev(it)->second > f.start) continue;
    kept.emplace(f.start, f.end);
    out.push_back(f);
  }
  std::sort(out.begin(), out.end(),
            [](const Finding& a, const Finding& b) { return a.start < b.start; });
  return out;
}

}  // namespace sluice::scanner
