#include "fold.h"

#include <algorithm>
#include <array>
#include <optional>

#include "byte_classes.h"
#include "encoding.h"
#include "window.h"

namespace sluice::scanner {
namespace {

constexpr size_t kFoldWordHold = 80;  // see Folder::fold(); more than kWordLimit
auto byteAt(std::string_view s, size_t i) {
  return static_cast<unsigned char>(s[i]);
}

// The bytes that may start a unit, other than a spaced run's first character.
bool specialByte(unsigned char b) {
  switch (b) {
    case '&':
    case '%':
    case '=':
    case '+':
    case '[':
    case '(':
    case '\\':
    case 0xC2:
    case 0xE2:
    case 0xE3:
    case 0xEF: return true;
    default: return false;
  }
}

// The ASCII a box-drawing character (U+2500 to U+257F, UTF-8 E2 94 80 to E2 95 BF) is
// read as: '-' for the horizontal lines (light, heavy, dashed, double), '|' for the rest.
std::string_view boxDrawing(unsigned char b1, unsigned char b2) {
  unsigned code = (b1 - 0x94u) * 64u + (b2 - 0x80u);  // U+2500 + code
  switch (code) {
    case 0x00:
    case 0x01:
    case 0x04:
    case 0x05:
    case 0x08:
    case 0x09:
    case 0x4C:
    case 0x4D:
    case 0x50: return "-";
    default: return "|";
  }
}

// Whether text[i] may start a spaced run: a letter or digit after none, then a space or a
// hyphen, then a letter or digit that ends its word ("5 3 6", "D e r", "M-a-r"). `before` is
// the byte before text[0].
bool spacedStart(std::string_view text, size_t i, char before) {
  char prev = i > 0 ? text[i - 1] : before;
  auto at = [&](size_t k) { return k < text.size() ? text[k] : ' '; };
  return isAlnum(text[i]) && !isAlnum(prev) && (at(i + 1) == ' ' || at(i + 1) == '-') &&
         (i + 2 >= text.size() || isAlnum(text[i + 2])) && !isAlnum(at(i + 3));
}

// Whether text[i] is where Latin and Cyrillic letters meet in a word (lookalikes()): a
// Cyrillic letter after a Latin one, or a Latin letter after a Cyrillic one. `before` is the
// byte before text[0]; the byte before it is taken for a Cyrillic lead.
bool isCyrillicLead(char c) {
  auto b = static_cast<unsigned char>(c);
  return b == 0xD0 || b == 0xD1;
}
bool scriptBoundary(std::string_view text, size_t i, char before) {
  char prev = i > 0 ? text[i - 1] : before;
  bool cyrillic_before = i < 2 || isCyrillicLead(text[i - 2]);
  return (isCyrillicLead(text[i]) && isAlpha(prev)) ||
         (isAlpha(text[i]) && isContinuation(prev) && cyrillic_before);
}

// The candidates of blocks of kClassBlock bytes as bit masks: where a unit may start. The
// spaced-run test needs three bytes past a block, which it does not see: a word start in a
// block's last three bytes is taken as a candidate and judged by the unit.
constexpr size_t kMaskBlocks = 8;  // blocks whose masks are found in one call

struct BlockMasks {
  uint64_t special = 0;  // specialByte()
  uint64_t alnum = 0;
  uint64_t alpha = 0;
  uint64_t separator = 0;  // ' ' or '-'
  uint64_t cyrillic = 0;   // 0xD0 or 0xD1, which lead the Cyrillic letters
};

// What the masks need of the two bytes before a block, as bit 0 of each: whether the byte
// before is a letter or digit, a letter, a Cyrillic lead, and whether the one before it is a
// Cyrillic lead (taken for one when unknown, as scriptBoundary() does).
struct Carry {
  uint64_t alnum = 0;
  uint64_t alpha = 0;
  uint64_t cyrillic = 0;
  uint64_t cyrillic2 = 1;

