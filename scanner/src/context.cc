// Context-gated identifiers: values whose format alone is too weak (an MRN is any number),
// found after a keyword ("MRN:", "member id") or under a JSON key ("memberId").
#include <algorithm>
#include <unordered_map>

#include "detectors.h"
#include "sluice/scanner/validators.h"

namespace sluice::scanner::detect {
namespace {

namespace v = validators;

bool fillerWord(std::string_view w) {
  static const std::vector<std::string_view> kFiller = {
      "number", "num", "no", "nbr", "is", "id", "of", "was", "code", "on", "file", "the", "ending",
      "in", "at", "as", "we", "have", "reads", "listed", "template", "hash", "ref", "scan", "value",
      "cel", "fixo", "casa", "n", "nr", "nro",
      // "PhilHealth PIN niya: 12-050123456-7" (Tagalog: his, her).
      "pin", "niya", "nya"};
  // In lower case only, so that no value's own letters are taken: "... est le 2 39 08 69 123
  // 456 78", "... es el 123", "... ist 0176 ..." (but "ES-24-088316").
  static const std::vector<std::string_view> kLowerFiller = {"est", "le", "es", "el", "ist"};
  std::string l = lowerCopy(w);
  for (std::string_view f : kFiller) {
    if (l == f) return true;
  }
  return l == w && std::find(kLowerFiller.begin(), kLowerFiller.end(), w) != kLowerFiller.end();
}

// A JSON string value starting at the opening quote `q`; stops at the closing quote.
Span stringValue(const Window& w, uint64_t q) {
  uint64_t s = q + 1;
  uint64_t e = s;
  while (e < w.end() && e < s + 256 && w.at(e) != '"' && w.at(e) != '\n') ++e;
  if (w.at(e) != '"') return {};
  return {s, e};
}

}  // namespace

bool providerNpi(std::string_view text) {
  return v::isValidNpi(text) && text != "1234567893";
}

const std::unordered_map<std::string, KeyRule>& keyRules() {
  using T = PhiType;
  static const std::unordered_map<std::string, KeyRule> kRules = {
      {"name", {T::kName, false}},
      {"patientname", {T::kName, true}},
      {"fullname", {T::kName, true}},
      {"firstname", {T::kName, true}},
      {"lastname", {T::kName, true}},
      {"givenname", {T::kName, true}},
      {"familyname", {T::kName, true}},
      {"middlename", {T::kName, true}},
      {"given", {T::kName, true}},
      {"family", {T::kName, true}},
      {"surname", {T::kName, true}},
      {"maidenname", {T::kName, true}},
      {"mothersmaidenname", {T::kName, true}},
      {"nextofkin", {T::kName, true}},
      {"emergencycontact", {T::kName, true}},
      {"guarantor", {T::kName, true}},
      {"subscribername", {T::kName, true}},
      {"insuredname", {T::kName, true}},
      {"patient", {T::kName, false}},
      {"inmate", {T::kName, false}},
      {"detainee", {T::kName, false}},
      {"participant", {T::kName, false}},
      {"pt", {T::kName, false}},
      {"decedent", {T::kName, true}},
      {"decedentname", {T::kName, true}},
      {"contactname", {T::kName, true}},
      {"dob", {T::kDate, true}},
      {"dateofbirth", {T::kDate, true}},
      {"birthdate", {T::kDate, true}},
      {"birthday", {T::kDate, true}},
      {"deceaseddatetime", {T::kDate, true}},
      {"deathdate", {T::kDate, true}},
      {"dateofdeath", {T::kDate, true}},
      {"admitdate", {T::kDate, true}},
      {"admissiondate", {T::kDate, true}},
      {"dischargedate", {T::kDate, true}},
      {"dateofservice", {T::kDate, true}},
      {"servicedate", {T::kDate, true}},
      {"visitdate", {T::kDate, true}},
      {"encounterdate", {T::kDate, true}},
      {"appointmentdate", {T::kDate, true}},
      {"dos", {T::kDate, true}},
      {"ssn", {T::kSsn, true}},
      {"socialsecuritynumber", {T::kSsn, true}},
      {"socialsecurity", {T::kSsn, true}},
      {"mrn", {T::kMrn, true}},
      {"medicalrecordnumber", {T::kMrn, true}},
      {"patientid", {T::kMrn, true}},
      {"medicalrecord", {T::kMrn, true}},
      {"chartnumber", {T::kMrn, true}},
      {"mrnumber", {T::kMrn, true}},
      {"memberid", {T::kHealthPlan, true}},
      {"membernumber", {T::kHealthPlan, true}},
      {"subscriberid", {T::kHealthPlan, true}},
      {"policynumber", {T::kHealthPlan, true}},
      {"insuranceid", {T::kHealthPlan, true}},
      {"groupnumber", {T::kHealthPlan, true}},
      {"medicaidid", {T::kHealthPlan, true}},
      {"medicareid", {T::kHealthPlan, true}},
      {"mbi", {T::kHealthPlan, true}},
      {"beneficiaryid", {T::kHealthPlan, true}},
      {"healthplanid", {T::kHealthPlan, true}},
      {"planmemberid", {T::kHealthPlan, true}},
      {"accountnumber", {T::kAccount, true}},
      {"acct", {T::kAccount, true}},
      {"accountno", {T::kAccount, true}},
      {"bankaccount", {T::kAccount, true}},
      {"cardnumber", {T::kAccount, true}},
      {"creditcard", {T::kAccount, true}},
      {"iban", {T::kAccount, true}},
      {"billingaccount", {T::kAccount, true}},
      {"npi", {T::kLicense, true}},
      {"dea", {T::kLicense, true}},
      {"licensenumber", {T::kLicense, true}},
      {"driverslicense", {T::kLicense, true}},
      {"driverlicense", {T::kLicense, true}},
      {"licenseno", {T::kLicense, true}},
      {"deanumber", {T::kLicense, true}},
      {"statelicense", {T::kLicense, true}},
      {"phone", {T::kPhone, true}},
      {"phonenumber", {T::kPhone, true}},
      {"telephone", {T::kPhone, true}},
      {"mobile", {T::kPhone, true}},
      {"cell", {T::kPhone, true}},
      {"sms", {T::kPhone, true}},
      {"smsnumber", {T::kPhone, true}},
      {"homephone", {T::kPhone, true}},
      {"workphone", {T::kPhone, true}},
      {"contactnumber", {T::kPhone, true}},
      {"fax", {T::kFax, true}},
      {"faxnumber", {T::kFax, true}},
      {"email", {T::kEmail, true}},
      {"emailaddress", {T::kEmail, true}},
      {"address", {T::kAddress, true}},
      {"streetaddress", {T::kAddress, true}},
      {"street", {T::kAddress, true}},
      {"address1", {T::kAddress, true}},
      {"addressline1", {T::kAddress, true}},
      {"homeaddress", {T::kAddress, true}},
      {"city", {T::kAddress, true}},
      // A neighbourhood: Mexico's "colonia", Spain's "barrio", Brazil's "bairro".
      {"neighborhood", {T::kAddress, true}},
      {"neighbourhood", {T::kAddress, true}},
      {"colonia", {T::kAddress, true}},
      {"barrio", {T::kAddress, true}},
      {"bairro", {T::kAddress, true}},
      {"ciudad", {T::kAddress, true}},
      {"cidade", {T::kAddress, true}},
      {"ville", {T::kAddress, true}},
      {"postalcode", {T::kAddress, true}},
      {"zip", {T::kAddress, true}},
      {"zipcode", {T::kAddress, true}},
      {"vin", {T::kVehicle, true}},
      {"licenseplate", {T::kVehicle, true}},
      {"platenumber", {T::kVehicle, true}},
      {"serialnumber", {T::kDevice, true}},
      {"implantsn", {T::kDevice, true}},
      {"processorsn", {T::kDevice, true}},
      {"deviceid", {T::kDevice, true}},
      {"udi", {T::kDevice, true}},
      {"deviceserial", {T::kDevice, true}},
      {"implantserial", {T::kDevice, true}},
      {"ipaddress", {T::kIp, true}},
      {"clientip", {T::kIp, true}},
      {"website", {T::kUrl, true}},
      {"homepage", {T::kUrl, true}},
      {"profileurl", {T::kUrl, true}},
      {"fingerprint", {T::kBiometric, true}},
      {"biometricid", {T::kBiometric, true}},
      {"voiceprint", {T::kBiometric, true}},
      {"retinascan", {T::kBiometric, true}},
      {"faceid", {T::kBiometric, true}},
      {"biometric", {T::kBiometric, true}},
      {"employeeid", {T::kId, true}},
      {"studentid", {T::kId, true}},
      {"claimnumber", {T::kId, true}},
      {"caseid", {T::kId, true}},
      {"casenumber", {T::kId, true}},
      {"caseno", {T::kId, true}},
      {"rxnumber", {T::kId, true}},
      {"rxno", {T::kId, true}},
      {"rxnum", {T::kId, true}},
      {"rxid", {T::kId, true}},
      {"residentid", {T::kMrn, true}},
      // An ICH E2B safety report's patient.
      {"patientmedicalrecordnumb", {T::kMrn, true}},
      {"prescriptionid", {T::kId, true}},
      {"prescriptionnumber", {T::kId, true}},
      {"claimid", {T::kId, true}},
      {"claimno", {T::kId, true}},
      {"referralid", {T::kId, true}},
      {"authnumber", {T::kId, true}},
      {"authorizationnumber", {T::kId, true}},
      {"first", {T::kName, false}},
      {"last", {T::kName, false}},
      {"dlnumber", {T::kLicense, true}},
      {"driverslicensenumber", {T::kLicense, true}},
      {"specimenid", {T::kId, true}},
      {"participantid", {T::kId, false}},  // a study's or a biobank's coded participant
      {"employeenumber", {T::kId, true}},
      {"fechanac", {T::kDate, true}},
      {"fechanacimiento", {T::kDate, true}},
      {"datanascimento", {T::kDate, true}},
      {"datenaissance", {T::kDate, true}},
      {"geburtsdatum", {T::kDate, true}},
      {"numdoc", {T::kId, true}},
      {"subid", {T::kHealthPlan, true}},
      {"ohip", {T::kId, true}},
      {"abhanumber", {T::kId, true}},
      {"rchid", {T::kId, true}},
      {"healthcard", {T::kId, true}},
      {"nhsnumber", {T::kId, true}},
      {"nhi", {T::kId, true}},
      {"cpf", {T::kId, true}},
      {"dni", {T::kId, true}},
      {"curp", {T::kId, true}},
      {"folio", {T::kId, false}},  // a Mexican clinic's record number
      {"nir", {T::kId, true}},
      {"niss", {T::kId, true}},
      {"rut", {T::kId, true}},
      {"cuit", {T::kId, true}},
      {"cuil", {T::kId, true}},
      {"avs", {T::kId, true}},
      {"ahv", {T::kId, true}},
      {"numadherent", {T::kHealthPlan, true}},
      {"numafiliado", {T::kHealthPlan, true}},
      {"afiliado", {T::kHealthPlan, true}},
      {"nationalid", {T::kId, true}},
      {"mbrid", {T::kHealthPlan, true}},
      {"memberno", {T::kHealthPlan, true}},
      {"numerodocumento", {T::kId, true}},
      {"documento", {T::kId, true}},
      {"cedula", {T::kId, true}},
      {"celular", {T::kPhone, true}},
      {"telefono", {T::kPhone, true}},
      {"direccion", {T::kAddress, true}},
      {"domicilio", {T::kAddress, true}},
      {"nombre", {T::kName, true}},
      {"apellidos", {T::kName, true}},
      {"casenumber", {T::kId, true}},
      {"encounterid", {T::kId, true}},
      {"visitid", {T::kId, true}},
      {"accessionnumber", {T::kId, true}},
      {"accession", {T::kId, true}},
      {"apptid", {T::kId, true}},
      {"appointmentid", {T::kId, true}},
      {"passport", {T::kId, true}},
      {"passportnumber", {T::kId, true}},
      {"passportno", {T::kId, true}},
      {"anumber", {T::kId, true}},
      {"alienregistrationnumber", {T::kId, true}},
      {"uscisreceipt", {T::kId, true}},
      {"receiptnumber", {T::kId, true}},
      {"registryid", {T::kId, true}},
      {"registryno", {T::kId, true}},
      {"registrynumber", {T::kId, true}},
      {"policyno", {T::kHealthPlan, true}},
      {"age", {T::kAge, true}},
  };
  return kRules;
}

bool plausibleName(const Window& w, const NameData& names, Span s, bool strong) {
  std::string_view text = w.slice(s.start, s.end);
  if (text.empty() || text.size() > 60 || !isUpper(text[0])) return false;
  // A relationship or a blank in a name's column: "SELF" as the guarantor, "Same", "Unknown".
  static const std::vector<std::string_view> kNoName = {"self",   "same",  "none",  "unknown",
                                                        "spouse", "child", "other", "patient"};
  if (text.size() <= 7) {
    std::string lower = lowerCopy(text);
    if (std::find(kNoName.begin(), kNoName.end(), lower) != kNoName.end()) return false;
  }
  bool dictionary = false;
  bool all_safe = true;
  size_t i = 0;
  int words = 0;
  // English words no dictionary holds as a name: "Scheduled Procedure Step Sequence" in a
  // DICOM table's "Name" column is a field's name.
  int plain = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && (isAlpha(text[j]) || text[j] == '\'' || text[j] == '-' ||
                               text[j] == '.' || static_cast<unsigned char>(text[j]) >= 0x80)) {
      ++j;
    }
    std::string_view word = text.substr(i, j - i);
    // The particles inside a name: "Maria das Gra\u00e7as Souza", "Ludwig van Beethoven".
    static const std::vector<std::string_view> kParticles = {"da", "das", "de", "del", "der", "di",
                                                             "do", "dos", "du", "van", "von", "y"};
    if (words > 0 && j < text.size() &&
        std::find(kParticles.begin(), kParticles.end(), word) != kParticles.end()) {
      i = j;
      while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
      continue;
    }
    if (word.empty() || !isUpper(word[0]) || organisationWord(word)) return false;
    ++words;
    if (names.find(word) != nullptr) {
      dictionary = true;
    } else if (names.englishWord(word)) {
      ++plain;
    }
    if (!names.safe(word) && word.size() > 2) all_safe = false;
    if (j < text.size() && text[j] != ' ' && text[j] != ',') return false;
    i = j;
    while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
  }
  if (words == 0 || words > 5 || plain >= 2) return false;
  return strong ? !all_safe || dictionary : dictionary && !all_safe;
}

