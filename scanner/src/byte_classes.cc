#include "byte_classes.h"

namespace sluice::scanner::classes {

bool haveAvx2() {
#ifdef SLUICE_SCANNER_X86
  static const bool have = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return have;
#else
  return false;
#endif
}

namespace {

bool holdsScriptLeadScalar(std::string_view text) {
  for (char c : text) {
    if (scriptLead(c)) return true;
  }
  return false;
}

#ifdef SLUICE_SCANNER_X86
__attribute__((target("avx2"))) bool holdsScriptLeadAvx2(const char* p, size_t n) {
  size_t i = 0;
  const __m256i floor = _mm256_set1_epi8(static_cast<char>(0xC2));
  const __m256i dash = _mm256_set1_epi8(static_cast<char>(0xE2));
  const auto* at = reinterpret_cast<const __m256i*>(p);
  for (; i + 128 <= n; i += 128) {
    const __m256i* q = at + i / 32;
    __m256i any =
        _mm256_or_si256(_mm256_or_si256(_mm256_loadu_si256(q), _mm256_loadu_si256(q + 1)),
                        _mm256_or_si256(_mm256_loadu_si256(q + 2), _mm256_loadu_si256(q + 3)));
    if (_mm256_movemask_epi8(any) == 0) continue;
    for (int k = 0; k < 4; ++k) {
      __m256i v = _mm256_loadu_si256(q + k);
      __m256i high = _mm256_cmpeq_epi8(_mm256_max_epu8(v, floor), v);  // v >= 0xC2
      __m256i lead = _mm256_andnot_si256(_mm256_cmpeq_epi8(v, dash), high);
      if (_mm256_movemask_epi8(lead) != 0) return true;
    }
  }
  return holdsScriptLeadScalar(std::string_view(p + i, n - i));
}
#endif

}  // namespace

bool holdsScriptLead(std::string_view text) {
#ifdef SLUICE_SCANNER_X86
  if (haveAvx2()) return holdsScriptLeadAvx2(text.data(), text.size());
#endif
  return holdsScriptLeadScalar(text);
}

}  // namespace sluice::scanner::classes
