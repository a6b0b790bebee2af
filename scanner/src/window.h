// File: window.h
//
// The view that detectors judge a candidate in. The one-shot API hands them the whole decoded
// body; the stream API hands them the bytes it still holds (a bounded history plus the bytes
// after the candidate). Offsets are absolute decoded offsets, so a detector never cares which
// API called it. Also small character helpers shared by the detectors.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/scanner/finding.h"

namespace sluice::scanner {

struct Hit {
  uint32_t id;  // regex index, kKeywordHit | keyword index, or kNameHit | name entry
  uint64_t start;
  uint64_t end;
};
inline constexpr uint32_t kKeywordHit = 1u << 30;
inline constexpr uint32_t kNameHit = 1u << 29;
inline constexpr uint32_t kHitIndexMask = kNameHit - 1;
inline constexpr uint32_t kUpperName = 1u << 27;  // name literal in ALL CAPS

class NameData;

struct Window {
  std::string_view text;  // decoded bytes starting at absolute offset `base`
  uint64_t base = 0;
  bool final = true;      // nothing follows text
  bool clinical = false;  // the document so far carries clinical cues
  bool general = false;   // ... or general-knowledge cues ("who was", "wrote", "novel")
  bool fiction = false;   // a screenplay or a story: its people are characters
  // Whether the request already holds a finding at or above the reporting score: then a
  // finding that counts only beside another identifier counts, and the checks that tell
  // whether it would are skipped (the output is the same either way).
  const bool* strong_found = nullptr;
  // Where the first "From: " and "To: " header lines of an e-mail start (decoded offsets).
  uint64_t email_from = UINT64_MAX;
  uint64_t email_to = UINT64_MAX;
  const NameData* names = nullptr;  // the dictionaries, for detectors outside names.cc
  // End of the last delimited table judged (decoded offset), owned by the Evaluator: a header
  // line inside it is a row or a repeated header, not a new table. Keeps tables linear.
  uint64_t* table_end = nullptr;
  // Set by a detector that finds the request is about someone's health (a table with a date
  // of service); owned by the Evaluator (its health context).
  bool* health = nullptr;
  // The rows of the staff tables judged (a roster, a payroll extract): every finding inside
  // them counts only beside another identifier (Evaluator::corroborateStaffTables()).
  std::vector<std::pair<uint64_t, uint64_t>>* staff_tables = nullptr;
  uint64_t* image_end = nullptr;  // likewise for the end of the last image payload
  uint64_t* speech_end = nullptr;  // likewise for the end of the last transcript read
  // The public figures named so far (nameHit()): where each name ends, and its surname in
  // lower case. A later sentence about one may open with the surname or a pronoun.
  std::vector<std::pair<uint64_t, std::string>>* figures = nullptr;
  // An image payload that runs to the end of a non-final window: the detector fills this in
  // and the Evaluator extends that finding as later writes bring the rest (stream API).
  struct OpenImage {
    bool open = false;
    bool quoted = false;  // the payload ends at '"'; otherwise at the first non-base64 byte
    size_t finding = 0;   // index in the Evaluator's findings
  };
  OpenImage* open_image = nullptr;