std::string normalisedKey(std::string_view text) {
  std::string key;
  for (char c : text) {
    if (isAlnum(c)) key.push_back(toLower(c));
  }
  return key;
}

// The values listed after `first` that look like it: "Claim(s): 24301E0098812,
// 24301E0098813", "MRNs 4410872 and 4410913". Each has the same length and the same kind of
// byte at each end, so a count or a date after the value is no second value.
std::vector<Span> listedAfter(const Window& w, Span first) {
  std::vector<Span> more;
  if (first.empty()) return more;
  uint64_t size = first.end - first.start;
  Span last = first;
  while (more.size() < 8) {
    uint64_t p = last.end;
    if (w.at(p) == ',' || w.at(p) == ';' || w.at(p) == '/') {
      ++p;
    } else if (lowerCopy(w.slice(p, p + 5)) == " and ") {
      p += 4;
    } else if (w.slice(p, p + 3) == " & ") {
      p += 2;
    } else {
      break;
    }
    while (w.at(p) == ' ' && p < last.end + 6) ++p;
    Span next = idToken(w, p, 1);
    if (next.end - next.start != size || isDigit(w.at(next.start)) != isDigit(w.at(first.start)) ||
        isDigit(w.at(next.end - 1)) != isDigit(w.at(first.end - 1))) {
      break;
    }
    more.push_back(next);
    last = next;
  }
  return more;
}

uint64_t skipLabel(const Window& w, uint64_t pos) {
  uint64_t p = pos;
  uint64_t limit = pos + 32;
  while (p < w.end() && p < limit) {
    char c = w.at(p);
    // A remark in brackets between a label and its value: "MRN (sending) KH-2004417",
    // "MRN (if known): BBH-2208516".
    if (c == '(' && isAlpha(w.at(p + 1))) {
      uint64_t close = p + 1;
      while (close < p + 24 && (isAlpha(w.at(close)) || w.at(close) == ' ')) ++close;
      if (w.at(close) == ')') {
        p = close + 1;
        limit = std::max(limit, p + 8);
        continue;
      }
    }
    if (isSpace(c) || c == ':' || c == '#' || c == '=' || c == '"' || c == '\'' || c == '(' ||
        c == ')' || c == '[' || c == '.' || c == '-' || c == '|' || c == ',' || c == '_') {
      ++p;
      continue;
    }
    if (isAlpha(c)) {
      uint64_t e = p;
      while (e < w.end() && isAlpha(w.at(e))) ++e;
      if (fillerWord(w.slice(p, e))) {
        p = e;
        continue;
      }
    }
    // The full-width colon and the ideographic space of CJK forms ("住院号：2023087415"),
    // and the numero sign ("\u2116 4587").
    std::string_view three = w.slice(p, p + 3);
    if (three == "\xef\xbc\x9a" || three == "\xe3\x80\x80" || three == "\xe2\x84\x96") {
      p += 3;
      limit = std::max(limit, p + 4);
      continue;
    }
    // A remark in full-width brackets: "联系电话（家属）：".
    if (three == "\xef\xbc\x88") {
      uint64_t close = p + 3;
      while (close < p + 30 && close < w.end() && w.slice(close, close + 3) != "\xef\xbc\x89") {
        ++close;
      }
      if (w.slice(close, close + 3) == "\xef\xbc\x89") {
        p = close + 3;
        limit = std::max(limit, p + 8);
        continue;
      }
    }
    break;
  }
  return p;
}

Span idToken(const Window& w, uint64_t pos, int min_digits) {
  uint64_t e = pos;
  int digits = 0;
  while (e < w.end() && e < pos + 40 &&
         (isAlnum(w.at(e)) ||
          ((w.at(e) == '-' || w.at(e) == '.' || w.at(e) == '/' || w.at(e) == '_') &&
           isAlnum(w.at(e + 1))))) {
    digits += isDigit(w.at(e)) ? 1 : 0;
    ++e;
  }
  if (e - pos < 3 || digits < min_digits || isAlnum(w.at(e))) return {};
  return {pos, e};
}

// An identifier in groups: "HMO 992-044-1186", "DLT 448 201 779", "ZQH71840562 01", "PIP
// 31-88240-AZ": a token, then more tokens after single spaces while each starts with a digit.
Span groupedIdToken(const Window& w, uint64_t pos, int min_digits) {
  Span first = idToken(w, pos, 1);
  if (first.empty() && (isUpper(w.at(pos)) || (isDigit(w.at(pos)) && isUpper(w.at(pos + 1))))) {
    // A short prefix in capitals: "HMO", "PIP", a UPS parcel's "1Z".
    uint64_t e = pos;
    while (e < w.end() && e < pos + 4 && (isUpper(w.at(e)) || (e == pos && isDigit(w.at(e))))) {
      ++e;
    }
    if (e - pos >= 2 && w.at(e) == ' ' && isDigit(w.at(e + 1))) first = {pos, e};
  }
  // A first group of two digits: "80 552 417 903", a German insurer's member number.
  if (first.empty() && isDigit(w.at(pos)) && isDigit(w.at(pos + 1)) && w.at(pos + 2) == ' ' &&
      isDigit(w.at(pos + 3)) && (pos == w.begin() || !isAlnum(w.at(pos - 1)))) {
    first = {pos, pos + 2};
  }
  if (first.empty()) return {};
  Span s = first;
  // A court's case number: "2024 CV 04417", "24 CR 118".
  if (first.end - first.start <= 4 && w.at(first.end) == ' ' && isUpper(w.at(first.end + 1))) {
    uint64_t e = first.end + 1;
    while (e < first.end + 4 && isUpper(w.at(e))) ++e;
    if (w.at(e) == ' ' && isDigit(w.at(e + 1)) && isDigit(w.at(first.start))) {
      uint64_t d = e + 1;
      while (d < w.end() && d < e + 10 && isDigit(w.at(d))) ++d;
      if (d - e > 3 && !isAlnum(w.at(d))) s.end = d;
    }
  }
  while (w.at(s.end) == ' ' && isDigit(w.at(s.end + 1)) && s.end < pos + 32) {
    Span next = idToken(w, s.end + 1, 0);
    if (next.empty()) {
      uint64_t e = s.end + 1;
      while (e < w.end() && isDigit(w.at(e))) ++e;
      if (e - s.end - 1 < 2 || isAlnum(w.at(e))) break;
      next = {s.end + 1, e};
    }
    s.end = next.end;
  }
  int digits = 0;
  for (uint64_t i = s.start; i < s.end; ++i) digits += isDigit(w.at(i)) ? 1 : 0;
  if (digits < min_digits) return idToken(w, pos, min_digits);
  return s;
}

