// Detectors that read structure: HL7 v2 segments pasted into prompts, FHIR identifiers,
// image parts of AI-API requests, URLs and e-mail addresses.
#include <algorithm>
#include <string>

#include "detectors.h"
#include "sluice/scanner/validators.h"

namespace sluice::scanner::detect {
namespace {

namespace v = validators;

struct FieldRule {
  std::string_view segment;
  int field;
  PhiType type;
  bool first_component;         // the first component only; a date in any component when false
  bool beside_another = false;  // a finding only beside another identifier
};

using T = PhiType;

// HL7 v2.5 field positions that carry a patient's identifiers, names, contacts and the dates
// of their care (TS/DTM and DT fields: birth, death, admission, discharge, collection, the
// message and event times). Grouped by segment, fields ascending: hl7Segment() walks a
// segment's fields once and stops after its last rule.
constexpr FieldRule kHl7Fields[] = {
    {"AIS", 4, T::kDate, true},         // appointment start date/time
    {"AL1", 6, T::kDate, true},         // identification date
    {"DG1", 5, T::kDate, true},         // diagnosis date/time
    {"EVN", 2, T::kDate, true},         // recorded date/time
    {"EVN", 3, T::kDate, true},         // planned event date/time
    {"EVN", 6, T::kDate, true},         // event occurred
    {"GT1", 2, T::kId, true},           // guarantor number
    {"GT1", 3, T::kName, false},        // guarantor name
    {"GT1", 5, T::kAddress, false},     // guarantor address
    {"GT1", 6, T::kPhone, false},       // home phone
    {"GT1", 7, T::kPhone, false},       // business phone
    {"GT1", 8, T::kDate, true},         // guarantor date of birth
    {"GT1", 12, T::kSsn, true},         // guarantor SSN
    {"IN1", 2, T::kHealthPlan, true},   // insurance plan ID
    {"IN1", 8, T::kHealthPlan, true},   // group number
    {"IN1", 12, T::kDate, true},        // plan effective date
    {"IN1", 13, T::kDate, true},        // plan expiration date
    {"IN1", 16, T::kName, false},       // name of insured
    {"IN1", 18, T::kDate, true},        // insured's date of birth
    {"IN1", 19, T::kAddress, false},    // insured's address
    {"IN1", 24, T::kDate, true},        // notice of admission date
    {"IN1", 26, T::kDate, true},        // report of eligibility date
    {"IN1", 29, T::kDate, true},        // verification date/time
    {"IN1", 36, T::kHealthPlan, true},  // policy number
    {"IN1", 44, T::kAddress, false},    // insured's employer's address
    {"IN1", 49, T::kHealthPlan, true},  // insured's ID number
    {"MRG", 1, T::kMrn, true},          // prior patient identifier list
    {"MRG", 3, T::kAccount, true},      // prior patient account number
    {"MRG", 5, T::kId, true},           // prior visit number
    {"MRG", 7, T::kName, false},        // prior patient name
    {"MSH", 7, T::kDate, true, true},   // date/time of message: a patient's only in a
                                        // message about one (not an ACK's)
    {"NK1", 2, T::kName, false},        // name
    {"NK1", 4, T::kAddress, false},     // address
    {"NK1", 5, T::kPhone, false},       // phone number
    {"NK1", 6, T::kPhone, false},       // business phone number
    {"NK1", 16, T::kDate, true},        // date/time of birth
    {"NK1", 30, T::kName, false},       // contact person's name
    {"NK1", 31, T::kPhone, false},      // contact person's telephone number
    {"NK1", 32, T::kAddress, false},    // contact person's address
    {"NK1", 37, T::kSsn, true},         // contact person social security number
    {"OBR", 2, T::kId, true, true},     // placer order number
    {"OBR", 3, T::kId, true, true},     // filler order number (often the accession)
    {"OBR", 6, T::kDate, true},         // requested date/time
    {"OBR", 7, T::kDate, true},         // observation date/time
    {"OBR", 8, T::kDate, true},         // observation end date/time
    {"OBR", 14, T::kDate, true},        // specimen received date/time
    {"OBR", 18, T::kId, true, true},    // placer field 1 (an accession number in radiology)
    {"OBR", 19, T::kId, true, true},    // placer field 2
    {"OBR", 20, T::kId, true, true},    // filler field 1
    {"OBR", 22, T::kDate, true},        // results rpt/status change date/time
    {"OBR", 36, T::kDate, true},        // scheduled date/time
    {"OBX", 5, T::kDate, true},         // observation value, when it is a date (an EDD)
    {"OBX", 14, T::kDate, true},        // date/time of the observation
    {"OBX", 19, T::kDate, true},        // date/time of the analysis
    {"ORC", 2, T::kId, true, true},     // placer order number
    {"ORC", 3, T::kId, true, true},     // filler order number
    {"ORC", 9, T::kDate, true},         // date/time of transaction
    {"ORC", 15, T::kDate, true},        // order effective date/time
    {"PID", 2, T::kMrn, true},          // patient ID
    {"PID", 3, T::kMrn, true},          // patient identifier list
    {"PID", 4, T::kMrn, true},          // alternate patient ID
    {"PID", 5, T::kName, false},        // patient name
    {"PID", 6, T::kName, false},        // mother's maiden name
    {"PID", 7, T::kDate, true},         // date/time of birth
    {"PID", 9, T::kName, false},        // patient alias
    {"PID", 11, T::kAddress, false},    // patient address
    {"PID", 13, T::kPhone, false},      // phone number - home
    {"PID", 14, T::kPhone, false},      // phone number - business
    {"PID", 18, T::kAccount, true},     // patient account number
    {"PID", 19, T::kSsn, true},         // SSN number - patient
    {"PID", 20, T::kLicense, true},     // driver's license number
    {"PID", 21, T::kMrn, true},         // mother's identifier
    {"PID", 29, T::kDate, true},        // patient death date and time
    {"PID", 33, T::kDate, true},        // last update date/time
    {"PR1", 5, T::kDate, true},         // procedure date/time
    {"PV1", 5, T::kId, true},           // preadmit number
    {"PV1", 19, T::kId, true},          // visit number
    {"PV1", 44, T::kDate, true},        // admit date/time
    {"PV1", 45, T::kDate, true},        // discharge date/time
    {"PV1", 50, T::kId, true},          // alternate visit ID
    {"PV2", 8, T::kDate, true},         // expected admit date/time
    {"PV2", 9, T::kDate, true},         // expected discharge date/time
    {"PV2", 26, T::kDate, true},        // previous treatment date
    {"PV2", 33, T::kDate, true},        // expected surgery date and time
    {"RXA", 3, T::kDate, true},         // date/time start of administration
    {"RXA", 4, T::kDate, true},         // date/time end of administration
    {"SCH", 11, T::kDate, false},       // appointment timing: start and end in its components
    {"SPM", 17, T::kDate, true},        // specimen collection date/time
    {"SPM", 18, T::kDate, true},        // specimen received date/time
    {"TQ1", 7, T::kDate, true},         // start date/time
    {"TQ1", 8, T::kDate, true},         // end date/time
    {"TXA", 4, T::kDate, true},         // activity date/time
    {"TXA", 6, T::kDate, true},         // origination date/time
    {"TXA", 7, T::kDate, true},         // transcription date/time
};

// The end of an HL7 TS/DTM value whose first 8 bytes are a date: YYYYMMDD[HH[MM[SS[.S+]]]]
// followed by an optional +/-ZZZZ offset.
uint64_t timestampEnd(const Window& w, uint64_t date_end, uint64_t limit) {
  uint64_t e = date_end;
  while (e < limit && e < date_end + 6 && isDigit(w.at(e))) ++e;
  if ((e - date_end) % 2 != 0) return date_end;  // an odd digit count is not a time
  if (e == date_end + 6 && e + 1 < limit && w.at(e) == '.' && isDigit(w.at(e + 1))) {
    uint64_t f = e + 1;
    while (f < limit && f < e + 5 && isDigit(w.at(f))) ++f;
    e = f;
  }
  if (e + 5 <= limit && (w.at(e) == '+' || w.at(e) == '-') && isDigit(w.at(e + 1)) &&
      isDigit(w.at(e + 2)) && isDigit(w.at(e + 3)) && isDigit(w.at(e + 4))) {
    e += 5;
  }
  return e;
}

// The end of the HL7 TS/DTM value that starts at `s` and ends by `e`, or 0 when it is none
// (19000101 is a system's "unknown").
uint64_t hl7TimestampEnd(const Window& w, uint64_t s, uint64_t e) {
  if (e - s < 8) return 0;
  auto d = v::parseDate(w.slice(s, s + 8));
  return d && d->year > 1900 ? timestampEnd(w, s + 8, e) : 0;
}

void hl7Field(const Window& w, const FieldRule& rule, uint64_t s, uint64_t e,
              std::vector<Finding>& out) {
  // Repetitions are separated by '~'; each one is its own value.
  uint64_t rep = s;
  while (rep < e) {
    uint64_t rep_end = rep;
    while (rep_end < e && w.at(rep_end) != '~') ++rep_end;
    uint64_t vs = rep;
    uint64_t ve = rep_end;
    if (rule.first_component) {
      ve = vs;
      while (ve < rep_end && w.at(ve) != '^') ++ve;
    }
    while (vs < ve && w.at(vs) == '^') ++vs;
    while (ve > vs && w.at(ve - 1) == '^') --ve;
    std::string_view value = w.slice(vs, ve);
    // A template's placeholder ("<MRN>^^^<FACILITY>", "[LAST]^[FIRST]") holds no value.
    if (!value.empty() && (value[0] == '<' || value[0] == '[' || value[0] == '{')) {
      rep = rep_end + 1;
      continue;
    }
    bool ok = false;
    switch (rule.type) {
      case PhiType::kDate:
        if (!rule.first_component) {
          // A date in any component ("^^30^20250121093000^20250121100000").
          for (uint64_t c = vs; c < ve;) {
            uint64_t c_end = c;
            while (c_end < ve && w.at(c_end) != '^') ++c_end;
            if (uint64_t ts = hl7TimestampEnd(w, c, c_end); ts != 0) {
              addFinding(out, rule.type, c, ts, 0.9f);
            }
            c = c_end + 1;
          }
          break;
        }
        if (uint64_t ts = hl7TimestampEnd(w, vs, ve); ts != 0) {
          ok = true;
          ve = ts;
        }
        break;
      case PhiType::kSsn: ok = v::isValidSsn(value); break;
      case PhiType::kPhone: ok = v::digitsOf(value).size() >= 7; break;
      case PhiType::kName:
      case PhiType::kAddress:
        ok = value.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
             std::string_view::npos;
        break;
      case PhiType::kId:
        // An order or visit number has digits; "RP1" in OBR-19 is a procedure's code.
        ok = value.size() >= 4 && v::digitsOf(value).size() >= 3;
        break;
      default: ok = value.size() >= 3; break;
    }
    if (ok && rule.beside_another) {
      addCorroboratedFinding(out, rule.type, vs, ve, 0.9f);
    } else if (ok) {
      addFinding(out, rule.type, vs, ve, 0.9f);
    }
    rep = rep_end + 1;
  }
}

PhiType classifySystem(const std::string& uri, bool& known) {
  known = true;
  auto has = [&](std::string_view s) { return uri.find(s) != std::string::npos; };
  if (has("us-ssn") || uri.ends_with("2.16.840.1.113883.4.1") || uri.ends_with("/ssn")) {
    return PhiType::kSsn;
  }
  if (has("us-npi") || uri.ends_with("2.16.840.1.113883.4.6")) return PhiType::kLicense;
  if (has("us-mbi") || has("medicare") || has("member") || has("subscriber") ||
      has("insurance") || has("coverage") || has("payer") || has("health-plan") ||
      has("policy")) {
    return PhiType::kHealthPlan;
  }
  if (has("mrn") || has("medical-record") || has("medicalrecord") || has("/mr") ||
      has("patient")) {
    return PhiType::kMrn;
  }
  if (has("driver") || has("license") || has("licence") || has("dea")) return PhiType::kLicense;
  if (has("account")) return PhiType::kAccount;
  if (has("udi") || has("device")) return PhiType::kDevice;
  if (has("vin") || has("vehicle")) return PhiType::kVehicle;
  if (uri == "phone" || uri == "sms" || uri == "pager") return PhiType::kPhone;
  if (uri == "fax") return PhiType::kFax;
  if (uri == "email") return PhiType::kEmail;
  if (uri == "url") return PhiType::kUrl;
  // Code systems (LOINC, SNOMED, ICD, RxNorm, UCUM, HL7 terminology) name concepts, not people;
  // Synthea's own identifiers name its synthetic patients.
  if (has("loinc") || has("snomed") || has("icd") || has("rxnorm") || has("unitsofmeasure") ||
      has("terminology.hl7.org") || has("cpt") || has("ndc") || has("cvx") ||
      has("synthetichealth/synthea")) {
    known = false;
    return PhiType::kId;
  }
  // Any other identifier namespace: a URI or OID, not free text (Anthropic's "system" prompt).
  known = uri.find("://") != std::string::npos || uri.rfind("urn:", 0) == 0;
  return PhiType::kId;
}

// Bounded JSON navigation over the bytes, enough for a FHIR identifier: strings are skipped,
// so a brace inside a value does not count.
constexpr uint64_t kObjectReach = 600;

// Past the string whose opening quote is at `q` (its closing quote + 1).
uint64_t skipString(const Window& w, uint64_t q, uint64_t limit) {
  uint64_t p = q + 1;
  while (p < limit && w.at(p) != '"') p += w.at(p) == '\\' ? 2 : 1;
  return p + 1;
}

// The '}' that closes the object or array opened at `open`, or 0.
uint64_t closingBrace(const Window& w, uint64_t open, uint64_t limit) {
  int depth = 0;
  uint64_t end = std::min(limit, w.end());
  for (uint64_t p = open; p < end; ++p) {
    char c = w.at(p);
    if (c == '"') {
      p = skipString(w, p, end) - 1;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return p;
    }
  }
  return 0;
}

// The '{' of the object that holds the member whose key starts at `key` (a quote), back
// over any closed objects and arrays; 0 when `key` sits in an array or further than
// kObjectReach away.
uint64_t openingBrace(const Window& w, uint64_t key) {
  int depth = 0;
  uint64_t lo = key > kObjectReach ? key - kObjectReach : 0;
  bool in_string = false;  // backwards, a quote opens a string until the next unescaped one
  for (uint64_t p = key; p > w.begin() && p > lo;) {
    char c = w.at(--p);
    if (c == '"' && w.at(p - 1) != '\\') {
      in_string = !in_string;
    } else if (in_string) {
      continue;
    } else if (c == '}' || c == ']') {
      ++depth;
    } else if (c == '{' || c == '[') {
      if (depth == 0) return c == '{' ? p : 0;
      --depth;
    }
  }
  return 0;
}

// That object, from its '{' to its matching '}'.
Span enclosingObject(const Window& w, uint64_t key) {
  uint64_t open = openingBrace(w, key);
  uint64_t close = open == 0 ? 0 : closingBrace(w, open, key + kObjectReach);
  return close == 0 ? Span{} : Span{open, close};
}

// Where the value of member `key` (with its quotes) of `object` starts, or 0 when the object
// has no such member of its own.
uint64_t memberValue(const Window& w, Span object, std::string_view key) {
  int depth = 0;
  for (uint64_t p = object.start + 1; p < object.end; ++p) {
    char c = w.at(p);
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == '"') {
      uint64_t after = skipString(w, p, object.end);
      bool match = depth == 0 && w.slice(p, after) == key;
      p = after;
      while (p < object.end && isSpace(w.at(p))) ++p;
      if (match && w.at(p) == ':') {
        ++p;
        while (p < object.end && isSpace(w.at(p))) ++p;
        return p;
      }
      --p;
    }
  }
  return 0;
}

// The string value at `q` (its opening quote) of `object`, or an empty span.
Span stringAt(const Window& w, uint64_t q, uint64_t limit) {
  if (q == 0 || w.at(q) != '"') return {};
  uint64_t end = skipString(w, q, limit) - 1;
  return end < limit ? Span{q + 1, end} : Span{};
}

// An identifier type (FHIR Identifier.type): a code of HL7 table 0203 or its text.
PhiType identifierType(const Window& w, Span type_object, bool& known) {
  known = true;
  std::string_view object = w.slice(type_object.start, type_object.end);
  size_t code_key = object.find("\"code\"");
  if (code_key != std::string_view::npos) {
    uint64_t q = type_object.start + code_key + 6;
    while (q < type_object.end && (isSpace(w.at(q)) || w.at(q) == ':')) ++q;
    Span code = stringAt(w, q, type_object.end);
    static const std::pair<std::string_view, PhiType> kCodes[] = {
        {"MR", T::kMrn},          {"MRT", T::kMrn},         {"PI", T::kMrn},
        {"PT", T::kMrn},          {"SS", T::kSsn},          {"DL", T::kLicense},
        {"NPI", T::kLicense},     {"MD", T::kLicense},      {"DEA", T::kLicense},
        {"LN", T::kLicense},      {"MB", T::kHealthPlan},   {"MA", T::kHealthPlan},
        {"MC", T::kHealthPlan},   {"SN", T::kHealthPlan},   {"NH", T::kHealthPlan},
        {"AN", T::kAccount},      {"BA", T::kAccount},      {"VN", T::kId},
        {"PPN", T::kId},          {"EN", T::kId},           {"NI", T::kId},
        {"ACSN", T::kId}};
    std::string_view text = w.slice(code.start, code.end);
    for (const auto& [c, type] : kCodes) {
      if (text == c) return type;
    }
  }
  size_t text_key = object.find("\"text\"");
  if (text_key != std::string_view::npos) {
    uint64_t q = type_object.start + text_key + 6;
    while (q < type_object.end && (isSpace(w.at(q)) || w.at(q) == ':')) ++q;
    Span text = stringAt(w, q, type_object.end);
    std::string lower = lowerCopy(w.slice(text.start, text.end));
    auto has = [&](std::string_view s) { return lower.find(s) != std::string::npos; };
    if (has("mrn") || has("medical record") || has("patient")) return T::kMrn;
    if (has("ssn") || has("social security")) return T::kSsn;
    if (has("driver") || has("licen") || has("npi")) return T::kLicense;
    if (has("member") || has("subscriber") || has("medicaid") || has("medicare") ||
        has("insur") || has("policy") || has("beneficiary")) {
      return T::kHealthPlan;
    }
    if (has("account")) return T::kAccount;
    if (has("passport") || has("visit") || has("encounter")) return T::kId;
  }
  known = false;
  return T::kId;
}

// Reports the "value" of the identifier object that holds the member whose key is at `key`.
void identifierValue(const Window& w, uint64_t key, PhiType type, float score,
                     std::vector<Finding>& out) {
  Span object = enclosingObject(w, key);
  if (object.empty()) return;
  typedValue(w, type, stringAt(w, memberValue(w, object, "\"value\""), object.end), score,
             out);
}

}  // namespace

