// WebSocket client frames (RFC 6455) after an upgrade request: each frame is unmasked before
// anything looks at it, fragments are joined into messages, and each client message is one
// request. permessage-deflate (RFC 7692) messages are inflated with one raw-deflate context
// for the connection, which decodes correctly whether or not context takeover was agreed.
#include <algorithm>

#include "body_scanner.h"
#include "decoder.h"
#include "http_fields.h"
#include "inflater.h"

namespace sluice::agent::inspect {
namespace {

constexpr std::string_view kProtocol = "websocket";

enum Opcode : uint8_t {
  kContinuation = 0,
  kText = 1,
  kBinary = 2,
  kClose = 8,
  kPing = 9,
  kPong = 10
};

class WebSocketDecoder : public Decoder {
 public:
  WebSocketDecoder(Context& context, WebSocketUpgrade upgrade)
      : context_(context), upgrade_(std::move(upgrade)) {}

  Result<size_t> feed(std::string_view bytes, uint64_t base,
                      std::vector<InspectedRequest>& done) override {
    if (!framed_ && !bytes.empty() && refusedUpgrade(static_cast<uint8_t>(bytes.front()))) {
      next_ = makeHttp1Decoder(context_);
      return size_t{0};
    }
    framed_ = framed_ || !bytes.empty();
    return stepAll(bytes, base,
                   [&](std::string_view in, uint64_t at) { return step(in, at, done); });
  }

  std::unique_ptr<Decoder> takeOver() override { return std::move(next_); }

  bool pending() const override { return in_message_ || !header_.empty() || in_payload_; }
  std::optional<std::string> pendingHost() const override {
    if (!in_message_) return std::nullopt;
    return upgrade_.host;
  }
  std::string_view protocol() const override { return kProtocol; }

 private:
  // Only the client's side is seen, so an upgrade the server refused shows as the next HTTP
  // request where the first frame should be. An HTTP method's first letter (G, P, D, H, O,
  // C, T...) is never a valid first byte of a client frame: its RSV2/RSV3 bits or its opcode
  // are invalid. A letter that could start a frame ('A', 'B') stays WebSocket.
  static bool refusedUpgrade(uint8_t b) {
    if (b < 'A' || b > 'Z') return false;
    uint8_t opcode = b & 0x0f;
    bool valid_opcode = opcode <= kBinary || (opcode >= kClose && opcode <= kPong);
    return (b & 0x30) != 0 || !valid_opcode || (opcode >= kClose && (b & 0x40) != 0);
  }

  Result<size_t> step(std::string_view in, uint64_t at, std::vector<InspectedRequest>& done) {
    if (closed_) return protocolError(kProtocol, at, "bytes after a close frame");
    if (!in_payload_) {
      if (header_.empty()) frame_at_ = at;
      header_.push_back(in.front());
      if (header_.size() < 2) return size_t{1};
      auto b1 = static_cast<uint8_t>(header_[1]);
      if ((b1 & 0x80) == 0) return protocolError(kProtocol, frame_at_, "client frame not masked");
      size_t len7 = b1 & 0x7f;
      size_t need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
      if (header_.size() < need) return size_t{1};
      SLUICE_RETURN_IF_ERROR(beginFrame(done));
      return size_t{1};
    }
    size_t take = static_cast<size_t>(std::min<uint64_t>(in.size(), payload_left_));
    if (data_frame_) {
      std::string clear(in.substr(0, take));
      for (char& c : clear) c = static_cast<char>(c ^ mask_[mask_pos_++ & 3]);
      SLUICE_RETURN_IF_ERROR(deliver(clear));
    }
    payload_left_ -= take;
    if (payload_left_ == 0) SLUICE_RETURN_IF_ERROR(endFrame(done));
    return take;
  }

