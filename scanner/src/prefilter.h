// File: prefilter.h
//
// Every pattern of the regex database contains a digit, and most of an AI-API body has none
// (prose, code, base64 aside). The one-shot API therefore runs that database only over
// windows around digit runs, found with a 16-bytes-at-a-time SIMD scan. Windows extend far
// enough on each side for the longest pattern context (a month name before a day) and end on
// a non-word byte, so \b means the same inside a window as in the whole body. (Street
// addresses are found from their suffix keyword, not by a regex, for the same reason: a
// regex that starts at any number and runs over words was the slowest pattern by far.)
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace sluice::scanner {

struct ByteRange {
  size_t begin;
  size_t end;
};

// Before a digit: "September 23", "P.O. Box 12", "aged 95" (a VIN's leading letters are
// covered by extending to the word start). After: "3 March 2021", "95 years", MBI/UDI tails.
inline constexpr size_t kWindowBefore = 20;
inline constexpr size_t kWindowAfter = 28;

// The first digit at or after `from`, or text.size().
size_t nextDigit(std::string_view text, size_t from);

// Merged windows covering every run of two or more digits of `text` with the context above
// (every regex pattern contains such a run).
std::vector<ByteRange> digitWindows(std::string_view text);

}  // namespace sluice::scanner
