#include "sluice/scanner/validators.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

namespace sluice::scanner::validators {
namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

int digitAt(std::string_view s, size_t i) { return s[i] - '0'; }

int toInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

std::string digitsOf(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (isDigit(c)) out.push_back(c);
  }
  return out;
}

bool luhnValid(std::string_view digits) {
  if (digits.empty()) return false;
  int sum = 0;
  bool twice = false;
  for (size_t i = digits.size(); i-- > 0;) {
    if (!isDigit(digits[i])) return false;
    int d = digitAt(digits, i);
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool isValidSsn(std::string_view text) {
  std::string d = digitsOf(text);
  if (d.size() != 9) return false;
  int area = toInt(d.substr(0, 3));
  int group = toInt(d.substr(3, 2));
  int serial = toInt(d.substr(5, 4));
  if (area == 0 || area == 666 || area >= 900) return false;
  if (group == 0 || serial == 0) return false;
  // Numbers printed in advertising and documentation, never a person's: the Woolworth
  // wallet card, the SSA's advertising block 987-65-4320..4329, and the "123-45-6789" that
  // every form and regex example uses. They are rejected even after an "SSN" label: prompts
  // that ask for SSN validation code or form templates quote them ("SSN: 123-45-6789"), and
  // reporting those as PHI would block ordinary programming help. (The SSA has never issued
  // 123-45-6789; it is the number its own publications use as the example.)
  if (d == "078051120" || d == "219099999" || d == "123456789") return false;
  if (d.substr(0, 8) == "98765432") return false;
  return true;
}

bool isValidNpi(std::string_view text) {
  std::string d = digitsOf(text);
  if (d.size() != 10 || (d[0] != '1' && d[0] != '2')) return false;
  return luhnValid("80840" + d);
}

bool isValidNhsNumber(std::string_view text) {
  std::string d = digitsOf(text);
  if (d.size() != 10) return false;
  int sum = 0;
  for (size_t i = 0; i < 9; ++i) sum += (d[i] - '0') * static_cast<int>(10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check != 10 && check == d[9] - '0';
}

bool isValidCpf(std::string_view text) {
  std::string d = digitsOf(text);
  if (d.size() != 11 || d.find_first_not_of(d[0]) == std::string::npos) return false;
  auto check = [&](size_t n) {
    int sum = 0;
    for (size_t i = 0; i < n; ++i) sum += (d[i] - '0') * static_cast<int>(n + 1 - i);
    return sum * 10 % 11 % 10;
  };
  return check(9) == d[9] - '0' && check(10) == d[10] - '0';
}

bool isValidDni(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c != '-' && c != ' ' && c != '.')
      s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (s.size() != 9 || !isUpper(s[8])) return false;
  // An NIE's leading X, Y or Z stands for 0, 1 or 2.
  if (s[0] == 'X' || s[0] == 'Y' || s[0] == 'Z') s[0] = static_cast<char>('0' + (s[0] - 'X'));
  for (size_t i = 0; i < 8; ++i) {
    if (!isDigit(s[i])) return false;
  }
  static constexpr std::string_view kLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
  return kLetters[static_cast<size_t>(toInt(s.substr(0, 8)) % 23)] == s[8];
}

bool isValidSin(std::string_view text) {
  std::string d = digitsOf(text);
  return d.size() == 9 && d[0] != '0' && d[0] != '8' && luhnValid(d);
}

bool isValidPersonnummer(std::string_view text) {
  std::string d = digitsOf(text);
  if (d.size() == 12) d.erase(0, 2);
  if (d.size() != 10) return false;
  int month = toInt(d.substr(2, 2));
  int day = toInt(d.substr(4, 2));
  if (day > 60) day -= 60;
  // The year's century is not written; any year with this day and month will do.
  return isRealDate(2000, month, day) && luhnValid(d);
}

bool isValidCprNumber(std::string_view text) {
  std::string d = digitsOf(text);
  return d.size() == 10 && isRealDate(2000, toInt(d.substr(2, 2)), toInt(d.substr(0, 2)));
}

bool isValidBirthNumber(std::string_view text) {
  std::string d = digitsOf(text);
  if (d.size() != 9 && d.size() != 10) return false;
  int month = toInt(d.substr(2, 2));
  if (month > 70) {
    month -= 70;
  } else if (month > 50) {
    month -= 50;
  } else if (month > 20) {
    month -= 20;
  }
  if (!isRealDate(2000, month, toInt(d.substr(4, 2)))) return false;
  if (d.size() == 9) return true;
  // Numbers whose first nine digits leave 10 end in 0.
  long long nine = std::stoll(d.substr(0, 9));
  return std::stoll(d) % 11 == 0 || (nine % 11 == 10 && d[9] == '0');
}

bool isValidDea(std::string_view text) {
  if (text.size() != 9 || !isUpper(text[0])) return false;
  if (!isUpper(text[1]) && text[1] != '9') return false;
  static constexpr std::string_view kRegistrant = "ABCDEFGHJKLMPRSTUX";
  if (kRegistrant.find(text[0]) == std::string_view::npos) return false;
  for (size_t i = 2; i < 9; ++i) {
    if (!isDigit(text[i])) return false;
  }
  int odd = digitAt(text, 2) + digitAt(text, 4) + digitAt(text, 6);
  int even = digitAt(text, 3) + digitAt(text, 5) + digitAt(text, 7);
  return (odd + 2 * even) % 10 == digitAt(text, 8);
}

bool isExampleMbi(std::string_view text) {
  // The MBI CMS prints in its own format guide, like SSN 123-45-6789: rejected even after a
  // label.
  std::string s;
  for (char c : text) {
    if (c != '-') s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return s == "1EG4TE5MK73";
}

bool isValidMbi(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c != '-') s.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  if (isExampleMbi(s)) return false;
  if (s.size() != 11) return false;
  auto letter = [](char c) {
    return isUpper(c) && std::strchr("SLOIBZ", c) == nullptr;
  };
  auto alnum = [&](char c) { return isDigit(c) || letter(c); };
  // Positions: 1 digit 1-9, 2 letter, 3 alnum, 4 digit, 5 letter, 6 alnum, 7 digit,
  // 8 letter, 9 letter, 10 digit, 11 digit.
  return s[0] >= '1' && s[0] <= '9' && letter(s[1]) && alnum(s[2]) && isDigit(s[3]) &&
         letter(s[4]) && alnum(s[5]) && isDigit(s[6]) && letter(s[7]) && letter(s[8]) &&
         isDigit(s[9]) && isDigit(s[10]);
}

bool isValidCard(std::string_view text) {
  std::string d = digitsOf(text);
  size_t n = d.size();
  if (n < 13 || n > 19 || !luhnValid(d)) return false;
  int p2 = toInt(d.substr(0, 2));
  int p3 = toInt(d.substr(0, 3));
  int p4 = toInt(d.substr(0, 4));
  int p6 = toInt(d.substr(0, 6));
  if (d[0] == '4') return n == 13 || n == 16 || n == 19;                      // Visa
  if ((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099)) return n == 16;  // MC
  if (p2 == 34 || p2 == 37) return n == 15;                                   // Amex
  if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) ||
      (p6 >= 622126 && p6 <= 622925)) {
    return n >= 16 && n <= 19;  // Discover
  }
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19;  // JCB
  if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
    return n >= 14 && n <= 19;  // Diners
  }
  if (p2 == 62) return n >= 16 && n <= 19;  // UnionPay
  return false;
}

