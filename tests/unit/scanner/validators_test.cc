#include "sluice/scanner/validators.h"

#include <gtest/gtest.h>

namespace sluice::scanner::validators {
namespace {

TEST(Validators, SsnRejectsReservedAreasGroupsAndSerials) {
  EXPECT_TRUE(isValidSsn("123-45-6780"));
  EXPECT_FALSE(isValidSsn("123-45-6789"));  // the example on every form
  EXPECT_FALSE(isValidSsn("987-65-4321"));  // SSA advertising block
  EXPECT_TRUE(isValidSsn("536 22 1234"));
  EXPECT_TRUE(isValidSsn("536221234"));
  EXPECT_FALSE(isValidSsn("000-12-3456"));
  EXPECT_FALSE(isValidSsn("666-12-3456"));
  EXPECT_FALSE(isValidSsn("900-12-3456"));
  EXPECT_FALSE(isValidSsn("999-12-3456"));
  EXPECT_FALSE(isValidSsn("123-00-4567"));
  EXPECT_FALSE(isValidSsn("123-45-0000"));
  EXPECT_FALSE(isValidSsn("12-345-678"));
}

TEST(Validators, NpiUsesLuhnOverPrefix80840) {
  EXPECT_TRUE(isValidNpi("1234567893"));   // CMS's published example
  EXPECT_FALSE(isValidNpi("1234567890"));
  EXPECT_FALSE(isValidNpi("3234567893"));  // must start with 1 or 2
  EXPECT_FALSE(isValidNpi("123456789"));
}

TEST(Validators, DeaChecksum) {
  EXPECT_TRUE(isValidDea("AB1234563"));   // 1+3+5 + 2*(2+4+6) = 33 -> 3
  EXPECT_TRUE(isValidDea("F91234563"));   // '9' as second character is allowed
  EXPECT_FALSE(isValidDea("AB1234567"));
  EXPECT_FALSE(isValidDea("ZB1234563"));  // Z is not a registrant type
  EXPECT_FALSE(isValidDea("AB123456"));
}

TEST(Validators, MbiPositionRules) {
  EXPECT_TRUE(isValidMbi("1EG4TE5MK74"));
  EXPECT_TRUE(isValidMbi("1EG4-TE5-MK74"));
  EXPECT_FALSE(isValidMbi("1EG4-TE5-MK73"));  // the example CMS prints in its guide
  EXPECT_FALSE(isValidMbi("0EG4TE5MK73"));  // first digit 1-9
  EXPECT_FALSE(isValidMbi("1SG4TE5MK73"));  // S is excluded
  EXPECT_FALSE(isValidMbi("1EG4TE5MK7"));
  EXPECT_FALSE(isValidMbi("1EGATE5MK73"));  // position 4 must be a digit
}

TEST(Validators, OtherCountriesNationalIdentifiers) {
  EXPECT_TRUE(isValidNhsNumber("943 476 5919"));
  EXPECT_TRUE(isValidNhsNumber("9434765919"));
  EXPECT_FALSE(isValidNhsNumber("943 476 5918"));  // check digit
  EXPECT_FALSE(isValidNhsNumber("943 476 591"));
  EXPECT_TRUE(isValidCpf("123.456.789-09"));
  EXPECT_FALSE(isValidCpf("123.456.789-08"));
  EXPECT_FALSE(isValidCpf("111.111.111-11"));  // one digit repeated passes the checks
  EXPECT_TRUE(isValidDni("12345678Z"));
  EXPECT_TRUE(isValidDni("12345678-Z"));
  EXPECT_TRUE(isValidDni("X1234567L"));  // NIE: X stands for 0
  EXPECT_FALSE(isValidDni("12345678A"));
  EXPECT_FALSE(isValidDni("1234567Z"));
  EXPECT_TRUE(isValidSin("130 692 544"));
  EXPECT_FALSE(isValidSin("130 692 545"));  // Luhn
  EXPECT_FALSE(isValidSin("046 454 286"));  // 0 first: the government's fictitious example
  EXPECT_TRUE(isValidPersonnummer("620418-2387"));
  EXPECT_TRUE(isValidPersonnummer("19511127-6837"));  // with the century
  EXPECT_FALSE(isValidPersonnummer("620418-2388"));   // Luhn
  EXPECT_FALSE(isValidPersonnummer("621318-2387"));   // month 13
  EXPECT_TRUE(isValidCprNumber("110472-3183"));
  EXPECT_FALSE(isValidCprNumber("320472-3183"));   // day 32
  EXPECT_TRUE(isValidBirthNumber("675823/1128"));  // a woman's: the month plus 50
  EXPECT_TRUE(isValidBirthNumber("810407/3197"));
  EXPECT_FALSE(isValidBirthNumber("810407/3198"));  // not divisible by 11
  EXPECT_TRUE(isValidBirthNumber("520312/123"));    // nine digits before 1954: no check
  EXPECT_FALSE(isValidBirthNumber("811407/3197"));  // month 14
}

TEST(Validators, CardsNeedLuhnIssuerAndLength) {
  EXPECT_TRUE(isValidCard("4111 1111 1111 1111"));  // Visa 16
  EXPECT_TRUE(isValidCard("5500-0000-0000-0004"));  // Mastercard
  EXPECT_TRUE(isValidCard("378282246310005"));      // Amex 15
  EXPECT_TRUE(isValidCard("6011111111111117"));     // Discover
  EXPECT_FALSE(isValidCard("4111111111111112"));    // Luhn fails
  EXPECT_FALSE(isValidCard("37828224631000"));      // Amex must be 15
  EXPECT_FALSE(isValidCard("9111111111111111"));    // no issuer
  EXPECT_FALSE(isValidCard("1709634121000"));       // epoch milliseconds
}

TEST(Validators, VinCheckDigit) {
  EXPECT_TRUE(isValidVin("1M8GDM9AXKP042788"));
  EXPECT_TRUE(isValidVin("11111111111111111") == false);  // needs letters
  EXPECT_FALSE(isValidVin("1M8GDM9A1KP042788"));
  EXPECT_FALSE(isValidVin("1M8GDM9AXKP04278"));
  EXPECT_FALSE(isValidVin("1M8GDM9AXKPO42788"));  // O is not allowed
}

TEST(Validators, NanpPhone) {
  EXPECT_TRUE(isValidNanpPhone("(217) 555-0143"));
  EXPECT_TRUE(isValidNanpPhone("+1 312.555.0199"));
  EXPECT_FALSE(isValidNanpPhone("117-555-0143"));  // area code starts 2-9
  EXPECT_FALSE(isValidNanpPhone("217-155-0143"));  // exchange starts 2-9
  EXPECT_FALSE(isValidNanpPhone("911-555-0143"));  // N11
  EXPECT_FALSE(isValidNanpPhone("217-555-014"));
}

TEST(Validators, ZipEmailUrl) {
  EXPECT_TRUE(isValidZip("62704"));
  EXPECT_TRUE(isValidZip("62704-1234"));
  EXPECT_FALSE(isValidZip("00000"));
  EXPECT_FALSE(isValidZip("6270"));
  EXPECT_TRUE(isValidEmail("jane.doe+x@mail.example.org"));
  EXPECT_FALSE(isValidEmail("jane@localhost"));
  EXPECT_FALSE(isValidEmail("@example.org"));
  EXPECT_FALSE(isValidEmail("a@b@c.org"));
  EXPECT_TRUE(isValidUrl("https://portal.example.org/patient/123"));
  EXPECT_TRUE(isValidUrl("www.example.com"));
  EXPECT_FALSE(isValidUrl("https://x/"));
}

TEST(Validators, IpAddressesAreParsed) {
  EXPECT_TRUE(isValidIpv4("192.168.10.45"));
  EXPECT_FALSE(isValidIpv4("256.1.1.1"));
  EXPECT_FALSE(isValidIpv4("01.2.3.4"));
  EXPECT_FALSE(isValidIpv4("1.2.3"));
  EXPECT_TRUE(isValidIpv6("2001:db8:85a3::8a2e:370:7334"));
  EXPECT_TRUE(isValidIpv6("fe80::1"));
  EXPECT_FALSE(isValidIpv6("10:22:01"));
  EXPECT_FALSE(isValidIpv6("2001:db8:::1"));
}

TEST(Validators, Gs1Udi) {
  EXPECT_TRUE(isValidGtin("00614141999996"));
  EXPECT_FALSE(isValidGtin("00614141999995"));
  EXPECT_TRUE(isValidUdi("(01)00614141999996(17)250101(10)A123"));
  EXPECT_TRUE(isValidUdi("0100614141999996"));
  EXPECT_FALSE(isValidUdi("(01)00614141999995"));
}

TEST(Validators, RealCalendarDatesInCommonFormats) {
  auto is = [](std::string_view s, int y, int m, int d) {
    auto p = parseDate(s);
    return p && p->year == y && p->month == m && p->day == d;
  };
  EXPECT_TRUE(is("03/14/1962", 1962, 3, 14));
  EXPECT_TRUE(is("14.03.1962", 1962, 3, 14));   // day first when month cannot be 14
  EXPECT_TRUE(is("1962-03-14", 1962, 3, 14));
  EXPECT_TRUE(is("19620314", 1962, 3, 14));     // HL7
  EXPECT_TRUE(is("196203141230", 1962, 3, 14)); // HL7 with time
  EXPECT_TRUE(is("3/4/62", 1962, 3, 4));
  EXPECT_TRUE(is("March 14, 1962", 1962, 3, 14));
  EXPECT_TRUE(is("Mar. 14th 1962", 1962, 3, 14));
  EXPECT_TRUE(is("14th of March 1962", 1962, 3, 14));
  EXPECT_TRUE(is("14-Mar-1962", 1962, 3, 14));
  EXPECT_TRUE(is("Sept 2020", 2020, 9, 1));
  EXPECT_TRUE(is("2024-02-29", 2024, 2, 29));
  EXPECT_FALSE(parseDate("2023-02-29"));  // not a leap year
  EXPECT_FALSE(parseDate("1900-02-29"));
  EXPECT_FALSE(parseDate("13/32/2020"));
  EXPECT_FALSE(parseDate("20231301"));
  EXPECT_FALSE(parseDate("Smarch 3, 2020"));
  EXPECT_FALSE(parseDate("03/14-1962"));  // mixed separators
  EXPECT_EQ(monthFromName("SEP"), 9);
  EXPECT_EQ(monthFromName("mayo"), 0);
}

TEST(Validators, YearlessDatesNeedARealMonthAndDay) {
  auto md = [](std::string_view s) {
    auto d = parseYearlessDate(s);
    return d ? d->month * 100 + d->day : 0;
  };
  EXPECT_EQ(md("Sept 9"), 909);
  EXPECT_EQ(md("December 31st"), 1231);
  EXPECT_EQ(md("21st of June"), 621);
  EXPECT_EQ(md("4/29"), 429);
  EXPECT_EQ(md("Feb 29"), 229);  // a day that leap years have
  EXPECT_EQ(md("Feb 30"), 0);
  EXPECT_EQ(md("Apr 31"), 0);
  EXPECT_EQ(md("13/2"), 0);
  EXPECT_EQ(md("6/0"), 0);
  EXPECT_EQ(md("Smarch 3"), 0);
}

TEST(Validators, EastAsianDates) {
  auto ymd = [](std::string_view s) {
    Date d{};
    size_t n = eastAsianDateLength(s, &d);
    return n == s.size() ? d.year * 10000 + d.month * 100 + d.day : -static_cast<int>(n);
  };
  EXPECT_EQ(ymd("2024年3月5日"), 20240305);
  EXPECT_EQ(ymd("1939年12月5号"), 19391205);
  EXPECT_EQ(ymd("令和6年7月22日"), 20240722);
  EXPECT_EQ(ymd("昭和32年4月8日"), 19570408);
  EXPECT_EQ(ymd("平成元年1月8日"), 19890108);
  EXPECT_EQ(ymd("民國45年7月3日"), 19560703);
  EXPECT_EQ(ymd("2023년 8월 14일"), 20230814);
  EXPECT_EQ(ymd("ngày 3 tháng 7 năm 1956"), 19560703);
  // Without the year: year 0.
  EXPECT_EQ(ymd("8月17日"), 817);
  EXPECT_EQ(ymd("5월 7일"), 507);
  EXPECT_EQ(ymd("ngày 05 tháng 8"), 805);
  // Not dates: no such day, the scripts mixed, a count of months, a year alone.
  EXPECT_EQ(ymd("2023年2月30日"), 0);
  EXPECT_EQ(ymd("2023年8월14일"), 0);
  EXPECT_EQ(ymd("3个月"), 0);
  EXPECT_EQ(ymd("2024年"), 0);
  // A date followed by other text: its length.
  EXPECT_EQ(eastAsianDateLength("2024年3月5日入院"), std::string_view("2024年3月5日").size());
}

TEST(Validators, EuropeanMonthNames) {
  auto ymd = [](std::string_view s) {
    auto d = parseForeignDate(s);
    return d ? d->year * 10000 + d->month * 100 + d->day : 0;
  };
  EXPECT_EQ(ymd("9 de agosto de 1971"), 19710809);
  EXPECT_EQ(ymd("30 listopada 1944"), 19441130);
  EXPECT_EQ(ymd("2 ao\xc3\xbbt 1960"), 19600802);
  EXPECT_EQ(ymd("1er avril 1952"), 19520401);
  EXPECT_EQ(ymd("5. M\xc3\xa4rz 1939"), 19390305);
  EXPECT_EQ(ymd("17 Settembre 1966"), 19660917);
  EXPECT_EQ(ymd("30 fevereiro 1950"), 0);  // no such day
  EXPECT_EQ(ymd("12 apples 1950"), 0);
  // Without the year: year 0.
  EXPECT_EQ(ymd("14 de octubre"), 1014);
  EXPECT_EQ(ymd("3 de mar\xc3\xa7o"), 303);
  EXPECT_EQ(ymd("4 juin"), 604);
  EXPECT_EQ(ymd("31 de abril"), 0);  // no such day
  EXPECT_EQ(ymd("14 de apples"), 0);
}

TEST(Validators, LuhnAndDigits) {
  EXPECT_EQ(digitsOf("(217) 555-0143"), "2175550143");
  EXPECT_TRUE(luhnValid("79927398713"));
  EXPECT_FALSE(luhnValid("79927398710"));
  EXPECT_FALSE(luhnValid(""));
  EXPECT_TRUE(isUsState("IL"));
  EXPECT_FALSE(isUsState("ZZ"));
}

}  // namespace
}  // namespace sluice::scanner::validators
