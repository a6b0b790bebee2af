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
  bool first_component;
};

// HL7 v2.x field positions that carry patient identifiers.
constexpr FieldRule kHl7Fields[] = {
    {"PID", 2, PhiType::kMrn, true},        {"PID", 3, PhiType::kMrn, true},
    {"PID", 4, PhiType::kMrn, true},        {"PID", 5, PhiType::kName, false},
    {"PID", 6, PhiType::kName, false},      {"PID", 7, PhiType::kDate, true},
    {"PID", 9, PhiType::kName, false},      {"PID", 11, PhiType::kAddress, false},
    {"PID", 13, PhiType::kPhone, false},    {"PID", 14, PhiType::kPhone, false},
    {"PID", 18, PhiType::kAccount, true},   {"PID", 19, PhiType::kSsn, true},
    {"PID", 20, PhiType::kLicense, true},   {"PID", 29, PhiType::kDate, true},
    {"NK1", 2, PhiType::kName, false},      {"NK1", 4, PhiType::kAddress, false},
    {"NK1", 5, PhiType::kPhone, false},     {"NK1", 6, PhiType::kPhone, false},
    {"IN1", 2, PhiType::kHealthPlan, true}, {"IN1", 16, PhiType::kName, false},
    {"IN1", 18, PhiType::kDate, true},      {"IN1", 19, PhiType::kAddress, false},
    {"IN1", 36, PhiType::kHealthPlan, true}, {"IN1", 49, PhiType::kHealthPlan, true},
    {"GT1", 2, PhiType::kId, true},         {"GT1", 3, PhiType::kName, false},
    {"GT1", 5, PhiType::kAddress, false},   {"GT1", 6, PhiType::kPhone, false},
    {"GT1", 8, PhiType::kDate, true},       {"GT1", 12, PhiType::kSsn, true},
};

constexpr int kLastHl7Field = 49;  // IN1-49, the highest field in kHl7Fields

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
    bool ok = false;
    switch (rule.type) {
      case PhiType::kDate:
        if (value.size() >= 8) {
          ve = vs + 8;
          ok = v::parseDate(w.slice(vs, ve)).has_value();
        }
        break;
      case PhiType::kSsn: ok = v::isValidSsn(value); break;
      case PhiType::kPhone: ok = v::digitsOf(value).size() >= 7; break;
      case PhiType::kName:
      case PhiType::kAddress:
        ok = value.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") !=
             std::string_view::npos;
        break;
      default: ok = value.size() >= 3; break;
    }
    if (ok) addFinding(out, rule.type, vs, ve, 0.9f);
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
  // Code systems (LOINC, SNOMED, ICD, RxNorm, UCUM, HL7 terminology) name concepts, not people.
  if (has("loinc") || has("snomed") || has("icd") || has("rxnorm") || has("unitsofmeasure") ||
      has("terminology.hl7.org") || has("cpt") || has("ndc") || has("cvx")) {
    known = false;
    return PhiType::kId;
  }
  // Any other identifier namespace: a URI or OID, not free text (Anthropic's "system" prompt).
  known = uri.find("://") != std::string::npos || uri.rfind("urn:", 0) == 0;
  return PhiType::kId;
}

}  // namespace

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

void hl7Segment(const Window& w, const NameData& /*names*/, uint64_t start, uint64_t end,
                std::vector<Finding>& out) {
  // A segment starts a line (or a pasted string); "PID|" inside a field is data.
  char before = start > w.begin() ? w.at(start - 1) : '\n';
  if (before != '\n' && before != '\r' && before != '"' && before != ' ' && before != '\t' &&
      before != '\'' && before != '>' && before != '`') {
    return;
  }
  std::string_view segment = w.slice(start, start + 3);
  uint64_t seg_end = end;
  while (seg_end < w.end() && seg_end < end + 4096 && w.at(seg_end) != '\r' &&
         w.at(seg_end) != '\n' && w.at(seg_end) != '"') {
    ++seg_end;
  }
  int field = 1;
  uint64_t fs = end;
  for (uint64_t p = end; p <= seg_end && field <= kLastHl7Field; ++p) {
    if (p < seg_end && w.at(p) != '|') continue;
    for (const FieldRule& rule : kHl7Fields) {
      if (rule.segment == segment && rule.field == field && p > fs) hl7Field(w, rule, fs, p, out);
    }
    ++field;
    fs = p + 1;
  }
}

void fhirSystem(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out) {
  uint64_t p = end;
  while (p < w.end() && p < end + 6 && (isSpace(w.at(p)) || w.at(p) == ':')) ++p;
  if (w.at(p) != '"') return;
  uint64_t us = p + 1;
  uint64_t ue = us;
  while (ue < w.end() && ue < us + 200 && w.at(ue) != '"') ++ue;
  bool known = false;
  PhiType type = classifySystem(lowerCopy(w.slice(us, ue)), known);
  if (!known) return;
  // The identifier's "value" sits in the same object, before or after "system".
  uint64_t lo = start;
  while (lo > w.begin() && lo + 300 > start && w.at(lo) != '{' && w.at(lo) != '}') --lo;
  uint64_t hi = ue;
  while (hi < w.end() && hi < ue + 300 && w.at(hi) != '}' && w.at(hi) != '{') ++hi;
  std::string_view object = w.slice(lo, hi);
  size_t key = object.find("\"value\"");
  if (key == std::string_view::npos) return;
  uint64_t q = lo + key + 7;
  while (q < hi && (isSpace(w.at(q)) || w.at(q) == ':')) ++q;
  if (w.at(q) != '"') return;
  uint64_t vs = q + 1;
  uint64_t ve = vs;
  while (ve < hi && w.at(ve) != '"') ++ve;
  typedValue(w, type, {vs, ve}, 0.9f, out);
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
  float score = 0.5f;
  static const std::vector<std::string_view> kPersonal = {
      "patient", "member", "user", "profile", "person", "mrn", "record", "chart", "portal",
      "/in/", "/u/", "~", "facebook.com", "linkedin.com", "twitter.com", "x.com/",
      "instagram.com", "tiktok.com", "mychart", "id="};
  for (std::string_view m : kPersonal) {
    if (lower.find(m) != std::string::npos) {
      score += 0.3f;
      break;
    }
  }
  static const std::vector<std::string_view> kCues = {"website", "homepage", "profile",
                                                      "portal", "url:", "blog", "my site"};
  if (cueBefore(w, s, 40, kCues)) score += 0.25f;
  if (w.clinical) score += 0.15f;
  if (lower.find("localhost") != std::string::npos) score = 0.3f;
  addFinding(out, PhiType::kUrl, s, e, score);
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
  if (s == at || !v::isValidEmail(w.slice(s, e))) return;
  // Role mailboxes belong to an organisation, not a person.
  static const std::vector<std::string_view> kRoles = {
      "support", "info", "noreply", "no-reply", "sales", "admin", "help", "contact", "privacy",
      "security", "billing", "hello", "team", "webmaster", "postmaster", "abuse", "press"};
  std::string mailbox = lowerCopy(w.slice(s, at));
  bool role = std::find(kRoles.begin(), kRoles.end(), mailbox) != kRoles.end();
  addFinding(out, PhiType::kEmail, s, e, role && !w.clinical ? 0.5f : 0.85f);
}

}  // namespace sluice::scanner::detect
