#include "sluice/scanner/json_view.h"

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "byte_classes.h"
#include "encoding.h"

namespace sluice::scanner {
namespace {

// Reads 4 hex digits at p[0..4); -1 when they are not hex.
int hex4(std::string_view p) {
  int v = 0;
  for (size_t i = 0; i < 4; ++i) {
    int h = hexValue(p[i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// Decodes the escape at the start of `p` (p[0] == '\\'). Returns the number of input bytes
// it spans and fills `out`; returns 0 when more input is needed to decide. An escape that is
// not valid JSON is returned as its first byte, verbatim.
size_t decodeEscape(std::string_view p, bool final, std::string& out) {
  out.clear();
  if (p.size() < 2) {
    if (!final) return 0;
    out.assign(p);
    return p.size();
  }
  switch (p[1]) {
    case 'n': out = "\n"; return 2;
    case 't': out = "\t"; return 2;
    case 'r': out = "\r"; return 2;
    case 'b': out = "\b"; return 2;
    case 'f': out = "\f"; return 2;
    case '"': out = "\""; return 2;
    case '\\': out = "\\"; return 2;
    case '/': out = "/"; return 2;
    case 'u': break;
    default: out = "\\"; return 1;
  }
  if (p.size() < 6) {
    if (!final) return 0;
    out = "\\";
    return 1;
  }
  int cp = hex4(p.substr(2, 4));
  if (cp < 0) {
    out = "\\";
    return 1;
  }
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    if (p.size() < 12) {
      if (!final && (p.size() < 7 || p[6] == '\\') && (p.size() < 8 || p[7] == 'u')) return 0;
    } else if (p[6] == '\\' && p[7] == 'u') {
      int low = hex4(p.substr(8, 4));
      if (low >= 0xDC00 && low <= 0xDFFF) {
        uint32_t full = 0x10000 + ((static_cast<uint32_t>(cp) - 0xD800) << 10) +
                        (static_cast<uint32_t>(low) - 0xDC00);
        appendUtf8(full, out);
        return 12;
      }
    }
    appendUtf8(0xFFFD, out);  // lone surrogate
    return 6;
  }
  appendUtf8(static_cast<uint32_t>(cp), out);
  return 6;
}

// The byte a two-byte escape stands for, or '\0' when `c` does not make one.
char simpleEscape(char c) {
  switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    case 'r': return '\r';
    case 'b': return '\b';
    case 'f': return '\f';
    case '"': return '"';
    case '\\': return '\\';
    case '/': return '/';
    default: return '\0';
  }
}

// Index of the first backslash in src[i, n), or n. Inline 16- or 32-byte compares: escapes
// come every few dozen bytes in chat bodies, where a memchr call per escape cost more than the
// search itself.
size_t nextBackslashSse2(const char* src, size_t i, size_t n) {
#if defined(__SSE2__)
  constexpr size_t kBlock = 16;
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; i + kBlock <= n; i += kBlock) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash)));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
#endif
  while (i < n && src[i] != '\\') ++i;
  return i;
}

#ifdef SLUICE_SCANNER_X86
__attribute__((target("avx2"))) size_t nextBackslashAvx2(const char* src, size_t i, size_t n) {
  constexpr size_t kBlock = 32;
  const __m256i backslash = _mm256_set1_epi8('\\');
  for (; i + kBlock <= n; i += kBlock) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i));
    auto mask = static_cast<unsigned>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, backslash)));
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
  }
  return nextBackslashSse2(src, i, n);
}
#endif

size_t nextBackslash(const char* src, size_t i, size_t n) {
#ifdef SLUICE_SCANNER_X86
  if (classes::haveAvx2()) return nextBackslashAvx2(src, i, n);
#endif
  return nextBackslashSse2(src, i, n);
}

}  // namespace

void OffsetMap::add(uint64_t decoded, uint64_t original) {
  // The decoders add points in order: past the last point the prediction needs no search.
  if (!points_.empty() && decoded >= points_.back().decoded) {
    const Point& last = points_.back();
    if (last.original + (decoded - last.decoded) != original) points_.push_back({decoded, original});
    return;
  }
  uint64_t predicted = toOriginal(decoded);
  if (points_.empty() ? decoded == original : predicted == original) return;
  points_.push_back({decoded, original});
}