// The first identifier-shaped token within 40 bytes of `pos`, over any words in between
// ("fingerprint captured, ref BIO-55210", "device serial FTB-8823-QX1").
Span idTokenNear(const Window& w, uint64_t pos, int min_digits) {
  uint64_t p = pos;
  while (p < w.end() && p < pos + 40) {
    while (p < w.end() && p < pos + 40 && !isAlnum(w.at(p))) {
      if (w.at(p) == '\n') return {};
      ++p;
    }
    Span s = idToken(w, p, min_digits);
    if (!s.empty()) return s;
    while (p < w.end() && isAlnum(w.at(p))) ++p;
  }
  return {};
}

Span phoneToken(const Window& w, uint64_t pos) {
  uint64_t e = pos;
  int digits = 0;
  uint64_t last_digit = pos;
  while (e < w.end() && e < pos + 22) {
    char c = w.at(e);
    if (isDigit(c)) {
      ++digits;
      last_digit = e + 1;
    } else if (!(c == '(' || c == ')' || c == '-' || c == '.' || c == ' ' || c == '+')) {
      break;
    }
    ++e;
  }
  if (digits < 10 || digits > 11 || isDigit(w.at(last_digit))) return {};
  return {pos, last_digit};
}

namespace {

// A local number without its area code, as people give their own: "my cell is 555-0148".
bool localPhone(std::string_view text) {
  return text.size() == 8 && (text[3] == '-' || text[3] == '.') && text[0] >= '2' &&
         std::all_of(text.begin(), text.begin() + 3, isDigit) &&
         std::all_of(text.begin() + 4, text.end(), isDigit);
}

// The local number at `pos`, alone: not part of a longer number or code.
Span localPhoneToken(const Window& w, uint64_t pos) {
  Span s{pos, pos + 8};
  if (s.end > w.end() || !localPhone(w.slice(s.start, s.end)) || isAlnum(w.at(s.end)) ||
      ((w.at(s.end) == '-' || w.at(s.end) == '.') && isDigit(w.at(s.end + 1))) ||
      (pos > w.begin() && (isAlnum(w.at(pos - 1)) || w.at(pos - 1) == '-'))) {
    return {};
  }
  return s;
}

// A number as other countries write it after a phone label: with a country code ("+34 612
// 345 678", "+44 (0)20 7946 0958"), with a trunk 0 ("06 12 34 56 78", "020 7946 0958"), or
// nine digits (Spanish, Portuguese and Italian mobiles: "612 345 678").
Span foreignPhoneToken(const Window& w, uint64_t pos) {
  char first = w.at(pos);
  if (first != '+' && first != '(' && !isDigit(first)) return {};
  uint64_t e = pos + 1;
  int digits = isDigit(first) ? 1 : 0;
  bool open = first == '(';  // a ')' only closes an area code the number opened
  while (e < w.end() && e < pos + 24) {
    char c = w.at(e);
    if (isDigit(c)) {
      ++digits;
      ++e;
    } else if ((c == ' ' || c == '.' || c == '-' || c == '(' || (c == ')' && open) || c == '/') &&
               (isDigit(w.at(e + 1)) || (w.at(e + 1) == '(' && isDigit(w.at(e + 2))))) {
      open = open || c == '(';
      ++e;
    } else if (c == ')' && open && w.at(e + 1) == ' ') {
      ++e;
    } else {
      break;
    }
  }
  if (isAlnum(w.at(e)) || !isDigit(w.at(e - 1))) return {};
  // "(02) 9000 0000": a form's example.
  if (v::digitsOf(w.slice(pos, e)).find("000000") != std::string::npos) return {};
  // "(11) 97321-4480": a two-digit area code in brackets, as Brazil and Mexico write it (a
  // North American one has three, and failed isValidNanpPhone() or is an example).
  if (first == '(' && !(isDigit(w.at(pos + 1)) && isDigit(w.at(pos + 2)) && w.at(pos + 3) == ')')) {
    return {};
  }
  // A trunk '0' and up to eleven digits: "0176 5550 2281", a German mobile. Ten digits
  // after a two-digit area code: "55 5512 0438", a Mexico City number.
  bool two_digit_area = isDigit(w.at(pos + 1)) && (w.at(pos + 2) == ' ' || w.at(pos + 2) == '-');
  // Eight digits in pairs: "28 41 67 03", a Danish or Norwegian number.
  bool pairs =
      e == pos + 11 && w.at(pos + 2) == ' ' && w.at(pos + 5) == ' ' && w.at(pos + 8) == ' ';
  // Eight digits in fours: "9176 2284", a Singapore or Hong Kong number. Ten in fives from
  // 6 to 9: "87004 15592", an Indian mobile.
  bool fours = e == pos + 9 && w.at(pos + 4) == ' ' && first >= '2';
  bool fives = e == pos + 11 && w.at(pos + 5) == ' ' && first >= '6';
  bool fits = first == '+'   ? digits >= 8 && digits <= 15
              : first == '0' ? digits >= 9 && digits <= 12
              : first == '(' ? digits >= 9 && digits <= 11
                             : digits == 9 || (digits == 10 && (two_digit_area || fives)) ||
                                   (digits == 8 && (pairs || fours));
  return fits ? Span{pos, e} : Span{};
}

// Another country's national or health identifier after its label: letters and digits in
// groups ("943 476 5919", "318.442.907-15", "16059874K", "QQ 12 34 56 C").
void nationalId(const Window& w, uint64_t pos, std::vector<Finding>& out, int min_digits) {
  uint64_t e = pos;
  int digits = 0;
  while (e < w.end() && e < pos + 26) {
    char c = w.at(e);
    char n = w.at(e + 1);
    if (isAlnum(c)) {
      digits += isDigit(c) ? 1 : 0;
      ++e;
    } else if (e > pos && (c == '.' || c == '-' || c == '/') && isAlnum(n)) {
      ++e;
    } else if (e > pos && c == ' ' &&
               (isDigit(n) || (isUpper(n) && !isAlnum(w.at(e + 2)) && digits > 0))) {
      ++e;  // groups of digits, and a check letter apart: "12345678 Z"
    } else {
      break;
    }
  }
  std::string_view text = w.slice(pos, e);
  // New Zealand's NHI: three letters and four digits, or two digits and two letters.
  bool nhi = text.size() == 7 && isUpper(text[0]) && isUpper(text[1]) && isUpper(text[2]) &&
             isDigit(text[3]) && isDigit(text[4]) &&
             ((isDigit(text[5]) && isDigit(text[6])) || (isUpper(text[5]) && isUpper(text[6])));
  if ((digits < min_digits && !nhi) || isAlnum(w.at(e))) return;
  bool valid = v::isValidNhsNumber(text) || v::isValidCpf(text) || v::isValidDni(text) ||
               v::isValidSin(text);
  addFinding(out, PhiType::kId, pos, e, valid ? 0.95f : 0.85f);
}

}  // namespace

Span dateToken(const Window& w, uint64_t pos) {
  uint64_t limit = std::min<uint64_t>(w.end(), pos + 28);
  if (size_t n = v::eastAsianDateLength(w.slice(pos, std::min<uint64_t>(w.end(), pos + 40)));
      n != 0) {
    return {pos, pos + n};
  }
  // Try the longest prefix (up to ~28 bytes) that ends at a token boundary and parses.
  for (uint64_t e = limit; e > pos + 3; --e) {
    char last = w.at(e - 1);
    if (!isAlnum(last) || isAlnum(w.at(e))) continue;
    if (validators::parseDate(w.slice(pos, e))) return {pos, e};
  }
  return {};
}

