#include "names.h"

#include <algorithm>
#include <mutex>
#include <unordered_set>

#include "byte_classes.h"
#include "detectors.h"
#include "name_lexicon.h"
#include "rules.h"
#include "sluice/scanner/validators.h"

namespace sluice::scanner {

namespace {

// The length of the accented Latin letter in UTF-8 at `pos` ("n" with tilde in "Castaneda"),
// or 0; see latinLetterAt().
uint64_t latinLetter(const Window& w, uint64_t pos) {
  if (static_cast<unsigned char>(w.at(pos)) < 0xC3) return 0;
  std::string_view rest = w.slice(pos, pos + 3);
  return latinLetterAt(rest.data(), rest.size()).length;
}

// "s", "m", "ve", "ll" ... at `pos` after an apostrophe, ending a word: a possessive or a
// contraction ("Okafor's", "I'm", "we'll"), not a name's inner part ("O'Brien", "D'Souza").
bool contractionAt(const Window& w, uint64_t pos) {
  static const std::vector<std::string_view> kEndings = {"s", "m", "d", "t", "ve", "ll", "re"};
  for (std::string_view ending : kEndings) {
    if (w.slice(pos, pos + ending.size()) == ending && !isAlpha(w.at(pos + ending.size()))) {
      return true;
    }
  }
  return false;
}

// A word as it stands in text: letters (accented ones too) plus inner apostrophes/hyphens
// ("O'Brien", "Villalobos-Reyes").
uint64_t wordEnd(const Window& w, uint64_t pos) {
  while (pos < w.end()) {
    char c = w.at(pos);
    if (uint64_t n = latinLetter(w, pos); n != 0) {
      pos += n;
      continue;
    }
    bool inner =
        (c == '\'' || c == '-') && (isAlpha(w.at(pos + 1)) || latinLetter(w, pos + 1) != 0);
    if (!isAlpha(c) && !inner) break;
    // A possessive "'s" is not part of the name, nor a contraction's ending ("I'm", "I've").
    if (c == '\'' && contractionAt(w, pos + 1)) break;
    ++pos;
  }
  return pos;
}

// Where the word that ends at `end` starts: wordEnd() read backwards (letters, accented ones
// too, and inner apostrophes and hyphens).
uint64_t wordStart(const Window& w, uint64_t end) {
  uint64_t s = end;
  while (s > w.begin()) {
    char c = w.at(s - 1);
    if (isAlpha(c)) {
      --s;
    } else if (s >= w.begin() + 2 && latinLetter(w, s - 2) == 2) {
      s -= 2;
    } else if (s >= w.begin() + 3 && latinLetter(w, s - 3) == 3) {
      s -= 3;
    } else if ((c == '\'' || c == '-') && s < end && s - 1 > w.begin() &&
               (isAlpha(w.at(s - 2)) || static_cast<unsigned char>(w.at(s - 2)) >= 0x80)) {
      --s;
    } else {
      break;
    }
  }
  return s;
}

bool titleCase(std::string_view word) {
  if (word.size() < 2 || !upperStart(word)) return false;
  for (size_t i = 1; i < word.size(); ++i) {
    if (isUpper(word[i]) && word[i - 1] != '\'' && word[i - 1] != '-' &&
        !(i == 2 && word[0] == 'M' && word[1] == 'c')) {
      return false;
    }
  }
  return true;
}

// "Patient SSN: 536-22-1847", "JOHN SMITH DOB 01/02/1960": an identifier label written in
// capitals labels the value after it; it is never a name or part of one, although it is no
// English word either. The labels are the one-word keywords of the identifier cues (rules.cc):
// "SSN", "MRN", "DOB", "NPI", "ACCT", "VIN", ...
bool identifierLabel(std::string_view word) {
  constexpr size_t kMaxLabel = 4;
  static const std::vector<std::string> kLabels = [] {
    std::vector<std::string> labels;
    for (const Keyword& k : keywords()) {
      switch (k.cue) {
        case Cue::kMrn:
        case Cue::kHealthPlan:
        case Cue::kAccount:
        case Cue::kLicense:
        case Cue::kNpi:
        case Cue::kSsn:
        case Cue::kPhone:
        case Cue::kFax:
        case Cue::kDob:
        case Cue::kAge:
        case Cue::kVehicle:
        case Cue::kDevice:
        case Cue::kId:
        case Cue::kZip: break;
        default: continue;
      }
      if (k.text.size() > kMaxLabel || !std::all_of(k.text.begin(), k.text.end(), isAlpha)) {
        continue;
      }
      std::string upper(k.text);
      for (char& c : upper) c = isLower(c) ? static_cast<char>(c - 32) : c;
      labels.push_back(std::move(upper));
    }
    return labels;
  }();
  // The names of identifier schemes and cards, in any case: "Patient Medicare 2951 73841 1",
  // "Pt PESEL 92071314764", "NHI ZAC5124".
  static const std::unordered_set<std::string_view> kSchemes = {
      "medicare", "medicaid", "medi-cal", "tricare", "champva", "philhealth", "pesel",
      "aadhaar",  "nric",     "nhi",      "ihi",     "abha",    "curp",       "cpf",
      "dni",      "nie",      "bsn",      "amka",    "svnr",    "ahv",        "passport",
      "ssn",      "mrn",      "dob",      "pid"};
  if (word.size() >= 3 && word.size() <= 10 && isUpper(word[0])) {
    char lower[10];
    for (size_t i = 0; i < word.size(); ++i) lower[i] = toLower(word[i]);
    if (kSchemes.count(std::string_view(lower, word.size())) != 0) return true;
  }
  if (word.size() > kMaxLabel || !std::all_of(word.begin(), word.end(), isUpper)) return false;
  return std::find(kLabels.begin(), kLabels.end(), word) != kLabels.end();
}

// The capitalised word that starts at `pos` after skipping spaces, or an empty range.
struct Word {
  uint64_t start = 0;
  uint64_t end = 0;
  std::string_view text;
};

Word nextWord(const Window& w, uint64_t pos) {
  uint64_t p = pos;
  int spaces = 0;
  while (p < w.end() && (w.at(p) == ' ' || w.at(p) == '\t') && spaces < 3) {
    ++p;
    ++spaces;
  }
  if (spaces == 0 || (!isAlpha(w.at(p)) && latinLetter(w, p) == 0)) return {};
  uint64_t e = wordEnd(w, p);
  return {p, e, w.slice(p, e)};
}

Word prevWord(const Window& w, uint64_t pos) {
  uint64_t p = pos;
  int spaces = 0;
  while (p > w.begin() && w.at(p - 1) == ' ' && spaces < 3) {
    --p;
    ++spaces;
  }
  if (spaces == 0) return {};
  uint64_t e = p;
  p = wordStart(w, e);  // "O'Neil", "Ji-woo"
  if (p == e || isAlnum(w.at(p - 1))) return {};
  return {p, e, w.slice(p, e)};
}

// "son Ambrose", "granddaughter Priya", "mom Kayla": a relative named by the word before the
// name. Only the words that are no name labels of their own: "daughter", "wife", "mother",
// "grandma" and "my son" are keywords (rules.cc), and keywordCue() reads the name after them.
bool relativeBefore(const Window& w, uint64_t pos) {
  static const std::vector<std::string_view> kRelatives = {
      "son",     "granddaughter", "grandson",  "mom",        "dad",    "sister",
      "brother", "aunt",          "uncle",     "cousin",     "niece",  "nephew",
      "stepson", "stepdaughter",  "boyfriend", "girlfriend", "fiance", "fiancee"};
  Word prev = prevWord(w, pos);
  if (prev.text.size() < 3 || prev.text.size() > 13) return false;
  std::string word = lowerCopy(prev.text);
  return std::find(kRelatives.begin(), kRelatives.end(), word) != kRelatives.end();
}

// A capitalised word in quotes (straight or curly) or in brackets, from the opening mark at
// `p`: its span, with `close_end` set past the closing mark; empty when there is none.
detect::Span quotedWord(const Window& w, uint64_t p, uint64_t& close_end) {
  char open = w.at(p);
  size_t quote = 1;
  if (open == '\xE2' && w.at(p + 1) == '\x80' && w.at(p + 2) == '\x9C') {  // U+201C
    quote = 3;
  } else if (open != '"' && open != '\'' && open != '(') {
    return {};
  }
  uint64_t s = p + quote;
  uint64_t e = s;
  while (e < w.end() && e < s + 16 && isAlpha(w.at(e))) ++e;
  if (e == s || !isUpper(w.at(s))) return {};
  if (quote == 3) {
    if (w.at(e) != '\xE2' || w.at(e + 1) != '\x80' || w.at(e + 2) != '\x9D') return {};
    close_end = e + 3;
  } else {
    if (w.at(e) != (open == '(' ? ')' : open)) return {};
    close_end = e + 1;
  }
  return {s, e};
}

// After a first name, its nickname in quotes or brackets: "Robert \"Bobby\" Fischer",
// "Margaret (Peggy) Olson". Returns the end of the nickname, or `pos` when there is none.
uint64_t skipNickname(const Window& w, uint64_t pos) {
  if (w.at(pos) != ' ') return pos;
  uint64_t close_end = pos;
  return quotedWord(w, pos + 1, close_end).empty() ? pos : close_end;
}

// The word before `pos`, skipping a middle initial: "John A. | Smith" gives "John".
Word prevSkippingInitial(const Window& w, uint64_t pos) {
  if (pos >= w.begin() + 4 && w.at(pos - 1) == ' ' && w.at(pos - 2) == '.' &&
      isUpper(w.at(pos - 3)) && !isAlpha(w.at(pos - 4))) {
    return prevWord(w, pos - 3);
  }
  return prevWord(w, pos);
}

// The word at `pos`, after "Surname, ", that is no first name: "Mrs. Ellison, I'm following
// up" (a pronoun), "Herrn \u00d6zt\u00fcrk, Zimmer 4.112" (a room's or a ward's word).
bool notFirstName(const Window& w, uint64_t pos) {
  if (w.at(pos) == 'I' && !isAlpha(w.at(pos + 1))) return true;
  static const std::vector<std::string_view> kPlaces = {
      "zimmer", "room", "station", "bed", "ward", "chambre", "cama", "stanza", "habitaci\u00f3n"};
  std::string word = lowerCopy(w.slice(pos, wordEnd(w, pos)));
  return std::find(kPlaces.begin(), kPlaces.end(), word) != kPlaces.end();
}

// "Tuesday Jan", "Friday Dec.": a date's weekday and month, though both are first names.
bool weekdayAndMonth(std::string_view name) {
  static const std::vector<std::string_view> kWeekdays = {
      "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  static const std::vector<std::string_view> kMonths = {
      "jan",  "january",   "feb",  "february", "mar",  "march",    "apr",    "april",
      "may",  "jun",       "june", "jul",      "july", "aug",      "august", "sep",
      "sept", "september", "oct",  "october",  "nov",  "november", "dec",    "december"};
  size_t space = name.find(' ');
  if (space < 6 || space > 9) return false;  // "Monday" to "Wednesday" (and no space)
  std::string first = lowerCopy(name.substr(0, space));
  std::string second = lowerCopy(name.substr(space + 1));
  while (!second.empty() && !isAlpha(second.back())) second.pop_back();
  return std::find(kWeekdays.begin(), kWeekdays.end(), first) != kWeekdays.end() &&
         std::find(kMonths.begin(), kMonths.end(), second) != kMonths.end();
}

// A name with no cue before it is anyone's: staff on a roster, the author of a study, the
// recipient of a sales email, a character in a story. It makes a request PHI only beside
// another identifier; in a patient's record there is one.
void addNameFinding(const Window& w, std::vector<Finding>& out, uint64_t start, uint64_t end,
                    float score, bool patient_cue) {
  if (weekdayAndMonth(w.slice(start, end))) return;
  if (patient_cue && !w.fiction) {
    addFinding(out, PhiType::kName, start, end, score);
  } else {
    addCorroboratedFinding(out, PhiType::kName, start, end, score);
  }
}

}  // namespace

Title titleBefore(const Window& w, uint64_t pos) {
  static const std::vector<std::string_view> kTitles = {
      "Mr. ",       "Mrs. ",  "Ms. ",      "Dr. ",    "Mr ",          "Mrs ",    "Ms ",
      "Dr ",        "Miss ",  "Mx. ",      "Prof. ",  "Mme ",         "Mme. ",   "Sra. ",
      "Sr. ",       "Frau ",  "Herr ",     "mevr. ",  "Mevr. ",       "dhr. ",   "Sig.ra ",
      "Do\u00f1a ", "Herrn ", "Monsieur ", "Madame ", "Se\u00f1ora ", "Signora "};
  // Every title ends with a space after one of a few bytes ('.', 'r', 's'); most words
  // before a name end otherwise, and need no comparison.
  static const std::string kLastBytes = [] {
    std::string bytes;
    for (std::string_view t : kTitles) {
      if (bytes.find(t[t.size() - 2]) == std::string::npos) bytes.push_back(t[t.size() - 2]);
    }
    return bytes;
  }();
  if (w.at(pos - 1) != ' ' || kLastBytes.find(w.at(pos - 2)) == std::string::npos) {
    return Title::kNone;
  }
  std::string_view before = w.slice(pos >= 6 ? pos - 6 : 0, pos);
  char last = w.at(pos - 2);
  for (std::string_view t : kTitles) {
    if (t[t.size() - 2] == last && before.size() >= t.size() &&
        before.substr(before.size() - t.size()) == t) {
      uint64_t s = pos - t.size();
      if (s != w.begin() && isAlpha(w.at(s - 1))) return Title::kNone;
      return detect::clinicianTitle(t) ? Title::kClinician : Title::kPerson;
    }
  }
  return Title::kNone;
}

namespace {

// ", 44F", ", 33 y/o", " (67M)", ", 81 years old", " 29M" right after a name ending at
// `end`.
bool ageAfterName(const Window& w, uint64_t end, bool* bare = nullptr) {
  uint64_t p = end;
  // After a bare space only the compact forms count: "Kwame Asante 29M", not "Ana Ruiz 45
  // years ago".
  bool compact = w.at(p) == ' ' && isDigit(w.at(p + 1));
  if (w.at(p) == ',' || w.at(p) == '(') {
    ++p;
  } else if (!compact && (w.at(p) != ' ' || w.at(p + 1) != '(')) {
    return false;
  }
  while (w.at(p) == ' ' || w.at(p) == '(') ++p;
  // "Aiden Marsh (age 7)", "Ruth Ng, aged 91": the word before the number.
  bool aged = false;
  if (std::string word = lowerCopy(w.slice(p, p + 5));
      word.rfind("age ", 0) == 0 || word.rfind("aged ", 0) == 0) {
    p += word[3] == ' ' ? 4 : 5;
    aged = true;
  }
  uint64_t digits = p;
  while (p < digits + 3 && isDigit(w.at(p))) ++p;
  if (p == digits) return false;
  if (aged) return !isAlnum(w.at(p));
  // A bare age between commas: "Kenji Matsuda, 34, line cook" (not a CSV row's counts,
  // "Dane,9,11,8", nor a code, "Unit, 04, ...").
  if (w.at(end) == ',' && w.at(end + 1) == ' ' && w.at(p) == ',' && w.at(p + 1) == ' ' &&
      w.at(digits) != '0') {
    if (bare != nullptr) *bare = true;
    return std::atoi(std::string(w.slice(digits, p)).c_str()) <= 120;
  }
  if (compact) {
    char c = w.at(p);
    return (c == 'F' || c == 'M' || c == 'f' || c == 'm') && !isAlnum(w.at(p + 1));
  }
  if (w.at(p) == ' ' || w.at(p) == '-') ++p;
  char c = w.at(p);
  if ((c == 'F' || c == 'M') && !isAlpha(w.at(p + 1))) return true;  // "44F", "67 M"
  std::string unit = lowerCopy(w.slice(p, p + 4));
  // ... and in Spanish and Portuguese ("71 años", "71 anos").
  return unit.rfind("yo", 0) == 0 || unit.rfind("y/o", 0) == 0 || unit.rfind("y.o", 0) == 0 ||
         unit.rfind("year", 0) == 0 || unit.rfind("yr", 0) == 0 || unit == "a\xc3\xb1o" ||
         unit == "anos";
}

// A speaker's line in a transcript or a role-play ("PATIENT: Just the pills my cousin
// sent"): one English word after the label, then words in lower case, is a sentence.
bool speakerSentence(const Window& w, const NameData& names, uint64_t start, uint64_t end) {
  if (!names.englishWord(w.slice(start, end)) || w.at(end) != ' ' || !isLower(w.at(end + 1))) {
    return false;
  }
  uint64_t q = wordEnd(w, end + 1);
  return w.at(q) == ' ' && isLower(w.at(q + 1));
}

bool labelBefore(const Window& w, uint64_t pos) {
  static const std::vector<std::string_view> kLabels = {
      "name:", "name\":", "patient:", " pt:",      "\npt:",
      "\"pt:", "name -",  "name=",    "paciente:", "nombre:"};
  constexpr uint64_t kSpan = 16;
  // A form's field without its colon, as OCR gives it: "Name Darnell Whitfield   ID# ...".
  if (pos >= w.begin() + 5 && w.slice(pos - 5, pos) == "Name " &&
      (pos == w.begin() + 5 || isSpace(w.at(pos - 6)) || w.at(pos - 6) == '"')) {
    return true;
  }
  // Every other label ends in ':', '-' or '=': most names have none of them before.
  std::string_view before = w.slice(pos > kSpan ? pos - kSpan : 0, pos);
  if (std::none_of(before.begin(), before.end(),
                   [](char c) { return c == ':' || c == '-' || c == '='; })) {
    return false;
  }
  return cueBefore(w, pos, kSpan, kLabels);
}

// An ALL-CAPS first name: a name only next to an ALL-CAPS surname ("JOHN SMITH",
// "SMITH, JOHN"), and only in a clinical document or after a cue, since capitals are also how
// people shout and how acronyms look.
void allCapsNameHit(const Window& w, const NameData& names, const NameEntry& entry, uint64_t start,
                    uint64_t end, std::vector<Finding>& out) {
  Title title = titleBefore(w, start);
  bool cue = title != Title::kNone || labelBefore(w, start);
  if (!w.clinical && !cue) return;
  bool patient_cue = cue && title != Title::kClinician;
  auto caps = [](std::string_view word) {
    if (word.size() < 2) return false;
    for (char c : word) {
      if (!isUpper(c) && c != '\'' && c != '-') return false;
    }
    return true;
  };
  auto surname = [&](std::string_view word) {
    const NameEntry* e = caps(word) ? names.find(word) : nullptr;
    return e != nullptr && e->last;
  };
  Word next = nextWord(w, end);
  if (next.end == next.start + 1 && w.at(next.end) == '.') next = nextWord(w, next.end + 1);
  if (entry.first && surname(next.text)) {
    addNameFinding(w, out, start, next.end, cue ? 0.85f : 0.75f, patient_cue);
    return;
  }
  // "HUANG, WEI", "NGUYEN, THI": a surname, a comma and a given name that is no hit of its
  // own (one that is reads its surname below). Not "DALLAS, TX", "HILL, ST".
  if (w.at(end) == ',' && w.at(end + 1) == ' ' && surname(w.slice(start, end))) {
    Word given = nextWord(w, end + 1);
    std::string place(given.text);  // "TEXAS" as "Texas"
    for (size_t i = 1; i < place.size(); ++i) place[i] = toLower(place[i]);
    const NameEntry* known = caps(given.text) ? names.find(given.text) : nullptr;
    if (given.start == end + 2 && given.text.size() >= 3 && caps(given.text) &&
        (known == nullptr || !known->first || given.text.size() < NameLexicon::kMinLength) &&
        !names.englishWord(given.text) && !identifierLabel(given.text) &&
        !validators::isUsState(given.text) && !validators::isUsStateName(place) &&
        !isAlnum(w.at(given.end))) {
      // From the start of a double surname: "O'ROURKE", "PIERRE-LOUIS".
      addNameFinding(w, out, wordStart(w, end), given.end, cue ? 0.85f : 0.75f, patient_cue);
      return;
    }
  }
  if (!entry.first) return;
  if (start >= w.begin() + 2 && w.at(start - 1) == ' ' && w.at(start - 2) == ',') {
    // "O'ROURKE, SEAMUS", "PIERRE-LOUIS, NADEGE": a double surname by its last part.
    uint64_t e = start - 2;
    uint64_t s = wordStart(w, e);
    uint64_t last = e;
    while (last > s && isAlpha(w.at(last - 1))) --last;
    if (s < e && !isAlnum(w.at(s - 1)) && (surname(w.slice(s, e)) || surname(w.slice(last, e)))) {
      addNameFinding(w, out, s, end, cue ? 0.85f : 0.75f, patient_cue);
    }
  }
}

}  // namespace

bool signature(const Window& w, uint64_t pos) {
  // A sign-off at the start of one of the lines in the 160 bytes before `pos`.
  static const std::vector<std::string_view> kSignOffs = {
      "best,",   "best regards", "regards,",      "sincerely",     "thanks,",    "thank you,",
      "cheers,", "warmly,",      "respectfully,", "media contact", "contact us", "contact:"};
  uint64_t from = pos > w.begin() + 160 ? pos - 160 : w.begin();
  for (uint64_t p = pos; p > from; --p) {
    if (w.at(p - 1) != '\n') continue;
    char head[16];
    size_t n = 0;
    for (; n < sizeof head && p + n < pos; ++n) head[n] = toLower(w.at(p + n));
    std::string_view line(head, n);
    for (std::string_view s : kSignOffs) {
      if (line.substr(0, s.size()) == s) return true;
    }
  }
  return false;
}

// The label of a number names a service rather than a person: "Appointments: ...", "Main
// (614) ...", "After-hours nurse ...", "epi fax ...", "24/7 ODH line ...". Only the label
// itself is read: the bytes after the last line break, "|" or ";" and at most 32 of them.
bool serviceLabel(const Window& w, uint64_t pos) {
  static const std::vector<std::string_view> kServices = {
      "main",        "line",     "nurse",    "appointment", "billing",  "scheduling", "reception",
      "desk",        "hotline",  "helpline", "switchboard", "referral", "pharmacy",   "after-hours",
      "after hours", "24/7",     "pager",    "svc",         "service",  "dept",       "department",
      "hours",       "operator", "option",   "fax"};
  uint64_t from = pos > 32 ? pos - 32 : 0;
  from = std::max(from, w.begin());
  for (uint64_t p = pos; p > from; --p) {
    char c = w.at(p - 1);
    if (c == '\n' || c == '|' || c == ';') {
      from = p;
      break;
    }
  }
  // Word starts only, not camelCase ones: "<AddressLine1>" is no line.
  return cueBefore(w, pos, pos - from, kServices, false);
}

bool organisationVoice(const Window& w, uint64_t pos, uint64_t end) {
  // "Call us at", "RSVP by ... to", "our office", "Monday-Friday, 8 a.m.-5 p.m.": a business
  // giving its own details; and a number with an extension after it is a desk's.
  static const std::vector<std::string_view> kVoice = {
      "call us", "contact us", "reach us", "visit us", "join us", "our office", "our clinic",
      "our practice", "our team", "our warehouse", "our pharmacy", "our facility", "our site",
      "our building", "our location", "our store", "our lab", "our center", "our depot",
      "our headquarters", "located at", "rsvp", "walk-ins", "open house", "groundbreaking", "gala",
      "ceremony", "venue", "held at", "tickets", "reception", "reached at", "a.m.", "p.m.",
      "business hours", "office hours", "consultation:", "hotline", "front desk", "main line",
      "switchboard", "questions", "inquiries", "more information", "media contact", "grand opening",
      "now open", "location:", "local:", "venue:", "where:", "ribbon", "open to the public",
      // Opening hours and booking, as a notice writes them: "9am-1pm. Book via NHS App or call".
      "opening hours", "am-", "am -", "am to ", "am\u2013", "book via", "book online", "m-f ",
      "m\u2013f ", "mon-fri", "mon\u2013fri", "monday-friday", "monday\u2013friday",
      "monday through friday",
      // An FAQ's answer: "Q: Can I get my results by phone? A: Please call 01632 960 442".
      "? a: ", "?\na: ",
      // ... in Spanish and Portuguese: "Llame al", "vis\u00edtenos", "hor\u00e1rio".
      "llame al", "ll\xc3\xa1menos", "vis\xc3\xadtenos", "horario", "hor\xc3\xa1rio",
      "m\xc3\xa1s informaci\xc3\xb3n", "ligue para", "atendemos", "nuestro horario",
      "nuestra clínica", "nuestro centro", "contáctenos",
      // ... in French and German: "Plateau d'assistance 24h/24", "Sprechzeiten".
      "24h/24", "24 h/24", "contactez-nous", "nous contacter", "horaires", "sprechzeiten",
      "öffnungszeiten", "erreichen sie uns",
      // ... in Arabic: "to contact", "working hours".
      "للتواصل", "ساعات العمل",
      // ... in Swedish and Danish: questions, switchboard, customer service, a "line".
      "frågor", "spørgsmål", "växel", "kundtjänst", "kundeservice", "linje ",
      // A carrier's or an insurer's desk: "visa helpline 09612 555 766".
      "helpline", "help line", "medical desk", "assistance line",
      // A meeting's dial-in: "Dial-in: +1 414-555-0120, conf ID 884 201 733#".
      "dial-in", "dial in", "conference line", "bridge line", "conf id", "meeting id",
      // ... in Korean, Japanese and Chinese: main number, consultation and opening hours.
      "대표전화", "진료시간", "代表電話", "診療時間", "受付時間", "门诊时间", "营业时间",
      "办公时间",
      // ... in Polish: open around the clock, registration, Monday to Friday.
      "czynny", "całodobowo", "rejestracja", "pon.-pt.", "pon.–pt."};
  if (cueBefore(w, pos, 64, kVoice)) return true;
  if (serviceLabel(w, pos)) return true;
  std::string after = lowerCopy(w.slice(end, end + 40));
  if (after.rfind(" ext", 0) == 0 || after.rfind(", ext", 0) == 0 ||
      (after.rfind(" x", 0) == 0 && after.size() > 2 && isDigit(after[2]))) {
    return true;
  }
  // Opening hours right after it: a directory's line ("(253) 555-0121 | M-F 7:00-15:30").
  if (size_t hours = after.find_first_not_of(" |,;-\t");
      hours != std::string::npos && hours <= 4 &&
      (after.compare(hours, 4, "m-f ") == 0 || after.compare(hours, 7, "mon-fri") == 0)) {
    return true;
  }
  // What the number is, in brackets after it: "(oncology triage line)", "(Mon-Fri 7a-6p)",
  // "(scheduling)"; a person's is "(cell)", "(home)", "(daughter)".
  // Each word is looked for at a word's start ("(Ramon)" holds no "mon").
  if (after.rfind(" (", 0) != 0) return false;
  std::string_view inside(after);
  inside = inside.substr(1, inside.find(')') - 1);  // " (oncology triage line"
  static const std::vector<std::string_view> kService = {
      "line", "mon", "m-f", "24/7", "hours", "desk", "office", "scheduling", "appointments", "toll",
      "dept", "department", "option",
      // Weekdays and opening hours in Danish, Norwegian, Swedish and German: "(hverdage
      // kl. 8-15)", "(Mo-Fr 8-12 Uhr)".
      "hverdag", "vardag", "werktag", "mo-fr", "kl. "};
  return std::any_of(kService.begin(), kService.end(), [&](std::string_view k) {
    for (size_t at = inside.find(k); at != std::string_view::npos; at = inside.find(k, at + 1)) {
      if (!isAlpha(inside[at - 1])) return true;
    }
    return false;
  });
}

bool addresseeLine(const Window& w, uint64_t pos) {
  // "From: bmccallister58 (Brian McCallister, son of resident Dorothy McCallister)": a
  // patient named on the line is no addressee (in lower case: "Patient Safety Officer" is a
  // title).
  static const std::vector<std::string_view> kPatients = {"pt", "patient", "resident"};
  if (Word prev = prevWord(w, pos);
      std::find(kPatients.begin(), kPatients.end(), prev.text) != kPatients.end()) {
    return false;
  }
  uint64_t ls = pos;
  while (ls > w.begin() && pos - ls < 200 && w.at(ls - 1) != '\n') --ls;
  std::string head = lowerCopy(w.slice(ls, ls + 10));
  for (std::string_view h : {"to:", "from:", "cc:", "bcc:", "attendees:", "present:", "absent:"}) {
    if (head.rfind(h, 0) == 0) return true;
  }
  return false;
}

bool staffLine(const Window& w, uint64_t start, uint64_t end) {
  // A role before it on its line: "Certifying exec: Marianne Foltz, 219-555-0100", "account
  // exec Lauren Ziegler", "Chercheur principal : Dr Mathieu Gagnon".
  static const std::vector<std::string_view> kRoles = {
      "exec", "executive", "director", "manager", "coordinator", "investigator", "chercheur",
      "broker", "administrator", "supervisor", "officer", "liaison", "analyst", "consultant",
      "attorney", "counsel", "representative", "recruiter", "certifying", "vp ", "vice president",
      "sales", "sponsor", "monitor", "principal", "coach", "teacher", "school nurse", "hosted by",
      "led by", "presented by", "organized by", "organised by", "judged by", "chaired by",
      "facilitated by", "taught by", "ceo", "cfo", "coo", "cmo", "cno", "cio", "committee chair",
      "instructor", "trainer", "preceptor", "faculty", "on-call", "on call",
      // French and Spanish offices: "Secrétariat : Mme Bastin", "jefa de servicio".
      "secretar", "secr\xc3\xa9tari", "directeur", "directrice", "coordinad", "coordonnat",
      "de garde", "jefe de", "jefa de",
      // A vendor's: "rep: Marcus Delacroix".
      "rep:", "rep ",
      // An event's contact: "RSVP à Julie Bergeron", "the wedding planner Mariam".
      "rsvp", "planner", "admin"};
  uint64_t ls = start;
  while (ls > w.begin() && start - ls < 80 && w.at(ls - 1) != '\n') --ls;
  if (cueBefore(w, start, start - ls, kRoles)) return true;
  // A phone or a mailbox after a name with its credential on the line: "Helen Marchetti, RN
  // - Roosevelt ES (M/W/F), 555-210-3345".
  if (!isAlpha(w.at(start))) {
    static const std::vector<std::string_view> kCredentials = {
        ", rn", ", lpn", ", md", ", np", ", pa-c", ", pharmd", ", msw", ", lcsw", ", crna"};
    char line[80];
    size_t n = 0;
    for (uint64_t p = ls; p < start && n < sizeof line; ++p) line[n++] = toLower(w.at(p));
    std::string_view prefix(line, n);
    for (std::string_view c : kCredentials) {
      size_t at = prefix.find(c);
      if (at != std::string_view::npos && (at + c.size() == n || !isAlpha(prefix[at + c.size()]))) {
        return true;
      }
    }
  }
  // A phone or a mailbox right after a physician's name: "Dr Sandhu 616-555-0191".
  static const std::vector<std::string_view> kDoctor = {"dr ", "dr."};
  if (!isAlpha(w.at(start)) && cueBefore(w, start, std::min<uint64_t>(start - ls, 24), kDoctor)) {
    return true;
  }
  // ... or a shift's role in brackets after it: "Dana Whitfield (primary) 402-555-0170".
  static const std::vector<std::string_view> kShift = {" (primary)", " (backup)", " (lead)",
                                                       " (on call)", " (charge)"};
  if (std::any_of(kShift.begin(), kShift.end(),
                  [&](std::string_view k) { return w.slice(end, end + k.size()) == k; })) {
    return true;
  }
  // ... or a title or credential after it: "Marianne Foltz, VP Ops", "Dana Ruiz, RN".
  if (w.at(end) != ',' || w.at(end + 1) != ' ') return false;
  uint64_t p = end + 2;
  uint64_t e = p;
  while (e < w.end() && e < p + 12 && (isAlpha(w.at(e)) || w.at(e) == '-')) ++e;
  static const std::vector<std::string_view> kAfter = {
      "VP", "RN", "MD", "NP", "PA-C", "PharmD", "Director", "Manager", "CEO", "CFO", "COO", "CNO",
      "CMO", "CIO", "LPN", "MSW", "LCSW", "LMSW", "LPC", "LMFT", "PhD", "PsyD", "DO", "DPT", "CNM",
      "CRNA", "APRN", "FNP", "DDS", "DMD", "DPM", "RD", "CHW", "CHW-I", "LICSW", "BCBA",
      // A unit's roles: "I'm Jessamyn, OR circulator", "Tom, charge nurse".
      "OR", "circulator", "scrub", "charge", "nurse", "Nurse",
      // A team's and a ward's: "Gemma Lowther, Team Leader", "Ward Sister", "Practice
      // Manager", "conseill\u00e8re RH" (read up to its accent).
      "Team", "Lead", "Head", "Senior", "Ward", "Matron", "Sister", "Practice", "Service",
      "Programme", "Program", "HR", "conseill"};
  // "pt Nkechi Adeyemi-Ross, RD OS": a retinal detachment of the left eye, no dietitian.
  static const std::vector<std::string_view> kEyes = {" OD", " OS", " OU"};
  if (std::find(kEyes.begin(), kEyes.end(), w.slice(e, e + 3)) != kEyes.end() &&
      !isAlnum(w.at(e + 3))) {
    return false;
  }
  return std::find(kAfter.begin(), kAfter.end(), w.slice(p, e)) != kAfter.end();
}

bool correspondence(const Window& w, uint64_t pos) {
  // The first header lines, found by the keyword scan: both APIs have seen every keyword
  // before `pos` by the time they judge a value at `pos`.
  return w.email_from < pos && w.email_to < pos;
}

bool cueBefore(const Window& w, uint64_t pos, uint64_t span,
               const std::vector<std::string_view>& words, bool camel_case) {
  // Spans are a few dozen bytes; this runs for most candidates, so the lower-case copy lives
  // on the stack.
  char buffer[64];
  std::string_view raw = w.slice(pos > span ? pos - span : 0, pos);
  if (raw.size() > sizeof buffer) raw.remove_prefix(raw.size() - sizeof buffer);
  for (size_t i = 0; i < raw.size(); ++i) buffer[i] = toLower(raw[i]);
  std::string_view before(buffer, raw.size());
  uint64_t raw_start = pos - raw.size();
  for (std::string_view word : words) {
    // A cue that starts with a letter counts at a word's start, camelCase included
    // ("firstName="): "section" is no cue in "resection".
    bool anywhere = !isAlpha(word.front());
    for (size_t at = before.find(word); at != std::string_view::npos;
         at = before.find(word, at + 1)) {
      if (anywhere) return true;
      uint64_t from = raw_start + at;
      char prior = from > w.begin() ? w.at(from - 1) : ' ';
      if (!isAlpha(prior) || (camel_case && isUpper(w.at(from)) && !isUpper(prior))) return true;
    }
  }
  return false;
}

const NameData& NameData::instance() {
  static const NameData data;
  return data;
}

NameData::NameData() {
  uint32_t surnames = 0;
  auto add = [&](std::string_view name, bool first) {
    std::string key = lowerCopy(name);
    auto [it, inserted] = index_.try_emplace(key, static_cast<uint32_t>(entries_.size()));
    if (inserted) entries_.push_back({std::string(name), false, false});
    NameEntry& e = entries_[it->second];
    if (first) {
      e.first = true;
    } else if (!e.last) {
      e.last = true;
      e.last_rank = surnames++;
    }
  };
  forEachLine(embeddedData("first_names.txt"), [&](std::string_view l) { add(l, true); });
  forEachLine(embeddedData("surnames.txt"), [&](std::string_view l) { add(l, false); });
  forEachLine(embeddedData("safelist.txt"),
              [&](std::string_view l) { safe_.insert(lowerCopy(l)); });
  forEachLine(embeddedData("safelist_curated.txt"),
              [&](std::string_view l) { safe_.insert(lowerCopy(l)); });
  forEachLine(embeddedData("english_words.txt"), [&](std::string_view l) { english_.emplace(l); });
  forEachLine(embeddedData("public_figures.txt"), [&](std::string_view l) {
    public_figures_.insert(lowerCopy(l));
    size_t space = l.find(' ');
    if (space < 32 && isAlpha(l[0])) public_first_lengths_[toLower(l[0]) - 'a'] |= 1u << space;
  });
}

namespace {

// Lookups run for every name hit, so they reuse one lower-case buffer per thread instead of
// allocating a key each time.
const std::string& lowerKey(std::string_view token, bool drop_apostrophes = false) {
  thread_local std::string key;
  key.clear();
  for (size_t i = 0; i < token.size(); ++i) {
    char c = token[i];
    if (drop_apostrophes && c == '\'') continue;  // the Census spells O'Brien as OBRIEN
    if (static_cast<unsigned char>(c) >= 0x80) {
      // The dictionaries are in ASCII: "Tr\u1ea7n" is looked up as "tran".
      LatinLetter l = latinLetterAt(token.data() + i, token.size() - i);
      if (l.base != 0) {
        key.push_back(toLower(l.base));
        i += l.length - 1;
        continue;
      }
    }
    key.push_back(toLower(c));
  }
  return key;
}

}  // namespace

const NameEntry* NameData::find(std::string_view token) const {
  auto it = index_.find(lowerKey(token, true));
  return it == index_.end() ? nullptr : &entries_[it->second];
}

bool NameData::safe(std::string_view token) const {
  return safe_.count(lowerKey(token)) > 0;
}

bool organisationWord(std::string_view word) {
  // A heading's capitals ("ST. JUDE CLINIC", "CENTRO DE CIRUGÍA") read as the word.
  if (word.size() > 2 && word.size() <= 16 && std::all_of(word.begin(), word.end(), isUpper)) {
    char buffer[16];
    buffer[0] = word[0];
    for (size_t i = 1; i < word.size(); ++i) buffer[i] = toLower(word[i]);
    std::string_view title(buffer, word.size());
    if (title != word && organisationWord(title)) return true;
  }
  // Words that are no surnames too ("Hall", "Park" and "Chapel" are).
  static const std::unordered_set<std::string_view> kOrganisations = {
      "Pharmacy", "Clinic", "Hospital", "Center", "Centre", "Health", "Healthcare", "Services",
      "Group", "Inc", "LLC", "Ltd", "Corp", "Company", "Foundation", "University", "College",
      "School", "Church", "Bank", "Labs", "Laboratory", "Associates", "Partners", "Institute",
      "Care", "Dept", "Department", "Office", "Agency", "Endoscopy", "Imaging", "Radiology",
      "Medical", "Physicians", "Pediatrics", "Dental", "Dentistry", "Orthopedics", "Orthopaedics",
      "Cardiology", "Oncology", "Dermatology", "Urology", "Neurology", "Rehabilitation", "Wellness",
      "Surgical", "Diagnostics", "Law", "LLP", "PLLC", "PC", "Surgery", "Practice", "Medicine",
      "Hospice", "Clinics", "Community", "Ctr", "Temple", "Attorneys", "Lawyers", "Pulmonary",
      "Pulmonology", "Respiratory", "Gastroenterology", "Nephrology", "Rheumatology",
      "Endocrinology", "Podiatry", "Audiology", "Optometry", "Ophthalmology", "Infusion",
      // ... and in Spanish and Portuguese.
      "Centro", "Farmacia", "Consultorio", "Hospitalar", "Cl\xc3\xadnica", "Sanatorio",
      "Policl\xc3\xadnico", "Universitario", "Universitaria", "Fundaci\xc3\xb3n", "Instituto",
      "Palacio", "Congresos",
      // ... and in French.
      "H\xc3\xb4pital", "H\xc3\xb4pitaux", "Clinique", "Universitaire", "Universitaires",
      "Hospitalier", "Fondation", "Institut", "CHU",
      // Governments and carriers: "Embassy of India, Abuja: ... tel +234 9 460 8650".
      "Embassy", "Consulate", "Ministry", "Airways", "Airlines"};
  // A business's own words: "Smile Staffing", "Northwind Logistics".
  static const std::unordered_set<std::string_view> kBusinesses = {
      "Staffing",     "Solutions",   "Systems",  "Technologies", "Consulting",
      "Logistics",    "Enterprises", "Holdings", "Industries",   "Pharmaceuticals",
      "Therapeutics", "Biosciences", "Alliance"};
  // A department's field by its ending: "Endocrinology", "Gastroenterology", "Geriatrics".
  bool field =
      word.size() > 7 && isUpper(word[0]) && (word.ends_with("ology") || word.ends_with("iatrics"));
  // Chains whose stores patients are sent to: "the 24-hour Walgreens at 2800 Far Hills Ave".
  static const std::unordered_set<std::string_view> kChains = {
      "Walgreens", "CVS", "Walmart", "Costco", "Kroger", "Meijer", "Publix", "Safeway", "Target"};
  return kOrganisations.count(word) != 0 || kBusinesses.count(word) != 0 || field ||
         kChains.count(word) != 0;
}

// An institution named in Chinese, Japanese or Korean on the number's line or the one above
// ("お問い合わせ：〇〇総合病院　循環器内科外来\n電話　03-...").
bool cjkOrganisationBefore(const Window& w, uint64_t pos) {
  static constexpr std::array<std::string_view, 15> kInstitutions = {
      "\xe7\x97\x85\xe9\x99\xa2",                                      // 病院
      "\xe5\x8c\xbb\xe9\x99\xa2",                                      // 医院
      "\xe9\x86\xab\xe9\x99\xa2",                                      // 醫院
      "\xe8\xa8\xba\xe7\x99\x82\xe6\x89\x80",                          // 診療所
      "\xe8\xaf\x8a\xe6\x89\x80",                                      // 诊所
      "\xe8\xa8\xba\xe6\x89\x80",                                      // 診所
      "\xe3\x82\xaf\xe3\x83\xaa\xe3\x83\x8b\xe3\x83\x83\xe3\x82\xaf",  // クリニック
      "\xe8\x96\xac\xe5\xb1\x80",                                      // 薬局
      "\xe8\x97\xa5\xe5\xb1\x80",                                      // 藥局
      "\xe8\x8d\xaf\xe6\x88\xbf",                                      // 药房
      "\xe5\xa4\x96\xe6\x9d\xa5",                                      // 外来
      "\xe5\x95\x8f\xe3\x81\x84\xe5\x90\x88\xe3\x82\x8f\xe3\x81\x9b",  // 問い合わせ
      "\xeb\xb3\x91\xec\x9b\x90",                                      // 병원
      "\xec\x9d\x98\xec\x9b\x90",                                      // 의원
      "\xec\x95\xbd\xea\xb5\xad",                                      // 약국
  };
  constexpr uint64_t kReach = 90;
  uint64_t from = pos > w.begin() + kReach ? pos - kReach : w.begin();
  int lines = 0;
  for (uint64_t p = pos; p > from; --p) {
    if (w.at(p - 1) == '\n' && ++lines > 1) {
      from = p;
      break;
    }
  }
  std::string_view before = w.slice(from, pos);
  if (!classes::holdsScriptLead(before)) return false;
  return std::any_of(kInstitutions.begin(), kInstitutions.end(), [&](std::string_view word) {
    return before.find(word) != std::string_view::npos;
  });
}

bool organisationBefore(const Window& w, uint64_t pos) {
  if (cjkOrganisationBefore(w, pos)) return true;
  // Places and staff roles, which no name rule needs: "Auditorium B, Ridgeway Campus, 3300
  // Ridgeway Blvd", "HVAC Tech II, cell 614-...", "Associate General Counsel, (614) ...".
  static const std::unordered_set<std::string_view> kPlacesAndRoles = {"Campus",
                                                                       "Auditorium",
                                                                       "Building",
                                                                       "Pavilion",
                                                                       "Tower",
                                                                       "Ballroom",
                                                                       "Hotel",
                                                                       "Inn",
                                                                       "Room",
                                                                       "Wing",
                                                                       "Floor",
                                                                       "Dock",
                                                                       "Plaza",
                                                                       "Mall",
                                                                       "UC",
                                                                       "ED",
                                                                       "Store",
                                                                       "Manager",
                                                                       "Mgr",
                                                                       "Director",
                                                                       "Coordinator",
                                                                       "Counsel",
                                                                       "Officer",
                                                                       "Specialist",
                                                                       "Analyst",
                                                                       "Supervisor",
                                                                       "Administrator",
                                                                       "Assistant",
                                                                       "Representative",
                                                                       "Rep",
                                                                       "Technician",
                                                                       "Tech",
                                                                       "Recruiter",
                                                                       "Buyer",
                                                                       "Engineer",
                                                                       "Lead",
                                                                       "Chair",
                                                                       "President",
                                                                       "Executive",
                                                                       "Consultant",
                                                                       "Unit",
                                                                       "TIN",
                                                                       "NPI",
                                                                       "EIN",
                                                                       "Epidemiology",
                                                                       "Lab",
                                                                       "Hotline",
                                                                       "Channel",
                                                                       "News",
                                                                       "HR",
                                                                       "Generalist",
                                                                       "Scheduler",
                                                                       "Receptionist",
                                                                       "Secretary",
                                                                       "Clerk",
                                                                       "Liaison",
                                                                       "Navigator",
                                                                       "Treasurer",
                                                                       "Hub",
                                                                       "Shelter",
                                                                       "Pantry",
                                                                       "Library",
                                                                       "Site",
                                                                       "Location",
                                                                       "Supply",
                                                                       "Garage",
                                                                       "Remit",
                                                                       "Supplier",
                                                                       "Vendor",
                                                                       "RSVP",
                                                                       "Events",
                                                                       "Planner"};
  // Roles and places written in lower case ("contact recruiter Melissa Tran", "store 5512").
  static const std::unordered_set<std::string_view> kLowerRoles = {
      "recruiter", "counsel",  "rep",        "representative", "coordinator", "manager",
      "mgr",       "director", "supervisor", "administrator",  "lead",        "dispatch",
      "store",     "hub",      "branch",     "warehouse",      "depot",       "site",
      "location",  "remit",    "rsvp",       "planner"};
  // The labels of the contact detail itself, and what ends a person's name.
  static const std::unordered_set<std::string_view> kSkipped = {
      "cell", "phone", "tel", "mobile", "fax", "ph", "direct",
      "desk", "line",  "II",  "III",    "IV",  "Jr", "Sr"};
  auto named = [&](std::string_view word) {
    return organisationWord(word) || kPlacesAndRoles.count(word) != 0;
  };
  // The words before it, over its own label and a phone number, on its line and the two
  // above: "Riverbend GI & Endoscopy, (614) 555-0148, 2100 ...", "Whitmore Lane Surgery\n14
  // Whitmore Lane, ...\nTel 01344 621 900". The nearest word may be in lower case ("pharmacy
  // phone is"); the others are names, so capitalised, or a role in lower case.
  // A line that reads as a sentence ("We will call you at ...") is no contact block: the
  // lines above it do not own its number.
  uint64_t p = pos;
  int lines = 0;
  int lower_words = 0;  // on the line being read
  bool nearest = true;
  while (p > w.begin() && pos - p < 120) {
    while (p > w.begin() && pos - p < 120 && !isAlpha(w.at(p - 1))) {
      if (w.at(p - 1) == '\n' && (++lines > 2 || lower_words >= 2)) return false;
      if (w.at(p - 1) == '\n') lower_words = 0;
      // ... nor a sentence before it on the line ("refill at Walgreens. Call Jun (son)
      // 808-555-0139. Address: ..."), and a lower-case word that ends the sentence before
      // is no label of the number ("had knee surgery. Phone: ...").
      if (w.at(p - 1) == '.' && w.at(p) == ' ') {
        if (lower_words >= 2) return false;
        lower_words = 0;
        nearest = false;
      }
      --p;
    }
    uint64_t e = p;
    while (p > w.begin() && isAlpha(w.at(p - 1))) --p;
    if (p == e) break;
    std::string_view word = w.slice(p, e);
    if (kSkipped.count(word) != 0 || kSkipped.count(lowerCopy(word)) != 0) continue;
    if (isUpper(word[0])) {
      if (named(word)) return true;
    } else if (nearest && word != "floor") {  // people live on floors too ("3rd floor")
      std::string capitalised(word);
      capitalised[0] = static_cast<char>(capitalised[0] - 'a' + 'A');
      if (named(capitalised) || kLowerRoles.count(word) != 0) return true;
    } else if (kLowerRoles.count(word) != 0) {
      return true;
    }
    lower_words += isLower(word[0]) ? 1 : 0;
    nearest = false;
  }
  return false;
}

// An organisation's record in a directory, a search result or a CRM: its hours, services or
// website beside the name, address and phone, and no birth date, record number or sex
// ({"name": "Food Bank - Westside", "address": ..., "hours": "Tue/Thu 9-1"}).
bool organisationRecord(const Window& w, uint64_t start, uint64_t end) {
  // A JSON key, or a value in quotes.
  if (w.at(start) != '"' && (start == w.begin() || w.at(start - 1) != '"')) return false;
  static const std::vector<std::string_view> kOrganisationKeys = {
      "\"hours",     "\"services", "\"agency",       "\"website",      "\"eligibility",
      "\"opening",   "\"company",  "\"organization", "\"organisation", "\"jobtitle",
      "\"job_title", "\"industry", "\"leadsource",   "\"accountname"};
  static const std::vector<std::string_view> kPersonKeys = {
      "\"dob", "\"birth", "\"mrn", "\"ssn", "\"sex\"", "\"gender", "\"patient", "\"member"};
  std::string around = lowerCopy(w.slice(start > 300 ? start - 300 : 0, end + 300));
  auto any = [&](const std::vector<std::string_view>& keys) {
    return std::any_of(keys.begin(), keys.end(),
                       [&](std::string_view k) { return around.find(k) != std::string::npos; });
  };
  return any(kOrganisationKeys) && !any(kPersonKeys);
}

bool NameData::englishWord(std::string_view token) const {
  return english_.count(lowerKey(token)) > 0;
}

bool NameData::publicFigure(std::string_view first, std::string_view last) const {
  if (first.empty() || first.size() >= 32 || !isAlpha(first[0]) ||
      (public_first_lengths_[toLower(first[0]) - 'a'] >> first.size() & 1u) == 0) {
    return false;
  }
  std::string key = lowerCopy(first);
  key.push_back(' ');
  key += lowerKey(last);
  return public_figures_.count(key) > 0;
}

namespace detect {

bool publicFigureBefore(const Window& w, const NameData& names, uint64_t pos) {
  // Right to left, back to the start of the sentence ("word. " or "2015. ", not an initial's
  // "D. ") or the line: each capitalised word with the one right after it.
  uint64_t limit = pos > w.begin() + 200 ? pos - 200 : w.begin();
  uint64_t sentence = limit == w.begin() ? limit : UINT64_MAX;  // none within reach
  Word after{};  // the capitalised word that follows, "Roosevelt" of "Roosevelt's"
  for (uint64_t p = pos; p > limit; --p) {
    char c = w.at(p - 1);
    if (c == '\n' || (c == ' ' && p >= limit + 3 && w.at(p - 2) == '.' &&
                      (isLower(w.at(p - 3)) || isDigit(w.at(p - 3))))) {
      sentence = p;
      break;
    }
    uint64_t s = p - 1;
    if (!isUpper(c) || (s > w.begin() && isAlnum(w.at(s - 1)))) continue;
    uint64_t e = wordEnd(w, s);
    if (e == s + 1 && w.at(e) == '.') {  // "Franklin D. Roosevelt": an initial in between
      if (after.start == e + 2) after.start = s;
      continue;
    }
    std::string_view text = w.slice(s, e);
    if (after.start == e + 1 && names.publicFigure(text, after.text)) return true;
    if (text.size() > 2 && text.substr(text.size() - 2) == "'s") text.remove_suffix(2);
    after = {s, e, text};
  }
  // A later sentence of a paragraph about a figure named before it (nameHit() notes them),
  // which opens with a pronoun or the surname: "Former President Jimmy Carter, 98, ... He
  // lived in hospice ... and died December 29, 2024".
  if (sentence == UINT64_MAX || w.figures == nullptr || w.figures->empty()) return false;
  uint64_t p = sentence;
  while (p < pos && isSpace(w.at(p))) ++p;
  std::string_view first = w.slice(p, wordEnd(w, p));
  if (first.empty() || !isUpper(first[0])) return false;
  static const std::vector<std::string_view> kPronouns = {"He", "She", "His", "Her"};
  bool pronoun = std::find(kPronouns.begin(), kPronouns.end(), first) != kPronouns.end();
  std::string surname = pronoun ? std::string() : lowerCopy(first);
  for (auto it = w.figures->rbegin(); it != w.figures->rend(); ++it) {
    if (it->first > sentence) continue;
    if (sentence - it->first > 1200) break;
    // Within the paragraph: no blank line between the name and the sentence.
    if (w.slice(std::max(it->first, w.begin()), sentence).find("\n\n") != std::string_view::npos) {
      break;
    }
    if (pronoun || it->second == surname) return true;
  }
  return false;
}

bool clinicianTitle(std::string_view title) {
  // And "Sr.": a Spanish "Mr." but also an English "Sister", no sign of a patient either way.
  return title.size() >= 2 &&
         (toLower(title[0]) == 'd' || toLower(title[0]) == 'p' || title.rfind("Sr.", 0) == 0);
}

namespace {

// Notes a public figure named at `surname` (Window::figures), once per name.
void recordFigure(const Window& w, Word surname) {
  if (w.figures == nullptr) return;
  auto& figures = *w.figures;
  if (!figures.empty() && figures.back().first >= surname.end) return;
  if (figures.size() >= 16) figures.erase(figures.begin());
  figures.emplace_back(surname.end, lowerCopy(surname.text));
}

// A person's name as DICOM and HL7 write it, whole: "REYES^ANTONIO", "Nakamura^Hiroshi",
// "FONTAINE^MARGUERITE^E", "KIM^MINJUN=김^민준" (its ideographic form after '='). The name
// hit at [start, end) is one of its parts. A value that opens with it (after '=', ':', a
// quote, a bracket or a space) is one name; a part after digits or '^' is a component of an
// HL7 field ("1234^WELBY^MARCUS"), which hl7Segment() judges. Returns false when the hit is
// no such part, and true when it was judged here: a staff label of the value's own field
// ("ReferringPhysicianName=WELBY^MARCUS") makes it no one's to report.
bool caretName(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  auto part = [&](uint64_t p) {
    char c = w.at(p);
    return isAlpha(c) || c == '\'' || c == '-' || c == '^';
  };
  uint64_t s = start;
  while (s > w.begin() && part(s - 1)) --s;
  uint64_t e = end;
  while (e < w.end() && part(e)) ++e;
  std::string_view group = w.slice(s, e);
  if (group.find('^') == std::string_view::npos) return false;
  char before = s > w.begin() ? w.at(s - 1) : ' ';
  if (group.front() == '^' || !isAlpha(group.front()) || isAlnum(w.at(e)) ||
      !(before == '=' || before == ':' || before == '"' || before == '\'' || before == '[' ||
        isSpace(before))) {
    return false;
  }
  while (e > s && w.at(e - 1) == '^') --e;
  size_t first = group.find('^');
  if (first < 2 || s + first + 1 >= e || !isAlpha(w.at(s + first + 1))) return false;
  // Its ideographic form: "=김^민준".
  if (w.at(e) == '=' && static_cast<unsigned char>(w.at(e + 1)) >= 0x80) {
    uint64_t q = e + 1;
    while (q < w.end() && (static_cast<unsigned char>(w.at(q)) >= 0x80 || w.at(q) == '^')) ++q;
    e = q;
  }
  // The staff a header names, by the value's own label: back to the line's start or the
  // separator of the field before ("ReferringPhysicianName=WELBY^MARCUS  PatientName=...").
  static const std::vector<std::string_view> kStaff = {
      "physician", "referring",  "operator",  "performing", "reading",  "radiologist",
      "technolog", "requesting", "attending", "ordering",   "reviewer", "author"};
  uint64_t line = s;
  while (line > w.begin() && (w.at(line - 1) == ' ' || w.at(line - 1) == '"')) --line;
  if (line > w.begin() && (w.at(line - 1) == '=' || w.at(line - 1) == ':')) --line;
  while (line > w.begin() && line + 48 > s && w.at(line - 1) != '\n' && w.at(line - 1) != '=' &&
         w.at(line - 1) != ':' && w.at(line - 1) != '|' && w.at(line - 1) != ',') {
    --line;
  }
  if (cueBefore(w, s, s - line, kStaff)) return true;
  static const std::vector<std::string_view> kPatient = {"pat=", "pat:", "patient", "name"};
  bool cue = labelBefore(w, s) || cueBefore(w, s, s - line, kPatient);
  addNameFinding(w, out, s, e, cue || w.clinical ? 0.85f : 0.8f, cue);
  return true;
}

}  // namespace

void nameHit(const Window& w, const NameData& names, uint32_t id, uint64_t start, uint64_t end,
             std::vector<Finding>& out) {
  // Whole words only: "Ann" in "Annual" or "Smith" in "Smithfield" are not hits; '+' and '/'
  // around a word are base64 more often than prose.
  char before = start > w.begin() ? w.at(start - 1) : ' ';
  char after = w.at(end);
  if (isAlnum(before) || before == '_' || before == '+' || before == '/') return;
  if (isAlnum(after) || after == '_' || after == '+' || after == '/') return;
  if ((before == '^' || after == '^') && caretName(w, start, end, out)) return;
  if ((id & kUpperName) != 0) {
    allCapsNameHit(w, names, names.entries()[id & ~kUpperName], start, end, out);
    return;
  }
  // Public figures and fictional characters in a general-knowledge question score nothing.
  if (w.general && !w.clinical) return;
  const NameEntry& entry = names.entries()[id];
  std::string_view token = w.slice(start, end);
  if (!titleCase(token)) return;
  // A party to a published case ("Canterbury v. Spence, 464 F.2d 772"): the word before
  // "v." is capitalised.
  uint64_t cite = start < w.begin() + 5                  ? 0
                  : w.slice(start - 4, start) == " v. "  ? 4
                  : w.slice(start - 5, start) == " vs. " ? 5
                                                         : 0;
  if (cite != 0) {
    uint64_t p = start - cite;  // the space before "v."
    uint64_t s = p;
    while (s > w.begin() && isAlpha(w.at(s - 1))) --s;
    if (s < p && isUpper(w.at(s))) return;
  }
  // The second part of a double name ("Jean-Pierre", "Eze-Thompson") starts the name at
  // its first part, and a partner is looked for before that.
  if (before == '-') {
    uint64_t s = start - 1;
    while (s > w.begin() && isAlpha(w.at(s - 1))) --s;
    if (s + 1 < start && isUpper(w.at(s)) && (s == w.begin() || !isAlnum(w.at(s - 1)))) {
      start = s;
      before = start > w.begin() ? w.at(start - 1) : ' ';
    }
  }
  Title title = titleBefore(w, start);
  bool labelled = labelBefore(w, start);
  bool cue = title != Title::kNone || labelled;
  // Before either word of a pair: "Dr. Amanda Ross", "Mrs. Ana Lopez".
  auto cueBeforePartner = [&](uint64_t pos) {
    Title t = titleBefore(w, pos);
    if (t == Title::kClinician) title = t;
    cue = cue || t != Title::kNone || labelBefore(w, pos);
  };

  // Look for a partner: First [Middle|M.] Last, or Last, First.
  uint64_t span_start = start;
  uint64_t span_end = end;
  bool pair = false;
  bool both_safe = false;
  bool famous = false;
  auto lastName = [&](const Word& word) {
    const NameEntry* e = word.text.empty() ? nullptr : names.find(word.text);
    return e != nullptr && e->last && titleCase(word.text);
  };
  uint64_t after_first = entry.first ? skipNickname(w, end) : end;
  if (entry.first) {
    Word next = nextWord(w, after_first);
    if (next.end == next.start + 1 && w.at(next.end) == '.') {  // middle initial
      Word after_initial = nextWord(w, next.end + 1);
      if (!after_initial.text.empty()) next = after_initial;
    } else if (const NameEntry* mid = names.find(next.text);
               mid != nullptr && mid->first && titleCase(next.text)) {
      Word after_middle = nextWord(w, next.end);
      if (lastName(after_middle)) next = after_middle;
    }
    if (lastName(next)) {
      pair = true;
      both_safe = names.safe(token) && names.safe(next.text);
      famous = names.publicFigure(token, next.text);
      if (famous) recordFigure(w, next);
      span_end = next.end;
    } else if (before == ' ' && start >= w.begin() + 2 && w.at(start - 2) == ',' &&
               !(validators::isUsStateName(token) && !w.clinical)) {
      // "Smith, John" (outside clinical text, "Ashburn, Virginia" is a place)
      uint64_t e = start - 2;
      uint64_t s = e;
      while (s > w.begin() && isAlpha(w.at(s - 1))) --s;
      Word prev{s, e, w.slice(s, e)};
      // ... and "HUYNH, Minh Chau", "ELLISON, Garrett": a census's or a board's surname in
      // capitals, one the lists hold or no English word.
      auto capsSurname = [&](const Word& word) {
        if (word.text.size() < 2 || !std::all_of(word.text.begin(), word.text.end(), isUpper)) {
          return false;
        }
        const NameEntry* listed = names.find(word.text);
        return listed != nullptr ? listed->last && !names.englishWord(word.text)
                                 : word.text.size() >= 3 && !names.englishWord(word.text);
      };
      if (s < e && !isAlnum(w.at(s - 1)) && (lastName(prev) || capsSurname(prev)) &&
          !(names.safe(prev.text) && names.safe(token))) {
        pair = true;
        span_start = prev.start;
      }
    }
  }
  if (!pair && entry.last) {
    Word prev = prevSkippingInitial(w, start);
    const NameEntry* partner = prev.text.empty() ? nullptr : names.find(prev.text);
    if (partner != nullptr && partner->first && titleCase(prev.text)) {
      pair = true;
      both_safe = names.safe(prev.text) && names.safe(token);
      famous = names.publicFigure(prev.text, token);
      if (famous) recordFigure(w, Word{start, end, token});
      span_start = prev.start;
      cueBeforePartner(prev.start);
    } else if (after == ',' && !names.safe(token)) {
      // "Clark, Ana" (a short first name has no literal of its own), "Evans, Hiroshi".
      Word next = nextWord(w, end + 1);
      const NameEntry* first = next.text.empty() ? nullptr : names.find(next.text);
      bool known_first = first != nullptr && first->first && !names.safe(next.text) &&
                         !(validators::isUsStateName(next.text) && !w.clinical);
      bool unknown_first = next.text.size() >= 3 && !names.englishWord(next.text) &&
                           !names.safe(next.text) && first == nullptr;
      if (titleCase(next.text) && (known_first || unknown_first)) {
        pair = true;
        span_end = next.end;
      }
    }
  }
  // A capitalised neighbour that is neither an English word nor in the dictionaries is most
  // likely a name the Census lists miss: "Jayden Smith", "Maria Kowalczyk".
  bool unknown_pair = false;
  // Not an English word and not a known first name (that case is a dictionary pair above):
  // unknown words and words the Census has only as surnames ("Mateo", "Ngozi").
  auto unknownName = [&](const Word& word) {
    static const std::vector<std::string_view> kCalendar = {
        "Jan", "Feb", "Mar", "Apr",  "Jun", "Jul", "Aug",  "Sep",   "Sept", "Oct", "Nov",
        "Dec", "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs", "Fri",  "Sat", "Sun"};
    return word.text.size() >= 3 && titleCase(word.text) && !names.englishWord(word.text) &&
           !names.safe(word.text) &&
           std::find(kCalendar.begin(), kCalendar.end(), word.text) == kCalendar.end();
  };
  if (!pair && !names.safe(token)) {
    Word next = entry.first ? nextWord(w, after_first) : Word{};
    Word prev = entry.last ? prevSkippingInitial(w, start) : Word{};
    if (unknownName(next)) {
      unknown_pair = !names.publicFigure(token, next.text);
      span_end = next.end;
    } else if (unknownName(prev) && w.at(prev.start - 1) != '.') {
      unknown_pair = !names.publicFigure(prev.text, token);
      span_start = prev.start;
      cueBeforePartner(prev.start);
    }
  }
  // "Ngozi Eze-Thompson, 44F", "Priya Raghunathan, 33 y/o", "Tomas Ruiz (67M)": the age
  // and sex a note gives its patient right after the name.
  // (Not one English word: "Service: Gold, 5 yrs".)
  // A bare age ("Kenji Matsuda, 34, line cook") is also how news and books give one, so it
  // does not outweigh an office before the name ("Former President Jimmy Carter, 98").
  bool bare_age = false;
  if (!cue && ageAfterName(w, span_end, &bare_age) &&
      (pair || unknown_pair || !names.englishWord(token))) {
    cue = true;
  }
  // "Hi Devon Richards, your MRI is on ...": a clinical message addresses its patient by
  // the full name.
  if (!cue && w.clinical && (pair || unknown_pair)) {
    Word greeting = prevWord(w, span_start);
    cue = greeting.text == "Hi" || greeting.text == "Hello" || greeting.text == "Dear" ||
          greeting.text == "Hey";
  }
  // "pt Lucille Haverford", "Res Harold Pruitt", "resident Agnes T.": a patient or a
  // resident named after the word for them.
  if (!cue && (pair || unknown_pair)) {
    static const std::vector<std::string_view> kRoles = {"pt",       "Pt",       "res",   "Res",
                                                         "resident", "Resident", "member"};
    Word role = prevWord(w, span_start);
    cue = std::find(kRoles.begin(), kRoles.end(), role.text) != kRoles.end();
  }
  // A relative's first name ("son Theo") counts beside another identifier: in a story
  // the same words name a character.
  bool relative = !cue && !pair && !unknown_pair && entry.first && !names.safe(token) &&
                  relativeBefore(w, start);
  // "Hi Marisol, reminder: appt Thu 10/24": a clinical message's addressee by first name,
  // beside another identifier (staff greet each other the same way).
  if (!cue && !relative && !pair && !unknown_pair && entry.first && w.clinical &&
      w.at(end) == ',' && !names.safe(token)) {
    Word greeting = prevWord(w, start);
    relative = greeting.text == "Hi" || greeting.text == "Hello" || greeting.text == "Dear";
  }
  float score = 0.0f;
  if (cue || relative) {
    score = 0.85f;
  } else if (pair && !both_safe && !famous) {
    score = w.clinical ? 0.8f : 0.7f;
  } else if (unknown_pair) {
    score = w.clinical ? 0.75f : 0.65f;
  }
  if (score <= 0.0f) return;
  if (labelled && !pair && !unknown_pair && speakerSentence(w, names, start, end)) return;
  // "Queen Victoria", "Prince Albert", "Saint Paul": an office, not a first name.
  static const std::vector<std::string_view> kOffices = {
      "queen ", "king ",      "prince ",  "princess ", "saint ",   "st. ",     "lord ", "sir ",
      "pope ",  "president ", "senator ", "general ",  "emperor ", "empress ", "lady ", "duke "};
  if ((!cue || bare_age) && cueBefore(w, span_start + 1, 12, kOffices)) return;
  // ... and the office as the pair's first word, though the lists hold it as a first name
  // too: "Princess Anne", "Prince Philip".
  static const std::vector<std::string_view> kOfficeWords = {
      "Prince", "Princess", "Queen", "King", "Duke", "Duchess", "Pope", "Emperor", "Empress"};
  if (std::find(kOfficeWords.begin(), kOfficeWords.end(),
                w.slice(span_start, wordEnd(w, span_start))) != kOfficeWords.end() &&
      wordEnd(w, span_start) < span_end) {
    return;
  }
  // "Blue Ridge Pharmacy", "Grace Church": capitalised words that run on into an
  // organisation's word name the organisation.
  Word next = nextWord(w, span_end);
  for (int words = 0; words < 3 && !next.text.empty() && isUpper(next.text[0]); ++words) {
    if (organisationWord(next.text)) return;
    next = nextWord(w, next.end);
  }
  // "A Christmas Carol", "The Great Gatsby": after a capitalised article, the title of a work.
  if (!cue) {
    Word article = prevWord(w, span_start);
    if (article.text == "A" || article.text == "An" || article.text == "The") return;
  }
  addNameFinding(w, out, span_start, span_end, score, cue && title != Title::kClinician);
}

uint64_t nameAfterCue(const Window& w, const NameData& names, uint64_t pos, float score,
                      bool patient_cue, std::vector<Finding>& out) {
  uint64_t p = pos;
  bool parenthesis = false;  // "wife (Funmi)": then the name must close it
  int line_breaks = 0;
  while (p < w.end() && p < pos + 6 &&
         (isSpace(w.at(p)) || w.at(p) == ':' || w.at(p) == '"' || w.at(p) == '-' ||
          w.at(p) == '=' || w.at(p) == ',' || w.at(p) == '(')) {
    parenthesis = parenthesis || w.at(p) == '(';
    line_breaks += w.at(p) == '\n' ? 1 : 0;
    ++p;
  }
  // "... if we sue a patient:\n\nSmall Claims Division": a blank line ends the label's reach.
  if (line_breaks >= 2) return pos;
  // A title between the label and the name: "PATIENT NAME: MR. ABDULRAHMAN AL-QAHTANI".
  static const std::vector<std::string_view> kTitles = {"mr. ", "mrs. ", "ms. ",  "dr. ",
                                                        "mx. ", "mr ",   "mrs ",  "ms ",
                                                        "dr ",  "miss ", "sra. ", "sr. "};
  char head[5];
  size_t n = 0;
  for (; n < sizeof head && p + n < w.end(); ++n) head[n] = toLower(w.at(p + n));
  for (std::string_view t : kTitles) {
    if (std::string_view(head, n).substr(0, t.size()) == t && isUpper(w.at(p + t.size()))) {
      p += t.size();
      // "I'm Dr. Okonjo" (a weak label): a clinician introducing themselves. After
      // "Patient name:" the name stays the patient's.
      if (clinicianTitle(t) && score < 0.85f) patient_cue = false;
      break;
    }
  }
  uint64_t start = p;
  uint64_t end = p;
  int words = 0;
  bool namey = false;  // a dictionary name, or a word that is not English ("Raghavan")
  bool all_safe = true;
  while (words < 4 && p < w.end() && upperStart(w.slice(p, p + 3))) {
    uint64_t e = wordEnd(w, p);
    std::string_view word = w.slice(p, e);
    // "J." and, between two names, "A" ("JAVIER A ESTRADA-LUNA").
    bool dotted = e == p + 1 && w.at(e) == '.';
    bool initial = dotted || (e == p + 1 && words > 0 && w.at(e) == ' ' &&
                              upperStart(w.slice(e + 1, e + 4)) && isAlpha(w.at(e + 2)));
    // "HARTWELL, DENISE M   MRN": a middle initial that ends the name, before a gap or a
    // line's end.
    if (!dotted && e == p + 1 && words > 0 && isUpper(w.at(p)) &&
        (e >= w.end() || w.at(e) == '\n' || w.at(e) == '\r' || w.at(e) == ',' ||
         (w.at(e) == ' ' && w.at(e + 1) == ' '))) {
      end = e;
      ++words;
      break;
    }
    if (!initial && identifierLabel(word)) break;
    // A field's name after the word "patient": "PID-3 Patient Identifier List", "CLP*<PATIENT
    // CONTROL NUMBER>", "Patient Account Number".
    static const std::vector<std::string_view> kFieldWords = {
        "identifier", "account",      "control",   "number",        "list",
        "code",       "status",       "type",      "class",         "portal",
        "record",     "records",      "financial", "balance",       "statement",
        "liability",  "demographics", "location",  "responsibility"};
    if (words == 0 && !initial) {
      std::string lower = lowerCopy(word);
      if (std::find(kFieldWords.begin(), kFieldWords.end(), lower) != kFieldWords.end()) break;
    }
    // "Patient ID 123": a two-letter first word is an abbreviation, not a name; nor is a
    // letter joined to a word ("patient X-rayed", "T-cell").
    if (!initial && (word.size() < 2 || (words == 0 && word.size() < 3) || word[1] == '-')) {
      break;
    }
    // "PATIENT MARIA GONZALEZ SEEN TODAY": an English word that is no name ends the name.
    // Past two words any English word ends it ("Seen" is also a Census surname).
    if (words > 0 && !initial && names.englishWord(word) &&
        (words >= 2 || names.find(word) == nullptr)) {
      break;
    }
    // An acronym is no name of its own ("Patient Access API", "Patient Portal SDK").
    bool acronym = word.size() <= 4 && std::all_of(word.begin(), word.end(), isUpper);
    if (!initial && (names.find(word) != nullptr || (!names.englishWord(word) && !acronym))) {
      namey = true;
    }
    if (!initial && !names.safe(word)) all_safe = false;
    end = dotted ? e + 1 : e;
    ++words;
    p = end;
    // "Smith, John" (and "SMITH, JOHN"), not "Jessamyn, OR circulator".
    auto capitals = [&](uint64_t from) {
      uint64_t to = wordEnd(w, from);
      return to > from && std::all_of(w.text.begin() + static_cast<long>(from - w.begin()),
                                      w.text.begin() + static_cast<long>(to - w.begin()), isUpper);
    };
    if (w.at(p) == ',' && words == 1 && w.at(p + 1) == ' ' && upperStart(w.slice(p + 2, p + 5)) &&
        !notFirstName(w, p + 2) &&
        (!capitals(p + 2) || wordEnd(w, p + 2) > p + 5 || capitals(start))) {
      p += 2;  // "Smith, John"
    } else if (w.at(p) == ' ' && upperStart(w.slice(p + 1, p + 4))) {
      ++p;
    } else if (uint64_t nick = skipNickname(w, p); words == 1 && nick != p && w.at(nick) == ' ' &&
                                                   upperStart(w.slice(nick + 1, nick + 4))) {
      p = nick + 1;  // "Clarence \"Buddy\" Whitcomb": the nickname is part of the name
    } else {
      break;
    }
  }
  if (words == 0 || !namey || all_safe || (parenthesis && w.at(end) != ')')) return pos;
  if (words == 1 && w.at(pos - 1) == ':' && speakerSentence(w, names, start, end)) return pos;
  // "this is Lakemont Health reminding you": the words run on into an organisation's name.
  if (Word next = nextWord(w, end); !next.text.empty() && organisationWord(next.text)) return pos;
  addNameFinding(w, out, start, end, score, patient_cue);
  return end;
}

void lowercaseName(const Window& w, const NameData& names, uint64_t pos, std::vector<Finding>& out,
                   LowerName alone) {
  if (w.general && !w.clinical) return;
  auto lowerWord = [&](uint64_t p) {
    uint64_t e = wordEnd(w, p);
    std::string_view word = w.slice(p, e);
    bool lower = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
      return isLower(c) || c == '-' || c == '\'' || static_cast<unsigned char>(c) >= 0x80;
    });
    return lower ? Word{p, e, word} : Word{};
  };
  // Words no dictionary knows and no English word: "kayden", "ogunleye".
  auto unknown = [&](std::string_view word) {
    return word.size() >= 3 && names.find(word) == nullptr && !names.englishWord(word) &&
           !names.safe(word);
  };
  // A surname, or a double one whose first part is ("brooks-whitaker").
  auto surname = [&](std::string_view word) {
    const NameEntry* e = names.find(word.substr(0, word.find('-')));
    return e != nullptr && e->last && !names.safe(word);
  };
  // A first name that is no English word ("darnell", not "will" or "grace"), then a surname
  // or an unknown word; or an unknown word, then a surname.
  Word first = lowerWord(pos);
  // Every reading below takes a first word that is no English word ("patient was seen"):
  // one lookup leaves before the others.
  if (first.text.empty() || names.englishWord(first.text)) return;
  Word last = w.at(first.end) == ' ' ? lowerWord(first.end + 1) : Word{};
  const NameEntry* entry = names.find(first.text);
  bool known_first =
      entry != nullptr && entry->first && !names.englishWord(first.text) && !names.safe(first.text);
  if (last.text.size() >= 2 && ((known_first && (surname(last.text) || unknown(last.text))) ||
                                (unknown(first.text) && surname(last.text)))) {
    addFinding(out, PhiType::kName, first.start, last.end, 0.75f);
  } else if (alone == LowerName::kSurnameAlone && w.clinical &&
             ((surname(first.text) && !names.englishWord(first.text)) ||
              (first.text.size() >= 4 && unknown(first.text)))) {
    // After a title ("mrs. delacroix", "mr. okafor"), in clinical text, a surname alone:
    // one the lists hold that is no English word, or a word no list knows.
    addFinding(out, PhiType::kName, first.start, first.end, 0.75f);
  } else if (alone == LowerName::kPatientFirst && w.clinical && known_first) {
    // "my pt keisha came in 10/3": a patient's first name in clinical text.
    addFinding(out, PhiType::kName, first.start, first.end, 0.75f);
  } else if ((alone == LowerName::kFirstAlone || alone == LowerName::kPatientFirst) &&
             (known_first || (first.text.size() >= 4 && unknown(first.text)))) {
    // "my son eli was born", "her name is linh": a first name alone, which counts beside
    // another identifier.
    addCorroboratedFinding(out, PhiType::kName, first.start, first.end, 0.75f);
  }
}

