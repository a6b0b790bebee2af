// Date parsing for the DATE validator: numeric, HL7 and text forms, real calendar dates only.
#include <algorithm>
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

std::optional<Date> parseYearlessDate(std::string_view text) {
  std::string seps;
  std::vector<Token> tokens = tokenize(text, seps);
  int month = 0, day = 0;
  if (tokens.size() == 2 && tokens[0].digits && tokens[1].digits && seps == "/") {
    month = toInt(tokens[0].text);  // "11/26": month first
    day = toInt(tokens[1].text);
    if (tokens[0].text.size() > 2 || tokens[1].text.size() > 2) return std::nullopt;
  } else {
    for (const Token& tok : tokens) {
      if (tok.digits) {
        if (tok.text.size() > 2 || day != 0) return std::nullopt;
        day = toInt(tok.text);
      } else if (int m = monthFromName(tok.text); m != 0 && month == 0) {
        month = m;
      } else if (!isOrdinalSuffix(tok.text)) {
        return std::nullopt;
      }
    }
  }
  // 2000 is a leap year: any day that some year has.
  if (month == 0 || day == 0 || !isRealDate(2000, month, day)) return std::nullopt;
  return Date{0, month, day};
}

const std::vector<MonthName>& foreignMonthNames() {
  // A table, several entries a line.
  // clang-format off
  static const std::vector<MonthName> kNames = {
      // Spanish (and "setiembre"), Portuguese, French, Italian.
      {"enero", 1}, {"febrero", 2}, {"marzo", 3}, {"abril", 4}, {"mayo", 5}, {"junio", 6},
      {"julio", 7}, {"agosto", 8}, {"septiembre", 9}, {"setiembre", 9}, {"octubre", 10},
      {"noviembre", 11}, {"diciembre", 12},
      {"janeiro", 1}, {"fevereiro", 2}, {"mar\xc3\xa7o", 3}, {"maio", 5}, {"junho", 6},
      {"julho", 7}, {"setembro", 9}, {"outubro", 10}, {"novembro", 11}, {"dezembro", 12},
      {"janvier", 1}, {"f\xc3\xa9vrier", 2}, {"fevrier", 2}, {"mars", 3}, {"avril", 4},
      {"mai", 5}, {"juin", 6}, {"juillet", 7}, {"ao\xc3\xbbt", 8}, {"aout", 8},
      {"septembre", 9}, {"octobre", 10}, {"d\xc3\xa9" "cembre", 12}, {"decembre", 12},
      // ... and French abbreviations ("14 janv.", "11 f\xc3\xa9vr. 2025").
      {"janv", 1}, {"f\xc3\xa9vr", 2}, {"fevr", 2}, {"avr", 4}, {"juil", 7}, {"d\xc3\xa9" "c", 12},
      {"gennaio", 1}, {"febbraio", 2}, {"aprile", 4}, {"maggio", 5}, {"giugno", 6},
      {"luglio", 7}, {"settembre", 9}, {"ottobre", 10}, {"dicembre", 12},
      // German (and Austrian "J\xc3\xa4nner"), Dutch.
      {"januar", 1}, {"j\xc3\xa4nner", 1}, {"februar", 2}, {"m\xc3\xa4rz", 3}, {"maerz", 3},
      {"juni", 6}, {"juli", 7}, {"oktober", 10}, {"dezember", 12},
      {"januari", 1}, {"februari", 2}, {"maart", 3}, {"mei", 5}, {"augustus", 8},
      // Indonesian and Malay (with Dutch's "januari", "februari", "mei", "juni", "juli"),
      // Tagalog (with Spanish's "abril", "mayo", "agosto").
      {"maret", 3}, {"agustus", 8}, {"nopember", 11}, {"desember", 12}, {"julai", 7},
      {"ogos", 8}, {"disember", 12}, {"pebrero", 2}, {"marso", 3}, {"hunyo", 6}, {"hulyo", 7},
      {"setyembre", 9}, {"oktubre", 10}, {"nobyembre", 11}, {"disyembre", 12},
      // Polish: genitive (dates), then nominative.
      {"stycznia", 1}, {"lutego", 2}, {"marca", 3}, {"kwietnia", 4}, {"maja", 5},
      {"czerwca", 6}, {"lipca", 7}, {"sierpnia", 8}, {"wrze\xc5\x9bnia", 9},
      {"pa\xc5\xba" "dziernika", 10}, {"listopada", 11}, {"grudnia", 12},
      {"stycze\xc5\x84", 1}, {"luty", 2}, {"marzec", 3}, {"kwiecie\xc5\x84", 4}, {"maj", 5},
      {"czerwiec", 6}, {"lipiec", 7}, {"sierpie\xc5\x84", 8}, {"wrzesie\xc5\x84", 9},
      {"pa\xc5\xba" "dziernik", 10}, {"listopad", 11}, {"grudzie\xc5\x84", 12},
      // Russian, genitive as dates write it: "18 декабря" (December 18).
      {"\xd1\x8f\xd0\xbd\xd0\xb2\xd0\xb0\xd1\x80\xd1\x8f", 1}, {"\xd1\x84\xd0\xb5\xd0\xb2\xd1\x80\xd0\xb0\xd0\xbb\xd1\x8f", 2},
      {"\xd0\xbc\xd0\xb0\xd1\x80\xd1\x82\xd0\xb0", 3}, {"\xd0\xb0\xd0\xbf\xd1\x80\xd0\xb5\xd0\xbb\xd1\x8f", 4},
      {"\xd0\xbc\xd0\xb0\xd1\x8f", 5}, {"\xd0\xb8\xd1\x8e\xd0\xbd\xd1\x8f", 6}, {"\xd0\xb8\xd1\x8e\xd0\xbb\xd1\x8f", 7},
      {"\xd0\xb0\xd0\xb2\xd0\xb3\xd1\x83\xd1\x81\xd1\x82\xd0\xb0", 8}, {"\xd1\x81\xd0\xb5\xd0\xbd\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8f", 9},
      {"\xd0\xbe\xd0\xba\xd1\x82\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8f", 10}, {"\xd0\xbd\xd0\xbe\xd1\x8f\xd0\xb1\xd1\x80\xd1\x8f", 11},
      {"\xd0\xb4\xd0\xb5\xd0\xba\xd0\xb0\xd0\xb1\xd1\x80\xd1\x8f", 12},
  };
  // clang-format on
  return kNames;
}