void typedValue(const Window& w, PhiType type, Span value, float score, std::vector<Finding>& out) {
  if (value.empty()) return;
  std::string_view text = w.slice(value.start, value.end);
  // All zeros is a placeholder or a format being described ("serial 0000", "000-00-0000").
  if (std::string digits = v::digitsOf(text);
      !digits.empty() && digits.find_first_not_of('0') == std::string::npos) {
    return;
  }
  // A number with one or two decimals is a measure, not an identifier: "AUROC for Medicaid
  // (0.74)".
  if (size_t dot = text.find('.');
      dot != std::string_view::npos && dot > 0 && dot + 1 < text.size() &&
      text.find('.', dot + 1) == std::string_view::npos &&
      v::digitsOf(text).size() + 1 == text.size() && dot + 4 > text.size()) {
    return;
  }
  // A year after a plan's or a record's word is when, not which: "Medicaid 2024".
  // A local number without its area code counts only beside another identifier (below).
  bool local = (type == PhiType::kPhone || type == PhiType::kFax) && localPhone(text);
  bool year = text.size() == 4 && (text.starts_with("19") || text.starts_with("20")) &&
              std::all_of(text.begin(), text.end(), isDigit);
  bool ok = false;
  switch (type) {
    case PhiType::kHealthPlan:
      ok = text.size() >= 4 && v::digitsOf(text).size() >= 3 && !v::isExampleMbi(text);
      break;
    case PhiType::kSsn: ok = v::isValidSsn(text) && v::digitsOf(text).size() == 9; break;
    case PhiType::kPhone:
    case PhiType::kFax: ok = (v::isValidNanpPhone(text) || local) && !examplePhone(text); break;
    case PhiType::kDate: {
      auto date = v::parseDate(text);
      if (v::Date east{}; !date && v::eastAsianDateLength(text, &east) == text.size()) {
        date = east;
      }
      ok = date && date->year > 1900;  // 1900-01-01: the sentinel of a missing birth date
      break;
    }
    case PhiType::kEmail: ok = v::isValidEmail(text); break;
    case PhiType::kIp: ok = v::isValidIpv4(text) || v::isValidIpv6(text); break;
    case PhiType::kUrl: ok = v::isValidUrl(text); break;
    case PhiType::kAge: {
      std::string d = v::digitsOf(text);
      ok = d.size() == text.size() && d.size() <= 3 && std::stoi(d) > 89 && std::stoi(d) <= 125;
      break;
    }
    case PhiType::kAddress:
    case PhiType::kName: ok = text.size() >= 2; break;
    case PhiType::kBiometric: ok = text.size() >= 6; break;
    case PhiType::kVehicle:
    case PhiType::kDevice: ok = text.size() >= 4 && !v::digitsOf(text).empty(); break;
    default: {
      ok = text.size() >= 4 && v::digitsOf(text).size() >= 3;
      // "acct-482019374610-healthlake-exports": a resource named after an account.
      size_t dash = text.rfind('-');
      if (dash != std::string_view::npos && text.size() - dash > 4 &&
          std::all_of(text.begin() + static_cast<long>(dash) + 1, text.end(), isLower)) {
        ok = false;
      }
      break;
    }
  }
  if (!ok ||
      (year && type != PhiType::kDate && type != PhiType::kAddress && type != PhiType::kAge)) {
    return;
  }
  if (type == PhiType::kPhone || type == PhiType::kFax) {
    size_t from = out.size();
    addContactFinding(w, out, type, value.start, value.end, score);
    // Without its area code a number is a weaker sign, and a rota's or a fixture's as often
    // ("cell 555-0131", "555-0100"): a person's beside their other identifiers.
    if (local) {
      for (size_t i = from; i < out.size(); ++i) out[i].score = -std::abs(out[i].score);
    }
  } else {
    addFinding(out, type, value.start, value.end, score);
  }
}

namespace {

// "member ID XJK884917201, group 0043127", "Policy: LTD-0092817, Group 44719": the plan's
// group number right after a member's ID or policy, with no '#' or ':' of its own (a bare
// "group" is everywhere else: "support group", "group 2"). It counts as the ID before it does.
void groupNumberAfter(const Window& w, uint64_t from, bool needs_another,
                      std::vector<Finding>& out) {
  uint64_t q = from;
  while (q < from + 4 && (w.at(q) == ' ' || w.at(q) == ',' || w.at(q) == ';' || w.at(q) == '|')) {
    ++q;
  }
  if (lowerCopy(w.slice(q, q + 5)) != "group" || isAlnum(w.at(q + 5))) return;
  typedValue(w, PhiType::kHealthPlan, groupedIdToken(w, skipLabel(w, q + 5), 4), 0.8f, out,
             needs_another);
}

}  // namespace

void typedValue(const Window& w, PhiType type, Span value, float score, std::vector<Finding>& out,
                bool needs_another) {
  // An employer's group policy ("carrier_policy": "GRP-681447") is the employer's plan:
  // a member's only beside the member's other identifiers.
  if (type == PhiType::kHealthPlan && value.start >= w.begin() + 4 &&
      lowerCopy(w.slice(value.start - 4, value.start)) == "grp-") {
    needs_another = true;
  }
  size_t from = out.size();
  typedValue(w, type, value, score, out);
  if (needs_another) corroborateSince(out, from);
}

void recordPath(const Window& w, uint64_t end, std::vector<Finding>& out) {
  // The path segment after "/patients/", when it holds digits: "MRN-5530912" in
  // "/api/v2/patients/MRN-5530912/results".
  uint64_t e = end;
  while (e < w.end() && e < end + 40 && w.at(e) != '/' && w.at(e) != '?' && w.at(e) != '#' &&
         w.at(e) != '"' && w.at(e) != '\'' && !isSpace(w.at(e))) {
    ++e;
  }
  // Above a cue inside the segment ("MRN-..."), which would read on past the '/'.
  typedValue(w, PhiType::kId, {end, e}, 0.9f, out);
}

namespace {

// The employer named after its label at `p` ("Employer: Tri-County Pallet & Crate LLC (FEIN
// on file)", "works for Meijer (distribution center)", "Arbeitgeber: Nordwerft Stahlbau
// GmbH, Abt."): capitalised words joined by single spaces, "&", "of", "and" and "the", to
// the end of the phrase. It identifies the person only beside another identifier: a job
// posting names its employer too.
void employer(const Window& w, uint64_t p, std::vector<Finding>& out) {
  static const std::vector<std::string_view> kNoEmployer = {
      "none",       "n/a",      "na",      "retired", "self",      "self-employed",
      "unemployed", "disabled", "student", "unknown", "homemaker", "same",
      "not",        "no",       "yes",     "name",    "address",   "phone"};
  uint64_t limit = std::min(w.end(), p + 80);
  uint64_t e = p;
  uint64_t name_end = p;
  while (e < limit) {
    uint64_t s = e;
    if (isUpper(w.at(e)) || (name_end > p && isDigit(w.at(e)))) {
      while (e < limit && (isAlnum(w.at(e)) || w.at(e) == '-' || w.at(e) == '\'' ||
                           w.at(e) == '.' || w.at(e) == '/')) {
        ++e;
      }
      name_end = e;
    } else if (name_end > p && w.at(e) == '&') {
      ++e;
    } else if (name_end > p && isLower(w.at(e))) {
      while (e < limit && isLower(w.at(e))) ++e;
      std::string_view joint = w.slice(s, e);
      if (joint != "of" && joint != "and" && joint != "the" && joint != "de") break;
    } else {
      break;
    }
    if (e + 1 >= limit || w.at(e) != ' ' || w.at(e + 1) == ' ') break;
    ++e;
  }
  // A sentence's full stop is no part of the name, a company's "Inc." is.
  std::string_view name = w.slice(p, name_end);
  if (name.size() > 1 && name.back() == '.' && !name.ends_with("Inc.") && !name.ends_with("Co.") &&
      !name.ends_with("Corp.") && !name.ends_with("Ltd.")) {
    name.remove_suffix(1);
  }
  std::string first = lowerCopy(name.substr(0, name.find(' ')));
  if (name.size() < 3 ||
      std::find(kNoEmployer.begin(), kNoEmployer.end(), first) != kNoEmployer.end()) {
    return;
  }
  addCorroboratedFinding(out, PhiType::kName, p, p + name.size(), 0.8f);
}

// The names listed after the word for several relatives, from `p` past the word:
// "daughters (Lucía 12 and Inés 9)", "kids (Elsa is 7 and Jonah is 4)", "children Amara and
// Tobi". Between two names only a bracket, an age, a comma and "and" or "&".
void relativesAfter(const Window& w, const NameData& names, uint64_t p, std::vector<Finding>& out) {
  for (int listed = 0; listed < 4; ++listed) {
    uint64_t gap = p;
    while (p < w.end() && p < gap + 16 && !upperStart(w.slice(p, p + 3))) {
      char c = w.at(p);
      if (c == ' ' || c == ',' || c == '&' || isDigit(c) || (c == '(' && listed == 0)) {
        ++p;
      } else if (listed > 0 && (w.slice(p, p + 4) == "and " || w.slice(p, p + 3) == "is ")) {
        p += w.at(p) == 'a' ? 4 : 3;
      } else {
        return;
      }
    }
    if (listed > 0 && w.slice(gap, p).find("and") == std::string_view::npos &&
        w.slice(gap, p).find(',') == std::string_view::npos &&
        w.slice(gap, p).find('&') == std::string_view::npos) {
      return;
    }
    uint64_t e = nameAfterCue(w, names, p, 0.75f, true, out);
    if (e == p) return;
    p = e;
  }
}

// The name labels of people writing their own or their family's names. Only after them is
// a name in lower case looked for: "patient was" and "mother has" are frequent, and no
// name follows them.
struct FamilyLabel {
  std::string_view text;
  bool lower;       // a name typed in lower case may follow ...
  LowerName alone;  // ... and one word may be it: a first name ("my son eli", "her name is
                    // linh", "a pt named jolene") or, after a title, a surname
  bool kin;         // a relative's name after "is": "wife is Marlene"
};

const FamilyLabel* familyLabel(std::string_view label) {
  using L = LowerName;
  // The last three: a patient typed in lower case after "pt" where it starts a word ("pt
  // harold brennan rm 614", "new pt gloria vance").
  static const FamilyLabel kList[] = {{"my name is", true, L::kPair, false},
                                      {"her name is", true, L::kFirstAlone, false},
                                      {"his name is", true, L::kFirstAlone, false},
                                      {"i'm", true, L::kPair, false},
                                      {"i am", true, L::kPair, false},
                                      {"this is", true, L::kPair, false},
                                      {"my son", true, L::kFirstAlone, true},
                                      {"my kid", true, L::kFirstAlone, false},
                                      {"my child", true, L::kFirstAlone, false},
                                      {"my mom", true, L::kPair, false},
                                      {"my dad", true, L::kPair, false},
                                      {"my mum", true, L::kPair, false},
                                      {"my aunt", true, L::kFirstAlone, false},
                                      {"my uncle", true, L::kFirstAlone, false},
                                      {"my sister", true, L::kFirstAlone, false},
                                      {"my brother", true, L::kFirstAlone, false},
                                      {"my partner", true, L::kPair, false},
                                      {"daughter", true, L::kFirstAlone, true},
                                      {"mother", true, L::kPair, true},
                                      {"father", true, L::kPair, true},
                                      {"wife", true, L::kPair, true},
                                      {"husband", true, L::kPair, true},
                                      {"grandmother", true, L::kPair, false},
                                      {"grandfather", true, L::kPair, false},
                                      {"grandma", true, L::kFirstAlone, true},
                                      {"grandpa", true, L::kFirstAlone, true},
                                      {"granny", false, L::kFirstAlone, true},
                                      {"nana", false, L::kFirstAlone, true},
                                      {"abuela", false, L::kFirstAlone, true},
                                      {"abuelo", false, L::kFirstAlone, true},
                                      {"auntie", false, L::kFirstAlone, true},
                                      {"aunt", false, L::kFirstAlone, true},
                                      {"uncle", false, L::kFirstAlone, true},
                                      {"named", true, L::kFirstAlone, false},
                                      {"spouse", false, L::kPair, true},
                                      {"mrs ", true, L::kSurnameAlone, false},
                                      {"mrs. ", true, L::kSurnameAlone, false},
                                      {"mr. ", true, L::kSurnameAlone, false},
                                      {"mr ", true, L::kSurnameAlone, false},
                                      {"ms ", true, L::kSurnameAlone, false},
                                      {"ms. ", true, L::kSurnameAlone, false},
                                      {" pt ", true, L::kPatientFirst, false},
                                      {"\npt ", true, L::kPatientFirst, false},
                                      {"\"pt ", true, L::kPatientFirst, false}};
  static const auto kLabels = [] {
    std::unordered_map<std::string_view, const FamilyLabel*> labels;
    for (const FamilyLabel& l : kList) labels.emplace(l.text, &l);
    return labels;
  }();
  // Labels are matched in any case: the lookup is by the label in lower case.
  char lower[16];
  if (label.size() > sizeof lower) return nullptr;
  for (size_t i = 0; i < label.size(); ++i) lower[i] = toLower(label[i]);
  auto it = kLabels.find(std::string_view(lower, label.size()));
  return it == kLabels.end() ? nullptr : it->second;
}

}  // namespace