void nameBeforeCue(const Window& w, const NameData& names, uint64_t pos,
                   std::vector<Finding>& out) {
  if (w.general && !w.clinical) return;  // "Abraham Lincoln, born 1809"
  // Back over ", " or " (" (or a space) to the last word.
  uint64_t q = pos;
  for (int skipped = 0; q > w.begin() && skipped < 3 &&
                        (w.at(q - 1) == ' ' || w.at(q - 1) == ',' || w.at(q - 1) == '(');
       ++skipped) {
    --q;
  }
  if (q == pos) return;
  // Up to four capitalised words (or initials) joined by single spaces, right to left.
  Span spans[4];
  size_t count = 0;
  while (count < 4 && q > w.begin()) {
    bool initial = q >= w.begin() + 2 && w.at(q - 1) == '.' && isUpper(w.at(q - 2));
    uint64_t s = initial ? q - 2 : wordStart(w, q);
    if (s == q || !isUpper(w.at(s)) || (s > w.begin() && isAlnum(w.at(s - 1)))) break;
    spans[count++] = {s, q};
    if (s == w.begin() || w.at(s - 1) != ' ') break;
    q = s - 1;
  }
  // Leading English words are not part of the name ("Discharge Summary Maria Lopez, DOB").
  while (count > 0) {
    std::string_view first = w.slice(spans[count - 1].start, spans[count - 1].end);
    bool initial = first.size() == 2 && first[1] == '.';
    if (initial || identifierLabel(first) ||
        (names.englishWord(first) && names.find(first) == nullptr)) {
      --count;
      continue;
    }
    break;
  }
  if (count == 0) return;
  bool namey = false;
  bool all_safe = true;
  bool in_dictionary = false;
  for (size_t i = 0; i < count; ++i) {
    std::string_view word = w.slice(spans[i].start, spans[i].end);
    if (word.size() == 2 && word[1] == '.') continue;
    if (identifierLabel(word) || word == "ID") return;  // "TennCare ID (mom) 2299104877"
    const NameEntry* entry = names.find(word);
    in_dictionary = in_dictionary || entry != nullptr;
    namey = namey || entry != nullptr || !names.englishWord(word);
    all_safe = all_safe && names.safe(word);
  }
  if (!namey || all_safe || (count < 2 && !in_dictionary)) return;
  if (count == 2 && names.publicFigure(w.slice(spans[1].start, spans[1].end),
                                       w.slice(spans[0].start, spans[0].end))) {
    return;  // "Abraham Lincoln, born 1809"
  }
  addFinding(out, PhiType::kName, spans[count - 1].start, spans[0].end, 0.8f);
}

