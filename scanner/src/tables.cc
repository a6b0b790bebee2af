// Tables pasted into prompts: delimited extracts (CSV, TSV, pipes, Markdown) typed by their
// header line, and SQL INSERT statements typed by their column list. A column's name says
// what its values are: exact keys first (keyRules(), shared with JSON keys), then a small
// vocabulary of the words column names are made of ("pt_last_nm", "CollectedAt",
// "admit_dt"), which only counts in a table that is about people (it has a name, record
// number, SSN, date of birth or contact column). Both detectors read each byte of their table
// once, and only after their cue: a keyword in a header line, or "insert into".
#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>
#include <unordered_map>

#include "detectors.h"
#include "sluice/scanner/validators.h"

namespace sluice::scanner::detect {
namespace {

namespace v = validators;
using T = PhiType;

enum class Form : uint8_t { kPlain, kZip, kCity };

struct Column {
  PhiType type = T::kId;
  Form form = Form::kPlain;
  bool typed = false;    // the column has a rule
  bool general = false;  // typed by the word vocabulary: judged only in a table about people
  bool person = false;   // names or identifies a person: the table is about people
  bool weak = false;     // "name", "patient": a name needs the dictionaries unless the table
                         // is about people
  bool staff = false;    // an employee's, a badge's or a driver's column: the organisation's
                         // people, unless a patient's column is there too
  bool place = false;    // a facility's, a pharmacy's or a site's: a table of places
};

// What a word of a column name can be. A word may be several things ("last": a name part
// and a modifier, "birth": an event and the mark of a birth date).
enum WordClass : uint16_t {
  kNamePart = 1,       // last, first, given, nm
  kPersonWord = 2,     // whose value: patient, mother, insured, next of kin
  kDateWord = 4,       // date, dt, dob, dos
  kEventWord = 8,      // an event of care whose column holds its date: collected, admit
  kTimeWord = 16,      // time, at, on
  kIdWord = 32,        // id, no, number
  kModifier = 64,      // home, primary, last, prior
  kBirth = 128,        // a date of birth
  kHead = 256,         // names an identifier type (head below)
  kNeedsId = 512,      // ... only with an id word ("member id", not "member since")
  kHeadPerson = 1024,  // ... that identifies a person
};

struct Word {
  uint16_t classes = 0;
  PhiType type = T::kId;  // for kHead
  Form form = Form::kPlain;
};

const std::unordered_map<std::string_view, Word>& vocabulary() {
  static const auto kWords = [] {
    std::unordered_map<std::string_view, Word> words;
    // Adds `classes` to each word; a head also gets the type of value it names.
    auto add = [&](uint16_t classes, std::initializer_list<std::string_view> list,
                   PhiType type = T::kId, Form form = Form::kPlain) {
      for (std::string_view word : list) {
        Word& entry = words[word];
        entry.classes |= classes;
        if ((classes & kHead) != 0) {
          entry.type = type;
          entry.form = form;
        }
      }
    };
    add(kNamePart,
        {"name", "names", "nm", "last", "first", "middle", "given", "family", "surname", "lname",
         "fname", "mname", "forename", "firstname", "lst", "fst", "lastname", "middlename",
         "fullname", "givenname", "familyname", "maiden",
         // ... in German, French and Spanish exports: "Vorname", "Nachname".
         "vorname", "nachname", "familienname", "nom", "prenom", "nombre", "apellido", "apellidos",
         // ... and in Portuguese, Italian and Dutch ones: "nome", "cognome".
         "nome", "sobrenome", "cognome", "voornaam", "achternaam"});
    add(kPersonWord,
        {"patient", "pt", "pat", "member", "mbr", "subscriber", "beneficiary", "insured",
         "guarantor", "mother", "mothers", "father", "spouse", "contact", "kin", "next", "of",
         "nok", "emergency", "guardian", "parent", "client", "resident", "legal", "full",
         "preferred", "person", "policyholder", "holder", "customer", "caller", "applicant",
         "recipient", "child", "baby", "infant", "responsible", "party", "relative", "caregiver",
         "donor", "employee", "participant",
         // "id_paciente", "nome_paciente", "fecha_nacimiento_paciente".
         "paciente", "paziente", "patiente", "patientin", "asegurado", "segurado"});
    add(kDateWord, {"date", "dt", "dte", "dttm", "datetime", "timestamp", "dob", "dod", "dos",
                    "doa", "doi", "birthday", "birthdate", "geburtsdatum", "gebdat"});
    add(kBirth, {"dob", "birthday", "birthdate", "birth", "born", "geburtsdatum", "gebdat"});
    add(kEventWord,
        {"birth", "born", "collected", "collection", "coll", "drawn", "received", "admit",
         "admitted", "admission", "adm", "discharge", "discharged", "disch", "service", "svc",
         "visit", "encounter", "enc", "appt", "appointment", "seen", "death", "died", "deceased",
         "expired", "surgery", "procedure", "onset", "injury", "signed", "ordered", "resulted",
         "reported", "scheduled", "arrival", "arrived", "dispensed", "filled", "administered",
         "performed", "vaccinated", "readmit", "readmitted", "readmission", "transferred",
         // ... in Spanish, Portuguese, French and German: "fecha_ingreso", "data_internacao",
         // "date_sortie", "Aufnahmedatum" (one word: its "datum" is not split off).
         "nacimiento", "nascimento", "naissance", "geburt", "ingreso", "egreso", "internacao",
         "alta", "obito", "atendimento", "entree", "sortie", "aufnahme", "entlassung", "consulta"});
    add(kBirth, {"nacimiento", "nascimento", "naissance", "geburt"});
    // "fecha", "data" and "datum" name a date only with an event: "data_nascimento" (not
    // "data_source").
    add(kTimeWord, {"time", "tm", "at", "on", "ts", "when", "of", "fecha", "data", "datum", "de",
                    "da", "do", "del"});
    add(kIdWord, {"id", "no", "num", "nbr", "number", "identifier", "nr", "code"});
    add(kModifier, {"last",    "first",       "next",      "prior",     "previous", "initial",
                    "latest",  "recent",      "home",      "work",      "cell",     "mobile",
                    "primary", "secondary",   "alt",       "alternate", "current",  "preferred",
                    "mailing", "residential", "permanent", "line",      "personal", "day",
                    "contact", "sex",         "gender",    "hm",        "txt",      "text",
                    "rec",     "record",      "a",         "b",         "index",    "formatted"});
    // Heads: the identifier a column holds. kHeadPerson: it identifies a person; kNeedsId:
    // only with an id word ("member id", "visit no"; not "member since", "visit").
    constexpr uint16_t kId = kHead | kHeadPerson;
    constexpr uint16_t kIdNeeds = kHead | kHeadPerson | kNeedsId;
    add(kId, {"mrn", "mrno", "medrec", "chart"}, T::kMrn);
    add(kIdNeeds, {"patient", "pt", "pat", "resident", "client", "paciente", "paziente"}, T::kMrn);
    // A Brazilian or Spanish-speaking hospital's record number.
    add(kId, {"prontuario", "expediente"}, T::kMrn);
    // National identifiers: Brazil's CPF and SUS card (CNS), Spain's DNI, Mexico's CURP and
    // social security number (NSS), France's NIR.
    add(kId, {"cpf", "cns", "dni", "curp", "nss", "nir"}, T::kId);
    add(kId, {"ssn", "socsec"}, T::kSsn);
    add(kId,
        {"phone", "ph", "tel", "telephone", "mobile", "cell", "cellphone", "pager", "telefone",
         "telefono", "telefon", "telefoon", "celular", "movil"},
        T::kPhone);
    add(kId, {"fax"}, T::kFax);
    add(kId, {"email", "eml", "mail", "correo", "courriel"}, T::kEmail);
    add(kHead, {"zip", "zipcode", "postal", "postcode", "plz", "cep", "npa"}, T::kAddress,
        Form::kZip);
    add(kHead,
        {"street", "addr", "address", "residence", "endereco", "direccion", "domicilio", "adresse",
         "indirizzo"},
        T::kAddress);
    add(kHead,
        {"city", "cty", "town", "county", "district", "ort", "wohnort", "municipio", "localidad",
         "cidade", "ciudad", "ville", "commune", "comune", "gemeente", "woonplaats"},
        T::kAddress, Form::kCity);
    add(kId, {"policy", "mbi", "hicn", "kvnr", "versichertennummer", "versichertennr"},
        T::kHealthPlan);
    add(kId, {"fallnr", "fallnummer"}, T::kId);  // a German hospital's case number
    add(kIdNeeds,
        {"member", "mbr", "subscriber", "beneficiary", "insurance", "ins", "medicaid", "medicare",
         "plan", "group"},
        T::kHealthPlan);
    add(kId, {"acct", "account", "fin"}, T::kAccount);
    add(kId, {"npi", "dea", "license", "licence", "lic"}, T::kLicense);
    add(kHead, {"vin", "plate"}, T::kVehicle);
    add(kHead, {"serial", "udi", "imei"}, T::kDevice);
    add(kHead | kNeedsId, {"device"}, T::kDevice);
    add(kHead, {"ip"}, T::kIp);
    add(kHead, {"url", "website", "homepage"}, T::kUrl);
    add(kHead, {"age"}, T::kAge);
    add(kId, {"passport", "accession", "acc", "accn"}, T::kId);
    add(kId, {"cabin", "stateroom"}, T::kId);  // a ship's passenger list
    add(kIdNeeds,
        {"visit", "encounter", "enc", "admission", "claim", "case", "episode", "specimen",
         "employee", "appt", "appointment", "rx", "prescription", "registry"},
        T::kId);
    return words;
  }();
  return kWords;
}

// The words of a column name, lower case: "PatientLastName", "pt_last_nm", "DOB",
// "address1" -> {patient, last, name}, {pt, last, nm}, {dob}, {address}.
constexpr size_t kMaxWords = 6;
size_t headerWords(std::string_view text, std::array<std::string, kMaxWords>& words) {
  size_t n = 0;
  std::string current;
  auto flush = [&]() {
    if (!current.empty() && n < kMaxWords) words[n++] = current;
    current.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!isAlpha(c)) {
      flush();
      continue;
    }
    // A new word at a lower-to-upper step ("lastName"), or before the last capital of a
    // run followed by lower case ("MRNNumber").
    bool step = isUpper(c) && i > 0 &&
                (isLower(text[i - 1]) ||
                 (isUpper(text[i - 1]) && i + 1 < text.size() && isLower(text[i + 1])));
    if (step) flush();
    current.push_back(toLower(c));
  }
  flush();
  return n;
}

bool personType(const KeyRule& rule) {
  switch (rule.type) {
    case T::kName: return rule.strong;
    case T::kMrn:
    case T::kSsn:
    case T::kHealthPlan:
    case T::kPhone:
    case T::kFax:
    case T::kEmail:
    case T::kAccount:
    case T::kLicense: return true;
    default: return false;
  }
}

// What a column named `header` (normalised: `key`) holds, but for Column::staff.
Column typedColumn(std::string_view header, const std::string& key) {
  const auto& rules = keyRules();
  if (auto it = rules.find(key); it != rules.end()) {
    Column c{it->second.type, Form::kPlain,           true,
             false,           personType(it->second), !it->second.strong};
    if (key.find("zip") != std::string::npos || key == "postalcode") c.form = Form::kZip;
    if (it->second.type == T::kAddress && c.form == Form::kPlain &&
        key.find("address") == std::string::npos && key != "street" && key != "postalcode") {
      c.form = Form::kCity;  // a city's or a neighbourhood's name: capitalised words
    }
    // A column headed "Pt" holds the patients' names ("PT" is a pharmacovigilance table's
    // preferred term).
    if (key == "dob" || key == "dateofbirth" || key == "birthdate" || key == "birthday" ||
        header == "Pt" || header == "pt") {
      c.person = true;
    }
    return c;
  }
  std::array<std::string, kMaxWords> words;
  size_t n = headerWords(header, words);
  if (n == 0) return {};
  const auto& vocab = vocabulary();
  // "Rx#", "Enc #": the sign is the column's id word.
  uint16_t any = header.find('#') != std::string_view::npos ? kIdWord : 0;
  const Word* head = nullptr;
  for (size_t i = 0; i < n; ++i) {
    auto it = vocab.find(words[i]);
    uint16_t classes = it == vocab.end() ? 0 : it->second.classes;
    if (it == vocab.end() && words[i].size() > 4 && words[i].ends_with("date")) {
      classes = kDateWord;  // "admitdate", "svcdate"
    }
    any |= classes;
    // The head is the first word naming an identifier type, unless a later one does
    // without needing an id word ("patient_phone" is a phone, "patient_id" a record number).
    if ((classes & kHead) != 0 &&
        (head == nullptr || ((head->classes & kNeedsId) != 0 && (classes & kNeedsId) == 0))) {
      head = &it->second;
    }
  }
  // Whether every word is of one of the `allowed` classes.
  auto only = [&](uint16_t allowed) {
    for (size_t i = 0; i < n; ++i) {
      auto it = vocab.find(words[i]);
      if (it == vocab.end() || (it->second.classes & allowed) == 0) return false;
    }
    return true;
  };
  // A name: name parts, possibly said whose ("patient_last_name", "nok_first").
  if ((any & kNamePart) != 0 && only(kNamePart | kPersonWord)) {
    return {T::kName, Form::kPlain, true, true, true};
  }
  // A date: a date word anywhere ("visit_date", "birth_dt"), or an event with at most a time
  // word or modifier ("collected", "admit_time", "last_seen").
  if ((any & kDateWord) != 0 ||
      ((any & kEventWord) != 0 && only(kEventWord | kTimeWord | kModifier | kPersonWord))) {
    return {T::kDate, Form::kPlain, true, true, (any & kBirth) != 0};
  }
  // A record's own number, named by what it numbers ("trip_id", "call_id", "acc_no"): the
  // person's in a table about people.
  if (head == nullptr && n >= 2 && (any & kNamePart) == 0) {
    auto last = vocab.find(words[n - 1]);
    if (last != vocab.end() && (last->second.classes & kIdWord) != 0 && words[n - 1] != "code") {
      return {T::kId, Form::kPlain, true, true, false};
    }
  }
  // An identifier: its head, whose it is and id words ("pt_home_phone_no"); an age at any
  // event ("age_at_index", "age_at_death").
  if (head == nullptr ||
      (head->type != T::kAge && !only(kHead | kPersonWord | kIdWord | kModifier))) {
    return {};
  }
  if ((head->classes & kNeedsId) != 0 && (any & kIdWord) == 0) return {};
  // An age over 89 ("Age/Sex": "93F") is one in any table; other heads need a person's column.
  return {head->type, head->form, true, head->type != T::kAge, (head->classes & kHeadPerson) != 0};
}

// What a column named `header` holds.
Column columnFor(std::string_view header) {
  // "name(if known)", "DOB (MM/DD/YYYY)": a note in brackets after the column's name.
  if (size_t paren = header.find('(');
      paren != std::string_view::npos && paren > 0 && header.back() == ')') {
    header = header.substr(0, paren);
    while (!header.empty() && header.back() == ' ') header.remove_suffix(1);
  }
  static const std::vector<std::string_view> kStaffKeys = {
      "employeeid", "empid", "employeenumber", "employeeno", "staffid", "badgeid", "badgeno",
      "badgenumber", "driver", "drivername", "technician", "hiredate", "dateofhire", "jobtitle",
      // A unit's roster: a badge, a credential, the shifts worked.
      "badge", "cred", "credential", "credentials", "shift", "shifts", "ext", "extension",
      // A trial site's staff.
      "pi", "principalinvestigator", "investigator", "coordinator", "studycoordinator", "crc",
      "cra",
      // An on-call schedule, a residency's roster: their pagers and training years.
      "pgy", "pager", "residentpager", "attendingpager", "attendingcell", "oncall", "beeper",
      // A rota's days, in English and Spanish: "name,mon,tue,wed", "nombre,lun,mar,mie".
      "mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday", "thursday",
      "friday", "saturday", "sunday", "lun", "mie", "jue", "vie", "lunes", "martes", "miercoles",
      "jueves", "viernes"};
  std::string key = normalisedKey(header);
  Column c = typedColumn(header, key);
  c.staff = std::find(kStaffKeys.begin(), kStaffKeys.end(), key) != kStaffKeys.end();
  static const std::vector<std::string_view> kPlaceKeys = {
      "facility",     "facilityname", "pharmacy", "pharmacyname", "clinic",   "clinicname",
      "site",         "sitename",     "store",    "storename",    "vendor",   "agency",
      "practice",     "practicename", "location", "locationname", "hospital", "hospitalname",
      "organization", "organisation", "program",  "programname",  "shelter",  "resource"};
  c.place = std::find(kPlaceKeys.begin(), kPlaceKeys.end(), key) != kPlaceKeys.end();
  return c;
}

// A date at the start of `cell` ("2026-11-25 07:41" holds "2026-11-25").
Span leadingDate(const Window& w, Span cell) {
  uint64_t limit = std::min(cell.end, cell.start + 28);
  for (uint64_t e = limit; e > cell.start + 3; --e) {
    if (!isAlnum(w.at(e - 1)) || (e < cell.end && isAlnum(w.at(e)))) continue;
    if (v::parseDate(w.slice(cell.start, e))) return {cell.start, e};
  }
  return {};
}

// "5/19", "12/3 14:05" at the start of `cell`: a month and a day without a year.
Span monthDayCell(const Window& w, Span cell) {
  uint64_t p = cell.start;
  auto number = [&](int& value) {
    uint64_t from = p;
    value = 0;
    while (p < cell.end && p < from + 2 && isDigit(w.at(p))) value = value * 10 + (w.at(p++) - '0');
    return p > from && (p == cell.end || !isDigit(w.at(p)));
  };
  int month = 0;
  int day = 0;
  if (!number(month) || w.at(p) != '/') return {};
  ++p;
  if (!number(day) || (p < cell.end && w.at(p) != ' ')) return {};
  if (month < 1 || month > 12 || day < 1 || day > 31) return {};
  return {cell.start, p};
}

// Four to eight digits, in one group or two apart by a hyphen or a space: how most countries
// write a postal code ("13083-970", "00-950", "100-0001", "1012").
bool postalDigits(std::string_view text) {
  size_t digits = 0;
  size_t separators = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (isDigit(text[i])) {
      ++digits;
    } else if ((text[i] == '-' || text[i] == ' ') && i > 0 && i + 1 < text.size()) {
      ++separators;
    } else {
      return false;
    }
  }
  return digits >= 4 && digits <= 8 && separators <= 1;
}