void fhirSystem(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  uint64_t p = end;
  while (p < w.end() && p < end + 6 && (isSpace(w.at(p)) || w.at(p) == ':')) ++p;
  if (w.at(p) != '"') return;
  uint64_t us = p + 1;
  uint64_t ue = us;
  while (ue < w.end() && ue < us + 200 && w.at(ue) != '"') ++ue;
  bool known = false;
  PhiType type = classifySystem(lowerCopy(w.slice(us, ue)), known);
  // The identifier's "value" sits in the same object, before or after "system", possibly
  // past a "type" or "period" object.
  if (known) identifierValue(w, start, type, 0.9f, out);
}

void fhirIdentifierType(const Window& w, uint64_t key, uint64_t brace,
                        std::vector<Finding>& out) {
  uint64_t close = closingBrace(w, brace, brace + kObjectReach);
  if (close == 0) return;
  bool known = false;
  PhiType type = identifierType(w, {brace, close}, known);
  // Above the type a system gives (an opaque OID names no kind of number).
  if (known) identifierValue(w, key, type, 0.95f, out);
}

bool memberOf(const Window& w, uint64_t key, std::string_view parent) {
  uint64_t p = openingBrace(w, key);
  if (p == 0) return false;
  while (p > w.begin() && isSpace(w.at(p - 1))) --p;
  if (w.at(p - 1) == '[') --p;  // an object in an array: "address": [{...}]
  while (p > w.begin() && isSpace(w.at(p - 1))) --p;
  if (w.at(p - 1) != ':') return false;
  --p;
  while (p > w.begin() && isSpace(w.at(p - 1))) --p;
  return p >= parent.size() && w.slice(p - parent.size(), p) == parent;
}

