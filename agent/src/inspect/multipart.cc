#include "multipart.h"

#include <algorithm>

#include "http_fields.h"

namespace sluice::agent::inspect {

MultipartSplitter::MultipartSplitter(std::string boundary, size_t max_head_bytes, size_t max_parts,
                                     MultipartListener& listener)
    : delimiter_("\r\n--" + boundary),
      max_head_bytes_(max_head_bytes),
      max_parts_(max_parts),
      listener_(listener) {}

Error MultipartSplitter::error(std::string_view what) const {
  return invalidArgument("multipart body at byte " + std::to_string(offset_) + ": " +
                         std::string(what));
}

Status MultipartSplitter::write(std::string_view bytes) {
  while (!bytes.empty()) SLUICE_RETURN_IF_ERROR(step(bytes));
  return okStatus();
}

Status MultipartSplitter::step(std::string_view& in) {
  switch (state_) {
    case State::kStart: {
      // The body normally opens with "--boundary" itself, without the CRLF before it.
      std::string_view want = std::string_view(delimiter_).substr(2);
      size_t take = std::min(want.size() - held_.size(), in.size());
      held_.append(in.substr(0, take));
      in.remove_prefix(take);
      if (want.substr(0, held_.size()) != held_) {
        state_ = State::kPreamble;
        std::string again = std::move(held_);
        held_.clear();
        std::string_view rest = again;
        while (!rest.empty()) SLUICE_RETURN_IF_ERROR(step(rest));
      } else if (held_.size() == want.size()) {
        SLUICE_RETURN_IF_ERROR(listener_.structure(held_));
        offset_ += held_.size();
        held_.clear();
        state_ = State::kAfterDelimiter;
      }
      return okStatus();
    }
    case State::kPreamble:
    case State::kData: return searchDelimiter(in);
    case State::kAfterDelimiter: {
      held_.push_back(in.front());
      in.remove_prefix(1);
      if (held_ == "-" || held_ == "\r") return okStatus();
      if (held_ == " " || held_ == "\t") {  // transport padding
        SLUICE_RETURN_IF_ERROR(listener_.structure(held_));
      } else if (held_ == "--") {
        SLUICE_RETURN_IF_ERROR(listener_.structure(held_));
        state_ = State::kEpilogue;
      } else if (held_ == "\r\n" || held_ == "\n") {
        SLUICE_RETURN_IF_ERROR(listener_.structure(held_));
        if (++parts_ > max_parts_) {
          return Error(ErrorCode::kResourceExhausted,
                       "multipart body has more than " + std::to_string(max_parts_) +
                           " parts (InspectorLimits::max_multipart_parts)");
        }
        state_ = State::kHeaders;
      } else {
        return error("expected CRLF or \"--\" after a boundary delimiter");
      }
      offset_ += held_.size();
      held_.clear();
      return okStatus();
    }
    case State::kHeaders: {
      size_t old = held_.size();
      held_.append(in);
      size_t end = std::string::npos;
      if (held_.starts_with("\r\n")) {
        end = 2;  // a part without headers
      } else if (size_t at = held_.find("\r\n\r\n", old > 3 ? old - 3 : 0);
                 at != std::string::npos) {
        end = at + 4;
      }
      if (end == std::string::npos) {
        in = {};
        if (held_.size() > max_head_bytes_) {
          return Error(ErrorCode::kResourceExhausted,
                       "multipart part headers at byte " + std::to_string(offset_) + " exceed " +
                           std::to_string(max_head_bytes_) + " bytes");
        }
        return okStatus();
      }
      in.remove_prefix(end - old);
      held_.resize(end);
      SLUICE_RETURN_IF_ERROR(listener_.structure(held_));
      SLUICE_RETURN_IF_ERROR(parseHeaders());
      offset_ += held_.size();
      held_.clear();
      state_ = State::kData;
      return okStatus();
    }
    case State::kEpilogue:
      SLUICE_RETURN_IF_ERROR(listener_.structure(in));
      offset_ += in.size();
      in = {};
      return okStatus();
  }
  return okStatus();
}

Status MultipartSplitter::searchDelimiter(std::string_view& in) {
  std::string buf = held_;
  buf.append(in);
  std::string_view original = in;
  size_t held_before = held_.size();
  in = {};
  held_.clear();
  auto content = [&](std::string_view bytes) {
    offset_ += bytes.size();
    if (bytes.empty()) return okStatus();
    return state_ == State::kData ? listener_.partData(bytes) : listener_.structure(bytes);
  };
  size_t at = buf.find(delimiter_);
  if (at != std::string::npos) {
    SLUICE_RETURN_IF_ERROR(content(std::string_view(buf).substr(0, at)));
    if (state_ == State::kData) {
      SLUICE_RETURN_IF_ERROR(listener_.partEnd());
      in_part_ = false;
    }
    SLUICE_RETURN_IF_ERROR(listener_.structure(delimiter_));
    offset_ += delimiter_.size();
    state_ = State::kAfterDelimiter;
    // A held tail never holds a whole delimiter, so this one ends inside `original`; what
    // follows it is stepped again by write().
    in = original.substr(at + delimiter_.size() - held_before);
    return okStatus();
  }
  // Hold back the longest tail that could start a delimiter; it always starts with CR.
  size_t keep = 0;
  size_t from = buf.size() > delimiter_.size() ? buf.size() - delimiter_.size() + 1 : 0;
  for (size_t p = buf.find('\r', from); p != std::string::npos; p = buf.find('\r', p + 1)) {
    if (delimiter_.compare(0, buf.size() - p, buf, p, buf.size() - p) == 0) {
      keep = buf.size() - p;
      break;
    }
  }
  SLUICE_RETURN_IF_ERROR(content(std::string_view(buf).substr(0, buf.size() - keep)));
  held_ = buf.substr(buf.size() - keep);
  return okStatus();
}

Status MultipartSplitter::parseHeaders() {
  std::string content_type;
  std::string filename;
  std::string_view text = held_;
  while (!text.empty()) {
    size_t eol = text.find("\r\n");
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 2);
    size_t colon = line.find(':');
    if (line.empty()) continue;
    if (colon == std::string_view::npos) return error("part header line without ':'");
    std::string_view name = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-type")) {
      content_type = std::string(value);
    } else if (iequals(name, "content-disposition")) {
      MediaType disposition = parseMediaType(value);
      if (auto it = disposition.params.find("filename"); it != disposition.params.end()) {
        filename = it->second;
      } else if (auto ext = disposition.params.find("filename*"); ext != disposition.params.end()) {
        size_t quote = ext->second.find("''");
        filename =
            percentDecode(quote == std::string::npos ? ext->second : ext->second.substr(quote + 2));
      }
    }
  }
  in_part_ = true;
  return listener_.partBegin(content_type, filename);
}

Result<std::string> MultipartSplitter::finish() {
  std::string note;
  if (in_part_) {
    if (!held_.empty()) SLUICE_RETURN_IF_ERROR(listener_.partData(held_));
    SLUICE_RETURN_IF_ERROR(listener_.partEnd());
    in_part_ = false;
  } else if (!held_.empty()) {
    SLUICE_RETURN_IF_ERROR(listener_.structure(held_));
  }
  offset_ += held_.size();
  held_.clear();
  if (state_ == State::kStart || state_ == State::kPreamble) {
    note = "multipart: boundary never seen";
  } else if (state_ != State::kEpilogue) {
    note = "multipart: closing delimiter missing";
  }
  return note;
}

}  // namespace sluice::agent::inspect
