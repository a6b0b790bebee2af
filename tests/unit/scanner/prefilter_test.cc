// The regex database runs only over the digit windows (prefilter.h) and the name dictionaries
// only at word starts (name_lexicon.h). Both are shortcuts: these tests check that they find
// everything the full scans they replace would find.
#include <gtest/gtest.h>
#include <hs/hs.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "byte_classes.h"
#include "engine.h"
#include "misread.h"
#include "name_lexicon.h"
#include "prefilter.h"
#include "rules.h"

namespace sluice::scanner {
namespace {

using Match = std::tuple<unsigned, uint64_t, uint64_t>;  // pattern, start, end

int collect(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* ctx) {
  static_cast<std::vector<Match>*>(ctx)->emplace_back(id, from, to);
  return 0;
}

class PrefilterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    double ms = 0;
    auto dbs = compileDatabases(false, ms);
    ASSERT_TRUE(dbs.ok());
    dbs_ = std::move(*dbs).release();
  }
  static void TearDownTestSuite() { delete dbs_; }

  std::vector<Match> wholeText(std::string_view text) {
    std::vector<Match> out;
    hs_scratch_t* scratch = *scratchFor(*dbs_);
    EXPECT_EQ(hs_scan(dbs_->regex_block, text.data(), static_cast<unsigned>(text.size()), 0,
                      scratch, collect, &out),
              HS_SUCCESS);
    return out;
  }

  std::set<Match> windowed(std::string_view text) {
    std::set<Match> out;
    hs_scratch_t* scratch = *scratchFor(*dbs_);
    for (ByteRange r : digitWindows(text)) {
      std::vector<Match> hits;
      hs_scan(dbs_->regex_block, text.data() + r.begin, static_cast<unsigned>(r.end - r.begin),
              0, scratch, collect, &hits);
      for (auto [id, from, to] : hits) out.emplace(id, from + r.begin, to + r.begin);
    }
    return out;
  }

  // Every whole-text match that contains a run of two digits (the prefilter's premise; "1.2.3.4"
  // has none) is found inside a window with the same bounds.
  void expectWindowsCover(std::string_view text) {
    std::set<Match> found = windowed(text);
    for (const Match& m : wholeText(text)) {
      auto [id, from, to] = m;
      std::string_view value = text.substr(from, to - from);
      bool pair = false;
      for (size_t i = 0; i + 1 < value.size(); ++i) {
        pair = pair || (isDigit(value[i]) && isDigit(value[i + 1]));
      }
      if (!pair) continue;
      EXPECT_TRUE(found.count(m) == 1)
          << "pattern " << id << " (" << regexPatterns()[id].regex << ") matched \"" << value
          << "\" in \"" << text << "\" but no window holds it";
    }
  }

  static Databases* dbs_;
};

Databases* PrefilterTest::dbs_ = nullptr;

TEST_F(PrefilterTest, BareCountsOpenNoWindow) {
  EXPECT_TRUE(digitWindows("take 12 tablets in 30 minutes, 2 times, for 14 days").empty());
  EXPECT_TRUE(digitWindows("He walked 500 meters. She is 45 and he is 61.").empty());
}

TEST_F(PrefilterTest, ShapedRunsOpenWindows) {
  for (std::string_view text :
       {"SSN 536-22-1234", "born 1962", "seen 3/4/62", "on 3 Mar 21", "a 95 year old",
        "aged 102", "MBI 1EG4-TE5-MK73", "ip 10.0.0.12", "mac 00:1b:44:11:3a:b7", "fe80::1",
        "call +33 1 23 45 67 89", "(217) 555-0143", "VIN 1HGCM82633A004352"}) {
    EXPECT_FALSE(digitWindows(text).empty()) << text;
  }
}

TEST_F(PrefilterTest, WindowsHoldEveryMatchOfKnownShapes) {
  for (std::string_view text :
       {"SSN 536-22-1234 or 536 22 1234", "call (217) 555-0143 or +1 217.555.0143",
        "DOB 03/14/1962, seen 2021-03-04 and 3.4.21",
        "March 3rd, 2021 and 23   of   September., 2021",
        "3 Mar 21, 12-Mar-2021, Mar-12-21, Sept 2019, December of 2020",
        "a 95 y/o man, 101-year-old, aged: 96", "card 4111 1111 1111 1111, 4111111111111111",
        "ip 192.168.10.12, 2001:db8::ff00:42:8329, fe80::1ff:fe23:4567:890a, ::ffff:10.0.0.12",
        "Springfield, IL 62704-1234", "MBI 1EG4-TE5-MK73 and 1EG4TE5MK73", "DEA AB1234563",
        "VIN 1HGCM82633A004352", "UDI (01)00844588003288(17)141120(10)7654321D",
        "+44 20 7946 0958, +7 1 23 45 67, +33 (1) 23 45 67 89", "00:1B:44:11:3A:B7",
        "el 14 de octubre, 3 de mar\xc3\xa7o y 4 juin; 9 de agosto de 1971",
        "ER visit 19Jul2024, dizziness 22-Oct, case 2024-US-031177"}) {
    expectWindowsCover(text);
  }
}