void tableCell(const Window& w, const NameData& names, const Column& column, Span cell,
               std::vector<Finding>& out) {
  if (cell.empty()) return;
  std::string_view text = w.slice(cell.start, cell.end);
  switch (column.type) {
    case T::kName:
      if (plausibleName(w, names, cell, !column.weak)) {
        addFinding(out, T::kName, cell.start, cell.end, 0.85f);
      }
      return;
    case T::kAddress:
      if (column.form == Form::kZip) {
        // ... or a UK postcode, a Canadian postal code ("BD8 7QH", "H2H 1R8"), or another
        // country's digits ("13083-970", "00-950", "1012").
        if (v::isValidZip(text) || postcodeEnd(w, cell.start) == cell.end || postalDigits(text)) {
          addFinding(out, T::kAddress, cell.start, cell.end, 0.85f);
        }
      } else if (column.form == Form::kCity ? isUpper(text[0]) : isAlnum(text[0])) {
        addFinding(out, T::kAddress, cell.start, cell.end, 0.8f);
      }
      return;
    case T::kDate: {
      Span date = leadingDate(w, cell);
      if (!date.empty()) {
        addFinding(out, T::kDate, date.start, date.end, 0.85f);
      } else if (Span day = monthDayCell(w, cell); !day.empty()) {
        // "5/19" under "Readmit": a date of the year the table is about, a person's only
        // beside another identifier (a rota's days are no one's).
        addCorroboratedFinding(out, T::kDate, day.start, day.end, 0.8f);
      }
      return;
    }
    case T::kAge: {
      // "94 M" under "Age/Sex": the age is the number the cell starts with.
      uint64_t e = cell.start;
      while (e < cell.end && isDigit(w.at(e))) ++e;
      // ... and "93F" under "age/sex", the sex's letter joined to it.
      bool sex = e + 1 == cell.end && (w.at(e) == 'F' || w.at(e) == 'M');
      if (e < cell.end && w.at(e) != ' ' && w.at(e) != '/' && !sex) e = cell.end;
      typedValue(w, T::kAge, {cell.start, e}, 0.85f, out);
      return;
    }
    default: typedValue(w, column.type, cell, 0.85f, out); return;
  }
}