namespace {

// The type of the FHIR resource whose "resourceType" is the last in the `reach` bytes before
// `key` ("Patient"), empty when there is none; with `same_object`, only when no brace lies
// between them, so that the key is the resource's own member (FHIR's JSON writes the type
// first).
std::string_view fhirTypeBefore(const Window& w, uint64_t key, uint64_t reach,
                                bool same_object) {
  static constexpr std::string_view kType = "\"resourceType\"";
  std::string_view before = w.slice(key > reach ? key - reach : 0, key);
  size_t at = before.rfind(kType);
  if (at == std::string_view::npos ||
      (same_object && before.find_first_of("{}", at) != std::string_view::npos)) {
    return {};
  }
  uint64_t p = key - before.size() + at + kType.size();
  while (p < key && (isSpace(w.at(p)) || w.at(p) == ':')) ++p;
  if (w.at(p) != '"') return {};
  return w.slice(p + 1, std::min(quotedEnd(w, p + 1), p + 41));
}

// The value of a DICOM element on the tag's line, from `p` (just past the tag): after its
// value representation, as dcmdump ("PN [DOE^JOHN]  # 8, 1 PatientName"), pydicom
// ("Patient's Name   PN: 'DOE^JOHN'"), dcm4che ("PN #8 [DOE^JOHN]") and plain dumps ("PN
// DOE^JOHN") print it; in a dump without one, the first bracketed value. A description's
// apostrophe ("Patient's") opens no value.
bool dicomValue(const Window& w, uint64_t p, uint64_t& vs, uint64_t& ve) {
  static constexpr std::string_view kVrs =
      "AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL "
      "UN UR US UT UV";
  auto lineEnd = [&](char c) { return c == '\n' || c == '\r' || c == '"'; };
  uint64_t limit = std::min(w.end(), p + 120);
  uint64_t q = p;
  bool vr = false;
  for (; q + 2 < limit && !lineEnd(w.at(q)); ++q) {
    char after = w.at(q + 2);
    if (!isUpper(w.at(q)) || !isUpper(w.at(q + 1)) || (q > p && !isSpace(w.at(q - 1))) ||
        (after != ' ' && after != ':' && after != '\t')) {
      continue;
    }
    size_t at = kVrs.find(w.slice(q, q + 2));
    if (at != std::string_view::npos && at % 3 == 0) {
      vr = true;
      q += 2;
      break;
    }
  }
  if (vr) {
    while (q < limit && (w.at(q) == ':' || w.at(q) == ' ' || w.at(q) == '\t')) ++q;
    if (w.at(q) == '#') {  // dcm4che's length: "#8"
      ++q;
      while (q < limit && (isDigit(w.at(q)) || w.at(q) == ' ')) ++q;
    }
  } else {
    q = p;
    while (q < limit && w.at(q) != '[' && !lineEnd(w.at(q))) ++q;
    if (w.at(q) != '[') return false;
  }
  char open = w.at(q);
  if (open == '(' || open == '<') return false;  // "(no value available)", "<empty>"
  if (open == '[' || open == '\'') {
    char close = open == '[' ? ']' : '\'';
    vs = q + 1;
    ve = vs;
    while (ve < limit && w.at(ve) != close && !lineEnd(w.at(ve))) ++ve;
    return w.at(ve) == close && ve > vs;
  }
  // A bare value runs to its line's end, a comment or a gap of two spaces.
  vs = q;
  ve = vs;
  while (ve < limit && !lineEnd(w.at(ve)) && w.at(ve) != '#' && w.at(ve) != '\t' &&
         !(w.at(ve) == ' ' && w.at(ve + 1) == ' ')) {
    ++ve;
  }
  while (ve > vs && w.at(ve - 1) == ' ') --ve;
  return ve > vs;
}

}  // namespace