Span nicknameAfter(const Window& w, uint64_t end) {
  uint64_t p = end;
  if (w.at(p) == ' ') ++p;
  bool bracket = w.at(p) == '(';
  if (bracket) ++p;
  // In quotes, bracketed or not: `("Tiny")`, `"Hattie"` (a bare bracket after a full name is
  // more often a unit or a role than a nickname).
  uint64_t close_end = p;
  if (Span quoted = w.at(p) == '(' ? Span{} : quotedWord(w, p, close_end); !quoted.empty()) {
    return quoted.end - quoted.start >= 2 && quoted.end - quoted.start <= 15 ? quoted : Span{};
  }
  if (!bracket) return {};
  // "(goes by Hal)", "(aka Bud)".
  uint64_t limit = std::min(w.end(), end + 40);
  bool lead = false;
  for (std::string_view word : {"goes by ", "aka ", "a.k.a. ", "called "}) {
    if (p + word.size() <= limit && lowerCopy(w.slice(p, p + word.size())) == word) {
      p += word.size();
      lead = true;
      break;
    }
  }
  uint64_t s = p;
  if (!lead || s >= limit || !isUpper(w.at(s))) return {};
  while (p < limit && isAlpha(w.at(p))) ++p;
  if (p - s < 2 || p - s > 15 || w.at(p) != ')') return {};
  return {s, p};
}

