// File: validators.h
//
// Checks that turn a pattern match into a finding. Hyperscan only says "this looks like an
// SSN"; these functions say whether it can be one (the SSA never issues area 666, a card
// number must pass Luhn for its issuer's length, a date must exist on the calendar). They are
// pure functions over the matched bytes so that each one is unit-tested on its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::scanner::validators {

// Keeps the digits of `text`, dropping separators (" -./()").
std::string digitsOf(std::string_view text);

bool luhnValid(std::string_view digits);
bool isValidSsn(std::string_view text);        // area not 000/666/9xx, group != 00, serial != 0000
bool isValidNpi(std::string_view text);        // 10 digits, Luhn over "80840" + NPI
bool isValidDea(std::string_view text);        // 2 letters + 7 digits with the DEA checksum
bool isValidMbi(std::string_view text);        // Medicare Beneficiary Identifier positions
bool isExampleMbi(std::string_view text);      // 1EG4-TE5-MK73, the example CMS prints
bool isValidCard(std::string_view text);       // Luhn + issuer prefix + length for that issuer
bool isValidVin(std::string_view text);        // 17 chars, no I/O/Q, check digit at position 9
bool isValidNanpPhone(std::string_view text);  // NXX-NXX-XXXX, optional +1
bool isValidZip(std::string_view text);        // 5 digits or ZIP+4, not 00000
bool isValidEmail(std::string_view text);
bool isValidUrl(std::string_view text);
bool isValidIpv4(std::string_view text);
bool isValidIpv6(std::string_view text);
// RFC 1918, loopback, link-local, documentation ranges (RFC 5737) and public resolvers:
// infrastructure and examples more often than a person's device.
bool isPrivateIpv4(std::string_view text);
bool isValidGtin(std::string_view digits);     // GS1 mod-10 over 8/12/13/14 digits
bool isValidUdi(std::string_view text);        // GS1 UDI: (01) + GTIN-14 [+ more AIs]
// National identifiers of other countries, each with its own check:
bool isValidNhsNumber(std::string_view text);  // UK NHS number: 10 digits, mod-11 check digit
bool isValidCpf(std::string_view text);        // Brazil CPF: 11 digits, two mod-11 check digits
bool isValidDni(std::string_view text);        // Spain DNI (8 digits) or NIE (X/Y/Z + 7) + letter
bool isValidSin(std::string_view text);        // Canada SIN: 9 digits, Luhn, not 0 or 8 first
// Sweden's personnummer: [YY]YYMMDD-NNNN (or '+' past 100), a real date (a coordination
// number adds 60 to the day) and Luhn over the last ten digits.
bool isValidPersonnummer(std::string_view text);
// Denmark's CPR number: DDMMYY-NNNN with a real date (no check digit since 2007).
bool isValidCprNumber(std::string_view text);
// The Czech and Slovak birth number: YYMMDD/NNNN, the month plus 50 for women (plus 20 or 70
// since 2004), and the ten digits divisible by 11 (nine digits before 1954: no check).
bool isValidBirthNumber(std::string_view text);
bool isUsState(std::string_view code);         // two-letter USPS code
bool isUsStateName(std::string_view name);     // "Ohio", "New Mexico", "Puerto Rico"

struct Date {
  int year;
  int month;
  int day;
};
bool isRealDate(int year, int month, int day);
// Parses numeric (MM/DD/YYYY, DD.MM.YYYY, YYYY-MM-DD, YYYYMMDD, 2-digit years) and text
// forms ("March 3, 2021", "3rd of March 2021", "03-Mar-2021", "Mar 2021"). Returns nothing
// unless the text is a real calendar date in 1900..2099 (month-year forms get day 1).
std::optional<Date> parseDate(std::string_view text);
// 1-based month for "jan".."december" (case-insensitive), 0 otherwise.
int monthFromName(std::string_view word);

// A date without its year: "Nov 24", "March 3rd", "14 March", "3rd of March", "11/26"
// (month first, as in the US). Still PHI: HIPAA keeps only the year. `year` is 0; the day
// must exist in that month in some year (29 February does).
std::optional<Date> parseYearlessDate(std::string_view text);

// The full month names of common European languages, lower case, UTF-8, with their month
// (1-12): Spanish, Portuguese, French, Italian, German, Dutch, and Polish in the nominative
// and the genitive that dates use ("14 lutego 1958"). English names are monthFromName()'s.
struct MonthName {
  std::string_view name;
  int month;
};
const std::vector<MonthName>& foreignMonthNames();
// "14 lutego 1958", "3 de marzo de 1948", "1er mars 1950", "14. Februar 1958": day, a
// foreign month name, optional "de", a four-digit year; a real calendar date. Without the
// year ("14 de octubre", "4 juin"): year 0 and a day that some year has.
std::optional<Date> parseForeignDate(std::string_view text);

// The length of the Chinese, Japanese, Korean or Vietnamese date at the start of `text`
// ("2024年3月5日", "令和6年7月22日", "民國45年7月3日", "2023년 8월 14일", "ngày 3 tháng 7
// năm 1956"), or 0 when none is there. Without its year ("8月17日", "5월 7일") the date has
// year 0 and a day that some year has. Fills `date` when it is given.
size_t eastAsianDateLength(std::string_view text, Date* date = nullptr);

}  // namespace sluice::scanner::validators