// Whether the columns are worth judging: a column with a rule of its own, or a general one
// in a table about people. Clears the general columns of a table that is not (with
// `strict`, all of them: an SQL schema has "name", "city" and "zip" columns for stores and
// products as often as for patients), and makes the weak ones strong in a table that is.
bool judgeable(std::vector<Column>& columns, bool strict) {
  bool person = std::any_of(columns.begin(), columns.end(),
                            [](const Column& c) { return c.typed && c.person; });
  bool any = false;
  for (Column& c : columns) {
    if ((c.general || strict) && !person) c.typed = false;
    if (person) c.weak = false;
    any = any || c.typed;
  }
  return any;
}

// Splits one line of a delimited table; quoted cells may hold the separator.
std::vector<Span> splitCells(const Window& w, uint64_t s, uint64_t e, char sep) {
  std::vector<Span> cells;
  uint64_t p = s;
  while (p <= e) {
    // A quoted cell after a space: "448120", "Okafor, Chidi" (a JSON array's, a CSV's).
    uint64_t q = p;
    while (q < e && w.at(q) == ' ') ++q;
    if (q < e && w.at(q) == '"') p = q;
    uint64_t cs = p;
    uint64_t ce;
    if (w.at(p) == '"') {
      ce = p + 1;
      while (ce < e && w.at(ce) != '"') ++ce;
      cells.push_back({cs + 1, ce});
      p = ce + 1;
      while (p < e && w.at(p) != sep) ++p;
    } else {
      ce = p;
      // An amount's thousands separator is no cell's end: "$1,208.00" left unquoted.
      bool amount = w.at(p) == '$' || (w.at(p) == '-' && w.at(p + 1) == '$');
      while (ce < e && (w.at(ce) != sep || (amount && sep == ',' && isDigit(w.at(ce - 1)) &&
                                            isDigit(w.at(ce + 1)) && isDigit(w.at(ce + 2)) &&
                                            isDigit(w.at(ce + 3)) && !isDigit(w.at(ce + 4))))) {
        ++ce;
      }
      uint64_t a = cs, b = ce;
      while (a < b && w.at(a) == ' ') ++a;
      while (b > a && (w.at(b - 1) == ' ' || w.at(b - 1) == '\r')) --b;
      cells.push_back({a, b});
      p = ce;
    }
    ++p;
  }
  return cells;
}