namespace {

// The code point at `pos` and its length in bytes (0 for an ASCII byte or a broken sequence).
struct CodePoint {
  uint32_t value = 0;
  uint64_t size = 0;
};

CodePoint codePointAt(const Window& w, uint64_t pos) {
  auto b = [&](uint64_t i) { return static_cast<unsigned char>(w.at(pos + i)); };
  unsigned char c = b(0);
  auto cont = [&](uint64_t i) { return isContinuation(w.at(pos + i)); };
  if (c >= 0xC2 && c <= 0xDF && cont(1)) return {((c & 0x1Fu) << 6) | (b(1) & 0x3Fu), 2};
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
    return {((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu), 3};
  }
  return {};
}

// The scripts whose names scriptNameAfter() reads.
enum class Script {
  kNone,
  kHan,
  kKana,
  kHangul,
  kCyrillicUpper,
  kCyrillicLower,
  kArabic,
  kDevanagari
};

Script scriptOf(uint32_t cp) {
  // ... and the iteration mark that repeats a character: "佐々木".
  if ((cp >= 0x4E00 && cp <= 0x9FFF) || cp == 0x3005) return Script::kHan;
  if (cp >= 0x3041 && cp <= 0x30FF && cp != 0x30FB) return Script::kKana;  // not the "・"
  if (cp >= 0xAC00 && cp <= 0xD7A3) return Script::kHangul;
  // With Ukrainian's, Belarusian's and Serbian's own letters ("І", "ї", "є", "ґ").
  if ((cp >= 0x0400 && cp <= 0x042F) || cp == 0x0490) return Script::kCyrillicUpper;
  if ((cp >= 0x0430 && cp <= 0x045F) || cp == 0x0491) return Script::kCyrillicLower;
  if ((cp >= 0x0620 && cp <= 0x064A) || (cp >= 0x066E && cp <= 0x06D3)) return Script::kArabic;
  if (cp >= 0x0900 && cp <= 0x097F) return Script::kDevanagari;
  return Script::kNone;
}

}  // namespace