  static Carry of(char prev, std::optional<char> prev2) {
    return {isAlnum(prev) ? 1u : 0u, isAlpha(prev) ? 1u : 0u, isCyrillicLead(prev) ? 1u : 0u,
            !prev2 || isCyrillicLead(*prev2) ? 1u : 0u};
  }
  // After a block whose masks are m (alpha is known only when m.alpha was filled in).
  static Carry after(const BlockMasks& m) {
    return {m.alnum >> 63, m.alpha >> 63, m.cyrillic >> 63, (m.cyrillic >> 62) & 1};
  }
  // Whether the block can hold a script boundary: only then are its letters needed.
  bool nearCyrillic(const BlockMasks& m) const { return (m.cyrillic | cyrillic | cyrillic2) != 0; }
};

// Where a spaced run may start (see the candidates above).
inline uint64_t spacedMask(const BlockMasks& m, const Carry& carry) {
  constexpr uint64_t kUnseen1 = uint64_t{1} << 63;
  constexpr uint64_t kUnseen2 = uint64_t{3} << 62;
  constexpr uint64_t kUnseen3 = uint64_t{7} << 61;
  uint64_t word_start = m.alnum & ~(m.alnum << 1 | carry.alnum);
  return word_start & (m.separator >> 1 | kUnseen1) & (m.alnum >> 2 | kUnseen2) &
         (~(m.alnum >> 3) | kUnseen3);
}

// A Cyrillic letter after a Latin one, a Latin letter two bytes after a Cyrillic lead.
inline uint64_t boundaryMask(const BlockMasks& m, const Carry& carry) {
  return (m.cyrillic & (m.alpha << 1 | carry.alpha)) |
         (m.alpha & (m.cyrillic << 2 | carry.cyrillic << 1 | carry.cyrillic2));
}

// Fills out[0, blocks) for the blocks from p, the bytes before which `carry` describes.
void portableMasks(const char* p, size_t blocks, Carry carry, uint64_t* out) {
  for (size_t k = 0; k < blocks; ++k, p += kClassBlock) {
    BlockMasks m;
    for (unsigned i = 0; i < kClassBlock; ++i) {
      uint64_t bit = uint64_t{1} << i;
      auto b = static_cast<unsigned char>(p[i]);
      m.special |= specialByte(b) ? bit : 0;
      m.alnum |= isAlnum(p[i]) ? bit : 0;
      m.alpha |= isAlpha(p[i]) ? bit : 0;
      m.separator |= p[i] == ' ' || p[i] == '-' ? bit : 0;
      m.cyrillic |= isCyrillicLead(p[i]) ? bit : 0;
    }
    out[k] = m.special | spacedMask(m, carry) | boundaryMask(m, carry);
    carry = Carry::after(m);
  }
}

#ifdef SLUICE_SCANNER_X86
// The masks of 32 bytes at q (bits 0 to 31); see avx2Masks().
__attribute__((target("avx2"), always_inline)) inline BlockMasks halfMasks(const char* q,
                                                                           __m256i by_high,
                                                                           __m256i by_low) {
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
  __m256i high = _mm256_shuffle_epi8(by_high, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
  __m256i low = _mm256_shuffle_epi8(by_low, _mm256_and_si256(v, nibble));
  __m256i plain = _mm256_cmpeq_epi8(_mm256_and_si256(high, low), _mm256_setzero_si256());
  __m256i alpha = classes::inRangeAvx2(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), 'a', 26);
  __m256i digit = classes::inRangeAvx2(v, '0', 10);
  __m256i sep = _mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(' ')),
                                _mm256_cmpeq_epi8(v, _mm256_set1_epi8('-')));
  __m256i cyrillic = classes::inRangeAvx2(v, static_cast<char>(0xD0), 2);
  BlockMasks m;
  m.special = ~static_cast<uint32_t>(_mm256_movemask_epi8(plain));
  m.alnum = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_or_si256(alpha, digit)));
  m.separator = static_cast<uint32_t>(_mm256_movemask_epi8(sep));
  m.cyrillic = static_cast<uint32_t>(_mm256_movemask_epi8(cyrillic));
  return m;
}

// The letters of 64 bytes at p: needed only where Cyrillic is near.
__attribute__((target("avx2"))) uint64_t alphaMask(const char* p) {
  uint64_t mask = 0;
  for (unsigned h = 0; h < 2; ++h) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 32 * h));
    __m256i alpha = classes::inRangeAvx2(_mm256_or_si256(v, _mm256_set1_epi8(0x20)), 'a', 26);
    mask |= uint64_t{static_cast<uint32_t>(_mm256_movemask_epi8(alpha))} << (32 * h);
  }
  return mask;
}

// specialByte() by nibble lookup: each byte's low and high nibbles select a set of classes
// (one bit per high nibble that holds special bytes), and a byte is special when the two
// sets meet.
__attribute__((target("avx2"))) void avx2Masks(const char* p, size_t blocks, Carry carry,
                                               uint64_t* out) {
  constexpr char k20 = 1, k30 = 2, k50 = 4, kC0 = 16, kE0 = 64;
  const __m256i by_high =
      _mm256_setr_epi8(0, 0, k20, k30, 0, k50, 0, 0, 0, 0, 0, 0, kC0, 0, kE0, 0,  //
                       0, 0, k20, k30, 0, k50, 0, 0, 0, 0, 0, 0, kC0, 0, kE0, 0);
  // '%' 25 '&' 26 '(' 28 '+' 2B '=' 3D '[' 5B '\\' 5C, C2, E2 E3 EF.
  const __m256i by_low = _mm256_setr_epi8(0, 0, kC0 | kE0, kE0, 0, k20, k20, 0, k20, 0, 0,
                                          k20 | k50, k50, k30, 0, kE0, 0, 0, kC0 | kE0, kE0, 0, k20,
                                          k20, 0, k20, 0, 0, k20 | k50, k50, k30, 0, kE0);
  for (size_t k = 0; k < blocks; ++k, p += kClassBlock) {
    BlockMasks a = halfMasks(p, by_high, by_low);
    BlockMasks b = halfMasks(p + 32, by_high, by_low);
    BlockMasks m{b.special << 32 | a.special, b.alnum << 32 | a.alnum, 0,
                 b.separator << 32 | a.separator, b.cyrillic << 32 | a.cyrillic};
    out[k] = m.special | spacedMask(m, carry);
    if (carry.nearCyrillic(m)) {
      // The letters are found only here, so the block before may not have filled them in.
      if (k > 0) carry.alpha = isAlpha(p[-1]) ? 1 : 0;
      m.alpha = alphaMask(p);
      out[k] |= boundaryMask(m, carry);
    }
    carry = Carry::after(m);
  }
}
#endif

