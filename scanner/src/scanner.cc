#include "sluice/scanner/scanner.h"

#include <algorithm>

#include "byte_classes.h"
#include "engine.h"
#include "fold.h"
#include "misread.h"
#include "prefilter.h"
#include "sluice/scanner/json_view.h"

namespace sluice::scanner {
namespace {

// A stream keeps this many decoded bytes behind the oldest hit still waiting for lookahead.
constexpr uint64_t kStreamHistory = 4096;

// Per-thread buffers keep their capacity for the next body, but give back what a large one
// needed.
void trimBuffer(std::string& buffer) {
  constexpr size_t kKeepBuffer = size_t{4} << 20;
  if (buffer.capacity() > kKeepBuffer) std::string().swap(buffer);
}

// Runs the regex database over the digit windows of `text` (which starts at absolute decoded
// offset `base`) from `cursor` on, and moves `cursor` past what it scanned. Unless `final`, a
// window ending near the end of `text` waits for more bytes, since the next write may extend
// it. Windows are recomputed with some overlap before the cursor; a hit found twice yields
// the same finding twice, which resolveFindings() merges.
//
// The windows are copied into one buffer, separated by a byte no pattern can match (\x01,
// a non-word byte like the one each window starts after and ends before), and scanned with
// one Hyperscan call: a call per window cost more in set-up than the scan itself.
Status scanDigitWindows(const Databases& dbs, std::string_view text, uint64_t base, bool final,
                        hs_scratch_t* scratch, Evaluator& eval, uint64_t& cursor,
                        const std::vector<ByteRange>* found = nullptr) {
  constexpr uint64_t kSettle = 64;     // bytes a window needs after it before it is final
  constexpr uint64_t kOverlap = 64;    // recomputed before the cursor
  constexpr uint64_t kMaxWait = 65536;  // a window this long is scanned even if it grows
  uint64_t from = std::max(base, cursor > kOverlap ? cursor - kOverlap : 0);
  uint64_t end = base + text.size();
  if (from >= end) return okStatus();
  thread_local std::string packed;
  thread_local std::vector<RegexSegment> segments;
  packed.clear();
  segments.clear();
  bool unsettled = false;
  // `found`: the windows of the whole of `text`, known already (the one-shot scan's).
  std::vector<ByteRange> computed;
  if (found == nullptr) computed = digitWindows(text.substr(from - base));
  for (ByteRange range : found != nullptr ? *found : computed) {
    uint64_t wb = from + range.begin;
    uint64_t we = from + range.end;
    if (we <= cursor) continue;
    if (!final && we + kSettle > end && we - wb < kMaxWait) {
      unsettled = true;
      break;
    }
    if (!packed.empty()) packed.push_back('\x01');
    segments.push_back({packed.size(), wb});
    packed.append(text.data() + (wb - base), we - wb);
    cursor = we;
  }
  // With no window waiting, everything up to the last kSettle bytes is judged: the next write
  // can only change the shape of runs within a few bytes of the end, and their windows lie
  // within the overlap. Without this, text with no shaped run was scanned again at every write.
  if (!unsettled && end > kSettle) cursor = std::max(cursor, end - kSettle);
  if (packed.empty()) return okStatus();
  eval.setRegexSegments(&segments);
  hs_error_t scanned = hs_scan(dbs.regex_block, packed.data(),
                               static_cast<unsigned>(packed.size()), 0, scratch,
                               &Evaluator::onRegex, &eval);
  eval.setRegexSegments(nullptr);
  trimBuffer(packed);
  if (scanned != HS_SUCCESS) return internalError("Hyperscan scan failed");
  return okStatus();
}

// Maps findings back through the fold, the second decoding and the first.
std::vector<Finding> toOriginal(std::vector<Finding> findings, const OffsetMap& outer,
                                const OffsetMap& inner, const OffsetMap& fold) {
  if (outer.identity() && inner.identity() && fold.identity()) return findings;
  for (Finding& f : findings) {
    f.start = outer.toOriginal(inner.toOriginal(fold.toOriginal(f.start)));
    f.end = outer.toOriginal(inner.toOriginal(fold.toOriginal(f.end)));
  }
  return findings;
}

// The text a one-shot scan reads: the JSON-unescaped view of the body, folded (fold.h) when
// anything in it folds, with the digits OCR misread as letters rewritten (misread.h).
struct ScanText {
  DecodedView view;
  std::string folded;
  OffsetMap fold_map;
  bool is_folded = false;  // `text` is `folded`
  std::string_view text;

