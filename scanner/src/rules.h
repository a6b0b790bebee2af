// File: rules.h
//
// The scanner's pattern set, in three Hyperscan databases:
//
//  - the regex database holds the format patterns (SSN, phone, dates, cards, ...). Every one
//    of them contains a run of digits, so both APIs run it only over windows around such
//    runs (prefilter.h); each match is only a candidate until a validator in analyzer.cc
//    accepts it;
//  - the keyword database holds the literals that gate context-dependent identifiers
//    ("MRN", "member id") and the structural triggers (HL7 "PID|", FHIR "system",
//    "data:image/", "://", "@", the '":' that ends a JSON key);
//  - the clinical and general-knowledge cues (Cue::kClinical, kGeneral) go to a database of
//    their own whose scan stops at the first clinical cue (engine.h);
//  - the health vocabulary (healthTerms(), from data/health_terms.txt) says whether a
//    request is about anyone's health at all; its scan stops at the first term, and runs
//    only while neither it nor a clinical cue has been seen;
//  Literals are matched without start-of-match tracking because their length gives the
//  start, which keeps both the scan and the per-connection stream state small. The
//  first-name and surname dictionaries are not in Hyperscan at all: name_lexicon.h.
//
// RE2::Set runs over exactly regexPatterns() in the benchmark, as the baseline.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::scanner {

enum class Rule : uint16_t {
  kSsn,
  kPhone,
  kDateNumeric,
  kDateText,
  kDateMonthYear,
  kAge,
  kCard,
  kIpv4,
  kIpv6,
  kZipState,
  kMbi,
  kDea,
  kVin,
  kUdi,
  kPhoneIntl,      // +44 20 7946 0958: E.164 with a leading '+'
  kMac,            // 00:1B:44:11:3A:B7, a device identifier when a cue says so
  kDateNoYear,     // "Nov 24", "March 3rd", "14 March": a date needs context without a year
  kDateMonthDay,   // "11/26": a date only after a date cue, else a fraction or a score
  kDateForeign,    // "14 lutego 1958", "3 de marzo de 1948": European month names
  kMemberId,       // "TRH300918842", "XOF884201937-02": a plan's prefix and a member number
  kCaseNumber,     // "ME25-01877", "PRV-2025-0142": a case's or a request's number after its word
  kDateOcr,        // "O6/O2/1948": a date read by OCR with the letter O for a zero
  kDateOrdinal,    // "till the 30th", "on the 22nd?": a day of the month said alone
  kDateEastAsian,  // "2024年3月5日", "2023년 8월 14일", "ngày 3 tháng 7 năm 1956"
  kPhoneTrunk,     // "0412 555 873", "(07) 4755 0193": a national number after its trunk '0'
  kDin,            // "W0365 25 104772": an ISBT 128 donation identification number
  kBirthNumber,    // "620418-2387", "675823/1128": a Nordic, Czech or Slovak personal number
  kCoordinates,    // "42.6883 N, 109.2712 W", "23°26'12\"S 68°14'55\"W": a place's latitude and
                   // longitude
  kPostcode,       // "LS6 1HU", "H2H 1R8": a UK postcode or a Canadian postal code alone
  kExif,           // "2024:06:02 18:41:07", "43 deg 39' 12.84\" N": a photo's date and place as
                   // exiftool prints them
};

struct RegexPattern {
  Rule rule;
  std::string_view regex;
  bool caseless;
  // Hyperscan tracks where a match starts (HS_FLAG_SOM_LEFTMOST), which costs most on a
  // pattern with a variable-length head; without it the detector finds the start itself.
  bool leftmost = true;
};

const std::vector<RegexPattern>& regexPatterns();