uint64_t scriptNameAfter(const Window& w, uint64_t pos, float score, std::vector<Finding>& out,
                         bool bracketed) {
  uint64_t p = skipLabel(w, pos);  // also the full-width colon and the ideographic space
  CodePoint first = codePointAt(w, p);
  Script script = scriptOf(first.value);
  if (script == Script::kNone || script == Script::kCyrillicLower) return pos;
  uint64_t limit = std::min(w.end(), p + 64);
  uint64_t e = p;
  if (script == Script::kHan || script == Script::kKana || script == Script::kHangul) {
    // "王秀英", "田中 美智子", "タナカ ミチコ", "최영숙": two runs at most, apart by one space.
    int runs = 0;
    int chars = 0;
    int first_run = 0;
    uint64_t q = p;
    while (q < limit && runs < 2) {
      int run = 0;
      for (CodePoint cp = codePointAt(w, q);
           cp.size != 0 &&
           (scriptOf(cp.value) == script || (script == Script::kKana && cp.value == 0x30FC));
           cp = codePointAt(w, q)) {
        q += cp.size;
        ++run;
      }
      if (run == 0 || run > 5) return pos;  // a sentence, not a name
      chars += run;
      if (runs == 0) first_run = run;
      ++runs;
      // The next label after a name: "王秀英　性别：女".
      if (runs == 2 && (codePointAt(w, q).value == 0xFF1A || w.at(q) == ':')) {
        chars = first_run;
        break;
      }
      e = q;
      CodePoint gap = codePointAt(w, q);
      if (w.at(q) == ' ' && scriptOf(codePointAt(w, q + 1).value) == script) {
        ++q;
      } else if (gap.value == 0x3000 && scriptOf(codePointAt(w, q + 3).value) == script) {
        q += 3;
      } else {
        break;
      }
    }
    if (chars < 2 || chars > 8) return pos;
  } else {
    // Words of the script, apart by single spaces: "Кузнецова Галина Петровна" (capitalised),
    // "محمد عبد الله الحسيني".
    int words = 0;
    uint64_t q = p;
    while (q < limit && words < 4) {
      CodePoint head = codePointAt(w, q);
      Script s = scriptOf(head.value);
      bool ok = script == Script::kCyrillicUpper ? s == Script::kCyrillicUpper : s == script;
      if (!ok) break;
      uint64_t word_start = q;
      q += head.size;
      for (CodePoint cp = codePointAt(w, q); cp.size != 0; cp = codePointAt(w, q)) {
        Script t = scriptOf(cp.value);
        bool same = script == Script::kCyrillicUpper
                        ? t == Script::kCyrillicLower || t == Script::kCyrillicUpper
                        : t == script || (script == Script::kDevanagari && cp.value >= 0x0900 &&
                                          cp.value <= 0x097F);
        if (!same) break;
        q += cp.size;
      }
      if (q - word_start < 4) break;  // one letter: an initial's place, not a word
      e = q;
      ++words;
      if (w.at(q) != ' ') break;
      ++q;
    }
    if (words == 0) return pos;
  }
  // A label's value is no label itself: "姓名：性别：" is a form's empty field.
  if (CodePoint next = codePointAt(w, e); next.value == 0xFF1A || w.at(e) == ':') return pos;
  addFinding(out, PhiType::kName, p, e, score);
  // The name again in brackets, in Latin letters or kana: "佐藤 健一（SATO KENICHI）",
  // "田中 美智子（タナカ ミチコ）", "Юрий Петренко (Yuriy Petrenko)".
  if (!bracketed) return e;
  uint64_t open = e + (w.at(e) == ' ' ? 1 : 0);
  uint64_t inner = w.at(open) == '('                           ? open + 1
                   : w.slice(open, open + 3) == "\xef\xbc\x88" ? open + 3
                                                               : 0;
  if (inner != 0) {
    uint64_t close = inner;
    bool latin = isUpper(w.at(inner));
    while (close < inner + 48 && close < w.end()) {
      char c = w.at(close);
      if (c == ')' || w.slice(close, close + 3) == "\xef\xbc\x89") break;
      bool ok = latin ? isAlpha(c) || c == ' ' || c == '-' || c == '\''
                      : static_cast<unsigned char>(c) >= 0x80 || c == ' ';
      if (!ok) return e;
      ++close;
    }
    bool closed = w.at(close) == ')' || w.slice(close, close + 3) == "\xef\xbc\x89";
    if (latin && closed && close > inner + 3) {
      addFinding(out, PhiType::kName, inner, close, score);
    } else if (!latin && closed) {
      scriptNameAfter(w, inner, score, out, false);
    }
  }
  return e;
}

