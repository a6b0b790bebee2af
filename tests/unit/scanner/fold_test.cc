// The folded view (scanner/src/fold.h): each disguise folds into the form the detectors
// read, look-alikes of it do not, offsets map back to the bytes as written, and the stream's
// folder gives the one-shot fold wherever the writes are cut.
#include "fold.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::scanner {
namespace {

std::string folded(std::string_view text) {
  std::string out;
  OffsetMap map;
  return foldText(text, out, map) ? out : std::string(text);
}

// The folded text and, for each folded byte, where it came from in `text`.
struct Fold {
  std::string text;
  std::vector<uint64_t> origin;
};

Fold oneShot(std::string_view text) {
  Fold f;
  OffsetMap map;
  if (!foldText(text, f.text, map)) f.text = std::string(text);
  for (size_t i = 0; i <= f.text.size(); ++i) f.origin.push_back(map.toOriginal(i));
  return f;
}

Fold streamed(std::string_view text, const std::vector<size_t>& cuts) {
  Fold f;
  OffsetMap map;
  Folder folder;
  size_t from = 0;
  for (size_t cut : cuts) {
    folder.feed(text.substr(from, cut - from), f.text, map);
    from = cut;
  }
  folder.feed(text.substr(from), f.text, map);
  folder.finish(f.text, map);
  for (size_t i = 0; i <= f.text.size(); ++i) f.origin.push_back(map.toOriginal(i));
  return f;
}

TEST(Fold, InvisibleCharactersAndOddSpaces) {
  EXPECT_EQ(folded("SSN 5\u200b2\u200b9-4\u200b1-8\u200d8\u200c03"), "SSN 529-41-8803");
  EXPECT_EQ(folded("Chris\u00adtopher \ufeffVandenberg"), "Christopher Vandenberg");
  EXPECT_EQ(folded("DOB:\u00a001/02/1980 (612)\u202f555"), "DOB: 01/02/1980 (612) 555");
  EXPECT_EQ(folded("佐藤\u3000健一"), "佐藤 健一");
}

TEST(Fold, FullWidthFormsAndTheirPunctuationBesideDigits) {
  EXPECT_EQ(folded("０９/３０/１９９１"), "09/30/1991");
  EXPECT_EQ(folded("電話０９０－４４１８－２７７３"), "電話090-4418-2773");
  EXPECT_EQ(folded("（０３）１２３４"), "(03)1234");
  EXPECT_EQ(folded("ＬＩＵ　ＷＥＩ ｍａｉｌ＠ｘ"), "LIU WEI mail@x");
  // CJK prose keeps its own punctuation.
  EXPECT_EQ(folded("注意：（重要）"), "注意：（重要）");
}

TEST(Fold, HtmlCharacterReferences) {
  EXPECT_EQ(folded("jose.r&#64;outlook.com 04&#47;19&#x2F;1962 &amp; Jos&eacute;"),
            "jose.r@outlook.com 04/19/1962 & José");
  // Unknown names, no semicolon, control characters and surrogates stay as written.
  EXPECT_EQ(folded("&bogus; &#64 &amp &#0; &#7; &#xD800; R&D"),
            "&bogus; &#64 &amp &#0; &#7; &#xD800; R&D");
}

TEST(Fold, PercentEncodingAndQueryStrings) {
  EXPECT_EQ(folded("name=Hannah%20L%C3%B6w&mail=h%40x.org"), "name=Hannah Löw&mail=h@x.org");
  EXPECT_EQ(folded("?q=John+Smith&addr=77+Larkspur+Ln"), "?q=John Smith&addr=77 Larkspur Ln");
  // Not a printable character or a whole UTF-8 sequence (the "%41" after a lone lead byte
  // is a character of its own); '+' outside a query; '+' between digits.
  EXPECT_EQ(folded("100% %zz %C3 %C3%41 %07"), "100% %zz %C3 %C3A %07");
  EXPECT_EQ(folded("C++ and a+b, x=1+2"), "C++ and a+b, x=1+2");
}

TEST(Fold, QuotedPrintableAndRtfEscapes) {
  EXPECT_EQ(folded("n=C3=A9e le 3 f=C3=A9vrier, Ren=\nee"), "née le 3 février, Renee");
  // A single byte or an ASCII one is not quoted-printable enough to fold.
  EXPECT_EQ(folded("x=41 a=\n b=FF"), "x=41 a=\n b=FF");
  EXPECT_EQ(folded(R"(Gl\'f3ria 10\'2f04)"), "Glória 10/04");
  EXPECT_EQ(folded(R"(\'0a \'zz)"), R"(\'0a \'zz)");
}

TEST(Fold, DefangedAddressesButNotIndicatorsOfCompromise) {
  EXPECT_EQ(folded("k [dot] ramaswamy [at] yahoo [dot] com"), "k.ramaswamy@yahoo.com");
  EXPECT_EQ(folded("d[.]whitcombe[at]comcast(dot)net"), "d.whitcombe@comcast.net");
  EXPECT_EQ(folded("beacon to 185[.]220[.]101[.]4"), "beacon to 185[.]220[.]101[.]4");
  EXPECT_EQ(folded("see [at] the end, (dot) points"), "see [at] the end, (dot) points");
}

TEST(Fold, DashesBetweenDigits) {
  EXPECT_EQ(folded("917\u2011555\u20110143 11\u201009\u201083"), "917-555-0143 11-09-83");
  EXPECT_EQ(folded("503\u2013884\u20130172"), "503-884-0172");
  // An en dash after fewer than three digits writes a range.
  EXPECT_EQ(folded("ID: 9\u201312 characters, pages 10\u201320"),
            "ID: 9\u201312 characters, pages 10\u201320");
}

TEST(Fold, CharactersSpacedApart) {
  EXPECT_EQ(folded("social 5 3 6 - 2 2 - 4 1 9 7 . i hurt"), "social 536-22-4197 . i hurt");
  EXPECT_EQ(folded("DOB 0 7 / 1 4 / 1 9 5 8,"), "DOB 07/14/1958,");
  EXPECT_EQ(folded("SSN 6 0 1 . 3 8 . 7 7 2 5"), "SSN 601.38.7725");
  EXPECT_EQ(folded("tel 4 0 4 ~ 5 5 5 ~ 0 1 3 8"), "tel 404-555-0138");
  EXPECT_EQ(folded("MBI 1 E G 4 \u2013 T E 5"), "MBI 1EG4-TE5");
  EXPECT_EQ(folded("name D e r r i c k  O k a f o r ,"), "name Derrick Okafor ,");
  EXPECT_EQ(folded("M-a-r-c-u-s  T-h-i-b-o-d-e-a-u-x"), "Marcus Thibodeaux");
  // A spelling in one case is read as a spelling; counting, short runs and a sentence's
  // end stay as written.
  EXPECT_EQ(folded("K O W A L S K I, b r a n t l e y"), "K O W A L S K I, b r a n t l e y");
  EXPECT_EQ(folded("pain 0 1 2 3 4 5 6 7 8 9 10, a b c d e"),
            "pain 0 1 2 3 4 5 6 7 8 9 10, a b c d e");
  EXPECT_EQ(folded("first three: 7 0 4, then I a m"), "first three: 7 0 4, then I a m");
  EXPECT_EQ(folded("Locuteur 2 : T-R-E-J, huit"), "Locuteur 2 : T-R-E-J, huit");
}

TEST(Fold, LookalikeLettersOnlyInWordsThatMixScripts) {
  // "Ѕаrаh Мitсhеll" with Cyrillic S, a, a, M, c, e.
  EXPECT_EQ(folded("\u0405\u0430r\u0430h \u041cit\u0441h\u0435ll gm\u0430il.com"),
            "Sarah Mitchell gmail.com");
  EXPECT_EQ(folded("Привет, Сара"), "Привет, Сара");
}

TEST(Fold, NothingToFoldIsNotCopied) {
  std::string out = "left over";
  OffsetMap map;
  EXPECT_FALSE(foldText("Take a 5-minute walk (twice) at 50% effort & rest; C++ x=1", out, map));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(map.identity());
}

TEST(Fold, OffsetsMapBackToTheBytesAsWritten) {
  std::string text = "Pt: D e r r i c k, ssn 5\u200b29-41-8803, mail jo&#64;x.com";
  Fold f = oneShot(text);
  ASSERT_EQ(f.text, "Pt: Derrick, ssn 529-41-8803, mail jo@x.com");
  auto span = [&](std::string_view value) {
    size_t at = f.text.find(value);
    EXPECT_NE(at, std::string::npos) << value;
    return text.substr(f.origin[at], f.origin[at + value.size()] - f.origin[at]);
  };
  EXPECT_EQ(span("Derrick"), "D e r r i c k");
  EXPECT_EQ(span("529-41-8803"), "5\u200b29-41-8803");
  EXPECT_EQ(span("jo@x.com"), "jo&#64;x.com");
}

TEST(Fold, ConsoleTablesDrawnInBoxes) {
  // DuckDB and psql draw lines, polars a dotted column line and a double rule.
  EXPECT_EQ(folded("\u250c\u2500\u2500\u252c\u2500\u2510\n\u2502 a \u2502 b \u2502\n"
                   "\u251c\u2500\u2500\u253c\u2500\u2524"),
            "|--|-|\n| a | b |\n|--|-|");
  EXPECT_EQ(folded("\u2502 id \u2506 name \u2502\n\u255e\u2550\u2550\u256a\u2550\u2550\u2561"),
            "| id | name |\n|--|--|");
  // Other arrows and symbols stay as they are.
  EXPECT_EQ(folded("A \u2192 B \u2022 C \u2713"), "A \u2192 B \u2022 C \u2713");
}

TEST(Fold, StreamGivesTheOneShotFoldWhereverTheWritesAreCut) {
  const std::vector<std::string> texts = {
      "name D e r r i c k  O k a f o r , social 5 3 6 - 2 2 - 4 1 9 7 . ok",
      "k [dot] ramaswamy [at] yahoo [dot] com and 185[.]220[.]101[.]4",
      "to=%2B14805550193&Body=Hi+Ramona%2C+see+you+Thu+11%2F14+at+7%3A30",
      "\u0405\u0430r\u0430h \u041citc\u0441h\u0435ll, \u0455mitchell.1972@gm\u0430il.com",
      "電話０９０－４４１８－２７７３（０３）, 5\u200b2\u200b9-41, 917\u2011555\u20110143",
      // Digits before an en dash that a write's end separated from it, one of them folded.
      "&#49;2\u201334, 12\u201334 5&#48;3\u2013884\u20130172",
      "Jos&eacute; &#x40; f=C3=A9vrier Gl\\'f3ria 503\u2013884\u20130172 pain 1 2 3 4 5 6",
      "\u2502 BEGAY, THOMASINA \u2502 2011-06-21 \u2502\n\u251c\u2500\u2500\u253c\u2500\u2524",
      // A query string's '+' at the edge of its reach, and look-alikes in words at and past
      // the length judged.
      "q=" + std::string(253, 'a') + "+b+c&r=" + std::string(300, 'x') + "+y",
      "w " + std::string(60, 'b') + "\u0430" + std::string(3, 'c') + " " + std::string(40, 'd') +
          "\u0430" + std::string(40, 'e') + " gm\u0430il",
  };
  for (const std::string& text : texts) {
    Fold whole = oneShot(text);
    for (size_t cut = 1; cut < text.size(); ++cut) {
      Fold two = streamed(text, {cut});
      EXPECT_EQ(two.text, whole.text) << text << " cut at " << cut;
      EXPECT_EQ(two.origin, whole.origin) << text << " cut at " << cut;
    }
    std::vector<size_t> every;
    for (size_t at = 1; at < text.size(); ++at) every.push_back(at);
    Fold bytes = streamed(text, every);
    EXPECT_EQ(bytes.text, whole.text) << text << " a byte at a time";
    EXPECT_EQ(bytes.origin, whole.origin) << text << " a byte at a time";
  }
}

}  // namespace
}  // namespace sluice::scanner
