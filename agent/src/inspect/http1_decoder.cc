// HTTP/1.1 requests (RFC 9112) as a client writes them: keep-alive and pipelining, bodies
// framed by Content-Length or chunked, and a switch to WebSocket after an upgrade request.
#include <algorithm>
#include <cctype>

#include "body_scanner.h"
#include "decoder.h"
#include "head_text.h"
#include "http_fields.h"

namespace sluice::agent::inspect {
namespace {

constexpr std::string_view kProtocol = "http/1.1";
constexpr size_t kMaxChunkLine = 1024;

bool isTchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// The end of the head (just past the empty line), tolerating bare LF line ends.
size_t findHeadEnd(std::string_view buf, size_t from) {
  for (size_t i = buf.find('\n', from); i != std::string_view::npos; i = buf.find('\n', i + 1)) {
    if (i + 1 < buf.size() && buf[i + 1] == '\n') return i + 2;
    if (i + 2 < buf.size() && buf[i + 1] == '\r' && buf[i + 2] == '\n') return i + 3;
  }
  return std::string_view::npos;
}

class Http1Decoder : public Decoder {
 public:
  explicit Http1Decoder(Context& context) : context_(context) {}

  Result<size_t> feed(std::string_view bytes, uint64_t base,
                      std::vector<InspectedRequest>& done) override {
    size_t pos = 0;
    while (pos < bytes.size()) {
      if (next_) return pos;
      SLUICE_ASSIGN_OR_RETURN(size_t used, step(bytes.substr(pos), base + pos, done));
      pos += used;
    }
    return pos;
  }

  bool pending() const override { return state_ != State::kIdle; }
  std::optional<std::string> pendingHost() const override {
    if (state_ == State::kIdle || state_ == State::kHead) return std::nullopt;
    return request_.host;
  }
  std::string_view protocol() const override { return kProtocol; }
  std::unique_ptr<Decoder> takeOver() override { return std::move(next_); }

 private:
  enum class State { kIdle, kHead, kLength, kChunkSize, kChunkData, kChunkEnd, kTrailers };

  Result<size_t> step(std::string_view in, uint64_t at, std::vector<InspectedRequest>& done) {
    switch (state_) {
      case State::kIdle:
        if (in.front() == '\r' || in.front() == '\n') return size_t{1};  // RFC 9112 2.2
        request_ = InspectedRequest{};
        request_.id = context_.next_id++;
        request_.protocol = std::string(kProtocol);
        start_ = at;
        state_ = State::kHead;
        return size_t{0};
      case State::kHead: return readHead(in, done);
      case State::kLength:
      case State::kChunkData: {
        size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, in.size()));
        if (Status s = body_->write(in.substr(0, take)); !s) {
          return atOffset(std::move(s).error(), kProtocol, start_);
        }
        remaining_ -= take;
        if (remaining_ == 0) {
          if (state_ == State::kLength) {
            SLUICE_RETURN_IF_ERROR(complete(done));
          } else {
            state_ = State::kChunkEnd;
          }
        }
        return take;
      }
      case State::kChunkEnd: {
        buf_.push_back(in.front());
        if (buf_ == "\r") return size_t{1};
        if (buf_ != "\r\n" && buf_ != "\n") {
          return protocolError(kProtocol, at, "chunk data not followed by CRLF");
        }
        buf_.clear();
        state_ = State::kChunkSize;
        return size_t{1};
      }
      case State::kChunkSize:
      case State::kTrailers: return readLine(in, at, done);
    }
    return size_t{0};
  }

  Result<size_t> readHead(std::string_view in, std::vector<InspectedRequest>& done) {
    size_t old = buf_.size();
    // Never copies more than a head can be, even when a large body follows in `in`.
    buf_.append(in.substr(
        0, context_.limits.max_head_bytes + 4 - std::min(old, context_.limits.max_head_bytes)));
    size_t end = findHeadEnd(buf_, old > 2 ? old - 2 : 0);
    // Reject what is not a request line as soon as it shows, rather than holding it until
    // max_head_bytes arrive.
    std::string_view first = std::string_view(buf_).substr(0, buf_.find(' '));
    if (first.size() > 32 || !std::all_of(first.begin(), first.end(), isTchar)) {
      return protocolError(kProtocol, start_, "not an HTTP request (method is not a token)");
    }
    if (end == std::string::npos) {
      if (buf_.size() > context_.limits.max_head_bytes) {
        return Error(ErrorCode::kResourceExhausted,
                     std::string(kProtocol) + " at stream byte " + std::to_string(start_) +
                         ": request head exceeds " +
                         std::to_string(context_.limits.max_head_bytes) + " bytes");
      }
      return buf_.size() - old;
    }
    buf_.resize(end);
    SLUICE_RETURN_IF_ERROR(parseHead(done));
    buf_.clear();
    return end - old;
  }

