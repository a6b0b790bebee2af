// File: json_view.h
//
// The JSON-unescaped view of a request body. AI-API bodies are JSON, so a note pasted into
// a prompt arrives as "DOB:\u00a001/02/1980\nSSN: 123\u002d45-6789": escapes sit inside the
// values and would hide them from byte patterns. The scanner therefore scans the decoded
// view and maps every offset back to the bytes that were sent, because alerts must point at
// the original bytes.
//
// Decoding is applied to every backslash escape in the stream, whether or not it sits inside
// a JSON string: outside JSON a backslash escape is rare, and a wrong guess only costs a
// detection, never a crash. The decoder is incremental so the stream API can feed it writes
// of any size; an escape split across two writes is decoded once it is complete.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::scanner {

// Maps offsets in the decoded view to offsets in the original bytes. Piecewise: between two
// breakpoints, decoded and original advance together.
class OffsetMap {
 public:
  // Records that decoded offset `decoded` corresponds to original offset `original`.
  void add(uint64_t decoded, uint64_t original);
  uint64_t toOriginal(uint64_t decoded) const;
  bool identity() const { return points_.empty(); }
  void clear() { points_.clear(); }

 private:
  struct Point {
    uint64_t decoded;
    uint64_t original;
  };
  std::vector<Point> points_;
};

class JsonUnescaper {
 public:
  // Decodes `in` (the next bytes of the stream) and appends the result to `out`, recording
  // breakpoints in `map`. Incomplete escapes at the end are kept for the next call.
  void feed(std::string_view in, std::string& out, OffsetMap& map);
  // Emits any incomplete escape verbatim.
  void finish(std::string& out, OffsetMap& map);
  // Accounts for `n` bytes that hold no backslash as if fed, without copying them: their
  // decoding is themselves. Only valid with no incomplete escape pending.
  void passThrough(uint64_t n) {
    decoded_pos_ += n;
    original_pos_ += n;
  }

  uint64_t originalConsumed() const { return original_pos_; }  // pending escape excluded
  uint64_t decodedProduced() const { return decoded_pos_; }
  // Whether the decoded text so far holds a backslash (from "\\\\" or an invalid escape):
  // only then can it hold escapes of its own.
  bool emittedBackslash() const { return emitted_backslash_; }

 private:
  void emitDecoded(std::string_view bytes, uint64_t escape_len, std::string& out,
                   OffsetMap& map);

  std::string pending_;        // an escape that is not complete yet ("\u00")
  uint64_t original_pos_ = 0;  // original bytes consumed, pending included
  uint64_t decoded_pos_ = 0;   // decoded bytes produced
  bool emitted_backslash_ = false;
};

// One-shot convenience: the decoded view of `in` and its offset maps. When `in` holds no
// backslash the view is `in` itself (no copy) and the map is the identity.
//
// JSON inside a JSON string is common in AI traffic: tool-call arguments and tool results
// are JSON documents sent as strings, so a newline in a note inside them arrives as "\\n".
// When the first decoding still holds escapes, the view is decoded a second time.
struct DecodedView {
  std::string_view text;
  std::string storage;         // first decoding
  std::string nested_storage;  // second decoding, when `nested`
  OffsetMap map;               // first decoding -> original bytes
  OffsetMap nested_map;        // second decoding -> first decoding
  bool nested = false;

  uint64_t toOriginal(uint64_t decoded) const {
    return map.toOriginal(nested ? nested_map.toOriginal(decoded) : decoded);
  }
};
void decodeJsonView(std::string_view in, DecodedView& view);

}  // namespace sluice::scanner
