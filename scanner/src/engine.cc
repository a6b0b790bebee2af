#include "engine.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>

#include "detectors.h"

namespace sluice::scanner {
namespace {

constexpr uint64_t kLookahead = 512;       // bytes after a hit its detector may read
constexpr uint64_t kHl7Lookahead = 4096;   // an HL7 segment is read to its end
constexpr uint64_t kLookbehind = 1024;     // bytes before a hit its detector may read
// Surnames by Census rank that get a Hyperscan literal; the rest are only looked up.
constexpr uint32_t kSurnamesInDatabase = 15000;
constexpr unsigned kNoName = 0xFFFFFF;

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
    flags.push_back(HS_FLAG_SOM_LEFTMOST | (patterns[i].caseless ? HS_FLAG_CASELESS : 0u));
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(exprs.size()), mode, nullptr, &db,
                       &err) != HS_SUCCESS) {
    std::string message = "compiling scanner pattern " + std::to_string(err->expression) +
                          ": " + err->message;
    hs_free_compile_error(err);
    return internalError(message);
  }
  return db;
}

Result<hs_database_t*> compileLiterals(const std::vector<std::string_view>& literals,
                                       const std::vector<unsigned>& flags,
                                       std::vector<unsigned> ids, unsigned mode) {
  std::vector<const char*> exprs;
  std::vector<size_t> lengths;
  for (size_t i = 0; i < literals.size(); ++i) {
    exprs.push_back(literals[i].data());
    lengths.push_back(literals[i].size());
    if (ids.size() < literals.size()) ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lengths.data(),
                           static_cast<unsigned>(exprs.size()), mode, nullptr, &db,
                           &err) != HS_SUCCESS) {
    std::string message = std::string("compiling scanner literals: ") + err->message;
    hs_free_compile_error(err);
    return internalError(message);
  }
  return db;
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
  hs_free_database(keyword_stream);
  hs_free_database(names_stream);
}

Result<std::unique_ptr<Databases>> compileDatabases(bool with_names, double& compile_ms) {
  auto started = std::chrono::steady_clock::now();
  auto dbs = std::make_unique<Databases>();
  dbs->id = next_database_id.fetch_add(1);
  SLUICE_ASSIGN_OR_RETURN(dbs->regex_block, compileRegex(HS_MODE_BLOCK));

  std::vector<std::string_view> literals;
  std::vector<unsigned> flags;
  for (const Keyword& k : keywords()) {
    literals.push_back(k.text);
    flags.push_back(k.caseless ? HS_FLAG_CASELESS : 0u);
    dbs->keyword_lengths.push_back(static_cast<uint32_t>(k.text.size()));
  }
  SLUICE_ASSIGN_OR_RETURN(dbs->keyword_block, compileLiterals(literals, flags, {}, HS_MODE_BLOCK));
  SLUICE_ASSIGN_OR_RETURN(dbs->keyword_stream,
                          compileLiterals(literals, flags, {}, HS_MODE_STREAM));

  // Names: every first name and the most frequent surnames, four letters or more, in the
  // capitalisation they have in prose. Shorter names ("Amy", "Lee"), rarer surnames and
  // ALL-CAPS forms are still recognised next to a hit or a cue through NameData::find();
  // three-letter literals doubled the match rate of this database for little gain.
  literals.clear();
  flags.clear();
  std::vector<unsigned> ids;
  std::vector<std::string> upper_names;  // owns the ALL-CAPS literals until compiled
  std::vector<unsigned> upper_ids;
  if (with_names) {
    upper_names.reserve(NameData::instance().entries().size());
    const auto& entries = NameData::instance().entries();
    for (size_t i = 0; i < entries.size(); ++i) {
      const NameEntry& e = entries[i];
      if (e.title.size() < 4 || !(e.first || e.last_rank < kSurnamesInDatabase)) continue;
      literals.push_back(e.title);
      flags.push_back(0);
      ids.push_back(static_cast<unsigned>(i));
      if (e.first) {  // "JOHN SMITH", "SMITH, JOHN" in forms and headers
        upper_names.push_back(e.title);
        for (char& c : upper_names.back()) c = isLower(c) ? static_cast<char>(c - 32) : c;
        upper_ids.push_back(static_cast<unsigned>(i) | kUpperName);
      }
    }
    for (size_t i = 0; i < upper_names.size(); ++i) {
      literals.push_back(upper_names[i]);
      flags.push_back(0);
      ids.push_back(upper_ids[i]);
    }
  } else {
    literals.push_back("\x01\x02\x03");  // Hyperscan needs at least one pattern
    flags.push_back(0);
    ids.push_back(kNoName);
  }
  SLUICE_ASSIGN_OR_RETURN(dbs->names_stream,
                          compileLiterals(literals, flags, ids, HS_MODE_STREAM));
  compile_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                         started)
                   .count();
  return dbs;
}