  Status parseHead(std::vector<InspectedRequest>& done) {
    std::string_view head = buf_;
    std::vector<std::pair<std::string_view, uint64_t>> lines;  // line, offset in head
    for (size_t pos = 0; pos < head.size();) {
      size_t eol = head.find('\n', pos);
      std::string_view line = head.substr(pos, eol - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty()) lines.emplace_back(line, pos);
      pos = eol + 1;
    }
    std::string_view request_line = lines.front().first;
    size_t sp1 = request_line.find(' ');
    size_t sp2 = request_line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1) {
      return protocolError(kProtocol, start_, "malformed request line");
    }
    std::string_view version = request_line.substr(sp2 + 1);
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
      return protocolError(kProtocol, start_ + sp2 + 1, "unsupported version in request line");
    }
    request_.method = std::string(request_line.substr(0, sp1));
    request_.path = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
    HeadText text;
    text.target(request_.path);
    std::string content_length, transfer_encoding, content_encoding, content_type;
    std::string upgrade, extensions;
    for (size_t i = 1; i < lines.size(); ++i) {
      auto [line, offset] = lines[i];
      if (line.front() == ' ' || line.front() == '\t') {
        return protocolError(kProtocol, start_ + offset, "obsolete header line folding");
      }
      size_t colon = line.find(':');
      std::string_view name = line.substr(0, colon);
      if (colon == std::string_view::npos || name.empty() ||
          !std::all_of(name.begin(), name.end(), isTchar)) {
        return protocolError(kProtocol, start_ + offset, "malformed header line");
      }
      std::string_view value = trim(line.substr(colon + 1));
      text.header(name, value);
      std::string lower = lowercase(name);
      if (lower == "host") {
        request_.host = std::string(value);
      } else if (lower == "content-length") {
        if (value.empty() || value.size() > 18 ||
            !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
            (!content_length.empty() && content_length != value)) {
          return protocolError(kProtocol, start_ + offset, "invalid Content-Length");
        }
        content_length = std::string(value);
      } else {
        std::string* list = lower == "transfer-encoding"          ? &transfer_encoding
                            : lower == "content-encoding"         ? &content_encoding
                            : lower == "upgrade"                  ? &upgrade
                            : lower == "sec-websocket-extensions" ? &extensions
                                                                  : nullptr;
        if (list != nullptr) {
          *list += (list->empty() ? "" : ", ") + std::string(value);
        } else if (lower == "content-type") {
          content_type = std::string(value);
        } else if (lower == "expect" && iequals(value, "100-continue")) {
          request_.notes.push_back("expect: 100-continue");
        }
      }
    }
    SLUICE_RETURN_IF_ERROR(text.scanInto(context_, request_));

    bool chunked = false;
    if (!transfer_encoding.empty()) {
      std::vector<std::string> codings = splitList(transfer_encoding);
      if (codings.empty() || codings.back() != "chunked") {
        return protocolError(kProtocol, start_,
                             "Transfer-Encoding does not end in chunked: body length unknown");
      }
      codings.pop_back();
      // Transfer codings were applied after the content codings.
      for (const std::string& c : codings) content_encoding += ", " + c;
      chunked = true;
      request_.notes.push_back("chunked");
    }
    uint64_t length = content_length.empty() ? 0 : std::stoull(content_length);
    if (chunked || length > 0) {
      auto body = BodyScanner::create(context_, content_encoding, content_type);
      if (!body) return atOffset(std::move(body).error(), kProtocol, start_);
      body_ = std::move(*body);
    }
    if (icontainsToken(upgrade, "websocket")) {
      upgrade_ = WebSocketUpgrade{request_.path, request_.host,
                                  icontainsToken(extensions, "permessage-deflate")};
    }
    if (chunked) {
      state_ = State::kChunkSize;
    } else if (length > 0) {
      remaining_ = length;
      state_ = State::kLength;
    } else {
      SLUICE_RETURN_IF_ERROR(complete(done));
    }
    return okStatus();
  }

  // A chunk-size line or a trailer line.
  Result<size_t> readLine(std::string_view in, uint64_t at, std::vector<InspectedRequest>& done) {
    size_t eol = in.find('\n');
    size_t take = eol == std::string_view::npos ? in.size() : eol + 1;
    buf_.append(in.substr(0, take));
    size_t limit = state_ == State::kChunkSize ? kMaxChunkLine : context_.limits.max_head_bytes;
    if (buf_.size() > limit) return protocolError(kProtocol, at, "chunk line or trailers too long");
    if (eol == std::string_view::npos) return take;
    std::string_view line = buf_;
    line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (state_ == State::kTrailers) {
      bool end = line.empty();
      buf_.clear();
      if (end) SLUICE_RETURN_IF_ERROR(complete(done));
      return take;
    }
    std::string_view digits = trim(line.substr(0, line.find(';')));
    uint64_t size = 0;
    if (digits.empty() || digits.size() > 15) {
      return protocolError(kProtocol, at, "invalid chunk size line");
    }
    for (char c : digits) {
      int v = std::isxdigit(static_cast<unsigned char>(c)) == 0 ? -1
              : c <= '9'                                        ? c - '0'
                                                                : (std::tolower(c) - 'a' + 10);
      if (v < 0) return protocolError(kProtocol, at, "invalid chunk size line");
      size = size * 16 + static_cast<uint64_t>(v);
    }
    buf_.clear();
    if (size == 0) {
      state_ = State::kTrailers;
    } else {
      remaining_ = size;
      state_ = State::kChunkData;
    }
    return take;
  }

  Status complete(std::vector<InspectedRequest>& done) {
    if (body_) {
      if (Status s = body_->finish(request_); !s) {
        return atOffset(std::move(s).error(), kProtocol, start_);
      }
      body_.reset();
    }
    done.push_back(std::move(request_));
    request_ = InspectedRequest{};
    state_ = State::kIdle;
    if (upgrade_) {
      next_ = makeWebSocketDecoder(context_, std::move(*upgrade_));
      upgrade_.reset();
    }
    return okStatus();
  }

  Context& context_;
  State state_ = State::kIdle;
  InspectedRequest request_;
  uint64_t start_ = 0;  // stream offset of the current request
  std::string buf_;     // the head, a chunk-size line or trailers so far
  std::unique_ptr<BodyScanner> body_;
  uint64_t remaining_ = 0;
  std::optional<WebSocketUpgrade> upgrade_;
  std::unique_ptr<Decoder> next_;
};

}  // namespace

std::unique_ptr<Decoder> makeHttp1Decoder(Context& context) {
  return std::make_unique<Http1Decoder>(context);
}

}  // namespace sluice::agent::inspect
