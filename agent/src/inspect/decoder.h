// File: decoder.h
//
// The interface each protocol decoder (HTTP/1.1, HTTP/2, WebSocket) implements behind
// RequestInspector, and the context they share: the scanner, the limits and the request
// sequence. A decoder consumes plaintext in order and emits completed requests; HTTP/1.1
// hands over to a WebSocket decoder after an upgrade request.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/agent/request_inspector.h"
#include "sluice/common/result.h"

namespace sluice::agent::inspect {

struct Context {
  std::shared_ptr<const scanner::Scanner> scanner;
  InspectorLimits limits;
  uint64_t next_id = 0;
  std::string evidence_key;
  size_t evidence_left = 0;  // of limits.max_evidence_bytes, for bodies being read
};

// Masks and (with a key) hashes one finding's value; `value` empty when it was not kept.
Result<FindingEvidence> evidenceFor(const Context& context, const scanner::Finding& finding,
                                    std::string_view value);

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Consumes `bytes`, which start at stream offset `base`, appending completed requests to
  // `done`. Returns how many bytes it consumed: fewer than given only when another decoder
  // takes over the rest (see takeOver()).
  virtual Result<size_t> feed(std::string_view bytes, uint64_t base,
                              std::vector<InspectedRequest>& done) = 0;
  virtual bool pending() const = 0;
  virtual std::optional<std::string> pendingHost() const = 0;
  virtual std::string_view protocol() const = 0;
  // The decoder for the bytes after a protocol switch, once feed() consumed less.
  virtual std::unique_ptr<Decoder> takeOver() { return nullptr; }
};

// Calls `step(rest, offset)` until `bytes` is consumed; each call returns how many bytes it
// used. The decoders are written as such steps over whatever the last write delivered.
template <typename Step>
Result<size_t> stepAll(std::string_view bytes, uint64_t base, Step&& step) {
  size_t pos = 0;
  while (pos < bytes.size()) {
    Result<size_t> used = step(bytes.substr(pos), base + pos);
    if (!used) return std::move(used).error();
    pos += *used;
  }
  return pos;
}

std::unique_ptr<Decoder> makeHttp1Decoder(Context& context);
Result<std::unique_ptr<Decoder>> makeH2Decoder(Context& context);
struct WebSocketUpgrade {
  std::string path;
  std::string host;
  bool deflate_offered = false;  // Sec-WebSocket-Extensions offered permessage-deflate
};
std::unique_ptr<Decoder> makeWebSocketDecoder(Context& context, WebSocketUpgrade upgrade);

}  // namespace sluice::agent::inspect
