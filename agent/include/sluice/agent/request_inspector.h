// File: request_inspector.h
//
// Turns the plaintext a client writes on one TLS object into HTTP requests and scans each one
// for PHI. The uprobes on SSL_write & co. deliver that plaintext in order (client -> server
// only); the daemon keeps the writing process held while `pending()` is true and gives one
// verdict per completed request (docs/architecture.md, "Request decoding").
//
//   SLUICE_ASSIGN_OR_RETURN(auto inspector, RequestInspector::create(scanner));
//   auto done = inspector->feed(chunk);      // 0..n requests these bytes completed
//   if (!done) applyFailMode(done.error());  // the inspector is unusable from now on
//   for (const InspectedRequest& r : *done) verdict(r);
//   if (!inspector->pending()) release();
//
// Decoded: HTTP/1.1 (keep-alive, pipelining, Content-Length, chunked, Expect: 100-continue),
// HTTP/2 (frames, HPACK with the dynamic table, padding, interleaved streams, gRPC messages),
// WebSocket client messages after an HTTP/1.1 upgrade or an RFC 8441 CONNECT (unmasked,
// fragments joined, permessage-deflate), Content-Encoding gzip/deflate, and
// multipart/form-data parts. Bodies are streamed through the scanner's stream API and never
// buffered whole, so memory per inspector is bounded by InspectorLimits whatever the size of
// a body.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/common/result.h"
#include "sluice/scanner/finding.h"
#include "sluice/scanner/scanner.h"

namespace sluice::agent {

struct InspectorLimits {
  // A request head (HTTP/1.1 request line + headers, an HTTP/2 header block, a multipart
  // part's headers) larger than this is an error.
  size_t max_head_bytes = 64 * 1024;
  // Bytes one compressed body (or one compressed WebSocket message) may decompress to. Past
  // it feed() fails with kResourceExhausted: a zip bomb, or a body too large to inspect.
  uint64_t max_decoded_body_bytes = 32ull << 20;
  // HTTP/2 streams open at once; more is an error.
  size_t max_h2_streams = 256;
  // The HPACK dynamic table may grow to this (the server's SETTINGS are not seen).
  size_t max_hpack_table_bytes = 64 * 1024;
  // Non-DATA HTTP/2 frames are buffered whole up to this; larger is an error.
  size_t max_control_frame_bytes = 64 * 1024;
  // multipart/form-data parts per request; more is an error.
  size_t max_multipart_parts = 1024;
  // Scanned body bytes kept, across the requests open at once, so that each finding can be
  // masked and hashed when its request completes. Findings past it get empty evidence.
  size_t max_evidence_bytes = 1 << 20;
};

// What an alert may carry about one finding: never the value itself.
struct FindingEvidence {
  std::string masked;      // scanner::maskValue(), "***-**-1234"; "" if the value was not kept
  std::string keyed_hash;  // scanner::keyedHash() with the evidence key; "" without key or value
};

struct InspectedRequest {
  uint64_t id = 0;       // sequence within this inspector, in the order requests began
  std::string protocol;  // "http/1.1", "h2", "websocket"
  std::string method;    // websocket: "WS"
  std::string path;      // request target as sent; websocket: the upgrade request's target
  std::string host;      // Host header or :authority, as sent
  uint32_t h2_stream = 0;
  uint64_t body_bytes = 0;  // decoded body bytes (after transfer and content decoding)
  // Findings in the body, offsets into the decoded body. A binary part or body (PDF, image,
  // DICOM, archive) is not scanned: it is reported as one IMAGE finding over its bytes.
  std::vector<scanner::Finding> findings;
  // Findings in the head. Offsets are into the scanned head text: the request target
  // (percent-decoded) on the first line, then "name: value" lines in the order sent
  // (HPACK-decoded for h2), credentials (Authorization, Cookie, API keys) left out. A note
  // names the header each one was found in. A verdict must consider these as well.
  std::vector<scanner::Finding> head_findings;
  std::vector<FindingEvidence> evidence;       // parallel to `findings`
  std::vector<FindingEvidence> head_evidence;  // parallel to `head_findings`
  // How the request was decoded: "chunked", "gzip", "expect: 100-continue",
  // "multipart: 1 application/pdf part reported as IMAGE", "stream reset by client", ...
  std::vector<std::string> notes;
};

namespace inspect {
class Connection;
}

// One per TLS object (one client -> server plaintext stream). Not thread-safe.
class RequestInspector {
 public:
  // Errors from feed(), by code:
  //   kInvalidArgument    the bytes break the protocol (message names the stream offset)
  //   kResourceExhausted  a limit of InspectorLimits was passed (zip bomb, huge head, ...)
  //   kUnavailable        content the inspector cannot decode (e.g. Content-Encoding: br)
  //   kInternal           the scanner failed
  static Result<std::unique_ptr<RequestInspector>> create(
      std::shared_ptr<const scanner::Scanner> scanner, InspectorLimits limits = {});
  ~RequestInspector();
  RequestInspector(const RequestInspector&) = delete;
  RequestInspector& operator=(const RequestInspector&) = delete;

  // Feeds the next plaintext bytes written on this TLS object, in order. Returns the
  // requests these bytes completed (head + whole body decoded and scanned). After an error
  // every later call fails with kFailedPrecondition.
  Result<std::vector<InspectedRequest>> feed(std::string_view plaintext);

  // The key for FindingEvidence::keyed_hash (the agent's alert key); without one the hashes
  // are left empty. Applies to requests completed from now on.
  void setEvidenceKey(std::string key);

  // True while some request has begun (any byte of it seen) and is not complete yet, or
  // bytes are buffered that were not judged yet (a partial frame): keep the hold.
  bool pending() const;
  // The host of the oldest pending request, if its head is complete.
  std::optional<std::string> pendingHost() const;
  // "http/1.1", "h2" or "websocket" once known (websocket after an upgrade), else "".
  std::string_view protocol() const;
  uint64_t bytesFed() const { return offset_; }

 private:
  RequestInspector() = default;
  std::unique_ptr<inspect::Connection> connection_;
  uint64_t offset_ = 0;
  bool failed_ = false;
};

}  // namespace sluice::agent