std::optional<Date> parseForeignDate(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && isDigit(text[i])) ++i;
  if (i == 0 || i > 2 || text.size() < i + 4) return std::nullopt;
  int day = toInt(text.substr(0, i));
  // The year, when there is one: "14 de octubre de 2025"; else year 0: "14 de octubre".
  std::string_view year = text.substr(text.size() - 4);
  bool has_year = std::all_of(year.begin(), year.end(), [](char c) { return isDigit(c); });
  // The words between: "er", "de" (Spanish, French), "ng" (Tagalog: "ika-8 ng Abril") and
  // the month; the first byte of a month may be upper case.
  std::string_view middle = text.substr(i, text.size() - (has_year ? 4 : 0) - i);
  int month = 0;
  size_t p = 0;
  while (p < middle.size()) {
    size_t q = p;
    while (q < middle.size() && middle[q] != ' ' && middle[q] != ',' && middle[q] != '.') ++q;
    std::string word(middle.substr(p, q - p));
    if (!word.empty()) {
      word[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(word[0])));
      for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      bool found = false;
      for (const MonthName& m : foreignMonthNames()) {
        if (m.name == word && month == 0) {
          month = m.month;
          found = true;
          break;
        }
      }
      if (!found && word != "de" && word != "er" && word != "ng") return std::nullopt;
    }
    p = q + 1;
  }
  if (month == 0) return std::nullopt;
  if (!has_year) {
    if (day == 0 || !isRealDate(2000, month, day)) return std::nullopt;  // any year's day
    return Date{0, month, day};
  }
  return make(toInt(year), month, day);
}

