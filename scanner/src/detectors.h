// File: detectors.h
//
// The second stage of the scanner: each Hyperscan hit is a candidate, and a detector decides
// whether it is a finding, of which type and with what score. Detectors look at the bytes
// around the hit (Window) and never at scanner state, so the one-shot and stream APIs share
// them, and each one is tested through the public Scanner API.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "names.h"
#include "rules.h"
#include "window.h"

namespace sluice::scanner::detect {

// Format patterns from the regex database (analyzer.cc).
void formatRule(const Window& w, Rule rule, uint64_t start, uint64_t end,
                std::vector<Finding>& out);

// A street suffix ("Street", "AVE"): walks back to the house number, then extends over
// unit, city, state and ZIP (analyzer.cc).
void streetAddress(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out);
// "RR 1 Box 22 Lodge Grass", "HC 2 Box 19A, Stonewall, Oklahoma": a rural route's box and its
// town, from the keyword " box " at [start, end).
void ruralBox(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out);
// "the fourth of March", "twenty-third of January": a day in words before the month that
// the keyword " of <month>" at [start, end) names.
void dayInWordsOfMonth(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out);
// The end of a UK postcode ("NW1 6XE", "SW1A 1AA") or a Canadian postal code ("M5V 2T6")
// that starts at `p`, or 0; and of a postal code before a town elsewhere ("28013",
// "1000-001", "01310-100").
uint64_t postcodeEnd(const Window& w, uint64_t p);
uint64_t foreignPostalEnd(const Window& w, uint64_t p);
// A street type before its name or ending it, as in Europe and Latin America ("12 rue de la
// Paix, 75002 Paris", "Calle Mayor 12", "Hauptstra\u00dfe 5"), with a house number.
void streetAhead(const Window& w, Cue cue, uint64_t start, uint64_t end, std::vector<Finding>& out);
// The patient identifier in the URL path segment after "/patients/" (the hit ends at `end`).
void recordPath(const Window& w, uint64_t end, std::vector<Finding>& out);
// An age over 89 written out ("ninety-six years old", "aged ninety", "Ann Lee, ninety-six,").
void writtenAge(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out);
// The city after "lives in", "born in" ... (the hit is [start, end)) when a state follows it
// ("born in Lima, Ohio"), or a town alone in clinical text beside other identifiers.
void cityAfterResidenceCue(const Window& w, const NameData& names, uint64_t start, uint64_t end,
                           std::vector<Finding>& out);

// Keyword cues: the identifier that follows "MRN:", "member id", "DOB" ... (context.cc).
void keywordCue(const Window& w, const NameData& names, Cue cue, uint64_t start, uint64_t end,
                std::vector<Finding>& out);
// A JSON key ("memberId": ...) whose value is an identifier of a known type (context.cc).
void jsonKey(const Window& w, const NameData& names, uint64_t start, uint64_t end,
             std::vector<Finding>& out);

// Structure: HL7 v2 segments, FHIR identifiers, images, URLs, e-mail (structured.cc).
void hl7Segment(const Window& w, const NameData& names, uint64_t start, uint64_t end,
                std::vector<Finding>& out);
void fhirSystem(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out);
// A DICOM element of a header dump at `start` ("(0010,0010) PN [DOE^JOHN]", pydicom's
// "(0010, 0010) Patient's Name  PN: 'DOE^JOHN'"): the patient's name, IDs, birth date,
// address, phone and age, and the study's accession number and dates.
void dicomElement(const Window& w, uint64_t start, std::vector<Finding>& out);
// A "type" key (its opening quote at `key`) holding an object at `brace`: when it names an
// identifier type (HL7 table 0203 code or text: MR, SS, "MRN"), the "value" beside it.
void fhirIdentifierType(const Window& w, uint64_t key, uint64_t brace,
                        std::vector<Finding>& out);
// Whether the key at `key` is a member of an object held by member `parent` (with quotes):
// "address": {"line": ...} or "address": [{"line": ...}].
bool memberOf(const Window& w, uint64_t key, std::string_view parent);
// Whether the object holding the key at `key` is a FHIR Patient resource.
bool fhirPatient(const Window& w, uint64_t key);
// Whether `key` lies in a FHIR resource of a directory (a Practitioner, an Organization, a
// Location, ...): its names, addresses and numbers are a provider's or a place's.
bool fhirDirectoryEntry(const Window& w, uint64_t key);
void image(const Window& w, Cue cue, uint64_t start, uint64_t end, std::vector<Finding>& out);
// Where an image payload that continues at `p` ends in `w`: at the first byte that is not
// base64 (a data: URL), or at the closing '"' (a JSON string).
uint64_t payloadEnd(const Window& w, uint64_t p);
uint64_t quotedEnd(const Window& w, uint64_t p);
void url(const Window& w, Cue cue, uint64_t start, uint64_t end, std::vector<Finding>& out);
// An X12 EDI segment ("NM1*IL*1*DOE*JANE****MI*W123456789~") of a claim or remittance.
void x12Segment(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out);
// 555-5555, 123-456-7890, one digit repeated: the numbers of forms and examples.
bool examplePhone(std::string_view text);
// 800, 888, 877 ...: a business's number.
bool tollFree(std::string_view text);
// A valid NPI other than 1234567893, the example CMS publishes (and every validator's test).
bool providerNpi(std::string_view text);
void email(const Window& w, uint64_t at, std::vector<Finding>& out);

// Shared extractors (context.cc): the value after a label, skipping ": # = \"" and words
// such as "number"/"is"/"no.". Returns [start, end) or an empty range.
struct Span {
  uint64_t start = 0;
  uint64_t end = 0;
  bool empty() const { return end <= start; }
};
// The nickname right after a name that ends at `end`: `Robert Ashby ("Tiny")`, `Greenbaum,
// Harriet "Hattie"`, `Harold Brzezinski (goes by Hal)`. Empty when there is none.
Span nicknameAfter(const Window& w, uint64_t end);
uint64_t skipLabel(const Window& w, uint64_t pos);
Span idToken(const Window& w, uint64_t pos, int min_digits);
Span idTokenNear(const Window& w, uint64_t pos, int min_digits);
Span groupedIdToken(const Window& w, uint64_t pos, int min_digits);
Span phoneToken(const Window& w, uint64_t pos);
Span dateToken(const Window& w, uint64_t pos);

// A phone or fax number is anyone's: outside clinical text ("My direct line is ...", a hotel
// booking), in a sign-off or after an organisation's name it is PHI only beside another
// identifier.
inline void addContactFinding(const Window& w, std::vector<Finding>& out, PhiType type,
                              uint64_t start, uint64_t end, float score) {
  // A toll-free number is a business's. After the headers of an e-mail ("From: ... To:
  // ..."), the details are the correspondents' own.
  bool toll_free =
      (type == PhiType::kPhone || type == PhiType::kFax) && tollFree(w.slice(start, end));
  if (strongFound(w) || (w.clinical && !toll_free && !signature(w, start) &&
                         !organisationBefore(w, start) && !correspondence(w, start) &&
                         !organisationVoice(w, start, end) && !organisationRecord(w, start, end))) {
    addFinding(out, type, start, end, score);
  } else {
    addCorroboratedFinding(out, type, start, end, score);
  }
}

// Judges an identifier-shaped value given its type from context; used by keyword cues, JSON
// keys, HL7 fields and FHIR identifiers alike.
void typedValue(const Window& w, PhiType type, Span value, float score,
                std::vector<Finding>& out);
// ... as a finding that counts only beside another identifier when `needs_another`.
void typedValue(const Window& w, PhiType type, Span value, float score, std::vector<Finding>& out,
                bool needs_another);

// What a JSON key or a table column says about its values (context.cc). Keys are
// normalised: lower case, letters and digits only ("Patient_Name" -> "patientname").
struct KeyRule {
  PhiType type;
  bool strong;  // the key alone makes the value PHI (no dictionary needed for names)
};
const std::unordered_map<std::string, KeyRule>& keyRules();
std::string normalisedKey(std::string_view text);
// Capitalised words that can be a name; `strong` when the context already says it is one.
bool plausibleName(const Window& w, const NameData& names, Span s, bool strong);

// Whether the keyword that ends at `end` may be a cell of a delimited header line: a
// separator, a line end, a quote or an underscore after it ("mrn,", "pt_name |"), or the
// padding of an aligned column before its pipe ("MRN      | Test").
inline bool headerCell(const Window& w, uint64_t end) {
  char next = w.at(end);
  if (next == ' ') {
    uint64_t p = end + 1;
    while (p < end + 40 && w.at(p) == ' ') ++p;
    return w.at(p) == '|';
  }
  if (next == '(') {  // a note in brackets before the separator: "name(if known),"
    uint64_t p = end + 1;
    while (p < end + 32 && w.at(p) != ')' && w.at(p) != '\n') ++p;
    if (w.at(p) != ')') return false;
    next = w.at(p + 1);
    return next == ',' || next == '\t' || next == '|' || next == ';';
  }
  return next == ',' || next == '\t' || next == '|' || next == ';' || next == '\n' ||
         next == '\r' || next == '"' || next == '_';
}

// Values said aloud (spoken.cc): after a transcript's marker ending at `end`, the 4 KB
// after it from *read_to on (which it advances); after a birth-date or phone label at `pos`
// whose value is no digits, the first spoken date or number (after a birth-date label,
// `birth_date`, also a date said as numbers: "ten twelve forty four").
void transcript(const Window& w, uint64_t end, uint64_t* read_to, std::vector<Finding>& out);
void spokenAfterLabel(const Window& w, uint64_t pos, bool birth_date, std::vector<Finding>& out);

// Whether the keyword that ends at `end` may be a cell of a header aligned with spaces:
// "PAT_MRN_ID PAT_NAME", "MRN      DOB".
inline bool alignedCell(const Window& w, uint64_t end) {
  char next = w.at(end);
  return next == '_' || (next == ' ' && w.at(end + 1) == ' ');
}

inline bool tableHeaderCell(const Window& w, uint64_t end) {
  return headerCell(w, end) || alignedCell(w, end);
}

// Tables and SQL (tables.cc). A keyword that is a cell of a header line types the cells
// below it by their column: a delimited header ("mrn,last,first,dob", "pt_name | dob") or
// one aligned with spaces, as SQL clients, fixed-width exports and pandas print it ("PAT_ID
// PAT_MRN_ID PAT_NAME   BIRTH_DATE"). Returns false when the line is no such header.
bool table(const Window& w, const NameData& names, uint64_t start, uint64_t end,
           std::vector<Finding>& out);
// A quoted value after its key, as a Python record's or dict's repr, keyword arguments and
// log lines write it ("Row(mrn='MRN7732019', pt_name='Ikeda, Haruto')", "pt=\"LOCKLEAR,
// VERNON\"", "{'first': 'RYO'}"): judged as a cell of a column of that name. The hit at
// `start` is the '=' of kKeyValue or the closing quote of kDictKey's key.
void keyValue(const Window& w, const NameData& names, Cue cue, uint64_t start,
              std::vector<Finding>& out);
// "INSERT INTO t (col, ...) VALUES (...), (...)": each value judged by its column.
void sqlInsert(const Window& w, const NameData& names, uint64_t start, uint64_t end,
               std::vector<Finding>& out);
// An XML element's text, judged by the element's name like a column's cell: "<LastName>
// Haverford</LastName>", "<city>Shreveport</city>" (C-CDA, NCPDP SCRIPT, SOAP), when the
// element is a patient's. `start` is the "</" of its end tag.
void xmlElement(const Window& w, const NameData& names, uint64_t start, uint64_t end,
                std::vector<Finding>& out);

}  // namespace sluice::scanner::detect
