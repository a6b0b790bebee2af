#include "prefilter.h"

#include <algorithm>
#include <array>
#include <vector>

#include "byte_classes.h"
#include "window.h"

namespace sluice::scanner {

namespace {

// The runs of two or more digits of `text`, in order, found 64 bytes at a time.
void digitRuns(std::string_view text, std::vector<ByteRange>& runs) {
  runs.clear();
  constexpr size_t kNone = SIZE_MAX;
  size_t open = kNone;  // start of a run not closed yet, possibly in an earlier block
  auto close = [&](size_t end) {
    if (end - open >= 2) runs.push_back({open, end});
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
}

// Whether the letters that end at `end` form a month name ("Mar", "March", "sept").
bool isMonthWord(std::string_view text, size_t end) {
  size_t begin = end;
  while (begin > 0 && end - begin < 10 && isAlpha(text[begin - 1])) --begin;
  if (end - begin < 3 || end - begin > 9 || (begin > 0 && isAlpha(text[begin - 1]))) return false;
  // One bit per three-letter prefix: "jan".."dec".
  constexpr size_t kPrefixes = 26 * 26 * 26;
  static const std::array<uint64_t, (kPrefixes + 63) / 64> kMonths = [] {
    std::array<uint64_t, (kPrefixes + 63) / 64> bits{};
    for (std::string_view m : {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
                               "oct", "nov", "dec"}) {
      auto i = static_cast<size_t>((m[0] - 'a') * 676 + (m[1] - 'a') * 26 + (m[2] - 'a'));
      bits[i / 64] |= uint64_t{1} << (i % 64);
    }
    return bits;
  }();
  int c0 = toLower(text[begin]) - 'a';
  int c1 = toLower(text[begin + 1]) - 'a';
  int c2 = toLower(text[begin + 2]) - 'a';
  auto i = static_cast<size_t>(c0 * 676 + c1 * 26 + c2);
  return (kMonths[i / 64] >> (i % 64) & 1) != 0;
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
  // An age over 89: "95 years", "aged 102".
  int value = 0;
  for (size_t i = s; i < e; ++i) value = value * 10 + (text[i] - '0');
  if (value >= 90 && value <= 120) return true;
  // "3 Mar 21": a short year after a month name.
  if ((b == ' ' || b == '-') && s >= 4 && isAlpha(b2) && isMonthWord(text, s - 1)) return true;
  // The later groups of an international number: "+7 1 23 45 67".
  for (size_t i = s, k = 0; i > 0 && k < 12; --i, ++k) {
    char c = text[i - 1];
    if (c == '+') return true;
    if (!isDigit(c) && c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') break;
  }
  return false;
}

}  // namespace

std::vector<ByteRange> digitWindows(std::string_view text) {
  // Single digits ("2 tablets", "0.5") are common in prose and never a pattern's only run: the
  // year of "3/4/62", the "73" that ends an MBI. Of the longer runs, only shaped ones count.
  thread_local std::vector<ByteRange> runs;
  digitRuns(text, runs);
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
