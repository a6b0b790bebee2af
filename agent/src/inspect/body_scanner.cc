#include "body_scanner.h"

#include <algorithm>
#include <array>

#include "http_fields.h"

namespace sluice::agent::inspect {
namespace {

// Bytes of a part looked at before deciding whether it is text (DICOM's magic sits at 128).
constexpr size_t kSniffBytes = 512;

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// What the declared media type (or, failing that, the file name) says the content is.
// Text: scanned. Binary: reported by type. Unknown (application/octet-stream, no type):
// decided by the content.
// Text fields travel as plain UTF-8 in these binary encodings (protobuf, gRPC, MessagePack,
// CBOR), so their bodies are scanned as they are, never reported as opaque.
bool isScannedBinaryType(std::string_view type) {
  static constexpr std::array<std::string_view, 6> kScanned = {
      "application/x-protobuf",        "application/protobuf", "application/vnd.google.protobuf",
      "application/x-google-protobuf", "application/msgpack",  "application/cbor"};
  return type.starts_with("application/grpc") ||
         std::find(kScanned.begin(), kScanned.end(), type) != kScanned.end();
}

bool isTextType(std::string_view type) {
  static constexpr std::array<std::string_view, 16> kText = {"application/json",
                                                             "application/x-ndjson",
                                                             "application/jsonl",
                                                             "application/jsonlines",
                                                             "application/x-jsonlines",
                                                             "application/xml",
                                                             "application/x-www-form-urlencoded",
                                                             "application/csv",
                                                             "application/javascript",
                                                             "application/yaml",
                                                             "application/x-yaml",
                                                             "application/graphql",
                                                             "application/hl7-v2",
                                                             "application/x-hl7",
                                                             "application/sql",
                                                             "application/ld+json"};
  return type.starts_with("text/") || endsWith(type, "+json") || endsWith(type, "+xml") ||
         std::find(kText.begin(), kText.end(), type) != kText.end();
}

bool isBinaryType(std::string_view type) {
  static constexpr std::array<std::string_view, 10> kBinary = {"application/pdf",
                                                               "application/zip",
                                                               "application/gzip",
                                                               "application/dicom",
                                                               "application/msword",
                                                               "application/x-tar",
                                                               "application/x-7z-compressed",
                                                               "application/vnd.ms-excel",
                                                               "application/rtf",
                                                               "application/x-rar-compressed"};
  for (std::string_view prefix : {"image/", "audio/", "video/", "font/", "model/"}) {
    if (type.starts_with(prefix)) return true;
  }
  return type.starts_with("application/vnd.openxmlformats") ||
         type.starts_with("application/vnd.oasis") ||
         std::find(kBinary.begin(), kBinary.end(), type) != kBinary.end();
}

std::string extensionOf(std::string_view filename) {
  size_t dot = filename.rfind('.');
  return dot == std::string_view::npos ? "" : lowercase(filename.substr(dot + 1));
}

// Content signatures of binary formats, checked whatever the declared type says: a PDF sent
// as text/plain is still a PDF.
std::string_view sniffMagic(std::string_view b) {
  struct Magic {
    size_t at;
    std::string_view bytes;
    std::string_view label;
  };
  static constexpr std::array<Magic, 15> kMagic = {{
      {0, "%PDF-", "application/pdf"},
      {0, "\x89PNG\r\n\x1a\n", "image/png"},
      {0, "\xff\xd8\xff", "image/jpeg"},
      {0, "GIF8", "image/gif"},
      {8, "WEBP", "image/webp"},
      {0, std::string_view("II*\0", 4), "image/tiff"},
      {0, std::string_view("MM\0*", 4), "image/tiff"},
      {128, "DICM", "application/dicom"},
      {0, "PK\x03\x04", "application/zip"},
      {0, "\x1f\x8b", "application/gzip"},
      {4, "ftyp", "video/mp4"},
      {0, "ID3", "audio/mpeg"},
      {0, "OggS", "audio/ogg"},
      {0, "fLaC", "audio/flac"},
      {0, "\x1a\x45\xdf\xa3", "video/webm"},
  }};
  for (const Magic& m : kMagic) {
    if (b.size() >= m.at + m.bytes.size() && b.substr(m.at, m.bytes.size()) == m.bytes) {
      return m.label;
    }
  }
  return {};
}

// No NUL and at most 1 in 20 bytes outside printable ASCII, whitespace and UTF-8.
bool looksLikeText(std::string_view b) {
  size_t odd = 0;
  for (char c : b) {
    auto u = static_cast<unsigned char>(c);
    if (u == 0) return false;
    if (u < 0x20 && u != '\n' && u != '\r' && u != '\t' && u != '\f') ++odd;
  }
  return odd * 20 <= b.size();
}

}  // namespace

BodyScanner::~BodyScanner() {
  context_.evidence_left += kept_.size();
}

Result<std::unique_ptr<BodyScanner>> BodyScanner::create(Context& context,
                                                         std::string_view content_encoding,
                                                         std::string_view content_type,
                                                         std::string_view grpc_encoding) {
  std::unique_ptr<BodyScanner> body(new BodyScanner(context));
  SLUICE_ASSIGN_OR_RETURN(body->stream_, context.scanner->openStream());
  std::vector<std::string> codings = splitList(content_encoding);
  // Codings are listed in the order they were applied; undo them from the last.
  for (auto it = codings.rbegin(); it != codings.rend(); ++it) {
    Inflater::Format format;
    if (*it == "identity") continue;
    if (*it == "gzip" || *it == "x-gzip") {
      format = Inflater::Format::kGzip;
    } else if (*it == "deflate") {
      format = Inflater::Format::kDeflate;
    } else {
      return unavailable("Content-Encoding '" + *it +
                         "' is not decoded: the body cannot be inspected");
    }
    if (body->inflaters_.size() == 3) {
      return unavailable("more than 3 content codings: the body cannot be inspected");
    }
    SLUICE_ASSIGN_OR_RETURN(auto inflater,
                            Inflater::create(format, context.limits.max_decoded_body_bytes));
    body->inflaters_.push_back(std::move(inflater));
    body->notes_.push_back(*it);
  }
  MediaType media = parseMediaType(content_type);
  if (media.type.starts_with("application/grpc")) {
    SLUICE_ASSIGN_OR_RETURN(body->grpc_,
                            GrpcDeframer::create(lowercase(trim(grpc_encoding)),
                                                 context.limits.max_decoded_body_bytes));
  }
  auto boundary = media.params.find("boundary");
  if (media.type.starts_with("multipart/") && boundary != media.params.end() &&
      !boundary->second.empty() && boundary->second.size() <= 200) {
    body->multipart_ = std::make_unique<MultipartSplitter>(
        boundary->second, context.limits.max_head_bytes, context.limits.max_multipart_parts,
        static_cast<MultipartListener&>(*body));
  } else {
    if (media.type == "application/x-www-form-urlencoded") {
      body->form_ = std::make_unique<FormDecoder>();
      body->notes_.push_back("form-urlencoded");
    }
    SLUICE_RETURN_IF_ERROR(body->partBegin(content_type, ""));
  }
  return body;
}

Status BodyScanner::write(std::string_view bytes) {
  return decode(0, bytes);
}

Status BodyScanner::decode(size_t layer, std::string_view bytes) {
  if (layer == inflaters_.size()) {
    if (!grpc_) return route(bytes);
    return grpc_->write(bytes, [this](std::string_view message) { return route(message); });
  }
  return inflaters_[layer]->feed(
      bytes, [this, layer](std::string_view out) { return decode(layer + 1, out); });
}

Status BodyScanner::route(std::string_view bytes) {
  if (multipart_) return multipart_->write(bytes);
  if (form_) return partData(form_->decode(bytes));
  return partData(bytes);
}

Status BodyScanner::scanText(std::string_view bytes) {
  // Evidence needs the bytes from the start of the scanned text on: keep while all of it fits.
  if (kept_.size() == scanned_) {
    size_t keep = std::min(bytes.size(), context_.evidence_left);
    kept_.append(bytes.substr(0, keep));
    context_.evidence_left -= keep;
  }
  decoded_ += bytes.size();
  scanned_ += bytes.size();
  return stream_->write(bytes);
}

void BodyScanner::skipBinary(size_t n) {
  decoded_ += n;
  if (!breakpoints_.empty() && breakpoints_.back().scanned == scanned_) {
    breakpoints_.back().decoded = decoded_;
  } else {
    breakpoints_.push_back({scanned_, decoded_});
  }
}

// A scanned offset back to the decoded body. An exclusive end that falls on a skipped
// region belongs before it; a start belongs after it.
uint64_t BodyScanner::toBody(uint64_t scanned, bool end) const {
  Breakpoint base{0, 0};
  for (const Breakpoint& b : breakpoints_) {
    if (b.scanned > scanned || (end && b.scanned == scanned)) break;
    base = b;
  }
  return base.decoded + (scanned - base.scanned);
}

Status BodyScanner::structure(std::string_view bytes) {
  return scanText(bytes);
}

Status BodyScanner::partBegin(std::string_view content_type, std::string_view filename) {
  part_ = Part{};
  part_.type = parseMediaType(content_type).type;
  std::string ext = extensionOf(filename);
  static constexpr std::array<std::string_view, 12> kTextExt = {
      "jsonl", "json", "csv", "tsv", "txt", "md", "xml", "html", "yaml", "yml", "hl7", "ndjson"};
  if (isTextType(part_.type) || isScannedBinaryType(part_.type)) {
    part_.declared = Kind::kText;
  } else if (isBinaryType(part_.type)) {
    part_.declared = Kind::kBinary;
  } else if (std::find(kTextExt.begin(), kTextExt.end(), ext) != kTextExt.end()) {
    part_.declared = Kind::kText;
  } else if (part_.type.empty() && filename.empty() && multipart_) {
    part_.declared = Kind::kText;  // a plain form field
  }
  part_.start = decoded_;
  return okStatus();
}

Status BodyScanner::decide(Part& part) {
  part.decided = true;
  std::string_view magic = sniffMagic(part.window);
  if (!magic.empty()) {
    part.binary = true;
    part.label = part.declared == Kind::kBinary ? part.type : std::string(magic);
  } else if (part.declared == Kind::kBinary) {
    part.binary = true;
    part.label = part.type;
  } else if (part.declared == Kind::kUnknown && !looksLikeText(part.window)) {
    part.binary = true;
    part.label = part.type.empty() ? "application/octet-stream" : part.type;
  }
  std::string window = std::move(part.window);
  part.window.clear();
  if (part.binary) {
    skipBinary(window.size());
    return okStatus();
  }
  return scanText(window);
}

Status BodyScanner::partData(std::string_view bytes) {
  if (!part_.decided) {
    size_t take = std::min(bytes.size(), kSniffBytes - part_.window.size());
    part_.window.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (part_.window.size() < kSniffBytes) return okStatus();
    SLUICE_RETURN_IF_ERROR(decide(part_));
  }
  if (bytes.empty()) return okStatus();
  if (part_.binary) {
    skipBinary(bytes.size());
    return okStatus();
  }
  return scanText(bytes);
}

Status BodyScanner::partEnd() {
  if (!part_.decided) SLUICE_RETURN_IF_ERROR(decide(part_));
  if (part_.binary && decoded_ > part_.start) {
    binary_findings_.push_back(
        {scanner::Finding{scanner::PhiType::kImage, part_.start, decoded_, 1.0f}, part_.label});
    ++binary_labels_[part_.label];
  }
  part_ = Part{};
  part_.decided = true;  // bytes outside any part are structure
  return okStatus();
}

Status BodyScanner::finish(InspectedRequest& request) {
  for (auto& inflater : inflaters_) {
    std::string note = inflater->finish();
    if (!note.empty()) notes_.push_back(note);
  }
  if (grpc_) {
    notes_.push_back("grpc: " + std::to_string(grpc_->messages()) + " message" +
                     (grpc_->messages() == 1 ? "" : "s"));
    if (std::string note = grpc_->finish(); !note.empty()) notes_.push_back(note);
  }
  if (multipart_) {
    SLUICE_ASSIGN_OR_RETURN(std::string note, multipart_->finish());
    notes_.push_back("multipart: " + std::to_string(multipart_->parts()) + " part" +
                     (multipart_->parts() == 1 ? "" : "s"));
    if (!note.empty()) notes_.push_back(note);
  } else {
    if (form_) SLUICE_RETURN_IF_ERROR(partData(form_->finish()));
    SLUICE_RETURN_IF_ERROR(partEnd());
  }
  SLUICE_ASSIGN_OR_RETURN(auto found, stream_->finish());
  std::vector<std::pair<scanner::Finding, FindingEvidence>> findings;
  for (scanner::Finding f : found) {
    std::string_view value;
    if (f.end <= kept_.size()) value = std::string_view(kept_).substr(f.start, f.end - f.start);
    SLUICE_ASSIGN_OR_RETURN(FindingEvidence evidence, evidenceFor(context_, f, value));
    f.start = toBody(f.start, false);
    f.end = toBody(f.end, true);
    findings.emplace_back(f, std::move(evidence));
  }
  for (const auto& [f, label] : binary_findings_) {
    findings.emplace_back(
        f, FindingEvidence{"[" + label + ", " + std::to_string(f.end - f.start) + " bytes]", ""});
  }
  std::stable_sort(findings.begin(), findings.end(),
                   [](const auto& a, const auto& b) { return a.first.start < b.first.start; });
  for (auto& [f, evidence] : findings) {
    request.findings.push_back(f);
    request.evidence.push_back(std::move(evidence));
  }
  for (const auto& [label, count] : binary_labels_) {
    if (multipart_) {
      notes_.push_back("multipart: " + std::to_string(count) + " " + label + " part" +
                       (count == 1 ? "" : "s") + " reported as IMAGE");
    } else {
      notes_.push_back("body: " + label + " reported as IMAGE");
    }
  }
  request.body_bytes = decoded_;
  request.notes.insert(request.notes.end(), notes_.begin(), notes_.end());
  return okStatus();
}

}  // namespace sluice::agent::inspect