bool fhirPatient(const Window& w, uint64_t key) {
  return fhirTypeBefore(w, key, 300, true) == "Patient";
}

bool fhirDirectoryEntry(const Window& w, uint64_t key) {
  static const std::vector<std::string_view> kDirectory = {
      "Practitioner", "PractitionerRole", "Organization",  "Location",
      "HealthcareService", "Endpoint",    "InsurancePlan", "Medication"};
  std::string_view type = fhirTypeBefore(w, key, 2048, false);
  return std::find(kDirectory.begin(), kDirectory.end(), type) != kDirectory.end();
}

uint64_t payloadEnd(const Window& w, uint64_t p) {
  while (p < w.end() && (isAlnum(w.at(p)) || w.at(p) == '+' || w.at(p) == '/' ||
                         w.at(p) == '=' || w.at(p) == '_' || w.at(p) == '-')) {
    ++p;
  }
  return p;
}

uint64_t quotedEnd(const Window& w, uint64_t p) {
  while (p < w.end() && w.at(p) != '"') ++p;
  return p;
}

void dicomElement(const Window& w, uint64_t start, std::vector<Finding>& out) {
  // "(0010,0010)" or "(0010, 0010)": the group and the element, in hex.
  auto hex4 = [&](uint64_t p, uint32_t& value) {
    value = 0;
    for (uint64_t q = p; q < p + 4; ++q) {
      char c = toLower(w.at(q));
      if (!isDigit(c) && (c < 'a' || c > 'f')) return false;
      value = value * 16 + static_cast<uint32_t>(isDigit(c) ? c - '0' : c - 'a' + 10);
    }
    return true;
  };
  uint32_t group = 0;
  uint32_t element = 0;
  uint64_t p = start + 1;
  if (!hex4(p, group) || w.at(p + 4) != ',') return;
  p += 5 + (w.at(p + 5) == ' ' ? 1 : 0);
  if (!hex4(p, element) || w.at(p + 4) != ')') return;
  struct Tag {
    uint32_t group, element;
    PhiType type;
  };
  static constexpr Tag kTags[] = {
      {0x0010, 0x0010, PhiType::kName},  {0x0010, 0x1001, PhiType::kName},
      {0x0010, 0x1005, PhiType::kName},  {0x0010, 0x1060, PhiType::kName},
      {0x0010, 0x0020, PhiType::kMrn},   {0x0010, 0x1000, PhiType::kMrn},
      {0x0010, 0x0030, PhiType::kDate},  {0x0010, 0x1040, PhiType::kAddress},
      {0x0010, 0x2154, PhiType::kPhone}, {0x0008, 0x0050, PhiType::kId},
      {0x0008, 0x0020, PhiType::kDate},  {0x0008, 0x0021, PhiType::kDate},
      {0x0008, 0x0022, PhiType::kDate},  {0x0008, 0x0023, PhiType::kDate},
      {0x0010, 0x1010, PhiType::kAge},   {0x0038, 0x0010, PhiType::kId},
      {0x0040, 0x0002, PhiType::kDate},  {0x0040, 0x0244, PhiType::kDate}};
  const Tag* tag = std::find_if(std::begin(kTags), std::end(kTags), [&](const Tag& t) {
    return t.group == group && t.element == element;
  });
  if (tag == std::end(kTags)) return;
  uint64_t vs = 0;
  uint64_t ve = 0;
  if (!dicomValue(w, p + 5, vs, ve)) return;
  // A header whose identity was removed (PatientIdentityRemoved YES) holds no one's. Only the
  // bytes either API holds around the element are read: the dump's nearby lines.
  // Nor does a phantom's, scanned for quality control ("PN [ACR^PHANTOM^LARGE]").
  std::string_view nearby = w.slice(start > 1024 ? start - 1024 : 0, start + 512);
  if (size_t removed = nearby.find("(0012,0062)"); removed != std::string_view::npos) {
    std::string_view line = nearby.substr(removed, nearby.find('\n', removed) - removed);
    if (line.find("YES") != std::string_view::npos) return;  // "CS [YES]", "CS: 'YES'"
  }
  if (lowerCopy(nearby).find("phantom") != std::string::npos) return;
  std::string_view value = w.slice(vs, ve);
  switch (tag->type) {
    case PhiType::kDate:
      if (v::parseDate(value)) addFinding(out, PhiType::kDate, vs, ve, 0.9f);
      return;
    case PhiType::kAge: {
      // "093Y": an age over 89.
      if (value.size() == 4 && value[3] == 'Y' && std::atoi(std::string(value).c_str()) > 89) {
        addFinding(out, PhiType::kAge, vs, ve, 0.9f);
      }
      return;
    }
    case PhiType::kAddress: {
      // "118 BRADDOCK AVE^^PITTSBURGH^PA^15218": each part.
      uint64_t s = vs;
      for (uint64_t e = vs; e <= ve; ++e) {
        if (e < ve && w.at(e) != '^') continue;
        if (e > s && !(e - s == 2 && v::isUsState(w.slice(s, e)))) {
          addFinding(out, PhiType::kAddress, s, e, 0.9f);
        }
        s = e + 1;
      }
      return;
    }
    default: addFinding(out, tag->type, vs, ve, 0.9f); return;
  }
}

