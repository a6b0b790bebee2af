// Values said aloud, as speech-to-text writes them in the transcripts of calls to nurse
// lines, pharmacies and billing offices: a phone number digit by digit ("six one four five
// five five zero one nine two", "nueve cinco seis, cinco cinco cinco"), a birth date in words
// ("october ninth twenty twenty one", "april the twentieth nineteen thirty two") and a name
// spelled letter by letter ("brantley b r a n t l e y", "k as in kilo o w a l s k i").
//
// Two things start a reading: a transcript's marker ("transcript", "caller:", "spk_1"), which
// reads the 4 KB after it once, and a birth-date or phone label whose value is no digits
// ("date of birth ... uh november first nineteen seventy-four"), which reads its next 120
// bytes. Only clinical documents are read: a sales call's phone number is no PHI.
#include <array>
#include <string>

#include "detectors.h"
#include "sluice/scanner/validators.h"

namespace sluice::scanner::detect {
namespace {

namespace v = validators;

constexpr uint64_t kSpeechReach = 4096;  // bytes a transcript's marker reads after it
constexpr uint64_t kLabelReach = 120;    // bytes a label reads for a spoken value

// One word of the transcript: letters, with inner apostrophes and hyphens ("seventy-four",
// "it's"), lower case.
struct Token {
  uint64_t start = 0;
  uint64_t end = 0;
  std::string lower;
  bool line_before = false;  // a line break between this word and the one before
};

bool wordByte(char c) {
  return isAlpha(c) || static_cast<unsigned char>(c) >= 0x80;
}

// The words that start in [from, to).
std::vector<Token> tokens(const Window& w, uint64_t from, uint64_t to) {
  std::vector<Token> out;
  bool line = false;
  for (uint64_t p = std::max(from, w.begin()); p < to && p < w.end();) {
    char c = w.at(p);
    if (!wordByte(c)) {
      line = line || c == '\n';
      ++p;
      continue;
    }
    Token t;
    t.start = p;
    while (p < w.end() && (wordByte(w.at(p)) || ((w.at(p) == '-' || w.at(p) == '\'') &&
                                                 wordByte(w.at(p + 1)) && p > t.start))) {
      t.lower += toLower(w.at(p));
      ++p;
    }
    t.end = p;
    t.line_before = line;
    line = false;
    // A digit right after ("b2") makes it no word of speech.
    if (isDigit(w.at(p))) t.lower.clear();
    out.push_back(std::move(t));
  }
  return out;
}

// 0-9 for a digit said alone ("oh" and "o" as zero), -1 otherwise.
int digitWord(std::string_view word) {
  static const std::array<std::string_view, 10> kEnglish = {
      "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
  static const std::array<std::string_view, 10> kSpanish = {
      "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve"};
  for (int i = 0; i < 10; ++i) {
    if (word == kEnglish[i] || word == kSpanish[i]) return i;
  }
  if (word == "oh" || word == "o") return 0;
  return -1;
}

// 10-19 for "ten".."nineteen", 20-90 for "twenty".."ninety", -1 otherwise.
int tensWord(std::string_view word) {
  static const std::array<std::string_view, 10> kTeens = {
      "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
      "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
  static const std::array<std::string_view, 8> kTens = {"twenty", "thirty",  "forty",  "fifty",
                                                        "sixty",  "seventy", "eighty", "ninety"};
  for (int i = 0; i < 10; ++i) {
    if (word == kTeens[i]) return 10 + i;
  }
  for (int i = 0; i < 8; ++i) {
    if (word == kTens[i]) return 20 + 10 * i;
  }
  return -1;
}

// 1-31 for a day said as an ordinal ("first", "twenty-second", "thirtieth"); reads one or
// two words from `i`, and sets `next` past them.
int ordinalDay(const std::vector<Token>& t, size_t i, size_t& next) {
  static const std::array<std::string_view, 19> kOrdinals = {
      "first",     "second",      "third",      "fourth",     "fifth",
      "sixth",     "seventh",     "eighth",     "ninth",      "tenth",
      "eleventh",  "twelfth",     "thirteenth", "fourteenth", "fifteenth",
      "sixteenth", "seventeenth", "eighteenth", "nineteenth"};
  auto ordinal = [&](std::string_view word) {
    for (size_t k = 0; k < kOrdinals.size(); ++k) {
      if (word == kOrdinals[k]) return static_cast<int>(k + 1);
    }
    if (word == "twentieth") return 20;
    if (word == "thirtieth") return 30;
    return 0;
  };
  if (i >= t.size()) return 0;
  std::string_view word = t[i].lower;
  // "twenty-second" as one word, "twenty second" as two.
  if (size_t dash = word.find('-'); dash != std::string_view::npos) {
    int tens = tensWord(word.substr(0, dash));
    int unit = ordinal(word.substr(dash + 1));
    next = i + 1;
    return (tens == 20 || tens == 30) && unit >= 1 && unit <= 9 && tens + unit <= 31 ? tens + unit
                                                                                     : 0;
  }
  if (int day = ordinal(word); day != 0) {
    next = i + 1;
    return day;
  }
  int tens = tensWord(word);
  if ((tens == 20 || tens == 30) && i + 1 < t.size()) {
    int unit = ordinal(t[i + 1].lower);
    if (unit >= 1 && unit <= 9 && tens + unit <= 31) {
      next = i + 2;
      return tens + unit;
    }
  }
  return 0;
}

int monthWord(std::string_view word) {
  static const std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  for (int i = 0; i < 12; ++i) {
    if (word == kMonths[i]) return i + 1;
  }
  return 0;
}

// Two digits said as one or two words: "fifty five", "seventy-four", "oh five", "twelve".
int twoDigits(const std::vector<Token>& t, size_t i, size_t& next) {
  if (i >= t.size()) return -1;
  std::string_view word = t[i].lower;
  if (size_t dash = word.find('-'); dash != std::string_view::npos) {
    int tens = tensWord(word.substr(0, dash));
    int unit = digitWord(word.substr(dash + 1));
    if (tens >= 20 && unit >= 1) {
      next = i + 1;
      return tens + unit;
    }
    return -1;
  }
  int tens = tensWord(word);
  if (tens >= 10 && tens < 20) {
    next = i + 1;
    return tens;
  }
  if (tens >= 20) {
    int unit = i + 1 < t.size() ? digitWord(t[i + 1].lower) : -1;
    next = unit >= 1 && !t[i + 1].line_before ? i + 2 : i + 1;
    return tens + (unit >= 1 ? unit : 0);
  }
  if ((word == "oh" || word == "o") && i + 1 < t.size()) {
    int unit = digitWord(t[i + 1].lower);
    if (unit >= 1) {
      next = i + 2;
      return unit;
    }
  }
  return -1;
}

// A year said as words from `i`: "nineteen seventy", "twenty twenty one", "nineteen oh
// five", "two thousand nineteen", "two thousand and four". Sets `next` past it.
int spokenYear(const std::vector<Token>& t, size_t i, size_t& next) {
  if (i + 1 >= t.size()) return 0;
  if (t[i].lower == "two" && t[i + 1].lower == "thousand") {
    size_t j = i + 2;
    if (j < t.size() && t[j].lower == "and") ++j;
    size_t after = j;
    int rest = twoDigits(t, j, after);
    if (rest < 0 && j < t.size() && digitWord(t[j].lower) >= 1) {
      rest = digitWord(t[j].lower);
      after = j + 1;
    }
    next = rest >= 0 ? after : i + 2;
    return 2000 + std::max(rest, 0);
  }
  int century = tensWord(t[i].lower);
  if (century != 19 && century != 20) return 0;
  size_t after = i + 1;
  int rest = twoDigits(t, i + 1, after);
  if (rest < 0) return 0;
  next = after;
  return century * 100 + rest;
}

// A spoken date from the month word at `i`: "october ninth twenty twenty one", "april the
// twentieth nineteen thirty two", "february seventh". Also "the ninth of october".
struct SpokenDate {
  uint64_t start = 0;
  uint64_t end = 0;
  bool year = false;
};

bool spokenDate(const std::vector<Token>& t, size_t i, SpokenDate& out, size_t& next) {
  size_t j = i;
  int day = 0;
  int month = monthWord(t[i].lower);
  if (month != 0) {
    j = i + 1;
    if (j < t.size() && t[j].lower == "the") ++j;
    day = ordinalDay(t, j, j);
  } else {
    // "the twentieth of april"
    size_t k = i;
    day = ordinalDay(t, i, k);
    if (day == 0 || k + 1 >= t.size() || t[k].lower != "of") return false;
    month = monthWord(t[k + 1].lower);
    j = k + 2;
  }
  if (day == 0 || month == 0) return false;
  if (!v::isRealDate(2000, month, day)) return false;  // 2000: any year's day
  out.start = t[i].start;
  out.end = t[j - 1].end;
  out.year = false;
  size_t k = j;
  if (int year = spokenYear(t, j, k); year >= 1900 && year <= 2099) {
    out.end = t[k - 1].end;
    out.year = true;
    j = k;
  }
  next = j;
  return true;
}

// A birth date said as numbers after its label: "ten twelve forty four" (10/12/44),
// "eleven twenty nine fifty one", "zero four, zero nine, eighty nine".
bool numericSpokenDate(const std::vector<Token>& t, size_t i, SpokenDate& out, size_t& next) {
  // One or two digits: "six", "twelve", "twenty nine", "oh five", "zero four".
  auto number = [&](size_t k, size_t& after) {
    if (k >= t.size()) return -1;
    if (t[k].lower == "zero" && k + 1 < t.size() && digitWord(t[k + 1].lower) >= 1) {
      after = k + 2;
      return digitWord(t[k + 1].lower);
    }
    int n = twoDigits(t, k, after);
    if (n < 0 && digitWord(t[k].lower) >= 1) {
      after = k + 1;
      n = digitWord(t[k].lower);
    }
    return n;
  };
  size_t j = i;
  int month = number(j, j);
  if (month < 1 || month > 12) return false;
  size_t k = j;
  int day = number(k, k);
  if (day < 1 || day > 31 || k == j) return false;
  size_t y = k;
  int year = spokenYear(t, k, y);
  if (year == 0) year = twoDigits(t, k, y);
  if (year < 0 || y == k) return false;
  if (!v::isRealDate(2000, month, day)) return false;  // 2000: any year's day
  out.start = t[i].start;
  out.end = t[y - 1].end;
  out.year = true;
  next = y;
  return true;
}

// Digits said one by one from `i` ("six one four five five five zero one nine two", "double
// five"), on one line; sets `next` past them and returns the digits.
std::string spokenDigits(const std::vector<Token>& t, size_t i, size_t& next) {
  std::string digits;
  size_t j = i;
  for (; j < t.size(); ++j) {
    if (j > i && t[j].line_before) break;
    int repeat = 1;
    std::string_view word = t[j].lower;
    if ((word == "double" || word == "triple") && j + 1 < t.size() &&
        digitWord(t[j + 1].lower) >= 0) {
      repeat = word == "double" ? 2 : 3;
      ++j;
      word = t[j].lower;
    }
    int d = digitWord(word);
    if (d < 0 && repeat == 1 && word.find('-') != std::string_view::npos) {
      // Digits joined by hyphens: "two-oh-nine".
      std::string joined;
      for (size_t from = 0; from <= word.size();) {
        size_t to = std::min(word.find('-', from), word.size());
        int part = digitWord(word.substr(from, to - from));
        if (part < 0) {
          joined.clear();
          break;
        }
        joined += static_cast<char>('0' + part);
        from = to + 1;
      }
      if (joined.empty()) break;
      digits += joined;
      continue;
    }
    if (d < 0) break;
    digits.append(static_cast<size_t>(repeat), static_cast<char>('0' + d));
  }
  next = j;
  return digits;
}

// A name spelled letter by letter from `i`: "b r a n t l e y", "k as in kilo o w a l s k i",
// "O-K-A-F-O-R".
std::string spelledLetters(const Window& w, const std::vector<Token>& t, size_t i, size_t& next) {
  std::string letters;
  // Letters joined by hyphens are one word of the transcript: "O-K-A-F-O-R".
  const std::string& word = t[i].lower;
  if (word.size() >= 5 && word.size() % 2 == 1) {
    for (size_t k = 0; k < word.size(); ++k) {
      if (k % 2 == 0 ? !isAlpha(word[k]) : word[k] != '-') {
        letters.clear();
        break;
      }
      if (k % 2 == 0) letters += word[k];
    }
    if (!letters.empty()) {
      next = i + 1;
      return letters;
    }
  }
  size_t j = i;
  while (j < t.size() && t[j].lower.size() == 1 && isAlpha(t[j].lower[0])) {
    if (j > i && (t[j].line_before || t[j].start != t[j - 1].end + 1 ||
                  (w.at(t[j].start - 1) != ' ' && w.at(t[j].start - 1) != '-'))) {
      break;
    }
    letters += t[j].lower[0];
    // "k as in kilo"
    if (j + 3 < t.size() && t[j + 1].lower == "as" && t[j + 2].lower == "in" &&
        t[j + 3].lower.size() > 1) {
      j += 4;
      continue;
    }
    ++j;
  }
  next = j;
  return letters;
}

void spokenNumber(const Window& w, const std::string& digits, uint64_t start, uint64_t end,
                  std::vector<Finding>& out) {
  // "medical record number four four seven two nine one zero", "account number eight one
  // one four ...": the label says what the digits are.
  static const std::vector<std::string_view> kRecord = {"record number", "mrn", "chart number",
                                                        "accession"};
  static const std::vector<std::string_view> kAccount = {"account number", "acct"};
  // A member's ID asked for on the line before: "can I get the member ID off the card? ...
  // it's W as in whiskey, eight eight three, two zero one, seven four five".
  static const std::vector<std::string_view> kPlan = {
      "member id",       "member number",   "subscriber id", "medicaid id",
      "medicaid number", "medicare number", "policy number", "group number"};
  // "nine nine nine nine nine nine nine": a training dictation's made-up number.
  if (digits.find_first_not_of(digits[0]) == std::string::npos) return;
  if (digits.size() >= 6 && cueBefore(w, start, 24, kRecord)) {
    addFinding(out, PhiType::kMrn, start, end, 0.8f);
    return;
  }
  if (digits.size() >= 6 && cueBefore(w, start, 24, kAccount)) {
    addFinding(out, PhiType::kAccount, start, end, 0.8f);
    return;
  }
  if (digits.size() >= 6 && cueBefore(w, start, 80, kPlan)) {
    addFinding(out, PhiType::kHealthPlan, start, end, 0.8f);
    return;
  }
  if (digits.size() == 10 || (digits.size() == 11 && digits[0] == '1')) {
    std::string d = digits.substr(digits.size() - 10);
    std::string formatted = d.substr(0, 3) + "-" + d.substr(3, 3) + "-" + d.substr(6);
    if (v::isValidNanpPhone(formatted) && !examplePhone(formatted)) {
      addFinding(out, PhiType::kPhone, start, end, 0.8f);
    }
    return;
  }
  static const std::vector<std::string_view> kZip = {"zip", "postal",
                                                     "c\xc3\xb3"
                                                     "digo"};
  if (digits.size() == 5 && cueBefore(w, start, 40, kZip)) {
    addFinding(out, PhiType::kAddress, start, end, 0.75f);
    return;
  }
  if (digits.size() == 7) {
    addFinding(out, PhiType::kPhone, start, end, 0.7f);
  } else if (digits.size() >= 8) {
    addCorroboratedFinding(out, PhiType::kId, start, end, 0.7f);
  }
}

// Reads the spoken values in [from, to). `label` is a birth-date or phone label's reading:
// only the first value after it.
void readSpeech(const Window& w, uint64_t from, uint64_t to, bool label, bool birth_date,
                std::vector<Finding>& out) {
  std::vector<Token> t = tokens(w, from, to);
  for (size_t i = 0; i < t.size();) {
    if (t[i].lower.empty()) {
      ++i;
      continue;
    }
    size_t next = i;
    SpokenDate date;
    if (spokenDate(t, i, date, next) || (birth_date && numericSpokenDate(t, i, date, next))) {
      if (date.year) {
        addFinding(out, PhiType::kDate, date.start, date.end, 0.8f);
      } else {
        addCorroboratedFinding(out, PhiType::kDate, date.start, date.end, 0.6f);
      }
      if (label) return;
      i = next;
      continue;
    }
    std::string digits = spokenDigits(t, i, next);
    if (digits.size() >= 5 && next > i + 4) {
      spokenNumber(w, digits, t[i].start, t[next - 1].end, out);
      if (label) return;
      i = next;
      continue;
    }
    if (!label) {
      std::string letters = spelledLetters(w, t, i, next);
      if (letters.size() >= 3) {
        // The word it spells, a few words before: "jayden j a y d e n", "kowalski k as in
        // kilo o w a l s k i", "ashcombe that's a s h c o m b e".
        bool echo = false;
        for (size_t k = i; k > 0 && k + 6 > i; --k) {
          if (t[k - 1].lower == letters) {
            // With the given name said before it: "Agnes Thorsrud. T-H-O-R-S-R-U-D".
            uint64_t name = t[k - 1].start;
            if (k >= 2 && !t[k - 1].line_before && t[k - 2].end + 1 == name &&
                t[k - 2].lower.size() > 2 && isUpper(w.at(t[k - 2].start)) && isUpper(w.at(name))) {
              name = t[k - 2].start;
            }
            addFinding(out, PhiType::kName, name, t[k - 1].end, 0.85f);
            echo = true;
            break;
          }
        }
        if (echo) {
          addFinding(out, PhiType::kName, t[i].start, t[next - 1].end, 0.85f);
        } else if (letters.size() >= 4) {
          addCorroboratedFinding(out, PhiType::kName, t[i].start, t[next - 1].end, 0.6f);
        }
        i = next;
        continue;
      }
    }
    ++i;
  }
}

}  // namespace

void transcript(const Window& w, uint64_t end, uint64_t* read_to, std::vector<Finding>& out) {
  if (!w.clinical) return;
  uint64_t from = std::max(end, read_to != nullptr ? *read_to : 0);
  uint64_t to = std::min(w.end(), end + kSpeechReach);
  if (from >= to) return;
  readSpeech(w, from, to, false, false, out);
  if (read_to != nullptr) *read_to = to;
}

void spokenAfterLabel(const Window& w, uint64_t pos, bool birth_date, std::vector<Finding>& out) {
  // Outside clinical text, a phone number written out after its label ("call me at six one
  // seven, five five five, ...": ten digit words in a row are no prose) counts beside
  // another identifier: a sales call's "my number is ..." is nobody's care.
  if (!w.clinical && birth_date) return;
  size_t from = out.size();
  readSpeech(w, pos, std::min(w.end(), pos + kLabelReach), true, birth_date, out);
  if (!w.clinical) corroborateSince(out, from);
}

void dayInWordsOfMonth(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  if (!w.clinical) return;
  // The words before the month back to "the twenty-seventh", the longest day in words.
  std::vector<Token> t = tokens(w, start > w.begin() + 24 ? start - 24 : w.begin(), end);
  for (size_t i = 0; i < t.size(); ++i) {
    SpokenDate date;
    size_t next = i;
    if (spokenDate(t, i, date, next) && date.end == end) {
      addCorroboratedFinding(out, PhiType::kDate, date.start, date.end, 0.6f);
      return;
    }
  }
}

}  // namespace sluice::scanner::detect
