#include "misread.h"

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
// Most blocks hold no digit, and only those that do are searched for the letters.
__attribute__((target("avx2"))) bool mayHoldAvx2(const char* p, size_t n, size_t& done) {
  bool previous_digit = false;  // the last byte of the previous block was a digit
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + i));
    auto digits = static_cast<uint64_t>(
        static_cast<uint32_t>(_mm256_movemask_epi8(classes::inRangeAvx2(v, '0', 10))));
    if (digits == 0) {
      if (previous_digit && misreadLetter(p[i])) return true;
      previous_digit = false;
      continue;
    }
    __m256i letter = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('O')),
                                                     _mm256_cmpeq_epi8(v, _mm256_set1_epi8('l'))),
                                     _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('I')),
                                                     _mm256_cmpeq_epi8(v, _mm256_set1_epi8('B'))));
    auto letters = static_cast<uint64_t>(static_cast<uint32_t>(_mm256_movemask_epi8(letter)));
    // A digit just before or just after a letter; the bytes beside the block are checked
    // by whichever block holds the digit.
    uint64_t near = (digits << 1) | (digits >> 1) | (previous_digit ? 1 : 0);
    if ((letters & near) != 0) return true;
    if ((digits >> 31) != 0 && i + 32 < n && misreadLetter(p[i + 32])) return true;
    if ((digits & 1) != 0 && i > 0 && misreadLetter(p[i - 1])) return true;
    previous_digit = (digits >> 31) != 0;
  }
  done = i;
  return false;
}
#endif

}  // namespace

bool misreadTokenByte(char c) {
  return isDigit(c) || misreadLetter(c) || joiner(c);
}

bool mayHoldMisreadDigits(std::string_view text) {
  size_t from = 0;
#ifdef SLUICE_SCANNER_X86
  if (classes::haveAvx2()) {
    if (mayHoldAvx2(text.data(), text.size(), from)) return true;
    if (from > 0) --from;  // the pair across the last block's end
  }
#endif
  for (size_t i = from; i + 1 < text.size(); ++i) {
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
    if (e - s > kMisreadRunLimit) continue;
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
