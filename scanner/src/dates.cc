// Date parsing for the DATE validator: numeric, HL7 and text forms, real calendar dates only.
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "sluice/scanner/validators.h"

namespace sluice::scanner::validators {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// Splits `text` into runs of digits and runs of letters; separators are dropped but counted.
struct Token {
  std::string_view text;
  bool digits;
};

std::vector<Token> tokenize(std::string_view text, std::string& seps) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    size_t j = i;
    if (isDigit(c)) {
      while (j < text.size() && isDigit(text[j])) ++j;
      out.push_back({text.substr(i, j - i), true});
    } else if (isAlpha(c)) {
      while (j < text.size() && isAlpha(text[j])) ++j;
      out.push_back({text.substr(i, j - i), false});
    } else {
      seps.push_back(c);
      j = i + 1;
    }
    i = j;
  }
  return out;
}

// Digits to a number; a run longer than any date field saturates instead of overflowing.
int toInt(std::string_view s) {
  int v = 0;
  for (char c : s) {
    if (v > 99999999) return 999999999;
    v = v * 10 + (c - '0');
  }
  return v;
}

int expandYear(std::string_view y) {
  int v = toInt(y);
  if (y.size() == 4) return v;
  if (y.size() == 2) return v <= 30 ? 2000 + v : 1900 + v;
  return -1;
}

bool isOrdinalSuffix(std::string_view w) {
  std::string l;
  for (char c : w) l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return l == "st" || l == "nd" || l == "rd" || l == "th" || l == "of";
}

std::optional<Date> make(int y, int m, int d) {
  if (!isRealDate(y, m, d)) return std::nullopt;
  return Date{y, m, d};
}

std::optional<Date> parseNumeric(const std::vector<Token>& t, std::string_view seps) {
  if (t.size() == 1) {
    std::string_view s = t[0].text;
    if (s.size() == 8 || s.size() == 12 || s.size() == 14) {  // HL7 YYYYMMDD[HHMM[SS]]
      return make(toInt(s.substr(0, 4)), toInt(s.substr(4, 2)), toInt(s.substr(6, 2)));
    }
    return std::nullopt;
  }
  if (t.size() != 3) return std::nullopt;
  if (seps.size() != 2 || seps[0] != seps[1]) return std::nullopt;
  std::string_view a = t[0].text, b = t[1].text, c = t[2].text;
  if (a.size() == 4) return make(toInt(a), toInt(b), toInt(c));  // YYYY-MM-DD
  if (a.size() > 2 || b.size() > 2) return std::nullopt;
  int year = expandYear(c);
  if (year < 0) return std::nullopt;
  // Prefer US month/day; fall back to day/month when the first field cannot be a month.
  if (auto d = make(year, toInt(a), toInt(b))) return d;
  return make(year, toInt(b), toInt(a));
}

std::optional<Date> parseText(const std::vector<Token>& t) {
  int month = 0, day = 0, year = -1;
  for (const Token& tok : t) {
    if (!tok.digits) {
      if (int m = monthFromName(tok.text); m != 0 && month == 0) {
        month = m;
      } else if (!isOrdinalSuffix(tok.text)) {
        return std::nullopt;
      }
    } else if (tok.text.size() == 4 && year < 0) {
      year = toInt(tok.text);
    } else if (tok.text.size() <= 2 && day == 0 && year < 0) {
      day = toInt(tok.text);
    } else if (tok.text.size() == 2 && year < 0 && day != 0) {
      year = expandYear(tok.text);
    } else {
      return std::nullopt;
    }
  }
  if (month == 0 || year < 0) return std::nullopt;
  return make(year, month, day == 0 ? 1 : day);
}

}  // namespace

bool isRealDate(int year, int month, int day) {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[static_cast<size_t>(month - 1)];
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && leap) max = 29;
  return day <= max;
}

int monthFromName(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  if (word.size() < 3 || word.size() > 9) return 0;
  std::string l;
  for (char c : word) l.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (l == "sept") return 9;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (l.size() == 3 ? kMonths[i].substr(0, 3) == l : kMonths[i] == l) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

std::optional<Date> parseDate(std::string_view text) {
  std::string seps;
  std::vector<Token> tokens = tokenize(text, seps);
  if (tokens.empty()) return std::nullopt;
  bool all_digits = true;
  for (const Token& t : tokens) all_digits = all_digits && t.digits;
  if (all_digits) return parseNumeric(tokens, seps);
  return parseText(tokens);
}

}  // namespace sluice::scanner::validators