// The positions where a unit may start, in order: the masks of a few blocks at a time.
class Candidates {
 public:
  Candidates(std::string_view text, char before) : text_(text), before_(before) {}

  // The first candidate at or after `i`, or text.size(). Inlined into the pass's loop, which
  // calls it for every candidate.
  __attribute__((always_inline)) size_t next(size_t i) {
    size_t n = text_.size();
    while (i < n) {
      if (i >= start_ && i < start_ + count_ * kClassBlock) {
        size_t k = (i - start_) / kClassBlock;
        size_t block = start_ + k * kClassBlock;
        uint64_t m = masks_[k] & (~uint64_t{0} << (i - block));
        if (m != 0) return block + static_cast<size_t>(__builtin_ctzll(m));
        i = block + kClassBlock;
        continue;
      }
      if (n < kClassBlock) break;
      // The last bytes: the block that ends with the text, its bits before `i` masked off.
      start_ = std::min(i, n - kClassBlock);
      count_ = std::max<size_t>(1, std::min(kMaskBlocks, (n - start_) / kClassBlock));
      std::optional<char> prev2;
      if (start_ >= 2) prev2 = text_[start_ - 2];
      Carry carry = Carry::of(start_ > 0 ? text_[start_ - 1] : before_, prev2);
#ifdef SLUICE_SCANNER_X86
      if (classes::haveAvx2()) {
        avx2Masks(text_.data() + start_, count_, carry, masks_.data());
        continue;
      }
#endif
      portableMasks(text_.data() + start_, count_, carry, masks_.data());
    }
    for (; i < n; ++i) {
      if (specialByte(static_cast<unsigned char>(text_[i])) || spacedStart(text_, i, before_) ||
          scriptBoundary(text_, i, before_)) {
        return i;
      }
    }
    return n;
  }

 private:
  std::string_view text_;
  char before_;
  size_t start_ = 0;
  size_t count_ = 0;
  std::array<uint64_t, kMaskBlocks> masks_{};
};

// How far before text[at] a query string's '=' stands in the same token (no space, quote or
// line break between), if at most kQueryReach bytes: text[at] then lies in its value.
// `before` is the distance for text[0] (kNoQuery: none), for a token that began before text.
constexpr size_t kQueryReach = 256;
constexpr size_t kNoQuery = SIZE_MAX;

size_t queryDistance(std::string_view text, size_t at, size_t before) {
  for (size_t k = at; k > 0; --k) {
    char b = text[k - 1];
    if (b == '=') return at - k;
    if (b == ' ' || b == '\n' || b == '"' || b == '\t' || at - k >= kQueryReach) return kNoQuery;
  }
  return before != kNoQuery && at + before <= kQueryReach ? at + before : kNoQuery;
}

// The bytes of a word that lookalikes() judges: Latin letters and Cyrillic ones (two bytes).
bool cyrillicAt(std::string_view text, size_t at) {
  return at + 1 < text.size() && isCyrillicLead(text[at]) && isContinuation(text[at + 1]);
}
// Whether a word char ends at text[end - 1].
bool wordCharBefore(std::string_view text, size_t end) {
  return end > 0 && (isAlpha(text[end - 1]) || (end >= 2 && cyrillicAt(text, end - 2)));
}
constexpr size_t kWordLimit = 64;  // a longer word is no name nor mailbox to disguise

// What a candidate turned out to be.
struct Unit {
  size_t used = 0;         // bytes of input it spans (0: none; the candidate stays as written)
  size_t skip = 0;         // when used == 0: bytes known to stay as written (at least one)
  bool need_more = false;  // its end lies past the input, which is not final
};

Unit needMore(bool final) {
  return final ? Unit{0, 1, false} : Unit{0, 0, true};
}
Unit none(size_t skip = 1) {
  return Unit{0, skip, false};
}

struct NamedReference {
  std::string_view name;
  std::string_view text;
};
// The named references that carry the characters of identifiers and of names.
constexpr std::array<NamedReference, 36> kNamedReferences{{
    {"amp", "&"},    {"lt", "<"},     {"gt", ">"},     {"quot", "\""},  {"apos", "'"},
    {"nbsp", " "},   {"commat", "@"}, {"period", "."}, {"hyphen", "-"}, {"dash", "-"},
    {"sol", "/"},    {"colon", ":"},  {"lpar", "("},   {"rpar", ")"},   {"num", "#"},
    {"plus", "+"},   {"comma", ","},  {"lowbar", "_"}, {"aacute", "á"}, {"eacute", "é"},
    {"iacute", "í"}, {"oacute", "ó"}, {"uacute", "ú"}, {"ntilde", "ñ"}, {"uuml", "ü"},
    {"ouml", "ö"},   {"auml", "ä"},   {"ccedil", "ç"}, {"egrave", "è"}, {"agrave", "à"},
    {"Eacute", "É"}, {"Aacute", "Á"}, {"Oacute", "Ó"}, {"Ntilde", "Ñ"}, {"szlig", "ß"},
    {"oslash", "ø"},
}};