// Random mixtures of digit runs, separators, month names and age words: the windows must
// hold every match the whole-text scan finds.
TEST_F(PrefilterTest, WindowsHoldEveryMatchOfRandomText) {
  const std::vector<std::string> pieces = {
      " ",   " ",       " ",    "  ", "   ", "-",    "/",       ".",     ":",    "::",
      "(",   ")",       "+",    ", ", ",",   "\n",   "Jan",     "March", "sept", "Dec.",
      "of",  "years",   "yrs",  "yo", "y/o", "year", "aged",    "age",   "st",   "nd",
      "rd",  "th",      "A",    "EG", "MK",  "TE",   "ab",      "fe",    "ffff", "IL",
      "the", "patient", "dose", "x",  "Z",   "de",   "octubre", "juin",  "Jul",  "US"};
  std::mt19937 rng(20261129);
  for (int n = 0; n < 20000; ++n) {
    std::string text;
    int tokens = 3 + static_cast<int>(rng() % 25);
    for (int t = 0; t < tokens; ++t) {
      if (rng() % 3 == 0) {
        size_t digits = 1 + rng() % (rng() % 4 == 0 ? 19 : 4);
        for (size_t d = 0; d < digits; ++d) text.push_back(static_cast<char>('0' + rng() % 10));
      } else {
        text += pieces[rng() % pieces.size()];
      }
    }
    expectWindowsCover(text);
    if (HasFailure()) return;
  }
}

// The SIMD byte classes (AVX2 where the CPU has it, SSE2) against the byte-by-byte ones, over
// every byte value in every position of a block.
TEST(ByteClasses, SimdMatchesPortable) {
  std::mt19937 rng(3);
  std::string text(64 * 512, '\0');
  for (size_t i = 0; i < text.size(); ++i) {
    text[i] = static_cast<char>(i < 256 * 64 ? (i / 64 + i) % 256 : rng() % 256);
  }
  size_t blocks = 0;
  auto check = [&](size_t at, const ByteClasses& c) {
    ByteClasses want = classes::portable<kWordClasses>(text.data() + at);
    EXPECT_EQ(c.upper, want.upper) << "block at " << at;
    EXPECT_EQ(c.alnum, want.alnum) << "block at " << at;
    ++blocks;
    return true;
  };
  auto check_digits = [&](size_t at, const ByteClasses& c) {
    EXPECT_EQ(c.digit, classes::portable<kDigitsOnly>(text.data() + at).digit) << at;
    ++blocks;
    return true;
  };
  forEachBlock<kWordClasses>(text, 0, check);
  forEachBlock<kDigitsOnly>(text, 0, check_digits);
  classes::walkPortable<kWordClasses>(text, 0, check);
  classes::walkPortable<kDigitsOnly>(text, 0, check_digits);
  EXPECT_EQ(blocks, 4 * text.size() / kClassBlock);
}

TEST(NameLexicon, FindsWholeDictionaryWordsOnly) {
  NameLexicon lexicon(NameData::instance());
  std::string text = "Maria met JOHN and Annual Smithfield, then Smith; maria, Mar, Xzqwv.";
  std::vector<Hit> hits;
  uint64_t cursor = 0;
  lexicon.scan(text, 0, true, cursor, hits);
  std::vector<std::string> words;
  for (const Hit& h : hits) words.push_back(text.substr(h.start, h.end - h.start));
  EXPECT_EQ(words, (std::vector<std::string>{"Maria", "JOHN", "Smith"}));
  EXPECT_EQ(cursor, text.size());
}

TEST(NameLexicon, WordAtTheEndOfAWriteWaitsForTheNext) {
  NameLexicon lexicon(NameData::instance());
  std::string text = "seen by Dr Smith";
  std::vector<Hit> hits;
  uint64_t cursor = 0;
  lexicon.scan(std::string_view(text).substr(0, 13), 0, false, cursor, hits);  // "... Dr Smi"
  EXPECT_TRUE(hits.empty());
  EXPECT_EQ(cursor, 11u);  // waits at the word start
  lexicon.scan(text, 0, false, cursor, hits);  // "Smith" may still grow: "Smithfield"
  EXPECT_TRUE(hits.empty());
  lexicon.scan(text, 0, true, cursor, hits);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].start, 11u);
  EXPECT_EQ(hits[0].end, 16u);
}