void hl7Segment(const Window& w, const NameData& /*names*/, uint64_t start, uint64_t end,
                std::vector<Finding>& out) {
  // A segment starts a line (or a pasted string); "PID|" inside a field is data.
  char before = start > w.begin() ? w.at(start - 1) : '\n';
  // ... or a diff's added or removed line ("+PID|1||10774213^^^WMC^MRN").
  bool diff_line =
      (before == '+' || before == '-') && (start == w.begin() + 1 || w.at(start - 2) == '\n');
  if (before != '\n' && before != '\r' && before != '"' && before != ' ' && before != '\t' &&
      before != '\'' && before != '>' && before != '`' && !diff_line) {
    return;
  }
  std::string_view segment = w.slice(start, start + 3);
  const FieldRule* rule = std::begin(kHl7Fields);
  while (rule != std::end(kHl7Fields) && rule->segment != segment) ++rule;
  const FieldRule* rules_end = rule;
  while (rules_end != std::end(kHl7Fields) && rules_end->segment == segment) ++rules_end;
  if (rule == rules_end) return;
  uint64_t seg_end = end;
  while (seg_end < w.end() && seg_end < end + 4096 && w.at(seg_end) != '\r' &&
         w.at(seg_end) != '\n' && w.at(seg_end) != '"') {
    ++seg_end;
  }
  // MSH-1 is the field separator itself, so the first field after "MSH|" is MSH-2.
  int field = segment == "MSH" ? 2 : 1;
  uint64_t fs = end;
  bool obx = segment == "OBX";
  std::string_view value_type;  // OBX-2: what OBX-5 holds
  for (uint64_t p = end; p <= seg_end && rule != rules_end; ++p) {
    if (p < seg_end && w.at(p) != '|') continue;
    if (obx && field == 2) value_type = w.slice(fs, p);
    if (rule->field == field) {
      // OBX-5 is a date only as a date or a text ("EDD ... ||20240616"), not as a number.
      bool date_value = value_type == "DT" || value_type == "TS" || value_type == "DTM" ||
                        value_type == "ST" || value_type == "TX";
      if (p > fs && (!obx || field != 5 || date_value)) {
        hl7Field(w, *rule, fs, p, out);
      }
      ++rule;
    }
    ++field;
    fs = p + 1;
  }
}

