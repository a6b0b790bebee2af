#include "byte_classes.h"

#if defined(__x86_64__)
#include <immintrin.h>
#define SLUICE_X86 1
#endif

#include "window.h"

namespace sluice::scanner {
namespace {

using ClassifyFn = ByteClasses (*)(const char* p);

#ifndef SLUICE_X86
template <bool kWords>
ByteClasses classifyScalar(const char* p) {
  ByteClasses c;
  for (unsigned i = 0; i < kClassBlock; ++i) {
    uint64_t bit = uint64_t{1} << i;
    if (isDigit(p[i])) c.digit |= bit;
    if (isUpper(p[i])) c.upper |= bit;
    if (isAlnum(p[i])) c.alnum |= bit;
  }
  return c;
}
#endif

#ifdef SLUICE_X86

// Signed compares throughout: bytes >= 0x80 are negative and never fall in a range below.
template <bool kWords>
ByteClasses classifySse2(const char* p) {
  const __m128i upper_lo = _mm_set1_epi8('A' - 1), upper_hi = _mm_set1_epi8('Z' + 1);
  const __m128i lower_lo = _mm_set1_epi8('a' - 1), lower_hi = _mm_set1_epi8('z' + 1);
  const __m128i digit_lo = _mm_set1_epi8('0' - 1), digit_hi = _mm_set1_epi8('9' + 1);
  const __m128i case_bit = _mm_set1_epi8(0x20);
  ByteClasses c;
  for (int q = 0; q < 4; ++q) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * q));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, digit_lo), _mm_cmplt_epi8(v, digit_hi));
    auto shift = static_cast<unsigned>(16 * q);
    c.digit |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(digit))} << shift;
    if constexpr (kWords) {
      __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(v, upper_lo), _mm_cmplt_epi8(v, upper_hi));
      __m128i folded = _mm_or_si128(v, case_bit);
      __m128i alpha =
          _mm_and_si128(_mm_cmpgt_epi8(folded, lower_lo), _mm_cmplt_epi8(folded, lower_hi));
      c.upper |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(upper))} << shift;
      c.alnum |=
          uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_or_si128(alpha, digit)))}
          << shift;
    }
  }
  return c;
}

template <bool kWords>
__attribute__((target("avx2"))) ByteClasses classifyAvx2(const char* p) {
  const __m256i upper_lo = _mm256_set1_epi8('A' - 1), upper_hi = _mm256_set1_epi8('Z' + 1);
  const __m256i lower_lo = _mm256_set1_epi8('a' - 1), lower_hi = _mm256_set1_epi8('z' + 1);
  const __m256i digit_lo = _mm256_set1_epi8('0' - 1), digit_hi = _mm256_set1_epi8('9' + 1);
  const __m256i case_bit = _mm256_set1_epi8(0x20);
  ByteClasses c;
  for (int h = 0; h < 2; ++h) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * h));
    __m256i digit =
        _mm256_and_si256(_mm256_cmpgt_epi8(v, digit_lo), _mm256_cmpgt_epi8(digit_hi, v));
    auto shift = static_cast<unsigned>(32 * h);
    c.digit |= uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(digit))} << shift;
    if constexpr (kWords) {
      __m256i upper =
          _mm256_and_si256(_mm256_cmpgt_epi8(v, upper_lo), _mm256_cmpgt_epi8(upper_hi, v));
      __m256i folded = _mm256_or_si256(v, case_bit);
      __m256i alpha = _mm256_and_si256(_mm256_cmpgt_epi8(folded, lower_lo),
                                       _mm256_cmpgt_epi8(lower_hi, folded));
      c.upper |= uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(upper))} << shift;
      c.alnum |= uint64_t{static_cast<uint32_t>(
                     _mm256_movemask_epi8(_mm256_or_si256(alpha, digit)))}
                 << shift;
    }
  }
  return c;
}

#endif

template <bool kWords>
ClassifyFn chooseClassify() {
#ifdef SLUICE_X86
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? classifyAvx2<kWords> : classifySse2<kWords>;
#else
  return classifyScalar<kWords>;
#endif
}

}  // namespace

ByteClasses classify64(const char* p) {
  static const ClassifyFn chosen = chooseClassify<true>();
  return chosen(p);
}

uint64_t digits64(const char* p) {
  static const ClassifyFn chosen = chooseClassify<false>();
  return chosen(p).digit;
}

}  // namespace sluice::scanner