// Reading one pass over a buffer: the units found are written to `out` after the bytes
// before them, which are copied only then (`flushed`), so that a text with nothing to fold is
// never copied.
class FoldPass {
 public:
  // `before`: the folded byte before buf; `query_before`: how far before buf a query
  // string's '=' stands (queryDistance()); `fullwidth_before`: a full-width letter or digit ends
  // right before buf; `word_before`: a word of Latin or Cyrillic letters runs into buf;
  // `digits_before`: the digits (up to three) the folded text before this pass ends with.
  FoldPass(std::string_view buf, bool final, char before, size_t query_before,
           bool fullwidth_before, bool word_before, size_t digits_before, std::string& out,
           OffsetMap& map, uint64_t in_base, uint64_t out_base)
      : buf_(buf),
        final_(final),
        before_(before),
        query_before_(query_before),
        word_before_(word_before),
        digits_before_(digits_before),
        out_(out),
        out_start_(out.size()),
        map_(map),
        in_base_(in_base),
        out_base_(out_base),
        fullwidth_end_(fullwidth_before ? 0 : SIZE_MAX) {}

  // Folds from the start; returns the bytes consumed (fewer than all only when a unit waits
  // for more input). The bytes after the last unit are left for flush().
  size_t run() {
    Candidates candidates(buf_, before_);
    size_t i = 0;
    while (true) {
      size_t c = candidates.next(i);
      if (c >= buf_.size()) return buf_.size();
      Unit unit = at(c);
      if (unit.need_more) return c;
      i = c + (unit.used > 0 ? unit.used : unit.skip);
    }
  }

  void flush(size_t to) {
    if (to > flushed_) out_.append(buf_.data() + flushed_, to - flushed_);
    flushed_ = std::max(flushed_, to);
  }
  bool changed() const { return changed_; }
  size_t flushed() const { return flushed_; }
  bool fullwidthEndsAt(size_t at) const { return fullwidth_end_ == at; }

 private:
  // The folded byte before buf_[c].
  char before(size_t c) const {
    if (c > flushed_) return buf_[c - 1];
    if (out_.size() > 0) return out_.back();
    return before_;
  }

  // How many digits (up to three) the folded text has right before buf_[c].
  size_t digitsBefore(size_t c) const {
    size_t count = 0;
    size_t k = c;
    for (; count < 3 && k > flushed_ && isDigit(buf_[k - 1]); --k) ++count;
    if (k > flushed_ || count == 3) return count;
    size_t o = out_.size();
    for (; count < 3 && o > out_start_ && isDigit(out_[o - 1]); --o) ++count;
    if (o > out_start_ || count == 3) return count;
    return std::min<size_t>(3, count + digits_before_);
  }

  // Writes `text` for input [from, to).
  void emit(size_t from, size_t to, std::string_view text) {
    flush(from);
    map_.add(out_base_ + out_.size(), in_base_ + from);
    out_.append(text);
    map_.add(out_base_ + out_.size(), in_base_ + to);
    flushed_ = to;
    changed_ = true;
  }

  __attribute__((always_inline)) Unit at(size_t c) {
    switch (byteAt(buf_, c)) {
      case '&': return reference(c);
      case '%': return encoded(c, '%');
      case '=': return encoded(c, '=');
      case '\\': return rtf(c);
      case '+': return plus(c);
      case '[':
      case '(': return defanged(c);
      case 0xC2:
      case 0xE2:
      case 0xE3:
      case 0xEF: return character(c);
      case 0xD0:
      case 0xD1: return lookalikes(c);
      default: {
        // A letter after a letter of another script: the word may mix them.
        if (isContinuation(c > 0 ? buf_[c - 1] : before_)) {
          Unit unit = lookalikes(c);
          if (unit.used > 0 || unit.need_more) return unit;
        }
        return spaced(c);
      }
    }
  }

  Unit done(size_t c, size_t used, std::string_view text) {
    emit(c, c + used, text);
    return Unit{used, 0, false};
  }

  // "&#64;", "&#x40;", "&commat;".
  Unit reference(size_t c) {
    constexpr size_t kLongest = 12;
    size_t n = buf_.size();
    size_t i = c + 1;
    if (i >= n) return needMore(final_);
    std::string text;
    if (buf_[i] == '#') {
      ++i;
      bool hex = i < n && (buf_[i] | 0x20) == 'x';
      if (hex) ++i;
      uint32_t cp = 0;
      size_t digits = 0;
      for (; i < n && digits < 7; ++i, ++digits) {
        int d = hex ? hexValue(buf_[i]) : (isDigit(buf_[i]) ? buf_[i] - '0' : -1);
        if (d < 0) break;
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
      }
      if (i >= n) return i - c < kLongest ? needMore(final_) : none();
      bool control = cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r';
      if (buf_[i] != ';' || digits == 0 || control || cp == 0x7F || cp > 0x10FFFF ||
          (cp >= 0xD800 && cp <= 0xDFFF)) {
        return none();
      }
      appendUtf8(cp, text);
      return done(c, i + 1 - c, text);
    }
    size_t start = i;
    while (i < n && i - start < 8 && isAlpha(buf_[i])) ++i;
    if (i >= n) return i - c < kLongest ? needMore(final_) : none();
    if (buf_[i] != ';') return none();
    std::string_view name = buf_.substr(start, i - start);
    for (const NamedReference& r : kNamedReferences) {
      if (r.name == name) return done(c, i + 1 - c, r.text);
    }
    return none();
  }

