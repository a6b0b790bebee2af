// File: multipart.h
//
// A streaming multipart/form-data splitter (RFC 7578 / RFC 2046). File uploads are how
// fine-tuning and batch data leave a host (JSONL, CSV, PDFs), so each part is handed to the
// body scanner separately: the structure (delimiters, part headers, which carry file names)
// as text, and each part's content with its declared type. Nothing is buffered beyond a
// possible partial delimiter and one part's headers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sluice/common/result.h"

namespace sluice::agent::inspect {

class MultipartListener {
 public:
  virtual ~MultipartListener() = default;
  // Delimiters, part headers, preamble and epilogue: scanned as text.
  virtual Status structure(std::string_view bytes) = 0;
  virtual Status partBegin(std::string_view content_type, std::string_view filename) = 0;
  virtual Status partData(std::string_view bytes) = 0;
  virtual Status partEnd() = 0;
};

class MultipartSplitter {
 public:
  MultipartSplitter(std::string boundary, size_t max_head_bytes, size_t max_parts,
                    MultipartListener& listener);
  // Errors name the offset within the (decoded) body.
  Status write(std::string_view bytes);
  // Ends the body; returns a note if the closing delimiter was missing, "" otherwise.
  Result<std::string> finish();
  size_t parts() const { return parts_; }

 private:
  enum class State { kStart, kPreamble, kAfterDelimiter, kHeaders, kData, kEpilogue };
  Status step(std::string_view& in);
  Status searchDelimiter(std::string_view& in);
  Status parseHeaders();
  Error error(std::string_view what) const;

  std::string delimiter_;  // "\r\n--" + boundary
  size_t max_head_bytes_;
  size_t max_parts_;
  MultipartListener& listener_;
  State state_ = State::kStart;
  std::string held_;     // a possible partial delimiter, or a part's headers so far
  uint64_t offset_ = 0;  // body bytes consumed (held_ excluded)
  size_t parts_ = 0;
  bool in_part_ = false;
};

}  // namespace sluice::agent::inspect