void image(const Window& w, Cue cue, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  // A marker inside an image already reported is part of its payload: skipping it keeps a
  // body of many markers before one huge payload linear.
  if (w.image_end != nullptr && start < *w.image_end) return;
  // `payload`: e is the end of the payload found, not of the marker alone; `quoted`: how the
  // payload ends. One that runs to the end of the bytes held so far stays open (stream API).
  auto report = [&](uint64_t e, bool payload, bool quoted) {
    size_t before = out.size();
    addFinding(out, PhiType::kImage, start, e, cue == Cue::kDataImage ? 0.95f : 0.9f);
    if (w.image_end != nullptr) *w.image_end = std::max(*w.image_end, e);
    if (payload && w.open_image != nullptr && !w.final && e == w.end() && out.size() > before) {
      *w.open_image = {true, quoted, before};
    }
  };
  if (cue == Cue::kDataImage) {
    uint64_t p = end;
    while (p < w.end() && p < end + 40 && w.at(p) != ',') ++p;
    if (w.at(p) == ',') {
      report(payloadEnd(w, p + 1), true, false);
    } else {
      report(end, false, false);
    }
    return;
  }
  std::string_view key = w.slice(start, end);
  bool is_image = false;
  if (key == "\"inline_data\"" || key == "\"inlineData\"" || key == "\"file_data\"" ||
      key == "\"fileData\"") {
    std::string_view after = w.slice(end, end + 80);
    is_image = after.find("image/") != std::string_view::npos;
  } else {
    // A value of "type" ("type": "image"), or a key holding an object ("image": {...}).
    uint64_t b = start;
    while (b > w.begin() && b + 12 > start && (isSpace(w.at(b - 1)) || w.at(b - 1) == ':')) --b;
    bool type_value = w.slice(b >= 6 ? b - 6 : w.begin(), b) == "\"type\"";
    uint64_t a = end;
    while (a < w.end() && a < end + 8 && (isSpace(w.at(a)) || w.at(a) == ':')) ++a;
    is_image = type_value || (w.at(a) == '{' && a > end);
  }
  if (!is_image) return;
  // Cover the payload too, so nothing inside the base64 is reported on its own.
  uint64_t e = end;
  bool payload = false;
  std::string_view after = w.slice(end, end + 400);
  for (std::string_view field : {"\"data\"", "\"bytes\"", "\"url\""}) {
    size_t f = after.find(field);
    if (f == std::string_view::npos) continue;
    uint64_t q = end + f + field.size();
    while (q < w.end() && q < end + f + field.size() + 6 && (isSpace(w.at(q)) || w.at(q) == ':')) {
      ++q;
    }
    if (w.at(q) == '"') {
      e = quotedEnd(w, q + 1);
      payload = true;
    }
    break;
  }
  report(e, payload, true);
}

void url(const Window& w, Cue cue, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  uint64_t s = start;
  if (cue == Cue::kUrlScheme) {
    while (s > w.begin() && s + 10 > start && isAlpha(w.at(s - 1))) --s;
    if (s == start) return;
    std::string scheme = lowerCopy(w.slice(s, start));
    if (scheme != "http" && scheme != "https" && scheme != "ftp" && scheme != "sftp" &&
        scheme != "ws" && scheme != "wss") {
      return;
    }
  } else if (start > w.begin() && (isAlnum(w.at(start - 1)) || w.at(start - 1) == '/' ||
                                   w.at(start - 1) == '.' || w.at(start - 1) == '@')) {
    return;
  }
  uint64_t e = end;
  while (e < w.end() && e < end + 1024) {
    char c = w.at(e);
    if (isSpace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == '|' ||
        c == '^' || c == '\\' || c == '{' || c == '}' || c == '[' || c == ']') {
      break;
    }
    ++e;
  }
  while (e > end && (w.at(e - 1) == '.' || w.at(e - 1) == ',' || w.at(e - 1) == ';' ||
                     w.at(e - 1) == ':' || w.at(e - 1) == ')' || w.at(e - 1) == '!' ||
                     w.at(e - 1) == '?')) {
    --e;
  }
  std::string_view text = w.slice(s, e);
  if (!v::isValidUrl(text)) return;
  // A FHIR identifier or coding "system" names a namespace, not a person's page.
  static const std::vector<std::string_view> kNamespace = {"\"system\"", "xmlns", "$schema",
                                                           "\"url\""};
  if (cueBefore(w, s, 14, kNamespace)) return;
  std::string lower = lowerCopy(text);
  // Standards bodies' and public agencies' pages: a profile "us-core-patient" names a spec.
  static const std::vector<std::string_view> kPublicHosts = {
      "hl7.org", "fhir.org", "loinc.org", "snomed.info", "cms.gov", "cdc.gov",       "nih.gov",
      "fda.gov", "hhs.gov",  "who.int",   "ietf.org",    "w3.org",  "github.com/hl7"};
  for (std::string_view h : kPublicHosts) {
    size_t at = lower.find(h);
    if (at != std::string::npos && at <= lower.find("://") + 16) return;
  }
  // A site's front page ("https://portal.rgvclinica.org") names no one's page, whatever its
  // host is called; a person's own site is told by the words before it ("my site").
  size_t scheme_end = lower.find("://");
  size_t path = lower.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  bool front_page = path == std::string::npos || path + 1 == lower.size();
  float score = 0.5f;
  bool personal = false;
  static const std::vector<std::string_view> kPersonal = {
      "patient", "member", "user", "profile", "person", "mrn", "record", "chart", "portal",
      "/in/", "/u/", "~", "facebook.com", "linkedin.com", "twitter.com", "x.com/",
      "instagram.com", "tiktok.com", "mychart", "id="};
  for (std::string_view m : kPersonal) {
    if (!front_page && lower.find(m) != std::string::npos) {
      score += 0.3f;
      personal = true;
      break;
    }
  }
  static const std::vector<std::string_view> kCues = {"website", "homepage", "profile",
                                                      "portal", "url:", "blog", "my site"};
  static const std::vector<std::string_view> kOwnSite = {"website", "homepage", "blog", "my site"};
  if (cueBefore(w, s, 40, front_page ? kOwnSite : kCues)) {
    score += 0.25f;
    personal = true;
  }
  if (w.clinical) score += 0.15f;
  // "http://10.42.7.19:8080/healthz": a service on a private network, not a person's page.
  size_t host = lower.find("://");
  host = host == std::string::npos ? 0 : host + 3;
  size_t host_end = lower.find_first_of(":/", host);
  std::string_view host_name = std::string_view(lower).substr(host, host_end - host);
  if (lower.find("localhost") != std::string::npos || v::isPrivateIpv4(host_name)) score = 0.3f;
  // Any other page (a runbook, a vendor's site, an SFTP drop) is an organisation's: a
  // person's only beside another identifier.
  if (personal) {
    addFinding(out, PhiType::kUrl, s, e, score);
  } else {
    addCorroboratedFinding(out, PhiType::kUrl, s, e, score);
  }
}