  uint64_t begin() const { return base; }
  uint64_t end() const { return base + text.size(); }
  // The byte at absolute offset `pos`, or '\0' outside the window.
  char at(uint64_t pos) const {
    return pos >= base && pos < end() ? text[pos - base] : '\0';
  }
  std::string_view slice(uint64_t from, uint64_t to) const {
    from = std::clamp(from, begin(), end());
    to = std::clamp(to, from, end());
    return text.substr(from - base, to - from);
  }
};

inline bool isDigit(char c) { return c >= '0' && c <= '9'; }
inline bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool isLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool isAlpha(char c) { return isUpper(c) || isLower(c); }
inline bool isAlnum(char c) { return isAlpha(c) || isDigit(c); }
// A UTF-8 continuation byte (10xxxxxx): not the start of a character.
inline bool isContinuation(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}
// A byte of a word as Hyperscan's \b sees one (ASCII letters, digits and '_').
inline bool isWordChar(char c) {
  return isAlnum(c) || c == '_';
}
inline bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline char toLower(char c) { return isUpper(c) ? static_cast<char>(c + 32) : c; }

// An accented Latin letter in UTF-8 ("\u00e9" of "Ren\u00e9e", "\u1ea7" of "Tr\u1ea7n"): U+00C0
// to U+024F (two bytes) and U+1E00 to U+1EFF (three bytes), without the multiplication and
// division signs. `p` holds `n` readable bytes.
struct LatinLetter {
  size_t length = 0;  // 0: none at p
  char base = 0;      // the ASCII letter it is written on, with its case ('E' for U+00C9);
                      // 0 when it has none (U+0180 to U+024F but for O and U with horns)
};
inline LatinLetter latinLetterAt(const char* p, size_t n) {
  // The ASCII letter under U+00C0..U+017F; '*' and '/' mark the two signs.
  static constexpr std::string_view kLatin1 =
      "AAAAAAACEEEEIIIIDNOOOOO*OUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty"
      "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSs"
      "SsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
  // ... and under U+1EA0..U+1EF9, Vietnamese vowels: a capital, then its small letter.
  static constexpr std::string_view kVietnamese =
      "AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy";
  if (n < 2) return {};
  auto b0 = static_cast<unsigned char>(p[0]);
  auto b1 = static_cast<unsigned char>(p[1]);
  if (b1 < 0x80 || b1 > 0xBF) return {};
  if (b0 >= 0xC3 && b0 <= 0xC9) {
    unsigned cp = ((b0 & 0x1Fu) << 6) | (b1 & 0x3Fu);
    if (cp < 0x180) {
      char base = kLatin1[cp - 0xC0];
      return base == '*' || base == '/' ? LatinLetter{} : LatinLetter{2, base};
    }
    if (cp == 0x1A0 || cp == 0x1A1) return {2, cp == 0x1A0 ? 'O' : 'o'};
    if (cp == 0x1AF || cp == 0x1B0) return {2, cp == 0x1AF ? 'U' : 'u'};
    return {2, 0};
  }
  if (b0 == 0xE1 && b1 >= 0xB8 && b1 <= 0xBB && n >= 3) {
    auto b2 = static_cast<unsigned char>(p[2]);
    if (b2 < 0x80 || b2 > 0xBF) return {};
    unsigned cp = 0x1000u | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
    bool vietnamese = cp >= 0x1EA0 && cp < 0x1EA0 + kVietnamese.size();
    return {3, vietnamese ? kVietnamese[cp - 0x1EA0] : '\0'};
  }
  return {};
}
// Whether `text` starts with a capital letter, accented ones too ("\u00c9tienne").
inline bool upperStart(std::string_view text) {
  if (text.empty()) return false;
  if (static_cast<unsigned char>(text[0]) < 0x80) return isUpper(text[0]);
  return isUpper(latinLetterAt(text.data(), text.size()).base);
}

inline std::string lowerCopy(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = toLower(c);
  return out;
}

// True when any of `words` occurs (case-insensitively) in the `span` bytes before `pos`. A
// word that starts with a letter counts at a word's start, and with `camel_case` also at a
// capital after a lower-case letter ("firstName=").
bool cueBefore(const Window& w, uint64_t pos, uint64_t span,
               const std::vector<std::string_view>& words, bool camel_case = true);

inline bool strongFound(const Window& w) {
  return w.strong_found != nullptr && *w.strong_found;
}

inline void addFinding(std::vector<Finding>& out, PhiType type, uint64_t start, uint64_t end,
                       float score) {
  if (end > start) out.push_back({type, start, end, std::min(score, 1.0f)});
}

// A finding that identifies a person but no patient (a name with no patient cue, a date
// with no care word, a staff mailbox; docs/scanner.md, step 4) makes a request PHI only
// beside another finding at or above the reporting score (resolveFindings()); until then it
// is kept with its score negated.
inline void addCorroboratedFinding(std::vector<Finding>& out, PhiType type, uint64_t start,
                                   uint64_t end, float score) {
  if (end > start) out.push_back({type, start, end, -std::min(score, 1.0f)});
}

// Makes the findings `out` gained since it held `from` of them count only beside another
// identifier, as addCorroboratedFinding() does: a detector's findings judged as a whole
// after it ran (a public figure's birth date, a clinic's own address).
inline void corroborateSince(std::vector<Finding>& out, size_t from) {
  for (size_t i = from; i < out.size(); ++i) out[i].score = -std::abs(out[i].score);
}

}  // namespace sluice::scanner