namespace {

// The start of the code point that ends at `pos` (pos when the byte before is ASCII).
uint64_t codePointBefore(const Window& w, uint64_t pos) {
  uint64_t q = pos;
  while (q > w.begin() && pos - q < 4 && isContinuation(w.at(q - 1))) --q;
  return q > w.begin() && q < pos ? q - 1 : pos;
}

bool cyrillic(Script s) {
  return s == Script::kCyrillicUpper || s == Script::kCyrillicLower;
}

// The Cyrillic word that ends at `end` after one space: its start if it is capitalised and
// two letters or more, else `end`.
uint64_t capitalisedWordBefore(const Window& w, uint64_t end) {
  if (end <= w.begin() + 1 || w.at(end - 1) != ' ') return end;
  uint64_t q = end - 1;
  int letters = 0;
  for (uint64_t c = codePointBefore(w, q); c < q && cyrillic(scriptOf(codePointAt(w, c).value));
       c = codePointBefore(w, q)) {
    q = c;
    ++letters;
  }
  if (letters < 2 || scriptOf(codePointAt(w, q).value) != Script::kCyrillicUpper) return end;
  return q;
}

}  // namespace

void scriptNameInBrackets(const Window& w, uint64_t end, float score, std::vector<Finding>& out) {
  uint64_t open = end + (w.at(end) == ' ' ? 1 : 0);
  uint64_t inner = w.at(open) == '('                           ? open + 1
                   : w.slice(open, open + 3) == "\xef\xbc\x88" ? open + 3
                                                               : 0;
  if (inner == 0 || scriptOf(codePointAt(w, inner).value) == Script::kNone) return;
  std::vector<Finding> name;
  uint64_t e = scriptNameAfter(w, inner, score, name, false);
  if (e != inner && (w.at(e) == ')' || w.slice(e, e + 3) == "\xef\xbc\x89")) {
    out.insert(out.end(), name.begin(), name.end());
  }
}

