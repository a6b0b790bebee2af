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
  uint64_t high = 0;   // a byte of a UTF-8 sequence (0x80 and above)
};

inline constexpr size_t kClassBlock = 64;
inline constexpr bool kDigitsOnly = false;  // forEachBlock<kDigitsOnly>: only ByteClasses::digit
inline constexpr bool kWordClasses = true;  // ... only upper, alnum and high

namespace classes {

bool haveAvx2();

// A UTF-8 lead byte of a letter of another script or an accented one: 0xC2 and above, other
// than 0xE2, which starts the dashes, quotes and bullets of English text.
inline bool scriptLead(char c) {
  auto b = static_cast<unsigned char>(c);
  return b >= 0xC2 && b != 0xE2;
}
// Whether `text` holds such a byte: 128 bytes at a time with AVX2, first whether any byte is
// above ASCII at all (most bodies have none).
bool holdsScriptLead(std::string_view text);

#ifdef SLUICE_SCANNER_X86
// Byte ranges with one add and one signed compare: adding 0x80 - lo maps [lo, lo + n) onto
// [-128, -128 + n) and every other byte (0x80 and above too) above it.
__attribute__((target("avx2"), always_inline)) inline __m256i inRangeAvx2(__m256i v, char lo,
                                                                          int n) {
  __m256i shifted = _mm256_add_epi8(v, _mm256_set1_epi8(static_cast<char>(-128 - lo)));
  return _mm256_cmpgt_epi8(_mm256_set1_epi8(static_cast<char>(-128 + n)), shifted);
}

inline __m128i inRangeSse2(__m128i v, char lo, int n) {
  __m128i shifted = _mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(-128 - lo)));
  return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(-128 + n)));
}

// kWords fills upper and alnum (a word pass needs no digit mask of its own); otherwise only
// digit. Setting the 0x20 bit maps exactly the upper- and lower-case letters onto 'a'..'z'.
template <bool kWords>
__attribute__((target("avx2"), always_inline)) inline ByteClasses avx2(const char* p) {
  ByteClasses c;
  for (unsigned h = 0; h < 2; ++h) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * h));
    __m256i digit = inRangeAvx2(v, '0', 10);
    if constexpr (kWords) {
      __m256i upper = inRangeAvx2(v, 'A', 26);
      __m256i alpha = inRangeAvx2(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), 'a', 26);
      c.upper |= uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(upper))} << (32 * h);
      c.alnum |= uint64_t{static_cast<uint32_t>(
                     _mm256_movemask_epi8(_mm256_or_si256(alpha, digit)))}
                 << (32 * h);
      c.high |= uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(v))} << (32 * h);
    } else {
      c.digit |= uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(digit))} << (32 * h);
    }
  }
  return c;
}

template <bool kWords>
inline ByteClasses sse2(const char* p) {
  ByteClasses c;
  for (unsigned q = 0; q < 4; ++q) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * q));
    __m128i digit = inRangeSse2(v, '0', 10);
    if constexpr (kWords) {
      __m128i upper = inRangeSse2(v, 'A', 26);
      __m128i alpha = inRangeSse2(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 26);
      c.upper |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(upper))} << (16 * q);
      c.alnum |=
          uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(_mm_or_si128(alpha, digit)))}
          << (16 * q);
      c.high |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(v))} << (16 * q);
    } else {
      c.digit |= uint64_t{static_cast<uint16_t>(_mm_movemask_epi8(digit))} << (16 * q);
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
    c.high |= static_cast<unsigned char>(b) >= 0x80 ? bit : 0;
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