size_t eastAsianDateLength(std::string_view text, Date* date) {
  size_t i = 0;
  auto spaces = [&] {
    while (i < text.size() && text[i] == ' ') ++i;
  };
  auto number = [&](size_t max_digits) {
    size_t from = i;
    while (i < text.size() && i - from < max_digits && isDigit(text[i])) ++i;
    return i > from ? toInt(text.substr(from, i - from)) : -1;
  };
  auto word = [&](std::string_view w) {
    if (text.substr(i, w.size()) != w) return false;
    i += w.size();
    return true;
  };
  // Vietnamese: "ngày 3 tháng 7 năm 1956", "ngày 05 tháng 8".
  if (word("ng\xc3\xa0y ") || word("Ng\xc3\xa0y ")) {
    spaces();
    int day = number(2);
    spaces();
    if (day < 0 || !word("th\xc3\xa1ng ")) return 0;
    spaces();
    int month = number(2);
    if (month < 0) return 0;
    size_t yearless = i;
    spaces();
    int year = 0;
    if (word("n\xc4\x83m ")) {
      spaces();
      year = number(4);
      if (year < 1900) return 0;
    } else {
      i = yearless;
    }
    if (year == 0 ? !isRealDate(2000, month, day) : !make(year, month, day)) return 0;
    if (date != nullptr) *date = {year, month, day};
    return i;
  }
  // The year: four digits, or an era's ("令和6年", "昭和32年", "平成元年", "民國45年").
  struct Era {
    std::string_view name;
    int offset;
  };
  static constexpr Era kEras[] = {{"\xe4\xbb\xa4\xe5\x92\x8c", 2018},  // Reiwa
                                  {"\xe5\xb9\xb3\xe6\x88\x90", 1988},  // Heisei
                                  {"\xe6\x98\xad\xe5\x92\x8c", 1925},  // Showa
                                  {"\xe6\xb0\x91\xe5\x9c\x8b", 1911},  // Minguo
                                  {"\xe6\xb0\x91\xe5\x9b\xbd", 1911}};
  int year = 0;
  bool korean = false;
  for (const Era& era : kEras) {
    if (word(era.name)) {
      int n = word("\xe5\x85\x83") ? 1 : number(3);  // 元 (the first year)
      if (n <= 0) return 0;
      year = era.offset + n;
      break;
    }
  }
  size_t start = i;
  if (year == 0) {
    int n = number(4);
    if (n >= 0 && i - start == 4) {
      year = n;
    } else {
      i = start;  // no year: "8月17日", "5월 7일"
    }
  }
  bool han = false;  // 年 came first: 月 and 日 follow, not 월 and 일
  if (year != 0) {
    spaces();
    if (word("\xeb\x85\x84")) {  // 년
      korean = true;
    } else if (word("\xe5\xb9\xb4")) {  // 年
      han = true;
    } else {
      return 0;
    }
    spaces();
  }
  int month = number(2);
  spaces();
  if (month < 0) return 0;
  if (!han && word("\xec\x9b\x94")) {  // 월
    korean = true;
  } else if (korean || !word("\xe6\x9c\x88")) {  // 月
    return 0;
  }
  spaces();
  int day = number(2);
  spaces();
  if (day < 0) return 0;
  bool end =
      korean ? word("\xec\x9d\xbc")                                                   // 일
             : word("\xe6\x97\xa5") || word("\xe5\x8f\xb7") || word("\xe8\x99\x9f");  // 日 号 號
  if (!end) return 0;
  if (year == 0 ? !isRealDate(2000, month, day) : !make(year, month, day)) return 0;
  if (date != nullptr) *date = {year, month, day};
  return i;
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