void patronymicName(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  // The word ends after the suffix's case ending: "-ович", "-овича", "-овичем"; "-овна",
  // "-овны", "-овной".
  std::string tail;
  uint64_t e = end;
  for (CodePoint cp = codePointAt(w, e); scriptOf(cp.value) == Script::kCyrillicLower;
       cp = codePointAt(w, e)) {
    if (tail.size() >= 4) return;
    tail += w.slice(e, e + cp.size);
    e += cp.size;
  }
  if (scriptOf(codePointAt(w, e).value) != Script::kNone || isAlnum(w.at(e))) return;
  bool male = w.slice(end - 2, end) == "ч";
  static const std::vector<std::string_view> kMale = {"", "а", "у", "е", "ем"};
  static const std::vector<std::string_view> kFemale = {"а", "ы", "е", "у", "ой"};
  const auto& endings = male ? kMale : kFemale;
  if (std::find(endings.begin(), endings.end(), tail) == endings.end()) return;
  // Back to the word's capital, a letter or more before the suffix ("Петр-ович").
  uint64_t s = start;
  int letters = 0;
  for (uint64_t c = codePointBefore(w, s);
       c < s && scriptOf(codePointAt(w, c).value) == Script::kCyrillicLower;
       c = codePointBefore(w, s)) {
    s = c;
    ++letters;
  }
  uint64_t capital = codePointBefore(w, s);
  if (capital == s || scriptOf(codePointAt(w, capital).value) != Script::kCyrillicUpper ||
      letters < 1) {
    return;
  }
  s = capital;
  uint64_t given = capitalisedWordBefore(w, s);
  if (given == s) return;
  // A label or a greeting capitalised before the name is not its surname: "Пациент Иван
  // Сергеевич", "Уважаемая Нина Петровна", "Дочь Анна Петровна".
  static const std::vector<std::string_view> kNotSurname = {
      "Пациент", "Пациентка", "Пациента", "Больной", "Больная", "Уважаемый", "Уважаемая",
      "Дочь",    "Сын",       "Мама",     "Папа",    "Жена",    "Муж",       "Здравствуйте"};
  uint64_t first = capitalisedWordBefore(w, given);
  if (first != given && std::find(kNotSurname.begin(), kNotSurname.end(),
                                  w.slice(first, given - 1)) != kNotSurname.end()) {
    first = given;
  }
  // A clinician's name after their title ("врач Петров Павел Андреевич") acts in their role.
  static const std::vector<std::string_view> kClinician = {"врач ", "Врач ", "доктор ", "Доктор ",
                                                           "д-р ",  "dr. ",  "dr "};
  if (cueBefore(w, first, 16, kClinician)) return;
  uint64_t last = e;
  if (first == given && w.at(e) == ' ') {
    // "Иван Сергеевич Орлов": the surname after.
    uint64_t q = e + 1;
    if (scriptOf(codePointAt(w, q).value) == Script::kCyrillicUpper) {
      while (cyrillic(scriptOf(codePointAt(w, q).value))) q += codePointAt(w, q).size;
      if (scriptOf(codePointAt(w, q).value) == Script::kNone && !isAlnum(w.at(q))) last = q;
    }
  }
  addFinding(out, PhiType::kName, first, last, 0.85f);
}

}  // namespace detect
}  // namespace sluice::scanner
