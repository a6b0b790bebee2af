// File: fold.h
//
// The folded view: identifiers written so that byte patterns miss them, whether a person
// disguised them to slip past a filter or a system mangled them on the way, rewritten into
// the forms the detectors read. The scanner folds the JSON-unescaped view (json_view.h) and
// maps every offset back through the fold, as it does through the unescaping.
//
//   zero-width characters, soft hyphens    "5\u200b2\u200b9-41"        -> "529-41"
//   odd spaces (no-break, thin, ideographic) "DOB:\u00a001/02/1980"  -> "DOB: 01/02/1980"
//   full-width digits and letters          "０９０－４４１８"            -> "090-4418"
//   HTML character references              "jo&#64;x.com", "&amp;"     -> "jo@x.com", "&"
//   percent-encoding (printable or UTF-8)  "name=Hannah%20L%C3%B6w"    -> "name=Hannah Löw"
//   quoted-printable UTF-8, RTF escapes    "f=C3=A9vrier", "Gl\'f3ria" -> "février", "Glória"
//   '+' for a space in a query string      "?q=John+Smith"             -> "?q=John Smith"
//   defanged addresses                     "k [dot] ram [at] yahoo.com" -> "k.ram@yahoo.com"
//   hyphens and dashes between digits      "503–884–0172" (U+2013)     -> "503-884-0172"
//   characters spaced apart                "5 3 6 - 2 2 - 4 1 9 7"     -> "536-22-4197"
//                                          "D e r r i c k  O k a f o r" -> "Derrick Okafor"
//   Cyrillic look-alikes in a Latin word   "Ѕаrаh", "gmаil"            -> "Sarah", "gmail"
//
// A run of spaced characters needs five of them, one by one (a letter or digit with no
// other beside it, joined by single spaces, " - ", " / ", " . ", " ~ " or a hyphen between
// letters), and is left alone when it only counts up ("0 1 2 3 4 5": pain scales and lists)
// or spells a word in one case ("K O W A L S K I", which the speech rules read as a
// spelling). Full-width punctuation is folded only next to a full-width digit, since CJK prose
// uses it as its own; an en dash only after three digits, since it also writes ranges; a
// defanged dot not between digits, since a defanged IP address is a threat report's, and a
// defanged "@" only before a domain. A look-alike letter is read as Latin only in a word of at
// most kWordLimit bytes that also has Latin letters: no word of either script mixes them but
// to pass for the other. A reference or escape that does not decode to a character stays as
// written.
//
// The folder is incremental, like the JSON decoder: the stream API feeds it writes of any
// size, and a unit cut by the end of a write (a reference, an escape, a spaced run, a word
// with a look-alike) waits for the next, as do the write's last word and a space after it,
// which a unit after them reads. A spaced run is read for at most kFoldHoldLimit bytes. The
// state a unit reads from before the bytes it is given (a query string's '=', a full-width
// digit, a word running on, the digits before a dash) is carried from write to write, so the
// folded text and its offsets are the one-shot fold's wherever the writes are cut.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/scanner/json_view.h"

namespace sluice::scanner {

inline constexpr size_t kFoldHoldLimit = 160;

class Folder {
 public:
  // Folds `in` (the next bytes of the text) and appends the result to `out`, recording in
  // `map` where folded offsets lie in the text fed. A unit that may continue past the end of
  // `in` is kept for the next call.
  void feed(std::string_view in, std::string& out, OffsetMap& map);
  // Folds what is kept as it stands.
  void finish(std::string& out, OffsetMap& map);

 private:
  void fold(std::string_view buf, bool final, std::string& out, OffsetMap& map);

  std::string pending_;
  std::string joined_;       // what is pending and the next bytes, for the next fold
  uint64_t in_pos_ = 0;      // bytes of the text consumed, pending excluded
  uint64_t out_pos_ = 0;     // folded bytes produced
  char last_ = '\n';         // the last folded byte produced
  size_t query_ = SIZE_MAX;  // how far back a query string's '=' is, if in reach ...
  bool fullwidth_ = false;   // ... whether a full-width letter or digit ends the text ...
  bool word_ = false;        // ... whether a word of Latin or Cyrillic letters does ...
  size_t digits_ = 0;        // ... and how many digits (up to three) the folded text ends with
};

// One-shot: folds `text` into `out` and `map` and returns true, or returns false (and leaves
// both empty) when nothing in `text` folds, which is the common case and costs one pass.
bool foldText(std::string_view text, std::string& out, OffsetMap& map);

}  // namespace sluice::scanner