  void prepare(std::string_view body) {
    decodeJsonView(body, view);
    is_folded = foldText(view.text, folded, fold_map);
    text = is_folded ? std::string_view(folded) : view.text;
  }

  // Rewrites the misread digits in the text, which then lives in storage of its own;
  // returns whether it rewrote any.
  bool restoreMisread() {
    std::string& own = is_folded ? folded : view.nested ? view.nested_storage : view.storage;
    if (text.data() != own.data() || text.size() != own.size()) {
      std::string copy(text);
      own.swap(copy);
    }
    text = own;
    return restoreMisreadDigits(own) > 0;
  }

  std::vector<Finding> toOriginal(std::vector<Finding> findings) const {
    return scanner::toOriginal(std::move(findings), view.map, view.nested_map, fold_map);
  }

  void trim() {
    trimBuffer(view.storage);
    trimBuffer(view.nested_storage);
    trimBuffer(folded);
  }
};

}  // namespace

struct Scanner::Impl {
  ScannerOptions options;
  std::unique_ptr<Databases> dbs;
  const NameData* names = nullptr;
  double compile_ms = 0;
  size_t stream_state = 0;
  size_t database_bytes = 0;
};

Scanner::Scanner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Scanner::~Scanner() = default;

Result<std::shared_ptr<Scanner>> Scanner::create(const ScannerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->names = &NameData::instance();
  SLUICE_ASSIGN_OR_RETURN(impl->dbs, compileDatabases(options.names, impl->compile_ms));
  size_t size = 0;
  for (hs_database_t* db :
       {impl->dbs->keyword_stream, impl->dbs->cue_stream, impl->dbs->health_stream}) {
    if (hs_stream_size(db, &size) == HS_SUCCESS) impl->stream_state += size;
  }
  impl->database_bytes = impl->dbs->names.bytes();
  for (hs_database_t* db :
       {impl->dbs->regex_block, impl->dbs->keyword_block, impl->dbs->script_block,
        impl->dbs->keyword_stream, impl->dbs->cue_block, impl->dbs->cue_stream,
        impl->dbs->health_block, impl->dbs->health_stream}) {
    if (hs_database_size(db, &size) == HS_SUCCESS) impl->database_bytes += size;
  }
  return std::shared_ptr<Scanner>(new Scanner(std::move(impl)));
}

const ScannerOptions& Scanner::options() const { return impl_->options; }
double Scanner::compileMillis() const { return impl_->compile_ms; }
size_t Scanner::streamStateBytes() const { return impl_->stream_state; }
size_t Scanner::databaseBytes() const { return impl_->database_bytes; }

Result<std::vector<Finding>> Scanner::scan(std::string_view body) const {
  return scan(body, impl_->options.reach);
}

Result<std::vector<Finding>> Scanner::scan(std::string_view body, Reach reach) const {
  SLUICE_ASSIGN_OR_RETURN(hs_scratch_t * scratch, scratchFor(*impl_->dbs));
  // The decoded and folded buffers are reused by the thread's next scan instead of being
  // allocated and freed for every body.
  thread_local ScanText prepared;
  prepared.prepare(body);
  // The pass that finds the digit windows also says whether a digit has a letter beside it
  // that OCR may have read for one; if a number is rewritten, the windows are found again.
  bool misread = false;
  std::vector<ByteRange> windows = digitWindows(prepared.text, &misread);
  if (misread && prepared.restoreMisread()) windows = digitWindows(prepared.text);
  std::string_view text = prepared.text;
  Evaluator eval(*impl_->dbs, *impl_->names, impl_->options.min_score);
  auto length = static_cast<unsigned>(text.size());
  uint64_t cursor = 0;
  SLUICE_RETURN_IF_ERROR(
      scanDigitWindows(*impl_->dbs, text, 0, true, scratch, eval, cursor, &windows));
  if (hs_scan(impl_->dbs->keyword_block, text.data(), length, 0, scratch, &Evaluator::onKeyword,
              &eval) != HS_SUCCESS) {
    return internalError("Hyperscan scan failed");
  }
  if (classes::holdsScriptLead(text) &&
      hs_scan(impl_->dbs->script_block, text.data(), length, 0, scratch, &Evaluator::onKeyword,
              &eval) != HS_SUCCESS) {
    return internalError("Hyperscan scan failed");
  }
  if (!eval.clinical()) {
    hs_error_t cues = hs_scan(impl_->dbs->cue_block, text.data(), length, 0, scratch,
                              &Evaluator::onDocumentCue, &eval);
    if (cues != HS_SUCCESS && cues != HS_SCAN_TERMINATED) {
      return internalError("Hyperscan scan failed");
    }
  }
  if (reach == Reach::kHealthContext && !eval.healthContext()) {
    eval.setHealthText(Window{text, 0, true, false});
    hs_error_t terms = hs_scan(impl_->dbs->health_block, text.data(), length, 0, scratch,
                               &Evaluator::onHealthTerm, &eval);
    if (terms != HS_SUCCESS && terms != HS_SCAN_TERMINATED) {
      return internalError("Hyperscan scan failed");
    }
  }
  uint64_t name_cursor = 0;
  eval.scanNames(text, 0, true, name_cursor);
  eval.evaluate(Window{text, 0, true, false});
  eval.corroborateStaffTables();
  if (reach == Reach::kHealthContext) eval.limitToHealthContext();
  std::vector<Finding> resolved =
      resolveFindings(std::move(eval.findings()), impl_->options.min_score);
  eval.addNameRepeats(resolved);
  auto findings = prepared.toOriginal(std::move(resolved));
  prepared.trim();
  return findings;
}

struct ScanStream::State {
  std::shared_ptr<const Scanner> owner;
  const Scanner::Impl* impl = nullptr;
  hs_stream_t* keyword = nullptr;
  hs_stream_t* cues = nullptr;  // closed once the document is known to be clinical
  hs_stream_t* health = nullptr;  // closed once the document is known to be about health
  JsonUnescaper decoder;         // first decoding of the raw bytes
  JsonUnescaper nested_decoder;  // second decoding (JSON sent as a JSON string)
  Folder folder;                 // the folded view of the decoded text (fold.h)
  OffsetMap map;
  OffsetMap nested_map;
  OffsetMap fold_map;
  std::string history;  // decoded bytes from history_base
  // Decoded bytes not scanned yet: a run of bytes that may end a misread number, until the
  // byte after it shows whether it does (misread.h).
  std::string held;
  bool in_long_run = false;  // the last bytes scanned were a run too long to be rewritten
  uint64_t history_base = 0;
  uint64_t original_seen = 0;
  uint64_t regex_cursor = 0;  // decoded offset up to which digit windows were scanned
  uint64_t name_cursor = 0;   // decoded offset up to which words were looked up
  bool script_seen = false;   // a write held a letter of another script (scanScript())
  uint64_t script_end = 0;    // the end of the last such write (decoded offset)
  std::unique_ptr<Evaluator> eval;
  Reach reach = Reach::kHealthContext;
  bool finished = false;