uint64_t lineEnd(const Window& w, uint64_t p, uint64_t limit) {
  std::string_view rest = w.slice(p, limit);
  size_t nl = rest.find('\n');
  return p + (nl == std::string_view::npos ? rest.size() : nl);
}

// The end of a table's row from `p`: its line's end, or the end of the JSON string that
// holds the table when the row is its last line ("...,23510\"}], \"temperature\": 0"
// decoded). A CSV cell's closing quote is followed by a separator, not by '}' or ']'.
uint64_t rowEnd(const Window& w, uint64_t p, uint64_t limit) {
  uint64_t e = lineEnd(w, p, limit);
  std::string_view row = w.slice(p, e);
  for (size_t q = row.find('"'); q != std::string_view::npos; q = row.find('"', q + 1)) {
    char next = q + 1 < row.size() ? row[q + 1] : '\0';
    if (next == '}' || next == ']') return p + q;
  }
  return e;
}

// A JSON array as a row: ["448120", "Okafor, Chidi", "1961-03-14"], as a spreadsheet API
// returns a range (values.get) and a data frame its values.
Span jsonRow(const Window& w, uint64_t s, uint64_t e) {
  uint64_t a = s;
  uint64_t b = e;
  while (a < b && (w.at(a) == ' ' || w.at(a) == '\t')) ++a;
  while (b > a && (w.at(b - 1) == ' ' || w.at(b - 1) == '\r' || w.at(b - 1) == ',')) --b;
  if (b - a < 2 || w.at(a) != '[' || w.at(b - 1) != ']' || w.at(a + 1) == '[') return {};
  return {a + 1, b - 1};
}

// A Markdown table row "| a | b |" without its outer pipes (a JSON array's row is
// jsonRow()'s).
Span innerRow(const Window& w, uint64_t s, uint64_t e, char sep) {
  if (sep != '|') return {s, e};
  uint64_t a = s;
  uint64_t b = e;
  while (a < b && (w.at(a) == ' ' || w.at(a) == '\t')) ++a;
  while (b > a && (w.at(b - 1) == ' ' || w.at(b - 1) == '\t' || w.at(b - 1) == '\r')) --b;
  if (a < b && w.at(a) == '|' && w.at(b - 1) == '|' && b - a >= 2) return {a + 1, b - 1};
  return {s, e};
}

// "|---|:---:|": the line under a Markdown header; "----+----" under psql's.
bool ruleRow(const Window& w, Span row) {
  bool dash = false;
  for (uint64_t p = row.start; p < row.end; ++p) {
    char c = w.at(p);
    if (c == '-') {
      dash = true;
    } else if (c != ':' && c != '|' && c != '+' && c != ' ' && c != '\t' && c != '\r') {
      return false;
    }
  }
  return dash;
}

// Whether a header cell can be a column's name ("A1c (Oct 2026)": a bracket of units or a
// period after the name).
bool columnName(std::string_view text) {
  // A row number's column: "#", or no name at all (the index pandas writes first).
  if (text.empty() || text == "#") return true;
  // A count's ("2PN", "24h_urine") or a bracketed one ("[PREV, DATE]") too, with a letter;
  // the letters of other languages too ("Próx. cita", "Дата").
  auto letter = [](char c) { return isAlpha(c) || (c & 0x80) != 0; };
  auto word = [&](char c) { return letter(c) || isDigit(c); };
  if (text.size() > 32 || !(word(text[0]) || text[0] == '[') ||
      std::none_of(text.begin(), text.end(), letter)) {
    return false;
  }
  // A spreadsheet's "Verified?", "Rem. %", "Pt's DOB" too; a comma only in brackets.
  bool bracket = text[0] == '[';
  return std::all_of(text.begin(), text.end(), [&](char c) {
    return word(c) || c == ' ' || c == '_' || c == '#' || c == '.' || c == '-' || c == '/' ||
           c == '(' || c == ')' || c == '?' || c == '%' || c == '&' || c == '\'' || c == '[' ||
           c == ']' || (c == ',' && bracket);
  });
}

// A word of an aligned header that is an identifier: "PAT_MRN_ID", "DX_CODE", "OAC".
bool identifierWord(std::string_view word) {
  bool underscore = word.find('_') != std::string_view::npos;
  bool caps = word.size() >= 2 && std::all_of(word.begin(), word.end(), [](char c) {
                return isUpper(c) || isDigit(c) || c == '_';
              });
  return underscore || caps;
}

