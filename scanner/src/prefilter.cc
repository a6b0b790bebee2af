#include "prefilter.h"

#include <algorithm>

#include "byte_classes.h"
#include "window.h"

namespace sluice::scanner {

namespace {

// Finds digits 64 bytes at a time, classifying each block once however many runs it holds.
class DigitFinder {
 public:
  explicit DigitFinder(std::string_view text) : text_(text) {}

  // The first digit at or after `from`, or text.size().
  size_t next(size_t from) {
    size_t n = text_.size();
    while (from < n) {
      size_t block = from - from % kClassBlock;
      if (block + kClassBlock > n) break;
      if (block != block_) {
        block_ = block;
        digits_ = digits64(text_.data() + block);
      }
      uint64_t rest = digits_ >> (from - block);
      if (rest != 0) return from + static_cast<size_t>(__builtin_ctzll(rest));
      from = block + kClassBlock;
    }
    while (from < n && !isDigit(text_[from])) ++from;
    return std::min(from, n);
  }

 private:
  std::string_view text_;
  size_t block_ = SIZE_MAX;
  uint64_t digits_ = 0;
};

// Whether the letters that end at `end` form a month name ("Mar", "March", "sept").
bool isMonthWord(std::string_view text, size_t end) {
  size_t begin = end;
  while (begin > 0 && end - begin < 10 && isAlpha(text[begin - 1])) --begin;
  if (end - begin < 3 || end - begin > 9 || (begin > 0 && isAlpha(text[begin - 1]))) return false;
  auto key = [](char a, char b, char c) {
    return static_cast<uint32_t>(toLower(a)) << 16 | static_cast<uint32_t>(toLower(b)) << 8 |
           static_cast<uint32_t>(toLower(c));
  };
  static constexpr uint32_t kMonths[] = {
      'j' << 16 | 'a' << 8 | 'n', 'f' << 16 | 'e' << 8 | 'b', 'm' << 16 | 'a' << 8 | 'r',
      'a' << 16 | 'p' << 8 | 'r', 'm' << 16 | 'a' << 8 | 'y', 'j' << 16 | 'u' << 8 | 'n',
      'j' << 16 | 'u' << 8 | 'l', 'a' << 16 | 'u' << 8 | 'g', 's' << 16 | 'e' << 8 | 'p',
      'o' << 16 | 'c' << 8 | 't', 'n' << 16 | 'o' << 8 | 'v', 'd' << 16 | 'e' << 8 | 'c'};
  uint32_t prefix = key(text[begin], text[begin + 1], text[begin + 2]);
  for (uint32_t month : kMonths) {
    if (prefix == month) return true;
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
  if ((b == ' ' || b == '-') && s >= 4 && isAlpha(b2) && isMonthWord(text, s - 1)) return true;
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
size_t nextShapedRun(std::string_view text, DigitFinder& digits, size_t from,
                     size_t& run_end) {
  size_t n = text.size();
  size_t i = digits.next(from);
  while (i < n) {
    size_t e = i + 1;
    while (e < n && isDigit(text[e])) ++e;
    if (e - i >= 2 && shapedRun(text, i, e)) {
      run_end = e;
      return i;
    }
    i = digits.next(e);
  }
  run_end = n;
  return n;
}

}  // namespace

std::vector<ByteRange> digitWindows(std::string_view text) {
  std::vector<ByteRange> out;
  size_t n = text.size();
  size_t run_end = n;
  DigitFinder digits(text);
  size_t i = nextShapedRun(text, digits, 0, run_end);
  while (i < n) {
    size_t begin = i > kWindowBefore ? i - kWindowBefore : 0;
    // Start on a non-word byte so \b at the window start is a real boundary.
    for (size_t k = 0; k < 32 && begin > 0 && isAlnum(text[begin - 1]); ++k) --begin;
    size_t last_end = run_end;
    size_t next = n;
    while (true) {
      next = nextShapedRun(text, digits, last_end, run_end);
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