uint64_t OffsetMap::toOriginal(uint64_t decoded) const {
  // Before the first breakpoint the two coordinate systems coincide.
  if (points_.empty() || decoded < points_.front().decoded) return decoded;
  auto it = std::upper_bound(points_.begin(), points_.end(), decoded,
                             [](uint64_t d, const Point& p) { return d < p.decoded; });
  const Point& p = *(it - 1);
  uint64_t original = p.original + (decoded - p.decoded);
  if (it != points_.end() && original > it->original) original = it->original;
  return original;
}

void JsonUnescaper::emitDecoded(std::string_view bytes, uint64_t escape_len, std::string& out,
                                OffsetMap& map) {
  map.add(decoded_pos_, original_pos_);
  out.append(bytes);
  emitted_backslash_ = emitted_backslash_ || bytes.find('\\') != std::string_view::npos;
  decoded_pos_ += bytes.size();
  original_pos_ += escape_len;
  map.add(decoded_pos_, original_pos_);
}

void JsonUnescaper::feed(std::string_view in, std::string& out, OffsetMap& map) {
  std::string joined;
  std::string_view buf = in;
  if (!pending_.empty()) {
    joined = pending_ + std::string(in);
    pending_.clear();
    buf = joined;
  }
  // The decoded text is never longer than its input: `out` grows once.
  size_t n = buf.size();
  size_t base = out.size();
  out.reserve(base + n);
  const char* src = buf.data();
  const uint64_t original0 = original_pos_;
  const uint64_t decoded0 = decoded_pos_ - base;  // decoded offset of out[0]
  size_t i = 0;
  std::string decoded;
  while (true) {
    size_t next = nextBackslash(src, i, n);
    out.append(src + i, next - i);
    i = next;
    if (i == n) break;
    // Most escapes in AI traffic are "\n" and "\\\"": decoded inline.
    char simple = i + 1 < n ? simpleEscape(src[i + 1]) : '\0';
    size_t used = 2;
    if (simple != '\0') {
      map.add(decoded0 + out.size(), original0 + i);
      out.push_back(simple);
      emitted_backslash_ = emitted_backslash_ || simple == '\\';
    } else {
      used = decodeEscape(buf.substr(i), false, decoded);
      if (used == 0) {
        pending_.assign(buf.substr(i));
        break;
      }
      map.add(decoded0 + out.size(), original0 + i);
      out.append(decoded);
      emitted_backslash_ = emitted_backslash_ || decoded.find('\\') != std::string::npos;
    }
    i += used;
    map.add(decoded0 + out.size(), original0 + i);
  }
  decoded_pos_ = decoded0 + out.size();
  original_pos_ = original0 + i;
}

void JsonUnescaper::finish(std::string& out, OffsetMap& map) {
  std::string rest = std::move(pending_);
  pending_.clear();
  std::string decoded;
  size_t i = 0;
  while (i < rest.size()) {
    if (rest[i] != '\\') {
      out.push_back(rest[i]);
      ++decoded_pos_;
      ++original_pos_;
      ++i;
      continue;
    }
    size_t used = decodeEscape(std::string_view(rest).substr(i), true, decoded);
    emitDecoded(decoded, used, out, map);
    i += used;
  }
}

namespace {

// Decodes `in` into `out` with `map`; false when `in` has no backslash (nothing to do).
// `emitted_backslash` tells whether the decoded text holds one (and may need another level).
bool decodeLevel(std::string_view in, std::string& out, OffsetMap& map, bool& emitted_backslash) {
  map.clear();
  out.clear();
  emitted_backslash = false;
  if (std::memchr(in.data(), '\\', in.size()) == nullptr) return false;
  JsonUnescaper decoder;
  decoder.feed(in, out, map);
  decoder.finish(out, map);
  emitted_backslash = decoder.emittedBackslash();
  return true;
}

}  // namespace

void decodeJsonView(std::string_view in, DecodedView& view) {
  view.nested = false;
  view.nested_map.clear();
  view.nested_storage.clear();
  bool again = false;
  if (!decodeLevel(in, view.storage, view.map, again)) {
    view.text = in;
    return;
  }
  view.text = view.storage;
  // Only an escaped backslash ("\\\\n") leaves a backslash behind: without one, the
  // decoded text need not be searched again.
  if (!again) return;
  view.nested = decodeLevel(view.storage, view.nested_storage, view.nested_map, again);
  if (view.nested) view.text = view.nested_storage;
}

}  // namespace sluice::scanner
