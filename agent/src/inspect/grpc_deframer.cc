#include "grpc_deframer.h"

#include <algorithm>

namespace sluice::agent::inspect {

Result<std::unique_ptr<GrpcDeframer>> GrpcDeframer::create(std::string_view encoding,
                                                           uint64_t max_message_output) {
  std::unique_ptr<GrpcDeframer> deframer(new GrpcDeframer());
  deframer->encoding_ = std::string(encoding);
  deframer->max_output_ = max_message_output;
  if (encoding == "gzip") {
    deframer->has_format_ = true;
    deframer->format_ = Inflater::Format::kGzip;
  } else if (encoding == "deflate") {
    deframer->has_format_ = true;
    deframer->format_ = Inflater::Format::kDeflate;
  } else if (!encoding.empty() && encoding != "identity") {
    return unavailable("grpc-encoding '" + std::string(encoding) +
                       "' is not decoded: the messages cannot be inspected");
  }
  return deframer;
}

Status GrpcDeframer::write(std::string_view bytes, const Inflater::Sink& sink) {
  while (!bytes.empty()) {
    if (left_ == 0 && !inflater_ && prefix_.size() < 5) {
      size_t take = std::min(bytes.size(), 5 - prefix_.size());
      prefix_.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      if (prefix_.size() < 5) break;
      auto u8 = [&](size_t i) { return static_cast<uint8_t>(prefix_[i]); };
      left_ = (uint32_t{u8(1)} << 24) | (uint32_t{u8(2)} << 16) | (uint32_t{u8(3)} << 8) | u8(4);
      ++messages_;
      if (u8(0) > 1) return invalidArgument("gRPC message with flag byte " + std::to_string(u8(0)));
      if (u8(0) == 1) {
        if (!has_format_) {
          return invalidArgument("compressed gRPC message without a grpc-encoding");
        }
        SLUICE_ASSIGN_OR_RETURN(inflater_, Inflater::create(format_, max_output_));
      }
      continue;
    }
    size_t take = std::min<size_t>(bytes.size(), left_);
    std::string_view piece = bytes.substr(0, take);
    bytes.remove_prefix(take);
    left_ -= static_cast<uint32_t>(take);
    if (!piece.empty()) {
      SLUICE_RETURN_IF_ERROR(inflater_ ? inflater_->feed(piece, sink) : sink(piece));
    }
    if (left_ == 0) {
      inflater_.reset();
      prefix_.clear();
    }
  }
  // A message of length 0 ends at its prefix.
  if (left_ == 0 && prefix_.size() == 5) {
    inflater_.reset();
    prefix_.clear();
  }
  return okStatus();
}

std::string GrpcDeframer::finish() const {
  return left_ > 0 || !prefix_.empty() ? "grpc: stream ended inside a message" : "";
}

}  // namespace sluice::agent::inspect