  ~State() {
    if (keyword != nullptr) hs_close_stream(keyword, nullptr, nullptr, nullptr);
    if (cues != nullptr) hs_close_stream(cues, nullptr, nullptr, nullptr);
    if (health != nullptr) hs_close_stream(health, nullptr, nullptr, nullptr);
  }

  // Runs a document-wide stream (the cues, the health terms) over `decoded` until `known()`
  // says what it looks for is settled, then closes it.
  template <typename Known>
  Status scanUntilKnown(hs_stream_t*& stream, std::string_view decoded, hs_scratch_t* scratch,
                        match_event_handler on_match, Known known) {
    if (!decoded.empty() && stream != nullptr && !known()) {
      hs_error_t scanned =
          hs_scan_stream(stream, decoded.data(), static_cast<unsigned>(decoded.size()), 0, scratch,
                         on_match, eval.get());
      if (scanned != HS_SUCCESS && scanned != HS_SCAN_TERMINATED) {
        return internalError("Hyperscan stream scan failed");
      }
    }
    if (stream != nullptr && known()) {
      hs_close_stream(stream, nullptr, nullptr, nullptr);
      stream = nullptr;
    }
    return okStatus();
  }

  // Passes `decoded` (the write's own buffer, rewritten in place) on to scanDecoded() with
  // its misread numbers rewritten, except a run that may still grow at its end (all of it
  // when `final`), which waits in `held`.
  Status scanRestored(std::string& decoded, bool final, hs_scratch_t* scratch) {
    if (!held.empty()) {
      held.append(decoded);
      decoded.swap(held);
      held.clear();
    }
    size_t cut = decoded.size();
    if (!final) {
      while (cut > 0 && misreadTokenByte(decoded[cut - 1])) --cut;
      if (decoded.size() - cut > kMisreadRunLimit) cut = decoded.size();
    }
    held.assign(decoded, cut, std::string::npos);
    decoded.resize(cut);
    if (mayHoldMisreadDigits(decoded)) {
      // The rest of a run begun in the last write and too long to be rewritten is skipped.
      size_t from = 0;
      while (in_long_run && from < decoded.size() && misreadTokenByte(decoded[from])) ++from;
      restoreMisreadDigits(decoded, from);
    }
    if (cut > 0) in_long_run = misreadTokenByte(decoded[cut - 1]);
    return scanDecoded(decoded, final, scratch);
  }

