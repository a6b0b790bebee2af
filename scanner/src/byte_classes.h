// File: byte_classes.h
//
// The scanner's own passes over a body (digit runs for the regex windows, capitalised word
// starts for the name lexicon) look at every byte, so they classify 64 bytes at a time into
// bit masks: AVX2 where the CPU has it (chosen once at run time, as Hyperscan does for
// itself), SSE2 otherwise, and plain C++ off x86.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sluice::scanner {

struct ByteClasses {
  uint64_t digit = 0;  // bit i: p[i] is '0'..'9'
  uint64_t upper = 0;  // 'A'..'Z'
  uint64_t alnum = 0;  // letter or digit
};

inline constexpr size_t kClassBlock = 64;

// Classifies p[0, 64).
ByteClasses classify64(const char* p);
// Only the digit mask of p[0, 64), for a pass that needs no more.
uint64_t digits64(const char* p);

}  // namespace sluice::scanner