  // Percent-encoding ("%40", "%C3%B6"): a printable character or a whole UTF-8 sequence.
  // Quoted-printable (`escape` '='): a whole UTF-8 sequence ("f=C3=A9vrier"), or a soft line
  // break inside a word ("Ren=\nee").
  Unit encoded(size_t c, char escape) {
    auto octet = [&](size_t at) {
      int hi = hexValue(buf_[at + 1]);
      int lo = hexValue(buf_[at + 2]);
      return hi < 0 || lo < 0 || buf_[at] != escape ? -1 : hi * 16 + lo;
    };
    size_t n = buf_.size();
    if (c + 3 > n) return needMore(final_);
    if (escape == '=' && (buf_[c + 1] == '\n' || buf_[c + 1] == '\r')) {
      size_t after = c + (buf_[c + 1] == '\r' && buf_[c + 2] == '\n' ? 3 : 2);
      if (after >= n) return needMore(final_);
      return isAlnum(before(c)) && isAlnum(buf_[after]) ? done(c, after - c, "") : none();
    }
    int lead = octet(c);
    if (escape == '%' && lead >= 0x20 && lead <= 0x7E) {
      return done(c, 3, std::string(1, static_cast<char>(lead)));
    }
    size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                    : lead >= 0xE0 && lead <= 0xEF ? 3
                    : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                   : 0;
    if (length == 0) return none();
    if (c + 3 * length > n) return needMore(final_);
    std::string text(1, static_cast<char>(lead));
    for (size_t k = 1; k < length; ++k) {
      int next = octet(c + 3 * k);
      if (next < 0x80 || next > 0xBF) return none();
      text.push_back(static_cast<char>(next));
    }
    return done(c, 3 * length, text);
  }

  // A hex escape of RTF, a Latin-1 character: "Gl\'f3ria" (in the text, after the JSON
  // decoding).
  Unit rtf(size_t c) {
    size_t n = buf_.size();
    if (c + 4 > n) return needMore(final_);
    int hi = hexValue(buf_[c + 2]);
    int lo = hexValue(buf_[c + 3]);
    if (buf_[c + 1] != '\'' || hi < 0 || lo < 0) return none();
    auto cp = static_cast<uint32_t>(hi * 16 + lo);
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return none();
    std::string text;
    appendUtf8(cp, text);
    return done(c, 4, text);
  }

  // '+' for a space between two words of a query string's value ("q=John+Smith"): a '='
  // earlier in the same token, a letter on each side.
  Unit plus(size_t c) {
    if (c + 1 >= buf_.size()) return needMore(final_);
    char prev = before(c);
    char next = buf_[c + 1];
    if (!isAlnum(prev) || !isAlnum(next) || (isDigit(prev) && isDigit(next))) return none();
    return queryDistance(buf_, c, query_before_) != kNoQuery ? done(c, 1, " ") : none();
  }

  // "[at]", "(dot)", "[.]" between two letters or digits, with a space on either side
  // taken in: "k [dot] ram [at] yahoo [dot] com".
  Unit defanged(size_t c) {
    char close = buf_[c] == '[' ? ']' : ')';
    size_t n = buf_.size();
    if (c + 1 < n) {
      char first = static_cast<char>(buf_[c + 1] | 0x20);
      if (first != 'a' && first != 'd' && buf_[c + 1] != '.' && buf_[c + 1] != '@') return none();
    }
    size_t end = c + 1;
    while (end < n && end - c < 5 && buf_[end] != close) ++end;
    if (end >= n) return end - c < 5 ? needMore(final_) : none();
    if (buf_[end] != close) return none();
    std::string inner(buf_.substr(c + 1, end - c - 1));
    for (char& ch : inner) ch = static_cast<char>(ch | 0x20);
    std::string_view text = inner == "at" || inner == "@"    ? "@"
                            : inner == "dot" || inner == "." ? "."
                                                             : "";
    if (text.empty()) return none();
    // Not between digits: a defanged IP address is an indicator of compromise in a security
    // report, not a patient's.
    if (text == "." && isDigit(before(c)) && end + 1 < n && isDigit(buf_[end + 1])) return none();
    size_t after = end + 1;
    if (after < n && buf_[after] == ' ') ++after;
    if (after >= n) return needMore(final_);
    if (!isAlnum(buf_[after])) return none();
    // An "@" needs a domain after it: a label, then a dot, plain or defanged.
    if (text == "@") {
      size_t k = after;
      while (k < n && k - after < 64 && (isAlnum(buf_[k]) || buf_[k] == '-' || buf_[k] == '_')) {
        ++k;
      }
      if (k + 6 > n && !final_) return needMore(final_);
      std::string_view rest = buf_.substr(k, 7);
      if (rest.starts_with(' ')) rest.remove_prefix(1);
      bool dot = (rest.size() >= 2 && rest[0] == '.' && isAlnum(rest[1])) ||
                 rest.starts_with("[dot]") || rest.starts_with("(dot)") ||
                 rest.starts_with("[.]") || rest.starts_with("(.)");
      if (!dot) return none();
    }
    size_t from = c;
    if (c >= flushed_ + 2 && buf_[c - 1] == ' ') --from;  // a space before, copied as written
    if (!isAlnum(from == c ? before(c) : buf_[from - 1])) return none();
    emit(from, after, text);
    return Unit{after - c, 0, false};
  }