// The columns a header's cells name; false when a cell is no column name or no column is
// worth judging.
bool headerColumns(const Window& w, const std::vector<Span>& cells, std::vector<Column>& columns) {
  // A date of service beside a person's columns makes the table a patients' (a collection
  // agency's placement file: "ACCT|LAST|FIRST|DOB|...|DOS|BAL").
  static const std::vector<std::string_view> kServiceDates = {
      "dos", "dateofservice", "servicedate", "datesofservice", "svcdate", "servicedt"};
  bool service = false;
  for (Span cell : cells) {
    std::string_view text = w.slice(cell.start, cell.end);
    if (!columnName(text)) return false;
    columns.push_back(columnFor(text));
    service = service || std::find(kServiceDates.begin(), kServiceDates.end(),
                                   normalisedKey(text)) != kServiceDates.end();
  }
  if (!judgeable(columns, false)) return false;
  if (service && w.health != nullptr &&
      std::any_of(columns.begin(), columns.end(),
                  [](const Column& c) { return c.typed && c.person && !c.staff; })) {
    *w.health = true;
  }
  return true;
}

enum class HeaderLine { kNone, kJudged, kNew };

// The line of a keyword at [start, end) that may head a table: its start at most 512 bytes
// back (a longer line is no header) and its end. kJudged when a table judged already holds
// it (a row, or a repeated header), kNone when it is no whole line of the window yet.
HeaderLine headerLine(const Window& w, uint64_t start, uint64_t end, Span& line) {
  uint64_t ls = std::max(w.begin(), start > 512 ? start - 512 : 0);
  std::string_view before = w.slice(ls, start);
  if (size_t nl = before.rfind('\n'); nl != std::string_view::npos) ls += nl + 1;
  // A table that opens a JSON string: a tool's result {"content": "patient_id,name,...\n...".
  bool string_start = false;
  if (size_t quote = w.slice(ls, start).rfind('"'); quote != std::string_view::npos) {
    uint64_t q = ls + quote;
    uint64_t b = q;
    while (b > w.begin() && isSpace(w.at(b - 1))) --b;
    string_start = b > w.begin() && w.at(b - 1) == ':';
    if (string_start) ls = q + 1;
  }
  if (ls > w.begin() && w.at(ls - 1) != '\n' && !string_start) return HeaderLine::kNone;
  if (w.table_end != nullptr && ls < *w.table_end) return HeaderLine::kJudged;
  uint64_t le = lineEnd(w, end, end + 1024);
  if (le >= w.end() && !w.final) return HeaderLine::kNone;
  line = {ls, le};
  return HeaderLine::kNew;
}

// Whether `cell` holds words only: letters, spaces and a name's marks (". - '").
bool wordsCell(const Window& w, Span cell) {
  if (cell.empty() || !isAlpha(w.at(cell.start))) return false;
  for (uint64_t p = cell.start; p < cell.end; ++p) {
    char c = w.at(p);
    if (!isAlpha(c) && c != ' ' && c != '.' && c != '-' && c != '\'' && (c & 0x80) == 0) {
      return false;
    }
  }
  return true;
}

// The one name column of a table, or columns.size() when it has none or more than one
// ("first,last": a name with columns of its own).
size_t soleNameColumn(const std::vector<Column>& columns) {
  size_t found = columns.size();
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!columns[i].typed || columns[i].type != T::kName) continue;
    if (found != columns.size()) return columns.size();
    found = i;
  }
  return found;
}

// A delimited table (CSV, TSV, pipes, Markdown) under the header line [ls, le).
bool delimitedTable(const Window& w, const NameData& names, uint64_t ls, uint64_t le,
                    std::vector<Finding>& out) {
  std::string_view line = w.slice(ls, le);
  // An SQL statement's column list is sqlInsert()'s, and its tuples are no rows.
  if (lowerCopy(line.substr(0, 7)) == "insert ") return false;
  // The separator is the most frequent of these (the first on a tie), seen at least twice.
  size_t counts[4] = {0, 0, 0, 0};
  for (char c : line) {
    counts[0] += c == ',' ? 1 : 0;
    counts[1] += c == '\t' ? 1 : 0;
    counts[2] += c == '|' ? 1 : 0;
    counts[3] += c == ';' ? 1 : 0;
  }
  char sep = 0;
  size_t best = 1;
  constexpr char kSeparators[4] = {',', '\t', '|', ';'};
  for (size_t i = 0; i < 4; ++i) {
    if (counts[i] > best) {
      best = counts[i];
      sep = kSeparators[i];
    }
  }
  if (sep == 0) return false;
  Span json_head = sep == ',' ? jsonRow(w, ls, le) : Span{};
  Span head = json_head.empty() ? innerRow(w, ls, le, sep) : json_head;
  std::vector<Span> header = splitCells(w, head.start, head.end, sep);
  std::vector<Column> columns;
  if (!headerColumns(w, header, columns)) return false;
  // A staff table (a badge log, a payroll or HR extract): an employee's number and no
  // patient's. Its people are the organisation's, patients only beside another identifier.
  bool staff = std::any_of(columns.begin(), columns.end(), [](const Column& c) { return c.staff; });
  // A patient's column is a record or a member number. Names and phones are in every roster:
  // they are a patient's only beside a column of health (employees screened by a wellness
  // program: "| name | emp_id | email | A1c | BP |").
  static const std::vector<std::string_view> kHealthColumns = {
      "a1c",       "hba1c",     "bp",         "bmi",         "ldl",       "glucose", "cholesterol",
      "diagnosis", "dx",        "result",     "results",     "screening", "vaccine", "vaccination",
      "allergy",   "allergies", "medication", "medications", "condition", "injury",  "illness"};
  bool health_column =
      staff && std::any_of(header.begin(), header.end(), [&](Span cell) {
        std::string key = normalisedKey(w.slice(cell.start, cell.end));
        return std::find(kHealthColumns.begin(), kHealthColumns.end(), key) != kHealthColumns.end();
      });
  bool patient = std::any_of(columns.begin(), columns.end(), [&](const Column& c) {
    return !c.staff && c.typed &&
           (c.type == T::kMrn || c.type == T::kHealthPlan || (health_column && c.person));
  });
  size_t from = out.size();
  size_t name_column = soleNameColumn(columns);
  uint64_t row = le + 1;
  for (int rows = 0; rows < 500 && row < w.end(); ++rows) {
    // A JSON array's row ends at its line's end, not at the '"' before its ']'.
    Span json = sep == ',' ? jsonRow(w, row, lineEnd(w, row, row + 4096)) : Span{};
    uint64_t re = json.empty() ? rowEnd(w, row, row + 4096) : lineEnd(w, row, row + 4096);
    Span inner = json.empty() ? innerRow(w, row, re, sep) : json;
    // A rule under the header, or between a console table's rows ("├───┼───┤", folded).
    if (sep == '|' && ruleRow(w, inner)) {
      row = re + 1;
      continue;
    }
    std::vector<Span> cells = splitCells(w, inner.start, inner.end, sep);
    // "Hargrove, Dennis L" left unquoted in the name column splits the row into one cell too
    // many: the name's two cells are one name again.
    if (sep == ',' && name_column < columns.size() && cells.size() == columns.size() + 1 &&
        wordsCell(w, cells[name_column]) && wordsCell(w, cells[name_column + 1])) {
      cells[name_column].end = cells[name_column + 1].end;
      cells.erase(cells.begin() + static_cast<std::ptrdiff_t>(name_column) + 1);
    }
    // A comma left unquoted in the last column's free text ("wound care,L foot, diabetic")
    // splits it: the cells before it keep their columns.
    bool surplus = cells.size() > columns.size() && !columns.back().typed;
    // A spreadsheet API leaves a row's empty cells at its end out: ["447002", "Harlan,
    // Denise", "1966-12-30"] under six columns.
    bool short_json = !json.empty() && cells.size() < columns.size() && cells.size() >= 2;
    if (cells.size() != columns.size() && !surplus && !short_json) break;
    size_t judged = surplus ? columns.size() - 1 : cells.size();
    for (size_t i = 0; i < judged; ++i) {
      if (columns[i].typed) tableCell(w, names, columns[i], cells[i], out);
    }
    row = re + 1;
  }
  // A table of places with no column of a person's (a route sheet, a directory): its
  // addresses and phones are the places'.
  bool places =
      std::any_of(columns.begin(), columns.end(), [](const Column& c) { return c.place; }) &&
      std::none_of(columns.begin(), columns.end(), [](const Column& c) {
        return c.typed && (c.person || c.type == T::kName || c.type == T::kDate);
      });
  if ((staff && !patient) || places) {
    corroborateSince(out, from);
    if (w.staff_tables != nullptr) w.staff_tables->push_back({le, row});
  }
  if (w.table_end != nullptr) *w.table_end = std::max(*w.table_end, row);
  return true;
}