namespace {

// The AAMVA element at `id` (three capitals after a line break or a space), when it is one of
// a licence's: its name, or "" ("DCS" is the family name, "DAQ" the licence number).
std::string_view aamvaElement(const Window& w, uint64_t id) {
  static const std::vector<std::string_view> kElements = {
      "DCS", "DAC", "DAD", "DCT", "DBB", "DAQ", "DAG", "DAH", "DAI", "DAJ",
      "DAK", "DBA", "DBC", "DBD", "DAU", "DAW", "DAY", "DCF", "DCG", "DCA"};
  if (id > w.begin() && w.at(id - 1) != '\n' && w.at(id - 1) != ' ') return {};
  std::string_view code = w.slice(id, id + 3);
  auto it = std::find(kElements.begin(), kElements.end(), code);
  return it == kElements.end() ? std::string_view{} : *it;
}

// The bytes of the element's value from `v`: to the line's end, or to the next element of the
// same line ("DCS=NGUYEN DAC=THANH").
uint64_t aamvaValueEnd(const Window& w, uint64_t v) {
  uint64_t e = v;
  while (e < w.end() && e < v + 48 && w.at(e) != '\n' && w.at(e) != '\r' && w.at(e) != '"' &&
         w.at(e) != '\\') {
    if (w.at(e) == ' ' && !aamvaElement(w, e + 1).empty() && w.at(e + 4) == '=') break;
    ++e;
  }
  while (e > v && w.at(e - 1) == ' ') --e;
  return e;
}

// "DCS=NGUYEN DAC=THANH DBB=08161987 DAQ=41882093 DAG=2206 BELT LINE RD": a driver's licence
// read from its barcode, one element after another on a line or one a line. Three capitals
// are common enough ("\nDACA", base64) that a field counts only beside another element.
void aamvaField(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  uint64_t id = w.at(start) == '\n' ? start + 1 : start;
  std::string_view element = aamvaElement(w, id);
  if (element.empty()) return;
  uint64_t v = end;
  uint64_t e = aamvaValueEnd(w, v);
  if (e == v) return;
  bool beside = false;
  uint64_t from = id > w.begin() + 96 ? id - 96 : w.begin();
  for (uint64_t i = from; i < std::min(w.end(), e + 96) && !beside; ++i) {
    beside = i != id && w.at(i) == 'D' && !aamvaElement(w, i).empty() &&
             (w.at(i + 3) == '=' || w.at(i - 1) == '\n');
  }
  if (!beside) return;
  std::string_view value = w.slice(v, e);
  auto letters = [&] {
    return std::all_of(value.begin(), value.end(), [](char c) {
      return isAlpha(c) || c == ' ' || c == '-' || c == '\'' || c == ',';
    });
  };
  if (element == "DCS" || element == "DAC" || element == "DAD" || element == "DCT") {
    if (letters() && isAlpha(value.front())) addFinding(out, PhiType::kName, v, e, 0.8f);
  } else if (element == "DBB") {
    // MMDDYYYY in the United States, YYYYMMDD in Canada.
    if (value.size() != 8 || !std::all_of(value.begin(), value.end(), isDigit)) return;
    auto number = [&](size_t at, size_t n) { return std::stoi(std::string(value.substr(at, n))); };
    if (v::isRealDate(number(4, 4), number(0, 2), number(2, 2)) ||
        v::isRealDate(number(0, 4), number(4, 2), number(6, 2))) {
      addFinding(out, PhiType::kDate, v, e, 0.85f);
    }
  } else if (element == "DAQ") {
    if (value.size() >= 4 && !v::digitsOf(value).empty()) {
      addFinding(out, PhiType::kLicense, v, e, 0.85f);
    }
  } else if (element == "DAG" || element == "DAI" || element == "DAK") {
    addFinding(out, PhiType::kAddress, v, e, 0.8f);
  }
}

}  // namespace