namespace {

// The elements of the X12 segment whose tag ends at `end` ("NM1*"): up to `max` of them,
// split on '*', to the '~' or the line end that closes the segment.
size_t x12Elements(const Window& w, uint64_t end, Span* elements, size_t max) {
  size_t n = 0;
  uint64_t s = end;
  for (uint64_t p = end; n < max && p < w.end() && p < end + 512; ++p) {
    char c = w.at(p);
    if (c == '*' || c == '~' || c == '\n' || c == '\r' || c == '"') {
      // A template's placeholder ("<SUB_LAST>", "[MEMBER ID]") holds no value.
      char first = s < p ? w.at(s) : ' ';
      bool placeholder = first == '<' || first == '[' || first == '{';
      elements[n++] = placeholder ? Span{s, s} : Span{s, p};
      if (c != '*') break;
      s = p + 1;
    }
  }
  return n;
}

// The N3 (street) and N4 (city, state, ZIP) segments that follow the patient's or the
// insured's NM1 segment, which ends at `end`.
void x12PatientAddress(const Window& w, uint64_t end, std::vector<Finding>& out) {
  uint64_t p = end;
  for (int segments = 0; segments < 2; ++segments) {
    while (p < w.end() && p < end + 512 && w.at(p) != '~' && w.at(p) != '\n') ++p;
    while (p < w.end() && (w.at(p) == '~' || isSpace(w.at(p)))) ++p;
    std::string_view tag = w.slice(p, p + 3);
    if (tag != "N3*" && tag != "N4*") return;
    Span e[3];
    size_t n = x12Elements(w, p + 3, e, 3);
    if (n > 0 && !e[0].empty()) addFinding(out, PhiType::kAddress, e[0].start, e[0].end, 0.85f);
    if (tag == "N3*" && n > 1 && !e[1].empty()) {
      addFinding(out, PhiType::kAddress, e[1].start, e[1].end, 0.85f);
    } else if (tag == "N4*" && n > 2 && validators::isValidZip(w.slice(e[2].start, e[2].end))) {
      addFinding(out, PhiType::kAddress, e[2].start, e[2].end, 0.85f);
    }
    p += 3;
  }
}

}  // namespace

void x12Segment(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  // A segment starts after the previous one's '~', on a line, or at the start of a string.
  char before = start > w.begin() ? w.at(start - 1) : '\n';
  if (before != '~' && !isSpace(before) && before != '"' && before != '\'' && before != '`') {
    return;
  }
  Span e[9];
  size_t n = x12Elements(w, end, e, 9);
  auto text = [&](size_t i) { return i < n ? w.slice(e[i].start, e[i].end) : std::string_view(); };
  auto date8 = [&](Span s, float score) {  // CCYYMMDD
    if (s.end - s.start == 8 && validators::parseDate(w.slice(s.start, s.end))) {
      addFinding(out, PhiType::kDate, s.start, s.end, score);
    }
  };
  std::string_view tag = w.slice(start, end - 1);
  // The transaction set the segment is in, from its ST header: a purchase order's (850) or
  // an invoice's (810) dates and references are a business's.
  std::string_view earlier = w.slice(start > 8192 ? start - 8192 : 0, start);
  if (size_t st = earlier.rfind("ST*"); st != std::string_view::npos) {
    static const std::vector<std::string_view> kHealthSets = {"837", "835", "270", "271", "276",
                                                              "277", "278", "275", "834", "820"};
    std::string_view set = earlier.substr(st + 3, 3);
    if (std::find(kHealthSets.begin(), kHealthSets.end(), set) == kHealthSets.end()) return;
  }
  if (tag == "NM1") {
    // NM1*entity*type*last*first*middle*prefix*suffix*id-qualifier*id
    std::string_view who = text(0);
    bool patient = who == "IL" || who == "QC" || who == "QD";  // insured, patient, responsible
    bool person = text(1) == "1";
    if (person && !text(2).empty()) {
      uint64_t name_end = text(3).empty() ? e[2].end : e[3].end;
      if (patient) {
        addFinding(out, PhiType::kName, e[2].start, name_end, 0.9f);
      } else {  // a rendering or referring provider
        addCorroboratedFinding(out, PhiType::kName, e[2].start, name_end, 0.8f);
      }
    }
    if (patient && person) x12PatientAddress(w, e[n - 1].end, out);
    std::string_view qualifier = text(7);
    if (n > 8 && !text(8).empty()) {
      if (qualifier == "XX") {
        if (providerNpi(text(8))) addFinding(out, PhiType::kLicense, e[8].start, e[8].end, 0.9f);
      } else if (patient && (qualifier == "MI" || qualifier == "II")) {
        typedValue(w, PhiType::kHealthPlan, e[8], 0.9f, out);
      } else if (patient && qualifier == "34") {
        typedValue(w, PhiType::kSsn, e[8], 0.9f, out);
      }
    }
  } else if (tag == "DMG") {
    if (text(0) == "D8") date8(e[1], 0.95f);  // date of birth
  } else if (tag == "DTP") {
    // DTP*472*D8*20261031 (service), DTP*435*RD8*20260914-20260916 (a range)
    if (text(1) == "D8") {
      date8(e[2], 0.9f);
    } else if (text(1) == "RD8" && text(2).size() == 17 && text(2)[8] == '-') {
      date8({e[2].start, e[2].start + 8}, 0.9f);
      date8({e[2].start + 9, e[2].end}, 0.9f);
    }
  } else if (tag == "DTM") {
    date8(e[1], 0.9f);  // DTM*232*20260914 (claim statement period)
  } else if (tag == "CLM") {
    typedValue(w, PhiType::kAccount, e[0], 0.9f, out);  // the patient control number
  } else if (tag == "CLP") {
    typedValue(w, PhiType::kAccount, e[0], 0.9f, out);
    if (n > 6) typedValue(w, PhiType::kAccount, e[6], 0.9f, out);  // the payer's claim number
  } else if (tag == "REF" && n > 1) {
    std::string_view qualifier = text(0);
    if (qualifier == "EA") {
      typedValue(w, PhiType::kMrn, e[1], 0.9f, out);
    } else if (qualifier == "SY") {
      typedValue(w, PhiType::kSsn, e[1], 0.9f, out);
    } else if (qualifier == "1W" || qualifier == "IG" || qualifier == "6P") {
      typedValue(w, PhiType::kHealthPlan, e[1], 0.9f, out);
    } else if (qualifier == "D9" || qualifier == "F8") {
      typedValue(w, PhiType::kAccount, e[1], 0.9f, out);
    } else if (qualifier == "G1" || qualifier == "9F") {
      typedValue(w, PhiType::kId, e[1], 0.85f, out);
    }
  }
}