// The hits of scan() over random text, fed whole or in random writes, against a word-by-word
// reference: every maximal run of letters and digits that starts with a capital and is a
// lexicon word. Words land on and across the 64-byte block bounds (the fast path takes the
// length from the block's mask, the slow one reads on) and across write boundaries.
TEST(NameLexicon, ScanFindsWhatAWordByWordLookupFinds) {
  NameLexicon lexicon(NameData::instance());
  const std::vector<std::string> pieces = {
      " ", " ", "  ", ", ", ".", "\n", "-", "'", "_", "0", "42", "Maria", "Smith", "JOHN",
      "Smithfield", "Annual", "maria", "The", "A", "Gonzalez", "MARIA", "Xzqwv",
      "Abcdefghijklmnopqrstuvwxyzab", "Washington", "Mc", "Li", "O'Brien"};
  std::mt19937 rng(7);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    size_t tokens = 5 + rng() % 60;
    for (size_t t = 0; t < tokens; ++t) text += pieces[rng() % pieces.size()];
    std::vector<std::pair<uint64_t, uint64_t>> expected;
    for (size_t s = 0; s < text.size(); ++s) {
      if (!isUpper(text[s]) || (s > 0 && isAlnum(text[s - 1]))) continue;
      size_t e = s;
      while (e < text.size() && isAlnum(text[e])) ++e;
      if (lexicon.lookup(std::string_view(text).substr(s, e - s)) != NameLexicon::kNotFound) {
        expected.emplace_back(s, e);
      }
    }
    // Fed as a stream: the text so far, `final` only at the end, as ScanStream does.
    std::vector<Hit> hits;
    uint64_t cursor = 0;
    size_t fed = 0;
    while (fed < text.size()) {
      fed = std::min(text.size(), fed + 1 + rng() % (round % 2 == 0 ? 200 : 20));
      lexicon.scan(std::string_view(text).substr(0, fed), 0, fed == text.size(), cursor, hits);
    }
    std::vector<std::pair<uint64_t, uint64_t>> found;
    for (const Hit& h : hits) found.emplace_back(h.start, h.end);
    ASSERT_EQ(found, expected) << text;
  }
}

TEST(NameLexicon, EveryLiteralIsFound) {
  const NameData& names = NameData::instance();
  NameLexicon lexicon(names);
  size_t looked_up = 0;
  for (size_t i = 0; i < names.entries().size(); ++i) {
    const NameEntry& e = names.entries()[i];
    if (e.title.size() < NameLexicon::kMinLength || (!e.first && e.last_rank >= 15000)) continue;
    ++looked_up;
    ASSERT_EQ(lexicon.lookup(e.title), i) << e.title;
  }
  EXPECT_GT(looked_up, 15000u);
  EXPECT_EQ(lexicon.lookup("Xzqwv"), NameLexicon::kNotFound);
}

// The quick test before misread digits are rewritten (misread.h) says yes exactly when one of
// the four letters stands next to a digit, at every offset of 64- and 32-byte blocks, and the
// one-shot scan's test (from the digit-window pass) agrees with it.
TEST(Misread, QuickTestMatchesByteByByte) {
  std::mt19937 rng(20261130);
  const std::string alphabet = "0123456789OlIBabc /-.";
  std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
  std::uniform_int_distribution<size_t> length(0, 300);
  std::uniform_int_distribution<int> sparse(0, 40);
  for (int round = 0; round < 20000; ++round) {
    std::string text(length(rng), 'x');
    for (char& c : text) c = sparse(rng) == 0 ? alphabet[pick(rng)] : 'x';
    bool expected = false;
    for (size_t i = 0; i + 1 < text.size(); ++i) {
      bool a_digit = text[i] >= '0' && text[i] <= '9';
      bool b_digit = text[i + 1] >= '0' && text[i + 1] <= '9';
      expected = expected || (misreadLetter(text[i]) && b_digit) ||
                 (a_digit && misreadLetter(text[i + 1]));
    }
    ASSERT_EQ(mayHoldMisreadDigits(text), expected) << text;
    bool from_windows = false;
    digitWindows(text, &from_windows);
    ASSERT_EQ(from_windows, expected) << text;
  }
}

TEST(Misread, RewritesOnlyNumbersOcrMisread) {
  std::string text = "D0B O4/l7/1961 ph 555-3O2-88l7 SSN 4O1-66-2B93 O2 I10 O24.4 B12 2-3l/min";
  EXPECT_EQ(restoreMisreadDigits(text), 3u);
  EXPECT_EQ(text, "D0B 04/17/1961 ph 555-302-8817 SSN 401-66-2893 O2 I10 O24.4 B12 2-3l/min");
}

}  // namespace
}  // namespace sluice::scanner