bool isValidVin(std::string_view text) {
  if (text.size() != 17) return false;
  static constexpr std::array<int, 17> kWeights = {8, 7, 6, 5, 4, 3, 2, 10, 0,
                                                   9, 8, 7, 6, 5, 4, 3, 2};
  int sum = 0;
  int letters = 0;
  int digits = 0;
  for (size_t i = 0; i < 17; ++i) {
    char c = static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
    int v;
    if (isDigit(c)) {
      v = c - '0';
      ++digits;
    } else if (isUpper(c) && c != 'I' && c != 'O' && c != 'Q') {
      static constexpr std::string_view kValues = "12345678_12345_7_923456789";
      v = kValues[static_cast<size_t>(c - 'A')] - '0';
      ++letters;
    } else {
      return false;
    }
    sum += v * kWeights[i];
  }
  if (letters < 2 || digits < 3) return false;
  int check = sum % 11;
  char expected = check == 10 ? 'X' : static_cast<char>('0' + check);
  return std::toupper(static_cast<unsigned char>(text[8])) == expected;
}

bool isValidNanpPhone(std::string_view text) {
  std::string d = digitsOf(text);
  if (d.size() == 11 && d[0] == '1') d.erase(0, 1);
  if (d.size() != 10) return false;
  // NPA and NXX: first digit 2-9; N11 codes are service codes, not subscriber numbers.
  if (d[0] < '2' || d[3] < '2') return false;
  if (d[1] == '1' && d[2] == '1') return false;
  if (d[4] == '1' && d[5] == '1') return false;
  if (d[1] == '9') return false;  // 9 in the second NPA digit is reserved for expansion
  return true;
}

bool isValidZip(std::string_view text) {
  if (text.size() != 5 && text.size() != 10) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == 5) {
      if (text[i] != '-') return false;
    } else if (!isDigit(text[i])) {
      return false;
    }
  }
  return text.substr(0, 5) != "00000";
}

