// File: prefilter.h
//
// Every pattern of the regex database contains a digit, and most of an AI-API body has none
// (prose, code, base64 aside). Both APIs therefore run that database only over windows around
// digit runs, found 64 bytes at a time (byte_classes.h). Windows extend far enough on each side
// for the longest pattern context (a month name before a day) and end on a non-word byte, so
// \b means the same inside a window as in the whole body. (Street addresses are found from
// their suffix keyword, not by a regex, for the same reason: a regex that starts at any number
// and runs over words was the slowest pattern by far.)
//
// Not every digit run opens a window: prose is full of bare counts ("12 tablets", "in 30
// minutes"), and no pattern can match a lone short number. A run opens a window only when it
// has a shape some pattern needs (see shapedRun() in prefilter.cc): four digits or more, a
// letter or a joiner ('-', '/', '.', ':', '(', '+') next to it, a value an age pattern can
// take, or a month name before it. Every match of every pattern contains such a run, which
// tests/unit/scanner/prefilter_test.cc checks against the whole-text scan.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace sluice::scanner {

struct ByteRange {
  size_t begin;
  size_t end;
};

// Before a shaped run: "23   of   September, 2021" has 24 bytes before its year. After it:
// "+33 1 23 45 67 89" and IPv6 groups run up to about 25 bytes past their first shaped run.
inline constexpr size_t kWindowBefore = 32;
inline constexpr size_t kWindowAfter = 32;

// Merged windows covering every shaped run of two or more digits of `text`, with the context
// above. `misread`, when given, is set when a run of digits has one of the letters OCR reads
// for a digit (O, l, I, B) right before or after it (misread.h), and left as it is otherwise.
std::vector<ByteRange> digitWindows(std::string_view text, bool* misread = nullptr);

}  // namespace sluice::scanner
