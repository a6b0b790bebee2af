// HTTP/2 as a client writes it (RFC 9113): the connection preface, then frames. Header
// blocks (HEADERS + CONTINUATION) are decoded with libnghttp2's HPACK inflater, which keeps
// the dynamic table in step with the client's encoder; DATA payloads are streamed into each
// stream's body scanner without buffering; END_STREAM completes a request.
#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <map>

#include "body_scanner.h"
#include "decoder.h"
#include "head_text.h"
#include "http_fields.h"

namespace sluice::agent::inspect {
namespace {

constexpr std::string_view kProtocol = "h2";
constexpr std::string_view kConnectionPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
constexpr size_t kFrameHeader = 9;

enum FrameType : uint8_t {
  kData = 0,
  kHeaders = 1,
  kPriority = 2,
  kRstStream = 3,
  kSettings = 4,
  kPushPromise = 5,
  kPing = 6,
  kGoaway = 7,
  kWindowUpdate = 8,
  kContinuation = 9,
};
enum Flags : uint8_t {
  kEndStream = 0x1,
  kEndHeaders = 0x4,
  kPadded = 0x8,
  kPriorityFlag = 0x20,
};

struct HpackInflater {
  nghttp2_hd_inflater* ptr = nullptr;
  ~HpackInflater() {
    if (ptr != nullptr) nghttp2_hd_inflate_del(ptr);
  }
};

class H2Decoder : public Decoder {
 public:
  explicit H2Decoder(Context& context) : context_(context) {}

  Status init() {
    if (nghttp2_hd_inflate_new(&hpack_.ptr) != 0 ||
        nghttp2_hd_inflate_change_table_size(hpack_.ptr, context_.limits.max_hpack_table_bytes) !=
            0) {
      return Error(ErrorCode::kResourceExhausted, "HPACK inflater: out of memory");
    }
    return okStatus();
  }

  Result<size_t> feed(std::string_view bytes, uint64_t base,
                      std::vector<InspectedRequest>& done) override {
    return stepAll(bytes, base,
                   [&](std::string_view in, uint64_t at) { return step(in, at, done); });
  }

  bool pending() const override {
    return mode_ != Mode::kHeader || !header_.empty() || continuation_for_ != 0 ||
           std::any_of(streams_.begin(), streams_.end(),
                       [](const auto& s) { return s.second.pending(); });
  }
  std::optional<std::string> pendingHost() const override {
    for (const auto& [id, stream] : streams_) {
      if (stream.pending()) return stream.request.host;
    }
    return std::nullopt;
  }
  std::string_view protocol() const override { return kProtocol; }

 private:
  enum class Mode { kPreface, kHeader, kBuffered, kDataPad, kData, kSkip };
  struct Stream {
    InspectedRequest request;
    std::unique_ptr<BodyScanner> body;
    // WebSocket over HTTP/2 (RFC 8441): the CONNECT is reported when its headers end, and
    // the stream's DATA carries WebSocket frames, each message a request of its own.
    std::unique_ptr<Decoder> tunnel;
    uint64_t start = 0;

    bool pending() const { return !tunnel || tunnel->pending(); }
  };

  Result<size_t> step(std::string_view in, uint64_t at, std::vector<InspectedRequest>& done) {
    switch (mode_) {
      case Mode::kPreface: {
        size_t take = std::min(in.size(), kConnectionPreface.size() - preface_seen_);
        if (in.substr(0, take) != kConnectionPreface.substr(preface_seen_, take)) {
          return protocolError(kProtocol, at, "bad connection preface");
        }
        preface_seen_ += take;
        if (preface_seen_ == kConnectionPreface.size()) mode_ = Mode::kHeader;
        return take;
      }
      case Mode::kHeader: {
        size_t take = std::min(in.size(), kFrameHeader - header_.size());
        header_.append(in.substr(0, take));
        if (header_.size() == kFrameHeader) {
          frame_at_ = at + take - kFrameHeader;
          SLUICE_RETURN_IF_ERROR(beginFrame(done));
        }
        return take;
      }
      case Mode::kBuffered: {
        size_t take = std::min<size_t>(in.size(), length_ - payload_.size());
        payload_.append(in.substr(0, take));
        if (payload_.size() == length_) SLUICE_RETURN_IF_ERROR(endFrame(done));
        return take;
      }
      case Mode::kDataPad:
        pad_left_ = static_cast<uint8_t>(in.front());
        if (pad_left_ >= length_) return protocolError(kProtocol, at, "DATA padding too long");
        data_left_ = length_ - 1 - pad_left_;
        mode_ = Mode::kData;
        if (data_left_ == 0 && pad_left_ == 0) SLUICE_RETURN_IF_ERROR(endData(done));
        return size_t{1};
      case Mode::kData: {
        if (data_left_ > 0) {
          size_t take = std::min<size_t>(in.size(), data_left_);
          if (auto it = streams_.find(stream_id_); it != streams_.end()) {
            if (it->second.tunnel) {
              SLUICE_RETURN_IF_ERROR(tunnel(it->first, it->second, in.substr(0, take), at, done));
            } else if (Status s = it->second.body->write(in.substr(0, take)); !s) {
              return atOffset(std::move(s).error(), kProtocol, it->second.start);
            }
          }
          data_left_ -= take;
          if (data_left_ == 0 && pad_left_ == 0) SLUICE_RETURN_IF_ERROR(endData(done));
          return take;
        }
        size_t take = std::min<size_t>(in.size(), pad_left_);
        pad_left_ -= take;
        if (pad_left_ == 0) SLUICE_RETURN_IF_ERROR(endData(done));
        return take;
      }
      case Mode::kSkip: {
        size_t take = std::min<size_t>(in.size(), length_ - skipped_);
        skipped_ += take;
        if (skipped_ == length_) mode_ = Mode::kHeader;
        return take;
      }
    }
    return size_t{0};
  }

