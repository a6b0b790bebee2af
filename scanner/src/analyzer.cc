// Format detectors: each regex candidate goes through its validator, and context moves the
// score (a date after "DOB" is certain; a bare date in a chat about history is not PHI).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <string>
#include <unordered_set>

#include "detectors.h"
#include "sluice/scanner/validators.h"

namespace sluice::scanner::detect {
namespace {

namespace v = validators;

// Words that tie a date to a person's care; weak cues only hint at an event.
const std::vector<std::string_view> kDateCues = {
    "dob", "birth", "born", "admit", "discharg", "visit", "seen", "surgery", "procedure", "died",
    "death", "deceased", "expired", "dos", "appoint", "encounter", "collected", "onset", "injury",
    "date of service", "dates of service", "service date", "implant", "vaccin", "diagnos",
    "treated", "evaluat", "presented to", "presenting", "admission", "fell", "fractur",
    "passed away", "funeral", "memorial", "surgery", "appt", "f/u", "scheduled", "(b. ", "cleaning",
    "refill", "biopsy", "doi ", "doi:", "s/p ", "surg", "injur", "off work", "eval", "setup",
    "rebill", "filled", "d/c", "recheck", "re-check", "follow-up", "orif", "brought in", "readmit",
    "return to work", "rtw", "accident", "occurred", "hospitaliz", " edd", "(edd",
    // A chart's dated note: "PROGRESS NOTE 02/14/2024", "nursing note 3/2".
    "progress note", "clinic note", "nursing note", "visit note", "sick call", "edd:", "session",
    "mri", "ct scan", "x-ray", "ultrasound", "mammogra", "oscopy",
    // As families write them: "her bday", "dx'd last march 3rd". (Not "turns": "Dr. Raman
    // turns 40 on Saturday March 9" in a staff message; it counts outside clinical text.)
    "bday", "b-day", "dx'd",
    // Birth, admission and discharge in Spanish, French, Portuguese and German.
    "nacimiento", "naissance", "n\u00e9e le", "n\u00e9 le", "ingreso", "de alta", "nascimento",
    "geburt", "geb.", "aufnahme", "entlassung", "internad", "interna\u00e7", "consulta", "cirug",
    "cirurg", "hospitalis", "fecha de", "data de",
    // ... and the other events of care as Spanish and French letters and messages write them:
    // "ingresó el 14 de marzo", "nació el 3 de agosto", "cumple el 23 de abril", "entré le 2
    // février, sorti le 9 février", "vue aux urgences le 5 août", "RDV le 3 février".
    "ingres\xc3\xb3", "ingresad", "naci\xc3\xb3", "falleci", "operad", "urgencias", "la cita",
    "cumple ", "cumplea\xc3\xb1os", "entr\xc3\xa9 le",
    "entr\xc3\xa9"
    "e le",
    "entr\xc3\xa9(e) le", "sorti le", "sortie le", "sorti(e) le", "vu le", "vue le",
    "effectu\xc3\xa9 le",
    "effectu\xc3\xa9"
    "e le",
    "r\xc3\xa9"
    "alis\xc3\xa9 le",
    "r\xc3\xa9"
    "alis\xc3\xa9"
    "e le",
    "urgences", "rdv", "rendez-vous", "op\xc3\xa9r\xc3\xa9",
    "d\xc3\xa9"
    "c\xc3\xa9"
    "d",
    "vu le", "vue le", "vu(e) le", "date de soins",
    "date d'entr\xc3\xa9"
    "e",
    "date de sortie",
    // Indonesian and Malay: "masuk 03-03-2025" (admitted), "keluar" (discharged).
    "masuk ", "keluar ",
    // Russian: discharged ("выписана"), admitted ("поступил"), hospitalised, birth and born,
    // died, operated, a visit ("приём").
    "\xd0\xb2\xd1\x8b\xd0\xbf\xd0\xb8\xd1\x81", "\xd0\xbf\xd0\xbe\xd1\x81\xd1\x82\xd1\x83\xd0\xbf",
    "\xd0\xb3\xd0\xbe\xd1\x81\xd0\xbf\xd0\xb8\xd1\x82\xd0\xb0\xd0\xbb\xd0\xb8\xd0\xb7",
    "\xd1\x80\xd0\xbe\xd0\xb6\xd0\xb4\xd0\xb5\xd0\xbd\xd0\xb8\xd1\x8f",
    "\xd1\x80\xd0\xbe\xd0\xb4\xd0\xb8\xd0\xbb", "\xd1\x83\xd0\xbc\xd0\xb5\xd1\x80 ",
    "\xd1\x83\xd0\xbc\xd0\xb5\xd1\x80\xd0\xbb\xd0\xb0",
    "\xd0\xbe\xd0\xbf\xd0\xb5\xd1\x80\xd0\xb8\xd1\x80", "\xd0\xbf\xd1\x80\xd0\xb8\xd1\x91\xd0\xbc",
    "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb5\xd0\xbc"};
const std::vector<std::string_view> kWeakDateCues = {"date",   "on ",      "since ", "last ",
                                                     "until ", "through ", "from ",  "by "};
// " v " is a version ("v 2.1"); " v" alone was also the start of "visit".
const std::vector<std::string_view> kVersionCues = {"version", "ver ",  " v ",
                                                    "release", "build", "firmware"};
// A literal in a query or config: visit_date >= '2024-01-01'.
const std::vector<std::string_view> kComparisons = {">", "<", "=", "between "};
// The date of an organisation's event or order ("the new MRI suite opens March 3, 2027",
// "staffing for the week of Dec 7", "on backorder until 01/15").
const std::vector<std::string_view> kEventCues = {
    "opens ",          "opening ",       "open house",     "go-live",     "go live",
    "launch",          "ribbon cutting", "ribbon-cutting", "week of",     "requests close",
    "backorder",       "back order",     "deadline",       "ships ",      "delivery",
    "shipped",         "reported ",      "visitor",        "presenting ", "board meeting",
    "committee meets", "attendance"};

// A match glued to more of the same token ("gpt-4o-2024-08-06", "1.2.3.4.5", "x123-45-6789")
// is part of something else.
bool embedded(const Window& w, uint64_t start, uint64_t end) {
  char before = start > w.begin() ? w.at(start - 1) : ' ';
  char after = w.at(end);
  // A range of two dates of the same form: "11/01/2026-11/30/2026".
  uint64_t n = end - start;
  if (after == '-' && v::parseDate(w.slice(end + 1, end + 1 + n)) && !isAlnum(w.at(end + 1 + n)) &&
      (before == ' ' || !isAlnum(before))) {
    return false;
  }
  if (before == '-' && start > w.begin() + n && v::parseDate(w.slice(start - 1 - n, start - 1)) &&
      !isAlnum(after) && !isAlnum(w.at(start - 2 - n))) {
    return false;
  }
  // ... or of two months and days ("8/27-9/24", "9/28-10/2") or months of years
  // ("08/2023-02/2024", "03/2024-present").
  auto monthDayAt = [&](uint64_t from, uint64_t to) {
    char after_to = w.at(to);
    char before_from = from > w.begin() ? w.at(from - 1) : ' ';
    if (isAlnum(after_to) || after_to == '/' || isAlnum(before_from) || before_from == '/') {
      return false;
    }
    std::string_view t = w.slice(from, to);
    if (t.size() == 7 && t[2] == '/') {
      int month = (t[0] - '0') * 10 + (t[1] - '0');
      return isDigit(t[0]) && isDigit(t[1]) && month >= 1 && month <= 12 &&
             std::all_of(t.begin() + 3, t.end(), isDigit) && (t[3] == '1' || t[3] == '2');
    }
    return t.size() >= 3 && t.size() <= 5 && v::parseYearlessDate(t);
  };
  if (n <= 7 && after == '-' && monthDayAt(start, end)) {
    uint64_t q = end + 1;
    while (q < end + 11 && (isDigit(w.at(q)) || w.at(q) == '/')) ++q;
    // "08/12-08/30/2024": the year only at the end.
    if (monthDayAt(end + 1, q) || (!isAlnum(w.at(q)) && v::parseDate(w.slice(end + 1, q)))) {
      return false;
    }
    static const std::vector<std::string_view> kOpenEnds = {"present", "now", "current", "ongoing"};
    std::string next = lowerCopy(w.slice(end + 1, end + 8));
    for (std::string_view o : kOpenEnds) {
      if (next.rfind(o, 0) == 0 && !isAlpha(w.at(end + 1 + o.size()))) return false;
    }
  }
  if (before == '-' && start > w.begin() + 4 &&
      (n <= 7 ? monthDayAt(start, end) : !isAlnum(after))) {
    uint64_t q = start - 1;
    while (q > w.begin() && q + 8 > start && (isDigit(w.at(q - 1)) || w.at(q - 1) == '/')) --q;
    if (monthDayAt(q, start - 1)) return false;
  }
  if (isAlnum(before) || before == '_' || before == '-' || before == '/' || before == '.' ||
      before == '+') {
    return true;
  }
  if ((after == '-' || after == '/' || after == '.' || after == ':' || after == '_') &&
      isAlnum(w.at(end + 1))) {
    return true;
  }
  return isAlnum(after);
}

// "2024-03-05T10:22:01Z" or "2024-03-05 10:22:01" - a timestamp, usually in a log.
bool timestampAfter(const Window& w, uint64_t end) {
  char c = w.at(end);
  if ((c == 'T' || c == ' ') && isDigit(w.at(end + 1)) && isDigit(w.at(end + 2)) &&
      w.at(end + 3) == ':') {
    return true;
  }
  return false;
}

// "2024-03-05", "2024/03/05": the year comes first (ISO 8601 and log formats).
bool yearFirst(std::string_view text) {
  return text.size() >= 8 && isDigit(text[0]) && isDigit(text[1]) && isDigit(text[2]) &&
         isDigit(text[3]) && !isDigit(text[4]);
}

// "(555) 555-5555", "123-456-7890": format examples, not anyone's number.
}  // namespace

bool examplePhone(std::string_view text) {
  std::string d = v::digitsOf(text);
  if (d.size() == 11) d.erase(0, 1);
  if (d == "1234567890" || d.substr(3) == "5555555" || d.substr(3) == "0000000") return true;
  return std::all_of(d.begin(), d.end(), [&](char c) { return c == d[0]; });
}

bool tollFree(std::string_view text) {
  std::string d = v::digitsOf(text);
  // Freephone and local-rate numbers elsewhere: the UK's and New Zealand's 0800 and 0808,
  // Australia's and Ireland's 1800 and 1300.
  if (d.size() >= 9 && d.size() <= 11 &&
      (d.starts_with("0800") || d.starts_with("0808") || d.starts_with("1800") ||
       d.starts_with("1300"))) {
    return true;
  }
  if (d.size() == 11 && d[0] == '1') d.erase(0, 1);
  if (d.size() != 10) return false;
  std::string_view npa = std::string_view(d).substr(0, 3);
  return npa == "800" || npa == "888" || npa == "877" || npa == "866" || npa == "855" ||
         npa == "844" || npa == "833";
}

namespace {

// The word before `pos` in lower case, over spaces and a colon ("Arrival: 11/03"); at most
// 12 letters.
std::string wordBefore(const Window& w, uint64_t pos) {
  uint64_t q = pos;
  while (q > w.begin() && (w.at(q - 1) == ' ' || w.at(q - 1) == ':')) --q;
  std::string word;
  while (word.size() < 12 && q > w.begin() && isAlpha(w.at(q - 1))) {
    word.insert(word.begin(), toLower(w.at(--q)));
  }
  return word;
}

// A day of the week right before `pos`, over spaces, a comma or a colon: "tues 3/18",
// "Thursday, 12/5" (a date, though a rota's as often as a patient's).
bool weekdayBefore(const Window& w, uint64_t pos) {
  uint64_t q = pos;
  while (q > w.begin() && w.at(q - 1) == ' ') --q;
  if (q > w.begin() && w.at(q - 1) == ',') --q;
  static const std::vector<std::string_view> kWeekdays = {
      "mon",   "monday",   "tue",   "tues",     "tuesday", "wed",     "weds",    "wednesday",
      "thu",   "thur",     "thurs", "thursday", "fri",     "friday",  "sat",     "saturday",
      "sun",   "sunday",   "lunes", "martes",   "jueves",  "viernes", "domingo", "lundi",
      "mardi", "mercredi", "jeudi", "vendredi", "samedi",  "dimanche"};
  std::string word = wordBefore(w, q);
  return std::find(kWeekdays.begin(), kWeekdays.end(), word) != kWeekdays.end();
}

// The current year, for the age of a record: HIPAA protects a person's health information
// until 50 years after death.
int currentYear() {
  static const int kYear = [] {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    return utc.tm_year + 1900;
  }();
  return kYear;
}

// "Effective: January 1, 2027", "Revised 03/15/2024": the dates of a document or a contract.
const std::vector<std::string_view> kDocumentDateCues = {
    "effective", "revised", "rev.", "updated", "approved", "supersedes", "published", "posted",
    "last modified", "issued", "between ", "eff ", "eff.", "beginning", "on or after",
    "on or before", "prior to", "entre ", "valid through", "valid thru", "valid until",
    // A staff schedule's month ("Call Schedule December 2024"; not "scheduled").
    "schedule ", "roster", "calendar"};

// A date without its year is PHI too, but "March 3" in a chat about a release is not about
// a patient: outside a clinical document only these care and life-event words count.
const std::vector<std::string_view> kYearlessCues = {
    "dob",      "birth",       "born",     "admit",  "discharg", "surgery",  "died",   "death",
    "deceased", "passed away", "diagnos",  "injur",  "fractur",  "hospital", "biopsy", "appt",
    "f/u",      "funeral",     "memorial", "vaccin", "doi",      "dos",      "s/p",    "surg",
    "seen ",    "turns ",      "bday",     "b-day",  "dx'd"};

// A care word before a date at `start`, within `span` bytes and on the date's own line: a
// word that ends the line above belongs to that line ("... within 24h of admission, medical
// wards\nCycle 1: 01/09/2023"). A date that opens its line may take its label from the line
// above ("Date of admission\n  01/09/2023").
bool dateCueBefore(const Window& w, uint64_t start, uint64_t span) {
  uint64_t from = start > w.begin() + span ? start - span : w.begin();
  uint64_t p = start;
  while (p > from && w.at(p - 1) != '\n') --p;
  if (p > from) {
    bool opens = true;
    for (uint64_t q = p; q < start && opens; ++q) opens = isSpace(w.at(q)) || w.at(q) == '|';
    // A row of counts by date ("onset_date,confirmed,probable\n2024-06-02,1,0"): the
    // header above is no cue of each row's date.
    uint64_t e = start;
    while (e < w.end() && e < start + 12 &&
           (isDigit(w.at(e)) || w.at(e) == '/' || w.at(e) == '-' || w.at(e) == '.')) {
      ++e;
    }
    bool counts = w.at(e) == ',' || w.at(e) == '\t' || w.at(e) == ';';
    for (uint64_t q = e; counts && q < w.end() && w.at(q) != '\n' && q < e + 80; ++q) {
      char c = w.at(q);
      counts = isDigit(c) || c == ',' || c == '\t' || c == ';' || c == '.' || c == ' ';
    }
    if (!opens || counts) span = start - p;
  }
  return cueBefore(w, start, span, kDateCues);
}

// A date without its year scores at least this after a cue ("DOB", "admitted"); below it,
// it counts only beside another identifier.
constexpr float kCuedDate = 0.7f;

// Context the scores of dates share: the value is a literal in a query, or a version.
bool dateNoise(const Window& w, uint64_t start) {
  return cueBefore(w, start, 12, kVersionCues) || cueBefore(w, start, 5, kComparisons) ||
         cueBefore(w, start, 24, kEventCues);
}

// "Nov 24", "March 3rd", "14 March" (kDateNoYear) and "14 lutego 1958" (kDateForeign).
void yearlessOrForeignDate(const Window& w, Rule rule, uint64_t start, uint64_t end,
                           std::vector<Finding>& out) {
  std::string_view text = w.slice(start, end);
  if (embedded(w, start, end) || (w.general && !w.clinical)) return;
  if (rule == Rule::kDateForeign) {
    // A name of UTF-8 letters may begin a longer word: "мая" (May's) in "маяк".
    if (static_cast<unsigned char>(w.at(end - 1)) >= 0x80 &&
        static_cast<unsigned char>(w.at(end)) >= 0x80) {
      return;
    }
    // Birth in those languages: Spanish/Portuguese, French, German, Polish, Italian.
    static const std::vector<std::string_view> kBorn = {"nacid",
                                                        "nascid",
                                                        "naissance",
                                                        " n\xc3\xa9 ",
                                                        " n\xc3\xa9"
                                                        "e ",
                                                        "geboren",
                                                        "urodzon",
                                                        "nato il",
                                                        "nata il",
                                                        "nacimiento",
                                                        "naci\xc3\xb3",
                                                        "n\xc3\xa9(e)",
                                                        "nascimento",
                                                        "f. nac",
                                                        "fecha nac"};
    auto parsed = v::parseForeignDate(text);
    if (parsed && parsed->year == 0) {
      // "el 14 de octubre": without its year, beside another identifier; with a year after
      // it, the longer match judges the date.
      uint64_t p = end;
      if (lowerCopy(w.slice(p, p + 4)) == " de ") p += 3;
      if (w.at(p) == ',') ++p;
      while (w.at(p) == ' ') ++p;
      if (isDigit(w.at(p)) || dateNoise(w, start)) return;
      // After a care word close before it ("ingresó el 14 de marzo", "sorti le 9 février"),
      // in any document: those letters rarely hold an English clinical cue.
      // Not a range or a schedule's: "1ère dose entre le 6 octobre et le 19 décembre".
      if ((dateCueBefore(w, start, 24) || cueBefore(w, start, 24, kBorn)) &&
          !cueBefore(w, start, 32, kDocumentDateCues)) {
        addFinding(out, PhiType::kDate, start, end, kCuedDate);
        return;
      }
      if (!w.clinical) return;
      addCorroboratedFinding(out, PhiType::kDate, start, end, 0.6f);
      return;
    }
    if (parsed && !dateNoise(w, start)) {
      // Care more than 75 years ago is history ("Frida Kahlo (17 de septiembre de 1925)").
      bool cue = (dateCueBefore(w, start, 40) && parsed->year >= currentYear() - 75 &&
                  !cueBefore(w, start, 32, kDocumentDateCues)) ||
                 cueBefore(w, start, 40, kBorn);
      if (cue) {
        addFinding(out, PhiType::kDate, start, end, w.clinical ? 1.0f : 0.8f);
      } else {
        addCorroboratedFinding(out, PhiType::kDate, start, end, w.clinical ? 0.6f : 0.4f);
      }
    }
    return;
  }
  // A year after it ("March 3, 2021") makes it kDateText's, which judges the whole date.
  uint64_t p = end + (w.at(end) == ',' ? 1 : 0);
  while (w.at(p) == ' ') ++p;
  if (isDigit(w.at(p))) return;
  if (!v::parseYearlessDate(text)) return;
  // "we march 3 miles", "step 2 may fail": these month names are words in lower case.
  std::string word;
  for (char c : text) {
    if (isAlpha(c)) word += c;
  }
  // An ordinal day makes them dates again: "dx'd last march 3rd".
  if (word.size() > 2 && (word == "may" || word.rfind("mar", 0) == 0) && isLower(word[0]) &&
      !isAlpha(text.back())) {
    return;
  }
  if (dateNoise(w, start)) return;
  // "Nov 24 10:22:01 host sshd[412]": a syslog timestamp.
  if (timestampAfter(w, end)) return;
  float score = 0.35f;
  if (w.clinical) {
    score += 0.2f;
    if (dateCueBefore(w, start, 40)) {
      score += 0.4f;
    } else if (cueBefore(w, start, 16, kWeakDateCues)) {
      score += 0.1f;
    }
  } else if (cueBefore(w, start, 40, kYearlessCues)) {
    score += 0.4f;
  }
  // Without a cue, "Dec 9" in a clinic's staffing note is nobody's date: only beside
  // another identifier.
  if (score < kCuedDate) {
    addCorroboratedFinding(out, PhiType::kDate, start, end, score);
    return;
  }
  addFinding(out, PhiType::kDate, start, end, score);
}

// "she's out of town till the 30th.", "the graduation on the 22nd?", "she fell Tuesday
// night, the 14th, going to the bathroom": a day of the month alone, in a clinical document,
// where nothing follows that makes it a floor, a century or a percentile. It counts only
// beside another identifier.
// "入院日期：2024年3月5日", "2023년 8월 14일부터 ... 입원", "ngày 05 tháng 8 năm 2024": a
// date with a word of care or birth before it counts; else beside another identifier.
void eastAsianDate(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  if (embedded(w, start, end) || v::eastAsianDateLength(w.slice(start, end)) != end - start) {
    return;
  }
  static const std::vector<std::string_view> kCare = {
      // Chinese and Japanese: admission, discharge, stay, surgery, visit, examination,
      // booking, birth.
      "入院", "出院", "住院", "手术", "手術", "就诊", "就診", "门诊", "門診", "复查", "複查",
      "检查", "檢查", "採檢", "受診", "診察", "予約", "预约", "預約", "出生", "生日", "生年月日",
      // Korean: admission, discharge, surgery, treatment, examination, booking, birth.
      "입원", "퇴원", "수술", "진료", "검사", "예약", "생년월일", "출생",
      // Vietnamese: birth, admission, discharge, a follow-up and a booked visit (not "phòng
      // khám", a clinic, on its flyer).
      "ng\xc3\xa0y sinh", "sinh ng\xc3\xa0y", "nh\xe1\xba\xadp vi\xe1\xbb\x87n",
      "xu\xe1\xba\xa5t vi\xe1\xbb\x87n", "t\xc3\xa1i kh\xc3\xa1m", "h\xe1\xba\xb9n kh\xc3\xa1m"};
  // "林淑芬, 民國40年8月12日生", "昭和32年5月3日生まれ": 生 after the date marks a birth.
  bool born = end + 3 <= w.end() && w.slice(end, end + 3) == "\xe7\x94\x9f";
  bool cue = born || cueBefore(w, start, 48, kCare) || dateCueBefore(w, start, 40);
  if (cue && !dateNoise(w, start)) {
    addFinding(out, PhiType::kDate, start, end, w.clinical ? 1.0f : 0.8f);
  } else {
    addCorroboratedFinding(out, PhiType::kDate, start, end, w.clinical ? 0.7f : 0.6f);
  }
}

void ordinalDate(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  if (!w.clinical) return;
  uint64_t s = start + 4;  // after "the "
  int day = (w.at(s) - '0') * 10 + (w.at(s + 1) - '0');
  std::string suffix = lowerCopy(w.slice(s + 2, end));
  std::string_view want = day % 10 == 1 && day != 11   ? "st"
                          : day % 10 == 2 && day != 12 ? "nd"
                          : day % 10 == 3 && day != 13 ? "rd"
                                                       : "th";
  if (suffix != want) return;
  char next = w.at(end);
  bool closes = end >= w.end() || next == '.' || next == ',' || next == ';' || next == ':' ||
                next == '?' || next == '!' || next == ')' || next == '"' || next == '\n';
  if (!closes && next == ' ') {
    std::string after = lowerCopy(w.slice(end + 1, std::min(w.end(), end + 5)));
    closes = after.starts_with("at ") || after.starts_with("and ") || after.starts_with("or ");
  }
  if (closes) addCorroboratedFinding(out, PhiType::kDate, s, end, 0.6f);
}

// "admitted 11/26", "active for 12/1": month/day without a year. The same shape is a
// fraction ("1/2 tab"), a score ("pain 4/10", "5/5 strength") or a ratio, so it counts only
// right after a date cue, or in a clinical document right after a preposition of time.
void monthDay(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  if (embedded(w, start, end) || (w.general && !w.clinical)) return;
  if (end - start >= 6 && w.at(end - 5) == '/') {
    // A month and its year: a date of care in a clinical document beside the patient's
    // other identifiers, unless it is in the future (a card's expiry) or a version.
    static const std::vector<std::string_view> kExpiry = {"exp", "valid", "thru"};
    int year = std::atoi(std::string(w.slice(end - 4, end)).c_str());
    if (w.clinical && year <= currentYear() && !dateNoise(w, start) &&
        !cueBefore(w, start, 12, kExpiry)) {
      addCorroboratedFinding(out, PhiType::kDate, start, end, 0.6f);
    }
    return;
  }
  if (!v::parseYearlessDate(w.slice(start, end)) || dateNoise(w, start)) return;
  static const std::vector<std::string_view> kScores = {
      "pain",   "score",  "scale", "rate",   "rating", "strength", "grade",
      "ratio",  "murmur", "pulse", "reflex", "bp",     "b/p",      "odds",
      "split",  "dose",   "tab",   "stage",  "apgar",  "gcs",      "power",
      "vision", "acuity", "motor", "level",  "out of", "phq",      "gad"};
  // Another fraction just before it: "3/4 1/2", "120/80 3/5" (not "d/c 11/27", "s/p 11/2").
  auto fractionBefore = [&] {
    // The end of a range that embedded() accepted: "8/27-9/24"; the next of a list of dates
    // in clinical text: "BMZ x2 (2/7, 2/8)".
    if (w.at(start - 1) == '-') return false;
    if (w.clinical && w.at(start - 1) == ' ' && w.at(start - 2) == ',') {
      uint64_t q = start - 2;
      uint64_t s = q;
      while (s > w.begin() && q - s < 5 && (isDigit(w.at(s - 1)) || w.at(s - 1) == '/')) --s;
      if (!isAlnum(w.at(s - 1)) && v::parseYearlessDate(w.slice(s, q))) return false;
    }
    for (uint64_t q = start; q > w.begin() + 1 && q + 6 > start; --q) {
      if (w.at(q - 1) == '/' && isDigit(w.at(q - 2))) return true;
    }
    return false;
  };
  // Score words on the same line only: "pain." ending the line before is no score label.
  uint64_t line = start;
  while (line > w.begin() && line + 16 > start && w.at(line - 1) != '\n') --line;
  if (cueBefore(w, start, start - line, kScores) || fractionBefore()) return;
  // The word after: "1/2 tab", "3/4 of", "2/3 cup", "4/10 pain".
  if (w.at(end) == '%') return;
  uint64_t p = end;
  while (w.at(p) == ' ') ++p;
  std::string next;
  while (next.size() < 10 && isAlpha(w.at(p))) next += toLower(w.at(p++));
  if (next.size() > 3 && next.back() == 's') next.pop_back();
  static const std::vector<std::string_view> kUnits = {
      "of",     "pain", "tab",  "tablet",   "pill",   "cap",   "capsule", "dose",  "hour",  "hr",
      "min",    "mile", "cup",  "strength", "chance", "point", "ratio",   "scale", "score", "split",
      "time",   "day",  "week", "month",    "year",   "inch",  "in",      "mg",    "ml",    "tsp",
      "tbsp",   "oz",   "lb",   "kg",       "cm",     "mm",    "ft",      "unit",  "x",     "power",
      "vision", "rule", "th",   "st",       "nd",     "rd"};
  // "in" before another word is a preposition ("her bday is 11/14 in case u need it", "11/3
  // in clinic"), unless the word measures ("3/4 in thick").
  bool preposition = false;
  if (next == "in" && w.at(p) == ' ' && isLower(w.at(p + 1))) {
    std::string after;
    for (uint64_t q = p + 1; after.size() < 10 && isAlpha(w.at(q)); ++q) after += w.at(q);
    static const std::vector<std::string_view> kMeasures = {
        "x", "by", "thick", "long", "wide", "deep", "diameter", "tall", "high", "across"};
    preposition = std::find(kMeasures.begin(), kMeasures.end(), after) == kMeasures.end();
  }
  if (!next.empty() && !preposition &&
      std::find(kUnits.begin(), kUnits.end(), std::string_view(next)) != kUnits.end()) {
    return;
  }
  float score = 0.f;
  if (cueBefore(w, start, 24, w.clinical ? kDateCues : kYearlessCues)) {
    score = 0.75f;
  } else if (w.clinical || weekdayBefore(w, start)) {
    // Elsewhere in a clinical document ("on 11/26", "11/19 1450  Admitted", "mon 11/4 -
    // bathed", "| 10/14 | 10/15 |") a month/day that is no fraction or score is a date of
    // care beside the patient's other identifiers.
    addCorroboratedFinding(out, PhiType::kDate, start, end, 0.6f);
    return;
  }
  addFinding(out, PhiType::kDate, start, end, score);
}

// Whether two capitalised words, one of them in the name dictionaries, end one `separator`
// before `pos`: "Tom Reyes ", "Giordano, Lucia ", "Gladys Onyango,".
bool nameRightBefore(const Window& w, uint64_t pos, char separator = ' ') {
  if (w.names == nullptr || pos < w.begin() + 5 || w.at(pos - 1) != separator) return false;
  // Letters with accents too ("Luc\u00eda Ferrer", "Mar\u00eda P\u00e9rez"): their UTF-8 bytes.
  auto letter = [&](uint64_t p) {
    return isAlpha(w.at(p)) || static_cast<unsigned char>(w.at(p)) >= 0x80;
  };
  uint64_t e = pos - 1;
  uint64_t s = e;
  while (s > w.begin() && letter(s - 1)) --s;
  if (s == e || !isUpper(w.at(s)) || s <= w.begin() + 2 || w.at(s - 1) != ' ') return false;
  std::string_view last = w.slice(s, e);
  // A person's title before a surname: "Mrs. Pemberton, 94,".
  if (w.at(s - 2) == '.') {
    return titleBefore(w, s) == Title::kPerson && w.names->find(last) != nullptr &&
           !w.names->safe(last);
  }
  // The word before: "Tom" of "Tom Reyes", or "Giordano" of "Giordano, Lucia".
  uint64_t e2 = s - 1 - (w.at(s - 2) == ',' ? 1 : 0);
  uint64_t s2 = e2;
  while (s2 > w.begin() && letter(s2 - 1)) --s2;
  if (s2 == e2 || !isUpper(w.at(s2))) return false;
  return (w.names->find(last) != nullptr || w.names->find(w.slice(s2, e2)) != nullptr) &&
         !w.names->safe(last);
}

void date(const Window& w, Rule rule, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  // "2024-11-02T19:05:40Z": the match ends at the time's first digit; the date is before 'T'.
  bool iso = end - start == 12 && w.at(start + 10) == 'T';
  if (iso) {
    end = start + 10;
    char before = start > w.begin() ? w.at(start - 1) : ' ';
    if (isAlnum(before) || before == '-' || before == '_' || !timestampAfter(w, end)) return;
  } else if (embedded(w, start, end)) {
    return;
  }
  std::string_view text = w.slice(start, end);
  // "O.C.G.A. \u00a7 9-3-33": a statute's section.
  static const std::vector<std::string_view> kSection = {"\u00a7", "sec.", "section"};
  static const std::vector<std::string_view> kCesarean = {"c-sec", "c sec"};
  if (cueBefore(w, start, 9, kSection) && !cueBefore(w, start, 11, kCesarean)) return;
  auto parsed = v::parseDate(text);
  // 1900-01-01 and earlier: the sentinel of a missing birth date, or history; 2099-12-31
  // and the like: an open end, or a test fixture's.
  if (!parsed || parsed->year <= 1900 || parsed->year >= currentYear() + 50) return;
  float score = rule == Rule::kDateNumeric ? 0.35f : (rule == Rule::kDateText ? 0.4f : 0.25f);
  // Dotted dates with a 2-digit year are version numbers more often than dates (year first,
  // "2024.12.02" is how Korea, China and Japan write a date).
  if (rule == Rule::kDateNumeric && text.find('.') != std::string_view::npos && !yearFirst(text) &&
      !isDigit(text[text.size() - 3])) {
    return;
  }
  if (cueBefore(w, start, 12, kVersionCues) || cueBefore(w, start, 24, kEventCues)) return;
  // Only year-first dates followed by a time are log timestamps ("2024-03-05T10:22:01Z",
  // nginx's "2024/03/05 10:22:01"); "01/05/2024 14:30" and "11/27/2026 0930" are visits.
  bool timestamp = yearFirst(text) && timestampAfter(w, end);
  if (timestamp) score = 0.15f;
  if (timestamp && w.clinical && !cueBefore(w, start, 5, kComparisons)) {
    // ... but in a clinical document the time of a patient's event ("specimen_collected":
    // "2024-09-21T23:47:00", a pump's alarm) beside the patient's other identifiers.
    addCorroboratedFinding(out, PhiType::kDate, start, end, 0.6f);
    return;
  }
  // A log line's own timestamp: the words of the line before it are no cue of it.
  if (timestamp && (start == w.begin() || w.at(start - 1) == '\n')) {
    addFinding(out, PhiType::kDate, start, end, score);
    return;
  }
  // "naissance=1972-06-12", "dob=1961-02-14" in a log line: the key names a birth.
  static const std::vector<std::string_view> kBirthKeys = {"dob", "birth", "naissance",
                                                           "nacimiento", "geburt"};
  if (start > w.begin() + 1 && w.at(start - 1) == '=' && isAlpha(w.at(start - 2)) &&
      cueBefore(w, start, 16, kBirthKeys)) {
    addFinding(out, PhiType::kDate, start, end, 0.8f);
    return;
  }
  if (cueBefore(w, start, 5, kComparisons)) {
    addFinding(out, PhiType::kDate, start, end, score);
    return;
  }
  // "discharge_ts BETWEEN '2025-07-01' AND '2026-06-30'": a literal in a query.
  static const std::vector<std::string_view> kQuery = {"between", " and '", ">", "<", "=", " in ("};
  if (start > w.begin() && w.at(start - 1) == '\'' && w.at(end) == '\'' &&
      cueBefore(w, start, 24, kQuery)) {
    addCorroboratedFinding(out, PhiType::kDate, start, end, score);
    return;
  }
  if (w.clinical) score += 0.2f;
  if (dateCueBefore(w, start, 40) && !cueBefore(w, start, 32, kDocumentDateCues)) {
    // "Lou Gehrig was diagnosed ... on June 19, 1939": a public figure's history; and care
    // more than 75 years ago, or a death more than 50 (HIPAA's limit), is history too.
    static const std::vector<std::string_view> kDeath = {"died", "death", "passed away",
                                                         "deceased"};
    static const std::vector<std::string_view> kBirth = {"dob", "birth", "born", "(b. "};
    auto history = [&] {
      return !cueBefore(w, start, 40, kBirth) &&
             (parsed->year < currentYear() - 75 ||
              (parsed->year < currentYear() - 50 && cueBefore(w, start, 40, kDeath)));
    };
    if (!strongFound(w) &&
        (history() || (w.names != nullptr && detect::publicFigureBefore(w, *w.names, start)))) {
      addCorroboratedFinding(out, PhiType::kDate, start, end, score + 0.4f);
    } else {
      addFinding(out, PhiType::kDate, start, end, score + 0.4f);
    }
    return;
  }
  // "02/11/2026: Neck pain persists": a dated entry of a chart or a chronology (not a log's
  // "2026-11-25 06:14:22").
  if (w.clinical && !yearFirst(text) && (start == w.begin() || w.at(start - 1) == '\n') &&
      (w.at(end) == ':' ||
       (w.at(end) == ' ' && (w.at(end + 1) == '-' || w.at(end + 1) == '\xE2')))) {
    addFinding(out, PhiType::kDate, start, end, score + 0.4f);
    return;
  }
  // "Giordano, Lucia 10/02/1967", "Tom Reyes 4/9/1958": a birth date right after a name, as
  // rosters, registries and worklists write it.
  if (parsed->year <= currentYear() - 10 && nameRightBefore(w, start)) {
    addFinding(out, PhiType::kDate, start, end, score + 0.4f);
    return;
  }
  if (cueBefore(w, start, 16, kWeakDateCues)) score += 0.1f;
  // Without a care or life-event word before it, a date may be a meeting's, a study's or a
  // policy's ("enrollment 3 March 2019", "Effective: 01/01/2027"): a person's only beside
  // another identifier.
  addCorroboratedFinding(out, PhiType::kDate, start, end, score);
}

void age(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  if (w.at(end - 1) == ')' || w.at(end - 1) == ',') --end;  // "(93 y)": the bracket is no age
  std::string_view rest = w.slice(end, end + 12);
  std::string lower = lowerCopy(rest);
  if (lower.rfind(" ago", 0) == 0 || lower.rfind(" old building", 0) == 0) return;
  // A year count that is clearly not about a person.
  static const std::vector<std::string_view> kNotAge = {"warranty", "lease", "anniversary",
                                                        "century", "ago"};
  if (cueBefore(w, start, 24, kNotAge)) return;
  char first = toLower(w.at(start));
  if (w.at(start + 1) == ',') {
    // ", 93," right after a person's name in capitals ("Gladys Onyango, 93,"), as a note
    // introduces its patient; not a list of counts ("lots 12, 93, 104").
    if (!nameRightBefore(w, start + 2, ',')) return;
    start += 3;
  } else if (first == 'i' || first == 't' || first == '\'') {
    // "is 101", "turned 95", "he's 91": a person right before the verb, and no unit or
    // fraction after the number ("she is 98.6", "he is 95 kg", "it is 92%", "she's 100%").
    static const std::vector<std::string_view> kPerson = {
        "mother", "father", "grandmother", "grandfather", "grandma",  "grandpa", "granny",
        "mom",    "dad",    "mum",         "aunt",        "uncle",    "wife",    "husband",
        "she",    "he",     "patient",     "pt",          "resident", "client"};
    std::string subject = wordBefore(w, start);
    if (std::find(kPerson.begin(), kPerson.end(), subject) == kPerson.end()) return;
    char after = w.at(end);
    if (after == '.' ? isDigit(w.at(end + 1)) : (after == '%' || after == '/' || isAlnum(after))) {
      return;
    }
    static const std::vector<std::string_view> kUnits = {
        " kg", " lb",  " pound", " mg",  " percent", " degree", " bpm", " mm",
        " cm", " min", " hour",  " day", " week",    " month",  " %"};
    for (std::string_view unit : kUnits) {
      if (lower.rfind(unit, 0) == 0) return;
    }
    while (!isDigit(w.at(start))) ++start;
  }
  // "Former President Jimmy Carter ... died December 29, 2024, at age 100": a public
  // figure's age.
  if (!strongFound(w) && w.names != nullptr && detect::publicFigureBefore(w, *w.names, start)) {
    addCorroboratedFinding(out, PhiType::kAge, start, end, 0.85f);
    return;
  }
  addFinding(out, PhiType::kAge, start, end, 0.85f);
}

}  // namespace

uint64_t postcodeEnd(const Window& w, uint64_t p) {
  auto upper = [&](uint64_t q) { return isUpper(w.at(q)); };
  auto digit = [&](uint64_t q) { return isDigit(w.at(q)); };
  auto done = [&](uint64_t q) { return isAlnum(w.at(q)) ? 0 : q; };
  // Canada: letter digit letter, digit letter digit; "A1A 1A1" is the format's example.
  if (upper(p) && digit(p + 1) && upper(p + 2)) {
    uint64_t q = p + 3 + (w.at(p + 3) == ' ' ? 1 : 0);
    bool example = w.at(p) == 'A' && w.at(p + 1) == '1' && w.at(p + 2) == 'A' && w.at(q) == '1' &&
                   w.at(q + 1) == 'A' && w.at(q + 2) == '1';
    if (digit(q) && upper(q + 1) && digit(q + 2)) return example ? 0 : done(q + 3);
  }
  // UK: an outward code of one or two letters, a digit and an optional letter or digit, a
  // space, then a digit and two letters (never C, I, K, M, O or V).
  uint64_t q = p;
  if (!upper(q)) return 0;
  q += upper(q + 1) ? 2 : 1;
  if (!digit(q)) return 0;
  ++q;
  if (isAlnum(w.at(q))) ++q;
  if (w.at(q) != ' ') return 0;
  ++q;
  auto inward = [&](uint64_t r) {
    return upper(r) && std::string_view("CIKMOV").find(w.at(r)) == std::string_view::npos;
  };
  if (!digit(q) || !inward(q + 1) || !inward(q + 2)) return 0;
  return done(q + 3);
}

namespace {

uint64_t eircodeEnd(const Window& w, uint64_t p) {
  // Ireland: a routing key (a letter and two digits, or "D6W"), a space, then four letters
  // and digits with at least one of each: "T12 E6Y2", "D13 W2N5", "F28 HX62".
  auto upper = [&](uint64_t q) { return isUpper(w.at(q)); };
  auto digit = [&](uint64_t q) { return isDigit(w.at(q)); };
  if (!upper(p) || !digit(p + 1) || !(digit(p + 2) || w.at(p + 2) == 'W') || w.at(p + 3) != ' ') {
    return 0;
  }
  int letters = 0;
  int digits = 0;
  for (uint64_t q = p + 4; q < p + 8; ++q) {
    letters += upper(q) ? 1 : 0;
    digits += digit(q) ? 1 : 0;
  }
  if (letters + digits != 4 || letters == 0 || digits == 0 || isAlnum(w.at(p + 8))) return 0;
  return p + 8;
}

}  // namespace

// Whether a capital of Latin-1 or Latin Extended-A starts at `p` in UTF-8: "\u00d8stergade",
// "\u0141\u00f3dzka".
bool upperLatinAt(const Window& w, uint64_t p) {
  auto b0 = static_cast<unsigned char>(w.at(p));
  auto b1 = static_cast<unsigned char>(w.at(p + 1));
  if (b0 < 0xC3 || b0 > 0xC5 || (b1 & 0xC0) != 0x80) return false;
  unsigned cp = ((b0 & 0x1Fu) << 6) | (b1 & 0x3Fu);
  if (cp < 0x100) return cp >= 0xC0 && cp <= 0xDE && cp != 0xD7;
  bool even = cp % 2 == 0;
  return (cp <= 0x137 && even) || (cp >= 0x139 && cp <= 0x148 && !even) ||
         (cp >= 0x14A && cp <= 0x177 && even) || cp == 0x178 || cp == 0x179 || cp == 0x17B ||
         cp == 0x17D;
}

uint64_t foreignPostalEnd(const Window& w, uint64_t p) {
  uint64_t e = p;
  while (e < w.end() && e < p + 6 && isDigit(w.at(e))) ++e;
  // "411 19 G\u00f6teborg", "101 00 Praha" (Sweden, Czechia, Slovakia); "61-848 Pozna\u0144".
  if (e - p == 3 && w.at(e) == ' ' && isDigit(w.at(e + 1)) && isDigit(w.at(e + 2)) &&
      !isAlnum(w.at(e + 3))) {
    return e + 3;
  }
  if (e - p == 2 && w.at(e) == '-' && isDigit(w.at(e + 1)) && isDigit(w.at(e + 2)) &&
      isDigit(w.at(e + 3)) && !isAlnum(w.at(e + 4))) {
    return e + 4;
  }
  if (e - p < 4 || e - p > 5) return 0;
  if (w.at(e) == '-' && isDigit(w.at(e + 1)) && isDigit(w.at(e + 2)) && isDigit(w.at(e + 3))) {
    e += 4;
    if (isDigit(w.at(e))) ++e;
  }
  return isAlnum(w.at(e)) ? 0 : e;
}

namespace {

void address(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out,
             bool foreign = false) {
  // Extend over ", Apt 4B", ", Springfield", ", IL 62701"; and elsewhere over a postcode and
  // its town (", 75002 Paris", ", London NW1 6XE").
  uint64_t p = end;
  // A gap of three spaces or more is a column's edge: "Minot ND 58701      Xarelto".
  auto skipSep = [&](uint64_t q) {
    uint64_t from = q;
    while (q < w.end() && (w.at(q) == ',' || w.at(q) == ' ')) ++q;
    return w.slice(from, q).find("   ") == std::string_view::npos ? q : from;
  };
  bool postal = false;  // elsewhere the town after the postal code ends the address
  // "1 Children's Way. Media check-in": a full street type's period ends a sentence; an
  // abbreviation's ("St. Louis", "Ave. Apt 4") does not.
  if (w.at(p - 1) == '.') {
    uint64_t word = p - 1;
    while (word > start && isAlpha(w.at(word - 1))) --word;
    static const std::vector<std::string_view> kAbbreviations = {
        "st", "ave", "av",   "rd", "blvd", "dr", "ln", "ct", "pl", "pkwy", "hwy", "cir", "ter",
        "sq", "trl", "cres", "mt", "ft",   "n",  "s",  "e",  "w",  "ne",   "nw",  "se",  "sw"};
    std::string type = lowerCopy(w.slice(word, p - 1));
    if (std::find(kAbbreviations.begin(), kAbbreviations.end(), type) == kAbbreviations.end()) {
      addContactFinding(w, out, PhiType::kAddress, start, p - 1, 0.8f);
      return;
    }
  }
  for (int part = 0; part < 4; ++part) {
    uint64_t q = skipSep(p);
    if (q == p) break;
    std::string_view rest = w.slice(q, q + 8);
    std::string lower = lowerCopy(rest);
    uint64_t e = q;
    // Elsewhere the floor and door too: "ap 72", "apto 1204", "3\u00ba B", "2.\u00ba Esq.".
    // ... "lgh 1102" (Sweden), "3. tv", "1. sal" (Denmark).
    bool danish_floor = rest.size() >= 5 && isDigit(rest[0]) && rest.substr(1, 2) == ". " &&
                        (lower.substr(3, 2) == "tv" || lower.substr(3, 2) == "th" ||
                         lower.substr(3, 2) == "mf" || lower.substr(3, 3) == "sal");
    bool floor = foreign && (lower.rfind("ap ", 0) == 0 || lower.rfind("ap.", 0) == 0 ||
                             lower.rfind("app", 0) == 0 || lower.rfind("int.", 0) == 0 ||
                             lower.rfind("piso", 0) == 0 || lower.rfind("esq", 0) == 0 ||
                             lower.rfind("lgh ", 0) == 0 || danish_floor ||
                             (isDigit(rest[0]) && rest.find("\xc2\xba") != std::string_view::npos &&
                              rest.find("\xc2\xba") <= 3));
    if (floor || lower.rfind("apt", 0) == 0 || lower.rfind("suite", 0) == 0 ||
        lower.rfind("unit", 0) == 0 || lower.rfind("ste", 0) == 0 || rest.rfind("#", 0) == 0) {
      while (e < w.end() && !isSpace(w.at(e)) && w.at(e) != ',') ++e;
      while (e < w.end() && w.at(e) == ' ') ++e;
      while (e < w.end() && isAlnum(w.at(e))) ++e;
    } else if (isDigit(w.at(q))) {
      if (foreign) {
        e = foreignPostalEnd(w, q);
        if (e == 0) break;
        postal = true;
      } else {
        while (e < w.end() && (isDigit(w.at(e)) || w.at(e) == '-')) ++e;
        if (!v::isValidZip(w.slice(q, e))) break;
      }
    } else if (isUpper(w.at(q))) {
      int words = 0;
      while (words < 3 && e < w.end() && isUpper(w.at(e))) {
        if (uint64_t pc = std::max(postcodeEnd(w, e), eircodeEnd(w, e)); pc != 0) {
          e = pc;
          break;
        }
        // Town names elsewhere take letters beyond ASCII ("Bogot\u00e1", "K\u00f6ln"), and
        // hyphens anywhere ("Stoke-on-Trent", "Saint-Jean-sur-Richelieu").
        while (e < w.end() &&
               (isAlpha(w.at(e)) || (foreign && static_cast<unsigned char>(w.at(e)) >= 0x80) ||
                (w.at(e) == '-' && e > q && isAlpha(w.at(e + 1))))) {
          ++e;
        }
        ++words;
        // Mexico's neighbourhood goes on past its abbreviation: "Col. Libertad".
        if (w.at(e) == '.' && w.at(e + 1) == ' ' && isUpper(w.at(e + 2)) && words == 1 &&
            (lowerCopy(w.slice(q, e)) == "col" || lowerCopy(w.slice(q, e)) == "fracc")) {
          e += 2;
        } else if (w.at(e) == ' ' && isUpper(w.at(e + 1)) && !v::isUsState(w.slice(e + 1, e + 3))) {
          ++e;
        } else {
          break;
        }
      }
    } else {
      break;
    }
    if (e == q) break;
    p = e;
    if (postal && !isDigit(w.at(q))) break;
  }
  addContactFinding(w, out, PhiType::kAddress, start, p, 0.8f);
}

}  // namespace

void writtenAge(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  // Spanish, Portuguese and French ("noventa y dos años", "noventa e um anos", "nonante-trois
  // ans", "quatre-vingt-dix-sept ans"): the number's other words, at most two, then the unit.
  if (char first = toLower(w.at(start)); first == 'q' || toLower(w.at(start + 1)) == 'o') {
    uint64_t p = end;
    for (int words = 0; words <= 2; ++words) {
      std::string unit = lowerCopy(w.slice(p, p + 7));
      for (std::string_view tail : {" a\xc3\xb1os", " anos", " ans"}) {
        if (unit.rfind(tail, 0) == 0 && !isAlnum(w.at(p + tail.size()))) {
          addFinding(out, PhiType::kAge, start, p + tail.size(), 0.8f);
          return;
        }
      }
      if (w.at(p) != ' ' && w.at(p) != '-') return;
      uint64_t e = p + 1;
      while (e < w.end() && e < p + 10 && (isAlpha(w.at(e)) || (w.at(e) & 0x80) != 0)) ++e;
      if (e == p + 1) return;
      p = e;
    }
    return;
  }
  // "ninety", "ninety-six", "ninety six", "one hundred", "one hundred and two".
  static const std::vector<std::string_view> kUnits = {"one", "two",   "three", "four", "five",
                                                       "six", "seven", "eight", "nine"};
  auto unitAt = [&](uint64_t p) -> uint64_t {
    uint64_t e = p;
    while (e < w.end() && e < p + 6 && isAlpha(w.at(e))) ++e;
    std::string word = lowerCopy(w.slice(p, e));
    bool unit = std::find(kUnits.begin(), kUnits.end(), word) != kUnits.end();
    return unit && !isAlnum(w.at(e)) ? e : 0;
  };
  uint64_t e = end;
  if (toLower(w.at(start)) == 'n') {
    if (w.at(e) == '-' || w.at(e) == ' ') {
      if (uint64_t u = unitAt(e + 1); u != 0) e = u;
    }
  } else if (lowerCopy(w.slice(e, e + 5)) == " and ") {
    if (uint64_t u = unitAt(e + 5); u != 0) e = u;
  }
  // An age only with the words around it: "... years old", "aged ...", or between commas
  // after a name ("Eleanor Whitcombe, ninety-six, dx CHF").
  std::string after = lowerCopy(w.slice(e, e + 6));
  bool years = after.rfind("-year", 0) == 0 || after.rfind(" year", 0) == 0 ||
               after.rfind(" yo", 0) == 0 || after.rfind(" y/o", 0) == 0;
  static const std::vector<std::string_view> kAged = {"aged ", "age "};
  bool aged = cueBefore(w, start, 6, kAged);
  bool appositive = false;
  if (start >= w.begin() + 3 && w.at(start - 1) == ' ' && w.at(start - 2) == ',' &&
      w.at(e) == ',') {
    uint64_t b = start - 2;
    while (b > w.begin() && isAlpha(w.at(b - 1))) --b;
    appositive = b < start - 2 && isUpper(w.at(b));
  }
  if (!years && !aged && !appositive) return;
  addFinding(out, PhiType::kAge, start, e, 0.8f);
}

namespace {

// Places that identify nobody: countries, continents and regions ("moved from Ghana", "lives
// in Southeast Asia", data/regions.txt). A state is one too (isUsStateName()).
bool countryOrRegion(std::string_view place) {
  static const std::unordered_set<std::string_view> kPlaces = [] {
    std::unordered_set<std::string_view> places;
    forEachLine(embeddedData("regions.txt"), [&](std::string_view line) { places.insert(line); });
    return places;
  }();
  return kPlaces.count(place) > 0 || v::isUsStateName(place);
}

// Words of a capitalised phrase that make it no town: a month or a day ("came home in
// March"), or a kind of housing ("lives in Assisted Living", "Section 8").
bool notTownWord(std::string_view word) {
  static const std::unordered_set<std::string_view> kWords = {
      "January", "February",  "March",    "April",    "May",       "June",       "July",
      "August",  "September", "October",  "November", "December",  "Jan",        "Feb",
      "Mar",     "Apr",       "Jun",      "Jul",      "Aug",       "Sep",        "Sept",
      "Oct",     "Nov",       "Dec",      "Monday",   "Tuesday",   "Wednesday",  "Thursday",
      "Friday",  "Saturday",  "Sunday",   "Assisted", "Living",    "Memory",     "Senior",
      "Housing", "Section",   "Shelter",  "Home",     "Homes",     "Facility",   "Unit",
      "Ward",    "Room",      "Building", "Tower",    "Apartment", "Apartments", "Apt",
      "English", "Spanish",   "The",      "His",      "Her",       "Their",      "Our"};
  return kWords.count(word) > 0 || organisationWord(word);
}

}  // namespace

void cityAfterResidenceCue(const Window& w, const NameData& names, uint64_t start, uint64_t end,
                           std::vector<Finding>& out) {
  if (w.general && !w.clinical) return;  // "born in Springfield, Illinois" in a history question
  if (start > w.begin() && isAlnum(w.at(start - 1))) return;  // "chrome in"
  // One to three capitalised words, then ", " and a state: "born in Lima, Ohio", "moved to
  // Bowling Green, KY", "grew up in St. Cloud, Minnesota"; not a public figure's ("his
  // home in Plains, Georgia").
  uint64_t p = end;
  while (p < w.end() && p < end + 3 && w.at(p) == ' ') ++p;
  uint64_t city = p;
  uint64_t city_end = p;
  int town_words = 0;     // title-case words, none of them a month or housing
  int english_words = 0;  // ... of which English words ("Grand", "Rapids")
  bool town = true;
  for (int words = 0; words < 3 && isUpper(w.at(p)); ++words) {
    uint64_t e = p;
    while (e < w.end() && (isAlpha(w.at(e)) || w.at(e) == '.' || w.at(e) == '-')) ++e;
    city_end = e;
    std::string_view word = w.slice(p, e);
    town = town && word.size() >= 3 &&
           std::all_of(word.begin() + 1, word.end(),
                       [](char c) { return isLower(c) || c == '.' || c == '-'; }) &&
           !notTownWord(word);
    ++town_words;
    if (names.englishWord(word)) ++english_words;
    if (w.at(e) != ' ') break;
    p = e + 1;
  }
  if (city_end == city) return;
  if (w.at(city_end) == ',' && w.at(city_end + 1) == ' ') {
    uint64_t state = city_end + 2;
    bool named = false;
    for (uint64_t e = state, words = 0; words < 2 && isUpper(w.at(e)); ++words) {
      while (e < w.end() && isAlpha(w.at(e))) ++e;
      if (!isAlpha(w.at(e)) && v::isUsStateName(w.slice(state, e))) named = true;
      if (w.at(e) != ' ') break;
      ++e;
    }
    bool code = v::isUsState(w.slice(state, state + 2)) && !isAlnum(w.at(state + 2));
    if (named || code) {
      if (!publicFigureBefore(w, names, start)) {
        addFinding(out, PhiType::kAddress, city, city_end, 0.75f);
      }
      return;
    }
  }
  // A town alone, in clinical text ("lives alone in Brookline", "her home in Newton"): not
  // a country, a state or a month, nor one English word, nor a public figure's ("his home
  // in Plains"), and only beside the patient's other identifiers.
  if (!w.clinical || !town || (town_words == 1 && english_words == 1) ||
      countryOrRegion(w.slice(city, city_end)) || publicFigureBefore(w, names, start)) {
    return;
  }
  addCorroboratedFinding(out, PhiType::kAddress, city, city_end, 0.7f);
}

void streetAddress(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  if (w.at(start) == ' ') ++start;  // " St": the literal carries the space before the suffix
  if (start == w.begin() || isAlnum(w.at(end)) ||
      (w.at(start - 1) != ' ' && w.at(start - 1) != '\t')) {
    return;
  }
  // Back over 1-4 words ("North Main") to a house number of 1-6 digits.
  uint64_t p = start - 1;
  for (int words = 0; words < 5 && p > w.begin(); ++words) {
    uint64_t e = p;
    uint64_t s = e;
    while (s > w.begin() && (isAlnum(w.at(s - 1)) || w.at(s - 1) == '\'' || w.at(s - 1) == '.' ||
                             w.at(s - 1) == '-')) {
      --s;
    }
    while (s < e && !isAlnum(w.at(s))) ++s;  // a quote before it: '5017 Ridgewood Ave'
    if (s == e) return;
    std::string_view word = w.slice(s, e);
    bool number = word.size() <= 6 && std::all_of(word.begin(), word.end(), isDigit);
    if (number && words > 0) {
      if (s > w.begin() && (isAlnum(w.at(s - 1)) || w.at(s - 1) == '-' || w.at(s - 1) == '.')) {
        return;
      }
      uint64_t e2 = end + (w.at(end) == '.' ? 1 : 0);
      size_t from = out.size();
      address(w, s, e2, out);
      // A clinic's or a community centre's own address.
      if (!strongFound(w) && organisationBefore(w, s)) corroborateSince(out, from);
      return;
    }
    if (!isUpper(word[0]) && !isDigit(word[0])) return;
    if (s == w.begin() || (w.at(s - 1) != ' ' && w.at(s - 1) != '\t')) return;
    p = s - 1;
  }
}

// "12 rue de la Paix", "Calle Mayor 12", "Rua das Flores, 123", "Hauptstra\u00dfe 5",
// "Berliner Str. 12": a street type with its name and a house number, before or after.
void streetAhead(const Window& w, Cue cue, uint64_t start, uint64_t end,
                 std::vector<Finding>& out) {
  uint64_t s = start;
  if (cue == Cue::kStreetInWord) {
    // The name the type ends ("Haupt" of "Hauptstra\u00dfe", "N\u00f8rrebro" of
    // "N\u00f8rrebrogade"), or the word before it.
    auto letter = [&](uint64_t q) {
      return isAlpha(w.at(q)) || static_cast<unsigned char>(w.at(q)) >= 0x80;
    };
    while (s > w.begin() && letter(s - 1)) --s;
    if (s == start && s > w.begin() + 1 && w.at(s - 1) == ' ') {
      --s;
      while (s > w.begin() && letter(s - 1)) --s;
    }
    if (!(isUpper(w.at(s)) || upperLatinAt(w, s)) || s == start) return;
    uint64_t e = end;
    uint64_t digits = e;
    while (e < w.end() && e < digits + 4 && isDigit(w.at(e))) ++e;
    if (e == digits) return;
    if (isAlpha(w.at(e)) && !isAlpha(w.at(e + 1))) ++e;  // "5a"
    if (isAlnum(w.at(e))) return;
    address(w, s, e, out, true);
    return;
  }
  if (s > w.begin() && isAlnum(w.at(s - 1))) return;
  // The name: capitalised words and the particles between them ("de la", "das", "del").
  static const std::vector<std::string_view> kParticles = {
      "de", "la", "le",  "les",   "del",   "las", "los", "das", "dos", "da",  "do",
      "di", "du", "des", "della", "delle", "dei", "y",   "e",   "van", "von", "der"};
  uint64_t p = end;
  uint64_t name_end = 0;
  for (int words = 0; words < 6; ++words) {
    uint64_t e = p;
    while (e < w.end() && (isAlpha(w.at(e)) || w.at(e) == '\'' || w.at(e) == '-' ||
                           static_cast<unsigned char>(w.at(e)) >= 0x80)) {
      ++e;
    }
    if (e == p) break;
    std::string_view word = w.slice(p, e);
    bool capital =
        isUpper(word[0]) || (word.size() > 2 && word[1] == '\'' && isUpper(word[2]));  // "d'Alsace"
    if (capital) {
      name_end = e;
    } else if (std::find(kParticles.begin(), kParticles.end(), lowerCopy(word)) ==
               kParticles.end()) {
      break;
    }
    if (w.at(e) != ' ') break;
    p = e + 1;
  }
  if (name_end == 0) {
    // "Calle 14 #23-56", "Carrera 7 No. 45-10": streets numbered, as in Colombia.
    uint64_t q = end;
    while (q < w.end() && q < end + 4 && isDigit(w.at(q))) ++q;
    if (q == end || isDigit(w.at(q))) return;
    if (isUpper(w.at(q)) && !isAlpha(w.at(q + 1))) ++q;  // "Calle 14A"
    uint64_t r = q;
    while (w.at(r) == ' ') ++r;
    if (w.at(r) == '#') {
      ++r;
    } else if (lowerCopy(w.slice(r, r + 3)) == "no.") {
      r += 3;
    } else {
      return;
    }
    while (w.at(r) == ' ') ++r;
    uint64_t e = r;
    while (e < w.end() && e < r + 8 && (isAlnum(w.at(e)) || w.at(e) == '-')) ++e;
    if (e == r || !isDigit(w.at(r))) return;
    size_t from = out.size();
    address(w, start, e, out, true);
    if (!strongFound(w) && organisationBefore(w, start)) corroborateSince(out, from);
    return;
  }
  // The house number after the name ("Mayor 12", "Flores, 123", "Paulista, n\u00ba 1578"),
  // or before the type ("12 rue", "12, rue", "12 bis rue").
  uint64_t q = name_end;
  if (w.at(q) == ',') ++q;
  while (q < w.end() && q < name_end + 3 && w.at(q) == ' ') ++q;
  for (std::string_view marker : {"n\u00ba", "n\u00b0", "no.", "nr.", "n."}) {
    if (lowerCopy(w.slice(q, q + marker.size())) == marker) {
      q += marker.size();
      while (w.at(q) == ' ') ++q;
      break;
    }
  }
  uint64_t digits = q;
  while (q < w.end() && q < digits + 5 && isDigit(w.at(q))) ++q;
  // "ul. D\u0142uga 1/2": a building and its flat.
  if (q > digits && w.at(q) == '/' && isDigit(w.at(q + 1))) {
    q += 2;
    while (q < w.end() && isDigit(w.at(q))) ++q;
  }
  uint64_t first = start;
  bool before = false;
  // Only French puts the number before the type ("12 rue", "4 bis avenue"); elsewhere a
  // number before it is a day or a count ("November 12 via ...").
  std::string type = lowerCopy(w.slice(start, end));
  bool french = type == "rue " || type == "avenue " || type == "boulevard " || type == "chemin " ||
                type == "impasse " || type.rfind("all", 0) == 0;
  if (french) {
    uint64_t b = start;
    while (b > w.begin() && b + 8 > start && (w.at(b - 1) == ' ' || w.at(b - 1) == ',')) --b;
    uint64_t word_end = b;
    while (b > w.begin() && isAlpha(w.at(b - 1))) --b;
    if (lowerCopy(w.slice(b, word_end)) == "bis" || lowerCopy(w.slice(b, word_end)) == "ter") {
      while (b > w.begin() && w.at(b - 1) == ' ') --b;
      word_end = b;
    }
    uint64_t n = word_end;
    while (n > w.begin() && word_end - n < 5 && isDigit(w.at(n - 1))) --n;
    if (n < word_end && (n == w.begin() || !isAlnum(w.at(n - 1)))) {
      first = n;
      before = true;
    }
  }
  uint64_t e = name_end;
  if (q > digits && !isDigit(w.at(q))) {
    e = q;
    if (isAlpha(w.at(e)) && !isAlpha(w.at(e + 1))) ++e;  // "12B"
    if (isAlnum(w.at(e))) e = name_end;
  }
  if (!before && e == name_end) return;
  size_t from = out.size();
  address(w, first, e, out, true);
  // A Polish institution heads its letters with its "ul." as often as a patient's is
  // given: a person's beside their other identifiers.
  if (!strongFound(w) && (organisationBefore(w, first) || type == "ul. ")) {
    corroborateSince(out, from);
  }
}

void ruralBox(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  // The box number: digits and a letter ("19A").
  uint64_t e = end;
  while (e < w.end() && e < end + 5 && isDigit(w.at(e))) ++e;
  if (e == end) return;
  if (isUpper(w.at(e)) && !isAlnum(w.at(e + 1))) ++e;
  if (isAlnum(w.at(e))) return;
  // The route's number and its kind before " Box": "RR 1", "HC 2,", "Rural Route 3".
  uint64_t b = start;
  if (b > w.begin() && w.at(b - 1) == ',') --b;
  uint64_t digits = b;
  while (b > w.begin() && digits - b < 3 && isDigit(w.at(b - 1))) --b;
  if (b == digits || b < w.begin() + 3 || w.at(b - 1) != ' ') return;
  --b;
  static const std::vector<std::string_view> kRoutes = {
      "rr", "r.r.", "rural route", "hc", "hcr", "h.c.", "rt", "rt.", "rte", "route", "star route"};
  for (std::string_view kind : kRoutes) {
    if (b < w.begin() + kind.size()) continue;
    uint64_t s = b - kind.size();
    if (lowerCopy(w.slice(s, b)) != kind || (s > w.begin() && isAlnum(w.at(s - 1)))) continue;
    address(w, s, e, out);
    return;
  }
}

namespace {

void zipState(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  std::string_view text = w.slice(start, end);
  if (!v::isUsState(text.substr(0, 2))) return;
  size_t digits = text.find_first_of("0123456789");
  if (!v::isValidZip(text.substr(digits))) return;
  // Pull in the city: "Springfield, IL 62701".
  uint64_t s = start;
  if (w.at(s - 1) == ' ' && w.at(s - 2) == ',') {
    uint64_t q = s - 2;
    int words = 0;
    while (words < 3 && q > w.begin() && isAlpha(w.at(q - 1))) {
      uint64_t e = q;
      while (q > w.begin() && isAlpha(w.at(q - 1))) --q;
      if (!isUpper(w.at(q))) {
        q = e;
        break;
      }
      ++words;
      s = q;
      if (w.at(q - 1) == ' ' && isUpper(w.at(q - 2)) == false && isAlpha(w.at(q - 2))) break;
      if (w.at(q - 1) != ' ') break;
      --q;
    }
  }
  // Without a city before it, "ID 40021" is as likely an identifier label and a number.
  if (s == start) {
    addCorroboratedFinding(out, PhiType::kAddress, s, end, 0.75f);
    return;
  }
  addContactFinding(w, out, PhiType::kAddress, s, end, 0.75f);
}

}  // namespace

// "Addr 14 Brudenell Mount, Leeds LS6 1HU", "BD8 7QH" in a screening list: a postcode
// alone, with the town just before it.
void postcode(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  if (postcodeEnd(w, start) != end || embedded(w, start, end)) return;
  // The town: up to three capitalised words right before it ("Leeds", "Milton Keynes").
  uint64_t s = start;
  for (int words = 0; words < 3; ++words) {
    uint64_t q = s;
    if (q < w.begin() + 2 || w.at(q - 1) != ' ') break;
    --q;
    // "Leeds, LS6 1HU"; but a comma before a town's word ends the town ("Mount, Leeds").
    bool comma = w.at(q - 1) == ',';
    if (comma && words > 0) break;
    q -= comma ? 1 : 0;
    uint64_t e = q;
    while (q > w.begin() && (isAlpha(w.at(q - 1)) || w.at(q - 1) == '-')) --q;
    if (q == e || !isUpper(w.at(q)) || (q > w.begin() && isAlnum(w.at(q - 1)))) break;
    s = q;
    if (comma) break;
  }
  // A format's example: "Postal code for area, e.g. LS1 4HR".
  static const std::vector<std::string_view> kExample = {"e.g.",    "eg ",     "eg.",
                                                         "example", "such as", "format"};
  if (cueBefore(w, s, 16, kExample)) return;
  // Most often a street comes before it, which address() reads; alone, it counts only beside
  // another identifier.
  addCorroboratedFinding(out, PhiType::kAddress, s, end, 0.75f);
}

// exiftool's "Date/Time Original : 2024:06:02 18:41:07" and "GPS Latitude : 43 deg 39'
// 12.84\" N": when and where a photo was taken. A patient's beside the patient's other
// identifiers; alone, a marketing shot's or a sample image's.
void exif(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  if (embedded(w, start, end)) return;
  bool angle = w.slice(start, end).find(" deg ") != std::string_view::npos;
  if (!angle) {
    std::string date(w.slice(start, start + 10));
    std::replace(date.begin(), date.end(), ':', '-');
    if (!v::parseDate(date)) return;
  } else {
    static const std::vector<std::string_view> kGps = {"gps", "latitude", "longitude"};
    if (!cueBefore(w, start, 48, kGps)) return;
  }
  addCorroboratedFinding(out, angle ? PhiType::kAddress : PhiType::kDate, start, end, 0.8f);
}

// "Evac point 42.6883 N, 109.2712 W", "GPS: -19.6204, 146.8731": a place to within metres,
// where someone is or lives (HIPAA counts every place smaller than a state). A waypoint's, a
// base's or a platform's position is a route's or a site's, and so is every position of a
// list that such a word opens ("Waypoints: 50°02'N 005°03'W, 47°00'N 012°00'W, ..."). A
// decimal pair with neither a hemisphere nor a degree sign is a place only after a word of
// place ("0.9123, 0.8876" is a metric's). Outside a clinical document, a place counts only
// beside another identifier.
void coordinates(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  if (embedded(w, start, end)) return;
  std::string_view text = w.slice(start, end);
  // The two angles: the first number and the first after the separator between them.
  auto number = [](std::string_view t, size_t& i) {
    size_t from = i;
    if (i < t.size() && t[i] == '-') ++i;
    while (i < t.size() && (isDigit(t[i]) || t[i] == '.')) ++i;
    return std::abs(std::strtod(std::string(t.substr(from, i - from)).c_str(), nullptr));
  };
  size_t i = 0;
  double latitude = number(text, i);
  bool degrees = text.find("\xc2\xb0") != std::string_view::npos;
  size_t second = degrees ? text.find_first_of("NS") : i;
  while (second < text.size() && !isDigit(text[second]) && text[second] != '-') ++second;
  double longitude = number(text, second);
  if (latitude > 90 || longitude > 180) return;
  bool hemisphere = text.find_first_of("NSEW") != std::string_view::npos;
  // The start of the list the position is in: back over the positions before it.
  uint64_t first = start;
  for (int items = 0; items < 8; ++items) {
    uint64_t q = first;
    while (q > w.begin() && first - q < 4 &&
           (w.at(q - 1) == ' ' || w.at(q - 1) == ',' || w.at(q - 1) == ';')) {
      --q;
    }
    if (q == first || q == w.begin() || (w.at(q - 1) != 'E' && w.at(q - 1) != 'W')) break;
    uint64_t p = q - 1;
    while (p > w.begin() && q - p < 40 && !isAlpha(w.at(p - 1)) && w.at(p - 1) != '\n') --p;
    while (p > w.begin() && (w.at(p - 1) == 'N' || w.at(p - 1) == 'S')) {
      --p;
      while (p > w.begin() && q - p < 40 && !isAlpha(w.at(p - 1)) && w.at(p - 1) != '\n') --p;
    }
    first = p;
  }
  static const std::vector<std::string_view> kSite = {
      "waypoint",  "base ",    "base:",  "platform", "rig ",     "station", "heliport",
      "airport",   "airfield", "route",  "centred",  "centered", "buoy",    "harbo",
      "anchorage", "port ",    "vessel", "wreck",    "epicent"};
  if (cueBefore(w, first, 48, kSite)) return;
  static const std::vector<std::string_view> kPlace = {
      "gps",    "coordinates", "coords",   "position", "location", "located", "lat ",     "lat:",
      "lat/",   "lat=",        "latitude", "evac",     "pickup",   "pick-up", "pin ",     "pin:",
      "pinned", "@",           "where",    "found at", "punto",    "posici",  "standort", "lz "};
  if (!hemisphere && !degrees && !cueBefore(w, start, 64, kPlace)) return;
  if (w.clinical) {
    addFinding(out, PhiType::kAddress, start, end, 0.75f);
  } else {
    addCorroboratedFinding(out, PhiType::kAddress, start, end, 0.75f);
  }
}

void formatRule(const Window& w, Rule rule, uint64_t start, uint64_t end,
                std::vector<Finding>& out) {
  std::string_view text = w.slice(start, end);
  // A stand-alone token that passes its validator becomes a finding of `type`.
  auto accept = [&](bool valid, PhiType type, float score) {
    if (valid && !embedded(w, start, end)) addFinding(out, type, start, end, score);
  };
  switch (rule) {
    case Rule::kSsn: accept(v::isValidSsn(text), PhiType::kSsn, 0.9f); return;
    case Rule::kPhone: {
      static const std::vector<std::string_view> kFax = {"fax"};
      bool fax = cueBefore(w, start, 32, kFax);
      if (!v::isValidNanpPhone(text) || examplePhone(text) || embedded(w, start, end)) return;
      addContactFinding(w, out, fax ? PhiType::kFax : PhiType::kPhone, start, end, 0.8f);
      return;
    }
    case Rule::kDateNumeric:
    case Rule::kDateText:
    case Rule::kDateMonthYear: date(w, rule, start, end, out); return;
    case Rule::kDateNoYear:
    case Rule::kDateForeign: yearlessOrForeignDate(w, rule, start, end, out); return;
    case Rule::kDateMonthDay: monthDay(w, start, end, out); return;
    case Rule::kDateOrdinal: ordinalDate(w, start, end, out); return;
    case Rule::kDateEastAsian: eastAsianDate(w, start, end, out); return;
    case Rule::kCoordinates: coordinates(w, start, end, out); return;
    case Rule::kPostcode: postcode(w, start, end, out); return;
    case Rule::kExif: exif(w, start, end, out); return;
    case Rule::kAge: age(w, start, end, out); return;
    case Rule::kCard: accept(v::isValidCard(text), PhiType::kAccount, 0.85f); return;
    case Rule::kIpv4: {
      static const std::vector<std::string_view> kIpCues = {"from",   "login",  "logged", "access",
                                                            "client", "device", "user",   "ip"};
      // "1.2.3.4" with every part a single digit is a version string more often than a host.
      bool version_like = text.size() == 7;
      float score = v::isPrivateIpv4(text) || version_like ? 0.5f : 0.75f;
      if (v::isPrivateIpv4(text) && (w.clinical || cueBefore(w, start, 24, kIpCues))) score = 0.7f;
      // A document's numbered part: "Table 14.3.1.2", "Section 10.1.2.3".
      static const std::vector<std::string_view> kSections = {
          "table ", "section ", "figure ", "listing ", "appendix ", "clause ", "\xc2\xa7"};
      if (!v::isValidIpv4(text) || cueBefore(w, start, 12, kVersionCues) ||
          cueBefore(w, start, 10, kSections) || embedded(w, start, end)) {
        return;
      }
      // A private or documentation address is a workstation's or a server's, and so is one
      // a log names as its network's ("egress NAT: 34.117.59.81", "upstream=", "dns"): a
      // person's only beside another identifier.
      static const std::vector<std::string_view> kInfrastructure = {
          "nat ",  "nat:", "nat=",       "egress",   "gateway",       "upstream",
          "proxy", "dns",  "nameserver", "firewall", "load balancer", "server"};
      if (v::isPrivateIpv4(text) || cueBefore(w, start, 24, kInfrastructure)) {
        addCorroboratedFinding(out, PhiType::kIp, start, end, score);
      } else {
        addFinding(out, PhiType::kIp, start, end, score);
      }
      return;
    }
    case Rule::kIpv6: {
      // The "::" form is matched from its "::"; the groups before it are taken here.
      auto hex = [](char c) { return isDigit(c) || (toLower(c) >= 'a' && toLower(c) <= 'f'); };
      uint64_t s = start;
      while (s > w.begin() && s + 40 > start && (hex(w.at(s - 1)) || w.at(s - 1) == ':')) --s;
      if (s != start) {
        formatRule(w, rule, s, end, out);
        return;
      }
      size_t colons = 0;
      bool hex_letter = false;
      for (char c : text) {
        colons += c == ':' ? 1 : 0;
        hex_letter = hex_letter || isAlpha(c);
      }
      bool compressed = text.find("::") != std::string_view::npos;
      bool shaped = colons >= 2 && (compressed || colons == 7) && (hex_letter || compressed);
      accept(shaped && v::isValidIpv6(text), PhiType::kIp, 0.75f);
      return;
    }
    case Rule::kZipState: zipState(w, start, end, out); return;
    case Rule::kMbi: accept(v::isValidMbi(text), PhiType::kHealthPlan, 0.85f); return;
    case Rule::kDea: {
      static const std::vector<std::string_view> kDea = {"dea", "prescriber", "registration"};
      // A prescriber's or a pharmacy's registration: PHI beside a patient's identifiers.
      if (v::isValidDea(text) && !embedded(w, start, end)) {
        addCorroboratedFinding(out, PhiType::kLicense, start, end,
                               cueBefore(w, start, 40, kDea) || w.clinical ? 0.85f : 0.6f);
      }
      return;
    }
    case Rule::kVin:
      // A vehicle's number is a fleet's or a dealer's as often as a patient's: on its own, a
      // person's only beside another identifier (after "VIN" see keywordCue()).
      if (v::isValidVin(text) && !embedded(w, start, end)) {
        addCorroboratedFinding(out, PhiType::kVehicle, start, end, 0.85f);
      }
      return;
    case Rule::kPhoneIntl: {
      // E.164 allows 8-15 digits; +1 numbers are the NANP pattern's.
      size_t digits = v::digitsOf(text).size();
      if (digits >= 8 && digits <= 15 && !embedded(w, start, end)) {
        addContactFinding(w, out, PhiType::kPhone, start, end, 0.75f);
      }
      return;
    }
    case Rule::kPhoneTrunk: {
      // Nine to eleven digits with the trunk '0'; a run of zeros is a form's example.
      std::string digits = v::digitsOf(text);
      // Nor the last groups of a parcel's tracking number ("Tracking 1Z 9X4 21E 03 5518 2290").
      static const std::vector<std::string_view> kParcel = {"tracking", "trk", "1z "};
      // "06 08 10 12 14": a French number's shape, five pairs, but a sequence (a list, a
      // schedule's days).
      if (text.size() == 14 && (text[2] == ' ' || text[2] == '.')) {
        int step = std::stoi(digits.substr(2, 2)) - std::stoi(digits.substr(0, 2));
        bool sequence = true;
        for (size_t i = 4; i < 10; i += 2) {
          sequence = sequence &&
                     std::stoi(digits.substr(i, 2)) - std::stoi(digits.substr(i - 2, 2)) == step;
        }
        if (sequence) return;
      }
      // A German mobile has twelve: "0176 5550 2291".
      bool german_mobile =
          digits.size() == 12 && digits.starts_with("01") && digits[2] >= '5' && digits[2] <= '7';
      if (((digits.size() >= 9 && digits.size() <= 11) || german_mobile) &&
          !embedded(w, start, end) && digits.find("000000") == std::string::npos &&
          !cueBefore(w, start, 24, kParcel)) {
        addContactFinding(w, out, PhiType::kPhone, start, end, 0.75f);
      }
      return;
    }
    case Rule::kBirthNumber: {
      if (embedded(w, start, end)) return;
      size_t sep = text.find_first_of("-+/");
      if (text[sep] == '/') {
        // Czech and Slovak: ten digits carry the mod-11 check; nine (before 1954) none, and
        // count only beside the person's other identifiers.
        if (sep != 6 || !v::isValidBirthNumber(text)) return;
        if (text.size() == 11) {
          addFinding(out, PhiType::kId, start, end, 0.8f);
        } else {
          addCorroboratedFinding(out, PhiType::kId, start, end, 0.75f);
        }
        return;
      }
      // "20261120-0300": a timestamp's date and its zone, not a person's number.
      if (sep == 8 && (std::stoi(std::string(text.substr(0, 4))) > currentYear() ||
                       (text.substr(sep + 3) == "00" &&
                        std::stoi(std::string(text.substr(sep + 1, 2))) <= 14))) {
        return;
      }
      if (text.size() - sep == 5 && v::isValidPersonnummer(text)) {
        addFinding(out, PhiType::kId, start, end, 0.8f);
      } else if (sep == 6 && text.size() == 11 && v::isValidCprNumber(text)) {
        // A Danish number has no check digit: beside the person's other identifiers.
        addCorroboratedFinding(out, PhiType::kId, start, end, 0.75f);
      }
      return;
    }
    case Rule::kDin: {
      // A unit's number is a donor's and its recipients' identifier, and an inventory's or
      // a shipment's line too: a person's only beside their other identifiers.
      if (!embedded(w, start, end)) addCorroboratedFinding(out, PhiType::kId, start, end, 0.8f);
      return;
    }
    case Rule::kMac: {
      static const std::vector<std::string_view> kDevice = {
          "mac", "device", "monitor", "pump", "wearable", "implant", "sensor"};
      accept(cueBefore(w, start, 40, kDevice), PhiType::kDevice, 0.8f);
      return;
    }
    case Rule::kMemberId: {
      // Three letters and eight or more digits are how health plans number their members,
      // and how shops number orders: a member's only near a word of membership.
      static const std::vector<std::string_view> kMembership = {
          "member", "miembro",  "membre",   "subscriber", "enrollee", "beneficiar", "insured",
          "plan",   "coverage", "medicaid", "medicare",   "policy",   "eligib"};
      // Not a log's key=value ("ctrlId=MSG00029381"), nor a trial's public registry number
      // ("NCT05889104").
      if (embedded(w, start, end) || (start > w.begin() && w.at(start - 1) == '=') ||
          text.starts_with("NCT")) {
        return;
      }
      if (cueBefore(w, start, 48, kMembership)) {
        addFinding(out, PhiType::kHealthPlan, start, end, 0.8f);
      } else if (w.clinical) {
        addCorroboratedFinding(out, PhiType::kHealthPlan, start, end, 0.7f);
      }
      return;
    }
    case Rule::kCaseNumber: {
      // "case ME25-01877", "ref LG-889102", "ticket PSUP-33018", "episodio #AHH-24-10073": a
      // case's, a referral's or a request's number is another unique identifier. Staff and
      // vendors file cases and tickets too: it counts only beside the patient's others.
      static const std::vector<std::string_view> kCaseWords = {
          "case",      "ref",       "ticket", "item",       "episod",  "code",
          "key",       "bag",       "trace",  "claim",      "request", "confirmation",
          "tracking",  "incident",  "report", "referral",   "auth",    "appeal",
          "accession", "encounter", "visit",  "expediente", "dossier", "caso",
          "grievance", "complaint", "docket", "client",     "screen",  "application",
          "inc#",      "inc #"};
      // Code systems and standards: "ICD-10-CM", "CPT-99213", "ISO-27001", "CVE-2024-3094".
      static const std::vector<std::string_view> kCodeSystems = {
          "ICD", "CPT", "DRG",    "NDC", "LOINC", "HCPCS", "RFC", "ISO",
          "CVE", "HL7", "SNOMED", "NCT", "SKU",   "IEC",   "ANSI"};
      // Hyperscan reports every end ("PRV-2025" of "PRV-2025-0142" too), not the start.
      if (w.at(end) == '-') return;
      start = end;
      while (start > w.begin() && end - start < 64 &&
             (isUpper(w.at(start - 1)) || isDigit(w.at(start - 1)) || w.at(start - 1) == '-')) {
        --start;
      }
      if (isDigit(w.at(start))) {
        // Digits only ("25-118204"): an incident's or a docket's number, after its word.
        static const std::vector<std::string_view> kNumbered = {"incident", "inc#",   "inc #",
                                                                "case",     "docket", "run #"};
        text = w.slice(start, end);
        size_t dash = text.find('-');
        size_t last = text.rfind('-');
        // "2024-US-031177": the letters between are a country's code.
        std::string_view middle = text.substr(dash + 1, last > dash ? last - dash - 1 : 0);
        bool letters = std::all_of(middle.begin(), middle.end(), [](char c) { return isUpper(c); });
        std::string_view tail = text.substr(last + 1);
        bool shaped = (dash == 2 || dash == 4) && tail.size() >= 5 && tail.size() <= 8 &&
                      std::all_of(tail.begin(), tail.end(), [](char c) { return isDigit(c); }) &&
                      letters && std::count(text.begin(), text.end(), '-') <= 2;
        if (shaped && !embedded(w, start, end) && cueBefore(w, start, 16, kNumbered)) {
          addCorroboratedFinding(out, PhiType::kId, start, end, 0.7f);
        }
        return;
      }
      if (!isUpper(w.at(start))) return;
      text = w.slice(start, end);
      if (std::count_if(text.begin(), text.end(), [](char c) { return isDigit(c); }) < 4 ||
          embedded(w, start, end)) {
        return;
      }
      std::string_view prefix = text.substr(0, text.find('-'));
      while (!prefix.empty() && isDigit(prefix.back())) prefix.remove_suffix(1);
      if (std::find(kCodeSystems.begin(), kCodeSystems.end(), prefix) != kCodeSystems.end()) {
        return;
      }
      if (cueBefore(w, start, 20, kCaseWords)) {
        addCorroboratedFinding(out, PhiType::kId, start, end, 0.7f);
      }
      return;
    }
    case Rule::kDateOcr: {
      // A fax read by OCR writes a zero as the letter O: "DOB: O6/O2/1948". Dates without
      // an O are kDateNumeric's.
      if (text.find('O') == std::string_view::npos || embedded(w, start, end)) return;
      std::string digits(text);
      std::replace(digits.begin(), digits.end(), 'O', '0');
      auto parsed = v::parseDate(digits);
      if (!parsed || parsed->year <= 1900 || parsed->year > currentYear() + 5) return;
      if (dateCueBefore(w, start, 40)) {
        addFinding(out, PhiType::kDate, start, end, 0.85f);
      } else if (w.clinical) {
        addCorroboratedFinding(out, PhiType::kDate, start, end, 0.6f);
      }
      return;
    }
    case Rule::kUdi:
      if (!v::isValidUdi(text)) return;
      // The device identifier alone ("(01)00850012345678") names a model, as in its manual;
      // with a lot or serial after it ("(21)PM88231"), one patient's device.
      if (w.at(end) != '(') {
        addCorroboratedFinding(out, PhiType::kDevice, start, end, 0.85f);
      } else {
        addFinding(out, PhiType::kDevice, start, end, 0.85f);
      }
      return;
  }
}

}  // namespace sluice::scanner::detect
