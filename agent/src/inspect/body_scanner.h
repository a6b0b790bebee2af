// File: body_scanner.h
//
// Scans one request body as its bytes arrive, after transfer decoding (chunked, HTTP/2 DATA,
// WebSocket unmasking): undoes Content-Encoding (gzip/deflate, bounded), splits
// multipart/form-data, feeds text to a scanner stream, and reports binary content (PDF,
// images, DICOM, archives) as one IMAGE finding each instead of scanning it. Offsets in the
// findings are into the decoded body, whatever was skipped.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "decoder.h"
#include "grpc_deframer.h"
#include "http_fields.h"
#include "inflater.h"
#include "multipart.h"
#include "sluice/scanner/scanner.h"

namespace sluice::agent::inspect {

class BodyScanner : private MultipartListener {
 public:
  // `content_encoding`/`content_type`: the request's header values ("" if absent);
  // `grpc_encoding` for application/grpc bodies. Fails with kUnavailable for a coding it
  // cannot decode.
  // The body keeps up to context.evidence_left scanned bytes (for evidence) until it ends.
  static Result<std::unique_ptr<BodyScanner>> create(Context& context,
                                                     std::string_view content_encoding,
                                                     std::string_view content_type,
                                                     std::string_view grpc_encoding = "");
  ~BodyScanner() override;

  Status write(std::string_view bytes);
  // Ends the body: adds body_bytes, findings and notes to `request`.
  Status finish(InspectedRequest& request);

 private:
  enum class Kind { kText, kBinary, kUnknown };
  struct Part {
    Kind declared = Kind::kUnknown;
    std::string type;  // declared media type, lowercased
    bool decided = false;
    bool binary = false;
    std::string label;
    std::string window;  // the first bytes, until the kind is decided
    uint64_t start = 0;  // decoded offset of the content
  };

  explicit BodyScanner(Context& context) : context_(context) {}
  Status decode(size_t layer, std::string_view bytes);
  Status route(std::string_view bytes);
  Status decide(Part& part);
  Status scanText(std::string_view bytes);
  void skipBinary(size_t n);
  uint64_t toBody(uint64_t scanned, bool end) const;

  Status structure(std::string_view bytes) override;
  Status partBegin(std::string_view content_type, std::string_view filename) override;
  Status partData(std::string_view bytes) override;
  Status partEnd() override;

  Context& context_;
  std::string kept_;  // the first scanned bytes, for evidence; its size is taken from the budget
  std::unique_ptr<scanner::ScanStream> stream_;
  std::vector<std::unique_ptr<Inflater>> inflaters_;  // in decoding order
  std::unique_ptr<GrpcDeframer> grpc_;                // after the content codings
  std::unique_ptr<MultipartSplitter> multipart_;
  std::unique_ptr<FormDecoder> form_;  // application/x-www-form-urlencoded
  Part part_;                          // the part being read (the whole body when not multipart)
  std::vector<std::string> notes_;
  std::vector<std::pair<scanner::Finding, std::string>> binary_findings_;  // with their type
  std::map<std::string, size_t> binary_labels_;
  struct Breakpoint {
    uint64_t scanned;
    uint64_t decoded;
  };
  std::vector<Breakpoint> breakpoints_;  // one per skipped binary region
  uint64_t decoded_ = 0;
  uint64_t scanned_ = 0;
};

}  // namespace sluice::agent::inspect
