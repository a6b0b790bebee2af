#include "prefilter.h"

#include <algorithm>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "window.h"

namespace sluice::scanner {

size_t nextDigit(std::string_view text, size_t from) {
  const char* p = text.data();
  size_t n = text.size();
  size_t i = from;
#ifdef __SSE2__
  const __m128i below = _mm_set1_epi8('0' - 1);
  const __m128i above = _mm_set1_epi8('9' + 1);
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Signed compares: bytes >= 0x80 are negative and never fall in '0'..'9'.
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, below), _mm_cmplt_epi8(v, above));
    int mask = _mm_movemask_epi8(digit);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i) {
    if (isDigit(p[i])) return i;
  }
  return n;
}

namespace {

// Whether the letters that end at `end` form a month name ("Mar", "March", "sept").
bool isMonthWord(std::string_view text, size_t end) {
  size_t begin = end;
  while (begin > 0 && end - begin < 10 && isAlpha(text[begin - 1])) --begin;
  if (end - begin < 3 || end - begin > 9 || (begin > 0 && isAlpha(text[begin - 1]))) return false;
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  char prefix[3] = {toLower(text[begin]), toLower(text[begin + 1]), toLower(text[begin + 2])};
  for (std::string_view m : kMonths) {
    if (m == std::string_view(prefix, 3)) return true;
  }
  return false;
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
  if ((b == ' ' || b == '-') && s >= 4 && isMonthWord(text, s - 1)) return true;
  // The later groups of an international number: "+7 1 23 45 67".
  for (size_t i = s, k = 0; i > 0 && k < 12; --i, ++k) {
    char c = text[i - 1];
    if (c == '+') return true;
    if (!isDigit(c) && c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') break;
  }
  return false;
}

// The next shaped run of two or more digits (single digits, "2 tablets", "0.5", are common in
// prose; every pattern has a longer run: the year of "3/4/62", the "73" that ends an MBI).
// Sets `run_end` to the end of that run.
size_t nextShapedRun(std::string_view text, size_t from, size_t& run_end) {
  size_t n = text.size();
  size_t i = nextDigit(text, from);
  while (i < n) {
    size_t e = i + 1;
    while (e < n && isDigit(text[e])) ++e;
    if (e - i >= 2 && shapedRun(text, i, e)) {
      run_end = e;
      return i;
    }
    i = nextDigit(text, e);
  }
  run_end = n;
  return n;
}

}  // namespace

std::vector<ByteRange> digitWindows(std::string_view text) {
  std::vector<ByteRange> out;
  size_t n = text.size();
  size_t run_end = n;
  size_t i = nextShapedRun(text, 0, run_end);
  while (i < n) {
    size_t begin = i > kWindowBefore ? i - kWindowBefore : 0;
    // Start on a non-word byte so \b at the window start is a real boundary.
    for (size_t k = 0; k < 32 && begin > 0 && isAlnum(text[begin - 1]); ++k) --begin;
    size_t last_end = run_end;
    size_t next = n;
    while (true) {
      next = nextShapedRun(text, last_end, run_end);
      if (next < n && next <= last_end + kWindowAfter + kWindowBefore) {
        last_end = run_end;
        continue;
      }
      break;
    }
    size_t end = std::min(n, last_end + kWindowAfter);
    for (size_t k = 0; k < 32 && end < n && isAlnum(text[end]); ++k) ++end;
    if (!out.empty() && begin <= out.back().end) {
      out.back().end = std::max(out.back().end, end);
    } else {
      out.push_back({begin, end});
    }
    i = next;
  }
  return out;
}

}  // namespace sluice::scanner
