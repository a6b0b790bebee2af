// File: names.h
//
// The name dictionaries and their safe-lists, parsed once from the data embedded in the
// library (scanner/data/, see SOURCES.md). Census lists are large and collide with English
// ("Will", "May", "Brown"), so a dictionary hit alone is never a finding: it needs a cue
// (a title, "name:"), a partner (first name next to a surname), and must not be a safe-listed
// word or a public figure in a general-knowledge question.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "window.h"

namespace sluice::scanner {

struct NameEntry {
  std::string title;  // "Smith"
  bool first = false;
  bool last = false;
  uint32_t last_rank = UINT32_MAX;  // Census surname rank, 0 = most frequent
};

class NameData {
 public:
  // Parses the embedded files; shared by every Scanner in the process.
  static const NameData& instance();

  const std::vector<NameEntry>& entries() const { return entries_; }
  // Flags for a token of any case; nullptr when it is in neither dictionary.
  const NameEntry* find(std::string_view token) const;
  bool safe(std::string_view token) const;
  // A lower-case English word ("contact", "garden"); used to tell a name the dictionaries
  // miss ("Jayden") from an ordinary capitalised word.
  bool englishWord(std::string_view token) const;
  bool publicFigure(std::string_view first, std::string_view last) const;

 private:
  NameData();
  std::vector<NameEntry> entries_;
  std::unordered_map<std::string, uint32_t> index_;  // lower case -> entries_ index
  std::unordered_set<std::string> safe_;
  std::unordered_set<std::string> english_;
  std::unordered_set<std::string> public_figures_;  // "first last", lower case
  // Per first letter, a bit for each length of a public figure's first name: most word
  // pairs are ruled out before the lookup, which builds its key.
  std::array<uint32_t, 26> public_first_lengths_{};
};

// Returns the embedded data file `name` ("surnames.txt"), empty when absent.
std::string_view embeddedData(std::string_view name);

// Calls fn(line) for each line of an embedded data file that is neither empty nor a comment
// ('#' first).
template <typename Fn>
void forEachLine(std::string_view data, Fn fn) {
  size_t pos = 0;
  while (pos < data.size()) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) nl = data.size();
    std::string_view line = data.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line[0] != '#') fn(line);
    pos = nl + 1;
  }
}

// A word that ends an organisation's name ("Pharmacy", "Clinic", "Inc"): capitalised words
// before it name the organisation, not a person.
bool organisationWord(std::string_view word);
// Whether the word before `pos` (over ", " or " (") names an organisation: "Bayview Urgent
// Care, 5120 Pacific Coast Hwy", "county health dept (555) 555-0199".
bool organisationBefore(const Window& w, uint64_t pos);
// Whether the contact detail [pos, end) is a business's, by the words around it ("call us
// at", "RSVP", "our office", opening hours, an extension after it).
// An organisation's record in a directory, a search result or a CRM: its hours, services or
// website beside the name, address and phone of [start, end), and no birth date, record
// number or sex.
bool organisationRecord(const Window& w, uint64_t start, uint64_t end);
bool organisationVoice(const Window& w, uint64_t pos, uint64_t end);
// Whether `pos` lies on a line that lists people by their part in a message or a meeting
// ("To: Dr. Laura Benedetti, Ms. Felicia Okoro", "Present: ..."): staff, not patients.
bool addresseeLine(const Window& w, uint64_t pos);
// Whether the name (or contact) at [start, end) is staff's by a role on its line: a role
// before it ("account exec", "Certifying exec:", "Chercheur principal :") or a title after
// it (", VP Ops", ", RN").
bool staffLine(const Window& w, uint64_t start, uint64_t end);
// Whether `pos` follows the headers of an e-mail ("From: ..." and "To: ..." lines).
bool correspondence(const Window& w, uint64_t pos);
// Whether `pos` lies in the sign-off of a letter or an email ("Best,\nTrevor Nguyen\n
// Account Executive\n(312) 555-0187"): the sender's own details, not a patient's.
bool signature(const Window& w, uint64_t pos);