void keywordCue(const Window& w, const NameData& names, Cue cue, uint64_t start, uint64_t end,
                std::vector<Finding>& out) {
  if (cue == Cue::kAamva) {
    aamvaField(w, start, end, out);
    return;
  }
  // Not "...9dea70b5..."; but an XML attribute's name may end in the label, camelCase
  // ("HKCharacteristicTypeIdentifierDateOfBirth=\"").
  bool attribute = w.at(end - 1) == '"' && w.at(end - 2) == '=';
  // (A label that opens with its own space, line break or quote, " pt ", starts a word;
  // "-in-law " ends one.)
  char opener = w.at(start);
  bool spaced = opener == ' ' || opener == '\n' || opener == '"' || opener == '-';
  if (start > w.begin() && isAlnum(w.at(start - 1)) && !attribute && !spaced) return;
  // Inside a value: "TEST-MRN-0001".
  if (start > w.begin() + 1 && w.at(start - 1) == '-' && isAlnum(w.at(start - 2))) return;
  // A role label inside an identifier: "invalid_client: JWT" (not "last_name:").
  if ((cue == Cue::kNameLabel || cue == Cue::kTitle) && start > w.begin() &&
      w.at(start - 1) == '_' && lowerCopy(w.slice(start, start + 4)) != "name") {
    return;
  }
  char next = w.at(end);
  char last = w.at(end - 1);
  // A speech marker may begin a longer word: "dictating", "transcription".
  if (isAlpha(last) && isAlpha(next) && cue != Cue::kSpeech) return;
  if (table(w, names, start, end, out)) return;
  if (cue == Cue::kColumn) return;
  // Only the cues that read a value right after their label skip over it ("MRN #: 12").
  bool reads_value = cue != Cue::kNameLabel && cue != Cue::kScriptName && cue != Cue::kTitle &&
                     cue != Cue::kNpi && cue != Cue::kPoBox && cue != Cue::kRuralBox &&
                     cue != Cue::kMonthOf && cue != Cue::kDevice && cue != Cue::kBiometric;
  uint64_t p = reads_value ? skipLabel(w, end) : end;
  switch (cue) {
    case Cue::kMrn: {
      Span value = groupedIdToken(w, p, 3);
      typedValue(w, PhiType::kMrn, value, 0.85f, out);
      for (Span more : listedAfter(w, value)) typedValue(w, PhiType::kMrn, more, 0.85f, out);
      return;
    }
    case Cue::kHealthPlan: {
      // "Policy No. MP-2025-041": a payer's medical policy as often as a member's.
      bool policy = lowerCopy(w.slice(start, start + 6)) == "policy";
      Span value = groupedIdToken(w, p, 3);
      // The bare word ("member W2874410932") only before a number as long as a member ID's:
      // not a team member's badge or a count ("member 2 of 3").
      if (lowerCopy(w.slice(start, end)) == "member " &&
          (value.end - value.start < 7 ||
           v::digitsOf(w.slice(value.start, value.end)).size() < 6)) {
        return;
      }
      // The bare word only before a code with letters and six digits or more: not a
      // policy's section ("policy 4.12.3") or year ("policy 2024-03").
      if (lowerCopy(w.slice(start, end)) == "policy ") {
        std::string_view text = w.slice(value.start, value.end);
        if (v::digitsOf(text).size() < 6 ||
            std::none_of(text.begin(), text.end(), [](char c) { return isAlpha(c); })) {
          return;
        }
      }
      typedValue(w, PhiType::kHealthPlan, value, 0.85f, out, policy);
      if (!value.empty()) groupNumberAfter(w, value.end, policy, out);
      return;
    }
    case Cue::kAccount:
      // A customer's account at a vendor, a bank or a cloud as often as a patient's: beside
      // the patient's other identifiers.
      typedValue(w, PhiType::kAccount, idToken(w, p, 4), 0.85f, out, true);
      return;
    case Cue::kLicense: {
      // The issuing state before the number: "CDL: IL V536-8841-2207".
      uint64_t state = p;
      if (v::isUsState(w.slice(p, p + 2)) && w.at(p + 2) == ' ') p += 3;
      Span value = idToken(w, p, 3);
      // ... or a number in groups after it: "DL: PA 31 884 207".
      if (value.empty()) value = groupedIdToken(w, state, 3);
      // A DEA registration is a prescriber's or a pharmacy's, like an NPI; a licence named
      // with a business's word is the business's ("Collection Agency License #2089145-DCA").
      static const std::vector<std::string_view> kBusiness = {
          "agency", "company", "business", "contractor", "vendor", "collector",
          "firm",   "llc",     "inc.",     "bond",       "dealer", "broker"};
      typedValue(w, PhiType::kLicense, value, 0.8f, out,
                 !value.empty() && (v::isValidDea(w.slice(value.start, value.end)) ||
                                    cueBefore(w, start, 32, kBusiness)));
      return;
    }
    case Cue::kId: {
      // A bare "ID" is anyone's or anything's (a tax ID, a vendor's, an order's), an
      // employee number outside clinical text is a worker's, not a patient's, a "ref" is a
      // document's or a letter's ("Local ref: WYICB-MO-2026-41") as often as a case's, and
      // a parcel's tracking number a shipment's.
      std::string label = lowerCopy(w.slice(start, start + 4));
      bool employee = label.rfind("emp", 0) == 0 || label.rfind("(emp", 0) == 0 || label == "matr";
      bool bare_id = w.at(start) == 'I' && w.at(start + 1) == 'D';
      bool parcel = label == "trac" || label == "trk ";
      // A student's number likewise ("SID", also a system's or a database's name).
      bool student = w.slice(start, start + 3) == "SID";
      bool needs_another =
          bare_id || (employee && !w.clinical) || label.rfind("ref", 0) == 0 || parcel || student;
      Span value = groupedIdToken(w, p, 3);
      // A passport's country between its label and its number: "pasaporte mexicano
      // G29914072".
      if (value.empty() && (label == "pass" || label == "pasa" || label == "reis") &&
          isAlpha(w.at(p))) {
        uint64_t q = p;
        while (q < w.end() && q < p + 16 && isAlpha(w.at(q))) ++q;
        value = groupedIdToken(w, skipLabel(w, q), 3);
      }
      // A reservation's record locator: five to eight capitals and digits, with few digits
      // ("PNR K4TZ9R", "Booking ref CX7Q2M", "r\u00e9servation TQ8MLX").
      bool travel = label.rfind("pnr", 0) == 0 || label == "reco" || label == "loca" ||
                    label == "book" || label == "r\xc3\xa9s";
      if (value.empty() && travel) {
        uint64_t q = p;
        if (label == "book" && lowerCopy(w.slice(q, q + 3)) == "ref") q = skipLabel(w, q + 3);
        uint64_t e = q;
        int digits = 0;
        while (e < w.end() && e < q + 9 && (isUpper(w.at(e)) || isDigit(w.at(e)))) {
          digits += isDigit(w.at(e)) ? 1 : 0;
          ++e;
        }
        if (e - q >= 5 && e - q <= 8 && digits > 0 && digits < static_cast<int>(e - q) &&
            !isAlnum(w.at(e)) && (q == w.begin() || !isAlnum(w.at(q - 1)))) {
          // Fewer digits than typedValue() asks of a number.
          size_t from = out.size();
          addFinding(out, PhiType::kId, q, e, 0.8f);
          if (needs_another) corroborateSince(out, from);
          return;
        }
      }
      // A prescription's number after words about it: "rx number at walgreens is
      // 0581724-03212".
      if (value.empty() && (label.rfind("rx", 0) == 0 || label == "pres")) {
        value = idTokenNear(w, p, 5);
      }
      // After a bare "Rx " only a number of six digits or more is the prescription's: "Rx
      // 3390185" (not "Rx 500 mg", "Rx 2 of 3").
      if (w.slice(start, end) == "Rx ") {
        std::string_view number = w.slice(value.start, value.end);
        if (number.size() < 6 || v::digitsOf(number).size() != number.size()) value = {};
      }
      typedValue(w, PhiType::kId, value, 0.8f, out, needs_another);
      for (Span more : listedAfter(w, value)) {
        typedValue(w, PhiType::kId, more, 0.8f, out, needs_another);
      }
      return;
    }
    case Cue::kUsername: {
      // An account's name: letters, digits and . _ - with a letter and a digit or a
      // separator ("tmarchetti1958", "imani.w.oduya", "dlaroque_88"), not a word or a
      // person's name in words ("User: Kayla Brightwater"), nor an e-mail (email() reads it).
      uint64_t s = p;
      if (w.slice(s, s + 3) == "is ") s += 3;  // "username is t.harjo1988"
      uint64_t e = s;
      bool letter = false;
      bool marked = false;  // a digit or a separator: no plain word
      while (e < w.end() && e < s + 40 &&
             (isAlnum(w.at(e)) || w.at(e) == '.' || w.at(e) == '_' || w.at(e) == '-')) {
        letter = letter || isAlpha(w.at(e));
        marked = marked || !isAlpha(w.at(e));
        ++e;
      }
      while (e > s && !isAlnum(w.at(e - 1))) --e;
      if (e - s < 4 || !letter || !marked || w.at(e) == '@' || !isAlnum(w.at(s))) return;
      static const std::vector<std::string_view> kPortal = {"portal", "mychart"};
      bool portal = toLower(w.at(start)) == 'p' || toLower(w.at(start)) == 'm' ||
                    cueBefore(w, start, 60, kPortal);
      if (portal) {
        addFinding(out, PhiType::kId, s, e, 0.8f);
      } else {
        addCorroboratedFinding(out, PhiType::kId, s, e, 0.7f);
      }
      return;
    }
    case Cue::kDevice: {
      Span value = idTokenNear(w, end, 2);
      // "UDI-DI: (01)00850012345678": a model's identifier (formatRule judges a UDI).
      if (!value.empty() && value.start >= w.begin() + 4 && w.at(value.start - 1) == ')' &&
          w.at(value.end) != '(') {
        return;
      }
      // A serial number is equipment's as often as an implant's: unless a medical device is
      // named before it, a patient's only beside the patient's other identifiers.
      static const std::vector<std::string_view> kMedicalDevices = {
          "pacemaker",    "implant", "defibrillator", "icd",      "pump",       "cgm",
          "glucose",      "monitor", "hearing",       "stent",    "prosthe",    "insulin",
          "cpap",         "bipap",   "neurostim",     "cochlear", "wheelchair", "oxygen",
          "concentrator", "holter",  "loop recorder", "device",   "npwt",       "wound vac"};
      typedValue(w, PhiType::kDevice, value, 0.8f, out,
                 !cueBefore(w, value.start, 48, kMedicalDevices));
      return;
    }
    case Cue::kBiometric: {
      // "fingerprint SHA256:..." of a host key or a certificate is no person's.
      Span value = idTokenNear(w, end, 1);
      std::string head = lowerCopy(w.slice(value.start, value.start + 3));
      if (head == "sha" || head == "md5") return;
      typedValue(w, PhiType::kBiometric, value, 0.8f, out);
      return;
    }
    case Cue::kNpi: {
      // "NPI 1245319599", "NPI of ordering provider: 1245319599"
      for (uint64_t q = end; q < end + 48 && q < w.end(); ++q) {
        if (!isDigit(w.at(q)) || isAlnum(w.at(q - 1))) continue;
        uint64_t e = q;
        while (e < w.end() && isDigit(w.at(e))) ++e;
        // A provider's or a pharmacy's number: a patient's request names them beside the
        // patient's own identifiers.
        if (e - q == 10 && !isAlnum(w.at(e)) && providerNpi(w.slice(q, e))) {
          addCorroboratedFinding(out, PhiType::kLicense, q, e, 0.9f);
        }
        if (e - q >= 3) return;
        q = e;
      }
      return;
    }
    case Cue::kSsn: {
      Span s{p, p};
      while (s.end < w.end() && s.end < p + 11 &&
             (isDigit(w.at(s.end)) || w.at(s.end) == '-' || w.at(s.end) == ' ' ||
              w.at(s.end) == '.')) {
        ++s.end;
      }
      while (s.end > s.start && !isDigit(w.at(s.end - 1))) --s.end;
      if (!isDigit(w.at(s.end))) typedValue(w, PhiType::kSsn, s, 0.95f, out);
      return;
    }
    case Cue::kPhone:
    case Cue::kFax: {
      PhiType type = cue == Cue::kFax ? PhiType::kFax : PhiType::kPhone;
      size_t from = out.size();
      // skipLabel() passed the '(' of "(312) 555-0187" and "(11) 97321-4480".
      uint64_t q = p > w.begin() && w.at(p - 1) == '(' ? p - 1 : p;
      Span number = phoneToken(w, p);
      if (!number.empty() && q < p && w.slice(p, number.end).find(')') != std::string_view::npos) {
        number.start = q;
      }
      typedValue(w, type, number, 0.9f, out);
      if (out.size() > from) return;
      if (Span s = foreignPhoneToken(w, q); !s.empty()) {
        addContactFinding(w, out, type, s.start, s.end, 0.85f);
      } else if (Span local = localPhoneToken(w, p); !local.empty()) {
        typedValue(w, type, local, 0.8f, out);
      } else {
        spokenAfterLabel(w, p, false, out);
      }
      return;
    }
    case Cue::kNationalId:
      // An Australian Medicare card has ten digits and an issue number; "Call Medicare on
      // 132 011" gives the agency's line.
      nationalId(w, p, out, w.slice(start, end) == "Medicare " ? 10 : 6);
      return;
    case Cue::kSpeech: transcript(w, end, w.speech_end, out); return;
    case Cue::kDob: {
      nameBeforeCue(w, names, start, out);
      size_t from = out.size();
      typedValue(w, PhiType::kDate, dateToken(w, p), 0.95f, out);
      if (out.size() == from) spokenAfterLabel(w, p, true, out);
      // "Henrietta Lacks (born August 1, 1920": a public figure's birth.
      if (out.size() > from && !strongFound(w) && publicFigureBefore(w, names, start)) {
        corroborateSince(out, from);
      }
      return;
    }
    case Cue::kAge: {
      Span s{p, p};
      while (s.end < w.end() && s.end < p + 3 && isDigit(w.at(s.end))) ++s.end;
      if (!isAlnum(w.at(s.end))) typedValue(w, PhiType::kAge, s, 0.85f, out);
      return;
    }
    case Cue::kAgeWords: writtenAge(w, start, end, out); return;
    case Cue::kRuralBox: ruralBox(w, start, end, out); return;
    case Cue::kMonthOf: dayInWordsOfMonth(w, start, end, out); return;
    case Cue::kPoBox: {
      uint64_t e = end;
      while (e < w.end() && e < end + 3 && isSpace(w.at(e))) ++e;
      uint64_t digits = e;
      while (e < w.end() && e < digits + 6 && isDigit(w.at(e))) ++e;
      if (e > digits && !isAlnum(w.at(e))) {
        addContactFinding(w, out, PhiType::kAddress, start, e, 0.8f);  // "Appeals Unit, PO Box"
      }
      return;
    }
    case Cue::kVehicle: {
      Span s = idToken(w, p, 1);
      // A plate in two groups: "plate JKT 4821", "tag 7ABC 123".
      if (s.empty()) {
        Span letters = idToken(w, p, 0);
        if (!letters.empty() && letters.end - letters.start <= 4 && w.at(letters.end) == ' ') {
          Span rest = idToken(w, letters.end + 1, 1);
          if (!rest.empty() && rest.end - rest.start <= 5) s = {letters.start, rest.end};
        }
      }
      // The state that issued it first: "plate NY HJW-4418".
      if (s.empty() && w.at(p + 2) == ' ' && isUpper(w.at(p)) && v::isUsState(w.slice(p, p + 2))) {
        Span rest = idToken(w, p + 3, 1);
        if (rest.end - rest.start <= 8) s = rest;
      }
      // Seventeen characters after "VIN" are a VIN in its alphabet (no I, O or Q; letters
      // and digits): only North America's carry the check digit. Plates are shorter, and
      // hold no decimal point ("vin=10.9V" is a voltage in).
      if (!s.empty() && s.end - s.start == 17 && !v::isValidVin(w.slice(s.start, s.end))) {
        std::string_view vin = w.slice(s.start, s.end);
        bool letters = std::any_of(vin.begin(), vin.end(), [](char c) { return isUpper(c); });
        bool digits = std::any_of(vin.begin(), vin.end(), [](char c) { return isDigit(c); });
        bool alphabet = std::all_of(vin.begin(), vin.end(), [](char c) {
          return isDigit(c) || (isUpper(c) && c != 'I' && c != 'O' && c != 'Q');
        });
        if (!letters || !digits || !alphabet) return;
      }
      if (w.slice(s.start, s.end).find('.') != std::string_view::npos) return;
      typedValue(w, PhiType::kVehicle, s, 0.8f, out);
      return;
    }
    case Cue::kZip: {
      Span s{p, p};
      while (s.end < w.end() && s.end < p + 10 && (isDigit(w.at(s.end)) || w.at(s.end) == '-')) {
        ++s.end;
      }
      // A ZIP code alone outside clinical text is a search's or a store's.
      if (v::isValidZip(w.slice(s.start, s.end))) {
        typedValue(w, PhiType::kAddress, s, 0.8f, out, !w.clinical);
      } else if (uint64_t e = postcodeEnd(w, p); e != 0) {
        addFinding(out, PhiType::kAddress, p, e, 0.8f);  // "Postcode: LS6 4BP"
      } else if (uint64_t e2 = foreignPostalEnd(w, p); e2 != 0) {
        addFinding(out, PhiType::kAddress, p, e2, 0.8f);  // "CEP 01304-001"
      }
      return;
    }
    case Cue::kAddress: {
      uint64_t e = p;
      while (e < w.end() && e < p + 120 && w.at(e) != '\n' && w.at(e) != '"' && w.at(e) != ';' &&
             w.at(e) != '|') {
        // A sentence's end: "... Springfield, IL 62704. Help me" ("St. Louis" and "Apt. 4"
        // go on: the word before their stop is short).
        char c = w.at(e);
        if ((c == '.' || c == '?' || c == '!') && w.at(e + 1) == ' ' && e > p) {
          uint64_t word = e;
          while (word > p && isAlpha(w.at(word - 1))) --word;
          if (isDigit(w.at(e - 1)) || e - word >= 4 || c != '.') break;
        }
        ++e;
      }
      while (e > p && (w.at(e - 1) == ' ' || w.at(e - 1) == '.' || w.at(e - 1) == ',')) --e;
      std::string_view text = w.slice(p, e);
      // "address:\n  line1: ...": the key of a nested field, not an address.
      std::string_view first = text.substr(0, text.find_first_of(" \t"));
      bool key = !first.empty() && first.back() == ':';
      // "Address: [ADDRESS LINE 1], [TOWN]": a template's placeholder.
      bool placeholder =
          p > w.begin() && (w.at(p - 1) == '[' || w.at(p - 1) == '<' || w.at(p - 1) == '{');
      // A house number or a postal code: a number that opens it or two digits together, not
      // "Always address:\n- Differential diagnosis (top 3, ...)".
      bool number = !text.empty() && isDigit(text[0]);
      for (size_t i = 1; i < text.size() && !number; ++i) {
        number = isDigit(text[i]) && isDigit(text[i - 1]);
      }
      if (number && text.size() >= 6 &&
          (isAlnum(text[0]) || static_cast<unsigned char>(text[0]) >= 0x80) && !key &&
          !placeholder) {
        // Where someone lives is theirs; an "Address:" under a clinic's or an office's name
        // ("VALLEY NORTH SURGERY CENTER\nAddress: ...") counts only beside a patient's
        // identifiers.
        std::string label = lowerCopy(w.slice(start, end));
        if (label.find("liv") != std::string::npos || label.find("resid") != std::string::npos ||
            label.find("domicil") != std::string::npos) {
          addFinding(out, PhiType::kAddress, p, e, 0.75f);
        } else {
          addContactFinding(w, out, PhiType::kAddress, p, e, 0.75f);
        }
      }
      return;
    }
    case Cue::kNameLabel: {
      // Most labels ("patient" in prose) are not followed by a capitalised word: nothing for
      // nameAfterCue() to find, so leave before building the label.
      uint64_t q = end;
      while (q < w.end() && q < end + 6 &&
             (isSpace(w.at(q)) || w.at(q) == ':' || w.at(q) == '"' || w.at(q) == '-' ||
              w.at(q) == '=' || w.at(q) == ',' || w.at(q) == '(')) {
        ++q;
      }
      // "pt: 黄淑芬": a name in another script.
      if (static_cast<unsigned char>(w.at(q)) >= 0x80 && scriptNameAfter(w, q, 0.85f, out) != q) {
        return;
      }
      // "wife is Marlene", "daughter is Janet": a relative's name after "is", which counts
      // beside another identifier.
      if (w.slice(q, q + 3) == "is " && upperStart(w.slice(q + 3, q + 6))) {
        if (const FamilyLabel* family = familyLabel(w.slice(start, end));
            family != nullptr && family->kin) {
          size_t from = out.size();
          nameAfterCue(w, names, q + 3, 0.75f, true, out);
          corroborateSince(out, from);
        }
        return;
      }
      if (!upperStart(w.slice(q, q + 3))) {
        std::string_view label = w.slice(start, end);
        if (!isLower(w.at(q)) || (q == end && label.back() != ' ')) return;
        if (label.back() == ':') {
          lowercaseName(w, names, q, out);
        } else if (const FamilyLabel* family = familyLabel(label);
                   family != nullptr && family->lower) {
          // A first name alone only as a word of its own ("my son eli", not "my son-in-law").
          LowerName alone = family->alone != LowerName::kPair &&
                                    family->alone != LowerName::kSurnameAlone && w.at(end) != ' ' &&
                                    label.back() != ' '
                                ? LowerName::kPair
                                : family->alone;
          lowercaseName(w, names, q, out, alone);
        }
        return;
      }
      std::string label = lowerCopy(w.slice(start, end));
      // "pt Lucille Haverford": nameHit() reads a capitalised name after the word.
      if (label.ends_with("pt ")) return;
      bool strong = label == "patient name" || label == "full name" || label == "patient:" ||
                    label == "pt:" || label == "signed by" || label == "next of kin" ||
                    label == "emergency contact" || label == "my name is" ||
                    label == "mi nombre es" || label == "me llamo" || label == "je m'appelle" ||
                    label == "mein name ist" || label == "meu nome \u00e9" ||
                    label == "ich hei\u00dfe" || label == "her name is" || label == "his name is" ||
                    label == "decedent" || label.back() == ':';
      // A caller or a texter naming themselves: "this is ...", "hi its ...".
      bool introduction = label == "this is" || label.ends_with(" its") || label.ends_with(" it's");
      bool weak = label == "patient" || label == "paciente" || label == "paziente" ||
                  label == "client" || label == "inmate" || label == "detainee" ||
                  label == "ship to" || label == "deliver to" || label == "first name" ||
                  label == "i'm" || label == "i am" || label == "soy" || label == "named" ||
                  introduction || label == "baby girl" || label == "baby boy";
      // "A patient, Andres Pena Castillo, says": an appositive after "patient" too.
      bool appositive = (label == "patient" || label == "paciente") && next == ',';
      if (weak && next != ' ' && !appositive) return;
      if (label == "name:" || label == "name -") {
        static const std::vector<std::string_view> kStrong = {"patient", "full",  "first",
                                                              "last",    "given", "family"};
        strong = cueBefore(w, start, 10, kStrong);
      }
      // Weak labels ("patient", "son", "I'm") still need a word that looks like a name:
      // nameAfterCue() rejects English words ("Patient Education", "I'm Sorry").
      size_t from = out.size();
      // "signed by Dr. Walter Brennan, camp medical director": a clinician signs as often as a
      // patient does (nameAfterCue() takes a clinician's title under a strong label's score).
      float score = label == "signed by" ? 0.8f : strong ? 0.85f : 0.75f;
      nameAfterCue(w, names, end, score, true, out);
      // "ship to Lakeshore Eye & Ear, 2200 N Clark St": a firm receives the order.
      if (out.size() > from && (label == "ship to" || label == "deliver to") &&
          w.slice(out.back().end, out.back().end + 3) == " & ") {
        out.resize(from);
      }
      // An employee or a student outside clinical text is a payroll's or a school's person:
      // a patient only beside another identifier.
      if (!w.clinical && (label == "employee:" || label == "student:")) {
        corroborateSince(out, from);
      }
      // A caller who gives an extension is staff: "hi its Brenda Kowalski from 4 West, ext
      // 44819" (a ticket, a page).
      if (out.size() > from && introduction) {
        uint64_t e = out.back().end;
        std::string rest = lowerCopy(w.slice(e, std::min<uint64_t>(w.end(), e + 48)));
        rest = rest.substr(0, rest.find('\n'));
        if (rest.find(" ext ") != std::string::npos || rest.find(" ext.") != std::string::npos ||
            rest.find(" extension") != std::string::npos) {
          corroborateSince(out, from);
        }
      }
      // A public figure's family ("Jimmy Carter ... His wife Rosalynn"): the same.
      if (out.size() > from && familyLabel(label) != nullptr &&
          publicFigureBefore(w, names, start)) {
        corroborateSince(out, from);
      }
      return;
    }
    case Cue::kScriptName:
      // "姓名：王秀英", "Ф.И.О.: Кузнецова Галина Петровна"; or a name in Latin letters after
      // the label ("Họ tên: Nguyễn Văn Hùng", "mwen rele Marie-Ange Joseph").
      if (scriptNameAfter(w, end, 0.85f, out) == end) nameAfterCue(w, names, end, 0.85f, true, out);
      return;
    case Cue::kRelation: nameBeforeCue(w, names, start, out); return;
    case Cue::kEmployer: employer(w, p, out); return;
    case Cue::kRelative: {
      // "son Sayed", "brother Phan Van Minh", "boyfriend Danny": a relative named after the
      // word for them. In a story just as often a character ("son Theo"), and "son Will" is
      // no name: only beside another identifier.
      size_t from = out.size();
      // Capitalised, the word names a firm or an order ("Culver & Sons Funeral Home",
      // "Daughters of Charity").
      if (std::string_view word = w.slice(start, end);
          word.back() == 's' || word.ends_with("ren")) {
        if (isLower(word.front())) relativesAfter(w, names, end, out);
        corroborateSince(out, from);
        return;
      }
      // Also in brackets: "mom (Dana)".
      uint64_t q = end;
      while (q < w.end() && q < end + 2 && (w.at(q) == ' ' || w.at(q) == '(')) ++q;
      if (q == end && w.at(end - 1) != ' ') return;
      if (!upperStart(w.slice(q, q + 3))) return;
      nameAfterCue(w, names, end, 0.75f, true, out);
      corroborateSince(out, from);
      return;
    }
    case Cue::kTitle:
      if (start > w.begin() && isAlnum(w.at(start - 1))) return;
      if (w.general && !w.clinical) return;  // "Dr. Seuss wrote...", "Mr. Darcy in the novel"
      nameAfterCue(w, names, end, 0.85f, !clinicianTitle(w.slice(start, end)), out);
      return;
    default: return;
  }
}