bool isValidEmail(std::string_view text) {
  size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  if (text.find('@', at + 1) != std::string_view::npos) return false;
  std::string_view local = text.substr(0, at);
  std::string_view domain = text.substr(at + 1);
  if (local.front() == '.' || local.back() == '.') return false;
  size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) return false;
  for (size_t i = dot + 1; i < domain.size(); ++i) {
    if (!std::isalpha(static_cast<unsigned char>(domain[i]))) return false;
  }
  for (char c : domain) {
    if (!isAlnum(c) && c != '-' && c != '.') return false;
  }
  return domain.find("..") == std::string_view::npos && domain.front() != '-';
}

bool isValidUrl(std::string_view text) {
  size_t scheme_end = text.find("://");
  size_t host_start = 0;
  if (scheme_end != std::string_view::npos) {
    host_start = scheme_end + 3;
  } else if (text.substr(0, 4) == "www.") {
    host_start = 0;
  } else {
    return false;
  }
  size_t host_end = text.find_first_of("/?#:", host_start);
  std::string_view host = text.substr(host_start, host_end == std::string_view::npos
                                                      ? std::string_view::npos
                                                      : host_end - host_start);
  if (host.size() < 3 || host.find('.') == std::string_view::npos) {
    return host == "localhost";
  }
  for (char c : host) {
    if (!isAlnum(c) && c != '-' && c != '.') return false;
  }
  return host.front() != '.' && host.back() != '.';
}

bool isValidIpv4(std::string_view text) {
  if (text.size() > 15) return false;
  char buf[16] = {};
  std::memcpy(buf, text.data(), text.size());
  in_addr addr{};
  if (inet_pton(AF_INET, buf, &addr) != 1) return false;
  // inet_pton accepts no leading zeros on glibc? It does for "01"; reject them explicitly.
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find('.', i);
    if (j == std::string_view::npos) j = text.size();
    if (j - i > 1 && text[i] == '0') return false;
    i = j + 1;
  }
  return true;
}

bool isPrivateIpv4(std::string_view text) {
  return text.rfind("10.", 0) == 0 || text.rfind("127.", 0) == 0 ||
         text.rfind("192.0.2.", 0) == 0 || text.rfind("198.51.100.", 0) == 0 ||
         text.rfind("203.0.113.", 0) == 0 || text == "8.8.8.8" || text == "8.8.4.4" ||
         text == "1.1.1.1" || text == "9.9.9.9" || text.rfind("192.168.", 0) == 0 ||
         text.rfind("169.254.", 0) == 0 ||
         (text.rfind("172.", 0) == 0 && text.size() > 6 && text[4] >= '1' && text[4] <= '3' &&
          std::stoi(std::string(text.substr(4, 2))) >= 16 &&
          std::stoi(std::string(text.substr(4, 2))) <= 31);
}

bool isValidIpv6(std::string_view text) {
  if (text.size() < 3 || text.size() > 45) return false;
  char buf[46] = {};
  std::memcpy(buf, text.data(), text.size());
  in6_addr addr{};
  return inet_pton(AF_INET6, buf, &addr) == 1;
}

bool isValidGtin(std::string_view digits) {
  size_t n = digits.size();
  if (n != 8 && n != 12 && n != 13 && n != 14) return false;
  int sum = 0;
  for (size_t i = 0; i + 1 < n; ++i) {
    if (!isDigit(digits[i])) return false;
    int weight = ((n - 1 - i) % 2 == 1) ? 3 : 1;
    sum += digitAt(digits, i) * weight;
  }
  if (!isDigit(digits[n - 1])) return false;
  return (10 - sum % 10) % 10 == digitAt(digits, n - 1);
}

bool isValidUdi(std::string_view text) {
  std::string_view gtin;
  if (text.substr(0, 4) == "(01)" && text.size() >= 18) {
    gtin = text.substr(4, 14);
  } else if (text.substr(0, 2) == "01" && text.size() >= 16) {
    gtin = text.substr(2, 14);
  } else {
    return false;
  }
  return isValidGtin(gtin);
}

bool isUsState(std::string_view code) {
  static constexpr std::string_view kStates =
      "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
      "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR VI GU AS MP";
  if (code.size() != 2 || !isUpper(code[0]) || !isUpper(code[1])) return false;
  for (size_t i = 0; i + 1 < kStates.size(); i += 3) {
    if (kStates.substr(i, 2) == code) return true;
  }
  return false;
}

bool isUsStateName(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
      "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
      "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
      "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire",
      "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
      "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota",
      "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "West Virginia",
      "Wisconsin", "Wyoming", "Puerto Rico"};
  return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

}  // namespace sluice::scanner::validators