// What a literal hit means.
enum class Cue : uint8_t {
  kMrn,
  kHealthPlan,
  kAccount,
  kLicense,
  kNpi,
  kSsn,
  kPhone,
  kFax,
  kDob,
  kAge,
  kVehicle,
  kDevice,
  kBiometric,
  kId,
  kZip,
  kAddress,
  kStreet,        // a street suffix ("Street", "Ave", "DR"); see streetAddress()
  kStreetAhead,   // a street type before its name ("rue", "Calle", "Rua"); streetAhead()
  kStreetInWord,  // a street type at the end of its name ("Hauptstra\u00dfe"); streetAhead()
  kNationalId,    // "NHS number", "DNI", "CPF", "SIN": another country's national identifier
  kPoBox,         // "P.O. Box" and its spellings, then the box number
  kRuralBox,      // " box ": a rural route's or a highway contract's box ("RR 1 Box 22")
  kMonthOf,       // " of March": a day in words before it ("the fourth of March")
  kResidence,     // "lives in", "born in": a city and state after it; see cityAfterResidenceCue()
  kRelation,      // "(son)", "(wife)" after a name: the capitalised words before it are a name
  kAgeWords,      // "ninety", "one hundred": an age over 89 written out ("ninety-six years old")
  kRecordPath,    // "/patients/" in a URL path: the segment after it identifies a patient
  kNameLabel,     // "name:", "patient name" - the following capitalised words are a name
  kScriptName,  // "姓名", "Ф.И.О.", "الاسم": a name label in another script; scriptNameAfter()
  kPatronymic,    // "ович", "овн": a Russian patronymic's suffix; patronymicName()
  kTitle,         // "Mr.", "Dr." - the following capitalised word is a name
  kClinical,      // marks the document as clinical; no extraction of its own
  kColumn,        // a column header word; only meaningful in a delimited header line
  kGeneral,       // marks a general-knowledge question: names there are public, not patients
  kEmailAt,       // "@"
  kUrlScheme,     // "://"
  kWww,           // "www."
  kDataImage,     // "data:image/"
  kImageBlock,    // "\"image\"", "\"image_url\"", "\"inline_data\"", ...
  kHl7Segment,    // "PID|", "NK1|", ...
  kFhirSystem,    // "\"system\""
  kJsonKey,       // "\":" - the end of a JSON key; jsonKey() reads the key and its value
  kKeyValue,      // "='", "=\"" - a key and its quoted value; keyValue()
  kDictKey,       // "': '" - a Python dict's key and its quoted value; keyValue()
  kSqlInsert,     // "insert into" - sqlInsert() reads the column list and VALUES tuples
  kXmlEnd,        // "</" - xmlElement() reads the element's name and its text
  kX12Segment,    // "NM1*", "DMG*", "CLM*", ... - x12Segment() reads an EDI claim segment
  kFiction,       // "screenplay", "INT. " - a story's people are characters, even in a ward;
                  // "animal hospital": an animal's owner is no patient
  kDicom,         // "(0010,": an element of a DICOM header dump; see dicomElement()
  kEmailHeader,   // "\nFrom: ", "\nTo: ": the contact details after them are correspondents'
  kSpeech,        // "transcript", "caller:", "spk_": values said aloud follow; see transcript()
  kUsername,      // "portal user:", "username", "user=": an account's name follows
  kFhirResource,  // "\"resourceType\"": FHIR resources are in the request (a directory's
                  // entries count only beside a patient's identifiers)
  kEmployer,      // "Employer:", "works for": a patient's employer is named; see employer()
  kFixture,       // "ZZTEST", "Testpatient", "TEST000": a test fixture's rows are in the request
  kRelative,      // "son ", "brother", "boyfriend": a relative's name may follow
  kAamva,         // "DCS=", "\nDAQ": a field of a driver's licence barcode; see aamvaField()
};

struct Keyword {
  std::string_view text;
  Cue cue;
  bool caseless;
};

const std::vector<Keyword>& keywords();

// A term of data/health_terms.txt. It counts where it starts a word (when `word_start`) and
// ends one (when `word_end`, that is unless the term is a stem written with a trailing '*').
struct HealthTerm {
  std::string text;
  bool word_start;
  bool word_end;
};

const std::vector<HealthTerm>& healthTerms();

}  // namespace sluice::scanner