  Status beginFrame(std::vector<InspectedRequest>& done) {
    auto u8 = [&](size_t i) { return static_cast<uint8_t>(header_[i]); };
    fin_ = (u8(0) & 0x80) != 0;
    bool rsv1 = (u8(0) & 0x40) != 0;
    uint8_t opcode = u8(0) & 0x0f;
    if ((u8(0) & 0x30) != 0) return protocolError(kProtocol, frame_at_, "RSV2/RSV3 set");
    size_t len7 = u8(1) & 0x7f;
    uint64_t length = len7;
    size_t i = 2;
    if (len7 >= 126) {
      length = 0;
      for (size_t n = len7 == 126 ? 2 : 8; n > 0; --n) length = (length << 8) | u8(i++);
      if (length >> 63 != 0) return protocolError(kProtocol, frame_at_, "frame length");
    }
    for (size_t k = 0; k < 4; ++k) mask_[k] = u8(i + k);
    header_.clear();
    mask_pos_ = 0;
    payload_left_ = length;
    in_payload_ = true;
    data_frame_ = opcode < 8;
    if (!data_frame_) {
      if (opcode != kClose && opcode != kPing && opcode != kPong) {
        return protocolError(kProtocol, frame_at_, "unknown opcode " + std::to_string(opcode));
      }
      if (!fin_ || length > 125 || rsv1) {
        return protocolError(kProtocol, frame_at_, "malformed control frame");
      }
      if (opcode == kClose) closing_ = true;
    } else if (opcode == kContinuation) {
      if (!in_message_)
        return protocolError(kProtocol, frame_at_, "continuation without a message");
      if (rsv1) return protocolError(kProtocol, frame_at_, "RSV1 on a continuation frame");
    } else if (opcode == kText || opcode == kBinary) {
      if (in_message_) {
        return protocolError(kProtocol, frame_at_, "new message before the previous one ended");
      }
      if (rsv1 && !upgrade_.deflate_offered) {
        return protocolError(kProtocol, frame_at_, "RSV1 set without permessage-deflate");
      }
      SLUICE_RETURN_IF_ERROR(beginMessage(opcode == kText, rsv1));
    } else {
      return protocolError(kProtocol, frame_at_, "unknown opcode " + std::to_string(opcode));
    }
    if (length == 0) return endFrame(done);
    return okStatus();
  }

  Status beginMessage(bool text, bool compressed) {
    in_message_ = true;
    message_at_ = frame_at_;
    compressed_ = compressed;
    request_ = InspectedRequest{};
    request_.id = context_.next_id++;
    request_.protocol = std::string(kProtocol);
    request_.method = "WS";
    request_.path = upgrade_.path;
    request_.host = upgrade_.host;
    request_.notes.push_back(text ? "text message" : "binary message");
    auto body = BodyScanner::create(context_, "", text ? "text/plain" : "");
    if (!body) return atOffset(std::move(body).error(), kProtocol, message_at_);
    body_ = std::move(*body);
    if (compressed) {
      request_.notes.push_back("permessage-deflate");
      if (!inflater_) {
        SLUICE_ASSIGN_OR_RETURN(
            inflater_,
            Inflater::create(Inflater::Format::kRaw, context_.limits.max_decoded_body_bytes));
      }
      inflater_->resetOutputBudget();
    }
    return okStatus();
  }

  Status deliver(std::string_view clear) {
    Status s = compressed_ ? inflater_->feed(
                                 clear, [this](std::string_view out) { return body_->write(out); })
                           : body_->write(clear);
    if (!s) return atOffset(std::move(s).error(), kProtocol, message_at_);
    return okStatus();
  }

  Status endFrame(std::vector<InspectedRequest>& done) {
    in_payload_ = false;
    if (!data_frame_) {
      closed_ = closing_;
      return okStatus();
    }
    if (!fin_) return okStatus();
    if (compressed_) {
      static constexpr char kTail[] = {0x00, 0x00, static_cast<char>(0xff),
                                       static_cast<char>(0xff)};
      // RFC 7692 7.2.2: the sender removed this empty-block tail from each message.
      SLUICE_RETURN_IF_ERROR(deliver(std::string_view(kTail, 4)));
      compressed_ = false;
    }
    if (Status s = body_->finish(request_); !s) {
      return atOffset(std::move(s).error(), kProtocol, message_at_);
    }
    body_.reset();
    in_message_ = false;
    done.push_back(std::move(request_));
    request_ = InspectedRequest{};
    return okStatus();
  }

  Context& context_;
  WebSocketUpgrade upgrade_;
  std::string header_;  // the frame header so far
  uint64_t frame_at_ = 0;
  uint64_t message_at_ = 0;
  uint8_t mask_[4] = {0, 0, 0, 0};
  size_t mask_pos_ = 0;
  uint64_t payload_left_ = 0;
  bool in_payload_ = false;
  bool data_frame_ = false;
  bool fin_ = false;
  bool in_message_ = false;
  bool compressed_ = false;
  bool closing_ = false;
  bool closed_ = false;
  bool framed_ = false;  // a byte after the upgrade request was seen
  std::unique_ptr<Decoder> next_;
  InspectedRequest request_;
  std::unique_ptr<BodyScanner> body_;
  std::unique_ptr<Inflater> inflater_;
};

}  // namespace

std::unique_ptr<Decoder> makeWebSocketDecoder(Context& context, WebSocketUpgrade upgrade) {
  return std::make_unique<WebSocketDecoder>(context, std::move(upgrade));
}

}  // namespace sluice::agent::inspect