// A social-media handle (`@kaylawithak`, `@jaydens.mama_22`) names its owner as surely as a
// personal mailbox does. An organisation's handle, a colleague's @-mention in a chat and a
// code annotation look the same, so a handle counts only in clinical text and only beside
// another identifier.
void socialHandle(const Window& w, uint64_t at, std::vector<Finding>& out) {
  if (!w.clinical) return;
  if (at > w.begin()) {
    char before = w.at(at - 1);
    if (!isSpace(before) && before != '(' && before != '"' && before != '\'') return;
  }
  auto handle = [](char c) { return isAlnum(c) || c == '_' || c == '.'; };
  uint64_t e = at + 1;
  while (e < w.end() && e <= at + 31 && handle(w.at(e))) ++e;
  if (e < w.end() && (handle(w.at(e)) || w.at(e) == '(' || w.at(e) == '/' || w.at(e) == '-' ||
                      w.at(e) == '@' || w.at(e) == '=')) {
    return;  // too long, a decorator call, a package scope, an e-mail address
  }
  while (e > at + 1 && w.at(e - 1) == '.') --e;
  if (e - at - 1 < 3 || !isAlpha(w.at(at + 1))) return;
  // Annotations in pasted code and a chat's broadcast mentions.
  static const std::vector<std::string_view> kNotPeople = {
      "after",      "all",    "app",         "author",   "autowired",    "before",    "bean",
      "channel",    "class",  "classmethod", "column",   "component",    "dataclass", "delete",
      "deprecated", "entity", "everyone",    "fixture",  "font",         "get",       "here",
      "import",     "inject", "keyframes",   "link",     "media",        "mock",      "override",
      "param",      "patch",  "post",        "property", "put",          "return",    "returns",
      "router",     "see",    "service",     "since",    "staticmethod", "table",     "test",
      "throws",     "type",   "types",       "value"};
  std::string_view body = w.slice(at + 1, e);
  std::string first = lowerCopy(body.substr(0, std::min(body.find('.'), body.size())));
  if (std::find(kNotPeople.begin(), kNotPeople.end(), first) != kNotPeople.end()) return;
  addCorroboratedFinding(out, PhiType::kId, at, e, 0.75f);
}

void email(const Window& w, uint64_t at, std::vector<Finding>& out) {
  auto local = [](char c) {
    return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  };
  uint64_t s = at;
  while (s > w.begin() && s + 64 > at && local(w.at(s - 1))) --s;
  uint64_t e = at + 1;
  while (e < w.end() && e < at + 256 && (isAlnum(w.at(e)) || w.at(e) == '.' || w.at(e) == '-')) {
    ++e;
  }
  while (e > at + 1 && (w.at(e - 1) == '.' || w.at(e - 1) == '-')) --e;
  while (s < at && (w.at(s) == '.' || w.at(s) == '-')) ++s;
  if (s == at) {
    socialHandle(w, at, out);
    return;
  }
  // India's ABHA address, the national health account's handle: "priya.sharma87@abdm"
  // (and "@sbx" in the sandbox). It names the patient's health record. (A guide's example,
  // "yourname@abdm", is a placeholder: placeholderValue().)
  std::string domain = lowerCopy(w.slice(at + 1, e));
  if (domain == "abdm" || domain == "sbx") {
    addFinding(out, PhiType::kHealthPlan, s, e, 0.85f);
    return;
  }
  if (!v::isValidEmail(w.slice(s, e))) return;
  // Role mailboxes belong to an organisation, not a person.
  static const std::vector<std::string_view> kRoles = {
      "support", "info", "noreply", "no-reply", "sales", "admin", "help", "contact", "privacy",
      "security", "billing", "hello", "team", "webmaster", "postmaster", "abuse", "press"};
  std::string mailbox = lowerCopy(w.slice(s, at));
  bool role = std::find(kRoles.begin(), kRoles.end(), mailbox) != kRoles.end();
  if (role && !w.clinical) return;
  // Patients write from personal mailboxes. An address at an organisation's domain is
  // mostly staff's ("From: Dana Whitfield <dwhitfield@mercyvalleyhealth.org>"): PHI only
  // beside another identifier.
  static const std::vector<std::string_view> kPersonalDomains = {
      "gmail.", "googlemail.", "yahoo.", "ymail.", "rocketmail.", "hotmail.", "outlook.", "live.",
      "msn.", "icloud.", "me.com", "mac.com", "aol.", "proton.", "protonmail.", "pm.me", "comcast.",
      "verizon.", "att.net", "sbcglobal.", "bellsouth.", "cox.net", "charter.", "earthlink.",
      "gmx.", "web.de", "t-online.", "mail.com", "mail.ru", "yandex.", "zoho.", "fastmail.",
      "hey.com", "qq.com", "163.com", "orange.fr", "free.fr", "wanadoo.", "laposte.", "libero.",
      "btinternet.", "uol.com", "bol.com", "terra.com", "example.",
      // Internet providers' and other mail services' domains, by country.
      "rogers.", "shaw.", "sympatico.", "videotron.", "telus.", "bell.net", "cogeco.", "eastlink.",
      "sky.com", "virginmedia.", "talktalk.", "ntlworld.", "blueyonder.", "tiscali.", "eircom.",
      "optusnet.", "bigpond.", "iinet.", "xtra.co.nz", "rediffmail.", "naver.", "hanmail.", "daum.",
      "126.com", "sina.", "seznam.", "wp.pl", "o2.pl", "onet.", "interia.", "bk.ru", "list.ru",
      "inbox.ru", "rambler.", "tutanota.", "tuta.", "frontier.", "windstream.", "optonline.",
      "roadrunner.", "rr.com", "juno.", "netzero.", "centurylink.", "embarqmail.", "sfr.fr",
      "neuf.fr", "virgilio.", "alice.it", "telenet.", "skynet.be", "ziggo.", "kpnmail.",
      "planet.nl", "bluewin.", "freenet.", "arcor.", "posteo.", "mailbox.org", "aim.com",
      "duck.com", "hushmail.", "ig.com.br", "prodigy.net"};
  bool personal = std::any_of(kPersonalDomains.begin(), kPersonalDomains.end(),
                              [&](std::string_view d) { return domain.rfind(d, 0) == 0; });
  if (personal) {
    addFinding(out, PhiType::kEmail, s, e, 0.85f);
  } else {
    addCorroboratedFinding(out, PhiType::kEmail, s, e, 0.85f);
  }
}

}  // namespace sluice::scanner::detect