  Status beginFrame(std::vector<InspectedRequest>& done) {
    auto u8 = [&](size_t i) { return static_cast<uint8_t>(header_[i]); };
    length_ = (uint32_t{u8(0)} << 16) | (uint32_t{u8(1)} << 8) | u8(2);
    type_ = u8(3);
    flags_ = u8(4);
    stream_id_ =
        ((uint32_t{u8(5)} << 24) | (uint32_t{u8(6)} << 16) | (uint32_t{u8(7)} << 8) | u8(8)) &
        0x7fffffffu;
    header_.clear();
    payload_.clear();
    if (continuation_for_ != 0 && (type_ != kContinuation || stream_id_ != continuation_for_)) {
      return protocolError(kProtocol, frame_at_,
                           "expected CONTINUATION for stream " + std::to_string(continuation_for_));
    }
    switch (type_) {
      case kData:
        if (stream_id_ == 0) return protocolError(kProtocol, frame_at_, "DATA on stream 0");
        if (stream_id_ > last_stream_ || (stream_id_ % 2) == 0) {
          return protocolError(kProtocol, frame_at_,
                               "DATA on idle stream " + std::to_string(stream_id_));
        }
        // The client itself ended or reset the stream: bytes it sends there now would leave
        // unscanned (RFC 9113 5.1: STREAM_CLOSED).
        if (streams_.count(stream_id_) == 0) {
          return protocolError(kProtocol, frame_at_,
                               "DATA on closed stream " + std::to_string(stream_id_));
        }
        if ((flags_ & kPadded) != 0) {
          if (length_ == 0) return protocolError(kProtocol, frame_at_, "padded DATA is empty");
          mode_ = Mode::kDataPad;
          return okStatus();
        }
        data_left_ = length_;
        pad_left_ = 0;
        mode_ = Mode::kData;
        return length_ == 0 ? endData(done) : okStatus();
      case kPushPromise: return protocolError(kProtocol, frame_at_, "a client sent PUSH_PROMISE");
      case kHeaders:
      case kContinuation:
      case kPriority:
      case kRstStream:
      case kSettings:
      case kPing:
      case kGoaway:
      case kWindowUpdate: {
        bool block = type_ == kHeaders || type_ == kContinuation;
        size_t limit =
            block ? context_.limits.max_head_bytes : context_.limits.max_control_frame_bytes;
        if (length_ > limit) {
          return Error(ErrorCode::kResourceExhausted,
                       std::string(kProtocol) + " at stream byte " + std::to_string(frame_at_) +
                           ": frame of " + std::to_string(length_) + " bytes exceeds " +
                           std::to_string(limit));
        }
        mode_ = Mode::kBuffered;
        return length_ == 0 ? endFrame(done) : okStatus();
      }
      default:  // extension frames are ignored (RFC 9113 5.5)
        skipped_ = 0;
        mode_ = length_ == 0 ? Mode::kHeader : Mode::kSkip;
        return okStatus();
    }
  }

  Status endData(std::vector<InspectedRequest>& done) {
    mode_ = Mode::kHeader;
    if ((flags_ & kEndStream) != 0 && streams_.count(stream_id_) != 0) {
      return complete(stream_id_, done);
    }
    return okStatus();
  }

