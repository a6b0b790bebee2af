// File: head_text.h
//
// PHI also travels in request heads: a query string (?patient=...&dob=...), or a custom
// header. HeadText collects what is worth scanning from one head, the request target
// percent-decoded on the first line and then "name: value" lines, and scans it once the head
// is complete. Credentials (Authorization, Cookie, API keys) and headers that only describe
// the transport are left out: they are noise to the scanner and must not be echoed in notes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "decoder.h"

namespace sluice::agent::inspect {

class HeadText {
 public:
  void target(std::string_view target);
  void header(std::string_view name, std::string_view value);
  // Adds head_findings, their evidence, and a note per finding naming where it was
  // ("head: SSN in the request target", "head: EMAIL in header x-patient").
  Status scanInto(const Context& context, InspectedRequest& request) const;
  size_t size() const { return text_.size(); }

 private:
  struct Line {
    size_t start;
    std::string where;
  };
  std::string text_;
  std::vector<Line> lines_;
};

}  // namespace sluice::agent::inspect