// The title directly before `pos`, if any (a title cue without a Hyperscan hit is checked
// here because a name hit is judged on its own). "Dr." and "Prof." name clinicians and
// authors far more often than patients.
enum class Title { kNone, kPerson, kClinician };
Title titleBefore(const Window& w, uint64_t pos);

namespace detect {
// A dictionary literal hit on entry `id` of NameData::entries().
void nameHit(const Window& w, const NameData& names, uint32_t id, uint64_t start, uint64_t end,
             std::vector<Finding>& out);
// Whether a public figure is named earlier in the sentence that `pos` is in, within 200
// bytes ("Lou Gehrig was diagnosed with ALS at Mayo Clinic on June 19, 1939"): the dates
// there are the figure's.
bool publicFigureBefore(const Window& w, const NameData& names, uint64_t pos);
// "Dr.", "Dr ", "Prof." (the title keywords that name clinicians and authors), and "Sr.",
// which marks no patient either.
bool clinicianTitle(std::string_view title);
// Capitalised words from `pos` (after a cue) as a NAME. A cue that names a patient or a
// relative ("patient:", "Mrs.", "my son") makes it PHI on its own; a clinician's title
// ("Dr.") only beside another identifier. Returns the end of the name, or pos when there
// is none.
uint64_t nameAfterCue(const Window& w, const NameData& names, uint64_t pos, float score,
                      bool patient_cue, std::vector<Finding>& out);
// A name in Han, kana, Hangul, Cyrillic, Arabic or Devanagari letters after a label in that
// script ("姓名：王秀英", "Ф.И.О.: Кузнецова Галина Петровна", "الاسم: خالد سعيد"), at
// `score`; with `bracketed`, the same name after it in brackets too ("佐藤 健一（SATO
// KENICHI）"). Returns the end of the name, or pos when there is none.
uint64_t scriptNameAfter(const Window& w, uint64_t pos, float score, std::vector<Finding>& out,
                         bool bracketed = true);
// A Russian name around a patronymic whose suffix is at [start, end) ("Лебедевой Нины
// Аркадьевны", "Галина Петровна", "Иван Сергеевич Орлов"): the given name before it, a surname
// before that or after it, all capitalised.
void patronymicName(const Window& w, uint64_t start, uint64_t end, std::vector<Finding>& out);
// The same name in another script in brackets right after a name found at `end`: "KIM,
// YOUNG SOOK (김영숙)", "Kim Soon-ja (김순자)". Reported at `score`.
void scriptNameInBrackets(const Window& w, uint64_t end, float score, std::vector<Finding>& out);
// What lowercaseName() may take for a name besides a first name and a surname.
enum class LowerName {
  kPair,          // only the pair
  kSurnameAlone,  // after a title: "mrs. delacroix", "mr okafor"
  kFirstAlone,    // after a relative's word or "her name is": "my son eli", "named jolene"
  kPatientFirst,  // after "pt": as kFirstAlone, and in clinical text on its own ("my pt
                  // keisha came in 10/3")
};
// A name written in lower case after a name label ("my name is darnell jackson", "my son
// kayden brooks-whitaker"): a dictionary first name that is no English word, then a surname
// or a word no dictionary knows; or one word alone, as `alone` allows.
void lowercaseName(const Window& w, const NameData& names, uint64_t pos, std::vector<Finding>& out,
                   LowerName alone = LowerName::kPair);
// The capitalised words that end just before a birth or relation cue at `pos` ("Quang Le
// Van, born ...", "Maria Lopez (DOB 01/02/1960)", "Oleksandr Hrytsenko (son)"): reported as
// a name when they look like one.
void nameBeforeCue(const Window& w, const NameData& names, uint64_t pos,
                   std::vector<Finding>& out);
}  // namespace detect

}  // namespace sluice::scanner
