#include "misread.h"

#include <cstring>

#include "byte_classes.h"
#include "window.h"

namespace sluice::scanner {
namespace {

constexpr size_t kMaxToken = 32;

bool joiner(char c) {
  return c == '/' || c == '-' || c == '.';
}

char digitFor(char c) {
  switch (c) {
    case 'O': return '0';
    case 'l':
    case 'I': return '1';
    case 'B': return '8';
    default: return c;
  }
}

// Whether the token text[s, e) (no outer joiners) is a misread number, by the rules of the
// file comment.
bool qualifies(const std::string& text, size_t s, size_t e) {
  if (e - s > kMaxToken || (e < text.size() && isAlnum(text[e]))) return false;
  size_t digits = 0;
  size_t letters = 0;
  bool dash_or_slash = false;
  bool beside_digit = false;
  for (size_t i = s; i < e; ++i) {
    char c = text[i];
    if (isDigit(c)) {
      ++digits;
    } else if (misreadLetter(c)) {
      ++letters;
      bool before = i > s && isDigit(text[i - 1]);
      bool after = i + 1 < e && isDigit(text[i + 1]);
      if (c == 'B' && !(before && after)) return false;
      beside_digit = beside_digit || before || after;
    } else {
      dash_or_slash = dash_or_slash || c == '/' || c == '-';
    }
  }
  return letters > 0 && beside_digit && digits >= 2 && letters <= digits && dash_or_slash;
}

#ifdef SLUICE_SCANNER_X86
// Whether the 32 bytes `v` (at p + i) hold one of the letters next to a digit, the bytes
// beside the block included. `digits` is the block's digit mask.
__attribute__((target("avx2"), always_inline)) inline bool letterBesideDigitAvx2(const char* p,
                                                                                 size_t i, size_t n,
                                                                                 __m256i v,
                                                                                 uint64_t digits) {
  __m256i letter = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('O')),
                                                   _mm256_cmpeq_epi8(v, _mm256_set1_epi8('l'))),
                                   _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('I')),
                                                   _mm256_cmpeq_epi8(v, _mm256_set1_epi8('B'))));
  auto letters = static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(letter)));
  bool digit_before = i > 0 && isDigit(p[i - 1]);
  uint64_t near = (digits << 1) | (digits >> 1) | (digit_before ? 1 : 0);
  if ((letters & near) != 0) return true;
  // A digit at either edge with a letter just outside the block.
  return ((digits >> 31) != 0 && i + 32 < n && misreadLetter(p[i + 32])) ||
         ((digits & 1) != 0 && i > 0 && misreadLetter(p[i - 1]));
}

// Most of a body holds no digit: 64 bytes are tested at once, and only a half that holds a
// digit is searched for the letters.
__attribute__((target("avx2"))) bool mayHoldAvx2(const char* p, size_t n) {
  const __m256i shift = _mm256_set1_epi8(static_cast<char>(-128 - '0'));
  const __m256i limit = _mm256_set1_epi8(static_cast<char>(-128 + 10));
  // The last bytes (a stream's writes end anywhere) are tested in a copy padded with zeros,
  // which are neither digits nor letters; neighbours are read from `p` within its bounds.
  alignas(32) char tail[64];
  for (size_t i = 0; i < n; i += 64) {
    const char* q = p + i;
    if (i + 64 > n) {
      std::memset(tail, 0, sizeof tail);
      std::memcpy(tail, p + i, n - i);
      q = tail;
    }
    __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
    __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + 32));
    __m256i da = _mm256_cmpgt_epi8(limit, _mm256_add_epi8(a, shift));
    __m256i db = _mm256_cmpgt_epi8(limit, _mm256_add_epi8(b, shift));
    if (_mm256_testz_si256(_mm256_or_si256(da, db), _mm256_or_si256(da, db)) != 0) {
      // No digit here; a letter at the start next to the previous block's last digit.
      if (i > 0 && isDigit(p[i - 1]) && misreadLetter(p[i])) return true;
      continue;
    }
    auto ma = static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(da)));
    auto mb = static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(db)));
    if ((ma != 0 && letterBesideDigitAvx2(p, i, n, a, ma)) ||
        (mb != 0 && letterBesideDigitAvx2(p, i + 32, n, b, mb))) {
      return true;
    }
  }
  return false;
}
#endif

}  // namespace

bool misreadTokenByte(char c) {
  return isDigit(c) || misreadLetter(c) || joiner(c);
}

bool mayHoldMisreadDigits(std::string_view text) {
#ifdef SLUICE_SCANNER_X86
  if (classes::haveAvx2()) return mayHoldAvx2(text.data(), text.size());
#endif
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    char a = text[i];
    char b = text[i + 1];
    if ((misreadLetter(a) && isDigit(b)) || (isDigit(a) && misreadLetter(b))) return true;
  }
  return false;
}

size_t restoreMisreadDigits(std::string& text, size_t from) {
  size_t restored = 0;
  size_t n = text.size();
  for (size_t i = from; i < n;) {
    if (!misreadTokenByte(text[i])) {
      ++i;
      continue;
    }
    size_t s = i;
    while (i < n && misreadTokenByte(text[i])) ++i;
    size_t e = i;
    // A run that goes on into a word is no number: "2-3l/min".
    if (e - s > kMisreadRunLimit || (e < n && isAlpha(text[e]))) continue;
    while (s < e && joiner(text[s])) ++s;
    while (e > s && joiner(text[e - 1])) --e;
    if (e > s && qualifies(text, s, e)) {
      for (size_t k = s; k < e; ++k) text[k] = digitFor(text[k]);
      ++restored;
    }
  }
  return restored;
}

}  // namespace sluice::scanner
