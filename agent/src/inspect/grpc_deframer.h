// File: grpc_deframer.h
//
// gRPC over HTTP/2 carries a stream of length-prefixed messages (1 flag byte, 4 length bytes,
// then the message). Message text in protobuf is plain UTF-8, so uncompressed messages are
// scanned as they are; a message with the compressed flag is inflated first with the coding
// named by grpc-encoding. Without this a compressed gRPC call would be opaque.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "inflater.h"

namespace sluice::agent::inspect {

class GrpcDeframer {
 public:
  // `encoding`: the grpc-encoding header ("" or "identity" when messages are not compressed).
  // Fails with kUnavailable for a coding it cannot decode.
  static Result<std::unique_ptr<GrpcDeframer>> create(std::string_view encoding,
                                                      uint64_t max_message_output);
  // Passes the message bytes (prefixes removed, compressed messages inflated) to `sink`.
  Status write(std::string_view bytes, const Inflater::Sink& sink);
  // Ends the stream: a note when it stopped inside a message, "" otherwise.
  std::string finish() const;
  uint64_t messages() const { return messages_; }

 private:
  GrpcDeframer() = default;

  std::string encoding_;
  bool has_format_ = false;
  Inflater::Format format_ = Inflater::Format::kGzip;
  uint64_t max_output_ = 0;
  std::string prefix_;                  // the 5-byte prefix so far
  uint32_t left_ = 0;                   // bytes of the current message still to come
  std::unique_ptr<Inflater> inflater_;  // for the current message, when compressed
  uint64_t messages_ = 0;
};

}  // namespace sluice::agent::inspect
