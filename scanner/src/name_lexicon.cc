#include "name_lexicon.h"

#include <cstring>

#include "byte_classes.h"

namespace sluice::scanner {
namespace {

// Surnames by Census rank that are looked for at every word; the rest are only looked up
// next to a hit or a cue (NameData::find()).
constexpr uint32_t kSurnamesInLexicon = 15000;

uint64_t load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

uint32_t load32(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// A hash of a word of kMinLength..kMaxLength bytes from two or three overlapping loads that
// together cover every byte: words are hashed at every capitalised word of a body, so this
// avoids a loop per byte.
uint64_t hashWord(std::string_view word) {
  const char* p = word.data();
  size_t n = word.size();
  uint64_t a = 0;
  uint64_t b = 0;
  if (n >= 8) {
    a = load64(p);
    b = load64(p + n - 8);
    if (n > 16) a ^= (load64(p + 8) << 23) | (load64(p + 8) >> 41);
  } else {
    a = load32(p);
    b = load32(p + n - 4);
  }
  uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ ((b + n) * 0xC2B2AE3D27D4EB4Full);
  return h ^ (h >> 31);
}

size_t powerOfTwoAbove(size_t n) {
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

}  // namespace

NameLexicon::NameLexicon(const NameData& names) : names_(&names) {
  const auto& entries = names.entries();
  upper_.resize(entries.size());
  std::vector<std::pair<std::string_view, uint32_t>> words;
  for (size_t i = 0; i < entries.size(); ++i) {
    const NameEntry& e = entries[i];
    if (e.title.size() < kMinLength || e.title.size() > kMaxLength) continue;
    if (!e.first && e.last_rank >= kSurnamesInLexicon) continue;
    words.emplace_back(e.title, static_cast<uint32_t>(i));
    // And in capitals: "JOHN SMITH", "SMITH, JOHN", "HUANG, WEI" in forms and headers.
    upper_[i] = e.title;
    for (char& c : upper_[i]) c = isLower(c) ? static_cast<char>(c - 32) : c;
    words.emplace_back(upper_[i], static_cast<uint32_t>(i) | kUpperName);
  }
  slots_.resize(powerOfTwoAbove(words.size() * 2));
  slot_mask_ = static_cast<uint32_t>(slots_.size() - 1);
  // About eight filter bits per word: one word in ten that is not a name gets past it.
  size_t filter_bits = powerOfTwoAbove(words.size() * 8);
  filter_.assign(filter_bits / 64, 0);
  filter_mask_ = static_cast<uint32_t>(filter_bits - 1);
  for (const auto& [word, id] : words) add(word, id);
}

std::string_view NameLexicon::keyOf(uint32_t id) const {
  uint32_t index = id & ~kUpperName;
  if ((id & kUpperName) != 0) return upper_[index];
  return names_->entries()[index].title;
}

void NameLexicon::add(std::string_view word, uint32_t id) {
  uint64_t h = hashWord(word);
  auto bit = static_cast<uint32_t>(h >> 32) & filter_mask_;
  filter_[bit / 64] |= uint64_t{1} << (bit % 64);
  for (uint32_t s = static_cast<uint32_t>(h) & slot_mask_;; s = (s + 1) & slot_mask_) {
    if (slots_[s].id == kNotFound) {
      slots_[s] = {static_cast<uint32_t>(h), id};
      return;
    }
    if (slots_[s].hash == static_cast<uint32_t>(h) && keyOf(slots_[s].id) == word) return;
  }
}

uint32_t NameLexicon::lookup(std::string_view word) const {
  if (slots_.empty() || word.size() < kMinLength || word.size() > kMaxLength) return kNotFound;
  return find(word);
}

inline uint32_t NameLexicon::find(std::string_view word) const {
  uint64_t h = hashWord(word);
  auto bit = static_cast<uint32_t>(h >> 32) & filter_mask_;
  if ((filter_[bit / 64] & (uint64_t{1} << (bit % 64))) == 0) return kNotFound;
  for (uint32_t s = static_cast<uint32_t>(h) & slot_mask_;; s = (s + 1) & slot_mask_) {
    const Slot& slot = slots_[s];
    if (slot.id == kNotFound) return kNotFound;
    if (slot.hash == static_cast<uint32_t>(h) && keyOf(slot.id) == word) return slot.id;
  }
}

size_t NameLexicon::bytes() const {
  size_t total = slots_.size() * sizeof(Slot) + filter_.size() * sizeof(uint64_t);
  for (const std::string& u : upper_) total += u.size();
  return total;
}

// Words with accented letters ("\u00c9tienne", "Tr\u1ea7n", "N\u00fa\u00f1ez"), found from their
// non-ASCII bytes in [from, to) and looked up by the ASCII letters they are written on. Rare
// in most text, so kept out of the block loop. False when one may continue in the next write;
// a.waiting is then its start.
bool NameLexicon::accentedWords(AccentedWords& a, size_t from, size_t to,
                                std::vector<Hit>& out) const {
  const char* p = a.p;
  size_t n = a.n;
  for (size_t q = std::max(from, a.done); q < to; ++q) {
    if (static_cast<unsigned char>(p[q]) < 0x80) continue;
    size_t s = q;
    while (s > 0) {
      if (isAlpha(p[s - 1])) {
        --s;
      } else if (s >= 2 && latinLetterAt(p + s - 2, n - s + 2).length == 2) {
        s -= 2;
      } else if (s >= 3 && latinLetterAt(p + s - 3, n - s + 3).length == 3) {
        s -= 3;
      } else {
        break;
      }
    }
    a.folded.clear();
    bool letters = true;
    size_t e = s;
    while (e < n && a.folded.size() <= kMaxLength) {
      if (isAlpha(p[e])) {
        a.folded.push_back(p[e++]);
        continue;
      }
      LatinLetter l =
          static_cast<unsigned char>(p[e]) >= 0x80 ? latinLetterAt(p + e, n - e) : LatinLetter{};
      if (l.length == 0) {
        // A letter's first bytes at the end of a write: the rest comes with the next.
        if (!a.final && n - e < 3 && static_cast<unsigned char>(p[e]) >= 0xC0) e = n;
        break;
      }
      letters = letters && l.base != 0;
      a.folded.push_back(l.base);
      e += l.length;
    }
    if (e <= q) continue;  // a byte of something else (a symbol, another script)
    if (e == n && !a.final) {
      a.waiting = s;
      return false;
    }
    a.done = e;
    q = e - 1;
    if (!letters || (s > 0 && isDigit(p[s - 1])) || (e < n && isAlnum(p[e]))) continue;
    uint32_t id = lookup(a.folded);
    if (id != kNotFound) {
      out.push_back({kNameHit | id, a.base + s, a.base + e});
      a.unordered = true;
    }
  }
  return true;
}

void NameLexicon::scan(std::string_view text, uint64_t base, bool final, uint64_t& cursor,
                       std::vector<Hit>& out) const {
  size_t n = text.size();
  size_t i = cursor > base ? cursor - base : 0;
  if (slots_.empty() || i >= n) {
    cursor = std::max(cursor, base + n);
    return;
  }
  const char* p = text.data();
  size_t first_hit = out.size();
  // An ASCII run that an accented letter continues ("Hern" of "Hern\u00e1ndez") is no word.
  auto accentedBeside = [&](size_t s, size_t e) {
    return (s > 0 && static_cast<unsigned char>(p[s - 1]) >= 0x80) ||
           (e < n && static_cast<unsigned char>(p[e]) >= 0x80);
  };
  // Judges the word that starts at `s` and whose alphanumeric run reaches at least `e`;
  // false when it may continue in the next write.
  auto word = [&](size_t s, size_t e) {
    while (e < n && isAlnum(p[e]) && e - s <= kMaxLength) ++e;
    size_t length = e - s;
    if (e == n && !final && length <= kMaxLength) return false;
    if (length >= kMinLength && length <= kMaxLength && (e == n || !isAlnum(p[e])) &&
        !accentedBeside(s, e)) {
      uint32_t id = lookup({p + s, length});
      if (id != kNotFound) out.push_back({kNameHit | id, base + s, base + e});
    }
    return true;
  };
  size_t waiting = n;  // a word that may continue in the next write starts here
  AccentedWords accents{p, n, base, final, i, n, false, {}};
  auto accented = [&](size_t from, size_t to) {
    if (accentedWords(accents, from, to, out)) return true;
    waiting = accents.waiting;
    return false;
  };
  // A word in progress at the cursor was judged already, or is too long to be a name.
  uint64_t carry = i > 0 && isAlnum(p[i - 1]) ? 1 : 0;
  i = forEachBlock<kWordClasses>(
      text, i, [&](size_t at, const ByteClasses& c) __attribute__((always_inline)) {
        uint64_t starts = c.upper & ~((c.alnum << 1) | carry);
        carry = c.alnum >> 63;
        uint64_t breaks = ~c.alnum;  // where words end inside this block
        for (; starts != 0; starts &= starts - 1) {
          auto bit = static_cast<unsigned>(__builtin_ctzll(starts));
          uint64_t ends = breaks >> bit;
          size_t s = at + bit;
          if (ends == 0) {  // the word runs past this block
            if (!word(s, at + kClassBlock)) {
              if (c.high == 0 || accented(at, s)) waiting = s;
              return false;
            }
            continue;
          }
          // Most words end in this block: their length comes from the mask, words too short to be
          // a dictionary literal ("The", "A") are skipped, and the rest are looked up here.
          auto length = static_cast<size_t>(__builtin_ctzll(ends));
          if (length < kMinLength || length > kMaxLength) continue;
          uint32_t id = find({p + s, length});
          if (id != kNotFound && !accentedBeside(s, s + length)) {
            out.push_back({kNameHit | id, base + s, base + s + length});
          }
        }
        return c.high == 0 || accented(at, at + kClassBlock);
      });
  if (waiting < n) {
    cursor = base + waiting;
  } else {
    size_t tail = i;
    for (; i < n; ++i) {
      if (isUpper(p[i]) && carry == 0 && !word(i, i + 1)) break;
      carry = isAlnum(p[i]) ? 1 : 0;
    }
    // The tail's accented words, up to a word that may continue.
    if (accented(tail, i)) {
      cursor = base + i;
    } else {
      cursor = base + std::min<size_t>(i, waiting);
    }
  }
  if (accents.unordered) {
    std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(first_hit), out.end(),
                     [](const Hit& a, const Hit& b) { return a.start < b.start; });
  }
}

}  // namespace sluice::scanner