  // Keywords go through Hyperscan streaming mode; the digit-shaped regexes run in block mode
  // over the digit windows of the retained history (scanDigitWindows), and names are looked
  // up word by word in it; both see a value split across writes whole.
  Status scanDecoded(std::string_view decoded, bool final, hs_scratch_t* scratch) {
    history.append(decoded);
    SLUICE_RETURN_IF_ERROR(scanDigitWindows(*impl->dbs, history, history_base, final, scratch,
                                            *eval, regex_cursor));
    auto length = static_cast<unsigned>(decoded.size());
    if (length > 0 && hs_scan_stream(keyword, decoded.data(), length, 0, scratch,
                                     &Evaluator::onKeyword, eval.get()) != HS_SUCCESS) {
      return internalError("Hyperscan stream scan failed");
    }
    SLUICE_RETURN_IF_ERROR(scanScript(decoded, scratch));
    SLUICE_RETURN_IF_ERROR(scanUntilKnown(cues, decoded, scratch, &Evaluator::onDocumentCue,
                                          [&] { return eval->clinical(); }));
    if (health != nullptr && !eval->healthContext()) {
      eval->setHealthText(Window{history, history_base, final, false});
    }
    SLUICE_RETURN_IF_ERROR(scanUntilKnown(health, decoded, scratch, &Evaluator::onHealthTerm,
                                          [&] { return eval->healthContext(); }));
    eval->scanNames(history, history_base, final, name_cursor);
    return okStatus();
  }

  // The keywords in other scripts (Databases::script_block), in block mode over the write
  // just appended to the history and the `script_length` bytes before it, reporting only the
  // matches that end in the write. A match holds a letter of another script at most
  // script_length bytes before its end, so a write is scanned when it holds one or starts
  // that close after the end of the last write that held one.
  Status scanScript(std::string_view decoded, hs_scratch_t* scratch) {
    const Databases& dbs = *impl->dbs;
    uint64_t end = history_base + history.size();
    uint64_t start = end - decoded.size();
    bool holds = classes::holdsScriptLead(decoded);
    if (!holds && (!script_seen || start >= script_end + dbs.script_length)) return okStatus();
    if (holds) {
      script_seen = true;
      script_end = end;
    }
    uint64_t from =
        std::max(history_base, start > dbs.script_length ? start - dbs.script_length : 0);
    eval->setKeywordWindow(from, start);
    hs_error_t scanned =
        hs_scan(dbs.script_block, history.data() + (from - history_base),
                static_cast<unsigned>(end - from), 0, scratch, &Evaluator::onKeyword, eval.get());
    eval->setKeywordWindow(0, 0);
    return scanned == HS_SUCCESS ? okStatus() : internalError("Hyperscan scan failed");
  }