  // A character of two or three bytes: the zero-width ones, odd spaces, dashes between
  // digits, full-width forms, box drawing.
  Unit character(size_t c) {
    size_t n = buf_.size();
    unsigned char b0 = byteAt(buf_, c);
    size_t length = b0 == 0xC2 ? 2 : 3;
    if (c + length > n) return needMore(final_);
    unsigned char b1 = byteAt(buf_, c + 1);
    unsigned char b2 = length == 3 ? byteAt(buf_, c + 2) : 0;
    if (b0 == 0xC2) {
      if (b1 == 0xAD) return done(c, 2, "");   // soft hyphen
      if (b1 == 0xA0) return done(c, 2, " ");  // no-break space
      return none(2);
    }
    if (b0 == 0xE3) {
      if (b1 == 0x80 && b2 == 0x80) return done(c, 3, " ");
      // Kana and ideographs stay as they are: a run of them is passed at once, as Japanese is
      // written in them.
      size_t k = c + 3;
      while (k + 3 <= n && byteAt(buf_, k) >= 0xE3 && byteAt(buf_, k) <= 0xE9 &&
             !(byteAt(buf_, k) == 0xE3 && byteAt(buf_, k + 1) == 0x80 &&
               byteAt(buf_, k + 2) == 0x80)) {
        k += 3;
      }
      return none(k - c);
    }
    if (b0 == 0xE2) {
      // A table as a console draws it (psql, DuckDB, polars): a vertical line, a corner or a
      // junction is a column's '|', a horizontal line a rule's '-' (U+2500 to U+257F).
      if (b1 == 0x94 || b1 == 0x95) return done(c, 3, boxDrawing(b1, b2));
      bool zero_width = (b1 == 0x80 && b2 >= 0x8B && b2 <= 0x8D) || (b1 == 0x81 && b2 == 0xA0);
      if (zero_width) return done(c, 3, "");
      bool space = b1 == 0x80 && (b2 == 0x87 || b2 == 0x89 || b2 == 0x8A || b2 == 0xAF);
      if (space) return done(c, 3, " ");
      // Hyphens, the figure dash and the minus sign between digits; the en dash, which also
      // writes ranges ("9–12 characters"), only after three digits, as in a phone number.
      bool hyphen = (b1 == 0x80 && b2 >= 0x90 && b2 <= 0x92) || (b1 == 0x88 && b2 == 0x92);
      bool en_dash = b1 == 0x80 && b2 == 0x93;
      if (!(hyphen && digitsBefore(c) >= 1) && !(en_dash && digitsBefore(c) >= 3)) {
        return none(3);
      }
      if (c + 3 >= n) return needMore(final_);
      return isDigit(buf_[c + 3]) ? done(c, 3, "-") : none(3);
    }
    // 0xEF
    if (b1 == 0xBB && b2 == 0xBF) return done(c, 3, "");  // byte-order mark
    if (b1 != 0xBC && b1 != 0xBD) return none(3);
    char ascii = static_cast<char>((b1 == 0xBC ? 0x20 : 0x60) + (b2 - 0x80));  // U+FF01..
    if (ascii < 0x21 || ascii > 0x7E) return none(3);
    if (isAlnum(ascii) || ascii == '@') {
      fullwidth_end_ = c + 3;
      return done(c, 3, std::string_view(&ascii, 1));
    }
    bool after_digit = fullwidth_end_ == c && isDigit(before(c));
    if (!after_digit) {
      if (c + 6 > n) return needMore(final_);
      bool digit_next = byteAt(buf_, c + 3) == 0xEF && byteAt(buf_, c + 4) == 0xBC &&
                        byteAt(buf_, c + 5) >= 0x90 && byteAt(buf_, c + 5) <= 0x99;
      if (!digit_next) return none(3);
    }
    if (std::string_view("-/.:()+#").find(ascii) == std::string_view::npos) return none(3);
    return done(c, 3, std::string_view(&ascii, 1));
  }

