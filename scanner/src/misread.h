// File: misread.h
//
// Digits that OCR read as letters, in faxed and scanned forms: "D0B: O4/l7/1961",
// "Ph: (555) 3O2-8817", "SSN 4O1-66-2B93". The scanner rewrites such tokens with the digits
// the letters stand for (O as 0, l and I as 1, B as 8) before any pass reads the text. The
// rewrite keeps the text's length, so every offset stays that of the bytes as written.
//
// A token is a maximal run of digits, those four letters and the joiners '/', '-' and '.',
// of at most kMisreadRunLimit bytes. It is rewritten only when, without its outer joiners, it
// is at most 32 bytes, holds a misread letter next to a digit, at least two real digits and no
// more misread letters than digits, a '/' or '-' (dates, phones, SSNs, member numbers: not
// "O2" or the ICD-10 code "O24.4"), and no letter or digit follows it or the run
// ("2-3l/min"); a B counts only between two digits ("2B93", not "B12").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::scanner {

inline constexpr size_t kMisreadRunLimit = 64;

// Whether a byte can be part of a token, and whether it is one of the four letters.
bool misreadTokenByte(char c);
inline bool misreadLetter(char c) {
  return c == 'O' || c == 'l' || c == 'I' || c == 'B';
}

// Whether `text` holds one of the four letters next to a digit: the cheap test before
// restoreMisreadDigits() (AVX2 where the CPU has it). The one-shot scan has it from
// digitWindows() instead, whose pass over the digits it shares.
bool mayHoldMisreadDigits(std::string_view text);

// Rewrites the tokens of `text` that qualify, in place; returns how many. A token that runs
// into the end of `text` is judged as it stands: the stream API holds such a tail back until
// the byte after it arrives (ScanStream::write).
size_t restoreMisreadDigits(std::string& text, size_t from = 0);

}  // namespace sluice::scanner