namespace {

// Whether any of `keys` (written with their opening quote) stands within 200 bytes of the
// JSON key [start, end): the object's other members, and its neighbours'.
bool keyNear(const Window& w, uint64_t start, uint64_t end,
             const std::vector<std::string_view>& keys) {
  std::string_view around = w.slice(start > 200 ? start - 200 : 0, end + 200);
  return std::any_of(keys.begin(), keys.end(),
                     [&](std::string_view k) { return around.find(k) != std::string_view::npos; });
}

}  // namespace

void jsonKey(const Window& w, const NameData& names, uint64_t start, uint64_t end,
             std::vector<Finding>& out) {
  uint64_t close = end - 1;  // the ':'
  while (close > start && w.at(close) != '"') --close;
  std::string_view raw_key = w.slice(start + 1, close);
  if (raw_key.empty() || (!isAlpha(raw_key[0]) && raw_key[0] != '_')) return;
  std::string key = normalisedKey(raw_key);
  uint64_t p = end;
  while (p < w.end() && p < end + 8 && isSpace(w.at(p))) ++p;
  if (key == "type") {
    if (w.at(p) == '{') fhirIdentifierType(w, start, p, out);
    return;
  }
  const auto& rules = keyRules();
  auto it = rules.find(key);
  if (it == rules.end()) {
    // "patient_dob", "pt_phone", "member_address": a person's field under the word for
    // them (not "client_name", an OAuth client's); "name_last", "name_first": the name's
    // part after it.
    static const std::vector<std::pair<std::string_view, std::string_view>> kForms = {
        {"patient", ""},
        {"pt", ""},
        {"member", ""},
        {"subscriber", ""},
        {"decedent", ""},
        {"resident", ""},
        {"insured", ""},
        {"inmate", ""},
        {"detainee", ""},
        {"namelast", "lastname"},
        {"namefirst", "firstname"},
        {"namemiddle", "middlename"},
        {"namegiven", "givenname"},
        {"namefamily", "familyname"},
        {"namefull", "fullname"}};
    for (auto [form, as] : kForms) {
      if (!key.starts_with(form) || (as.empty() && key.size() <= form.size())) continue;
      std::string other = as.empty() ? key.substr(form.size()) : std::string(as);
      if (other == "name") other = "fullname";
      it = rules.find(other);
      if (it != rules.end()) key = other;
      break;
    }
  }
  KeyRule rule{};
  bool beside_another = false;  // a value that counts only beside another identifier
  if (it != rules.end()) {
    rule = it->second;
  } else if (key == "id") {
    // {"patient": {"id": "P-004187", "name": ...}}: a scheduling or EHR API's patient; and
    // a FHIR Patient's logical id ({"resourceType": "Patient", "id": "pt-88213"}).
    static const std::vector<std::string_view> kCustody = {"\"inmate\"", "\"detainee\""};
    if (memberOf(w, start, "\"patient\"")) {
      rule = {PhiType::kMrn, true};
    } else if (keyNear(w, start, end, kCustody)) {
      // {"inmate": "PELLETIER, Gabrielle", "id": "5520193"}: a custody record's number.
      rule = {PhiType::kId, true};
    } else if (fhirPatient(w, start)) {
      // A server's logical id (often a UUID): the patient's only beside their other details,
      // which a synthetic record says are made up.
      rule = {PhiType::kId, true};
      beside_another = true;
    } else {
      return;
    }
  } else if (key == "reference") {
    // A FHIR reference to the patient: {"reference": "Patient/pt-5592013"}.
    static constexpr std::string_view kPatient = "Patient/";
    if (w.at(p) != '"') return;
    Span value = stringValue(w, p);
    if (w.slice(value.start, value.start + kPatient.size()) == kPatient) {
      typedValue(w, PhiType::kId, {value.start + kPatient.size(), value.end}, 0.85f, out);
    }
    return;
  } else if (key == "group") {
    // A plan's group number: {"plan": "Cigna Open Access Plus", "group": "3340982"}.
    static const std::vector<std::string_view> kPlanKeys = {
        "\"plan", "\"payer", "\"subscriber", "\"member", "\"eligibility", "\"insur", "\"coverage"};
    if (!keyNear(w, start, end, kPlanKeys)) return;
    rule = {PhiType::kHealthPlan, true};
  } else if (key == "line" || key == "district") {
    // FHIR Address.line and .district: only inside an address.
    if (!memberOf(w, start, "\"address\"")) return;
    rule = {PhiType::kAddress, true};
  } else if (key == "start" || key == "end") {
    // FHIR Period.start and .end (an encounter, a stay): the date with its time.
    if (!memberOf(w, start, "\"period\"") || w.at(p) != '"') return;
    Span value = stringValue(w, p);
    if (value.end - value.start >= 10 && v::parseDate(w.slice(value.start, value.start + 10))) {
      addFinding(out, PhiType::kDate, value.start, value.end, 0.85f);
    }
    return;
  } else {
    return;
  }
  std::vector<Span> values;
  if (w.at(p) == '"') {
    values.push_back(stringValue(w, p));
  } else if (w.at(p) == '[') {
    uint64_t q = p + 1;
    for (int i = 0; i < 5; ++i) {
      while (q < w.end() && q < p + 64 && (isSpace(w.at(q)) || w.at(q) == ',')) ++q;
      if (w.at(q) != '"') break;
      Span s = stringValue(w, q);
      if (s.empty()) break;
      values.push_back(s);
      q = s.end + 1;
    }
  } else if (isDigit(w.at(p))) {
    uint64_t e = p;
    while (e < w.end() && e < p + 24 && (isDigit(w.at(e)) || w.at(e) == '.')) ++e;
    values.push_back({p, e});
  }
  // A bare "name" is a person's when its object also holds a birth date, a record number
  // or a sex: {"name": "Dmytro Kovalenko", "dob": "1958-08-30"}.
  if (rule.type == PhiType::kName && !rule.strong) {
    static const std::vector<std::string_view> kPersonKeys = {
        "\"dob\"", "\"birthdate\"", "\"birth_date\"", "\"birthDate\"",  "\"mrn\"",      "\"ssn\"",
        "\"sex\"", "\"gender\"",    "\"pat_id\"",     "\"patient_id\"", "\"patientId\""};
    rule.strong = keyNear(w, start, end, kPersonKeys);
  }
  size_t from = out.size();
  for (Span s : values) {
    if (s.empty()) continue;
    if (rule.type == PhiType::kName) {
      if (plausibleName(w, names, s, rule.strong)) {
        addFinding(out, PhiType::kName, s.start, s.end, rule.strong ? 0.85f : 0.75f);
      }
    } else if (rule.type == PhiType::kAddress && key == "city") {
      if (isUpper(w.at(s.start))) addFinding(out, PhiType::kAddress, s.start, s.end, 0.7f);
    } else if (rule.type == PhiType::kAddress &&
               (key == "zip" || key == "zipcode" || key == "postalcode")) {
      // A ZIP code alone is a search's or a store's as often as a patient's.
      if (v::isValidZip(w.slice(s.start, s.end))) {
        addCorroboratedFinding(out, PhiType::kAddress, s.start, s.end, 0.8f);
      }
    } else if (rule.type == PhiType::kLicense && key == "npi") {
      if (providerNpi(w.slice(s.start, s.end))) {
        addFinding(out, PhiType::kLicense, s.start, s.end, 0.9f);
      }
    } else {
      typedValue(w, rule.type, s, 0.85f, out, beside_another);
    }
  }
  if (out.size() > from && !strongFound(w) && organisationRecord(w, start, end)) {
    corroborateSince(out, from);
  }
}

}  // namespace sluice::scanner::detect