  // The Cyrillic letters that look like Latin ones, in a word of at most kWordLimit bytes
  // that also has Latin letters ("Ѕаrаh", "gmаil"): no word of either script mixes them but
  // to pass for the other. `c` is where the two scripts meet in the word; the whole word is
  // judged and, when it mixes them, folded at once.
  Unit lookalikes(size_t c) {
    static constexpr std::array<std::pair<uint16_t, char>, 25> kLookalikes{{
        {0xD085, 'S'}, {0xD086, 'I'}, {0xD088, 'J'}, {0xD090, 'A'}, {0xD092, 'B'},
        {0xD095, 'E'}, {0xD09A, 'K'}, {0xD09C, 'M'}, {0xD09D, 'H'}, {0xD09E, 'O'},
        {0xD0A0, 'P'}, {0xD0A1, 'C'}, {0xD0A2, 'T'}, {0xD0A3, 'Y'}, {0xD0A5, 'X'},
        {0xD0B0, 'a'}, {0xD0B5, 'e'}, {0xD0BE, 'o'}, {0xD180, 'p'}, {0xD181, 'c'},
        {0xD183, 'y'}, {0xD185, 'x'}, {0xD195, 's'}, {0xD196, 'i'}, {0xD198, 'j'},
    }};
    size_t n = buf_.size();
    // The word around c, up to kWordLimit bytes each way: the same word, judged the same,
    // from wherever in it the scripts meet.
    bool latin = false;
    bool cyrillic = false;
    size_t k = c;
    while (k > 0 && c - k < kWordLimit) {
      if (isAlpha(buf_[k - 1])) {
        latin = true;
        --k;
      } else if (k >= 2 && cyrillicAt(buf_, k - 2)) {
        cyrillic = true;
        k -= 2;
      } else {
        break;
      }
    }
    bool longer = k > 0 ? c - k >= kWordLimit && wordCharBefore(buf_, k) : word_before_;
    size_t e = c;
    while (e < n && e - c < kWordLimit) {
      if (isAlpha(buf_[e])) {
        latin = true;
        ++e;
      } else if (cyrillicAt(buf_, e)) {
        cyrillic = true;
        e += 2;
      } else {
        break;
      }
    }
    if (e + 1 >= n && !final_ && e - c < kWordLimit) return needMore(final_);
    longer = longer || e - k > kWordLimit ||
             (e < n && e - c >= kWordLimit && (isAlpha(buf_[e]) || cyrillicAt(buf_, e)));
    size_t skip = std::max<size_t>(e - c, 1);
    if (!latin || !cyrillic || longer || k < flushed_) return none(skip);
    bool folded = false;
    for (size_t p = k; p < e; p += cyrillicAt(buf_, p) ? 2 : 1) {
      if (!cyrillicAt(buf_, p)) continue;
      auto code = static_cast<uint16_t>(byteAt(buf_, p) << 8 | byteAt(buf_, p + 1));
      for (const auto& [from, to] : kLookalikes) {
        if (from == code) {
          emit(p, p + 2, std::string_view(&to, 1));
          folded = true;
        }
      }
    }
    return folded ? Unit{e - c, 0, false} : none(skip);
  }

  // Characters spaced apart: see fold.h.
  Unit spaced(size_t c) {
    size_t n = buf_.size();
    // A block's last bytes are candidates whatever follows them: the start is judged here
    // the same wherever a block or a write ends.
    if (c + 4 > n && !final_) return needMore(final_);
    if (!spacedStart(buf_, c, before(c))) return none();
    // A token is one letter or digit with no other, nor an apostrophe or a letter of another
    // script, after it.
    auto token = [&](size_t at) {
      return at < n && isAlnum(buf_[at]) &&
             (at + 1 >= n ||
              (!isAlnum(buf_[at + 1]) && buf_[at + 1] != '\'' && byteAt(buf_, at + 1) < 0x80));
    };
    struct Piece {
      size_t at;       // input offset of the token
      char separator;  // written before it: '\0' none, ' ', or the joiner
    };
    std::array<Piece, kFoldHoldLimit / 2> pieces{};
    size_t count = 0;
    bool joined = false;  // some separator is dropped, so the run changes
    size_t at = c;
    char separator = '\0';
    while (at - c < kFoldHoldLimit) {
      if (at + 1 >= n && !final_) return needMore(final_);
      if (!token(at)) break;
      pieces[count++] = {at, separator};
      if (count == pieces.size()) break;
      // The separator after it and where the next token would start.
      size_t s = at + 1;
      if (s + 6 > n && !final_) return needMore(final_);
      char x = s < n ? buf_[s] : '\0';
      char x1 = s + 1 < n ? buf_[s + 1] : '\0';
      char x2 = s + 2 < n ? buf_[s + 2] : '\0';
      bool joiner1 = x1 == '-' || x1 == '/' || x1 == '.' || x1 == '~';
      // " – " with a dash of three bytes (U+2010 to U+2013).
      bool dash = x == ' ' && s + 5 < n && byteAt(buf_, s + 1) == 0xE2 &&
                  byteAt(buf_, s + 2) == 0x80 && byteAt(buf_, s + 3) >= 0x90 &&
                  byteAt(buf_, s + 3) <= 0x93 && buf_[s + 4] == ' ';
      size_t next;
      if (dash) {
        separator = '-';
        next = s + 5;
      } else if (x == ' ' && isAlnum(x1)) {
        separator = '\0';
        next = s + 1;
      } else if (x == ' ' && x1 == ' ' && isAlnum(x2)) {
        separator = ' ';
        next = s + 2;
      } else if (x == ' ' && joiner1 && x2 == ' ' &&
                 ((x1 != '.' && x1 != '/') ||
                  (isDigit(buf_[at]) && s + 3 < n && isDigit(buf_[s + 3])))) {
        separator = x1 == '~' ? '-' : x1;
        next = s + 3;
      } else if (x == '-' && isAlpha(buf_[at]) && isAlpha(x1)) {
        separator = '\0';
        next = s + 1;
      } else {
        break;
      }
      joined = joined || separator != x;
      at = next;
    }
    size_t end = count > 0 ? pieces[count - 1].at + 1 : c + 1;
    if (count < 5 || !joined) return none(end - c);
    // Letters alone are folded when they spell a capitalised word ("D e r r i c k"): a
    // spelling in one case ("K O W A L S K I", "b r a n t l e y") is read as a spelling
    // (spoken.cc, names.cc).
    bool digits = false;
    bool capitalised = false;
    for (size_t k = 0; k < count; ++k) {
      char ch = buf_[pieces[k].at];
      digits = digits || isDigit(ch);
      capitalised =
          capitalised || (k > 0 && pieces[k].separator == '\0' && ch >= 'a' && ch <= 'z' &&
                          buf_[pieces[k - 1].at] >= 'A' && buf_[pieces[k - 1].at] <= 'Z');
    }
    if (!digits && !capitalised) return none(end - c);
    bool counting = true;
    for (size_t k = 1; k < count && counting; ++k) {
      counting = buf_[pieces[k].at] == buf_[pieces[k - 1].at] + 1;
    }
    if (counting) return none(end - c);
    flush(c);
    for (size_t k = 0; k < count; ++k) {
      const Piece& p = pieces[k];
      if (p.separator != '\0') {
        map_.add(out_base_ + out_.size(), in_base_ + p.at - 1);
        out_.push_back(p.separator);
      }
      map_.add(out_base_ + out_.size(), in_base_ + p.at);
      out_.push_back(buf_[p.at]);
    }
    map_.add(out_base_ + out_.size(), in_base_ + end);
    flushed_ = end;
    changed_ = true;
    return Unit{end - c, 0, false};
  }

