#include "prefilter.h"

#include <algorithm>
#include <array>
#include <vector>

#include "byte_classes.h"
#include "misread.h"
#include "sluice/scanner/validators.h"
#include "window.h"

namespace sluice::scanner {

namespace {

// One bit per three-letter string; `words` are lower-case.
using Trigrams = std::array<uint64_t, (26 * 26 * 26 + 63) / 64>;
size_t trigram(char a, char b, char c) {
  return static_cast<size_t>((toLower(a) - 'a') * 676 + (toLower(b) - 'a') * 26 +
                             (toLower(c) - 'a'));
}
Trigrams trigrams(std::initializer_list<std::string_view> words) {
  Trigrams bits{};
  for (std::string_view w : words) {
    size_t i = trigram(w[0], w[1], w[2]);
    bits[i / 64] |= uint64_t{1} << (i % 64);
  }
  return bits;
}
bool has(const Trigrams& bits, size_t i) { return (bits[i / 64] >> (i % 64) & 1) != 0; }

// Whether the three letters at `p` can start a month name ("Mar", "March", "sept").
bool monthStart(std::string_view text, size_t p) {
  static const Trigrams kStarts = trigrams(
      {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"});
  return p + 3 <= text.size() && isAlpha(text[p]) && isAlpha(text[p + 1]) &&
         isAlpha(text[p + 2]) && has(kStarts, trigram(text[p], text[p + 1], text[p + 2]));
}

// Whether the letters at `p` can start a month name of another language, after "de " in
// Spanish and Portuguese: "14 de octubre", "3 de mar\u00e7o", "14 juin", "5 lutego".
bool foreignMonthStart(std::string_view text, size_t p) {
  static const Trigrams kStarts = [] {
    Trigrams bits{};
    for (const validators::MonthName& m : validators::foreignMonthNames()) {
      std::string_view n = m.name;
      if (n.size() < 3 || !isAlpha(n[0]) || !isAlpha(n[1]) || !isAlpha(n[2])) continue;
      size_t i = trigram(n[0], n[1], n[2]);
      bits[i / 64] |= uint64_t{1} << (i % 64);
    }
    return bits;
  }();
  // "14 de octubre", "ika-8 ng Abril" (Tagalog).
  if (p + 3 < text.size() &&
      ((toLower(text[p]) == 'd' && toLower(text[p + 1]) == 'e') ||
       (toLower(text[p]) == 'n' && toLower(text[p + 1]) == 'g')) &&
      text[p + 2] == ' ') {
    p += 3;
  }
  return p + 3 <= text.size() && isAlpha(text[p]) && isAlpha(text[p + 1]) && isAlpha(text[p + 2]) &&
         has(kStarts, trigram(text[p], text[p + 1], text[p + 2]));
}

// Whether text[begin, end), a whole word, can be a month name.
bool monthPrefix(std::string_view text, size_t begin, size_t end) {
  return end - begin >= 3 && end - begin <= 9 && monthStart(text, begin);
}

// Whether the letters that end at `end` form a month name.
bool isMonthWord(std::string_view text, size_t end) {
  // The last three letters of the month names of the regex (SLUICE_MONTH in rules.cc) first:
  // most words before a number end otherwise, and this needs no walk back over the word.
  static const Trigrams kEnds =
      trigrams({"jan", "ary", "feb", "mar", "rch", "apr", "ril", "may", "jun", "une", "jul",
                "uly", "aug", "ust", "sep", "ept", "ber", "oct", "nov", "dec"});
  if (end < 3 || !isAlpha(text[end - 2]) || !isAlpha(text[end - 3]) ||
      !has(kEnds, trigram(text[end - 3], text[end - 2], text[end - 1]))) {
    return false;
  }
  size_t begin = end;
  while (begin > 0 && end - begin < 10 && isAlpha(text[begin - 1])) --begin;
  return (begin == 0 || !isAlpha(text[begin - 1])) && monthPrefix(text, begin, end);
}

// Whether a Russian month name starts at `p` ("18 декабря"): the foreign names whose first
// letter is Cyrillic (D0 or D1 in UTF-8), which foreignMonthStart() does not read.
bool cyrillicMonthStart(std::string_view text, size_t p) {
  if (p + 2 > text.size() || (text[p] != '\xd0' && text[p] != '\xd1')) return false;
  static const std::vector<std::string_view> kNames = [] {
    std::vector<std::string_view> names;
    for (const validators::MonthName& m : validators::foreignMonthNames()) {
      if (m.name[0] == '\xd0' || m.name[0] == '\xd1') names.push_back(m.name);
    }
    return names;
  }();
  std::string_view rest = text.substr(p);
  return std::any_of(kNames.begin(), kNames.end(),
                     [&](std::string_view name) { return rest.starts_with(name); });
}

// Whether a single digit at `i` can be part of a match: a part of a month/day ("3/7") or
// the day of a month name ("Nov 2", "Nov. 2", "2 Nov", "2nd of Nov"; one space, as in the
// kDateNoYear pattern). Other lone digits are too common in prose ("2 tablets") to open
// windows.
bool shapedDigit(std::string_view text, size_t i) {
  size_t n = text.size();
  char a = i + 1 < n ? text[i + 1] : ' ';
  char b = i > 0 ? text[i - 1] : ' ';
  if ((a == '/' && i + 2 < n && isDigit(text[i + 2])) ||
      (b == '/' && i > 1 && isDigit(text[i - 2]))) {
    return true;
  }
  // The inward code of a UK postcode or a Canadian postal code: "LS6 1HU", "H2H 1R8".
  if (b == ' ' && i > 1 && i + 2 < n && isUpper(a) && isAlnum(text[i - 2]) &&
      ((isUpper(text[i + 2]) && (i + 3 == n || !isAlnum(text[i + 3]))) ||
       (isDigit(text[i + 2]) && isUpper(text[i - 2])))) {
    return true;
  }
  if (b == ' ' && i > 1) {
    if (isAlpha(text[i - 2]) && isMonthWord(text, i - 1)) return true;
    if (text[i - 2] == '.' && i > 2 && isAlpha(text[i - 3]) && isMonthWord(text, i - 2)) {
      return true;
    }
  }
  if (a == ' ') {
    return monthStart(text, i + 2) || foreignMonthStart(text, i + 2) ||
           cyrillicMonthStart(text, i + 2);
  }
  if (isAlpha(a) && i + 3 < n && isAlpha(text[i + 2]) && text[i + 3] == ' ') {
    size_t q = i + 4;  // after "2nd "
    if (q + 2 < n && toLower(text[q]) == 'o' && toLower(text[q + 1]) == 'f' &&
        text[q + 2] == ' ') {
      q += 3;
    }
    return monthStart(text, q);
  }
  return false;
}

// The runs of two or more digits of `text`, and single digits of a date shape
// (shapedDigit()), in order, found 64 bytes at a time.
void digitRuns(std::string_view text, std::vector<ByteRange>& runs, bool& misread) {
  runs.clear();
  constexpr size_t kNone = SIZE_MAX;
  size_t open = kNone;  // start of a run not closed yet, possibly in an earlier block
  bool letter_beside = false;
  auto close = [&](size_t end) {
    letter_beside |= (open > 0 && misreadLetter(text[open - 1])) ||
                     (end < text.size() && misreadLetter(text[end]));
    if (end - open >= 2 || shapedDigit(text, open)) runs.push_back({open, end});
    open = kNone;
  };
  uint64_t carry = 0;  // the last byte of the previous block was a digit
  size_t rest = forEachBlock<kDigitsOnly>(text, 0, [&](size_t at, const ByteClasses& c) {
    uint64_t d = c.digit;
    uint64_t before = (d << 1) | carry;  // bit i: byte i - 1 is a digit
    carry = d >> 63;
    uint64_t starts = d & ~before;
    uint64_t ends = ~d & before;
    while ((starts | ends) != 0) {
      unsigned s = starts != 0 ? static_cast<unsigned>(__builtin_ctzll(starts)) : 64;
      unsigned e = ends != 0 ? static_cast<unsigned>(__builtin_ctzll(ends)) : 64;
      if (e < s) {
        close(at + e);
        ends &= ends - 1;
      } else {
        open = at + s;
        starts &= starts - 1;
      }
    }
    return true;
  });
  for (size_t i = rest; i < text.size(); ++i) {
    bool digit = isDigit(text[i]);
    if (digit && open == kNone) open = i;
    if (!digit && open != kNone) close(i);
  }
  if (open != kNone) close(text.size());
  misread |= letter_beside;
}

// Whether the digit run text[s, e) (two digits or more, maximal) can be part of a match of
// some regex pattern (rules.cc). Derived from the patterns, one reason per line:
bool shapedRun(std::string_view text, size_t s, size_t e) {
  size_t n = text.size();
  if (e - s >= 4) return true;  // years, SSN/phone/ZIP groups, cards, NPIs, UDIs, DEA digits
  char b = s > 0 ? text[s - 1] : ' ';
  char b2 = s > 1 ? text[s - 2] : ' ';
  char a = e < n ? text[e] : ' ';
  char a2 = e + 1 < n ? text[e + 1] : ' ';
  // A letter in the same token: MBI, VIN, DEA, MAC and IPv6 hex, "95yo", "3rd".
  if (isAlpha(b) || isAlpha(a)) return true;
  // Groups: "(217)", "+44", "::1", "12:30"; dates, IPs and MACs joined by - / . or :.
  if (b == '(' || b == '+' || a == ')' || a == ':' || b == ':') return true;
  auto joiner = [](char c) { return c == '-' || c == '/' || c == '.'; };
  if ((joiner(a) && isAlnum(a2)) || (joiner(b) && isAlnum(b2))) return true;
  // A French mobile's first group: "06 71 38 20 44".
  if (e - s == 2 && text[s] == '0' && (text[s + 1] == '6' || text[s + 1] == '7') && a == ' ' &&
      e + 3 < n && isDigit(a2) && isDigit(text[e + 2]) && text[e + 3] == ' ') {
    return true;
  }
  // Degrees of a latitude or a longitude: "23\u00b026'12\"S" (the degree sign is C2 B0), or
  // as exiftool writes them, "43 deg 39' 12.84\" N".
  if (a == '\xc2' && a2 == '\xb0') return true;
  if (a == ' ' && e + 5 <= n && text.substr(e + 1, 4) == "deg ") return true;
  // An age over 89: "95 years", "aged 102".
  int value = 0;
  for (size_t i = s; i < e; ++i) value = value * 10 + (text[i] - '0');
  if (value >= 90 && value <= 120) return true;
  // A single digit was kept by digitRuns() only for a shape of its own (shapedDigit()).
  if (e - s == 1) return true;
  // An era's year: "民國40年8月12日" (年 is E5 B9 B4).
  if (a == '\xe5' && a2 == '\xb9' && e + 2 < n && text[e + 2] == '\xb4') return true;
  // "3 Mar 21": a short year after a month name; "Nov 24", "Nov.  24": the day after it.
  if ((b == ' ' || b == '-') && s >= 4 && isAlpha(b2) && isMonthWord(text, s - 1)) return true;
  if (b == ' ' && b2 == '.' && s >= 5 && isMonthWord(text, s - 2)) return true;  // "Nov. 24"
  // "14 March": the day before a month name ("14th of March" has a letter after it).
  if (a == ' ' && isAlpha(a2) && (monthStart(text, e + 1) || foreignMonthStart(text, e + 1))) {
    return true;
  }
  if (a == ' ' && cyrillicMonthStart(text, e + 1)) return true;
  // The later groups of an international number: "+7 1 23 45 67".
  for (size_t i = s, k = 0; i > 0 && k < 12; --i, ++k) {
    char c = text[i - 1];
    if (c == '+') return true;
    if (!isDigit(c) && c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') break;
  }
  return false;
}

}  // namespace

std::vector<ByteRange> digitWindows(std::string_view text, bool* misread) {
  // Single digits ("2 tablets", "0.5") are common in prose and never a pattern's only run: the
  // year of "3/4/62", the "73" that ends an MBI. Of the longer runs, only shaped ones count.
  thread_local std::vector<ByteRange> runs;
  bool letter_beside = false;
  digitRuns(text, runs, letter_beside);
  if (misread != nullptr) *misread |= letter_beside;
  size_t k = 0;
  auto nextShaped = [&]() -> const ByteRange* {
    while (k < runs.size()) {
      const ByteRange& r = runs[k++];
      if (shapedRun(text, r.begin, r.end)) return &r;
    }
    return nullptr;
  };
  std::vector<ByteRange> out;
  size_t n = text.size();
  const ByteRange* run = nextShaped();
  while (run != nullptr) {
    size_t begin = run->begin > kWindowBefore ? run->begin - kWindowBefore : 0;
    // Start on a non-word byte so \b at the window start is a real boundary.
    for (size_t q = 0; q < 32 && begin > 0 && isAlnum(text[begin - 1]); ++q) --begin;
    size_t last_end = run->end;
    const ByteRange* next = nextShaped();
    while (next != nullptr && next->begin <= last_end + kWindowAfter + kWindowBefore) {
      last_end = next->end;
      next = nextShaped();
    }
    size_t end = std::min(n, last_end + kWindowAfter);
    for (size_t q = 0; q < 32 && end < n && isAlnum(text[end]); ++q) ++end;
    if (!out.empty() && begin <= out.back().end) {
      out.back().end = std::max(out.back().end, end);
    } else {
      out.push_back({begin, end});
    }
    run = next;
  }
  return out;
}

}  // namespace sluice::scanner