Result<hs_scratch_t*> scratchFor(const Databases& dbs) {
  thread_local ScratchCache cache;
  for (auto& e : cache.entries) {
    if (e.first == dbs.id) return e.second;
  }
  hs_scratch_t* scratch = nullptr;
  for (hs_database_t* db :
       {dbs.regex_block, dbs.keyword_block, dbs.keyword_stream,
        dbs.names_stream}) {
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
  self->pending_.push_back({id, from + self->regex_base_, to + self->regex_base_});
  return 0;
}

int Evaluator::onKeyword(unsigned id, unsigned long long /*from*/, unsigned long long to,
                         unsigned /*flags*/, void* context) {
  auto* self = static_cast<Evaluator*>(context);
  switch (keywords()[id].cue) {
    case Cue::kClinical:
      self->clinical_ = true;
      return 0;
    case Cue::kGeneral:
      self->general_ = true;
      return 0;
    case Cue::kMrn:  // a record number, a date of birth or an HL7 segment means a patient
    case Cue::kDob:
    case Cue::kHl7Segment:
      self->clinical_ = true;
      break;
    case Cue::kNameLabel:  // "patient", "pt:" - but not "name:" or "my name is"
      if (toLower(keywords()[id].text[0]) == 'p') self->clinical_ = true;
      break;
    default:
      break;
  }
  self->pending_.push_back({kKeywordHit | id, to - self->dbs_.keyword_lengths[id], to});
  return 0;
}

int Evaluator::onName(unsigned id, unsigned long long /*from*/, unsigned long long to,
                      unsigned /*flags*/, void* context) {
  auto* self = static_cast<Evaluator*>(context);
  if (id == kNoName) return 0;
  uint64_t length = self->names_.entries()[id & ~kUpperName].title.size();
  self->pending_.push_back({kNameHit | id, to - length, to});
  return 0;
}

void Evaluator::dispatch(const Window& w, const Hit& hit) {
  if ((hit.id & (kKeywordHit | kNameHit)) == 0) {
    detect::formatRule(w, regexPatterns()[hit.id].rule, hit.start, hit.end, findings_);
    return;
  }
  uint32_t id = hit.id & kHitIndexMask;
  if ((hit.id & kNameHit) != 0) {
    detect::nameHit(w, names_, id, hit.start, hit.end, findings_);
    return;
  }
  Cue cue = keywords()[id].cue;
  switch (cue) {
    case Cue::kEmailAt: detect::email(w, hit.start, findings_); return;
    case Cue::kUrlScheme:
    case Cue::kWww: detect::url(w, cue, hit.start, hit.end, findings_); return;
    case Cue::kDataImage:
    case Cue::kImageBlock: detect::image(w, cue, hit.start, hit.end, findings_); return;
    case Cue::kHl7Segment: detect::hl7Segment(w, names_, hit.start, hit.end, findings_); return;
    case Cue::kFhirSystem: detect::fhirSystem(w, hit.start, hit.end, findings_); return;
    case Cue::kStreet: detect::streetAddress(w, hit.start, hit.end, findings_); return;
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

void Evaluator::evaluate(Window w) {
  w.clinical = clinical_;
  w.general = general_;
  w.table_end = &table_end_;
  w.image_end = &image_end_;
  size_t kept = 0;
  for (size_t i = 0; i < pending_.size(); ++i) {
    const Hit& hit = pending_[i];
    bool hl7 = (hit.id & kKeywordHit) != 0 &&
               keywords()[hit.id & kHitIndexMask].cue == Cue::kHl7Segment;
    uint64_t need = hit.end + (hl7 ? kHl7Lookahead : kLookahead);
    if (w.final || need <= w.end()) {
      dispatch(w, hit);
    } else {
      pending_[kept++] = hit;
    }
  }
  pending_.resize(kept);
}

uint64_t Evaluator::oldestNeeded(uint64_t fallback) const {
  uint64_t oldest = fallback;
  for (const Hit& h : pending_) oldest = std::min(oldest, h.start);
  return oldest > kLookbehind ? oldest - kLookbehind : 0;
}

std::vector<Finding> resolveFindings(std::vector<Finding> findings, float min_score) {
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
  std::sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.end - a.start != b.end - b.start) return a.end - a.start > b.end - b.start;
    return a.start < b.start;
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