  void evaluate(bool final) {
    eval->evaluate(Window{history, history_base, final, false});
    uint64_t end = history_base + history.size();
    uint64_t keep_from = std::min({eval->oldestNeeded(end),
                                   end > kStreamHistory ? end - kStreamHistory : 0,
                                   regex_cursor > 256 ? regex_cursor - 256 : 0,
                                   name_cursor > 0 ? name_cursor - 1 : 0});
    if (keep_from > history_base) {
      history.erase(0, keep_from - history_base);
      history_base = keep_from;
    }
  }
};

Result<std::unique_ptr<ScanStream>> Scanner::openStream() const {
  return openStream(impl_->options.reach);
}

Result<std::unique_ptr<ScanStream>> Scanner::openStream(Reach reach) const {
  auto state = std::make_unique<ScanStream::State>();
  state->reach = reach;
  state->owner = shared_from_this();
  state->impl = impl_.get();
  state->eval = std::make_unique<Evaluator>(*impl_->dbs, *impl_->names, impl_->options.min_score);
  if (hs_open_stream(impl_->dbs->keyword_stream, 0, &state->keyword) != HS_SUCCESS ||
      hs_open_stream(impl_->dbs->cue_stream, 0, &state->cues) != HS_SUCCESS ||
      (reach == Reach::kHealthContext &&
       hs_open_stream(impl_->dbs->health_stream, 0, &state->health) != HS_SUCCESS)) {
    return Error(ErrorCode::kResourceExhausted, "opening a Hyperscan stream failed");
  }
  return std::unique_ptr<ScanStream>(new ScanStream(std::move(state)));
}

ScanStream::ScanStream(std::unique_ptr<State> state) : state_(std::move(state)) {}
ScanStream::~ScanStream() = default;

uint64_t ScanStream::bytesSeen() const { return state_->original_seen; }

Status ScanStream::write(std::string_view bytes) {
  if (state_->finished) return failedPrecondition("write after finish on a scan stream");
  SLUICE_ASSIGN_OR_RETURN(hs_scratch_t * scratch, scratchFor(*state_->impl->dbs));
  // The decoding buffers are reused by the thread's next write, whichever stream it is for.
  thread_local std::string once;
  thread_local std::string decoded;
  thread_local std::string folded;
  once.clear();
  decoded.clear();
  folded.clear();
  state_->decoder.feed(bytes, once, state_->map);
  // Until the first decoding leaves a backslash, the second one has nothing to decode.
  std::string* text = &once;
  if (state_->decoder.emittedBackslash()) {
    state_->nested_decoder.feed(once, decoded, state_->nested_map);
    text = &decoded;
  } else {
    state_->nested_decoder.passThrough(once.size());
  }
  state_->folder.feed(*text, folded, state_->fold_map);
  state_->original_seen += bytes.size();
  Status scanned = state_->scanRestored(folded, false, scratch);
  trimBuffer(once);
  trimBuffer(decoded);
  trimBuffer(folded);
  SLUICE_RETURN_IF_ERROR(scanned);
  state_->evaluate(false);
  return okStatus();
}

Result<std::vector<Finding>> ScanStream::finish() {
  if (state_->finished) return failedPrecondition("finish called twice on a scan stream");
  state_->finished = true;
  SLUICE_ASSIGN_OR_RETURN(hs_scratch_t * scratch, scratchFor(*state_->impl->dbs));
  std::string once;  // at most an incomplete escape
  std::string decoded;
  state_->decoder.finish(once, state_->map);
  state_->nested_decoder.feed(once, decoded, state_->nested_map);
  state_->nested_decoder.finish(decoded, state_->nested_map);
  std::string folded;
  state_->folder.feed(decoded, folded, state_->fold_map);
  state_->folder.finish(folded, state_->fold_map);
  SLUICE_RETURN_IF_ERROR(state_->scanRestored(folded, true, scratch));
  // Closing flushes matches that end at end-of-data.
  hs_error_t b =
      hs_close_stream(state_->keyword, scratch, &Evaluator::onKeyword, state_->eval.get());
  state_->keyword = nullptr;
  if (state_->cues != nullptr) {
    hs_error_t c =
        hs_close_stream(state_->cues, scratch, &Evaluator::onDocumentCue, state_->eval.get());
    state_->cues = nullptr;
    if (c != HS_SUCCESS && c != HS_SCAN_TERMINATED) b = c;
  }
  if (state_->health != nullptr && !state_->eval->healthContext()) {
    hs_error_t h =
        hs_close_stream(state_->health, scratch, &Evaluator::onHealthTerm, state_->eval.get());
    state_->health = nullptr;
    if (h != HS_SUCCESS && h != HS_SCAN_TERMINATED) b = h;
  }
  if (b != HS_SUCCESS) {
    return internalError("closing Hyperscan stream failed");
  }
  state_->evaluate(true);
  state_->eval->corroborateStaffTables();
  if (state_->reach == Reach::kHealthContext) state_->eval->limitToHealthContext();
  std::vector<Finding> resolved =
      resolveFindings(std::move(state_->eval->findings()), state_->impl->options.min_score);
  state_->eval->addNameRepeats(resolved);
  return toOriginal(std::move(resolved), state_->map, state_->nested_map, state_->fold_map);
}

std::optional<Reach> parseReach(std::string_view text) {
  if (text == "health") return Reach::kHealthContext;
  if (text == "all") return Reach::kAll;
  return std::nullopt;
}

}  // namespace sluice::scanner
