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

// The next run of two or more digits. Every pattern has one (the year of "3/4/62", the
// "73" that ends an MBI), while single digits ("2 tablets", "0.5") are common in prose.
size_t nextDigitPair(std::string_view text, size_t from) {
  size_t n = text.size();
  size_t i = nextDigit(text, from);
  while (i + 1 < n && !isDigit(text[i + 1])) i = nextDigit(text, i + 2);
  return i + 1 < n ? i : n;
}

std::vector<ByteRange> digitWindows(std::string_view text) {
  std::vector<ByteRange> out;
  size_t n = text.size();
  size_t i = nextDigitPair(text, 0);
  while (i < n) {
    size_t begin = i > kWindowBefore ? i - kWindowBefore : 0;
    // Start on a non-word byte so \b at the window start is a real boundary.
    for (size_t k = 0; k < 32 && begin > 0 && isAlnum(text[begin - 1]); ++k) --begin;
    size_t last = i;
    size_t next = n;
    while (true) {
      // Skip the rest of this digit run cheaply, then look for the next digit.
      while (last + 1 < n && isDigit(text[last + 1])) ++last;
      next = nextDigitPair(text, last + 1);
      if (next < n && next <= last + kWindowAfter + kWindowBefore) {
        last = next;
        continue;
      }
      break;
    }
    size_t end = std::min(n, last + 1 + kWindowAfter);
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