// The byte after the character at `p` (a character with an accent is two bytes or more),
// within `end`.
uint64_t nextCharacter(const Window& w, uint64_t p, uint64_t end) {
  ++p;
  while (p < end && isContinuation(w.at(p))) ++p;
  return p;
}

// A row of a pandas DataFrame's printout: its columns are aligned to the right, each cell
// ending under the end of its column's name whatever its width ("Okafor     Chinedu
// 2024-06-03" under "pat_last  pat_first   dos_from"), give or take a few characters where
// the table was typed by hand. A cell may hold words one space apart ("Mary Ann"). An
// indexed table's rows start with the index, which no column names. The row's words are
// split into the columns, in order, so that each column ends with a word that ends within
// kRightSlack characters of the column's name, the closest overall; fills `out` with the
// cells when there is such a split.
bool rightAligned(const Window& w, Span line, uint64_t ls, const std::vector<Span>& header,
                  bool indexed, std::vector<Span>& out) {
  constexpr uint64_t kRightSlack = 3;
  constexpr size_t kRowWordLimit = 96;
  struct RowWord {
    uint64_t start, end, column;  // column: where it ends, in characters
  };
  RowWord words[kRowWordLimit];
  size_t m = 0;
  uint64_t chars = 0;
  for (uint64_t p = line.start; p < line.end;) {
    bool space = w.at(p) == ' ' || w.at(p) == '\r';
    if (!space && (p == line.start || w.at(p - 1) == ' ')) {
      if (m == kRowWordLimit) return false;
      words[m++] = {p, p, 0};
    }
    p = nextCharacter(w, p, line.end);
    ++chars;
    if (!space && (p == line.end || w.at(p) == ' ' || w.at(p) == '\r')) {
      words[m - 1].end = p;
      words[m - 1].column = chars;
    }
  }
  size_t first = indexed ? 1 : 0;
  size_t n = header.size();
  if (m < first + n) return false;
  // best[k]: the least total distance that puts words [first, k) in the columns so far;
  // from[i * (m + 1) + k]: where column i's words start when it ends at word k.
  constexpr uint64_t kNone = ~uint64_t{0};
  std::vector<uint64_t> best(m + 1, kNone), next(m + 1);
  std::vector<uint8_t> from(n * (m + 1));
  best[first] = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t want = header[i].end - ls;
    uint64_t low = kNone;
    size_t low_at = 0;
    std::fill(next.begin(), next.end(), kNone);
    for (size_t k = first + 1; k <= m; ++k) {
      if (best[k - 1] < low) {
        low = best[k - 1];
        low_at = k - 1;
      }
      uint64_t end = words[k - 1].column;
      uint64_t distance = end > want ? end - want : want - end;
      if (low == kNone || distance > kRightSlack) continue;
      next[k] = low + distance;
      from[i * (m + 1) + k] = static_cast<uint8_t>(low_at);
    }
    best.swap(next);
  }
  if (best[m] == kNone) return false;
  out.assign(n, Span{});
  for (size_t i = n, k = m; i-- > 0;) {
    size_t j = from[i * (m + 1) + k];
    out[i] = {words[j].start, words[k - 1].end};
    k = j;
  }
  return true;
}

