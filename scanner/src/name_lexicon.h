// File: name_lexicon.h
//
// The name dictionaries as a literal database of their own, kept out of Hyperscan. A name hit
// only counts as a whole word (nameHit() rejects "Ann" in "Annual"), so instead of matching
// 25,000 literals at every byte the lexicon looks at word starts only: a SIMD pass finds the
// capital letters that begin a word, and each such word is looked up in a hash table after a
// one-bit filter. Prose has a capitalised word every few dozen bytes and most are not names,
// so the filter usually answers alone. Compared with the Hyperscan literal database it
// replaces, this scans several times faster, compiles in milliseconds instead of hundreds, and
// needs no per-stream state.
//
// The literal set is the same: every first name and the most frequent surnames, four letters
// or more, in the capitalisation they have in prose ("Smith"), plus ALL-CAPS first names
// ("JOHN SMITH" in forms and HL7). Shorter and rarer names are still recognised next to a hit
// or a cue through NameData::find().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "names.h"
#include "window.h"

namespace sluice::scanner {

class NameLexicon {
 public:
  // An empty lexicon finds nothing (ScannerOptions::names = false).
  NameLexicon() = default;
  explicit NameLexicon(const NameData& names);

  // Appends a kNameHit hit for every dictionary word of `text` (absolute decoded offset
  // `base`) that starts at or after `cursor`, and moves `cursor` past them. Unless `final`, a
  // word that touches the end of `text` may continue in the next write: it is left for then.
  void scan(std::string_view text, uint64_t base, bool final, uint64_t& cursor,
            std::vector<Hit>& out) const;

  // Entry index (| kUpperName for the ALL-CAPS form) of `word`, or kNotFound.
  uint32_t lookup(std::string_view word) const;
  size_t bytes() const;

  static constexpr uint32_t kNotFound = UINT32_MAX;
  static constexpr size_t kMinLength = 4;
  static constexpr size_t kMaxLength = 24;

 private:
  // The state of a scan() over words with accented letters; see accentedWords().
  struct AccentedWords {
    const char* p;
    size_t n;
    uint64_t base;
    bool final;
    size_t done;     // words before here were judged
    size_t waiting;  // the start of a word that may continue in the next write
    bool unordered;  // hits were added after later ASCII ones
    std::string folded;
  };
  __attribute__((noinline, cold)) bool accentedWords(AccentedWords& a, size_t from, size_t to,
                                                     std::vector<Hit>& out) const;
  void add(std::string_view word, uint32_t id);
  // lookup() without its checks: `word` has kMinLength..kMaxLength bytes, the lexicon words.
  uint32_t find(std::string_view word) const;
  std::string_view keyOf(uint32_t id) const;

  const NameData* names_ = nullptr;
  std::vector<std::string> upper_;      // ALL-CAPS forms, by entry index ("" when none)
  struct Slot {
    uint32_t hash = 0;
    uint32_t id = kNotFound;  // kNotFound: empty
  };
  std::vector<Slot> slots_;             // open addressing
  std::vector<uint64_t> filter_;        // one bit per hash bucket
  uint32_t slot_mask_ = 0;
  uint32_t filter_mask_ = 0;
};

}  // namespace sluice::scanner
