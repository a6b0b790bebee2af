// File: byte_classes.h
//
// The scanner's own passes over a body (digit runs for the regex windows, capitalised word
// starts for the name lexicon) look at every byte, so they classify 64 bytes at a time into
// bit masks and visit the blocks: with AVX2 where the CPU has it (chosen once at run time, as
// Hyperscan does for itself), SSE2 otherwise, plain C++ off x86. The classification is
// inlined into each pass's loop; a call per block cost more than the classification.
//
//   size_t rest = forEachBlock<kDigitsOnly>(text, from, [&](size_t at, const ByteClasses& c) {
//     ...  // c.digit bit i: text[at + i] is a digit
//     return true;  // false stops the walk at this block
//   });
//   // bytes from `rest` on (fewer than 64) are left to the caller
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#if defined(__x86_64__)
#include <immintrin.h>
#define SLUICE_SCANNER_X86 1
#endif

namespace sluice::scanner {

struct ByteClasses {
  uint64_t digit = 0;  // bit i: p[i] is '0'..'9'
  uint64_t upper = 0;  // 'A'..'Z'
  uint64_t alnum = 0;  // letter or digit
};

inline constexpr size_t kClassBlock = 64;
inline constexpr bool kDigitsOnly = false;  // forEachBlock<kDigitsOnly>: only ByteClasses::digit
inline constexpr bool kWordClasses = true;  // ... digit, upper and alnum

namespace classes {

bool haveAvx2();

#ifdef SLUICE_SCANNER_X86
// Signed compares throughout: bytes >= 0x80 are negative and never fall in a range below.
template <bool kWords>
__attribute__((target("avx2"), always_inline)) inline ByteClasses avx2(const char* p) {
  ByteClasses c;
  for (unsigned h = 0; h < 2; ++h) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * h));
    __m256i digit = _mm256_and_si256(_mm256_cmpgt_epi8(v, _mm256_set1_epi8('0' - 1)),
                                     _mm256_cmpgt_epi8(_mm256_set1_epi8('9' + 1), v));
    c.digit |= uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(digit))} << (32 * h);
    if constexpr (kWords) {
      __m256i upper = _mm256_and_si256(_mm256_cmpgt_epi8(v, _mm256_set1_epi8('A' - 1)),
                                       _mm256_cmpgt_epi8(_mm256_set1_epi8('Z' + 1), v));
      __m256i folded = _mm256_or_si256(v, _mm256_set1_epi8(0x20));
      __m256i alpha = _mm256_and_si256(_mm256_cmpgt_epi8(folded, _mm256_set1_epi8('a' - 1)),
                                       _mm256_cmpgt_epi8(_mm256_set1_epi8('z' + 1), folded));
      c.upper |= uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(upper))} << (32 * h);
      c.alnum |= uint64_t{static_cast<uint32_t>(
                     _mm256_movemask_epi8(_mm256_or_si256(alpha, digit)))}
                 << (32 * h);
    }
  }
  return c;
}

template <bool kWords>
inline ByteClasses sse2(const char* p) {
  ByteClasses c;
  for (unsigned q = 0; q < 4; ++q) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * q));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    c.digit |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(digit))} << (16 * q);
    if constexpr (kWords) {
      __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('A' - 1)),
                                    _mm_cmplt_epi8(v, _mm_set1_epi8('Z' + 1)));
      __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
      __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                    _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
      c.upper |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(upper))} << (16 * q);
      c.alnum |=
          uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_or_si128(alpha, digit)))}
          << (16 * q);
    }
  }
  return c;
}

template <bool kWords, typename Visit>
__attribute__((target("avx2"))) size_t walkAvx2(std::string_view text, size_t i, Visit& visit) {
  for (; i + kClassBlock <= text.size(); i += kClassBlock) {
    if (!visit(i, avx2<kWords>(text.data() + i))) break;
  }
  return i;
}
#endif

template <bool kWords>
inline ByteClasses portable(const char* p) {
  ByteClasses c;
  for (unsigned i = 0; i < kClassBlock; ++i) {
    char b = p[i];
    uint64_t bit = uint64_t{1} << i;
    bool digit = b >= '0' && b <= '9';
    bool upper = b >= 'A' && b <= 'Z';
    c.digit |= digit ? bit : 0;
    c.upper |= upper ? bit : 0;
    c.alnum |= digit || upper || (b >= 'a' && b <= 'z') ? bit : 0;
  }
  return c;
}

template <bool kWords, typename Visit>
size_t walkPortable(std::string_view text, size_t i, Visit& visit) {
  for (; i + kClassBlock <= text.size(); i += kClassBlock) {
#ifdef SLUICE_SCANNER_X86
    if (!visit(i, sse2<kWords>(text.data() + i))) break;
#else
    if (!visit(i, portable<kWords>(text.data() + i))) break;
#endif
  }
  return i;
}

}  // namespace classes

// Visits the whole 64-byte blocks of text[from, ...) in order; see the file comment.
template <bool kWords, typename Visit>
size_t forEachBlock(std::string_view text, size_t from, Visit&& visit) {
#ifdef SLUICE_SCANNER_X86
  if (classes::haveAvx2()) return classes::walkAvx2<kWords>(text, from, visit);
#endif
  return classes::walkPortable<kWords>(text, from, visit);
}

}  // namespace sluice::scanner