// A table aligned with spaces under the header line [ls, le).
bool alignedTable(const Window& w, const NameData& names, uint64_t ls, uint64_t le,
                  std::vector<Finding>& out) {
  while (le > ls && (w.at(le - 1) == ' ' || w.at(le - 1) == '\r')) --le;
  // The header's cells: runs of words two spaces or more apart; a run of identifiers one
  // space apart ("PAT_MRN_ID PAT_NAME") is as many cells.
  std::vector<Span> cells;
  bool wide_gap = false;
  // Whether a token of the first row starts at each word of a header group: then the words
  // one space apart are columns of their own ("chair shift pattern patient", each over its
  // column).
  uint64_t first_row = lineEnd(w, le, le + 1024) + 1;
  uint64_t first_end = lineEnd(w, first_row, first_row + 4096);
  auto overColumns = [&](uint64_t s, uint64_t e) {
    for (uint64_t q = s + 1; q < e; ++q) {
      if (w.at(q - 1) != ' ') continue;
      uint64_t at = first_row + (q - ls);
      if (at >= first_end || w.at(at - 1) != ' ' || w.at(at) == ' ') return false;
    }
    return true;
  };
  for (uint64_t p = ls; p < le;) {
    uint64_t s = p;
    uint64_t e = p;
    while (e < le && !(w.at(e) == ' ' && (w.at(e + 1) == ' ' || e + 1 == le))) ++e;
    std::string_view group = w.slice(s, e);
    bool identifiers = true;
    for (size_t i = 0; i < group.size();) {
      size_t j = group.find(' ', i);
      if (j == std::string_view::npos) j = group.size();
      identifiers = identifiers && identifierWord(group.substr(i, j - i));
      i = j + 1;
    }
    if (identifiers || (first_row < w.end() && overColumns(s, e))) {
      for (uint64_t q = s; q < e;) {
        uint64_t r = q;
        while (r < e && w.at(r) != ' ') ++r;
        cells.push_back({q, r});
        q = r + 1;
      }
    } else {
      cells.push_back({s, e});
    }
    p = e;
    while (p < le && w.at(p) == ' ') ++p;
    wide_gap = wide_gap || p > e + 1;
  }
  if (cells.size() < 3 || !wide_gap) return false;
  std::vector<Column> columns;
  if (!headerColumns(w, cells, columns)) return false;
  // Each row's cells start under their column's name. Failing that, they end under its end
  // (a pandas DataFrame aligns its columns to the right: rightAligned()). Failing that too
  // (hand-made tables are aligned loosely), they are the row's runs of text two spaces or
  // more apart, one per column, after an unnamed index column when the header is indented
  // past one.
  bool indexed = cells.front().start > ls;
  auto trim = [&](Span c) {
    while (c.start < c.end && w.at(c.start) == ' ') ++c.start;
    while (c.end > c.start && (w.at(c.end - 1) == ' ' || w.at(c.end - 1) == '\r')) --c.end;
    return c;
  };
  uint64_t row = lineEnd(w, le, le + 1024) + 1;
  std::vector<Span> row_cells;
  std::vector<uint64_t> starts;
  for (int rows = 0; rows < 500 && row < w.end(); ++rows) {
    uint64_t re = rowEnd(w, row, row + 4096);
    Span line{row, re};
    if (rows == 0 && ruleRow(w, line)) {
      row = re + 1;
      continue;
    }
    if (re == row) break;
    row_cells.clear();
    // Where each column starts in the row: under its name, counted in characters (a name
    // with an accent before it takes a byte more: "Castellano, In\u00e9s").
    starts.clear();
    uint64_t at = row;
    uint64_t chars = 0;
    bool aligned = true;
    // Where the row's text ends: the columns after it are empty ("... BMP, CBC, Mg" under a
    // NOTE column left blank).
    uint64_t filled = re;
    while (filled > row && (w.at(filled - 1) == ' ' || w.at(filled - 1) == '\r')) --filled;
    for (size_t i = 0; i < cells.size() && aligned; ++i) {
      while (chars < cells[i].start - ls && at < re) {
        at = nextCharacter(w, at, re);
        ++chars;
      }
      starts.push_back(at);
      aligned = i == 0 || (i + 1 == cells.size() && at >= filled + 2) ||
                (at < re && w.at(at - 1) == ' ' && w.at(at) != ' ');
    }
    if (aligned) {
      for (size_t i = 0; i < cells.size(); ++i) {
        row_cells.push_back(trim({starts[i], i + 1 < cells.size() ? starts[i + 1] : re}));
      }
    } else if (!rightAligned(w, line, ls, cells, indexed, row_cells)) {
      row_cells.clear();
      for (uint64_t p = row; p < re;) {
        while (p < re && w.at(p) == ' ') ++p;
        uint64_t e = p;
        while (e < re && !(w.at(e) == ' ' && w.at(e + 1) == ' ')) ++e;
        if (e > p) row_cells.push_back(trim({p, e}));
        p = e;
      }
      if (indexed && row_cells.size() == cells.size() + 1) row_cells.erase(row_cells.begin());
      if (row_cells.size() != cells.size()) break;
    }
    for (size_t i = 0; i < cells.size(); ++i) {
      if (columns[i].typed) tableCell(w, names, columns[i], row_cells[i], out);
    }
    row = re + 1;
  }
  if (w.table_end != nullptr) *w.table_end = std::max(*w.table_end, row);
  return true;
}

}  // namespace

void keyValue(const Window& w, const NameData& names, Cue cue, uint64_t start,
              std::vector<Finding>& out) {
  // The key: a word before '=', or between the quotes before ": '".
  uint64_t k = start;
  while (k > w.begin() && start - k < 40 && (isAlnum(w.at(k - 1)) || w.at(k - 1) == '_')) --k;
  if (k == start) return;
  bool dict = cue == Cue::kDictKey;
  if (dict ? k == w.begin() || w.at(k - 1) != '\'' : k > w.begin() && isAlnum(w.at(k - 1))) {
    return;
  }
  uint64_t quote_at = start + (dict ? 3 : 1);
  if (isDigit(w.at(k))) return;
  char quote = w.at(quote_at);
  uint64_t s = quote_at + 1;
  uint64_t e = s;
  while (e < w.end() && e < s + 120 && w.at(e) != quote && w.at(e) != '\n') ++e;
  if (e == s || w.at(e) != quote) return;
  Column column = columnFor(w.slice(k, start));
  if (!column.typed || column.staff || column.place) return;
  size_t from = out.size();
  tableCell(w, names, column, {s, e}, out);
  // A column the word vocabulary typed ("admit_dt") names a person's value only beside
  // another of the person's identifiers.
  if (column.general && !column.person) corroborateSince(out, from);
}

bool table(const Window& w, const NameData& names, uint64_t start, uint64_t end,
           std::vector<Finding>& out) {
  bool delimited = headerCell(w, end);
  bool aligned = alignedCell(w, end);
  if (!delimited && !aligned) return false;
  Span line;
  if (HeaderLine found = headerLine(w, start, end, line); found != HeaderLine::kNew) {
    return found == HeaderLine::kJudged;
  }
  return (delimited && delimitedTable(w, names, line.start, line.end, out)) ||
         (aligned && alignedTable(w, names, line.start, line.end, out));
}

namespace {

uint64_t skipBlank(const Window& w, uint64_t p) {
  while (p < w.end() && isSpace(w.at(p))) ++p;
  return p;
}

// An SQL identifier, bare or quoted ("last_name", `dob`, "DOB", [zip]); empty when none.
Span sqlName(const Window& w, uint64_t p) {
  char open = w.at(p);
  char close = open == '`' ? '`' : open == '"' ? '"' : open == '[' ? ']' : 0;
  uint64_t s = close != 0 ? p + 1 : p;
  uint64_t e = s;
  while (e < w.end() && e < s + 64 && (isAlnum(w.at(e)) || w.at(e) == '_' || w.at(e) == '$')) {
    ++e;
  }
  if (close != 0 && w.at(e) != close) return {};
  return {s, e};
}

// One value of a VALUES tuple from `p`: a quoted string's content, or a bare token (a
// number, NULL, DATE '...', a function call, whose first string is the value). Sets `next` to
// the ',' or ')' after it, or 0 when the tuple is malformed; `reached` to the furthest byte
// read.
Span sqlValue(const Window& w, uint64_t p, uint64_t limit, uint64_t& next, uint64_t& reached) {
  next = 0;
  Span value;
  int depth = 0;
  uint64_t s = p;
  bool escaped = false;
  while (p < limit && !escaped) {
    char c = w.at(p);
    if (c == '\'' || c == '"') {
      uint64_t e = p + 1;
      while (e < limit && (w.at(e) != c || w.at(e + 1) == c)) e += w.at(e) == c ? 2 : 1;
      if (value.empty() && e < limit) value = {p + 1, e};
      p = e + 1;
      continue;
    }
    escaped = c == '\\';  // still JSON-escaped: the decoded view reads it
    if (c == '(') {
      ++depth;
    } else if ((c == ')' && depth-- == 0) || (c == ',' && depth == 0)) {
      next = p;
      break;
    }
    ++p;
  }
  reached = std::max(reached, p);
  if (escaped) next = 0;
  if (next == 0 || !value.empty()) return value;
  uint64_t e = next;
  while (e > s && isSpace(w.at(e - 1))) --e;
  return {s, e};
}

}  // namespace