  Status endFrame(std::vector<InspectedRequest>& done) {
    mode_ = Mode::kHeader;
    std::string_view p = payload_;
    switch (type_) {
      case kHeaders: {
        if (stream_id_ == 0 || stream_id_ % 2 == 0) {
          return protocolError(kProtocol, frame_at_,
                               "HEADERS on stream " + std::to_string(stream_id_));
        }
        size_t pad = 0;
        if ((flags_ & kPadded) != 0) {
          if (p.empty()) return protocolError(kProtocol, frame_at_, "padded HEADERS is empty");
          pad = static_cast<uint8_t>(p.front());
          p.remove_prefix(1);
        }
        if ((flags_ & kPriorityFlag) != 0) {
          if (p.size() < 5) return protocolError(kProtocol, frame_at_, "HEADERS too short");
          p.remove_prefix(5);
        }
        if (pad > p.size()) return protocolError(kProtocol, frame_at_, "HEADERS padding too long");
        p.remove_suffix(pad);
        block_.assign(p);
        block_stream_ = stream_id_;
        block_end_stream_ = (flags_ & kEndStream) != 0;
        block_at_ = frame_at_;
        if ((flags_ & kEndHeaders) == 0) {
          continuation_for_ = stream_id_;
          return okStatus();
        }
        return headerBlock(done);
      }
      case kContinuation:
        if (continuation_for_ == 0) {
          return protocolError(kProtocol, frame_at_, "CONTINUATION without HEADERS");
        }
        if (block_.size() + p.size() > context_.limits.max_head_bytes) {
          return Error(ErrorCode::kResourceExhausted,
                       std::string(kProtocol) + " at stream byte " + std::to_string(frame_at_) +
                           ": header block exceeds " +
                           std::to_string(context_.limits.max_head_bytes) + " bytes");
        }
        block_.append(p);
        if ((flags_ & kEndHeaders) == 0) return okStatus();
        continuation_for_ = 0;
        return headerBlock(done);
      case kRstStream:
        if (length_ != 4) return protocolError(kProtocol, frame_at_, "RST_STREAM length");
        if (auto it = streams_.find(stream_id_); it != streams_.end()) {
          it->second.request.notes.push_back("stream reset by client");
          return complete(stream_id_, done);
        }
        return okStatus();
      case kSettings:
        if (length_ % 6 != 0 || stream_id_ != 0) {
          return protocolError(kProtocol, frame_at_, "malformed SETTINGS");
        }
        return okStatus();
      default:  // PRIORITY, PING, GOAWAY, WINDOW_UPDATE carry no request data
        return okStatus();
    }
  }

  Result<std::vector<std::pair<std::string, std::string>>> inflate() {
    std::vector<std::pair<std::string, std::string>> fields;
    const auto* in = reinterpret_cast<const uint8_t*>(block_.data());
    size_t left = block_.size();
    size_t decoded = 0;
    for (;;) {
      nghttp2_nv nv;
      int flags = 0;
      ssize_t rv = nghttp2_hd_inflate_hd2(hpack_.ptr, &nv, &flags, in, left, 1);
      if (rv < 0) {
        return protocolError(kProtocol, block_at_,
                             std::string("HPACK decoding failed: ") + nghttp2_strerror(int(rv)));
      }
      in += rv;
      left -= static_cast<size_t>(rv);
      if ((flags & NGHTTP2_HD_INFLATE_EMIT) != 0) {
        decoded += nv.namelen + nv.valuelen;
        // Indexed fields can repeat a large table entry: bound what a block expands to.
        if (decoded > 4 * context_.limits.max_head_bytes) {
          return Error(ErrorCode::kResourceExhausted,
                       std::string(kProtocol) + " at stream byte " + std::to_string(block_at_) +
                           ": header block decodes to more than " +
                           std::to_string(4 * context_.limits.max_head_bytes) + " bytes");
        }
        fields.emplace_back(std::string(reinterpret_cast<const char*>(nv.name), nv.namelen),
                            std::string(reinterpret_cast<const char*>(nv.value), nv.valuelen));
      }
      if ((flags & NGHTTP2_HD_INFLATE_FINAL) != 0) {
        nghttp2_hd_inflate_end_headers(hpack_.ptr);
        break;
      }
      if ((flags & NGHTTP2_HD_INFLATE_EMIT) == 0 && left == 0) {
        return protocolError(kProtocol, block_at_, "HPACK block ended inside a field");
      }
    }
    return fields;
  }