  std::string_view buf_;
  bool final_;
  char before_;
  size_t query_before_;
  bool word_before_;
  size_t digits_before_;
  std::string& out_;
  size_t out_start_;  // out_'s size before this pass: what came before is digits_before_'s
  OffsetMap& map_;
  uint64_t in_base_;
  uint64_t out_base_;
  size_t flushed_ = 0;
  size_t fullwidth_end_;  // where the last full-width letter or digit ended
  bool changed_ = false;
};

}  // namespace

void Folder::fold(std::string_view buf, bool final, std::string& out, OffsetMap& map) {
  size_t base = out.size();
  FoldPass pass(buf, final, last_, query_, fullwidth_, word_, digits_, out, map, in_pos_,
                out_pos_ - base);
  size_t consumed = pass.run();
  if (!final) {
    // The last word and a space after it wait for the next write too: a unit after them
    // reads them (a defanged "@" takes in the space before it; a look-alike letter is judged
    // by its whole word).
    size_t keep = consumed;
    if (keep > pass.flushed() && buf[keep - 1] == ' ') --keep;
    while (keep > pass.flushed() && consumed - keep < kFoldWordHold &&
           (isAlnum(buf[keep - 1]) || static_cast<unsigned char>(buf[keep - 1]) >= 0x80)) {
      --keep;
    }
    if (consumed - keep < kFoldWordHold) consumed = keep;
  }
  pass.flush(consumed);
  query_ = queryDistance(buf, consumed, query_);
  if (consumed > 0) word_ = wordCharBefore(buf, consumed);
  fullwidth_ = pass.fullwidthEndsAt(consumed);
  pending_.assign(buf.substr(consumed));
  in_pos_ += consumed;
  out_pos_ += out.size() - base;
  if (out.size() > base) last_ = out.back();
  size_t trailing = 0;
  while (trailing < 3 && out.size() - trailing > base && isDigit(out[out.size() - trailing - 1])) {
    ++trailing;
  }
  digits_ = out.size() - trailing > base ? trailing : std::min<size_t>(3, trailing + digits_);
}

void Folder::feed(std::string_view in, std::string& out, OffsetMap& map) {
  if (pending_.empty()) return fold(in, false, out, map);
  joined_.assign(pending_);
  joined_.append(in);
  fold(joined_, false, out, map);
}

void Folder::finish(std::string& out, OffsetMap& map) {
  std::string rest = std::move(pending_);
  pending_.clear();
  fold(rest, true, out, map);
}

bool foldText(std::string_view text, std::string& out, OffsetMap& map) {
  out.clear();
  map.clear();
  FoldPass pass(text, true, '\n', kNoQuery, false, false, 0, out, map, 0, 0);
  pass.run();
  if (!pass.changed()) {
    out.clear();
    map.clear();
    return false;
  }
  pass.flush(text.size());
  return true;
}

}  // namespace sluice::scanner