void sqlInsert(const Window& w, const NameData& names, uint64_t start, uint64_t end,
               std::vector<Finding>& out) {
  if (w.table_end != nullptr && start < *w.table_end) return;  // inside a statement read
  if (start > w.begin() && (isAlnum(w.at(start - 1)) || w.at(start - 1) == '_')) return;
  // INSERT INTO table (columns) VALUES
  uint64_t p = skipBlank(w, end);
  Span table = sqlName(w, p);
  if (table.empty()) return;
  p = table.end + (w.at(table.end) == '`' || w.at(table.end) == '"' || w.at(table.end) == ']');
  while (w.at(p) == '.') {  // schema.table
    Span part = sqlName(w, p + 1);
    if (part.empty()) return;
    p = part.end + (w.at(part.end) == '`' || w.at(part.end) == '"' || w.at(part.end) == ']');
  }
  p = skipBlank(w, p);
  if (w.at(p) != '(') return;
  std::vector<Column> columns;
  for (p = skipBlank(w, p + 1); columns.size() < 128; p = skipBlank(w, p + 1)) {
    Span name = sqlName(w, p);
    if (name.empty()) return;
    columns.push_back(columnFor(w.slice(name.start, name.end)));
    p = skipBlank(
        w, name.end + (w.at(name.end) == '`' || w.at(name.end) == '"' || w.at(name.end) == ']'));
    if (w.at(p) == ')') break;
    if (w.at(p) != ',') return;
  }
  p = skipBlank(w, p + 1);
  if (lowerCopy(w.slice(p, p + 6)) != "values") return;
  if (!judgeable(columns, true)) return;
  p = skipBlank(w, p + 6);
  // Each tuple is read once; the statement's end bounds later cues inside it.
  uint64_t limit = w.end();
  uint64_t reached = p;
  std::vector<Span> values;
  for (int tuples = 0; tuples < 1000 && w.at(p) == '('; ++tuples) {
    values.clear();
    uint64_t next = p;
    do {
      values.push_back(sqlValue(w, skipBlank(w, next + 1), limit, next, reached));
    } while (next != 0 && w.at(next) == ',' && values.size() <= columns.size());
    if (next == 0 || w.at(next) != ')') break;
    if (values.size() == columns.size()) {
      for (size_t i = 0; i < values.size(); ++i) {
        if (columns[i].typed) tableCell(w, names, columns[i], values[i], out);
      }
    }
    p = skipBlank(w, next + 1);
    if (w.at(p) != ',') break;
    p = skipBlank(w, p + 1);
  }
  if (w.table_end != nullptr) *w.table_end = std::max({*w.table_end, p, reached});
}

namespace {

// A byte of an XML element's name: "ns:LastName", "address-line.1".
bool tagNameByte(char c) {
  return isAlnum(c) || c == '_' || c == '-' || c == ':' || c == '.';
}

// `name` without its namespace prefix: "ns:City" gives "City".
std::string_view localName(std::string_view name) {
  size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The name of the element whose start tag ends at `gt` (its '>'), without a namespace
// prefix: "<ns:LastName>" and "<LastName use=\"L\">" give "LastName"; empty if the tag is not
// read back within 120 bytes or is no start tag.
std::string_view startTagName(const Window& w, uint64_t gt) {
  uint64_t lt = gt;
  while (lt > w.begin() && lt + 120 > gt && w.at(lt - 1) != '<' && w.at(lt - 1) != '>') --lt;
  if (lt == w.begin() || w.at(lt - 1) != '<' || lt == gt || !isAlpha(w.at(lt))) return {};
  uint64_t e = lt;
  while (e < gt && tagNameByte(w.at(e))) ++e;
  if (e != gt && w.at(e) != ' ' && w.at(e) != '\n') return {};
  return localName(w.slice(lt, e));
}

// Whether the element at `pos` is a patient's (or another person's whose details are PHI)
// rather than a clinician's or an organisation's: the nearest start tag before it that names
// a party decides. "<Patient>...<LastName>" is, "<Prescriber>...<LastName>" is not.
bool patientElement(const Window& w, uint64_t pos) {
  static const std::vector<std::string_view> kPeople = {
      "<patient",       "<humanpatient", "<subscriber", "<member",      "<person",
      "<resident",      "<guarantor",    "<insured",    "<nextofkin",   "<guardian",
      "<relatedperson", "<beneficiary",  "<dependent",  "<recordtarget"};
  static const std::vector<std::string_view> kOthers = {
      "<prescriber",     "<provider",     "<pharmacist",   "<pharmacy",
      "<author",         "<performer",    "<practitioner", "<supervisor",
      "<facility",       "<organization", "<custodian",    "<legalauthenticator",
      "<assignedentity", "<sender",       "<receiver",     "<informationrecipient",
      "<payer",          "<employer"};
  constexpr uint64_t kSpan = 1000;  // within what the stream keeps before a hit (1024)
  std::string before = lowerCopy(w.slice(pos > w.begin() + kSpan ? pos - kSpan : w.begin(), pos));
  auto last = [&](const std::vector<std::string_view>& tags) {
    size_t best = std::string::npos;
    for (std::string_view t : tags) {
      size_t at = before.rfind(t);
      if (at != std::string::npos && (best == std::string::npos || at > best)) best = at;
    }
    return best;
  };
  size_t person = last(kPeople);
  size_t other = last(kOthers);
  return person != std::string::npos && (other == std::string::npos || person > other);
}

}  // namespace

void xmlElement(const Window& w, const NameData& names, uint64_t start, uint64_t end,
                std::vector<Finding>& out) {
  // The end tag's name: "</LastName>".
  uint64_t e = end;
  while (e < w.end() && e < end + 48 && tagNameByte(w.at(e))) ++e;
  if (e == end || w.at(e) != '>') return;
  std::string_view tag = localName(w.slice(end, e));
  // The text back to its start tag, with no markup inside.
  uint64_t s = start;
  while (s > w.begin() && s + 96 > start && w.at(s - 1) != '>' && w.at(s - 1) != '<') --s;
  if (s == w.begin() || w.at(s - 1) != '>' || startTagName(w, s - 1) != tag) return;
  Span cell{s, start};
  while (cell.start < cell.end && isSpace(w.at(cell.start))) ++cell.start;
  while (cell.end > cell.start && isSpace(w.at(cell.end - 1))) --cell.end;
  if (cell.empty()) return;
  Column column = columnFor(tag);
  // A value in an element that names nothing takes its parent's name:
  // "<DateOfBirth><Date>2009-05-03</Date></DateOfBirth>".
  if (!column.typed) {
    uint64_t lt = s - 1;
    while (lt > w.begin() && lt + 120 > s && w.at(lt) != '<') --lt;
    uint64_t gt = lt;
    while (gt > w.begin() && isSpace(w.at(gt - 1))) --gt;
    if (gt == lt || gt == w.begin() || w.at(gt - 1) != '>') {
      if (lt == w.begin() || w.at(lt - 1) != '>') return;
      gt = lt;
    }
    std::string_view parent = startTagName(w, gt - 1);
    if (parent.empty()) return;
    column = columnFor(parent);
    if (!column.typed) return;
  }
  if (!patientElement(w, start)) return;
  tableCell(w, names, column, cell, out);
}

}  // namespace sluice::scanner::detect