  Status headerBlock(std::vector<InspectedRequest>& done) {
    // Every block is decoded, even for a stream that is gone, to keep the table in step.
    SLUICE_ASSIGN_OR_RETURN(auto fields, inflate());
    uint32_t id = block_stream_;
    block_.clear();
    if (auto it = streams_.find(id); it != streams_.end()) {  // trailers
      it->second.request.notes.push_back("trailers");
      if (!block_end_stream_) {
        return protocolError(kProtocol, block_at_, "trailers without END_STREAM");
      }
      return complete(id, done);
    }
    if (id <= last_stream_) {
      return protocolError(kProtocol, block_at_, "HEADERS on closed stream " + std::to_string(id));
    }
    if (streams_.size() >= context_.limits.max_h2_streams) {
      return Error(ErrorCode::kResourceExhausted,
                   std::string(kProtocol) + " at stream byte " + std::to_string(block_at_) +
                       ": more than " + std::to_string(context_.limits.max_h2_streams) +
                       " streams open (InspectorLimits::max_h2_streams)");
    }
    last_stream_ = id;
    Stream stream;
    stream.start = block_at_;
    InspectedRequest& r = stream.request;
    r.id = context_.next_id++;
    r.protocol = std::string(kProtocol);
    r.h2_stream = id;
    HeadText text;
    std::string content_encoding, content_type, host, grpc_encoding, ws_protocol, extensions;
    for (const auto& [name, value] : fields) {
      if (name == ":method") r.method = value;
      if (name == ":path") {
        r.path = value;
        text.target(value);
      }
      if (name == ":authority") r.host = value;
      if (name == "host") host = value;
      if (name == "content-encoding") content_encoding = value;
      if (name == "content-type") content_type = value;
      if (name == "grpc-encoding") grpc_encoding = value;
      if (name == ":protocol") ws_protocol = value;
      if (name == "sec-websocket-extensions") extensions = value;
      text.header(name, value);
    }
    if (r.host.empty()) r.host = host;
    SLUICE_RETURN_IF_ERROR(text.scanInto(context_, r));
    if (r.method == "CONNECT" && iequals(ws_protocol, "websocket") && !block_end_stream_) {
      r.notes.push_back("websocket over h2");
      stream.tunnel = makeWebSocketDecoder(
          context_, {r.path, r.host, icontainsToken(extensions, "permessage-deflate")});
      done.push_back(r);
    } else if (!block_end_stream_) {
      auto body = BodyScanner::create(context_, content_encoding, content_type, grpc_encoding);
      if (!body) return atOffset(std::move(body).error(), kProtocol, block_at_);
      stream.body = std::move(*body);
    }
    streams_.emplace(id, std::move(stream));
    if (block_end_stream_) return complete(id, done);
    return okStatus();
  }

  // Feeds a WebSocket-over-h2 stream's DATA to its decoder; the messages it completes are
  // requests on this stream.
  Status tunnel(uint32_t id, Stream& stream, std::string_view bytes, uint64_t at,
                std::vector<InspectedRequest>& done) {
    size_t first = done.size();
    SLUICE_RETURN_IF_ERROR(stream.tunnel->feed(bytes, at, done));
    for (size_t i = first; i < done.size(); ++i) done[i].h2_stream = id;
    return okStatus();
  }

  Status complete(uint32_t id, std::vector<InspectedRequest>& done) {
    auto it = streams_.find(id);
    Stream& stream = it->second;
    if (stream.tunnel) {  // its CONNECT was reported when it began
      streams_.erase(it);
      return okStatus();
    }
    if (stream.body) {
      if (Status s = stream.body->finish(stream.request); !s) {
        return atOffset(std::move(s).error(), kProtocol, stream.start);
      }
    }
    done.push_back(std::move(stream.request));
    streams_.erase(it);
    return okStatus();
  }

  Context& context_;
  HpackInflater hpack_;
  Mode mode_ = Mode::kPreface;
  size_t preface_seen_ = 0;
  std::string header_;   // the frame header so far
  std::string payload_;  // a buffered frame's payload so far
  uint64_t frame_at_ = 0;
  uint32_t length_ = 0;
  uint8_t type_ = 0;
  uint8_t flags_ = 0;
  uint32_t stream_id_ = 0;
  uint32_t data_left_ = 0;
  uint32_t pad_left_ = 0;
  uint32_t skipped_ = 0;
  std::string block_;  // the header block being assembled
  uint32_t block_stream_ = 0;
  bool block_end_stream_ = false;
  uint64_t block_at_ = 0;
  uint32_t continuation_for_ = 0;
  uint32_t last_stream_ = 0;
  std::map<uint32_t, Stream> streams_;  // open streams; lowest id = oldest
};

}  // namespace

Result<std::unique_ptr<Decoder>> makeH2Decoder(Context& context) {
  auto decoder = std::make_unique<H2Decoder>(context);
  SLUICE_RETURN_IF_ERROR(decoder->init());
  return std::unique_ptr<Decoder>(std::move(decoder));
}

}  // namespace sluice::agent::inspect
