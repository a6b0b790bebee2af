// File: prefilter.h
//
// Every pattern of the regex database contains a digit, and most of an AI-API body has none
// (prose, code, base64 aside). The one-shot API therefore runs that database only over
// windows around digit runs, found with a 16-bytes-at-a-time SIMD scan. Windows extend far
// enough on each side for the longest pattern context (a month name before a day, a street
// name after a house number) and end on a non-word byte, so \b means the same inside a
// window as in the whole body.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace sluice::scanner {

struct ByteRange {
  size_t begin;
  size_t end;
};

inline constexpr size_t kWindowBefore = 28;  // "September 23rd" needs 10; VINs up to 16
inline constexpr size_t kWindowAfter = 72;   // "123 North Harbor View Boulevard"

// The first digit at or after `from`, or text.size().
size_t nextDigit(std::string_view text, size_t from);

// Merged windows covering every digit of `text` with the context above.
std::vector<ByteRange> digitWindows(std::string_view text);

}  // namespace sluice::scanner
